package dev.autopilot.internal.backup;

import static dev.autopilot.internal.backup.BackupFixtures.context;
import static dev.autopilot.internal.backup.BackupFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.AutopilotException;
import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.internal.backup.BackupFixtures.Row;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fault leaves a failed catalogue row naming the reason, and the backup made before it
 * (row, file and content) untouched. "Not writable" and "disk full" use tmpfs mounts (read-only,
 * and 256 KB against a dump of about 1.5 MB) because the tests run as root, and root ignores file
 * modes; without the right to mount, those two tests are skipped, not passed.
 */
@ExtendWith(PostgresExtension.class)
class BackupFaultTest {

  @BeforeAll
  static void bigEnoughToFillASmallDisk(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.blobs AS SELECT g AS id, md5(g::text) || md5((g * 7)::text) || md5(random()::text) AS v"
          + " FROM generate_series(1, 30000) g");
    }
  }

  /** One good backup, then the fault; returns the good one. */
  private static Row goodBackup(TestDatabase db, String schema, Path okDir) throws Exception {
    TestTaskContext.migrate(db.dataSource(), schema);
    new BackupTask("hourly", 6).run(context(db, schema, "database-backup-hourly", okDir));
    Row good = rows(db, schema).get(0);
    assertEquals("verified", good.status());
    return good;
  }

  private static Row failedRunLeavesOlderBackupUntouched(TestDatabase db, String schema, Row good, TestTaskContext bad)
      throws Exception {
    AutopilotException e = assertThrows(AutopilotException.class, () -> new BackupTask("hourly", 6).run(bad));
    List<Row> all = rows(db, schema);
    assertEquals(2, all.size());
    assertEquals(good, all.get(0), "older backup row untouched");
    assertTrue(Files.exists(Path.of(good.filePath())));
    assertEquals(good.sha256(), Dumper.sha256Of(Path.of(good.filePath())), "older backup file untouched");
    Row failed = all.get(1);
    assertEquals("failed", failed.status());
    assertNotNull(failed.error());
    assertNotNull(failed.durationMs());
    assertTrue(e.getMessage().contains(failed.error()), e.getMessage());
    return failed;
  }

  @Test
  void missingDirectoryFailsWithTheReason(TestDatabase db, @TempDir Path ok) throws Exception {
    Row good = goodBackup(db, "f_missing", ok);
    Row failed = failedRunLeavesOlderBackupUntouched(db, "f_missing", good,
        context(db, "f_missing", "database-backup-hourly", ok.resolve("not-there")));
    assertTrue(failed.error().contains("does not exist") && failed.error().contains("autopilot.backup.directory"),
        failed.error());
  }

  @Test
  void directoryThatIsARegularFileFailsWithTheReason(TestDatabase db, @TempDir Path ok, @TempDir Path other)
      throws Exception {
    Path file = Files.writeString(other.resolve("plain-file"), "x");
    Row good = goodBackup(db, "f_file", ok);
    Row failed = failedRunLeavesOlderBackupUntouched(db, "f_file", good, context(db, "f_file", "database-backup-hourly", file));
    assertTrue(failed.error().contains("is not a directory"), failed.error());
  }

  @Test
  void readOnlyDirectoryFailsWithTheReason(TestDatabase db, @TempDir Path ok, @TempDir Path ro) throws Exception {
    Row good = goodBackup(db, "f_ro", ok);
    BackupFixtures.mountTmpfs(ro, "ro,size=1m");
    try {
      Row failed = failedRunLeavesOlderBackupUntouched(db, "f_ro", good, context(db, "f_ro", "database-backup-hourly", ro));
      assertTrue(failed.error().contains("cannot create") && failed.error().contains("Read-only file system"), failed.error());
    } finally {
      BackupFixtures.unmount(ro);
    }
  }

  @Test
  void diskFullMidDumpFailsAndLeavesNoPartialFile(TestDatabase db, @TempDir Path ok, @TempDir Path small) throws Exception {
    Row good = goodBackup(db, "f_full", ok);
    assertTrue(good.size() > 512 * 1024, "the dump must not fit on the small disk: " + good.size());
    BackupFixtures.mountTmpfs(small, "size=256k");
    try {
      Row failed = failedRunLeavesOlderBackupUntouched(db, "f_full", good,
          context(db, "f_full", "database-backup-hourly", small));
      assertTrue(failed.error().contains("writing") && failed.error().contains("No space left on device"), failed.error());
      try (var left = Files.list(small)) {
        assertEquals(List.of(), left.toList(), "partial file removed");
      }
    } finally {
      BackupFixtures.unmount(small);
    }
  }

  @Test
  void aDumpBlockedPastItsTimeoutIsKilledAndFails(TestDatabase db, @TempDir Path ok) throws Exception {
    Row good = goodBackup(db, "f_timeout", ok);
    try (Connection locker = db.connect(); Statement s = locker.createStatement()) {
      locker.setAutoCommit(false);
      s.execute("LOCK TABLE public.blobs IN ACCESS EXCLUSIVE MODE"); // pg_dump waits for its share lock
      long t0 = System.nanoTime();
      Row failed = failedRunLeavesOlderBackupUntouched(db, "f_timeout", good,
          context(db, "f_timeout", "database-backup-hourly", ok).set("backup.timeout", "2s"));
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(failed.error().contains("did not finish within PT2S") && failed.error().contains("autopilot.backup.timeout"),
          failed.error());
      assertTrue(ms < 30_000, "killed at the timeout, not later: " + ms + " ms");
      locker.rollback();
    }
    try (var files = Files.list(ok)) {
      assertEquals(List.of(Path.of(good.filePath())), files.toList(), "no partial file left");
    }
  }

  @Test
  void missingPgDumpFailsNamingTheSetting(TestDatabase db, @TempDir Path ok) throws Exception {
    Row good = goodBackup(db, "f_nodump", ok);
    Row failed = failedRunLeavesOlderBackupUntouched(db, "f_nodump", good,
        context(db, "f_nodump", "database-backup-hourly", ok).set("backup.pg-dump", "/opt/nowhere/bin/pg_dump"));
    assertTrue(failed.error().contains("autopilot.backup.pg-dump") && failed.error().contains("/opt/nowhere/bin/pg_dump")
        && failed.error().contains("does not exist"), failed.error());
  }

  @Test
  void pgDumpOfAnotherMajorVersionIsRefused(TestDatabase db, @TempDir Path ok, @TempDir Path bin) throws Exception {
    Row good = goodBackup(db, "f_oldver", ok);
    // Stands in for an old client install: only its version banner matters, it is refused before any dump.
    Path fake = Files.writeString(bin.resolve("pg_dump"), "#!/bin/sh\necho 'pg_dump (PostgreSQL) 9.6.24'\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    Row failed = failedRunLeavesOlderBackupUntouched(db, "f_oldver", good,
        context(db, "f_oldver", "database-backup-hourly", ok).set("backup.pg-dump", fake.toString()));
    assertTrue(failed.error().contains("9.6.24") && failed.error().contains("server is PostgreSQL"), failed.error());
  }

  @Test
  void serverMajorVersionToolsAreFoundWithoutConfiguration() throws Exception {
    PgTools tools = PgTools.locate(java.util.Optional.empty(), 15, "/nonexistent-dir");
    assertEquals(15, PgTools.major(tools.version()));
    assertTrue(Files.isExecutable(tools.pgRestore()));
    ConfigurationCheck.refusesMissingMajor();
  }

  /** No client of a version that does not exist is found anywhere: the error says what to do. */
  static final class ConfigurationCheck {
    static void refusesMissingMajor() {
      dev.autopilot.ConfigurationException e = assertThrows(dev.autopilot.ConfigurationException.class,
          () -> PgTools.locate(java.util.Optional.empty(), 99, System.getenv("PATH")));
      assertTrue(e.getMessage().contains("no pg_dump of PostgreSQL 99") && e.getMessage().contains("autopilot.backup.pg-dump"),
          e.getMessage());
    }
  }
}
