package dev.autopilot.internal;

/** Ends a run that was cancelled through {@code Control.cancel}; history records {@code cancelled}. */
final class RunCancelledException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  RunCancelledException(String by) {
    super("cancelled by " + by);
  }
}
