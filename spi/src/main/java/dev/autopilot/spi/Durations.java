package dev.autopilot.spi;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as written in configuration: {@code PT30S}, {@code 500ms}, {@code 30s}. */
public final class Durations {

  private static final Pattern SIMPLE = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /**
   * @param setting the setting name, used in the error message
   * @param value ISO-8601 ({@code PT30S}) or a number with a unit: {@code ms s m h d}
   * @return the duration
   * @throws IllegalArgumentException naming the setting and value when it cannot be parsed
   */
  public static Duration parse(String setting, String value) {
    String s = value.trim().toLowerCase(Locale.ROOT);
    Matcher m = SIMPLE.matcher(s);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        switch (m.group(2)) {
          case "ms":
            return Duration.ofMillis(n);
          case "s":
            return Duration.ofSeconds(n);
          case "m":
            return Duration.ofMinutes(n);
          case "h":
            return Duration.ofHours(n);
          default:
            return Duration.ofDays(n);
        }
      }
      return Duration.parse(value.trim());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "setting '" + setting + "': '" + value + "' is not a duration (use e.g. 500ms, 30s, 5m, PT1H)", e);
    }
  }
}
