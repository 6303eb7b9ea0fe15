package dev.autopilot.web;

import dev.autopilot.Autopilot;
import dev.autopilot.Engine;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A host with tasks on both engines, for the dashboard's tests. */
final class Fixture {
  /** The failing task's message: markup that would run if the page ever parsed it as HTML. */
  static final String XSS = "<img src=x onerror=\"window.__xss=1\"><script>window.__xss=2</script>&amp; 'quoted'";
  static final String SQL_TASK = "sql-tick";
  static final String JAVA_TASK = "java-report";
  static final String FAILING_TASK = "java-fails";
  static final String SLOW_TASK = "java-slow";

  private Fixture() {}

  static Autopilot start(TestDatabase db, String schema) {
    Autopilot ap = Autopilot.builder(db.dataSource()).schema(schema).instanceName("web-host").environment(Map.of())
        .discoverProviders(false).builtInTasks(false).pollingInterval(Duration.ofMillis(100)).threads(2)
        .task(Task.sql(SQL_TASK, "SELECT 1").cron("0 3 * * *").pack("demo-sql").description("a SQL task on pg_cron").build())
        .task(Task.java(JAVA_TASK, ctx -> Thread.sleep(50)).cron("0 4 1 1 *").pack("demo-java")
            .description("a Java task on db-scheduler").build())
        .task(Task.java(FAILING_TASK, ctx -> {
          throw new IllegalStateException(XSS);
        }).trigger(Trigger.manual()).retry(RetryPolicy.none()).description("fails with markup in its message").build())
        .task(Task.java(SLOW_TASK, ctx -> {
          long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (!ctx.isCancelled() && System.nanoTime() < end) {
            Thread.sleep(50);
          }
        }).trigger(Trigger.manual()).retry(RetryPolicy.none()).description("runs until cancelled").build())
        .build().start();
    if (ap.monitor().task(SQL_TASK).orElseThrow().engine() != Engine.PG_CRON) {
      throw new AssertionError("pg_cron should run " + SQL_TASK + ": " + ap.monitor().health().pgCronReason());
    }
    return ap;
  }

  /** Adds finished attempts to job history, oldest first, one a second ending now. */
  static void history(TestDatabase db, String schema, int rows) throws SQLException {
    history(db, schema, rows, 1);
  }

  /** Adds finished attempts to job history, oldest first, one every {@code spacing} seconds ending now. */
  static void history(TestDatabase db, String schema, int rows, int spacing) throws SQLException {
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement("INSERT INTO \"" + schema
        + "\".job_history (task_name, execution_id, engine, outcome, attempt, instance, scheduled_at, started_at,"
        + " finished_at, duration_ms, error_class, error_message) VALUES (?, ?, ?, ?, 1, 'seed', ?, ?, ?, 10, ?, ?)")) {
      Instant now = Instant.now();
      for (int i = 0; i < rows; i++) {
        boolean failed = i % 10 == 0;
        boolean cron = i % 2 == 0;
        Instant t = now.minusSeconds((long) (rows - i) * spacing);
        ps.setString(1, cron ? "seeded-sql" : "seeded-java");
        ps.setString(2, "seed-" + i);
        ps.setString(3, cron ? "pg_cron" : "db-scheduler");
        ps.setString(4, failed ? "failed" : "succeeded");
        ps.setTimestamp(5, Timestamp.from(t));
        ps.setTimestamp(6, Timestamp.from(t));
        ps.setTimestamp(7, Timestamp.from(t));
        ps.setString(8, failed ? "org.example.SeedException" : null);
        ps.setString(9, failed ? "disk quota exceeded on row " + i : null);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  static void exec(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static <T> T value(Duration timeout, String what, java.util.function.Supplier<T> s) {
    Object[] v = new Object[1];
    await(timeout, what, () -> (v[0] = s.get()) != null);
    @SuppressWarnings("unchecked")
    T t = (T) v[0];
    return t;
  }

  static void await(Duration timeout, String what, BooleanSupplier ok) {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end) {
      if (ok.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }
}
