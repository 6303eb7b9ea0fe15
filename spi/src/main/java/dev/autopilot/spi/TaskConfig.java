package dev.autopilot.spi;

import java.time.Duration;
import java.util.Optional;

/**
 * Read-only configuration as a task sees it. A key {@code k} is looked up as {@code
 * autopilot.task.<task-name>.k} first, then as {@code autopilot.k}. Values come from the
 * builder, from properties and from the environment ({@code AUTOPILOT_...}).
 */
public interface TaskConfig {

  /**
   * @param key the key relative to the task, for example {@code batch-size}
   * @return the value, if set
   */
  Optional<String> get(String key);

  /**
   * @param key the key relative to the task
   * @param defaultValue returned when the key is not set
   * @return the value or the default
   */
  default String get(String key, String defaultValue) {
    return get(key).orElse(defaultValue);
  }

  /**
   * @param key the key relative to the task
   * @param defaultValue returned when the key is not set
   * @return the value as an int
   * @throws IllegalArgumentException naming the key and value when it is not an integer
   */
  default int getInt(String key, int defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(v.get().trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("setting '" + key + "': '" + v.get() + "' is not an integer", e);
    }
  }

  /**
   * @param key the key relative to the task
   * @param defaultValue returned when the key is not set
   * @return the value as a boolean ({@code true}/{@code false})
   * @throws IllegalArgumentException naming the key and value when it is not a boolean
   */
  default boolean getBoolean(String key, boolean defaultValue) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return defaultValue;
    }
    String s = v.get().trim();
    if (s.equalsIgnoreCase("true")) {
      return true;
    }
    if (s.equalsIgnoreCase("false")) {
      return false;
    }
    throw new IllegalArgumentException("setting '" + key + "': '" + s + "' is not true or false");
  }

  /**
   * @param key the key relative to the task
   * @param defaultValue returned when the key is not set
   * @return the value as a duration: ISO-8601 ({@code PT30S}) or a number with a unit ({@code
   *     500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d})
   * @throws IllegalArgumentException naming the key and value when it is not a duration
   */
  default Duration getDuration(String key, Duration defaultValue) {
    Optional<String> v = get(key);
    return v.isEmpty() ? defaultValue : Durations.parse(key, v.get());
  }
}
