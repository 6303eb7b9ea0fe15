package dev.autopilot.spi;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One unit of automation: a unique name, a {@link Trigger}, a {@link RetryPolicy}, and either
 * Java code or a SQL command.
 *
 * <pre>{@code
 * Task report = Task.java("nightly-report", ctx -> writeReport(ctx.dataSource()))
 *     .trigger(Trigger.cron("0 2 * * *"))
 *     .retry(RetryPolicy.exponential(3, Duration.ofMinutes(1)))
 *     .description("Writes the nightly report")
 *     .build();
 *
 * Task purge = Task.sql("purge-sessions", "DELETE FROM sessions WHERE expires_at < now()")
 *     .trigger(Trigger.cron("*&#47;15 * * * *"))
 *     .build();
 * }</pre>
 *
 * <p>A SQL task's command is one statement. Autopilot schedules it inside the database with
 * pg_cron where pg_cron is usable and otherwise runs the same statement through db-scheduler. A
 * Java task always runs through db-scheduler. Instances are immutable.
 */
public final class Task {

  /** What a task's body is. */
  public enum Kind {
    /** Java code run in the host JVM. */
    JAVA,
    /** One SQL statement, run by pg_cron or, as a fallback, by db-scheduler. */
    SQL
  }

  private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private final String name;
  private final Kind kind;
  private final JavaTask body;
  private final String sql;
  private final Trigger trigger;
  private final RetryPolicy retryPolicy;
  private final String description;
  private final String pack;
  private final java.time.Duration timeout;
  private final int maxConcurrency;
  private final java.util.Map<String, Arg> args;

  /**
   * One argument a task declares ({@link Builder#arg}).
   *
   * @param name the argument's name
   * @param type {@code String.class}, {@code Long.class} (whole numbers), {@code Double.class}
   *     (numbers) or {@code Boolean.class}
   * @param required whether every trigger must give it
   */
  public record Arg(String name, Class<?> type, boolean required) {}

