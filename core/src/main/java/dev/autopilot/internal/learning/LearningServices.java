package dev.autopilot.internal.learning;

import dev.autopilot.PatternCache;
import dev.autopilot.spi.CacheRegistry;
import java.util.LinkedHashMap;
import java.util.Map;

/** The services Autopilot provides when the host did not register its own. */
public final class LearningServices {
  private LearningServices() {}

  /**
   * @param registered what the host registered
   * @return an immutable copy with a {@link PatternCache} and a {@link CacheRegistry} added when absent
   */
  public static Map<Class<?>, Object> withDefaults(Map<Class<?>, Object> registered) {
    Map<Class<?>, Object> out = new LinkedHashMap<>(registered);
    out.putIfAbsent(PatternCache.class, new InMemoryPatternCache());
    out.putIfAbsent(CacheRegistry.class, new CacheRegistry());
    return Map.copyOf(out);
  }
}
