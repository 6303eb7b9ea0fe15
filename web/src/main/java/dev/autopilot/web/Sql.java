package dev.autopilot.web;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** A tiny JDBC helper: arguments in, rows out, SQLException wrapped once with the cause kept. */
final class Sql {
  interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  private final DataSource ds;

  Sql(DataSource ds) {
    this.ds = ds;
  }

  <T> List<T> query(String sql, List<?> args, Row<T> row) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(row.map(rs));
        }
        return out;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("dashboard query failed: " + e.getMessage(), e);
    }
  }

  int update(String sql, List<?> args) {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, args);
      return ps.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("dashboard update failed: " + e.getMessage(), e);
    }
  }

  /** @return true when the table exists in the schema (pack tables may be missing) */
  boolean tableExists(String qualified) {
    return !query("SELECT 1 WHERE to_regclass(?) IS NOT NULL", List.of(qualified), rs -> 1).isEmpty();
  }

  private static void bind(PreparedStatement ps, List<?> args) throws SQLException {
    for (int i = 0; i < args.size(); i++) {
      Object a = args.get(i);
      if (a instanceof String[]) {
        ps.setArray(i + 1, ps.getConnection().createArrayOf("text", (String[]) a));
      } else if (a instanceof Instant) {
        ps.setTimestamp(i + 1, Timestamp.from((Instant) a));
      } else {
        ps.setObject(i + 1, a);
      }
    }
  }

  static Instant instant(ResultSet rs, int col) throws SQLException {
    Timestamp t = rs.getTimestamp(col);
    return t == null ? null : t.toInstant();
  }

  static Long longOrNull(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }
}
