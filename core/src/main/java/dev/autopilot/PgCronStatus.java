package dev.autopilot;

import java.time.Instant;
import java.util.List;

/**
 * pg_cron's view of this database: its jobs ({@code cron.job}) and their newest runs ({@code
 * cron.job_run_details}), read in the database pg_cron lives in ({@code cron.database_name}).
 *
 * @param available true when pg_cron's tables could be read
 * @param cronDatabase the database pg_cron lives in, or null when it is not preloaded
 * @param reason why the tables could not be read, or null when they could
 * @param jobs the jobs that run in this database, Autopilot's and others', by name
 * @param runs the newest runs of those jobs, newest first
 */
public record PgCronStatus(boolean available, String cronDatabase, String reason, List<Job> jobs, List<Run> runs) {

  /**
   * Creates a status, copying the lists.
   *
   * @param available true when pg_cron's tables could be read
   * @param cronDatabase the database pg_cron lives in, or null
   * @param reason why the tables could not be read, or null
   * @param jobs the jobs
   * @param runs the newest runs
   */
  public PgCronStatus {
    jobs = List.copyOf(jobs);
    runs = List.copyOf(runs);
  }

  /**
   * @param cronDatabase the database pg_cron lives in, or null
   * @param reason why its tables cannot be read
   * @return a status without jobs
   */
  public static PgCronStatus unavailable(String cronDatabase, String reason) {
    return new PgCronStatus(false, cronDatabase, reason, List.of(), List.of());
  }

  /**
   * One row of {@code cron.job}.
   *
   * @param jobId pg_cron's job id
   * @param name the job name
   * @param task the Autopilot task this job runs, or null for a job Autopilot does not own
   * @param schedule the cron schedule (GMT)
   * @param command the SQL command
   * @param database the database it runs in
   * @param username the role it runs as
   * @param active false when the job is switched off (paused)
   */
  public record Job(long jobId, String name, String task, String schedule, String command, String database,
      String username, boolean active) {}

  /**
   * One row of {@code cron.job_run_details}.
   *
   * @param runId pg_cron's run id
   * @param jobId the job's id
   * @param task the Autopilot task, or null for a job Autopilot does not own
   * @param status {@code starting}, {@code running}, {@code succeeded} or {@code failed}
   * @param returnMessage pg_cron's message (the command tag, or the error)
   * @param startedAt when it started, or null
   * @param finishedAt when it ended, or null
   */
  public record Run(long runId, long jobId, String task, String status, String returnMessage, Instant startedAt,
      Instant finishedAt) {}
}
