package dev.autopilot.sqltasks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Arrays;
import org.postgresql.PGConnection;

/**
 * The baseline pagerank-recalculation is measured against: what an application job would do
 * over JDBC. It loads the node ids and the distinct edges (fetch size 50k), maps ids to dense
 * indexes, iterates in memory with {@link PageRankReference}, and writes every rank back with
 * one {@code UPDATE ... FROM unnest(ids, ranks)} (binary arrays).
 */
final class JavaPageRankJob {
  private JavaPageRankJob() {}

  record Phases(double[] ranks, int iterations, long loadMs, long computeMs, long writeMs) {}

  static Phases run(Connection c, double damping, double tol, int maxIter) throws Exception {
    long t0 = System.nanoTime();
    boolean auto = c.getAutoCommit();
    c.setAutoCommit(false);
    long[] ids;
    int[] src;
    int[] dst;
    int m = 0;
    try (Statement s = c.createStatement()) {
      s.setFetchSize(50_000);
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM graph_nodes")) {
        rs.next();
        ids = new long[rs.getInt(1)];
      }
      int k = 0;
      try (ResultSet rs = s.executeQuery("SELECT id FROM graph_nodes ORDER BY id")) {
        while (rs.next()) {
          ids[k++] = rs.getLong(1);
        }
      }
      src = new int[1 << 16];
      dst = new int[1 << 16];
      try (ResultSet rs = s.executeQuery("SELECT DISTINCT source_id, target_id FROM graph_edges")) {
        while (rs.next()) {
          if (m == src.length) {
            src = Arrays.copyOf(src, m * 2);
            dst = Arrays.copyOf(dst, m * 2);
          }
          src[m] = Arrays.binarySearch(ids, rs.getLong(1));
          dst[m] = Arrays.binarySearch(ids, rs.getLong(2));
          m++;
        }
      }
    }
    c.commit();
    long t1 = System.nanoTime();
    PageRankReference ref = new PageRankReference();
    double[] ranks = ref.run(ids.length, Arrays.copyOf(src, m), Arrays.copyOf(dst, m), damping, tol, maxIter);
    long t2 = System.nanoTime();
    try (PreparedStatement ps = c.prepareStatement("UPDATE graph_nodes g SET pagerank = w.x, updated_at = now()"
        + " FROM unnest(?::bigint[], ?::float8[]) AS w(id, x) WHERE g.id = w.id AND g.pagerank IS DISTINCT FROM w.x")) {
      PGConnection pg = c.unwrap(PGConnection.class);
      ps.setArray(1, pg.createArrayOf("int8", ids));
      ps.setArray(2, pg.createArrayOf("float8", ranks));
      ps.executeUpdate();
    }
    c.commit();
    c.setAutoCommit(auto);
    long t3 = System.nanoTime();
    return new Phases(ranks, ref.iterations, (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000);
  }
}
