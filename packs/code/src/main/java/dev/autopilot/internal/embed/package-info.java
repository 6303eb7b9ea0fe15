/**
 * Embeddings: the bundled offline model (all-MiniLM-L6-v2 on DJL + ONNX Runtime), how a
 * Runtime picks its model, and storing vectors (real[] always, pgvector where available).
 * Internal: no compatibility promise.
 */
package dev.autopilot.internal.embed;
