package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
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
import dev.autopilot.TaskStatus;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * pg_cron itself fires the jobs (schedule every minute): the procedures do their work inside the
 * database, and each run shows in job history and the monitor with engine pg_cron.
 */
@Tag("slow")
@ExtendWith(PostgresExtension.class)
class PgCronRunsTest {

  @Test
  void pgCronFiresJobsAndTheirRunsShowInTheMonitor(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String schema = "fired";
    Map<String, String> props = new HashMap<>();
    for (String t : List.of("pattern-learning", "centralcloud-sync", "cache-cleanup-expired", "daily-vacuum-analyze")) {
      props.put("autopilot.task." + t + ".schedule", "* * * * *");
      props.put("autopilot.task." + t + ".enabled", "true");
    }
    props.put("autopilot.pack.sql.enabled", "false"); // only the four above
    props.put("autopilot.task.cache-cleanup-expired.batch-size", "7");
    props.put("autopilot.pg-cron.import-interval", "500ms");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
      try (Connection c = db.connect()) {
        exec(c, "INSERT INTO fired.pattern_observations(pattern_key, success) SELECT 'k' || (g % 4), g % 3 = 0"
            + " FROM generate_series(1, 40) g",
            "INSERT INTO fired.package_cache(cache_key, ecosystem, name, expires_at) SELECT 'c' || g, 'maven', 'x',"
            + " now() + CASE WHEN g <= 30 THEN interval '-1 minute' ELSE interval '1 day' END FROM generate_series(1, 100) g",
            // a failing job too: its error must reach history
            "CREATE TABLE fired.boom(x int)");
      }
      TaskStatus st = ap.monitor().task("pattern-learning").orElseThrow();
      assertEquals(Engine.PG_CRON, st.engine());
      assertNotNull(st.nextRun());
      assertEquals(0, st.nextRun().getEpochSecond() % 60, "next whole minute");

      try {
        Await.until(Duration.ofSeconds(80), "a pg_cron run of each of the four tasks in history", () -> {
          List<JobRecord> rows = ap.monitor().jobs(JobQuery.all().limit(50));
          // finished runs only: a pg_cron run in progress is listed too (as running) before it is imported
          return rows.stream().filter(r -> r.engine() == Engine.PG_CRON && r.state().isFinished())
              .map(JobRecord::task).distinct().count() == 4;
        });
      } catch (AssertionError e) {
        try (Connection c = SqlTaskFixtures.cronDb(db)) {
          System.out.println("cron runs: " + SqlTaskFixtures.rows(c, "SELECT j.jobname, d.status, d.return_message"
              + " FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.database = '" + db.name() + "'"));
        }
        System.out.println("history: " + ap.monitor().jobs(JobQuery.all()));
        throw e;
      }
      try (Connection c = db.connect()) {
        assertEquals(40, count(c, "SELECT sum(usage_count) FROM fired.learned_patterns"), "pg_cron ran pattern-learning");
        assertEquals(70, count(c, "SELECT count(*) FROM fired.package_cache"), "pg_cron deleted the 30 expired rows");
        assertEquals(0, count(c, "SELECT count(*) FROM fired.package_cache WHERE expires_at <= now()"));
        assertTrue(count(c, "SELECT count(*) FROM pg_stat_user_tables WHERE schemaname = 'fired'"
            + " AND relname = 'pattern_observations' AND last_vacuum IS NOT NULL") == 1, "VACUUM (ANALYZE) ran");
      }
      JobRecord learn = lastFinished(ap, "pattern-learning");
      assertEquals(Engine.PG_CRON, learn.engine());
      assertEquals(JobState.SUCCEEDED, learn.state());
      assertTrue(learn.executionId().startsWith("pg_cron-"), learn.executionId());
      assertNotNull(learn.startedAt());
      assertNotNull(learn.finishedAt());
      JobRecord sync = lastFinished(ap, "centralcloud-sync");
      if (sync.state() != JobState.SKIPPED) {
        try (Connection c = SqlTaskFixtures.cronDb(db); Connection a = db.connect()) {
          System.out.println("DIAG sync " + sync + " cron: " + SqlTaskFixtures.rows(c, "SELECT j.jobname, d.runid, d.status,"
              + " d.start_time, d.end_time FROM cron.job_run_details d JOIN cron.job j USING (jobid) WHERE j.database = '"
              + db.name() + "'") + " marker: " + SqlTaskFixtures.rows(a, "SELECT * FROM fired.task_state"));
        }
      }
      assertEquals(JobState.SKIPPED, sync.state(), "no hub configured");
      assertTrue(sync.errorMessage().contains("no hub configured"), sync.errorMessage());
      assertEquals(JobState.SUCCEEDED, lastFinished(ap, "daily-vacuum-analyze").state());
      TaskStatus after = ap.monitor().task("pattern-learning").orElseThrow();
      assertEquals(JobState.SUCCEEDED, after.lastOutcome());
      assertNotNull(after.lastRun());
    }
    // importing again (a restart) writes nothing twice
    try (Connection c = db.connect()) {
      long before = count(c, "SELECT count(*) FROM fired.job_history WHERE engine = 'pg_cron'");
      exec(c, "DELETE FROM fired.task_state WHERE task_name = 'pg_cron-import'");
      try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
        Await.until(Duration.ofSeconds(10), "watermark written again", () -> {
          try (Connection c2 = db.connect()) {
            return count(c2, "SELECT count(*) FROM fired.task_state WHERE task_name = 'pg_cron-import'") == 1;
          } catch (Exception e) {
            return false;
          }
        });
      }
      long after = count(c, "SELECT count(*) FROM fired.job_history WHERE engine = 'pg_cron'");
      assertTrue(after >= before);
      assertEquals(after, count(c, "SELECT count(DISTINCT cron_run_id) FROM fired.job_history WHERE engine = 'pg_cron'"));
    }
  }

  /** The newest finished run of the task (a pg_cron run in progress is listed as running first). */
  static JobRecord lastFinished(Autopilot ap, String task) {
    return ap.monitor().jobs(JobQuery.all().task(task)).stream().filter(r -> r.state().isFinished()).findFirst()
        .orElseThrow(() -> new AssertionError("no finished run of " + task));
  }
}
