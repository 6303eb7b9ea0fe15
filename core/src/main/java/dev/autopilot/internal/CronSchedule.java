package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.schedule.Schedule;
import java.time.Instant;
import java.time.ZoneId;

/** A db-scheduler {@link Schedule} over Autopilot's 5-field {@link Cron}. */
final class CronSchedule implements Schedule {

  private final Cron cron;
  private final ZoneId zone;

  CronSchedule(Cron cron, ZoneId zone) {
    this.cron = cron;
    this.zone = zone;
  }

  @Override
  public Instant getNextExecutionTime(ExecutionComplete complete) {
    return cron.next(complete.getTimeDone(), zone);
  }

  @Override
  public Instant getInitialExecutionTime(Instant now) {
    return cron.next(now, zone);
  }

  Instant next(Instant after) {
    return cron.next(after, zone);
  }

  @Override
  public boolean isDeterministic() {
    return !cron.isInterval();
  }

  @Override
  public String toString() {
    return "cron(" + cron + ", " + zone + ")";
  }
}
