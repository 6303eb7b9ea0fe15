package dev.autopilot.spi;

import java.util.Optional;

/**
 * A small persistent key-value store private to one task, kept in Autopilot's {@code task_state}
 * table: watermarks, cursors, last synced commits. Writes are visible to every instance at once.
 */
public interface StateStore {

  /**
   * @param key the key
   * @return the stored value, if any
   */
  Optional<String> get(String key);

  /**
   * Stores a value, replacing any previous one.
   *
   * @param key the key
   * @param value the value, not null
   */
  void put(String key, String value);

  /**
   * Stores a value only if the current value is {@code expected} (absent when {@code expected}
   * is null): an optimistic update for watermarks shared by concurrent executions.
   *
   * @param key the key
   * @param expected the value the caller read, or null for "not present"
   * @param value the new value
   * @return true when the value was stored
   */
  boolean compareAndSet(String key, String expected, String value);

  /**
   * Removes a key; nothing happens when it is absent.
   *
   * @param key the key
   */
  void remove(String key);
}
