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
    super("invalid setting " + setting + "='" + value + "': " + reason);
    this.setting = setting;
    this.value = value;
  }

  /** @return the setting's name */
  public String setting() {
    return setting;
  }

  /** @return the rejected value as given */
  public String value() {
    return value;
  }
}
