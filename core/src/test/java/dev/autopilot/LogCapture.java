package dev.autopilot;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Captures everything written to {@code System.err} (where slf4j-simple writes every log line in
 * tests) while it is open, still passing it through. Not for parallel tests.
 */
public final class LogCapture implements AutoCloseable {

  private final PrintStream original = System.err;
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

  private LogCapture() {
    OutputStream tee = new OutputStream() {
      @Override
      public void write(int b) {
        synchronized (buffer) {
          buffer.write(b);
        }
        original.write(b);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        synchronized (buffer) {
          buffer.write(b, off, len);
        }
        original.write(b, off, len);
      }
    };
    System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
  }

  /** @return a capture, started now */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** @return everything captured so far */
  public String text() {
    synchronized (buffer) {
      return buffer.toString(StandardCharsets.UTF_8);
    }
  }

  /** @return the captured lines */
  public List<String> lines() {
    return Arrays.stream(text().split("\n")).filter(l -> !l.isBlank()).collect(Collectors.toList());
  }

  /** @return lines of stack traces ({@code \tat ...}, {@code Caused by:}, {@code ... n more}) */
  public long stackTraceLines() {
    return lines().stream().filter(LogCapture::isStackLine).count();
  }

  private static final java.util.regex.Pattern LOG_LINE =
      java.util.regex.Pattern.compile("^\\S+ \\[[^\\]]*\\] (?:TRACE|DEBUG|INFO|WARN|ERROR) (\\S+) - .*");

  /**
   * @param loggerPrefixes logger names to count, for example {@code dev.autopilot}
   * @return stack-trace lines that follow a log line of one of these loggers
   */
  public long stackTraceLinesOf(String... loggerPrefixes) {
    long n = 0;
    String logger = "";
    for (String l : lines()) {
      java.util.regex.Matcher m = LOG_LINE.matcher(l);
      if (m.matches()) {
        logger = m.group(1);
      } else if (isStackLine(l)) {
        for (String p : loggerPrefixes) {
          if (logger.startsWith(p)) {
            n++;
            break;
          }
        }
      }
    }
    return n;
  }

  /** @return the lines written by loggers with these name prefixes */
  public List<String> linesOf(String... loggerPrefixes) {
    List<String> out = new java.util.ArrayList<>();
    for (String l : lines()) {
      java.util.regex.Matcher m = LOG_LINE.matcher(l);
      if (m.matches()) {
        for (String p : loggerPrefixes) {
          if (m.group(1).startsWith(p)) {
            out.add(l);
            break;
          }
        }
      }
    }
    return out;
  }

  static boolean isStackLine(String l) {
    String t = l.trim();
    return t.startsWith("at ") || t.startsWith("Caused by:") || t.matches("\\.\\.\\. \\d+ more");
  }

  /** Forgets what was captured so far. */
  public void reset() {
    synchronized (buffer) {
      buffer.reset();
    }
  }

  @Override
  public void close() {
    System.err.flush();
    System.setErr(original);
  }
}
