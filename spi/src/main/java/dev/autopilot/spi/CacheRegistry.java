package dev.autopilot.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory caches that the {@code code-analysis-cache-clear} task (daily, 03:00) clears.
 * Autopilot creates one registry per instance; the host gets it with {@code
 * autopilot.service(CacheRegistry.class)} (or passes its own with {@code
 * builder.service(CacheRegistry.class, registry)}), and tasks get it with {@code
 * ctx.service(CacheRegistry.class)}. Thread-safe.
 *
 * <pre>{@code
 * Map<String, Ast> asts = new ConcurrentHashMap<>();
 * autopilot.service(CacheRegistry.class).orElseThrow().register("ast-cache", () -> {
 *   int n = asts.size();
 *   asts.clear();
 *   return n;
 * });
 * }</pre>
 */
public final class CacheRegistry {

  /** A cache that can be emptied. */
  @FunctionalInterface
  public interface Cache {
    /**
     * Empties the cache.
     *
     * @return how many entries were freed (an estimate is fine; -1 when unknown)
     * @throws Exception when the cache could not be cleared; other caches are still cleared
     */
    long clear() throws Exception;
  }

  private final Map<String, Cache> caches = new ConcurrentHashMap<>();

  /** Creates an empty registry. */
  public CacheRegistry() {}

  /**
   * Registers a cache, replacing one registered under the same name.
   *
   * @param name a unique, human-readable name shown in logs
   * @param cache the cache
   */
  public void register(String name, Cache cache) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("cache name must not be blank");
    }
    caches.put(name, Objects.requireNonNull(cache, "cache"));
  }

  /**
   * Removes a cache.
   *
   * @param name its name
   * @return true when one was registered under that name
   */
  public boolean unregister(String name) {
    return caches.remove(name) != null;
  }

  /** @return the names of the registered caches, sorted */
  public Set<String> names() {
    return new TreeSet<>(caches.keySet());
  }

  /**
   * Clears every registered cache, in name order. A cache that throws is reported and does not
   * stop the others.
   *
   * @return per cache name, the entries freed, or the failure
   */
  public Map<String, Result> clearAll() {
    Map<String, Result> out = new LinkedHashMap<>();
    for (String name : names()) {
      Cache c = caches.get(name);
      if (c == null) {
        continue;
      }
      try {
        out.put(name, new Result(c.clear(), null));
      } catch (Exception e) {
        out.put(name, new Result(0, e.toString()));
      }
    }
    return out;
  }

  /**
   * What clearing one cache did.
   *
   * @param freed entries freed (-1 when the cache does not know)
   * @param error the failure, or null when cleared
   */
  public record Result(long freed, String error) {
    /** @return true when the cache was cleared */
    public boolean ok() {
      return error == null;
    }
  }
}
