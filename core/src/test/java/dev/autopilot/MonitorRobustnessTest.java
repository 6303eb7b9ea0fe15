package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** One unreadable entry never hides the other tasks from the monitor. */
@ExtendWith(PostgresExtension.class)
class MonitorRobustnessTest {

  @Test
  void aHistoryRowThisVersionCannotReadIsReportedInItsTaskOnly(TestDatabase db) throws Exception {
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("robust").environment(Map.of())
        .discoverProviders(false).builtInTasks(false).pollingInterval(Duration.ofMillis(200))
        .task(Task.java("good", ctx -> { }).cron("0 3 * * *").build())
        .task(Task.java("odd", ctx -> { }).cron("0 4 * * *").build())
        .build().start()) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        // as a newer version could write it: an outcome this version does not know
        s.execute("ALTER TABLE robust.job_history DROP CONSTRAINT job_history_outcome_check");
        s.execute("INSERT INTO robust.job_history (task_name, execution_id, engine, outcome, started_at, finished_at)"
            + " VALUES ('odd', 'x', 'db-scheduler', 'paused-by-a-newer-version', now(), now()),"
            + " ('good', 'y', 'db-scheduler', 'succeeded', now(), now())");
      }
      TaskStatus good = ap.monitor().task("good").orElseThrow();
      assertEquals(JobState.SUCCEEDED, good.lastOutcome());
      assertNotNull(good.nextRun());
      TaskStatus odd = ap.monitor().task("odd").orElseThrow();
      assertTrue(odd.lastError().contains("unknown job state 'paused-by-a-newer-version'"), odd.lastError());
      assertNotNull(odd.nextRun());
      assertTrue(ap.monitor().health().alive());
    }
  }
}
