package dev.autopilot.knowledge;

import static dev.autopilot.knowledge.Fixture.count;
import static dev.autopilot.knowledge.Fixture.run;

import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Prints how long knowledge-migration and templates-data-load take, first load and unchanged rerun. */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class KnowledgeBenchmarkTest {

  @Test
  void loadAndUnchangedRerun(TestDatabase db, @TempDir Path dir) throws Exception {
    int n = 2000;
    Path k = Files.createDirectories(dir.resolve("knowledge"));
    Path t = Files.createDirectories(dir.resolve("templates_data"));
    for (int i = 0; i < n; i++) {
      Files.writeString(k.resolve("a-" + i + ".json"), KnowledgeMigrationTest.artifact("pattern", "p-" + i, "Pattern " + i));
      Files.writeString(t.resolve("t-" + i + ".sql"), "SELECT " + i + ";\n".repeat(20));
    }
    try (Autopilot ap = Fixture.start(db, "bench", Map.of("autopilot.knowledge.dirs", k.toString(),
        "autopilot.templates.dir", t.toString()))) {
      for (String task : new String[] {"knowledge-migration", "templates-data-load"}) {
        for (String phase : new String[] {"first load", "unchanged rerun"}) {
          long t0 = System.nanoTime();
          run(ap, db, "bench", task);
          System.out.printf("BENCHMARK %s %s of %d files: %d ms (trigger to history row)%n", task, phase, n,
              (System.nanoTime() - t0) / 1_000_000);
        }
      }
      System.out.printf("BENCHMARK rows: %d artifacts, %d templates%n",
          count(db, "SELECT count(*) FROM bench.knowledge_artifacts"), count(db, "SELECT count(*) FROM bench.templates"));
    }
  }
}
