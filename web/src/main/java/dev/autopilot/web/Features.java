package dev.autopilot.web;

import dev.autopilot.Autopilot;
import dev.autopilot.SearchHit;
import dev.autopilot.TaskStatus;
import java.util.List;

/** What the dashboard shows depending on what is on the class path. */
final class Features {
  private Features() {}

  /** @return true when code search is available */
  static boolean search() {
    return true;
  }

  static List<SearchHit> search(Autopilot autopilot, String query, int k) {
    return autopilot.search(query, k);
  }

  /** @return the pack a task comes from, when known */
  static String pack(TaskStatus t) {
    return null;
  }
}
