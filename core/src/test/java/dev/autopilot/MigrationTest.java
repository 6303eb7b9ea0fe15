package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Migrator;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The migration runner: every bundled file once, in order, with checksums that guard edits. */
@ExtendWith(PostgresExtension.class)
class MigrationTest {

  private static Autopilot.Builder builder(TestDatabase db, String schema) {
    return Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).discoverProviders(false)
        .builtInTasks(false);
  }

  @Test
  void everyBundledMigrationIsAppliedOnceAndARestartAppliesNothing(TestDatabase db) {
    int bundled = Migrator.load(getClass().getClassLoader(), Migrator.CORE).size();
    try (Autopilot ap = builder(db, "mig").build().start()) {
      assertEquals(String.valueOf(Migrator.load(getClass().getClassLoader(), Migrator.CORE).get(bundled - 1).version()),
          ap.monitor().health().schemaVersion());
    }
    Jdbc jdbc = new Jdbc(db.dataSource());
    String before = jdbc.queryOne("SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version)"
        + " FROM mig.autopilot_schema_history", ps -> {}, rs -> rs.getString(1)).orElseThrow();
    try (Autopilot ap = builder(db, "mig").build().start()) {
      // started again: nothing re-applied
    }
    String after = jdbc.queryOne("SELECT string_agg(version || ':' || applied_at, ',' ORDER BY version)"
        + " FROM mig.autopilot_schema_history", ps -> {}, rs -> rs.getString(1)).orElseThrow();
    assertEquals(before, after);
    assertEquals(bundled, before.split(",").length);
  }

  @Test
  void aMigrationChangedAfterItWasAppliedStopsTheStartNamingTheFile(TestDatabase db) {
    try (Autopilot ap = builder(db, "edited").build().start()) {
      // migrated
    }
    new Jdbc(db.dataSource()).update("UPDATE edited.autopilot_schema_history SET checksum = checksum + 1 WHERE module = 'core' AND version = 2",
        ps -> {});
    AutopilotException e = assertThrows(AutopilotException.class, () -> builder(db, "edited").build().start());
    assertTrue(e.getMessage().contains("V002__domain.sql") && e.getMessage().contains("changed after it was applied"),
        e.getMessage());
  }
}
