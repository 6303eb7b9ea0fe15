package dev.autopilot.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.autopilot.Autopilot;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Options every command takes, and the database connection they describe. */
abstract class BaseCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  AutopilotCli.Context ctx;

  @Mixin
  Connect connect;

  @Option(names = "--json", description = "print JSON instead of a table")
  boolean json;

  @Option(names = "--debug", description = "print the stack trace of an unexpected error")
  void debug(boolean on) {
    ctx.debug = on;
  }

  @Override
  public final Integer call() {
    connect.env = ctx.env;
    connect.defaultUrl = ctx.defaultUrl;
    return execute();
  }

  abstract int execute();

  Autopilot attach() {
    return connect.attach();
  }

  void printJson(Object value) {
    try {
      ctx.out.println(JSON.writeValueAsString(plain(value)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Instants as ISO-8601 strings, everything else as Jackson writes it. */
  private static Object plain(Object v) {
    if (v instanceof Instant i) {
      return i.toString();
    }
    if (v instanceof Map<?, ?> m) {
      Map<Object, Object> out = new LinkedHashMap<>();
      m.forEach((k, x) -> out.put(k, plain(x)));
      return out;
    }
    if (v instanceof List<?> l) {
      return l.stream().map(BaseCommand::plain).toList();
    }
    return v;
  }
}
