package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.util.HashMap;
import java.util.Map;

/**
 * PageRank of the ingested graph as the built-in {@code pagerank-recalculation} task computes it:
 * the SQL procedure itself (damping 0.85, dangling mass spread evenly), read back per path.
 */
final class PageRank {
  private PageRank() {}

  static Map<String, Double> of(Jdbc jdbc, String schema) {
    jdbc.update("CALL " + schema + ".pagerank_recalculation()", Jdbc.NONE);
    Map<String, Double> rank = new HashMap<>();
    jdbc.query("SELECT path, pagerank FROM " + schema + ".graph_nodes", Jdbc.NONE, rs -> {
      rank.put(rs.getString(1), rs.getDouble(2));
      return null;
    });
    return rank;
  }
}
