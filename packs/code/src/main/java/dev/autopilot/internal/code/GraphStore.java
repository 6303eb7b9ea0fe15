package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.sql.PreparedStatement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Brings graph_nodes, graph_edges and code_external_imports of one codebase to a desired state
 * by difference, so an unchanged codebase writes nothing.
 */
final class GraphStore {

  record Node(String language, boolean entryPoint) {}

  record Changes(int nodes, int edges, int externals) {}

  private final Jdbc jdbc;
  private final String s;

  GraphStore(Jdbc jdbc, String prefix) {
    this.jdbc = jdbc;
    this.s = prefix;
  }

  Changes sync(String codebase, Map<String, Node> nodes, Set<ImportResolver.Edge> edges,
      Map<ImportResolver.External, Integer> externals) {
    return jdbc.inTransaction(c -> {
      int nodeChanges = 0;
      Map<String, Long> ids = new HashMap<>();
      Map<String, Node> existing = new HashMap<>();
      for (Object[] row : Jdbc.query(c, "SELECT path, id, language, is_entry_point FROM " + s
          + "graph_nodes WHERE codebase = ? AND kind = 'file'", ps -> ps.setString(1, codebase),
          rs -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3), rs.getBoolean(4)})) {
        ids.put((String) row[0], (Long) row[1]);
        existing.put((String) row[0], new Node((String) row[2], (Boolean) row[3]));
      }
      for (Map.Entry<String, Node> n : nodes.entrySet()) {
        if (n.getValue().equals(existing.get(n.getKey()))) {
          continue;
        }
        long id = Jdbc.query(c, "INSERT INTO " + s + "graph_nodes (codebase, path, kind, language, is_entry_point)"
            + " VALUES (?, ?, 'file', ?, ?) ON CONFLICT (codebase, path) DO UPDATE SET language = excluded.language,"
            + " is_entry_point = excluded.is_entry_point, updated_at = now() RETURNING id", ps -> {
              ps.setString(1, codebase);
              ps.setString(2, n.getKey());
              ps.setString(3, n.getValue().language());
              ps.setBoolean(4, n.getValue().entryPoint());
            }, rs -> rs.getLong(1)).get(0);
        ids.put(n.getKey(), id);
        nodeChanges++;
      }
      Set<String> gone = new HashSet<>(existing.keySet());
      gone.removeAll(nodes.keySet());
      if (!gone.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + s + "graph_nodes WHERE codebase = ? AND path = ANY (?)")) {
          ps.setString(1, codebase);
          ps.setArray(2, c.createArrayOf("text", gone.toArray()));
          nodeChanges += ps.executeUpdate();
        }
      }
      Set<ImportResolver.Edge> current = new HashSet<>(Jdbc.query(c, "SELECT a.path, b.path, e.kind FROM " + s
          + "graph_edges e JOIN " + s + "graph_nodes a ON a.id = e.source_id JOIN " + s
          + "graph_nodes b ON b.id = e.target_id WHERE a.codebase = ?", ps -> ps.setString(1, codebase),
          rs -> new ImportResolver.Edge(rs.getString(1), rs.getString(2), rs.getString(3))));
      int edgeChanges = 0;
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO " + s + "graph_edges (source_id, target_id, kind)"
          + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
        for (ImportResolver.Edge e : edges) {
          Long a = ids.get(e.source());
          Long b = ids.get(e.target());
          if (a != null && b != null && !current.contains(e)) {
            ins.setLong(1, a);
            ins.setLong(2, b);
            ins.setString(3, e.kind());
            ins.addBatch();
            edgeChanges++;
          }
        }
        ins.executeBatch();
      }
      try (PreparedStatement del = c.prepareStatement("DELETE FROM " + s + "graph_edges WHERE source_id = ? AND target_id = ? AND kind = ?")) {
        for (ImportResolver.Edge e : current) {
          if (!edges.contains(e) && ids.containsKey(e.source()) && ids.containsKey(e.target())) {
            del.setLong(1, ids.get(e.source()));
            del.setLong(2, ids.get(e.target()));
            del.setString(3, e.kind());
            del.addBatch();
            edgeChanges++;
          }
        }
        del.executeBatch();
      }
      return new Changes(nodeChanges, edgeChanges, syncExternals(c, codebase, externals));
    });
  }

  private int syncExternals(java.sql.Connection c, String codebase, Map<ImportResolver.External, Integer> externals)
      throws java.sql.SQLException {
    Map<ImportResolver.External, Integer> current = new HashMap<>();
    Jdbc.query(c, "SELECT ecosystem, name, file_count FROM " + s + "code_external_imports WHERE codebase = ?",
        ps -> ps.setString(1, codebase),
        rs -> current.put(new ImportResolver.External(rs.getString(1), rs.getString(2)), rs.getInt(3)));
    int n = 0;
    for (Map.Entry<ImportResolver.External, Integer> e : externals.entrySet()) {
      if (!e.getValue().equals(current.get(e.getKey()))) {
        n += Jdbc.update(c, "INSERT INTO " + s + "code_external_imports (codebase, ecosystem, name, file_count)"
            + " VALUES (?, ?, ?, ?) ON CONFLICT (codebase, ecosystem, name) DO UPDATE SET file_count ="
            + " excluded.file_count, updated_at = now()", ps -> {
              ps.setString(1, codebase);
              ps.setString(2, e.getKey().ecosystem());
              ps.setString(3, e.getKey().name());
              ps.setInt(4, e.getValue());
            });
      }
    }
    for (ImportResolver.External x : current.keySet()) {
      if (!externals.containsKey(x)) {
        n += Jdbc.update(c, "DELETE FROM " + s + "code_external_imports WHERE codebase = ? AND ecosystem = ? AND name = ?",
            ps -> {
              ps.setString(1, codebase);
              ps.setString(2, x.ecosystem());
              ps.setString(3, x.name());
            });
      }
    }
    return n;
  }
}
