package dev.autopilot;

/** A task name that is not in the catalog, for example in {@link Autopilot#trigger(String)}. */
public class UnknownTaskException extends AutopilotException {

  private static final long serialVersionUID = 1L;

  /** The name that was asked for. */
  private final String taskName;

  /** @param taskName the name that was asked for */
  public UnknownTaskException(String taskName) {
    super("unknown task '" + taskName + "'");
    this.taskName = taskName;
  }

  /** @return the name that was asked for */
  public String taskName() {
    return taskName;
  }
}
