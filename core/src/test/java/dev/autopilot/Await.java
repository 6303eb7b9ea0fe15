package dev.autopilot;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls a condition until it holds or a timeout passes. */
public final class Await {
  private Await() {}

  public static void until(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting for " + what);
      }
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }

  public static <T> T value(Duration timeout, String what, Supplier<T> s, java.util.function.Predicate<T> ok) {
    Object[] holder = new Object[1];
    until(timeout, what, () -> {
      holder[0] = s.get();
      return ok.test((T) holder[0]);
    });
    @SuppressWarnings("unchecked")
    T v = (T) holder[0];
    return v;
  }
}
