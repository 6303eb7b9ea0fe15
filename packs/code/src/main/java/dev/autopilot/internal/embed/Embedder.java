package dev.autopilot.internal.embed;

import dev.autopilot.AutopilotException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.code.EmbeddingModel;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;
import javax.sql.DataSource;

/**
 * Computes missing or stale embeddings of chunks, templates and knowledge artifacts for the
 * current model and stores them: always as real[], and in the pgvector column {@code vec} when
 * rag-setup created it. The model gets a whole page of texts per call (so the bundled model can
 * order them by length and pad little); the next page is read and the previous one written on
 * other threads while the model runs, so the pipeline's throughput is the model's.
 */
public final class Embedder {

  /** What an owner type's pending rows are and how their text is built. */
  public enum Owner {
    CHUNK("chunk", "SELECT c.id, f.path || coalesce(' ' || c.symbol, '') || E'\\n' || coalesce(c.context || E'\\n', '')"
        + " || c.content, c.content_hash"
        + " FROM %1$scode_chunks c JOIN %1$scode_files f ON f.id = c.file_id WHERE NOT c.superseded AND NOT f.deleted"
        + " AND c.id > ? AND NOT EXISTS (SELECT 1 FROM %1$sembeddings e WHERE e.owner_type = 'chunk'"
        + " AND e.owner_id = c.id AND e.model = ?) ORDER BY c.id LIMIT ?"),
    TEMPLATE("template", "SELECT t.id, t.name || E'\\n' || t.content, t.content_hash FROM %1$stemplates t"
        + " WHERE t.id > ? AND NOT EXISTS (SELECT 1 FROM %1$sembeddings e WHERE e.owner_type = 'template'"
        + " AND e.owner_id = t.id AND e.model = ? AND e.source_hash = t.content_hash) ORDER BY t.id LIMIT ?"),
    KNOWLEDGE("knowledge", "SELECT k.id, k.artifact_type || ' ' || k.title || E'\\n' || k.content::text,"
        + " k.content_hash FROM %1$sknowledge_artifacts k WHERE k.id > ? AND NOT EXISTS (SELECT 1 FROM"
        + " %1$sembeddings e WHERE e.owner_type = 'knowledge' AND e.owner_id = k.id AND e.model = ?"
        + " AND e.source_hash = k.content_hash) ORDER BY k.id LIMIT ?");

    final String type;
    final String sql;

    Owner(String type, String sql) {
      this.type = type;
      this.sql = sql;
    }
  }

  /** Enough text for the model's 256 word pieces; longer text only costs tokenizer time. */
  static final int MAX_CHARS = 1500;
  /** Rows read, and texts handed to the model, at a time. */
  static final int PAGE = 64;

  private record Row(long id, String text, String hash) {}

  private final Jdbc jdbc;
  private final String schema;
  private final String s;
  private final EmbeddingModel model;

  public Embedder(DataSource ds, String schema, EmbeddingModel model) {
    this.jdbc = new Jdbc(ds);
    this.schema = schema;
    this.s = Jdbc.quoteIdent(schema) + ".";
    this.model = model;
  }

  /**
   * Embeds every pending row of one owner type.
   *
   * @param progress receives the running count
   * @return how many vectors were written
   */
  public int backfill(Owner owner, LongConsumer progress) {
    return backfill(owner, progress, () -> false);
  }

