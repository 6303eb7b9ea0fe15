package dev.autopilot.internal;

import java.io.EOFException;
import java.net.SocketException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Knows whether the database answers, and keeps one connection of the host's pool for the
 * scheduler's housekeeping (heartbeats, dead-execution checks), so a pool held by long tasks
 * does not stop heartbeats and get running executions revived elsewhere.
 *
 * <p>A probe checks that connection ({@code isValid}) every {@value #PROBE_MS} ms. When it fails
 * with a connection problem the database is <em>down</em>: one WARN; db-scheduler's requests then
 * wait for it ({@link SchedulerDataSource}), its housekeeping pauses ({@link Housekeeper}), and the probe waits for a new connection from the pool; when it gets
 * one the database is <em>up</em> again: one INFO with the outage's length. Nothing else logs
 * connection loss, and never with a stack trace.
 */
final class DatabaseWatch implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DatabaseWatch.class);
  static final long PROBE_MS = 1000;

  private final DataSource pool;
  private final String logPrefix;
  private final ReentrantLock reservedLock = new ReentrantLock();
  private final Object stateLock = new Object();
  private final Thread thread;
  private Connection reserved;
  private volatile boolean up = true;
  private volatile boolean closing;
  private volatile long downSinceNanos;
  private volatile long upSinceNanos = System.nanoTime();
  private volatile boolean everDown;
  private volatile boolean poolExhausted;
  private volatile Throwable lastProblem;

  DatabaseWatch(DataSource pool, String logPrefix, String threadName) {
    this.pool = pool;
    this.logPrefix = logPrefix;
    this.thread = new Thread(this::loop, threadName);
    this.thread.setDaemon(true);
  }

  /** Takes the reserved connection now, before tasks can take the pool, and starts probing. */
  void start() {
    try (Connection c = borrowReserved()) {
      c.isValid(2);
    } catch (SQLException | RuntimeException e) {
      log.debug("{}no connection reserved yet: {}", logPrefix, Secrets.message(e));
    }
    thread.start();
  }

  /** @return true while the database answers (as far as the last probe knows) */
  boolean isUp() {
    return up;
  }

  /**
   * @param window a duration
   * @return true when the database has answered without a break for at least this long (or was
   *     never down), so a stale heartbeat seen now means its instance stopped, not the database
   */
  boolean steadyFor(Duration window) {
    return up && (!everDown || System.nanoTime() - upSinceNanos >= window.toNanos());
  }

  /** Waits until the database is up, the watch closes, or the timeout passes. */
  boolean awaitUp(long timeoutMs) throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (stateLock) {
      while (!up && !closing) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        stateLock.wait(Math.min(left, PROBE_MS));
      }
    }
    return up;
  }

  /** Another component saw a connection problem: the probe checks at once. */
  void suspect(Throwable t) {
    if (up && isConnectionProblem(t)) {
      lastProblem = t;
      thread.interrupt();
    }
  }

  /**
   * The reserved connection, locked for the caller until it closes the returned handle.
   *
   * @return a connection whose {@code close()} releases it (the real one stays open)
   * @throws SQLException when there is none and the pool gives none
   */
  Connection borrowReserved() throws SQLException {
    reservedLock.lock();
    try {
      if (reserved == null || reserved.isClosed()) {
        reserved = pool.getConnection();
      }
      return ReservedConnection.wrap(reserved, reservedLock);
    } catch (SQLException | RuntimeException e) {
      reservedLock.unlock();
      throw e;
    }
  }

  /**
   * Checks the reserved connection just before housekeeping uses it; when the server has ended it
   * the probe is woken to judge the database at once.
   *
   * @return true when it answers
   */
  boolean reservedUsable() {
    try (Connection c = borrowReserved()) {
      if (c.isValid(2)) {
        return true;
      }
    } catch (SQLException | RuntimeException e) {
      // judged by the probe
    }
    dropReserved();
    thread.interrupt();
    return false;
  }

  private void loop() {
    while (!closing) {
      try {
        probe();
        Thread.sleep(PROBE_MS);
      } catch (InterruptedException e) {
        // woken by suspect() or close(): probe again or stop
      }
    }
    dropReserved();
  }

  private void probe() {
    try (Connection c = borrowReserved()) {
      // isValid, not a statement: a pool logs a failed statement's stack trace, a failed check quietly
      if (!c.isValid(10)) {
        throw new SQLException(lastProblem != null ? Secrets.message(lastProblem)
            : "the connection Autopilot keeps stopped answering", "08006");
      }
      lastProblem = null;
      changeTo(true, null);
    } catch (SQLException | RuntimeException e) {
      if (closing) {
        return;
      }
      dropReserved();
      if (isConnectionProblem(e)) {
        changeTo(false, e);
      } else if (e instanceof SQLTransientConnectionException) {
        poolStarved(e);
      } else {
        log.debug("{}database probe failed: {}", logPrefix, Secrets.message(e));
      }
    }
  }

  /** The host's pool gave no connection in time: logged once until it gives one again. */
  void poolStarved(Throwable e) {
    synchronized (stateLock) {
      if (poolExhausted) {
        return;
      }
      poolExhausted = true;
    }
    log.warn("{}the connection pool gave no connection in time (all in use by long tasks?): {}; the scheduler waits"
        + " for one, heartbeats go on on the connection Autopilot keeps", logPrefix, oneLine(Secrets.message(e)));
  }

  /** The host's pool gave a connection. */
  void poolServed() {
    if (poolExhausted) {
      synchronized (stateLock) {
        if (!poolExhausted) {
          return;
        }
        poolExhausted = false;
      }
      log.info("{}the connection pool gives connections again", logPrefix);
    }
  }

  /** @return true while the host's pool gives no connections in time */
  boolean poolExhausted() {
    return poolExhausted;
  }

  private void changeTo(boolean nowUp, Throwable why) {
    synchronized (stateLock) {
      if (up == nowUp) {
        return;
      }
      up = nowUp;
      if (nowUp) {
        upSinceNanos = System.nanoTime();
        log.info("{}database reachable again after {} ms", logPrefix, (upSinceNanos - downSinceNanos) / 1_000_000);
      } else {
        downSinceNanos = System.nanoTime();
        everDown = true;
        log.warn("{}database unreachable: {}; polling paused, history held until it is back", logPrefix,
            oneLine(Secrets.message(why)));
      }
      stateLock.notifyAll();
    }
  }

  private void dropReserved() {
    reservedLock.lock();
    try {
      if (reserved != null) {
        try {
          reserved.close();
        } catch (SQLException | RuntimeException ignored) {
          // broken anyway; the pool discards it
        }
        reserved = null;
      }
    } finally {
      reservedLock.unlock();
    }
  }

  private static String oneLine(String s) {
    return s == null ? null : s.replaceAll("\\s*\\R\\s*", " ");
  }

  /**
   * @param t a failure
   * @return true when it says the database cannot be reached (refused, reset, shut down, starting
   *     up), as opposed to a bad statement or a busy pool
   */
  static boolean isConnectionProblem(Throwable t) {
    for (Throwable c : chain(t)) {
      if (c instanceof SQLException) {
        String state = ((SQLException) c).getSQLState();
        if (state != null && (state.startsWith("08") || state.equals("57P01") || state.equals("57P02")
            || state.equals("57P03"))) {
          return true;
        }
        if (c instanceof SQLNonTransientConnectionException || c instanceof SQLRecoverableException) {
          return true;
        }
      }
      if (c instanceof SocketException || c instanceof EOFException) {
        return true;
      }
      String m = String.valueOf(c.getMessage()).toLowerCase(java.util.Locale.ROOT);
      if (c instanceof SQLException && (m.contains("connection is closed") || m.contains("connection has been closed"))) {
        return true;
      }
    }
    return false;
  }

  /** A failure, its causes and what was suppressed along the way (a failed rollback hides the real cause there). */
  private static java.util.List<Throwable> chain(Throwable t) {
    java.util.List<Throwable> out = new java.util.ArrayList<>();
    java.util.ArrayDeque<Throwable> todo = new java.util.ArrayDeque<>();
    if (t != null) {
      todo.add(t);
    }
    while (!todo.isEmpty() && out.size() < 50) {
      Throwable c = todo.poll();
      if (out.stream().anyMatch(x -> x == c)) {
        continue;
      }
      out.add(c);
      if (c.getCause() != null) {
        todo.add(c.getCause());
      }
      todo.addAll(java.util.Arrays.asList(c.getSuppressed()));
    }
    return out;
  }

  /** @return true for a connection problem or a pool that gave no connection in time */
  static boolean isTransient(Throwable t) {
    for (Throwable c : chain(t)) {
      if (c instanceof SQLTransientConnectionException) {
        return true;
      }
    }
    return isConnectionProblem(t);
  }

  @Override
  public void close() {
    closing = true;
    synchronized (stateLock) {
      stateLock.notifyAll();
    }
    thread.interrupt();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
