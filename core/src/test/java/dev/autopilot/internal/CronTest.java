package dev.autopilot.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronTest {

  private static Instant next(String expr, String after) {
    return Cron.parse(expr).next(Instant.parse(after), ZoneOffset.UTC);
  }

  @Test
  void everyTwoMinutes() {
    assertEquals(Instant.parse("2026-01-01T00:02:00Z"), next("*/2 * * * *", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-01T00:02:00Z"), next("*/2 * * * *", "2026-01-01T00:01:59Z"));
  }

  @Test
  void weeklyOnSundayWithZeroOrSeven() {
    // 2026-01-04 is a Sunday
    assertEquals(Instant.parse("2026-01-04T02:00:00Z"), next("0 2 * * 0", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-04T02:00:00Z"), next("0 2 * * 7", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-04T02:00:00Z"), next("0 2 * * sun", "2026-01-01T00:00:00Z"));
  }

  @Test
  void bothDayFieldsRestrictedMatchEither() {
    // classic cron: "1-7 of the month OR Sunday", not "first Sunday"
    assertEquals(Instant.parse("2026-01-11T05:00:00Z"), next("0 5 1-7 * 0", "2026-01-07T06:00:00Z"));
    assertEquals(Instant.parse("2026-01-02T05:00:00Z"), next("0 5 1-7 * 0", "2026-01-01T06:00:00Z"));
  }

  @Test
  void monthNamesRangesAndLists() {
    assertEquals(Instant.parse("2026-03-01T00:00:00Z"), next("0 0 1 mar,jun *", "2026-01-15T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-01T09:30:00Z"), next("30 9-17/4 * * *", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-01T13:30:00Z"), next("30 9-17/4 * * *", "2026-01-01T09:30:00Z"));
  }

  @Test
  void leapDayIsFound() {
    assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-03-01T00:00:00Z"));
  }

  @Test
  void macrosAndIntervals() {
    assertEquals("0 * * * *", Cron.parse("@hourly").expression());
    Cron every = Cron.parse("@every 2s");
    assertTrue(every.isInterval());
    assertEquals(Instant.parse("2026-01-01T00:00:02Z"), every.next(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
  }

  @Test
  void invalidExpressionsSayWhy() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("* * * *")).getMessage().contains("5 fields"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("61 * * * *")).getMessage().contains("minute"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("* * * foo *")).getMessage().contains("month"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("*/0 * * * *")).getMessage().contains("step"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 0 31 2 *").next(Instant.EPOCH, ZoneOffset.UTC))
        .getMessage().contains("never"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Cron.parse("@every soon")).getMessage().contains("@every"));
  }

  @Test
  void anExpressionThatNeverFiresIsRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 0 30 2 *"));
    assertTrue(e.getMessage().contains("never fires"), e.getMessage());
    assertTrue(e.getMessage().contains("February"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Cron.parse("0 0 31 4,6,9,11 *"));
    // 29 February exists in leap years; a weekday makes either day match
    assertEquals(Instant.parse("2028-02-29T00:00:00Z"), next("0 0 29 2 *", "2026-01-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-02-02T00:00:00Z"), next("0 0 30 2 mon", "2026-02-01T00:00:00Z"));
    assertEquals(Instant.parse("2026-01-31T00:00:00Z"), next("0 0 31 * *", "2026-01-01T00:00:00Z"));
  }
}
