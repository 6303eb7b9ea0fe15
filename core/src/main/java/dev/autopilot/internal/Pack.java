package dev.autopilot.internal;

import dev.autopilot.spi.Task;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A group of tasks shipped as one unit, enabled or disabled as a whole ({@code
 * autopilot.pack.NAME.enabled}): its tables (migrations in {@code db/autopilot/<migrations()>/}),
 * its tasks, the services it offers and the extensions it hooks into start and shutdown.
 *
 * <p>Core's own maintenance pack is built in; every other pack is its own artifact and is found
 * through {@link java.util.ServiceLoader} ({@code META-INF/services/dev.autopilot.internal.Pack})
 * when its jar is on the class path. Internal: no compatibility promise for third parties.
 */
public interface Pack {

  /**
   * What a pack may read while it builds its tasks and services.
   *
   * @param services the host's services plus those of the packs before this one
   */
  record Context(Settings settings, String schema, DataSource dataSource, Map<Class<?>, Object> services) {}

  /** @return the pack name, also each of its tasks' {@link Task#pack()} */
  String name();

  /** @return the folder of its migrations under {@code db/autopilot/}, or null for none */
  default String migrations() {
    return name();
  }

  /** @return the pack's tasks */
  List<Task> tasks(Context context);

  /**
   * Adds the services this pack offers ({@code autopilot.service(type)}) where the host did not
   * register its own.
   *
   * @param services the services so far; add with {@code putIfAbsent}
   */
  default void services(Context context, Map<Class<?>, Object> services) {}

  /** @return the extensions this pack adds to start-up and shutdown */
  default List<Extension> extensions(Context context) {
    return List.of();
  }
}
