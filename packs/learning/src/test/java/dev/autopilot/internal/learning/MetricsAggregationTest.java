package dev.autopilot.internal.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class MetricsAggregationTest {

  static final String B = "'2026-01-05 10:00:00+00'::timestamptz";

  static List<String> rollups(TestDatabase db, String schema) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT to_char(bucket_start AT TIME ZONE 'UTC', 'HH24:MI'), scope, subject, count,"
            + " failures, p50_ms, p95_ms, max_ms FROM " + schema + ".metric_rollups ORDER BY 1, 2, 3")) {
      while (rs.next()) {
        out.add(String.join(" ", rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            String.valueOf(rs.getObject(6)), String.valueOf(rs.getObject(7)), String.valueOf(rs.getObject(8))));
      }
    }
    return out;
  }

  static void sql(TestDatabase db, String... statements) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  @Test
  void rollupsAreExactOnKnownEventsAndARerunChangesNothing(TestDatabase db) throws Exception {
    String sc = "m_exact";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db,
        // 100 events of task build / agent 7 in bucket 10:00, durations 1..100 ms, every 10th failed
        "INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, agent_id, duration_ms, success)"
            + " SELECT " + B + " + g * interval '2 seconds', 'build', 7, g, g % 10 <> 0 FROM generate_series(1, 100) g",
        // 3 events of build in bucket 10:05
        "INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, duration_ms, success) VALUES"
            + " (" + B + " + interval '5 minutes', 'build', 10, true), (" + B + " + interval '6 minutes', 'build', 20, false),"
            + " (" + B + " + interval '9 minutes 59 seconds', 'build', 30, true)",
        // job history of task nightly in bucket 10:00: 100 and 200 ms succeeded, 300 ms failed
        "INSERT INTO " + sc + ".job_history (task_name, execution_id, engine, outcome, started_at, finished_at, duration_ms)"
            + " VALUES ('nightly', 'r', 'db-scheduler', 'succeeded', " + B + ", " + B + " + interval '1 minute', 100),"
            + " ('nightly', 'r', 'db-scheduler', 'succeeded', " + B + ", " + B + " + interval '2 minutes', 200),"
            + " ('nightly', 'r', 'db-scheduler', 'failed', " + B + ", " + B + " + interval '3 minutes', 300)");
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "metrics-aggregation");
    new MetricsAggregation().run(ctx);
    List<String> expected = List.of(
        "10:00 agent 7 100 10 50.5 95.05 100.0",
        "10:00 task build 100 10 50.5 95.05 100.0",
        "10:00 task nightly 3 1 200.0 290.0 300.0",
        "10:05 task build 3 1 20.0 29.0 30.0");
    assertEquals(expected, rollups(db, sc));

    new MetricsAggregation().run(ctx);
    assertEquals(expected, rollups(db, sc), "re-run with no new rows");

    // A late event for bucket 10:00 recomputes that bucket only.
    sql(db, "INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, duration_ms, success)"
        + " VALUES (" + B + " + interval '4 minutes', 'build', 1000, true)");
    new MetricsAggregation().run(ctx);
    List<String> after = rollups(db, sc);
    assertEquals("10:00 task build 101 10 51.0 96.0 1000.0", after.get(1));
    assertEquals(List.of(expected.get(0), expected.get(2), expected.get(3)), List.of(after.get(0), after.get(2), after.get(3)));
  }

  @Test
  void absurdTelemetryIsCountedButKeptOutOfTheNumbers(TestDatabase db) throws Exception {
    String sc = "m_absurd";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, agent_id, duration_ms, success) VALUES"
        + " (" + B + ", 'weird', NULL, -5, true),"          // negative duration
        + " (" + B + ", 'weird', NULL, NULL, NULL),"        // nothing known but the task
        + " (" + B + ", 'weird', NULL, 1000000000000, true)," // 31 years
        + " (" + B + ", 'weird', NULL, 10, true),"
        + " (" + B + ", 'weird', NULL, 20, false),"
        + " (" + B + ", NULL, NULL, 50, false),"            // neither task nor agent
        + " (" + B + ", '', NULL, 50, false),"              // empty task name
        + " (now() + interval '1 day', 'weird', 3, 10, false)"); // from the future
    new MetricsAggregation().run(new TestTaskContext(db.dataSource(), sc, "metrics-aggregation"));
    assertEquals(List.of("10:00 task weird 5 1 15.0 19.5 20.0"), rollups(db, sc));
  }

  @Test
  void jobHistoryOutcomesCountAsFailuresOnlyWhenTheAttemptFailed(TestDatabase db) throws Exception {
    String sc = "m_outcomes";
    TestTaskContext.migrate(db.dataSource(), sc);
    StringBuilder values = new StringBuilder();
    String[] outcomes = {"succeeded", "skipped", "retrying", "failed", "dead"};
    for (int i = 0; i < outcomes.length; i++) {
      values.append(i == 0 ? "" : ",").append("('t', 'x', 'pg_cron', '").append(outcomes[i]).append("', ").append(B)
          .append(", ").append(B).append(" + interval '10 seconds', ").append(i * 10).append(")");
    }
    sql(db, "INSERT INTO " + sc + ".job_history (task_name, execution_id, engine, outcome, started_at, finished_at, duration_ms)"
        + " VALUES " + values);
    new MetricsAggregation().run(new TestTaskContext(db.dataSource(), sc, "metrics-aggregation"));
    assertEquals(List.of("10:00 task t 5 3 20.0 38.0 40.0"), rollups(db, sc));
  }
}
