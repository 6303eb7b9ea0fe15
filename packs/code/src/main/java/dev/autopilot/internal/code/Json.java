package dev.autopilot.internal.code;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads JSON manifests (package.json) with Jackson into maps, lists, strings and numbers. */
final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /**
   * @return the document as {@code Map}, {@code List}, {@code String}, {@code Number}, {@code Boolean} or null
   * @throws IllegalArgumentException naming the line and column when the text is not JSON
   */
  static Object parse(String text) {
    try {
      return MAPPER.readValue(text, Object.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid JSON at line " + e.getLocation().getLineNr() + ", column "
          + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
    }
  }
}
