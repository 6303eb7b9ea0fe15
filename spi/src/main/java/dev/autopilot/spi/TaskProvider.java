package dev.autopilot.spi;

import java.util.List;

/**
 * Contributes tasks to Autopilot. Implementations are discovered with {@link
 * java.util.ServiceLoader} (list the class in {@code
 * META-INF/services/dev.autopilot.spi.TaskProvider}) unless discovery is switched off; each
 * provider found is named in the start-up log. A provider that fails to load is logged and
 * skipped, it does not stop the start.
 *
 * <p>Implementations need a public no-argument constructor.
 */
public interface TaskProvider {

  /** @return the tasks this provider contributes; names must be unique across all providers */
  List<Task> tasks();

  /** @return a name for logs, by default the class name */
  default String name() {
    return getClass().getName();
  }
}
