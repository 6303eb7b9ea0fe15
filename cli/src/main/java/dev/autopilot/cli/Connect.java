package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.AutopilotException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Option;

/**
 * Where the database is and how to sign in. The password never goes on the command line (where
 * {@code ps} shows it): it comes from {@code AUTOPILOT_DB_PASSWORD} or {@code PGPASSWORD}, from
 * {@code --password-file}, or from the PostgreSQL driver's own {@code ~/.pgpass}.
 */
final class Connect {

  @Option(names = "--jdbc-url", paramLabel = "URL",
      description = "jdbc:postgresql://host:port/database (default: $AUTOPILOT_JDBC_URL)")
  String url;

  @Option(names = "--user", paramLabel = "NAME", description = "database user (default: $AUTOPILOT_DB_USER, else the URL's)")
  String user;

  @Option(names = "--password-file", paramLabel = "FILE",
      description = "file holding the password (default: $AUTOPILOT_DB_PASSWORD, $PGPASSWORD, then ~/.pgpass)")
  Path passwordFile;

  @Option(names = "--schema", paramLabel = "NAME", description = "Autopilot's schema (default: autopilot)")
  String schema;

  Map<String, String> env = Map.of();
  Supplier<String> defaultUrl = () -> null;

  /** @return the URL asked for: --jdbc-url, $AUTOPILOT_JDBC_URL, or the caller's default */
  String url() {
    String u = url != null ? url : env.get("AUTOPILOT_JDBC_URL");
    if (u == null || u.isBlank()) {
      u = defaultUrl.get();
    }
    if (u == null || u.isBlank()) {
      throw new UsageException("no database: give --jdbc-url or set AUTOPILOT_JDBC_URL");
    }
    u = u.trim();
    if (!u.startsWith("jdbc:postgresql:")) {
      throw new UsageException((url != null ? "--jdbc-url" : "AUTOPILOT_JDBC_URL") + " must be a PostgreSQL URL"
          + " (jdbc:postgresql://host:port/database), was '" + redact(u) + "'");
    }
    return u;
  }

  /** @return a DataSource for the database, connectivity checked (one-line error when it fails) */
  DataSource dataSource() {
    return dataSource(null);
  }

  /**
   * @param database another database on the same server (pg_cron's), or null for the URL's
   * @return a DataSource for it, connectivity checked (one-line error when it fails)
   */
  DataSource dataSource(String database) {
    String u = url();
    PGSimpleDataSource ds = new PGSimpleDataSource();
    try {
      ds.setURL(u);
    } catch (IllegalArgumentException e) {
      throw new UsageException("bad JDBC URL '" + redact(u) + "': " + e.getMessage());
    }
    if (database != null) {
      ds.setDatabaseName(database);
    }
    String name = user != null ? user : env.get("AUTOPILOT_DB_USER");
    if (name != null && !name.isBlank()) {
      ds.setUser(name);
    }
    String password = password();
    if (password != null) {
      ds.setPassword(password);
    }
    ds.setLoginTimeout(10);
    try (Connection c = ds.getConnection()) {
      c.isValid(5);
    } catch (SQLException e) {
      throw new UsageException("cannot connect to " + redact(u) + (database == null ? "" : " (database " + database
          + ")") + ": " + redact(AutopilotCli.firstLine(e.getMessage())));
    }
    return ds;
  }

  private String password() {
    if (passwordFile != null) {
      try {
        return Files.readString(passwordFile, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        throw new UsageException("--password-file: cannot read " + passwordFile + " (" + e.getClass().getSimpleName()
            + ")");
      }
    }
    String p = env.get("AUTOPILOT_DB_PASSWORD");
    return p != null ? p : env.get("PGPASSWORD");
  }

  String schema() {
    return schema == null ? Autopilot.DEFAULT_SCHEMA : schema;
  }

  /** @return Autopilot attached to the database (the task set the running hosts recorded); close it */
  Autopilot attach() {
    DataSource ds = dataSource();
    Autopilot.Builder b = Autopilot.builder(ds).environment(Map.of()).builtInTasks(false).discoverProviders(false)
        .threads(1).instanceName("autopilot-cli");
    try {
      b.schema(schema());
      return b.build().attach();
    } catch (AutopilotException e) {
      throw new UsageException(redact(url()) + ": " + redact(AutopilotCli.firstLine(e.getMessage())));
    }
  }

  /** @return the text with any {@code password=...} value masked */
  static String redact(String s) {
    return s == null ? null : s.replaceAll("(?i)(password=)[^&;\\s]*", "$1***");
  }
}
