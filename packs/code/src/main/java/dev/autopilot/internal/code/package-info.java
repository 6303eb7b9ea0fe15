/**
 * The built-in "code" pack: code ingest (walk, chunk, imports, graph), retrieval set-up and
 * search, dead-code findings and the package registry. Internal: no compatibility promise.
 */
package dev.autopilot.internal.code;
