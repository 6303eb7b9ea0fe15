package dev.autopilot.cli;

import dev.autopilot.TaskStatus;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Plain-text tables, progress bars and time formats shared by the demo and the CLI. */
public final class Console {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Console() {}

  /**
   * Prints rows under a header, each column as wide as its widest cell.
   *
   * @param out where to print
   * @param header column titles
   * @param rows cells (null prints as "-")
   */
  public static void table(PrintStream out, List<String> header, List<List<String>> rows) {
    int[] width = new int[header.size()];
    List<List<String>> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    for (List<String> r : all) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.max(width[i], cell(r, i).length());
      }
    }
    for (List<String> r : all) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < width.length; i++) {
        String c = cell(r, i);
        sb.append(c);
        if (i < width.length - 1) {
          sb.append(" ".repeat(width[i] - c.length() + 2));
        }
      }
      out.println(sb.toString().stripTrailing());
    }
  }

  private static String cell(List<String> row, int i) {
    String s = i < row.size() ? row.get(i) : null;
    return s == null ? "-" : s;
  }

  /**
   * The status table of every task: name, engine, schedule, next run, last run, outcome.
   *
   * @param out where to print
   * @param tasks the tasks, as {@code monitor().tasks()} returns them
   */
  public static void taskTable(PrintStream out, List<TaskStatus> tasks) {
    List<List<String>> rows = new ArrayList<>();
    for (TaskStatus t : tasks) {
      rows.add(List.of(t.name(), t.engine().label(), schedule(t), t.enabled() ? time(t.nextRun()) : "disabled",
          time(t.lastRun()), t.lastOutcome() == null ? "-" : t.lastOutcome().label()));
    }
    table(out, List.of("TASK", "ENGINE", "SCHEDULE", "NEXT RUN", "LAST RUN", "OUTCOME"), rows);
  }

  /**
   * @param t a task
   * @return its cron schedule, plus "+ start-up (p)" or "manual" where that is how it runs
   */
  public static String schedule(TaskStatus t) {
    String s = t.schedule();
    if (t.startupPriority() != null) {
      String st = "start-up (" + t.startupPriority() + ")";
      return s == null ? st : s + " + " + st;
    }
    return s == null ? "manual" : s;
  }

  /**
   * @param i an instant or null
   * @return it in UTC to the second, or "-"
   */
  public static String time(Instant i) {
    return i == null ? "-" : TIME.format(i);
  }

  /**
   * @param d a duration
   * @return it in ms below 10 s, else in seconds with one decimal
   */
  public static String duration(Duration d) {
    long ms = d.toMillis();
    return ms < 10_000 ? ms + " ms" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /**
   * One progress line: {@code name [#####.....]  45%  12/27  message}.
   *
   * @param name the task
   * @param done units done
   * @param total units in all, or negative when unknown
   * @param message what it works on now
   * @param width the bar's width in characters
   * @return the line
   */
  public static String progressLine(String name, long done, long total, String message, int width) {
    StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "  %-28s [", name));
    if (total > 0) {
      int filled = (int) Math.min(width, done * width / total);
      sb.append("#".repeat(filled)).append(".".repeat(width - filled)).append("] ");
      sb.append(String.format(Locale.ROOT, "%3d%%  %d/%d", Math.min(100, done * 100 / total), done, total));
    } else {
      int pos = (int) (done % width);
      sb.append(".".repeat(pos)).append("#").append(".".repeat(width - pos - 1)).append("] ").append(done);
    }
    if (message != null && !message.isEmpty()) {
      String m = message.length() > 40 ? "..." + message.substring(message.length() - 37) : message;
      sb.append("  ").append(m);
    }
    return sb.toString();
  }

  /**
   * @param h a search hit
   * @return one line: score, codebase, path, lines and symbol
   */
  public static String hit(dev.autopilot.code.SearchHit h) {
    return String.format(java.util.Locale.ROOT, "%.3f  %s:%s:%d-%d%s", h.score(), h.codebase(), h.path(), h.startLine(),
        h.endLine(), h.symbol() == null ? "" : "  " + h.symbol());
  }
}
