package dev.autopilot.internal;

import dev.autopilot.spi.StateStore;
import dev.autopilot.spi.TaskConfig;
import dev.autopilot.spi.TaskContext;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;

/** The {@link TaskContext} of one execution. */
final class RunContext implements TaskContext {

  private final Runtime rt;
  private final String task;
  private final String executionId;
  private final int attempt;
  private final BooleanSupplier cancelled;
  private final Map<String, String> args;
  private volatile String skipReason;
  private long lastProgressWrite;

  RunContext(Runtime rt, String task, String executionId, int attempt, BooleanSupplier cancelled) {
    this(rt, task, executionId, attempt, cancelled, Map.of());
  }

  RunContext(Runtime rt, String task, String executionId, int attempt, BooleanSupplier cancelled,
      Map<String, String> args) {
    this.args = args;
    this.rt = rt;
    this.task = task;
    this.executionId = executionId;
    this.attempt = attempt;
    this.cancelled = cancelled;
  }

  @Override
  public String taskName() {
    return task;
  }

  @Override
  public String executionId() {
    return executionId;
  }

  @Override
  public int attempt() {
    return attempt;
  }

  @Override
  public Map<String, String> args() {
    return args;
  }

  @Override
  public DataSource dataSource() {
    return rt.dataSource();
  }

  @Override
  public String schema() {
    return rt.schema();
  }

  @Override
  public Clock clock() {
    return rt.clock();
  }

  @Override
  public TaskConfig config() {
    Settings s = rt.settings();
    return key -> s.get("autopilot.task." + task + "." + key).or(() -> s.get(Settings.PREFIX + key));
  }

  @Override
  public StateStore state() {
    return new JdbcStateStore(rt.jdbc(), rt.schema(), task);
  }

  @Override
  public void progress(long done, long total, String message) {
    long now = System.currentTimeMillis();
    boolean last = total >= 0 && done >= total;
    if (!last && now - lastProgressWrite < 1000) {
      return;
    }
    lastProgressWrite = now;
    rt.progress().write(task, executionId, done, total, message == null ? "" : message);
  }

  @Override
  public void skip(String reason) {
    this.skipReason = reason == null || reason.isBlank() ? "skipped" : reason;
  }

  String skipReason() {
    return skipReason;
  }

  @Override
  public boolean isCancelled() {
    return cancelled.getAsBoolean();
  }

  @Override
  public <T> Optional<T> service(Class<T> type) {
    Map<Class<?>, Object> services = rt.services();
    return Optional.ofNullable(type.cast(services.get(type)));
  }
}
