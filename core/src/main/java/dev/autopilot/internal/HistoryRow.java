package dev.autopilot.internal;

import java.time.Instant;

/** One row for job history. */
public record HistoryRow(
    String taskName,
    String executionId,
    String engine,
    String outcome,
    int attempt,
    String instance,
    Instant scheduledAt,
    Instant startedAt,
    Instant finishedAt,
    String errorClass,
    String errorMessage,
    java.util.Map<String, String> args,
    String retryOf) {

  /** A row without arguments or retry link. */
  public HistoryRow(String taskName, String executionId, String engine, String outcome, int attempt, String instance,
      Instant scheduledAt, Instant startedAt, Instant finishedAt, String errorClass, String errorMessage) {
    this(taskName, executionId, engine, outcome, attempt, instance, scheduledAt, startedAt, finishedAt, errorClass,
        errorMessage, java.util.Map.of(), null);
  }

  static final int MAX_MESSAGE = 4000;

  static String clip(String s) {
    return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
