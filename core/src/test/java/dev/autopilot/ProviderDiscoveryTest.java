package dev.autopilot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.autopilot.fixtures.BrokenProvider;
import dev.autopilot.fixtures.GreetingProvider;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.testing.PostgresExtension;
import dev.autopilot.testing.TestDatabase;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** A TaskProvider in a jar on the class path is discovered, and its task runs. */
@ExtendWith(PostgresExtension.class)
class ProviderDiscoveryTest {

  /** Builds a jar holding the provider classes and a ServiceLoader file naming them. */
  static Path providerJar(Path dir) throws Exception {
    Path jar = dir.resolve("greeting-tasks.jar");
    try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out)) {
      for (Class<?> c : new Class<?>[] {GreetingProvider.class, BrokenProvider.class}) {
        String res = c.getName().replace('.', '/') + ".class";
        j.putNextEntry(new JarEntry(res));
        try (InputStream in = c.getClassLoader().getResourceAsStream(res)) {
          in.transferTo(j);
        }
      }
      j.putNextEntry(new JarEntry("META-INF/services/dev.autopilot.spi.TaskProvider"));
      j.write((BrokenProvider.class.getName() + "\n" + GreetingProvider.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }

  /** Loads the fixture classes from the jar only, never from the test class path. */
  static ClassLoader jarFirst(Path jar) throws Exception {
    ClassLoader parent = ProviderDiscoveryTest.class.getClassLoader();
    return new URLClassLoader(new URL[] {jar.toUri().toURL()}, parent) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("dev.autopilot.fixtures.")) {
          synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
              c = findClass(name);
            }
            return c;
          }
        }
        return super.loadClass(name, resolve);
      }

      @Override
      public java.util.Enumeration<URL> getResources(String name) throws java.io.IOException {
        if (name.startsWith("META-INF/services/")) {
          return findResources(name);
        }
        return super.getResources(name);
      }
    };
  }

  @Test
  void providerInAJarIsDiscoveredAndItsTaskRuns(TestDatabase db, @TempDir Path dir) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE public.greetings(text text)");
    }
    ClassLoader loader = jarFirst(providerJar(dir));
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("discovery").environment(Map.of()).builtInTasks(false).builtInTasks(false)
        .classLoader(loader).pollingInterval(Duration.ofMillis(100)).build().start()) {
      TaskStatus st = ap.monitor().task("greeting").orElseThrow();
      assertEquals("says hello", st.description());
      Jdbc jdbc = new Jdbc(db.dataSource());
      Await.until(Duration.ofSeconds(30), "the provider's task to run", () ->
          jdbc.queryOne("SELECT count(*) FROM public.greetings", ps -> {}, rs -> rs.getInt(1)).orElseThrow() >= 2);
    }
  }

  @Test
  void discoveryCanBeSwitchedOff(TestDatabase db, @TempDir Path dir) throws Exception {
    ClassLoader loader = jarFirst(providerJar(dir));
    try (Autopilot ap = Autopilot.builder(db.dataSource()).schema("nodiscovery").environment(Map.of()).builtInTasks(false).builtInTasks(false)
        .classLoader(loader).discoverProviders(false).build().start()) {
      assertTrue(ap.monitor().task("greeting").isEmpty());
    }
  }
}
