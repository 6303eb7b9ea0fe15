package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference PageRank over graph_edges (damping 0.85, dangling mass spread evenly) for the
 * tests; the pagerank-recalculation SQL procedure belongs to another issue.
 */
final class PageRank {
  private PageRank() {}

  static Map<String, Double> of(Jdbc jdbc, String schema) {
    List<String> paths = new ArrayList<>();
    Map<Long, Integer> index = new HashMap<>();
    jdbc.query("SELECT id, path FROM " + schema + ".graph_nodes ORDER BY id", Jdbc.NONE, rs -> {
      index.put(rs.getLong(1), paths.size());
      paths.add(rs.getString(2));
      return null;
    });
    int n = paths.size();
    List<int[]> edges = jdbc.query("SELECT DISTINCT source_id, target_id FROM " + schema + ".graph_edges", Jdbc.NONE,
        rs -> new int[] {index.get(rs.getLong(1)), index.get(rs.getLong(2))});
    int[] out = new int[n];
    edges.forEach(e -> out[e[0]]++);
    double[] r = new double[n];
    java.util.Arrays.fill(r, 1.0 / n);
    for (int it = 0; it < 50; it++) {
      double dangling = 0;
      for (int i = 0; i < n; i++) {
        if (out[i] == 0) {
          dangling += r[i];
        }
      }
      double[] next = new double[n];
      java.util.Arrays.fill(next, (1 - 0.85) / n + 0.85 * dangling / n);
      for (int[] e : edges) {
        next[e[1]] += 0.85 * r[e[0]] / out[e[0]];
      }
      r = next;
    }
    Map<String, Double> m = new HashMap<>();
    for (int i = 0; i < n; i++) {
      m.put(paths.get(i), r[i]);
    }
    return m;
  }
}
