package dev.autopilot.testing;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Optional;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;
import org.testcontainers.utility.DockerImageName;

/**
 * A PostgreSQL 15 container with pg_cron preloaded and pgvector, through Testcontainers. Only
 * loaded when Testcontainers is on the class path ({@link ServerChoice}). The image is built once
 * from {@code postgres:15-bookworm} plus Debian's {@code postgresql-15-cron} and
 * {@code postgresql-15-pgvector} (kept by Docker as {@value #IMAGE}), or taken as is from
 * {@code autopilot.test.postgres-image} (an image that already has both).
 */
final class ContainerServer {

  static final String IMAGE = "autopilot-test-postgres:15";
  static final String IMAGE_SETTING = "autopilot.test.postgres-image";

  private ContainerServer() {}

  static boolean dockerAvailable() {
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  @SuppressWarnings("resource") // closed with the returned server
  static TestServer start() {
    String password = HexFormat.of().formatHex(new SecureRandom().generateSeed(12));
    String image = System.getProperty(IMAGE_SETTING);
    GenericContainer<?> c = image != null && !image.isBlank()
        ? new GenericContainer<>(DockerImageName.parse(image))
        : new GenericContainer<>(new ImageFromDockerfile(IMAGE, false).withDockerfileFromBuilder(b -> b
            .from("postgres:15-bookworm")
            .run("apt-get update && apt-get install -y --no-install-recommends postgresql-15-cron"
                + " postgresql-15-pgvector && rm -rf /var/lib/apt/lists/*")
            .build()));
    c.withEnv("POSTGRES_PASSWORD", password)
        .withExposedPorts(5432)
        .withCommand("postgres", "-c", "shared_preload_libraries=pg_cron", "-c", "cron.database_name=postgres",
            "-c", "max_connections=300", "-c", "fsync=off")
        .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*\\s", 2)
            .withStartupTimeout(Duration.ofMinutes(3)));
    c.start();
    String url = "jdbc:postgresql://" + c.getHost() + ":" + c.getMappedPort(5432) + "/postgres?user=postgres&password="
        + password;
    TestServer server = TestServer.external(url);
    return new TestServer() {
      @Override
      String jdbcUrl(String database) {
        return server.jdbcUrl(database);
      }

      @Override
      boolean pgCronAvailable() {
        return server.pgCronAvailable();
      }

      @Override
      boolean pgVectorAvailable() {
        return server.pgVectorAvailable();
      }

      @Override
      Optional<PostgresCluster> cluster() {
        return Optional.empty();
      }

      @Override
      public void close() {
        c.stop();
      }
    };
  }
}
