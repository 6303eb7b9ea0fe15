package dev.autopilot.knowledge;

import static dev.autopilot.knowledge.Fixture.count;
import static dev.autopilot.knowledge.Fixture.run;
import static dev.autopilot.knowledge.Fixture.strings;
import static dev.autopilot.knowledge.Fixture.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** knowledge-migration against a real database: the TASKS.md proof and bad input. */
@ExtendWith(PostgresExtension.class)
class KnowledgeMigrationTest {

  static String artifact(String type, String id, String title) {
    return "{\"type\": \"" + type + "\", \"id\": \"" + id + "\", \"title\": \"" + title + "\","
        + " \"tags\": [\"Java\", \"java\", \" Spring \"], \"content\": {\"text\": \"" + title + " explained\"}}";
  }

  @Test
  void nineGoodFilesAndOneMalformedGiveNineRowsAndOneRejectAndARerunWritesNothing(TestDatabase db, @TempDir Path dir)
      throws Exception {
    for (int i = 1; i <= 9; i++) {
      Files.writeString(dir.resolve("good-" + i + ".json"), artifact("guideline", "g-" + i, "Guideline " + i));
    }
    Files.writeString(dir.resolve("broken.json"), "{\"type\": \"guideline\", \"id\": \"x\", \"title\": ");
    try (Autopilot ap = Fixture.start(db, "km", Map.of("autopilot.knowledge.dirs", dir.toString()))) {
      assertEquals("succeeded", run(ap, db, "km", "knowledge-migration").outcome());
      assertEquals(9, count(db, "SELECT count(*) FROM km.knowledge_artifacts"));
      List<String> rejects = strings(db, "SELECT source_file || ' | ' || reason FROM km.knowledge_rejects");
      assertEquals(1, rejects.size());
      assertTrue(rejects.get(0).startsWith(dir.resolve("broken.json").toString() + " | malformed JSON at line 1"),
          rejects.get(0));
      assertEquals(List.of("java", "spring"), strings(db,
          "SELECT jsonb_array_elements_text(content->'tags') FROM km.knowledge_artifacts WHERE artifact_id = 'g-1'"),
          "tags normalised: trimmed, lower-case, sorted, distinct");

      String artifacts = versions(db, "km.knowledge_artifacts");
      String rejectRows = versions(db, "km.knowledge_rejects");
      // the same content reformatted (key order, whitespace) is the same artifact
      Files.writeString(dir.resolve("good-1.json"), "{\n  \"content\": {\"text\": \"Guideline 1 explained\"},\n"
          + "  \"title\": \"Guideline 1\", \"tags\": [\"spring\", \"JAVA\"], \"id\": \" g-1 \", \"type\": \"guideline\"\n}\n");
      assertEquals("succeeded", run(ap, db, "km", "knowledge-migration").outcome());
      assertEquals(artifacts, versions(db, "km.knowledge_artifacts"), "rerun wrote no artifact row");
      assertEquals(rejectRows, versions(db, "km.knowledge_rejects"), "rerun wrote no reject row");

      // fixing the bad file loads it and clears its reject
      Files.writeString(dir.resolve("broken.json"), artifact("guideline", "x", "Fixed"));
      run(ap, db, "km", "knowledge-migration");
      assertEquals(10, count(db, "SELECT count(*) FROM km.knowledge_artifacts"));
      assertEquals(0, count(db, "SELECT count(*) FROM km.knowledge_rejects"));
    }
  }

