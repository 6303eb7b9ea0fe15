package dev.autopilot.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The id watermark does not lose a row that commits after a row with a larger id. */
@ExtendWith(PostgresExtension.class)
class HistoryReaderTest {

  static final String INSERT = "INSERT INTO autopilot.job_history (task_name, execution_id, engine, outcome,"
      + " started_at, finished_at, duration_ms) VALUES ('%s', 'x', 'pg_cron', 'succeeded', now(), now(), 5)";

  @Test
  void aRowCommittedLateWithASmallerIdIsStillRead(TestDatabase db) throws Exception {
    Autopilot.builder(db.dataSource()).builtInTasks(false).discoverProviders(false).environment(java.util.Map.of())
        .build().start().close();
    HistoryReader reader = new HistoryReader(db.dataSource(), "\"autopilot\"", 60_000);
    reader.startAtNewest();
    try (Connection slow = db.connect(); Connection fast = db.connect()) {
      slow.setAutoCommit(false);
      try (Statement s = slow.createStatement()) {
        s.execute(String.format(INSERT, "late"));
      }
      try (Statement s = fast.createStatement()) {
        s.execute(String.format(INSERT, "early"));
      }
      List<HistoryReader.Row> first = reader.next(System.currentTimeMillis());
      assertEquals(List.of("early"), first.stream().map(HistoryReader.Row::task).toList());
      assertEquals(1, reader.pendingGaps());

      slow.commit();
      List<HistoryReader.Row> second = reader.next(System.currentTimeMillis());
      assertEquals(List.of("late"), second.stream().map(HistoryReader.Row::task).toList());
      assertEquals("pg_cron", second.get(0).engine());
      assertEquals(0, reader.pendingGaps());
      assertEquals(List.of(), reader.next(System.currentTimeMillis()));
    }
  }

  @Test
  void aGapThatNeverFillsIsForgottenAfterThePatience(TestDatabase db) throws Exception {
    Autopilot.builder(db.dataSource()).builtInTasks(false).discoverProviders(false).environment(java.util.Map.of())
        .build().start().close();
    HistoryReader reader = new HistoryReader(db.dataSource(), "\"autopilot\"", 1_000);
    reader.startAtNewest();
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      c.setAutoCommit(false);
      s.execute(String.format(INSERT, "rolled-back"));
      c.rollback();
      c.setAutoCommit(true);
      s.execute(String.format(INSERT, "kept"));
    }
    long now = System.currentTimeMillis();
    assertEquals(List.of("kept"), reader.next(now).stream().map(HistoryReader.Row::task).toList());
    assertEquals(1, reader.pendingGaps());
    assertEquals(List.of(), reader.next(now + 2_000));
    assertEquals(0, reader.pendingGaps());
  }
}
