package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Migrator;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.internal.embed.Embedder;
import dev.autopilot.internal.embed.MiniLmModel;
import dev.autopilot.internal.embed.RagSetup;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Numbers for the report; run with -Dgroups=benchmark -DexcludedGroups=none. Never asserts timings. */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class CodeBenchmarkTest {

  /** Prints a result line and appends it to target/code-benchmark.txt, so partial runs keep their numbers. */
  static void out(String format, Object... args) {
    String line = String.format(format, args);
    System.out.print(line);
    try {
      java.nio.file.Files.writeString(Path.of("target/code-benchmark.txt"), line, java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static void migrate(TestDatabase db, String schema) {
    new Migrator(db.dataSource(), schema, CodeBenchmarkTest.class.getClassLoader(), "[bench] ").migrate();
  }

  static void ingestTwice(TestDatabase db, String schema, String name, Path root) {
    migrate(db, schema);
    CodeIngest ci = new CodeIngest(db.dataSource(), schema, 1 << 20, false);
    CodeIngest.Stats first = ci.ingest(name, root, false, CodeIngestTest.QUIET, () -> false);
    CodeIngest.Stats again = ci.ingest(name, root, false, CodeIngestTest.QUIET, () -> false);
    out("BENCH ingest %s: %d files, %d chunks in %d ms = %.0f files/s, %.0f chunks/s;"
        + " unchanged re-ingest %d ms (wrote nothing: %s)%n", name, first.seen() - first.skipped(), first.chunks(),
        first.millis(), (first.seen() - first.skipped()) * 1000.0 / first.millis(), first.chunks() * 1000.0 / first.millis(),
        again.millis(), again.wroteNothing());
  }

  @Test
  void ingestThroughput(TestDatabase db, @TempDir Path dir) throws Exception {
    ingestTwice(db, "b_self", "autopilot", Path.of(System.getProperty("user.dir")).getParent().getParent());
    Path gen = dir.resolve("gen");
    for (int i = 0; i < 10_000; i++) {
      String pkg = "p" + (i / 100);
      StringBuilder sb = new StringBuilder("package gen." + pkg + ";\n\nimport gen.p0.C0;\n\npublic class C" + i + " {\n");
      for (int m = 0; m < 4; m++) {
        sb.append("  public int m").append(m).append("(int x) {\n    int y = x * ").append(i).append(";\n")
            .append("    return y + ").append(m).append(";\n  }\n\n");
      }
      sb.append("}\n");
      Fixture.put(gen, "src/gen/" + pkg + "/C" + i + ".java", sb.toString());
    }
    ingestTwice(db, "b_gen", "gen10k", gen);
  }

  @Test
  void embeddingPipelineAgainstRawModel(TestDatabase db) {
    migrate(db, "b_emb");
    CodeIngest ci = new CodeIngest(db.dataSource(), "b_emb", 1 << 20, false);
    ci.ingest("autopilot", Path.of(System.getProperty("user.dir")).getParent().getParent().resolve("core/src/main"), false,
        CodeIngestTest.QUIET, () -> false);
    Jdbc jdbc = new Jdbc(db.dataSource());
    List<String> texts = jdbc.query("SELECT f.path || coalesce(' ' || c.symbol, '') || E'\\n' || c.content FROM"
        + " b_emb.code_chunks c JOIN b_emb.code_files f ON f.id = c.file_id ORDER BY c.id", Jdbc.NONE,
        rs -> rs.getString(1));
    MiniLmModel model = EmbeddingModels.bundled();
    model.embed(texts.subList(0, 32)); // warm-up
    // interleaved rounds: the machine is shared, so a single pair would mostly measure the neighbours
    for (int round = 1; round <= 3; round++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < texts.size(); i += 32) {
        List<String> b = new ArrayList<>();
        for (String t : texts.subList(i, Math.min(texts.size(), i + 32))) {
          b.add(t.length() > 1500 ? t.substring(0, 1500) : t);
        }
        model.embed(b);
      }
      double raw = texts.size() * 1e9 / (System.nanoTime() - t0);
      jdbc.update("DELETE FROM b_emb.embeddings", Jdbc.NONE);
      long t1 = System.nanoTime();
      int n = new Embedder(db.dataSource(), "b_emb", model).backfill(Embedder.Owner.CHUNK, d -> {});
      double pipe = n * 1e9 / (System.nanoTime() - t1);
      out("BENCH embeddings round %d: %d texts; raw DJL %.1f/s; pipeline (read, embed, store) %.1f/s = %.0f%% of raw%n",
          round, texts.size(), raw, pipe, 100 * pipe / raw);
    }
  }

  @Test
  void searchLatency(TestDatabase db) {
    for (int size : new int[] {10_000, 100_000}) {
      String schema = "b_s" + size;
      migrate(db, schema);
      Jdbc jdbc = new Jdbc(db.dataSource());
      long t0 = System.nanoTime();
      jdbc.update("INSERT INTO " + schema + ".code_files (codebase, path, content_hash) SELECT 'syn', 'f' || g || '.txt', 'h'"
          + " FROM generate_series(1, " + size / 10 + ") g", Jdbc.NONE);
      jdbc.update("INSERT INTO " + schema + ".code_chunks (file_id, chunk_index, start_line, end_line, content,"
          + " content_hash, file_hash) SELECT f.id, k, k * 10 + 1, k * 10 + 10, (SELECT string_agg('w' || (random() * 20000)::int,"
          + " ' ') FROM generate_series(1, 40) WHERE f.id + k > 0), md5(f.id || ':' || k), 'h' FROM " + schema
          + ".code_files f, generate_series(0, 9) k", Jdbc.NONE);
      jdbc.update("INSERT INTO " + schema + ".embeddings (owner_type, owner_id, model, dims, vector, norm) SELECT 'chunk',"
          + " c.id, ?, 384, v.a, 1 FROM " + schema + ".code_chunks c CROSS JOIN LATERAL (SELECT array_agg((random() - 0.5)::real)"
          + " a FROM generate_series(1, 384) WHERE c.id > 0) v", ps -> ps.setString(1, MiniLmModel.ID));
      out("BENCH search %d: synthetic rows inserted in %d ms%n", size, (System.nanoTime() - t0) / 1_000_000);
      EmbeddingModel model = EmbeddingModels.bundled();
      Map<Class<?>, Object> services = Map.of(EmbeddingModel.class, model);
      latency("array", size, new CodeSearch(db.dataSource(), schema, services, "array"));
      long t1 = System.nanoTime();
      RagSetup.ensureStorage(db.dataSource(), schema, model, "pgvector");
      out("BENCH search %d: vec column filled and HNSW index built in %d ms%n", size,
          (System.nanoTime() - t1) / 1_000_000);
      latency("pgvector", size, new CodeSearch(db.dataSource(), schema, services, "auto"));
    }
  }

  private static void latency(String mode, int size, CodeSearch search) {
    // natural-language queries plus two that hit the synthetic words (each in about 0.2% of the chunks)
    String[] queries = {"parse the cron expression", "w42 w4242", "open a database connection",
        "retry with backoff", "embedding vectors", "w7", "close the scheduler", "read the settings"};
    long tLoad = System.nanoTime();
    search.search("warm up", 10); // loads the in-process vectors in array mode
    double firstMs = (System.nanoTime() - tLoad) / 1e6;
    search.search("warm up again", 10);
    long[] ms = new long[40];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      search.search(queries[i % queries.length] + " " + i, 10);
      ms[i] = (System.nanoTime() - t) / 1000;
    }
    Arrays.sort(ms);
    out("BENCH search %s at %d chunks (k=10, incl. embedding the query): p50 %.1f ms, p95 %.1f ms"
        + " (first search, loading vectors: %.1f ms)%n", mode, size, ms[ms.length / 2] / 1000.0,
        ms[(int) (ms.length * 0.95)] / 1000.0, firstMs);
  }
}
