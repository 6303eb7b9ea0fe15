package dev.autopilot.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.BootstrapStatus;
import dev.autopilot.BootstrapStatus.StepState;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
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

/** The start-up wave: priority order, once per wave across instances, waiting and skipping. */
@ExtendWith(PostgresExtension.class)
class BootstrapTest {

  /** A Java start-up task that records its run and fails its first {@code failures} attempts. */
  private static Task recorder(String name, int priority, int failures, RetryPolicy retry) {
    return Task.java(name, ctx -> {
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public.runs(schema_name, task, attempt) VALUES (?,?,?)")) {
        ps.setString(1, ctx.schema());
        ps.setString(2, ctx.taskName());
        ps.setInt(3, ctx.attempt());
        ps.executeUpdate();
      }
      Thread.sleep(100);
      if (ctx.attempt() <= failures) {
        throw new IllegalStateException(name + " not ready (attempt " + ctx.attempt() + ")");
      }
    }).trigger(Trigger.startup(priority)).retry(retry).build();
  }

  private static void createRuns(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS public.runs(id bigserial, schema_name text, task text, attempt int,"
          + " at timestamptz DEFAULT clock_timestamp())");
    }
  }

  private static Autopilot.Builder builder(DataSource ds, String schema, String instance) {
    return Autopilot.builder(ds).schema(schema).environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .instanceName(instance).pollingInterval(Duration.ofMillis(100)).threads(2);
  }

  private static List<String> runs(TestDatabase db, String schema) {
    return new Jdbc(db.dataSource()).query("SELECT task || '#' || attempt FROM public.runs WHERE schema_name = ? ORDER BY id",
        ps -> ps.setString(1, schema), rs -> rs.getString(1));
  }

  @Test
  void twoInstancesStartingTogetherRunTheWaveOnceInPriorityOrder(TestDatabase db) throws Exception {
    createRuns(db);
    String sqlStep = "INSERT INTO public.runs(schema_name, task, attempt) VALUES ('wave', 'sql-seed', 1)";
    RetryPolicy quick = RetryPolicy.exponential(3, Duration.ofMillis(300));
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<Autopilot>> starts = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      DataSource ds = db.newDataSource(6);
      String name = "node-" + i;
      starts.add(CompletableFuture.supplyAsync(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return builder(ds, "wave", name)
            .task(recorder("load-b", 95, 1, quick)) // fails once, then succeeds
            .task(recorder("load-a", 100, 0, quick))
            .task(Task.sql("sql-seed", sqlStep).trigger(Trigger.cron("0 7 * * 0").andAtStartup(90)).build())
            .task(recorder("index-d", 70, 0, quick))
            .build().start();
      }));
    }
    long t0 = System.nanoTime();
    go.countDown();
    List<Autopilot> aps = new ArrayList<>();
    for (CompletableFuture<Autopilot> f : starts) {
      aps.add(f.get());
    }
    long startMs = (System.nanoTime() - t0) / 1_000_000;
    try {
      BootstrapStatus s0 = aps.get(0).awaitBootstrap(Duration.ofSeconds(60));
      BootstrapStatus s1 = aps.get(1).awaitBootstrap(Duration.ofSeconds(60));
      assertTrue(s0.succeeded(), s0.toString());
      assertEquals(s0.waveId(), s1.waveId(), "both instances are in one wave");
      assertEquals(List.of("node-0", "node-1"), s0.instances().stream().sorted().toList());
      assertEquals(List.of("load-a#1", "load-b#1", "load-b#2", "sql-seed#1", "index-d#1"), runs(db, "wave"),
          "each start-up task once, in priority order, the failed one retried before the next ran");
      assertEquals(List.of("load-a", "load-b", "sql-seed", "index-d"),
          s0.steps().stream().map(BootstrapStatus.Step::task).toList());
      assertEquals(2, s0.step("load-b").orElseThrow().attempts());
      assertEquals(s0, aps.get(1).monitor().bootstrap(), "the monitor shows the same wave");
      assertTrue(startMs < 20_000, "start() did not wait for the wave");
      aps.get(0).flushHistory(Duration.ofSeconds(5));
      aps.get(1).flushHistory(Duration.ofSeconds(5));
      int history = new Jdbc(db.dataSource()).queryOne("SELECT count(*) FROM wave.job_history WHERE execution_id LIKE 'bootstrap-%'",
          Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(5, history, "every attempt in job history (4 steps + 1 retry)");
    } finally {
      aps.forEach(Autopilot::close);
    }

    // A third start within the window joins the finished wave: nothing runs again.
    try (Autopilot late = builder(db.newDataSource(4), "wave", "node-2")
        .task(recorder("load-a", 100, 0, quick)).task(recorder("load-b", 95, 0, quick))
        .task(Task.sql("sql-seed", sqlStep).trigger(Trigger.startup(90)).build())
        .task(recorder("index-d", 70, 0, quick)).build().start()) {
      BootstrapStatus s = late.awaitBootstrap(Duration.ofSeconds(10));
      assertTrue(s.instances().contains("node-2"));
      assertEquals(5, runs(db, "wave").size(), "joined the finished wave; nothing ran again");
    }
  }

  @Test
  void aRetryingStepMakesLaterStepsWaitAndAFinalFailureSkipsThem(TestDatabase db) throws Exception {
    createRuns(db);
    RetryPolicy slow = RetryPolicy.exponential(3, Duration.ofMillis(700)).withJitter(0);
    try (Autopilot ap = builder(db.newDataSource(4), "fail", "solo")
        .property("autopilot.bootstrap.wave-window", "0s")
        .task(recorder("first", 100, 0, slow))
        .task(recorder("broken", 90, 99, slow)) // never succeeds
        .task(recorder("after", 80, 0, slow))
        .task(recorder("last", 70, 0, slow))
        .build().start()) {
      BootstrapStatus during = dev.autopilot.Await.value(Duration.ofSeconds(30), "broken retrying",
          () -> ap.monitor().bootstrap(),
          b -> b.step("broken").map(x -> x.state() == StepState.RETRYING && x.message() != null).orElse(false));
      assertEquals(StepState.PENDING, during.step("after").orElseThrow().state(), "later step waits while retrying");
      assertTrue(during.step("broken").orElseThrow().message().contains("not ready"), during.toString());

      BootstrapStatus done = ap.awaitBootstrap(Duration.ofSeconds(30));
      assertTrue(done.finished());
      assertFalse(done.succeeded());
      assertEquals(StepState.SUCCEEDED, done.step("first").orElseThrow().state());
      BootstrapStatus.Step broken = done.step("broken").orElseThrow();
      assertEquals(StepState.FAILED, broken.state());
      assertEquals(3, broken.attempts());
      BootstrapStatus.Step after = done.step("after").orElseThrow();
      assertEquals(StepState.SKIPPED, after.state());
      assertTrue(after.blocked());
      assertTrue(after.message().contains("broken failed"), after.message());
      assertEquals(StepState.SKIPPED, done.step("last").orElseThrow().state());
      assertEquals(List.of("first#1", "broken#1", "broken#2", "broken#3"), runs(db, "fail"),
          "the later steps never ran on missing data");
    }
  }

  @Test
  void theWaveGoesOnWhenTheInstanceThatOpenedItStops(TestDatabase db) throws Exception {
    createRuns(db);
    RetryPolicy quick = RetryPolicy.exponential(3, Duration.ofMillis(200));
    Task slow = Task.java("slow-first", ctx -> {
      Thread.sleep(1500);
      try (Connection c = ctx.dataSource().getConnection();
          PreparedStatement ps = c.prepareStatement("INSERT INTO public.runs(schema_name, task, attempt) VALUES (?,?,?)")) {
        ps.setString(1, ctx.schema());
        ps.setString(2, ctx.taskName());
        ps.setInt(3, ctx.attempt());
        ps.executeUpdate();
      }
    }).trigger(Trigger.startup(100)).retry(quick).build();
    Autopilot opener = builder(db.newDataSource(4), "handover", "opener").task(slow)
        .task(recorder("second", 50, 0, quick)).build().start();
    Autopilot joiner = builder(db.newDataSource(4), "handover", "joiner").task(slow)
        .task(recorder("second", 50, 0, quick)).build().start();
    try {
      assertEquals("opener", joiner.monitor().bootstrap().openedBy());
      opener.close(); // while slow-first runs (on either instance) and second is pending
      BootstrapStatus s = joiner.awaitBootstrap(Duration.ofSeconds(90));
      assertTrue(s.succeeded(), s.toString());
      assertEquals(List.of("slow-first#1", "second#1"), runs(db, "handover"));
    } finally {
      opener.close();
      joiner.close();
    }
  }

  @Test
  void noStartupTasksOpensNoWave(TestDatabase db) {
    // a started instance keeps two connections of its own (heartbeats, LISTEN): a pool of 4 leaves two for work
    try (Autopilot ap = builder(db.newDataSource(4), "nowave", "solo").build().start()) {
      BootstrapStatus s = ap.awaitBootstrap(Duration.ofSeconds(1));
      assertTrue(s.finished());
      assertEquals(0, s.waveId());
      assertEquals(BootstrapStatus.none(), ap.monitor().bootstrap());
    }
  }
}
