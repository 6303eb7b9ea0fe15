package dev.autopilot.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.autopilot.Autopilot;
import dev.autopilot.ConfigurationException;
import dev.autopilot.JobQuery;
import dev.autopilot.JobState;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskProvider;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The auto-configuration in a real Spring context on a real PostgreSQL (no web server). */
@ExtendWith(PostgresExtension.class)
class AutopilotAutoConfigurationTest {

  static final AtomicInteger TICKS = new AtomicInteger();

  @Configuration(proxyBeanMethods = false)
  static class Tasks {
    @Bean
    Task tick() {
      return Task.java("spring-tick", ctx -> TICKS.incrementAndGet()).cron("@every 1s").build();
    }

    @Bean
    Task nightly() {
      return Task.java("spring-nightly", ctx -> { }).cron("0 2 * * *").build();
    }

    @Bean
    TaskProvider provider() {
      return () -> List.of(Task.java("spring-provided", ctx -> { }).cron("@every 1s").build());
    }
  }

  static ApplicationContextRunner runner(TestDatabase db) {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, AutopilotAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + db.jdbcUrl(), "autopilot.built-in-tasks=false",
            "autopilot.discovery=false", "autopilot.polling-interval=200ms");
  }

  static long historyRows(DataSource ds, String task) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM autopilot.job_history WHERE task_name = '" + task
            + "' AND outcome = 'succeeded'")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Test
  void startsFromTheApplicationDataSourceAndRunsABeanTaskOnItsSchedule(TestDatabase db) {
    TICKS.set(0);
    runner(db).withUserConfiguration(Tasks.class).withPropertyValues("autopilot.instance-name=spring-a")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          Autopilot ap = ctx.getBean(Autopilot.class);
          assertThat(ap.alive()).isTrue();
          assertThat(ap.instanceName()).isEqualTo("spring-a");
          assertThat(ap.dataSource()).isSameAs(ctx.getBean(DataSource.class));
          await().atMost(Duration.ofSeconds(60)).until(() -> historyRows(ap.dataSource(), "spring-tick") >= 2);
          assertThat(TICKS.get()).isGreaterThanOrEqualTo(2);
          await().atMost(Duration.ofSeconds(60)).until(() -> historyRows(ap.dataSource(), "spring-provided") >= 1);
          assertThat(ap.monitor().task("spring-nightly").orElseThrow().schedule()).isEqualTo("0 2 * * *");
        });
    // the context closed: the scheduler stopped with it
    assertThat(TICKS.get()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void propertiesOverrideAScheduleAndPauseATask(TestDatabase db) {
    TICKS.set(0);
    runner(db).withUserConfiguration(Tasks.class)
        .withPropertyValues("autopilot.task.spring-nightly.schedule=@every 1s",
            "autopilot.task.spring-tick.enabled=false", "autopilot.instance-name=spring-b")
        .run(ctx -> {
          Autopilot ap = ctx.getBean(Autopilot.class);
          assertThat(ap.monitor().task("spring-nightly").orElseThrow().schedule()).isEqualTo("@every 1s");
          assertThat(ap.monitor().task("spring-tick").orElseThrow().enabled()).isFalse();
          long before = historyRows(ap.dataSource(), "spring-tick");
          await().atMost(Duration.ofSeconds(60)).until(() -> historyRows(ap.dataSource(), "spring-nightly") >= 2);
          assertThat(historyRows(ap.dataSource(), "spring-tick")).isEqualTo(before);
          assertThat(ap.monitor().jobs(JobQuery.all().task("spring-tick").states(JobState.SCHEDULED))).isEmpty();
        });
  }

  @Test
  void anEnvironmentVariableOverridesApplicationPropertiesAsInSpring(TestDatabase db) {
    runner(db).withUserConfiguration(Tasks.class)
        .withPropertyValues("autopilot.task.spring-nightly.enabled=true", "autopilot.instance-name=spring-env",
            "autopilot.bootstrap.wave-window=5s")
        .withInitializer(ctx -> ctx.getEnvironment().getPropertySources().addFirst(
            new org.springframework.core.env.SystemEnvironmentPropertySource("test-env",
                Map.of("AUTOPILOT_TASK_SPRING_NIGHTLY_ENABLED", "false"))))
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          Autopilot ap = ctx.getBean(Autopilot.class);
          assertThat(ap.monitor().task("spring-nightly").orElseThrow().enabled()).isFalse();
          assertThat(ap.monitor().task("spring-tick").orElseThrow().enabled()).isTrue();
        });
  }

  @Test
  void aUserDefinedAutopilotMakesTheAutoConfigurationBackOff(TestDatabase db) {
    runner(db).withUserConfiguration(Tasks.class)
        .withBean("mine", Autopilot.class, () -> Autopilot.builder(db.dataSource()).instanceName("mine")
            .builtInTasks(false).discoverProviders(false).environment(Map.of()).build())
        .run(ctx -> {
          assertThat(ctx).hasSingleBean(Autopilot.class);
          assertThat(ctx.getBean(Autopilot.class).instanceName()).isEqualTo("mine");
          assertThat(ctx).doesNotHaveBean(AutopilotLifecycle.class);
          assertThat(ctx.getBean(Autopilot.class).alive()).as("the application starts its own").isFalse();
          assertThat(ctx.getBean(Autopilot.class).monitor().task("spring-tick")).as("bean tasks not added").isEmpty();
        });
  }

  @Test
  void closingTheContextWaitsForARunningExecutionAndRecordsIt(TestDatabase db) throws Exception {
    java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
    Task slow = Task.java("spring-slow", ctx -> {
      entered.countDown();
      Thread.sleep(1500);
      finished.set(true);
    }).build();
    runner(db).withBean("slow", Task.class, () -> slow).withPropertyValues("autopilot.instance-name=spring-stop")
        .run(ctx -> {
          Autopilot ap = ctx.getBean(Autopilot.class);
          ap.trigger("spring-slow");
          assertThat(entered.await(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
          assertThat(finished.get()).isFalse();
        }); // the context closes here, while the task sleeps
    assertThat(finished.get()).as("the running execution was allowed to finish").isTrue();
    assertThat(historyRows(db.dataSource(), "spring-slow")).as("and its success was recorded").isEqualTo(1);
  }

  @Test
  void autopilotEnabledFalseSwitchesTheStarterOff(TestDatabase db) {
    runner(db).withUserConfiguration(Tasks.class).withPropertyValues("autopilot.enabled=false")
        .run(ctx -> {
          assertThat(ctx).hasNotFailed();
          assertThat(ctx).doesNotHaveBean(Autopilot.class);
          assertThat(ctx).doesNotHaveBean(AutopilotLifecycle.class);
        });
  }

  @Test
  void aBadValueFailsTheStartNamingTheSetting(TestDatabase db) {
    runner(db).withPropertyValues("autopilot.task.spring-x.schedule=every tuesday").run(ctx -> {
      assertThat(ctx).hasFailed();
      assertThat(ctx.getStartupFailure()).rootCause().isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("autopilot.task.spring-x.schedule").hasMessageContaining("every tuesday");
    });
  }
}
