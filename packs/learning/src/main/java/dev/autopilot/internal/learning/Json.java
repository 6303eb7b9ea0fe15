package dev.autopilot.internal.learning;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** JSON string literals for payloads and exports, written by Jackson. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** @return the JSON literal of the string ({@code null} for null) */
  static String str(String s) {
    return write(s);
  }

  /** @return a JSON array of the strings */
  static String strings(List<String> values) {
    return write(values);
  }

  private static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }
}
