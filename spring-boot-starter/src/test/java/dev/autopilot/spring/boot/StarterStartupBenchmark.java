package dev.autopilot.spring.boot;

import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up time the starter adds to an empty Spring Boot application (DataSource only, no web
 * server) on a migrated database: starter switched off ({@code autopilot.enabled=false}) vs on
 * with no built-in tasks vs on with core's built-in (maintenance) tasks; interleaved rounds, from
 * {@code run()} to a started context (Autopilot started by its lifecycle). Run:
 * ./mvnw -B -pl spring-boot-starter -am verify -Dgroups=benchmark -DexcludedGroups=none
 *   -Dtest=StarterStartupBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 */
@Tag("benchmark")
@ExtendWith(PostgresExtension.class)
class StarterStartupBenchmark {

  static final int ROUNDS = Integer.getInteger("bench.rounds", 5);

  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class EmptyApp {}

  static long startMs(TestDatabase db, String... props) {
    long t0 = System.nanoTime();
    try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(EmptyApp.class)
        .web(WebApplicationType.NONE).logStartupInfo(false)
        .run(concat(new String[] {"--spring.datasource.url=" + db.jdbcUrl(), "--spring.main.banner-mode=off",
            "--autopilot.discovery=false"}, props))) {
      return (System.nanoTime() - t0) / 1_000_000;
    }
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = new String[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void measure(TestDatabase db) {
    Map<String, String[]> variants = new LinkedHashMap<>();
    variants.put("starter off (autopilot.enabled=false)", new String[] {"--autopilot.enabled=false"});
    variants.put("starter on, no built-in tasks", new String[] {"--autopilot.built-in-tasks=false"});
    variants.put("starter on, core built-in (maintenance) tasks", new String[] {});
    Map<String, List<Long>> times = new LinkedHashMap<>();
    variants.keySet().forEach(k -> times.put(k, new ArrayList<>()));
    List<String> names = new ArrayList<>(variants.keySet());
    for (int r = -1; r < ROUNDS; r++) { // round -1 migrates and warms up, not counted
      for (int i = 0; i < names.size(); i++) {
        String name = names.get((i + r + names.size()) % names.size());
        long ms = startMs(db, variants.get(name));
        if (r >= 0) {
          times.get(name).add(ms);
        }
      }
    }
    long base = median(times.get(names.get(0)));
    times.forEach((name, list) -> System.out.printf("BENCH %s: median %d ms (all %s), added %+d ms%n",
        name, median(list), list, median(list) - base));
  }

  static long median(List<Long> v) {
    List<Long> s = new ArrayList<>(v);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }
}
