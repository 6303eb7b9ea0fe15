package dev.autopilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.testing.ServerChoice.Kind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the test server comes from. No container is started here: this machine has no Docker
 * engine, so the container path itself is not exercised, only the decision.
 */
class ServerChoiceTest {

  static final BooleanSupplier DOCKER = () -> true;
  static final BooleanSupplier NO_DOCKER = () -> false;

  @Test
  void autoTakesAContainerOnlyWithTestcontainersAndDocker() {
    assertEquals(Kind.CONTAINER, ServerChoice.choose(null, false, true, DOCKER));
    assertEquals(Kind.CONTAINER, ServerChoice.choose("auto", false, true, DOCKER));
    assertEquals(Kind.LOCAL, ServerChoice.choose("auto", false, true, NO_DOCKER));
    assertEquals(Kind.LOCAL, ServerChoice.choose(" AUTO ", false, false, DOCKER));
    assertEquals(Kind.LOCAL, ServerChoice.choose("", false, false, NO_DOCKER));
  }

  @Test
  void localIsForcedEvenWhereDockerRuns() {
    AtomicInteger asked = new AtomicInteger();
    assertEquals(Kind.LOCAL, ServerChoice.choose("local", false, true, () -> asked.incrementAndGet() > 0));
    assertEquals(0, asked.get(), "Docker is not probed when the choice is forced to local");
  }

  @Test
  void containerIsForcedOrFailsNamingTheSettingAndTheReason() {
    assertEquals(Kind.CONTAINER, ServerChoice.choose("container", false, true, DOCKER));
    IllegalStateException noDocker = assertThrows(IllegalStateException.class,
        () -> ServerChoice.choose("container", false, true, NO_DOCKER));
    assertTrue(noDocker.getMessage().startsWith("autopilot.test.postgres=container: no Docker engine"), noDocker.getMessage());
    IllegalStateException noLibrary = assertThrows(IllegalStateException.class,
        () -> ServerChoice.choose("container", false, false, DOCKER));
    assertTrue(noLibrary.getMessage().contains("Testcontainers is not on the test class path"), noLibrary.getMessage());
  }

  @Test
  void anExternalUrlWinsAndABadSettingIsRefused() {
    assertEquals(Kind.EXTERNAL, ServerChoice.choose("container", true, false, NO_DOCKER));
    assertEquals(Kind.EXTERNAL, ServerChoice.choose(null, true, true, DOCKER));
    IllegalStateException bad = assertThrows(IllegalStateException.class,
        () -> ServerChoice.choose("docker", false, true, DOCKER));
    assertEquals("autopilot.test.postgres='docker' is not one of auto, local, container", bad.getMessage());
  }

  @Test
  void dockerHintsAreDockerHostATestcontainersFileOrASocket(@TempDir Path home) throws Exception {
    boolean systemSocket = Files.exists(Path.of("/var/run/docker.sock"));
    assertEquals(systemSocket, ServerChoice.dockerHinted(Map.of(), home));
    assertTrue(ServerChoice.dockerHinted(Map.of("DOCKER_HOST", "tcp://10.0.0.5:2375"), home));
    Files.writeString(home.resolve(".testcontainers.properties"), "docker.host=tcp://10.0.0.5:2375\n");
    assertTrue(ServerChoice.dockerHinted(Map.of(), home));
  }

  @Test
  void onThisMachineTheRealProbeAgreesWithTheChoice() {
    // Testcontainers is on this module's test class path (an optional dependency)
    assertTrue(ServerChoice.testcontainersPresent());
    boolean docker = ContainerServer.dockerAvailable();
    if (docker) {
      assertEquals(Kind.CONTAINER, ServerChoice.choose("container", false, true, ContainerServer::dockerAvailable));
    } else {
      assertThrows(IllegalStateException.class,
          () -> ServerChoice.choose("container", false, true, ContainerServer::dockerAvailable));
      assertEquals(Kind.LOCAL, ServerChoice.choose("auto", false, true, ContainerServer::dockerAvailable));
    }
  }
}
