package dev.autopilot.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Decides where tests get their PostgreSQL: an external server ({@code AUTOPILOT_TEST_JDBC_URL}),
 * a Testcontainers container, or the local throwaway cluster. The setting {@value #SETTING}
 * (system property, else environment variable {@value #ENV}) is {@code auto} (default: a
 * container when Testcontainers is on the test class path and a Docker engine answers, else the
 * local cluster), {@code local} or {@code container} (fails with the reason when it cannot).
 */
public final class ServerChoice {

  /** The system property that forces the choice. */
  public static final String SETTING = "autopilot.test.postgres";
  /** The environment variable that forces the choice when the system property is not set. */
  public static final String ENV = "AUTOPILOT_TEST_POSTGRES";

  /** Where the test databases live. */
  public enum Kind {
    /** A server named by {@code AUTOPILOT_TEST_JDBC_URL}. */
    EXTERNAL,
    /** A PostgreSQL container started through Testcontainers. */
    CONTAINER,
    /** A local cluster from this machine's PostgreSQL binaries. */
    LOCAL
  }

  private ServerChoice() {}

  /**
   * The choice for this JVM: reads the setting, {@code AUTOPILOT_TEST_JDBC_URL}, whether
   * Testcontainers is on the class path and (only when it may matter) whether Docker answers.
   *
   * @return the kind of server to use
   * @throws IllegalStateException naming the setting when it is invalid or cannot be honoured
   */
  public static Kind current() {
    String setting = System.getProperty(SETTING);
    if (setting == null) {
      setting = System.getenv(ENV);
    }
    String url = System.getenv("AUTOPILOT_TEST_JDBC_URL");
    boolean testcontainers = testcontainersPresent();
    return choose(setting, url != null && !url.isBlank(), testcontainers,
        () -> dockerHinted(System.getenv(), Path.of(System.getProperty("user.home")))
            && ContainerServer.dockerAvailable());
  }

  /**
   * The selection rule, free of the environment (unit-tested).
   *
   * @param setting {@code auto}, {@code local}, {@code container}, or null/blank for auto
   * @param externalUrl true when {@code AUTOPILOT_TEST_JDBC_URL} is set (it wins over everything)
   * @param testcontainersPresent true when Testcontainers is on the class path
   * @param dockerAvailable asked only when the answer matters
   * @return the kind of server to use
   * @throws IllegalStateException naming the setting when it is invalid or cannot be honoured
   */
  public static Kind choose(String setting, boolean externalUrl, boolean testcontainersPresent,
      BooleanSupplier dockerAvailable) {
    String s = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
    if (!s.equals("auto") && !s.equals("local") && !s.equals("container")) {
      throw new IllegalStateException(SETTING + "='" + setting + "' is not one of auto, local, container");
    }
    if (externalUrl) {
      return Kind.EXTERNAL;
    }
    switch (s) {
      case "local":
        return Kind.LOCAL;
      case "container":
        if (!testcontainersPresent) {
          throw new IllegalStateException(SETTING + "=container: Testcontainers is not on the test class path"
              + " (add org.testcontainers:testcontainers 1.21.x as a test dependency)");
        }
        if (!dockerAvailable.getAsBoolean()) {
          throw new IllegalStateException(SETTING + "=container: no Docker engine answers"
              + " (start one, or use " + SETTING + "=local)");
        }
        return Kind.CONTAINER;
      default:
        return testcontainersPresent && dockerAvailable.getAsBoolean() ? Kind.CONTAINER : Kind.LOCAL;
    }
  }

  /**
   * A cheap look for a Docker engine before asking Testcontainers (whose own probe is slow and
   * logs errors when there is none): {@code DOCKER_HOST}, a Testcontainers properties file, or a
   * Docker socket in a usual place.
   *
   * @param env the environment
   * @param home the user's home directory
   * @return true when a Docker engine may be there
   */
  static boolean dockerHinted(Map<String, String> env, Path home) {
    String host = env.get("DOCKER_HOST");
    if (host != null && !host.isBlank()) {
      return true;
    }
    return Files.exists(home.resolve(".testcontainers.properties"))
        || Files.exists(Path.of("/var/run/docker.sock"))
        || Files.exists(home.resolve(".docker/run/docker.sock"))
        || Files.exists(home.resolve(".docker/desktop/docker.sock"));
  }

  static boolean testcontainersPresent() {
    try {
      Class.forName("org.testcontainers.DockerClientFactory", false, ServerChoice.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
