package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static dev.autopilot.sqltasks.SqlTaskFixtures.rows;
import static dev.autopilot.sqltasks.SqlTaskProofsTest.migrated;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** TASKS.md proofs of the graph, cleanup, statistics, backup and planning procedures. */
@ExtendWith(PostgresExtension.class)
class SqlMaintenanceProofsTest {

  @Test
  void pageRankMatchesTheReferenceWithin1e6AndSumsToOne(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "rank")) {
      int n = 2000;
      Random rnd = new Random(42);
      TreeSet<Long> pairs = new TreeSet<>();
      while (pairs.size() < 9000) {
        int s = rnd.nextInt(n - 200); // the last 200 nodes have no out-edges: dangling
        int t = rnd.nextInt(n);
        pairs.add((long) s * n + t);
      }
      exec(c, "INSERT INTO graph_nodes(id, codebase, path) SELECT g, 'c', 'f' || g FROM generate_series(1, " + n + ") g");
      StringBuilder sql = new StringBuilder("INSERT INTO graph_edges(source_id, target_id, kind) VALUES ");
      int[] src = new int[pairs.size()];
      int[] dst = new int[pairs.size()];
      int i = 0;
      for (long p : pairs) {
        src[i] = (int) (p / n);
        dst[i] = (int) (p % n);
        sql.append(i == 0 ? "" : ",").append('(').append(src[i] + 1).append(',').append(dst[i] + 1).append(",'import')");
        i++;
      }
      exec(c, sql.toString(), "INSERT INTO graph_edges(source_id, target_id, kind) SELECT source_id, target_id, 'call'"
          + " FROM graph_edges WHERE source_id % 7 = 0"); // a second kind of the same edge counts once
      exec(c, "CALL pagerank_recalculation()");
      PageRankReference ref = new PageRankReference();
      double[] expected = ref.run(n, src, dst, 0.85, 1e-6, 50);
      double[] exact = new PageRankReference().run(n, src, dst, 0.85, 1e-15, 1000);
      double maxDiff = 0;
      double maxFromExact = 0;
      double sum = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, pagerank FROM graph_nodes ORDER BY id")) {
        while (rs.next()) {
          int k = rs.getInt(1) - 1;
          maxDiff = Math.max(maxDiff, Math.abs(rs.getDouble(2) - expected[k]));
          maxFromExact = Math.max(maxFromExact, Math.abs(rs.getDouble(2) - exact[k]));
          sum += rs.getDouble(2);
        }
      }
      assertTrue(maxDiff < 1e-12, "same iteration as the reference: " + maxDiff);
      assertTrue(maxFromExact < 1e-6, "within 1e-6 of the converged ranks: " + maxFromExact);
      assertEquals(1.0, sum, 1e-9);
      assertEquals(String.valueOf(ref.iterations), rows(c, "SELECT value::jsonb->>'iterations' FROM task_state"
          + " WHERE task_name = 'pagerank-recalculation'").get(0).get(0));
    }
  }

  /**
   * Ids far apart (the procedure maps them through a join instead of a direct array), edges of
   * several kinds, self-loops and dangling nodes; a re-run on the unchanged graph rewrites no row.
   */
  @Test
  void pageRankOnSparseIdsMatchesTheReferenceAndARerunWritesNothing(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "rank_sparse")) {
      int n = 500;
      Random rnd = new Random(7);
      TreeSet<Long> pairs = new TreeSet<>();
      while (pairs.size() < 3000) {
        int s = rnd.nextInt(n - 50); // the last 50 nodes are dangling
        int t = rnd.nextInt(n);
        pairs.add((long) s * n + t);
      }
      for (int k = 0; k < n - 50; k += 9) {
        pairs.add((long) k * n + k); // self-loops count like any edge
      }
      // ids 1000, 1000 + 7919, ...: far too sparse for a direct id -> index array
      exec(c, "INSERT INTO graph_nodes(id, codebase, path) SELECT 1000 + g * 7919, 'c', 'f' || g FROM generate_series(0, "
          + (n - 1) + ") g");
      StringBuilder sql = new StringBuilder("INSERT INTO graph_edges(source_id, target_id, kind) VALUES ");
      int[] src = new int[pairs.size()];
      int[] dst = new int[pairs.size()];
      int i = 0;
      for (long p : pairs) {
        src[i] = (int) (p / n);
        dst[i] = (int) (p % n);
        sql.append(i == 0 ? "" : ",").append('(').append(1000 + src[i] * 7919L).append(',')
            .append(1000 + dst[i] * 7919L).append(",'import')");
        i++;
      }
      exec(c, sql.toString(), "INSERT INTO graph_edges(source_id, target_id, kind) SELECT source_id, target_id, 'call'"
          + " FROM graph_edges WHERE source_id % 3 = 0", "CALL pagerank_recalculation()");
      PageRankReference ref = new PageRankReference();
      double[] expected = ref.run(n, src, dst, 0.85, 1e-6, 50);
      double maxDiff = 0;
      double sum = 0;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, pagerank FROM graph_nodes")) {
        while (rs.next()) {
          int k = (int) ((rs.getLong(1) - 1000) / 7919);
          maxDiff = Math.max(maxDiff, Math.abs(rs.getDouble(2) - expected[k]));
          sum += rs.getDouble(2);
        }
      }
      assertTrue(maxDiff < 1e-12, "same iteration as the reference: " + maxDiff);
      assertEquals(1.0, sum, 1e-9);
      assertEquals(List.of(List.of(String.valueOf(ref.iterations), String.valueOf(src.length))), rows(c,
          "SELECT value::jsonb->>'iterations', value::jsonb->>'edges' FROM task_state WHERE task_name = 'pagerank-recalculation'"));
      String versions = rows(c, "SELECT id, xmin::text FROM graph_nodes ORDER BY id").toString();
      exec(c, "CALL pagerank_recalculation()");
      assertEquals(versions, rows(c, "SELECT id, xmin::text FROM graph_nodes ORDER BY id").toString(), "no row rewritten");
    }
  }

  /** A cycle 1 -> 2 -> 3 -> 1 (one edge of two kinds), 4 -> 3 with nobody linking to 4, and 5 with no edges (dangling). */
  @Test
  void pageRankOnAKnownGraphMatchesTheReference(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "rank_known")) {
      exec(c, "INSERT INTO graph_nodes(id, codebase, path) SELECT g, 'c', 'f' || g FROM generate_series(1, 5) g",
          "INSERT INTO graph_edges(source_id, target_id, kind) VALUES (1, 2, 'import'), (2, 3, 'import'),"
          + " (3, 1, 'import'), (3, 1, 'call'), (4, 3, 'import')",
          "CALL pagerank_recalculation()");
      double[] expected = new PageRankReference().run(5, new int[] {0, 1, 2, 3}, new int[] {1, 2, 0, 2}, 0.85, 1e-6, 50);
      List<List<String>> got = rows(c, "SELECT pagerank FROM graph_nodes ORDER BY id");
      for (int k = 0; k < 5; k++) {
        assertEquals(expected[k], Double.parseDouble(got.get(k).get(0)), 1e-12, "node " + (k + 1));
      }
      // nobody links to 4 or 5: they keep only the teleport and dangling share, and the same one
      assertEquals(expected[3], expected[4], 1e-15);
      assertTrue(expected[2] > expected[0] && expected[0] > expected[1] && expected[1] > expected[3], Arrays.toString(expected));
    }
  }

  @Test
  void graphPopulateFillsExactArraysAndDegreesAndARerunWritesNothing(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "graph")) {
      exec(c, "INSERT INTO graph_nodes(id, codebase, path) SELECT g, 'c', 'f' || g FROM generate_series(1, 5) g",
          "INSERT INTO graph_edges(source_id, target_id, kind) VALUES (1, 2, 'import'), (1, 3, 'import'), (1, 3, 'call'),"
          + " (2, 3, 'import'), (3, 1, 'import'), (4, 3, 'import'), (2, 2, 'import')",
          "CALL graph_populate()");
      assertEquals(List.of(List.of("1", "{2,3}", "{3}", "2", "1"), List.of("2", "{2,3}", "{1,2}", "2", "2"),
          List.of("3", "{1}", "{1,2,4}", "1", "3"), List.of("4", "{3}", "{}", "1", "0"), List.of("5", "{}", "{}", "0", "0")),
          rows(c, "SELECT id, dependency_ids, dependent_ids, out_degree, in_degree FROM graph_nodes ORDER BY id"));
      String versions = rows(c, "SELECT id, xmin::text FROM graph_nodes ORDER BY id").toString();
      exec(c, "CALL graph_populate()");
      assertEquals(versions, rows(c, "SELECT id, xmin::text FROM graph_nodes ORDER BY id").toString(), "no row rewritten");
    }
  }

  @Test
  void cleanupsDeleteOnlyWhatIsPastRetention(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "clean")) {
      exec(c, "INSERT INTO job_history(task_name, execution_id, engine, outcome, started_at, finished_at) VALUES"
          + " ('old-ok', 'x', 'db-scheduler', 'succeeded', now() - interval '15 days', now() - interval '15 days'),"
          + " ('new-ok', 'x', 'db-scheduler', 'succeeded', now() - interval '13 days', now() - interval '13 days'),"
          + " ('old-skip', 'x', 'pg_cron', 'skipped', now() - interval '20 days', now() - interval '20 days'),"
          + " ('kept-fail', 'x', 'db-scheduler', 'failed', now() - interval '89 days', now() - interval '89 days'),"
          + " ('old-fail', 'x', 'db-scheduler', 'failed', now() - interval '91 days', now() - interval '91 days'),"
          + " ('old-dead', 'x', 'db-scheduler', 'dead', now() - interval '100 days', now() - interval '100 days')",
          "CALL cleanup_job_history()");
      assertEquals(List.of(List.of("kept-fail"), List.of("new-ok")), rows(c, "SELECT task_name FROM job_history ORDER BY 1"));

      exec(c, "INSERT INTO artifacts(kind, name, pinned, expires_at, created_at) VALUES"
          + " ('r', 'expired', false, now() - interval '1 minute', now()),"
          + " ('r', 'old', false, NULL, now() - interval '31 days'),"
          + " ('r', 'old-pinned', true, now() - interval '1 day', now() - interval '90 days'),"
          + " ('r', 'fresh', false, now() + interval '1 day', now() - interval '29 days')",
          "CALL cleanup_artifacts()");
      assertEquals(List.of(List.of("fresh"), List.of("old-pinned")), rows(c, "SELECT name FROM artifacts ORDER BY 1"));

      exec(c, "INSERT INTO code_files(id, codebase, path, content_hash, deleted) VALUES (1, 'c', 'a.java', 'h1', false),"
          + " (2, 'c', 'gone.java', 'h2', true)",
          "INSERT INTO code_chunks(id, file_id, chunk_index, start_line, end_line, content, content_hash, file_hash, superseded) VALUES"
          + " (10, 1, 0, 1, 5, 'current', 'c10', 'h1', false), (11, 1, 0, 1, 5, 'marked', 'c11', 'h1', true),"
          + " (12, 1, 1, 6, 9, 'old version', 'c12', 'h0', false), (20, 2, 0, 1, 5, 'deleted file', 'c20', 'h2', false)",
          "INSERT INTO embeddings(owner_type, owner_id, model, dims, vector) SELECT 'chunk', id, 'm', 2, '{1,0}'"
          + " FROM unnest(ARRAY[10, 11, 12, 20, 99]) id",
          "INSERT INTO embeddings(owner_type, owner_id, model, dims, vector) VALUES ('template', 11, 'm', 2, '{0,1}')",
          "CALL cleanup_code_chunks()");
      assertEquals(List.of(List.of("10")), rows(c, "SELECT id FROM code_chunks"));
      assertEquals(List.of(List.of("chunk", "10"), List.of("template", "11")),
          rows(c, "SELECT owner_type, owner_id FROM embeddings ORDER BY 1, 2"));
    }
  }

  @Test
  void vectorStatsRecordCountsMissingDimensionsAndNorms(TestDatabase db) throws Exception {
    try (Connection c = migrated(db, "vec")) {
      exec(c, "INSERT INTO code_files(id, codebase, path, content_hash) VALUES (1, 'c', 'a', 'h')",
          "INSERT INTO code_chunks(id, file_id, chunk_index, start_line, end_line, content, content_hash, file_hash)"
          + " SELECT g, 1, g, g, g, 'x', 'c', 'h' FROM generate_series(1, 3) g",
          "INSERT INTO embeddings(owner_type, owner_id, model, dims, vector, norm) VALUES"
          + " ('chunk', 1, 'm', 2, '{3,4}', 0), ('chunk', 2, 'm', 2, '{0,1}', 1)",
          "CALL vector_stats_refresh()");
      assertEquals(List.of(List.of("m", "chunk", "2", "1", "2", "3")), rows(c,
          "SELECT model, owner_type, vectors, missing, dims, mean_norm FROM vector_stats"));
      assertTrue(count(c, "SELECT index_bytes FROM vector_stats") > 0);
    }
  }

  @Test
  void backupArchivalRunsOnTheFirstSundayOnly(TestDatabase db) throws Exception {
    Task task = SqlTaskFixtures.tasks("b", Map.of()).stream().filter(t -> t.name().equals("backup-archival")).findFirst().get();
    assertEquals("0 5 * * 0", task.trigger().cronExpression().get(), "every Sunday; the procedure picks the first");
    try (Connection c = migrated(db, "backup")) {
      exec(c, "INSERT INTO backups(id, kind, status, started_at) VALUES"
          + " (1, 'daily', 'verified', now() - interval '2 days'), (2, 'daily', 'verified', now() - interval '1 day'),"
          + " (3, 'daily', 'running', now()), (4, 'hourly', 'verified', now()),"
          + " (5, 'daily', 'deleted', now() - interval '100 days'), (6, 'hourly', 'failed', now() - interval '95 days'),"
          + " (7, 'daily', 'deleted', now() - interval '10 days')");
      String before = rows(c, "SELECT * FROM backups ORDER BY id").toString();
      for (String notFirst : List.of("2026-11-08", "2026-11-02", "2026-11-07", "2026-03-08")) {
        exec(c, "CALL backup_archival(p_today => '" + notFirst + "')");
        assertEquals(before, rows(c, "SELECT * FROM backups ORDER BY id").toString(), notFirst);
        assertEquals(notFirst + " is not the first Sunday of its month", rows(c, "SELECT value FROM task_state"
            + " WHERE task_name = 'backup-archival' AND key = 'skipped'").get(0).get(0));
      }
      exec(c, "CALL backup_archival(p_today => '2026-11-01')");
      assertEquals(List.of(List.of("2")), rows(c, "SELECT id FROM backups WHERE archived"));
      assertEquals(List.of(List.of("5"), List.of("6")), rows(c, "SELECT id FROM backup_archive ORDER BY id"));
      assertEquals(List.of(List.of("1"), List.of("2"), List.of("3"), List.of("4"), List.of("7")),
          rows(c, "SELECT id FROM backups ORDER BY id"));
      String after = rows(c, "SELECT * FROM backups ORDER BY id").toString();
      exec(c, "CALL backup_archival(p_today => '2026-11-01')");
      assertEquals(after, rows(c, "SELECT * FROM backups ORDER BY id").toString(), "a second run changes nothing");
    }
  }

  @Test
  void planningSeedSecondRunInsertsNothingAndAHostRoadmapReplacesTheBundledOne(TestDatabase db, @TempDir Path dir)
      throws Exception {
    try (Connection c = migrated(db, "plan")) {
      exec(c, "CALL planning_seed()");
      assertEquals(10, count(c, "SELECT count(*) FROM work_plan"));
      assertEquals(10, count(c, "SELECT count(*) FROM agent_tasks WHERE plan_key IS NOT NULL"));
      String before = rows(c, "SELECT * FROM work_plan ORDER BY id").toString() + rows(c, "SELECT * FROM agent_tasks ORDER BY id");
      exec(c, "CALL planning_seed()");
      assertEquals(before, rows(c, "SELECT * FROM work_plan ORDER BY id").toString() + rows(c, "SELECT * FROM agent_tasks ORDER BY id"));
      SQLException bad = assertThrows(SQLException.class, () -> exec(c, "CALL planning_seed('[{\"key\": \"x\"}]')"));
      assertTrue(bad.getMessage().contains("roadmap item 1 needs non-empty key, phase and title"), bad.getMessage());
    }
    Path roadmap = dir.resolve("roadmap.json");
    Files.writeString(roadmap, "[{\"key\": \"host.one\", \"phase\": \"p\", \"title\": \"Host's own\", \"capabilities\": [\"x\"]}]");
    Task seed = SqlTaskFixtures.tasks("plan2", Map.of("autopilot.task.planning-seed.roadmap", roadmap.toString())).stream()
        .filter(t -> t.name().equals("planning-seed")).findFirst().get();
    assertEquals(90, seed.trigger().startupPriority().getAsInt());
    try (Connection c = migrated(db, "plan2")) {
      exec(c, seed.sql().get().replace("${schema}", "\"plan2\""));
      assertEquals(List.of(List.of("host.one", "Host's own", "{x}")), rows(c,
          "SELECT w.key, t.title, t.required_capabilities FROM work_plan w JOIN agent_tasks t ON t.plan_key = w.key"));
    }
  }

  @Test
  void dailyVacuumAnalyzeIsOneStatementOverAutopilotsTables(TestDatabase db) throws Exception {
    Task vacuum = SqlTaskFixtures.tasks("v", Map.of()).stream().filter(t -> t.name().equals("daily-vacuum-analyze")).findFirst().get();
    try (Connection c = migrated(db, "vac")) {
      exec(c, "INSERT INTO reports(kind, title, body) VALUES ('k', 't', 'b')");
      exec(c, "CREATE TABLE vac.added_later(x int)"); // a table of a later migration is covered too
      String command = dev.autopilot.internal.Runtime.expandSql(c, vacuum.sql().get(), "vac");
      assertTrue(command.startsWith("VACUUM (ANALYZE) vac."), command);
      assertTrue(command.contains(" vac.added_later, ") && command.contains(" vac.agent_performance, ")
          && command.contains(" vac.task_catalog, "), command);
      exec(c, command);
      assertEquals(0, count(c, "SELECT count(*) FROM pg_class r JOIN pg_namespace n ON n.oid = r.relnamespace"
          + " LEFT JOIN pg_stat_user_tables s ON s.relid = r.oid WHERE n.nspname = 'vac' AND r.relkind IN ('r', 'm')"
          + " AND s.last_vacuum IS NULL"), "every table and view vacuumed");
    }
  }
}
