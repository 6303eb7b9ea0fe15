package dev.autopilot;

import java.util.List;

/**
 * Autopilot's health at one moment.
 *
 * @param alive true when started, migrated and the scheduler runs
 * @param schemaVersion the newest applied migration version
 * @param schedulerRunning true while db-scheduler polls
 * @param pgCronUsable true when SQL tasks run in pg_cron
 * @param pgCronReason why pg_cron is or is not used
 * @param failingTasks tasks whose last finished run failed or died
 */
public record Health(
    boolean alive,
    String schemaVersion,
    boolean schedulerRunning,
    boolean pgCronUsable,
    String pgCronReason,
    List<String> failingTasks) {}
