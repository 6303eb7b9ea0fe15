package dev.autopilot.web;

import dev.autopilot.Autopilot;
import java.util.List;

/**
 * What the dashboard shows depending on what is on the class path: search only with the code
 * pack ({@code autopilot-pack-code}, an optional dependency of this module).
 */
final class Features {
  private static final boolean CODE_PACK = present("dev.autopilot.code.CodeSearch");

  private Features() {}

  /** @return true when the code pack is present and this Autopilot has its search */
  static boolean search(Autopilot autopilot) {
    return CODE_PACK && CodeSearchBridge.available(autopilot);
  }

  static List<?> search(Autopilot autopilot, String query, int k) {
    return CodeSearchBridge.search(autopilot, query, k);
  }

  private static boolean present(String className) {
    try {
      Class.forName(className, false, Features.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  /** Loaded only when the code pack is present. */
  private static final class CodeSearchBridge {
    static boolean available(Autopilot autopilot) {
      return autopilot.service(dev.autopilot.code.CodeSearch.class).isPresent();
    }

    static List<?> search(Autopilot autopilot, String query, int k) {
      return dev.autopilot.code.CodeSearch.of(autopilot).search(query, k);
    }
  }
}
