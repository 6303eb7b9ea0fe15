package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Two Autopilot instances on one database: migrations once, every execution once. */
@ExtendWith(PostgresExtension.class)
class TwoInstancesTest {

  private static Task recorder(DataSource ds, String name, String cron) {
    return Task.java(name, ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public.runs(task, execution_id, instance) VALUES (?,?,?)")) {
        ps.setString(1, ctx.taskName());
        ps.setString(2, ctx.executionId());
        ps.setString(3, ctx.config().get("instance-tag", "?"));
        ps.executeUpdate();
      }
      Thread.sleep(20);
    }).cron(cron).build();
  }

  @Test
  void migrationsRunOnceAndEachExecutionRunsOnOneInstanceOnly(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.runs(task text, execution_id text, instance text, at timestamptz DEFAULT clock_timestamp())");
    }
    List<Autopilot> aps = new ArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Autopilot>> starts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      DataSource ds = db.newDataSource(10);
      String tag = "i" + i;
      starts.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return Autopilot.builder(ds).schema("twice").environment(Map.of()).discoverProviders(false).builtInTasks(false)
            .instanceName("node-" + tag).pollingInterval(Duration.ofMillis(100)).threads(3)
            .property("autopilot.instance-tag", tag)
            .task(recorder(ds, "every-second", "@every 1s"))
            .task(recorder(ds, "one-off", "none").withTrigger(dev.autopilot.spi.Trigger.manual()))
            .build().start();
      }));
    }
    go.countDown();
    for (CompletableFuture<Autopilot> f : starts) {
      aps.add(f.get());
    }
    try {
      Jdbc jdbc = new Jdbc(db.dataSource());
      int versions = jdbc.queryOne("SELECT count(*) FROM twice.autopilot_schema_history", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      int distinct = jdbc.queryOne("SELECT count(DISTINCT version) FROM twice.autopilot_schema_history", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(distinct, versions, "each migration recorded once");
      assertEquals(dev.autopilot.internal.Migrator.load(getClass().getClassLoader(), "core").size(), versions);

      for (int i = 0; i < 60; i++) {
        aps.get(i % 2).trigger("one-off");
      }
      Await.until(Duration.ofSeconds(60), "60 one-off runs",
          () -> jdbc.queryOne("SELECT count(*) FROM public.runs WHERE task = 'one-off'", ps -> {}, rs -> rs.getInt(1)).orElseThrow() >= 60);
      Thread.sleep(4000);
      int oneOff = jdbc.queryOne("SELECT count(*) FROM public.runs WHERE task = 'one-off'", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      int oneOffDistinct = jdbc.queryOne("SELECT count(DISTINCT execution_id) FROM public.runs WHERE task = 'one-off'",
          ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(60, oneOff, "every triggered execution ran exactly once");
      assertEquals(60, oneOffDistinct);
      int instances = jdbc.queryOne("SELECT count(DISTINCT instance) FROM public.runs", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(2, instances, "both instances worked");

      // stop both before counting: a recurring run must not land between the two counts
      aps.forEach(Autopilot::close);
      List<JobRecord> recurring = jdbc.query("SELECT scheduled_at FROM twice.job_history WHERE task_name = 'every-second'"
          + " AND outcome = 'succeeded'", ps -> {}, rs -> new JobRecord(0, "every-second", "recurring", Engine.DB_SCHEDULER,
              JobState.SUCCEEDED, 1, null, rs.getTimestamp(1).toInstant(), null, null, null, null));
      assertTrue(recurring.size() >= 3, "recurring runs: " + recurring.size());
      long slots = recurring.stream().map(JobRecord::scheduledAt).distinct().count();
      assertEquals(recurring.size(), slots, "each recurring slot ran once");
      int recurringRuns = jdbc.queryOne("SELECT count(*) FROM public.runs WHERE task = 'every-second'", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      int history = jdbc.queryOne("SELECT count(*) FROM twice.job_history WHERE task_name = 'every-second'", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(recurringRuns, history, "one history row per run");
    } finally {
      aps.forEach(Autopilot::close);
    }
  }
}
