package dev.autopilot.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.code.SearchHit;
import dev.autopilot.code.SearchRequest;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.internal.embed.Embedder;
import dev.autopilot.internal.embed.RagSetup;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval quality on a small fixture with the real model and the real full-text search, in both
 * storage modes: split identifiers, stop words, one hit per file, implementation before tests,
 * and a full-text-only match kept by the fusion.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CodeSearchQualityTest {
  static final String SCHEMA = "sq";
  static final String QUEUE = "src/main/java/app/JobQueue.java";
  static final String QUEUE_TEST = "src/test/java/app/JobQueueTest.java";
  static final String RARE = "src/main/java/app/Zorblat.java";
  static final String PALETTE = "src/main/java/app/Palette.java";

  CodeSearch pgvector;
  CodeSearch array;
  Jdbc jdbc;

  @BeforeAll
  void ingestAndEmbed(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = dir.resolve("repo");
    Fixture.put(root, QUEUE, """
        package app;

        import java.sql.Connection;

        public final class JobQueue {
          /** Picks due rows for this worker, skipping rows other workers hold. */
          public List<Job> lockAndFetchCandidates(Connection c, int limit) {
            List<Job> out = new ArrayList<>();
            for (Row r : select(c, "SELECT * FROM jobs WHERE due <= now() FOR UPDATE SKIP LOCKED LIMIT ?", limit)) {
              out.add(new Job(r.id(), r.payload()));
            }
            log("picked", out.size());
            return out;
          }
        """ + method("complete", "DELETE FROM jobs WHERE id = ?") + method("reschedule",
        "UPDATE jobs SET due = ? WHERE id = ?") + method("fail", "UPDATE jobs SET failures = failures + 1 WHERE id = ?")
        + method("heartbeat", "UPDATE jobs SET heartbeat = now() WHERE id = ?") + method("release",
        "UPDATE jobs SET picked_by = NULL WHERE id = ?") + method("cancel", "UPDATE jobs SET cancelled = true WHERE id = ?")
        + "}\n");
    Fixture.put(root, QUEUE_TEST, """
        package app;

        class JobQueueTest {
          @Test
          void lockAndFetchCandidatesSkipsRowsHeldByOtherWorkers() {
            List<Job> first = queue.lockAndFetchCandidates(c1, 10);
            List<Job> second = queue.lockAndFetchCandidates(c2, 10);
            assertTrue(Collections.disjoint(first, second));
          }
        }
        """);
    Fixture.put(root, "docs/queue.md", "# The job queue\n\nWorkers lock and fetch candidates with SKIP LOCKED.\n");
    // many files about retrying work: close to the query in meaning, without its rare words
    for (int i = 0; i < 30; i++) {
      Fixture.put(root, "src/main/java/app/retry/Retry" + i + ".java", "package app.retry;\n\n"
          + "/** Retries a failed job of the queue with exponential backoff, attempt " + i + ". */\n"
          + "public final class Retry" + i + " {\n  long delay(int attempt) {\n    return 100L << Math.min(attempt, "
          + i + ");\n  }\n}\n");
    }
    // prose made of stop words: the old 'simple' OR query matched every one of these
    for (int i = 0; i < 30; i++) {
      Fixture.put(root, "notes/n" + i + ".txt", "This is what it was and there it is, as they have had it from the"
          + " one to the other, and so on for all of them, note " + i + ".\n");
    }
    Fixture.put(root, RARE, """
        package app;

        public final class Zorblat {
          static String frobnicate(String s) {
            return new StringBuilder(s).reverse().toString();
          }
        }
        """);
    Fixture.put(root, PALETTE, """
        package app;

        public final class Palette {
          static int blendPigments(int a, int b) {
            return (a + b) / 2;
          }
        }
        """);
    CodeBenchmarkTest.migrate(db, SCHEMA);
    EmbeddingModel model = EmbeddingModels.bundled();
    RagSetup.ensureStorage(db.dataSource(), SCHEMA, model, "auto");
    new CodeIngest(db.dataSource(), SCHEMA, 1 << 20, true).ingest("sq", root, false, CodeIngestTest.QUIET, () -> false);
    new Embedder(db.dataSource(), SCHEMA, model).backfill(Embedder.Owner.CHUNK, d -> {});
    Map<Class<?>, Object> services = Map.of(EmbeddingModel.class, model);
    pgvector = new CodeSearch(db.dataSource(), SCHEMA, services, "auto");
    array = new CodeSearch(db.dataSource(), SCHEMA, services, "array");
    jdbc = new Jdbc(db.dataSource());
  }

  static String method(String name, String sql) {
    StringBuilder sb = new StringBuilder("\n  public void ").append(name).append("(Connection c, long id) {\n");
    sb.append("    int n = update(c, \"").append(sql).append("\", id);\n");
    for (int i = 0; i < 8; i++) {
      sb.append("    check(n, ").append(i).append(");\n");
    }
    return sb.append("  }\n").toString();
  }

  static void assertBefore(List<String> paths, String first, String later) {
    assertTrue(paths.contains(first), first + " in " + paths);
    if (paths.contains(later)) {
      assertTrue(paths.indexOf(first) < paths.indexOf(later), first + " before " + later + " in " + paths);
    }
  }

  List<CodeSearch> both() {
    return List.of(pgvector, array);
  }

  static List<String> paths(List<SearchHit> hits) {
    return hits.stream().map(SearchHit::path).toList();
  }

  @Test
  void camelCaseIdentifierIsFoundByItsWords() {
    List<SearchHit> hits = pgvector.search(SearchRequest.of("lock and fetch candidates")
        .retrieval(SearchRequest.Retrieval.FULL_TEXT).scope(SearchRequest.Scope.IMPLEMENTATION));
    assertFalse(hits.isEmpty());
    assertEquals(QUEUE, hits.get(0).path(), paths(hits).toString());
    assertTrue(hits.get(0).content().contains("lockAndFetchCandidates("), hits.get(0).content());
    List<SearchHit> whole = pgvector.search(SearchRequest.of("lockAndFetchCandidates")
        .retrieval(SearchRequest.Retrieval.FULL_TEXT));
    assertEquals(QUEUE, whole.get(0).path(), "the whole identifier matches too: " + paths(whole));
  }

  @Test
  void stopWordsDoNotFloodTheCandidates() {
    List<SearchHit> hits = pgvector.search(SearchRequest.of("what is it that was there for them")
        .retrieval(SearchRequest.Retrieval.FULL_TEXT).limit(100));
    assertEquals(List.of(), paths(hits), "a query of stop words only matches nothing");
    List<SearchHit> zorblat = pgvector.search(SearchRequest.of("how is it that the zorblat is there")
        .retrieval(SearchRequest.Retrieval.FULL_TEXT).limit(100));
    assertEquals(List.of(RARE), paths(zorblat), "only the word that is not a stop word selects candidates");
    assertTrue(jdbc.queryOne("SELECT count(*) FROM sq.code_chunks c JOIN sq.code_files f ON f.id = c.file_id WHERE"
        + " to_tsvector('simple', c.content) @@ to_tsquery('simple', 'the | it') AND f.path LIKE 'notes/%'", Jdbc.NONE,
        rs -> rs.getInt(1)).orElseThrow() == 30, "the stop-word notes are there to flood a 'simple' OR query");
  }

  @Test
  void oneHitPerFileByDefaultAndRawChunksOnRequest() {
    for (CodeSearch s : both()) {
      List<SearchHit> files = s.search(SearchRequest.of("update jobs in the queue").limit(20));
      assertEquals(files.size(), new HashSet<>(paths(files)).size(), "distinct files: " + paths(files));
      SearchHit queue = files.stream().filter(h -> h.path().equals(QUEUE)).findFirst().orElseThrow();
      assertTrue(queue.matches().size() >= 2, "the file hit carries its best chunks: " + queue.matches());
      assertEquals(queue.chunkId(), queue.matches().get(0).chunkId());
      List<SearchHit> chunks = s.search(SearchRequest.of("update jobs in the queue").limit(20).chunks());
      assertTrue(paths(chunks).stream().filter(QUEUE::equals).count() >= 2, "raw chunks: " + paths(chunks));
    }
  }

  @Test
  void testsExamplesAndDocsRankAfterImplementation() {
    for (CodeSearch s : both()) {
      List<String> all = paths(s.search(SearchRequest.of("lock and fetch candidates skipping locked rows")));
      assertTrue(all.contains(QUEUE_TEST), all.toString());
      assertBefore(all, QUEUE, QUEUE_TEST);
      assertBefore(all, QUEUE, "docs/queue.md");
      List<SearchHit> others = s.search(SearchRequest.of("lock and fetch candidates")
          .scope(SearchRequest.Scope.NON_IMPLEMENTATION));
      assertEquals(java.util.Set.of(QUEUE_TEST, "docs/queue.md"), java.util.Set.copyOf(paths(others).subList(0, 2)),
          paths(others).toString());
      assertTrue(others.stream().allMatch(h -> h.role() != SearchHit.Role.IMPLEMENTATION), paths(others).toString());
      List<SearchHit> impl = s.search(SearchRequest.of("lock and fetch candidates")
          .scope(SearchRequest.Scope.IMPLEMENTATION).limit(50));
      assertTrue(impl.stream().allMatch(h -> h.role() == SearchHit.Role.IMPLEMENTATION), paths(impl).toString());
      assertFalse(paths(impl).contains(QUEUE_TEST));
    }
    assertEquals(Map.of("doc", 1, "test", 1), Map.copyOf(jdbc.query("SELECT role, count(*) FROM sq.code_files WHERE role"
        + " NOT IN ('impl') AND path NOT LIKE 'notes/%' GROUP BY role", Jdbc.NONE,
        rs -> Map.entry(rs.getString(1), rs.getInt(2))).stream().collect(java.util.stream.Collectors.toMap(
            Map.Entry::getKey, Map.Entry::getValue))));
  }

  @Test
  void fusionKeepsAFullTextOnlyMatchInTheTopTen() {
    // about retrying in meaning (the Retry files, none of which holds these words), plus one word
    // only Palette.java holds
    String query = "try again later, waiting longer each time; pigments";
    for (CodeSearch s : both()) {
      List<String> vector = paths(s.search(SearchRequest.of(query).retrieval(SearchRequest.Retrieval.VECTOR)));
      assertFalse(vector.contains(PALETTE), "the vector half alone misses it: " + vector);
      assertTrue(vector.stream().limit(5).allMatch(p -> p.contains("/retry/")), vector.toString());
      List<String> text = paths(s.search(SearchRequest.of(query).retrieval(SearchRequest.Retrieval.FULL_TEXT)));
      assertEquals(List.of(PALETTE), text, "the full-text half finds it alone");
      List<String> hybrid = paths(s.search(SearchRequest.of(query)));
      assertTrue(hybrid.indexOf(PALETTE) >= 0 && hybrid.indexOf(PALETTE) < 3,
          "the fused top 10 keeps the full-text-only match near the top: " + hybrid);
    }
  }
}
