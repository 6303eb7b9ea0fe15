package dev.autopilot.internal;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The DataSource db-scheduler gets. Housekeeping (heartbeats, dead-execution checks) runs on the
 * connection {@link DatabaseWatch} keeps. Everything else comes from the host's pool, and while
 * the database is down a request waits for it instead of failing: polling simply pauses and a
 * finished execution's completion is written as soon as the database is back, so the engine
 * neither logs a stack trace per poll nor leaves executions picked. A pool whose connections are
 * all held by long tasks is waited for the same way (logged once).
 */
final class SchedulerDataSource implements DataSource {

  /** How often a request retries a pool that fails with a connection problem while the probe still sees the database. */
  private static final int TRIES_WHILE_UP = 3;

  /** Name prefix of db-scheduler's polling thread (Runtime gives it this thread factory). */
  static final String POLLER = "autopilot-poll-";

  /** Polls closer together than this are one burst (a backlog being drained): only its first checks its connection. */
  private static final long BURST_NANOS = 50_000_000L;

  private final DataSource pool;
  private final DatabaseWatch watch;
  private long lastPollNanos = System.nanoTime() - BURST_NANOS; // the polling thread's only
  private final Housekeeper housekeeper;
  private final BooleanSupplier closing;

  SchedulerDataSource(DataSource pool, DatabaseWatch watch, Housekeeper housekeeper, BooleanSupplier closing) {
    this.pool = pool;
    this.watch = watch;
    this.housekeeper = housekeeper;
    this.closing = closing;
  }

  @Override
  public Connection getConnection() throws SQLException {
    if (housekeeper.isHousekeepingThread()) {
      return watch.borrowReserved();
    }
    int failuresWhileUp = 0;
    while (true) {
      if (!watch.isUp()) {
        waitForDatabase();
        continue;
      }
      try {
        Connection c = pool.getConnection();
        watch.poolServed();
        if (Thread.currentThread().getName().startsWith(POLLER) && quietBeforeThisPoll() && !c.isValid(2)) {
          // the server ended it a moment ago (the pool hands out recently used connections unchecked):
          // a poll on it would fail mid-statement and db-scheduler would log the stack trace. Polls that
          // follow each other within BURST_NANOS (draining a backlog) skip the check: the one before ran
          // a moment ago, and checking each would cost a round trip every few runs
          c.close();
          watch.suspect(new SQLException("connection ended by the server", "08006"));
          sleep(DatabaseWatch.PROBE_MS);
          continue;
        }
        return c;
      } catch (SQLException e) {
        if (closing.getAsBoolean()) {
          throw e;
        }
        if (!DatabaseWatch.isConnectionProblem(e) && e instanceof java.sql.SQLTransientConnectionException) {
          watch.poolStarved(e); // every connection held by long tasks: wait for one, quietly
          continue;
        }
        if (!DatabaseWatch.isConnectionProblem(e) || ++failuresWhileUp >= TRIES_WHILE_UP) {
          throw e;
        }
        watch.suspect(e);
        sleep(DatabaseWatch.PROBE_MS * 2);
      }
    }
  }

  /** @return true when the polling thread's previous poll was not a moment ago (called by that thread alone) */
  private boolean quietBeforeThisPoll() {
    long now = System.nanoTime();
    boolean quiet = now - lastPollNanos >= BURST_NANOS;
    lastPollNanos = now;
    return quiet;
  }

  private void waitForDatabase() throws SQLException {
    if (closing.getAsBoolean()) {
      throw new SQLException("database unreachable and Autopilot is closing", "08000");
    }
    try {
      watch.awaitUp(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the database", "08000", e);
    }
  }

  private static void sleep(long ms) throws SQLException {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for the database", "08000", e);
    }
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    return pool.getConnection(username, password);
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    return iface.isInstance(this) ? iface.cast(this) : pool.unwrap(iface);
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) throws SQLException {
    return iface.isInstance(this) || pool.isWrapperFor(iface);
  }
}
