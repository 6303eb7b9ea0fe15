package dev.autopilot.learning;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Learned patterns ({@code learned_patterns}) held in memory, refreshed by the {@code
 * pattern-sync} task (every 5 minutes, or {@code autopilot.trigger("pattern-sync")}). Reads never
 * touch the database. Get it with {@code autopilot.service(PatternCache.class)}. Before the first
 * sync it is empty and {@link #syncedAt()} is empty. Thread-safe; each read sees one consistent
 * snapshot.
 */
public interface PatternCache {

  /**
   * One learned pattern.
   *
   * @param key the pattern key
   * @param usageCount how often it was observed
   * @param successCount how often it succeeded
   * @param confidence the Wilson lower bound (95%) of its success rate, 0..1
   * @param lastSeen when it was last observed, or null
   * @param dataJson its free-form data as a JSON object
   * @param updatedAt when its row last changed
   */
  record Pattern(String key, long usageCount, long successCount, double confidence, Instant lastSeen,
      String dataJson, Instant updatedAt) {}

  /**
   * @param key a pattern key
   * @return the pattern, if cached
   */
  Optional<Pattern> get(String key);

  /** @return every cached pattern, by key */
  List<Pattern> all();

  /**
   * @param minConfidence the lowest confidence to include
   * @param limit at most this many
   * @return the most confident patterns first, ties by key
   */
  List<Pattern> mostConfident(double minConfidence, int limit);

  /** @return how many patterns are cached */
  int size();

  /** @return when the cache was last refreshed, empty before the first sync */
  Optional<Instant> syncedAt();
}
