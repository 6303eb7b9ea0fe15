package dev.autopilot.micrometer;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** The meters {@link AutopilotMetrics} registered in one registry, to update and to remove. */
final class RegistryMeters {
  final MeterRegistry registry;
  final List<Meter> meters = new CopyOnWriteArrayList<>();
  final Set<String> liveTasks = ConcurrentHashMap.newKeySet();
  final Set<String> lastSuccessKeys = ConcurrentHashMap.newKeySet();
  final Set<String> bootstrapTasks = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  RegistryMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Counts one finished attempt and records its duration. */
  void count(HistoryReader.Row r, String pack) {
    counters.computeIfAbsent(r.task() + "|" + r.engine() + "|" + r.outcome(), k -> add(Counter
        .builder(AutopilotMetrics.COMPLETIONS)
        .tags("task", r.task(), "engine", r.engine(), "pack", pack, "outcome", r.outcome())
        .description("finished attempts by outcome").register(registry))).increment();
    timers.computeIfAbsent(r.task() + "|" + r.engine(), k -> add(Timer.builder(AutopilotMetrics.DURATION)
        .tags("task", r.task(), "engine", r.engine(), "pack", pack)
        .description("duration of finished attempts").register(registry)))
        .record(Duration.ofMillis(Math.max(0, r.durationMs())));
  }

  <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void removeAll() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
