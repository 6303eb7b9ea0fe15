package dev.autopilot;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One job: a finished attempt from job history, or a scheduled or running execution.
 *
 * @param id history row id, or 0 for a scheduled or running job
 * @param task the task name
 * @param executionId the execution's instance id within the task
 * @param engine the engine that ran or will run it
 * @param state its state
 * @param attempt the attempt number, 1 for the first
 * @param instance the Autopilot instance (scheduler name) that ran it, or null
 * @param scheduledAt when it was due, or null
 * @param startedAt when it started, or null
 * @param finishedAt when it finished, or null
 * @param errorClass the exception class of a failure, or null
 * @param errorMessage the failure message, or the skip reason, or null
 * @param args the arguments the run was triggered with (empty when none)
 * @param retryOf the execution this one re-runs ({@link Control#retry}), or null
 */
public record JobRecord(
    long id,
    String task,
    String executionId,
    Engine engine,
    JobState state,
    int attempt,
    String instance,
    Instant scheduledAt,
    Instant startedAt,
    Instant finishedAt,
    String errorClass,
    String errorMessage,
    java.util.Map<String, String> args,
    String retryOf) {

  /**
   * A job; the arguments are copied, null becomes empty.
   *
   * @param id history row id, or 0
   * @param task the task name
   * @param executionId the execution id
   * @param engine the engine
   * @param state its state
   * @param attempt the attempt number
   * @param instance the instance, or null
   * @param scheduledAt when it was due, or null
   * @param startedAt when it started, or null
   * @param finishedAt when it finished, or null
   * @param errorClass the exception class, or null
   * @param errorMessage the message, or null
   * @param args the arguments, or null
   * @param retryOf the execution this one re-runs, or null
   */
  public JobRecord {
    args = args == null ? java.util.Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
  }

  /**
   * A job without arguments or retry link (the form before they existed).
   *
   * @param id history row id, or 0
   * @param task the task name
   * @param executionId the execution id
   * @param engine the engine
   * @param state its state
   * @param attempt the attempt number
   * @param instance the instance, or null
   * @param scheduledAt when it was due, or null
   * @param startedAt when it started, or null
   * @param finishedAt when it finished, or null
   * @param errorClass the exception class, or null
   * @param errorMessage the message, or null
   */
  public JobRecord(long id, String task, String executionId, Engine engine, JobState state, int attempt,
      String instance, Instant scheduledAt, Instant startedAt, Instant finishedAt, String errorClass,
      String errorMessage) {
    this(id, task, executionId, engine, state, attempt, instance, scheduledAt, startedAt, finishedAt, errorClass,
        errorMessage, java.util.Map.of(), null);
  }

  /**
   * @param now the current time
   * @return how long a running job has been running, or empty when it is not running
   */
  public Optional<Duration> age(Instant now) {
    return state == JobState.RUNNING && startedAt != null && finishedAt == null
        ? Optional.of(Duration.between(startedAt, now))
        : Optional.empty();
  }

  /** @return how long it ran, when it has finished */
  public Optional<Duration> duration() {
    return startedAt != null && finishedAt != null
        ? Optional.of(Duration.between(startedAt, finishedAt))
        : Optional.empty();
  }
}
