package dev.autopilot.internal;

import dev.autopilot.ConfigurationException;
import dev.autopilot.UnknownTaskException;
import dev.autopilot.spi.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The immutable, validated set of tasks of one Autopilot: built-in packs, provider tasks and
 * explicit tasks, with configuration overrides ({@code autopilot.task.NAME.schedule}, {@code
 * .enabled}, {@code autopilot.pack.NAME.enabled}) applied.
 */
public final class TaskCatalog {

  /** One task as configured. {@code cron} is null when the task does not recur. */
  public record Entry(Task task, boolean enabled, Cron cron, String source) {
    public String name() {
      return task.name();
    }
  }

  /** A task with where it came from, for duplicate messages. */
  public record Contribution(Task task, String source) {}

  private final Map<String, Entry> entries;

  private TaskCatalog(Map<String, Entry> entries) {
    this.entries = Collections.unmodifiableMap(entries);
  }

  public static TaskCatalog build(Collection<Contribution> contributions, Settings settings) {
    Map<String, Contribution> byName = new LinkedHashMap<>();
    for (Contribution c : contributions) {
      Contribution prev = byName.putIfAbsent(c.task().name(), c);
      if (prev != null) {
        throw new ConfigurationException("task name", c.task().name(),
            "registered twice: by " + prev.source() + " and by " + c.source());
      }
    }
    checkOverridesNameKnownTasks(byName.keySet(), settings);
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (Contribution c : byName.values()) {
      Task t = c.task();
      String scheduleKey = "autopilot.task." + t.name() + ".schedule";
      Optional<String> override = settings.get(scheduleKey);
      if (override.isPresent()) {
        String v = override.get();
        boolean none = v.isEmpty() || v.equalsIgnoreCase("none") || v.equalsIgnoreCase("manual");
        t = t.withTrigger(t.trigger().withCron(none ? null : v));
      }
      Cron cron = null;
      if (t.trigger().cronExpression().isPresent()) {
        String expr = t.trigger().cronExpression().get();
        try {
          cron = Cron.parse(expr);
        } catch (IllegalArgumentException e) {
          String setting = override.isPresent() ? settings.source(scheduleKey) : "schedule of task " + t.name();
          throw new ConfigurationException(setting, expr, "invalid cron expression: " + e.getMessage());
        }
      }
      boolean packEnabled = settings.getBoolean("autopilot.pack." + t.pack() + ".enabled", true);
      boolean enabled = settings.getBoolean("autopilot.task." + t.name() + ".enabled", packEnabled);
      entries.put(t.name(), new Entry(t, enabled, cron, c.source()));
    }
    return new TaskCatalog(entries);
  }

  private static void checkOverridesNameKnownTasks(Collection<String> names, Settings settings) {
    for (String key : settings.propertyKeys().keySet()) {
      if (key.startsWith("autopilot.task.") && (key.endsWith(".schedule") || key.endsWith(".enabled"))) {
        String name = key.substring("autopilot.task.".length(), key.lastIndexOf('.'));
        if (!names.contains(name)) {
          throw new ConfigurationException(key, settings.propertyKeys().get(key),
              "no task named '" + name + "' (known: " + String.join(", ", names) + ")");
        }
      }
    }
    List<String> normalized = new ArrayList<>();
    names.forEach(n -> normalized.add(Settings.normalize(n)));
    for (String env : settings.environmentKeys().keySet()) {
      if (env.startsWith("autopilot_task_") && (env.endsWith("_schedule") || env.endsWith("_enabled"))) {
        String name = env.substring("autopilot_task_".length(), env.lastIndexOf('_'));
        if (!normalized.contains(name)) {
          throw new ConfigurationException(env.toUpperCase(java.util.Locale.ROOT), settings.environmentKeys().get(env),
              "no task named like '" + name + "'");
        }
      }
    }
  }

  public Collection<Entry> entries() {
    return entries.values();
  }

  public Optional<Entry> find(String name) {
    return Optional.ofNullable(entries.get(name));
  }

  public Entry get(String name) {
    Entry e = entries.get(name);
    if (e == null) {
      throw new UnknownTaskException(name);
    }
    return e;
  }

  public int size() {
    return entries.size();
  }
}
