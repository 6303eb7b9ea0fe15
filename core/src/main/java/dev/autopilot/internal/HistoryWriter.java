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
 * executing thread no database round trip. The writer wakes as soon as a row arrives and writes
 * whatever has queued up meanwhile as one batch; on close it drains the queue. It is never
 * interrupted: an interrupt during the pool's connection acquisition would fail the write. A
 * failed write is retried with a pause ({@value #TRIES} tries), then logged with the rows.
 */
final class HistoryWriter implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  private static final int BATCH = 500;
  private static final int TRIES = 5;

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

  void insert(Connection c, List<HistoryRow> rows) throws SQLException {
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (task_name, execution_id, engine, outcome, attempt, instance, scheduled_at, started_at, finished_at,"
        + " duration_ms, error_class, error_message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)")) {
      for (HistoryRow r : rows) {
        ps.setString(1, r.taskName());
        ps.setString(2, r.executionId());
        ps.setString(3, r.engine());
        ps.setString(4, r.outcome());
        ps.setInt(5, r.attempt());
        ps.setString(6, r.instance());
        ps.setTimestamp(7, r.scheduledAt() == null ? null : Timestamp.from(r.scheduledAt()));
        ps.setTimestamp(8, Timestamp.from(r.startedAt()));
        ps.setTimestamp(9, Timestamp.from(r.finishedAt()));
        ps.setLong(10, Math.max(0, r.finishedAt().toEpochMilli() - r.startedAt().toEpochMilli()));
        ps.setString(11, r.errorClass());
        ps.setString(12, HistoryRow.clip(r.errorMessage()));
        ps.addBatch();
      }
      ps.executeBatch();
      c.commit();
    } catch (SQLException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(auto);
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
