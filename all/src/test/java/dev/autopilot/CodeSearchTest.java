package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.code.SearchHit;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.code.CodePack;
import dev.autopilot.internal.code.Fixture;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The real model end to end: start-up ingest + rag-setup, search in both storage modes, re-embedding. */
@ExtendWith(PostgresExtension.class)
class CodeSearchTest {

  static Autopilot start(TestDatabase db, String schema, Path root, String storage) {
    Autopilot ap = Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false).tasks(new CodePack().tasks(new dev.autopilot.internal.Pack.Context(new dev.autopilot.internal.Settings(Map.of(), Map.of(), Map.of()), "autopilot", null, Map.of()))).pollingInterval(Duration.ofMillis(100)).threads(2)
        .property("autopilot.code.roots", "fx=" + root).property("autopilot.rag.storage", storage)
        .build().start();
    // start-up triggers run through the bootstrap wave of another issue; triggering them here
    // runs the same tasks in the same order
    run(ap, "code-ingest");
    Jdbc jdbc = new Jdbc(db.dataSource());
    jdbc.update("INSERT INTO " + schema + ".templates (path, name, content, content_hash) VALUES"
        + " ('t/greeting.txt', 'greeting', 'Hello {{name}}', 'h1')", Jdbc.NONE);
    jdbc.update("INSERT INTO " + schema + ".knowledge_artifacts (artifact_type, artifact_id, title, content,"
        + " content_hash, source_file) VALUES ('pattern', 'p1', 'Retry', '{\"text\": \"retry with backoff\"}', 'k1', 'k.json')",
        Jdbc.NONE);
    run(ap, "rag-setup");
    // once start-up tasks also run by themselves (bootstrap wave), a triggered run may find the
    // codebase locked by the start-up run: wait for the data, not only for the runs
    Await.until(Duration.ofSeconds(120), "fixture ingested and embedded", () -> jdbc.queryOne("SELECT (SELECT count(*)"
        + " FROM " + schema + ".code_files) >= 27 AND NOT EXISTS (SELECT 1 FROM " + schema + ".code_chunks c WHERE NOT"
        + " c.superseded AND NOT EXISTS (SELECT 1 FROM " + schema + ".embeddings e WHERE e.owner_type = 'chunk' AND"
        + " e.owner_id = c.id))", Jdbc.NONE, rs -> rs.getBoolean(1)).orElse(false));
    assertEquals(List.of("chunk", "knowledge", "template"), jdbc.query("SELECT DISTINCT owner_type FROM " + schema
        + ".embeddings ORDER BY 1", Jdbc.NONE, rs -> rs.getString(1)), "rag-setup backfilled every owner type");
    return ap;
  }

  static void run(Autopilot ap, String task) {
    TaskRuns.run(ap, task);
  }


  static void assertFirst(Autopilot ap, String query, String path) {
    List<SearchHit> hits = dev.autopilot.code.CodeSearch.of(ap).search(query, 3);
    assertFalse(hits.isEmpty(), query);
    assertEquals(path, hits.get(0).path(), query + " -> " + hits);
    assertTrue(hits.get(0).startLine() >= 1 && hits.get(0).endLine() >= hits.get(0).startLine());
  }

  static void knownQueries(Autopilot ap) {
    assertFirst(ap, "convert a title into a url slug", "python/pkg/helpers.py");
    assertFirst(ap, "split configuration text into tokens", "rust/src/parser.rs");
    assertFirst(ap, "keep key value pairs in an in-memory map", "go/store/store.go");
    assertFirst(ap, "add two numbers", "js/src/math.ts");
    assertFirst(ap, "join words with a dash", "java/src/main/java/fx/core/Util.java");
  }

  @Test
  void searchFindsTheRelevantChunkFirstWithPgvectorAndReembedsOnlyAChangedFile(TestDatabase db, @TempDir Path dir)
      throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    try (Autopilot ap = start(db, "s_pgv", root, "auto")) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      assertEquals(1, jdbc.queryOne("SELECT count(*) FROM information_schema.columns WHERE table_schema = 's_pgv'"
          + " AND table_name = 'embeddings' AND column_name = 'vec'", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow());
      assertEquals(0, jdbc.queryOne("SELECT count(*) FROM s_pgv.code_chunks c WHERE NOT EXISTS (SELECT 1 FROM"
          + " s_pgv.embeddings e WHERE e.owner_type = 'chunk' AND e.owner_id = c.id AND e.vec IS NOT NULL)",
          Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow(), "every chunk has a pgvector vector");
      knownQueries(ap);

      long maxBefore = jdbc.queryOne("SELECT max(id) FROM s_pgv.embeddings", Jdbc.NONE, rs -> rs.getLong(1)).orElseThrow();
      String othersBefore = jdbc.queryOne("SELECT string_agg(id || ':' || created_at, ',' ORDER BY id) FROM"
          + " s_pgv.embeddings", Jdbc.NONE, rs -> rs.getString(1)).orElseThrow();
      Files.writeString(root.resolve("python/pkg/helpers.py"), Files.readString(root.resolve("python/pkg/helpers.py"))
          + "\n\ndef shout(text):\n    \"\"\"Return the text in upper case letters.\"\"\"\n    return text.upper()\n");
      run(ap, "code-ingest");
      List<String> reembedded = jdbc.query("SELECT DISTINCT f.path FROM s_pgv.embeddings e JOIN s_pgv.code_chunks c"
          + " ON c.id = e.owner_id JOIN s_pgv.code_files f ON f.id = c.file_id WHERE e.id > " + maxBefore, Jdbc.NONE,
          rs -> rs.getString(1));
      assertEquals(List.of("python/pkg/helpers.py"), reembedded);
      int computed = jdbc.queryOne("SELECT count(*) FROM s_pgv.embeddings e JOIN s_pgv.code_chunks c ON c.id ="
          + " e.owner_id WHERE e.id > " + maxBefore + " AND NOT EXISTS (SELECT 1 FROM s_pgv.code_chunks o WHERE"
          + " o.superseded AND o.file_id = c.file_id AND o.content_hash = c.content_hash)", Jdbc.NONE,
          rs -> rs.getInt(1)).orElseThrow();
      int newChunks = jdbc.queryOne("SELECT count(*) FROM s_pgv.code_chunks c WHERE NOT c.superseded AND NOT EXISTS"
          + " (SELECT 1 FROM s_pgv.code_chunks o WHERE o.superseded AND o.file_id = c.file_id AND o.content_hash ="
          + " c.content_hash) AND c.file_id = (SELECT id FROM s_pgv.code_files WHERE path = 'python/pkg/helpers.py')",
          Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow();
      assertEquals(newChunks, computed, "only chunks whose text changed were embedded anew");
      assertTrue(jdbc.queryOne("SELECT string_agg(id || ':' || created_at, ',' ORDER BY id) FROM s_pgv.embeddings"
          + " WHERE id <= " + maxBefore, Jdbc.NONE, rs -> rs.getString(1)).orElseThrow().equals(othersBefore),
          "no existing vector rewritten");
      assertFirst(ap, "return text in upper case", "python/pkg/helpers.py");

      jdbc.update("UPDATE s_pgv.templates SET content = 'Goodbye {{name}}', content_hash = 'h2'", Jdbc.NONE);
      run(ap, "template-embed");
      assertEquals("h2", jdbc.queryOne("SELECT source_hash FROM s_pgv.embeddings WHERE owner_type = 'template'",
          Jdbc.NONE, rs -> rs.getString(1)).orElseThrow(), "template-embed re-embedded the changed template");
    }
  }

  @Test
  void searchFindsTheRelevantChunkFirstWithRealArrays(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    try (Autopilot ap = start(db, "s_arr", root, "array")) {
      Jdbc jdbc = new Jdbc(db.dataSource());
      assertEquals(0, jdbc.queryOne("SELECT count(*) FROM information_schema.columns WHERE table_schema = 's_arr'"
          + " AND table_name = 'embeddings' AND column_name = 'vec'", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow());
      assertEquals(0, jdbc.queryOne("SELECT count(*) FROM s_arr.code_chunks c WHERE NOT EXISTS (SELECT 1 FROM"
          + " s_arr.embeddings e WHERE e.owner_type = 'chunk' AND e.owner_id = c.id)", Jdbc.NONE,
          rs -> rs.getInt(1)).orElseThrow());
      knownQueries(ap);
    }
  }
}
