package dev.autopilot.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.LogCapture;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A host whose pool is held by its own long tasks, past the dead-execution limit, with a second
 * instance watching for dead executions: heartbeats go on (on the connection Autopilot keeps), so
 * nothing is revived, every task runs once, and every history row is written.
 */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class PoolExhaustionFaultTest {

  private static Task hog() {
    return Task.java("hog", ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement(
              "INSERT INTO public.fault_runs (execution_id, instance, attempt) VALUES (?, ?, ?)")) {
        ps.setString(1, ctx.executionId());
        ps.setString(2, ctx.config().get("fault.instance", "?"));
        ps.setInt(3, ctx.attempt());
        ps.executeUpdate();
        Thread.sleep(12_000); // holding the connection, longer than 4 missed heartbeats (8 s)
      }
    }).trigger(Trigger.manual()).retry(RetryPolicy.none()).build();
  }

  @Test
  void aPoolHeldByLongTasksKeepsHeartbeatingAndLosesNothing(TestDatabase db) throws Exception {
    DataSource check = db.newDataSource(2);
    try (Connection c = db.connect()) {
      FaultFixture.createTables(c);
    }
    // three connections and three hogs: every connection is taken (one by Autopilot for heartbeats),
    // the third hog waits for one; a 2 s heartbeat makes a stopped one dead after 8 s
    try (LogCapture logs = LogCapture.start();
        Autopilot hogger = FaultFixture.builder(db.newDataSource(3), "pool", "hogger").threads(3)
            .heartbeatInterval(Duration.ofSeconds(2)).task(hog()).build().start()) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        ids.add(hogger.trigger("hog"));
      }
      // two hogs hold the pool's last two connections; the third waits (to be picked, or for a connection)
      Await.until(Duration.ofSeconds(30), "two hogs holding the pool",
          () -> FaultFixture.one(check, "SELECT count(*) FROM public.fault_runs") >= 2);
      Instant held = Instant.now();
      try (Autopilot watcher = FaultFixture.builder(db.newDataSource(4), "pool", "watcher").threads(1)
          .heartbeatInterval(Duration.ofSeconds(2)).task(hog()).build().start()) {
        Await.until(Duration.ofSeconds(90), "the hogs succeeded", () -> FaultFixture.one(check,
            "SELECT count(*) FROM pool.job_history WHERE task_name = 'hog' AND outcome = 'succeeded'") >= 3);
        long doneMs = Duration.between(held, Instant.now()).toMillis();
        Thread.sleep(3_000); // a late revival would show now
        hogger.close();
        long runs = FaultFixture.one(check, "SELECT count(*) FROM public.fault_runs");
        long dead = FaultFixture.one(check, "SELECT count(*) FROM pool.job_history WHERE outcome = 'dead'");
        long rows = FaultFixture.one(check, "SELECT count(*) FROM pool.job_history WHERE task_name = 'hog'");
        FaultFixture.report("pool-exhaustion", doneMs, 3 - rows, runs - 3, logs.lines().size(),
            "dead_rows=" + dead + " stack_trace_lines=" + logs.stackTraceLinesOf("dev.autopilot", "com.github.kagkarlsson"));
        assertEquals(0, dead, "no hog was declared dead");
        assertEquals(3, runs, "each hog ran once");
        assertEquals(3, rows, "one history row per hog");
        assertEquals(0, logs.stackTraceLinesOf("dev.autopilot", "com.github.kagkarlsson"), logs.text());
      }
    }
  }
}
