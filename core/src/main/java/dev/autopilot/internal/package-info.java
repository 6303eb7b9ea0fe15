/**
 * Autopilot's implementation. No compatibility promise: anything here may change in any
 * release. Use {@code dev.autopilot} and {@code dev.autopilot.spi}.
 */
package dev.autopilot.internal;
