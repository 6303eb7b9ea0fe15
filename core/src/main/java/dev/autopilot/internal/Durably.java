package dev.autopilot.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes an execution's completion (reschedule, remove, retry) until the database takes it. A
 * completion that fails because the database went away is retried once it is back, instead of
 * leaving the execution picked until it is declared dead and run a second time.
 */
final class Durably {

  private static final Logger log = LoggerFactory.getLogger(Durably.class);
  private static final long MAX_PAUSE_MS = 2_000;

  private Durably() {}

  /**
   * @param rt the runtime
   * @param what what is written, for the one log line when it is given up
   * @param write the write, safe to repeat until it succeeds once (db-scheduler's updates check
   *     the row's version)
   */
  static void write(Runtime rt, String what, Runnable write) {
    long pause = 100;
    while (true) {
      try {
        write.run();
        return;
      } catch (RuntimeException e) {
        if (!DatabaseWatch.isTransient(e)) {
          throw e;
        }
        if (rt.isClosing()) {
          log.warn("{}{} not written: the database is unreachable while closing; the execution stays picked and"
              + " another instance revives it", rt.logPrefix(), what);
          return;
        }
        rt.watch().suspect(e);
        try {
          rt.watch().awaitUp(5_000);
          Thread.sleep(pause);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          log.warn("{}{} not written (interrupted while the database was unreachable)", rt.logPrefix(), what);
          return;
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
    }
  }
}
