package dev.autopilot.internal;

import dev.autopilot.internal.sqltasks.MaintenancePack;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Core's built-in pack plus every pack found on the class path. */
public final class Packs {
  private static final Logger log = LoggerFactory.getLogger(Packs.class);

  private Packs() {}

  /**
   * @param loader where to look for pack jars
   * @param logPrefix the instance's log prefix ({@code "[name] "})
   * @return core's maintenance pack, then the discovered packs sorted by name; a pack that fails
   *     to load is logged and skipped, a second pack of the same name too
   */
  public static List<Pack> discover(ClassLoader loader, String logPrefix) {
    List<Pack> found = new ArrayList<>();
    Iterator<Pack> it = ServiceLoader.load(Pack.class, loader).iterator();
    while (true) {
      Pack p;
      try {
        if (!it.hasNext()) {
          break;
        }
        p = it.next();
      } catch (ServiceConfigurationError e) {
        log.error("{}a pack could not be loaded and is skipped: {}", logPrefix, e.getMessage());
        continue;
      }
      if (p.name().equals(MaintenancePack.NAME) || found.stream().anyMatch(f -> f.name().equals(p.name()))) {
        log.warn("{}a second pack named '{}' ({}) is skipped", logPrefix, p.name(), p.getClass().getName());
        continue;
      }
      found.add(p);
    }
    found.sort((a, b) -> a.name().compareTo(b.name()));
    List<Pack> all = new ArrayList<>();
    all.add(new MaintenancePack());
    all.addAll(found);
    return all;
  }

  /** @return the migration modules of these packs: core first, each once */
  public static List<String> migrationModules(List<Pack> packs) {
    List<String> modules = new ArrayList<>();
    modules.add(Migrator.CORE);
    for (Pack p : packs) {
      String m = p.migrations();
      if (m != null && !modules.contains(m)) {
        modules.add(m);
      }
    }
    return modules;
  }
}
