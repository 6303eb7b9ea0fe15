package dev.autopilot.bench;

import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 12's numbers: trigger-to-start latency (from the trigger call to the first line of the
 * task body) on the same instance and from another instance (an attached client on its own pool),
 * at the default 5 s polling interval, with LISTEN/NOTIFY on and, as the baseline, off; bulk
 * enqueue runs/s through {@code triggerAll} against raw db-scheduler {@code scheduleBatch}; no-op
 * throughput with the fetch and the lock-and-fetch polling strategies. Run:
 * ./mvnw -B -pl core -am verify -Dgroups=benchmark -DexcludedGroups=none -Dtest=ControlBenchmark
 *   -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class ControlBenchmark {

  static final int TRIGGERS = Integer.getInteger("bench.triggers", 200);
  static final int BASELINE_TRIGGERS = Integer.getInteger("bench.baseline-triggers", 20);
  static final int BULK = 10_000;

  @Test
  void measure(TestDatabase db) throws Exception {
    Map<String, Long> startedAt = new ConcurrentHashMap<>();
    Task probe = Task.java("probe", ctx -> startedAt.put(ctx.executionId(), System.nanoTime())).build();
    AtomicInteger noops = new AtomicInteger();
    Task noop = Task.java("noop", ctx -> noops.incrementAndGet()).build();
    Function<Boolean, Autopilot.Builder> b = notify -> Autopilot.builder(db.newDataSource(8)).environment(Map.of())
        .builtInTasks(false).discoverProviders(false).threads(4).task(probe).task(noop)
        .property("autopilot.notify.enabled", notify.toString()); // default polling interval: 5 s

    if (!Boolean.getBoolean("bench.skip-latency")) {
      try (Autopilot host = b.apply(true).build().start();
          Autopilot other = b.apply(true).build().attach()) {
        report("same instance, notify on", latencies(host, startedAt, TRIGGERS));
        report("other instance, notify on", latencies(other, startedAt, TRIGGERS));
      }
      try (Autopilot host = b.apply(false).build().start();
          Autopilot other = b.apply(false).build().attach()) {
        report("same instance, notify off", latencies(host, startedAt, BASELINE_TRIGGERS));
        report("other instance, notify off (baseline: next poll)", latencies(other, startedAt, BASELINE_TRIGGERS));
      }
    } else {
      try (Autopilot host = b.apply(false).build().start()) {
        // migrates the schema
      }
    }

    // bulk enqueue: triggerAll (arguments, Java-serialized task data) vs raw scheduleBatch, no runner started
    DataSource ds = db.newDataSource(4);
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA IF NOT EXISTS rawbulk; CREATE TABLE IF NOT EXISTS rawbulk.scheduled_tasks"
          + " (LIKE autopilot.scheduled_tasks INCLUDING ALL)");
    }
    SchedulerClient raw = SchedulerClient.Builder.create(ds).tableName("rawbulk.scheduled_tasks").build();
    List<Double> apRates = new ArrayList<>();
    List<Double> rawRates = new ArrayList<>();
    // a host must be running for an attached client to trigger; it polls every 10 min and listens to
    // nothing, so it runs none of the enqueued rows while they are measured
    try (Autopilot idle = b.apply(false).pollingInterval(Duration.ofMinutes(10)).build().start();
        Autopilot client = b.apply(false).build().attach()) {
      for (int round = 0; round < 5; round++) {
        List<Map<String, ?>> args = new ArrayList<>();
        List<TaskInstance<?>> rawInstances = new ArrayList<>();
        for (int i = 0; i < BULK; i++) {
          args.add(Map.of("n", i));
          rawInstances.add(new TaskInstance<Void>("noop", "r" + round + "-" + i));
        }
        // alternate which side goes first; both tables emptied the same way after each round
        for (int side = 0; side < 2; side++) {
          if ((side + round) % 2 == 0) {
            long t0 = System.nanoTime();
            client.triggerAll("noop", args);
            apRates.add(BULK / ((System.nanoTime() - t0) / 1e9));
          } else {
            long t1 = System.nanoTime();
            raw.scheduleBatch(rawInstances, Instant.now());
            rawRates.add(BULK / ((System.nanoTime() - t1) / 1e9));
          }
        }
        try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
          s.execute("TRUNCATE autopilot.scheduled_tasks, rawbulk.scheduled_tasks");
        }
      }
    }
    System.out.printf("BENCH bulk enqueue of %d runs: triggerAll (with an argument each) %s runs/s; raw db-scheduler"
        + " scheduleBatch (no data) %s runs/s; ratio of medians %.2f%n", BULK, fmt(apRates), fmt(rawRates),
        median(apRates) / median(rawRates));

    // no-op throughput by polling strategy, 5,000 runs enqueued in bulk, polling 100 ms, rounds interleaved
    List<Double> fetch = new ArrayList<>();
    List<Double> lockAndFetch = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      for (String strategy : round % 2 == 0 ? List.of("fetch", "lock-and-fetch") : List.of("lock-and-fetch", "fetch")) {
        noops.set(0);
        List<Map<String, ?>> none = Collections.nCopies(5000, Map.of());
        try (Autopilot idle = b.apply(false).pollingInterval(Duration.ofMinutes(10)).build().start();
            Autopilot client = b.apply(false).build().attach()) {
          client.triggerAll("noop", none);
        }
        try (Autopilot a = b.apply(false).pollingInterval(Duration.ofMillis(100))
            .property("autopilot.polling-strategy", strategy).build().start()) {
          long t0 = System.nanoTime();
          while (noops.get() < 5000 && System.nanoTime() - t0 < Duration.ofMinutes(3).toNanos()) {
            Thread.sleep(2);
          }
          a.flushHistory(Duration.ofMinutes(1));
          double rate = noops.get() / ((System.nanoTime() - t0) / 1e9);
          (strategy.equals("fetch") ? fetch : lockAndFetch).add(rate);
        }
      }
    }
    System.out.printf("BENCH no-op throughput, 4 threads: fetch %s runs/s; lock-and-fetch %s runs/s%n", fmt(fetch),
        fmt(lockAndFetch));
    // a bootstrap wave of six steps that only skip, default polling (each step used to take about 1 s)
    List<Long> waves = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      Autopilot.Builder wb = Autopilot.builder(db.newDataSource(8)).environment(Map.of()).builtInTasks(false)
          .discoverProviders(false).schema("wave" + round).threads(4);
      for (int i = 0; i < 6; i++) {
        wb.task(Task.java("step-" + i, ctx -> ctx.skip("nothing to do"))
            .trigger(dev.autopilot.spi.Trigger.startup(100 - i)).build());
      }
      long t0 = System.nanoTime();
      try (Autopilot a = wb.build().start()) {
        if (!a.awaitBootstrap(Duration.ofMinutes(2)).finished()) {
          throw new AssertionError("wave did not finish");
        }
        waves.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    System.out.printf("BENCH bootstrap wave of 6 skipping steps, start() to finished: %s ms%n", waves);
    System.out.println("BENCH (shared 2-core machine; ratios within this run are what to compare)");
  }

  private static List<Long> latencies(Autopilot via, Map<String, Long> startedAt, int n) throws InterruptedException {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long t0 = System.nanoTime();
      String id = via.trigger("probe");
      long deadline = t0 + Duration.ofSeconds(30).toNanos();
      while (!startedAt.containsKey(id) && System.nanoTime() < deadline) {
        Thread.sleep(0, 200_000);
      }
      Long s = startedAt.get(id);
      if (s == null) {
        throw new AssertionError("trigger " + id + " did not start within 30 s");
      }
      out.add((s - t0) / 1000);
      Thread.sleep(5);
    }
    return out;
  }

  private static void report(String what, List<Long> micros) {
    List<Long> s = new ArrayList<>(micros);
    Collections.sort(s);
    System.out.printf("BENCH trigger-to-start, %s, %d triggers: p50 %.1f ms, p95 %.1f ms, max %.1f ms%n", what, s.size(),
        s.get(s.size() / 2) / 1000.0, s.get((int) Math.ceil(s.size() * 0.95) - 1) / 1000.0, s.get(s.size() - 1) / 1000.0);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String fmt(List<Double> v) {
    StringBuilder sb = new StringBuilder();
    for (double d : v) {
      sb.append(String.format("%.0f ", d));
    }
    return sb.toString().trim() + " (median " + String.format("%.0f", median(v)) + ")";
  }
}