  @Test
  void eachBadFileIsRejectedByNameWithItsReasonAndTheRestLoads(TestDatabase db, @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-good.json"), artifact("decision", "adr-1", "Use PostgreSQL"));
    Files.writeString(dir.resolve("b-array.json"), "[" + artifact("snippet", "s-1", "One") + ","
        + artifact("snippet", "s-2", "Two") + "]");
    Files.writeString(dir.resolve("c-malformed.json"), "{\"type\": \"decision\",, }");
    Files.writeString(dir.resolve("d-schema.json"), "{\"type\": \"decision\", \"id\": \"adr-2\", \"colour\": \"red\","
        + " \"content\": 42}");
    Files.writeString(dir.resolve("e-duplicate.json"), artifact("decision", "adr-1", "Use PostgreSQL again"));
    byte[] latin1 = artifact("decision", "café", "Café").getBytes(StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve("f-latin1.json"), latin1);
    Files.writeString(dir.resolve("g-big.json"), artifact("decision", "big", "x".repeat(3000)));
    Files.writeString(dir.resolve("h-dupkey.json"), "{\"type\": \"decision\", \"id\": \"k\", \"id\": \"k2\","
        + " \"title\": \"t\", \"content\": \"c\"}");
    try (Autopilot ap = Fixture.start(db, "bad", Map.of("autopilot.knowledge.dirs", dir.toString(),
        "autopilot.knowledge.max-file-size", "2000"))) {
      assertEquals("succeeded", run(ap, db, "bad", "knowledge-migration").outcome());
      assertEquals(List.of("decision/adr-1", "snippet/s-1", "snippet/s-2"), strings(db,
          "SELECT artifact_type || '/' || artifact_id FROM bad.knowledge_artifacts ORDER BY 1"));
      assertEquals("Use PostgreSQL", strings(db, "SELECT title FROM bad.knowledge_artifacts WHERE artifact_id = 'adr-1'").get(0),
          "the first definition wins; the duplicate does not overwrite it");
      Map<String, String> reasons = new java.util.TreeMap<>();
      for (String r : strings(db, "SELECT source_file || '\t' || reason FROM bad.knowledge_rejects")) {
        String[] parts = r.split("\t", 2);
        reasons.put(Path.of(parts[0]).getFileName().toString(), parts[1]);
      }
      assertEquals(List.of("c-malformed.json", "d-schema.json", "e-duplicate.json", "f-latin1.json", "g-big.json",
          "h-dupkey.json"), List.copyOf(reasons.keySet()));
      assertTrue(reasons.get("c-malformed.json").startsWith("malformed JSON at line 1, column 21"), reasons.toString());
      String schema = reasons.get("d-schema.json");
      assertTrue(schema.startsWith("schema violation") && schema.contains("title") && schema.contains("colour")
          && schema.contains("content"), schema);
      assertTrue(reasons.get("e-duplicate.json").contains("duplicate artifact (type 'decision', id 'adr-1'): already defined in "
          + dir.resolve("a-good.json")), reasons.get("e-duplicate.json"));
      assertTrue(reasons.get("f-latin1.json").startsWith("not valid UTF-8: invalid byte sequence at byte offset"),
          reasons.get("f-latin1.json"));
      assertTrue(reasons.get("g-big.json").contains("larger than the limit of 2000 bytes (autopilot.knowledge.max-file-size)"),
          reasons.get("g-big.json"));
      assertTrue(reasons.get("h-dupkey.json").contains("Duplicate field 'id'"), reasons.get("h-dupkey.json"));
    }
  }

  @Test
  void classpathResourcesLoadAndAMissingDirectoryFailsNamingTheSettingAfterLoadingTheRest(TestDatabase db,
      @TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("one.json"), artifact("checklist", "release", "Release checklist"));
    Path missing = dir.resolve("no-such-dir");
    try (Autopilot ap = Fixture.start(db, "cp", Map.of("autopilot.knowledge.dirs", dir + "," + missing,
        "autopilot.knowledge.classpath", "test-knowledge"))) {
      Fixture.Run r = run(ap, db, "cp", "knowledge-migration");
      assertEquals("failed", r.outcome());
      assertTrue(r.message().contains("autopilot.knowledge.dirs") && r.message().contains("not a directory: " + missing),
          r.message());
      assertEquals(List.of("checklist/release|" + dir.resolve("one.json"),
          "pattern/retry-with-backoff|classpath:test-knowledge/retry.json",
          "pattern/idempotent-upsert|classpath:test-knowledge/sub/upsert.json"),
          strings(db, "SELECT artifact_type || '/' || artifact_id || '|' || source_file FROM cp.knowledge_artifacts"
              + " ORDER BY artifact_type, source_file"));
    }
  }

  @Test
  void nothingConfiguredIsSkippedWithTheReason(TestDatabase db) {
    try (Autopilot ap = Fixture.start(db, "none", Map.of())) {
      Fixture.Run r = run(ap, db, "none", "knowledge-migration");
      assertEquals("skipped", r.outcome());
      assertTrue(r.message().contains("autopilot.knowledge.dirs"), r.message());
    }
  }

  @Test
  void theShippedExampleKnowledgeIsValid(TestDatabase db) {
    Path examples = Path.of("..", "..", "examples", "data", "knowledge").toAbsolutePath().normalize();
    try (Autopilot ap = Fixture.start(db, "ex", Map.of("autopilot.knowledge.dirs", examples.toString()))) {
      assertEquals("succeeded", run(ap, db, "ex", "knowledge-migration").outcome());
      assertEquals(0, count(db, "SELECT count(*) FROM ex.knowledge_rejects"),
          String.join("\n", strings(db, "SELECT source_file || ': ' || reason FROM ex.knowledge_rejects")));
      assertTrue(count(db, "SELECT count(*) FROM ex.knowledge_artifacts") >= 8);
    }
  }
}
