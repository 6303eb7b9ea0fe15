package dev.autopilot.internal.backup;

import dev.autopilot.internal.Pack;
import dev.autopilot.internal.sqltasks.SqlTasks;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import java.time.Duration;
import java.util.List;

/**
 * The {@code backup} pack: hourly and daily {@code pg_dump} backups and a manual one ({@code
 * autopilot.trigger("database-backup-manual")}). See {@link BackupTask} for the settings.
 */
public final class BackupPack implements Pack {

  public static final String NAME = "backup";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Task> tasks(Context context) {
    RetryPolicy retry = RetryPolicy.exponential(3, Duration.ofMinutes(2));
    return List.of(
        Task.java("database-backup-hourly", new BackupTask("hourly", 6)).cron("0 * * * *").retry(retry).pack(NAME)
            .description("pg_dump -Fc into the backup directory, verified; keeps the newest 6 hourly").build(),
        Task.java("database-backup-daily", new BackupTask("daily", 7)).cron("0 1 * * *").retry(retry).pack(NAME)
            .description("pg_dump -Fc into the backup directory, verified; keeps the newest 7 daily").build(),
        Task.java("database-backup-manual", new BackupTask("manual", 10)).retry(RetryPolicy.none()).pack(NAME)
            .description("An on-demand verified backup (trigger it); keeps the newest 10 manual").build(),
        SqlTasks.call(context.settings(), NAME, "backup-archival", "0 5 * * 0", "backup_archival",
            "First Sunday of the month: pins the newest verified daily backup, archives old catalog rows",
            new SqlTasks.Param("retention", "p_retention", SqlTasks.Type.INTERVAL)));
  }
}
