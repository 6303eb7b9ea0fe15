package dev.autopilot.internal.bootstrap;

import dev.autopilot.BootstrapStatus;
import dev.autopilot.BootstrapStatus.Step;
import dev.autopilot.BootstrapStatus.StepState;
import dev.autopilot.internal.Extension;
import dev.autopilot.internal.Runtime;
import dev.autopilot.internal.TaskCatalog;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the start-up tasks once per start wave, cluster-wide, in priority order.
 *
 * <p>Every instance of a wave drives it with the same compare-and-set steps, so the wave goes on
 * when the instance that opened it stops: a pending step whose predecessors all finished is
 * moved to {@code running} and its db-scheduler one-time execution ({@code bootstrap-w<wave>})
 * is inserted in the same transaction; the step's outcome is read back from db-scheduler's table
 * (still there: running or retrying) and from job history (gone: succeeded, skipped, failed).
 * Start-up work therefore runs on whichever instance db-scheduler gives it to, with the task's
 * retry policy, and appears in job history like any execution. {@code start()} never waits.
 */
public final class Bootstrap implements Extension {

  public static final String ENABLED = "autopilot.bootstrap.enabled";
  public static final String WAVE_WINDOW = "autopilot.bootstrap.wave-window";
  /** How long a finished execution may lack its history row before the step counts as failed. */
  static final Duration MISSING_OUTCOME_GRACE = Duration.ofSeconds(60);

  private static final Logger log = LoggerFactory.getLogger(Bootstrap.class);

  private final Runtime rt;
  private final BootstrapStore store;
  private final Map<String, Long> missingSince = new HashMap<>();
  private ScheduledExecutorService driver;
  private volatile long waveId;

  public Bootstrap(Runtime rt) {
    this.rt = rt;
    this.store = new BootstrapStore(rt.jdbc(), rt.schema());
  }

