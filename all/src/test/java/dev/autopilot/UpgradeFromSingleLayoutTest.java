package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A database migrated by the single-bundle layout (schema version 50: the very files of that
 * release, kept as test resources) and holding data moves to the per-pack layout when the new
 * code starts on it, every row kept.
 */
@ExtendWith(PostgresExtension.class)
class UpgradeFromSingleLayoutTest {

  static final List<String> LEGACY = List.of("V001__core.sql", "V002__domain.sql", "V003__sql_task_support.sql",
      "V004__agents_patterns_sync.sql", "V005__cache_metrics.sql", "V006__maintenance.sql", "V007__graph.sql",
      "V008__backups_planning.sql", "V009__skip_marker_pid.sql", "V010__bootstrap.sql",
      "V020__code_intelligence.sql", "V030__learning_loop.sql", "V050__job_history_indexes.sql");

  /** Counts the rows of every table the single layout created (and our data went into). */
  static final List<String> TABLES = List.of("job_history", "task_state", "code_files", "code_chunks", "embeddings",
      "graph_nodes", "graph_edges", "knowledge_artifacts", "templates", "backups", "learned_patterns",
      "pattern_observations", "agents", "agent_tasks", "work_plan", "metric_rollups", "bootstrap_waves");

  @Test
  void aDatabaseOfTheSingleLayoutStartsUnderThePerPackLayoutWithEveryRowKept(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA old");
      s.execute("CREATE TABLE old.autopilot_schema_history (version int PRIMARY KEY, description text NOT NULL,"
          + " file text NOT NULL, checksum bigint NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
          + " applied_by text NOT NULL DEFAULT current_user, execution_ms int NOT NULL)");
      for (String f : LEGACY) {
        String sql;
        try (InputStream in = getClass().getResourceAsStream("/legacy-v50/" + f)) {
          sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        c.setAutoCommit(false);
        s.execute("SET LOCAL search_path TO old, public");
        s.execute(sql);
        s.execute("INSERT INTO old.autopilot_schema_history (version, description, file, checksum, execution_ms)"
            + " VALUES (" + Integer.parseInt(f.substring(1, 4)) + ", 'x', '" + f + "', 1, 1)");
        c.commit();
        c.setAutoCommit(true);
      }
      s.execute("INSERT INTO old.job_history (task_name, execution_id, engine, outcome, attempt, instance,"
          + " started_at, finished_at) VALUES ('pattern-sync', 'recurring', 'db-scheduler', 'succeeded', 1, 'old-host',"
          + " now() - interval '1 hour', now() - interval '1 hour')");
      s.execute("INSERT INTO old.task_state (task_name, key, value) VALUES ('pattern-learning', 'watermark', '42')");
      s.execute("INSERT INTO old.code_files (codebase, path, language, content_hash, size_bytes, line_count)"
          + " VALUES ('app', 'src/Main.java', 'java', 'h1', 10, 1)");
      s.execute("INSERT INTO old.code_chunks (file_id, chunk_index, start_line, end_line, content, content_hash,"
          + " file_hash) SELECT id, 0, 1, 1, 'class Main {}', 'c1', 'h1' FROM old.code_files");
      s.execute("INSERT INTO old.knowledge_artifacts (artifact_type, artifact_id, title, content, content_hash,"
          + " source_file) VALUES ('pattern', 'retry', 'Retry', '{}'::jsonb, 'k1', 'retry.json')");
      s.execute("INSERT INTO old.backups (kind, status) VALUES ('daily', 'failed')");
      s.execute("INSERT INTO old.learned_patterns (pattern_key, usage_count, success_count, confidence)"
          + " VALUES ('batch-insert', 3, 3, 0.5)");
      s.execute("INSERT INTO old.agents (name) VALUES ('builder')");
    }
    Jdbc jdbc = new Jdbc(db.dataSource());
    Map<String, Long> before = counts(jdbc);
    assertTrue(before.get("code_chunks") == 1 && before.get("job_history") == 1, before.toString());

    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("old").environment(Map.of())
        .property("autopilot.bootstrap.enabled", "false").build().start()) {
      assertTrue(ap.alive());
    }

    Map<String, Long> after = counts(jdbc);
    for (String t : TABLES) {
      assertTrue(after.get(t) >= before.get(t), t + ": " + before.get(t) + " before, " + after.get(t) + " after");
    }
    assertEquals("42", jdbc.queryOne("SELECT value FROM old.task_state WHERE task_name = 'pattern-learning'",
        Jdbc.NONE, rs -> rs.getString(1)).orElseThrow());
    assertEquals(13, jdbc.queryOne("SELECT count(*) FROM old.autopilot_schema_history WHERE module = 'legacy'",
        Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow(), "the single layout's history is kept");
    List<String> modules = jdbc.query("SELECT DISTINCT module FROM old.autopilot_schema_history ORDER BY 1",
        Jdbc.NONE, rs -> rs.getString(1));
    assertEquals(List.of("backup", "code", "core", "knowledge", "learning", "legacy"), modules);
    // migrations new since version 50 ran: core's catalog tables, the code pack's procedure
    assertTrue(jdbc.queryOne("SELECT count(*) FROM old.task_catalog", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow() > 30);
    assertTrue(jdbc.queryOne("SELECT execution_ms >= 0 FROM old.autopilot_schema_history WHERE module = 'code'"
        + " AND version = 100", Jdbc.NONE, rs -> rs.getBoolean(1)).orElseThrow());

    // a second start writes nothing new to the history
    int rows = jdbc.queryOne("SELECT count(*) FROM old.autopilot_schema_history", Jdbc.NONE, rs -> rs.getInt(1))
        .orElseThrow();
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("old").environment(Map.of())
        .property("autopilot.bootstrap.enabled", "false").build().start()) {
      assertTrue(ap.alive());
    }
    assertEquals(rows, jdbc.queryOne("SELECT count(*) FROM old.autopilot_schema_history", Jdbc.NONE,
        rs -> rs.getInt(1)).orElseThrow());
  }

  static Map<String, Long> counts(Jdbc jdbc) {
    Map<String, Long> out = new java.util.HashMap<>();
    for (String t : TABLES) {
      out.put(t, jdbc.queryOne("SELECT count(*) FROM old." + t, Jdbc.NONE, rs -> rs.getLong(1)).orElseThrow());
    }
    return out;
  }
}
