package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;
import dev.autopilot.micrometer.AutopilotMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Binds {@link AutopilotMetrics} (module {@code autopilot-micrometer}) to the application's
 * {@link MeterRegistry} when both are present; Spring Boot binds the {@code MeterBinder} bean to
 * the registry. Switch off with {@code autopilot.metrics.enabled=false}.
 */
@AutoConfiguration(after = AutopilotAutoConfiguration.class, afterName = {
    "org.springframework.boot.actuate.autoconfigure.metrics.MetricsAutoConfiguration",
    "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration"})
@ConditionalOnClass({MeterRegistry.class, AutopilotMetrics.class})
@ConditionalOnBean({Autopilot.class, MeterRegistry.class})
@ConditionalOnProperty(prefix = "autopilot.metrics", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(AutopilotProperties.class)
public class AutopilotMetricsAutoConfiguration {

  /** Creates the auto-configuration; Spring calls this. */
  public AutopilotMetricsAutoConfiguration() {}

  /**
   * @param autopilot the application's Autopilot
   * @param properties {@code autopilot.metrics.*}
   * @return the binder, closed with the context
   */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  public AutopilotMetrics autopilotMetrics(Autopilot autopilot, AutopilotProperties properties) {
    return AutopilotMetrics.builder(autopilot).interval(properties.getMetrics().getInterval())
        .gaugeCache(properties.getMetrics().getGaugeCache()).build();
  }
}
