package dev.autopilot;

import java.util.List;

/**
 * Operating both engines while they run: pause and resume tasks, cancel and re-run executions.
 * Reached through {@link Autopilot#control()}; works the same on a started instance and on an
 * attached client ({@link Autopilot#attach()}), since everything goes through the database.
 *
 * <p><b>Pausing.</b> A pause is stored in the database ({@code task_pauses}: who, when, why),
 * honoured by every instance and kept across restarts. On db-scheduler a run of a paused task that
 * falls due does not start: it is recorded {@code skipped} with the reason {@code paused}, and a
 * recurring task's next slot is scheduled as usual, so after {@link #resume} the task runs at its
 * next slot (missed slots are not made up). On pg_cron the task's job is set inactive
 * ({@code cron.alter_job(job, active := false)}) and stays so when an instance reconciles
 * {@code cron.job} at start. Configuration's {@code enabled=false} is stronger: resuming a disabled
 * task does not run it. Instances learn of a pause at once through LISTEN/NOTIFY, and within a
 * second without it.
 */
public interface Control {

  /**
   * Pauses a task on every instance.
   *
   * @param task the task's name
   * @param by who pauses it (operator or user name)
   * @param reason why, or null
   * @throws UnknownTaskException when no task has this name
   */
  void pause(String task, String by, String reason);

  /**
   * Resumes a paused task on every instance (its pg_cron job is active again). Resuming a task
   * that is not paused does nothing.
   *
   * @param task the task's name
   * @param by who resumes it
   * @throws UnknownTaskException when no task has this name
   */
  void resume(String task, String by);

  /**
   * Cancels an execution. A scheduled or retrying one is removed and recorded {@code cancelled}
   * (a recurring task's execution skips to its next slot instead). A running Java execution sees
   * {@link dev.autopilot.spi.TaskContext#isCancelled()} (and an interrupt) and is recorded
   * {@code cancelled} when it returns; a running SQL execution is cancelled in the database
   * ({@code pg_cancel_backend}); so is a pg_cron run in progress, named {@code pg_cron-<runid>}
   * after its row in {@code cron.job_run_details} (the monitor lists it among running jobs), recorded
   * {@code cancelled} when its run is imported.
   *
   * @param executionId the execution id as shown by the monitor; {@code TASK:ID} when the id alone
   *     is ambiguous (every recurring execution is called {@code recurring})
   * @param by who cancels it
   * @return false when nothing with that id is scheduled or running
   * @throws AutopilotException when the id names executions of several tasks
   */
  boolean cancel(String executionId, String by);

  /**
   * Re-runs a failed or dead execution with the same arguments; the new run's history rows name
   * the old execution ({@link JobRecord#retryOf()}).
   *
   * @param executionId the job-history id (a number) or the execution id ({@code TASK:ID} when
   *     ambiguous) of the failed or dead execution
   * @param by who asks for the re-run
   * @return the new execution id
   * @throws AutopilotException when no such execution exists or its last outcome is not failed or dead
   */
  String retry(String executionId, String by);

  /** @return the current pauses, by task name */
  List<Pause> pauses();
}
