package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.learning.AgentEvolutionPolicy.Agent;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** Agent version bookkeeping: every change to an agent's settings is a new agent_versions row. */
final class Versions {
  private Versions() {}

  /** Saves the agent's current settings as its current version, when that version has no row. */
  static void saveBaseline(Connection c, String s, Agent a, Instant now) throws SQLException {
    Jdbc.update(c, "INSERT INTO " + s + "agent_versions (agent_id, version, concurrency, strategy, config, reason, created_at)"
        + " VALUES (?, ?, ?, ?, ?::jsonb, 'baseline', ?) ON CONFLICT (agent_id, version) DO NOTHING", ps -> {
          ps.setLong(1, a.id());
          ps.setInt(2, a.version());
          ps.setInt(3, a.concurrency());
          ps.setString(4, a.strategy());
          ps.setString(5, a.configJson());
          ps.setTimestamp(6, Timestamp.from(now));
        });
  }

  /** Inserts version {@code version} and makes it the agent's current settings. */
  static void record(Connection c, String s, long agentId, int version, int concurrency, String strategy, String configJson,
      String reason, Long feedbackId, Instant now) throws SQLException {
    Jdbc.update(c, "INSERT INTO " + s + "agent_versions (agent_id, version, concurrency, strategy, config, reason, feedback_id,"
        + " created_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?)", ps -> {
          ps.setLong(1, agentId);
          ps.setInt(2, version);
          ps.setInt(3, concurrency);
          ps.setString(4, strategy);
          ps.setString(5, configJson);
          ps.setString(6, reason);
          ps.setObject(7, feedbackId);
          ps.setTimestamp(8, Timestamp.from(now));
        });
    Jdbc.update(c, "UPDATE " + s + "agents SET concurrency = ?, strategy = ?, config = ?::jsonb, version = ?, updated_at = ?"
        + " WHERE id = ?", ps -> {
          ps.setInt(1, concurrency);
          ps.setString(2, strategy);
          ps.setString(3, configJson);
          ps.setInt(4, version);
          ps.setTimestamp(5, Timestamp.from(now));
          ps.setLong(6, agentId);
        });
  }
}
