/**
 * The learning pack's public API: the {@link dev.autopilot.learning.PatternCache} service kept by
 * {@code pattern-sync}, and the extension points a host registers as services:
 * {@link dev.autopilot.learning.AgentEvolutionPolicy} for {@code agent-evolution} and
 * {@link dev.autopilot.learning.EventPublisher} for pattern change events (default: PostgreSQL
 * NOTIFY).
 */
package dev.autopilot.learning;
