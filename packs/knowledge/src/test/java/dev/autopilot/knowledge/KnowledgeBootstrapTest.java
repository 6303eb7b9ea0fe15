package dev.autopilot.knowledge;

import static dev.autopilot.knowledge.Fixture.count;
import static dev.autopilot.knowledge.Fixture.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.BootstrapStatus;
import dev.autopilot.BootstrapStatus.StepState;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Packs;
import dev.autopilot.internal.Settings;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The knowledge pack's start-up tasks in the bootstrap wave, on the shipped example data. */
@ExtendWith(PostgresExtension.class)
class KnowledgeBootstrapTest {

  private static final Path EXAMPLES = Path.of("..", "..", "examples", "data").toAbsolutePath().normalize();

  @Test
  void theKnowledgePackIsBuiltInWithTheCatalogTriggers() {
    Pack pack = Packs.discover(KnowledgeBootstrapTest.class.getClassLoader(), "").stream().filter(p -> p.name().equals("knowledge")).findFirst().orElseThrow();
    List<Task> tasks = pack.tasks(new Pack.Context(new Settings(Map.of(), Map.of(), Map.of()), "autopilot", null, Map.of()));
    assertEquals(List.of("knowledge-migration=startup(100)", "templates-data-load=startup(95)",
        "template-sync=cron(0 2 * * *)", "knowledge-export=cron(0 0 * * *)", "cleanup-artifacts=cron(0 1 * * 0)"),
        tasks.stream().map(t -> t.name() + "=" + t.trigger()).collect(Collectors.toList()));
  }

  @Test
  void aRestartWithUnchangedInputsWritesNothingNew(TestDatabase db) {
    Map<String, String> props = Map.of("autopilot.bootstrap.enabled", "true", "autopilot.bootstrap.wave-window", "0s",
        "autopilot.knowledge.dirs", EXAMPLES.resolve("knowledge").toString(),
        "autopilot.templates.dir", EXAMPLES.resolve("templates_data").toString());
    BootstrapStatus first;
    try (Autopilot ap = Fixture.start(db, "kb", props)) {
      first = ap.awaitBootstrap(Duration.ofSeconds(60));
      assertTrue(first.succeeded(), first.toString());
      assertEquals(List.of("knowledge-migration", "templates-data-load"),
          first.steps().stream().map(BootstrapStatus.Step::task).collect(Collectors.toList()));
    }
    assertEquals(10, count(db, "SELECT count(*) FROM kb.knowledge_artifacts"), "9 files, one with 2 artifacts");
    assertEquals(6, count(db, "SELECT count(*) FROM kb.templates"));
    String artifacts = versions(db, "kb.knowledge_artifacts");
    String templates = versions(db, "kb.templates");
    String rejects = versions(db, "kb.knowledge_rejects");

    try (Autopilot ap = Fixture.start(db, "kb", props)) {
      BootstrapStatus second = ap.awaitBootstrap(Duration.ofSeconds(60));
      assertTrue(second.succeeded(), second.toString());
      assertNotEquals(first.waveId(), second.waveId(), "a start after the window opens a new wave");
    }
    assertEquals(artifacts, versions(db, "kb.knowledge_artifacts"));
    assertEquals(templates, versions(db, "kb.templates"));
    assertEquals(rejects, versions(db, "kb.knowledge_rejects"));
  }

  @Test
  void aFailedKnowledgeMigrationSkipsTheTemplatesLoadWithTheReason(TestDatabase db) {
    try (Autopilot ap = Fixture.start(db, "kf", Map.of("autopilot.bootstrap.enabled", "true",
        "autopilot.knowledge.dirs", "/no/such/knowledge",
        "autopilot.templates.dir", EXAMPLES.resolve("templates_data").toString()))) {
      BootstrapStatus s = ap.awaitBootstrap(Duration.ofSeconds(60));
      assertTrue(s.finished() && !s.succeeded(), s.toString());
      BootstrapStatus.Step km = s.step("knowledge-migration").orElseThrow();
      assertEquals(StepState.FAILED, km.state());
      assertTrue(km.message().contains("autopilot.knowledge.dirs"), km.message());
      BootstrapStatus.Step tl = s.step("templates-data-load").orElseThrow();
      assertEquals(StepState.SKIPPED, tl.state());
      assertTrue(tl.blocked() && tl.message().contains("knowledge-migration failed"), tl.message());
      assertEquals(0, count(db, "SELECT count(*) FROM kf.templates"), "the later step did not run");
      assertEquals(s, ap.monitor().bootstrap());
    }
  }
}
