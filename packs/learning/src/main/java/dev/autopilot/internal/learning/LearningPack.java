package dev.autopilot.internal.learning;

import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Extension;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.sqltasks.SqlTasks;
import dev.autopilot.learning.PatternCache;
import dev.autopilot.spi.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import dev.autopilot.spi.Task;
import java.util.List;

/**
 * The {@code learning} pack: metrics-aggregation, pattern-sync, feedback-analysis,
 * agent-evolution, and code-analysis-cache-clear (the caches of code analysis, registered in the
 * {@link dev.autopilot.spi.CacheRegistry}).
 */
public final class LearningPack implements Pack {

  public static final String NAME = "learning";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Task> tasks(Context context) {
    Settings s = context.settings();
    return List.of(
        Task.java("metrics-aggregation", new MetricsAggregation()).cron("*/5 * * * *").pack(NAME)
            .description("Telemetry and job history into 5-minute rollups per task and agent").build(),
        Task.java("pattern-sync", new PatternSync()).cron("*/5 * * * *").pack(NAME)
            .description("Learned patterns into the in-process PatternCache, change events, JSON export").build(),
        Task.java("feedback-analysis", new FeedbackAnalysis()).cron("*/30 * * * *").pack(NAME)
            .description("Failure rate, p95 slowdown and agent success from rollups into feedback").build(),
        Task.java("agent-evolution", new AgentEvolution()).cron("0 * * * *").pack(NAME)
            .description("Applies open agent feedback as new agent versions; rolls back changes that made things worse")
            .build(),
        Task.java("code-analysis-cache-clear", new CacheClear()).cron("0 3 * * *").pack(NAME)
            .description("Clears the in-memory caches registered in the CacheRegistry").build(),
        SqlTasks.call(s, NAME, "task-assignment", "*/2 * * * *", "task_assignment",
            "Assigns pending agent tasks to idle capable agents (SKIP LOCKED); requeues stale assignments",
            new SqlTasks.Param("stale-after", "p_stale", SqlTasks.Type.INTERVAL),
            new SqlTasks.Param("max-attempts", "p_max_attempts", SqlTasks.Type.INT),
            new SqlTasks.Param("limit", "p_limit", SqlTasks.Type.INT)),
        SqlTasks.call(s, NAME, "pattern-learning", "*/5 * * * *", "pattern_learning",
            "Folds new pattern observations into learned patterns (Wilson lower bound confidence)"),
        SqlTasks.call(s, NAME, "centralcloud-sync", "*/10 * * * *", "centralcloud_sync",
            "Pushes changed learned patterns to the fleet hub through postgres_fdw; skipped without a hub",
            new SqlTasks.Param("batch-size", "p_batch", SqlTasks.Type.INT)),
        SqlTasks.call(s, NAME, "metrics-refresh", "*/30 * * * *", "metrics_refresh",
            "Refreshes the task and agent performance views concurrently"),
        Task.sql("planning-seed", planningSeedCommand(s)).trigger(Trigger.startup(90)).pack(NAME)
            .description("Seeds the work-plan roadmap and its agent tasks, idempotently").build());
  }

  @Override
  public void services(Context context, Map<Class<?>, Object> services) {
    services.putIfAbsent(PatternCache.class, new InMemoryPatternCache());
  }

  @Override
  public List<Extension> extensions(Context context) {
    return List.of(new PatternListener());
  }

  /** The bundled roadmap, or the host's JSON array from {@code autopilot.task.planning-seed.roadmap}. */
  static String planningSeedCommand(Settings s) {
    String key = "autopilot.task.planning-seed.roadmap";
    Optional<String> file = s.get(key);
    if (file.isEmpty() || file.get().isBlank()) {
      return "CALL ${schema}.planning_seed()";
    }
    String json;
    try {
      json = Files.readString(Path.of(file.get().trim()), StandardCharsets.UTF_8);
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(s.source(key), file.get(), "cannot read the roadmap file: " + e);
    }
    if (!json.trim().startsWith("[")) {
      throw new ConfigurationException(s.source(key), file.get(), "the roadmap must be a JSON array of"
          + " {key, phase, title, description, capabilities, priority}");
    }
    String tag = "$roadmap$";
    if (json.contains(tag) || json.contains("${schema}")) {
      throw new ConfigurationException(s.source(key), file.get(), "the roadmap must not contain '" + tag + "' or '${schema}'");
    }
    return "CALL ${schema}.planning_seed(" + tag + json.trim() + tag + "::jsonb)";
  }
}
