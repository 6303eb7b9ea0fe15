package dev.autopilot.internal.knowledge;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Strict parsing, canonical (sorted-key) serialisation and content hashes. */
final class Json {
  private Json() {}

  /** Rejects duplicate keys and trailing content; sorted keys make equal content equal bytes. */
  static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .disable(JsonParser.Feature.ALLOW_COMMENTS)
      .build();

  static JsonNode parse(String text) throws JsonProcessingException {
    return MAPPER.readTree(text);
  }

  /** One-line canonical JSON: object keys sorted at every level. */
  static String canonical(JsonNode node) {
    try {
      Object plain = MAPPER.treeToValue(node, Object.class);
      return MAPPER.writeValueAsString(plain);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Pretty canonical JSON with a final newline, for files people read and diff. */
  static String pretty(Object value) {
    try {
      Object plain = value instanceof JsonNode ? MAPPER.treeToValue((JsonNode) value, Object.class) : value;
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(plain) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256(byte[] bytes) {
    return dev.autopilot.internal.Hashing.sha256(bytes);
  }

  static String sha256(String s) {
    return dev.autopilot.internal.Hashing.sha256(s);
  }
}
