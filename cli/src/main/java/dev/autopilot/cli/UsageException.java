package dev.autopilot.cli;

/** A wrong call (unknown task, unreachable database, bad value): one line, exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
