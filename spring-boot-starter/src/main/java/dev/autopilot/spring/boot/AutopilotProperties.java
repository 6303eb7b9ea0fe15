package dev.autopilot.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code autopilot.*} settings of a Spring Boot application. The typed ones below are set on
 * the builder explicitly; every other {@code autopilot.*} key of the Spring Environment (for
 * example {@code autopilot.bootstrap.wave-window}, {@code autopilot.pg-cron.url}, or the
 * per-task keys a task reads through {@code TaskConfig}) is passed through to {@code
 * Autopilot.Builder#property}. Unset values keep Autopilot's defaults.
 */
@ConfigurationProperties(prefix = "autopilot")
public class AutopilotProperties {

  /** Whether the starter builds and starts Autopilot at all. */
  private boolean enabled = true;

  /** db-scheduler executor threads (Autopilot's default: 4). */
  private Integer threads;

  /** How often db-scheduler looks for due executions (Autopilot's default: 5s). */
  private Duration pollingInterval;

  /** Schema of Autopilot's tables (Autopilot's default: autopilot). */
  private String schema;

  /** This instance's name in logs, job history and picked_by (default: host-pid-n). */
  private String instanceName;

  /** Zone of db-scheduler cron schedules (default: UTC; pg_cron 1.4 is always GMT). */
  private String zone;

  /** Whether TaskProviders are discovered with ServiceLoader (default: true). */
  private Boolean discovery;

  /** Whether the built-in task packs are registered (default: true). */
  private Boolean builtInTasks;

  /** Use of pg_cron: auto, off (owned jobs removed) or required (start fails without it). */
  private String pgCron;

  /** Per-task overrides, by task name: autopilot.task.NAME.schedule and .enabled. */
  private Map<String, TaskSettings> task = new LinkedHashMap<>();

  /** Per-pack switches, by pack name: autopilot.pack.NAME.enabled. */
  private Map<String, PackSettings> pack = new LinkedHashMap<>();

  /** Micrometer metrics (used when a MeterRegistry bean exists). */
  private Metrics metrics = new Metrics();

  /** @return whether the starter builds and starts Autopilot */
  public boolean isEnabled() {
    return enabled;
  }

  /** @param enabled whether the starter builds and starts Autopilot */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** @return db-scheduler executor threads, or null for the default */
  public Integer getThreads() {
    return threads;
  }

  /** @param threads db-scheduler executor threads */
  public void setThreads(Integer threads) {
    this.threads = threads;
  }

  /** @return the polling interval, or null for the default */
  public Duration getPollingInterval() {
    return pollingInterval;
  }

  /** @param pollingInterval how often db-scheduler looks for due executions */
  public void setPollingInterval(Duration pollingInterval) {
    this.pollingInterval = pollingInterval;
  }

  /** @return the schema, or null for the default */
  public String getSchema() {
    return schema;
  }

  /** @param schema the schema of Autopilot's tables */
  public void setSchema(String schema) {
    this.schema = schema;
  }

  /** @return the instance name, or null for the default */
  public String getInstanceName() {
    return instanceName;
  }

  /** @param instanceName this instance's name */
  public void setInstanceName(String instanceName) {
    this.instanceName = instanceName;
  }

  /** @return the zone id, or null for UTC */
  public String getZone() {
    return zone;
  }

  /** @param zone a zone id such as {@code Europe/Berlin} */
  public void setZone(String zone) {
    this.zone = zone;
  }

  /** @return whether providers are discovered, or null for the default */
  public Boolean getDiscovery() {
    return discovery;
  }

  /** @param discovery whether TaskProviders are discovered with ServiceLoader */
  public void setDiscovery(Boolean discovery) {
    this.discovery = discovery;
  }

  /** @return whether the built-in packs are registered, or null for the default */
  public Boolean getBuiltInTasks() {
    return builtInTasks;
  }

  /** @param builtInTasks whether the built-in task packs are registered */
  public void setBuiltInTasks(Boolean builtInTasks) {
    this.builtInTasks = builtInTasks;
  }

  /** @return auto, off or required, or null for auto */
  public String getPgCron() {
    return pgCron;
  }

  /** @param pgCron auto, off or required */
  public void setPgCron(String pgCron) {
    this.pgCron = pgCron;
  }

  /** @return per-task overrides by task name */
  public Map<String, TaskSettings> getTask() {
    return task;
  }

  /** @param task per-task overrides by task name */
  public void setTask(Map<String, TaskSettings> task) {
    this.task = task;
  }

  /** @return per-pack switches by pack name */
  public Map<String, PackSettings> getPack() {
    return pack;
  }

  /** @param pack per-pack switches by pack name */
  public void setPack(Map<String, PackSettings> pack) {
    this.pack = pack;
  }

  /** @return the metrics settings */
  public Metrics getMetrics() {
    return metrics;
  }

  /** @param metrics the metrics settings */
  public void setMetrics(Metrics metrics) {
    this.metrics = metrics;
  }

  /** One task's overrides. */
  public static class TaskSettings {
    /** Cron schedule (5 fields, a macro, '@every 10s'), or 'none' to stop it recurring. */
    private String schedule;

    /** False pauses the task. */
    private Boolean enabled;

    /** @return the schedule override, or null */
    public String getSchedule() {
      return schedule;
    }

    /** @param schedule a cron schedule or {@code none} */
    public void setSchedule(String schedule) {
      this.schedule = schedule;
    }

    /** @return the enabled override, or null */
    public Boolean getEnabled() {
      return enabled;
    }

    /** @param enabled false to pause the task */
    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** One pack's switch. */
  public static class PackSettings {
    /** False pauses every task of the pack. */
    private Boolean enabled;

    /** @return the enabled override, or null */
    public Boolean getEnabled() {
      return enabled;
    }

    /** @param enabled false to pause every task of the pack */
    public void setEnabled(Boolean enabled) {
      this.enabled = enabled;
    }
  }

  /** Micrometer metrics settings. */
  public static class Metrics {
    /** Whether Autopilot's meters are bound to the application's MeterRegistry. */
    private boolean enabled = true;

    /** How often new job history is read. */
    private Duration interval = Duration.ofSeconds(5);

    /** How old the backlog, lag and running gauges' snapshot may get before a read queries again. */
    private Duration gaugeCache = Duration.ofSeconds(2);

    /** @return whether the meters are bound */
    public boolean isEnabled() {
      return enabled;
    }

    /** @param enabled whether the meters are bound */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /** @return how often new job history is read */
    public Duration getInterval() {
      return interval;
    }

    /** @param interval how often new job history is read */
    public void setInterval(Duration interval) {
      this.interval = interval;
    }

    /** @return the gauges' cache period */
    public Duration getGaugeCache() {
      return gaugeCache;
    }

    /** @param gaugeCache the gauges' cache period */
    public void setGaugeCache(Duration gaugeCache) {
      this.gaugeCache = gaugeCache;
    }
  }
}
