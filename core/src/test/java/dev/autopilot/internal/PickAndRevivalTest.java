package dev.autopilot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.SystemClock;
import com.github.kagkarlsson.scheduler.TaskResolver;
import com.github.kagkarlsson.scheduler.event.SchedulerListeners;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The one-statement pick and the revival's last check, on a real database: a picked execution
 * is what the row holds without reading it back; a pick that waited for the pool writes the time
 * it was sent; a revival leaves alone a run whose heartbeat came in after the dead check read it,
 * and records a dead run's start from running_executions.
 */
@ExtendWith(PostgresExtension.class)
class PickAndRevivalTest {

  private static Autopilot.Builder builder(TestDatabase db, String schema) {
    return Autopilot.builder(db.newDataSource(6)).environment(Map.of()).builtInTasks(false).discoverProviders(false)
        .schema(schema).instanceName("b").pollingInterval(Duration.ofMinutes(10))
        .property("autopilot.notify.enabled", "false").task(Task.java("slow", ctx -> { }).build());
  }

  private static void exec(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static Object one(TestDatabase db, String sql) throws SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getObject(1) : null;
    }
  }

  /** The host's pool, counting the statements prepared on it, and waiting before it gives a connection. */
  private static final class CountingDataSource extends DelegatingDataSource {
    final AtomicInteger prepared = new AtomicInteger();
    volatile long waitMs;

    CountingDataSource(DataSource pool) {
      super(pool);
    }

    @Override
    public Connection getConnection() throws SQLException {
      if (waitMs > 0) {
        try {
          Thread.sleep(waitMs);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Connection c = super.getConnection();
      return (Connection) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
          new Class<?>[] {Connection.class}, (proxy, m, args) -> {
            if (m.getName().startsWith("prepare")) {
              prepared.incrementAndGet();
            }
            try {
              return m.invoke(c, args);
            } catch (java.lang.reflect.InvocationTargetException e) {
              throw e.getCause();
            }
          });
    }
  }

  @Test
  void aPickIsOneStatementAndTheExecutionItReturnsIsTheRowAsStored(TestDatabase db) throws Exception {
    try (Autopilot migrate = builder(db, "pick").build().start()) {
      // the schema exists now; the rows below are picked by the repository alone
    }
    CountingDataSource ds = new CountingDataSource(db.newDataSource(2));
    SystemClock clock = new SystemClock();
    TaskResolver resolver = new TaskResolver(new SchedulerListeners(), clock,
        List.of(Tasks.oneTime("slow", RunArgs.class).execute((i, c) -> { })));
    OneStatementPick repo = new OneStatementPick(ds, new AutodetectJdbcCustomization(ds), "pick.scheduled_tasks",
        resolver, new SchedulerName.Fixed("picker"), RunArgsSerializer.INSTANCE, true, clock);
    exec(db, "INSERT INTO pick.scheduled_tasks (task_name, task_instance, execution_time, picked, version, priority,"
        + " consecutive_failures, last_failure) VALUES ('slow', 'one', now() - interval '1 minute', false, 3, 50, 2,"
        + " now() - interval '2 minutes'), ('slow', 'two', now() - interval '1 minute', false, 1, 50, 0, NULL)");
    List<Execution> due = repo.getDue(Instant.now(), 10);
    assertEquals(2, due.size());
    Execution fetched = due.stream().filter(e -> e.taskInstance.getId().equals("one")).findFirst().orElseThrow();

    int before = ds.prepared.get();
    Optional<Execution> picked = repo.pick(fetched, Instant.now());
    assertEquals(1, ds.prepared.get() - before, "one statement: no read-back");
    Execution p = picked.orElseThrow();
    Execution stored = repo.getExecution(new TaskInstance<>("slow", "one")).orElseThrow();
    assertTrue(p.picked && stored.picked);
    assertEquals(stored.pickedBy, p.pickedBy);
    assertEquals(stored.version, p.version);
    assertEquals(4, p.version);
    assertEquals(stored.consecutiveFailures, p.consecutiveFailures);
    assertEquals(stored.lastFailure, p.lastFailure);
    assertEquals(stored.executionTime, p.executionTime);
    assertEquals(stored.lastHeartbeat, p.lastHeartbeat);
    assertFalse(repo.pick(fetched, Instant.now()).isPresent(), "a second pick of the same version finds nothing");

    // a pick that waits 1.5 s for a connection (a pool held by long tasks) writes when it was sent
    Execution two = due.stream().filter(e -> e.taskInstance.getId().equals("two")).findFirst().orElseThrow();
    Instant asked = Instant.now();
    ds.waitMs = 1500;
    Execution late = repo.pick(two, asked).orElseThrow();
    ds.waitMs = 0;
    Timestamp beat = (Timestamp) one(db, "SELECT last_heartbeat FROM pick.scheduled_tasks WHERE task_instance = 'two'");
    assertTrue(Duration.between(asked, beat.toInstant()).toMillis() >= 1400, "heartbeat " + beat + " asked " + asked);
    assertEquals(beat.toInstant(), late.lastHeartbeat);
  }

  @Test
  void aRevivalLeavesARunWhoseHeartbeatCameAfterTheDeadCheckAndRecordsTheDeadRunsStart(TestDatabase db)
      throws Exception {
    try (Autopilot b = builder(db, "revive").build().start()) {
      Field f = Autopilot.class.getDeclaredField("runtime");
      f.setAccessible(true);
      Runtime rt = (Runtime) f.get(b);
      Revival revival = new Revival(rt, Duration.ofSeconds(16));
      exec(db, "INSERT INTO revive.scheduled_tasks (task_name, task_instance, execution_time, picked, picked_by,"
          + " last_heartbeat, version, priority) VALUES ('slow', 'x', now() - interval '1 hour', true, 'gone',"
          + " now() - interval '1 minute', 7, 50)");
      Instant staleBeat = ((Timestamp) one(db, "SELECT last_heartbeat FROM revive.scheduled_tasks")).toInstant();
      // what the dead check read: picked by 'gone', heartbeat a minute old
      Execution seen = new Execution(Instant.now().minusSeconds(3600), new TaskInstance<>("slow", "x"), true, "gone",
          null, null, 0, staleBeat, 7);
      // ... and then its instance heartbeats after all (a heartbeat does not change the version)
      exec(db, "UPDATE revive.scheduled_tasks SET last_heartbeat = now()");
      revival.deadExecution(ExecutionComplete.failure(seen, staleBeat, Instant.now(), null), null);
      assertEquals("gone", one(db, "SELECT picked_by FROM revive.scheduled_tasks WHERE task_instance = 'x'"),
          "alive after all: not revived");
      b.flushHistory(Duration.ofSeconds(10));
      assertEquals(0L, one(db, "SELECT count(*) FROM revive.job_history"));

      // really dead now, with the start its instance wrote to running_executions
      exec(db, "UPDATE revive.scheduled_tasks SET last_heartbeat = now() - interval '1 minute'");
      exec(db, "INSERT INTO revive.running_executions (task_name, execution_id, instance, started_at)"
          + " VALUES ('slow', 'x', 'gone', timestamptz '2026-01-02 03:04:05+00')");
      revival.deadExecution(ExecutionComplete.failure(seen, staleBeat, Instant.now(), null), null);
      // revived: made due again (and run by b at once), no longer picked by the dead instance
      assertEquals(0L, one(db, "SELECT count(*) FROM revive.scheduled_tasks WHERE picked_by = 'gone'"), "revived");
      b.flushHistory(Duration.ofSeconds(10));
      assertEquals("gone", one(db, "SELECT instance FROM revive.job_history WHERE outcome = 'dead'"));
      assertEquals(Instant.parse("2026-01-02T03:04:05Z"),
          ((Timestamp) one(db, "SELECT started_at FROM revive.job_history WHERE outcome = 'dead'")).toInstant());
      assertNull(one(db, "SELECT duration_ms FROM revive.job_history WHERE outcome = 'dead'"));
      assertEquals(0L, one(db, "SELECT count(*) FROM revive.running_executions"), "the dead instance's row went");
    }
  }

  /** A DataSource passing everything to another. */
  private static class DelegatingDataSource implements DataSource {
    private final DataSource d;

    DelegatingDataSource(DataSource d) {
      this.d = d;
    }

    @Override
    public Connection getConnection() throws SQLException {
      return d.getConnection();
    }

    @Override
    public Connection getConnection(String u, String p) throws SQLException {
      return d.getConnection(u, p);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
      return d.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
      d.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int s) throws SQLException {
      d.setLoginTimeout(s);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
      return d.getLoginTimeout();
    }

    @Override
    public java.util.logging.Logger getParentLogger() {
      return java.util.logging.Logger.getGlobal();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      return d.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
      return d.isWrapperFor(iface);
    }
  }
}
