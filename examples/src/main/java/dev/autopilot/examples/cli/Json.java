package dev.autopilot.examples.cli;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A small JSON writer for the CLI's output: maps, lists, strings, numbers, booleans, instants. */
final class Json {

  private Json() {}

  /**
   * @param value the value; a top-level list prints one element per line
   * @return the JSON text
   */
  static String write(Object value) {
    StringBuilder sb = new StringBuilder();
    if (value instanceof List && !((List<?>) value).isEmpty()) {
      sb.append("[\n");
      Iterator<?> it = ((List<?>) value).iterator();
      while (it.hasNext()) {
        sb.append("  ");
        append(sb, it.next());
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      return sb.append("]").toString();
    }
    append(sb, value);
    return sb.toString();
  }

  private static void append(StringBuilder sb, Object v) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
      sb.append(v);
    } else if (v instanceof Number) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? String.valueOf(d) : "null");
    } else if (v instanceof Map) {
      sb.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        append(sb, e.getValue());
      }
      sb.append('}');
    } else if (v instanceof List) {
      sb.append('[');
      boolean first = true;
      for (Object o : (List<?>) v) {
        if (!first) {
          sb.append(", ");
        }
        first = false;
        append(sb, o);
      }
      sb.append(']');
    } else if (v instanceof Instant) {
      string(sb, v.toString());
    } else {
      string(sb, v.toString());
    }
  }

  private static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
