package dev.autopilot.internal.code;

import dev.autopilot.code.SearchHit;
import dev.autopilot.code.SearchRequest;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.internal.embed.Embedder;
import dev.autopilot.internal.embed.VectorCache;
import dev.autopilot.internal.embed.VectorColumn;
import dev.autopilot.code.EmbeddingModel;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Hybrid retrieval over live code chunks: the nearest vectors (pgvector HNSW, or an exact scan of
 * the real[] vectors in process) and the best full-text matches (english configuration over
 * content, split identifiers, path and symbol; see V140), fused by reciprocal rank ({@link Fusion}).
 */
public final class CodeSearch {
  private static final long STORAGE_TTL_NANOS = 5_000_000_000L;

  /** Full-text lexemes used at most: the longest (most specific) of the query's. */
  static final int MAX_TERMS = 8;

  private final Jdbc jdbc;
  private final String schema;
  private final String s;
  private final Map<Class<?>, Object> services;
  private final String mode;
  private final VectorCache cache;
  /** Runs full-text halves: daemon threads that end after a minute without work (nothing to close). */
  private final ExecutorService textHalf = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
      new SynchronousQueue<>(), r -> {
        Thread t = new Thread(r, "autopilot-search-text");
        t.setDaemon(true);
        return t;
      });
  private volatile long storageCheckedAt;
  private volatile boolean pgvector;

  /** @param mode auto, pgvector or array ({@code autopilot.rag.storage}) */
  public CodeSearch(DataSource ds, String schema, Map<Class<?>, Object> services, String mode) {
    this.jdbc = new Jdbc(ds);
    this.schema = schema;
    this.s = Jdbc.quoteIdent(schema) + ".";
    this.services = services;
    this.mode = mode;
    this.cache = new VectorCache(jdbc, schema);
  }

  /** @return "pgvector" or "array": what the next search uses */
  public String storage(EmbeddingModel model) {
    long now = System.nanoTime();
    if (now - storageCheckedAt > STORAGE_TTL_NANOS) {
      pgvector = !mode.equals("array") && VectorColumn.dims(jdbc, schema) == model.dimensions();
      storageCheckedAt = now;
    }
    return pgvector ? "pgvector" : "array";
  }

  /** The k best files, implementation first; empty for a blank query or k &lt;= 0. */
  public List<SearchHit> search(String query, int k) {
    if (query == null || query.isBlank() || k <= 0) {
      return List.of();
    }
    return search(SearchRequest.of(query).limit(Math.min(k, SearchRequest.MAX_LIMIT)));
  }

  /** Runs one request; empty for a blank query. */
  public List<SearchHit> search(SearchRequest r) {
    return search(r, Fusion.DEFAULT);
  }

  List<SearchHit> search(SearchRequest r, Fusion.Params params) {
    if (r.query().isBlank()) {
      return List.of();
    }
    boolean files = r.grouping() == SearchRequest.Grouping.FILES;
    // a file hit needs several chunks; a scope filter drops candidates after retrieval
    int candidates = Math.max(50, (files ? 5 : 4) * r.limit()) * (r.scope() == SearchRequest.Scope.ALL ? 1 : 3);
    // the full-text half runs in the database while this thread embeds the query
    CompletableFuture<List<Long>> pending = r.retrieval() == SearchRequest.Retrieval.VECTOR
        ? CompletableFuture.completedFuture(List.of())
        : CompletableFuture.supplyAsync(() -> fullText(r.query(), candidates), textHalf);
    List<Long> vector = r.retrieval() == SearchRequest.Retrieval.FULL_TEXT ? List.of() : nearest(r.query(), candidates);
    List<Long> text = join(pending);
    if (vector.isEmpty() && text.isEmpty()) {
      return List.of();
    }
    List<Long> ids = new ArrayList<>(vector);
    ids.addAll(text);
    Map<Long, Fusion.Chunk> chunks = details(ids, r.scope());
    Fusion fusion = new Fusion(chunks, r.scope() == SearchRequest.Scope.ALL, params);
    return files ? fusion.files(vector, text, r.limit()) : fusion.chunks(vector, text, r.limit());
  }

  private static List<Long> join(CompletableFuture<List<Long>> f) {
    try {
      return f.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  private List<Long> nearest(String query, int candidates) {
    EmbeddingModel model = EmbeddingModels.of(services);
    float[] q = model.embed(List.of(query)).get(0);
    if (storage(model).equals("pgvector")) {
      return pgNearest(model, q, candidates);
    }
    List<Long> out = new ArrayList<>();
    for (VectorCache.Scored sc : cache.nearest(cache.current(model.id()), q, candidates)) {
      out.add(sc.ownerId());
    }
    return out;
  }

  private List<Long> pgNearest(EmbeddingModel model, float[] q, int candidates) {
    return jdbc.inTransaction(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL hnsw.ef_search = " + Math.max(100, candidates));
      }
      // the query vector as an InitPlan: parsed once, and usable by the HNSW index scan
      return Jdbc.query(c, "SELECT e.owner_id FROM " + s + "embeddings e WHERE e.owner_type = 'chunk' AND e.model = ?"
          + " ORDER BY e.vec <=> (SELECT ?::vector) LIMIT ?", ps -> {
            ps.setString(1, model.id());
            ps.setString(2, Embedder.literal(q, '[', ']'));
            ps.setInt(3, candidates);
          }, rs -> rs.getLong(1));
    });
  }

  /**
   * Full-text candidates, best first. The query's lexemes (english: stemmed, stop words gone,
   * identifiers also split; at most {@value #MAX_TERMS}, the longest) are matched in tiers so that
   * common words do not flood the candidates: chunks with every lexeme, then (three lexemes or
   * more) chunks with at least two of them, then chunks with any one; a tier runs only while
   * candidate slots are free. Within a tier chunks rank by ts_rank over all lexemes (weights:
   * symbol, file name, directories and context, content; normalised by length), among at most
   * {@value #TIER_ROWS} of its matches, so a tier of very common words costs a bounded time.
   */
  private List<Long> fullText(String query, int candidates) {
    String[] q = jdbc.queryOne("WITH lx AS (SELECT x.l FROM unnest(" + s + "code_query_lexemes(?)) WITH ORDINALITY"
        + " x (l, i) WHERE i <= " + MAX_TERMS + " AND x.l !~ '[''\\\\]') SELECT (SELECT string_agg(quote_literal(l),"
        + " ' & ') FROM lx), CASE WHEN (SELECT count(*) FROM lx) >= 3 THEN (SELECT string_agg('(' || quote_literal(a.l)"
        + " || ' & ' || quote_literal(b.l) || ')', ' | ') FROM lx a JOIN lx b ON a.l < b.l) END, (SELECT"
        + " string_agg(quote_literal(l), ' | ') FROM lx)", ps -> ps.setString(1, query),
        rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)}).orElseThrow();
    List<Long> out = new ArrayList<>();
    if (q[0] == null) {
      return out; // nothing but stop words
    }
    String all = q[0];
    String two = q[1];
    String any = q[2];
    tier(out, all, null, any, candidates);
    if (two != null) {
      tier(out, two, all, any, candidates);
      tier(out, any, two, any, candidates);
    } else if (!any.equals(all)) {
      tier(out, any, all, any, candidates);
    }
    return out;
  }

  static final int TIER_ROWS = 1000;

  /** Adds the chunks matching {@code match} and not {@code not}, best first, while slots are free. */
  private void tier(List<Long> out, String match, String not, String rank, int candidates) {
    int free = candidates - out.size();
    if (free <= 0) {
      return;
    }
    out.addAll(jdbc.query("SELECT m.id FROM (SELECT c.id, c.tsv FROM " + s + "code_chunks c WHERE c.tsv @@ ?::tsquery"
        + " AND NOT c.superseded" + (not == null ? "" : " AND NOT c.tsv @@ ?::tsquery") + " LIMIT " + TIER_ROWS
        + ") m ORDER BY ts_rank(m.tsv, ?::tsquery, 1) DESC, m.id LIMIT ?", ps -> {
          int i = 1;
          ps.setString(i++, match);
          if (not != null) {
            ps.setString(i++, not);
          }
          ps.setString(i++, rank);
          ps.setInt(i, free);
        }, rs -> rs.getLong(1)));
  }

  private Map<Long, Fusion.Chunk> details(List<Long> ids, SearchRequest.Scope scope) {
    String roles = switch (scope) {
      case ALL -> "";
      case IMPLEMENTATION -> " AND f.role = 'impl'";
      case NON_IMPLEMENTATION -> " AND f.role <> 'impl'";
    };
    return jdbc.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("SELECT c.id, c.file_id, f.codebase, f.path, f.role, c.start_line,"
          + " c.end_line, c.symbol, c.content FROM " + s + "code_chunks c JOIN " + s + "code_files f ON f.id ="
          + " c.file_id WHERE c.id = ANY (?) AND NOT c.superseded AND NOT f.deleted" + roles)) {
        ps.setArray(1, c.createArrayOf("bigint", ids.toArray()));
        Map<Long, Fusion.Chunk> out = new java.util.HashMap<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.put(rs.getLong(1), new Fusion.Chunk(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4),
                role(rs.getString(5)), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9)));
          }
        }
        return out;
      }
    });
  }

  static SearchHit.Role role(String stored) {
    return switch (stored) {
      case "test" -> SearchHit.Role.TEST;
      case "example" -> SearchHit.Role.EXAMPLE;
      case "doc" -> SearchHit.Role.DOC;
      default -> SearchHit.Role.IMPLEMENTATION;
    };
  }

  /**
   * @return how many live chunks have a vector of the current model so far, and whether this
   *     instance is still embedding in the background: a search made meanwhile finds chunks
   *     without a vector by their words only
   */
  public dev.autopilot.code.EmbeddingProgress embeddingProgress() {
    return dev.autopilot.internal.embed.BackgroundEmbedding.progress(jdbc, schema, services);
  }
}
