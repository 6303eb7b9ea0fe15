package dev.autopilot.testing;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests a real PostgreSQL. The first test class that uses it starts one throwaway cluster
 * (pg_cron preloaded, pgvector when installed) for the whole test run; each test class gets a
 * fresh database, injected as a {@link TestDatabase} parameter.
 *
 * <pre>{@code
 * @ExtendWith(PostgresExtension.class)
 * class MyTaskTest {
 *   @Test
 *   void runs(TestDatabase db) {
 *     try (Autopilot ap = Autopilot.builder(db.dataSource()).build().start()) { ... }
 *   }
 * }
 * }</pre>
 *
 * <p>With {@code AUTOPILOT_TEST_JDBC_URL} set, databases are created on that server instead.
 * With Testcontainers on the test class path and a Docker engine running, the server is a
 * PostgreSQL container with pg_cron and pgvector; {@code -Dautopilot.test.postgres=local|container|auto}
 * (or {@code AUTOPILOT_TEST_POSTGRES}) forces the choice, see {@link ServerChoice}. Without
 * PostgreSQL binaries the error names the setup command.
 */
public final class PostgresExtension implements ParameterResolver {

  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(PostgresExtension.class);
  private static final AtomicInteger COUNTER = new AtomicInteger();

  /** Creates the extension; JUnit calls this. */
  public PostgresExtension() {}

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == TestDatabase.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    try {
      return database(e);
    } catch (RuntimeException ex) {
      throw new ParameterResolutionException("no test database: " + ex.getMessage(), ex);
    }
  }

  /**
   * The database of the current test class, created on first use.
   *
   * @param context the JUnit context of a test or test class
   * @return the database
   */
  public static TestDatabase database(ExtensionContext context) {
    ExtensionContext classContext = classContext(context);
    TestServer server = server(context);
    return classContext.getStore(NS).getOrComputeIfAbsent("database", k -> {
      String base = classContext.getRequiredTestClass().getSimpleName().toLowerCase(Locale.ROOT)
          .replaceAll("[^a-z0-9]", "");
      String name = "t_" + base.substring(0, Math.min(base.length(), 40)) + "_" + COUNTER.incrementAndGet()
          + "_" + ProcessHandle.current().pid();
      server.createDatabase(name);
      return new CloseableDatabase(new TestDatabase(server, name));
    }, CloseableDatabase.class).db;
  }

  private static ExtensionContext classContext(ExtensionContext c) {
    ExtensionContext cur = c;
    while (cur.getParent().isPresent() && cur.getTestMethod().isPresent()) {
      cur = cur.getParent().get();
    }
    return cur;
  }

  private static TestServer server(ExtensionContext c) {
    return c.getRoot().getStore(NS).getOrComputeIfAbsent("server", k -> {
      switch (ServerChoice.current()) {
        case EXTERNAL:
          return new CloseableServer(TestServer.external(System.getenv("AUTOPILOT_TEST_JDBC_URL")));
        case CONTAINER:
          return new CloseableServer(ContainerServer.start());
        default:
          return new CloseableServer(TestServer.local());
      }
    }, CloseableServer.class).server;
  }

  private static final class CloseableServer implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final TestServer server;

    CloseableServer(TestServer server) {
      this.server = server;
    }

    @Override
    public void close() {
      server.close();
    }
  }

  private static final class CloseableDatabase implements ExtensionContext.Store.CloseableResource, AutoCloseable {
    final TestDatabase db;

    CloseableDatabase(TestDatabase db) {
      this.db = db;
    }

    @Override
    public void close() {
      db.close();
    }
  }
}
