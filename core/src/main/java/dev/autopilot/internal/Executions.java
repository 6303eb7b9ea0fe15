package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.task.CompletionHandler;
import com.github.kagkarlsson.scheduler.task.Execution;
import dev.autopilot.spi.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How one db-scheduler execution of a task runs: skipped (reason {@code paused}) while the task is
 * paused; its arguments checked against the ones the task declares; put back a few hundred ms
 * later, without counting an attempt, when the task's concurrency slots are all taken; otherwise
 * the body, registered in {@link Running} so it can be cancelled and timed out, ending {@code
 * cancelled} or {@code failed} "timed out after ..." when it was.
 */
final class Executions {

  private final Runtime rt;
  private final JobListener listener;
  private final Pauses pauses;
  private final Running running;
  private final Slots slots;

  Executions(Runtime rt, JobListener listener, Pauses pauses, Running running, Slots slots) {
    this.rt = rt;
    this.listener = listener;
    this.pauses = pauses;
    this.running = running;
    this.slots = slots;
  }

  /** @return the attempt number of an execution: its failures here plus those made elsewhere (a pg_cron run) */
  static int attempt(Execution e) {
    Object data = e.taskInstance.getData();
    int offset = data instanceof RunArgs ? ((RunArgs) data).attemptOffset() : 0;
    return e.consecutiveFailures + 1 + offset;
  }

  private CompletionHandler<RunArgs> done(CronSchedule schedule, Execution execution) {
    if (schedule != null && Runtime.RECURRING.equals(execution.getId())) {
      // the next slot starts afresh (no attempts carried over from a deferral)
      return new CompletionHandler.OnCompleteReschedule<>(schedule, null);
    }
    return new CompletionHandler.OnCompleteRemove<>();
  }

  /**
   * One execution: skipped when the task is paused; put back a moment later when a concurrency
   * slot is not free; otherwise the body, watched for cancellation and its timeout.
   */
  CompletionHandler<RunArgs> run(Task task, CronSchedule schedule, Execution execution) {
    RunArgs data = RunArgs.orNone((RunArgs) execution.taskInstance.getData());
    if (pauses.isPaused(task.name())) {
      listener.skipped(execution, "paused");
      return done(schedule, execution);
    }
    if (!data.args().isEmpty()) {
      try {
        task.checkArgs(data.args()); // an attached client (the CLI) cannot check a task it only knows by name
      } catch (IllegalArgumentException e) {
        throw new TaskFailedException(task.name(), e, false);
      }
    }
    Slots.Slot slot = null;
    if (task.maxConcurrency() > 0) {
      slot = slots.tryAcquire(task.name(), task.maxConcurrency());
      if (slot == null) {
        listener.deferred(execution);
        Instant at = rt.clock().instant().plusMillis(100 + ThreadLocalRandom.current().nextInt(400));
        RunArgs carried = data.withAttemptOffset(data.attemptOffset() + execution.consecutiveFailures);
        return (ec, ops) -> ops.reschedule(ec, at, carried);
      }
    }
    Running.Run run = running.begin(task.name(), execution.getId(), task.timeout().orElse(null));
    RunContext ctx = new RunContext(rt, task.name(), execution.getId(), attempt(execution),
        () -> rt.isClosing() || run.cancelled(), data.args());
    try {
      if (task.kind() == Task.Kind.JAVA) {
        task.body().orElseThrow().run(ctx);
      } else {
        String skip = rt.runSql(task, run);
        if (skip != null) {
          ctx.skip(skip);
        }
      }
    } catch (RuntimeException | Error ex) {
      java.util.Optional<RuntimeException> stop = stopped(task, run);
      if (stop.isPresent()) {
        throw stop.get();
      }
      throw ex;
    } catch (Exception ex) {
      throw stopped(task, run).orElseGet(() -> new TaskFailedException(task.name(), ex));
    } finally {
      running.end(run);
      if (slot != null) {
        slot.close();
        if (rt.notifying()) {
          Notifier.send(rt, Notifier.DUE); // a run waiting for the slot may start now
        }
      }
      if (ctx.skipReason() != null && !run.cancelled()) {
        listener.skipped(execution, ctx.skipReason());
      }
    }
    stopped(task, run).ifPresent(ex -> {
      throw ex;
    });
    return done(schedule, execution);
  }

  /** @return the failure to record when the run was cancelled or timed out */
  private java.util.Optional<RuntimeException> stopped(Task task, Running.Run run) {
    if (run.cancelledBy() != null) {
      return java.util.Optional.of(new RunCancelledException(run.cancelledBy()));
    }
    boolean late = task.timeout().isPresent()
        && !run.startedAt.plus(task.timeout().get()).isAfter(rt.clock().instant());
    if (run.timedOut() || late) { // late: statement_timeout may fire before the watchdog
      return java.util.Optional.of(new TaskFailedException(task.name(),
          new java.util.concurrent.TimeoutException("timed out after " + human(task.timeout().orElseThrow()))));
    }
    return java.util.Optional.empty();
  }

  /** @return a duration as people write it: {@code 700 ms}, {@code 30 s}, {@code 5 min} */
  static String human(Duration d) {
    long ms = d.toMillis();
    if (ms % 1000 != 0) {
      return ms + " ms";
    }
    long s = ms / 1000;
    return s % 60 != 0 || s < 60 ? s + " s" : (s / 60) + " min";
  }
}
