package dev.autopilot.internal.backup;

import static dev.autopilot.internal.backup.BackupFixtures.context;
import static dev.autopilot.internal.backup.BackupFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.internal.backup.BackupFixtures.Row;
import dev.autopilot.testing.TestDatabase;
import dev.autopilot.testing.PostgresExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

@ExtendWith(PostgresExtension.class)
class BackupTest {

  @Test
  void backupRestoredIntoANewDatabaseHoldsTheSameRows(TestDatabase db, @TempDir Path dir) throws Exception {
    String schema = "bk_restore";
    TestTaskContext.migrate(db.dataSource(), schema);
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.orders (id int PRIMARY KEY, customer text, total numeric(10,2), note text)");
      s.execute("INSERT INTO public.orders SELECT g, 'customer ' || (g % 97), g * 1.25, CASE WHEN g % 7 = 0 THEN NULL"
          + " ELSE md5(g::text) END FROM generate_series(1, 5000) g");
      s.execute("INSERT INTO " + schema + ".agents (name, capabilities, concurrency) VALUES ('a1', '{java}', 3), ('a2', '{sql}', 1)");
      s.execute("INSERT INTO " + schema + ".learned_patterns (pattern_key, usage_count, success_count, data)"
          + " VALUES ('p1', 10, 9, '{\"x\": 1}'), ('p2', 3, 1, '{}')");
      s.execute("INSERT INTO " + schema + ".telemetry_events (task_name, duration_ms, success)"
          + " SELECT 't' || (g % 5), g, g % 3 <> 0 FROM generate_series(1, 300) g");
    }
    new BackupTask("manual", 10).run(context(db, schema, "database-backup-manual", dir));

    Row row = rows(db, schema).get(0);
    assertEquals("verified", row.status());
    Path file = Path.of(row.filePath());
    assertEquals(dir.toAbsolutePath(), file.getParent());
    assertEquals(Files.size(file), row.size());
    assertEquals(Dumper.sha256Of(file), row.sha256());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertNotNull(row.durationMs());
    assertNull(row.error());
    assertEquals(List.of(file), Files.list(dir).collect(Collectors.toList()), "no temp file left behind");

    String copy = db.createSiblingDatabase("restored");
    String target = copy.substring(copy.lastIndexOf('/') + 1, copy.indexOf('?'));
    int port = db.cluster().orElseThrow().port();
    BackupFixtures.Result r = BackupFixtures.run(List.of(
        db.cluster().orElseThrow().binDirectory().resolve("pg_restore").toString(), "--exit-on-error", "--no-owner",
        "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres", "-d", target, file.toString()));
    assertEquals(0, r.exit(), r.output());

