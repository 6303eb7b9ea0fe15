package dev.autopilot.internal.learning;

import static dev.autopilot.internal.learning.MetricsAggregationTest.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.learning.PatternCache;
import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** How long the learning loop's tasks take at a realistic volume; prints numbers. */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class LearningBenchmarkTest {

  @Test
  void aggregationAnalysisAndPatternSyncAtVolume(TestDatabase db) throws Exception {
    String sc = "lbench";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, agent_id, duration_ms, success)"
        + " SELECT now() - (g % 86400) * interval '1 second', 'task-' || (g % 20), g % 10, (g * 37) % 5000, g % 9 <> 0"
        + " FROM generate_series(1, 300000) g",
        "INSERT INTO " + sc + ".learned_patterns (pattern_key, usage_count, success_count, confidence, data)"
            + " SELECT 'pattern-' || g, g % 100, g % 50, (g % 100) / 100.0, jsonb_build_object('k', md5(g::text))"
            + " FROM generate_series(1, 20000) g",
        "ANALYZE");
    TestTaskContext agg = new TestTaskContext(db.dataSource(), sc, "metrics-aggregation");
    long t0 = System.nanoTime();
    new MetricsAggregation().run(agg);
    long full = (System.nanoTime() - t0) / 1_000_000;
    sql(db, "INSERT INTO " + sc + ".telemetry_events (task_name, agent_id, duration_ms, success)"
        + " SELECT 'task-' || (g % 20), g % 10, g, true FROM generate_series(1, 1000) g");
    t0 = System.nanoTime();
    new MetricsAggregation().run(agg);
    long incremental = (System.nanoTime() - t0) / 1_000_000;
    t0 = System.nanoTime();
    new FeedbackAnalysis().run(new TestTaskContext(db.dataSource(), sc, "feedback-analysis"));
    long analysis = (System.nanoTime() - t0) / 1_000_000;

    InMemoryPatternCache cache = new InMemoryPatternCache();
    TestTaskContext ps = new TestTaskContext(db.dataSource(), sc, "pattern-sync").service(PatternCache.class, cache);
    t0 = System.nanoTime();
    new PatternSync().run(ps);
    long sync = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(20000, cache.size());
    List<String> parts = NotifyPublisher.payloads(new dev.autopilot.learning.EventPublisher.Event("patterns",
        cache.all().stream().map(PatternCache.Pattern::key).toList(), List.of()));
    t0 = System.nanoTime();
    new PatternSync().run(ps);
    long unchanged = (System.nanoTime() - t0) / 1_000_000;
    long q0 = System.nanoTime();
    int hits = 0;
    for (int i = 0; i < 1_000_000; i++) {
      hits += cache.get("pattern-" + (i % 20000 + 1)).isPresent() ? 1 : 0;
    }
    long lookupNs = (System.nanoTime() - q0) / 1_000_000;
    assertTrue(hits == 1_000_000);
    System.out.printf("[measure] metrics-aggregation over 300k events (24 h, 20 tasks, 10 agents): first run %d ms,"
            + " incremental run after 1000 new events %d ms; feedback-analysis %d ms; pattern-sync of 20k patterns %d ms"
            + " (%d NOTIFY parts), unchanged re-run %d ms; 1M PatternCache.get %d ms%n",
        full, incremental, analysis, sync, parts.size(), unchanged, lookupNs);
  }
}
