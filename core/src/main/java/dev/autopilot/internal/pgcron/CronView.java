package dev.autopilot.internal.pgcron;

import dev.autopilot.PgCronStatus;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Runtime;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads {@code cron.job} and {@code cron.job_run_details} for this database, read-only. */
public final class CronView {
  private CronView() {}

  /**
   * @param rt the runtime (started or attached)
   * @param runLimit how many of the newest runs
   * @return what pg_cron holds for the application's database, or why it cannot be read
   */
  public static PgCronStatus read(Runtime rt, int runLimit) {
    Probe.App app;
    try {
      app = rt.jdbc().withConnection(Probe::app);
    } catch (RuntimeException e) {
      return PgCronStatus.unavailable(null, e.getMessage());
    }
    if (app.cronDatabase() == null) {
      return PgCronStatus.unavailable(null, "pg_cron is not preloaded (shared_preload_libraries has no pg_cron)");
    }
    String prefix = Reconciler.prefix(rt.schema(), app.database());
    Map<String, String> tasks = new HashMap<>();
    rt.catalog().entries().forEach(e -> tasks.put(Reconciler.jobName(prefix, e.name()), e.name()));
    try (Connection c = new CronConnector(rt, app).connect()) {
      Map<Long, String> taskOfJob = new HashMap<>();
      List<PgCronStatus.Job> jobs = Jdbc.query(c, "SELECT jobid, jobname, schedule, command, database, username, active"
          + " FROM cron.job WHERE database = ? ORDER BY jobname NULLS LAST, jobid", ps -> ps.setString(1, app.database()),
          rs -> {
            String task = task(tasks, prefix, rs.getString(2));
            taskOfJob.put(rs.getLong(1), task);
            return new PgCronStatus.Job(rs.getLong(1), rs.getString(2), task, rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getBoolean(7));
          });
      List<PgCronStatus.Run> runs = Jdbc.query(c, "SELECT runid, jobid, status, return_message, start_time, end_time"
          + " FROM cron.job_run_details WHERE jobid = ANY (?) ORDER BY runid DESC LIMIT ?", ps -> {
            ps.setArray(1, ps.getConnection().createArrayOf("bigint", taskOfJob.keySet().toArray()));
            ps.setInt(2, Math.max(1, runLimit));
          }, rs -> new PgCronStatus.Run(rs.getLong(1), rs.getLong(2), taskOfJob.get(rs.getLong(2)), rs.getString(3),
              rs.getString(4), instant(rs, 5), instant(rs, 6)));
      return new PgCronStatus(true, app.cronDatabase(), null, jobs, runs);
    } catch (SQLException | RuntimeException e) {
      return PgCronStatus.unavailable(app.cronDatabase(), "cannot read pg_cron's tables in database "
          + app.cronDatabase() + ": " + e.getMessage());
    }
  }

  private static String task(Map<String, String> tasks, String prefix, String jobName) {
    if (jobName == null || !jobName.startsWith(prefix)) {
      return null;
    }
    String known = tasks.get(jobName);
    return known != null ? known : jobName.substring(prefix.length());
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }
}
