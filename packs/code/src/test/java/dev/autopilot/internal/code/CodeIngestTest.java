package dev.autopilot.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Migrator;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Ingest without embeddings against the real cluster: files, chunks, graph, incrementality, bad input. */
@ExtendWith(PostgresExtension.class)
class CodeIngestTest {

  static final CodeIngest.Listener QUIET = (d, t, m) -> {};

  static CodeIngest ingest(TestDatabase db, String schema) {
    new Migrator(db.dataSource(), schema, CodeIngestTest.class.getClassLoader(), "[test] ").migrate();
    return new CodeIngest(db.dataSource(), schema, 64 * 1024, false);
  }

  static Set<String> edges(Jdbc jdbc, String schema, String codebase) {
    return new TreeSet<>(jdbc.query("SELECT a.path || ' -> ' || b.path || ' (' || e.kind || ')' FROM " + schema
        + ".graph_edges e JOIN " + schema + ".graph_nodes a ON a.id = e.source_id JOIN " + schema
        + ".graph_nodes b ON b.id = e.target_id WHERE a.codebase = ?", ps -> ps.setString(1, codebase),
        rs -> rs.getString(1)));
  }

  @Test
  void multiLanguageFixtureGivesFilesChunksAndResolvedEdges(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    CodeIngest.Stats st = ingest(db, "ing1").ingest("fx", root, false, QUIET, () -> false);
    Jdbc jdbc = new Jdbc(db.dataSource());
    List<String> paths = jdbc.query("SELECT path FROM ing1.code_files WHERE codebase = 'fx' ORDER BY path",
        Jdbc.NONE, rs -> rs.getString(1));
    assertFalse(paths.contains("ignored/Secret.java"), ".gitignore'd directory skipped");
    assertFalse(paths.contains("app.log"), ".gitignore'd pattern skipped");
    assertTrue(paths.containsAll(List.of("java/src/main/java/fx/core/Util.java", "python/pkg/cli.py", "go/main.go",
        "rust/src/parser.rs", "elixir/lib/fx/repo.ex", "js/src/math.ts", "pom.xml", "README.md")), paths.toString());
    assertEquals(st.seen() - st.skipped(), paths.size());
    int chunks = jdbc.queryOne("SELECT count(*) FROM ing1.code_chunks", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow();
    assertTrue(chunks >= paths.size() - 1, "chunks " + chunks); // __init__.py is empty
    assertEquals(new TreeSet<>(List.of(
        "elixir/lib/fx/app.ex -> elixir/lib/fx/repo.ex (import)",
        "go/main.go -> go/store/store.go (import)",
        "java/src/main/java/fx/app/Main.java -> java/src/main/java/fx/app/Report.java (reference)",
        "java/src/main/java/fx/app/Main.java -> java/src/main/java/fx/app/Service.java (reference)",
        "java/src/main/java/fx/app/Main.java -> java/src/main/java/fx/core/Util.java (import)",
        "java/src/main/java/fx/app/Report.java -> java/src/main/java/fx/core/Util.java (import)",
        "java/src/main/java/fx/app/Service.java -> java/src/main/java/fx/core/Util.java (import)",
        "js/src/index.js -> js/src/math.ts (import)",
        "kotlin/src/main/kotlin/fx/kt/App.kt -> kotlin/src/main/kotlin/fx/kt/Greeter.kt (reference)",
        "kotlin/src/main/kotlin/fx/kt/Greeter.kt -> java/src/main/java/fx/core/Util.java (import)",
        "python/pkg/cli.py -> python/pkg/helpers.py (import)",
        "python/pkg/cli.py -> python/pkg/models.py (import)",
        "rust/src/main.rs -> rust/src/parser.rs (import)")), edges(jdbc, "ing1", "fx"));
    assertEquals(new TreeSet<>(List.of("cargo:serde", "maven:org.slf4j", "npm:lodash", "pypi:requests")),
        new TreeSet<>(jdbc.query("SELECT ecosystem || ':' || name FROM ing1.code_external_imports", Jdbc.NONE,
            rs -> rs.getString(1))));

    // PageRank through the pagerank-recalculation procedure: the central file ranks first
    Map<String, Double> rank = PageRank.of(jdbc, "ing1");
    assertTrue(rank.get("java/src/main/java/fx/core/Util.java") > rank.get("java/src/main/java/fx/app/Main.java"),
        rank.toString());
    assertTrue(rank.get("java/src/main/java/fx/core/Util.java") > rank.get("java/src/main/java/fx/app/Orphan.java"));

    DeadCode dead = new DeadCode(db.dataSource(), "ing1");
    DeadCode.Check c = dead.check(List.of());
    assertEquals(List.of("java/src/main/java/fx/app/Orphan.java"), jdbc.query(
        "SELECT path FROM ing1.dead_code_findings WHERE status = 'open'", Jdbc.NONE, rs -> rs.getString(1)));
    assertEquals(1, c.added());
    // the orphan gets a user: the finding is resolved
    Fixture.put(root, "java/src/main/java/fx/app/Main.java", Files.readString(root.resolve(
        "java/src/main/java/fx/app/Main.java")).replace("Util.dashJoin(\"x\")", "Util.dashJoin(\"x\") + new Orphan().unused()"));
    ingest(db, "ing1").ingest("fx", root, false, QUIET, () -> false);
    DeadCode.Check c2 = dead.check(List.of());
    assertEquals(1, c2.resolved());
    assertEquals(0, c2.open());
    String report = dead.weeklyReport(java.time.Instant.now());
    assertTrue(report.contains("| resolved this week | 1 |"), report);
    assertEquals(1, jdbc.queryOne("SELECT count(*) FROM ing1.reports WHERE kind = 'dead-code-weekly'", Jdbc.NONE,
        rs -> rs.getInt(1)).orElseThrow());
  }

  @Test
  void unchangedReingestWritesNothingAndChangesReplaceOnlyTheirFile(TestDatabase db, @TempDir Path dir)
      throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    CodeIngest ci = ingest(db, "ing2");
    ci.ingest("fx", root, false, QUIET, () -> false);
    Jdbc jdbc = new Jdbc(db.dataSource());
    String fingerprint = "SELECT (SELECT count(*) || '/' || max(id) || '/' || max(ingested_at) FROM ing2.code_files)"
        + " || (SELECT count(*) || '/' || max(id) || '/' || count(*) FILTER (WHERE superseded) FROM ing2.code_chunks)"
        + " || (SELECT count(*) || '/' || max(updated_at) FROM ing2.graph_nodes)"
        + " || (SELECT count(*) FROM ing2.graph_edges) || (SELECT n_tup_ins + n_tup_upd + n_tup_del FROM"
        + " pg_stat_xact_user_tables WHERE false)";
    String before = jdbc.queryOne(fingerprint, Jdbc.NONE, rs -> rs.getString(1)).orElse("");
    CodeIngest.Stats again = ci.ingest("fx", root, false, QUIET, () -> false);
    assertTrue(again.wroteNothing(), again.toString());
    assertEquals(before, jdbc.queryOne(fingerprint, Jdbc.NONE, rs -> rs.getString(1)).orElse(""));
    CodeIngest.Stats full = ci.ingest("fx", root, true, QUIET, () -> false);
    assertTrue(full.wroteNothing(), "a full re-parse with the same chunker changes nothing: " + full);

    Fixture.put(root, "python/pkg/helpers.py", Files.readString(root.resolve("python/pkg/helpers.py"))
        + "\n\ndef shout(s):\n    return s.upper()\n");
    Files.delete(root.resolve("js/src/math.ts"));
    CodeIngest.Stats changed = ci.ingest("fx", root, false, QUIET, () -> false);
    assertEquals(1, changed.changed());
    assertEquals(1, changed.deleted());
    assertEquals(List.of("python/pkg/helpers.py"), jdbc.query("SELECT DISTINCT f.path FROM ing2.code_chunks c JOIN"
        + " ing2.code_files f ON f.id = c.file_id WHERE c.superseded", Jdbc.NONE, rs -> rs.getString(1)));
    assertEquals(List.of("js/src/math.ts"), jdbc.query("SELECT path FROM ing2.code_files WHERE deleted", Jdbc.NONE,
        rs -> rs.getString(1)));
    assertFalse(edges(jdbc, "ing2", "fx").contains("js/src/index.js -> js/src/math.ts (import)"));
  }

