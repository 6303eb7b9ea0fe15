package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskProvider;
import java.time.ZoneId;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * Builds an {@link Autopilot} from the application's {@link DataSource}, the {@code autopilot.*}
 * properties, every {@link Task} and {@link TaskProvider} bean and every {@link
 * AutopilotBuilderCustomizer}, and starts it with the context ({@link AutopilotLifecycle}).
 * Backs off when the application defines its own {@code Autopilot} bean (which it then starts
 * itself), and is switched off with {@code autopilot.enabled=false}.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass(Autopilot.class)
@ConditionalOnProperty(prefix = "autopilot", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AutopilotProperties.class)
public class AutopilotAutoConfiguration {

  /** Keys of the starter itself, not passed to Autopilot's builder. */
  private static final Set<String> STARTER_PREFIXES = Set.of("autopilot.enabled", "autopilot.metrics.", "autopilot.dashboard.");

  /** Creates the auto-configuration; Spring calls this. */
  public AutopilotAutoConfiguration() {}

  /**
   * The Autopilot and its lifecycle, unless the application defines its own Autopilot; on the
   * application's only (or {@code @Primary}) DataSource.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnSingleCandidate(DataSource.class)
  @ConditionalOnMissingBean(Autopilot.class)
  static class AutopilotConfiguration {

    @Bean(destroyMethod = "close")
    Autopilot autopilot(DataSource dataSource, AutopilotProperties properties, ConfigurableEnvironment environment,
        ObjectProvider<Task> tasks, ObjectProvider<TaskProvider> providers,
        ObjectProvider<AutopilotBuilderCustomizer> customizers) {
      Autopilot.Builder b = Autopilot.builder(dataSource);
      for (String key : autopilotKeys(environment)) {
        String value = environment.getProperty(key);
        if (value != null) {
          b.property(key, value);
        }
      }
      properties.getTask().forEach((name, t) -> {
        if (t.getSchedule() != null) {
          b.schedule(name, t.getSchedule());
        }
        if (t.getEnabled() != null) {
          b.enabled(name, t.getEnabled());
        }
      });
      properties.getPack().forEach((name, p) -> {
        if (p.getEnabled() != null) {
          b.property("autopilot.pack." + name + ".enabled", p.getEnabled().toString());
        }
      });
      if (properties.getThreads() != null) {
        b.threads(properties.getThreads());
      }
      if (properties.getPollingInterval() != null) {
        b.pollingInterval(properties.getPollingInterval());
      }
      if (properties.getSchema() != null) {
        b.schema(properties.getSchema());
      }
      if (properties.getInstanceName() != null) {
        b.instanceName(properties.getInstanceName());
      }
      if (properties.getZone() != null) {
        b.zone(zone(properties.getZone()));
      }
      if (properties.getDiscovery() != null) {
        b.discoverProviders(properties.getDiscovery());
      }
      if (properties.getBuiltInTasks() != null) {
        b.builtInTasks(properties.getBuiltInTasks());
      }
      if (properties.getPgCron() != null) {
        b.property("autopilot.pg-cron", properties.getPgCron());
      }
      tasks.orderedStream().forEach(b::task);
      providers.orderedStream().forEach(b::taskProvider);
      customizers.orderedStream().forEach(c -> c.customize(b));
      return b.build();
    }

    @Bean
    AutopilotLifecycle autopilotLifecycle(Autopilot autopilot) {
      return new AutopilotLifecycle(autopilot);
    }

    private static ZoneId zone(String zone) {
      try {
        return ZoneId.of(zone);
      } catch (RuntimeException e) {
        throw new dev.autopilot.ConfigurationException("autopilot.zone", zone, "not a zone id (" + e.getMessage() + ")");
      }
    }

    /** Every {@code autopilot.*} key any enumerable property source of the environment has. */
    static Set<String> autopilotKeys(ConfigurableEnvironment environment) {
      Set<String> keys = new TreeSet<>();
      for (PropertySource<?> source : environment.getPropertySources()) {
        if (source instanceof EnumerablePropertySource<?> e) {
          for (String name : e.getPropertyNames()) {
            if (name.startsWith("autopilot.") && !name.contains("[")
                && STARTER_PREFIXES.stream().noneMatch(name::startsWith)) {
              keys.add(name);
            }
          }
        }
      }
      return keys;
    }
  }
}
