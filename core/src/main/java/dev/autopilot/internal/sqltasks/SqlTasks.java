package dev.autopilot.internal.sqltasks;

import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Settings;
import dev.autopilot.spi.Durations;
import dev.autopilot.spi.Task;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the pure-SQL tasks of core and of the packs. Each command is a single statement with
 * {@code ${schema}} for the quoted schema, so pg_cron and db-scheduler run the very same text.
 *
 * <p>Procedure parameters (retention, batch size, ...) are configurable per task as {@code
 * autopilot.task.NAME.KEY}; they are inlined into the command as named arguments, so they reach
 * pg_cron too. Unset keys keep the procedure's default.
 */
public final class SqlTasks {
  private SqlTasks() {}

  /** How a parameter's setting becomes a SQL literal. */
  public enum Type { INTERVAL, INT, DOUBLE }

  /** A procedure parameter set by {@code autopilot.task.NAME.key}, passed as {@code arg => value}. */
  public record Param(String key, String arg, Type type) {}

  /** A SQL task running one fixed statement. */
  public static Task task(String pack, String name, String cron, String sql, String description) {
    return Task.sql(name, sql).cron(cron).pack(pack).description(description).build();
  }

  /** A SQL task calling {@code ${schema}.procedure(...)} with the parameters that are set. */
  public static Task call(Settings s, String pack, String name, String cron, String procedure, String description,
      Param... params) {
    return task(pack, name, cron, "CALL ${schema}." + procedure + "(" + arguments(s, name, params) + ")", description);
  }

  /** The named arguments of the parameters that are set, comma-separated. */
  public static String arguments(Settings s, String name, Param... params) {
    List<String> args = new ArrayList<>();
    for (Param p : params) {
      String key = "autopilot.task." + name + "." + p.key();
      s.get(key).ifPresent(v -> args.add(p.arg() + " => " + literal(s.source(key), v, p.type())));
    }
    return String.join(", ", args);
  }

  private static String literal(String setting, String value, Type type) {
    try {
      switch (type) {
        case INTERVAL:
          return "'" + Durations.parse(setting, value).toMillis() + " milliseconds'::interval";
        case INT:
          return Integer.toString(Integer.parseInt(value.trim()));
        default:
          double d = Double.parseDouble(value.trim());
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException("not finite");
          }
          return Double.toString(d);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(setting, value, "expected " + (type == Type.INTERVAL
          ? "a duration such as 14d, 30m or PT1H" : type == Type.INT ? "an integer" : "a number"));
    }
  }
}
