package dev.autopilot.examples.features;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Health;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.TaskStatus;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Every feature example runs against a real database (each its own) and does what it says. */
@ExtendWith(PostgresExtension.class)
class FeatureExamplesTest {

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8);

  private static DataSource own(TestDatabase db, String suffix) {
    return db.newDataSource(db.createSiblingDatabase(suffix), 4);
  }

  @Test
  void customTaskProviderGreetsEveryUserOnce(TestDatabase db) throws Exception {
    DataSource ds = own(db, "custom");
    assertEquals(2, CustomTaskMain.run(ds, out));
    assertEquals(2, CustomTaskMain.run(ds, out), "second run greets nobody twice");
    assertTrue(buffer.toString(StandardCharsets.UTF_8).contains("forget-old-greetings"));
  }

  @Test
  void manualTriggerRetriesTheFlakyTaskUntilItSucceeds(TestDatabase db) {
    List<JobRecord> attempts = ManualTriggerMain.run(own(db, "manual"), out);
    assertEquals(List.of(JobState.RETRYING, JobState.RETRYING, JobState.SUCCEEDED),
        attempts.stream().map(JobRecord::state).collect(Collectors.toList()));
    assertEquals(List.of(1, 2, 3), attempts.stream().map(JobRecord::attempt).collect(Collectors.toList()));
  }

  @Test
  void monitoringShowsTheFailingTaskInHealth(TestDatabase db) {
    Health h = MonitoringMain.run(own(db, "monitoring"), out);
    assertEquals(List.of("sync-partner-feed"), h.failingTasks());
    String text = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(text.contains("partner API returned 503"), text);
  }

  @Test
  void aCustomEmbeddingModelIngestsAndFindsTheRelevantChunkFirst(TestDatabase db, @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    DataSource ds = own(db, "embedding");
    List<dev.autopilot.code.SearchHit> hits = EmbeddingModelMain.run(ds, dir, out);
    assertFalse(hits.isEmpty(), "hits");
    assertEquals("Cron.java", hits.get(0).path(), hits.toString());
    try (java.sql.Connection c = ds.getConnection(); java.sql.Statement s = c.createStatement();
        java.sql.ResultSet rs = s.executeQuery("SELECT DISTINCT model FROM autopilot.embeddings")) {
      assertTrue(rs.next());
      assertEquals("example-hashing-64", rs.getString(1), "vectors record the custom model's id");
      assertFalse(rs.next());
    } catch (java.sql.SQLException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void configurationDisablesAndReschedulesTasks(TestDatabase db) {
    Map<String, TaskStatus> t = ConfigurationMain.run(own(db, "configuration"), out).stream()
        .collect(Collectors.toMap(TaskStatus::name, Function.identity()));
    assertEquals("30 6 * * 1-5", t.get("nightly-report").schedule());
    assertFalse(t.get("purge-sessions").enabled());
    assertNull(t.get("purge-sessions").nextRun());
    assertEquals("@every 10m", t.get("warm-cache").schedule());
    assertNull(t.get("send-digest").schedule());
    assertTrue(t.get("nightly-report").enabled());
  }
}
