package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.Engine;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.TaskStatus;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Where pg_cron is not usable, db-scheduler runs the same SQL tasks, and the monitor says why. */
@ExtendWith(PostgresExtension.class)
class FallbackEngineTest {

  @Test
  void withoutPrivilegesOnCronTheWholeSqlTaskSetRunsOnDbScheduler(TestDatabase db) throws Exception {
    assumeTrue(db.pgCronAvailable(), "pg_cron not installed (then the fallback is the only path anyway)");
    String role = "ap_plain_" + db.name().replaceAll("[^a-z0-9_]", "");
    try (Connection c = db.connect()) {
      exec(c, "DROP ROLE IF EXISTS " + role, "CREATE ROLE " + role + " LOGIN",
          "GRANT CONNECT, CREATE, TEMPORARY ON DATABASE " + db.name() + " TO " + role);
    }
    String url = db.jdbcUrl().replace("user=postgres", "user=" + role);
    Map<String, String> props = new HashMap<>();
    props.put("autopilot.task.reindex-bloated-indexes.min-size", "0");
    List<Task> tasks = SqlTaskFixtures.tasks("plain", props);
    try (Autopilot ap = SqlTaskFixtures.builder(db.newDataSource(url, 5), "plain", props).build().start()) {
      TaskStatus st = ap.monitor().task("pattern-learning").orElseThrow();
      assertEquals(Engine.DB_SCHEDULER, st.engine());
      assertEquals("role " + role + " has no USAGE privilege on schema cron in database postgres", st.engineReason());
      assertTrue(!ap.monitor().health().pgCronUsable());
      assertEquals(st.engineReason(), ap.monitor().health().pgCronReason());
      try (Connection c = db.connect()) {
        assertEquals(17, count(c, "SELECT count(*) FROM plain.scheduled_tasks WHERE task_instance = 'recurring'"),
            "every cron-scheduled SQL task (and the Java reindex task) is recurring on db-scheduler");
        exec(c, "INSERT INTO plain.pattern_observations(pattern_key, success) VALUES ('a', true), ('a', false)",
            "INSERT INTO plain.graph_nodes(codebase, path) SELECT 'c', 'f' || g FROM generate_series(1, 3) g",
            "INSERT INTO plain.graph_edges(source_id, target_id) SELECT id, id % 3 + 1 FROM plain.graph_nodes");
      }
      for (Task t : tasks) {
        ap.trigger(t.name());
      }
      Map<String, JobRecord> last = Await.value(Duration.ofSeconds(60), "one finished run of each of the 18 tasks", () -> {
        ap.flushHistory(Duration.ofSeconds(2));
        return ap.monitor().jobs(JobQuery.all().states(JobState.SUCCEEDED, JobState.SKIPPED, JobState.FAILED,
            JobState.RETRYING, JobState.DEAD).limit(500)).stream()
            .collect(Collectors.toMap(JobRecord::task, r -> r, (a, b) -> a));
      }, m -> m.size() == 18);
      for (JobRecord r : last.values()) {
        assertEquals(Engine.DB_SCHEDULER, r.engine(), r.task());
        if (r.task().equals("centralcloud-sync") || r.task().equals("backup-archival")) {
          assertTrue(r.state() == JobState.SKIPPED || r.task().equals("backup-archival"), r.toString());
        } else {
          assertEquals(JobState.SUCCEEDED, r.state(), r.task() + ": " + r.errorMessage());
        }
      }
      try (Connection c = db.connect()) {
        assertEquals(2, count(c, "SELECT usage_count FROM plain.learned_patterns WHERE pattern_key = 'a'"));
        assertEquals(10, count(c, "SELECT count(*) FROM plain.work_plan"), "planning-seed ran");
        assertEquals(3, count(c, "SELECT count(*) FROM plain.graph_nodes WHERE pagerank > 0 AND in_degree = 1"));
      }
    }
  }
}
