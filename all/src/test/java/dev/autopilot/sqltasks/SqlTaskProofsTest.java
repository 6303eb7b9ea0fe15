package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static dev.autopilot.sqltasks.SqlTaskFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Migrator;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** TASKS.md proofs of the agent, pattern, sync, cache and metrics procedures, on data made here. */
@ExtendWith(PostgresExtension.class)
class SqlTaskProofsTest {

  static Connection migrated(TestDatabase db, String schema) throws SQLException {
    new Migrator(db.dataSource(), schema, SqlTaskProofsTest.class.getClassLoader(), "").migrate();
    Connection c = db.connect();
    exec(c, "SET search_path TO " + schema + ", public");
    return c;
  }

  @Test
  void concurrentAssignmentRunsNeverAssignOneTaskTwiceOrOneAgentTwoTasks(TestDatabase db) throws Exception {
    try (Connection a = migrated(db, "assign"); Connection b = db.connect()) {
      exec(a, "INSERT INTO agents(name, capabilities) SELECT 'j' || g, '{java}' FROM generate_series(1, 10) g",
          "INSERT INTO agents(name, capabilities) SELECT 's' || g, '{java,sql}' FROM generate_series(1, 5) g",
          "INSERT INTO agent_tasks(title, required_capabilities, priority) SELECT 'jt' || g, '{java}', 0 FROM generate_series(1, 30) g",
          "INSERT INTO agent_tasks(title, required_capabilities, priority) SELECT 'st' || g, '{sql}', 0 FROM generate_series(1, 8) g",
          "INSERT INTO agent_tasks(title, required_capabilities, priority) VALUES ('urgent', '{java}', 10)");
      a.setAutoCommit(false);
      exec(a, "CALL assign.task_assignment()"); // holds its tasks and agents until commit
      exec(b, "SET statement_timeout = '5s'", "CALL assign.task_assignment()"); // skips them, does not wait
      a.commit();
      a.setAutoCommit(true);
      exec(b, "CALL assign.task_assignment()");
      assertEquals(15, count(a, "SELECT count(*) FROM agent_tasks WHERE status = 'assigned'"));
      assertEquals(15, count(a, "SELECT count(DISTINCT agent_id) FROM agent_tasks WHERE status = 'assigned'"));
      assertEquals(15, count(a, "SELECT count(*) FROM agents WHERE status = 'busy'"));
      assertEquals(0, count(a, "SELECT count(*) FROM agent_tasks t JOIN agents g ON g.id = t.agent_id"
          + " WHERE NOT g.capabilities @> t.required_capabilities"), "capabilities cover every assignment");
      assertEquals(1, count(a, "SELECT count(*) FROM agent_tasks WHERE title = 'urgent' AND status = 'assigned'"));
      assertEquals(0, count(a, "SELECT count(*) FROM agent_tasks WHERE status = 'assigned' AND attempts <> 0"));

      // stale: two assignments older than 30 min whose agents went away; one on its 5th attempt
      exec(a, "UPDATE agents SET status = 'offline' WHERE id IN (SELECT agent_id FROM agent_tasks WHERE title IN ('jt1', 'jt2'))",
          "UPDATE agent_tasks SET assigned_at = now() - interval '31 minutes' WHERE title IN ('jt1', 'jt2')",
          "UPDATE agent_tasks SET attempts = 4 WHERE title = 'jt2'",
          "UPDATE agent_tasks SET assigned_at = now() - interval '29 minutes' WHERE title = 'jt3'");
      exec(a, "CALL task_assignment()");
      assertEquals(List.of(java.util.Arrays.asList("jt1", "pending", "1", null),
          java.util.Arrays.asList("jt2", "failed", "5", null), List.of("jt3", "assigned", "0", "t")), rows(a, "SELECT title, status, attempts::text,"
              + " CASE WHEN agent_id IS NOT NULL THEN 't' END FROM agent_tasks WHERE title IN ('jt1', 'jt2', 'jt3') ORDER BY title"));
    }
  }

