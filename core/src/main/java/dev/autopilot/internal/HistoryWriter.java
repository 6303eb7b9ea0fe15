package dev.autopilot.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes job history in batches from a background thread, so recording an execution costs the
 * executing thread no database round trip. The writer wakes when a row arrives, lingers {@value
 * #LINGER_MS} ms, and writes whatever has queued up as one statement; on close it drains the queue. It is never
 * interrupted: an interrupt during the pool's connection acquisition would fail the write.
 *
 * <p>While the database is unreachable the writer holds its rows and waits for it (the {@link
 * DatabaseWatch} logs the outage once); rows recorded meanwhile wait in a buffer of {@value
 * #CAPACITY} rows. When the buffer is full, new rows are dropped, counted ({@link #dropped()},
 * shown by {@code Health.historyRowsDropped}) and logged: one WARN when dropping starts, one with
 * the count and the tasks concerned when the database takes rows again. A write that fails for
 * another reason (a bad row) is retried {@value #TRIES} times, then logged with its rows and counted
 * as dropped. Nothing is dropped silently.
 */
final class HistoryWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  private static final int BATCH = 500;
  private static final int TRIES = 5;
  private static final long LINGER_MS = 50;
  static final int CAPACITY = 20_000;
  /** How long close() keeps trying an unreachable database before it gives the rest up (counted and logged). */
  private static final long CLOSE_WAIT_MS = 10_000;

  private final DataSource dataSource;
  private final String table;
  private final String logPrefix;
  private final long flushIntervalMs;
  private final BlockingQueue<HistoryRow> queue;
  private final DatabaseWatch watch;
  private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
  private final java.util.Set<String> droppedTasks = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean dropping;
  private long droppedReported;
  private final Thread thread;
  private volatile boolean closing;
  private final Object flushed = new Object();
  private long written;
  private long enqueued;

  HistoryWriter(DataSource dataSource, String schema, String logPrefix, long flushIntervalMs, String threadName,
      DatabaseWatch watch) {
    this(dataSource, schema, logPrefix, flushIntervalMs, threadName, watch, CAPACITY);
  }

  HistoryWriter(DataSource dataSource, String schema, String logPrefix, long flushIntervalMs, String threadName,
      DatabaseWatch watch, int capacity) {
    this.dataSource = dataSource;
    this.watch = watch;
    this.queue = new LinkedBlockingQueue<>(capacity);
    this.table = Jdbc.quoteIdent(schema) + ".job_history";
    this.logPrefix = logPrefix;
    this.flushIntervalMs = flushIntervalMs;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void record(HistoryRow row) {
    if (!queue.offer(row)) {
      dropped.incrementAndGet();
      if (droppedTasks.size() < 20) {
        droppedTasks.add(row.taskName());
      }
      if (!dropping) {
        dropping = true;
        log.warn("{}job history buffer full ({} rows waiting for the database): dropping new rows, counted in"
            + " health().historyRowsDropped(); first dropped: {} {} {}", logPrefix, queue.size(), row.taskName(),
            row.executionId(), row.outcome());
      }
      return;
    }
    synchronized (flushed) {
      enqueued++;
    }
  }

  /** @return rows dropped so far (buffer full, or not writable) */
  long dropped() {
    return dropped.get();
  }

  /** Waits until every row recorded before this call is written (or the timeout passes). */
  boolean flush(long timeoutMs) {
    long target;
    synchronized (flushed) {
      target = enqueued;
    }
    long deadline = System.currentTimeMillis() + timeoutMs;
    synchronized (flushed) {
      while (written < target) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return false;
        }
        try {
          flushed.wait(Math.min(left, 50));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
    return true;
  }

  private void loop() {
    List<HistoryRow> batch = new ArrayList<>();
    while (!closing || !queue.isEmpty()) {
      try {
        HistoryRow first = queue.poll(flushIntervalMs, TimeUnit.MILLISECONDS);
        if (first != null) {
          batch.add(first);
          if (!closing && queue.size() < BATCH) {
            // linger a moment so one statement carries many rows: the server's work per row drops
            Thread.sleep(LINGER_MS);
          }
        }
      } catch (InterruptedException e) {
        // only the JVM interrupts this thread; finish the queue and stop
        closing = true;
      }
      queue.drainTo(batch, BATCH - batch.size());
      if (!batch.isEmpty()) {
        write(batch);
        synchronized (flushed) {
          written += batch.size();
          flushed.notifyAll();
        }
        batch.clear();
      }
    }
  }

  private void write(List<HistoryRow> rows) {
    long closeDeadline = 0;
    for (int tries = 1; ; tries++) {
      try (Connection c = dataSource.getConnection()) {
        insert(c, rows);
        reportDropped();
        return;
      } catch (SQLException e) {
        if (DatabaseWatch.isTransient(e)) {
          // the database (or the pool) is away: hold the rows and wait, however long it takes
          tries = 0;
          watch.suspect(e);
          if (closing) {
            closeDeadline = closeDeadline == 0 ? System.currentTimeMillis() + CLOSE_WAIT_MS : closeDeadline;
            if (System.currentTimeMillis() > closeDeadline) {
              dropped.addAndGet(rows.size());
              log.error("{}{} job history row(s) not written: the database is unreachable while closing; rows: {}",
                  logPrefix, rows.size(), Secrets.mask(rows.toString()));
              return;
            }
          }
          try {
            watch.awaitUp(1_000);
            Thread.sleep(200);
          } catch (InterruptedException ie) {
            closing = true;
          }
          continue;
        }
        if (tries >= TRIES) {
          dropped.addAndGet(rows.size());
          log.error("{}could not write {} job history row(s) after {} tries: {}; rows: {}", logPrefix, rows.size(),
              tries, Secrets.message(e), Secrets.mask(rows.toString()));
          return;
        }
        log.warn("{}writing {} job history row(s) failed (try {} of {}), retrying: {}", logPrefix, rows.size(),
            tries, TRIES, Secrets.message(e));
        try {
          Thread.sleep(closing ? 100 : 1000L * tries);
        } catch (InterruptedException ie) {
          closing = true;
        }
      }
    }
  }

  /** One statement per batch (arrays unnested server-side): far cheaper for the server than a row each. */
  void insert(Connection c, List<HistoryRow> rows) throws SQLException {
    int n = rows.size();
    String[] task = new String[n];
    String[] execution = new String[n];
    String[] engine = new String[n];
    String[] outcome = new String[n];
    Integer[] attempt = new Integer[n];
    String[] instance = new String[n];
    Long[] scheduled = new Long[n];
    Long[] started = new Long[n];
    Long[] finished = new Long[n];
    Long[] duration = new Long[n];
    String[] errorClass = new String[n];
    String[] errorMessage = new String[n];
    String[] args = new String[n];
    String[] retryOf = new String[n];
    for (int i = 0; i < n; i++) {
      HistoryRow r = rows.get(i);
      task[i] = r.taskName();
      execution[i] = r.executionId();
      engine[i] = r.engine();
      outcome[i] = r.outcome();
      attempt[i] = r.attempt();
      instance[i] = r.instance();
      scheduled[i] = micros(r.scheduledAt());
      started[i] = micros(r.startedAt());
      finished[i] = micros(r.finishedAt());
      // a dead run's end is only when it was found dead: its duration is unknown, not made up
      duration[i] = r.startedAt() == null || "dead".equals(r.outcome()) ? null
          : Math.max(0, r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli());
      errorClass[i] = r.errorClass();
      errorMessage[i] = HistoryRow.clip(r.errorMessage());
      args[i] = RunArgs.json(r.args());
      retryOf[i] = r.retryOf();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (task_name, execution_id, engine, outcome, attempt, instance, scheduled_at, started_at, finished_at,"
        + " duration_ms, error_class, error_message, args, retry_of)"
        // times travel as microseconds since the epoch: cheaper to write and to read than timestamp text
        + " SELECT t, e, g, o, a, i, " + EPOCH + " + s * " + MICRO + ", " + EPOCH + " + st * " + MICRO + ", "
        + EPOCH + " + f * " + MICRO + ", d, ec, em, ar::jsonb, r FROM unnest(?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::int[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], ?::bigint[],"
        + " ?::text[], ?::text[], ?::text[], ?::text[]) AS x(t, e, g, o, a, i, s, st, f, d, ec, em, ar, r)")) {
      ps.setArray(1, c.createArrayOf("text", task));
      ps.setArray(2, c.createArrayOf("text", execution));
      ps.setArray(3, c.createArrayOf("text", engine));
      ps.setArray(4, c.createArrayOf("text", outcome));
      ps.setArray(5, c.createArrayOf("int4", attempt));
      ps.setArray(6, c.createArrayOf("text", instance));
      ps.setArray(7, c.createArrayOf("int8", scheduled));
      ps.setArray(8, c.createArrayOf("int8", started));
      ps.setArray(9, c.createArrayOf("int8", finished));
      ps.setArray(10, c.createArrayOf("int8", duration));
      ps.setArray(11, c.createArrayOf("text", errorClass));
      ps.setArray(12, c.createArrayOf("text", errorMessage));
      ps.setArray(13, c.createArrayOf("text", args));
      ps.setArray(14, c.createArrayOf("text", retryOf));
      ps.executeUpdate();
    }
  }

  private static final String EPOCH = "timestamptz '1970-01-01 00:00:00+00'";
  private static final String MICRO = "interval '1 microsecond'";

  /** @return microseconds since the epoch (exact for any time a run can have), or null */
  static Long micros(java.time.Instant t) {
    return t == null ? null : Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
  }

  private void reportDropped() {
    long now = dropped.get();
    if (now > droppedReported) {
      log.warn("{}{} job history row(s) were dropped while the buffer was full (tasks: {}); {} in all since start",
          logPrefix, now - droppedReported, String.join(", ", droppedTasks), now);
      droppedReported = now;
      droppedTasks.clear();
    }
    dropping = false;
  }

  @Override
  public void close() {
    closing = true;
    try {
      thread.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
