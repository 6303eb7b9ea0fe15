package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.task.CompletionHandler;
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
  private final java.util.List<Extension> extensions;
  private volatile EngineChoice sqlEngine =
      new EngineChoice(dev.autopilot.Engine.DB_SCHEDULER, "pg_cron engine not enabled");
  private volatile boolean closing;
  private volatile boolean started;
  private volatile boolean attached;
  private com.github.kagkarlsson.scheduler.SchedulerClient client;
  private int schemaVersion;
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
  }

  public synchronized void start() {
    if (started) {
      return;
    }
    long t0 = System.nanoTime();
    Migrator.Result m = new Migrator(cfg.dataSource(), cfg.schema(), cfg.classLoader(), logPrefix,
        cfg.migrationModules()).migrate();
    schemaVersion = m.current();
    history = new HistoryWriter(cfg.dataSource(), cfg.schema(), logPrefix, 200, "autopilot-history-" + cfg.instanceName());
    for (Extension x : extensions) {
      x.beforeScheduler(this);
    }
    List<com.github.kagkarlsson.scheduler.task.Task<?>> known = new ArrayList<>();
    List<CustomTask<Void>> startTasks = new ArrayList<>();
    for (TaskCatalog.Entry e : catalog().entries()) {
      CustomTask<Void> t = dbTask(e);
      if (e.enabled() && e.cron() != null && engineOf(e).engine() == dev.autopilot.Engine.DB_SCHEDULER) {
        startTasks.add(t); // db-scheduler adds start tasks to the known tasks itself
      } else {
        known.add(t);
      }
    }
    removeDisabledRecurring();
    scheduler = Scheduler.create(cfg.dataSource(), known)
        .startTasks(startTasks)
        .tableName(Jdbc.quoteIdent(cfg.schema()) + ".scheduled_tasks")
        .threads(cfg.threads())
        .pollingInterval(cfg.pollingInterval())
        .schedulerName(new SchedulerName.Fixed(cfg.instanceName()))
        .enablePriority()
        .enableImmediateExecution()
        .addSchedulerListener(listener)
        .clock(() -> cfg.clock().instant())
        .heartbeatInterval(Duration.ofSeconds(30))
        .shutdownMaxWait(Duration.ofSeconds(30))
        .build();
    scheduler.start();
    started = true;
    for (Extension x : extensions) {
      x.afterStart(this);
    }
    log.info("{}started in {} ms: {} task(s), schema {} v{}, {} thread(s), polling every {}", logPrefix,
        (System.nanoTime() - t0) / 1_000_000, catalog().size(), cfg.schema(), schemaVersion,
        cfg.threads(), cfg.pollingInterval());
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
        .tableName(q + ".scheduled_tasks").enablePriority().build();
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

  private CustomTask<Void> dbTask(TaskCatalog.Entry e) {
    Task task = e.task();
    CronSchedule schedule = e.cron() == null ? null : new CronSchedule(e.cron(), cfg.zone());
    Tasks.TaskBuilder<Void> b = Tasks.custom(task.name(), Void.class)
        .onFailure(new RetryHandler(task.retryPolicy(), schedule))
        .onDeadExecutionRevive();
    if (schedule != null) {
      b.scheduleOnStartup(RECURRING, null, schedule);
    }
    return b.execute((TaskInstance<Void> instance, ExecutionContext ctx) -> {
      run(task, ctx.getExecution());
      if (schedule != null && RECURRING.equals(instance.getId())) {
        return new CompletionHandler.OnCompleteReschedule<>(schedule);
      }
      return new CompletionHandler.OnCompleteRemove<>();
    });
  }

  private void run(Task task, Execution execution) {
    RunContext ctx = new RunContext(this, task.name(), execution.getId(), execution.consecutiveFailures + 1,
        () -> closing);
    try {
      if (task.kind() == Task.Kind.JAVA) {
        task.body().orElseThrow().run(ctx);
      } else {
        String skip = runSql(task);
        if (skip != null) {
          ctx.skip(skip);
        }
      }
    } catch (RuntimeException | Error ex) {
      throw ex;
    } catch (Exception ex) {
      throw new TaskFailedException(task.name(), ex);
    } finally {
      if (ctx.skipReason() != null) {
        listener.skipped(execution, ctx.skipReason());
      }
    }
  }

  /**
   * Runs a SQL task's statement in autocommit (so {@code VACUUM} and procedures that COMMIT work).
   *
   * @return the reason when the task noted a skip ({@code note_skip}, V003) during the call, else null
   */
  String runSql(Task task) throws SQLException {
    String q = Jdbc.quoteIdent(cfg.schema());
    try (Connection c = cfg.dataSource().getConnection()) {
      c.setAutoCommit(true);
      String sql = expandSql(c, task.sql().orElseThrow(), cfg.schema());
      java.sql.Timestamp before;
      try (Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        before = rs.getTimestamp(1);
      }
      try (Statement s = c.createStatement()) {
        s.execute(sql);
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
  private final class RetryHandler implements FailureHandler<Void> {
    private final RetryPolicy policy;
    private final CronSchedule schedule;

    RetryHandler(RetryPolicy policy, CronSchedule schedule) {
      this.policy = policy;
      this.schedule = schedule;
    }

    @Override
    public void onFailure(ExecutionComplete ec, ExecutionOperations<Void> ops) {
      Execution e = ec.getExecution();
      int attempt = e.consecutiveFailures + 1;
      Instant now = ec.getTimeDone();
      boolean recurring = schedule != null && RECURRING.equals(e.getId());
      Instant nextSlot = recurring ? schedule.next(now) : null;
      if (policy.shouldRetry(attempt)) {
        Instant retryAt = now.plus(policy.delayAfter(attempt, ThreadLocalRandom.current().nextDouble()));
        if (nextSlot == null || retryAt.isBefore(nextSlot)) {
          listener.decided(e, "retrying");
          log.warn("{}task {} attempt {} failed; retrying at {}", logPrefix, e.getTaskName(), attempt, retryAt);
          ops.reschedule(ec, retryAt);
          return;
        }
      }
      listener.decided(e, "failed");
      log.error("{}task {} failed after {} attempt(s): {}", logPrefix, e.getTaskName(), attempt,
          ec.getCause().map(Throwable::toString).orElse("?"));
      if (recurring) {
        // a fresh execution resets the attempt count for the next slot
        ops.removeAndScheduleNew(scheduledRecurring(e.getTaskName(), nextSlot));
      } else {
        ops.remove();
      }
    }
  }

  private com.github.kagkarlsson.scheduler.task.SchedulableInstance<Void> scheduledRecurring(String task, Instant at) {
    return com.github.kagkarlsson.scheduler.task.SchedulableInstance.of(new TaskInstance<>(task, RECURRING), at);
  }

  /**
   * Runs a task now, once, through db-scheduler, whatever its trigger.
   *
   * @return the execution id
   */
  public String trigger(String taskName, String prefix) {
    requireStarted();
    TaskCatalog.Entry e = catalog().get(taskName);
    if (attached && !started && !recordedLive) {
      throw new AutopilotException("no Autopilot host is running on schema " + cfg.schema() + " (no heartbeat in the"
          + " last " + CatalogStore.LIVE.toSeconds() + " s): a trigger of " + taskName + " would not run");
    }
    String id = prefix + "-" + UUID.randomUUID();
    if (!started) {
      client.schedule(new TaskInstance<Void>(e.name(), id), cfg.clock().instant());
      return id;
    }
    scheduler.schedule(new TaskInstance<Void>(e.name(), id), cfg.clock().instant());
    scheduler.triggerCheckForDueExecutions();
    return id;
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
      history.close();
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

  ProgressStore progress() {
    return progress;
  }
}
