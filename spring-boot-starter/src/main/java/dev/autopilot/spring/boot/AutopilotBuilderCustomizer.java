package dev.autopilot.spring.boot;

import dev.autopilot.Autopilot;

/**
 * Changes the {@link Autopilot.Builder} the auto-configuration made, after properties, Task and
 * TaskProvider beans were applied and before {@code build()}. Declare one or more as beans (they
 * run in {@link org.springframework.core.annotation.Order} order).
 */
@FunctionalInterface
public interface AutopilotBuilderCustomizer {

  /**
   * @param builder the builder to change
   */
  void customize(Autopilot.Builder builder);
}
