package dev.autopilot.code;

import java.util.List;

/**
 * Turns texts into fixed-length vectors for retrieval ({@code search}, {@code rag-setup},
 * {@code template-embed}, {@code code-ingest}).
 *
 * <p>Register one with {@code Autopilot.builder(ds).service(EmbeddingModel.class, model)}; when
 * the host registers none, Autopilot uses its bundled offline model (all-MiniLM-L6-v2 on DJL and
 * ONNX Runtime, 384 dimensions, mean pooling, L2-normalised). Every stored vector records the
 * {@link #id()} of the model that produced it: when the id changes, stored vectors of the old
 * model are no longer used for search and are recomputed by the embedding tasks.
 *
 * <p>Implementations must be thread-safe and must not download anything at run time unless the
 * host wants that.
 */
public interface EmbeddingModel {

  /**
   * @return a stable identifier of the model and its settings (for example
   *     {@code all-MiniLM-L6-v2-q}); changing it makes every stored vector stale
   */
  String id();

  /** @return the length of every vector {@link #embed} returns */
  int dimensions();

  /**
   * Embeds a batch of texts. Callers pass batches (typically 16-64 texts); implementations may
   * split them further.
   *
   * @param texts the texts, none null; empty strings allowed
   * @return one vector of {@link #dimensions()} floats per text, in order; vectors should be
   *     L2-normalised so that a dot product is the cosine similarity
   */
  List<float[]> embed(List<String> texts);
}
