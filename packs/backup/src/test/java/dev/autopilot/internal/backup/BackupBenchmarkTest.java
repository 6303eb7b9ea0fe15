package dev.autopilot.internal.backup;

import static dev.autopilot.internal.backup.BackupFixtures.context;
import static dev.autopilot.internal.backup.BackupFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.internal.backup.BackupFixtures.Row;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Backup time and size against a database of known size; prints numbers, asserts only correctness. */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class BackupBenchmarkTest {

  @Test
  void backupAndRestoreOfAFewHundredThousandRows(TestDatabase db, @TempDir Path dir) throws Exception {
    String sc = "bench";
    TestTaskContext.migrate(db.dataSource(), sc);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + sc + ".telemetry_events (occurred_at, task_name, agent_id, duration_ms, success, payload)"
          + " SELECT now() - g * interval '1 second', 'task-' || (g % 20), g % 10, (g * 37) % 5000, g % 9 <> 0,"
          + " jsonb_build_object('run', g, 'note', md5(g::text)) FROM generate_series(1, 300000) g");
      s.execute("INSERT INTO " + sc + ".learned_patterns (pattern_key, usage_count, success_count, data)"
          + " SELECT 'pattern-' || g, g % 100, g % 50, jsonb_build_object('k', md5(g::text)) FROM generate_series(1, 20000) g");
      s.execute("VACUUM ANALYZE");
    }
    long dbSize;
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT pg_database_size(current_database())")) {
      rs.next();
      dbSize = rs.getLong(1);
    }
    long t0 = System.nanoTime();
    new BackupTask("manual", 10).run(context(db, sc, "database-backup-manual", dir));
    long ms = (System.nanoTime() - t0) / 1_000_000;
    Row row = rows(db, sc).get(0);
    assertEquals("verified", row.status());

    String copy = db.createSiblingDatabase("bench_restore");
    String target = copy.substring(copy.lastIndexOf('/') + 1, copy.indexOf('?'));
    long r0 = System.nanoTime();
    BackupFixtures.Result r = BackupFixtures.run(List.of(
        db.cluster().orElseThrow().binDirectory().resolve("pg_restore").toString(), "--no-owner", "-h", "127.0.0.1",
        "-p", Integer.toString(db.cluster().orElseThrow().port()), "-U", "postgres", "-d", target, row.filePath()));
    long restoreMs = (System.nanoTime() - r0) / 1_000_000;
    assertEquals(0, r.exit(), r.output());
    System.out.printf("[measure] database %d MB (300k telemetry events, 20k patterns): backup (dump + fsync + sha256"
            + " + pg_restore --list) %d ms, recorded duration %d ms, archive %d KB (%.1f%% of database size);"
            + " pg_restore into a new database %d ms%n",
        dbSize / (1024 * 1024), ms, row.durationMs(), row.size() / 1024, 100.0 * row.size() / dbSize, restoreMs);
  }
}
