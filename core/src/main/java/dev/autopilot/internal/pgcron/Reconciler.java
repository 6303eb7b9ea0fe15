package dev.autopilot.internal.pgcron;

import dev.autopilot.internal.Jdbc;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;

/**
 * Makes the jobs Autopilot owns in {@code cron.job} match the wanted set. Owned jobs are the ones
 * whose name starts with the prefix of this schema and database ({@link #prefix}); no other job is
 * read or written. Runs in one transaction under an advisory lock, so instances starting together
 * reconcile one after the other, and the second finds nothing to do.
 */
final class Reconciler {

  /** One wanted job; a paused task's job is kept inactive. */
  record Job(String name, String schedule, String command, boolean active) {
    Job(String name, String schedule, String command) {
      this(name, schedule, command, true);
    }
  }

  /** What a reconcile changed. */
  record Result(int created, int updated, int removed, int unchanged) {
    boolean changed() {
      return created + updated + removed > 0;
    }
  }

  private record Existing(long id, String name, String schedule, String command, String database,
      String username, boolean active) {}

  private Reconciler() {}

  /**
   * The owner prefix of one schema in one database: {@code autopilot:<hash>:}, where hash is 8 hex
   * digits of CRC32(schema, database). {@code cron.job.jobname} is of type {@code name} (63 bytes
   * at most), too short for schema and database names themselves.
   */
  static String prefix(String schema, String database) {
    return "autopilot:" + crcHex(schema + "\u0000" + database) + ":";
  }

  /** @return the job name of a task: the prefix and the task name, shortened with a hash past 63 bytes */
  static String jobName(String prefix, String task) {
    String full = prefix + task;
    if (full.getBytes(StandardCharsets.UTF_8).length <= 63) {
      return full;
    }
    String head = task;
    while ((prefix + head).getBytes(StandardCharsets.UTF_8).length > 63 - 9) {
      head = head.substring(0, head.length() - 1);
    }
    return prefix + head + "~" + crcHex(task);
  }

  private static String crcHex(String s) {
    CRC32 crc = new CRC32();
    crc.update(s.getBytes(StandardCharsets.UTF_8));
    return String.format("%08x", crc.getValue());
  }

  static Result reconcile(Connection c, String prefix, List<Job> wanted, String database, String username)
      throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try {
      Jdbc.query(c, "SELECT pg_advisory_xact_lock(?)", ps -> ps.setLong(1, lockKey(prefix)), rs -> null);
      List<Existing> existing = Jdbc.query(c, "SELECT jobid, jobname, schedule, command, database, username, active"
          + " FROM cron.job WHERE left(jobname, ?) = ? ORDER BY jobid", ps -> {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
          }, rs -> new Existing(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getBoolean(7)));
      Map<String, Job> byName = new HashMap<>();
      wanted.forEach(j -> byName.put(j.name(), j));
      Map<String, Existing> kept = new HashMap<>();
      int created = 0;
      int updated = 0;
      int removed = 0;
      int unchanged = 0;
      List<Long> drop = new ArrayList<>();
      for (Existing e : existing) {
        Job w = byName.get(e.name());
        if (w == null || kept.containsKey(e.name()) || !Objects.equals(e.username(), username)) {
          drop.add(e.id()); // stale, a duplicate, or owned by another role: re-created below if wanted
        } else {
          kept.put(e.name(), e);
        }
      }
      for (long id : drop) {
        Jdbc.query(c, "SELECT cron.unschedule(?)", ps -> ps.setLong(1, id), rs -> null);
        removed++;
      }
      for (Job w : wanted) {
        Existing e = kept.get(w.name());
        if (e != null && e.schedule().equals(w.schedule()) && e.command().equals(w.command())
            && e.database().equals(database) && e.active() == w.active()) {
          unchanged++;
          continue;
        }
        // schedule_in_database updates the job of the same name and user in place
        try (PreparedStatement ps = c.prepareStatement("SELECT cron.schedule_in_database(?, ?, ?, ?, ?, ?)")) {
          ps.setString(1, w.name());
          ps.setString(2, w.schedule());
          ps.setString(3, w.command());
          ps.setString(4, database);
          ps.setString(5, username);
          ps.setBoolean(6, w.active());
          ps.executeQuery().close();
        }
        if (e == null) {
          created++;
        } else {
          updated++;
        }
      }
      c.commit();
      return new Result(created, updated, removed, unchanged);
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
    }
  }

  static long lockKey(String prefix) {
    CRC32 crc = new CRC32();
    crc.update(("autopilot-pg_cron-reconcile:" + prefix).getBytes(StandardCharsets.UTF_8));
    return 0x4151_0000_0000_0000L | crc.getValue();
  }
}
