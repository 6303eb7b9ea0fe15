package dev.autopilot.micrometer;

import dev.autopilot.Autopilot;
import dev.autopilot.BootstrapStatus;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micrometer meters for one Autopilot, over both engines. Usable without Spring:
 *
 * <pre>{@code
 * try (AutopilotMetrics metrics = AutopilotMetrics.bindTo(autopilot, registry)) {
 *   ...
 * }
 * }</pre>
 *
 * <p>The numbers come from Autopilot's tables, so they cover every instance on the database and
 * pg_cron's runs as they are imported into job history (engine {@code pg_cron}): one background
 * thread reads new job-history rows by id every {@link Builder#interval(Duration) interval}
 * (default 5 s), and the gauges read db-scheduler's table at most once per {@link
 * Builder#gaugeCache(Duration) gauge cache} period (default 2 s) with one grouped query. Counters
 * count what finished after binding; bind it in one place per application. Because every
 * instance sees the whole database, aggregate across instances with {@code max}, not {@code sum}.
 *
 * <p>Meters (Prometheus names; tags {@code task}, {@code engine}, {@code pack}, the pack coming
 * from this instance's catalog, else from the catalogs running hosts recorded, else {@value
 * #UNKNOWN_PACK}):
 * <ul>
 *   <li>{@code autopilot_task_completions_total{outcome}} — finished attempts by outcome
 *       ({@code succeeded}, {@code failed}, {@code dead}, {@code skipped}, {@code retrying},
 *       {@code cancelled}; pg_cron runs as imported);
 *   <li>{@code autopilot_task_duration_seconds} — a timer of their durations;
 *   <li>{@code autopilot_task_last_success_age_seconds} — age of the newest success;
 *   <li>{@code autopilot_task_backlog} — runs due but not started (also those of a paused or
 *       disabled task, or of a task no running instance has);
 *   <li>{@code autopilot_task_lag_seconds} — age of the oldest due run not started;
 *   <li>{@code autopilot_task_running} — runs picked by an instance now;
 *   <li>{@code autopilot_bootstrap_step_duration_seconds{task,pack}} — each start-up step of the
 *       newest wave (running steps: so far);
 *   <li>{@code autopilot_alive} — 1 while this instance's scheduler runs.
 * </ul>
 *
 * <p>Thread-safe. {@link #close()} stops the thread and removes the meters.
 */
public final class AutopilotMetrics implements MeterBinder, AutoCloseable {

  /** Default period of reading new job history. */
  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);
  /** Default longest age of the gauges' snapshot of db-scheduler's table. */
  public static final Duration DEFAULT_GAUGE_CACHE = Duration.ofSeconds(2);
  /** Pack tag of a task neither this instance's catalog nor a recorded one has. */
  public static final String UNKNOWN_PACK = "unknown";

  static final String COMPLETIONS = "autopilot.task.completions";
  static final String DURATION = "autopilot.task.duration";
  static final String LAST_SUCCESS_AGE = "autopilot.task.last.success.age";
  static final String BACKLOG = "autopilot.task.backlog";
  static final String LAG = "autopilot.task.lag";
  static final String RUNNING = "autopilot.task.running";
  static final String BOOTSTRAP_STEP = "autopilot.bootstrap.step.duration";
  static final String ALIVE = "autopilot.alive";
  private static final String DB_SCHEDULER = "db-scheduler";

  private static final Logger log = LoggerFactory.getLogger(AutopilotMetrics.class);

  private final Autopilot autopilot;
  private final Duration interval;
  private final long gaugeCacheNanos;
  private final HistoryReader history;
  private final LiveReader liveReader;
  private final List<RegistryMeters> bound = new CopyOnWriteArrayList<>();
  private final Map<String, Instant> lastSuccess = new ConcurrentHashMap<>(); // task|engine -> at
  private final Object liveLock = new Object();
  private volatile Map<String, LiveReader.Live> live = Map.of();
  private volatile long liveAt;
  private volatile boolean liveRead;
  private volatile Map<String, Double> bootstrapSteps = Map.of();
  private final Set<String> catalogTasks = ConcurrentHashMap.newKeySet();
  private final Map<String, String> packs = new ConcurrentHashMap<>();
  private volatile Map<String, String> recordedPacks;
  private ScheduledExecutorService thread;
  private boolean started;
  private boolean initialized;
  private boolean watermarkSet;
  private volatile boolean closed;
  private volatile long lastWarn;

  private AutopilotMetrics(Builder b) {
    this.autopilot = b.autopilot;
    this.interval = b.interval;
    this.gaugeCacheNanos = b.gaugeCache.toNanos();
    String schema = "\"" + autopilot.schema().replace("\"", "\"\"") + "\"";
    this.history = new HistoryReader(autopilot.dataSource(), schema, 60_000);
    this.liveReader = new LiveReader(autopilot.dataSource(), schema);
  }

  /**
   * Binds the meters of an Autopilot to a registry with the default settings and starts reading.
   *
   * @param autopilot a started (or attached) Autopilot
   * @param registry the registry
   * @return the binder; close it to stop reading and remove the meters
   */
  public static AutopilotMetrics bindTo(Autopilot autopilot, MeterRegistry registry) {
    AutopilotMetrics m = builder(autopilot).build();
    m.bindTo(registry);
    return m;
  }

  /**
   * @param autopilot the Autopilot whose tables are read
   * @return a builder with the defaults
   */
  public static Builder builder(Autopilot autopilot) {
    return new Builder(Objects.requireNonNull(autopilot, "autopilot"));
  }

  /**
   * Registers the meters in a registry; the first call starts the background reading (later
   * ones, for example one per registry of a composite, share it).
   *
   * @param registry the registry
   */
  @Override
  public synchronized void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    if (closed) {
      throw new IllegalStateException("AutopilotMetrics is closed");
    }
    if (!started) {
      initialize();
      started = true;
      thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "autopilot-metrics-" + autopilot.instanceName());
        t.setDaemon(true);
        return t;
      });
      thread.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }
    RegistryMeters b = new RegistryMeters(registry);
    bound.add(b);
    b.meters.add(Gauge.builder(ALIVE, autopilot, a -> a.alive() ? 1 : 0).strongReference(true)
        .description("1 while this instance's scheduler runs").register(registry));
    registerGauges(b);
  }

  /**
   * Reads new job history, db-scheduler's table and the bootstrap wave now, instead of waiting
   * for the next interval (for tests, and before a final scrape).
   */
  public void refresh() {
    synchronized (this) {
      if (!initialize()) {
        return;
      }
      readHistory();
    }
    refreshLive(true);
    readBootstrap();
    bound.forEach(this::registerGauges);
  }

  private void poll() {
    try {
      refresh();
    } catch (RuntimeException e) {
      warn("reading Autopilot's tables failed", e);
    }
  }

  /**
   * Sets the watermark at the newest history row (at bind time, or 0 on a database not migrated
   * yet) and reads the catalog and the last successes, once; bound before the Autopilot has
   * migrated its schema (a Spring context binds before it starts), the rest succeeds at a later
   * poll and nothing that ran in between is missed.
   */
  private boolean initialize() {
    if (initialized) {
      return true;
    }
    try {
      if (!watermarkSet) {
        history.startAtNewest();
        watermarkSet = true;
      }
      autopilot.monitor().tasks().forEach(t -> catalogTasks.add(t.name()));
      seedLastSuccess();
      initialized = true;
    } catch (Exception e) {
      if (autopilot.alive()) {
        warn("cannot read Autopilot's tables", e);
      } else {
        // bound before start() migrated the schema (a Spring context binds first): expected
        log.debug("[{}] metrics: Autopilot's tables not readable yet: {}", autopilot.instanceName(), e.toString());
      }
    }
    return initialized;
  }

  private void readHistory() {
    List<HistoryReader.Row> rows;
    try {
      rows = history.next(System.currentTimeMillis());
    } catch (Exception e) {
      warn("reading job history failed", e);
      return;
    }
    for (HistoryReader.Row r : rows) {
      String pack = packOf(r.task());
      for (RegistryMeters b : bound) {
        b.count(r, pack);
      }
      if ("succeeded".equals(r.outcome()) && r.finishedAt() != null) {
        lastSuccess.merge(r.task() + "|" + r.engine(), r.finishedAt(), (a, n) -> n.isAfter(a) ? n : a);
      }
    }
  }

  private void seedLastSuccess() throws Exception {
    for (LiveReader.LastSuccess s : liveReader.lastSuccesses(catalogTasks)) {
      lastSuccess.merge(s.task() + "|" + s.engine(), s.at(), (a, n) -> n.isAfter(a) ? n : a);
    }
  }

  private void refreshLive(boolean force) {
    synchronized (liveLock) {
      long now = System.nanoTime();
      if (!force && liveRead && now - liveAt < gaugeCacheNanos) {
        return;
      }
      try {
        live = liveReader.live();
        liveRead = true;
      } catch (Exception e) {
        warn("reading scheduled_tasks failed", e);
      }
      liveAt = now;
    }
  }

  private void readBootstrap() {
    try {
      BootstrapStatus wave = autopilot.monitor().bootstrap();
      Map<String, Double> steps = new ConcurrentHashMap<>();
      Instant now = Instant.now();
      for (BootstrapStatus.Step s : wave.steps()) {
        double seconds = 0;
        if (s.startedAt() != null) {
          Instant end = s.finishedAt() != null ? s.finishedAt() : now;
          seconds = Math.max(0, Duration.between(s.startedAt(), end).toNanos() / 1e9);
        }
        steps.put(s.task(), seconds);
      }
      bootstrapSteps = steps;
    } catch (RuntimeException e) {
      warn("reading the bootstrap wave failed", e);
    }
  }

  private LiveReader.Live liveOf(String task) {
    refreshLive(false);
    return live.getOrDefault(task, LiveReader.Live.NONE);
  }

  private double lastSuccessAge(String key) {
    Instant at = lastSuccess.get(key);
    return at == null ? Double.NaN : Math.max(0, Duration.between(at, Instant.now()).toNanos() / 1e9);
  }

  /**
   * This instance's catalog first, then the catalogs other running hosts recorded; fixed per task
   * at first sight, so each task's series keep one pack tag.
   */
  private String packOf(String task) {
    return packs.computeIfAbsent(task, t -> autopilot.packOf(t).orElseGet(() -> recordedPack(t)));
  }

  private String recordedPack(String task) {
    Map<String, String> known = recordedPacks;
    // read again on a miss: a task seen for the first time usually belongs to an instance that
    // recorded its catalog since the last read (packOf asks once per task)
    if (known == null || !known.containsKey(task)) {
      try {
        known = liveReader.recordedPacks();
      } catch (Exception e) {
        known = Map.of(); // a database without the recorded catalog (task_catalog)
      }
      recordedPacks = known;
    }
    return known.getOrDefault(task, UNKNOWN_PACK);
  }

  private Set<String> knownTasks() {
    Set<String> tasks = new HashSet<>(catalogTasks);
    tasks.addAll(live.keySet());
    return tasks;
  }

  private void registerGauges(RegistryMeters b) {
    for (String task : knownTasks()) {
      if (b.liveTasks.add(task)) {
        Tags tags = Tags.of("task", task, "engine", DB_SCHEDULER, "pack", packOf(task));
        b.meters.add(Gauge.builder(BACKLOG, this, m -> m.liveOf(task).backlog()).tags(tags).strongReference(true)
            .description("runs due but not started").register(b.registry));
        b.meters.add(Gauge.builder(LAG, this, m -> m.liveOf(task).lagSeconds()).tags(tags).strongReference(true)
            .baseUnit("seconds").description("age of the oldest due run not started").register(b.registry));
        b.meters.add(Gauge.builder(RUNNING, this, m -> m.liveOf(task).running()).tags(tags).strongReference(true)
            .description("runs picked by an instance now").register(b.registry));
      }
    }
    for (String key : lastSuccess.keySet()) {
      if (b.lastSuccessKeys.add(key)) {
        String[] te = key.split("\\|", 2);
        b.meters.add(Gauge.builder(LAST_SUCCESS_AGE, this, m -> m.lastSuccessAge(key)).strongReference(true)
            .tags("task", te[0], "engine", te[1], "pack", packOf(te[0])).baseUnit("seconds")
            .description("age of the newest successful run").register(b.registry));
      }
    }
    for (String task : bootstrapSteps.keySet()) {
      if (b.bootstrapTasks.add(task)) {
        b.meters.add(Gauge.builder(BOOTSTRAP_STEP, this, m -> m.bootstrapSteps.getOrDefault(task, 0.0))
            .strongReference(true).tags("task", task, "pack", packOf(task)).baseUnit("seconds")
            .description("duration of the start-up step in the newest wave").register(b.registry));
      }
    }
  }

  private void warn(String what, Exception e) {
    long now = System.currentTimeMillis();
    if (now - lastWarn > 60_000) {
      lastWarn = now;
      log.warn("[{}] metrics: {}: {}", autopilot.instanceName(), what, e.toString());
    }
  }

  /** Stops the background reading and removes the meters from every registry it was bound to. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (thread != null) {
      thread.shutdownNow();
    }
    bound.forEach(RegistryMeters::removeAll);
    bound.clear();
  }

  /** Settings of an {@link AutopilotMetrics}; every setter validates its argument. */
  public static final class Builder {
    private final Autopilot autopilot;
    private Duration interval = DEFAULT_INTERVAL;
    private Duration gaugeCache = DEFAULT_GAUGE_CACHE;

    private Builder(Autopilot autopilot) {
      this.autopilot = autopilot;
    }

    /**
     * @param interval how often new job history is read, 100 ms to 1 h (default 5 s)
     * @return this builder
     */
    public Builder interval(Duration interval) {
      if (interval == null || interval.toMillis() < 100 || interval.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("autopilot metrics interval must be 100ms..1h, was " + interval);
      }
      this.interval = interval;
      return this;
    }

    /**
     * @param maxAge how old the gauges' snapshot of db-scheduler's table may be before a read
     *     queries again, 0 to 1 h (default 2 s)
     * @return this builder
     */
    public Builder gaugeCache(Duration maxAge) {
      if (maxAge == null || maxAge.isNegative() || maxAge.compareTo(Duration.ofHours(1)) > 0) {
        throw new IllegalArgumentException("autopilot metrics gauge cache must be 0..1h, was " + maxAge);
      }
      this.gaugeCache = maxAge;
      return this;
    }

    /** @return the binder, not bound yet ({@link AutopilotMetrics#bindTo(MeterRegistry)}) */
    public AutopilotMetrics build() {
      return new AutopilotMetrics(this);
    }
  }

  /** @return the meters registered so far in every bound registry (for tests) */
  List<Meter> meters() {
    List<Meter> out = new ArrayList<>();
    bound.forEach(b -> out.addAll(b.meters));
    return out;
  }
}
