package dev.autopilot.web;

import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Records each action in {@code action_audit}: who, what, on what, when, and how it ended. */
final class Audit {
  private static final Logger log = LoggerFactory.getLogger(Audit.class);

  /** One recorded action. */
  record Entry(long id, Instant at, String actor, String role, String action, String target, String outcome,
      String detail, String remote) {}

  private final Sql sql;
  private final String table;

  Audit(Sql sql, String schemaQuoted) {
    this.sql = sql;
    this.table = schemaQuoted + ".action_audit";
  }

  void record(Security.Principal who, String action, String target, String outcome, String detail, String remote) {
    try {
      sql.update("INSERT INTO " + table + " (source, actor, role, action, target, outcome, detail, remote)"
          + " VALUES ('web', ?, ?, ?, ?, ?, ?, ?)", List.of(who.name(), who.role().label(), action, target, outcome,
          detail == null ? "" : truncate(detail), remote == null ? "" : remote));
    } catch (RuntimeException e) {
      // the action itself has happened (or was refused); losing its audit row must be visible
      log.error("could not record action {} on {} by {} in {}: {}", action, target, who.name(), table, e.getMessage());
    }
  }

  List<Entry> recent(int limit) {
    if (!sql.tableExists(table)) {
      return List.of();
    }
    return sql.query("SELECT id, at, actor, role, action, target, outcome, detail, remote FROM " + table
        + " ORDER BY at DESC, id DESC LIMIT ?", List.of(limit), rs -> new Entry(rs.getLong(1), Sql.instant(rs, 2),
        rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
        rs.getString(9)));
  }

  private static String truncate(String s) {
    return s.length() > 1000 ? s.substring(0, 1000) : s;
  }
}
