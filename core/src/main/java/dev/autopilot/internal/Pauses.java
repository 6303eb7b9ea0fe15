package dev.autopilot.internal;

import dev.autopilot.Pause;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The paused tasks ({@code task_pauses}), as the run wrapper sees them: read at most once a
 * second, and at once after a {@code pause} notification, so checking costs a run no round trip.
 */
final class Pauses {
  private static final Logger log = LoggerFactory.getLogger(Pauses.class);
  private static final long MAX_AGE_NANOS = 1_000_000_000L;

  private final Runtime rt;
  private final String table;
  private volatile Set<String> paused = Set.of();
  private volatile long loadedAt;
  private volatile boolean stale = true;

  Pauses(Runtime rt) {
    this.rt = rt;
    this.table = Jdbc.quoteIdent(rt.schema()) + ".task_pauses";
  }

  boolean isPaused(String task) {
    if (stale || System.nanoTime() - loadedAt > MAX_AGE_NANOS) {
      reload();
    }
    return paused.contains(task);
  }

  void invalidate() {
    stale = true;
  }

  private synchronized void reload() {
    if (!stale && System.nanoTime() - loadedAt <= MAX_AGE_NANOS) {
      return;
    }
    stale = false;
    try {
      paused = new HashSet<>(rt.jdbc().query("SELECT task_name FROM " + table, Jdbc.NONE, rs -> rs.getString(1)));
    } catch (RuntimeException e) {
      log.warn("{}reading paused tasks failed (keeping the last known): {}", rt.logPrefix(), e.toString());
    }
    loadedAt = System.nanoTime();
  }

  /** @return every pause, oldest first */
  static List<Pause> list(Jdbc jdbc, String schema) {
    return jdbc.query("SELECT task_name, paused_by, reason, paused_at FROM " + Jdbc.quoteIdent(schema)
        + ".task_pauses ORDER BY paused_at, task_name", Jdbc.NONE,
        rs -> new Pause(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant()));
  }

  /** @return the names of the paused tasks */
  static Set<String> names(Jdbc jdbc, String schema) {
    return new HashSet<>(jdbc.query("SELECT task_name FROM " + Jdbc.quoteIdent(schema) + ".task_pauses", Jdbc.NONE,
        rs -> rs.getString(1)));
  }
}
