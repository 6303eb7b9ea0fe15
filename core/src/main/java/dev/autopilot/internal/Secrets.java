package dev.autopilot.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that hides secrets in text that may reach a log line, an exception message, a
 * status string or a page. Everything Autopilot renders from a connection URL, a driver error or
 * a configuration value goes through {@link #mask(String)}; {@link dev.autopilot.AutopilotException}
 * and {@link EngineChoice} apply it themselves, so no caller can forget.
 *
 * <p>Masked: the value of {@code password=}, {@code sslpassword=}, {@code token=}, {@code secret=}
 * and similar parameters in URL query strings and {@code key=value} lists (also {@code
 * Properties#toString()}), {@code password: value} pairs, and the password of {@code
 * user:password@host} userinfo. The rest of the text stays as it is, so a URL still says which
 * host and database it points at.
 */
public final class Secrets {

  /** What a hidden value is replaced with. */
  public static final String MASK = "***";

  private static final String KEYS = "(?:ssl)?password|passwd|pwd|pass|secret|client_secret|token|access_token"
      + "|api[_-]?key|apikey|sslkey";
  /** {@code key=value} as in query strings, property lists and connection strings. */
  private static final Pattern KEY_VALUE = Pattern.compile(
      "(?i)(\\b(?:" + KEYS + ")\\s*=\\s*)(?:'[^']*'|\"[^\"]*\"|[^&;,\\s}\\])'\"]+?(?=[&;,\\s}\\])'\"]|:\\s|:$|$))");
  /** {@code password: value}, as in YAML or JSON-ish renderings. */
  private static final Pattern KEY_COLON = Pattern.compile(
      "(?i)(\"?\\b(?:" + KEYS + ")\"?\\s*:\\s*)(?:\"[^\"]*\"|'[^']*'|[^,\\s}\\]]+)");
  /** {@code scheme://user:password@host}. */
  private static final Pattern USERINFO = Pattern.compile(
      "(?i)(\\b[a-z][a-z0-9+.-]*://[^\\s/:@?#]*):[^\\s/@?#]*@");

  private Secrets() {}

  /**
   * @param text any text, for example a JDBC URL or an exception message
   * @return the text with every recognised secret replaced by {@value #MASK}; null stays null
   */
  public static String mask(String text) {
    if (text == null || text.isEmpty()) {
      return text;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    String out = text;
    if (lower.contains("=")) {
      out = KEY_VALUE.matcher(out).replaceAll("$1" + MASK);
    }
    if (lower.contains(":")) {
      out = KEY_COLON.matcher(out).replaceAll("$1" + MASK);
      if (lower.contains("@")) {
        out = USERINFO.matcher(out).replaceAll("$1:" + MASK + "@");
      }
    }
    return out;
  }

  /**
   * @param key a configuration key or property name
   * @return true when its value is a secret (password, token, secret, key), never to be shown
   */
  public static boolean isSecretKey(String key) {
    if (key == null) {
      return false;
    }
    String k = key.toLowerCase(Locale.ROOT);
    return k.contains("password") || k.contains("passwd") || k.contains("secret") || k.contains("token")
        || k.endsWith("api-key") || k.endsWith("api_key") || k.endsWith("apikey");
  }

  /**
   * @param t a failure
   * @return its message masked (or its class name when it has none), for a one-line report
   */
  public static String message(Throwable t) {
    if (t == null) {
      return null;
    }
    return mask(t.getMessage() == null ? t.toString() : t.getMessage());
  }
}
