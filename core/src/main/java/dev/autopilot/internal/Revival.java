package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.task.DeadExecutionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What happens to an execution whose instance stopped heartbeating for {@code
 * missedHeartbeatsLimit x heartbeatInterval}: it is recorded in job history as {@code dead}
 * (with its real start, from the {@code running_executions} row its instance wrote within about
 * 1.5 s of the start, else none; and no duration: nobody knows when it stopped) and made due
 * again at once.
 *
 * <p>A revival is not a retry: the revived run keeps the dead run's attempt number and does not
 * use up the task's retry policy (the run did not fail, its instance went away).
 *
 * <p>Not revived: an execution this JVM is still running (its heartbeat is merely late), and
 * nothing at all while this instance's own database connection has not been steady for the dead
 * limit: after an outage every heartbeat is stale, and the instances that own them need a
 * heartbeat interval to write a fresh one. The check runs again every two heartbeat intervals.
 */
final class Revival implements DeadExecutionHandler<RunArgs> {

  private static final Logger log = LoggerFactory.getLogger(Revival.class);

  private final Runtime rt;
  private final Duration deadAfter;

  Revival(Runtime rt, Duration deadAfter) {
    this.rt = rt;
    this.deadAfter = deadAfter;
  }

  @Override
  public void deadExecution(ExecutionComplete ec, ExecutionOperations<RunArgs> ops) {
    Execution e = ec.getExecution();
    if (!rt.watch().steadyFor(deadAfter)) {
      log.debug("{}{} looks dead, but the database was unreachable lately: judged later", rt.logPrefix(), e);
      return;
    }
    if (ownName().equals(e.pickedBy) && runningHere(e)) {
      return; // ours and alive: its heartbeat is late, the next one makes it fresh
    }
    Instant now = rt.clock().instant();
    String q = Jdbc.quoteIdent(rt.schema());
    // the run's start as its instance wrote it to running_executions (within about 1.5 s of the start;
    // a run that died sooner, or never started, has no known start); the dead instance's row goes
    Instant started = rt.schedulerJdbc().queryOne("WITH r AS (DELETE FROM " + q + ".running_executions"
        + " WHERE task_name = ? AND execution_id = ? AND left(instance, 50) = ? RETURNING started_at)"
        + " UPDATE " + q + ".scheduled_tasks t SET picked = false, picked_by = NULL, last_heartbeat = NULL,"
        + " execution_time = ?, version = t.version + 1"
        // still stale now: a heartbeat written since the dead check read the row (it does not change
        // the version) means its instance is alive
        + " WHERE t.task_name = ? AND t.task_instance = ? AND t.version = ? AND t.picked"
        + " AND (t.last_heartbeat IS NULL OR t.last_heartbeat <= ?)"
        + " RETURNING (SELECT max(r.started_at) FROM r)", ps -> {
          ps.setString(1, e.taskInstance.getTaskName());
          ps.setString(2, e.taskInstance.getId());
          ps.setString(3, e.pickedBy);
          ps.setTimestamp(4, Timestamp.from(now));
          ps.setString(5, e.taskInstance.getTaskName());
          ps.setString(6, e.taskInstance.getId());
          ps.setLong(7, e.version);
          ps.setTimestamp(8, Timestamp.from(now.minus(deadAfter)));
        }, rs -> {
          Timestamp t = rs.getTimestamp(1);
          return t == null ? Instant.EPOCH : t.toInstant();
        }).orElse(null);
    if (started == null) {
      return; // another instance revived it first, it completed after all, or it heartbeated meanwhile
    }
    int attempt = Runtime.attempt(e);
    RunArgs data = e.taskInstance.getData() instanceof RunArgs ? (RunArgs) e.taskInstance.getData() : RunArgs.NONE;
    rt.recordHistory(new HistoryRow(e.getTaskName(), e.getId(), "db-scheduler", "dead", attempt, e.pickedBy,
        e.executionTime, Instant.EPOCH.equals(started) ? null : started, now, null,
        "instance " + e.pickedBy + " stopped heartbeating (last at " + e.lastHeartbeat + "); revived as attempt "
            + attempt + " (a revival is not a retry)", data.args(), data.retryOf()));
    log.warn("{}task {} ({}) on instance {} stopped heartbeating at {}: recorded dead and revived", rt.logPrefix(),
        e.getTaskName(), e.getId(), e.pickedBy, e.lastHeartbeat);
    rt.scheduler().triggerCheckForDueExecutions();
  }

  private String ownName() {
    return pickedByName(rt.instanceName());
  }

  /** @return the instance name as db-scheduler writes it into {@code picked_by} (at most 50 characters) */
  static String pickedByName(String instanceName) {
    return instanceName.length() > 50 ? instanceName.substring(0, 50) : instanceName;
  }

  private boolean runningHere(Execution e) {
    return rt.scheduler().getCurrentlyExecuting().stream()
        .anyMatch(c -> c.getExecution().taskInstance.equals(e.taskInstance));
  }
}
