package dev.autopilot.internal.pgcron;

import dev.autopilot.internal.Runtime;
import dev.autopilot.internal.Settings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How Autopilot reaches the database pg_cron lives in ({@code cron.database_name}), first match wins:
 * <ol>
 *   <li>a DataSource handed over with {@code Autopilot.Builder#pgCronDataSource};
 *   <li>{@code autopilot.pg-cron.url} (a JDBC URL; {@code autopilot.pg-cron.user} and
 *       {@code autopilot.pg-cron.password} when not in the URL);
 *   <li>the application's DataSource, when pg_cron lives in the application's database;
 *   <li>otherwise derived from the application's connection: its JDBC URL with the database
 *       replaced by {@code cron.database_name}, its user name, and the password from
 *       {@code autopilot.pg-cron.password} or, when unset, the driver's own lookup (~/.pgpass).
 * </ol>
 */
final class CronConnector {
  static final String URL = "autopilot.pg-cron.url";
  static final String USER = "autopilot.pg-cron.user";
  static final String PASSWORD = "autopilot.pg-cron.password";
  private static final Pattern PG_URL = Pattern.compile("^(jdbc:postgresql://[^/?]*/)([^?]*)(\\?.*)?$");

  private final Runtime rt;
  private final String cronDb;
  private final boolean sameDatabase;
  private final String how;
  private final String derivedUrl;
  private final String derivedUser;

  CronConnector(Runtime rt, Probe.App app) throws SQLException {
    this.rt = rt;
    this.cronDb = app.cronDatabase();
    Settings s = rt.settings();
    Optional<Object> ds = Optional.ofNullable(rt.services().get(CronDataSource.class));
    if (ds.isPresent()) {
      how = "the DataSource given to pgCronDataSource(...)";
      derivedUrl = null;
      derivedUser = null;
    } else if (s.get(URL).isPresent()) {
      how = s.source(URL) + "=" + dev.autopilot.internal.Secrets.mask(s.get(URL).get());
      derivedUrl = s.get(URL).get();
      derivedUser = s.get(USER).orElse(null);
    } else if (app.database().equals(cronDb)) {
      how = "the application's DataSource (pg_cron lives in the application's database)";
      derivedUrl = null;
      derivedUser = null;
    } else {
      String appUrl;
      String appUser;
      try (Connection c = rt.dataSource().getConnection()) {
        appUrl = c.getMetaData().getURL();
        appUser = c.getMetaData().getUserName();
      }
      Matcher m = appUrl == null ? null : PG_URL.matcher(appUrl);
      if (m == null || !m.matches()) {
        throw new Probe.Unusable("pg_cron lives in database " + cronDb + ", and the application's JDBC URL ("
            + dev.autopilot.internal.Secrets.mask(appUrl) + ") cannot be turned into one for it: set " + URL);
      }
      derivedUrl = m.group(1) + cronDb + (m.group(3) == null ? "" : m.group(3));
      derivedUser = s.get(USER).orElse(appUser);
      how = dev.autopilot.internal.Secrets.mask(derivedUrl) + " (derived from the application's URL) as " + derivedUser;
    }
    this.sameDatabase = app.database().equals(cronDb);
  }

  Connection connect() throws SQLException {
    Object ds = rt.services().get(CronDataSource.class);
    if (ds != null) {
      return ((CronDataSource) ds).dataSource().getConnection();
    }
    if (derivedUrl == null) {
      return rt.dataSource().getConnection();
    }
    Properties p = new Properties();
    if (derivedUser != null) {
      p.setProperty("user", derivedUser);
    }
    rt.settings().get(PASSWORD).ifPresent(pw -> p.setProperty("password", pw));
    p.setProperty("ApplicationName", "autopilot-pg_cron");
    return DriverManager.getConnection(derivedUrl, p);
  }

  String database() {
    return cronDb;
  }

  boolean sameDatabase() {
    return sameDatabase;
  }

  String how() {
    return how;
  }
}