  private Task(Builder b) {
    this.name = b.name;
    this.kind = b.kind;
    this.body = b.body;
    this.sql = b.sql;
    this.trigger = b.trigger;
    this.retryPolicy = b.retryPolicy;
    this.description = b.description;
    this.pack = b.pack;
    this.timeout = b.timeout;
    this.maxConcurrency = b.maxConcurrency;
    this.args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(b.args));
  }

  /**
   * Starts a Java task.
   *
   * @param name unique name: lower-case letters, digits, {@code . _ -}, at most 63 characters
   * @param body the code to run
   * @return a builder; the default trigger is {@link Trigger#manual()}
   */
  public static Builder java(String name, JavaTask body) {
    return new Builder(name, Kind.JAVA, Objects.requireNonNull(body, "body"), null);
  }

  /**
   * Starts a SQL task.
   *
   * @param name unique name: lower-case letters, digits, {@code . _ -}, at most 63 characters
   * @param sql one SQL statement, for example {@code CALL autopilot.task_assignment()}; the
   *     placeholder {@code ${schema}} is replaced with Autopilot's (quoted) schema name
   * @return a builder; the default trigger is {@link Trigger#manual()}
   */
  public static Builder sql(String name, String sql) {
    Objects.requireNonNull(sql, "sql");
    if (sql.isBlank()) {
      throw new IllegalArgumentException("task '" + name + "': SQL command must not be blank");
    }
    return new Builder(name, Kind.SQL, null, sql.trim());
  }

  /** @return the unique task name */
  public String name() {
    return name;
  }

  /** @return whether this is a Java or a SQL task */
  public Kind kind() {
    return kind;
  }

  /** @return the Java body, present for {@link Kind#JAVA} tasks */
  public Optional<JavaTask> body() {
    return Optional.ofNullable(body);
  }

  /** @return the SQL command, present for {@link Kind#SQL} tasks */
  public Optional<String> sql() {
    return Optional.ofNullable(sql);
  }

  /** @return when the task runs */
  public Trigger trigger() {
    return trigger;
  }

  /** @return how failures are retried */
  public RetryPolicy retryPolicy() {
    return retryPolicy;
  }

  /** @return a one-line human description, possibly empty */
  public String description() {
    return description;
  }

  /** @return the pack (group of tasks enabled or disabled together) this task belongs to */
  public String pack() {
    return pack;
  }

  /**
   * @return how long one run may take before it is cancelled and recorded {@code failed} ("timed
   *     out after ..."), if bounded; a SQL task's statement gets it as {@code statement_timeout}
   */
  public Optional<java.time.Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /**
   * @return how many runs of this task may run at once across all instances; 0 means unbounded
   *     (the default: recurring runs still never overlap, triggered runs may run beside them)
   */
  public int maxConcurrency() {
    return maxConcurrency;
  }

  /**
   * @return the arguments this task declares, by name; empty when it declares none (then any
   *     arguments are accepted)
   */
  public java.util.Map<String, Arg> args() {
    return args;
  }

  /**
   * Checks arguments of a trigger against the declared ones: when the task declares any, every
   * name must be declared, every required one given, and each value of its type (a string form
   * that parses counts, so arguments typed on a command line pass).
   *
   * @param given argument names and values
   * @throws IllegalArgumentException naming the task and the argument when one does not fit
   */
  public void checkArgs(java.util.Map<String, ?> given) {
    if (args.isEmpty()) {
      return;
    }
    for (java.util.Map.Entry<String, ?> e : given.entrySet()) {
      Arg a = args.get(e.getKey());
      if (a == null) {
        throw new IllegalArgumentException("task '" + name + "' has no argument '" + e.getKey() + "' (it takes "
            + String.join(", ", args.keySet()) + ")");
      }
      if (!fits(a.type(), e.getValue())) {
        throw new IllegalArgumentException("task '" + name + "': argument '" + e.getKey() + "' must be a "
            + a.type().getSimpleName().toLowerCase(java.util.Locale.ROOT) + ", was '" + e.getValue() + "'");
      }
    }
    for (Arg a : args.values()) {
      if (a.required() && !given.containsKey(a.name())) {
        throw new IllegalArgumentException("task '" + name + "' needs the argument '" + a.name() + "'");
      }
    }
  }

  private static boolean fits(Class<?> type, Object v) {
    if (type == String.class) {
      return v instanceof String || v instanceof Character;
    }
    String s = String.valueOf(v).trim();
    if (type == Boolean.class) {
      return v instanceof Boolean || s.equals("true") || s.equals("false");
    }
    try {
      if (type == Long.class) {
        if (v instanceof Number) {
          return v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte
              || v instanceof java.math.BigInteger;
        }
        Long.parseLong(s);
        return true;
      }
      if (v instanceof Number) {
        return true;
      }
      Double.parseDouble(s);
      return true;
    } catch (NumberFormatException ex) {
      return false;
    }
  }

  /**
   * A copy of this task with another trigger (used for configuration overrides).
   *
   * @param trigger the new trigger
   * @return the copy
   */
  public Task withTrigger(Trigger trigger) {
    return toBuilder().trigger(trigger).build();
  }

  private Builder toBuilder() {
    Builder b = new Builder(name, kind, body, sql);
    b.trigger = trigger;
    b.retryPolicy = retryPolicy;
    b.description = description;
    b.pack = pack;
    b.timeout = timeout;
    b.maxConcurrency = maxConcurrency;
    b.args.putAll(args);
    return b;
  }

  @Override
  public String toString() {
    return "Task{" + name + ", " + kind + ", " + trigger + '}';
  }

  /** Builds a {@link Task}; every setter validates its argument. */
  public static final class Builder {
    private final String name;
    private final Kind kind;
    private final JavaTask body;
    private final String sql;
    private Trigger trigger = Trigger.manual();
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private String description = "";
    private String pack = "custom";
    private java.time.Duration timeout;
    private int maxConcurrency;
    private final java.util.Map<String, Arg> args = new java.util.LinkedHashMap<>();

    private Builder(String name, Kind kind, JavaTask body, String sql) {
      Objects.requireNonNull(name, "task name");
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException(
            "task name '" + name + "' is invalid: use lower-case letters, digits, '.', '_' or '-',"
                + " starting with a letter or digit, at most 63 characters");
      }
      this.name = name;
      this.kind = kind;
      this.body = body;
      this.sql = sql;
    }

    /**
     * @param trigger when the task runs
     * @return this builder
     */
    public Builder trigger(Trigger trigger) {
      this.trigger = Objects.requireNonNull(trigger, "trigger");
      return this;
    }

    /**
     * Shorthand for {@code trigger(Trigger.cron(expression))}.
     *
     * @param expression a 5-field cron expression
     * @return this builder
     */
    public Builder cron(String expression) {
      return trigger(Trigger.cron(expression));
    }

    /**
     * @param retryPolicy how failures are retried
     * @return this builder
     */
    public Builder retry(RetryPolicy retryPolicy) {
      this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
      return this;
    }

    /**
     * @param description a one-line human description
     * @return this builder
     */
    public Builder description(String description) {
      this.description = Objects.requireNonNull(description, "description");
      return this;
    }

    /**
     * @param pack the pack name this task belongs to (default {@code custom})
     * @return this builder
     */
    public Builder pack(String pack) {
      Objects.requireNonNull(pack, "pack");
      if (pack.isBlank()) {
        throw new IllegalArgumentException("task '" + name + "': pack must not be blank");
      }
      this.pack = pack;
      return this;
    }

    /**
     * Bounds how long one run may take. A Java run past it sees {@link TaskContext#isCancelled()}
     * and an interrupt, and is recorded {@code failed} with "timed out after ..." (the retry policy
     * applies as to any failure); a SQL run gets it as {@code statement_timeout} on either engine.
     *
     * @param timeout a positive duration, at least 1 ms
     * @return this builder
     */
    public Builder timeout(java.time.Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.toMillis() < 1) {
        throw new IllegalArgumentException("task '" + name + "': timeout must be at least 1 ms, was " + timeout);
      }
      this.timeout = timeout;
      return this;
    }

    /**
     * Limits how many runs of this task run at once across all instances. A run that finds every
     * slot taken is put back a moment later (not failed, no attempt counted).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxConcurrency(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("task '" + name + "': maxConcurrency must be at least 1, was " + n);
      }
      this.maxConcurrency = n;
      return this;
    }

    /**
     * Declares an argument the task takes when triggered with arguments ({@code
     * Autopilot.trigger(name, args)}); once a task declares any, triggers are checked against them.
     *
     * @param name the argument's name
     * @param type {@code String.class}, {@code Long.class}, {@code Double.class} or {@code Boolean.class}
     * @param required whether every trigger with arguments must give it
     * @return this builder
     */
    public Builder arg(String name, Class<?> type, boolean required) {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(type, "type");
      if (name.isBlank()) {
        throw new IllegalArgumentException("task '" + this.name + "': argument names must not be blank");
      }
      if (type != String.class && type != Long.class && type != Double.class && type != Boolean.class) {
        throw new IllegalArgumentException("task '" + this.name + "': argument '" + name + "' has type "
            + type.getSimpleName() + "; use String, Long, Double or Boolean");
      }
      args.put(name, new Arg(name, type, required));
      return this;
    }

    /** @return the immutable task */
    public Task build() {
      return new Task(this);
    }
  }
}
