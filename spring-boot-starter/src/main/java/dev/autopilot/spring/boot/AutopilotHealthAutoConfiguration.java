package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Registers {@link AutopilotHealthIndicator} as the health contributor {@code autopilot} when
 * Actuator is present (switch off with {@code management.health.autopilot.enabled=false}). It
 * reports on whichever {@link Autopilot} bean exists, the auto-configured one or the
 * application's own.
 */
@AutoConfiguration(after = AutopilotAutoConfiguration.class)
@ConditionalOnClass(HealthIndicator.class)
@ConditionalOnBean(Autopilot.class)
@ConditionalOnEnabledHealthIndicator("autopilot")
public class AutopilotHealthAutoConfiguration {

  /** Creates the auto-configuration; Spring calls this. */
  public AutopilotHealthAutoConfiguration() {}

  /**
   * @param autopilot the application's Autopilot
   * @return the health indicator named {@code autopilot}
   */
  @Bean(name = "autopilotHealthIndicator")
  @ConditionalOnMissingBean(name = "autopilotHealthIndicator")
  public AutopilotHealthIndicator autopilotHealthIndicator(Autopilot autopilot) {
    return new AutopilotHealthIndicator(autopilot);
  }
}
