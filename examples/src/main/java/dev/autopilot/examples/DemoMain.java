package dev.autopilot.examples;

import dev.autopilot.cli.Console;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.autopilot.Autopilot;
import dev.autopilot.BootstrapStatus;
import dev.autopilot.code.SearchHit;
import dev.autopilot.Health;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.TaskStatus;
import dev.autopilot.spi.Durations;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * The example host application: starts the embedded PostgreSQL (pg_cron, pgvector) kept in
 * {@code .autopilot/}, starts Autopilot with the full task set on it, shows the bootstrap's
 * progress, a table of every task, and a sample search, then prints every finished job until
 * Ctrl-C or {@code --duration}.
 *
 * <pre>
 * ./autopilot demo [--duration 60s] [--repo DIR]
 * </pre>
 */
public final class DemoMain {

  static final String SAMPLE_QUERY = "how are SQL tasks scheduled in pg_cron";
  private static final String USAGE = "usage: autopilot demo [--duration 60s] [--repo DIR]";

  private final PrintStream out = System.out;
  private final Path repo;
  private final Path home;
  private final Duration duration;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stop = new CountDownLatch(1);
  private EmbeddedDb db;
  private boolean startedDb;
  private HikariDataSource pool;
  private Autopilot autopilot;
  private dev.autopilot.web.WebServer web;

  private DemoMain(Path repo, Duration duration) {
    this.repo = repo;
    this.home = repo.resolve(".autopilot");
    this.duration = duration;
  }

