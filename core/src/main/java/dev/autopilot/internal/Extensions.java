package dev.autopilot.internal;

import java.util.ArrayList;
import java.util.List;

/** The extensions of one Runtime, in the order they run. */
final class Extensions {
  private Extensions() {}

  static List<Extension> create(Runtime rt) {
    List<Extension> all = new ArrayList<>();
    all.add(new dev.autopilot.internal.pgcron.PgCronEngine()); // decides the SQL engine, reconciles cron.job
    all.add(new dev.autopilot.internal.bootstrap.Bootstrap(rt)); // opens or joins the start-up wave in afterStart
    all.add(new dev.autopilot.internal.learning.PatternListener());
    return all;
  }
}
