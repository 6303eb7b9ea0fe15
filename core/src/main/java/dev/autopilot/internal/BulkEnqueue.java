package dev.autopilot.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * Many one-time executions of one task written in one transaction, {@value #CHUNK} rows a
 * statement from arrays the server unnests. db-scheduler's {@code scheduleBatch} sends one
 * {@code INSERT} per row in a JDBC batch; here the server plans and runs one statement per chunk.
 * The rows are exactly the ones db-scheduler writes (its serializer's task data, version 1, not
 * picked, medium priority), so db-scheduler runs them as its own.
 */
final class BulkEnqueue {

  static final int CHUNK = 10_000;
  /** db-scheduler's default priority ({@code Priority.MEDIUM}). */
  private static final int PRIORITY = com.github.kagkarlsson.scheduler.task.Priority.MEDIUM;

  /** The columns db-scheduler writes for a new execution (with priorities on). */
  private static final String COLUMNS = ".scheduled_tasks (task_name, task_instance, task_data, execution_time, picked,"
      + " version, priority)";

  private BulkEnqueue() {}

  /**
   * One execution, written on the caller's connection (in its transaction) unless one with this
   * id exists.
   *
   * @return true when it was written
   */
  static boolean insertIfAbsent(Connection c, String schema, String task, String id, byte[] data, Instant at)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + Jdbc.quoteIdent(schema) + COLUMNS
        + " VALUES (?, ?, ?, ?, false, 1, ?) ON CONFLICT (task_name, task_instance) DO NOTHING")) {
      ps.setString(1, task);
      ps.setString(2, id);
      ps.setBytes(3, data);
      ps.setTimestamp(4, Timestamp.from(at));
      ps.setInt(5, PRIORITY);
      return ps.executeUpdate() == 1;
    }
  }

  /**
   * @param ids the execution ids (new: a duplicate fails the whole call)
   * @param data each execution's serialized task data (null for none), in the order of the ids
   * @throws SQLException when the rows cannot be written; then none is
   */
  static void insert(DataSource dataSource, String schema, String task, List<String> ids, List<byte[]> data,
      Instant at) throws SQLException {
    String sql = "INSERT INTO " + Jdbc.quoteIdent(schema) + COLUMNS
        + " SELECT ?, i, d, ?, false, 1, ? FROM unnest(?::text[], ?::bytea[]) AS x(i, d)";
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int from = 0; from < ids.size(); from += CHUNK) {
          int to = Math.min(ids.size(), from + CHUNK);
          ps.setString(1, task);
          ps.setTimestamp(2, Timestamp.from(at));
          ps.setInt(3, PRIORITY);
          ps.setArray(4, c.createArrayOf("text", ids.subList(from, to).toArray()));
          ps.setArray(5, c.createArrayOf("bytea", data.subList(from, to).toArray(new byte[0][])));
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }
}
