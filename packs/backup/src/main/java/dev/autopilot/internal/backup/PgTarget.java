package dev.autopilot.internal.backup;

import dev.autopilot.spi.TaskConfig;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import javax.sql.DataSource;

/**
 * Where pg_dump connects: {@code autopilot.backup.host/port/database/user} when set, else what the
 * DataSource's connection reports (its JDBC URL and user, and {@code current_database()}). The
 * password never becomes an argument: it goes to the child's environment ({@code PGPASSWORD},
 * from {@code autopilot.backup.password} or the JDBC URL) or a passfile ({@code
 * autopilot.backup.passfile} as {@code PGPASSFILE}); {@link #toString()} never shows it.
 */
final class PgTarget {

  final String host;
  final String port;
  final String database;
  final String user;
  final int serverMajor;
  private final String password;
  private final String passfile;
  private final String sslmode;

  private PgTarget(String host, String port, String database, String user, int serverMajor, String password,
      String passfile, String sslmode) {
    this.host = host;
    this.port = port;
    this.database = database;
    this.user = user;
    this.serverMajor = serverMajor;
    this.password = password;
    this.passfile = passfile;
    this.sslmode = sslmode;
  }

  static PgTarget of(DataSource ds, TaskConfig cfg) throws SQLException {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('server_version_num')::int / 10000,"
            + " current_setting('port')")) {
      rs.next();
      String currentDb = rs.getString(1);
      int major = rs.getInt(2);
      String serverPort = rs.getString(3);
      DatabaseMetaData md = c.getMetaData();
      Properties url = parse(md.getURL());
      String host = cfg.get("backup.host").orElseGet(() -> first(url.getProperty("PGHOST"), "localhost"));
      String port = cfg.get("backup.port").orElseGet(() -> first(url.getProperty("PGPORT"), serverPort));
      return new PgTarget(host, port,
          cfg.get("backup.database").orElse(currentDb),
          cfg.get("backup.user").orElse(md.getUserName()),
          major,
          cfg.get("backup.password").orElse(url.getProperty("password")),
          cfg.get("backup.passfile").orElse(null),
          url.getProperty("sslmode"));
    }
  }

  private static Properties parse(String url) {
    Properties p = url == null ? null : org.postgresql.Driver.parseURL(url, null);
    return p == null ? new Properties() : p;
  }

  private static String first(String commaList, String fallback) {
    if (commaList == null || commaList.isBlank()) {
      return fallback;
    }
    return commaList.split(",")[0].trim();
  }

  /** The libpq environment for the child process (connection details and credentials). */
  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("PGHOST", host);
    env.put("PGPORT", port);
    env.put("PGDATABASE", database);
    env.put("PGUSER", user);
    if (password != null) {
      env.put("PGPASSWORD", password);
    }
    if (passfile != null) {
      env.put("PGPASSFILE", passfile);
    }
    if (sslmode != null) {
      env.put("PGSSLMODE", sslmode);
    }
    env.put("PGCONNECT_TIMEOUT", "30");
    return env;
  }

  @Override
  public String toString() {
    return user + "@" + host + ":" + port + "/" + database;
  }
}
