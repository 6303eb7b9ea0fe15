package dev.autopilot.internal.embed;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.code.EmbeddingModel;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vector storage: with pgvector, a {@code vec vector(dims)} column on embeddings plus an HNSW
 * index (cosine); without it (extension not installed, or no right to create it) nothing, and
 * search scans the real[] vectors in process. {@code autopilot.rag.storage} = auto (default),
 * pgvector or array forces a mode.
 */
public final class RagSetup {
  private static final Logger log = LoggerFactory.getLogger(RagSetup.class);

  private RagSetup() {}

  /** @return "pgvector" or "array", the storage now in use */
  public static String ensureStorage(DataSource ds, String schema, EmbeddingModel model, String mode) {
    return ensureStorage(ds, schema, model.id(), model.dimensions(), mode);
  }

  /** @return "pgvector" or "array", the storage now in use for vectors of this many dimensions */
  public static String ensureStorage(DataSource ds, String schema, String modelId, int dims, String mode) {
    Jdbc jdbc = new Jdbc(ds);
    if (mode.equals("array")) {
      return "array";
    }
    if (!vectorExtension(jdbc)) {
      if (mode.equals("pgvector")) {
        throw new dev.autopilot.ConfigurationException("autopilot.rag.storage", mode,
            "the pgvector extension is not installed in this database and could not be created");
      }
      return "array";
    }
    String s = Jdbc.quoteIdent(schema) + ".";
    jdbc.inTransaction(c -> {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_xact_lock(hashtext(" + quote(schema + ".rag-setup") + "))");
        int current = VectorColumn.dims(jdbc, schema);
        if (current != -1 && current != dims) {
          log.info("embeddings.vec has {} dimensions, model {} has {}: recreating the column", current, modelId, dims);
          st.execute("ALTER TABLE " + s + "embeddings DROP COLUMN vec");
        }
        st.execute("ALTER TABLE " + s + "embeddings ADD COLUMN IF NOT EXISTS vec vector(" + dims + ")");
        st.execute("UPDATE " + s + "embeddings SET vec = vector::vector(" + dims + ") WHERE vec IS NULL AND dims = " + dims);
        // an HNSW build whose graph does not fit maintenance_work_mem is many times slower
        st.execute("SET LOCAL maintenance_work_mem = '256MB'");
        st.execute("CREATE INDEX IF NOT EXISTS embeddings_vec_hnsw_idx ON " + s
            + "embeddings USING hnsw (vec vector_cosine_ops)");
        // fresh statistics, or the planner may sort every row instead of using the HNSW index
        st.execute("ANALYZE " + s + "embeddings");
      }
      return null;
    });
    return "pgvector";
  }

  private static boolean vectorExtension(Jdbc jdbc) {
    if (jdbc.queryOne("SELECT 1 FROM pg_extension WHERE extname = 'vector'", Jdbc.NONE, rs -> 1).isPresent()) {
      return true;
    }
    if (jdbc.queryOne("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'", Jdbc.NONE, rs -> 1).isEmpty()) {
      log.info("pgvector is not installed on this server: vectors stay in real[] with an exact in-process scan");
      return false;
    }
    try {
      jdbc.withConnection(c -> {
        try (Statement st = c.createStatement()) {
          st.execute("CREATE EXTENSION IF NOT EXISTS vector");
        }
        return null;
      });
      return true;
    } catch (RuntimeException e) {
      Throwable cause = e.getCause() instanceof SQLException ? e.getCause() : e;
      log.warn("pgvector is available but CREATE EXTENSION vector failed ({}); a superuser can run it once."
          + " Falling back to real[] with an exact in-process scan", cause.getMessage());
      return false;
    }
  }

  private static String quote(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  /** Deletes vectors of other models once the current one covers everything (a model change). */
  public static int dropOtherModels(DataSource ds, String schema, EmbeddingModel model) {
    return new Jdbc(ds).update("DELETE FROM " + Jdbc.quoteIdent(schema) + ".embeddings WHERE model <> ?",
        ps -> ps.setString(1, model.id()));
  }
}
