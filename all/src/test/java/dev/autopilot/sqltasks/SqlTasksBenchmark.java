package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static dev.autopilot.sqltasks.SqlTaskFixtures.rows;
import static dev.autopilot.sqltasks.SqlTaskProofsTest.migrated;

import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Numbers for the report; prints, never asserts on time. Run with
 * {@code ./mvnw -B -o verify -pl all -am -Dtest=SqlTasksBenchmark -Dgroups=benchmark
 * -DexcludedGroups=none -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class SqlTasksBenchmark {

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * pagerank-recalculation against a Java job doing the same work over JDBC (load the graph,
   * iterate in memory, write the ranks back with one UPDATE), interleaved rounds on the same
   * graph; ranks reset to NULL before every run so both write all of them.
   */
  @Test
  void pageRankAndGraphPopulateOn100kNodesAnd1MEdges(TestDatabase db) throws Exception {
    int n = 100_000;
    int rounds = Integer.getInteger("bench.rounds", 5);
    try (Connection c = migrated(db, "bench_graph")) {
      long t0 = System.nanoTime();
      exec(c, "SELECT setseed(0.42)",
          "INSERT INTO graph_nodes(id, codebase, path) SELECT g, 'c', 'f' || g FROM generate_series(1, " + n + ") g",
          // skewed targets (a few popular modules), 2% of nodes without out-edges (dangling)
          "INSERT INTO graph_edges(source_id, target_id, kind)"
              + " SELECT 1 + floor(random() * " + (n * 98 / 100) + ")::int, 1 + floor(power(random(), 2) * " + n + ")::int, 'import'"
              + " FROM generate_series(1, 1010000) ON CONFLICT DO NOTHING",
          "DELETE FROM graph_edges WHERE ctid IN (SELECT ctid FROM graph_edges OFFSET 1000000)",
          "VACUUM ANALYZE graph_edges", "VACUUM ANALYZE graph_nodes");
      System.out.printf("BENCH graph generated: %d nodes, %d edges in %d ms%n", count(c, "SELECT count(*) FROM graph_nodes"),
          count(c, "SELECT count(*) FROM graph_edges"), ms(t0));
      t0 = System.nanoTime();
      exec(c, "CALL graph_populate()");
      System.out.printf("BENCH graph-populate: %d ms (first run)%n", ms(t0));
      t0 = System.nanoTime();
      exec(c, "CALL graph_populate()");
      System.out.printf("BENCH graph-populate: %d ms (re-run, nothing changes)%n", ms(t0));

      installV007Procedure(c);
      List<Long> sqlMs = new ArrayList<>();
      List<Long> v007Ms = new ArrayList<>();
      List<Long> javaMs = new ArrayList<>();
      double[] fromJava = null;
      for (int round = 1; round <= rounds; round++) {
        reset(c);
        t0 = System.nanoTime();
        exec(c, "CALL bench_pagerank_v007()");
        v007Ms.add(ms(t0));
        System.out.printf("BENCH round %d V007 procedure (before): %d ms%n", round, v007Ms.get(v007Ms.size() - 1));
        reset(c);
        t0 = System.nanoTime();
        exec(c, "CALL pagerank_recalculation()");
        sqlMs.add(ms(t0));
        System.out.printf("BENCH round %d pagerank_recalculation(): %d ms, %s%n", round, sqlMs.get(sqlMs.size() - 1),
            rows(c, "SELECT value FROM task_state WHERE task_name = 'pagerank-recalculation'").get(0).get(0));
        reset(c);
        t0 = System.nanoTime();
        JavaPageRankJob.Phases phases = JavaPageRankJob.run(c, 0.85, 1e-6, 50);
        javaMs.add(ms(t0));
        fromJava = phases.ranks();
        System.out.printf("BENCH round %d Java job: %d ms (load %d, compute %d, write %d), %d iterations%n", round,
            javaMs.get(javaMs.size() - 1), phases.loadMs(), phases.computeMs(), phases.writeMs(), phases.iterations());
      }
      reset(c);
      exec(c, "CALL pagerank_recalculation()");
      double maxDiff = 0;
      double sum = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, pagerank FROM graph_nodes")) {
        while (rs.next()) {
          maxDiff = Math.max(maxDiff, Math.abs(rs.getDouble(2) - fromJava[rs.getInt(1) - 1]));
          sum += rs.getDouble(2);
        }
      }
      long sqlMedian = median(sqlMs);
      long javaMedian = median(javaMs);
      System.out.printf("BENCH pagerank %d interleaved rounds: procedure %s ms (median %d), Java job %s ms (median %d),"
          + " ratio procedure/Java %.2f; V007 procedure %s ms (median %d, ratio to Java %.2f); max |SQL - Java| = %.3g,"
          + " sum = %.15f%n", rounds, sqlMs, sqlMedian, javaMs, javaMedian, (double) sqlMedian / javaMedian, v007Ms,
          median(v007Ms), (double) median(v007Ms) / javaMedian, maxDiff, sum);
    }
  }

  /** V007's pagerank procedure under another name, to measure before and after in the same run. */
  private static void installV007Procedure(Connection c) throws Exception {
    String v007;
    try (java.io.InputStream in = SqlTasksBenchmark.class.getClassLoader().getResourceAsStream("db/autopilot/code/V007__graph.sql")) {
      v007 = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    String proc = v007.substring(v007.indexOf("CREATE PROCEDURE pagerank_recalculation("))
        .replace("CREATE PROCEDURE pagerank_recalculation(", "CREATE PROCEDURE bench_pagerank_v007(");
    exec(c, proc);
  }

  private static void reset(Connection c) throws Exception {
    exec(c, "UPDATE graph_nodes SET pagerank = NULL", "VACUUM graph_nodes");
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    java.util.Collections.sort(s);
    return s.get(s.size() / 2);
  }

  @Test
  void cacheCleanupOn1MRowsWith10PercentExpired(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "bench_cache")) {
      for (int batch : new int[] {1000, 5000, 20000}) {
        fill(c, 1_000_000, 10);
        long t0 = System.nanoTime();
        exec(c, "CALL cache_cleanup_expired(p_batch => " + batch + ")");
        System.out.printf("BENCH cache-cleanup-expired 1M rows, 10%% expired, batch %d: %d ms over JDBC, %s, left %d%n",
            batch, ms(t0), rows(c, "SELECT value FROM task_state WHERE task_name = 'cache-cleanup-expired'").get(0).get(0),
            count(c, "SELECT count(*) FROM package_cache"));
      }
      fill(c, 1_000_000, 10);
      long t0 = System.nanoTime();
      exec(c, "DELETE FROM package_cache WHERE expires_at <= now()");
      System.out.printf("BENCH single DELETE of the same 100k rows (one transaction, all locks held to the end): %d ms%n", ms(t0));
    }
  }

  private static void fill(Connection c, int rows, int expiredPercent) throws Exception {
    exec(c, "TRUNCATE package_cache",
        "INSERT INTO package_cache(cache_key, ecosystem, name, version, expires_at)"
            + " SELECT 'maven:pkg' || g || ':1.0', 'maven', 'pkg' || g, '1.0',"
            + " now() + CASE WHEN g % 100 < " + expiredPercent + " THEN -interval '1 hour' ELSE interval '1 day' END"
            + " FROM generate_series(1, " + rows + ") g",
        "VACUUM ANALYZE package_cache");
  }

  /**
   * The same procedure called by pg_cron and over JDBC, and the same work done by Java over JDBC
   * (select the expired keys, delete them in batches): where the seeds' 5-20x can come from.
   */
  @Test
  void sameProcedureThroughPgCronAndThroughJdbcAndTheJavaEquivalent(TestDatabase db) throws Exception {
    int rows = 1_000_000;
    try (Connection c = migrated(db, "bench_engine"); Connection cron = SqlTaskFixtures.cronDb(db)) {
      Map<String, List<Long>> results = new HashMap<>();
      for (int round = 0; round < 2; round++) {
        fill(c, rows, 10);
        long t0 = System.nanoTime();
        exec(c, "CALL cache_cleanup_expired()");
        results.computeIfAbsent("jdbc CALL (wall, client)", k -> new ArrayList<>()).add(ms(t0));
        results.computeIfAbsent("jdbc CALL (inside procedure)", k -> new ArrayList<>()).add(
            (long) Double.parseDouble(rows(c, "SELECT value::jsonb->>'total_ms' FROM task_state"
                + " WHERE task_name = 'cache-cleanup-expired'").get(0).get(0)));

        fill(c, rows, 10);
        exec(cron, "SELECT cron.schedule_in_database('bench-cleanup', '* * * * *', 'CALL bench_engine.cache_cleanup_expired()', '"
            + db.name() + "')");
        long deadline = System.currentTimeMillis() + 90_000;
        List<List<String>> run = List.of();
        while (System.currentTimeMillis() < deadline && run.isEmpty()) {
          Thread.sleep(500);
          run = rows(cron, "SELECT d.status, round(extract(epoch FROM d.end_time - d.start_time) * 1000)::text"
              + " FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.jobname = 'bench-cleanup'"
              + " AND d.status IN ('succeeded', 'failed')");
        }
        exec(cron, "SELECT cron.unschedule('bench-cleanup')", "DELETE FROM cron.job_run_details WHERE jobid NOT IN (SELECT jobid FROM cron.job)");
        System.out.println("BENCH pg_cron run: " + run);
        results.computeIfAbsent("pg_cron run (start..end)", k -> new ArrayList<>()).add(Long.parseLong(run.get(0).get(1)));
        results.computeIfAbsent("pg_cron CALL (inside procedure)", k -> new ArrayList<>()).add(
            (long) Double.parseDouble(rows(c, "SELECT value::jsonb->>'total_ms' FROM task_state"
                + " WHERE task_name = 'cache-cleanup-expired'").get(0).get(0)));

        fill(c, rows, 10);
        t0 = System.nanoTime();
        javaEquivalent(c, 5000);
        results.computeIfAbsent("Java logic over JDBC (select keys, batch delete)", k -> new ArrayList<>()).add(ms(t0));
        if (count(c, "SELECT count(*) FROM package_cache WHERE expires_at <= now()") != 0) {
          throw new AssertionError("java equivalent left expired rows");
        }
      }
      results.forEach((k, v) -> System.out.printf("BENCH delete 100k of 1M expired rows, %s: %s ms%n", k, v));
    }
  }

  /** What an application would do without the procedure: fetch the keys, delete them by key in batches. */
  private static void javaEquivalent(Connection c, int batch) throws Exception {
    c.setAutoCommit(true);
    while (true) {
      List<String> keys = new ArrayList<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT cache_key FROM bench_engine.package_cache"
          + " WHERE expires_at <= now() ORDER BY expires_at LIMIT ?")) {
        ps.setInt(1, batch);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            keys.add(rs.getString(1));
          }
        }
      }
      if (keys.isEmpty()) {
        return;
      }
      c.setAutoCommit(false);
      try (PreparedStatement del = c.prepareStatement("DELETE FROM bench_engine.package_cache WHERE cache_key = ?")) {
        for (String k : keys) {
          del.setString(1, k);
          del.addBatch();
        }
        del.executeBatch();
      }
      c.commit();
      c.setAutoCommit(true);
    }
  }
}
