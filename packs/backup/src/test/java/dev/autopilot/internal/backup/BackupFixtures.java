package dev.autopilot.internal.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.testing.TestDatabase;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/** Shared helpers of the backup tests: catalog rows, tmpfs mounts, running binaries. */
final class BackupFixtures {
  private BackupFixtures() {}

  record Row(long id, String kind, String status, String filePath, Long size, String sha256, Long durationMs,
      boolean archived, String error) {}

  static List<Row> rows(TestDatabase db, String schema) throws SQLException {
    List<Row> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id, kind, status, file_path, size_bytes, sha256, duration_ms, archived, error"
            + " FROM " + schema + ".backups ORDER BY id")) {
      while (rs.next()) {
        out.add(new Row(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), (Long) rs.getObject(5),
            rs.getString(6), (Long) rs.getObject(7), rs.getBoolean(8), rs.getString(9)));
      }
    }
    return out;
  }

  static TestTaskContext context(TestDatabase db, String schema, String task, Path dir) {
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), schema, task);
    if (dir != null) {
      ctx.set("backup.directory", dir.toString());
    }
    return ctx;
  }

  /** Mounts a tmpfs (root only); aborts the test when this machine cannot. */
  static void mountTmpfs(Path at, String options) throws Exception {
    Result r = run(List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString()));
    Assumptions.assumeTrue(r.exit == 0, "cannot mount a tmpfs here (needs root): " + r.output);
  }

  static void unmount(Path at) throws Exception {
    Result r = run(List.of("umount", at.toString()));
    assertEquals(0, r.exit, "umount " + at + ": " + r.output);
  }

  record Result(int exit, String output) {}

  static Result run(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(5, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(command + " timed out");
    }
    return new Result(p.exitValue(), out);
  }
}
