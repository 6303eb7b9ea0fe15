package dev.autopilot.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local PostgreSQL cluster started from the server binaries on this machine, with pg_cron
 * preloaded when installed ({@code cron.database_name = postgres}, background workers, so jobs
 * reach any database through {@code cron.schedule_in_database}).
 *
 * <p>When the JVM runs as root the server runs as the {@code postgres} OS user ({@code initdb}
 * refuses root). Connections are trusted on the loopback address and the cluster's own socket
 * directory. Binaries are looked up in {@code AUTOPILOT_PG_BIN}, then in {@code
 * /usr/lib/postgresql/<major>/bin} (newest first), then through {@code pg_config} on the PATH.
 *
 * <pre>{@code
 * try (PostgresCluster pg = PostgresCluster.builder().build().start()) {
 *   String url = pg.createDatabase("app");
 * }
 * }</pre>
 */
public final class PostgresCluster implements AutoCloseable {

  /** The OS user the server runs as when the JVM is root. */
  public static final String SERVER_OS_USER = "postgres";
  /** The database superuser created by {@code initdb}. */
  public static final String SUPERUSER = "postgres";
  /** The command that installs what this class needs. */
  public static final String SETUP_COMMAND = "scripts/setup.sh";

  private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);

  private final Path dataDir;
  private final boolean throwaway;
  private final boolean durable;
  private final int requestedPort;
  private final Path binDir;
  private int port;
  private boolean running;
  private boolean suspended;
  private boolean pgCron;
  private boolean pgVector;
  private Thread shutdownHook;

  private PostgresCluster(Builder b) {
    if (b.binDir != null && !Files.isExecutable(b.binDir.resolve("initdb"))) {
      throw new IllegalStateException("no PostgreSQL server binaries (initdb) in " + b.binDir
          + ". Run " + SETUP_COMMAND + " to install PostgreSQL 15 with pg_cron and pgvector.");
    }
    this.binDir = b.binDir != null ? b.binDir : findBinDir();
    this.throwaway = b.dataDir == null;
    this.dataDir = b.dataDir;
    this.durable = b.durable;
    this.requestedPort = b.port;
  }

  /** @return a builder for a throwaway cluster on a free port */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Starts the cluster: {@code initdb} when the data directory is new, then {@code pg_ctl
   * start}. Returns when the server accepts connections.
   *
   * @return this cluster
   * @throws IllegalStateException with the server log's tail when it does not start
   */
  public synchronized PostgresCluster start() {
    if (running) {
      return this;
    }
    try {
      Path dir = throwaway ? Files.createTempDirectory("autopilot-pg-") : dataDir;
      Files.createDirectories(dir);
      dirOverride = dir;
      chownToServerUser(dir);
      if (isRoot() && !runQuietly(List.of("runuser", "-u", SERVER_OS_USER, "--", "test", "-w", dir.toString()))) {
        throw new IllegalStateException("the '" + SERVER_OS_USER + "' OS user, which runs the server when the JVM is root,"
            + " cannot write " + dir + ": make its parent directories traversable (chmod o+x) or choose another directory");
      }
      boolean fresh = !Files.exists(dir.resolve("PG_VERSION"));
      if (fresh) {
        run(List.of(bin("initdb"), "-D", dir.toString(), "-U", SUPERUSER, "--auth=trust",
            "-E", "UTF8", "--locale=C", "--no-sync"), 120);
      }
      pgCron = Files.exists(libDir().resolve("pg_cron.so"));
      pgVector = Files.exists(shareDir().resolve("extension/vector.control"));
      writeConfig(dir);
      IllegalStateException last = null;
      for (int tries = 0; tries < 3; tries++) {
        port = requestedPort > 0 ? requestedPort : freePort();
        Files.writeString(dir.resolve("autopilot-port.conf"), "port = " + port + "\n");
        chownToServerUser(dir.resolve("autopilot-port.conf"));
        try {
          run(List.of(bin("pg_ctl"), "-D", dir.toString(), "-l", dir.resolve("server.log").toString(),
              "-w", "-t", "60", "start"), 90);
          last = null;
          break;
        } catch (IllegalStateException e) {
          last = e;
          if (requestedPort > 0) {
            break;
          }
        }
      }
      if (last != null) {
        throw new IllegalStateException(last.getMessage() + "\nserver log:\n" + tail(dir.resolve("server.log")), last);
      }
      running = true;
      if (throwaway) {
        shutdownHook = new Thread(this::close, "autopilot-pg-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
      }
      if (pgCron) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
          s.execute("CREATE EXTENSION IF NOT EXISTS pg_cron");
        }
      }
      log.info("PostgreSQL started: {} (port {}, pg_cron {}, pgvector {})", dir, port,
          pgCron ? "on" : "off", pgVector ? "on" : "off");
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start PostgreSQL in " + dataDir, e);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL started but pg_cron could not be created: " + e.getMessage(), e);
    }
  }

  private Path dirOverride;

  /** @return the data directory */
  public Path dataDirectory() {
    return dirOverride != null ? dirOverride : dataDir;
  }

  /** @return the TCP port on 127.0.0.1 */
  public int port() {
    return port;
  }

  /** @return true when pg_cron is preloaded and created in the {@code postgres} database */
  public boolean pgCronAvailable() {
    return pgCron;
  }

  /** @return true when the pgvector extension is installed (it is created per database) */
  public boolean pgVectorAvailable() {
    return pgVector;
  }

  /** @return the directory of the server binaries ({@code pg_dump}, {@code psql}, ...) */
  public Path binDirectory() {
    return binDir;
  }

  /**
   * @param database a database name
   * @return a JDBC URL for it, connecting as the superuser
   */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  /**
   * Creates a database (dropping an existing one of that name first).
   *
   * @param name a simple lower-case name
   * @return the JDBC URL of the new database
   */
  public String createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException("database name '" + name + "' must be a simple lower-case identifier");
    }
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + name + ": " + e.getMessage(), e);
    }
    return jdbcUrl(name);
  }

  /**
   * Drops a database, ending its connections, and removes the pg_cron jobs that ran in it.
   *
   * @param name the database name
   */
  public void dropDatabase(String name) {
    try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
      if (pgCron) {
        s.execute("DELETE FROM cron.job WHERE database = '" + name.replace("'", "''") + "'");
      }
      s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    } catch (SQLException e) {
      log.warn("cannot drop database {}: {}", name, e.getMessage());
    }
  }

  /**
   * Opens a superuser connection.
   *
   * @param database the database name
   * @return a new connection; the caller closes it
   * @throws SQLException when the server does not answer
   */
  public Connection connect(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database));
  }

  /** @return true while the server runs */
  public synchronized boolean isRunning() {
    return running;
  }

  /**
   * Stops the server for a while, keeping its data directory and port, to test how clients live
   * through an outage; {@link #resume()} starts it again. Clients' connections are ended as in a
   * normal shutdown ({@code pg_ctl stop -m fast}: sessions get "terminating connection due to
   * administrator command").
   *
   * @throws IllegalStateException when the server is not running
   */
  public synchronized void suspend() {
    if (!running) {
      throw new IllegalStateException("the server is not running");
    }
    run(List.of(bin("pg_ctl"), "-D", dataDirectory().toString(), "-m", "fast", "-w", "stop"), 60);
    running = false;
    suspended = true;
  }

  /**
   * Starts a server stopped with {@link #suspend()} again, on the same port with the same data.
   *
   * @throws IllegalStateException when it was not suspended or does not start
   */
  public synchronized void resume() {
    if (!suspended) {
      throw new IllegalStateException("the server was not suspended");
    }
    run(List.of(bin("pg_ctl"), "-D", dataDirectory().toString(), "-l", dataDirectory().resolve("server.log").toString(),
        "-w", "-t", "60", "start"), 90);
    running = true;
    suspended = false;
  }

  /**
   * Restarts the server ({@link #suspend()} then {@link #resume()}): every client connection ends.
   */
  public synchronized void restart() {
    suspend();
    resume();
  }

  /**
   * Stops the server ({@code pg_ctl stop -m fast}); a throwaway cluster's data directory is
   * deleted.
   */
  @Override
  public synchronized void close() {
    if (suspended) {
      resume(); // then stopped and deleted as usual
    }
    if (!running) {
      return;
    }
    running = false;
    Path dir = dataDirectory();
    try {
      run(List.of(bin("pg_ctl"), "-D", dir.toString(), "-m", throwaway ? "immediate" : "fast", "-w", "stop"), 60);
    } catch (RuntimeException e) {
      log.warn("stopping PostgreSQL in {} failed: {}", dir, e.getMessage());
    }
    if (throwaway) {
      deleteTree(dir);
      if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException ignored) {
          // JVM already shutting down
        }
      }
    }
  }

  private void writeConfig(Path dir) throws IOException {
    List<String> conf = new ArrayList<>();
    conf.add("# written by autopilot-testing");
    conf.add("listen_addresses = '127.0.0.1'");
    conf.add("unix_socket_directories = '" + dir + "'");
    conf.add("max_connections = 300");
    conf.add("shared_buffers = 128MB");
    conf.add("max_worker_processes = 40");
    conf.add("max_locks_per_transaction = 256");
    if (!durable) {
      conf.add("fsync = off");
      conf.add("synchronous_commit = off");
      conf.add("full_page_writes = off");
    }
    if (pgCron) {
      conf.add("shared_preload_libraries = 'pg_cron'");
      conf.add("cron.database_name = 'postgres'");
      conf.add("cron.use_background_workers = on");
      conf.add("cron.max_running_jobs = 16");
    }
    conf.add("include_if_exists = 'autopilot-port.conf'");
    Path autoConf = dir.resolve("autopilot.conf");
    Files.write(autoConf, conf, StandardCharsets.UTF_8);
    chownToServerUser(autoConf);
    Path main = dir.resolve("postgresql.conf");
    String text = Files.readString(main);
    if (!text.contains("include_if_exists = 'autopilot.conf'")) {
      Files.writeString(main, text + "\ninclude_if_exists = 'autopilot.conf'\n");
    }
  }

  private String bin(String name) {
    return binDir.resolve(name).toString();
  }

  private Path libDir() {
    return Paths.get(run(List.of(bin("pg_config"), "--pkglibdir"), 30, false).trim());
  }

  private Path shareDir() {
    return Paths.get(run(List.of(bin("pg_config"), "--sharedir"), 30, false).trim());
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static void chownToServerUser(Path p) {
    if (isRoot()) {
      runRaw(List.of("chown", "-R", SERVER_OS_USER + ":" + SERVER_OS_USER, p.toString()), 60, true);
    }
  }

  private String run(List<String> cmd, int timeoutSeconds) {
    return run(cmd, timeoutSeconds, true);
  }

  private String run(List<String> cmd, int timeoutSeconds, boolean asServerUser) {
    List<String> full = new ArrayList<>();
    if (asServerUser && isRoot()) {
      full.addAll(List.of("runuser", "-u", SERVER_OS_USER, "--"));
    }
    full.addAll(cmd);
    return runRaw(full, timeoutSeconds, true);
  }

  private static String runRaw(List<String> cmd, int timeoutSeconds, boolean check) {
    try {
      Path out = Files.createTempFile("autopilot-pg-cmd", ".log");
      try {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
            .directory(Paths.get(System.getProperty("java.io.tmpdir")).toFile()).start();
        if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          throw new IllegalStateException("timed out after " + timeoutSeconds + " s: " + String.join(" ", cmd));
        }
        String text = Files.readString(out);
        if (check && p.exitValue() != 0) {
          throw new IllegalStateException("command failed (exit " + p.exitValue() + "): "
              + String.join(" ", cmd) + "\n" + text);
        }
        return text;
      } finally {
        Files.deleteIfExists(out);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", cmd), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private static boolean runQuietly(List<String> cmd) {
    try {
      runRaw(cmd, 30, true);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static Path findBinDir() {
    String env = System.getenv("AUTOPILOT_PG_BIN");
    if (env != null && !env.isBlank()) {
      Path p = Paths.get(env);
      if (Files.isExecutable(p.resolve("initdb"))) {
        return p;
      }
      throw new IllegalStateException("AUTOPILOT_PG_BIN=" + env + " holds no initdb; run " + SETUP_COMMAND);
    }
    Path base = Paths.get("/usr/lib/postgresql");
    if (Files.isDirectory(base)) {
      try (Stream<Path> s = Files.list(base)) {
        Path found = s.filter(p -> p.getFileName().toString().matches("\\d+"))
            .sorted(Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString())).reversed())
            .map(p -> p.resolve("bin"))
            .filter(p -> Files.isExecutable(p.resolve("initdb")) && Files.isExecutable(p.resolve("postgres")))
            .findFirst().orElse(null);
        if (found != null) {
          return found;
        }
      } catch (IOException ignored) {
        // fall through to pg_config
      }
    }
    try {
      String dir = runRaw(List.of("pg_config", "--bindir"), 10, true).trim();
      if (Files.isExecutable(Paths.get(dir, "initdb"))) {
        return Paths.get(dir);
      }
    } catch (RuntimeException ignored) {
      // not on PATH
    }
    throw new IllegalStateException("PostgreSQL server binaries (initdb, postgres) not found in "
        + "AUTOPILOT_PG_BIN, /usr/lib/postgresql/<version>/bin or through pg_config. Run "
        + SETUP_COMMAND + " to install PostgreSQL 15 with pg_cron and pgvector.");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void deleteTree(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      log.warn("cannot delete {}: {}", dir, e.getMessage());
    }
  }

  /** Options of a {@link PostgresCluster}; every setter validates its argument. */
  public static final class Builder {
    private Path dataDir;
    private Path binDir;
    private int port;
    private boolean durable;

    private Builder() {}

    /**
     * Keeps the cluster in this directory between runs (created with {@code initdb} when
     * empty). Without it the cluster is throwaway: a temp directory deleted on {@link #close()}.
     *
     * @param dir the data directory
     * @return this builder
     */
    public Builder dataDirectory(Path dir) {
      this.dataDir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
      return this;
    }

    /**
     * @param dir the directory holding {@code initdb}, {@code pg_ctl}, {@code pg_config}
     * @return this builder
     */
    public Builder binDirectory(Path dir) {
      this.binDir = Objects.requireNonNull(dir, "dir");
      return this;
    }

    /**
     * @param port a fixed TCP port, or 0 for a free one (the default)
     * @return this builder
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * @param durable true keeps fsync on (for a cluster that holds data worth keeping); the
     *     default, false, trades crash safety for test speed
     * @return this builder
     */
    public Builder durable(boolean durable) {
      this.durable = durable;
      return this;
    }

    /** @return the cluster, not yet started */
    public PostgresCluster build() {
      return new PostgresCluster(this);
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "PostgresCluster[%s, port %d]", dataDirectory(), port);
  }
}
