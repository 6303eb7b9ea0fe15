package dev.autopilot.bench;

import dev.autopilot.Autopilot;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Start-to-ready of core alone against core with every pack, each on its own already migrated
 * schema, rounds interleaved. Core alone is the same class path with the packs' ServiceLoader
 * files hidden, exactly what a host without the pack jars sees.
 *
 * <p>{@code ./mvnw -B -o verify -pl all -am -Dgroups=benchmark -DexcludedGroups=none
 * -Dtest=StartupBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.rounds=7}
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class StartupBenchmark {

  /** Hides the packs from ServiceLoader. */
  static final class CoreOnly extends ClassLoader {
    CoreOnly(ClassLoader parent) {
      super(parent);
    }

    @Override
    public Enumeration<URL> getResources(String name) throws IOException {
      return name.equals("META-INF/services/dev.autopilot.internal.Pack") ? Collections.emptyEnumeration()
          : super.getResources(name);
    }
  }

  static long startMillis(TestDatabase db, String schema, ClassLoader loader) {
    Autopilot ap = Autopilot.builder(db.dataSource()).schema(schema).environment(Map.of()).classLoader(loader)
        .property("autopilot.bootstrap.enabled", "false").build();
    long t0 = System.nanoTime();
    ap.start();
    long ms = (System.nanoTime() - t0) / 1_000_000;
    ap.close();
    return ms;
  }

  @Test
  void startToReadyCoreAloneVersusAllPacks(TestDatabase db) {
    int rounds = Integer.getInteger("bench.rounds", 7);
    ClassLoader all = getClass().getClassLoader();
    ClassLoader core = new CoreOnly(all);
    startMillis(db, "bench_core", core); // migrate, warm up
    startMillis(db, "bench_all", all);
    List<Long> coreMs = new ArrayList<>();
    List<Long> allMs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      coreMs.add(startMillis(db, "bench_core", core));
      allMs.add(startMillis(db, "bench_all", all));
    }
    Collections.sort(coreMs);
    Collections.sort(allMs);
    System.out.printf("BENCH start-to-ready (migrated schema, %d rounds interleaved): core alone median %d ms"
        + " (min %d), all packs median %d ms (min %d), ratio %.2f%n", rounds, coreMs.get(rounds / 2), coreMs.get(0),
        allMs.get(rounds / 2), allMs.get(0), allMs.get(rounds / 2) / (double) Math.max(1, coreMs.get(rounds / 2)));
  }
}
