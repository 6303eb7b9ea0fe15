package dev.autopilot.internal;

import dev.autopilot.spi.Task;
import java.util.List;
import java.util.Map;

/** A built-in group of tasks, enabled or disabled as a whole ({@code autopilot.pack.NAME.enabled}). */
public interface Pack {

  /** What a pack may read while it builds its tasks. */
  record Context(Settings settings, String schema, Map<Class<?>, Object> services) {}

  /** @return the pack name, also each of its tasks' {@link Task#pack()} */
  String name();

  /** @return the pack's tasks */
  List<Task> tasks(Context context);
}
