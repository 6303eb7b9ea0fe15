package dev.autopilot.internal;

import dev.autopilot.ConfigurationException;
import dev.autopilot.spi.Durations;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration as key/value pairs from three layers, highest first: explicit builder values,
 * then properties given to the builder or set as JVM system properties ({@code autopilot.*}),
 * then the environment ({@code AUTOPILOT_*}, where {@code AUTOPILOT_TASK_X_Y_SCHEDULE} stands
 * for {@code autopilot.task.x-y.schedule}). Immutable.
 */
public final class Settings {

  public static final String PREFIX = "autopilot.";
  public static final String THREADS = "autopilot.threads";
  public static final String POLLING_INTERVAL = "autopilot.polling-interval";
  public static final String HEARTBEAT_INTERVAL = "autopilot.heartbeat-interval";
  public static final String HISTORY_BUFFER = "autopilot.history.buffer";
  public static final String MISSED_HEARTBEATS_LIMIT = "autopilot.missed-heartbeats-limit";
  public static final String SCHEMA = "autopilot.schema";
  public static final String INSTANCE_NAME = "autopilot.instance-name";
  public static final String DISCOVERY = "autopilot.discovery";
  public static final String ZONE = "autopilot.zone";
  public static final String PG_CRON = "autopilot.pg-cron";
  public static final String BUILT_IN_TASKS = "autopilot.built-in-tasks";

  private final Map<String, String> explicit;
  private final Map<String, String> properties;
  private final Map<String, String> environment;

  public Settings(Map<String, String> explicit, Map<String, String> properties, Map<String, String> environment) {
    this.explicit = Collections.unmodifiableMap(new LinkedHashMap<>(explicit));
    this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
    Map<String, String> env = new LinkedHashMap<>();
    environment.forEach((k, v) -> {
      if (k.startsWith("AUTOPILOT_")) {
        env.put(normalize(k), v);
      }
    });
    this.environment = Collections.unmodifiableMap(env);
  }

  /** Lower-cases and folds {@code . - _} to {@code _}, so keys and variable names compare. */
  public static String normalize(String key) {
    return key.toLowerCase(Locale.ROOT).replaceAll("[._-]", "_");
  }

  public Optional<String> get(String key) {
    String v = explicit.get(key);
    if (v == null) {
      v = properties.get(key);
    }
    if (v == null) {
      v = environment.get(normalize(key));
    }
    return Optional.ofNullable(v).map(String::trim);
  }

  /** Where a key's value comes from, for error messages: the property or the variable. */
  public String source(String key) {
    if (explicit.containsKey(key) || properties.containsKey(key)) {
      return key;
    }
    return environment.containsKey(normalize(key)) ? normalize(key).toUpperCase(Locale.ROOT) : key;
  }

  /** Every key set in a layer, as written there (environment keys normalized). */
  public Map<String, String> propertyKeys() {
    Map<String, String> all = new LinkedHashMap<>(properties);
    all.putAll(explicit);
    return all;
  }

  public Map<String, String> environmentKeys() {
    return environment;
  }

  public int getInt(String key, int def, int min) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return def;
    }
    int n;
    try {
      n = Integer.parseInt(v.get());
    } catch (NumberFormatException e) {
      throw new ConfigurationException(source(key), v.get(), "not an integer");
    }
    if (n < min) {
      throw new ConfigurationException(source(key), v.get(), "must be at least " + min);
    }
    return n;
  }

  public boolean getBoolean(String key, boolean def) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return def;
    }
    return parseBoolean(source(key), v.get());
  }

  public static boolean parseBoolean(String setting, String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    if (s.equals("true") || s.equals("on") || s.equals("yes")) {
      return true;
    }
    if (s.equals("false") || s.equals("off") || s.equals("no")) {
      return false;
    }
    throw new ConfigurationException(setting, value, "expected true or false");
  }

  public Duration getDuration(String key, Duration def, Duration min) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return def;
    }
    Duration d;
    try {
      d = Durations.parse(key, v.get());
    } catch (IllegalArgumentException e) {
      throw new ConfigurationException(source(key), v.get(), "not a duration (use e.g. 500ms, 10s, 5m, PT1H)");
    }
    if (d.compareTo(min) < 0) {
      throw new ConfigurationException(source(key), v.get(), "must be at least " + min);
    }
    return d;
  }

  public ZoneId getZone(String key, ZoneId def) {
    Optional<String> v = get(key);
    if (v.isEmpty()) {
      return def;
    }
    try {
      return ZoneId.of(v.get());
    } catch (RuntimeException e) {
      throw new ConfigurationException(source(key), v.get(), "not a time zone id (e.g. UTC, Europe/Berlin)");
    }
  }

  public static String validateSchema(String setting, String value) {
    if (value == null || !value.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new ConfigurationException(setting, String.valueOf(value),
          "must be a lower-case SQL identifier (letters, digits, '_', at most 63)");
    }
    return value;
  }
}
