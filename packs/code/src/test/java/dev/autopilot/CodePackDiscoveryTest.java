package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.code.CodeSearch;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.Task;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The same host as core's {@code CoreAloneTest}, with autopilot-pack-code on the class path (and
 * no other pack): the code tasks and tables come with the dependency, no code change.
 */
@ExtendWith(PostgresExtension.class)
class CodePackDiscoveryTest {

  @Test
  void addingTheCodePackJarAddsItsTasksTablesAndSearchWithoutAnyCodeChange(TestDatabase db) {
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("with_code").environment(Map.of())
        .pollingInterval(Duration.ofMillis(200))
        .task(Task.java("nightly-report", ctx -> { }).cron("0 2 * * *").build())
        .build().start()) {
      Map<String, String> packs = ap.monitor().tasks().stream()
          .collect(Collectors.toMap(TaskStatus::name, TaskStatus::pack));
      assertEquals("code", packs.get("code-ingest"));
      assertEquals("code", packs.get("pagerank-recalculation"));
      assertEquals("maintenance", packs.get("daily-vacuum-analyze"));
      assertTrue(packs.containsKey("nightly-report"));
      assertTrue(packs.keySet().stream().noneMatch(Set.of("knowledge-migration", "database-backup-hourly",
          "pattern-sync")::contains), "only the packs on the class path: " + packs.keySet());

      Jdbc jdbc = new Jdbc(db.dataSource());
      for (String table : List.of("code_files", "code_chunks", "embeddings", "graph_nodes", "package_cache")) {
        assertTrue(jdbc.queryOne("SELECT to_regclass(?) IS NOT NULL", ps -> ps.setString(1, "with_code." + table),
            rs -> rs.getBoolean(1)).orElseThrow(), table);
      }
      assertEquals(List.of("code", "core"), jdbc.query("SELECT DISTINCT module FROM with_code.autopilot_schema_history"
          + " ORDER BY 1", Jdbc.NONE, rs -> rs.getString(1)));
      // without the knowledge pack, the start-up wave still completes: rag-setup does not need its tables
      BootstrapStatus wave = ap.awaitBootstrap(Duration.ofSeconds(120));
      assertTrue(wave.finished() && wave.succeeded(), wave.toString());
      assertTrue(CodeSearch.of(ap).search("anything", 3).isEmpty());
    }
  }
}
