package dev.autopilot.examples.cli;

/** A mistake in how the CLI was called or what it was pointed at: one line, exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String usage;

  UsageException(String message, String usage) {
    super(message);
    this.usage = usage;
  }

  UsageException(String message) {
    this(message, null);
  }

  /** @return the usage line of the command concerned, or null when it would not help */
  String usage() {
    return usage;
  }
}
