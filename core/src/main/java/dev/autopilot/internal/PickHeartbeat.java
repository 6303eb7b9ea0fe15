package dev.autopilot.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats for executions this JVM has picked but not started yet. db-scheduler picks a row
 * with one statement and reads it back with a second one before it runs it (and heartbeats it);
 * when the host's pool is held by long tasks, the second statement can wait for a connection
 * longer than the dead limit, and another instance would revive a run this JVM is about to start:
 * the task would run twice. Rows picked by this JVM (since it started) within {@value
 * #GRACE_MINUTES} minutes are kept fresh; a pick older than that is judged by the usual dead check.
 */
final class PickHeartbeat implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PickHeartbeat.class);
  static final long GRACE_MINUTES = 5;

  private final Runtime rt;
  private final Instant started;

  PickHeartbeat(Runtime rt, Instant started) {
    this.rt = rt;
    this.started = started;
  }

  @Override
  public void run() {
    Instant now = rt.clock().instant();
    Instant since = now.minus(Duration.ofMinutes(GRACE_MINUTES));
    try {
      rt.schedulerJdbc().update("UPDATE " + Jdbc.quoteIdent(rt.schema()) + ".scheduled_tasks SET last_heartbeat = ?"
          + " WHERE picked AND picked_by = ? AND picked_at >= ? AND picked_at >= ?", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, Revival.pickedByName(rt.instanceName()));
            ps.setTimestamp(3, Timestamp.from(started));
            ps.setTimestamp(4, Timestamp.from(since));
          });
    } catch (RuntimeException e) {
      log.debug("{}heartbeat of picked executions failed: {}", rt.logPrefix(), Secrets.message(e));
    }
  }
}
