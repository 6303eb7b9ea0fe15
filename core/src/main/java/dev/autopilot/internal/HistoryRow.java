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
    String errorMessage) {

  static final int MAX_MESSAGE = 4000;

  static String clip(String s) {
    return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 1) + "…";
  }
}
