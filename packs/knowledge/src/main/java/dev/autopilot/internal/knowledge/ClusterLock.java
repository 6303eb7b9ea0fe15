package dev.autopilot.internal.knowledge;

import dev.autopilot.spi.TaskContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * A session advisory lock held for one run, so two runs of a Git task (a trigger overlapping the
 * schedule, two instances) never work on one working tree or push over each other. A run that
 * does not get the lock is recorded as skipped.
 */
final class ClusterLock {
  private ClusterLock() {}

  /** The work of a run. */
  interface Body {
    void run() throws Exception;
  }

  static void runExclusive(TaskContext ctx, Body body) throws Exception {
    String key = ctx.schema() + "." + ctx.taskName();
    try (Connection c = ctx.dataSource().getConnection()) {
      c.setAutoCommit(true);
      boolean locked;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
        ps.setString(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          locked = rs.getBoolean(1);
        }
      }
      if (!locked) {
        ctx.skip("another run of " + ctx.taskName() + " is in progress");
        return;
      }
      try {
        body.run();
      } finally {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(hashtext(?))")) {
          ps.setString(1, key);
          ps.execute();
        }
      }
    }
  }
}
