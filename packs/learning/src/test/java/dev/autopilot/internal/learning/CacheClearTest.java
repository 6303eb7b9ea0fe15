package dev.autopilot.internal.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.AutopilotException;
import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.spi.CacheRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class CacheClearTest {

  @Test
  void everyRegisteredCacheIsClearedEvenWhenOneFails() {
    Map<String, String> asts = new ConcurrentHashMap<>(Map.of("a", "1", "b", "2", "c", "3"));
    CacheRegistry registry = new CacheRegistry();
    registry.register("ast", () -> {
      int n = asts.size();
      asts.clear();
      return n;
    });
    registry.register("broken", () -> {
      throw new IllegalStateException("locked");
    });
    TestTaskContext ctx = new TestTaskContext(null, "x", "code-analysis-cache-clear").service(CacheRegistry.class, registry);
    AutopilotException e = assertThrows(AutopilotException.class, () -> new CacheClear().run(ctx));
    assertTrue(e.getMessage().contains("broken") && e.getMessage().contains("locked"), e.getMessage());
    assertEquals(0, asts.size());
  }

  @Test
  void withNoCachesTheRunIsSkipped() {
    TestTaskContext ctx = new TestTaskContext(null, "x", "code-analysis-cache-clear").service(CacheRegistry.class,
        new CacheRegistry());
    new CacheClear().run(ctx);
    assertEquals("no caches registered", ctx.skipped());
  }

  @Test
  void clearAllReportsFreedEntriesPerCache() {
    CacheRegistry registry = new CacheRegistry();
    registry.register("b", () -> 5);
    registry.register("a", () -> -1);
    Map<String, CacheRegistry.Result> r = registry.clearAll();
    assertEquals(java.util.List.of("a", "b"), java.util.List.copyOf(r.keySet()));
    assertEquals(5, r.get("b").freed());
    assertTrue(registry.unregister("a"));
    assertEquals(java.util.Set.of("b"), registry.names());
  }
}
