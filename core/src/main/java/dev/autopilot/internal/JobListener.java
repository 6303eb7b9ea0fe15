package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.CurrentlyExecuting;
import com.github.kagkarlsson.scheduler.event.SchedulerListener;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records every db-scheduler execution in job history. The failure handler runs before this
 * listener and leaves its decision (retrying or failed) here; a task may leave a skip reason.
 */
final class JobListener implements SchedulerListener {

  private final Runtime rt;
  private final Map<String, String> outcomes = new ConcurrentHashMap<>();
  private final Map<String, String> skipReasons = new ConcurrentHashMap<>();
  private final Map<String, Boolean> deferred = new ConcurrentHashMap<>();

  JobListener(Runtime rt) {
    this.rt = rt;
  }

  static String key(TaskInstanceId id) {
    return id.getTaskName() + '\u0000' + id.getId();
  }

  void decided(Execution e, String outcome) {
    outcomes.put(key(e), outcome);
  }

  void skipped(Execution e, String reason) {
    skipReasons.put(key(e), reason);
  }

  /** The run found no free concurrency slot and was put back: not an attempt, no history row. */
  void deferred(Execution e) {
    deferred.put(key(e), Boolean.TRUE);
  }

  @Override
  public void onExecutionComplete(ExecutionComplete ec) {
    Execution e = ec.getExecution();
    String k = key(e);
    if (deferred.remove(k) != null) {
      return;
    }
    String outcome;
    String errorClass = null;
    String message = null;
    if (ec.getResult() == ExecutionComplete.Result.OK) {
      String skip = skipReasons.remove(k);
      outcome = skip == null ? "succeeded" : "skipped";
      message = skip;
    } else {
      outcome = outcomes.getOrDefault(k, "failed");
      Throwable cause = ec.getCause().orElse(null);
      if (cause instanceof TaskFailedException && cause.getCause() != null) {
        cause = cause.getCause();
      }
      if (cause != null) {
        errorClass = cause.getClass().getName();
        message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
      }
    }
    outcomes.remove(k);
    skipReasons.remove(k);
    Instant done = ec.getTimeDone();
    Instant started = done.minus(ec.getDuration());
    if ("cancelled".equals(outcome)) {
      errorClass = null;
    }
    RunArgs data = e.taskInstance.getData() instanceof RunArgs ? (RunArgs) e.taskInstance.getData() : RunArgs.NONE;
    rt.history().record(new HistoryRow(e.getTaskName(), e.getId(), "db-scheduler", outcome,
        Runtime.attempt(e), rt.instanceName(), e.executionTime, started, done, errorClass, message, data.args(),
        data.retryOf()));
    if (e.getId().startsWith("bootstrap-w")) {
      rt.extension(dev.autopilot.internal.bootstrap.Bootstrap.class).ifPresent(b -> b.wake());
    }
  }

  @Override
  public void onExecutionDead(Execution e) {
    Instant now = rt.clock().instant();
    rt.history().record(new HistoryRow(e.getTaskName(), e.getId(), "db-scheduler", "dead",
        Runtime.attempt(e), e.pickedBy, e.executionTime,
        e.lastHeartbeat != null ? e.lastHeartbeat : e.executionTime, now, null,
        "execution picked by " + e.pickedBy + " stopped sending heartbeats; it will be revived"));
  }

  @Override
  public void onExecutionScheduled(TaskInstanceId id, Instant at) {}

  @Override
  public void onExecutionStart(CurrentlyExecuting ce) {}

  @Override
  public void onExecutionFailedHeartbeat(CurrentlyExecuting ce) {}

  @Override
  public void onSchedulerEvent(SchedulerEventType type) {}

  @Override
  public void onCandidateEvent(CandidateEventType type) {}
}
