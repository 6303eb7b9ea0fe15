package dev.autopilot.cli;

import java.util.Map;
import picocli.CommandLine.Option;

/** The {@code --by} option of the commands that change something: who does it, for the record. */
final class Operator {

  @Option(names = "--by", paramLabel = "NAME", description = "who does this, recorded with it (default: your user name)")
  String by;

  String name(Map<String, String> env) {
    String who = by != null ? by : env.getOrDefault("USER", System.getProperty("user.name", "operator"));
    if (who == null || who.isBlank()) {
      throw new UsageException("--by must not be blank");
    }
    return who.trim();
  }
}
