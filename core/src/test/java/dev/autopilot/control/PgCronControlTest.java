package dev.autopilot.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.Engine;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pg_cron fires the jobs (every minute): a failed run is retried on db-scheduler as attempt 2 of
 * the same execution (also when its only import is the one at close), a task's timeout stops a
 * pg_cron run, and a run in progress is cancelled.
 */
@Tag("slow")
@ExtendWith(PostgresExtension.class)
class PgCronControlTest {

  /**
   * A SQL task on pg_cron every minute whose first call fails (a sequence is not rolled back) and
   * whose later calls succeed, each success a row in {@code public.<name>_done}; retried after 1 s.
   */
  private static Task flaky(TestDatabase db, String task, String name) throws java.sql.SQLException {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE SEQUENCE public." + name + "_seq");
      s.execute("CREATE TABLE public." + name + "_done(at timestamptz DEFAULT clock_timestamp())");
    }
    return Task.sql(task, "INSERT INTO public." + name + "_done SELECT clock_timestamp()"
        + " WHERE 1 / (nextval('public." + name + "_seq')::int - 1) IS NOT NULL").cron("* * * * *")
        .retry(RetryPolicy.exponential(3, Duration.ofSeconds(1))).build();
  }

  /** @return the id of a run of this task's pg_cron job (in pg_cron's database) in that status, or -1 */
  private static long cronRun(TestDatabase db, String task, String status) {
    try (Connection c = db.cluster().orElseThrow().connect("postgres")) {
      return Jdbc.query(c, "SELECT d.runid FROM cron.job_run_details d JOIN cron.job j USING (jobid)"
          + " WHERE j.database = ? AND j.jobname LIKE ? AND d.status = ?", ps -> {
            ps.setString(1, db.name());
            ps.setString(2, "%:" + task);
            ps.setString(3, status);
          }, rs -> rs.getLong(1)).stream().findFirst().orElse(-1L);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aFailedPgCronRunIsRetriedAsAttemptTwoATimeoutReachesItAndARunInProgressIsCancelled(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    Task flaky = flaky(db, "cron-flaky", "flaky");
    Task slow = Task.sql("cron-slow", "SELECT pg_sleep(20)").cron("* * * * *").timeout(Duration.ofMillis(300))
        .retry(RetryPolicy.none()).build();
    Task longRun = Task.sql("cron-long", "SELECT pg_sleep(90)").cron("* * * * *").retry(RetryPolicy.none()).build();
    // a second host whose only import is the one at close: the failed run's retry must survive its stop
    Task closingFlaky = flaky(db, "close-flaky", "closing");
    java.util.function.Supplier<Autopilot.Builder> closing = () -> Autopilot.builder(db.newDataSource(6))
        .schema("cronclose").environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .pollingInterval(Duration.ofMillis(200)).property("autopilot.pg-cron.import-interval", "1h").task(closingFlaky);
    Autopilot closingHost = closing.get().build().start();
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("cronctl").environment(Map.of())
        .discoverProviders(false).builtInTasks(false).pollingInterval(Duration.ofMillis(200)).threads(3)
        .property("autopilot.pg-cron.import-interval", "500ms").task(flaky).task(slow).task(longRun).build().start()) {
      assertEquals(Engine.PG_CRON, ap.monitor().task("cron-flaky").orElseThrow().engine());
      Await.until(Duration.ofSeconds(100), "the failed pg_cron run retried to success, and the slow run timed out", () -> {
        ap.flushHistory(Duration.ofSeconds(1));
        List<JobRecord> rows = ap.monitor().jobs(JobQuery.all().limit(50));
        return rows.stream().anyMatch(r -> r.task().equals("cron-flaky") && r.state() == JobState.SUCCEEDED)
            && rows.stream().anyMatch(r -> r.task().equals("cron-slow"));
      });
      // a pg_cron run in progress is cancelled in the database and recorded cancelled
      long runId = Await.value(Duration.ofSeconds(60), "a cron-long run in progress",
          () -> cronRun(db, "cron-long", "running"), id -> id > 0);
      JobRecord inProgress = ap.monitor().jobs(JobQuery.all().task("cron-long").states(JobState.RUNNING)).get(0);
      assertEquals("pg_cron-" + runId, inProgress.executionId(), "the monitor shows the pg_cron run in progress");
      assertEquals(Engine.PG_CRON, inProgress.engine());
      assertNotNull(inProgress.startedAt());
      assertTrue(ap.control().cancel("pg_cron-" + runId, "carol"));
      Await.until(Duration.ofSeconds(30), "the cancelled pg_cron run in history", () -> ap.monitor()
          .jobs(JobQuery.all().task("cron-long")).stream().anyMatch(r -> r.state() == JobState.CANCELLED));
      JobRecord cancelled = ap.monitor().jobs(JobQuery.all().task("cron-long")).get(0);
      assertEquals("pg_cron-" + runId, cancelled.executionId());
      assertEquals("cancelled by carol", cancelled.errorMessage());
      assertTrue(cancelled.duration().orElseThrow().toMillis() < 60_000, "stopped long before pg_sleep(90) ended");
      ap.control().pause("cron-long", "test", null);
      ap.control().pause("cron-flaky", "test", "no more runs");
      ap.control().pause("cron-slow", "test", null);
      List<JobRecord> flakyRows = ap.monitor().jobs(JobQuery.all().task("cron-flaky")).stream()
          .sorted(Comparator.comparing(JobRecord::finishedAt)).collect(Collectors.toList());
      JobRecord first = flakyRows.get(0);
      JobRecord second = flakyRows.get(1);
      assertEquals(Engine.PG_CRON, first.engine());
      assertEquals(JobState.RETRYING, first.state(), "attempt 1 failed, another follows");
      assertEquals(1, first.attempt());
      assertTrue(first.errorMessage().contains("division by zero"), first.errorMessage());
      assertEquals(first.executionId(), second.executionId(), "the same execution");
      assertEquals(Engine.DB_SCHEDULER, second.engine(), "retried on db-scheduler, same statement");
      assertEquals(2, second.attempt());
      assertEquals(JobState.SUCCEEDED, second.state());
      assertTrue(new Jdbc(db.dataSource()).queryOne("SELECT count(*) FROM public.flaky_done", Jdbc.NONE,
          rs -> rs.getLong(1)).orElseThrow() >= 1, "the retried statement did its work");

      // a later minute's run may be in progress (the pause comes after it started): judge a finished one
      JobRecord timedOut = ap.monitor().jobs(JobQuery.all().task("cron-slow").states(JobState.FAILED,
          JobState.SUCCEEDED, JobState.CANCELLED)).get(0);
      assertEquals(Engine.PG_CRON, timedOut.engine());
      assertEquals(JobState.FAILED, timedOut.state());
      assertTrue(timedOut.errorMessage().startsWith("timed out after 300 ms"), timedOut.errorMessage());
      assertTrue(timedOut.duration().orElseThrow().toMillis() < 10_000, "stopped long before pg_sleep(20) ended");
    }

    // the closing host's failed pg_cron run is imported at close, with its retry in the same transaction
    long failedRun = Await.value(Duration.ofSeconds(90), "a failed close-flaky run in pg_cron",
        () -> cronRun(db, "close-flaky", "failed"), id -> id > 0);
    closingHost.close();
    Jdbc jdbc = new Jdbc(db.dataSource());
    assertEquals("retrying", jdbc.queryOne("SELECT outcome FROM cronclose.job_history WHERE execution_id = ?"
        + " AND engine = 'pg_cron'", ps -> ps.setString(1, "pg_cron-" + failedRun), rs -> rs.getString(1)).orElse("none"),
        "attempt 1 imported at close, another follows");
    // the retry is a row of db-scheduler's table: the closing host may have run it on its way out, else the next start does
    try (Autopilot restarted = closing.get().build().start()) {
      Await.until(Duration.ofSeconds(30), "the retry run", () -> {
        restarted.flushHistory(Duration.ofSeconds(1));
        return restarted.monitor().jobs(JobQuery.all().task("close-flaky")).stream()
            .anyMatch(r -> r.executionId().equals("pg_cron-" + failedRun) && r.state() == JobState.SUCCEEDED);
      });
      JobRecord retried = restarted.monitor().jobs(JobQuery.all().task("close-flaky")).stream()
          .filter(r -> r.executionId().equals("pg_cron-" + failedRun) && r.state() == JobState.SUCCEEDED)
          .findFirst().orElseThrow();
      assertEquals(2, retried.attempt());
      assertEquals(Engine.DB_SCHEDULER, retried.engine());
      restarted.control().pause("close-flaky", "test", null);
    }
  }
}
