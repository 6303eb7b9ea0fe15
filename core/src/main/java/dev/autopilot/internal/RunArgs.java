package dev.autopilot.internal;

import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a db-scheduler execution carries beside its id: the arguments it was triggered with, the
 * execution it re-runs, and the attempts already made elsewhere (a pg_cron run retried here starts
 * at attempt 2). db-scheduler stores it Java-serialized in {@code task_data}, so core needs no JSON
 * library. Arguments are a flat map of strings; {@link #json} is the one place that writes them as JSON.
 */
public final class RunArgs implements Serializable {
  private static final long serialVersionUID = 1L;
  static final RunArgs NONE = new RunArgs(new LinkedHashMap<>(), null, 0);

  private final LinkedHashMap<String, String> args;
  private final String retryOf;
  private final int attemptOffset;

  private RunArgs(LinkedHashMap<String, String> args, String retryOf, int attemptOffset) {
    this.args = args;
    this.retryOf = retryOf;
    this.attemptOffset = attemptOffset;
  }

  /** @return data carrying these arguments (validated, see {@link #validate}) */
  public static RunArgs of(Map<String, ?> args, String retryOf, int attemptOffset) {
    return new RunArgs(validate(args), retryOf, attemptOffset);
  }

  static RunArgs orNone(RunArgs data) {
    return data == null ? NONE : data;
  }

  /**
   * Keys must be non-blank; values strings, numbers or booleans (JSON's scalars), kept as their
   * string form.
   *
   * @throws IllegalArgumentException naming the argument when one is not allowed
   */
  public static LinkedHashMap<String, String> validate(Map<String, ?> args) {
    LinkedHashMap<String, String> out = new LinkedHashMap<>();
    if (args == null) {
      return out;
    }
    for (Map.Entry<String, ?> e : args.entrySet()) {
      String k = e.getKey();
      Object v = e.getValue();
      if (k == null || k.isBlank()) {
        throw new IllegalArgumentException("trigger argument names must not be blank");
      }
      if (!(v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof Character)) {
        throw new IllegalArgumentException("trigger argument '" + k + "' must be a string, number or boolean, was "
            + (v == null ? "null" : v.getClass().getSimpleName()));
      }
      out.put(k, v.toString());
    }
    return out;
  }

  /** @return the arguments, unmodifiable */
  public Map<String, String> args() {
    return Collections.unmodifiableMap(args);
  }

  /** @return the execution this one re-runs, or null */
  public String retryOf() {
    return retryOf;
  }

  /** @return attempts made before this execution's first (0 normally) */
  public int attemptOffset() {
    return attemptOffset;
  }

  RunArgs withAttemptOffset(int offset) {
    return new RunArgs(args, retryOf, offset);
  }

  boolean isEmpty() {
    return args.isEmpty() && retryOf == null && attemptOffset == 0;
  }

  /** @return the arguments as a flat JSON object, or null when there are none */
  public String json() {
    return json(args);
  }

  /** @return the map as a flat JSON object of strings, or null when empty */
  public static String json(Map<String, String> args) {
    if (args == null || args.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder("{");
    for (Map.Entry<String, String> e : args.entrySet()) {
      if (b.length() > 1) {
        b.append(", ");
      }
      quote(b, e.getKey()).append(": ");
      quote(b, e.getValue());
    }
    return b.append('}').toString();
  }

  private static StringBuilder quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"');
  }

  @Override
  public String toString() {
    return "RunArgs{" + args + (retryOf == null ? "" : ", retryOf=" + retryOf) + '}';
  }
}