    Map<String, String> source = fingerprints(db.connect(), schema);
    Map<String, String> restored = fingerprints(java.sql.DriverManager.getConnection(copy), schema);
    assertTrue(source.size() > 25, "tables compared: " + source.keySet());
    // The dump was taken while its own catalogue row was still 'running'; everything else is equal.
    source.remove(schema + ".backups");
    String restoredBackups = restored.remove(schema + ".backups");
    assertEquals(source, restored);
    try (Connection c = java.sql.DriverManager.getConnection(copy); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM " + schema + ".backups")) {
      assertTrue(rs.next());
      assertEquals("running", rs.getString(1), restoredBackups);
    }
  }

  /** Per table of the schema and public: row count and an md5 over all rows in a fixed order. */
  static Map<String, String> fingerprints(Connection c, String schema) throws Exception {
    Map<String, String> out = new TreeMap<>();
    try (c; Statement s = c.createStatement()) {
      List<String> tables = new java.util.ArrayList<>();
      try (ResultSet rs = s.executeQuery("SELECT table_schema || '.' || table_name FROM information_schema.tables"
          + " WHERE table_schema IN ('" + schema + "', 'public') AND table_type = 'BASE TABLE'")) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
      for (String t : tables) {
        try (ResultSet rs = s.executeQuery("SELECT count(*) || ':' || md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
            + " FROM " + t + " x")) {
          rs.next();
          out.put(t, rs.getString(1));
        }
      }
    }
    return out;
  }

  @Test
  void rotationAfterEightHourlyRunsKeepsTheNewestSixVerifiedAndTheArchivedOne(TestDatabase db, @TempDir Path dir)
      throws Exception {
    String schema = "bk_rotation";
    TestTaskContext.migrate(db.dataSource(), schema);
    BackupTask hourly = new BackupTask("hourly", 6);
    TestTaskContext ctx = context(db, schema, "database-backup-hourly", dir);
    long t0 = System.nanoTime();
    for (int i = 1; i <= 8; i++) {
      hourly.run(ctx);
      if (i == 1) {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
          s.execute("UPDATE " + schema + ".backups SET archived = true"); // as backup-archival would pin it
        }
      }
    }
    long ms = (System.nanoTime() - t0) / 1_000_000;
    List<Row> all = rows(db, schema);
    assertEquals(8, all.size());
    Row archived = all.get(0);
    assertTrue(archived.archived());
    assertEquals("verified", archived.status());
    assertTrue(Files.exists(Path.of(archived.filePath())), "archived backup kept");
    assertEquals("deleted", all.get(1).status(), "oldest non-archived backup rotated out");
    assertFalse(Files.exists(Path.of(all.get(1).filePath())));
    List<Row> kept = all.stream().filter(r -> r.status().equals("verified") && !r.archived()).toList();
    assertEquals(all.subList(2, 8).stream().map(Row::id).toList(), kept.stream().map(Row::id).toList());
    for (Row r : kept) {
      assertTrue(Files.exists(Path.of(r.filePath())), r.filePath());
    }
    try (var files = Files.list(dir)) {
      assertEquals(7, files.count(), "6 rotated + 1 archived, no temp files");
    }
    System.out.printf("[measure] 8 hourly backups of the test database in %d ms (%d ms each), %d bytes each%n", ms, ms / 8,
        kept.get(0).size());
  }

  @Test
  void rotationOnlyCountsItsOwnKind(TestDatabase db, @TempDir Path dir) throws Exception {
    String schema = "bk_kinds";
    TestTaskContext.migrate(db.dataSource(), schema);
    TestTaskContext ctx = context(db, schema, "x", dir).set("backup.keep.daily", "1").set("backup.keep.hourly", "1");
    new BackupTask("daily", 7).run(ctx);
    new BackupTask("hourly", 6).run(ctx);
    new BackupTask("hourly", 6).run(ctx);
    List<Row> all = rows(db, schema);
    assertEquals(List.of("verified", "deleted", "verified"), all.stream().map(Row::status).toList());
    assertEquals("daily", all.get(0).kind());
  }

  @Test
  void withoutABackupDirectoryTheRunIsSkippedWithTheReason(TestDatabase db) throws Exception {
    String schema = "bk_nodir";
    TestTaskContext.migrate(db.dataSource(), schema);
    TestTaskContext ctx = context(db, schema, "database-backup-hourly", null);
    new BackupTask("hourly", 6).run(ctx);
    assertTrue(ctx.skipped().contains("autopilot.backup.directory"), ctx.skipped());
    assertEquals(List.of(), rows(db, schema));
  }

  @Test
  void passwordGoesToTheChildEnvironmentOnly(TestDatabase db) throws Exception {
    String schema = "bk_pw";
    TestTaskContext.migrate(db.dataSource(), schema);
    TestTaskContext ctx = context(db, schema, "x", null).set("backup.password", "s3cret-pw");
    PgTarget t = PgTarget.of(db.dataSource(), ctx.config());
    assertEquals("s3cret-pw", t.environment().get("PGPASSWORD"));
    assertFalse(t.toString().contains("s3cret-pw"), t.toString());
    assertEquals(db.name(), t.database);
    assertEquals("postgres", t.user);
    assertEquals(Integer.toString(db.cluster().orElseThrow().port()), t.port);
  }

  @Test
  void aBackupInterruptedByACrashIsMarkedFailedAndItsPartialFileRemoved(TestDatabase db, @TempDir Path dir)
      throws Exception {
    String schema = "bk_crash";
    TestTaskContext.migrate(db.dataSource(), schema);
    Path partial = Files.writeString(dir.resolve(".db-hourly-20260101T000000Z-1.dump.partial"), "half a dump");
    Path unrelated = Files.writeString(dir.resolve(".db-hourly-20260101T000000Z-11.dump.partial"), "another run's");
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + schema + ".backups (id, kind, status, started_at) VALUES (1, 'hourly', 'running',"
          + " now() - interval '3 hours'), (11, 'hourly', 'running', now() - interval '1 minute')");
      s.execute("SELECT setval(pg_get_serial_sequence('" + schema + ".backups', 'id'), 20)");
    }
    new BackupTask("hourly", 6).run(context(db, schema, "database-backup-hourly", dir));
    List<Row> all = rows(db, schema);
    assertEquals(List.of("failed", "running", "verified"), all.stream().map(Row::status).toList());
    assertTrue(all.get(0).error().startsWith("interrupted"), all.get(0).error());
    assertFalse(Files.exists(partial));
    assertTrue(Files.exists(unrelated), "a run still within its time is left alone");
  }

  @Test
  void twoConcurrentBackupsOfAKindBothVerifyAndRotationAgrees(TestDatabase db, @TempDir Path dir) throws Exception {
    String schema = "bk_concurrent";
    TestTaskContext.migrate(db.dataSource(), schema);
    TestTaskContext ctx = context(db, schema, "database-backup-hourly", dir).set("backup.keep.hourly", "1");
    BackupTask task = new BackupTask("hourly", 6);
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      List<java.util.concurrent.Future<?>> runs = List.of(pool.submit(() -> task.run(ctx)), pool.submit(() -> task.run(ctx)));
      for (java.util.concurrent.Future<?> f : runs) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    List<Row> all = rows(db, schema);
    assertEquals(List.of("deleted", "verified"), all.stream().map(Row::status).sorted().toList());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(Path.of(all.stream().filter(r -> r.status().equals("verified")).findFirst().orElseThrow().filePath())),
          files.toList());
    }
  }
}
