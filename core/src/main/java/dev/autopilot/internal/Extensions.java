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
    all.add(new Extension() { // stops this instance's background embedding (after its current page)
      @Override
      public void close() {
        if (rt.services().get(dev.autopilot.internal.embed.BackgroundEmbedding.class)
            instanceof dev.autopilot.internal.embed.BackgroundEmbedding bg) {
          bg.close();
        }
      }
    });
    return all;
  }
}
