package dev.autopilot.knowledge;

import static dev.autopilot.knowledge.Fixture.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.ObjectId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** knowledge-export into a Git working tree, through JGit, against a real database. */
@ExtendWith(PostgresExtension.class)
class KnowledgeExportTest {

  private static void artifact(TestDatabase db, String schema, String type, String id, String text) {
    new Jdbc(db.dataSource()).update("INSERT INTO " + schema + ".knowledge_artifacts (artifact_type, artifact_id, title,"
        + " content, content_hash, source_file) VALUES (?, ?, 't', jsonb_build_object('id', ?::text, 'text', ?::text),"
        + " md5(?), 'test') ON CONFLICT (artifact_type, artifact_id) DO UPDATE SET content = excluded.content", ps -> {
          ps.setString(1, type);
          ps.setString(2, id);
          ps.setString(3, id);
          ps.setString(4, text);
          ps.setString(5, text);
        });
  }

  private static void pattern(TestDatabase db, String schema, String key, double confidence) {
    new Jdbc(db.dataSource()).update("INSERT INTO " + schema + ".learned_patterns (pattern_key, usage_count, success_count,"
        + " confidence, last_seen) VALUES (?, 10, 9, ?, '2026-11-01T00:00:00Z')", ps -> {
          ps.setString(1, key);
          ps.setDouble(2, confidence);
        });
  }

