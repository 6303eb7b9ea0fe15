package dev.autopilot.internal.embed;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.EmbeddingModel;

/**
 * How much of the live code chunks have a vector of the current model: what a search answers
 * from while embedding still runs (chunks without a vector are found by their words only).
 *
 * @param embedded live chunks with a vector of the current model
 * @param total live chunks (not superseded, file not deleted)
 * @param running whether this instance is embedding in the background right now
 */
public record EmbeddingProgress(long embedded, long total, boolean running) {

  /** @return true when every live chunk has a vector */
  public boolean complete() {
    return embedded >= total;
  }

  /** @return for example "812 of 3020 chunks embedded (embedding continues in the background)" */
  @Override
  public String toString() {
    return embedded + " of " + total + " chunks embedded" + (running ? " (embedding continues in the background)" : "");
  }

  /**
   * @param services the instance's services: the registered {@link EmbeddingModel} (else the
   *     bundled model's id, without loading it) and its {@link BackgroundEmbedding}
   */
  public static EmbeddingProgress of(Jdbc jdbc, String schema, java.util.Map<Class<?>, Object> services) {
    String model = services.get(EmbeddingModel.class) instanceof EmbeddingModel m ? m.id() : MiniLmModel.ID;
    return of(jdbc, schema, model, services.get(BackgroundEmbedding.class) instanceof BackgroundEmbedding bg && bg.running());
  }

  /** Counts in the database; {@code running} is this instance's background state. */
  public static EmbeddingProgress of(Jdbc jdbc, String schema, String modelId, boolean running) {
    String s = Jdbc.quoteIdent(schema) + ".";
    return jdbc.queryOne("SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM " + s + "embeddings e"
        + " WHERE e.owner_type = 'chunk' AND e.owner_id = c.id AND e.model = ?)) FROM " + s + "code_chunks c JOIN "
        + s + "code_files f ON f.id = c.file_id WHERE NOT c.superseded AND NOT f.deleted",
        ps -> ps.setString(1, modelId), rs -> new EmbeddingProgress(rs.getLong(2), rs.getLong(1), running))
        .orElse(new EmbeddingProgress(0, 0, running));
  }
}
