package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.Execution;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.ExecutionContext;
import com.github.kagkarlsson.scheduler.task.ExecutionOperations;
import com.github.kagkarlsson.scheduler.task.FailureHandler;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.CustomTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import dev.autopilot.AutopilotException;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running Autopilot: migrations, the db-scheduler engine, history. */
public final class Runtime implements AutoCloseable {

  public static final String RECURRING = "recurring";
  private static final Logger log = LoggerFactory.getLogger(Runtime.class);

  /** What the builder resolved. */
  public record Config(
      DataSource dataSource,
      Settings settings,
      TaskCatalog catalog,
      String schema,
      String instanceName,
      int threads,
      Duration pollingInterval,
      Duration heartbeatInterval,
      int missedHeartbeatsLimit,
      ZoneId zone,
      Clock clock,
      Map<Class<?>, Object> services,
      ClassLoader classLoader,
      List<String> migrationModules,
      List<java.util.function.Function<Runtime, Extension>> extensions) {}

  private final Config cfg;
  private final Jdbc jdbc;
  private final String logPrefix;
  private final JobListener listener;
  private final ProgressStore progress;
  private HistoryWriter history;
  private Scheduler scheduler;
  private DatabaseWatch watch;
  private Jdbc schedulerJdbc;
  private final java.util.List<Extension> extensions;
  private volatile EngineChoice sqlEngine =
      new EngineChoice(dev.autopilot.Engine.DB_SCHEDULER, "pg_cron engine not enabled");
  private volatile boolean closing;
  private volatile boolean started;
  private volatile boolean attached;
  private com.github.kagkarlsson.scheduler.SchedulerClient client;
  private int schemaVersion;
  private final Pauses pauses;
  private final Running running;
  private Notifier notifier;
  private final Executions executions;
  private volatile TaskCatalog catalog;
  private volatile boolean recordedLive = true;

