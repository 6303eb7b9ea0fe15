package dev.autopilot.spi;

import java.time.Duration;
import java.util.Objects;

/**
 * How a failed execution is retried: exponential backoff with jitter, up to a maximum number of
 * attempts. After the last attempt the execution is recorded as {@code failed}; a recurring task
 * then waits for its next scheduled run. A retry of a recurring task never goes past its next
 * scheduled run.
 *
 * <p>The delay before attempt {@code n + 1} (after {@code n} failures) is {@code initialDelay *
 * multiplier^(n-1)}, capped at {@code maxDelay}, then spread by {@code ±jitter} (a fraction).
 * Instances are immutable; the {@code with...} methods return copies.
 */
public final class RetryPolicy {

  /** The default: 5 attempts, 10 s first delay, doubling, at most 10 min, ±20% jitter. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(10), 2.0, Duration.ofMinutes(10), 0.2);

  private final int maxAttempts;
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;

  private RetryPolicy(
      int maxAttempts, Duration initialDelay, double multiplier, Duration maxDelay, double jitter) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
    }
    Objects.requireNonNull(initialDelay, "initialDelay");
    Objects.requireNonNull(maxDelay, "maxDelay");
    if (initialDelay.isNegative()) {
      throw new IllegalArgumentException("initialDelay must not be negative, was " + initialDelay);
    }
    if (maxDelay.compareTo(initialDelay) < 0) {
      throw new IllegalArgumentException(
          "maxDelay " + maxDelay + " must not be below initialDelay " + initialDelay);
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("multiplier must be >= 1, was " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter < 1.0)) {
      throw new IllegalArgumentException("jitter must be in [0, 1), was " + jitter);
    }
    this.maxAttempts = maxAttempts;
    this.initialDelay = initialDelay;
    this.multiplier = multiplier;
    this.maxDelay = maxDelay;
    this.jitter = jitter;
  }

  /**
   * Exponential backoff doubling from {@code initialDelay}, capped at 10 minutes (or at
   * {@code initialDelay} if larger), with ±20% jitter.
   *
   * @param maxAttempts total attempts including the first, at least 1
   * @param initialDelay delay before the second attempt
   * @return the policy
   */
  public static RetryPolicy exponential(int maxAttempts, Duration initialDelay) {
    Duration cap = Duration.ofMinutes(10);
    return new RetryPolicy(
        maxAttempts, initialDelay, 2.0, initialDelay.compareTo(cap) > 0 ? initialDelay : cap, 0.2);
  }

  /** @return a policy with a single attempt: a failure is final at once */
  public static RetryPolicy none() {
    return new RetryPolicy(1, Duration.ZERO, 1.0, Duration.ZERO, 0.0);
  }

  /**
   * @param maxAttempts total attempts including the first, at least 1
   * @return a copy with another attempt count
   */
  public RetryPolicy withMaxAttempts(int maxAttempts) {
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  /**
   * @param multiplier growth factor between consecutive delays, at least 1
   * @return a copy with another multiplier
   */
  public RetryPolicy withMultiplier(double multiplier) {
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  /**
   * @param maxDelay the largest delay, not below the initial delay
   * @return a copy with another cap
   */
  public RetryPolicy withMaxDelay(Duration maxDelay) {
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  /**
   * @param jitter the fraction in [0, 1) by which a delay is spread up or down at random
   * @return a copy with another jitter
   */
  public RetryPolicy withJitter(double jitter) {
    return new RetryPolicy(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  /** @return total attempts including the first */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** @return delay before the second attempt, before jitter */
  public Duration initialDelay() {
    return initialDelay;
  }

  /** @return growth factor between consecutive delays */
  public double multiplier() {
    return multiplier;
  }

  /** @return the largest delay before jitter */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** @return the jitter fraction */
  public double jitter() {
    return jitter;
  }

  /**
   * Whether another attempt follows a failure.
   *
   * @param failedAttempts attempts made so far, all failed (at least 1)
   * @return true when fewer than {@link #maxAttempts()} attempts were made
   */
  public boolean shouldRetry(int failedAttempts) {
    return failedAttempts < maxAttempts;
  }

  /**
   * The delay before the next attempt.
   *
   * @param failedAttempts attempts made so far, all failed (at least 1)
   * @param random a number in [0, 1) choosing where in the jitter band the delay falls
   * @return the delay, never negative
   */
  public Duration delayAfter(int failedAttempts, double random) {
    double base = initialDelay.toMillis() * Math.pow(multiplier, Math.max(0, failedAttempts - 1));
    double capped = Math.min(base, maxDelay.toMillis());
    double spread = capped * jitter * (2 * random - 1);
    return Duration.ofMillis(Math.max(0L, Math.round(capped + spread)));
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof RetryPolicy)) {
      return false;
    }
    RetryPolicy r = (RetryPolicy) o;
    return maxAttempts == r.maxAttempts
        && multiplier == r.multiplier
        && jitter == r.jitter
        && initialDelay.equals(r.initialDelay)
        && maxDelay.equals(r.maxDelay);
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, initialDelay, multiplier, maxDelay, jitter);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", initialDelay=" + initialDelay
        + ", multiplier=" + multiplier + ", maxDelay=" + maxDelay + ", jitter=" + jitter + '}';
  }
}
