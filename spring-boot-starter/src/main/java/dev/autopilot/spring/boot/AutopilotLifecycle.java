package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the auto-configured {@link Autopilot} once every bean of the context exists and closes
 * it when the context stops, waiting for running executions (up to 30 s). Its phase is below the
 * web server's ({@code DEFAULT_PHASE - 2048} in Spring Boot 3.5): it starts before the server
 * accepts requests and stops after the server has stopped, so requests in flight can still
 * trigger tasks.
 */
public class AutopilotLifecycle implements SmartLifecycle {

  /** The phase: {@code SmartLifecycle.DEFAULT_PHASE - 4096}, below the web server's. */
  public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

  private final Autopilot autopilot;
  private volatile boolean running;

  /**
   * @param autopilot the Autopilot to start and stop
   */
  public AutopilotLifecycle(Autopilot autopilot) {
    this.autopilot = autopilot;
  }

  /** Migrates the schema and starts the engines. */
  @Override
  public void start() {
    autopilot.start();
    running = true;
  }

  /** Stops the scheduler, waiting for running executions. */
  @Override
  public void stop() {
    running = false;
    autopilot.close();
  }

  /** @return true between {@link #start()} and {@link #stop()} */
  @Override
  public boolean isRunning() {
    return running;
  }

  /** @return {@link #PHASE} */
  @Override
  public int getPhase() {
    return PHASE;
  }
}