  public Runtime(Config cfg) {
    this.cfg = cfg;
    this.jdbc = new Jdbc(cfg.dataSource());
    this.logPrefix = "[" + cfg.instanceName() + "] ";
    this.catalog = cfg.catalog();
    this.listener = new JobListener(this);
    this.progress = new ProgressStore(jdbc, cfg.schema(), cfg.instanceName());
    List<Extension> xs = new ArrayList<>();
    for (java.util.function.Function<Runtime, Extension> f : cfg.extensions()) {
      xs.add(f.apply(this));
    }
    this.extensions = List.copyOf(xs);
    this.pauses = new Pauses(this);
    this.running = new Running(this);
    this.executions = new Executions(this, listener, pauses, running, new Slots(this));
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    long t0 = System.nanoTime();
    Migrator.Result m = new Migrator(cfg.dataSource(), cfg.schema(), cfg.classLoader(), logPrefix,
        cfg.migrationModules()).migrate();
    schemaVersion = m.current();
    watch = new DatabaseWatch(cfg.dataSource(), logPrefix, "autopilot-db-watch-" + cfg.instanceName());
    history = new HistoryWriter(cfg.dataSource(), cfg.schema(), logPrefix, 200, "autopilot-history-" + cfg.instanceName(),
        watch, cfg.settings().getInt(Settings.HISTORY_BUFFER, HistoryWriter.CAPACITY, 1));
    for (Extension x : extensions) {
      x.beforeScheduler(this);
    }
    List<com.github.kagkarlsson.scheduler.task.Task<?>> known = new ArrayList<>();
    List<CustomTask<RunArgs>> startTasks = new ArrayList<>();
    for (TaskCatalog.Entry e : catalog().entries()) {
      CustomTask<RunArgs> t = dbTask(e);
      if (e.enabled() && e.cron() != null && engineOf(e).engine() == dev.autopilot.Engine.DB_SCHEDULER) {
        startTasks.add(t); // db-scheduler adds start tasks to the known tasks itself
      } else {
        known.add(t);
      }
    }
    removeDisabledRecurring();
    Housekeeper housekeeper = new Housekeeper(watch, cfg.instanceName());
    SchedulerDataSource schedulerDs = new SchedulerDataSource(cfg.dataSource(), watch, housekeeper, () -> closing);
    schedulerJdbc = new Jdbc(schedulerDs);
    watch.start();
    Instant startedAt = cfg.clock().instant().minusSeconds(1);
    String strategy = pollingStrategy(cfg.settings());
    try {
      com.github.kagkarlsson.scheduler.SchedulerBuilder builder = new EngineBuilder(schedulerDs, known)
          .startTasks(startTasks)
          .tableName(Jdbc.quoteIdent(cfg.schema()) + ".scheduled_tasks")
          .threads(cfg.threads())
          .pollingInterval(cfg.pollingInterval())
          .schedulerName(new SchedulerName.Fixed(cfg.instanceName()))
          .enablePriority()
          .enableImmediateExecution()
          .addSchedulerListener(listener)
          .serializer(RunArgsSerializer.INSTANCE)
          .clock(() -> cfg.clock().instant())
          .heartbeatInterval(cfg.heartbeatInterval())
          .missedHeartbeatsLimit(cfg.missedHeartbeatsLimit())
          .housekeeperExecutor(housekeeper)
          .dueExecutor(java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, SchedulerDataSource.POLLER + cfg.instanceName());
            t.setDaemon(true);
            return t;
          }))
          // task failures are logged once, in one line, by RetryHandler; never twice with a stack trace
          .failureLogging(com.github.kagkarlsson.scheduler.logging.LogLevel.DEBUG, false)
          .shutdownMaxWait(Duration.ofSeconds(30));
      if (strategy.equals("lock-and-fetch")) {
        builder.pollUsingLockAndFetch(0.5, 1.0);
      }
      scheduler = builder.build();
      running.start();
      scheduler.start();
      long beat = cfg.heartbeatInterval().toMillis();
      housekeeper.scheduleWithFixedDelay(new PickHeartbeat(this, startedAt), beat, beat,
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      watch.close(); // gives the kept connection back
      history.close();
      throw e;
    }
    started = true;
    if (Notifier.enabled(cfg.settings())) {
      notifier = new Notifier(this, this::onNotification);
      notifier.start();
    }
    for (Extension x : extensions) {
      x.afterStart(this);
    }
    log.info("{}started in {} ms: {} task(s), schema {} v{}, {} thread(s), polling every {} ({}), notifications {},"
        + " heartbeat every {} (dead after {} missed)", logPrefix, (System.nanoTime() - t0) / 1_000_000,
        catalog().size(), cfg.schema(), schemaVersion, cfg.threads(), cfg.pollingInterval(), strategy,
        notifier != null ? "on" : "off", cfg.heartbeatInterval(), cfg.missedHeartbeatsLimit());
  }

  /**
   * Attaches as a client (operator tools): no migrations, no scheduler, nothing runs here.
   * Extensions decide engines read-only; triggers are queued for the instances that run tasks.
   */
  public synchronized void attach() {
    if (started || attached) {
      return;
    }
    String q = Jdbc.quoteIdent(cfg.schema());
    boolean present = jdbc.queryOne("SELECT to_regclass(?) IS NOT NULL",
        ps -> ps.setString(1, q + ".autopilot_schema_history"), rs -> rs.getBoolean(1)).orElse(false);
    if (!present) {
      throw new AutopilotException("no Autopilot schema '" + cfg.schema()
          + "' in this database (start the host application once: it migrates)");
    }
    schemaVersion = jdbc.queryOne("SELECT coalesce(max(version), 0) FROM " + q + ".autopilot_schema_history"
        + " WHERE module IN ('" + Migrator.CORE + "', 'legacy')", Jdbc.NONE, rs -> rs.getInt(1)).orElse(0);
    CatalogStore.Recorded recorded = new CatalogStore(jdbc, cfg.schema()).recorded();
    if (recorded.catalog().size() > 0) {
      catalog = recorded.catalog();
      recordedLive = recorded.live();
    }
    for (Extension x : extensions) {
      x.inspect(this);
    }
    client = com.github.kagkarlsson.scheduler.SchedulerClient.Builder.create(cfg.dataSource())
        .tableName(q + ".scheduled_tasks").enablePriority().serializer(RunArgsSerializer.INSTANCE).build();
    attached = true;
  }

  private void removeDisabledRecurring() {
    for (TaskCatalog.Entry e : catalog().entries()) {
      if (!e.enabled() || e.cron() == null || engineOf(e).engine() != dev.autopilot.Engine.DB_SCHEDULER) {
        int n = jdbc.update("DELETE FROM " + Jdbc.quoteIdent(cfg.schema()) + ".scheduled_tasks"
            + " WHERE task_name = ? AND task_instance = ? AND NOT picked", ps -> {
              ps.setString(1, e.name());
              ps.setString(2, RECURRING);
            });
        if (n > 0) {
          log.info("{}task {} is {}: removed its recurring execution", logPrefix, e.name(),
              e.enabled() ? "no longer recurring" : "disabled");
        }
      }
    }
  }

  /** {@value #POLLING_STRATEGY}: {@code fetch} (default) or {@code lock-and-fetch}. */
  public static final String POLLING_STRATEGY = "autopilot.polling-strategy";

  public static String pollingStrategy(Settings s) {
    String v = s.get(POLLING_STRATEGY).orElse("fetch").toLowerCase(java.util.Locale.ROOT);
    if (!v.equals("fetch") && !v.equals("lock-and-fetch")) {
      throw new dev.autopilot.ConfigurationException(s.source(POLLING_STRATEGY), v, "expected fetch or lock-and-fetch");
    }
    return v;
  }

  private CustomTask<RunArgs> dbTask(TaskCatalog.Entry e) {
    Task task = e.task();
    CronSchedule schedule = e.cron() == null ? null : new CronSchedule(e.cron(), cfg.zone());
    Tasks.TaskBuilder<RunArgs> b = Tasks.custom(task.name(), RunArgs.class)
        .onFailure(new RetryHandler(task.retryPolicy(), schedule))
        .onDeadExecution(new Revival(this, cfg.heartbeatInterval().multipliedBy(cfg.missedHeartbeatsLimit())));
    if (schedule != null) {
      b.scheduleOnStartup(RECURRING, null, schedule);
    }
    return b.execute((TaskInstance<RunArgs> instance, ExecutionContext ctx) -> {
      com.github.kagkarlsson.scheduler.task.CompletionHandler<RunArgs> done = executions.run(task, schedule, ctx.getExecution());
      return (ec, ops) -> Durably.write(this, "completion of " + instance.getTaskName() + " (" + instance.getId() + ")",
          () -> done.complete(ec, ops));
    });
  }

  static int attempt(Execution e) {
    return Executions.attempt(e);
  }

  public static String human(Duration d) {
    return Executions.human(d);
  }

  /**
   * Runs a SQL task's statement in autocommit (so {@code VACUUM} and procedures that COMMIT work).
   *
   * @return the reason when the task noted a skip ({@code note_skip}, V003) during the call, else null
   */
  String runSql(Task task) throws SQLException {
    return runSql(task, null);
  }

  String runSql(Task task, Running.Run run) throws SQLException {
    String q = Jdbc.quoteIdent(cfg.schema());
    try (Connection c = cfg.dataSource().getConnection()) {
      c.setAutoCommit(true);
      String sql = expandSql(c, task.sql().orElseThrow(), cfg.schema());
      java.sql.Timestamp before;
      try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
          "SELECT clock_timestamp(), pg_backend_pid()")) {
        rs.next();
        before = rs.getTimestamp(1);
        if (run != null) {
          running.pid(run, rs.getInt(2));
        }
      }
      try (Statement s = c.createStatement()) {
        if (task.timeout().isPresent()) {
          s.execute("SET statement_timeout = " + task.timeout().get().toMillis());
        }
        try {
          s.execute(sql);
        } finally {
          if (task.timeout().isPresent()) {
            s.execute("RESET statement_timeout"); // the connection goes back to the host's pool
          }
        }
      }
      return Jdbc.query(c, "SELECT value FROM " + q + ".task_state WHERE task_name = ? AND key = 'skipped'"
          + " AND updated_at >= ?", ps -> {
            ps.setString(1, task.name());
            ps.setTimestamp(2, before);
          }, rs -> rs.getString(1)).stream().findFirst().orElse(null);
    }
  }

  /** A SQL task's statement as run by either engine: {@code ${schema}} becomes the quoted schema. */
  public static String expandSql(String sql, String schema) {
    return sql.replace("${schema}", Jdbc.quoteIdent(schema));
  }

  /** Placeholder for every table and materialized view of the schema, qualified, comma-separated. */
  public static final String SCHEMA_TABLES = "${schema_tables}";

  /**
   * {@link #expandSql(String, String)}, plus {@value #SCHEMA_TABLES} read from the catalog now
   * (for {@code VACUUM (ANALYZE)}, which needs the list in the statement itself).
   */
  public static String expandSql(Connection c, String sql, String schema) throws SQLException {
    if (sql.contains(SCHEMA_TABLES)) {
      List<String> tables = Jdbc.query(c, "SELECT format('%I.%I', n.nspname, t.relname) FROM pg_class t"
          + " JOIN pg_namespace n ON n.oid = t.relnamespace WHERE n.nspname = ? AND t.relkind IN ('r', 'm')"
          + " ORDER BY t.relname", ps -> ps.setString(1, schema), rs -> rs.getString(1));
      sql = sql.replace(SCHEMA_TABLES, String.join(", ", tables));
    }
    return expandSql(sql, schema);
  }

  /** Retries with the task's policy; a recurring task never retries past its next slot. */
  private final class RetryHandler implements FailureHandler<RunArgs> {
    private final RetryPolicy policy;
    private final CronSchedule schedule;

    RetryHandler(RetryPolicy policy, CronSchedule schedule) {
      this.policy = policy;
      this.schedule = schedule;
    }

    @Override
    public void onFailure(ExecutionComplete ec, ExecutionOperations<RunArgs> ops) {
      Execution e = ec.getExecution();
      int attempt = attempt(e);
      Instant now = ec.getTimeDone();
      boolean recurring = schedule != null && RECURRING.equals(e.getId());
      Instant nextSlot = recurring ? schedule.next(now) : null;
      if (ec.getCause().orElse(null) instanceof RunCancelledException) {
        listener.decided(e, "cancelled");
        if (recurring) {
          ops.removeAndScheduleNew(scheduledRecurring(e.getTaskName(), nextSlot));
        } else {
          ops.remove();
        }
        return;
      }
      boolean retryable = !(ec.getCause().orElse(null) instanceof TaskFailedException f) || f.retryable();
      if (retryable && policy.shouldRetry(attempt)) {
        Instant retryAt = now.plus(policy.delayAfter(attempt, ThreadLocalRandom.current().nextDouble()));
        if (nextSlot == null || retryAt.isBefore(nextSlot)) {
          listener.decided(e, "retrying");
          log.warn("{}task {} attempt {} failed; retrying at {}: {}", logPrefix, e.getTaskName(), attempt, retryAt,
              ec.getCause().map(Secrets::message).orElse("?"));
          Durably.write(Runtime.this, "retry of " + e.getTaskName(), () -> ops.reschedule(ec, retryAt));
          return;
        }
      }
      listener.decided(e, "failed");
      log.error("{}task {} failed after {} attempt(s): {}", logPrefix, e.getTaskName(), attempt,
          ec.getCause().map(t -> Secrets.mask(t.toString())).orElse("?"));
      if (recurring) {
        // a fresh execution resets the attempt count for the next slot
        Durably.write(Runtime.this, "next slot of " + e.getTaskName(),
            () -> ops.removeAndScheduleNew(scheduledRecurring(e.getTaskName(), nextSlot)));
      } else {
        Durably.write(Runtime.this, "failure of " + e.getTaskName(), ops::remove);
      }
    }
  }

  private com.github.kagkarlsson.scheduler.task.SchedulableInstance<RunArgs> scheduledRecurring(String task, Instant at) {
    return com.github.kagkarlsson.scheduler.task.SchedulableInstance.of(new TaskInstance<>(task, RECURRING), at);
  }

  /**
   * Runs a task now, once, through db-scheduler, whatever its trigger.
   *
   * @return the execution id
   */
  public String trigger(String taskName, String prefix) {
    return trigger(taskName, prefix, RunArgs.NONE);
  }

  /**
   * Runs a task now, once, with arguments (and the execution it re-runs, if any).
   *
   * @return the execution id
   */
  public String trigger(String taskName, String prefix, RunArgs data) {
    requireStarted();
    TaskCatalog.Entry e = catalog().get(taskName);
    requireLiveHost(taskName);
    String id = prefix + "-" + timeOrderedId();
    TaskInstance<RunArgs> instance = new TaskInstance<>(e.name(), id, data.isEmpty() ? null : data);
    if (!started) {
      client.schedule(instance, cfg.clock().instant());
    } else {
      scheduler.schedule(instance, cfg.clock().instant());
      scheduler.triggerCheckForDueExecutions();
    }
    Notifier.send(this, Notifier.DUE);
    return id;
  }

  /**
   * A UUID of version 7 (RFC 9562): milliseconds since the epoch, then random bits. New ids sort
   * after older ones, so db-scheduler's primary-key index takes them at its right edge instead of
   * at random pages, which keeps bulk enqueueing fast.
   */
  static String timeOrderedId() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long ms = System.currentTimeMillis();
    long hi = (ms << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    long lo = (r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(hi, lo).toString();
  }

  /**
   * Enqueues one run per argument map, all in one transaction ({@link BulkEnqueue}): every run or
   * none. The arguments are checked against the task's declared ones first.
   *
   * @return the execution ids, in the order of the maps
   */
  public List<String> triggerAll(String taskName, List<? extends Map<String, ?>> argsList) {
    requireStarted();
    TaskCatalog.Entry e = catalog().get(taskName);
    requireLiveHost(taskName);
    List<String> ids = new ArrayList<>(argsList.size());
    List<byte[]> data = new ArrayList<>(argsList.size());
    for (Map<String, ?> args : argsList) {
      e.task().checkArgs(args);
      RunArgs run = RunArgs.of(args, null, 0);
      ids.add("manual-" + timeOrderedId());
      data.add(run.isEmpty() ? null : RunArgsSerializer.INSTANCE.serialize(run));
    }
    if (ids.isEmpty()) {
      return ids;
    }
    try {
      BulkEnqueue.insert(cfg.dataSource(), cfg.schema(), e.name(), ids, data, cfg.clock().instant());
    } catch (SQLException ex) {
      throw new AutopilotException(logPrefix + "enqueueing " + ids.size() + " run(s) of " + taskName + " failed"
          + " (none was enqueued): " + Secrets.message(ex), ex);
    }
    if (started) {
      scheduler.triggerCheckForDueExecutions();
    }
    Notifier.send(this, Notifier.DUE);
    return ids;
  }

  /**
   * A failed pg_cron run of a SQL task, retried on db-scheduler under the task's retry policy as
   * attempt 2, 3, ... of the same execution ({@code pg_cron-<runid>}). Written on the caller's
   * connection, so the importer makes it part of the transaction that records attempt 1: the
   * history row and its retry are written together or not at all. Any instance with the task runs
   * it, also when this one stops meanwhile.
   *
   * @return true when the retry was written (false: it already existed)
   */
  public boolean scheduleCronRetry(Connection c, String taskName, long runId, Instant at) throws SQLException {
    return BulkEnqueue.insertIfAbsent(c, cfg.schema(), taskName, "pg_cron-" + runId,
        RunArgsSerializer.INSTANCE.serialize(RunArgs.NONE.withAttemptOffset(1)), at);
  }

  private void onNotification(String kind) {
    switch (kind) {
      case Notifier.PAUSE -> pauses.invalidate();
      case Notifier.CANCEL -> running.syncSoon();
      default -> {
        // due, reconnected, or anything newer: look for due work now
        if (scheduler != null && alive()) {
          scheduler.triggerCheckForDueExecutions();
        }
        if (Notifier.RECONNECTED.equals(kind)) {
          pauses.invalidate();
        }
      }
    }
  }

  /** Wakes every instance to look for due executions (LISTEN/NOTIFY), when notifications are on. */
  public void notifyDue() {
    Notifier.send(this, Notifier.DUE);
  }

  /** Control operations on this runtime (works attached too). */
  public dev.autopilot.Control control() {
    return new ControlImpl(this);
  }

  Pauses pauses() {
    return pauses;
  }

  /** @return whether this instance listens for notifications (so it should also send them after freeing a slot) */
  boolean notifying() {
    return notifier != null;
  }

  private void requireLiveHost(String taskName) {
    if (attached && !started && !recordedLive) {
      throw new AutopilotException("no Autopilot host is running on schema " + cfg.schema() + " (no heartbeat in the"
          + " last " + CatalogStore.LIVE.toSeconds() + " s): a trigger of " + taskName + " would not run");
    }
  }

  private void requireStarted() {
    if (!(started || attached) || closing) {
      throw new AutopilotException(logPrefix + "not started (call start() first)");
    }
  }

  /** The engine of SQL tasks, decided by an extension before the scheduler starts. */
  public EngineChoice sqlEngine() {
    return sqlEngine;
  }

  /** Called by the pg_cron engine extension once it knows whether pg_cron is usable. */
  public void setSqlEngine(EngineChoice choice) {
    this.sqlEngine = choice;
  }

  /** Java tasks and interval schedules always run on db-scheduler; SQL tasks where decided. */
  public EngineChoice engineOf(TaskCatalog.Entry e) {
    if (e.task().kind() != Task.Kind.SQL) {
      return new EngineChoice(dev.autopilot.Engine.DB_SCHEDULER, "java task");
    }
    if (e.cron() != null && e.cron().isInterval()) {
      return new EngineChoice(dev.autopilot.Engine.DB_SCHEDULER, "interval schedule (pg_cron has minute granularity)");
    }
    return sqlEngine;
  }

  public boolean alive() {
    return started && !closing && scheduler != null
        && scheduler.getSchedulerState().isStarted() && !scheduler.getSchedulerState().isShuttingDown();
  }

  public boolean flushHistory(Duration timeout) {
    return history == null || history.flush(timeout.toMillis());
  }

  @Override
  public synchronized void close() {
    if (attached && !started) {
      closing = true;
      return;
    }
    if (!started || closing) {
      return;
    }
    closing = true;
    if (notifier != null) {
      notifier.close();
    }
    for (int i = extensions.size() - 1; i >= 0; i--) {
      try {
        extensions.get(i).close();
      } catch (Exception e) {
        log.warn("{}closing {} failed: {}", logPrefix, extensions.get(i).getClass().getSimpleName(), e.toString());
      }
    }
    try {
      scheduler.stop();
    } finally {
      running.close();
      history.close();
      watch.close();
      log.info("{}stopped", logPrefix);
    }
  }

  public DataSource dataSource() {
    return cfg.dataSource();
  }

  public String schema() {
    return cfg.schema();
  }

  public Clock clock() {
    return cfg.clock();
  }

  public ZoneId zone() {
    return cfg.zone();
  }

  public Settings settings() {
    return cfg.settings();
  }

  public Jdbc jdbc() {
    return jdbc;
  }

  /** @return the task set: the builder's, or on an attached client the one running hosts recorded */
  public TaskCatalog catalog() {
    return catalog;
  }

  public String instanceName() {
    return cfg.instanceName();
  }

  public Map<Class<?>, Object> services() {
    return cfg.services();
  }

  public int schemaVersion() {
    return schemaVersion;
  }

  /** @return this runtime's extension of that type, if registered */
  public <T extends Extension> java.util.Optional<T> extension(Class<T> type) {
    return extensions.stream().filter(type::isInstance).map(type::cast).findFirst();
  }

  public Scheduler scheduler() {
    return scheduler;
  }

  public String logPrefix() {
    return logPrefix;
  }

  public boolean isClosing() {
    return closing;
  }

  /** Records a finished execution in job history (batched, in the background). */
  public void recordHistory(HistoryRow row) {
    history.record(row);
  }

  HistoryWriter history() {
    return history;
  }

  DatabaseWatch watch() {
    return watch;
  }

  /** JDBC on db-scheduler's DataSource: on a housekeeping thread, the connection kept for it. */
  Jdbc schedulerJdbc() {
    return schedulerJdbc;
  }

  /** @return job history rows dropped because the buffer was full during an outage */
  public long historyRowsDropped() {
    return history == null ? 0 : history.dropped();
  }

  /**
   * @param t a failure
   * @return true when it says the database cannot be reached (an outage, logged once by the
   *     database watch), so the caller need not log it again
   */
  public static boolean isConnectionProblem(Throwable t) {
    return DatabaseWatch.isConnectionProblem(t);
  }

  /** @return false while this instance cannot reach the database */
  public boolean databaseReachable() {
    return watch == null || watch.isUp();
  }

  ProgressStore progress() {
    return progress;
  }
}
