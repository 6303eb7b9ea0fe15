/**
 * Autopilot's public API: the {@link dev.autopilot.Autopilot} facade and its builder, the
 * {@link dev.autopilot.Monitor} over both engines and the values it returns, and the exceptions.
 * Task authors implement the SPI in {@code dev.autopilot.spi}.
 */
package dev.autopilot;
