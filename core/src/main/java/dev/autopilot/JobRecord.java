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
    String errorMessage) {

  /** @return how long it ran, when it has finished */
  public Optional<Duration> duration() {
    return startedAt != null && finishedAt != null
        ? Optional.of(Duration.between(startedAt, finishedAt))
        : Optional.empty();
  }
}
