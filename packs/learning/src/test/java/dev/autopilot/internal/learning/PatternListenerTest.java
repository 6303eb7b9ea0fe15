package dev.autopilot.internal.learning;

import static dev.autopilot.internal.learning.MetricsAggregationTest.sql;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.Autopilot;
import dev.autopilot.learning.PatternCache;
import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Packs;
import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PatternListenerTest {

  static void await(String what, java.util.function.BooleanSupplier ok) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!ok.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(50);
    }
  }

  @Test
  void anotherInstancesSyncRefreshesThisInstancesCache(TestDatabase db) throws Exception {
    String sc = "p_listener";
    Autopilot.Builder b = Autopilot.builder(db.dataSource()).schema(sc).environment(Map.of()).discoverProviders(false)
        .pollingInterval(Duration.ofMillis(200)).threads(1)
        .property("autopilot.patterns.listen", "true").property("autopilot.events.channel-prefix", "p_listener_")
        .enabled("pattern-sync", false);
    for (Pack p : Packs.discover(getClass().getClassLoader(), "")) {
      if (!p.name().equals(LearningPack.NAME)) {
        b.property("autopilot.pack." + p.name() + ".enabled", "false");
      }
    }
    try (Autopilot here = b.build().start()) {
      PatternCache cache = here.service(PatternCache.class).orElseThrow();
      await("listener started (it loads once when it starts listening)", () -> cache.syncedAt().isPresent());
      sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key, usage_count) VALUES ('from-elsewhere', 3)");
      Thread.sleep(1500);
      assertEquals(0, cache.size(), "the listener does not poll the table; only a notification reloads");
      // "another instance": the same task body with its own cache, publishing with NOTIFY
      TestTaskContext other = new TestTaskContext(db.dataSource(), sc, "pattern-sync")
          .service(PatternCache.class, new InMemoryPatternCache()).set("events.channel-prefix", "p_listener_");
      new PatternSync().run(other);
      await("pattern announced by the other instance", () -> cache.get("from-elsewhere").isPresent());
      sql(db, "UPDATE " + sc + ".learned_patterns SET usage_count = 4, updated_at = now()");
      new PatternSync().run(other);
      await("update seen", () -> cache.get("from-elsewhere").orElseThrow().usageCount() == 4);
    }
  }
}
