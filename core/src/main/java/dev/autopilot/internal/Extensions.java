package dev.autopilot.internal;

import java.util.ArrayList;
import java.util.List;

/** The extensions of one Runtime, in the order they run. */
final class Extensions {
  private Extensions() {}

  static List<Extension> create(Runtime rt) {
    List<Extension> all = new ArrayList<>();
    all.add(new dev.autopilot.internal.learning.PatternListener());
    return all;
  }
}
