package dev.autopilot.internal.learning;

import dev.autopilot.learning.AgentEvolutionPolicy;
import java.util.Optional;

/**
 * The default {@link AgentEvolutionPolicy}: an agent that fails too often or whose success rate is
 * low gets half its concurrency (less contention, fewer timeouts); at concurrency 1 it switches to
 * the {@code conservative} strategy. A slowdown costs one unit of concurrency. Nothing else to try:
 * no change.
 */
final class DefaultEvolutionPolicy implements AgentEvolutionPolicy {

  static final String CONSERVATIVE = "conservative";

  @Override
  public Optional<Change> propose(Agent agent, Feedback feedback) {
    switch (feedback.kind()) {
      case "agent-success", "failure-rate" -> {
        if (agent.concurrency() > 1) {
          int next = Math.max(1, agent.concurrency() / 2);
          return Optional.of(new Change(next, agent.strategy(), agent.configJson(),
              feedback.kind() + ": concurrency " + agent.concurrency() + " -> " + next));
        }
        if (!CONSERVATIVE.equals(agent.strategy())) {
          return Optional.of(new Change(1, CONSERVATIVE, agent.configJson(),
              feedback.kind() + ": strategy " + agent.strategy() + " -> " + CONSERVATIVE));
        }
        return Optional.empty();
      }
      case "p95-slowdown" -> {
        if (agent.concurrency() > 1) {
          return Optional.of(new Change(agent.concurrency() - 1, agent.strategy(), agent.configJson(),
              "p95-slowdown: concurrency " + agent.concurrency() + " -> " + (agent.concurrency() - 1)));
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }
}
