package dev.autopilot.internal;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * A standard 5-field cron expression (minute hour day-of-month month day-of-week) with the
 * semantics of classic cron and pg_cron: when both day fields are restricted, a day matching
 * either runs. Supports {@code * , - /}, month and day names, 0 or 7 for Sunday, and the macros
 * {@code @hourly @daily @weekly @monthly @yearly}. An expression that can never fire (30 February)
 * is rejected by {@link #parse(String)}.
 *
 * <p>One extension: {@code @every <duration>} (for example {@code @every 10s}) is a fixed
 * interval after the previous run finished. pg_cron 1.4 cannot run it, so a SQL task with such a
 * schedule runs on db-scheduler.
 */
public final class Cron {

  private static final String[] MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  private static final String[] DAYS = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

  private final String expression;
  private final BitSet minutes;
  private final BitSet hours;
  private final BitSet daysOfMonth;
  private final BitSet months;
  private final BitSet daysOfWeek;
  private final boolean domStar;
  private final boolean dowStar;
  private final java.time.Duration interval;

  private Cron(String expression, java.time.Duration interval) {
    this.expression = expression;
    this.interval = interval;
    minutes = hours = daysOfMonth = months = daysOfWeek = null;
    domStar = dowStar = true;
  }

  private Cron(String expression, String[] f) {
    this.expression = expression;
    this.interval = null;
    minutes = parseField(f[0], 0, 59, null, 0, "minute");
    hours = parseField(f[1], 0, 23, null, 0, "hour");
    daysOfMonth = parseField(f[2], 1, 31, null, 0, "day of month");
    months = parseField(f[3], 1, 12, MONTHS, 1, "month");
    BitSet dow = parseField(f[4], 0, 7, DAYS, 0, "day of week");
    if (dow.get(7)) {
      dow.set(0);
      dow.clear(7);
    }
    daysOfWeek = dow;
    domStar = f[2].startsWith("*");
    dowStar = f[4].startsWith("*");
    requireSomeDay();
  }

  private static final int[] MAX_DAYS = {0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  private static final String[] MONTH_NAMES = {"", "January", "February", "March", "April", "May", "June", "July",
      "August", "September", "October", "November", "December"};

  /**
   * Rejects an expression that never fires: a day of month restricted (and the day of week not)
   * to days none of its months has, such as {@code 0 0 30 2 *}. February 29 counts (leap years).
   */
  private void requireSomeDay() {
    if (domStar || !dowStar) {
      return; // every month has every weekday, and "*" days exist in every month
    }
    List<String> chosen = new ArrayList<>();
    for (int m = months.nextSetBit(1); m >= 0; m = months.nextSetBit(m + 1)) {
      if (daysOfMonth.nextSetBit(1) <= MAX_DAYS[m]) {
        return;
      }
      chosen.add(MONTH_NAMES[m]);
    }
    throw new IllegalArgumentException("it never fires: day " + daysOfMonth.nextSetBit(1)
        + (daysOfMonth.cardinality() > 1 ? " and later" : "") + " does not exist in " + String.join(", ", chosen));
  }

  /**
   * @param expression five whitespace-separated fields
   * @return the parsed expression
   * @throws IllegalArgumentException with the reason when it is not valid
   */
  public static Cron parse(String expression) {
    if (expression == null) {
      throw new IllegalArgumentException("cron expression is missing");
    }
    String e = expression.trim();
    if (e.startsWith("@every")) {
      String d = e.substring("@every".length()).trim();
      java.time.Duration interval;
      try {
        interval = dev.autopilot.spi.Durations.parse("@every", d);
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException("'@every' needs a duration such as 10s, 5m or PT1H, got '" + d + "'");
      }
      if (interval.toMillis() < 100) {
        throw new IllegalArgumentException("'@every' interval must be at least 100ms, got '" + d + "'");
      }
      return new Cron("@every " + d, interval);
    }
    switch (e) {
      case "@yearly": case "@annually": e = "0 0 1 1 *"; break;
      case "@monthly": e = "0 0 1 * *"; break;
      case "@weekly": e = "0 0 * * 0"; break;
      case "@daily": case "@midnight": e = "0 0 * * *"; break;
      case "@hourly": e = "0 * * * *"; break;
      default:
        if (e.startsWith("@")) {
          throw new IllegalArgumentException("unknown macro '" + e + "' (known: @yearly @monthly @weekly @daily @hourly @every)");
        }
    }
    String[] f = e.split("\\s+");
    if (f.length != 5) {
      throw new IllegalArgumentException("expected 5 fields (minute hour day-of-month month day-of-week), found " + f.length);
    }
    return new Cron(e.replaceAll("\\s+", " "), f);
  }

  /** @return true for an {@code @every} interval, which only db-scheduler can run */
  public boolean isInterval() {
    return interval != null;
  }

  /** @return the expression as pg_cron takes it (5 fields, macros expanded) */
  public String expression() {
    return expression;
  }

  /**
   * @param after an instant
   * @param zone the zone the expression is read in
   * @return the first matching minute strictly after {@code after}
   */
  public Instant next(Instant after, ZoneId zone) {
    if (interval != null) {
      return after.plus(interval);
    }
    ZonedDateTime start = after.atZone(zone).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    LocalDate day = start.toLocalDate();
    for (int i = 0; i < 366 * 8; i++, day = day.plusDays(1)) {
      if (!months.get(day.getMonthValue()) || !dayMatches(day)) {
        continue;
      }
      for (int h = hours.nextSetBit(0); h >= 0; h = hours.nextSetBit(h + 1)) {
        for (int m = minutes.nextSetBit(0); m >= 0; m = minutes.nextSetBit(m + 1)) {
          ZonedDateTime candidate = LocalDateTime.of(day.getYear(), day.getMonthValue(), day.getDayOfMonth(), h, m).atZone(zone);
          if (!candidate.isBefore(start)) {
            return candidate.toInstant();
          }
        }
      }
    }
    throw new IllegalArgumentException("cron expression '" + expression + "' never matches");
  }

  private boolean dayMatches(LocalDate d) {
    boolean dom = daysOfMonth.get(d.getDayOfMonth());
    boolean dow = daysOfWeek.get(d.getDayOfWeek().getValue() % 7);
    if (domStar && dowStar) {
      return true;
    }
    if (domStar) {
      return dow;
    }
    if (dowStar) {
      return dom;
    }
    return dom || dow;
  }

  private static BitSet parseField(String field, int min, int max, String[] names, int nameBase, String what) {
    BitSet bits = new BitSet(max + 1);
    for (String part : field.split(",", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(what + ": empty list element in '" + field + "'");
      }
      int step = 1;
      String range = part;
      int slash = part.indexOf('/');
      if (slash >= 0) {
        range = part.substring(0, slash);
        step = number(part.substring(slash + 1), what, field);
        if (step < 1) {
          throw new IllegalArgumentException(what + ": step must be at least 1 in '" + field + "'");
        }
      }
      int lo;
      int hi;
      if (range.equals("*")) {
        lo = min;
        hi = max == 7 ? 6 : max;
      } else {
        int dash = range.indexOf('-');
        if (dash > 0) {
          lo = value(range.substring(0, dash), names, nameBase, what, field);
          hi = value(range.substring(dash + 1), names, nameBase, what, field);
        } else {
          lo = value(range, names, nameBase, what, field);
          hi = slash >= 0 ? (max == 7 ? 6 : max) : lo;
        }
      }
      if (lo < min || hi > max || lo > hi) {
        throw new IllegalArgumentException(what + ": '" + part + "' is outside " + min + "-" + max);
      }
      for (int v = lo; v <= hi; v += step) {
        bits.set(v);
      }
    }
    return bits;
  }

  private static int value(String s, String[] names, int base, String what, String field) {
    if (names != null) {
      String lower = s.toLowerCase(Locale.ROOT);
      for (int i = 0; i < names.length; i++) {
        if (names[i].equals(lower)) {
          return i + base;
        }
      }
    }
    return number(s, what, field);
  }

  private static int number(String s, String what, String field) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + ": '" + s + "' is not a number in '" + field + "'");
    }
  }

  @Override
  public String toString() {
    return expression;
  }
}
