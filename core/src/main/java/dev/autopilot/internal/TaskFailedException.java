package dev.autopilot.internal;

/** Carries a task's checked exception through db-scheduler; history records the cause. */
final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean retryable;

  TaskFailedException(String task, Throwable cause) {
    this(task, cause, true);
  }

  /** @param retryable false when another attempt would fail the same way (arguments that do not fit) */
  TaskFailedException(String task, Throwable cause, boolean retryable) {
    super("task '" + task + "' failed: " + cause, cause);
    this.retryable = retryable;
  }

  boolean retryable() {
    return retryable;
  }
}
