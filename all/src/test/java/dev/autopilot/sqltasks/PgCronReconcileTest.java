package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.cronDb;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static dev.autopilot.sqltasks.SqlTaskFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.Engine;
import dev.autopilot.TaskStatus;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** cron.job holds exactly the enabled SQL tasks of a schema, and nothing else is touched. */
@ExtendWith(PostgresExtension.class)
class PgCronReconcileTest {

  private static Map<String, String> ownedJobs(TestDatabase db, String schema) throws Exception {
    String prefix = prefix(db, schema);
    Map<String, String> out = new TreeMap<>();
    try (Connection c = cronDb(db)) {
      for (List<String> r : rows(c, "SELECT jobname, schedule, command, database, active FROM cron.job"
          + " WHERE jobname LIKE '" + prefix + "%' ORDER BY jobname")) {
        assertTrue(r.get(0).startsWith(prefix), r.get(0));
        assertEquals(db.name(), r.get(3), "job runs in the app database");
        assertEquals("t", r.get(4));
        String prev = out.put(r.get(0).substring(prefix.length()), r.get(1) + " | " + r.get(2));
        assertEquals(null, prev, "one job per task: " + r.get(0));
      }
    }
    return out;
  }

  /** The owner prefix: autopilot:crc32(schema NUL database):, as PgCronEngine documents it. */
  static String prefix(TestDatabase db, String schema) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update((schema + "\u0000" + db.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return String.format("autopilot:%08x:", crc.getValue());
  }

  private static Map<String, String> expected(TestDatabase db, String schema, Map<String, String> schedules,
      List<String> disabled) throws Exception {
    Map<String, String> out = new TreeMap<>();
    for (Task t : SqlTaskFixtures.tasks(schema, Map.of())) {
      if (t.kind() != Task.Kind.SQL || t.trigger().cronExpression().isEmpty() || disabled.contains(t.name())) {
        continue;
      }
      String cron = schedules.getOrDefault(t.name(), t.trigger().cronExpression().get());
      try (Connection c = db.connect()) {
        out.put(t.name(), cron + " | " + dev.autopilot.internal.Runtime.expandSql(c, t.sql().get(), schema));
      }
    }
    return out;
  }

  @Test
  void cronJobHoldsExactlyTheEnabledSqlTasksAndForeignJobsSurvive(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String schema = "recon";
    try (Connection c = cronDb(db)) {
      exec(c, "SELECT cron.schedule_in_database('someone-elses-job', '0 4 * * *', 'SELECT 1', '" + db.name() + "')",
          "SELECT cron.schedule_in_database('" + prefix(db, schema) + "task-removed-long-ago',"
              + " '0 1 * * *', 'SELECT 1', '" + db.name() + "')");
    }
    Map<String, String> props = new HashMap<>();
    props.put("autopilot.task.pattern-learning.schedule", "*/7 * * * *");
    props.put("autopilot.task.cleanup-artifacts.enabled", "false");
    props.put("autopilot.task.cleanup-job-history.succeeded-retention", "20d");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
      Map<String, String> want = expected(db, schema, Map.of("pattern-learning", "*/7 * * * *"), List.of("cleanup-artifacts"));
      want.put("cleanup-job-history", "0 0 * * 0 | CALL \"recon\".cleanup_job_history(p_succeeded => '1728000000 milliseconds'::interval)");
      assertEquals(want, ownedJobs(db, schema));
      assertEquals(15, want.size(), "18 tasks minus planning-seed (start-up only), reindex (Java), cleanup-artifacts");
      for (TaskStatus t : ap.monitor().tasks()) {
        if (t.kind().equals("sql")) {
          assertEquals(Engine.PG_CRON, t.engine(), t.name());
          assertTrue(t.engineReason().contains("pg_cron"), t.engineReason());
          if (t.enabled() && t.schedule() != null) {
            assertNotNull(t.nextRun(), t.name());
          }
        } else {
          assertEquals(Engine.DB_SCHEDULER, t.engine(), t.name());
        }
      }
      assertTrue(ap.monitor().health().pgCronUsable());
    }
    // restart with one more task disabled and a schedule back to its default
    props.remove("autopilot.task.pattern-learning.schedule");
    props.put("autopilot.task.metrics-refresh.enabled", "false");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
      Map<String, String> want = expected(db, schema, Map.of(), List.of("cleanup-artifacts", "metrics-refresh"));
      want.put("cleanup-job-history", "0 0 * * 0 | CALL \"recon\".cleanup_job_history(p_succeeded => '1728000000 milliseconds'::interval)");
      assertEquals(want, ownedJobs(db, schema));
    }
    try (Connection c = cronDb(db)) {
      assertEquals(List.of(List.of("0 4 * * *", "SELECT 1")),
          rows(c, "SELECT schedule, command FROM cron.job WHERE jobname = 'someone-elses-job'"), "foreign job untouched");
      exec(c, "SELECT cron.unschedule('someone-elses-job')");
    }
  }

  @Test
  void twoInstancesStartingTogetherLeaveOneJobPerTask(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String schema = "twostart";
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Autopilot>> starts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      Autopilot ap = SqlTaskFixtures.builder(db.newDataSource(5), schema, Map.of()).instanceName("n" + i).build();
      starts.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return ap.start();
      }));
    }
    go.countDown();
    List<Autopilot> aps = new ArrayList<>();
    try {
      for (CompletableFuture<Autopilot> f : starts) {
        aps.add(f.get());
      }
      assertEquals(expected(db, schema, Map.of(), List.of()), ownedJobs(db, schema));
    } finally {
      aps.forEach(Autopilot::close);
    }
  }

  @Test
  void pgCronOffRemovesOwnedJobsAndRunsTheSqlOnDbScheduler(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String schema = "switchoff";
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, Map.of()).build().start()) {
      assertEquals(16, ownedJobs(db, schema).size());
    }
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, Map.of("autopilot.pg-cron", "off")).build().start()) {
      assertEquals(Map.of(), ownedJobs(db, schema));
      TaskStatus t = ap.monitor().task("pattern-learning").orElseThrow();
      assertEquals(Engine.DB_SCHEDULER, t.engine());
      assertEquals("pg_cron disabled by autopilot.pg-cron=off", t.engineReason());
      assertTrue(!ap.monitor().health().pgCronUsable());
      try (Connection c = db.connect()) {
        assertEquals(1, SqlTaskFixtures.count(c, "SELECT count(*) FROM switchoff.scheduled_tasks"
            + " WHERE task_name = 'pattern-learning' AND task_instance = 'recurring'"), "db-scheduler runs it now");
      }
    }
  }

  @Test
  void runDetailsOfOwnJobsOlderThanRetentionArePrunedInTheCronDatabaseAndForeignOnesKept(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    String schema = "prune";
    // pruning is cleanup-job-history's job: it must be enabled
    Map<String, String> props = Map.of("autopilot.pack.sql.enabled", "false", "autopilot.task.pattern-learning.enabled", "true",
        "autopilot.task.cleanup-job-history.enabled", "true");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
      assertEquals(2, ownedJobs(db, schema).size());
    }
    String prefix = prefix(db, schema);
    try (Connection c = cronDb(db)) {
      exec(c, "SELECT cron.schedule_in_database('foreign-prune', '0 4 * * *', 'SELECT 1', '" + db.name() + "')",
          "INSERT INTO cron.job_run_details(jobid, runid, job_pid, database, username, command, status, return_message,"
              + " start_time, end_time) SELECT j.jobid, nextval('cron.runid_seq'), 1, j.database, j.username, j.command,"
              + " 'succeeded', 'CALL', now() - make_interval(days => d), now() - make_interval(days => d)"
              + " FROM cron.job j, (VALUES (20), (3)) AS v(d)"
              + " WHERE j.jobname IN ('foreign-prune', '" + prefix + "pattern-learning')");
    }
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), schema, props).build().start()) {
      Await.until(java.time.Duration.ofSeconds(15), "old own run details pruned", () -> {
        try (Connection c = cronDb(db)) {
          return SqlTaskFixtures.count(c, "SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid)"
              + " WHERE j.jobname = '" + prefix + "pattern-learning'") == 1;
        } catch (Exception e) {
          return false;
        }
      });
      try (Connection c = cronDb(db)) {
        assertEquals(2, SqlTaskFixtures.count(c, "SELECT count(*) FROM cron.job_run_details d JOIN cron.job j USING (jobid)"
            + " WHERE j.jobname = 'foreign-prune'"), "foreign job's details untouched");
        exec(c, "SELECT cron.unschedule('foreign-prune')");
      }
      try (Connection c = db.connect()) {
        assertEquals(2, SqlTaskFixtures.count(c, "SELECT count(*) FROM prune.job_history WHERE engine = 'pg_cron'"),
            "both runs were imported into history before the old one was pruned");
      }
    }
  }

  @Test
  void theCronDatabaseCanBeGivenAsDataSourceOrUrl(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed");
    Map<String, String> one = Map.of("autopilot.pack.sql.enabled", "false", "autopilot.task.pattern-learning.enabled", "true");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), "viads", one)
        .pgCronDataSource(db.newDataSource(db.jdbcUrlOf("postgres"), 2)).build().start()) {
      assertEquals(Engine.PG_CRON, ap.monitor().task("pattern-learning").orElseThrow().engine());
      assertEquals(List.of("pattern-learning"), new ArrayList<>(ownedJobs(db, "viads").keySet()));
    }
    Map<String, String> viaUrl = new HashMap<>(one);
    viaUrl.put("autopilot.pg-cron.url", db.jdbcUrlOf("postgres"));
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), "viaurl", viaUrl).build().start()) {
      assertEquals(List.of("pattern-learning"), new ArrayList<>(ownedJobs(db, "viaurl").keySet()));
    }
    Map<String, String> wrong = new HashMap<>(one);
    wrong.put("autopilot.pg-cron.url", db.jdbcUrl()); // the app database: pg_cron does not live there
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), "wrongurl", wrong).build().start()) {
      TaskStatus t = ap.monitor().task("pattern-learning").orElseThrow();
      assertEquals(Engine.DB_SCHEDULER, t.engine());
      assertEquals("the pg_cron connection goes to database " + db.name() + " but cron.database_name is postgres",
          t.engineReason());
    }
    Map<String, String> required = new HashMap<>(wrong);
    required.put("autopilot.pg-cron", "required");
    dev.autopilot.ConfigurationException e = org.junit.jupiter.api.Assertions.assertThrows(
        dev.autopilot.ConfigurationException.class,
        () -> SqlTaskFixtures.builder(db.dataSource(), "wrongurl", required).build().start());
    assertTrue(e.getMessage().contains("autopilot.pg-cron"), e.getMessage());
    assertTrue(e.getMessage().contains("cron.database_name is postgres"), e.getMessage());
  }
}
