/**
 * Micrometer meters for Autopilot over both engines, read from Autopilot's tables so they count
 * what every instance and pg_cron did: {@link dev.autopilot.micrometer.AutopilotMetrics}.
 */
package dev.autopilot.micrometer;
