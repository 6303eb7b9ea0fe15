package dev.autopilot.fault;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autopilot.Autopilot;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Tasks of the fault suite and how they count themselves: every run writes a row keyed by what it
 * is (a trigger's execution id, a recurring slot's scheduled time) into {@code public.fault_count}
 * with a unique key; a second run of the same key raises {@code n} instead, so duplicates are
 * counted by the tasks themselves and compared with job history.
 */
final class FaultFixture {
  private FaultFixture() {}

  static void createTables(Connection c) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.fault_runs (execution_id text, instance text, attempt int,"
          + " started_at timestamptz DEFAULT clock_timestamp())");
      s.execute("CREATE TABLE IF NOT EXISTS public.fault_count (kind text, key text, n int NOT NULL DEFAULT 1,"
          + " instance text, at timestamptz DEFAULT clock_timestamp(), PRIMARY KEY (kind, key))");
    }
  }

  /** A manual task that records its start and then takes {@code autopilot.fault.sleep-ms}. */
  static Task slowJob(String name) {
    return Task.java(name, ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement(
              "INSERT INTO public.fault_runs (execution_id, instance, attempt) VALUES (?, ?, ?)")) {
        ps.setString(1, ctx.executionId());
        ps.setString(2, ctx.config().get("fault.instance", "?"));
        ps.setInt(3, ctx.attempt());
        ps.executeUpdate();
      }
      Thread.sleep(ctx.config().getInt("fault.sleep-ms", 500));
    }).trigger(Trigger.manual()).retry(RetryPolicy.none()).build();
  }

  /**
   * A task that counts itself under {@code kind}: a triggered run by its execution id, a
   * recurring run by its slot (the execution time of its picked row), then sleeps {@code sleepMs}.
   */
  static Task counted(String name, String kind, Trigger trigger, long sleepMs) {
    return Task.java(name, ctx -> {
      try (Connection c = ctx.dataSource().getConnection()) {
        String key = ctx.executionId();
        if ("recurring".equals(key)) {
          try (PreparedStatement ps = c.prepareStatement("SELECT execution_time FROM " + ctx.schema()
              + ".scheduled_tasks WHERE task_name = ? AND task_instance = 'recurring' AND picked")) {
            ps.setString(1, ctx.taskName());
            try (ResultSet rs = ps.executeQuery()) {
              key = rs.next() ? rs.getTimestamp(1).toInstant().toString() : "unknown-" + System.nanoTime();
            }
          }
        }
        count(c, kind, key, ctx.config().get("fault.instance", "?"));
      }
      if (sleepMs > 0) {
        Thread.sleep(sleepMs);
      }
    }).trigger(trigger).retry(RetryPolicy.exponential(5, Duration.ofMillis(500))).build();
  }

  static void count(Connection c, String kind, String key, String instance) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO public.fault_count (kind, key, instance)"
        + " VALUES (?, ?, ?) ON CONFLICT (kind, key) DO UPDATE SET n = fault_count.n + 1")) {
      ps.setString(1, kind);
      ps.setString(2, key);
      ps.setString(3, instance);
      ps.executeUpdate();
    }
  }

  static long one(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  static HikariDataSource pool(String jdbcUrl, int size) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(jdbcUrl);
    c.setMaximumPoolSize(size);
    c.setMinimumIdle(0);
    c.setConnectionTimeout(10_000);
    return new HikariDataSource(c);
  }

  static Autopilot.Builder builder(DataSource ds, String schema, String instance) {
    return Autopilot.builder(ds).schema(schema).instanceName(instance).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(500)).property("autopilot.fault.instance", instance)
        .property("autopilot.bootstrap.enabled", "false");
  }

  /** Prints the scenario's measurements as one line the report can quote. */
  static void report(String scenario, long recoveryMs, long lost, long dupes, long logLines, String extra) {
    String line = String.format(Locale.ROOT, "FAULT scenario=%s recovery_ms=%d lost=%d dupes=%d log_lines=%d%s",
        scenario, recoveryMs, lost, dupes, logLines, extra == null || extra.isEmpty() ? "" : " " + extra);
    System.out.println(line);
  }
}