  @Override
  public void afterStart(Runtime rt) {
    if (!rt.settings().getBoolean(ENABLED, true)) {
      log.info("{}bootstrap disabled ({}=false)", rt.logPrefix(), ENABLED);
      return;
    }
    List<BootstrapStore.Planned> steps = rt.catalog().entries().stream()
        .filter(TaskCatalog.Entry::enabled)
        .filter(e -> e.task().trigger().startupPriority().isPresent())
        .sorted(Comparator.comparingInt((TaskCatalog.Entry e) -> -e.task().trigger().startupPriority().getAsInt())
            .thenComparing(TaskCatalog.Entry::name))
        .map(e -> new BootstrapStore.Planned(e.name(), e.task().trigger().startupPriority().getAsInt()))
        .collect(Collectors.toList());
    if (steps.isEmpty()) {
      return;
    }
    Duration window = rt.settings().getDuration(WAVE_WINDOW, Duration.ofSeconds(60), Duration.ZERO);
    long[] w = store.openOrJoin(rt.instanceName(), window, steps);
    waveId = w[0];
    if (w[1] == 1) {
      log.info("{}bootstrap wave {} opened: {}", rt.logPrefix(), waveId,
          steps.stream().map(s -> s.task() + "(" + s.priority() + ")").collect(Collectors.joining(" -> ")));
    } else {
      log.info("{}joined bootstrap wave {} (opened by another start within {} or still in progress)",
          rt.logPrefix(), waveId, window);
    }
    long period = Math.max(50, Math.min(1000, rt.settings()
        .getDuration("autopilot.polling-interval", Duration.ofSeconds(1), Duration.ofMillis(10)).toMillis()));
    driver = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "autopilot-bootstrap-" + rt.instanceName());
      t.setDaemon(true);
      return t;
    });
    driver.scheduleWithFixedDelay(this::tickSafely, 0, period, TimeUnit.MILLISECONDS);
  }

  /** @return the wave this instance opened or joined, 0 when none */
  public long waveId() {
    return waveId;
  }

  /** @return the wave this instance opened or joined */
  public BootstrapStatus status() {
    return waveId == 0 ? BootstrapStatus.none() : store.wave(waveId);
  }

  /** Waits until this instance's wave finished or the timeout passed, and returns its state. */
  public BootstrapStatus await(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      BootstrapStatus s = status();
      if (s.finished() || System.nanoTime() >= deadline) {
        return s;
      }
      Thread.sleep(Math.min(100, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * A step's execution just finished on this instance: once its history row is written, go on
   * with the next step at once instead of at the next tick.
   */
  public void wake() {
    ScheduledExecutorService d = driver;
    if (d == null || d.isShutdown()) {
      return;
    }
    try {
      d.execute(() -> {
        rt.flushHistory(Duration.ofSeconds(5));
        tickSafely();
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the wave finished meanwhile
    }
  }

  private void tickSafely() {
    if (rt.isClosing()) {
      return;
    }
    try {
      if (tick()) {
        driver.shutdown();
      }
    } catch (RuntimeException e) {
      log.warn("{}bootstrap wave {}: {} (will retry)", rt.logPrefix(), waveId, e.toString());
    }
  }

  /** One pass over the wave; @return true when the wave is finished. */
  boolean tick() {
    BootstrapStatus wave = store.wave(waveId);
    Step failed = null;
    for (Step s : wave.steps()) {
      if (s.state().isFinished()) {
        if (s.state() == StepState.FAILED || s.blocked()) {
          failed = failed == null ? s : failed;
        }
        continue;
      }
      if (failed != null) {
        String why = "not run: earlier start-up step " + failed.task()
            + (failed.blocked() ? " was not run" : " failed: " + failed.message());
        if (store.transition(waveId, s.task(), List.of("pending"), "skipped", 0, why, true)) {
          log.warn("{}bootstrap: {} {}", rt.logPrefix(), s.task(), why);
        }
        continue;
      }
      if (s.state() == StepState.PENDING) {
        if (rt.catalog().find(s.task()).isEmpty()) {
          // opened by an instance with another catalog: this one cannot run it, another will
          return false;
        }
        String exec = "bootstrap-w" + waveId;
        if (store.start(waveId, s.task(), exec)) {
          log.info("{}bootstrap wave {}: starting {} (priority {})", rt.logPrefix(), waveId, s.task(), s.priority());
          if (rt.scheduler() != null) {
            rt.scheduler().triggerCheckForDueExecutions();
          }
          rt.notifyDue(); // another instance may be the one free to run it
        }
        return false;
      }
      if (!observe(s, "bootstrap-w" + waveId)) {
        return false;
      }
      return tick(); // it just finished: go on with the next step at once
    }
    if (!wave.steps().isEmpty() && wave.finishedAt() == null) {
      boolean ok = failed == null;
      store.finish(waveId, ok);
      log.info("{}bootstrap wave {} finished: {}", rt.logPrefix(), waveId, ok ? "succeeded" : "failed");
    }
    return true;
  }

  /** Reads a running step's execution; @return true when it has just finished. */
  private boolean observe(Step s, String exec) {
    List<String> live = List.of("running", "retrying");
    Optional<BootstrapStore.Live> row = store.live(s.task(), exec);
    if (row.isPresent()) {
      missingSince.remove(s.task());
      int failures = row.get().consecutiveFailures();
      if (failures > 0) {
        String last = store.lastOutcome(s.task(), exec).map(BootstrapStore.Outcome::message).orElse(null);
        store.transition(waveId, s.task(), live, "retrying", failures + 1, last, false);
      }
      return false;
    }
    Optional<BootstrapStore.Outcome> o = store.lastOutcome(s.task(), exec)
        .filter(x -> x.outcome().equals("succeeded") || x.outcome().equals("skipped") || x.outcome().equals("failed"));
    if (o.isPresent()) {
      missingSince.remove(s.task());
      String msg = o.get().message().isEmpty() ? null : o.get().message();
      if (store.transition(waveId, s.task(), live, o.get().outcome(), o.get().attempt(), msg, false)) {
        log.info("{}bootstrap wave {}: {} {} after {} attempt(s){}", rt.logPrefix(), waveId, s.task(),
            o.get().outcome(), o.get().attempt(), msg == null ? "" : ": " + msg);
      }
      return true;
    }
    // gone from db-scheduler but no history yet: history is written in batches, give it time
    long now = System.nanoTime();
    long since = missingSince.computeIfAbsent(s.task(), k -> now);
    if (now - since > MISSING_OUTCOME_GRACE.toNanos()) {
      store.transition(waveId, s.task(), live, "failed", s.attempts(),
          "execution finished without a recorded outcome (its instance stopped before writing history?)", false);
      return true;
    }
    return false;
  }

  @Override
  public void close() {
    if (driver != null) {
      driver.shutdownNow();
    }
  }
}
