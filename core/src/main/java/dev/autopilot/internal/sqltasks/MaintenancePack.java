package dev.autopilot.internal.sqltasks;

import dev.autopilot.internal.Migrator;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.spi.Task;
import java.util.List;

/**
 * Core's own pack, {@code maintenance}: the generic database-maintenance tasks every host gets
 * (TASKS.md): {@code table-statistics}, {@code daily-vacuum-analyze}, {@code cleanup-job-history}
 * and {@code reindex-bloated-indexes}. The first three are pure SQL (pg_cron where usable);
 * {@code reindex-bloated-indexes} is a Java task, see {@link ReindexBloatedIndexes}.
 */
public final class MaintenancePack implements Pack {

  public static final String NAME = "maintenance";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String migrations() {
    return Migrator.CORE;
  }

  @Override
  public List<Task> tasks(Context context) {
    Settings s = context.settings();
    return List.of(
        SqlTasks.call(s, NAME, "table-statistics", "0 */6 * * *", "table_statistics",
            "Snapshots table statistics and analyzes tables changed by more than 10%",
            new SqlTasks.Param("analyze-ratio", "p_ratio", SqlTasks.Type.DOUBLE),
            new SqlTasks.Param("analyze-min-changes", "p_min_changes", SqlTasks.Type.INT)),
        SqlTasks.task(NAME, "daily-vacuum-analyze", "0 23 * * *", vacuumCommand(),
            "VACUUM (ANALYZE) of Autopilot's tables, one statement"),
        SqlTasks.call(s, NAME, "cleanup-job-history", "0 0 * * 0", "cleanup_job_history",
            "Deletes old job history and old cron.job_run_details",
            new SqlTasks.Param("succeeded-retention", "p_succeeded", SqlTasks.Type.INTERVAL),
            new SqlTasks.Param("failed-retention", "p_failed", SqlTasks.Type.INTERVAL),
            new SqlTasks.Param("cron-details-retention", "p_cron_details", SqlTasks.Type.INTERVAL)),
        ReindexBloatedIndexes.task(NAME));
  }

  /**
   * {@code VACUUM (ANALYZE)} of every table and materialized view in Autopilot's schema, one
   * statement: the list ({@code ${schema_tables}}) is read from the catalog when the statement is
   * placed in pg_cron (at start, after migrations) or run by db-scheduler, so tables added by later
   * migrations and by packs are covered.
   */
  static String vacuumCommand() {
    return "VACUUM (ANALYZE) " + dev.autopilot.internal.Runtime.SCHEMA_TABLES;
  }
}
