package dev.autopilot.knowledge;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.knowledge.KnowledgePack;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs the knowledge pack's tasks on a real Autopilot, isolated from other built-in packs: the
 * pack's tasks are registered as host tasks (without retries, so a failure is final at once).
 */
final class Fixture {
  private Fixture() {}

  /** A finished run: outcome and error message from job history. */
  record Run(String outcome, String message) {}

  static List<Task> packTasks(boolean withRetries) {
    Pack.Context pc = new Pack.Context(new Settings(Map.of(), Map.of(), Map.of()), "x", null, Map.of());
    return new KnowledgePack().tasks(pc).stream()
        .map(t -> withRetries || t.kind() == Task.Kind.SQL ? t : Task.java(t.name(), t.body().orElseThrow()).trigger(t.trigger())
            .retry(RetryPolicy.none()).pack(t.pack()).build())
        .collect(Collectors.toList());
  }

  static Autopilot start(TestDatabase db, String schema, Map<String, String> props) {
    Autopilot.Builder b = Autopilot.builder(db.newDataSource(4)).schema(schema).environment(Map.of())
        .discoverProviders(false).builtInTasks(false).instanceName(schema).pollingInterval(Duration.ofMillis(100))
        .threads(2).tasks(packTasks(false)).property("autopilot.bootstrap.enabled", "false");
    props.forEach(b::property);
    return b.build().start();
  }

  static Run run(Autopilot ap, TestDatabase db, String schema, String task) {
    String id = ap.trigger(task);
    Jdbc jdbc = new Jdbc(db.dataSource());
    return Await.value(Duration.ofSeconds(60), task + " finished", () -> jdbc.queryOne(
        "SELECT outcome, coalesce(error_message, '') FROM " + schema + ".job_history WHERE execution_id = ?"
            + " AND outcome IN ('succeeded', 'skipped', 'failed') ORDER BY id DESC LIMIT 1",
        ps -> ps.setString(1, id), rs -> new Run(rs.getString(1), rs.getString(2))).orElse(null), r -> r != null);
  }

  /** Row versions of a table: any insert, update or delete changes the result. */
  static String versions(TestDatabase db, String table) {
    return new Jdbc(db.dataSource()).queryOne("SELECT count(*) || ':' || coalesce(string_agg(id || '@' || xmin::text, ','"
        + " ORDER BY id), '') FROM " + table, Jdbc.NONE, rs -> rs.getString(1)).orElseThrow();
  }

  static int count(TestDatabase db, String sql) {
    return new Jdbc(db.dataSource()).queryOne(sql, Jdbc.NONE, rs -> rs.getInt(1)).orElseThrow();
  }

  static List<String> strings(TestDatabase db, String sql) {
    return new Jdbc(db.dataSource()).query(sql, Jdbc.NONE, rs -> rs.getString(1));
  }
}
