package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.code.CodeSearch;
import dev.autopilot.internal.code.Fixture;
import dev.autopilot.internal.embed.BackgroundEmbedding;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.code.EmbeddingProgress;
import dev.autopilot.code.SearchHit;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bootstrap does not wait for all embeddings: after {@code code.embed.wait} the rest is
 * embedded in the background, search answers meanwhile and says how far embedding got, and the
 * background embedding finishes. The model is the bundled one behind a gate the test opens, so
 * "still running" is a state the test holds, not a race it hopes to win.
 */
@ExtendWith(PostgresExtension.class)
class BackgroundEmbeddingTest {

  /** The bundled model; every page after the first waits for the gate (single-text queries never do). */
  static final class GatedModel implements EmbeddingModel {
    final EmbeddingModel real = EmbeddingModels.bundled();
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger pages = new AtomicInteger();

    @Override
    public String id() {
      return real.id();
    }

    @Override
    public int dimensions() {
      return real.dimensions();
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      if (texts.size() > 1 && pages.incrementAndGet() > 1) {
        try {
          gate.await(180, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return real.embed(texts);
    }
  }

  @Test
  void bootstrapGoesOnWhileChunksEmbedInTheBackgroundAndSearchReportsPartialProgress(TestDatabase db,
      @TempDir Path dir) throws Exception {
    Path root = dir.resolve("many");
    for (int i = 0; i < 300; i++) {
      Fixture.put(root, "src/w/Widget" + i + ".java", "package w;\n\n/** Widget number " + i + ". */\n"
          + "public class Widget" + i + " {\n  public int total" + i + "(int x) {\n    return x * " + i + ";\n  }\n}\n");
    }
    Fixture.put(root, "src/w/Zebracorn.java", "package w;\n\n/** The zebracorn grazes last. */\npublic class Zebracorn {\n"
        + "  public String graze() {\n    return \"zebracorn\";\n  }\n}\n");
    GatedModel model = new GatedModel();
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("bg").environment(Map.of()).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(100)).threads(2)
        .property("autopilot.code.roots", "many=" + root).property("autopilot.code.embed.wait", "1s")
        .service(EmbeddingModel.class, model).build().start()) {
      try {
        BootstrapStatus wave = ap.awaitBootstrap(Duration.ofSeconds(120));
        assertTrue(wave.steps().stream().allMatch(s -> s.state().isFinished() && s.state() != BootstrapStatus.StepState.FAILED)
            && wave.steps().stream().anyMatch(s -> s.task().equals("rag-setup") && s.state() == BootstrapStatus.StepState.SUCCEEDED),
            "the bootstrap finished while the gate held the embedding: " + wave.steps());
        BackgroundEmbedding bg = ap.service(BackgroundEmbedding.class).orElseThrow();
        CodeSearch search = new CodeSearch(db.dataSource(), "bg", Map.of(EmbeddingModel.class, model,
            BackgroundEmbedding.class, bg), "auto");
        EmbeddingProgress partial = Await.value(Duration.ofSeconds(120), "the first page stored",
            search::embeddingProgress, p -> p.embedded() > 0);
        assertTrue(partial.running(), "still embedding in the background: " + partial);
        assertTrue(partial.embedded() < partial.total() && partial.total() > 100, partial.toString());
        assertTrue(partial.toString().matches("\\d+ of \\d+ chunks embedded \\(embedding continues in the background\\)"),
            partial.toString());
        // search answers from what is there: vector hits among the embedded chunks, and the last
        // file's chunk, which has no vector yet, by its words
        List<SearchHit> hits = search.search("zebracorn", 200);
        assertTrue(hits.size() > 1, "hits: " + hits.size());
        assertTrue(hits.stream().anyMatch(h -> h.path().endsWith("Zebracorn.java")), "found by its words");

        model.gate.countDown();
        EmbeddingProgress done = Await.value(Duration.ofSeconds(300), "background embedding finished",
            search::embeddingProgress, p -> p.complete() && !p.running());
        assertEquals(done.total(), done.embedded());
        assertEquals(done.total(), (long) new Jdbc(db.dataSource()).queryOne("SELECT count(*) FROM bg.embeddings"
            + " WHERE owner_type = 'chunk'", Jdbc.NONE, rs -> rs.getLong(1)).orElseThrow());
        assertEquals("", new Jdbc(db.dataSource()).queryOne("SELECT count(*) FROM bg.embeddings WHERE vec IS NULL",
            Jdbc.NONE, rs -> rs.getLong(1) == 0 ? "" : "vectors without vec: " + rs.getLong(1)).orElseThrow(),
            "vectors written while rag-setup added the pgvector column got it too");
      } finally {
        model.gate.countDown();
      }
    }
  }
}
