package dev.autopilot.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.autopilot.Autopilot;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Metrics bound without Spring, against a real PostgreSQL and real runs on db-scheduler. */
@ExtendWith(PostgresExtension.class)
class AutopilotMetricsTest {

  static Task ok() {
    return Task.java("metrics-ok", ctx -> { }).pack("demo").build();
  }

  static Task boom() {
    return Task.java("metrics-boom", ctx -> {
      throw new IllegalStateException("boom");
    }).retry(RetryPolicy.none()).pack("demo").build();
  }

  static Autopilot.Builder host(DataSource ds, String name) {
    return Autopilot.builder(ds).instanceName(name).builtInTasks(false).discoverProviders(false)
        .environment(java.util.Map.of()).pollingInterval(Duration.ofMillis(200)).task(ok()).task(boom());
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    await(what, condition, Duration.ofSeconds(60));
  }

  static void await(String what, BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  static double count(MeterRegistry r, String task, String outcome) {
    Counter c = r.find(AutopilotMetrics.COMPLETIONS).tags("task", task, "outcome", outcome).counter();
    return c == null ? 0 : c.count();
  }

  static double gauge(MeterRegistry r, String name, String task) {
    Gauge g = r.find(name).tags("task", task).gauge();
    return g == null ? Double.NaN : g.value();
  }

  @Test
  void completionsAndDurationsAreCountedByTaskEngineAndPackTheSameInEveryRegistry(TestDatabase db) throws Exception {
    try (Autopilot ap = host(db.dataSource(), "m1").build().start()) {
      PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
      SimpleMeterRegistry simple = new SimpleMeterRegistry();
      try (AutopilotMetrics metrics = AutopilotMetrics.bindTo(ap, prometheus);
          AutopilotMetrics second = AutopilotMetrics.builder(ap).interval(Duration.ofMillis(200)).build()) {
        second.bindTo(simple);
        ap.trigger("metrics-ok");
        ap.trigger("metrics-ok");
        ap.trigger("metrics-boom");
        await("three finished runs", () -> {
          metrics.refresh();
          return count(prometheus, "metrics-ok", "succeeded") == 2 && count(prometheus, "metrics-boom", "failed") == 1;
        });
        second.refresh();

        String scrape = prometheus.scrape();
        assertTrue(ap.packOf("metrics-other").isEmpty(), "not in this instance's catalog");
        assertTrue(scrape.contains("autopilot_task_completions_total{engine=\"db-scheduler\",outcome=\"succeeded\","
            + "pack=\"demo\",task=\"metrics-ok\"} 2.0"), scrape);
        assertTrue(scrape.contains("autopilot_task_completions_total{engine=\"db-scheduler\",outcome=\"failed\","
            + "pack=\"demo\",task=\"metrics-boom\"} 1.0"), scrape);
        assertTrue(scrape.contains("autopilot_task_duration_seconds_count{engine=\"db-scheduler\",pack=\"demo\","
            + "task=\"metrics-ok\"} 2"), scrape);
        assertTrue(scrape.contains("autopilot_alive 1.0"), scrape);

        // a task only another instance has is tagged with the pack that instance recorded
        try (Autopilot other = Autopilot.builder(db.dataSource()).instanceName("m1-other").builtInTasks(false)
            .discoverProviders(false).environment(java.util.Map.of()).pollingInterval(Duration.ofMillis(200))
            .task(Task.java("metrics-other", ctx -> { }).pack("elsewhere").build()).build().start()) {
          other.trigger("metrics-other");
          await("the other instance's run counted", () -> {
            metrics.refresh();
            return prometheus.find(AutopilotMetrics.COMPLETIONS).tags("task", "metrics-other", "pack", "elsewhere",
                "outcome", "succeeded").counter() != null;
          });
        }

        // the same numbers through another binder and registry
        assertEquals(2.0, count(simple, "metrics-ok", "succeeded"));
        assertEquals(1.0, count(simple, "metrics-boom", "failed"));
        Timer t = simple.find(AutopilotMetrics.DURATION).tags("task", "metrics-ok").timer();
        assertEquals(2, t.count());
        double age = gauge(simple, AutopilotMetrics.LAST_SUCCESS_AGE, "metrics-ok");
        assertTrue(age >= 0 && age < 60, "last success age " + age);
        assertTrue(Double.isNaN(gauge(simple, AutopilotMetrics.LAST_SUCCESS_AGE, "metrics-boom")),
            "a task that never succeeded has no last-success gauge");
      }
      assertTrue(prometheus.scrape().lines().noneMatch(l -> l.startsWith("autopilot_")),
          "closing the binder removes its meters");
    }
  }

  @Test
  void backlogAndLagGrowWhileNoInstanceRunsTheTaskAndReturnToZeroAfter(TestDatabase db) throws Exception {
    DataSource ds = db.newDataSource(6);
    host(ds, "migrator").build().start().close(); // migrate and record the catalog, then nobody runs anything
    try (Autopilot client = host(ds, "client").build().attach()) { // an operator tool's view
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (AutopilotMetrics metrics = AutopilotMetrics.builder(client).gaugeCache(Duration.ZERO).build()) {
        metrics.bindTo(registry);
        // runs queued from outside (db-scheduler's own client) while no instance is up
        SchedulerClient queue = SchedulerClient.Builder.create(ds).tableName("autopilot.scheduled_tasks").build();
        for (int i = 0; i < 3; i++) {
          queue.scheduleIfNotExists(new TaskInstance<Void>("metrics-ok", "queued-" + i), Instant.now());
        }
        Thread.sleep(1100);
        assertEquals(3.0, gauge(registry, AutopilotMetrics.BACKLOG, "metrics-ok"));
        assertEquals(0.0, gauge(registry, AutopilotMetrics.BACKLOG, "metrics-boom"));
        double lag = gauge(registry, AutopilotMetrics.LAG, "metrics-ok");
        assertTrue(lag >= 1.0 && lag < 60, "lag " + lag);
        assertEquals(0.0, gauge(registry, AutopilotMetrics.LAG, "metrics-boom"));
        assertEquals(1, registry.find(AutopilotMetrics.BACKLOG).tags("task", "metrics-ok", "pack", "demo").gauges().size(),
            "an attached client tags by the recorded catalog's pack");

        try (Autopilot worker = host(ds, "worker").build().start()) {
          await("backlog drained", () -> gauge(registry, AutopilotMetrics.BACKLOG, "metrics-ok") == 0.0);
          assertEquals(0.0, gauge(registry, AutopilotMetrics.LAG, "metrics-ok"));
          await("three completions counted", () -> {
            worker.flushHistory(Duration.ofSeconds(5));
            metrics.refresh();
            return count(registry, "metrics-ok", "succeeded") == 3;
          });
        }
      }
    }
  }

  @Test
  void runningCountsPickedRunsAndBootstrapStepsHaveTheirDurations(TestDatabase db) throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Task slow = Task.java("metrics-slow", ctx -> {
      entered.countDown();
      release.await(60, TimeUnit.SECONDS);
    }).build();
    Task first = Task.java("metrics-startup", ctx -> Thread.sleep(300)).trigger(Trigger.startup(10)).pack("boot").build();
    try (Autopilot ap = host(db.dataSource(), "m3").task(slow).task(first).build().start()) {
      assertTrue(ap.awaitBootstrap(Duration.ofSeconds(60)).succeeded());
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      try (AutopilotMetrics metrics = AutopilotMetrics.builder(ap).gaugeCache(Duration.ZERO).build()) {
        metrics.bindTo(registry);
        ap.trigger("metrics-slow");
        assertTrue(entered.await(60, TimeUnit.SECONDS));
        assertEquals(1.0, gauge(registry, AutopilotMetrics.RUNNING, "metrics-slow"));
        assertEquals(0.0, gauge(registry, AutopilotMetrics.BACKLOG, "metrics-slow"));
        release.countDown();
        await("run finished", () -> gauge(registry, AutopilotMetrics.RUNNING, "metrics-slow") == 0.0);

        metrics.refresh();
        Gauge step = registry.find(AutopilotMetrics.BOOTSTRAP_STEP).tags("task", "metrics-startup", "pack", "boot").gauge();
        assertTrue(step != null && step.value() >= 0.3 && step.value() < 60, "bootstrap step " + (step == null ? null : step.value()));
      }
    }
  }
}
