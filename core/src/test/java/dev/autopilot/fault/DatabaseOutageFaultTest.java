package dev.autopilot.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.LogCapture;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresCluster;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * PostgreSQL restarted while a run is in flight, then stopped for 30 s: the run's completion is
 * written once the server is back, no history row is lost, no slot or trigger runs twice, and the
 * outage is logged once, without stack traces. A second instance with a two-row history buffer
 * shows that rows which do not fit are counted and logged, not dropped silently.
 */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class DatabaseOutageFaultTest {

  /** Autopilot's and db-scheduler's loggers: the host's pool (HikariCP) logs as it is configured to. */
  private static final String[] OURS = {"dev.autopilot", "com.github.kagkarlsson"};
  private static final String Q = "SELECT count(*) FROM public.fault_count WHERE kind = ";

  @Test
  void restartAndThirtySecondStopLoseNothingAndRunNothingTwice(TestDatabase db) throws Exception {
    assumeTrue(db.cluster().isPresent(), "needs the local test cluster to stop and start it");
    PostgresCluster cluster = db.cluster().get();
    DataSource check = db.newDataSource(2);
    try (Connection c = db.connect()) {
      FaultFixture.createTables(c);
    }
    try (LogCapture logs = LogCapture.start();
        Autopilot steady = FaultFixture.builder(db.newDataSource(10), "outage", "steady").threads(4)
            .task(FaultFixture.counted("tick", "tick", Trigger.cron("@every 1s"), 2500))
            .task(FaultFixture.counted("poke", "poke", Trigger.manual(), 100))
            .build().start();
        Autopilot tiny = FaultFixture.builder(db.newDataSource(12), "outage", "tiny").threads(8)
            .property("autopilot.history.buffer", "2").property("autopilot.fault.sleep-ms", "4000")
            .task(FaultFixture.slowJob("burst")).build().start()) {
      Await.until(Duration.ofSeconds(60), "three ticks", () -> FaultFixture.one(check, Q + "'tick'") >= 3);
      for (int i = 0; i < 10; i++) {
        steady.trigger("poke");
      }

      // 1. restart while a tick is in flight
      awaitTickInFlight(check);
      long ticksBefore = FaultFixture.one(check, Q + "'tick'");
      logs.reset();
      cluster.restart();
      Instant up = Instant.now();
      Await.until(Duration.ofSeconds(60), "a tick after the restart",
          () -> safeCount(check, Q + "'tick'") > ticksBefore);
      long restartRecovery = Duration.between(up, Instant.now()).toMillis();
      long restartLines = logs.lines().size();
      long restartStack = logs.stackTraceLinesOf(OURS);
      long restartPoolStack = logs.stackTraceLines() - restartStack;

      // 2. a 30 s stop with a tick in flight and eight bursts finishing meanwhile on the tiny instance
      for (int i = 0; i < 8; i++) {
        tiny.trigger("burst");
      }
      Await.until(Duration.ofSeconds(30), "eight bursts running",
          () -> FaultFixture.one(check, "SELECT count(*) FROM public.fault_runs WHERE instance = 'tiny'") >= 8);
      awaitTickInFlight(check);
      long ticksBeforeStop = FaultFixture.one(check, Q + "'tick'");
      logs.reset();
      cluster.suspend();
      Thread.sleep(30_000);
      cluster.resume();
      up = Instant.now();
      Await.until(Duration.ofSeconds(60), "a tick after the stop",
          () -> safeCount(check, Q + "'tick'") > ticksBeforeStop);
      long stopRecovery = Duration.between(up, Instant.now()).toMillis();
      for (int i = 0; i < 10; i++) {
        steady.trigger("poke");
      }
      Await.until(Duration.ofSeconds(60), "twenty pokes", () -> FaultFixture.one(check, Q + "'poke'") >= 20);
      Await.until(Duration.ofSeconds(30), "both instances see the database", () ->
          steady.monitor().health().databaseReachable() && tiny.monitor().health().databaseReachable());
      long stopLines = logs.lines().size();
      long stopStack = logs.stackTraceLinesOf(OURS);
      long stopPoolStack = logs.stackTraceLines() - stopStack;
      long stopOurLines = logs.linesOf(OURS).size();
      boolean oneWarn = logs.lines().stream().filter(l -> l.contains("[steady] database unreachable")).count() == 1;
      boolean oneInfo = logs.lines().stream().filter(l -> l.contains("[steady] database reachable again")).count() == 1;
      steady.close();
      tiny.close();
      long dropped = tiny.monitor().health().historyRowsDropped();

      // what the tasks counted against what history recorded
      long dupes = FaultFixture.one(check, "SELECT coalesce(sum(n - 1), 0) FROM public.fault_count");
      Set<String> tickSlots = strings(check, "SELECT key FROM public.fault_count WHERE kind = 'tick'");
      Set<String> tickHistory = strings(check, "SELECT to_char(scheduled_at AT TIME ZONE 'UTC',"
          + " 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM outage.job_history WHERE task_name = 'tick' AND outcome = 'succeeded'");
      Set<String> tickKeys = new HashSet<>();
      for (String k : tickSlots) {
        tickKeys.add(Instant.parse(k).toString().replace("Z", ""));
      }
      Set<String> tickHist = new HashSet<>();
      for (String h : tickHistory) {
        tickHist.add(Instant.parse(h + "Z").toString().replace("Z", ""));
      }
      Set<String> lostTicks = new HashSet<>(tickKeys);
      lostTicks.removeAll(tickHist);
      Set<String> pokes = strings(check, "SELECT key FROM public.fault_count WHERE kind = 'poke'");
      Set<String> pokeHistory = strings(check,
          "SELECT execution_id FROM outage.job_history WHERE task_name = 'poke' AND outcome = 'succeeded'");
      Set<String> lostPokes = new HashSet<>(pokes);
      lostPokes.removeAll(pokeHistory);
      long pokeRows = FaultFixture.one(check,
          "SELECT count(*) FROM outage.job_history WHERE task_name = 'poke' AND outcome = 'succeeded'");
      long burstRows = FaultFixture.one(check, "SELECT count(*) FROM outage.job_history WHERE task_name = 'burst'");
      long lost = lostTicks.size() + lostPokes.size();
      FaultFixture.report("pg-restart", restartRecovery, lost, dupes, restartLines, "stack_trace_lines=" + restartStack + " pool_stack_trace_lines=" + restartPoolStack);
      FaultFixture.report("pg-stop-30s", stopRecovery, lost, dupes, stopLines, "autopilot_and_db_scheduler_lines=" + stopOurLines
          + " stack_trace_lines=" + stopStack + " pool_stack_trace_lines=" + stopPoolStack);
      FaultFixture.report("history-buffer-2", stopRecovery, 0, 0, stopLines,
          "burst_rows_written=" + burstRows + " dropped_counted=" + dropped);

      assertEquals(0, dupes, "no slot or trigger ran twice");
      assertEquals(Set.of(), lostTicks, "every tick the task counted is in history");
      assertEquals(Set.of(), lostPokes, "every poke the task counted is in history");
      assertEquals(20, pokes.size());
      assertEquals(20, pokeRows, "one history row per poke");
      assertEquals(0, restartStack + stopStack, "no stack traces for connection loss from Autopilot or db-scheduler");
      assertTrue(oneWarn && oneInfo, "one WARN and one INFO for the outage");
      assertTrue(dropped > 0, "a two-row buffer cannot hold eight rows");
      assertEquals(8, burstRows + dropped, "every burst row written or counted as dropped");
      assertTrue(restartRecovery < 60_000 && stopRecovery < 60_000);
    }
  }

  private static void awaitTickInFlight(DataSource check) {
    Await.until(Duration.ofSeconds(30), "a tick in flight", () -> FaultFixture.one(check,
        "SELECT count(*) FROM outage.scheduled_tasks WHERE task_name = 'tick' AND picked") > 0);
  }

  private static long safeCount(DataSource ds, String sql) {
    try {
      return FaultFixture.one(ds, sql);
    } catch (RuntimeException e) {
      return -1; // the server is still starting
    }
  }

  private static Set<String> strings(DataSource ds, String sql) throws Exception {
    Set<String> out = new HashSet<>();
    try (Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

}
