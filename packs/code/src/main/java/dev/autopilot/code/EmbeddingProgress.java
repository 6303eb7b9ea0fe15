package dev.autopilot.code;

/**
 * How far embedding of the ingested code got: what a {@link CodeSearch} answers from while the
 * remaining chunks are embedded in the background (chunks without a vector yet are found by their
 * words only).
 *
 * @param embedded live chunks with a vector of the current embedding model
 * @param total live chunks (not superseded, file not deleted)
 * @param running whether this instance is embedding in the background right now
 */
public record EmbeddingProgress(long embedded, long total, boolean running) {

  /** @return true when every live chunk has a vector */
  public boolean complete() {
    return embedded >= total;
  }

  /** @return for example {@code 812 of 3020 chunks embedded (embedding continues in the background)} */
  @Override
  public String toString() {
    return embedded + " of " + total + " chunks embedded" + (running ? " (embedding continues in the background)" : "");
  }
}
