package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/**
 * Ingests one codebase: walk, read, chunk changed files, mark deleted ones, resolve imports and
 * bring the graph up to date. Unchanged files (same content hash) cost a read and a hash and
 * write nothing; {@code full} also re-chunks unchanged files and replaces their chunks when the
 * result differs (a new chunker), which is what the weekly full re-parse is for.
 */
final class CodeIngest {

  /** Counts of one run; {@code problems} are the clear messages of what was not ingested. */
  record Stats(String codebase, int seen, int added, int changed, int unchanged, int deleted, int skipped,
      int chunks, GraphStore.Changes graph, List<String> problems, long millis) {
    boolean wroteNothing() {
      return added == 0 && changed == 0 && deleted == 0 && chunks == 0 && graph.nodes() == 0 && graph.edges() == 0
          && graph.externals() == 0;
    }
  }

  /** Where a run reports its progress and checks for cancellation. */
  interface Listener {
    void progress(long done, long total, String message);

    default void problem(String message) {}
  }

  private final CodeStore store;
  private final GraphStore graph;
  private final long maxBytes;
  private final boolean vecColumn;

  CodeIngest(DataSource ds, String schema, long maxBytes, boolean vecColumn) {
    this.store = new CodeStore(ds, schema);
    this.graph = new GraphStore(store.jdbc(), store.prefix());
    this.maxBytes = maxBytes;
    this.vecColumn = vecColumn;
  }

  /**
   * Ingests one codebase while holding a session advisory lock on it, so two runs (start-up and
   * weekly, or two instances) never interleave their writes; a run that finds it taken skips the
   * codebase and says so.
   */
  Stats ingest(String codebase, Path root, boolean full, Listener listener, BooleanSupplier cancelled) {
    return store.jdbc().withConnection(c -> {
      String key = store.prefix() + "code-ingest:" + codebase;
      boolean locked = Jdbc.query(c, "SELECT pg_try_advisory_lock(hashtext(?))", ps -> ps.setString(1, key),
          rs -> rs.getBoolean(1)).get(0);
      if (!locked) {
        String msg = "codebase '" + codebase + "': another ingest of it is running; skipped this time";
        listener.problem(msg);
        return new Stats(codebase, 0, 0, 0, 0, 0, 0, 0, new GraphStore.Changes(0, 0, 0), List.of(msg), 0);
      }
      try {
        return ingestLocked(codebase, root, full, listener, cancelled);
      } finally {
        Jdbc.query(c, "SELECT pg_advisory_unlock(hashtext(?))", ps -> ps.setString(1, key), rs -> null);
      }
    });
  }

  private Stats ingestLocked(String codebase, Path root, boolean full, Listener listener, BooleanSupplier cancelled) {
    long t0 = System.nanoTime();
    List<String> problems = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      String msg = "codebase '" + codebase + "': root " + root.toAbsolutePath() + (Files.exists(root)
          ? " is not a directory" : " does not exist") + "; nothing ingested, stored files left as they are";
      problems.add(msg);
      listener.problem(msg);
      return new Stats(codebase, 0, 0, 0, 0, 0, 0, 0, new GraphStore.Changes(0, 0, 0), problems, 0);
    }
    List<FileWalker.Found> found = new ArrayList<>();
    try {
      FileWalker.walk(root, found::add, p -> {
        String msg = "codebase '" + codebase + "': " + p;
        problems.add(msg);
        listener.problem(msg);
      });
    } catch (IOException e) {
      String msg = "codebase '" + codebase + "': walking " + root + " failed: " + e;
      problems.add(msg);
      listener.problem(msg);
      return new Stats(codebase, 0, 0, 0, 0, 0, 0, 0, new GraphStore.Changes(0, 0, 0), problems, 0);
    }
    Map<String, CodeStore.Stored> stored = store.files(codebase);
    Set<String> seen = new HashSet<>();
    List<FileFacts> facts = new ArrayList<>();
    Map<String, GraphStore.Node> nodes = new HashMap<>();
    int added = 0;
    int changed = 0;
    int unchanged = 0;
    int skipped = 0;
    int chunks = 0;
    for (int i = 0; i < found.size(); i++) {
      if (cancelled.getAsBoolean()) {
        throw new java.util.concurrent.CancellationException("code-ingest of '" + codebase + "' cancelled");
      }
      FileWalker.Found f = found.get(i);
      if (i % 200 == 0) {
        listener.progress(i, found.size(), codebase + ": " + f.path());
      }
      SourceFile.Read r = SourceFile.read(f, maxBytes);
      if (r.skip() != null) {
        skipped++;
        if (r.problem()) {
          String msg = "codebase '" + codebase + "': " + f.path() + ": skipped, " + r.skip();
          problems.add(msg);
          listener.problem(msg);
        }
        continue;
      }
      seen.add(f.path());
      FileFacts ff = FileFacts.of(f.path(), r.language(), r.text());
      facts.add(ff);
      if (Languages.isCode(r.language())) {
        nodes.put(f.path(), new GraphStore.Node(r.language(), EntryPoints.is(f.path(), r.text())));
      }
      CodeStore.Stored old = stored.get(f.path());
      boolean same = old != null && !old.deleted() && old.hash().equals(r.hash());
      if (same && !full) {
        unchanged++;
        continue;
      }
      List<Chunker.Chunk> cs = Chunker.chunk(r.language(), r.text());
      if (same && CodeStore.signature(cs).equals(store.chunkSignature(old.id()))) {
        unchanged++;
        continue;
      }
      chunks += store.write(codebase, f.path(), r, cs, vecColumn);
      if (old == null || old.deleted()) {
        added++;
      } else {
        changed++;
      }
    }
    List<String> gone = new ArrayList<>();
    stored.forEach((path, st) -> {
      if (!st.deleted() && !seen.contains(path)) {
        gone.add(path);
      }
    });
    int deleted = store.markDeleted(codebase, gone);
    ImportResolver.Result resolved = new ImportResolver(facts).resolve();
    GraphStore.Changes g = graph.sync(codebase, nodes, resolved.edges(), resolved.externals());
    listener.progress(found.size(), found.size(), codebase + ": done");
    return new Stats(codebase, found.size(), added, changed, unchanged, deleted, skipped, chunks, g, problems,
        (System.nanoTime() - t0) / 1_000_000);
  }
}
