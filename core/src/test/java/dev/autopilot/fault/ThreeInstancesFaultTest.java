package dev.autopilot.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.LogCapture;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three instances for two minutes with an interval task, a minutely Java cron task, a minutely
 * pg_cron task and three hundred triggers: every slot and every trigger runs exactly once,
 * counted by the tasks themselves in a table with a unique key, and history has exactly one row
 * for each.
 */
@Tag("fault")
@ExtendWith(PostgresExtension.class)
class ThreeInstancesFaultTest {

  private static final Duration RUN = Duration.ofSeconds(120);
  private static final int TRIGGERS = 300;

  @Test
  void everySlotAndTriggerRunsExactlyOnceAcrossThreeInstances(TestDatabase db) throws Exception {
    DataSource check = db.newDataSource(2);
    try (Connection c = db.connect()) {
      FaultFixture.createTables(c);
    }
    Task sql = Task.sql("sql-minutely", "INSERT INTO public.fault_count (kind, key, instance)"
        + " VALUES ('pgcron', date_trunc('minute', now())::text, 'pg_cron')"
        + " ON CONFLICT (kind, key) DO UPDATE SET n = fault_count.n + 1").cron("* * * * *").build();
    List<Autopilot> aps = new ArrayList<>();
    try (LogCapture logs = LogCapture.start()) {
      Instant begin = Instant.now();
      for (int i = 0; i < 3; i++) {
        aps.add(FaultFixture.builder(db.newDataSource(8), "three", "node" + i).threads(4)
            .property("autopilot.pg-cron.import-interval", "2s")
            .task(FaultFixture.counted("interval", "interval", Trigger.cron("@every 2s"), 50))
            .task(FaultFixture.counted("minutely", "minutely", Trigger.cron("* * * * *"), 50))
            .task(FaultFixture.counted("trigger", "trigger", Trigger.manual(), 10))
            .task(sql)
            .build().start());
      }
      Set<String> triggered = new HashSet<>();
      long pause = RUN.minusSeconds(30).toMillis() / TRIGGERS;
      for (int i = 0; i < TRIGGERS; i++) {
        triggered.add(aps.get(i % 3).trigger("trigger"));
        Thread.sleep(pause);
      }
      Await.until(Duration.ofSeconds(120), "every trigger counted",
          () -> FaultFixture.one(check, "SELECT count(*) FROM public.fault_count WHERE kind = 'trigger'") >= TRIGGERS);
      long left = RUN.toMillis() - Duration.between(begin, Instant.now()).toMillis();
      if (left > 0) {
        Thread.sleep(left);
      }
      try (Connection c = db.cluster().isPresent() ? db.cluster().get().connect("postgres") : db.connect();
          Statement s = c.createStatement()) {
        // no pg_cron run after this point: the comparison below must see every run imported
        s.execute("DELETE FROM cron.job WHERE database = '" + db.name() + "'");
      }
      Thread.sleep(1500);
      aps.forEach(Autopilot::close);
      long logLines = logs.lines().size();
      long stack = logs.stackTraceLinesOf("dev.autopilot", "com.github.kagkarlsson");

      long dupes = FaultFixture.one(check, "SELECT coalesce(sum(n - 1), 0) FROM public.fault_count");
      Set<String> counted = strings(check, "SELECT key FROM public.fault_count WHERE kind = 'trigger'");
      Set<String> history = strings(check,
          "SELECT execution_id FROM three.job_history WHERE task_name = 'trigger' AND outcome = 'succeeded'");
      long triggerRows = FaultFixture.one(check,
          "SELECT count(*) FROM three.job_history WHERE task_name = 'trigger' AND outcome = 'succeeded'");
      long lost = 0;
      for (String kind : List.of("interval", "minutely")) {
        Set<String> slots = new HashSet<>();
        strings(check, "SELECT key FROM public.fault_count WHERE kind = '" + kind + "'")
            .forEach(k -> slots.add(Instant.parse(k).toString()));
        List<String> rows = list(check, "SELECT scheduled_at FROM three.job_history WHERE task_name = '" + kind
            + "' AND outcome = 'succeeded'");
        Set<String> hist = new HashSet<>(rows);
        assertEquals(rows.size(), hist.size(), kind + ": one history row per slot");
        Set<String> missing = new HashSet<>(slots);
        missing.removeAll(hist);
        lost += missing.size();
        assertEquals(Set.of(), missing, kind + ": every slot the task counted is in history");
        assertTrue(slots.size() >= (kind.equals("interval") ? 20 : 1), kind + " slots: " + slots.size());
      }
      long pgCronCounted = FaultFixture.one(check, "SELECT count(*) FROM public.fault_count WHERE kind = 'pgcron'");
      long pgCronRows = FaultFixture.one(check, "SELECT count(*) FROM three.job_history WHERE task_name = 'sql-minutely'"
          + " AND engine = 'pg_cron' AND outcome = 'succeeded'");
      lost += Math.max(0, TRIGGERS - triggerRows) + Math.max(0, pgCronCounted - pgCronRows);
      FaultFixture.report("three-instances-2min", 0, lost, dupes, logLines, "triggers=" + counted.size()
          + " pg_cron_runs=" + pgCronCounted + " stack_trace_lines=" + stack);

      assertEquals(0, dupes, "no slot or trigger ran twice");
      assertEquals(triggered, counted, "every trigger ran");
      assertEquals(triggered, history, "every trigger is in history");
      assertEquals(TRIGGERS, triggerRows, "once");
      if (db.pgCronAvailable()) {
        assertTrue(pgCronCounted >= 1, "pg_cron ran the SQL task");
        assertEquals(pgCronCounted, pgCronRows, "each pg_cron run imported once");
      }
      assertEquals(0, stack, "no stack traces");
    } finally {
      aps.forEach(Autopilot::close);
    }
  }

  private static Set<String> strings(DataSource ds, String sql) throws Exception {
    return new HashSet<>(list(ds, sql));
  }

  private static List<String> list(DataSource ds, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        Object o = rs.getObject(1);
        out.add(o instanceof java.sql.Timestamp ? ((java.sql.Timestamp) o).toInstant().toString() : String.valueOf(o));
      }
    }
    return out;
  }
}
