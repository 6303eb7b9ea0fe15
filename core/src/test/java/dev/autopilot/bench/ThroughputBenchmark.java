package dev.autopilot.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.autopilot.Autopilot;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start() to ready on a migrated database, and no-op one-time job throughput through Autopilot
 * (history on, timed until it is written) against raw db-scheduler on the same database, same
 * threads, polling interval and polling strategy (fetch, then lock-and-fetch), rounds interleaved
 * after a warm-up round of each, with the CPU each side spends per job (this JVM and the
 * PostgreSQL server together). Run: ./mvnw -B -pl core -am verify -Dgroups=benchmark
 *   -DexcludedGroups=none -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 *   [-Dbench.rounds=5 -Dbench.warmup=2 -Dbench.jobs=5000 -Dbench.strategies=fetch,lock-and-fetch
 *   -Dbench.instances=1 -Dbench.only=raw|autopilot]
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class ThroughputBenchmark {

  static final int JOBS = Integer.getInteger("bench.jobs", 5000);
  static final int THREADS = 4;
  static final Duration POLL = Duration.ofMillis(100);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);
  static final int WARMUP = Integer.getInteger("bench.warmup", 2);
  /** {@code bench.strategies}: the polling strategies measured, both by default */
  /** {@code bench.instances}: schedulers (each with its own pool and THREADS threads) working one table together */
  static final int INSTANCES = Integer.getInteger("bench.instances", 1);
  /** {@code bench.only}: {@code raw} or {@code autopilot} runs one side alone (for a profiler) */
  static final String ONLY = System.getProperty("bench.only", "");
  static final List<String> STRATEGIES = List.of(System.getProperty("bench.strategies", "fetch,lock-and-fetch").split(","));

  /**
   * Enqueues n due runs, then vacuums and analyzes the table (and empties job history, which
   * only Autopilot writes): every round starts on tables in the same state, so autovacuum coming
   * at a different moment for either side does not decide a round.
   */
  private static void enqueue(DataSource ds, String table, String task, int n) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE autopilot.job_history");
      s.execute("INSERT INTO " + table + " (task_name, task_instance, execution_time, picked, version, priority)"
          + " SELECT '" + task + "', 'b' || g, now(), false, 1, 0 FROM generate_series(1, " + n + ") g");
      s.execute("VACUUM (ANALYZE) " + table + ", autopilot.job_history");
      s.execute("CHECKPOINT");
    }
  }

  private static void await(AtomicInteger c, int n) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (c.get() < n && System.nanoTime() < deadline) {
      Thread.sleep(2);
    }
    if (c.get() < n) {
      throw new AssertionError("only " + c.get() + " of " + n);
    }
  }

  @Test
  void measure(TestDatabase db) throws Exception {
    DataSource ds = db.newDataSource(THREADS + 6);
    Jdbc jdbc = new Jdbc(ds);
    AtomicInteger apCount = new AtomicInteger();
    Task noop = Task.java("noop", ctx -> apCount.incrementAndGet()).build();
    Autopilot.Builder b = Autopilot.builder(ds).environment(Map.of()).builtInTasks(false).discoverProviders(false)
        .threads(THREADS).pollingInterval(POLL).task(noop);
    try (Autopilot first = b.build().start()) {
      // migrates
    }
    List<Long> startMs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      try (Autopilot ap = b.build().start()) {
        startMs.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    // the full built-in catalog: pg_cron detection and reconcile, bootstrap wave join, 40 tasks
    Autopilot.Builder full = Autopilot.builder(ds).environment(Map.of()).discoverProviders(false).schema("full")
        .threads(THREADS).pollingInterval(POLL);
    try (Autopilot first = full.build().start()) {
      first.awaitBootstrap(Duration.ofMinutes(2));
    }
    List<Long> fullMs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      long t0 = System.nanoTime();
      try (Autopilot ap = full.build().start()) {
        fullMs.add((System.nanoTime() - t0) / 1_000_000);
      }
    }
    Collections.sort(fullMs);
    System.out.printf("BENCH start() to ready, full built-in catalog, migrated db: median %d ms (all %s)%n",
        fullMs.get(fullMs.size() / 2), fullMs);
    // raw db-scheduler on its own copy of the table, same database
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE SCHEMA raw; CREATE TABLE raw.scheduled_tasks (LIKE autopilot.scheduled_tasks INCLUDING ALL)");
    }
    List<DataSource> pools = new ArrayList<>(List.of(ds));
    for (int i = 1; i < INSTANCES; i++) {
      pools.add(db.newDataSource(THREADS + 6));
    }
    AtomicInteger rawCount = new AtomicInteger();
    OneTimeTask<Void> rawNoop = Tasks.oneTime("noop").execute((inst, ctx) -> rawCount.incrementAndGet());
    Map<String, double[]> ratios = new java.util.LinkedHashMap<>();
    for (String strategy : STRATEGIES) {
      List<Double> raw = new ArrayList<>();
      List<Double> ap = new ArrayList<>();
      List<Double> rawCpu = new ArrayList<>();
      List<Double> apCpu = new ArrayList<>();
      List<Double> rawDb = new ArrayList<>();
      List<Double> apDb = new ArrayList<>();
      // the first WARMUP rounds warm both sides up (JIT) and are not counted
      for (int r = 0; r < WARMUP + ROUNDS; r++) {
        // alternate which side goes first so warm-up and noise do not favour one
        for (int side = 0; side < 2; side++) {
          boolean rawSide = (side + r) % 2 == 0;
          if (!ONLY.isEmpty() && !ONLY.equals(rawSide ? "raw" : "autopilot")) {
            continue;
          }
          if (rawSide) {
            rawCount.set(0);
            enqueue(ds, "raw.scheduled_tasks", "noop", JOBS);
            List<Scheduler> schedulers = new ArrayList<>();
            for (int i = 0; i < INSTANCES; i++) {
              com.github.kagkarlsson.scheduler.SchedulerBuilder rb = Scheduler.create(pools.get(i), rawNoop)
                  .tableName("raw.scheduled_tasks").threads(THREADS).pollingInterval(POLL).enablePriority()
                  .enableImmediateExecution().schedulerName(new com.github.kagkarlsson.scheduler.SchedulerName.Fixed("raw-" + i));
              if (strategy.equals("lock-and-fetch")) {
                rb.pollUsingLockAndFetch(0.5, 1.0); // what autopilot.polling-strategy=lock-and-fetch sets
              }
              Scheduler s = rb.build();
              s.start();
              schedulers.add(s);
            }
            long t0 = System.nanoTime();
            long[] cpu = CpuMeter.now();
            await(rawCount, JOBS);
            double secs = (System.nanoTime() - t0) / 1e9;
            CpuMeter.Span used = CpuMeter.since(cpu);
            schedulers.forEach(Scheduler::stop);
            if (r >= WARMUP) {
              raw.add(JOBS / secs);
              rawCpu.add(used.microsPerJob(JOBS));
              rawDb.add(used.postgresNanos() / 1000.0 / JOBS);
            }
          } else {
            apCount.set(0);
            enqueue(ds, "autopilot.scheduled_tasks", "noop", JOBS);
            List<Autopilot> instances = new ArrayList<>();
            try {
              for (int i = 0; i < INSTANCES; i++) {
                instances.add(Autopilot.builder(pools.get(i)).environment(Map.of()).builtInTasks(false)
                    .discoverProviders(false).threads(THREADS).pollingInterval(POLL).task(noop)
                    .instanceName("ap-" + i).property("autopilot.polling-strategy", strategy).build().start());
              }
              long t1 = System.nanoTime();
              long[] cpu = CpuMeter.now();
              await(apCount, JOBS);
              for (Autopilot a : instances) {
                a.flushHistory(Duration.ofMinutes(1));
              }
              double s2 = (System.nanoTime() - t1) / 1e9;
              CpuMeter.Span used = CpuMeter.since(cpu);
              if (r >= WARMUP) {
                ap.add(JOBS / s2);
                apCpu.add(used.microsPerJob(JOBS));
                apDb.add(used.postgresNanos() / 1000.0 / JOBS);
              }
            } finally {
              instances.forEach(Autopilot::close);
            }
            long rows = jdbc.queryOne("SELECT count(*) FROM autopilot.job_history", ps -> {}, rs -> rs.getLong(1))
                .orElseThrow();
            if (rows != JOBS || apCount.get() != JOBS) {
              throw new AssertionError(apCount.get() + " runs and " + rows + " history rows for " + JOBS + " jobs");
            }
          }
        }
      }
      if (!raw.isEmpty()) {
        System.out.printf("BENCH [%s] raw db-scheduler: %s jobs/s, CPU %s us/job (JVM + PostgreSQL; PostgreSQL alone"
            + " %s)%n", strategy, fmt(raw), fmt(rawCpu), fmt(rawDb));
      }
      if (!ap.isEmpty()) {
        System.out.printf("BENCH [%s] autopilot (history on, until history flushed): %s jobs/s, CPU %s us/job"
            + " (PostgreSQL alone %s)%n", strategy, fmt(ap), fmt(apCpu), fmt(apDb));
      }
      if (raw.isEmpty() || ap.isEmpty()) {
        continue;
      }
      double ratio = median(ap) / median(raw);
      double cpuRatio = median(rawCpu) / median(apCpu);
      System.out.printf("BENCH [%s] ratio of medians: throughput %.1f%%, CPU per job (raw / autopilot) %.1f%%%n",
          strategy, 100 * ratio, 100 * cpuRatio);
      ratios.put(strategy, new double[] {median(ap), median(raw)});
    }
    if (ratios.size() == 2) {
      System.out.printf("BENCH autopilot default (fetch) vs raw db-scheduler default (fetch): %.1f%%;"
          + " autopilot lock-and-fetch vs raw fetch: %.1f%%%n", 100 * ratios.get("fetch")[0] / ratios.get("fetch")[1],
          100 * ratios.get("lock-and-fetch")[0] / ratios.get("fetch")[1]);
    }
    Collections.sort(startMs);
    System.out.printf("BENCH start() to ready on migrated db: median %d ms (all %s)%n", startMs.get(startMs.size() / 2),
        startMs);
    System.out.printf("BENCH %d instance(s) of %d threads, polling every %d ms, %d jobs a round, %d rounds after %d"
        + " warm-up round(s)%n", INSTANCES, THREADS, POLL.toMillis(), JOBS, ROUNDS, WARMUP);
  }

  private static double median(List<Double> v) {
    List<Double> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  private static String fmt(List<Double> v) {
    StringBuilder sb = new StringBuilder();
    for (double d : v) {
      sb.append(String.format(d < 100 ? "%.1f " : "%.0f ", d));
    }
    return sb.toString().trim() + " (median " + String.format("%.0f", median(v)) + ")";
  }
}
