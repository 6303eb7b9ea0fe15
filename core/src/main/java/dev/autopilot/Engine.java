package dev.autopilot;

/** Which engine runs a task. */
public enum Engine {
  /** pg_cron, inside the database: SQL tasks where pg_cron is usable. */
  PG_CRON("pg_cron"),
  /** db-scheduler, in the host JVM: Java tasks, and SQL tasks where pg_cron is not usable. */
  DB_SCHEDULER("db-scheduler");

  private final String label;

  Engine(String label) {
    this.label = label;
  }

  /** @return the name used in job history, the CLI and JSON: {@code pg_cron} or {@code db-scheduler} */
  public String label() {
    return label;
  }

  /**
   * @param label {@code pg_cron} or {@code db-scheduler}
   * @return the engine
   * @throws IllegalArgumentException for any other label
   */
  public static Engine fromLabel(String label) {
    for (Engine e : values()) {
      if (e.label.equals(label)) {
        return e;
      }
    }
    throw new IllegalArgumentException("unknown engine '" + label + "'");
  }
}
