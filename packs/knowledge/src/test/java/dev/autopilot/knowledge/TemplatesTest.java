package dev.autopilot.knowledge;

import static dev.autopilot.knowledge.Fixture.run;
import static dev.autopilot.knowledge.Fixture.strings;
import static dev.autopilot.knowledge.Fixture.versions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** templates-data-load and template-sync against a real database and local bare Git repositories. */
@ExtendWith(PostgresExtension.class)
class TemplatesTest {

  private static List<String> rows(TestDatabase db, String schema, String source) {
    return strings(db, "SELECT path || '=' || content || coalesce('@' || left(git_commit, 7), '') FROM " + schema
        + ".templates WHERE source = '" + source + "' ORDER BY path");
  }

  @Test
  void localTreeIsMirroredChangedUpsertedRemovedDeletedAndUnchangedWritesNothing(TestDatabase db, @TempDir Path dir)
      throws Exception {
    Path t = dir.resolve("templates_data");
    Files.createDirectories(t.resolve("java/service"));
    Files.writeString(t.resolve("java/service/Service.java.tpl"), "class {{name}} {}");
    Files.writeString(t.resolve("README.md"), "# {{project}}");
    Files.writeString(t.resolve("old.sql"), "SELECT 1;");
    Files.createDirectories(t.resolve(".git"));
    Files.writeString(t.resolve(".git/config"), "hidden, ignored");
    Files.write(t.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 1});
    Map<String, String> props = Map.of("autopilot.templates.dir", t.toString());
    try (Autopilot ap = Fixture.start(db, "tl", props)) {
      assertEquals("succeeded", run(ap, db, "tl", "templates-data-load").outcome());
      assertEquals(List.of("README.md=# {{project}}", "java/service/Service.java.tpl=class {{name}} {}", "old.sql=SELECT 1;"),
          rows(db, "tl", "local"), "text files loaded; hidden and binary files left out");
      assertEquals(List.of("markdown|README.md", "sql|old.sql", "template|Service.java.tpl"),
          strings(db, "SELECT language || '|' || name FROM tl.templates ORDER BY 1"));

      String before = versions(db, "tl.templates");
      assertEquals("succeeded", run(ap, db, "tl", "templates-data-load").outcome());
      assertEquals(before, versions(db, "tl.templates"), "unchanged tree: nothing written");

      Files.writeString(t.resolve("README.md"), "# {{project}}\n\nv2");
      Files.delete(t.resolve("old.sql"));
      Files.writeString(t.resolve("new.sql"), "SELECT 2;");
      assertEquals("succeeded", run(ap, db, "tl", "templates-data-load").outcome());
      assertEquals(List.of("README.md=# {{project}}\n\nv2", "java/service/Service.java.tpl=class {{name}} {}", "new.sql=SELECT 2;"),
          rows(db, "tl", "local"));
    }
    // a vanished tree is a configuration error, never "delete every template"
    String kept = versions(db, "tl.templates");
    try (Autopilot ap2 = Fixture.start(db, "tl", Map.of("autopilot.templates.dir", dir.resolve("gone").toString()))) {
      Fixture.Run r = run(ap2, db, "tl", "templates-data-load");
      assertEquals("failed", r.outcome());
      assertTrue(r.message().contains("autopilot.templates.dir") && r.message().contains("not a directory"), r.message());
    }
    assertEquals(kept, versions(db, "tl.templates"));
  }

  @Test
  void aNewCommitInTheBareRepositoryShowsUpAfterARunAndAForcePushResyncs(TestDatabase db, @TempDir Path dir)
      throws Exception {
    try (GitFixture git = new GitFixture(dir)) {
      Map<String, String> first = new HashMap<>();
      first.put("templates/a.java", "class A {}");
      first.put("templates/b.sql", "SELECT 'b';");
      first.put("other/ignored.txt", "outside the configured path");
      RevCommit c1 = git.commit(first, "first", false);
      Map<String, String> props = Map.of("autopilot.template-sync.uri", git.uri(),
          "autopilot.template-sync.path", "templates",
          "autopilot.template-sync.work-dir", dir.resolve("sync").toString());
      try (Autopilot ap = Fixture.start(db, "ts", props)) {
        assertEquals("succeeded", run(ap, db, "ts", "template-sync").outcome());
        String s1 = c1.name().substring(0, 7);
        assertEquals(List.of("a.java=class A {}@" + s1, "b.sql=SELECT 'b';@" + s1), rows(db, "ts", "git"));
        assertEquals(List.of(c1.name()), strings(db, "SELECT value FROM ts.task_state WHERE task_name = 'template-sync'"
            + " AND key = 'last-commit'"));

        String unchanged = versions(db, "ts.templates");
        assertEquals("succeeded", run(ap, db, "ts", "template-sync").outcome());
        assertEquals(unchanged, versions(db, "ts.templates"), "same head: nothing written");

        Map<String, String> second = new HashMap<>();
        second.put("templates/a.java", "class A { int x; }");
        second.put("templates/b.sql", null);
        second.put("templates/sub/c.md", "# C");
        RevCommit c2 = git.commit(second, "second", false);
        assertEquals("succeeded", run(ap, db, "ts", "template-sync").outcome());
        String s2 = c2.name().substring(0, 7);
        assertEquals(List.of("a.java=class A { int x; }@" + s2, "sub/c.md=# C@" + s2), rows(db, "ts", "git"),
            "the new commit's change, deletion and addition applied");
        assertEquals(List.of(c2.name()), strings(db, "SELECT value FROM ts.task_state WHERE task_name = 'template-sync'"
            + " AND key = 'last-commit'"));

        // history rewritten on the remote: c2 replaced by c3, which is not a descendant of c2
        git.work.reset().setMode(org.eclipse.jgit.api.ResetCommand.ResetType.HARD).setRef(c1.name()).call();
        RevCommit c3 = git.commit(Map.of("templates/d.txt", "D"), "rewritten", true);
        assertEquals("succeeded", run(ap, db, "ts", "template-sync").outcome());
        String s3 = c3.name().substring(0, 7);
        assertEquals(List.of("a.java=class A {}@" + s3, "b.sql=SELECT 'b';@" + s3, "d.txt=D@" + s3), rows(db, "ts", "git"),
            "after a force-push the table equals the new head's tree");
      }
    }
  }

  @Test
  void unreachableRepositoryAndMissingBranchFailNamingTheSettingWithoutLeakingCredentials(TestDatabase db,
      @TempDir Path dir) throws Exception {
    try (GitFixture git = new GitFixture(dir)) {
      git.commit(Map.of("t.txt", "T"), "one", false);
      try (Autopilot ap = Fixture.start(db, "te", Map.of("autopilot.template-sync.uri", git.uri(),
          "autopilot.template-sync.work-dir", dir.resolve("sync").toString()))) {
        assertEquals("succeeded", run(ap, db, "te", "template-sync").outcome());
      }
      String kept = versions(db, "te.templates");
      try (Autopilot ap = Fixture.start(db, "te", Map.of("autopilot.template-sync.uri", git.uri(),
          "autopilot.template-sync.branch", "release", "autopilot.template-sync.work-dir", dir.resolve("sync").toString()))) {
        Fixture.Run r = run(ap, db, "te", "template-sync");
        assertEquals("failed", r.outcome());
        assertTrue(r.message().contains("autopilot.template-sync.branch='release'") && r.message().contains("branches: main"),
            r.message());
      }
      try (Autopilot ap = Fixture.start(db, "te", Map.of(
          "autopilot.template-sync.uri", dir.resolve("no-such-repo.git").toUri().toString(),
          "autopilot.template-sync.work-dir", dir.resolve("sync2").toString()))) {
        Fixture.Run r = run(ap, db, "te", "template-sync");
        assertEquals("failed", r.outcome());
        assertTrue(r.message().contains("(autopilot.template-sync.uri) is unreachable"), r.message());
      }
      java.io.PrintStream err = System.err;
      java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
      System.setErr(new java.io.PrintStream(new java.io.OutputStream() {
        @Override
        public void write(int b) {
          err.write(b);
          captured.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          err.write(b, off, len);
          captured.write(b, off, len);
        }
      }, true));
      try {
        try (Autopilot ap = Fixture.start(db, "te", Map.of(
            "autopilot.template-sync.uri", "http://deploy:s3cr3t-pw@127.0.0.1:1/templates.git",
            "autopilot.template-sync.password", "t0ken-value",
            "autopilot.template-sync.work-dir", dir.resolve("sync3").toString()))) {
          Fixture.Run r = run(ap, db, "te", "template-sync");
          assertEquals("failed", r.outcome());
          assertTrue(r.message().contains("http://***@127.0.0.1:1/templates.git"), r.message());
          assertFalse(r.message().contains("s3cr3t") || r.message().contains("t0ken") || r.message().contains("deploy"),
              r.message());
        }
      } finally {
        System.setErr(err);
      }
      String log = captured.toString(java.nio.charset.StandardCharsets.UTF_8);
      assertTrue(log.contains("http://***@127.0.0.1:1/templates.git"), "the failure was logged (slf4j-simple, stderr)");
      assertFalse(log.contains("s3cr3t") || log.contains("t0ken-value"), "credentials never logged");
      assertEquals(kept, versions(db, "te.templates"), "failed syncs changed no template");
    }
  }
}
