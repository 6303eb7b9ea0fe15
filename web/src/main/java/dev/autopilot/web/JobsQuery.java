package dev.autopilot.web;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The jobs page's filter, parsed from query parameters: {@code state} (comma-separated), {@code
 * task}, {@code engine}, {@code from} and {@code to} (ISO-8601 instants, on the finish time),
 * {@code q} (text in the error), {@code before} (the cursor of the next page) and {@code limit}.
 */
record JobsQuery(Set<String> states, String task, String engine, Instant from, Instant to, String text,
    Instant beforeTime, long beforeId, int limit) {

  static final Set<String> FINISHED = Set.of("succeeded", "skipped", "retrying", "failed", "dead", "cancelled");
  static final Set<String> LIVE = Set.of("scheduled", "running");
  static final int MAX_LIMIT = 500;

  static JobsQuery parse(Map<String, String> p) {
    Set<String> states = new LinkedHashSet<>();
    String s = p.getOrDefault("state", "");
    for (String part : s.split(",")) {
      String t = part.trim().toLowerCase(java.util.Locale.ROOT);
      if (t.isEmpty()) {
        continue;
      }
      if (!FINISHED.contains(t) && !LIVE.contains(t)) {
        throw new HttpError(400, "state: unknown job state '" + t + "' (one of scheduled, running, "
            + String.join(", ", new java.util.TreeSet<>(FINISHED)) + ")");
      }
      states.add(t);
    }
    String engine = blankToNull(p.get("engine"));
    if (engine != null && !engine.equals("pg_cron") && !engine.equals("db-scheduler")) {
      throw new HttpError(400, "engine: expected pg_cron or db-scheduler, was '" + engine + "'");
    }
    Instant beforeTime = null;
    long beforeId = 0;
    String before = blankToNull(p.get("before"));
    if (before != null) {
      int sep = before.lastIndexOf('_');
      try {
        beforeTime = Instant.parse(before.substring(0, sep));
        beforeId = Long.parseLong(before.substring(sep + 1));
      } catch (RuntimeException e) {
        throw new HttpError(400, "before: not a page cursor: '" + before + "'");
      }
    }
    int limit = 50;
    String l = blankToNull(p.get("limit"));
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_LIMIT) {
        throw new HttpError(400, "limit: expected 1.." + MAX_LIMIT + ", was '" + l + "'");
      }
    }
    String text = blankToNull(p.get("q"));
    if (text != null && text.length() > 200) {
      throw new HttpError(400, "q: at most 200 characters");
    }
    return new JobsQuery(states, blankToNull(p.get("task")), engine, time("from", p.get("from")), time("to", p.get("to")),
        text, beforeTime, beforeId, limit);
  }

  /** @return the finished states asked for; all of them when no state is given */
  List<String> finishedStates() {
    List<String> out = new ArrayList<>();
    for (String s : states) {
      if (FINISHED.contains(s)) {
        out.add(s);
      }
    }
    return states.isEmpty() ? new ArrayList<>(FINISHED) : out;
  }

  /** @return true when scheduled or running jobs are asked for (or no state at all) */
  boolean wantsLive() {
    return beforeTime == null && text == null && to == null && !"pg_cron".equals(engine)
        && (states.isEmpty() || states.contains("scheduled") || states.contains("running"));
  }

  private static Instant time(String name, String v) {
    v = blankToNull(v);
    if (v == null) {
      return null;
    }
    try {
      return Instant.parse(v);
    } catch (DateTimeParseException e) {
      throw new HttpError(400, name + ": expected an ISO-8601 instant like 2026-01-31T12:00:00Z, was '" + v + "'");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
