package dev.autopilot.internal;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executions running on this instance: their cancel and timeout flags, and their row in
 * {@code running_executions}. About once a second (and at once after a {@code cancel}
 * notification) it writes the runs older than half a second there (start time, backend pid of a
 * SQL run), removes the rows of runs that ended, and reads cancel requests for its runs: a
 * cancelled Java run sees {@code isCancelled()} and an interrupt, a cancelled SQL run's backend gets
 * {@code pg_cancel_backend}. Short runs never cost a write.
 */
final class Running implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Running.class);
  private static final long SYNC_MS = 1000;
  private static final Duration WRITE_AFTER = Duration.ofMillis(500);

  /** One running execution. */
  static final class Run {
    final String task;
    final String execution;
    final Instant startedAt;
    final Thread thread;
    final Duration timeout;
    private volatile Integer pid;
    private volatile String cancelledBy;
    private volatile boolean timedOut;
    private boolean done;
    private boolean written;
    private ScheduledFuture<?> timer;

    Run(String task, String execution, Instant startedAt, Thread thread, Duration timeout) {
      this.task = task;
      this.execution = execution;
      this.startedAt = startedAt;
      this.thread = thread;
      this.timeout = timeout;
    }

    String key() {
      return task + '\u0000' + execution;
    }

    boolean cancelled() {
      return cancelledBy != null || timedOut;
    }

    String cancelledBy() {
      return cancelledBy;
    }

    boolean timedOut() {
      return timedOut;
    }
  }

  private final Runtime rt;
  private final String table;
  private final Map<String, Run> runs = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timer;
  private volatile boolean anyWritten;

  Running(Runtime rt) {
    this.rt = rt;
    this.table = Jdbc.quoteIdent(rt.schema()) + ".running_executions";
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "autopilot-running-" + rt.instanceName());
      t.setDaemon(true);
      return t;
    });
  }

  void start() {
    try {
      rt.jdbc().update("DELETE FROM " + table + " WHERE instance = ?", ps -> ps.setString(1, rt.instanceName()));
    } catch (RuntimeException e) {
      log.warn("{}clearing running executions of a previous start failed: {}", rt.logPrefix(), e.toString());
    }
    timer.scheduleWithFixedDelay(this::syncSafely, SYNC_MS, SYNC_MS, TimeUnit.MILLISECONDS);
  }

  Run begin(String task, String execution, Duration timeout) {
    Run r = new Run(task, execution, rt.clock().instant(), Thread.currentThread(), timeout);
    runs.put(r.key(), r);
    if (timeout != null) {
      r.timer = timer.schedule(() -> timeOut(r), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
    return r;
  }

  /** The run's body returned or threw: no interrupt may reach the thread after this. */
  void end(Run r) {
    synchronized (r) {
      r.done = true;
      if (r.timer != null) {
        r.timer.cancel(false);
      }
    }
    Thread.interrupted(); // an interrupt meant for the body must not fail db-scheduler's bookkeeping
    runs.remove(r.key(), r);
  }

  /** A SQL run's backend, for pg_cancel_backend. */
  void pid(Run r, int pid) {
    r.pid = pid;
    if (r.cancelled()) {
      cancelBackend(r);
    }
  }

  void syncSoon() {
    if (!timer.isShutdown()) {
      timer.execute(this::syncSafely);
    }
  }

  private void timeOut(Run r) {
    synchronized (r) {
      if (r.done) {
        return;
      }
      r.timedOut = true;
      log.warn("{}task {} execution {} passed its timeout of {}: cancelling it", rt.logPrefix(), r.task,
          r.execution, r.timeout);
      if (r.pid == null) {
        r.thread.interrupt();
      }
    }
    cancelBackend(r);
  }

  private void cancel(Run r, String by) {
    synchronized (r) {
      if (r.done || r.cancelledBy != null) {
        return;
      }
      r.cancelledBy = by;
      log.info("{}task {} execution {} cancelled by {}", rt.logPrefix(), r.task, r.execution, by);
      if (r.pid == null) {
        r.thread.interrupt();
      }
    }
    cancelBackend(r);
  }

  private void cancelBackend(Run r) {
    Integer pid = r.pid;
    if (pid == null) {
      return;
    }
    try {
      rt.jdbc().query("SELECT pg_cancel_backend(?)", ps -> ps.setInt(1, pid), rs -> null);
    } catch (RuntimeException e) {
      log.warn("{}pg_cancel_backend({}) for task {} failed: {}", rt.logPrefix(), pid, r.task, e.toString());
    }
  }

  private void syncSafely() {
    try {
      sync();
    } catch (RuntimeException e) {
      if (!rt.isClosing()) {
        log.warn("{}syncing running executions failed (next try in a second): {}", rt.logPrefix(), e.toString());
      }
    }
  }

  private void sync() {
    if (runs.isEmpty() && !anyWritten) {
      return;
    }
    Instant writeBefore = rt.clock().instant().minus(WRITE_AFTER);
    List<Run> toWrite = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    for (Run r : runs.values()) {
      keys.add(r.task + '/' + r.execution); // task names hold no '/'
      if (!r.written && r.startedAt.isBefore(writeBefore)) {
        toWrite.add(r);
      }
    }
    String me = rt.instanceName();
    rt.jdbc().withConnection(c -> {
      for (Run r : toWrite) {
        Jdbc.update(c, "INSERT INTO " + table + " (task_name, execution_id, instance, started_at, backend_pid)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (task_name, execution_id) DO UPDATE SET instance = excluded.instance,"
            + " started_at = excluded.started_at, backend_pid = excluded.backend_pid", ps -> {
              ps.setString(1, r.task);
              ps.setString(2, r.execution);
              ps.setString(3, me);
              ps.setTimestamp(4, Timestamp.from(r.startedAt));
              ps.setObject(5, r.pid);
            });
        r.written = true;
      }
      // rows of ended runs; a fresh cancel request may name a run that has not begun here yet
      Jdbc.update(c, "DELETE FROM " + table + " WHERE instance = ? AND NOT (task_name || '/' || execution_id = ANY (?))"
          + " AND (cancel_requested_at IS NULL OR cancel_requested_at < now() - interval '10 seconds')", ps -> {
            ps.setString(1, me);
            ps.setArray(2, ps.getConnection().createArrayOf("text", keys.toArray()));
          });
      List<String[]> requests = Jdbc.query(c, "SELECT task_name, execution_id, cancel_requested_by FROM " + table
          + " WHERE instance = ? AND cancel_requested_at IS NOT NULL", ps -> ps.setString(1, me),
          rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
      for (String[] q : requests) {
        Run r = runs.get(q[0] + '\u0000' + q[1]);
        if (r != null) {
          cancel(r, q[2]);
        }
      }
      anyWritten = !runs.isEmpty() || !requests.isEmpty();
      return null;
    });
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      rt.jdbc().update("DELETE FROM " + table + " WHERE instance = ?", ps -> ps.setString(1, rt.instanceName()));
    } catch (RuntimeException e) {
      log.debug("{}clearing running executions failed: {}", rt.logPrefix(), e.toString());
    }
  }
}
