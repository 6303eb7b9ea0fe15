package dev.autopilot.internal.learning;

import dev.autopilot.learning.PatternCache;
import dev.autopilot.internal.Extension;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.internal.Runtime;
import java.sql.Connection;
import java.sql.Statement;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this instance's {@link PatternCache} fresh when another instance ran {@code
 * pattern-sync}: LISTENs on the default publisher's channel and reloads the cache on each
 * notification. Opt-in ({@code autopilot.patterns.listen=true}) because it holds one connection
 * of the host's pool for the life of the instance; useful only with several instances and the
 * default NOTIFY publisher. Reconnects after errors.
 */
public final class PatternListener implements Extension {

  private static final Logger log = LoggerFactory.getLogger(PatternListener.class);
  private volatile boolean closed;
  private Thread thread;

  @Override
  public void afterStart(Runtime rt) {
    boolean on = rt.settings().getBoolean("autopilot.patterns.listen", false)
        && rt.settings().getBoolean("autopilot.pack." + LearningPack.NAME + ".enabled", true);
    Object cache = rt.services().get(PatternCache.class);
    if (!on || !(cache instanceof InMemoryPatternCache c)) {
      return;
    }
    String channel = rt.settings().get("autopilot.events.channel-prefix").orElse("autopilot_") + PatternSync.TOPIC;
    thread = new Thread(() -> listen(rt, c, channel), "autopilot-pattern-listener-" + rt.instanceName());
    thread.setDaemon(true);
    thread.start();
  }

  private void listen(Runtime rt, InMemoryPatternCache cache, String channel) {
    while (!closed) {
      try (Connection conn = rt.dataSource().getConnection(); Statement s = conn.createStatement()) {
        s.execute("LISTEN " + Jdbc.quoteIdent(channel));
        reload(rt, cache); // changes published while we were not listening
        log.info("{}listening on {} to keep the pattern cache fresh", rt.logPrefix(), channel);
        PGConnection pg = conn.unwrap(PGConnection.class);
        while (!closed) {
          PGNotification[] got = pg.getNotifications(1000);
          if (got != null && got.length > 0) {
            reload(rt, cache);
          }
        }
      } catch (Exception e) {
        if (closed) {
          return;
        }
        log.warn("{}pattern listener on {} lost its connection, retrying in 5 s: {}", rt.logPrefix(), channel, e.toString());
        try {
          Thread.sleep(5000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }

  private static void reload(Runtime rt, InMemoryPatternCache cache) {
    cache.replace(PatternSync.load(rt.jdbc(), rt.schema()), rt.clock().instant());
  }

  @Override
  public void close() {
    closed = true;
    if (thread != null) {
      thread.interrupt();
      try {
        thread.join(3000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
