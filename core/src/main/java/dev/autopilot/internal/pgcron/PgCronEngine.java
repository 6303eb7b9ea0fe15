package dev.autopilot.internal.pgcron;

import dev.autopilot.ConfigurationException;
import dev.autopilot.Engine;
import dev.autopilot.internal.EngineChoice;
import dev.autopilot.internal.Extension;
import dev.autopilot.internal.Runtime;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.TaskCatalog;
import dev.autopilot.spi.Durations;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pg_cron engine. Before db-scheduler starts it decides whether pg_cron is usable and tells
 * the Runtime ({@link Runtime#setSqlEngine}); when it is, it reconciles {@code cron.job} with the
 * catalog's enabled, cron-scheduled SQL tasks; after start it imports pg_cron's runs into job
 * history every {@code autopilot.pg-cron.import-interval} (default 15 s).
 *
 * <p>Settings: {@code autopilot.pg-cron} = {@code auto} (default: use pg_cron when usable, else
 * db-scheduler runs the same SQL), {@code off} (never; owned jobs are removed from cron.job when
 * reachable, so the SQL does not run twice), {@code required} (start fails when pg_cron is not
 * usable). How the cron database is reached: see {@link CronConnector}.
 *
 * <p>Jobs are named {@code autopilot:<hash of schema and database>:<task>} (see {@link
 * Reconciler#prefix}; the job's database column names the database), are created with {@code
 * cron.schedule_in_database} (so pg_cron may live in another database of the cluster) and run as
 * the application's user when the cron connection is a superuser's, else as the cron connection's
 * user. pg_cron 1.4 reads schedules in GMT whatever {@code autopilot.zone} says.
 */
public final class PgCronEngine implements Extension {
  public static final String IMPORT_INTERVAL = "autopilot.pg-cron.import-interval";
  private static final Logger log = LoggerFactory.getLogger(PgCronEngine.class);
  private static final Duration PRUNE_EVERY = Duration.ofHours(1);

  private Runtime rt;
  private RunImporter importer;
  private CronConnector cron;
  private String prefix;
  private boolean backgroundWorkers;
  private ScheduledExecutorService timer;
  private volatile Instant lastPrune = Instant.EPOCH;

  @Override
  public void beforeScheduler(Runtime rt) {
    this.rt = rt;
    Settings s = rt.settings();
    String mode = s.get(Settings.PG_CRON).orElse("auto").toLowerCase(Locale.ROOT);
    if (!List.of("auto", "off", "required").contains(mode)) {
      throw new ConfigurationException(s.source(Settings.PG_CRON), mode, "expected auto, off or required");
    }
    Probe.App app;
    try {
      app = rt.jdbc().withConnection(Probe::app);
    } catch (Probe.Unusable e) {
      if (mode.equals("required")) {
        throw new ConfigurationException(s.source(Settings.PG_CRON), mode, e.getMessage());
      }
      choose(Engine.DB_SCHEDULER, mode.equals("off") ? "pg_cron disabled by " + s.source(Settings.PG_CRON) + "=off"
          : e.getMessage());
      return;
    }
    if (mode.equals("off")) {
      choose(Engine.DB_SCHEDULER, "pg_cron disabled by " + s.source(Settings.PG_CRON) + "=off");
      removeOwnedJobs(app);
      return;
    }
    try {
      if (app.cronDatabase() == null) {
        throw new Probe.Unusable("pg_cron is not preloaded (shared_preload_libraries has no pg_cron)");
      }
      CronConnector cron = new CronConnector(rt, app);
      Probe.Cron facts;
      try (Connection c = cron.connect()) {
        facts = Probe.check(c, app.cronDatabase(), true);
      } catch (SQLException e) {
        String msg = String.valueOf(e.getMessage());
        String hint = msg.contains("password") && !msg.contains("authentication failed")
            ? " (set " + s.source(CronConnector.PASSWORD) + ")" : "";
        throw new Probe.Unusable("cannot use the cron database " + app.cronDatabase() + " through " + cron.how()
            + ": " + msg + hint);
      }
      String runAs = facts.superuser() ? app.user() : facts.user();
      if (!runAs.equals(app.user())) {
        log.warn("{}pg_cron jobs will run as {} (not a superuser, cannot schedule for {}); it needs access to schema {}",
            rt.logPrefix(), runAs, app.user(), rt.schema());
      }
      choose(Engine.PG_CRON, "pg_cron " + facts.version() + " in database " + app.cronDatabase()
          + (cron.sameDatabase() ? "" : " (jobs placed in " + app.database() + " with cron.schedule_in_database)"));
      String prefix = Reconciler.prefix(rt.schema(), app.database());
      this.cron = cron;
      this.prefix = prefix;
      Reconciler.Result r;
      try (Connection c = cron.connect()) {
        backgroundWorkers = "on".equalsIgnoreCase(dev.autopilot.internal.Jdbc.query(c,
            "SELECT current_setting('cron.use_background_workers', true)", dev.autopilot.internal.Jdbc.NONE,
            rs -> rs.getString(1)).get(0));
        r = Reconciler.reconcile(c, prefix, wanted(prefix), app.database(), runAs);
      }
      log.info("{}pg_cron jobs reconciled: {} created, {} updated, {} removed, {} unchanged", rt.logPrefix(),
          r.created(), r.updated(), r.removed(), r.unchanged());
      importer = new RunImporter(rt, cron, prefix, taskNamesByJob(prefix));
    } catch (Probe.Unusable | SQLException e) {
      String why = e instanceof SQLException ? "pg_cron reconcile failed: " + e.getMessage() : e.getMessage();
      if (mode.equals("required")) {
        throw new ConfigurationException(s.source(Settings.PG_CRON), mode, why);
      }
      choose(Engine.DB_SCHEDULER, why);
    }
  }

  /**
   * Attached as a client (operator tools): the engine an instance with these settings uses, from
   * the same checks as at start (pg_cron preloaded, extension present, privileges), read-only:
   * nothing is created or changed. The reason says how many jobs of this schema cron.job holds.
   */
  @Override
  public void inspect(Runtime rt) {
    this.rt = rt;
    Settings s = rt.settings();
    String mode = s.get(Settings.PG_CRON).orElse("auto").toLowerCase(Locale.ROOT);
    if (mode.equals("off")) {
      rt.setSqlEngine(new EngineChoice(Engine.DB_SCHEDULER, "pg_cron disabled by " + s.source(Settings.PG_CRON) + "=off"));
      return;
    }
    try {
      Probe.App app = rt.jdbc().withConnection(Probe::app);
      if (app.cronDatabase() == null) {
        throw new Probe.Unusable("pg_cron is not preloaded (shared_preload_libraries has no pg_cron)");
      }
      CronConnector cron = new CronConnector(rt, app);
      try (Connection c = cron.connect()) {
        Probe.Cron facts = Probe.check(c, app.cronDatabase(), false);
        String prefix = Reconciler.prefix(rt.schema(), app.database());
        this.cron = cron;
        this.prefix = prefix;
        long owned = dev.autopilot.internal.Jdbc.query(c, "SELECT count(*) FROM cron.job WHERE left(jobname, ?) = ?", ps -> {
          ps.setInt(1, prefix.length());
          ps.setString(2, prefix);
        }, rs -> rs.getLong(1)).get(0);
        // what a starting instance with these settings decides; the job count tells whether one did
        rt.setSqlEngine(new EngineChoice(Engine.PG_CRON, "pg_cron " + facts.version() + " in database "
            + app.cronDatabase() + " (" + owned + " job(s) of this schema in cron.job)"));
      }
    } catch (SQLException | RuntimeException e) { // Probe.Unusable included: the reason
      rt.setSqlEngine(new EngineChoice(Engine.DB_SCHEDULER, e.getMessage()));
    }
  }

  /**
   * The jobs the catalog wants in pg_cron: enabled SQL tasks with a cron schedule; a paused task's
   * job is inactive. In pg_cron's default libpq mode a task's timeout becomes {@code SET
   * statement_timeout = ...;} before its command (pg_cron opens a session per run, so it ends with
   * the run); a {@code VACUUM} cannot run in such a multi-statement command and a procedure that
   * COMMITs would fail in it, so both are left to {@link #enforceTimeouts}. In background-worker
   * mode PostgreSQL arms no statement timer for a job (and pg_cron reports a multi-statement job
   * succeeded after its first statement), so the command stays as it is and {@link
   * #enforceTimeouts} alone bounds the run.
   */
  private List<Reconciler.Job> wanted(String prefix) {
    List<Reconciler.Job> out = new ArrayList<>();
    java.util.Set<String> paused = rt.jdbc().query("SELECT task_name FROM "
        + dev.autopilot.internal.Jdbc.quoteIdent(rt.schema()) + ".task_pauses", dev.autopilot.internal.Jdbc.NONE,
        rs -> rs.getString(1)).stream().collect(java.util.stream.Collectors.toSet());
    for (TaskCatalog.Entry e : rt.catalog().entries()) {
      if (e.enabled() && e.cron() != null && rt.engineOf(e).engine() == Engine.PG_CRON) {
        String command = rt.jdbc().withConnection(c -> Runtime.expandSql(c, e.task().sql().orElseThrow(), rt.schema()));
        out.add(new Reconciler.Job(Reconciler.jobName(prefix, e.name()), e.cron().expression(),
            backgroundWorkers ? command : withTimeout(command, e.task().timeout().orElse(null)),
            !paused.contains(e.name())));
      }
    }
    return out;
  }

  static String withTimeout(String command, Duration timeout) {
    String head = command.trim().toUpperCase(Locale.ROOT);
    if (timeout == null || head.startsWith("VACUUM") || head.startsWith("CALL")) {
      return command;
    }
    return "SET statement_timeout = " + timeout.toMillis() + "; " + command;
  }

  /**
   * The runs of this schema's pg_cron jobs in progress ({@code cron.job_run_details} rows not yet
   * succeeded or failed), as running jobs {@code pg_cron-<runid>}; empty when pg_cron is not used
   * or its database cannot be read now.
   *
   * @param task only this task's runs, or null for all
   */
  public List<dev.autopilot.JobRecord> running(String task) {
    if (cron == null || prefix == null) {
      return List.of();
    }
    try (Connection c = cron.connect()) {
      java.util.Map<String, String> tasks = taskNamesByJob(prefix);
      return dev.autopilot.internal.Jdbc.query(c, "SELECT d.runid, j.jobname, d.start_time FROM cron.job_run_details d"
          + " JOIN cron.job j ON j.jobid = d.jobid WHERE left(j.jobname, ?) = ? AND d.status = 'running'"
          + " AND d.end_time IS NULL AND (? IS NULL OR j.jobname = ?) ORDER BY d.runid", ps -> {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
            ps.setString(3, task == null ? null : Reconciler.jobName(prefix, task));
            ps.setString(4, task == null ? null : Reconciler.jobName(prefix, task));
          }, rs -> {
            java.sql.Timestamp t = rs.getTimestamp(3);
            Instant start = t == null ? null : t.toInstant();
            return new dev.autopilot.JobRecord(0, tasks.getOrDefault(rs.getString(2), rs.getString(2).substring(prefix.length())),
                "pg_cron-" + rs.getLong(1), Engine.PG_CRON, dev.autopilot.JobState.RUNNING, 1, "pg_cron",
                start == null ? null : start.truncatedTo(java.time.temporal.ChronoUnit.MINUTES), start, null, null, null);
          });
    } catch (SQLException | RuntimeException e) {
      log.debug("{}reading pg_cron runs in progress failed: {}", rt.logPrefix(), e.toString());
      return List.of();
    }
  }

  /**
   * Cancels a pg_cron run in progress ({@code pg_cancel_backend} of its {@code job_pid}); the
   * import then records it {@code cancelled} by {@code by} (a request row in {@code
   * running_executions} with instance {@code pg_cron}).
   *
   * @param runId the run's id in {@code cron.job_run_details} (execution id {@code pg_cron-<runid>})
   * @return false when no run of this schema's jobs with that id is running
   */
  public boolean cancelRun(long runId, String by) {
    if (cron == null || prefix == null) {
      return false;
    }
    try (Connection c = cron.connect()) {
      c.setAutoCommit(true);
      List<String> job = dev.autopilot.internal.Jdbc.query(c, "SELECT j.jobname FROM cron.job_run_details d"
          + " JOIN cron.job j ON j.jobid = d.jobid WHERE d.runid = ? AND d.status = 'running' AND left(j.jobname, ?) = ?",
          ps -> {
            ps.setLong(1, runId);
            ps.setInt(2, prefix.length());
            ps.setString(3, prefix);
          }, rs -> rs.getString(1));
      if (job.isEmpty()) {
        return false;
      }
      String task = rt.catalog().entries().stream().map(TaskCatalog.Entry::name)
          .filter(n -> Reconciler.jobName(prefix, n).equals(job.get(0))).findFirst()
          .orElse(job.get(0).substring(prefix.length()));
      String q = dev.autopilot.internal.Jdbc.quoteIdent(rt.schema());
      rt.jdbc().update("INSERT INTO " + q + ".running_executions (task_name, execution_id, instance, cancel_requested_by,"
          + " cancel_requested_at) VALUES (?, ?, 'pg_cron', ?, now()) ON CONFLICT (task_name, execution_id) DO UPDATE"
          + " SET cancel_requested_by = excluded.cancel_requested_by, cancel_requested_at = now()", ps -> {
            ps.setString(1, task);
            ps.setString(2, "pg_cron-" + runId);
            ps.setString(3, by);
          });
      boolean sent = dev.autopilot.internal.Jdbc.query(c, "SELECT pg_cancel_backend(job_pid) FROM cron.job_run_details"
          + " WHERE runid = ? AND status = 'running'", ps -> ps.setLong(1, runId), rs -> rs.getBoolean(1))
          .stream().anyMatch(Boolean::booleanValue);
      log.info("{}pg_cron run {} of task {} cancelled by {}{}", rt.logPrefix(), runId, task, by,
          sent ? "" : " (it had ended meanwhile)");
      return sent;
    } catch (SQLException e) {
      throw new dev.autopilot.AutopilotException(rt.logPrefix() + "cancelling pg_cron run " + runId + " failed: "
          + e.getMessage(), e);
    }
  }

  /**
   * Sets a task's pg_cron job active or inactive ({@code cron.alter_job}); nothing when the task
   * has no job (not on pg_cron, disabled). Failures are logged: the pause is stored either way and
   * the next reconcile applies it.
   */
  public void setActive(String task, boolean active) {
    if (cron == null || prefix == null) {
      return;
    }
    try (Connection c = cron.connect()) {
      c.setAutoCommit(true);
      int n = dev.autopilot.internal.Jdbc.query(c, "SELECT cron.alter_job(jobid, active := ?) FROM cron.job"
          + " WHERE jobname = ?", ps -> {
            ps.setBoolean(1, active);
            ps.setString(2, Reconciler.jobName(prefix, task));
          }, rs -> 1).size();
      if (n > 0) {
        log.info("{}pg_cron job of task {} set {}", rt.logPrefix(), task, active ? "active" : "inactive");
      }
    } catch (SQLException e) {
      log.warn("{}setting the pg_cron job of task {} {} failed (applied at the next start's reconcile): {}",
          rt.logPrefix(), task, active ? "active" : "inactive", e.getMessage());
    }
  }

  private java.util.Map<String, String> taskNamesByJob(String prefix) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    rt.catalog().entries().forEach(e -> out.put(Reconciler.jobName(prefix, e.name()), e.name()));
    return out;
  }

  private void choose(Engine engine, String reason) {
    EngineChoice choice = new EngineChoice(engine, reason);
    rt.setSqlEngine(choice);
    if (engine == Engine.PG_CRON) {
      log.info("{}SQL tasks run on {}", rt.logPrefix(), choice.reason());
    } else {
      log.warn("{}SQL tasks run on db-scheduler: {}", rt.logPrefix(), choice.reason());
    }
  }

  /** With pg_cron switched off, jobs a previous start created would run the SQL a second time. */
  private void removeOwnedJobs(Probe.App app) {
    if (app.cronDatabase() == null) {
      return;
    }
    try {
      CronConnector cron = new CronConnector(rt, app);
      try (Connection c = cron.connect()) {
        Probe.check(c, app.cronDatabase(), false);
        Reconciler.Result r = Reconciler.reconcile(c, Reconciler.prefix(rt.schema(), app.database()), List.of(),
            app.database(), null);
        if (r.removed() > 0) {
          log.info("{}removed {} pg_cron job(s) of this schema (pg_cron is off)", rt.logPrefix(), r.removed());
        }
      }
    } catch (Probe.Unusable | SQLException e) {
      log.debug("{}owned pg_cron jobs not checked: {}", rt.logPrefix(), e.getMessage());
    }
  }

  @Override
  public void afterStart(Runtime rt) {
    if (importer == null) {
      return;
    }
    Duration every = rt.settings().getDuration(IMPORT_INTERVAL, Duration.ofSeconds(15), Duration.ofMillis(100));
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "autopilot-pg_cron-import-" + rt.instanceName());
      t.setDaemon(true);
      return t;
    });
    timer.scheduleWithFixedDelay(this::importRuns, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    if (rt.catalog().entries().stream().anyMatch(e -> e.task().timeout().isPresent() && e.cron() != null
        && rt.engineOf(e).engine() == Engine.PG_CRON)) {
      timer.scheduleWithFixedDelay(this::enforceTimeouts, 1, 1, TimeUnit.SECONDS);
    }
  }

  /**
   * Cancels pg_cron runs past their task's timeout ({@code pg_cancel_backend} of the run's pid).
   * The {@code SET statement_timeout} in the job's command covers pg_cron's default libpq mode;
   * in background-worker mode ({@code cron.use_background_workers = on}) PostgreSQL arms no
   * statement timer for the job, so this check does it, within about a second.
   */
  private void enforceTimeouts() {
    try (Connection c = cron.connect()) {
      c.setAutoCommit(true);
      for (TaskCatalog.Entry e : rt.catalog().entries()) {
        if (e.task().timeout().isEmpty() || e.cron() == null || rt.engineOf(e).engine() != Engine.PG_CRON) {
          continue;
        }
        List<Integer> pids = dev.autopilot.internal.Jdbc.query(c, "SELECT d.job_pid FROM cron.job_run_details d"
            + " JOIN cron.job j ON j.jobid = d.jobid WHERE j.jobname = ? AND d.status = 'running'"
            + " AND d.start_time < now() - make_interval(secs => ?) AND pg_cancel_backend(d.job_pid)", ps -> {
              ps.setString(1, Reconciler.jobName(prefix, e.name()));
              ps.setDouble(2, e.task().timeout().get().toMillis() / 1000.0);
            }, rs -> rs.getInt(1));
        if (!pids.isEmpty()) {
          log.warn("{}pg_cron run of task {} passed its timeout of {}: cancelled backend {}", rt.logPrefix(), e.name(),
              e.task().timeout().get(), pids);
        }
      }
    } catch (SQLException | RuntimeException ex) {
      if (!rt.isClosing()) {
        log.warn("{}checking pg_cron runs for timeouts failed: {}", rt.logPrefix(), ex.toString());
      }
    }
  }

  private void importRuns() {
    try {
      int n = importer.importOnce();
      if (n > 0) {
        log.debug("{}imported {} pg_cron run(s)", rt.logPrefix(), n);
      }
      Instant now = rt.clock().instant();
      if (!lastPrune.plus(PRUNE_EVERY).isAfter(now)) {
        lastPrune = now;
        pruneRunDetails();
      }
    } catch (SQLException | RuntimeException e) {
      if (Runtime.isConnectionProblem(e)) {
        // an outage: the database watch logs it once; the next pass imports what was missed
        log.debug("{}importing pg_cron runs waits for the database: {}", rt.logPrefix(),
            dev.autopilot.internal.Secrets.message(e));
      } else if (!rt.isClosing()) {
        log.warn("{}importing pg_cron runs failed (next try in the next interval): {}", rt.logPrefix(),
            dev.autopilot.internal.Secrets.mask(e.toString()));
      }
    }
  }

  /** cleanup-job-history's cron-details retention, applied by Java when pg_cron lives elsewhere. */
  private void pruneRunDetails() throws SQLException {
    TaskCatalog.Entry cleanup = rt.catalog().find("cleanup-job-history").orElse(null);
    if (cleanup == null || !cleanup.enabled()) {
      return;
    }
    String key = "autopilot.task.cleanup-job-history.cron-details-retention";
    Duration keep = rt.settings().get(key).map(v -> Durations.parse(key, v)).orElse(Duration.ofDays(14));
    int n = importer.prune(keep);
    if (n > 0) {
      log.info("{}pruned {} cron.job_run_details row(s) older than {}", rt.logPrefix(), n, keep);
    }
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdown();
      try {
        timer.awaitTermination(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      try {
        importer.importOnce(); // the runs finished since the last pass
      } catch (SQLException | RuntimeException e) {
        log.debug("{}last pg_cron import failed: {}", rt.logPrefix(), e.toString());
      }
    }
  }
}
