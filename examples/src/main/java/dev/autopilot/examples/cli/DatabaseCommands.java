package dev.autopilot.examples.cli;

import dev.autopilot.examples.Console;
import dev.autopilot.examples.EmbeddedDb;
import java.io.PrintStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code cron}, {@code backups} and {@code db}: plain SQL on the tables, and the embedded cluster. */
final class DatabaseCommands {

  static final String CRON_USAGE = "usage: autopilot cron [--all] [--limit N] [--json]"
      + "   (--all: every database's jobs, not only this one's)";
  static final String BACKUPS_USAGE = "usage: autopilot backups [--limit N] [--json]";
  static final String DB_USAGE = "usage: autopilot db start|stop|url|status";

  private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");

  private final AutopilotCli cli;
  private final PrintStream out;

  DatabaseCommands(AutopilotCli cli) {
    this.cli = cli;
    this.out = cli.out();
  }

  int run(String command, Args args) {
    if (command.equals("cron")) {
      args.allow(command, Set.of("--all", "--limit"), CRON_USAGE);
      noArguments(args, CRON_USAGE);
      return cron(args.flag("--all"), args.intOption("--limit", 20, 1, 10_000, CRON_USAGE));
    }
    args.allow(command, Set.of("--limit"), BACKUPS_USAGE);
    noArguments(args, BACKUPS_USAGE);
    return backups(args.intOption("--limit", 20, 1, 10_000, BACKUPS_USAGE));
  }

  private static void noArguments(Args args, String usage) {
    if (args.positional.size() > 1) {
      throw new UsageException("unexpected argument '" + args.positional.get(1) + "'", usage);
    }
  }

  private int cron(boolean all, int limit) {
    String url = cli.jdbcUrl();
    String appDb;
    String cronDb;
    try (Connection c = cli.connect(url);
         ResultSet rs = c.createStatement().executeQuery(
             "SELECT current_database(), current_setting('cron.database_name', true)")) {
      rs.next();
      appDb = rs.getString(1);
      cronDb = rs.getString(2);
    } catch (SQLException e) {
      throw new AutopilotCli.Failure("cannot read settings: " + AutopilotCli.firstLine(e.getMessage()));
    }
    if (cronDb == null || cronDb.isEmpty()) {
      throw new AutopilotCli.Failure("pg_cron is not loaded in this server (shared_preload_libraries):"
          + " Autopilot runs its SQL tasks on db-scheduler here");
    }
    List<Map<String, Object>> jobs;
    List<Map<String, Object>> runs;
    try (Connection c = cli.connect(withDatabase(url, cronDb))) {
      String where = all ? "" : " WHERE j.database = ?";
      jobs = rows(c, "SELECT j.jobid, j.jobname, j.schedule, j.database, j.username, j.active, j.command"
          + " FROM cron.job j" + where + " ORDER BY j.jobname NULLS LAST, j.jobid", all ? null : appDb, 100_000);
      runs = rows(c, "SELECT d.runid, d.jobid, j.jobname, d.status, d.start_time, d.end_time, d.return_message"
          + " FROM cron.job_run_details d JOIN cron.job j USING (jobid)" + where
          + " ORDER BY d.start_time DESC NULLS LAST, d.runid DESC LIMIT " + limit, all ? null : appDb, limit);
    } catch (SQLException e) {
      throw new AutopilotCli.Failure("cannot read pg_cron's tables in database " + cronDb + ": "
          + AutopilotCli.firstLine(e.getMessage()));
    }
    if (cli.json()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("cronDatabase", cronDb);
      m.put("database", all ? null : appDb);
      m.put("jobs", jobs);
      m.put("runs", runs);
      out.println(Json.write(m));
      return 0;
    }
    out.println("pg_cron in database " + cronDb + "; jobs " + (all ? "of every database" : "running in " + appDb) + ":");
    print(jobs, List.of("jobid", "jobname", "schedule", "database", "active", "command"));
    out.println();
    out.println("recent runs (newest first):");
    print(runs, List.of("runid", "jobname", "status", "start_time", "end_time", "return_message"));
    return 0;
  }

