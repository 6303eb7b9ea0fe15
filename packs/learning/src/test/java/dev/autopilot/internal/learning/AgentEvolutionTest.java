package dev.autopilot.internal.learning;

import static dev.autopilot.internal.learning.MetricsAggregationTest.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.learning.AgentEvolutionPolicy;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The whole loop on real telemetry: aggregation, analysis, evolution, judgement. */
@ExtendWith(PostgresExtension.class)
class AgentEvolutionTest {

  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");

  /** 20 events of agent {@code agent} spread over the hour starting {@code from}, {@code ok} of them successful. */
  static String events(String sc, long agent, Instant from, int ok) {
    return "INSERT INTO " + sc + ".telemetry_events (occurred_at, agent_id, duration_ms, success)"
        + " SELECT timestamptz '" + from + "' + g * interval '3 minutes', " + agent + ", 100, g < " + ok
        + " FROM generate_series(0, 19) g";
  }

  static long agent(TestDatabase db, String sc, String name, int concurrency) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("INSERT INTO " + sc + ".agents (name, concurrency) VALUES ('" + name + "', " + concurrency
            + ") RETURNING id")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static List<String> versions(TestDatabase db, String sc, long agent) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, concurrency, strategy, rolled_back_at IS NOT NULL,"
            + " coalesce(evaluation ->> 'verdict', '-'), reason FROM " + sc + ".agent_versions WHERE agent_id = " + agent
            + " ORDER BY version")) {
      while (rs.next()) {
        out.add("v" + rs.getInt(1) + " c" + rs.getInt(2) + " " + rs.getString(3) + (rs.getBoolean(4) ? " rolled-back" : "")
            + " " + rs.getString(5) + " | " + rs.getString(6));
      }
    }
    return out;
  }

  static String agentRow(TestDatabase db, String sc, long agent) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT version, concurrency, strategy FROM " + sc + ".agents WHERE id = " + agent)) {
      rs.next();
      return "v" + rs.getInt(1) + " c" + rs.getInt(2) + " " + rs.getString(3);
    }
  }

  /** Runs aggregation, analysis and evolution as the schedule would at {@code at}. */
  static void loop(TestDatabase db, String sc, Instant at, AgentEvolutionPolicy policy) {
    new MetricsAggregation().run(new TestTaskContext(db.dataSource(), sc, "metrics-aggregation").at(at));
    new FeedbackAnalysis().run(new TestTaskContext(db.dataSource(), sc, "feedback-analysis").at(at));
    TestTaskContext evo = new TestTaskContext(db.dataSource(), sc, "agent-evolution").at(at);
    if (policy != null) {
      evo.service(AgentEvolutionPolicy.class, policy);
    }
    new AgentEvolution().run(evo);
  }

  @Test
  void aChangeThatMakesItsNextWindowWorseIsRolledBack(TestDatabase db) throws Exception {
    String sc = "e_worse";
    TestTaskContext.migrate(db.dataSource(), sc);
    long a = agent(db, sc, "builder", 4);
    sql(db, events(sc, a, T0.minus(Duration.ofHours(1)), 12)); // 60% success before
    loop(db, sc, T0, null);
    assertEquals("v2 c2 default", agentRow(db, sc, a));
    assertEquals(List.of("v1 c4 default - | baseline", "v2 c2 default - | agent-success: concurrency 4 -> 2"),
        versions(db, sc, a));

    sql(db, events(sc, a, T0, 6)); // 30% success after the change
    loop(db, sc, T0.plus(Duration.ofMinutes(30)), null);
    assertEquals("v2 c2 default", agentRow(db, sc, a), "not judged before its window has passed");

    loop(db, sc, T0.plus(Duration.ofMinutes(61)), null);
    assertEquals("v3 c4 default", agentRow(db, sc, a));
    assertEquals(List.of("v1 c4 default - | baseline",
        "v2 c2 default rolled-back worse-success | agent-success: concurrency 4 -> 2",
        "v3 c4 default - | rollback of v2: worse-success"), versions(db, sc, a));
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM " + sc + ".feedback WHERE subject = '" + a + "'")) {
      rs.next();
      assertEquals("applied", rs.getString(1), "the feedback is not applied again in a loop");
    }
  }

  @Test
  void aChangeThatHelpsIsKept(TestDatabase db) throws Exception {
    String sc = "e_better";
    TestTaskContext.migrate(db.dataSource(), sc);
    long a = agent(db, sc, "tester", 3);
    sql(db, events(sc, a, T0.minus(Duration.ofHours(1)), 10)); // 50%
    loop(db, sc, T0, null);
    sql(db, events(sc, a, T0, 19)); // 95%
    loop(db, sc, T0.plus(Duration.ofMinutes(61)), null);
    assertEquals("v2 c1 default", agentRow(db, sc, a));
    assertEquals(List.of("v1 c3 default - | baseline", "v2 c1 default kept | agent-success: concurrency 3 -> 1"),
        versions(db, sc, a));
  }

  @Test
  void aHostPolicyDecidesTheChange(TestDatabase db) throws Exception {
    String sc = "e_policy";
    TestTaskContext.migrate(db.dataSource(), sc);
    long a = agent(db, sc, "planner", 2);
    sql(db, events(sc, a, T0.minus(Duration.ofHours(1)), 4));
    AgentEvolutionPolicy policy = (agent, fb) -> Optional.of(new AgentEvolutionPolicy.Change(agent.concurrency(), "careful",
        "{\"max_tokens\": 1000}", "host policy for " + fb.kind()));
    loop(db, sc, T0, policy);
    assertEquals("v2 c2 careful", agentRow(db, sc, a));
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT config ->> 'max_tokens', feedback_id FROM " + sc + ".agent_versions"
            + " WHERE agent_id = " + a + " AND version = 2")) {
      rs.next();
      assertEquals("1000", rs.getString(1));
      assertNotNull(rs.getObject(2));
    }
    // while the change is being judged, the agent gets no other change
    sql(db, "UPDATE " + sc + ".feedback SET status = 'resolved'",
        "INSERT INTO " + sc + ".feedback (kind, scope, subject) VALUES ('p95-slowdown', 'agent', '" + a + "')");
    loop(db, sc, T0.plus(Duration.ofMinutes(5)), policy);
    assertEquals("v2 c2 careful", agentRow(db, sc, a));
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT status FROM " + sc + ".feedback WHERE kind = 'p95-slowdown'")) {
      rs.next();
      assertEquals("open", rs.getString(1));
    }
  }
}
