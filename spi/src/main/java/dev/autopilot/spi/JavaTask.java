package dev.autopilot.spi;

/**
 * The body of a Java task: application logic run by db-scheduler in the host JVM.
 *
 * <p>Implementations must be idempotent: Autopilot guarantees that one execution runs on one
 * instance only, but a retried or re-triggered execution runs the body again.
 */
@FunctionalInterface
public interface JavaTask {

  /**
   * Runs the task once.
   *
   * @param context what the task may use while it runs: JDBC access, clock, configuration,
   *     state store, progress reporting and cancellation
   * @throws Exception any failure; the execution is then retried according to the task's
   *     {@link RetryPolicy} and recorded in job history with the exception's class and message
   */
  void run(TaskContext context) throws Exception;
}
