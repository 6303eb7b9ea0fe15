package dev.autopilot.internal;

/**
 * A part of Autopilot's start-up and shutdown beyond db-scheduler itself (the pg_cron engine,
 * the bootstrap wave, ...). Registered in {@link Extensions}; called in registration order.
 */
public interface Extension extends AutoCloseable {

  /** After migrations, before db-scheduler's tasks are built: decide engines, reconcile. */
  default void beforeScheduler(Runtime rt) {}

  /**
   * Instead of {@link #beforeScheduler} when attached as a client ({@code Autopilot.attach()}):
   * decide engines from what the database holds, without changing anything.
   */
  default void inspect(Runtime rt) {}

  /** After db-scheduler has started. */
  default void afterStart(Runtime rt) {}

  /** On close, before db-scheduler stops. Must not throw. */
  @Override
  default void close() {}
}
