/**
 * The code pack's public API: {@link dev.autopilot.code.CodeSearch} over what {@code code-ingest}
 * and {@code rag-setup} stored, its {@link dev.autopilot.code.SearchHit}s, and the extension points
 * a host registers as services: {@link dev.autopilot.code.EmbeddingModel} (instead of the bundled
 * all-MiniLM-L6-v2) and {@link dev.autopilot.code.RegistrySource} (extra packages for
 * {@code registry-sync}).
 */
package dev.autopilot.code;
