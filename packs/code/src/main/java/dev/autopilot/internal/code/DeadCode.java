package dev.autopilot.internal.code;

import dev.autopilot.internal.Jdbc;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * dead-code-daily-check and dead-code-weekly-summary. A file is dead when it is a code graph
 * node that no other file imports or references and that is not an entry point (mains, tests,
 * package markers: see EntryPoints; plus globs in {@code autopilot.code.entry-points}).
 */
final class DeadCode {

  record Check(int open, int added, int resolved) {}

  private final Jdbc jdbc;
  private final String s;

  DeadCode(DataSource ds, String schema) {
    this.jdbc = new Jdbc(ds);
    this.s = Jdbc.quoteIdent(schema) + ".";
  }

  Check check(List<String> entryGlobs) {
    List<PathMatcher> globs = new ArrayList<>();
    for (String g : entryGlobs) {
      globs.add(FileSystems.getDefault().getPathMatcher("glob:" + g.trim()));
    }
    record Cand(long id, String codebase, String path) {}
    List<Cand> dead = new ArrayList<>();
    for (Cand c : jdbc.query("SELECT n.id, n.codebase, n.path FROM " + s + "graph_nodes n WHERE n.kind = 'file'"
        + " AND NOT n.is_entry_point AND NOT EXISTS (SELECT 1 FROM " + s + "graph_edges e WHERE e.target_id = n.id"
        + " AND e.source_id <> n.id)", Jdbc.NONE, rs -> new Cand(rs.getLong(1), rs.getString(2), rs.getString(3)))) {
      if (globs.stream().noneMatch(m -> m.matches(Path.of(c.path())))) {
        dead.add(c);
      }
    }
    return jdbc.inTransaction(c -> {
      Jdbc.update(c, "CREATE TEMP TABLE IF NOT EXISTS autopilot_dead_in (node_id bigint, codebase text, path text)"
          + " ON COMMIT DROP", Jdbc.NONE);
      try (var ps = c.prepareStatement("INSERT INTO autopilot_dead_in VALUES (?, ?, ?)")) {
        for (Cand d : dead) {
          ps.setLong(1, d.id());
          ps.setString(2, d.codebase());
          ps.setString(3, d.path());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      int resolved = Jdbc.update(c, "UPDATE " + s + "dead_code_findings f SET status = 'resolved', resolved_at = now()"
          + " WHERE status = 'open' AND NOT EXISTS (SELECT 1 FROM autopilot_dead_in i WHERE i.codebase = f.codebase"
          + " AND i.path = f.path)", Jdbc.NONE);
      Jdbc.update(c, "UPDATE " + s + "dead_code_findings f SET last_seen = now(), node_id = i.node_id FROM"
          + " autopilot_dead_in i WHERE f.status = 'open' AND i.codebase = f.codebase AND i.path = f.path", Jdbc.NONE);
      int added = Jdbc.update(c, "INSERT INTO " + s + "dead_code_findings (node_id, codebase, path) SELECT node_id,"
          + " codebase, path FROM autopilot_dead_in ON CONFLICT (codebase, path) WHERE status = 'open' DO NOTHING",
          Jdbc.NONE);
      return new Check(dead.size(), added, resolved);
    });
  }

  /** The weekly Markdown report, stored in reports; returns it. */
  String weeklyReport(Instant now) {
    Instant start = now.minus(java.time.Duration.ofDays(7));
    int open = count("status = 'open'", null);
    int opened = count("first_seen >= ?", start);
    int resolved = count("status = 'resolved' AND resolved_at >= ?", start);
    int openAtStart = count("first_seen < ? AND (resolved_at IS NULL OR resolved_at >= ?)", start);
    StringBuilder md = new StringBuilder();
    LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
    md.append("# Dead code: week ending ").append(day).append("\n\n");
    md.append("| | files |\n|---|---:|\n");
    md.append("| open now | ").append(open).append(" |\n");
    md.append("| open a week ago | ").append(openAtStart).append(" |\n");
    md.append("| new this week | ").append(opened).append(" |\n");
    md.append("| resolved this week | ").append(resolved).append(" |\n\n");
    int trend = open - openAtStart;
    md.append("Trend: ").append(trend > 0 ? "+" + trend + " (growing)" : trend < 0 ? trend + " (shrinking)" : "unchanged")
        .append("\n\n## Open findings\n\n");
    List<String> rows = jdbc.query("SELECT codebase, path, first_seen::date FROM " + s + "dead_code_findings"
        + " WHERE status = 'open' ORDER BY codebase, path LIMIT 500", Jdbc.NONE,
        rs -> "- `" + rs.getString(1) + ":" + rs.getString(2) + "` (since " + rs.getString(3) + ")");
    md.append(rows.isEmpty() ? "None.\n" : String.join("\n", rows) + "\n");
    if (open > rows.size()) {
      md.append("- ... and ").append(open - rows.size()).append(" more\n");
    }
    String body = md.toString();
    jdbc.update("INSERT INTO " + s + "reports (kind, title, body, period_start, period_end) VALUES"
        + " ('dead-code-weekly', ?, ?, ?, ?)", ps -> {
          ps.setString(1, "Dead code: week ending " + day);
          ps.setString(2, body);
          ps.setObject(3, java.time.OffsetDateTime.ofInstant(start, ZoneOffset.UTC));
          ps.setObject(4, java.time.OffsetDateTime.ofInstant(now, ZoneOffset.UTC));
        });
    return body;
  }

  private int count(String where, Instant at) {
    return jdbc.queryOne("SELECT count(*) FROM " + s + "dead_code_findings WHERE " + where, ps -> {
      int params = where.length() - where.replace("?", "").length();
      for (int i = 1; i <= params; i++) {
        ps.setObject(i, java.time.OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
      }
    }, rs -> rs.getInt(1)).orElse(0);
  }
}
