package dev.autopilot.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
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
 * interrupted: an interrupt during the pool's connection acquisition would fail the write. A
 * failed write is retried with a pause ({@value #TRIES} tries), then logged with the rows.
 */
final class HistoryWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  private static final int BATCH = 500;
  private static final int TRIES = 5;
  private static final long LINGER_MS = 50;

  private final DataSource dataSource;
  private final String table;
  private final String logPrefix;
  private final long flushIntervalMs;
  private final BlockingQueue<HistoryRow> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private final Object flushed = new Object();
  private long written;
  private long enqueued;

  HistoryWriter(DataSource dataSource, String schema, String logPrefix, long flushIntervalMs, String threadName) {
    this.dataSource = dataSource;
    this.table = Jdbc.quoteIdent(schema) + ".job_history";
    this.logPrefix = logPrefix;
    this.flushIntervalMs = flushIntervalMs;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
    this.thread.start();
  }

  void record(HistoryRow row) {
    synchronized (flushed) {
      enqueued++;
    }
    queue.add(row);
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
    for (int tries = 1; ; tries++) {
      try (Connection c = dataSource.getConnection()) {
        insert(c, rows);
        return;
      } catch (SQLException e) {
        if (tries >= TRIES) {
          log.error("{}could not write {} job history row(s) after {} tries: {}; rows: {}", logPrefix, rows.size(),
              tries, e.getMessage(), rows);
          return;
        }
        log.warn("{}writing {} job history row(s) failed (try {} of {}), retrying: {}", logPrefix, rows.size(),
            tries, TRIES, e.getMessage());
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
    Timestamp[] scheduled = new Timestamp[n];
    Timestamp[] started = new Timestamp[n];
    Timestamp[] finished = new Timestamp[n];
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
      scheduled[i] = r.scheduledAt() == null ? null : Timestamp.from(r.scheduledAt());
      started[i] = Timestamp.from(r.startedAt());
      finished[i] = Timestamp.from(r.finishedAt());
      duration[i] = Math.max(0, r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli());
      errorClass[i] = r.errorClass();
      errorMessage[i] = HistoryRow.clip(r.errorMessage());
      args[i] = RunArgs.json(r.args());
      retryOf[i] = r.retryOf();
    }
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (task_name, execution_id, engine, outcome, attempt, instance, scheduled_at, started_at, finished_at,"
        + " duration_ms, error_class, error_message, args, retry_of)"
        + " SELECT t, e, g, o, a, i, s, st, f, d, ec, em, ar::jsonb, r FROM unnest(?::text[], ?::text[], ?::text[],"
        + " ?::text[], ?::int[], ?::text[], ?::timestamptz[], ?::timestamptz[], ?::timestamptz[], ?::bigint[],"
        + " ?::text[], ?::text[], ?::text[], ?::text[]) AS x(t, e, g, o, a, i, s, st, f, d, ec, em, ar, r)")) {
      ps.setArray(1, c.createArrayOf("text", task));
      ps.setArray(2, c.createArrayOf("text", execution));
      ps.setArray(3, c.createArrayOf("text", engine));
      ps.setArray(4, c.createArrayOf("text", outcome));
      ps.setArray(5, c.createArrayOf("int4", attempt));
      ps.setArray(6, c.createArrayOf("text", instance));
      ps.setArray(7, c.createArrayOf("timestamptz", scheduled));
      ps.setArray(8, c.createArrayOf("timestamptz", started));
      ps.setArray(9, c.createArrayOf("timestamptz", finished));
      ps.setArray(10, c.createArrayOf("int8", duration));
      ps.setArray(11, c.createArrayOf("text", errorClass));
      ps.setArray(12, c.createArrayOf("text", errorMessage));
      ps.setArray(13, c.createArrayOf("text", args));
      ps.setArray(14, c.createArrayOf("text", retryOf));
      ps.executeUpdate();
    }
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
