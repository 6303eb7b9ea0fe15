package dev.autopilot.internal.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.AutopilotException;
import dev.autopilot.learning.PatternCache;
import dev.autopilot.internal.TestTaskContext;
import dev.autopilot.learning.EventPublisher;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

@ExtendWith(PostgresExtension.class)
class PatternSyncTest {

  /** A LISTEN connection: every payload received, parsed by PostgreSQL's own JSON functions. */
  static final class Listener implements AutoCloseable {
    final Connection c;

    Listener(TestDatabase db, String channel) throws Exception {
      c = db.connect();
      try (Statement s = c.createStatement()) {
        s.execute("LISTEN " + channel);
      }
    }

    List<String> payloads(int waitMs) throws Exception {
      List<String> out = new ArrayList<>();
      PGNotification[] got = c.unwrap(PGConnection.class).getNotifications(waitMs);
      while (got != null && got.length > 0) {
        for (PGNotification n : got) {
          out.add(n.getParameter());
        }
        got = c.unwrap(PGConnection.class).getNotifications(300);
      }
      return out;
    }

    Set<String> keys(List<String> payloads, String field) throws Exception {
      Set<String> keys = new TreeSet<>();
      try (PreparedStatement ps = c.prepareStatement("SELECT jsonb_array_elements_text(?::jsonb -> ?)")) {
        for (String p : payloads) {
          ps.setString(1, p);
          ps.setString(2, field);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              keys.add(rs.getString(1));
            }
          }
        }
      }
      return keys;
    }

    @Override
    public void close() throws Exception {
      c.close();
    }
  }

  static void sql(TestDatabase db, String... statements) throws Exception {
    MetricsAggregationTest.sql(db, statements);
  }

  @Test
  void aListenerReceivesPatternChangesAndTheCacheAnswers(TestDatabase db) throws Exception {
    String sc = "p_listen";
    TestTaskContext.migrate(db.dataSource(), sc);
    InMemoryPatternCache cache = new InMemoryPatternCache();
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "pattern-sync").service(PatternCache.class, cache)
        .set("events.channel-prefix", "p_listen_");
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key, usage_count, success_count, confidence, data) VALUES"
        + " ('retry-on-timeout', 10, 9, 0.6, '{\"a\": 1}'), ('split-large-diff', 4, 2, 0.15, '{}'), ('cache-deps', 7, 7, 0.65, '{}')");
    try (Listener l = new Listener(db, "p_listen_patterns")) {
      PatternSync sync = new PatternSync();
      sync.run(ctx);
      List<String> first = l.payloads(5000);
      assertEquals(1, first.size(), first.toString());
      assertEquals(Set.of("retry-on-timeout", "split-large-diff", "cache-deps"), l.keys(first, "upserted"));
      assertEquals(3, cache.size());
      assertEquals(9, cache.get("retry-on-timeout").orElseThrow().successCount());
      assertEquals("{\"a\": 1}", cache.get("retry-on-timeout").orElseThrow().dataJson());
      assertEquals(List.of("cache-deps", "retry-on-timeout"),
          cache.mostConfident(0.5, 10).stream().map(PatternCache.Pattern::key).toList());
      assertTrue(cache.syncedAt().isPresent());

      sql(db, "UPDATE " + sc + ".learned_patterns SET usage_count = 11, updated_at = now() WHERE pattern_key = 'retry-on-timeout'",
          "DELETE FROM " + sc + ".learned_patterns WHERE pattern_key = 'split-large-diff'");
      sync.run(ctx);
      List<String> second = l.payloads(5000);
      assertEquals(Set.of("retry-on-timeout"), l.keys(second, "upserted"));
      assertEquals(Set.of("split-large-diff"), l.keys(second, "deleted"));
      assertEquals(11, cache.get("retry-on-timeout").orElseThrow().usageCount());
      assertTrue(cache.get("split-large-diff").isEmpty());

      sync.run(ctx);
      assertEquals(List.of(), l.payloads(500), "nothing changed, nothing published");
    }
  }

  @Test
  void anEventOverTheNotifyLimitIsSplitIntoPartsEachUnderTheLimit(TestDatabase db) throws Exception {
    String sc = "p_split";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key) SELECT 'pattern-' || g || '-' || repeat('x', 90)"
        + " FROM generate_series(1, 300) g");
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "pattern-sync").set("events.channel-prefix", "p_split_");
    try (Listener l = new Listener(db, "p_split_patterns")) {
      new PatternSync().run(ctx);
      List<String> payloads = l.payloads(5000);
      assertTrue(payloads.size() >= 4, "300 keys of ~100 bytes need several parts: " + payloads.size());
      for (String p : payloads) {
        assertTrue(p.getBytes(StandardCharsets.UTF_8).length < 8000, "payload of " + p.length() + " bytes");
      }
      assertEquals(300, l.keys(payloads, "upserted").size());
    }
  }

  @Test
  void aKeyTooLongForAnyPayloadBecomesAReloadRequest(TestDatabase db) throws Exception {
    String sc = "p_huge";
    TestTaskContext.migrate(db.dataSource(), sc);
    NotifyPublisher publisher = new NotifyPublisher(db.dataSource(), "p_huge_");
    String huge = "k".repeat(9000);
    try (Listener l = new Listener(db, "p_huge_patterns")) {
      publisher.publish(new EventPublisher.Event("patterns", List.of("small-1", huge, "small-2"), List.of("gone")));
      List<String> payloads = l.payloads(5000);
      assertEquals(1, payloads.size());
      assertTrue(payloads.get(0).contains("\"reload\":true"), payloads.get(0));
      assertEquals(Set.of("small-1", "small-2"), l.keys(payloads, "upserted"));
      assertEquals(Set.of("gone"), l.keys(payloads, "deleted"));
    }
  }

  @Test
  void anUnwritableExportDirectoryFailsTheRunButCacheAndEventsStillHappen(TestDatabase db, @TempDir Path tmp)
      throws Exception {
    String sc = "p_export";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key, usage_count, data) VALUES ('a\"quoted\\key', 1, '{\"n\": [1, 2]}'), ('b', 2, '{}')");
    Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
    InMemoryPatternCache cache = new InMemoryPatternCache();
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "pattern-sync").service(PatternCache.class, cache)
        .set("events.channel-prefix", "p_export_").set("patterns.export-directory", file.toString());
    try (Listener l = new Listener(db, "p_export_patterns")) {
      AutopilotException e = assertThrows(AutopilotException.class, () -> new PatternSync().run(ctx));
      assertTrue(e.getMessage().contains("autopilot.patterns.export-directory") && e.getMessage().contains(file.toString()),
          e.getMessage());
      assertEquals(2, cache.size(), "cache refreshed anyway");
      assertEquals(2, l.keys(l.payloads(5000), "upserted").size(), "event published anyway");
    }

    Path dir = Files.createDirectory(tmp.resolve("export"));
    ctx.set("patterns.export-directory", dir.toString());
    PatternSync sync = new PatternSync();
    sync.run(ctx);
    Path json = dir.resolve(PatternSync.FILE);
    try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT jsonb_array_length(?::jsonb), ?::jsonb -> 0 ->> 'key', ?::jsonb -> 0 -> 'data' -> 'n' ->> 1")) {
      String text = Files.readString(json);
      ps.setString(1, text);
      ps.setString(2, text);
      ps.setString(3, text);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        assertEquals(2, rs.getInt(1));
        assertEquals("a\"quoted\\key", rs.getString(2));
        assertEquals("2", rs.getString(3));
      }
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of(json), files.toList(), "no temp file left");
    }
    FileTime written = FileTime.fromMillis(0);
    Files.setLastModifiedTime(json, written);
    sync.run(ctx);
    assertEquals(written, Files.getLastModifiedTime(json), "unchanged patterns: file not rewritten");
  }

  @Test
  void keysOfAFailedPublishAreAnnouncedWithTheNextEvent(TestDatabase db) throws Exception {
    String sc = "p_retry";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key) VALUES ('one'), ('two')");
    List<EventPublisher.Event> delivered = new ArrayList<>();
    boolean[] down = {true};
    EventPublisher flaky = event -> {
      if (down[0]) {
        throw new IllegalStateException("broker down");
      }
      delivered.add(event);
    };
    TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "pattern-sync").service(EventPublisher.class, flaky)
        .service(PatternCache.class, new InMemoryPatternCache());
    PatternSync sync = new PatternSync();
    AutopilotException e = assertThrows(AutopilotException.class, () -> sync.run(ctx));
    assertTrue(e.getMessage().contains("broker down"), e.getMessage());
    down[0] = false;
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key) VALUES ('three')");
    sync.run(ctx);
    assertEquals(1, delivered.size());
    assertEquals(Set.of("one", "two", "three"), new TreeSet<>(delivered.get(0).upserted()));
  }

  @Test
  void aReadOnlyExportDirectoryFailsTheRunWithTheReason(TestDatabase db, @TempDir Path ro) throws Exception {
    String sc = "p_export_ro";
    TestTaskContext.migrate(db.dataSource(), sc);
    sql(db, "INSERT INTO " + sc + ".learned_patterns (pattern_key) VALUES ('x')");
    // root ignores file modes, so a read-only tmpfs stands in for an unwritable directory
    Process m = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", ro.toString())
        .redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(m.waitFor() == 0, "cannot mount a tmpfs here (needs root)");
    try {
      InMemoryPatternCache cache = new InMemoryPatternCache();
      TestTaskContext ctx = new TestTaskContext(db.dataSource(), sc, "pattern-sync").service(PatternCache.class, cache)
          .set("events.channel-prefix", "p_export_ro_").set("patterns.export-directory", ro.toString());
      AutopilotException e = assertThrows(AutopilotException.class, () -> new PatternSync().run(ctx));
      assertTrue(e.getMessage().contains("Read-only file system") && e.getMessage().contains(ro.toString()), e.getMessage());
      assertEquals(1, cache.size());
    } finally {
      assertEquals(0, new ProcessBuilder("umount", ro.toString()).start().waitFor());
    }
  }
}
