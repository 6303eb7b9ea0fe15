package dev.autopilot.micrometer;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * No-op job throughput with and without {@link AutopilotMetrics} bound (1 s history interval, no
 * gauge cache, a Prometheus scrape every second), same database, interleaved rounds. Run:
 * ./mvnw -B -pl metrics -am verify -Dgroups=benchmark -DexcludedGroups=none
 *   -Dtest=MetricsOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class MetricsOverheadBenchmark {

  static final int JOBS = Integer.getInteger("bench.jobs", 5000);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

  static void enqueue(DataSource ds, int n) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO autopilot.scheduled_tasks (task_name, task_instance, execution_time, picked, version, priority)"
          + " SELECT 'noop', 'b' || g, now(), false, 1, 0 FROM generate_series(1, " + n + ") g");
    }
  }

  @Test
  void measure(TestDatabase db) throws Exception {
    DataSource ds = db.newDataSource(12);
    AtomicInteger done = new AtomicInteger();
    Autopilot.Builder b = Autopilot.builder(ds).environment(Map.of()).builtInTasks(false).discoverProviders(false)
        .threads(4).pollingInterval(Duration.ofMillis(100))
        .task(Task.java("noop", ctx -> done.incrementAndGet()).build());
    b.build().start().close(); // migrates
    List<Double> without = new ArrayList<>();
    List<Double> with = new ArrayList<>();
    long scrapes = 0;
    for (int r = -1; r < ROUNDS; r++) { // round -1 warms the JIT and the database up, not counted
      for (int side = 0; side < 2; side++) {
        boolean metrics = (side + r + 2) % 2 == 1;
        done.set(0);
        enqueue(ds, JOBS);
        try (Autopilot ap = b.build()) {
          PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
          AutopilotMetrics m = null;
          AtomicBoolean stop = new AtomicBoolean();
          Thread scraper = null;
          AtomicInteger scraped = new AtomicInteger();
          if (metrics) {
            m = AutopilotMetrics.builder(ap).interval(Duration.ofSeconds(1)).gaugeCache(Duration.ZERO).build();
            m.bindTo(registry);
            scraper = new Thread(() -> {
              while (!stop.get()) {
                registry.scrape();
                scraped.incrementAndGet();
                try {
                  Thread.sleep(1000);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
            scraper.start();
          }
          long t0 = System.nanoTime();
          ap.start(); // bound before start, as the starter does: every run is counted
          long deadline = t0 + Duration.ofMinutes(5).toNanos();
          while (done.get() < JOBS && System.nanoTime() < deadline) {
            Thread.sleep(2);
          }
          ap.flushHistory(Duration.ofMinutes(1));
          double secs = (System.nanoTime() - t0) / 1e9;
          if (done.get() < JOBS) {
            throw new AssertionError("only " + done.get() + " of " + JOBS);
          }
          if (r >= 0) {
            (metrics ? with : without).add(JOBS / secs);
          }
          if (metrics) {
            stop.set(true);
            scraper.interrupt();
            scraper.join();
            m.refresh();
            double counted = registry.find(AutopilotMetrics.COMPLETIONS).tags("task", "noop").counter().count();
            if (counted != JOBS) {
              throw new AssertionError("metrics counted " + counted + " of " + JOBS);
            }
            scrapes += scraped.get();
            m.close();
          }
        }
      }
    }
    System.out.printf("BENCH no-op jobs/s without metrics: %s%n", fmt(without));
    System.out.printf("BENCH no-op jobs/s with metrics (1 s interval, scrape every 1 s, %d scrapes): %s%n", scrapes, fmt(with));
    System.out.printf("BENCH with/without ratio of medians: %.1f%%%n", 100 * median(with) / median(without));
  }

  static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  static String fmt(List<Double> v) {
    StringBuilder sb = new StringBuilder();
    for (double d : v) {
      sb.append(String.format("%.0f ", d));
    }
    return sb.toString().trim() + " (median " + String.format("%.0f", median(v)) + ")";
  }
}
