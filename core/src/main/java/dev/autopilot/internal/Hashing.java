package dev.autopilot.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The one hashing helper: SHA-256 as lower-case hex (content hashes, checksums, short names). */
public final class Hashing {
  private Hashing() {}

  /** @return a new SHA-256 digest (every JVM has it) */
  public static MessageDigest sha256Digest() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** @return the SHA-256 of the bytes, lower-case hex */
  public static String sha256(byte[] bytes) {
    return HexFormat.of().formatHex(sha256Digest().digest(bytes));
  }

  /** @return the SHA-256 of the string's UTF-8 bytes, lower-case hex */
  public static String sha256(String s) {
    return sha256(s.getBytes(StandardCharsets.UTF_8));
  }
}
