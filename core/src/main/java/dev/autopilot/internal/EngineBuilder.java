package dev.autopilot.internal;

import com.github.kagkarlsson.scheduler.ExecutorUtils;
import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.SchedulerState;
import com.github.kagkarlsson.scheduler.TaskResolver;
import com.github.kagkarlsson.scheduler.Waiter;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.event.SchedulerListeners;
import com.github.kagkarlsson.scheduler.jdbc.AutodetectJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.JdbcTaskRepository;
import com.github.kagkarlsson.scheduler.task.Task;
import com.github.kagkarlsson.scheduler.task.TaskInstanceId;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;

/**
 * db-scheduler's {@link SchedulerBuilder}, building the same scheduler with one difference: the
 * scheduler's task repository is {@link OneStatementPick}. {@link #build()} follows
 * db-scheduler 16.12's own; the parts Autopilot never sets (a stats registry, a shutdown hook)
 * are refused rather than copied. The immediate-execution listener is db-scheduler's, rewritten
 * here because its class is not public.
 */
final class EngineBuilder extends SchedulerBuilder {

  EngineBuilder(DataSource dataSource, List<Task<?>> knownTasks) {
    super(dataSource, knownTasks);
  }

  @Override
  public Scheduler build() {
    if (registerShutdownHook || statsRegistry != com.github.kagkarlsson.scheduler.stats.StatsRegistry.NOOP) {
      throw new IllegalStateException("EngineBuilder builds without a shutdown hook or stats registry");
    }
    if (schedulerName == null) {
      schedulerName = new SchedulerName.Hostname();
    }
    TaskResolver resolver = new TaskResolver(new SchedulerListeners(schedulerListeners), clock, knownTasks);
    JdbcCustomization customization = jdbcCustomization != null ? jdbcCustomization
        : new AutodetectJdbcCustomization(dataSource, alwaysPersistTimestampInUTC);
    JdbcTaskRepository schedulerRepository = new OneStatementPick(dataSource, customization, tableName, resolver,
        schedulerName, serializer, enablePriority, clock);
    JdbcTaskRepository clientRepository = new JdbcTaskRepository(dataSource, commitWhenAutocommitDisabled,
        customization, tableName, resolver, schedulerName, serializer, enablePriority, clock);
    ExecutorService executors = executorService != null ? executorService
        : Executors.newFixedThreadPool(executorThreads,
            ExecutorUtils.defaultThreadFactoryWithPrefix(Scheduler.THREAD_PREFIX + "-"));
    if (dueExecutor == null || housekeeperExecutor == null) {
      throw new IllegalStateException("EngineBuilder needs the due and housekeeping executors");
    }
    Waiter waiter = buildWaiter();
    Scheduler scheduler = new Engine(clock, schedulerRepository, clientRepository, resolver, executorThreads, executors,
        schedulerName, waiter, heartbeatInterval, numberOfMissedHeartbeatsBeforeDead, schedulerListeners,
        executionInterceptors, pollingStrategyConfig, deleteUnresolvedAfter, shutdownMaxWait, logLevel, logStackTrace,
        startTasks, dueExecutor, housekeeperExecutor);
    if (enableImmediateExecution) {
      scheduler.registerSchedulerListener(new CheckNowWhenDue(scheduler, clock));
    }
    return scheduler;
  }

  /** Reaches db-scheduler's protected constructor. */
  private static final class Engine extends Scheduler {
    Engine(com.github.kagkarlsson.scheduler.Clock clock, JdbcTaskRepository schedulerRepository,
        JdbcTaskRepository clientRepository, TaskResolver resolver, int threads, ExecutorService executors,
        SchedulerName name, Waiter waiter, java.time.Duration heartbeatInterval, int missedHeartbeats,
        List<com.github.kagkarlsson.scheduler.event.SchedulerListener> listeners,
        List<com.github.kagkarlsson.scheduler.event.ExecutionInterceptor> interceptors,
        com.github.kagkarlsson.scheduler.PollingStrategyConfig polling, java.time.Duration deleteUnresolvedAfter,
        java.time.Duration shutdownMaxWait, com.github.kagkarlsson.scheduler.logging.LogLevel logLevel,
        boolean logStackTrace, List<com.github.kagkarlsson.scheduler.task.OnStartup> onStartup,
        ExecutorService dueExecutor, java.util.concurrent.ScheduledExecutorService housekeeper) {
      super(clock, schedulerRepository, clientRepository, resolver, threads, executors, name, waiter,
          heartbeatInterval, missedHeartbeats, listeners, interceptors, polling, deleteUnresolvedAfter,
          shutdownMaxWait, logLevel, logStackTrace, onStartup, dueExecutor, housekeeper);
    }
  }

  /** An execution scheduled to run now makes the scheduler look for due work (db-scheduler's "immediate execution"). */
  private static final class CheckNowWhenDue extends AbstractSchedulerListener {
    private final Scheduler scheduler;
    private final com.github.kagkarlsson.scheduler.Clock clock;

    CheckNowWhenDue(Scheduler scheduler, com.github.kagkarlsson.scheduler.Clock clock) {
      this.scheduler = scheduler;
      this.clock = clock;
    }

    @Override
    public void onExecutionScheduled(TaskInstanceId id, Instant at) {
      SchedulerState state = scheduler.getSchedulerState();
      if (state.isStarted() && !state.isShuttingDown() && at.toEpochMilli() <= clock.now().toEpochMilli()) {
        scheduler.triggerCheckForDueExecutions();
      }
    }
  }
}