  /**
   * @param args {@code --duration D} (run for D, then stop; default until Ctrl-C), {@code --repo
   *     DIR} (the repository: example data and code to ingest; default the working directory)
   */
  public static void main(String[] args) {
    Path repo = Path.of(System.getProperty("autopilot.repo", ".")).toAbsolutePath().normalize();
    Duration duration = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if ((a.equals("--duration") || a.equals("--repo")) && i + 1 >= args.length) {
        fail(a + " needs a value");
      }
      try {
        switch (a) {
          case "--duration":
            duration = Durations.parse("--duration", args[++i]);
            break;
          case "--repo":
            repo = Path.of(args[++i]).toAbsolutePath().normalize();
            break;
          case "-h":
          case "--help":
            System.out.println(USAGE);
            return;
          default:
            fail("unknown option '" + a + "'");
        }
      } catch (IllegalArgumentException e) {
        fail(e.getMessage());
      }
    }
    Path log = repo.resolve(".autopilot/demo.log");
    try {
      Files.createDirectories(log.getParent());
    } catch (java.io.IOException e) {
      fail("cannot create " + log.getParent() + ": " + e.getMessage());
    }
    // before the first logger exists: the console is for the person, the log file for details
    System.setProperty("org.slf4j.simpleLogger.logFile", log.toString());
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    DemoMain demo = new DemoMain(repo, duration);
    Runtime.getRuntime().addShutdownHook(new Thread(demo::shutdown, "demo-shutdown"));
    int code;
    try {
      code = demo.run();
    } catch (RuntimeException e) {
      System.err.println("demo: " + e.getMessage() + " (details in " + log + ")");
      org.slf4j.LoggerFactory.getLogger(DemoMain.class).error("demo failed", e);
      code = 1;
    }
    demo.shutdown();
    System.exit(code);
  }

  private static void fail(String message) {
    System.err.println("demo: " + message);
    System.err.println(USAGE);
    System.exit(2);
  }

  private int run() {
    out.println("Autopilot demo   repository " + repo + "   log " + home.resolve("demo.log"));
    long t0 = System.nanoTime();

    db = new EmbeddedDb(home);
    step(1, "PostgreSQL with pg_cron and pgvector in " + db.dataDirectory());
    long t = System.nanoTime();
    startedDb = db.start();
    out.println("      " + (startedDb ? "started" : "already running") + " on port " + db.rememberedPort()
        + " (" + ms(t) + "), database " + EmbeddedDb.DATABASE);

    step(2, "Autopilot: migrate, place tasks on their engines, start the scheduler");
    HikariConfig hc = new HikariConfig();
    hc.setJdbcUrl(db.jdbcUrl());
    hc.setMaximumPoolSize(12);
    hc.setPoolName("demo");
    pool = new HikariDataSource(hc);
    t = System.nanoTime();
    autopilot = ExampleApp.builder(pool, repo, home).pollingInterval(Duration.ofSeconds(1)).build().start();
    Health h = autopilot.monitor().health();
    List<TaskStatus> tasks = autopilot.monitor().tasks();
    out.println("      started in " + ms(t) + ": " + tasks.size() + " tasks, schema v" + h.schemaVersion()
        + ", SQL tasks on " + (h.pgCronUsable() ? "pg_cron" : "db-scheduler") + " (" + h.pgCronReason() + ")");
    web = dashboard();
    out.println("      dashboard: " + web.url() + " (loopback only; open it in a browser)");

    step(3, "Bootstrap: start-up tasks in priority order");
    bootstrap(tasks);

    step(4, "Every task");
    Console.taskTable(out, autopilot.monitor().tasks());

    step(5, "Sample search: \"" + SAMPLE_QUERY + "\"");
    dev.autopilot.code.CodeSearch search = dev.autopilot.code.CodeSearch.of(autopilot);
    List<SearchHit> hits = search.search(SAMPLE_QUERY, 3);
    if (hits.isEmpty()) {
      out.println("      no hits");
    } else {
      hits.forEach(hit -> out.println("      " + Console.hit(hit)));
    }
    // the bootstrap waits for embeddings at most autopilot.code.embed.wait: say what search answered from
    out.println("      answered from " + search.embeddingProgress());

    out.println();
    out.println("Dashboard: " + web.url());
    out.println("Ready in " + ms(t0) + ". " + (duration == null ? "Running until Ctrl-C." : "Running for " + duration.toSeconds() + " s.")
        + " Finished jobs as they happen (try: ./autopilot status, ./autopilot trigger " + ExampleApp.SOURCE_CENSUS + "):");
    feed();
    return 0;
  }

  private void bootstrap(List<TaskStatus> tasks) {
    List<TaskStatus> startup = tasks.stream().filter(s -> s.startupPriority() != null && s.enabled())
        .sorted(Comparator.comparing(TaskStatus::startupPriority).reversed()).collect(Collectors.toList());
    ProgressView view = new ProgressView(pool, Autopilot.DEFAULT_SCHEMA, out, System.console() != null);
    long t = System.nanoTime();
    AtomicReference<BootstrapStatus> result = new AtomicReference<>();
    Thread waiter = new Thread(() -> result.set(autopilot.awaitBootstrap(Duration.ofMinutes(30))), "demo-bootstrap");
    waiter.start();
    while (waiter.isAlive()) {
      view.draw();
      sleep(250);
    }
    view.draw();
    BootstrapStatus wave = result.get();
    if (wave != null) {
      for (BootstrapStatus.Step st : wave.steps()) {
        out.println("      " + st.task() + ": " + st.state().name().toLowerCase(java.util.Locale.ROOT)
            + (st.message() == null ? "" : " (" + st.message() + ")"));
      }
    }
    out.println("      " + startup.size() + " start-up task(s) done in " + ms(t));
  }

  private void feed() {
    JobState[] finished = {JobState.SUCCEEDED, JobState.SKIPPED, JobState.RETRYING, JobState.FAILED, JobState.DEAD};
    // history ids do not follow finishing order (rows are written in batches): remember what was shown
    Map<Long, Instant> shown = new HashMap<>();
    autopilot.monitor().jobs(JobQuery.all().states(finished[0], finished).limit(500))
        .forEach(r -> shown.put(r.id(), r.finishedAt()));
    long end = duration == null ? Long.MAX_VALUE : System.nanoTime() + duration.toNanos();
    while (System.nanoTime() < end) {
      try {
        if (stop.await(Math.min(2000, Math.max(1, (end - System.nanoTime()) / 1_000_000)), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      if (closed.get()) {
        return;
      }
      Instant since = Instant.now().minusSeconds(60);
      shown.values().removeIf(t -> t.isBefore(since.minusSeconds(60)));
      for (JobRecord r : autopilot.monitor().jobs(JobQuery.all().states(finished[0], finished).since(since)
          .oldestFirst().limit(500))) {
        if (shown.putIfAbsent(r.id(), r.finishedAt()) == null) {
          out.printf("  %s  %-28s %-9s %8s  %s%s%n", Console.time(r.finishedAt()), r.task(), r.state().label(),
              r.duration().map(Console::duration).orElse("-"), r.engine().label(),
              r.errorMessage() == null ? "" : "  " + r.errorMessage());
        }
      }
    }
    out.println();
    out.println("Duration reached. Every task now:");
    Console.taskTable(out, autopilot.monitor().tasks());
  }

  /** The dashboard on port 8080, or on any free port when 8080 is taken. */
  private dev.autopilot.web.WebServer dashboard() {
    int port = Integer.getInteger("autopilot.web.port", dev.autopilot.web.AutopilotWeb.DEFAULT_PORT);
    try {
      return dev.autopilot.web.AutopilotWeb.create(autopilot).port(port).start();
    } catch (java.io.UncheckedIOException taken) {
      return dev.autopilot.web.AutopilotWeb.create(autopilot).port(0).start();
    }
  }

  private void shutdown() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stop.countDown();
    if (web != null) {
      web.close();
    }
    if (autopilot != null) {
      autopilot.close();
    }
    if (pool != null) {
      pool.close();
    }
    if (db != null && startedDb) {
      db.stop();
      out.println("PostgreSQL stopped; data kept in " + db.dataDirectory());
    }
  }

  private void step(int n, String what) {
    out.println();
    out.println("[" + n + "/5] " + what);
  }

  private static String ms(long startNanos) {
    return Console.duration(Duration.ofNanos(System.nanoTime() - startNanos));
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
