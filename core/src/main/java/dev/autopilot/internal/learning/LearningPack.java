package dev.autopilot.internal.learning;

import dev.autopilot.internal.Pack;
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
            .description("Clears the in-memory caches registered in the CacheRegistry").build());
  }
}
