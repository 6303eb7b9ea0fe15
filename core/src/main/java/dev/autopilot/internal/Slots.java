package dev.autopilot.internal;

import java.sql.Connection;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Per-task concurrency slots across instances ({@code Task.maxConcurrency(n)}): a run holds one of
 * the session advisory locks {@code (hashtext('autopilot-slot:' schema ':' task), 0..n-1)} on a
 * connection of its own for as long as it runs. A lock dies with its session, so a crashed
 * instance frees its slots by itself.
 */
final class Slots {
  private static final Logger log = LoggerFactory.getLogger(Slots.class);

  /** One slot held; closing frees it. */
  final class Slot implements AutoCloseable {
    private final Connection c;
    private final String key;
    private final int slot;

    private Slot(Connection c, String key, int slot) {
      this.c = c;
      this.key = key;
      this.slot = slot;
    }

    @Override
    public void close() {
      try {
        Jdbc.query(c, "SELECT pg_advisory_unlock(hashtext(?), ?)", ps -> {
          ps.setString(1, key);
          ps.setInt(2, slot);
        }, rs -> null);
        c.close();
      } catch (SQLException e) {
        log.warn("{}freeing concurrency slot {} of {} failed, dropping its connection: {}", rt.logPrefix(), slot, key,
            e.getMessage());
        try {
          c.abort(Runnable::run); // the pool must not hand out a session that still holds the lock
        } catch (SQLException ignored) {
          // the session is gone either way
        }
      }
    }
  }

  private final Runtime rt;

  Slots(Runtime rt) {
    this.rt = rt;
  }

  /** @return a free slot of the task, or null when all {@code n} are taken */
  Slot tryAcquire(String task, int n) {
    String key = "autopilot-slot:" + rt.schema() + ":" + task;
    Connection c = null;
    try {
      c = rt.dataSource().getConnection();
      c.setAutoCommit(true);
      Integer got = Jdbc.query(c, "SELECT s FROM generate_series(0, ?) s WHERE pg_try_advisory_lock(hashtext(?), s)"
          + " LIMIT 1", ps -> {
            ps.setInt(1, n - 1);
            ps.setString(2, key);
          }, rs -> rs.getInt(1)).stream().findFirst().orElse(null);
      if (got == null) {
        c.close();
        return null;
      }
      return new Slot(c, key, got);
    } catch (SQLException e) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException ignored) {
          // nothing held
        }
      }
      throw new dev.autopilot.AutopilotException(rt.logPrefix() + "cannot take a concurrency slot of task " + task
          + ": " + e.getMessage(), e);
    }
  }
}
