package dev.autopilot.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A fresh database for one test class, on the shared test server. Injected by {@link
 * PostgresExtension} into test constructors, {@code @BeforeAll}, {@code @BeforeEach} and test
 * methods. Pools it hands out are closed and the database dropped after the class.
 */
public final class TestDatabase implements AutoCloseable {

  private final TestServer server;
  private final String name;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private final List<String> extraDatabases = new ArrayList<>();
  private HikariDataSource main;

  TestDatabase(TestServer server, String name) {
    this.server = server;
    this.name = name;
  }

  /** @return the database name */
  public String name() {
    return name;
  }

  /** @return a JDBC URL of this database with the superuser's credentials */
  public String jdbcUrl() {
    return server.jdbcUrl(name);
  }

  /** @return a shared connection pool on this database (20 connections at most) */
  public synchronized DataSource dataSource() {
    if (main == null) {
      main = pool(jdbcUrl(), 20);
    }
    return main;
  }

  /**
   * A separate pool, for example one per simulated application instance.
   *
   * @param maxConnections pool size
   * @return a new pool on this database, closed after the class
   */
  public synchronized DataSource newDataSource(int maxConnections) {
    return pool(jdbcUrl(), maxConnections);
  }

  /**
   * A pool on another JDBC URL of this server (for example a role with fewer privileges).
   *
   * @param jdbcUrl the URL
   * @param maxConnections pool size
   * @return a new pool, closed after the class
   */
  public synchronized DataSource newDataSource(String jdbcUrl, int maxConnections) {
    return pool(jdbcUrl, maxConnections);
  }

  /**
   * @return a new superuser connection to this database; the caller closes it
   * @throws SQLException when the server does not answer
   */
  public Connection connect() throws SQLException {
    return server.connect(name);
  }

  /**
   * Creates a second database on the same server (for example a fleet hub), dropped after the
   * class.
   *
   * @param suffix appended to this database's name
   * @return the JDBC URL of the new database
   */
  public synchronized String createSiblingDatabase(String suffix) {
    String n = name + "_" + suffix;
    String url = server.createDatabase(n);
    extraDatabases.add(n);
    return url;
  }

  /**
   * @param database a database on the same server
   * @return its JDBC URL with the superuser's credentials
   */
  public String jdbcUrlOf(String database) {
    return server.jdbcUrl(database);
  }

  /** @return true when pg_cron is preloaded on the server */
  public boolean pgCronAvailable() {
    return server.pgCronAvailable();
  }

  /** @return true when the pgvector extension can be created */
  public boolean pgVectorAvailable() {
    return server.pgVectorAvailable();
  }

  /** @return the local cluster, when the tests started one (empty for an external server) */
  public Optional<PostgresCluster> cluster() {
    return server.cluster();
  }

  private HikariDataSource pool(String url, int max) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setMaximumPoolSize(max);
    c.setMinimumIdle(0);
    c.setPoolName("test-" + name + "-" + pools.size());
    c.setConnectionTimeout(30_000);
    HikariDataSource ds = new HikariDataSource(c);
    pools.add(ds);
    return ds;
  }

  /** Closes the pools and drops the database and its siblings. */
  @Override
  public synchronized void close() {
    pools.forEach(HikariDataSource::close);
    pools.clear();
    main = null;
    extraDatabases.forEach(server::dropDatabase);
    server.dropDatabase(name);
  }

  @Override
  public String toString() {
    return "TestDatabase[" + name + "]";
  }
}
