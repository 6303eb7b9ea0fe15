package dev.autopilot.sqltasks;

import static dev.autopilot.sqltasks.SqlTaskFixtures.count;
import static dev.autopilot.sqltasks.SqlTaskFixtures.exec;
import static dev.autopilot.sqltasks.SqlTaskFixtures.rows;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.Autopilot;
import dev.autopilot.Await;
import dev.autopilot.JobQuery;
import dev.autopilot.JobRecord;
import dev.autopilot.JobState;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A bloated index is rebuilt with REINDEX INDEX CONCURRENTLY while inserts go on. */
@ExtendWith(PostgresExtension.class)
class ReindexBloatedIndexesTest {

  @Test
  void bloatedIndexIsRebuiltWhileWritesGoOn(TestDatabase db) throws Exception {
    Map<String, String> props = Map.of("autopilot.pack.sql.enabled", "false",
        "autopilot.task.reindex-bloated-indexes.enabled", "true",
        "autopilot.task.reindex-bloated-indexes.min-size", "1000000");
    try (Autopilot ap = SqlTaskFixtures.builder(db.dataSource(), "reidx", props).build().start();
         Connection c = db.connect()) {
      exec(c, "CREATE TABLE reidx.bloat (id bigserial PRIMARY KEY, v text NOT NULL, at timestamptz NOT NULL DEFAULT clock_timestamp())",
          "CREATE INDEX bloat_v_idx ON reidx.bloat (v)",
          "INSERT INTO reidx.bloat(v) SELECT md5(g::text) FROM generate_series(1, 150000) g",
          "DELETE FROM reidx.bloat WHERE id % 10 <> 0", "VACUUM ANALYZE reidx.bloat");
      long sizeBefore = count(c, "SELECT pg_relation_size('reidx.bloat_v_idx')");
      long nodeBefore = count(c, "SELECT relfilenode FROM pg_class WHERE oid = 'reidx.bloat_v_idx'::regclass");
      double ratioBefore = ratio(c);
      List<List<String>> candidates = rows(c, "SELECT index_name FROM reidx.bloated_indexes(0.3, 1000000) ORDER BY 1");
      assertEquals(List.of(List.of("reidx.bloat_pkey"), List.of("reidx.bloat_v_idx")), candidates);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> writerError = new AtomicReference<>();
      Thread writer = new Thread(() -> {
        try (Connection w = db.connect()) {
          while (!stop.get()) {
            exec(w, "INSERT INTO reidx.bloat(v) VALUES (md5(random()::text))");
          }
        } catch (Throwable t) {
          writerError.set(t);
        }
      });
      writer.start();
      Thread.sleep(200);
      ap.trigger("reindex-bloated-indexes");
      JobRecord run = Await.value(Duration.ofSeconds(60), "reindex run finished",
          () -> ap.monitor().jobs(JobQuery.all().task("reindex-bloated-indexes").states(JobState.SUCCEEDED, JobState.FAILED,
              JobState.RETRYING)), l -> !l.isEmpty()).get(0);
      Thread.sleep(100);
      stop.set(true);
      writer.join();
      assertNull(writerError.get(), "the writer never failed");
      assertEquals(JobState.SUCCEEDED, run.state(), String.valueOf(run.errorMessage()));
      assertNotEquals(nodeBefore, count(c, "SELECT relfilenode FROM pg_class WHERE oid = 'reidx.bloat_v_idx'::regclass"),
          "index rebuilt");
      long sizeAfter = count(c, "SELECT pg_relation_size('reidx.bloat_v_idx')");
      assertTrue(sizeAfter < sizeBefore / 3, sizeBefore + " -> " + sizeAfter);
      long during = count(c, "SELECT count(*) FROM reidx.bloat WHERE at BETWEEN to_timestamp("
          + run.startedAt().toEpochMilli() / 1000.0 + ") AND to_timestamp(" + run.finishedAt().toEpochMilli() / 1000.0 + ")");
      assertTrue(during > 0, "inserts committed while the REINDEX ran: " + during);
      assertEquals(0, count(c, "SELECT count(*) FROM pg_index WHERE NOT indisvalid"), "no invalid index left");
      // the estimate compares index pages with the table's row count: refresh it after the inserts above.
      // Random keys inserted during and after the rebuild split pages again, so the index need not drop
      // below the 30% threshold; it must be far less bloated than before (a rebuilt index can even be
      // smaller than the estimate: a negative ratio, which the threshold -1000 keeps in the list).
      exec(c, "ANALYZE reidx.bloat");
      double ratioAfter = ratio(c);
      assertTrue(ratioAfter < ratioBefore / 2, "estimated bloat " + ratioBefore + " -> " + ratioAfter);
    }
  }

  private static double ratio(Connection c) throws Exception {
    try (java.sql.Statement s = c.createStatement(); java.sql.ResultSet rs = s.executeQuery(
        "SELECT bloat_ratio FROM reidx.bloated_indexes(-1000, 0) WHERE index_name = 'reidx.bloat_v_idx'")) {
      assertTrue(rs.next(), "bloat_v_idx estimated");
      return rs.getDouble(1);
    }
  }
}