  private static List<String> files(Path root) throws Exception {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
          .filter(p -> !p.startsWith(".git/")).sorted().collect(Collectors.toList());
    }
  }

  private static ObjectId head(Path repo) throws Exception {
    try (Git g = Git.open(repo.toFile())) {
      return g.getRepository().resolve("HEAD");
    }
  }

  private static int commits(Path repo) throws Exception {
    try (Git g = Git.open(repo.toFile())) {
      int n = 0;
      for (var c : g.log().call()) {
        n++;
      }
      return n;
    }
  }

  @Test
  void commitsOnlyWhenSomethingChangedAndPushesWhenAsked(TestDatabase db, @TempDir Path dir) throws Exception {
    Path tree = dir.resolve("export");
    Path remote = dir.resolve("remote.git");
    Git.init().setBare(true).setDirectory(remote.toFile()).setInitialBranch("main").call().close();
    try (Autopilot ap = Fixture.start(db, "ke", Map.of("autopilot.knowledge-export.dir", tree.toString(),
        "autopilot.knowledge-export.push", "true", "autopilot.knowledge-export.remote", remote.toUri().toString()))) {
      artifact(db, "ke", "guideline", "logging", "never log secrets");
      artifact(db, "ke", "decision", "adr-1", "use postgres");
      pattern(db, "ke", "retry.backoff", 0.91);
      pattern(db, "ke", "guess.work", 0.40);
      assertEquals("succeeded", run(ap, db, "ke", "knowledge-export").outcome());
      assertEquals(List.of("knowledge/decision/adr-1.json", "knowledge/guideline/logging.json", "patterns/retry.backoff.json"),
          files(tree), "artifacts and only the confident pattern");
      assertTrue(Files.readString(tree.resolve("knowledge/guideline/logging.json")).contains("\"text\" : \"never log secrets\""));
      assertEquals(1, commits(tree));
      assertEquals(head(tree), head(remote), "pushed");

      ObjectId first = head(tree);
      assertEquals("succeeded", run(ap, db, "ke", "knowledge-export").outcome());
      assertEquals(first, head(tree), "nothing changed: no commit");

      artifact(db, "ke", "guideline", "logging", "never log secrets or tokens");
      new Jdbc(db.dataSource()).update("DELETE FROM ke.knowledge_artifacts WHERE artifact_id = 'adr-1'", Jdbc.NONE);
      assertEquals("succeeded", run(ap, db, "ke", "knowledge-export").outcome());
      assertNotEquals(first, head(tree));
      assertEquals(2, commits(tree));
      assertEquals(List.of("knowledge/guideline/logging.json", "patterns/retry.backoff.json"), files(tree),
          "the deleted artifact's file is gone");
      assertEquals(head(tree), head(remote));
    }
  }

  @Test
  void dotDotNamesStayInsideTheTree(TestDatabase db, @TempDir Path dir) throws Exception {
    Path tree = dir.resolve("a/b/export");
    try (Autopilot ap = Fixture.start(db, "kx", Map.of("autopilot.knowledge-export.dir", tree.toString()))) {
      artifact(db, "kx", "../..", "../../etc/passwd", "evil");
      artifact(db, "kx", "note", "..", "dots");
      artifact(db, "kx", "note", "a/b", "slash");
      artifact(db, "kx", "note", "a_b", "underscore");
      artifact(db, "kx", "note", ".hidden", "hidden");
      pattern(db, "kx", "../../../../pwned", 0.99);
      assertEquals("succeeded", run(ap, db, "kx", "knowledge-export").outcome());
      List<String> all;
      try (Stream<Path> s = Files.walk(dir)) {
        all = s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
            .filter(p -> !p.startsWith("a/b/export/.git/")).sorted().collect(Collectors.toList());
      }
      assertEquals(6, all.size(), all.toString());
      for (String f : all) {
        assertTrue(f.startsWith("a/b/export/knowledge/") || f.startsWith("a/b/export/patterns/"), f);
        for (String part : f.split("/")) {
          assertFalse(part.equals("..") || part.equals(".") || part.startsWith("."), f);
        }
      }
      assertTrue(all.contains("a/b/export/knowledge/note/a_b.json"), "an unchanged name stays as it is");
      assertEquals(5, all.stream().filter(f -> f.contains("~")).count(), "changed names carry a hash: no collisions");
    }
  }

  @Test
  void aDirtyWorkingTreeIsRefusedNamingTheTreeAndNothingIsLost(TestDatabase db, @TempDir Path dir) throws Exception {
    Path tree = dir.resolve("export");
    try (Autopilot ap = Fixture.start(db, "kd", Map.of("autopilot.knowledge-export.dir", tree.toString()))) {
      artifact(db, "kd", "guideline", "g1", "one");
      assertEquals("succeeded", run(ap, db, "kd", "knowledge-export").outcome());
      ObjectId before = head(tree);
      Files.writeString(tree.resolve("knowledge/guideline/g1.json"), "{\"edited\": \"by hand\"}\n");
      Files.writeString(tree.resolve("notes.txt"), "mine");
      artifact(db, "kd", "guideline", "g2", "two");

      Fixture.Run r = run(ap, db, "kd", "knowledge-export");
      assertEquals("failed", r.outcome());
      assertTrue(r.message().contains(tree.toString()) && r.message().contains("autopilot.knowledge-export.dir")
          && r.message().contains("knowledge/guideline/g1.json") && r.message().contains("notes.txt"), r.message());
      assertEquals(before, head(tree), "no commit");
      assertEquals("{\"edited\": \"by hand\"}\n", Files.readString(tree.resolve("knowledge/guideline/g1.json")),
          "the hand edit is kept");
      assertFalse(Files.exists(tree.resolve("knowledge/guideline/g2.json")), "nothing written");
    }
  }

  @Test
  void aRunOverlappingAnotherIsSkippedNotInterleaved(TestDatabase db, @TempDir Path dir) throws Exception {
    Path tree = dir.resolve("export");
    try (Autopilot ap = Fixture.start(db, "kc", Map.of("autopilot.knowledge-export.dir", tree.toString()));
        java.sql.Connection other = db.connect();
        java.sql.Statement st = other.createStatement()) {
      artifact(db, "kc", "guideline", "g1", "one");
      st.execute("SELECT pg_advisory_lock(hashtext('kc.knowledge-export'))"); // as if another run held it
      Fixture.Run r = run(ap, db, "kc", "knowledge-export");
      assertEquals("skipped", r.outcome());
      assertTrue(r.message().contains("another run of knowledge-export is in progress"), r.message());
      assertFalse(Files.exists(tree.resolve("knowledge")));
      st.execute("SELECT pg_advisory_unlock(hashtext('kc.knowledge-export'))");
      assertEquals("succeeded", run(ap, db, "kc", "knowledge-export").outcome());
      assertEquals(1, commits(tree));
    }
  }

  @Test
  void nothingConfiguredIsSkipped(TestDatabase db) {
    try (Autopilot ap = Fixture.start(db, "kn", Map.of())) {
      Fixture.Run r = run(ap, db, "kn", "knowledge-export");
      assertEquals("skipped", r.outcome());
      assertTrue(r.message().contains("autopilot.knowledge-export.dir"), r.message());
      Fixture.Run s = run(ap, db, "kn", "template-sync");
      assertEquals("skipped", s.outcome());
      assertTrue(s.message().contains("autopilot.template-sync.uri"), s.message());
      Fixture.Run t = run(ap, db, "kn", "templates-data-load");
      assertEquals("skipped", t.outcome());
      assertTrue(t.message().contains("autopilot.templates.dir"), t.message());
    }
  }
}
