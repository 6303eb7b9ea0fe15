package dev.autopilot.cli;

/** An operation that was understood but did not succeed: one line, exit code 1. */
final class Failure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  Failure(String message) {
    super(message);
  }
}
