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
 * @param databaseReachable false while this instance cannot reach the database (polling waits,
 *     history is held in a buffer)
 * @param historyRowsDropped job history rows this instance dropped since it started because its
 *     buffer was full during a long outage (each drop is also logged); 0 normally
 */
public record Health(
    boolean alive,
    String schemaVersion,
    boolean schedulerRunning,
    boolean pgCronUsable,
    String pgCronReason,
    List<String> failingTasks,
    boolean databaseReachable,
    long historyRowsDropped) {

  /**
   * Health of a reachable database with nothing dropped.
   *
   * @param alive true when started, migrated and the scheduler runs
   * @param schemaVersion the newest applied migration version
   * @param schedulerRunning true while db-scheduler polls
   * @param pgCronUsable true when SQL tasks run in pg_cron
   * @param pgCronReason why pg_cron is or is not used
   * @param failingTasks tasks whose last finished run failed or died
   */
  public Health(boolean alive, String schemaVersion, boolean schedulerRunning, boolean pgCronUsable,
      String pgCronReason, List<String> failingTasks) {
    this(alive, schemaVersion, schedulerRunning, pgCronUsable, pgCronReason, failingTasks, true, 0);
  }
}
