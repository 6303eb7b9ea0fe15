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
 * Issue 2's numbers: start() to ready on a migrated database, and no-op one-time job throughput
 * through Autopilot (history on) against raw db-scheduler on the same database, same threads and
 * polling. Run: ./mvnw -B -pl core -am verify -Dgroups=benchmark -DexcludedGroups=none
 *   -Dtest=ThroughputBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class ThroughputBenchmark {

  static final int JOBS = Integer.getInteger("bench.jobs", 5000);
  static final int THREADS = 4;
  static final Duration POLL = Duration.ofMillis(100);
  static final int ROUNDS = Integer.getInteger("bench.rounds", 3);

  private static void enqueue(DataSource ds, String table, String task, int n) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute("INSERT INTO " + table + " (task_name, task_instance, execution_time, picked, version, priority)"
          + " SELECT '" + task + "', 'b' || g, now(), false, 1, 0 FROM generate_series(1, " + n + ") g");
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
    AtomicInteger rawCount = new AtomicInteger();
    OneTimeTask<Void> rawNoop = Tasks.oneTime("noop").execute((inst, ctx) -> rawCount.incrementAndGet());

    List<Double> raw = new ArrayList<>();
    List<Double> ap = new ArrayList<>();
    for (int r = 0; r < ROUNDS; r++) {
      // alternate which side goes first so JIT warm-up and noise do not favour one
      for (int side = 0; side < 2; side++) {
        if ((side + r) % 2 == 0) {
          rawCount.set(0);
          enqueue(ds, "raw.scheduled_tasks", "noop", JOBS);
          Scheduler s = Scheduler.create(ds, rawNoop).tableName("raw.scheduled_tasks").threads(THREADS)
              .pollingInterval(POLL).enablePriority().enableImmediateExecution().build();
          s.start();
          long t0 = System.nanoTime();
          await(rawCount, JOBS);
          double secs = (System.nanoTime() - t0) / 1e9;
          s.stop();
          raw.add(JOBS / secs);
        } else {
          apCount.set(0);
          enqueue(ds, "autopilot.scheduled_tasks", "noop", JOBS);
          Autopilot built = b.build();
          try (Autopilot a = built.start()) {
            long t1 = System.nanoTime();
            await(apCount, JOBS);
            a.flushHistory(Duration.ofMinutes(1));
            double s2 = (System.nanoTime() - t1) / 1e9;
            ap.add(JOBS / s2);
          }
        }
      }
    }
    long history = jdbc.queryOne("SELECT count(*) FROM autopilot.job_history", ps -> {}, rs -> rs.getLong(1)).orElseThrow();
    Collections.sort(startMs);
    System.out.printf("BENCH start() to ready on migrated db: median %d ms (all %s)%n", startMs.get(startMs.size() / 2), startMs);
    System.out.printf("BENCH raw db-scheduler: %s jobs/s%n", fmt(raw));
    System.out.printf("BENCH autopilot (history on, until history flushed): %s jobs/s; history rows %d%n", fmt(ap), history);
    System.out.printf("BENCH ratio of medians: %.1f%%%n", 100 * median(ap) / median(raw));
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
