package dev.autopilot.internal.code;

import dev.autopilot.code.SearchHit;
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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Hybrid retrieval over live code chunks: nearest vectors (pgvector HNSW, or an exact scan of
 * the real[] vectors in process) united with the best full-text matches of the query words,
 * each scored as cosine similarity + {@value #FTS_WEIGHT} x ts_rank (normalised to 0..1).
 */
public final class CodeSearch {
  static final double FTS_WEIGHT = 0.3;
  private static final long STORAGE_TTL_NANOS = 5_000_000_000L;

  private final Jdbc jdbc;
  private final String schema;
  private final String s;
  private final Map<Class<?>, Object> services;
  private final String mode;
  private final VectorCache cache;
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

  public List<SearchHit> search(String query, int k) {
    if (query == null || query.isBlank() || k <= 0) {
      return List.of();
    }
    EmbeddingModel model = EmbeddingModels.of(services);
    float[] q = model.embed(List.of(query)).get(0);
    int candidates = Math.max(40, 4 * k);
    boolean pg = storage(model).equals("pgvector");
    Map<Long, Double> sims = new HashMap<>();
    Set<Long> ids = new LinkedHashSet<>();
    VectorCache.Snapshot snap = pg ? null : cache.current(model.id());
    if (pg) {
      sims.putAll(pgNearest(model, q, candidates));
    } else {
      for (VectorCache.Scored sc : cache.nearest(snap, q, candidates)) {
        sims.put(sc.ownerId(), sc.similarity());
      }
    }
    ids.addAll(sims.keySet());
    Map<Long, Double> ranks = fullText(query, candidates);
    ids.addAll(ranks.keySet());
    if (ids.isEmpty()) {
      return List.of();
    }
    List<SearchHit> hits = details(ids, model, pg ? q : null, sims);
    List<SearchHit> scored = new ArrayList<>(hits.size());
    for (SearchHit h : hits) {
      Double sim = sims.get(h.chunkId());
      if (sim == null && !pg) {
        sim = cache.similarity(snap, h.chunkId(), q);
      }
      double score = (sim == null ? 0 : sim) + FTS_WEIGHT * ranks.getOrDefault(h.chunkId(), 0.0);
      scored.add(new SearchHit(h.codebase(), h.path(), h.startLine(), h.endLine(), h.symbol(), h.content(), score,
          h.chunkId()));
    }
    scored.sort((a, b) -> Double.compare(b.score(), a.score()));
    return List.copyOf(scored.subList(0, Math.min(k, scored.size())));
  }

  private Map<Long, Double> pgNearest(EmbeddingModel model, float[] q, int candidates) {
    return jdbc.inTransaction(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL hnsw.ef_search = " + Math.max(100, candidates));
      }
      Map<Long, Double> out = new HashMap<>();
      // the query vector as an InitPlan: parsed once, and usable by the HNSW index scan
      Jdbc.query(c, "SELECT e.owner_id, 1 - (e.vec <=> (SELECT ?::vector)) FROM " + s + "embeddings e"
          + " WHERE e.owner_type = 'chunk' AND e.model = ? ORDER BY e.vec <=> (SELECT ?::vector) LIMIT ?", ps -> {
            String lit = Embedder.literal(q, '[', ']');
            ps.setString(1, lit);
            ps.setString(2, model.id());
            ps.setString(3, lit);
            ps.setInt(4, candidates);
          }, rs -> out.put(rs.getLong(1), rs.getDouble(2)));
      return out;
    });
  }

  private Map<Long, Double> fullText(String query, int candidates) {
    Set<String> words = new LinkedHashSet<>();
    for (String w : query.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}_]+")) {
      if (w.length() >= 2) {
        words.add(w);
      }
    }
    if (words.isEmpty()) {
      return Map.of();
    }
    String tsq = String.join(" | ", words);
    Map<Long, Double> out = new HashMap<>();
    jdbc.query("SELECT c.id, ts_rank(c.tsv, q, 32) FROM " + s + "code_chunks c, to_tsquery('simple', ?) q"
        + " WHERE c.tsv @@ q AND NOT c.superseded ORDER BY 2 DESC LIMIT ?", ps -> {
          ps.setString(1, tsq);
          ps.setInt(2, candidates);
        }, rs -> out.put(rs.getLong(1), rs.getDouble(2)));
    return out;
  }

  private List<SearchHit> details(Set<Long> ids, EmbeddingModel model, float[] pgQuery, Map<Long, Double> sims) {
    return jdbc.withConnection(c -> {
      String simCol = pgQuery == null ? "NULL::float8" : "(SELECT 1 - (e.vec <=> (SELECT ?::vector)) FROM " + s
          + "embeddings e WHERE e.owner_type = 'chunk' AND e.owner_id = c.id AND e.model = ?)";
      try (PreparedStatement ps = c.prepareStatement("SELECT c.id, f.codebase, f.path, c.start_line, c.end_line,"
          + " c.symbol, c.content, " + simCol + " FROM " + s + "code_chunks c JOIN " + s + "code_files f ON f.id ="
          + " c.file_id WHERE c.id = ANY (?) AND NOT c.superseded AND NOT f.deleted")) {
        int i = 1;
        if (pgQuery != null) {
          ps.setString(i++, Embedder.literal(pgQuery, '[', ']'));
          ps.setString(i++, model.id());
        }
        ps.setArray(i, c.createArrayOf("bigint", ids.toArray()));
        List<SearchHit> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long id = rs.getLong(1);
            double sim = rs.getDouble(8);
            if (!rs.wasNull()) {
              sims.putIfAbsent(id, sim);
            }
            out.add(new SearchHit(rs.getString(2), rs.getString(3), rs.getInt(4), rs.getInt(5), rs.getString(6),
                rs.getString(7), 0, id));
          }
        }
        return out;
      }
    });
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
