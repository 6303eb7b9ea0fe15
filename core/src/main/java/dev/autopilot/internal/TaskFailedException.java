package dev.autopilot.internal;

/** Carries a task's checked exception through db-scheduler; history records the cause. */
final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  TaskFailedException(String task, Throwable cause) {
    super("task '" + task + "' failed: " + cause, cause);
  }
}
