package dev.autopilot.internal.pgcron;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Checks, on a connection to the cron database, that Autopilot may schedule jobs there. */
final class Probe {
  private Probe() {}

  /** Facts about the app database, read before the cron database is reached. */
  record App(String database, String user, String cronDatabase) {}

  /**
   * @return the app's facts; cronDatabase is null when pg_cron is not preloaded. {@code
   *     cron.database_name} is readable by superusers and pg_read_all_settings only; for other
   *     roles the pg_cron launcher's database in pg_stat_activity says the same.
   */
  static App app(Connection c) throws SQLException {
    String db;
    String user;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_database(), current_user")) {
      rs.next();
      db = rs.getString(1);
      user = rs.getString(2);
    }
    String cronDb = null;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_setting('cron.database_name', true)")) {
      rs.next();
      cronDb = rs.getString(1);
    } catch (SQLException privilege) {
      boolean autoCommit = c.getAutoCommit();
      if (!autoCommit) {
        c.rollback();
      }
      try (Statement s = c.createStatement();
           ResultSet rs = s.executeQuery("SELECT datname FROM pg_stat_activity"
               // backend_type is hidden from unprivileged roles, application_name is not
               + " WHERE backend_type = 'pg_cron launcher' OR application_name = 'pg_cron scheduler'"
               + " ORDER BY datname NULLS LAST LIMIT 1")) {
        cronDb = rs.next() ? rs.getString(1) : null;
      }
      if (cronDb == null) {
        throw new Unusable("cannot tell whether pg_cron is preloaded: " + privilege.getMessage()
            + ", and no pg_cron launcher is visible in pg_stat_activity");
      }
    }
    return new App(db, user, cronDb == null || cronDb.isEmpty() ? null : cronDb);
  }

  /** What the cron connection may do. */
  record Cron(String version, String user, boolean superuser) {}

  /**
   * @param mayCreate whether a missing extension may be created (not when pg_cron is switched off)
   * @return the facts, or throws {@link Unusable} with the reason pg_cron cannot be used
   */
  static Cron check(Connection c, String expectedDb, boolean mayCreate) throws SQLException {
    String db;
    String user;
    boolean superuser;
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT current_database(), current_user,"
             + " (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)")) {
      rs.next();
      db = rs.getString(1);
      user = rs.getString(2);
      superuser = rs.getBoolean(3);
    }
    if (!db.equals(expectedDb)) {
      throw new Unusable("the pg_cron connection goes to database " + db + " but cron.database_name is " + expectedDb);
    }
    String version = extversion(c);
    if (version == null && !mayCreate) {
      throw new Unusable("the pg_cron extension does not exist in database " + db);
    }
    if (version == null) {
      try (Statement s = c.createStatement()) {
        s.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
      } catch (SQLException e) {
        throw new Unusable("pg_cron is preloaded but the extension does not exist in database " + db
            + " and cannot be created by " + user + ": " + e.getMessage());
      }
      version = extversion(c);
    }
    List<String> missing = new ArrayList<>();
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT has_schema_privilege('cron', 'USAGE')")) {
      rs.next();
      if (!rs.getBoolean(1)) {
        throw new Unusable("role " + user + " has no USAGE privilege on schema cron in database " + db);
      }
    }
    String[][] checks = {
        {"has_function_privilege('cron.schedule_in_database(text,text,text,text,text,boolean)', 'EXECUTE')",
            "EXECUTE on cron.schedule_in_database"},
        {"has_function_privilege('cron.unschedule(bigint)', 'EXECUTE')", "EXECUTE on cron.unschedule"},
        {"has_table_privilege('cron.job', 'SELECT')", "SELECT on cron.job"},
        {"has_table_privilege('cron.job_run_details', 'SELECT')", "SELECT on cron.job_run_details"}};
    for (String[] check : checks) {
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT " + check[0])) {
        rs.next();
        if (!rs.getBoolean(1)) {
          missing.add(check[1]);
        }
      } catch (SQLException e) {
        missing.add(check[1] + " (" + e.getMessage() + ")");
      }
    }
    if (!missing.isEmpty()) {
      throw new Unusable("role " + user + " lacks " + String.join(", ", missing) + " in database " + db);
    }
    return new Cron(version, user, superuser);
  }

  private static String extversion(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  /** pg_cron cannot be used; the message says why. */
  static final class Unusable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unusable(String reason) {
      super(dev.autopilot.internal.Secrets.mask(reason), null, false, false);
    }
  }
}
