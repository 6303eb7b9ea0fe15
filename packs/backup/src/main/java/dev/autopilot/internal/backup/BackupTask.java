package dev.autopilot.internal.backup;

import dev.autopilot.AutopilotException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskConfig;
import dev.autopilot.spi.TaskContext;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backup run of a kind ({@code hourly}, {@code daily}, {@code manual}): catalogue row
 * {@code running}, dump, verify, row {@code verified} with size, SHA-256 and duration, then
 * rotation. Any failure leaves a {@code failed} row with the reason, removes only this run's own
 * files, deletes no older backup, and fails the task (visible in job history, retried).
 *
 * <p>Settings ({@code autopilot.backup.*}, per task {@code autopilot.task.NAME.backup.*}):
 * {@code directory} (required; when unset the run is skipped with that reason, because a default
 * location would silently fill a disk nobody watches), {@code keep.hourly} (6), {@code
 * keep.daily} (7), {@code keep.manual} (10), {@code pg-dump}, {@code timeout} (1h), and the
 * connection {@code host}, {@code port}, {@code database}, {@code user}, {@code password}, {@code
 * passfile}. The directory must exist: a missing directory usually means an unmounted volume, and
 * creating it would write backups onto the wrong disk.
 */
final class BackupTask implements JavaTask {

  private static final Logger log = LoggerFactory.getLogger(BackupTask.class);
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String kind;
  private final int defaultKeep;

  BackupTask(String kind, int defaultKeep) {
    this.kind = kind;
    this.defaultKeep = defaultKeep;
  }

  @Override
  public void run(TaskContext ctx) {
    TaskConfig cfg = ctx.config();
    String prefix = "[" + ctx.taskName() + "] ";
    Optional<String> dirSetting = cfg.get("backup.directory").filter(s -> !s.isBlank());
    if (dirSetting.isEmpty()) {
      ctx.skip("no backup directory configured (setting autopilot.backup.directory)");
      return;
    }
    int keep = cfg.getInt("backup.keep." + kind, defaultKeep);
    Duration timeout = cfg.getDuration("backup.timeout", Duration.ofHours(1));
    Jdbc jdbc = new Jdbc(ctx.dataSource());
    String table = Jdbc.quoteIdent(ctx.schema()) + ".backups";
    reapInterrupted(jdbc, table, Path.of(dirSetting.get()), timeout, prefix);
    long id = jdbc.queryOne("INSERT INTO " + table + " (kind, status) VALUES (?, 'running') RETURNING id",
        ps -> ps.setString(1, kind), rs -> rs.getLong(1)).orElseThrow();
    long t0 = System.nanoTime();
    Path tmp = null;
    Path dest = null;
    try {
      Path dir = checkDirectory(Path.of(dirSetting.get()));
      PgTarget target = PgTarget.of(ctx.dataSource(), cfg);
      PgTools tools = PgTools.locate(cfg.get("backup.pg-dump").filter(s -> !s.isBlank()), target.serverMajor,
          System.getenv("PATH"));
      String name = safe(target.database) + "-" + kind + "-" + STAMP.format(ctx.clock().instant()) + "-" + id + ".dump";
      tmp = dir.resolve("." + name + ".partial");
      dest = dir.resolve(name);
      log.info("{}backup {} of {} with {} {} into {}", prefix, id, target, tools.pgDump(), tools.version(), dest);
      Dumper.Result r = Dumper.dump(tools, target, tmp, dest, timeout, ctx::isCancelled);
      int entries = Dumper.verify(tools, r.file());
      long ms = (System.nanoTime() - t0) / 1_000_000;
      jdbc.update("UPDATE " + table + " SET status = 'verified', file_path = ?, size_bytes = ?, sha256 = ?,"
          + " finished_at = now(), duration_ms = ? WHERE id = ?", ps -> {
            ps.setString(1, r.file().toString());
            ps.setLong(2, r.size());
            ps.setString(3, r.sha256());
            ps.setLong(4, ms);
            ps.setLong(5, id);
          });
      log.info("{}backup {} verified: {} bytes, {} archive entries, sha256 {}, {} ms", prefix, id, r.size(), entries,
          r.sha256(), ms);
    } catch (Exception e) {
      String reason = e.getMessage() == null ? e.toString() : e.getMessage();
      deleteQuietly(tmp);
      deleteQuietly(dest);
      long ms = (System.nanoTime() - t0) / 1_000_000;
      jdbc.update("UPDATE " + table + " SET status = 'failed', error = ?, finished_at = now(), duration_ms = ?"
          + " WHERE id = ? AND status = 'running'", ps -> {
            ps.setString(1, reason);
            ps.setLong(2, ms);
            ps.setLong(3, id);
          });
      log.error("{}backup {} failed, older backups untouched: {}", prefix, id, reason);
      throw new AutopilotException("backup " + id + " (" + kind + ") failed: " + reason, e);
    }
    // Only after this run's backup is verified; a failure here keeps every file.
    Rotation.rotate(jdbc, ctx.schema(), kind, keep, prefix);
  }

  /**
   * A row still {@code running} long after the timeout belongs to a run whose JVM died: it is
   * marked failed and its partial file (named with its id) removed. Nothing else is touched.
   */
  private static void reapInterrupted(Jdbc jdbc, String table, Path dir, Duration timeout, String prefix) {
    List<Long> ids = jdbc.query("UPDATE " + table + " SET status = 'failed', finished_at = now(),"
        + " error = 'interrupted: still running after ' || ? || ' (the instance stopped during the backup)'"
        + " WHERE status = 'running' AND started_at < now() - ? * interval '1 second' RETURNING id", ps -> {
          ps.setString(1, timeout.multipliedBy(2).toString());
          ps.setLong(2, timeout.multipliedBy(2).toSeconds());
        }, rs -> rs.getLong(1));
    for (long stale : ids) {
      log.warn("{}backup {} was interrupted; marked failed", prefix, stale);
      try (DirectoryStream<Path> partials = Files.newDirectoryStream(dir, ".*-" + stale + ".dump.partial")) {
        partials.forEach(BackupTask::deleteQuietly);
      } catch (IOException e) {
        log.warn("{}cannot look for partial files of backup {} in {}: {}", prefix, stale, dir, e.toString());
      }
    }
  }

  private static Path checkDirectory(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      throw new IOException("backup directory " + dir + " does not exist (setting autopilot.backup.directory)");
    }
    if (!Files.isDirectory(dir)) {
      throw new IOException("backup directory " + dir + " is not a directory (setting autopilot.backup.directory)");
    }
    return dir.toAbsolutePath();
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9_.-]", "_");
  }

  private static void deleteQuietly(Path p) {
    if (p == null) {
      return;
    }
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", p, e.toString());
    }
  }
}
