package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A host with autopilot-core alone on its class path (this module's tests have no pack). */
@ExtendWith(PostgresExtension.class)
class CoreAloneTest {

  static final Set<String> MAINTENANCE = Set.of("table-statistics", "daily-vacuum-analyze", "cleanup-job-history",
      "reindex-bloated-indexes");

  @Test
  void coreAloneRunsTheHostsTasksAndItsMaintenanceTasksAndCreatesNoPackTables(TestDatabase db) {
    AtomicInteger ran = new AtomicInteger();
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("alone").environment(Map.of())
        .pollingInterval(Duration.ofMillis(200))
        .task(Task.java("nightly-report", ctx -> ran.incrementAndGet()).cron("0 2 * * *").build())
        .build().start()) {
      Set<String> tasks = ap.monitor().tasks().stream().map(TaskStatus::name).collect(Collectors.toSet());
      Set<String> expected = new java.util.HashSet<>(MAINTENANCE);
      expected.add("nightly-report");
      assertEquals(expected, tasks);
      assertTrue(ap.monitor().tasks().stream().filter(t -> MAINTENANCE.contains(t.name()))
          .allMatch(t -> t.pack().equals("maintenance")));

      String report = ap.trigger("nightly-report");
      String stats = ap.trigger("table-statistics");
      Await.until(Duration.ofSeconds(60), "both runs in history", () -> ap.flushHistory(Duration.ofSeconds(5))
          && ap.monitor().jobs(JobQuery.all().states(JobState.SUCCEEDED)).stream()
              .filter(j -> j.executionId().equals(report) || j.executionId().equals(stats)).count() == 2);
      assertEquals(1, ran.get());

      Jdbc jdbc = new Jdbc(db.dataSource());
      for (String packTable : List.of("code_chunks", "embeddings", "knowledge_artifacts", "templates", "backups",
          "learned_patterns", "agent_tasks")) {
        assertFalse(jdbc.queryOne("SELECT to_regclass(?) IS NOT NULL", ps -> ps.setString(1, "alone." + packTable),
            rs -> rs.getBoolean(1)).orElseThrow(), packTable + " must not exist without its pack");
      }
      assertTrue(jdbc.queryOne("SELECT to_regclass('alone.table_stats_history') IS NOT NULL", Jdbc.NONE,
          rs -> rs.getBoolean(1)).orElseThrow());
      List<String> modules = jdbc.query("SELECT DISTINCT module FROM alone.autopilot_schema_history", Jdbc.NONE,
          rs -> rs.getString(1));
      assertEquals(List.of("core"), modules);
      assertTrue(ap.service(Object.class).isEmpty());
    }
  }

  @Test
  void runningHostsRecordTheirCatalogForOperatorTools(TestDatabase db) {
    try (Autopilot host = Autopilot.builder(db.dataSource()).schema("recorded").environment(Map.of())
        .task(Task.java("host-task", ctx -> { }).cron("0 3 * * *").pack("billing").build())
        .build().start()) {
      try (Autopilot tool = Autopilot.builder(db.dataSource()).schema("recorded").environment(Map.of())
          .builtInTasks(false).discoverProviders(false).build().attach()) {
        List<InstanceStatus> instances = tool.monitor().instances();
        assertEquals(1, instances.size());
        assertTrue(instances.get(0).alive());
        assertEquals(host.instanceName(), instances.get(0).name());
        TaskStatus t = tool.monitor().task("host-task").orElseThrow();
        assertEquals("billing", t.pack());
        assertEquals("0 3 * * *", t.schedule());
        assertTrue(tool.monitor().task("daily-vacuum-analyze").isPresent());
        AutopilotException e = org.junit.jupiter.api.Assertions.assertThrows(UnknownTaskException.class,
            () -> tool.trigger("code-ingest"));
        assertTrue(e.getMessage().contains("code-ingest"), e.getMessage());
      }
    }
    try (Autopilot tool = Autopilot.builder(db.dataSource()).schema("recorded").environment(Map.of())
        .builtInTasks(false).discoverProviders(false).build().attach()) {
      assertFalse(tool.monitor().instances().get(0).alive(), "a closed host is recorded stopped");
      AutopilotException e = org.junit.jupiter.api.Assertions.assertThrows(AutopilotException.class,
          () -> tool.trigger("host-task"));
      assertTrue(e.getMessage().contains("no Autopilot host is running"), e.getMessage());
    }
  }
}
