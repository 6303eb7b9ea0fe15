package dev.autopilot;

/** Invalid configuration: names the setting and the rejected value. Thrown by the builder. */
public class ConfigurationException extends AutopilotException {

  private static final long serialVersionUID = 1L;

  /** The setting's name. */
  private final String setting;
  /** The rejected value, as given. */
  private final String value;

  /**
   * @param setting the setting, for example {@code autopilot.task.x.schedule}
   * @param value the rejected value as given
   * @param reason why it is rejected
   */
  public ConfigurationException(String setting, String value, String reason) {
    super("invalid setting " + setting + "='" + shown(setting, value) + "': " + reason);
    this.setting = setting;
    this.value = shown(setting, value);
  }

  /** A secret setting's value is never shown; other values with their URL passwords masked. */
  private static String shown(String setting, String value) {
    if (value != null && !value.isEmpty() && dev.autopilot.internal.Secrets.isSecretKey(setting)) {
      return dev.autopilot.internal.Secrets.MASK;
    }
    return dev.autopilot.internal.Secrets.mask(value);
  }

  /** @return the setting's name */
  public String setting() {
    return setting;
  }

  /** @return the rejected value as given (a secret masked) */
  public String value() {
    return value;
  }
}
