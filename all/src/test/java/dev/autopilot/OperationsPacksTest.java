package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Pack;
import dev.autopilot.learning.PatternCache;
import dev.autopilot.internal.Packs;
import dev.autopilot.spi.CacheRegistry;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The backup and learning packs as a host uses them: through Autopilot, trigger() and services. */
@ExtendWith(PostgresExtension.class)
class OperationsPacksTest {

  static Autopilot.Builder onlyOurPacks(TestDatabase db, String schema) {
    Autopilot.Builder b = Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(100)).threads(2);
    for (Pack p : Packs.discover(OperationsPacksTest.class.getClassLoader(), "")) {
      if (!p.name().equals("backup") && !p.name().equals("learning")) {
        b.property("autopilot.pack." + p.name() + ".enabled", "false");
      }
    }
    return b;
  }

  static String one(TestDatabase db, String sql) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }

  @Test
  void aManualBackupIsTriggeredVerifiedAndInJobHistory(TestDatabase db, @TempDir Path dir) throws Exception {
    try (Autopilot ap = onlyOurPacks(db, "ops_backup").property("autopilot.backup.directory", dir.toString())
        .enabled("database-backup-hourly", false).enabled("database-backup-daily", false)
        .build().start()) {
      String id = ap.trigger("database-backup-manual");
      Await.until(Duration.ofSeconds(60), "manual backup verified",
          () -> ap.monitor().jobs(JobQuery.all().task("database-backup-manual")).stream()
              .anyMatch(j -> j.state() == JobState.SUCCEEDED));
      assertEquals("manual verified", one(db, "SELECT kind || ' ' || status FROM ops_backup.backups"));
      String file = one(db, "SELECT file_path FROM ops_backup.backups");
      assertTrue(Files.exists(Path.of(file)), file);
      assertTrue(id != null && !id.isBlank());
    }
  }

  @Test
  void patternCacheAndCacheRegistryAreServicesTheHostCanUse(TestDatabase db) throws Exception {
    try (Autopilot ap = onlyOurPacks(db, "ops_learning").build().start()) {
      try (Connection c = db.connect(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO ops_learning.learned_patterns (pattern_key, usage_count, success_count, confidence)"
            + " VALUES ('use-batch-insert', 20, 19, 0.8)");
      }
      PatternCache patterns = ap.service(PatternCache.class).orElseThrow();
      assertEquals(0, patterns.size());
      ap.trigger("pattern-sync");
      Await.until(Duration.ofSeconds(30), "pattern cache filled", () -> patterns.size() == 1);
      assertEquals(19, patterns.get("use-batch-insert").orElseThrow().successCount());

      Map<String, Object> analysis = new ConcurrentHashMap<>(Map.of("f1", 1, "f2", 2));
      ap.service(CacheRegistry.class).orElseThrow().register("analysis", () -> {
        int n = analysis.size();
        analysis.clear();
        return n;
      });
      ap.trigger("code-analysis-cache-clear");
      Await.until(Duration.ofSeconds(30), "analysis cache cleared", analysis::isEmpty);
      ap.flushHistory(Duration.ofSeconds(5));
      ap.trigger("metrics-aggregation");
      Await.until(Duration.ofSeconds(30), "job history rolled up", () -> {
        try {
          return one(db, "SELECT count FROM ops_learning.metric_rollups WHERE scope = 'task' AND subject = 'pattern-sync'") != null;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
    }
  }
}
