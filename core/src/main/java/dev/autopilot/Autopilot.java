package dev.autopilot;

import dev.autopilot.internal.CatalogRecorder;
import dev.autopilot.internal.Extension;
import dev.autopilot.internal.MonitorImpl;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Packs;
import dev.autopilot.internal.Runtime;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.TaskCatalog;
import dev.autopilot.internal.bootstrap.Bootstrap;
import dev.autopilot.internal.pgcron.PgCronEngine;
import dev.autopilot.spi.CacheRegistry;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskProvider;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The automation layer of one host application: give it the host's {@link DataSource}, start
 * it, and it migrates its schema, schedules SQL work in pg_cron, runs Java work on db-scheduler,
 * and records every execution.
 *
 * <pre>{@code
 * try (Autopilot autopilot = Autopilot.builder(dataSource)
 *         .task(Task.java("hello", ctx -> log.info("hello")).cron("*&#47;5 * * * *").build())
 *         .build()
 *         .start()) {
 *   autopilot.trigger("hello");
 *   autopilot.monitor().tasks().forEach(System.out::println);
 * }
 * }</pre>
 *
 * <p>Two instances on one database cooperate: migrations run once, and every execution runs on
 * one instance only. Thread-safe. Closing stops the scheduler and waits for running executions
 * (up to 30 s); pg_cron jobs keep running in the database.
 */
