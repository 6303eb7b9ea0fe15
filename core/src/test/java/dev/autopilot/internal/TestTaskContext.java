package dev.autopilot.internal;

import dev.autopilot.spi.StateStore;
import dev.autopilot.spi.TaskConfig;
import dev.autopilot.spi.TaskContext;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A real TaskContext for calling a built-in task's body directly in a test: real database, real
 * state store, a settable clock and settings ({@code autopilot.} prefix optional).
 */
public final class TestTaskContext implements TaskContext {

  private final DataSource dataSource;
  private final String schema;
  private final String task;
  private final Map<String, String> settings = new HashMap<>();
  private final Map<Class<?>, Object> services = new HashMap<>();
  private volatile Instant now;
  private volatile String skipped;

  public TestTaskContext(DataSource dataSource, String schema, String task) {
    this.dataSource = dataSource;
    this.schema = schema;
    this.task = task;
  }

  /** Migrates {@code schema} in the database, as Autopilot's start would. */
  public static void migrate(DataSource ds, String schema) {
    new Migrator(ds, schema, TestTaskContext.class.getClassLoader(), "[test] ").migrate();
  }

  public TestTaskContext set(String key, String value) {
    settings.put(key.startsWith("autopilot.") ? key : "autopilot." + key, value);
    return this;
  }

  public <T> TestTaskContext service(Class<T> type, T impl) {
    services.put(type, impl);
    return this;
  }

  /** Fixes the clock at {@code instant}; null goes back to the system clock. */
  public TestTaskContext at(Instant instant) {
    this.now = instant;
    return this;
  }

  public String skipped() {
    return skipped;
  }

  @Override
  public String taskName() {
    return task;
  }

  @Override
  public String executionId() {
    return "test";
  }

  @Override
  public int attempt() {
    return 1;
  }

  @Override
  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public String schema() {
    return schema;
  }

  @Override
  public Clock clock() {
    Instant fixed = now;
    return fixed == null ? Clock.systemUTC() : Clock.fixed(fixed, ZoneOffset.UTC);
  }

  @Override
  public TaskConfig config() {
    return key -> Optional.ofNullable(settings.get("autopilot.task." + task + "." + key))
        .or(() -> Optional.ofNullable(settings.get("autopilot." + key)));
  }

  @Override
  public StateStore state() {
    return new JdbcStateStore(new Jdbc(dataSource), schema, task);
  }

  @Override
  public void progress(long done, long total, String message) {}

  @Override
  public void skip(String reason) {
    skipped = reason;
  }

  @Override
  public boolean isCancelled() {
    return false;
  }

  @Override
  public <T> Optional<T> service(Class<T> type) {
    return Optional.ofNullable(type.cast(services.get(type)));
  }
}
