package dev.autopilot.internal.sqltasks;

import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.spi.Durations;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The 18 SQL tasks of TASKS.md. Each command is a single statement with {@code ${schema}} for the
 * quoted schema, so pg_cron and db-scheduler run the very same text.
 *
 * <p>Procedure parameters (retention, batch size, ...) are configurable per task as {@code
 * autopilot.task.NAME.KEY}; the keys are listed with each task below and inlined into the
 * command as named arguments, so they reach pg_cron too. Unset keys keep the procedure's default.
 *
 * <p>{@code reindex-bloated-indexes} is the one Java task of the pack: {@code REINDEX ...
 * CONCURRENTLY} cannot run inside a procedure or a pg_cron command built of more than one
 * statement, see {@link ReindexBloatedIndexes}.
 */
public final class SqlTasksPack implements Pack {

  public static final String NAME = "sql";

  private enum Type { INTERVAL, INT, DOUBLE }

  private record Param(String key, String arg, Type type) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Task> tasks(Context context) {
    Settings s = context.settings();
    List<Task> out = new ArrayList<>();
    out.add(call(s, "task-assignment", "*/2 * * * *", "task_assignment",
        "Assigns pending agent tasks to idle capable agents (SKIP LOCKED); requeues stale assignments",
        new Param("stale-after", "p_stale", Type.INTERVAL), new Param("max-attempts", "p_max_attempts", Type.INT),
        new Param("limit", "p_limit", Type.INT)));
    out.add(call(s, "pattern-learning", "*/5 * * * *", "pattern_learning",
        "Folds new pattern observations into learned patterns (Wilson lower bound confidence)"));
    out.add(call(s, "centralcloud-sync", "*/10 * * * *", "centralcloud_sync",
        "Pushes changed learned patterns to the fleet hub through postgres_fdw; skipped without a hub",
        new Param("batch-size", "p_batch", Type.INT)));
    out.add(call(s, "cache-cleanup-expired", "*/15 * * * *", "cache_cleanup_expired",
        "Deletes expired package cache rows in committed batches",
        new Param("batch-size", "p_batch", Type.INT)));
    out.add(call(s, "metrics-refresh", "*/30 * * * *", "metrics_refresh",
        "Refreshes the task and agent performance views concurrently"));
    out.add(call(s, "cache-refresh-hot-packages", "0 * * * *", "cache_refresh_hot_packages",
        "Refreshes the hot_packages view concurrently"));
    out.add(call(s, "table-statistics", "0 */6 * * *", "table_statistics",
        "Snapshots table statistics and analyzes tables changed by more than 10%",
        new Param("analyze-ratio", "p_ratio", Type.DOUBLE), new Param("analyze-min-changes", "p_min_changes", Type.INT)));
    out.add(call(s, "cache-prewarm-hot-packages", "0 */6 * * *", "cache_prewarm_hot_packages",
        "Puts every hot package into the package cache",
        new Param("ttl", "p_ttl", Type.INTERVAL)));
    out.add(call(s, "pagerank-recalculation", "0 3 * * *", "pagerank_recalculation",
        "PageRank of the code dependency graph into graph_nodes.pagerank",
        new Param("damping", "p_damping", Type.DOUBLE), new Param("tolerance", "p_tol", Type.DOUBLE),
        new Param("max-iterations", "p_max_iter", Type.INT)));
    out.add(task("daily-vacuum-analyze", "0 23 * * *", vacuumCommand(),
        "VACUUM (ANALYZE) of Autopilot's tables, one statement"));
    out.add(call(s, "cleanup-job-history", "0 0 * * 0", "cleanup_job_history",
        "Deletes old job history and old cron.job_run_details",
        new Param("succeeded-retention", "p_succeeded", Type.INTERVAL),
        new Param("failed-retention", "p_failed", Type.INTERVAL),
        new Param("cron-details-retention", "p_cron_details", Type.INTERVAL)));
    out.add(call(s, "cleanup-artifacts", "0 1 * * 0", "cleanup_artifacts",
        "Deletes expired or old unpinned artifacts",
        new Param("max-age", "p_max_age", Type.INTERVAL)));
    out.add(call(s, "cleanup-code-chunks", "0 2 * * 0", "cleanup_code_chunks",
        "Deletes chunks of deleted files and superseded chunks with their embeddings"));
    out.add(ReindexBloatedIndexes.task(NAME));
    out.add(call(s, "vector-stats-refresh", "0 4 * * 0", "vector_stats_refresh",
        "Analyzes embeddings and records vector statistics per model"));
    out.add(Task.sql("graph-populate", "CALL ${schema}.graph_populate()")
        .trigger(Trigger.cron("0 7 * * 0").andAtStartup(80)).pack(NAME)
        .description("Fills dependency arrays and degrees of graph nodes in one set-based pass").build());
    out.add(call(s, "backup-archival", "0 5 * * 0", "backup_archival",
        "First Sunday of the month: pins the newest verified daily backup, archives old catalog rows",
        new Param("retention", "p_retention", Type.INTERVAL)));
    out.add(Task.sql("planning-seed", planningSeedCommand(s)).trigger(Trigger.startup(90)).pack(NAME)
        .description("Seeds the work-plan roadmap and its agent tasks, idempotently").build());
    return out;
  }

  private static Task task(String name, String cron, String sql, String description) {
    return Task.sql(name, sql).cron(cron).pack(NAME).description(description).build();
  }

  private static Task call(Settings s, String name, String cron, String procedure, String description, Param... params) {
    List<String> args = new ArrayList<>();
    for (Param p : params) {
      String key = "autopilot.task." + name + "." + p.key();
      s.get(key).ifPresent(v -> args.add(p.arg() + " => " + literal(s.source(key), v, p.type())));
    }
    return task(name, cron, "CALL ${schema}." + procedure + "(" + String.join(", ", args) + ")", description);
  }

  private static String literal(String setting, String value, Type type) {
    try {
      switch (type) {
        case INTERVAL:
          return "'" + Durations.parse(setting, value).toMillis() + " milliseconds'::interval";
        case INT:
          return Integer.toString(Integer.parseInt(value.trim()));
        default:
          double d = Double.parseDouble(value.trim());
          if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException("not finite");
          }
          return Double.toString(d);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(setting, value, "expected " + (type == Type.INTERVAL
          ? "a duration such as 14d, 30m or PT1H" : type == Type.INT ? "an integer" : "a number"));
    }
  }

  /**
   * {@code VACUUM (ANALYZE)} of every table and materialized view in Autopilot's schema, one
   * statement: the list ({@code ${schema_tables}}) is read from the catalog when the statement is
   * placed in pg_cron (at start, after migrations) or run by db-scheduler, so tables added by later
   * migrations are covered.
   */
  static String vacuumCommand() {
    return "VACUUM (ANALYZE) " + dev.autopilot.internal.Runtime.SCHEMA_TABLES;
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
