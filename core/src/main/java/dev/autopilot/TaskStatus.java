package dev.autopilot;

import java.time.Instant;

/**
 * What Autopilot knows about one task now.
 *
 * @param name the task name
 * @param kind {@code java} or {@code sql}
 * @param engine the engine that runs it
 * @param engineReason why that engine (for example why pg_cron is not used), or empty
 * @param schedule its cron schedule, or null when it does not recur
 * @param startupPriority its start-up priority, or null
 * @param enabled false when disabled by configuration
 * @param nextRun its next scheduled run, or null
 * @param lastRun when its last finished run started, or null
 * @param lastOutcome the state of its last finished run, or null
 * @param lastError the error message of its last finished run if it did not succeed, or null
 * @param description a one-line description
 * @param pack the pack the task belongs to ({@code maintenance} for core's own, a pack's name, or
 *     the host's {@code Task.Builder#pack})
 */
public record TaskStatus(
    String name,
    String kind,
    Engine engine,
    String engineReason,
    String schedule,
    Integer startupPriority,
    boolean enabled,
    Instant nextRun,
    Instant lastRun,
    JobState lastOutcome,
    String lastError,
    String description,
    String pack) {}
