package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Heartbeats for executions this JVM has picked but not started yet. db-scheduler picks a row
 * with one statement and reads it back with a second one before it runs it (and heartbeats it);
 * when the host's pool is held by long tasks, the second statement can wait for a connection
 * longer than the dead limit, and another instance would revive a run this JVM is about to start:
 * the task would run twice. Rows picked by this JVM (since it started: a pick's first heartbeat
 * is its pick time) are kept fresh for {@value #GRACE_MINUTES} minutes from when this check first
 * saw them; a pick older than that is judged by the usual dead check. The grace is kept in this
 * JVM's memory, so a pick costs no write of its own.
 */
final class PickHeartbeat implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(PickHeartbeat.class);
  static final long GRACE_MINUTES = 5;

  private final Runtime rt;
  private final Instant started;
  /** picks of this JVM seen by this check: task/instance -> when first seen */
  private final Map<String, Instant> seen = new HashMap<>();

  PickHeartbeat(Runtime rt, Instant started) {
    this.rt = rt;
    this.started = started;
  }

  @Override
  public void run() {
    Instant now = rt.clock().instant();
    Instant expiredBefore = now.minus(Duration.ofMinutes(GRACE_MINUTES));
    String me = Revival.pickedByName(rt.instanceName());
    String table = Jdbc.quoteIdent(rt.schema()) + ".scheduled_tasks";
    try {
      // rows this JVM picked: picked by its name with a heartbeat since it started (a row of an earlier
      // JVM of the same name has an older one, and is never made fresh here); task names hold no '/'
      Set<String> picked = new HashSet<>(rt.schedulerJdbc().query("SELECT task_name || '/' || task_instance FROM "
          + table + " WHERE picked AND picked_by = ? AND last_heartbeat >= ?", ps -> {
            ps.setString(1, me);
            ps.setTimestamp(2, Timestamp.from(started));
          }, rs -> rs.getString(1)));
      seen.keySet().retainAll(picked);
      Set<String> executing = new HashSet<>();
      for (CurrentlyExecuting c : rt.scheduler().getCurrentlyExecuting()) {
        executing.add(c.getTaskInstance().getTaskName() + '/' + c.getTaskInstance().getId());
      }
      List<String> beat = new ArrayList<>();
      for (String k : picked) {
        Instant first = seen.computeIfAbsent(k, x -> now);
        if (!executing.contains(k) && !first.isBefore(expiredBefore)) {
          beat.add(k); // db-scheduler heartbeats what it executes
        }
      }
      if (beat.isEmpty()) {
        return;
      }
      rt.schedulerJdbc().update("UPDATE " + table + " SET last_heartbeat = ? WHERE picked AND picked_by = ?"
          + " AND task_name || '/' || task_instance = ANY (?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, me);
            ps.setArray(3, ps.getConnection().createArrayOf("text", beat.toArray()));
          });
    } catch (RuntimeException e) {
      log.debug("{}heartbeat of picked executions failed: {}", rt.logPrefix(), Secrets.message(e));
    }
  }
}
