package dev.autopilot.spi;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import javax.sql.DataSource;

/**
 * What a running Java task may use. One context belongs to one execution; it is not shared
 * between threads of different executions.
 */
public interface TaskContext {

  /** @return the name of the running task */
  String taskName();

  /**
   * @return the db-scheduler instance id of this execution ({@code recurring} for a scheduled
   *     run, a generated id for a start-up or triggered run)
   */
  String executionId();

  /** @return the attempt number of this execution, 1 for the first */
  int attempt();

  /**
   * The arguments this run was triggered with ({@code Autopilot.trigger(name, args)}), each value
   * in its string form; empty for a scheduled run or a trigger without arguments.
   *
   * @return the arguments, unmodifiable, in the order given
   */
  default java.util.Map<String, String> args() {
    return java.util.Map.of();
  }

  /** @return the host's DataSource, for JDBC access */
  DataSource dataSource();

  /** @return Autopilot's (unquoted) schema name, where its tables live */
  String schema();

  /** @return the clock Autopilot was built with; use it instead of {@code Instant.now()} */
  Clock clock();

  /** @return configuration of this task, with fallback to Autopilot's global settings */
  TaskConfig config();

  /** @return a persistent key-value store private to this task, for watermarks and cursors */
  StateStore state();

  /**
   * Reports progress; visible in the monitoring API while the task runs.
   *
   * @param done units done so far
   * @param total total units, or -1 if unknown
   * @param message a short description of the current step, may be empty
   */
  void progress(long done, long total, String message);

  /**
   * Marks this execution as skipped instead of succeeded, with a reason visible in job history.
   * The task should return normally after calling this.
   *
   * @param reason why nothing was done, for example "no hub configured"
   */
  void skip(String reason);

  /**
   * @return true when Autopilot is shutting down or the execution was cancelled; long tasks
   *     should check this between steps and return early
   */
  boolean isCancelled();

  /**
   * Throws if {@link #isCancelled()}.
   *
   * @throws CancellationException when the execution should stop
   */
  default void checkCancelled() {
    if (isCancelled()) {
      throw new CancellationException("task '" + taskName() + "' cancelled");
    }
  }

  /**
   * Looks up a service registered with Autopilot (an embedding model, an event publisher, or
   * anything the host registered).
   *
   * @param type the service type
   * @param <T> the service type
   * @return the service, if registered
   */
  <T> Optional<T> service(Class<T> type);
}
