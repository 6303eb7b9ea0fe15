package dev.autopilot.internal;

/** Progress of running executions in the {@code task_progress} table. */
final class ProgressStore {

  private final Jdbc jdbc;
  private final String table;
  private final String instance;

  ProgressStore(Jdbc jdbc, String schema, String instance) {
    this.jdbc = jdbc;
    this.table = Jdbc.quoteIdent(schema) + ".task_progress";
    this.instance = instance;
  }

  void write(String task, String executionId, long done, long total, String message) {
    jdbc.update("INSERT INTO " + table + " (task_name, execution_id, instance, done, total, message)"
        + " VALUES (?,?,?,?,?,?) ON CONFLICT (task_name, execution_id) DO UPDATE SET"
        + " instance = excluded.instance, done = excluded.done, total = excluded.total,"
        + " message = excluded.message, updated_at = now()", ps -> {
          ps.setString(1, task);
          ps.setString(2, executionId);
          ps.setString(3, instance);
          ps.setLong(4, done);
          ps.setLong(5, total);
          ps.setString(6, message);
        });
  }

  void clear(String task, String executionId) {
    jdbc.update("DELETE FROM " + table + " WHERE task_name = ? AND execution_id = ?", ps -> {
      ps.setString(1, task);
      ps.setString(2, executionId);
    });
  }
}
