package dev.autopilot.learning;

import java.util.Objects;
import java.util.Optional;

/**
 * Decides how an agent changes in answer to open feedback ({@code agent-evolution}). Autopilot
 * records each proposed change as a new agent version, applies it, and rolls it back when the
 * agent's next window (setting {@code autopilot.agent-evolution.window}, default 1 h) is worse
 * than the window before the change. Register with {@code
 * Autopilot.builder(ds).service(AgentEvolutionPolicy.class, policy)}; the default policy lowers
 * concurrency and, at concurrency 1, switches the strategy to {@code conservative}.
 *
 * <p>Implementations must be pure decisions (no database writes) and thread-safe.
 */
@FunctionalInterface
public interface AgentEvolutionPolicy {

  /**
   * Proposes a change for one agent and one open feedback item about it.
   *
   * @param agent the agent as it is now
   * @param feedback the open feedback about it
   * @return the new settings, or empty to leave the agent unchanged (the feedback stays open)
   */
  Optional<Change> propose(Agent agent, Feedback feedback);

  /**
   * An agent's current, tunable settings.
   *
   * @param id the agent id ({@code agents.id})
   * @param name the agent name
   * @param version the current version number
   * @param concurrency how many tasks it runs at once, at least 1
   * @param strategy its strategy name
   * @param configJson its free-form configuration as a JSON object
   */
  record Agent(long id, String name, int version, int concurrency, String strategy, String configJson) {}

  /**
   * One open feedback item ({@code feedback} row).
   *
   * @param id the feedback id
   * @param kind {@code failure-rate}, {@code p95-slowdown} or {@code agent-success}
   * @param scope {@code task} or {@code agent}
   * @param subject the task name or agent id
   * @param detailJson the measurements behind it, as a JSON object
   */
  record Feedback(long id, String kind, String scope, String subject, String detailJson) {}

  /**
   * New settings for an agent.
   *
   * @param concurrency the new concurrency, at least 1
   * @param strategy the new strategy, not blank
   * @param configJson the new configuration as a JSON object
   * @param reason a short human explanation, stored with the new agent version
   */
  record Change(int concurrency, String strategy, String configJson, String reason) {
    /**
     * Validates the values.
     *
     * @param concurrency the new concurrency, at least 1
     * @param strategy the new strategy, not blank
     * @param configJson the new configuration as a JSON object
     * @param reason a short human explanation
     */
    public Change {
      if (concurrency < 1) {
        throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
      }
      if (strategy == null || strategy.isBlank()) {
        throw new IllegalArgumentException("strategy must not be blank");
      }
      Objects.requireNonNull(configJson, "configJson");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
