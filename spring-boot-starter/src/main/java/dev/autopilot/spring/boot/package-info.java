/**
 * Spring Boot auto-configuration for Autopilot: {@link
 * dev.autopilot.spring.boot.AutopilotAutoConfiguration} builds an Autopilot from the application's
 * DataSource, {@code autopilot.*} properties, {@code Task} and {@code TaskProvider} beans, and
 * starts it with the context; {@link dev.autopilot.spring.boot.AutopilotHealthIndicator} and
 * {@link dev.autopilot.spring.boot.AutopilotMetricsAutoConfiguration} plug it into Actuator and
 * Micrometer when they are present.
 */
package dev.autopilot.spring.boot;