  /**
   * Embeds every pending row of one owner type, stopping after the current page once
   * {@code cancelled} says so.
   *
   * @param progress receives the running count
   * @param cancelled checked before every page
   * @return how many vectors were written
   */
  public int backfill(Owner owner, LongConsumer progress, BooleanSupplier cancelled) {
    String sql = String.format(owner.sql, s);
    ExecutorService io = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "autopilot-embedding-io");
      t.setDaemon(true);
      return t;
    });
    List<Future<?>> pending = new ArrayList<>();
    int done = 0;
    try {
      Future<List<Row>> next = io.submit(() -> page(sql, 0));
      while (true) {
        List<Row> page = next.get();
        if (page.isEmpty() || cancelled.getAsBoolean()) {
          break;
        }
        long last = page.get(page.size() - 1).id();
        next = io.submit(() -> page(sql, last));
        List<String> texts = new ArrayList<>(page.size());
        page.forEach(r -> texts.add(r.text().length() > MAX_CHARS ? r.text().substring(0, MAX_CHARS) : r.text()));
        List<float[]> vectors = model.embed(texts);
        if (vectors.size() != page.size()) {
          throw new AutopilotException("embedding model " + model.id() + " returned " + vectors.size()
              + " vectors for " + page.size() + " texts");
        }
        pending.add(io.submit(() -> write(owner.type, page, vectors)));
        done += page.size();
        progress.accept(done);
        drainFinished(pending);
      }
      for (Future<?> f : pending) {
        f.get();
      }
      if (done > 0) {
        fillVecColumn();
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AutopilotException("interrupted while embedding", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AutopilotException("reading or storing embeddings failed: " + e.getCause(), e.getCause());
    } finally {
      io.shutdown();
    }
  }

  private List<Row> page(String sql, long after) {
    return jdbc.query(sql, ps -> {
      ps.setLong(1, after);
      ps.setString(2, model.id());
      ps.setInt(3, PAGE);
    }, rs -> new Row(rs.getLong(1), rs.getString(2), rs.getString(3)));
  }

  /**
   * Vectors written while rag-setup was adding the pgvector column (a backfill that runs in the
   * background can straddle it) get their {@code vec} here.
   */
  private void fillVecColumn() {
    int dims = VectorColumn.dims(jdbc, schema);
    if (dims == model.dimensions()) {
      jdbc.update("UPDATE " + s + "embeddings SET vec = vector::vector(" + dims + ") WHERE vec IS NULL AND dims = "
          + dims + " AND model = ?", ps -> ps.setString(1, model.id()));
    }
  }

  private static void drainFinished(List<Future<?>> pending) throws InterruptedException,
      java.util.concurrent.ExecutionException {
    while (!pending.isEmpty() && pending.get(0).isDone()) {
      pending.remove(0).get();
    }
    // bound memory: never more than a few pages of vectors waiting for the writer
    while (pending.size() > 3) {
      pending.remove(0).get();
    }
  }

  private Void write(String ownerType, List<Row> rows, List<float[]> vectors) {
    // checked per page: rag-setup may add the column while a background backfill runs
    boolean vec = VectorColumn.dims(jdbc, schema) == model.dimensions();
    jdbc.withConnection(c -> {
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + s + "embeddings (owner_type, owner_id, model,"
          + " dims, vector, norm, source_hash" + (vec ? ", vec" : "") + ") VALUES (?, ?, ?, ?, ?, ?, ?"
          + (vec ? ", ?::real[]::vector" : "") + ") ON CONFLICT (owner_type, owner_id, model) DO UPDATE SET dims ="
          + " excluded.dims, vector = excluded.vector, norm = excluded.norm, source_hash = excluded.source_hash,"
          + (vec ? " vec = excluded.vec," : "") + " created_at = now()")) {
        for (int i = 0; i < rows.size(); i++) {
          float[] v = vectors.get(i);
          ps.setString(1, ownerType);
          ps.setLong(2, rows.get(i).id());
          ps.setString(3, model.id());
          ps.setInt(4, v.length);
          // a primitive float[] through PgConnection travels in binary: no text formatting or parsing
          java.sql.Array array = c.unwrap(org.postgresql.PGConnection.class).createArrayOf("float4", (Object) v);
          ps.setArray(5, array);
          ps.setFloat(6, norm(v));
          ps.setString(7, rows.get(i).hash());
          if (vec) {
            ps.setArray(8, array);
          }
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
    return null;
  }

  public static String literal(float[] v, char open, char close) {
    StringBuilder sb = new StringBuilder(v.length * 11);
    sb.append(open);
    for (int i = 0; i < v.length; i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(v[i]);
    }
    return sb.append(close).toString();
  }

  public static float norm(float[] v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    return (float) Math.sqrt(n);
  }
}
