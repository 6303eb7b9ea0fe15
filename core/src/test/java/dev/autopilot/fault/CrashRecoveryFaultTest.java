package dev.autopilot.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.LogCapture;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** kill -9 of the instance running a task, with another instance up. */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class CrashRecoveryFaultTest {

  @Test
  void aKilledInstancesRunIsRevivedOnceAndHistoryShowsDeadThenSucceeded(TestDatabase db) throws Exception {
    try (Connection c = db.connect()) {
      FaultFixture.createTables(c);
    }
    // the victim migrates the schema itself; its output is kept for a failure's diagnosis
    Path out = Files.createTempFile("autopilot-victim", ".log");
    Process victim = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "-Dorg.slf4j.simpleLogger.log.com.github.kagkarlsson=warn",
        VictimMain.class.getName(), db.jdbcUrl(), "crash")
        .redirectErrorStream(true).redirectOutput(out.toFile()).directory(new File(".")).start();
    Autopilot survivor = null;
    try (LogCapture logs = LogCapture.start()) {
      Await.until(Duration.ofSeconds(90), "the victim started fault-job (log: " + out + ")",
          () -> FaultFixture.one(db.dataSource(), "SELECT count(*) FROM public.fault_runs WHERE instance = 'victim'") > 0);
      String execution = Files.readAllLines(out).stream().filter(l -> l.startsWith("TRIGGERED "))
          .map(l -> l.substring("TRIGGERED ".length())).findFirst().orElseThrow();
      survivor = FaultFixture.builder(db.newDataSource(5), "crash", "survivor")
          .task(FaultFixture.slowJob("fault-job")).build().start();
      Thread.sleep(1000); // both up, the victim heartbeating
      logs.reset();
      Instant killedAt = Instant.now();
      victim.destroyForcibly(); // SIGKILL on Linux
      assertTrue(victim.waitFor(30, TimeUnit.SECONDS));

      Await.until(Duration.ofSeconds(90), "the survivor revived fault-job",
          () -> FaultFixture.one(db.dataSource(), "SELECT count(*) FROM public.fault_runs WHERE instance = 'survivor'") > 0);
      long recoveryMs;
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT started_at FROM public.fault_runs WHERE instance = 'survivor'")) {
        rs.next();
        recoveryMs = Duration.between(killedAt, rs.getTimestamp(1).toInstant()).toMillis();
      }
      Await.until(Duration.ofSeconds(30), "the revived run succeeded", () -> FaultFixture.one(db.dataSource(),
          "SELECT count(*) FROM crash.job_history WHERE outcome = 'succeeded'") > 0);
      Thread.sleep(2 * 4000); // a second revival would need another dead check: none comes
      survivor.close();
      long logLines = logs.lines().size();
      long stackLines = logs.stackTraceLines();

      Timestamp victimStart;
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT started_at FROM public.fault_runs WHERE instance = 'victim'")) {
        rs.next();
        victimStart = rs.getTimestamp(1);
      }
      List<String[]> history = new ArrayList<>();
      try (Connection c = db.connect(); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT outcome, instance, attempt, started_at, duration_ms, execution_id"
              + " FROM crash.job_history ORDER BY finished_at, id")) {
        while (rs.next()) {
          history.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getTimestamp(4) == null ? null : String.valueOf(rs.getTimestamp(4).getTime()), rs.getString(5),
              rs.getString(6)});
        }
      }
      long survivorRuns = FaultFixture.one(db.dataSource(),
          "SELECT count(*) FROM public.fault_runs WHERE instance = 'survivor'");
      FaultFixture.report("kill-9", recoveryMs, 2 - history.size(), survivorRuns - 1, logLines,
          "stack_trace_lines=" + stackLines);

      assertEquals(2, history.size(), "dead, then succeeded");
      String[] dead = history.get(0);
      assertEquals("dead", dead[0]);
      assertEquals("victim", dead[1]);
      assertEquals("1", dead[2]);
      assertEquals(execution, dead[5]);
      assertNotNull(dead[3], "the dead run keeps its start");
      // its real start: when the victim picked it, just before the task wrote its own row
      long startGap = victimStart.getTime() - Long.parseLong(dead[3]);
      assertTrue(startGap >= 0 && startGap < 5_000, "picked " + startGap + " ms before the task's own start");
      assertNull(dead[4], "a dead run's duration is unknown");
      String[] revived = history.get(1);
      assertEquals("succeeded", revived[0]);
      assertEquals("survivor", revived[1]);
      assertEquals("1", revived[2], "a revival is not a retry: the attempt stays");
      assertEquals(execution, revived[5]);
      assertEquals(1, survivorRuns, "revived exactly once");
      assertEquals(0, stackLines, logs.text());
      assertTrue(recoveryMs < 60_000, "revived " + recoveryMs + " ms after the kill");
    } finally {
      victim.destroyForcibly();
      if (survivor != null) {
        survivor.close();
      }
    }
  }
}
