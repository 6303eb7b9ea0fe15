/**
 * The Autopilot SPI: what a task author implements and what a task sees when it runs.
 *
 * <p>A {@link dev.autopilot.spi.Task} is a unique name, a {@link dev.autopilot.spi.Trigger}
 * (cron, start-up with a priority, or manual only), a {@link dev.autopilot.spi.RetryPolicy}, and
 * either Java code ({@link dev.autopilot.spi.JavaTask}) or a single SQL command. Tasks reach
 * Autopilot explicitly through its builder or through {@link dev.autopilot.spi.TaskProvider}s
 * discovered with {@link java.util.ServiceLoader}.
 *
 * <p>This package is small and stable: it depends on nothing but the JDK and slf4j-api.
 */
package dev.autopilot.spi;
