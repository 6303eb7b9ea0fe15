package dev.autopilot.web;

/** A request the API refuses, with its HTTP status and a one-line message for the client. */
final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  final int status;

  HttpError(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }
}
