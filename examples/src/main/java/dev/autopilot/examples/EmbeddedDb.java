package dev.autopilot.examples;

import dev.autopilot.testing.PostgresCluster;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's embedded PostgreSQL (with pg_cron and pgvector): a durable cluster in a data
 * directory kept between runs, on a port remembered in {@code <home>/port}, holding the
 * {@value #DATABASE} database. {@code autopilot db start|stop|url} and the demo share it: whoever
 * finds it running uses it; whoever started it may stop it.
 */
public final class EmbeddedDb {

  /** The host application's database in the embedded cluster. */
  public static final String DATABASE = "autopilot_demo";

  private final Path home;
  private final Path dataDir;
  private PostgresCluster cluster;

  /** @param home the demo's state directory, usually {@code .autopilot} in the repository */
  public EmbeddedDb(Path home) {
    this.home = home.toAbsolutePath().normalize();
    this.dataDir = chooseDataDir(this.home);
  }

  /** @return the data directory (under home, unless the server's OS user cannot reach home) */
  public Path dataDirectory() {
    return dataDir;
  }

  /** @return the remembered port, or 0 when the cluster was never started */
  public int rememberedPort() {
    try {
      Path f = home.resolve("port");
      return Files.exists(f) ? Integer.parseInt(Files.readString(f).trim()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }

  /** @return the JDBC URL of the demo database (valid while the cluster runs) */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + rememberedPort() + "/" + DATABASE + "?user=" + PostgresCluster.SUPERUSER;
  }

  /** @return true when a server answers on the remembered port from this data directory */
  public boolean isRunning() {
    int port = rememberedPort();
    if (port == 0 || !Files.exists(dataDir.resolve("postmaster.pid"))) {
      return false;
    }
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres&connectTimeout=3")) {
      return c.isValid(3);
    } catch (SQLException e) {
      return false;
    }
  }

  /**
   * Starts the cluster unless it already runs (initdb on first use), and creates the demo
   * database when missing.
   *
   * @return true when this call started the server, false when it was running already
   */
  public synchronized boolean start() {
    if (isRunning()) {
      ensureDatabase();
      return false;
    }
    try {
      Files.createDirectories(home);
      int port = rememberedPort();
      try {
        cluster = build(port).start();
      } catch (IllegalStateException e) {
        if (port == 0) {
          throw e;
        }
        cluster = build(0).start(); // the remembered port is taken now: pick another
      }
      Files.writeString(home.resolve("port"), cluster.port() + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + home.resolve("port"), e);
    }
    ensureDatabase();
    return true;
  }

  private PostgresCluster build(int port) {
    return PostgresCluster.builder().dataDirectory(dataDir).durable(true).port(port).build();
  }

  private void ensureDatabase() {
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + rememberedPort() + "/postgres?user=postgres");
         Statement s = c.createStatement()) {
      boolean exists;
      try (var rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + DATABASE + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        s.execute("CREATE DATABASE " + DATABASE);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE + ": " + e.getMessage(), e);
    }
  }

  /**
   * Stops the server (fast shutdown), whichever process started it. The data stays.
   *
   * @return true when a running server was stopped
   */
  public synchronized boolean stop() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
      return true;
    }
    if (!isRunning()) {
      return false;
    }
    Path pgCtl = PostgresCluster.builder().build().binDirectory().resolve("pg_ctl");
    List<String> cmd = new ArrayList<>();
    if (isRoot()) {
      cmd.addAll(List.of("runuser", "-u", PostgresCluster.SERVER_OS_USER, "--"));
    }
    cmd.addAll(List.of(pgCtl.toString(), "-D", dataDir.toString(), "-m", "fast", "-w", "stop"));
    run(cmd, 60);
    return true;
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  /**
   * As root the server runs as {@code postgres}, which must reach the data directory; a home
   * inside a private directory (a fresh {@code mktemp -d} clone) is not reachable, so the data
   * then lives in {@code /var/tmp/autopilot-<hash of home>}: still kept between runs.
   */
  private static Path chooseDataDir(Path home) {
    Path preferred = home.resolve("pgdata");
    if (!isRoot() || reachableByServerUser(home.getParent())) {
      return preferred;
    }
    return Path.of("/var/tmp", "autopilot-" + shortHash(home.toString()), "pgdata");
  }

  private static boolean reachableByServerUser(Path dir) {
    try {
      Process p = new ProcessBuilder("runuser", "-u", PostgresCluster.SERVER_OS_USER, "--", "test", "-x", dir.toString())
          .redirectErrorStream(true).start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String shortHash(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void run(List<String> cmd, int timeoutSeconds) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("command failed: " + String.join(" ", cmd) + ": " + out.trim());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
