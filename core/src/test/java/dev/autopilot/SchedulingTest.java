package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class SchedulingTest {

  static Autopilot.Builder builder(TestDatabase db, String schema) {
    return Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).discoverProviders(false).builtInTasks(false)
        .pollingInterval(Duration.ofMillis(100)).threads(2);
  }

  @Test
  void recurringTaskOverriddenToShortScheduleRunsRepeatedlyAndEachRunIsInHistory(TestDatabase db) {
    AtomicInteger runs = new AtomicInteger();
    try (Autopilot ap = builder(db, "recurring")
        .task(Task.java("tick", ctx -> runs.incrementAndGet()).cron("0 3 * * *").build())
        .schedule("tick", "@every 300ms")
        .build().start()) {
      Await.until(Duration.ofSeconds(30), "4 runs", () -> runs.get() >= 4);
      // a run's history row is written after its body returned: wait for the rows, not the bodies
      Await.until(Duration.ofSeconds(30), "4 history rows", () -> ap.flushHistory(Duration.ofSeconds(5))
          && ap.monitor().jobs(JobQuery.all().task("tick").states(JobState.SUCCEEDED)).size() >= 4);
      List<JobRecord> done = ap.monitor().jobs(JobQuery.all().task("tick").states(JobState.SUCCEEDED).oldestFirst());
      assertTrue(done.size() >= 4, "history rows: " + done.size());
      assertTrue(done.size() <= runs.get(), "no more rows than runs");
      for (JobRecord r : done) {
        assertEquals(Engine.DB_SCHEDULER, r.engine());
        assertEquals("recurring", r.executionId());
        assertEquals(ap.instanceName(), r.instance());
        assertNotNull(r.startedAt());
        assertNotNull(r.finishedAt());
        assertNull(r.errorClass());
      }
      TaskStatus st = ap.monitor().task("tick").orElseThrow();
      assertEquals("@every 300ms", st.schedule());
      assertEquals(JobState.SUCCEEDED, st.lastOutcome());
      assertNotNull(st.lastRun());
      assertNotNull(st.nextRun());
    }
  }

  @Test
  void failingTaskRetriesWithGrowingDelaysThenEndsFailedWithTheError(TestDatabase db) {
    AtomicInteger attempts = new AtomicInteger();
    RetryPolicy policy = RetryPolicy.exponential(4, Duration.ofMillis(400)).withJitter(0);
    try (Autopilot ap = builder(db, "retries")
        .task(Task.java("flaky", ctx -> {
          attempts.incrementAndGet();
          throw new java.io.IOException("disk on fire (attempt " + ctx.attempt() + ")");
        }).retry(policy).build())
        .build().start()) {
      String id = ap.trigger("flaky");
      Await.until(Duration.ofSeconds(30), "4 attempts", () -> attempts.get() >= 4);
      ap.flushHistory(Duration.ofSeconds(5));
      List<JobRecord> rows = Await.value(Duration.ofSeconds(10), "4 history rows",
          () -> ap.monitor().jobs(JobQuery.all().task("flaky").oldestFirst()), l -> l.size() >= 4);
      assertEquals(4, rows.size());
      for (int i = 0; i < 4; i++) {
        JobRecord r = rows.get(i);
        assertEquals(id, r.executionId());
        assertEquals(i + 1, r.attempt(), "attempt numbers 1..4");
        assertEquals(i < 3 ? JobState.RETRYING : JobState.FAILED, r.state());
        assertEquals("java.io.IOException", r.errorClass());
        assertEquals("disk on fire (attempt " + (i + 1) + ")", r.errorMessage());
      }
      long gap1 = Duration.between(rows.get(0).finishedAt(), rows.get(1).startedAt()).toMillis();
      long gap2 = Duration.between(rows.get(1).finishedAt(), rows.get(2).startedAt()).toMillis();
      long gap3 = Duration.between(rows.get(2).finishedAt(), rows.get(3).startedAt()).toMillis();
      assertTrue(gap1 >= 400, "first delay >= 400 ms, was " + gap1);
      assertTrue(gap2 >= 800, "second delay >= 800 ms, was " + gap2);
      assertTrue(gap3 >= 1600, "third delay >= 1600 ms, was " + gap3);
      assertEquals(4, attempts.get(), "no attempt after the last");
      assertTrue(ap.monitor().jobs(JobQuery.all().task("flaky").states(JobState.SCHEDULED, JobState.RUNNING)).isEmpty(),
          "nothing left scheduled: failed for good, and visible");
      assertEquals(JobState.FAILED, ap.monitor().task("flaky").orElseThrow().lastOutcome());
      assertTrue(ap.monitor().health().failingTasks().contains("flaky"));
    }
  }

  @Test
  void historyKeepsEveryRowWhileFlushesAreRequestedOnABusyPool(TestDatabase db) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    javax.sql.DataSource small = db.newDataSource(3); // contention: threads, poller and writer wait for connections
    try (Autopilot ap = Autopilot.builder(small).schema("flushes").environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).pollingInterval(Duration.ofMillis(50)).threads(2)
        .task(Task.java("tiny", ctx -> runs.incrementAndGet()).build())
        .build().start()) {
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      Thread flusher = new Thread(() -> {
        while (!done.get()) {
          ap.flushHistory(Duration.ofMillis(5));
        }
      });
      flusher.start();
      for (int i = 0; i < 150; i++) {
        ap.trigger("tiny");
      }
      Await.until(Duration.ofSeconds(60), "150 runs", () -> runs.get() == 150);
      done.set(true);
      flusher.join();
      assertTrue(ap.flushHistory(Duration.ofSeconds(30)));
      int rows = new dev.autopilot.internal.Jdbc(db.dataSource()).queryOne(
          "SELECT count(*) FROM flushes.job_history WHERE task_name = 'tiny'", ps -> {}, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(150, rows, "one history row per run, none lost");
    }
  }

  @Test
  void skippedRunsAreRecordedWithTheReason(TestDatabase db) {
    try (Autopilot ap = builder(db, "skips")
        .task(Task.java("hub-push", ctx -> ctx.skip("no hub configured")).build())
        .build().start()) {
      ap.trigger("hub-push");
      JobRecord r = Await.value(Duration.ofSeconds(20), "skip row",
          () -> ap.monitor().jobs(JobQuery.all().task("hub-push").states(JobState.SKIPPED)), l -> !l.isEmpty()).get(0);
      assertEquals("no hub configured", r.errorMessage());
    }
  }

  @Test
  void disabledTaskDoesNotRecurButCanBeTriggered(TestDatabase db) throws Exception {
    AtomicInteger runs = new AtomicInteger();
    Task t = Task.java("paused", ctx -> runs.incrementAndGet()).trigger(Trigger.cron("@every 200ms")).build();
    try (Autopilot ap = builder(db, "disabled").task(t).build().start()) {
      Await.until(Duration.ofSeconds(20), "a run", () -> runs.get() >= 1);
    }
    runs.set(0);
    try (Autopilot ap = builder(db, "disabled").task(t).enabled("paused", false).build().start()) {
      Thread.sleep(1000);
      assertEquals(0, runs.get(), "a disabled task does not recur");
      TaskStatus st = ap.monitor().task("paused").orElseThrow();
      assertTrue(!st.enabled());
      assertNull(st.nextRun());
      ap.trigger("paused");
      Await.until(Duration.ofSeconds(20), "the triggered run", () -> runs.get() == 1);
    }
  }

  @Test
  void triggerOfUnknownTaskNamesIt(TestDatabase db) {
    try (Autopilot ap = builder(db, "unknown").build().start()) {
      UnknownTaskException e = assertThrows(UnknownTaskException.class, () -> ap.trigger("nope"));
      assertEquals("nope", e.taskName());
    }
  }

  @Test
  void taskContextGivesStateConfigAndProgress(TestDatabase db) {
    try (Autopilot ap = builder(db, "context")
        .property("autopilot.task.ctx.batch-size", "42")
        .task(Task.java("ctx", ctx -> {
          int batch = ctx.config().getInt("batch-size", 1);
          while (true) { // two runs may overlap: an optimistic update, as a watermark task would do
            String prev = ctx.state().get("watermark").orElse(null);
            String next = String.valueOf((prev == null ? 0 : Integer.parseInt(prev)) + batch);
            if (ctx.state().compareAndSet("watermark", prev, next)) {
              break;
            }
          }
          ctx.progress(batch, batch, "done");
        }).build())
        .build().start()) {
      ap.trigger("ctx");
      ap.trigger("ctx");
      Await.until(Duration.ofSeconds(20), "two runs", () -> {
        ap.flushHistory(Duration.ofSeconds(1));
        return ap.monitor().jobs(JobQuery.all().task("ctx").states(JobState.SUCCEEDED)).size() == 2;
      });
      String wm = new dev.autopilot.internal.Jdbc(db.dataSource()).queryOne(
          "SELECT value FROM context.task_state WHERE task_name = 'ctx' AND key = 'watermark'", ps -> {}, rs -> rs.getString(1))
          .orElseThrow();
      assertEquals("84", wm);
    }
  }
}
