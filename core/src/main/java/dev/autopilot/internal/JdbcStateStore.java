package dev.autopilot.internal;

import dev.autopilot.spi.StateStore;
import java.util.Objects;
import java.util.Optional;

/** {@link StateStore} over the {@code task_state} table. */
final class JdbcStateStore implements StateStore {

  private final Jdbc jdbc;
  private final String table;
  private final String task;

  JdbcStateStore(Jdbc jdbc, String schema, String task) {
    this.jdbc = jdbc;
    this.table = Jdbc.quoteIdent(schema) + ".task_state";
    this.task = task;
  }

  @Override
  public Optional<String> get(String key) {
    return jdbc.queryOne("SELECT value FROM " + table + " WHERE task_name = ? AND key = ?", ps -> {
      ps.setString(1, task);
      ps.setString(2, key);
    }, rs -> rs.getString(1));
  }

  @Override
  public void put(String key, String value) {
    Objects.requireNonNull(value, "value");
    jdbc.update("INSERT INTO " + table + " (task_name, key, value) VALUES (?, ?, ?)"
        + " ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = now()", ps -> {
          ps.setString(1, task);
          ps.setString(2, key);
          ps.setString(3, value);
        });
  }

  @Override
  public boolean compareAndSet(String key, String expected, String value) {
    Objects.requireNonNull(value, "value");
    if (expected == null) {
      return jdbc.update("INSERT INTO " + table + " (task_name, key, value) VALUES (?, ?, ?)"
          + " ON CONFLICT (task_name, key) DO NOTHING", ps -> {
            ps.setString(1, task);
            ps.setString(2, key);
            ps.setString(3, value);
          }) == 1;
    }
    return jdbc.update("UPDATE " + table + " SET value = ?, updated_at = now()"
        + " WHERE task_name = ? AND key = ? AND value = ?", ps -> {
          ps.setString(1, value);
          ps.setString(2, task);
          ps.setString(3, key);
          ps.setString(4, expected);
        }) == 1;
  }

  @Override
  public void remove(String key) {
    jdbc.update("DELETE FROM " + table + " WHERE task_name = ? AND key = ?", ps -> {
      ps.setString(1, task);
      ps.setString(2, key);
    });
  }
}
