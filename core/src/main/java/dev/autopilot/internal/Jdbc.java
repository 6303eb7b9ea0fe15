package dev.autopilot.internal;

import dev.autopilot.AutopilotException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** A tiny JDBC helper: setter lambda in, row mapper out; SQLException wrapped once, here. */
public final class Jdbc {

  /** Binds parameters. */
  @FunctionalInterface
  public interface Setter {
    void set(PreparedStatement ps) throws SQLException;
  }

  /** Maps one row. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Work on one connection. */
  @FunctionalInterface
  public interface ConnectionWork<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  public Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public <T> List<T> query(String sql, Setter setter, RowMapper<T> mapper) {
    return withConnection(c -> query(c, sql, setter, mapper));
  }

  public <T> Optional<T> queryOne(String sql, Setter setter, RowMapper<T> mapper) {
    List<T> rows = query(sql, setter, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  public int update(String sql, Setter setter) {
    return withConnection(c -> update(c, sql, setter));
  }

  public static <T> List<T> query(Connection c, String sql, Setter setter, RowMapper<T> mapper) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      setter.set(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  public static <T> Optional<T> queryOne(Connection c, String sql, Setter setter, RowMapper<T> mapper)
      throws SQLException {
    List<T> rows = query(c, sql, setter, mapper);
    return rows.isEmpty() ? Optional.empty() : Optional.ofNullable(rows.get(0));
  }

  public static int update(Connection c, String sql, Setter setter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      setter.set(ps);
      return ps.executeUpdate();
    }
  }

  public <T> T withConnection(ConnectionWork<T> work) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (SQLException e) {
      throw new AutopilotException("database error: " + e.getMessage(), e);
    }
  }

  /** Runs work in one transaction, committing on success and rolling back on failure. */
  public <T> T inTransaction(ConnectionWork<T> work) {
    return withConnection(c -> {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    });
  }

  public static final Setter NONE = ps -> {};

  /** Quotes an identifier for SQL. */
  public static String quoteIdent(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }
}
