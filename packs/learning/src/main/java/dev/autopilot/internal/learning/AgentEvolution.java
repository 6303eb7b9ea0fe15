package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.learning.AgentEvolutionPolicy;
import dev.autopilot.learning.AgentEvolutionPolicy.Agent;
import dev.autopilot.learning.AgentEvolutionPolicy.Change;
import dev.autopilot.learning.AgentEvolutionPolicy.Feedback;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code agent-evolution}: first judges its earlier changes, then applies open agent feedback.
 *
 * <p>Judging: a change (an {@code agent_versions} row with a {@code feedback_id}) is judged once
 * {@code autopilot.evolution.window} (1h) has passed since it was made, comparing the agent's
 * rollups in the window after it with the window before it ({@link WindowStats}). Worse means the
 * success rate fell by more than {@code autopilot.evolution.tolerance} (0.05) or the weighted p95
 * rose by more than 20%. A worse change is rolled back: the previous version's settings are
 * restored as a new version ("rollback of vN"), and the bad version gets {@code rolled_back_at}.
 * Too little data after the change (fewer than {@code autopilot.evolution.min-count}, 5, events)
 * waits, up to three windows, then is judged "inconclusive" and kept.
 *
 * <p>Applying: for each open agent-scope feedback, oldest first, the {@link AgentEvolutionPolicy}
 * proposes a change; it becomes a new agent version (the current settings are first saved as a
 * baseline version when none exists), the agent row is updated, the feedback is {@code applied}.
 * An agent with a change still being judged gets no other change (one experiment at a time).
 * Everything per agent runs in one transaction with the agent row locked.
 */
final class AgentEvolution implements JavaTask {

  private static final Logger log = LoggerFactory.getLogger(AgentEvolution.class);
  private final AgentEvolutionPolicy defaultPolicy = new DefaultEvolutionPolicy();

  @Override
  public void run(TaskContext ctx) {
    Duration window = ctx.config().getDuration("evolution.window", Duration.ofHours(1));
    int minCount = ctx.config().getInt("evolution.min-count", 5);
    double tolerance = Double.parseDouble(ctx.config().get("evolution.tolerance", "0.05"));
    Instant now = ctx.clock().instant();
    String s = Jdbc.quoteIdent(ctx.schema()) + ".";
    Jdbc jdbc = new Jdbc(ctx.dataSource());
    String prefix = "[" + ctx.taskName() + "] ";

    List<long[]> pending = jdbc.query("SELECT id, agent_id FROM " + s + "agent_versions WHERE feedback_id IS NOT NULL"
        + " AND evaluated_at IS NULL AND rolled_back_at IS NULL AND created_at <= ? ORDER BY created_at",
        ps -> ps.setTimestamp(1, Timestamp.from(now.minus(window))), rs -> new long[] {rs.getLong(1), rs.getLong(2)});
    int rolledBack = 0;
    for (long[] p : pending) {
      if (jdbc.inTransaction(c -> Judge.judge(c, s, p[0], p[1], now, window, minCount, tolerance, prefix))) {
        rolledBack++;
      }
    }

    AgentEvolutionPolicy policy = ctx.service(AgentEvolutionPolicy.class).orElse(defaultPolicy);
    List<Feedback> open = jdbc.query("SELECT id, kind, scope, subject, detail::text FROM " + s + "feedback"
        + " WHERE status = 'open' AND scope = 'agent' ORDER BY created_at, id", Jdbc.NONE,
        rs -> new Feedback(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)));
    int applied = 0;
    for (Feedback f : open) {
      long agentId;
      try {
        agentId = Long.parseLong(f.subject());
      } catch (NumberFormatException e) {
        log.warn("{}feedback {} names agent '{}', which is not an agent id; left open", prefix, f.id(), f.subject());
        continue;
      }
      if (jdbc.inTransaction(c -> apply(c, s, agentId, f, policy, now, prefix))) {
        applied++;
      }
    }
    log.info("{}{} change(s) judged, {} rolled back, {} applied from {} open feedback item(s)", prefix, pending.size(),
        rolledBack, applied, open.size());
  }

  private static boolean apply(Connection c, String s, long agentId, Feedback f, AgentEvolutionPolicy policy, Instant now,
      String prefix) throws SQLException {
    Optional<Agent> agent = Jdbc.query(c, "SELECT id, name, version, concurrency, strategy, config::text FROM " + s
        + "agents WHERE id = ? FOR UPDATE", ps -> ps.setLong(1, agentId),
        rs -> new Agent(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getInt(4), rs.getString(5), rs.getString(6)))
        .stream().findFirst();
    if (agent.isEmpty()) {
      log.warn("{}feedback {} names agent {}, which does not exist; left open", prefix, f.id(), agentId);
      return false;
    }
    boolean still = Jdbc.query(c, "SELECT 1 FROM " + s + "feedback WHERE id = ? AND status = 'open'",
        ps -> ps.setLong(1, f.id()), rs -> 1).size() == 1;
    boolean experimenting = !Jdbc.query(c, "SELECT 1 FROM " + s + "agent_versions WHERE agent_id = ? AND feedback_id IS NOT NULL"
        + " AND evaluated_at IS NULL AND rolled_back_at IS NULL", ps -> ps.setLong(1, agentId), rs -> 1).isEmpty();
    if (!still || experimenting) {
      return false;
    }
    Agent a = agent.get();
    Optional<Change> proposed;
    try {
      proposed = policy.propose(a, f);
    } catch (RuntimeException e) {
      log.error("{}AgentEvolutionPolicy failed for agent {} and feedback {}; left open: {}", prefix, a.id(), f.id(), e.toString());
      return false;
    }
    if (proposed.isEmpty() || (proposed.get().concurrency() == a.concurrency()
        && proposed.get().strategy().equals(a.strategy()) && proposed.get().configJson().equals(a.configJson()))) {
      return false;
    }
    Change ch = proposed.get();
    Versions.saveBaseline(c, s, a, now);
    Versions.record(c, s, a.id(), a.version() + 1, ch.concurrency(), ch.strategy(), ch.configJson(), ch.reason(), f.id(), now);
    Jdbc.update(c, "UPDATE " + s + "feedback SET status = 'applied' WHERE id = ?", ps -> ps.setLong(1, f.id()));
    log.info("{}agent {} ({}) v{} -> v{}: {}", prefix, a.id(), a.name(), a.version(), a.version() + 1, ch.reason());
    return true;
  }
}