  @Test
  void badInputIsReportedClearlyAndTheRestIngested(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = dir.resolve("bad");
    Fixture.put(root, "good/Ok.java", "package good;\npublic class Ok {}\n");
    Files.write(root.resolve("good/latin1.txt"), new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
    Files.write(root.resolve("good/blob.bin"), new byte[] {1, 0, 2, 0, 3});
    Files.writeString(root.resolve("good/huge.txt"), "x\n".repeat(40_000));
    Files.createSymbolicLink(root.resolve("good/loop"), root.resolve("good"));
    Files.createSymbolicLink(root.resolve("good/dangling.txt"), root.resolve("nowhere.txt"));
    CodeIngest ci = ingest(db, "ing3");
    List<String> problems = new ArrayList<>();
    CodeIngest.Stats st = ci.ingest("bad", root, false, new CodeIngest.Listener() {
      @Override
      public void progress(long done, long total, String message) {}

      @Override
      public void problem(String message) {
        problems.add(message);
      }
    }, () -> false);
    String all = String.join("\n", problems);
    assertTrue(all.contains("good/latin1.txt: skipped, not valid UTF-8"), all);
    assertTrue(all.contains("good/huge.txt: skipped, oversized"), all);
    assertTrue(all.contains("good/loop: symbolic link loop"), all);
    assertTrue(all.contains("good/dangling.txt: cannot be read"), all);
    assertFalse(all.contains("blob.bin"), "binaries are skipped quietly");
    Jdbc jdbc = new Jdbc(db.dataSource());
    assertEquals(List.of("good/Ok.java"), jdbc.query("SELECT path FROM ing3.code_files", Jdbc.NONE, rs -> rs.getString(1)));
    assertEquals(4, st.problems().size(), all);

    CodeIngest.Stats missing = ci.ingest("gone", dir.resolve("does-not-exist"), false, QUIET, () -> false);
    assertTrue(missing.problems().get(0).contains("does-not-exist does not exist"), missing.problems().toString());
    Path empty = Files.createDirectories(dir.resolve("empty"));
    org.eclipse.jgit.api.Git.init().setDirectory(empty.toFile()).call().close();
    CodeIngest.Stats none = ci.ingest("empty", empty, false, QUIET, () -> false);
    assertEquals(0, none.seen());
    assertTrue(none.problems().isEmpty());
    assertEquals(1, jdbc.queryOne("SELECT count(*) FROM ing3.code_files", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow());
  }

  @Test
  void thisProjectsOwnSourcesAreIngestedWithResolvedJavaImports(TestDatabase db) {
    Path project = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    while (!java.nio.file.Files.exists(project.resolve("mvnw"))) {
      project = project.getParent(); // the repository's root, from the module's directory
    }
    CodeIngest.Stats st = ingest(db, "ing4").ingest("autopilot", project, false, QUIET, () -> false);
    Jdbc jdbc = new Jdbc(db.dataSource());
    assertTrue(st.seen() > 80, st.toString());
    assertTrue(st.chunks() > st.added(), st.toString());
    assertTrue(edges(jdbc, "ing4", "autopilot").contains(
        "core/src/main/java/dev/autopilot/Autopilot.java -> core/src/main/java/dev/autopilot/internal/Runtime.java (import)"));
    assertTrue(jdbc.queryOne("SELECT count(*) FROM ing4.code_files WHERE path LIKE '%/target/%'", Jdbc.NONE,
        rs -> rs.getInt(1)).orElseThrow() == 0, "build output skipped");
    Map<String, Double> rank = PageRank.of(jdbc, "ing4");
    assertTrue(rank.get("core/src/main/java/dev/autopilot/internal/Jdbc.java")
        > rank.get("core/src/main/java/dev/autopilot/Health.java"), "a central file ranks above a leaf");
  }

  /** Registry from the fixture's manifests: exact. */
  @Test
  void fixtureManifestsGiveExactPackages(TestDatabase db, @TempDir Path dir) throws Exception {
    Path root = Fixture.write(dir.resolve("fx"));
    ingest(db, "ing5").ingest("fx", root, false, QUIET, () -> false);
    RegistrySync.Result r = new RegistrySync(db.dataSource(), "ing5").run(Map.of("fx", root),
        List.of(new dev.autopilot.code.RegistrySource() {
          public String name() {
            return "host";
          }

          public List<Package> packages() {
            return List.of(new Package("maven", "com.example:internal-lib", "3.1"));
          }
        }), m -> {});
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    Jdbc jdbc = new Jdbc(db.dataSource());
    assertEquals(List.of(
        "Cargo.toml cargo anyhow 1 runtime",
        "Cargo.toml cargo serde 1.0 runtime",
        "go.mod go github.com/google/uuid v1.6.0 runtime",
        "mix.exs hex ex_doc ~> 0.31 dev",
        "mix.exs hex jason ~> 1.4 runtime",
        "package.json npm jest ^29.0.0 dev",
        "package.json npm lodash ^4.17.21 runtime",
        "pom.xml maven org.junit.jupiter:junit-jupiter 5.10.0 test",
        "pom.xml maven org.slf4j:slf4j-api 2.0.17 runtime",
        "requirements.txt pypi numpy >=1.26 runtime",
        "requirements.txt pypi requests ==2.31.0 runtime"),
        jdbc.query("SELECT concat_ws(' ', manifest_path, ecosystem, name, version_spec, scope) FROM ing5.package_usage"
            + " WHERE scope <> 'import' ORDER BY 1", Jdbc.NONE, rs -> rs.getString(1)));
    assertEquals(12, jdbc.queryOne("SELECT count(*) FROM ing5.package_registry", Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow());
    assertEquals(4, jdbc.queryOne("SELECT count(*) FROM ing5.package_usage WHERE scope = 'import'", Jdbc.NONE,
        rs -> rs.getInt(1)).orElseThrow());
    Map<String, Object> unused = new HashMap<>();
    assertTrue(unused.isEmpty());
  }
}
