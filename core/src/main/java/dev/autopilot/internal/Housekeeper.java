package dev.autopilot.internal;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * db-scheduler's housekeeping executor (heartbeats, dead-execution checks): its work runs on the
 * connection {@link DatabaseWatch} keeps, and not at all while the database is down, when it
 * could only fail (and log a stack trace each time).
 */
final class Housekeeper extends ScheduledThreadPoolExecutor {

  private final DatabaseWatch watch;
  private final ThreadLocal<Boolean> housekeeping = ThreadLocal.withInitial(() -> false);

  Housekeeper(DatabaseWatch watch, String name) {
    super(3, threadFactory(name));
    this.watch = watch;
  }

  private static java.util.concurrent.ThreadFactory threadFactory(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, "autopilot-housekeeper-" + name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** @return true on a housekeeping thread while it does its work */
  boolean isHousekeepingThread() {
    return housekeeping.get();
  }

  @Override
  public ScheduledFuture<?> scheduleWithFixedDelay(Runnable command, long initialDelay, long delay, TimeUnit unit) {
    return super.scheduleWithFixedDelay(guarded(command), initialDelay, delay, unit);
  }

  @Override
  public ScheduledFuture<?> scheduleAtFixedRate(Runnable command, long initialDelay, long period, TimeUnit unit) {
    return super.scheduleAtFixedRate(guarded(command), initialDelay, period, unit);
  }

  private Runnable guarded(Runnable command) {
    return () -> {
      if (!watch.isUp() || !watch.reservedUsable()) {
        return; // a connection the server just ended would fail mid-statement, logged with a stack trace
      }
      housekeeping.set(true);
      try {
        command.run();
      } finally {
        housekeeping.set(false);
      }
    };
  }
}