  private int backups(int limit) {
    String url = cli.jdbcUrl();
    String schema = schema();
    List<Map<String, Object>> rows;
    try (Connection c = cli.connect(url)) {
      rows = rows(c, "SELECT id, kind, status, file_path, size_bytes, sha256, started_at, finished_at, duration_ms,"
          + " archived, error FROM \"" + schema.replace("\"", "\"\"") + "\".backups ORDER BY started_at DESC, id DESC LIMIT "
          + limit, null, limit);
    } catch (SQLException e) {
      if ("42P01".equals(e.getSQLState())) {
        throw new UsageException("no table " + schema + ".backups in this database (is it an Autopilot database?"
            + " --schema names another schema)");
      }
      throw new AutopilotCli.Failure("cannot read backups: " + AutopilotCli.firstLine(e.getMessage()));
    }
    if (cli.json()) {
      out.println(Json.write(rows));
      return 0;
    }
    print(rows, List.of("id", "kind", "status", "started_at", "duration_ms", "size_bytes", "archived", "file_path", "error"));
    return 0;
  }

  private String schema() {
    String s = cli.schemaOption();
    return s == null ? dev.autopilot.Autopilot.DEFAULT_SCHEMA : s;
  }

  int db(Args args) {
    args.allow("db", Set.of(), DB_USAGE);
    if (args.option("--jdbc-url") != null) {
      throw new UsageException("'db' manages the embedded database; --jdbc-url does not apply", DB_USAGE);
    }
    if (args.positional.size() != 2) {
      throw new UsageException(args.positional.size() < 2 ? "missing argument" : "unexpected argument '"
          + args.positional.get(2) + "'", DB_USAGE);
    }
    EmbeddedDb db = new EmbeddedDb(cli.home());
    switch (args.positional.get(1)) {
      case "start":
        boolean started = db.start();
        out.println((started ? "started" : "already running") + ": " + db.jdbcUrl());
        out.println("data: " + db.dataDirectory());
        return 0;
      case "stop":
        out.println(db.stop() ? "stopped (data kept in " + db.dataDirectory() + ")" : "not running");
        return 0;
      case "url":
        if (db.rememberedPort() == 0) {
          throw new UsageException("the embedded database was never started here (./autopilot db start)");
        }
        out.println(db.jdbcUrl());
        if (!db.isRunning()) {
          cli.err().println("(not running now: ./autopilot db start)");
        }
        return 0;
      case "status":
        boolean running = db.isRunning();
        if (cli.json()) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("running", running);
          m.put("jdbcUrl", db.rememberedPort() == 0 ? null : db.jdbcUrl());
          m.put("dataDirectory", db.dataDirectory().toString());
          out.println(Json.write(m));
        } else {
          out.println((running ? "running: " + db.jdbcUrl() : "not running") + "; data: " + db.dataDirectory());
        }
        return running ? 0 : 1;
      default:
        throw new UsageException("unknown db action '" + args.positional.get(1) + "'", DB_USAGE);
    }
  }

  static String withDatabase(String url, String database) {
    Matcher m = PG_URL.matcher(url);
    if (!m.matches()) {
      throw new UsageException("cannot derive the pg_cron database's URL from '" + AutopilotCli.redact(url)
          + "': use the form jdbc:postgresql://host:port/database?...");
    }
    return m.group(1) + "/" + database + (m.group(3) == null ? "" : m.group(3));
  }

  private static List<Map<String, Object>> rows(Connection c, String sql, String arg, int max) throws SQLException {
    List<Map<String, Object>> out = new ArrayList<>();
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      if (arg != null) {
        ps.setString(1, arg);
      }
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next() && out.size() < max) {
          Map<String, Object> m = new LinkedHashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            Object v = rs.getObject(i);
            if (v instanceof Timestamp) {
              v = ((Timestamp) v).toInstant();
            } else if (v != null && !(v instanceof Number) && !(v instanceof Boolean)) {
              v = v.toString();
            }
            m.put(md.getColumnLabel(i), v);
          }
          out.add(m);
        }
      }
    }
    return out;
  }

  private void print(List<Map<String, Object>> rows, List<String> columns) {
    List<List<String>> cells = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      List<String> line = new ArrayList<>();
      for (String col : columns) {
        Object v = r.get(col);
        String s = v instanceof java.time.Instant ? Console.time((java.time.Instant) v) : v == null ? null : v.toString();
        if (s != null) {
          s = AutopilotCli.firstLine(s);
          s = s.length() > 60 ? s.substring(0, 57) + "..." : s;
        }
        line.add(s);
      }
      cells.add(line);
    }
    List<String> header = new ArrayList<>();
    columns.forEach(c -> header.add(c.toUpperCase(java.util.Locale.ROOT)));
    Console.table(out, header, cells);
    if (rows.isEmpty()) {
      out.println("(none)");
    }
  }
}
