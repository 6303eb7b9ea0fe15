package dev.autopilot.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** pg_cron's jobs for this database and their recent runs, read in pg_cron's database. */
@Command(name = "cron", description = "pg_cron's jobs for this database (cron.job) and their recent runs")
final class CronCommand extends BaseCommand {

  @Option(names = "--all", description = "every database's jobs, not only this one's")
  boolean all;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N runs (default 20)")
  int limit;

  @Override
  int execute() {
    if (limit < 1 || limit > 10_000) {
      throw new UsageException("--limit must be between 1 and 10000, was " + limit);
    }
    String appDb;
    String cronDb;
    try (Connection c = connect.dataSource().getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('cron.database_name', true)")) {
      rs.next();
      appDb = rs.getString(1);
      cronDb = rs.getString(2);
    } catch (SQLException e) {
      throw new Failure("cannot read settings: " + AutopilotCli.firstLine(e.getMessage()));
    }
    if (cronDb == null || cronDb.isEmpty()) {
      throw new Failure("pg_cron is not loaded in this server (shared_preload_libraries):"
          + " Autopilot runs its SQL tasks on db-scheduler here");
    }
    DataSource cron = connect.dataSource(cronDb);
    List<Map<String, Object>> jobs;
    List<Map<String, Object>> runs;
    try (Connection c = cron.getConnection()) {
      String where = all ? "" : " WHERE j.database = ?";
      jobs = Rows.query(c, "SELECT j.jobid, j.jobname, j.schedule, j.database, j.username, j.active, j.command"
          + " FROM cron.job j" + where + " ORDER BY j.jobname NULLS LAST, j.jobid", all ? null : appDb);
      runs = Rows.query(c, "SELECT d.runid, d.jobid, j.jobname, d.status, d.start_time, d.end_time, d.return_message"
          + " FROM cron.job_run_details d JOIN cron.job j USING (jobid)" + where
          + " ORDER BY d.start_time DESC NULLS LAST, d.runid DESC LIMIT " + limit, all ? null : appDb);
    } catch (SQLException e) {
      throw new Failure("cannot read pg_cron's tables in database " + cronDb + ": "
          + AutopilotCli.firstLine(e.getMessage()));
    }
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cronDatabase", cronDb);
      m.put("database", all ? null : appDb);
      m.put("jobs", jobs);
      m.put("runs", runs);
      printJson(m);
      return 0;
    }
    ctx.out.println("pg_cron in database " + cronDb + "; jobs " + (all ? "of every database" : "running in " + appDb) + ":");
    Rows.print(ctx.out, jobs, List.of("jobid", "jobname", "schedule", "database", "active", "command"));
    ctx.out.println();
    ctx.out.println("recent runs (newest first):");
    Rows.print(ctx.out, runs, List.of("runid", "jobname", "status", "start_time", "end_time", "return_message"));
    return 0;
  }
}