public final class Autopilot implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Autopilot.class);

  /** Default number of db-scheduler executor threads. */
  public static final int DEFAULT_THREADS = 4;
  /** Default db-scheduler polling interval. */
  public static final Duration DEFAULT_POLLING_INTERVAL = Duration.ofSeconds(5);
  /**
   * Default interval of db-scheduler heartbeats for running executions: 4 s. With {@link
   * #DEFAULT_MISSED_HEARTBEATS_LIMIT} an execution whose instance died is declared dead after 16 s
   * and revived at the next dead-execution check (every two intervals): within 24 s of the crash.
   */
  public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(4);
  /** Default number of missed heartbeats after which a running execution is dead: 4. */
  public static final int DEFAULT_MISSED_HEARTBEATS_LIMIT = 4;
  /** Default schema of Autopilot's tables. */
  public static final String DEFAULT_SCHEMA = "autopilot";

  private final Runtime runtime;
  private final Monitor monitor;

  private Autopilot(Runtime runtime) {
    this.runtime = runtime;
    this.monitor = new MonitorImpl(runtime);
  }

  /**
   * Starts a builder.
   *
   * @param dataSource the host's DataSource (a pool is strongly recommended)
   * @return a builder
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * Migrates the schema and starts the engines. Idempotent: calling it again does nothing.
   *
   * @return this, for chaining
   * @throws AutopilotException when the database cannot be migrated or reached
   */
  public Autopilot start() {
    runtime.start();
    return this;
  }

  /**
   * Attaches to a database an Autopilot host already runs on, as a client for operator tools:
   * nothing is migrated, no scheduler starts and no task runs in this JVM. {@link #monitor()}
   * answers as usual (health reports this instance as not alive), and {@link #trigger(String)}
   * queues a run that the running instances pick up within their polling interval. The task set
   * is the one the running hosts recorded in the database ({@link Monitor#instances()}), not this
   * builder's: a trigger of a task no running host has is refused. Use
   * {@link #start()} or this method, not both.
   *
   * @return this, for chaining
   * @throws AutopilotException when the database cannot be reached or holds no Autopilot schema
   */
  public Autopilot attach() {
    runtime.attach();
    return this;
  }

  /** @return true once started, until closed, while the scheduler runs */
  public boolean alive() {
    return runtime.alive();
  }

  /**
   * Runs a task now, once, whatever its trigger (a disabled task too). The run goes through
   * db-scheduler, on whichever instance picks it, and appears in job history.
   *
   * @param taskName the task's name
   * @return the execution id of the triggered run, as it appears in job history
   * @throws UnknownTaskException when no task has this name
   * @throws AutopilotException when not started
   */
  public String trigger(String taskName) {
    return runtime.trigger(Objects.requireNonNull(taskName, "taskName"), "manual");
  }

  /**
   * Runs a task now, once, with arguments the run reads through {@link
   * dev.autopilot.spi.TaskContext#args()}; job history and the monitor show them.
   *
   * @param taskName the task's name
   * @param args argument names to strings, numbers or booleans (JSON's scalars); each value is
   *     handed to the task in its string form
   * @return the execution id of the triggered run
   * @throws UnknownTaskException when no task has this name
   * @throws IllegalArgumentException naming the argument when a value is not a scalar, or does not
   *     fit the arguments the task declares ({@link dev.autopilot.spi.Task.Builder#arg})
   * @throws AutopilotException when not started or attached
   */
  public String trigger(String taskName, Map<String, ?> args) {
    Objects.requireNonNull(taskName, "taskName");
    Objects.requireNonNull(args, "args");
    runtime.catalog().get(taskName).task().checkArgs(args);
    return runtime.trigger(taskName, "manual", dev.autopilot.internal.RunArgs.of(args, null, 0));
  }

  /**
   * Enqueues one run of a task per argument map, all in one transaction: every run is enqueued or,
   * when the database refuses one, none is. For fan-out work (about 100,000 runs/s on a 2-core
   * test machine, one statement per 10,000 runs); every run appears in job history like a
   * {@link #trigger(String, Map)}.
   *
   * @param taskName the task's name
   * @param argsList one argument map per run (see {@link #trigger(String, Map)}); an empty map for a run without
   * @return the execution ids, in the order of the maps
   * @throws UnknownTaskException when no task has this name
   * @throws IllegalArgumentException naming the argument when a value is not a scalar (nothing is enqueued)
   * @throws AutopilotException when not started or attached, or when the database refused the rows (nothing is
   *     enqueued)
   */
  public List<String> triggerAll(String taskName, List<? extends Map<String, ?>> argsList) {
    return runtime.triggerAll(Objects.requireNonNull(taskName, "taskName"), Objects.requireNonNull(argsList, "argsList"));
  }

  /** @return pause, resume, cancel and retry, over both engines (works on an attached client too) */
  public Control control() {
    return runtime.control();
  }

  /**
   * Waits until the start-up wave this instance opened or joined has finished: every start-up
   * task succeeded, skipped itself, finally failed, or was skipped because an earlier one failed.
   * {@link #start()} never waits for the wave; call this when the host needs its data (a
   * readiness probe, a test). Progress is also visible in {@link Monitor#bootstrap()}.
   *
   * @param timeout how long to wait at most
   * @return the wave's state when it finished or the timeout passed (check {@link
   *     BootstrapStatus#finished()} and {@link BootstrapStatus#succeeded()}); {@link
   *     BootstrapStatus#none()} when there are no start-up tasks or the bootstrap is disabled
   *     ({@code autopilot.bootstrap.enabled=false})
   * @throws AutopilotException when not started, or interrupted while waiting
   */
  public BootstrapStatus awaitBootstrap(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (!runtime.alive()) {
      throw new AutopilotException("[" + runtime.instanceName() + "] not started (call start() first)");
    }
    var bootstrap = runtime.extension(dev.autopilot.internal.bootstrap.Bootstrap.class);
    if (bootstrap.isEmpty()) {
      return BootstrapStatus.none();
    }
    try {
      return bootstrap.get().await(timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AutopilotException("interrupted while waiting for the bootstrap wave", e);
    }
  }

  /**
   * Looks up a service: one the host registered with {@link Builder#service}, or one Autopilot
   * or a pack on the class path provides (for example {@link dev.autopilot.spi.CacheRegistry};
   * the code pack's {@code CodeSearch}, the learning pack's {@code PatternCache}).
   *
   * @param type the service type
   * @param <T> the service type
   * @return the service, if there is one
   */
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(type.cast(runtime.services().get(type)));
  }

  /** @return the monitoring API over both engines */
  public Monitor monitor() {
    return monitor;
  }

  /**
   * @return the DataSource Autopilot was built with (the host's), for operator tools that read
   *     Autopilot's tables directly (the dashboard)
   */
  public DataSource dataSource() {
    return runtime.dataSource();
  }

  /** @return the schema of Autopilot's tables */
  public String schema() {
    return runtime.schema();
  }

  /** @return the instance name used in logs, job history and db-scheduler's {@code picked_by} */
  public String instanceName() {
    return runtime.instanceName();
  }

  /**
   * The pack a task of this instance's catalog belongs to ({@link Task#pack()}), for example to
   * tag metrics.
   *
   * @param taskName a task name
   * @return its pack, or empty when this instance's catalog has no such task
   */
  public Optional<String> packOf(String taskName) {
    return runtime.catalog().find(Objects.requireNonNull(taskName, "taskName")).map(e -> e.task().pack());
  }

  /**
   * Waits until job history holds every execution finished so far on this instance (history is
   * written in batches in the background, usually within 200 ms).
   *
   * @param timeout how long to wait at most
   * @return true when flushed in time
   */
  public boolean flushHistory(Duration timeout) {
    return runtime.flushHistory(timeout);
  }

  /** Stops the scheduler, waiting up to 30 s for running executions, and flushes history. */
  @Override
  public void close() {
    runtime.close();
  }

  /**
   * Builds an {@link Autopilot}. Every setter validates its argument at once; {@link #build()}
   * assembles and validates the task catalog, and logs the effective configuration once.
   *
   * <p>Configuration keys (as properties, {@code -D} system properties, or environment variables
   * {@code AUTOPILOT_...}; explicit setters win, then properties, then the environment):
   * {@code autopilot.threads}, {@code autopilot.polling-interval}, {@code autopilot.heartbeat-interval},
   * {@code autopilot.missed-heartbeats-limit}, {@code autopilot.history.buffer}, {@code autopilot.schema},
   * {@code autopilot.instance-name}, {@code autopilot.zone}, {@code autopilot.discovery},
   * {@code autopilot.notify.enabled} (LISTEN/NOTIFY wake-up, default true), {@code
   * autopilot.polling-strategy} ({@code fetch} or {@code lock-and-fetch}),
   * {@code autopilot.task.NAME.schedule} (cron, or {@code none}), {@code
   * autopilot.task.NAME.enabled}, {@code autopilot.pack.NAME.enabled}, and per-task keys read by
   * tasks through {@link dev.autopilot.spi.TaskConfig}.
   */
  public static final class Builder {
    private static final AtomicInteger INSTANCES = new AtomicInteger();

    private final DataSource dataSource;
    private final Map<String, String> explicit = new LinkedHashMap<>();
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final List<TaskCatalog.Contribution> tasks = new ArrayList<>();
    private final List<TaskProvider> providers = new ArrayList<>();
    private final Map<Class<?>, Object> services = new LinkedHashMap<>();
    private Map<String, String> environment = System.getenv();
    private Clock clock = Clock.systemUTC();
    private ClassLoader classLoader = Autopilot.class.getClassLoader();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
      System.getProperties().forEach((k, v) -> {
        if (k.toString().startsWith(Settings.PREFIX)) {
          properties.put(k.toString(), v.toString());
        }
      });
    }

    /**
     * @param name this instance's name in logs, job history and db-scheduler; default
     *     {@code host-pid-n}
     * @return this builder
     */
    public Builder instanceName(String name) {
      if (name == null || name.isBlank() || name.length() > 100) {
        throw new ConfigurationException(Settings.INSTANCE_NAME, String.valueOf(name), "must be 1-100 characters");
      }
      explicit.put(Settings.INSTANCE_NAME, name);
      return this;
    }

    /**
     * @param threads db-scheduler executor threads, at least 1 (default 4)
     * @return this builder
     */
    public Builder threads(int threads) {
      if (threads < 1) {
        throw new ConfigurationException(Settings.THREADS, String.valueOf(threads), "must be at least 1");
      }
      explicit.put(Settings.THREADS, String.valueOf(threads));
      return this;
    }


    /**
     * @param interval how often db-scheduler polls for due executions, at least 10 ms (default 5 s)
     * @return this builder
     */
    public Builder pollingInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 10) {
        throw new ConfigurationException(Settings.POLLING_INTERVAL, String.valueOf(interval), "must be at least 10 ms");
      }
      explicit.put(Settings.POLLING_INTERVAL, interval.toString());
      return this;
    }

    /**
     * How often a running execution's instance writes a heartbeat (also {@code
     * autopilot.heartbeat-interval}). Heartbeats come from a housekeeping thread on a connection
     * Autopilot keeps for it, not from the task's thread or the host's busy pool, so a slow task
     * or an exhausted pool does not stop them: only a JVM that stops (crash, kill, a pause longer
     * than interval x limit) loses its runs to another instance. Shorter means faster revival and
     * more writes (one small UPDATE per running execution per interval).
     *
     * @param interval at least 500 ms (default 4 s)
     * @return this builder
     */
    public Builder heartbeatInterval(Duration interval) {
      if (interval == null || interval.toMillis() < 500) {
        throw new ConfigurationException(Settings.HEARTBEAT_INTERVAL, String.valueOf(interval), "must be at least 500 ms");
      }
      explicit.put(Settings.HEARTBEAT_INTERVAL, interval.toString());
      return this;
    }

    /**
     * How many heartbeats a running execution may miss before another instance declares it dead
     * and revives it (also {@code autopilot.missed-heartbeats-limit}). Revival happens within
     * about {@code (limit + 2) x interval} of a crash: 24 s with the defaults. A lower limit
     * revives sooner but risks reviving the runs of an instance that is merely paused (a long GC
     * pause, a suspended VM) for that long, which then run twice.
     *
     * @param limit at least 2 (default 4)
     * @return this builder
     */
    public Builder missedHeartbeatsLimit(int limit) {
      if (limit < 2) {
        throw new ConfigurationException(Settings.MISSED_HEARTBEATS_LIMIT, String.valueOf(limit), "must be at least 2");
      }
      explicit.put(Settings.MISSED_HEARTBEATS_LIMIT, String.valueOf(limit));
      return this;
    }

    /**
     * @param schema the schema of Autopilot's tables (default {@value Autopilot#DEFAULT_SCHEMA})
     * @return this builder
     */
    public Builder schema(String schema) {
      explicit.put(Settings.SCHEMA, Settings.validateSchema(Settings.SCHEMA, schema));
      return this;
    }

    /**
     * @param zone the zone cron schedules of db-scheduler tasks are read in (default UTC;
     *     pg_cron 1.4 always uses GMT)
     * @return this builder
     */
    public Builder zone(ZoneId zone) {
      explicit.put(Settings.ZONE, Objects.requireNonNull(zone, "zone").getId());
      return this;
    }

    /**
     * @param clock the clock tasks and history use (default UTC system clock)
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * @param enabled whether the built-in task packs of TASKS.md are registered (default true;
     *     also {@code autopilot.built-in-tasks}); false leaves only the host's own tasks
     * @return this builder
     */
    public Builder builtInTasks(boolean enabled) {
      explicit.put(Settings.BUILT_IN_TASKS, String.valueOf(enabled));
      return this;
    }

    /**
     * Registers a task explicitly.
     *
     * @param task the task
     * @return this builder
     */
    public Builder task(Task task) {
      tasks.add(new TaskCatalog.Contribution(Objects.requireNonNull(task, "task"), "builder"));
      return this;
    }

    /**
     * @param tasks tasks to register explicitly
     * @return this builder
     */
    public Builder tasks(Collection<Task> tasks) {
      tasks.forEach(this::task);
      return this;
    }

    /**
     * Registers a provider explicitly (in addition to discovered ones).
     *
     * @param provider the provider
     * @return this builder
     */
    public Builder taskProvider(TaskProvider provider) {
      providers.add(Objects.requireNonNull(provider, "provider"));
      return this;
    }

    /**
     * @param discover whether {@link TaskProvider}s are discovered with {@link ServiceLoader}
     *     (default true; also {@code autopilot.discovery})
     * @return this builder
     */
    public Builder discoverProviders(boolean discover) {
      explicit.put(Settings.DISCOVERY, String.valueOf(discover));
      return this;
    }

    /**
     * @param loader the class loader providers and SQL migrations are loaded with (default
     *     Autopilot's own)
     * @return this builder
     */
    public Builder classLoader(ClassLoader loader) {
      this.classLoader = Objects.requireNonNull(loader, "loader");
      return this;
    }

    /**
     * Overrides a task's schedule, like {@code autopilot.task.NAME.schedule}.
     *
     * @param taskName the task
     * @param cron a 5-field cron expression, or {@code none} to stop it recurring
     * @return this builder
     */
    public Builder schedule(String taskName, String cron) {
      String key = "autopilot.task." + Objects.requireNonNull(taskName, "taskName") + ".schedule";
      Objects.requireNonNull(cron, "cron");
      if (!cron.equalsIgnoreCase("none")) {
        try {
          dev.autopilot.internal.Cron.parse(cron);
        } catch (IllegalArgumentException e) {
          throw new ConfigurationException(key, cron, "invalid cron expression: " + e.getMessage());
        }
      }
      explicit.put(key, cron);
      return this;
    }

    /**
     * Enables or disables (pauses) a task, like {@code autopilot.task.NAME.enabled}.
     *
     * @param taskName the task
     * @param enabled false to pause it
     * @return this builder
     */
    public Builder enabled(String taskName, boolean enabled) {
      explicit.put("autopilot.task." + Objects.requireNonNull(taskName, "taskName") + ".enabled", String.valueOf(enabled));
      return this;
    }

    /**
     * Sets one configuration key.
     *
     * @param key a key starting with {@code autopilot.}
     * @param value its value
     * @return this builder
     */
    public Builder property(String key, String value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
      if (!key.startsWith(Settings.PREFIX)) {
        throw new ConfigurationException(key, value, "configuration keys start with 'autopilot.'");
      }
      properties.put(key, value);
      return this;
    }

    /**
     * Takes every {@code autopilot.*} key of these properties; other keys are ignored.
     *
     * @param props properties, for example loaded from the host's configuration file
     * @return this builder
     */
    public Builder properties(Properties props) {
      props.stringPropertyNames().stream().filter(k -> k.startsWith(Settings.PREFIX))
          .forEach(k -> properties.put(k, props.getProperty(k)));
      return this;
    }

    /**
     * @param env the environment to read {@code AUTOPILOT_*} variables from (default the
     *     process environment; pass an empty map to ignore it)
     * @return this builder
     */
    public Builder environment(Map<String, String> env) {
      this.environment = Map.copyOf(env);
      return this;
    }

    /**
     * The database pg_cron lives in ({@code cron.database_name}) when it is not the application's
     * and cannot be reached by swapping the database name in the application's JDBC URL (other
     * host, other credentials). Without this, Autopilot uses {@code autopilot.pg-cron.url} (plus
     * {@code autopilot.pg-cron.user} / {@code .password}) when set, else the application's
     * DataSource when pg_cron lives in the application's database, else the application's URL and
     * user with the database replaced (password from {@code autopilot.pg-cron.password} or
     * ~/.pgpass). {@code autopilot.pg-cron} = {@code auto} (default), {@code off} or
     * {@code required} decides whether pg_cron is used at all.
     *
     * @param cronDatabase connections to the cron database, as a role that may use
     *     {@code cron.schedule_in_database} (a superuser, so jobs run as the application's user)
     * @return this builder
     */
    public Builder pgCronDataSource(DataSource cronDatabase) {
      services.put(dev.autopilot.internal.pgcron.CronDataSource.class,
          new dev.autopilot.internal.pgcron.CronDataSource(Objects.requireNonNull(cronDatabase, "cronDatabase")));
      return this;
    }

    /**
     * Registers a service tasks can look up with {@link dev.autopilot.spi.TaskContext#service}.
     *
     * @param type the service type
     * @param service the implementation
     * @param <T> the service type
     * @return this builder
     */
    public <T> Builder service(Class<T> type, T service) {
      services.put(Objects.requireNonNull(type, "type"), Objects.requireNonNull(service, "service"));
      return this;
    }

    /**
     * Validates the configuration and assembles the task catalog.
     *
     * @return the Autopilot, not started
     * @throws ConfigurationException naming the setting and value when something is invalid
     */
    public Autopilot build() {
      Settings settings = new Settings(explicit, properties, environment);
      int threads = settings.getInt(Settings.THREADS, DEFAULT_THREADS, 1);
      Duration polling = settings.getDuration(Settings.POLLING_INTERVAL, DEFAULT_POLLING_INTERVAL, Duration.ofMillis(10));
      Duration heartbeat = settings.getDuration(Settings.HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_INTERVAL,
          Duration.ofMillis(500));
      int missedLimit = settings.getInt(Settings.MISSED_HEARTBEATS_LIMIT, DEFAULT_MISSED_HEARTBEATS_LIMIT, 2);
      String schema = Settings.validateSchema(settings.source(Settings.SCHEMA),
          settings.get(Settings.SCHEMA).orElse(DEFAULT_SCHEMA));
      ZoneId zone = settings.getZone(Settings.ZONE, ZoneOffset.UTC);
      String instance = settings.get(Settings.INSTANCE_NAME).orElseGet(Builder::defaultInstanceName);
      boolean discover = settings.getBoolean(Settings.DISCOVERY, true);
      Runtime.pollingStrategy(settings); // fails fast on a bad value
      settings.getBoolean("autopilot.notify.enabled", true);
      String prefix = "[" + instance + "] ";

      List<Pack> packs = Packs.discover(classLoader, prefix);
      Map<Class<?>, Object> offered = new LinkedHashMap<>(services);
      offered.putIfAbsent(CacheRegistry.class, new CacheRegistry());
      List<TaskCatalog.Contribution> all = new ArrayList<>();
      List<Function<Runtime, Extension>> extensions = new ArrayList<>();
      extensions.add(rt -> new PgCronEngine()); // decides the SQL engine, reconciles cron.job
      extensions.add(Bootstrap::new); // opens or joins the start-up wave in afterStart
      boolean builtIn = settings.getBoolean(Settings.BUILT_IN_TASKS, true);
      for (Pack pack : packs) {
        Pack.Context pc = new Pack.Context(settings, schema, dataSource, offered);
        pack.services(pc, offered);
        extensions.addAll(pack.extensions(pc).stream().map(x -> (Function<Runtime, Extension>) rt -> x).toList());
        if (builtIn) {
          pack.tasks(pc).forEach(t -> all.add(new TaskCatalog.Contribution(t, "pack " + pack.name())));
        }
      }
      Map<Class<?>, Object> svc = Collections.unmodifiableMap(offered);
      List<String> packNames = packs.stream().map(Pack::name).collect(Collectors.toList());
      extensions.add(rt -> new CatalogRecorder(packNames)); // last: records the engines the others decided
      all.addAll(tasks);
      for (TaskProvider p : providers) {
        p.tasks().forEach(t -> all.add(new TaskCatalog.Contribution(t, "provider " + p.name())));
      }
      if (discover) {
        all.addAll(discovered(prefix));
      } else {
        log.info("{}TaskProvider discovery is off", prefix);
      }
      TaskCatalog catalog = TaskCatalog.build(all, settings);
      Runtime rt = new Runtime(new Runtime.Config(dataSource, settings, catalog, schema, instance, threads, polling,
          heartbeat, missedLimit, zone, clock, svc, classLoader, Packs.migrationModules(packs), extensions));
      log.info("{}configured: schema={}, threads={}, polling-interval={}, heartbeat-interval={},"
          + " missed-heartbeats-limit={}, zone={}, packs={}, tasks={} ({} enabled), discovery={}", prefix, schema,
          threads, polling, heartbeat, missedLimit, zone,
          packs.stream().map(Pack::name).collect(Collectors.joining(",")), catalog.size(),
          catalog.entries().stream().filter(TaskCatalog.Entry::enabled).count(), discover);
      return new Autopilot(rt);
    }

    private List<TaskCatalog.Contribution> discovered(String prefix) {
      List<TaskCatalog.Contribution> out = new ArrayList<>();
      Iterator<TaskProvider> it = ServiceLoader.load(TaskProvider.class, classLoader).iterator();
      while (true) {
        TaskProvider p;
        try {
          if (!it.hasNext()) {
            break;
          }
          p = it.next();
        } catch (ServiceConfigurationError e) {
          log.error("{}a TaskProvider could not be loaded and is skipped: {}", prefix, e.getMessage());
          continue;
        }
        try {
          List<Task> provided = p.tasks();
          log.info("{}discovered TaskProvider {} with {} task(s)", prefix, p.name(), provided.size());
          provided.forEach(t -> out.add(new TaskCatalog.Contribution(t, "discovered provider " + p.name())));
        } catch (RuntimeException e) {
          log.error("{}TaskProvider {} failed and is skipped: {}", prefix, p.name(), e.toString());
        }
      }
      return out;
    }

    private static String defaultInstanceName() {
      String host;
      try {
        host = InetAddress.getLocalHost().getHostName();
      } catch (Exception e) {
        host = "localhost";
      }
      String pid = ManagementFactory.getRuntimeMXBean().getName().split("@")[0];
      return host + "-" + pid + "-" + INSTANCES.incrementAndGet();
    }
  }
}
