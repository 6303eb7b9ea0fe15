package dev.autopilot.internal.learning;

import dev.autopilot.AutopilotException;
import dev.autopilot.learning.PatternCache;
import dev.autopilot.learning.PatternCache.Pattern;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.learning.EventPublisher;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code pattern-sync}: reloads {@code learned_patterns} into the {@link PatternCache}, publishes
 * what changed through the {@link EventPublisher} (topic {@code patterns}), and, when {@code
 * autopilot.patterns.export-directory} is set, writes them all to {@code learned-patterns.json}
 * there, atomically. Each step runs even when an earlier one failed; the run then fails with every
 * reason.
 *
 * <p>What changed: compared with this task's previous snapshot when this process has one;
 * otherwise (first run after a start) every row updated after the stored watermark minus one
 * minute. Deletions are seen only against a snapshot. So events are at least once: a restart may
 * re-announce a key, never lose one.
 */
final class PatternSync implements JavaTask {

  static final String TOPIC = "patterns";
  static final String FILE = "learned-patterns.json";
  private static final Logger log = LoggerFactory.getLogger(PatternSync.class);

  private final InMemoryPatternCache fallbackCache = new InMemoryPatternCache();
  private volatile boolean warnedForeignCache;
  private volatile Map<String, Pattern> lastSeen;
  /** Keys of an event that could not be published; announced again with the next run's event. */
  private final java.util.Set<String> unsentUpserts = new java.util.TreeSet<>();
  private final java.util.Set<String> unsentDeletes = new java.util.TreeSet<>();

  @Override
  public void run(TaskContext ctx) {
    String prefix = "[" + ctx.taskName() + "] ";
    Optional<PatternCache> registered = ctx.service(PatternCache.class);
    InMemoryPatternCache cache = registered.filter(InMemoryPatternCache.class::isInstance)
        .map(InMemoryPatternCache.class::cast).orElse(fallbackCache);
    if (registered.isPresent() && cache == fallbackCache && !warnedForeignCache) {
      warnedForeignCache = true;
      log.warn("{}the PatternCache registered by the host ({}) cannot be filled by pattern-sync; use the one Autopilot"
          + " provides (autopilot.service(PatternCache.class))", prefix, registered.get().getClass().getName());
    }
    Map<String, Pattern> fresh = load(new Jdbc(ctx.dataSource()), ctx.schema());
    Optional<Instant> watermark = ctx.state().get("updated-at").map(Instant::parse);
    java.util.Set<String> upserted = new java.util.LinkedHashSet<>();
    java.util.Set<String> deleted = new java.util.LinkedHashSet<>();
    // Compared with what this task saw last, not with the cache: a PatternListener may have
    // reloaded the cache since, and what it loaded was never announced by us.
    Map<String, Pattern> old = lastSeen;
    boolean haveSnapshot = old != null;
    for (Pattern p : fresh.values()) {
      if (haveSnapshot ? !Objects.equals(old.get(p.key()), p)
          : watermark.isEmpty() || p.updatedAt().isAfter(watermark.get().minus(Duration.ofMinutes(1)))) {
        upserted.add(p.key());
      }
    }
    if (haveSnapshot) {
      old.keySet().stream().filter(k -> !fresh.containsKey(k)).forEach(deleted::add);
    }
    cache.replace(fresh, ctx.clock().instant());
    lastSeen = fresh;

    List<String> errors = new ArrayList<>();
    synchronized (this) {
      unsentUpserts.stream().filter(fresh::containsKey).forEach(upserted::add);
      unsentDeletes.stream().filter(k -> !fresh.containsKey(k)).forEach(deleted::add);
      unsentUpserts.clear();
      unsentDeletes.clear();
    }
    EventPublisher.Event event = new EventPublisher.Event(TOPIC, List.copyOf(upserted), List.copyOf(deleted));
    if (!event.isEmpty()) {
      EventPublisher publisher = ctx.service(EventPublisher.class).orElseGet(() ->
          new NotifyPublisher(ctx.dataSource(), ctx.config().get("events.channel-prefix", "autopilot_")));
      try {
        publisher.publish(event);
      } catch (Exception e) {
        synchronized (this) {
          unsentUpserts.addAll(upserted);
          unsentDeletes.addAll(deleted);
        }
        errors.add("publishing " + upserted.size() + " upserted and " + deleted.size() + " deleted key(s) failed: " + e);
      }
    }
    Optional<String> dir = ctx.config().get("patterns.export-directory").filter(s -> !s.isBlank());
    if (dir.isPresent()) {
      try {
        boolean written = JsonExport.writeIfChanged(java.nio.file.Path.of(dir.get()).resolve(FILE), fresh.values());
        if (written) {
          log.info("{}wrote {} pattern(s) to {}", prefix, fresh.size(), dir.get());
        }
      } catch (Exception e) {
        errors.add("cannot write " + FILE + " in " + dir.get() + " (setting autopilot.patterns.export-directory): " + e);
      }
    }
    if (errors.isEmpty()) {
      fresh.values().stream().map(Pattern::updatedAt).filter(Objects::nonNull).max(Instant::compareTo)
          .ifPresent(max -> ctx.state().put("updated-at", max.toString()));
    }
    log.info("{}{} pattern(s) cached; {} upserted, {} deleted", prefix, fresh.size(), upserted.size(), deleted.size());
    if (!errors.isEmpty()) {
      throw new AutopilotException("pattern-sync: " + String.join("; ", errors));
    }
  }

  /** Every learned pattern, by key. */
  static Map<String, Pattern> load(Jdbc jdbc, String schema) {
    Map<String, Pattern> out = new LinkedHashMap<>();
    for (Pattern p : jdbc.query("SELECT pattern_key, usage_count, success_count, confidence, last_seen, data::text, updated_at"
        + " FROM " + Jdbc.quoteIdent(schema) + ".learned_patterns ORDER BY pattern_key", Jdbc.NONE,
        rs -> new Pattern(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getDouble(4), instant(rs.getTimestamp(5)),
            rs.getString(6), instant(rs.getTimestamp(7))))) {
      out.put(p.key(), p);
    }
    return out;
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  static Timestamp ts(Instant i) {
    return i == null ? null : Timestamp.from(i);
  }
}
