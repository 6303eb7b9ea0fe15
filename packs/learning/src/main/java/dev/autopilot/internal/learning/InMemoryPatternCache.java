package dev.autopilot.internal.learning;

import dev.autopilot.learning.PatternCache;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The {@link PatternCache}: an immutable snapshot swapped in whole by pattern-sync. */
final class InMemoryPatternCache implements PatternCache {

  private record Snapshot(Map<String, Pattern> byKey, Instant syncedAt) {}

  private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

  void replace(Map<String, Pattern> patterns, Instant syncedAt) {
    snapshot = new Snapshot(java.util.Collections.unmodifiableMap(new TreeMap<>(patterns)), syncedAt);
  }

  @Override
  public Optional<Pattern> get(String key) {
    return Optional.ofNullable(snapshot.byKey().get(key));
  }

  @Override
  public List<Pattern> all() {
    return List.copyOf(snapshot.byKey().values());
  }

  @Override
  public List<Pattern> mostConfident(double minConfidence, int limit) {
    return snapshot.byKey().values().stream()
        .filter(p -> p.confidence() >= minConfidence)
        .sorted(Comparator.comparingDouble(Pattern::confidence).reversed().thenComparing(Pattern::key))
        .limit(Math.max(0, limit))
        .toList();
  }

  @Override
  public int size() {
    return snapshot.byKey().size();
  }

  @Override
  public Optional<Instant> syncedAt() {
    return Optional.ofNullable(snapshot.syncedAt());
  }
}
