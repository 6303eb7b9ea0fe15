/**
 * The learning loop and operations caches: {@code metrics-aggregation}, {@code pattern-sync},
 * {@code feedback-analysis}, {@code agent-evolution} and {@code code-analysis-cache-clear}.
 * Internal: no compatibility promise.
 */
package dev.autopilot.internal.learning;