  @Test
  void patternCountsAreExactAfterTwoRunsAndAnEmptyRunChangesNothing(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "patterns")) {
      exec(c, "INSERT INTO pattern_observations(pattern_key, success) VALUES"
          + " ('k1', true), ('k1', true), ('k1', true), ('k1', false), ('k2', false), ('k2', false)",
          "CALL pattern_learning()",
          "INSERT INTO pattern_observations(pattern_key, success) VALUES ('k1', true), ('k1', false), ('k3', true)",
          "CALL pattern_learning()");
      List<List<String>> r = rows(c, "SELECT pattern_key, usage_count, success_count, confidence FROM learned_patterns ORDER BY 1");
      assertEquals(3, r.size());
      check(r.get(0), "k1", 6, 4);
      check(r.get(1), "k2", 2, 0);
      check(r.get(2), "k3", 1, 1);
      String before = rows(c, "SELECT * FROM learned_patterns ORDER BY 1").toString();
      exec(c, "CALL pattern_learning()");
      assertEquals(before, rows(c, "SELECT * FROM learned_patterns ORDER BY 1").toString(), "re-run changes nothing");
    }
  }

  private static void check(List<String> row, String key, long n, long s) {
    assertEquals(key, row.get(0));
    assertEquals(n, Long.parseLong(row.get(1)));
    assertEquals(s, Long.parseLong(row.get(2)));
    double p = (double) s / n;
    double z = 1.96;
    double wilson = (p + z * z / (2 * n) - z * Math.sqrt((p * (1 - p) + z * z / (4 * n)) / n)) / (1 + z * z / n);
    assertEquals(wilson, Double.parseDouble(row.get(3)), 1e-12, "Wilson lower bound of " + key);
  }

  @Test
  void hubHoldsExactlyTheChangedRowsAndAFailedPushRetriesWithoutDuplicates(TestDatabase db) throws Exception {
    String hubUrl = db.createSiblingDatabase("hub");
    String hubDb = hubUrl.substring(hubUrl.lastIndexOf('/') + 1, hubUrl.indexOf('?'));
    int port = db.cluster().orElseThrow().port();
    try (Connection c = migrated(db, "sync"); Connection hub = db.cluster().orElseThrow().connect(hubDb)) {
      exec(c, "CALL centralcloud_sync()");
      assertEquals("no hub configured (call configure_hub)",
          rows(c, "SELECT value FROM task_state WHERE task_name = 'centralcloud-sync' AND key = 'skipped'").get(0).get(0));
      exec(hub, "CREATE TABLE fleet_patterns (instance_id text NOT NULL, pattern_key text NOT NULL,"
          + " usage_count bigint NOT NULL, success_count bigint NOT NULL, confidence double precision NOT NULL,"
          + " last_seen timestamptz, updated_at timestamptz NOT NULL, change_seq bigint NOT NULL,"
          + " pushed_at timestamptz NOT NULL DEFAULT clock_timestamp(), PRIMARY KEY (instance_id, pattern_key))");
      exec(c, "CALL configure_hub('127.0.0.1', " + port + ", '" + hubDb + "', 'postgres', '', p_instance_id => 'node-a')",
          "INSERT INTO pattern_observations(pattern_key, success) SELECT 'k' || (g % 3), true FROM generate_series(1, 9) g",
          "CALL pattern_learning()", "CALL centralcloud_sync()");
      assertEquals(List.of(List.of("node-a", "k0", "3"), List.of("node-a", "k1", "3"), List.of("node-a", "k2", "3")),
          rows(hub, "SELECT instance_id, pattern_key, usage_count FROM fleet_patterns ORDER BY 2"));
      exec(hub, "UPDATE fleet_patterns SET pushed_at = '2000-01-01'");
      exec(c, "INSERT INTO pattern_observations(pattern_key, success) VALUES ('k1', false)",
          "CALL pattern_learning()", "CALL centralcloud_sync()");
      assertEquals(List.of(List.of("k1", "4")),
          rows(hub, "SELECT pattern_key, usage_count FROM fleet_patterns WHERE pushed_at > '2000-01-01' ORDER BY 1"),
          "only the changed row was pushed");

      exec(hub, "ALTER TABLE fleet_patterns RENAME TO fleet_patterns_away");
      exec(c, "INSERT INTO pattern_observations(pattern_key, success) VALUES ('k2', false), ('k9', true)",
          "CALL pattern_learning()");
      assertThrows(SQLException.class, () -> exec(c, "CALL centralcloud_sync()"), "hub table gone: the push fails");
      exec(hub, "ALTER TABLE fleet_patterns_away RENAME TO fleet_patterns");
      exec(c, "CALL centralcloud_sync()", "CALL centralcloud_sync()");
      assertEquals(rows(c, "SELECT pattern_key, usage_count, success_count, confidence FROM learned_patterns ORDER BY 1"),
          rows(hub, "SELECT pattern_key, usage_count, success_count, confidence FROM fleet_patterns ORDER BY 1"),
          "after the retry the hub holds every pattern exactly once, with current counts");
    }
  }

  @Test
  void cacheCleanupDeletesOnlyExpiredRowsInBatches(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "cache")) {
      exec(c, "INSERT INTO package_cache(cache_key, ecosystem, name, expires_at) SELECT 'k' || g, 'npm', 'p' || g,"
          + " now() + CASE WHEN g % 10 = 0 THEN -interval '1 second' * g ELSE interval '1 hour' END FROM generate_series(1, 1000) g",
          "CALL cache_cleanup_expired(p_batch => 30)");
      assertEquals(900, count(c, "SELECT count(*) FROM package_cache"));
      assertEquals(0, count(c, "SELECT count(*) FROM package_cache WHERE expires_at <= now()"));
      assertEquals(900, count(c, "SELECT count(*) FROM package_cache WHERE (substr(cache_key, 2)::int) % 10 <> 0"),
          "every unexpired row is still there");
      assertEquals(List.of(List.of("100", "4")), rows(c, "SELECT value::jsonb->>'deleted', value::jsonb->>'batches'"
          + " FROM task_state WHERE task_name = 'cache-cleanup-expired'"));
    }
  }

  @Test
  void metricsViewsReflectNewRollupsAndRefreshDoesNotWaitForReaders(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "metrics"); Connection reader = db.connect()) {
      exec(c, "INSERT INTO metric_rollups VALUES (date_trunc('hour', now()) - interval '1 hour', 'task', 'a', 10, 2, 5, 9, 12),"
          + " (date_trunc('hour', now()) - interval '3 days', 'task', 'a', 5, 5, 1, 2, 3),"
          + " (date_trunc('hour', now()) - interval '2 hours', 'agent', 'bot', 4, 1, 7, 8, 9)",
          "CALL metrics_refresh()");
      assertEquals(List.of(List.of("24h", "10", "0.2", "12"), List.of("7d", "15", "0.4666666666666667", "12")),
          rows(c, "SELECT period, runs, failure_rate, max_ms FROM task_performance WHERE task_name = 'a' ORDER BY 1"));
      assertEquals(List.of(List.of("24h", "0.75")), rows(c, "SELECT period, success_rate FROM agent_performance WHERE period = '24h'"));
      reader.setAutoCommit(false);
      reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      assertEquals(2, count(reader, "SELECT count(*) FROM metrics.task_performance")); // holds its lock until commit
      exec(c, "INSERT INTO metric_rollups VALUES (date_trunc('hour', now()) - interval '30 minutes', 'task', 'b', 1, 0, 1, 1, 1)",
          "SET lock_timeout = '3s'", "CALL metrics_refresh()", "RESET lock_timeout");
      assertEquals(2, count(reader, "SELECT count(*) FROM metrics.task_performance"), "the reader's snapshot is undisturbed");
      reader.commit();
      assertEquals(4, count(reader, "SELECT count(*) FROM metrics.task_performance"), "b is in both windows now");
    }
  }

  @Test
  void hotPackagesRankByUsageAndPrewarmIsIdempotent(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "hot")) {
      exec(c, "INSERT INTO package_usage(codebase, manifest_path, ecosystem, name) SELECT 'cb' || g, 'pom.xml', 'maven', 'guava'"
          + " FROM generate_series(1, 3) g",
          "INSERT INTO package_usage(codebase, manifest_path, ecosystem, name) VALUES ('cb1', 'package.json', 'npm', 'left-pad')",
          "INSERT INTO package_registry(ecosystem, name, version) VALUES ('maven', 'guava', '33.0'), ('npm', 'left-pad', '1.3.0')",
          "CALL cache_refresh_hot_packages()", "CALL cache_prewarm_hot_packages()");
      assertEquals(List.of(List.of("maven", "guava", "33.0", "3", "1"), List.of("npm", "left-pad", "1.3.0", "1", "2")),
          rows(c, "SELECT ecosystem, name, version, usage_count, rank FROM hot_packages ORDER BY rank"));
      String first = rows(c, "SELECT * FROM package_cache ORDER BY 1").toString();
      assertTrue(first.contains("maven:guava:33.0"), first);
      exec(c, "CALL cache_prewarm_hot_packages()");
      assertEquals(first, rows(c, "SELECT * FROM package_cache ORDER BY 1").toString(), "second run changes nothing");
    }
  }

  @Test
  void tableStatisticsSnapshotsEveryTableAndAnalyzesTheStaleOne(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "stats")) {
      exec(c, "ANALYZE stats.telemetry_events",
          "INSERT INTO telemetry_events(task_name, duration_ms) SELECT 't', g FROM generate_series(1, 1000) g");
      exec(c, "SELECT pg_stat_force_next_flush()");
      exec(c, "SELECT 1");
      exec(c, "CALL table_statistics()");
      assertTrue(count(c, "SELECT count(DISTINCT table_name) FROM table_stats_history") >= 30, "a row per table");
      assertEquals(List.of(List.of("telemetry_events", "t", "1000")), rows(c, "SELECT table_name, analyzed_now,"
          + " n_mod_since_analyze FROM table_stats_history WHERE analyzed_now"));
      exec(c, "SELECT pg_stat_force_next_flush()");
      exec(c, "SELECT 1");
      assertEquals(0, count(c, "SELECT n_mod_since_analyze FROM pg_stat_user_tables WHERE schemaname = 'stats'"
          + " AND relname = 'telemetry_events'"), "ANALYZE ran");
    }
  }
}
