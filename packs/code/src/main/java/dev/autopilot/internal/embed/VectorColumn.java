package dev.autopilot.internal.embed;

import dev.autopilot.internal.Jdbc;

/** The pgvector column {@code embeddings.vec}: whether it exists, and its dimensions. */
public final class VectorColumn {
  private VectorColumn() {}

  /** @return the declared dimensions of embeddings.vec, or -1 when there is no such column */
  public static int dims(Jdbc jdbc, String schema) {
    return jdbc.queryOne("SELECT a.atttypmod FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
        + " JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = ? AND c.relname = 'embeddings'"
        + " AND a.attname = 'vec' AND NOT a.attisdropped", ps -> ps.setString(1, schema), rs -> rs.getInt(1))
        .orElse(-1);
  }
}
