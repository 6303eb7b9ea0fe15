package dev.autopilot.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The server tests run against: a local throwaway cluster or an external one. */
abstract class TestServer implements AutoCloseable {

  abstract String jdbcUrl(String database);

  abstract boolean pgCronAvailable();

  abstract boolean pgVectorAvailable();

  abstract Optional<PostgresCluster> cluster();

  Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  String createDatabase(String name) {
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  void dropDatabase(String name) {
    try (Connection c = connect(adminDatabase()); Statement s = c.createStatement()) {
      if (pgCronAvailable()) {
        s.execute("DELETE FROM cron.job WHERE database = '" + name.replace("'", "''") + "'");
      }
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      // best effort: a leftover test database harms nothing
    }
  }

  String adminDatabase() {
    return "postgres";
  }

  @Override
  public abstract void close();

  static TestServer local() {
    PostgresCluster cluster = PostgresCluster.builder().build().start();
    return new TestServer() {
      @Override
      String jdbcUrl(String database) {
        return cluster.jdbcUrl(database);
      }

      @Override
      boolean pgCronAvailable() {
        return cluster.pgCronAvailable();
      }

      @Override
      boolean pgVectorAvailable() {
        return cluster.pgVectorAvailable();
      }

      @Override
      Optional<PostgresCluster> cluster() {
        return Optional.of(cluster);
      }

      @Override
      public void close() {
        cluster.close();
      }
    };
  }

  static TestServer external(String adminUrl) {
    Matcher m = Pattern.compile("^(jdbc:postgresql://[^/]+/)([^?]*)(.*)$").matcher(adminUrl);
    if (!m.matches()) {
      throw new IllegalStateException("AUTOPILOT_TEST_JDBC_URL='" + adminUrl.replaceAll("password=[^&]*", "password=***")
          + "' is not of the form jdbc:postgresql://host:port/database?user=...");
    }
    String prefix = m.group(1);
    String admin = m.group(2).isEmpty() ? "postgres" : m.group(2);
    String params = m.group(3);
    boolean cron;
    boolean vector;
    try (Connection c = DriverManager.getConnection(adminUrl); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery(
          "SELECT current_setting('shared_preload_libraries') LIKE '%pg_cron%',"
              + " EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector')")) {
        rs.next();
        cron = rs.getBoolean(1);
        vector = rs.getBoolean(2);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("AUTOPILOT_TEST_JDBC_URL: cannot connect: " + e.getMessage(), e);
    }
    return new TestServer() {
      @Override
      String jdbcUrl(String database) {
        return prefix + database + params;
      }

      @Override
      String adminDatabase() {
        return admin;
      }

      @Override
      boolean pgCronAvailable() {
        return cron;
      }

      @Override
      boolean pgVectorAvailable() {
        return vector;
      }

      @Override
      Optional<PostgresCluster> cluster() {
        return Optional.empty();
      }

      @Override
      public void close() {}
    };
  }
}
