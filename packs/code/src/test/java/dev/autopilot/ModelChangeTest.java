package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.code.CodePack;
import dev.autopilot.internal.code.Fixture;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host-registered EmbeddingModel is used instead of the bundled one, and changing the model
 * re-embeds everything (also resizing the pgvector column). The host models here are real,
 * deterministic feature-hashing embedders (bag of words), not stand-ins for the bundled model.
 */
@ExtendWith(PostgresExtension.class)
class ModelChangeTest {

  /** Feature hashing of lower-cased words into {@code dims} buckets, L2-normalised. */
  record HashingModel(String id, int dims) implements EmbeddingModel {
    @Override
    public int dimensions() {
      return dims;
    }

    @Override
    public List<float[]> embed(List<String> texts) {
      List<float[]> out = new ArrayList<>();
      for (String t : texts) {
        float[] v = new float[dims];
        for (String w : t.toLowerCase().split("[^a-z0-9]+")) {
          if (!w.isEmpty()) {
            v[Math.floorMod(w.hashCode(), dims)] += 1;
          }
        }
        double n = 0;
        for (float x : v) {
          n += x * x;
        }
        for (int i = 0; i < dims; i++) {
          v[i] /= (float) Math.max(1e-9, Math.sqrt(n));
        }
        out.add(v);
      }
      return out;
    }
  }

  static Autopilot start(TestDatabase db, Path root, EmbeddingModel model) {
    Autopilot ap = Autopilot.builder(db.dataSource()).schema("mc").environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).tasks(new CodePack().tasks(new dev.autopilot.internal.Pack.Context(new dev.autopilot.internal.Settings(Map.of(), Map.of(), Map.of()), "autopilot", null, Map.of()))).pollingInterval(Duration.ofMillis(100)).threads(2)
        .property("autopilot.code.roots", "fx=" + root).service(EmbeddingModel.class, model)
        .property("autopilot.bootstrap.enabled", "false") // the test runs the start-up tasks itself, in order
        .build().start();
    TaskRuns.run(ap, "code-ingest");
    TaskRuns.run(ap, "rag-setup");
    return ap;
  }

  @Test
  void changingTheModelReembedsEverythingAndResizesTheVectorColumn(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    Jdbc jdbc = new Jdbc(db.dataSource());
    String models = "SELECT model || ':' || dims || ':' || count(*) FROM mc.embeddings GROUP BY model, dims";
    int chunks;
    try (Autopilot ap = start(db, root, new HashingModel("hash-64", 64))) {
      chunks = jdbc.queryOne("SELECT count(*) FROM mc.code_chunks", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(List.of("hash-64:64:" + chunks), jdbc.query(models, Jdbc.NONE, rs -> rs.getString(1)));
      assertTrue(dev.autopilot.code.CodeSearch.of(ap).search("slugify title", 5).stream().anyMatch(h -> h.path().equals("python/pkg/helpers.py")),
          "search works with the host's model");
    }
    try (Autopilot ap = start(db, root, new HashingModel("hash-32", 32))) {
      assertEquals(List.of("hash-32:32:" + chunks), jdbc.query(models, Jdbc.NONE, rs -> rs.getString(1)),
          "old vectors replaced by the new model's");
      assertEquals(32, jdbc.queryOne("SELECT atttypmod FROM pg_attribute WHERE attrelid = 'mc.embeddings'::regclass"
          + " AND attname = 'vec'", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow());
      assertTrue(jdbc.queryOne("SELECT count(*) FROM mc.embeddings WHERE vec IS NULL", Jdbc.NONE,
          rs -> rs.getInt(1)).orElseThrow() == 0);
      assertTrue(dev.autopilot.code.CodeSearch.of(ap).search("slugify title", 5).stream().anyMatch(h -> h.path().equals("python/pkg/helpers.py")),
          "search works with the host's model");
    }
  }

  @Test
  void withoutCodebasesIngestAndRagSetupSkipWithAReason(TestDatabase db) {
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("empty").environment(Map.of())
        .discoverProviders(false).builtInTasks(false).tasks(new CodePack().tasks(new dev.autopilot.internal.Pack.Context(new dev.autopilot.internal.Settings(Map.of(), Map.of(), Map.of()), "autopilot", null, Map.of())))
        .pollingInterval(Duration.ofMillis(100)).threads(2).build().start()) {
      for (String task : List.of("code-ingest", "rag-setup")) {
        String id = ap.trigger(task);
        Await.until(Duration.ofSeconds(30), task + " skipped", () -> {
          ap.flushHistory(Duration.ofSeconds(1));
          return ap.monitor().jobs(JobQuery.all().task(task)).stream()
              .anyMatch(j -> j.executionId().equals(id) && j.state() == JobState.SKIPPED);
        });
      }
    }
  }
}
