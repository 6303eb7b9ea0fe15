package dev.autopilot;

/**
 * The one unchecked root exception of Autopilot. Subclasses carry structured fields: {@link
 * ConfigurationException} the setting and value, {@link UnknownTaskException} the task name.
 */
public class AutopilotException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message what went wrong, naming the file, row, task or setting involved
   */
  public AutopilotException(String message) {
    super(dev.autopilot.internal.Secrets.mask(message));
  }

  /**
   * @param message what went wrong, naming the file, row, task or setting involved
   * @param cause the underlying failure
   */
  public AutopilotException(String message, Throwable cause) {
    super(dev.autopilot.internal.Secrets.mask(message), cause);
  }
}
