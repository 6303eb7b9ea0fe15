package dev.autopilot.examples.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The parsed command line: positional words, options with values, and flags. */
final class Args {

  /** Options that take a value. */
  static final Set<String> VALUED = Set.of("--jdbc-url", "--schema", "--repo", "--state", "--task", "--limit", "--wait");
  /** Options without a value. */
  static final Set<String> FLAGS = Set.of("--json", "--all", "--no-wait", "--debug", "--help", "-h");

  final List<String> positional = new ArrayList<>();
  final Map<String, String> options = new LinkedHashMap<>();

  static Args parse(String[] argv) {
    Args a = new Args();
    for (int i = 0; i < argv.length; i++) {
      String s = argv[i];
      if (s.startsWith("-") && s.length() > 1 && !s.matches("-\\d.*")) {
        String name = s;
        String value = null;
        int eq = s.indexOf('=');
        if (eq > 0) {
          name = s.substring(0, eq);
          value = s.substring(eq + 1);
        }
        if (VALUED.contains(name)) {
          if (value == null) {
            if (i + 1 >= argv.length) {
              throw new UsageException("option " + name + " needs a value");
            }
            value = argv[++i];
          }
          a.options.put(name, value);
        } else if (FLAGS.contains(name) && value == null) {
          a.options.put(name, "true");
        } else {
          throw new UsageException("unknown option '" + s + "'");
        }
      } else {
        a.positional.add(s);
      }
    }
    return a;
  }

  boolean flag(String name) {
    return options.containsKey(name);
  }

  String option(String name) {
    return options.get(name);
  }

  int intOption(String name, int defaultValue, int min, int max, String usage) {
    String v = options.get(name);
    if (v == null) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageException(name + " must be a number from " + min + " to " + max + ", was '" + v + "'", usage);
  }

  /** Rejects options the command does not know, so a typo never passes silently. */
  void allow(String command, Set<String> allowed, String usage) {
    for (String o : options.keySet()) {
      if (!allowed.contains(o) && !Set.of("--json", "--repo", "--help", "-h").contains(o)) {
        throw new UsageException("option " + o + " does not apply to '" + command + "'", usage);
      }
    }
  }
}
