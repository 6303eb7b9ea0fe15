package dev.autopilot.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a task runs: on a cron schedule, once per start wave at start-up (in priority order), or
 * only when triggered manually. Every task can also be triggered manually, whatever its trigger.
 *
 * <p>A trigger can combine a cron schedule with a start-up run ({@code
 * Trigger.cron("0 7 * * 0").andAtStartup(80)}). Cron expressions are standard 5-field cron
 * (minute, hour, day of month, month, day of week), evaluated in UTC unless configured
 * otherwise; when both day fields are restricted, a day matching either runs (classic cron).
 *
 * <p>Instances are immutable.
 */
public final class Trigger {

  private final String cron;
  private final Integer startupPriority;

  private Trigger(String cron, Integer startupPriority) {
    this.cron = cron;
    this.startupPriority = startupPriority;
  }

  /**
   * A recurring trigger.
   *
   * @param expression a 5-field cron expression such as {@code "*&#47;5 * * * *"}; validated when
   *     Autopilot is built
   * @return the trigger
   */
  public static Trigger cron(String expression) {
    Objects.requireNonNull(expression, "cron expression");
    if (expression.isBlank()) {
      throw new IllegalArgumentException("cron expression must not be blank");
    }
    return new Trigger(expression.trim(), null);
  }

  /**
   * A start-up trigger: the task runs once per start wave, after every start-up task with a
   * higher priority has finished.
   *
   * @param priority higher runs first (the built-in tasks use 100 down to 50)
   * @return the trigger
   */
  public static Trigger startup(int priority) {
    return new Trigger(null, priority);
  }

  /**
   * A trigger that never fires by itself: the task runs only when triggered.
   *
   * @return the trigger
   */
  public static Trigger manual() {
    return new Trigger(null, null);
  }

  /**
   * This trigger, also running the task at start-up.
   *
   * @param priority the start-up priority, higher first
   * @return a new trigger with the same cron schedule and a start-up run
   */
  public Trigger andAtStartup(int priority) {
    return new Trigger(cron, priority);
  }

  /**
   * This trigger with another cron schedule (used for configuration overrides).
   *
   * @param expression the new 5-field cron expression, or {@code null} for none
   * @return a new trigger with the same start-up priority
   */
  public Trigger withCron(String expression) {
    return new Trigger(expression == null ? null : expression.trim(), startupPriority);
  }

  /** @return the cron expression, if the task recurs */
  public Optional<String> cronExpression() {
    return Optional.ofNullable(cron);
  }

  /** @return the start-up priority, if the task runs at start-up */
  public OptionalInt startupPriority() {
    return startupPriority == null ? OptionalInt.empty() : OptionalInt.of(startupPriority);
  }

  /** @return true when the task runs neither on a schedule nor at start-up */
  public boolean isManualOnly() {
    return cron == null && startupPriority == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Trigger
        && Objects.equals(cron, ((Trigger) o).cron)
        && Objects.equals(startupPriority, ((Trigger) o).startupPriority);
  }

  @Override
  public int hashCode() {
    return Objects.hash(cron, startupPriority);
  }

  @Override
  public String toString() {
    if (isManualOnly()) {
      return "manual";
    }
    StringBuilder s = new StringBuilder();
    if (cron != null) {
      s.append("cron(").append(cron).append(')');
    }
    if (startupPriority != null) {
      s.append(s.length() > 0 ? "+" : "").append("startup(").append(startupPriority).append(')');
    }
    return s.toString();
  }
}
