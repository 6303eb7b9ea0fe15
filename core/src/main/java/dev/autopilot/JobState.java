package dev.autopilot;

import java.util.Locale;

/**
 * The state of a job (one execution of a task). The first two are live, read from the engines;
 * the rest are outcomes recorded in job history.
 */
public enum JobState {
  /** Waiting for its execution time. */
  SCHEDULED,
  /** Picked by an instance and running now. */
  RUNNING,
  /** Finished without error. */
  SUCCEEDED,
  /** Finished having done nothing on purpose, with a reason (for example "no hub configured"). */
  SKIPPED,
  /** This attempt failed and another attempt is scheduled. */
  RETRYING,
  /** Failed and no attempt follows: the retry policy is exhausted. */
  FAILED,
  /** The instance running it stopped answering (heartbeat lost); db-scheduler revives it. */
  DEAD,
  /** Cancelled by an operator ({@link Control#cancel}) before it started or while it ran. */
  CANCELLED;

  /** @return the lower-case name used in job history and JSON */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * @param label a state's lower-case (or any-case) name
   * @return the state
   * @throws IllegalArgumentException naming the label when unknown
   */
  public static JobState fromLabel(String label) {
    try {
      return valueOf(label.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown job state '" + label + "'", e);
    }
  }

  /** @return true for states recorded in job history (finished attempts) */
  public boolean isFinished() {
    return this != SCHEDULED && this != RUNNING;
  }
}
