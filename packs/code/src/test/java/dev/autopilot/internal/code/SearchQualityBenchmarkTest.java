package dev.autopilot.internal.code;

import dev.autopilot.code.SearchRequest;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.internal.embed.Embedder;
import dev.autopilot.internal.embed.RagSetup;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retrieval evaluation: natural-language questions about this repository's own source, each
 * with the implementation files that answer it (judged by reading the code), searched in three
 * modes. Only implementation files count as right answers. The corpus is a fixed commit of this
 * repository, read through JGit, so numbers before and after a change are on the same text.
 * Reports recall@5, recall@10, MRR@10 and latency p50/p95 (query embedding included); asserts
 * nothing about them. Run with {@code -Dgroups=benchmark -DexcludedGroups=none
 * -Dtest=SearchQualityBenchmarkTest}.
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class SearchQualityBenchmarkTest {

  /** The commit the corpus is taken from (the base of issue 15's work). */
  static final String CORPUS_COMMIT = "d8c67c11350dd72799331115557b693c426ea477";

  /** A question and the files (path suffixes) that answer it. */
  record Judged(String query, List<String> relevant) {}

  static Judged q(String query, String... relevant) {
    return new Judged(query, List.of(relevant));
  }

  static final List<Judged> QUERIES = List.of(
      q("split a source file into chunks by declaration", "/internal/code/Chunker.java"),
      q("walk a directory honouring gitignore files", "/internal/code/FileWalker.java"),
      q("skip binary, minified or generated files", "/internal/code/SourceFile.java"),
      q("resolve python and javascript relative imports to files", "/internal/code/Resolvers.java",
          "/internal/code/ImportResolver.java"),
      q("find files that nobody imports and are not entry points", "/internal/code/DeadCode.java",
          "/internal/code/EntryPoints.java"),
      q("read dependencies declared in pom.xml, package.json and Cargo.toml", "/internal/code/Manifests.java"),
      q("exact cosine similarity scan over vectors held in memory", "/internal/embed/VectorCache.java"),
      q("mean pooling and normalisation of the MiniLM ONNX model output", "/internal/embed/MiniLmModel.java"),
      q("backfill missing embeddings in batches", "/internal/embed/Embedder.java"),
      q("create the pgvector column and HNSW index", "/internal/embed/RagSetup.java"),
      q("pg_dump into a temporary file with sha256 and atomic rename", "/internal/backup/Dumper.java"),
      q("keep only the newest verified backups and delete the rest", "/internal/backup/Rotation.java"),
      q("apply versioned SQL migrations and verify their checksums", "/internal/Migrator.java"),
      q("parse a five field cron expression", "/internal/Cron.java"),
      q("make the jobs in cron.job match the wanted set of tasks", "/internal/pgcron/Reconciler.java"),
      q("copy finished runs from cron.job_run_details into job history", "/internal/pgcron/RunImporter.java"),
      q("write job history rows in batches from a background thread", "/internal/HistoryWriter.java"),
      q("exponential backoff with jitter for failed executions", "/spi/RetryPolicy.java"),
      q("pagerank over the dependency graph", "/V007__graph.sql"),
      q("assign pending tasks to idle agents without assigning one twice", "/V004__agents_patterns_sync.sql"),
      q("wilson lower bound confidence of learned patterns", "/V004__agents_patterns_sync.sql"),
      q("publish pattern changes with postgres NOTIFY", "/internal/learning/NotifyPublisher.java"),
      q("five minute rollups of task durations with p95", "/internal/learning/MetricsAggregation.java"),
      q("raise feedback when the failure rate is high or p95 slows down",
          "/internal/learning/FeedbackAnalysis.java"),
      q("roll back an agent change when the next window is worse", "/internal/learning/Judge.java",
          "/internal/learning/AgentEvolution.java"),
      q("validate knowledge json files against the schema and record rejects",
          "/internal/knowledge/KnowledgeMigration.java"),
      q("commit exported knowledge into a git working tree", "/internal/knowledge/KnowledgeExport.java"),
      q("sanitise file names so that no path escapes the export tree", "/internal/knowledge/SafeNames.java"),
      q("fetch the template repository and apply the diff between commits",
          "/internal/knowledge/TemplateSync.java"),
      q("rebuild bloated indexes without blocking writes", "/internal/sqltasks/ReindexBloatedIndexes.java",
          "/V006__maintenance.sql"),
      q("run start-up tasks once per wave in priority order", "/internal/bootstrap/Bootstrap.java"),
      q("configuration from builder values, system properties and environment variables",
          "/internal/Settings.java"),
      q("check whether pg_cron may schedule jobs in the cron database", "/internal/pgcron/Probe.java"),
      q("hide credentials and url user info from log lines", "/internal/knowledge/GitAccess.java"),
      q("hybrid search combining nearest vectors and full text rank", "/internal/code/CodeSearch.java"),
      q("delete expired package cache rows in batches", "/V005__cache_metrics.sql"),
      // developer wording that the code's comments do not repeat, and identifiers
      q("stop two ingests of the same codebase from overlapping", "/internal/code/CodeIngest.java"),
      q("length of a float vector for cosine", "/internal/embed/Embedder.java",
          "/internal/embed/VectorCache.java"),
      q("ensureStorage", "/internal/embed/RagSetup.java"),
      q("chunkSignature", "/internal/code/CodeStore.java"),
      q("quote an identifier for SQL", "/internal/Jdbc.java"),
      q("count nesting of brackets ignoring strings and comments", "/internal/code/Chunker.java"),
      q("only on the first sunday of a month pin the newest daily backup", "/V008__backups_planning.sql"),
      q("refresh materialized views without blocking readers", "/V005__cache_metrics.sql"),
      q("analyze tables when more than ten percent of rows changed", "/V006__maintenance.sql"),
      q("halve an agent's concurrency when it fails too often", "/internal/learning/DefaultEvolutionPolicy.java"),
      q("pass the database password to pg_dump without a command line argument",
          "/internal/backup/PgTarget.java"),
      q("fsync the directory after an atomic rename", "/internal/learning/JsonExport.java",
          "/internal/backup/Dumper.java"),
      q("which pg_dump binary matches the server version", "/internal/backup/PgTools.java"),
      q("reload the pattern cache when another instance publishes a change",
          "/internal/learning/PatternListener.java"));

  /** Python: modules of the standard library of the local python3 (PSF licence), read where installed. */
  static final List<String> PYTHON_FILES = List.of("json/__init__.py", "json/decoder.py", "json/encoder.py",
      "json/scanner.py", "json/tool.py", "logging/__init__.py", "logging/config.py", "logging/handlers.py",
      "http/__init__.py", "http/client.py", "http/server.py", "http/cookies.py", "http/cookiejar.py",
      "concurrent/futures/__init__.py", "concurrent/futures/_base.py", "concurrent/futures/thread.py",
      "concurrent/futures/process.py", "queue.py", "sched.py", "heapq.py", "bisect.py", "base64.py", "textwrap.py",
      "csv.py", "shlex.py", "fnmatch.py", "glob.py", "tempfile.py", "string.py", "secrets.py", "hmac.py", "uuid.py");

  static final List<Judged> PYTHON_QUERIES = List.of(
      q("decode a JSON document into Python objects", "/json/decoder.py", "/json/__init__.py"),
      q("escape non-ASCII characters when encoding to JSON", "/json/encoder.py"),
      q("pretty-print JSON from the command line", "/json/tool.py"),
      q("rotate log files when they reach a size", "/logging/handlers.py"),
      q("configure logging from a dictionary", "/logging/config.py"),
      q("send log records over a network socket", "/logging/handlers.py"),
      q("format a log record with a timestamp", "/logging/__init__.py"),
      q("send an HTTP request and read the response", "/http/client.py"),
      q("serve the files of the current directory over HTTP", "/http/server.py"),
      q("parse a Set-Cookie header into morsels", "/http/cookies.py"),
      q("decide whether to accept a cookie for a domain", "/http/cookiejar.py"),
      q("HTTP status codes and their reason phrases", "/http/__init__.py"),
      q("run callables in a pool of worker threads", "/concurrent/futures/thread.py"),
      q("wait until the first of several futures completes", "/concurrent/futures/_base.py"),
      q("a worker process died unexpectedly and broke the pool", "/concurrent/futures/process.py"),
      q("thread-safe FIFO queue with blocking get and a timeout", "/queue.py"),
      q("run events at scheduled times with priorities", "/sched.py"),
      q("merge several sorted inputs into one sorted output", "/heapq.py"),
      q("insert into a sorted list keeping it sorted", "/bisect.py"),
      q("encode bytes as base32 or base85", "/base64.py"),
      q("wrap a paragraph of text to a given width", "/textwrap.py"),
      q("remove common leading whitespace from lines", "/textwrap.py"),
      q("read rows of a CSV file as dictionaries", "/csv.py"),
      q("guess the delimiter of a CSV file", "/csv.py"),
      q("split a command line string the way a shell does", "/shlex.py"),
      q("translate a shell wildcard pattern into a regular expression", "/fnmatch.py"),
      q("find path names matching a pattern recursively", "/glob.py"),
      q("create a temporary directory that is removed afterwards", "/tempfile.py"),
      q("substitute $name placeholders in a string template", "/string.py"),
      q("generate a secure random token for URLs", "/secrets.py"),
      q("keyed message authentication with a hash", "/hmac.py"),
      q("generate a UUID from the host id and the current time", "/uuid.py"),
      q("RotatingFileHandler", "/logging/handlers.py"),
      q("ThreadPoolExecutor", "/concurrent/futures/thread.py"),
      q("JSONDecodeError", "/json/decoder.py"));

  @Test
  void evaluateOnThisRepository(TestDatabase db, @TempDir Path dir) throws Exception {
    Path corpus = dir.resolve("corpus");
    int files = extract(repositoryRoot(), CORPUS_COMMIT, corpus);
    evaluate(db, "eval_self", "this repository at " + CORPUS_COMMIT.substring(0, 7) + ", " + files + " files", corpus,
        QUERIES);
  }

  @Test
  void evaluateOnPythonStandardLibrary(TestDatabase db, @TempDir Path dir) throws Exception {
    Path lib = pythonLibrary();
    Assumptions.assumeTrue(lib != null, "no /usr/lib/python3.N with json/decoder.py: the Python corpus is skipped");
    Path corpus = dir.resolve("python");
    for (String f : PYTHON_FILES) {
      if (Files.exists(lib.resolve(f))) {
        Files.createDirectories(corpus.resolve(f).getParent());
        Files.copy(lib.resolve(f), corpus.resolve(f));
      }
    }
    evaluate(db, "eval_py", "python " + lib.getFileName() + " standard library, " + PYTHON_FILES.size() + " files",
        corpus, PYTHON_QUERIES);
  }

  static Path pythonLibrary() throws IOException {
    Path usr = Path.of("/usr/lib");
    if (!Files.isDirectory(usr)) {
      return null;
    }
    try (var dirs = Files.list(usr)) {
      return dirs.filter(p -> p.getFileName().toString().matches("python3\\.\\d+"))
          .filter(p -> Files.exists(p.resolve("json/decoder.py")))
          .max(java.util.Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().substring(8))))
          .orElse(null);
    }
  }

  static void evaluate(TestDatabase db, String schema, String label, Path corpus, List<Judged> queries) {
    CodeBenchmarkTest.migrate(db, schema);
    EmbeddingModel model = EmbeddingModels.bundled();
    RagSetup.ensureStorage(db.dataSource(), schema, model, "pgvector");
    CodeIngest.Stats st = new CodeIngest(db.dataSource(), schema, 1 << 20, true).ingest("corpus", corpus, false,
        CodeIngestTest.QUIET, () -> false);
    long t0 = System.nanoTime();
    int embedded = new Embedder(db.dataSource(), schema, model).backfill(Embedder.Owner.CHUNK, d -> {});
    CodeBenchmarkTest.out("EVAL corpus: %s, %d chunks (%d embedded in %d s)%n", label, st.chunks(), embedded,
        (System.nanoTime() - t0) / 1_000_000_000);
    CodeSearch search = new CodeSearch(db.dataSource(), schema, Map.of(EmbeddingModel.class, model), "auto");
    search.search("warm up", 10);
    CodeBenchmarkTest.out("EVAL %d queries; only implementation files count; slots as returned%n", queries.size());
    CodeBenchmarkTest.out("EVAL | mode | recall@5 | recall@10 | MRR@10 | p50 ms | p95 ms |%n");
    for (SearchRequest.Retrieval mode : SearchRequest.Retrieval.values()) {
      report(search, queries, mode.name(), r -> r.retrieval(mode), Fusion.DEFAULT, true);
    }
    report(search, queries, "HYBRID, raw chunks", SearchRequest::chunks, Fusion.DEFAULT, true);
    if (System.getProperty("eval.sweep") != null) {
      CodeBenchmarkTest.out("EVAL fusion sweep (k, vector weight, text weight, non-implementation factor)%n");
      for (int k : new int[] {10, 30, 60}) {
        for (double text : new double[] {0.7, 1.0, 1.5}) {
          for (double factor : new double[] {0.25, 0.5, 1.0}) {
            Fusion.Params p = new Fusion.Params(k, 1.0, text, factor);
            report(search, queries, p.toString(), r -> r, p, false);
          }
        }
      }
    }
  }

  static void report(CodeSearch search, List<Judged> queries, String name,
      java.util.function.UnaryOperator<SearchRequest> options, Fusion.Params params, boolean verbose) {
    double r5 = 0;
    double r10 = 0;
    double mrr = 0;
    long[] micros = new long[queries.size()];
    for (int i = 0; i < queries.size(); i++) {
      Judged j = queries.get(i);
      long t = System.nanoTime();
      List<String> paths = search.search(options.apply(SearchRequest.of(j.query())), params).stream()
          .map(h -> h.path()).toList();
      micros[i] = (System.nanoTime() - t) / 1000;
      r5 += recall(paths, j.relevant(), 5);
      r10 += recall(paths, j.relevant(), 10);
      for (int r = 0; r < Math.min(10, paths.size()); r++) {
        if (relevant(paths.get(r), j.relevant())) {
          mrr += 1.0 / (r + 1);
          break;
        }
      }
      if (verbose && System.getProperty("eval.verbose") != null) {
        CodeBenchmarkTest.out("EVAL %s %s -> %s%n", name, j.query(), paths);
      }
    }
    Arrays.sort(micros);
    int n = queries.size();
    CodeBenchmarkTest.out("EVAL | %s | %.2f | %.2f | %.2f | %.1f | %.1f |%n", name, r5 / n, r10 / n, mrr / n,
        micros[n / 2] / 1000.0, micros[(int) Math.min(n - 1, Math.ceil(n * 0.95) - 1)] / 1000.0);
  }

  static double recall(List<String> paths, List<String> relevant, int k) {
    Set<String> found = new LinkedHashSet<>();
    for (String p : paths.subList(0, Math.min(k, paths.size()))) {
      for (String r : relevant) {
        if (("/" + p).endsWith(r)) { // a path at the root has no leading slash
          found.add(r);
        }
      }
    }
    return (double) found.size() / relevant.size();
  }

  static boolean relevant(String path, List<String> relevant) {
    return relevant.stream().anyMatch(("/" + path)::endsWith);
  }

  static Path repositoryRoot() {
    Path here = Path.of(System.getProperty("user.dir")).toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve(".git"))) {
        return p;
      }
    }
    throw new IllegalStateException("no .git directory above " + here + ": the evaluation reads its corpus from git");
  }

  /** Writes the tree of one commit into {@code to}; returns the number of files. */
  static int extract(Path repo, String commit, Path to) throws IOException {
    try (Repository r = new FileRepositoryBuilder().setGitDir(repo.resolve(".git").toFile()).build();
        RevWalk rw = new RevWalk(r); TreeWalk tw = new TreeWalk(r)) {
      tw.addTree(rw.parseCommit(ObjectId.fromString(commit)).getTree());
      tw.setRecursive(true);
      int n = 0;
      while (tw.next()) {
        Path out = to.resolve(tw.getPathString());
        Files.createDirectories(out.getParent());
        Files.write(out, r.open(tw.getObjectId(0)).getBytes());
        n++;
      }
      return n;
    }
  }
}
