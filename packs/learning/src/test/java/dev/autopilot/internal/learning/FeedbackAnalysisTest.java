package dev.autopilot.internal.learning;

import static dev.autopilot.internal.learning.MetricsAggregationTest.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class FeedbackAnalysisTest {

  static final Instant NOW = Instant.parse("2026-06-10T12:00:00Z");

  /** A rollup row {@code minutesAgo} before NOW. */
  static String rollup(String sc, int minutesAgo, String scope, String subject, int count, int failures, Double p95) {
    return "INSERT INTO " + sc + ".metric_rollups (bucket_start, scope, subject, count, failures, p50_ms, p95_ms, max_ms)"
        + " VALUES (timestamptz '" + NOW + "' - interval '" + minutesAgo + " minutes', '" + scope + "', '" + subject + "', "
        + count + ", " + failures + ", NULL, " + p95 + ", NULL)";
  }

  static List<String> feedback(TestDatabase db, String sc) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT kind, scope, subject, status FROM " + sc + ".feedback ORDER BY kind, subject, id")) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
      }
    }
    return out;
  }

  @Test
  void feedbackIsRaisedOncePerOpenProblemAndAgainOnlyAfterItWasResolved(TestDatabase db) throws Exception {
    String sc = "f_once";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db,
        rollup(sc, 30, "task", "flaky", 6, 2, null), rollup(sc, 10, "task", "flaky", 4, 1, null), // 30% failures
        rollup(sc, 30, "task", "fine", 10, 2, null),                                            // 20%: not above
        rollup(sc, 20, "task", "rare", 3, 3, null),                                             // too few events
        rollup(sc, 90, "task", "old", 10, 10, null),                                            // outside the window
        rollup(sc, 15, "agent", "5", 20, 8, null),                                              // 60% success
        rollup(sc, 15, "agent", "6", 20, 6, null));                                             // 70%: not below
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "feedback-analysis").at(NOW);
    FeedbackAnalysis task = new FeedbackAnalysis();
    task.run(ctx);
    task.run(ctx);
    List<String> open = List.of("agent-success agent 5 open", "failure-rate task flaky open");
    assertEquals(open, feedback(db, sc));

    // flaky recovers: resolved; then fails again: a new row, the old one stays resolved
    sql(db, "UPDATE " + sc + ".metric_rollups SET failures = 0 WHERE subject = 'flaky'");
    task.run(ctx);
    assertEquals(List.of("agent-success agent 5 open", "failure-rate task flaky resolved"), feedback(db, sc));
    sql(db, "UPDATE " + sc + ".metric_rollups SET failures = 5 WHERE subject = 'flaky'");
    task.run(ctx);
    task.run(ctx);
    assertEquals(List.of("agent-success agent 5 open", "failure-rate task flaky resolved", "failure-rate task flaky open"),
        feedback(db, sc));
  }

  @Test
  void p95SlowdownOfMoreThanHalfWeekOverWeekIsRaised(TestDatabase db) throws Exception {
    String sc = "f_slow";
    TestTaskContext.migrate(db.dataSource(), sc);
    int day = 24 * 60;
    sql(db,
        rollup(sc, 10 * day, "task", "slow", 10, 0, 100.0), rollup(sc, 2 * day, "task", "slow", 5, 0, 140.0),
        rollup(sc, day, "task", "slow", 5, 0, 180.0),                                             // 160 vs 100
        rollup(sc, 10 * day, "task", "steady", 10, 0, 100.0), rollup(sc, day, "task", "steady", 10, 0, 150.0), // exactly 50%
        rollup(sc, 10 * day, "agent", "9", 10, 0, 50.0), rollup(sc, day, "agent", "9", 10, 0, 80.0),
        rollup(sc, 10 * day, "task", "new", 2, 0, 10.0), rollup(sc, day, "task", "new", 10, 0, 100.0)); // too little history
    new FeedbackAnalysis().run(new TestTaskContext(db.dataSource(), sc, "feedback-analysis").at(NOW));
    assertEquals(List.of("p95-slowdown agent 9 open", "p95-slowdown task slow open"), feedback(db, sc));
  }
}
