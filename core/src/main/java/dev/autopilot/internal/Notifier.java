package dev.autopilot.internal;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wakes the instances of one schema through PostgreSQL LISTEN/NOTIFY. Whoever creates due work
 * (a trigger, a retry, a bootstrap step), pauses a task or cancels an execution sends one short
 * message ({@link #DUE}, {@link #PAUSE}, {@link #CANCEL}); every started instance keeps one
 * dedicated connection from its DataSource listening, reconnecting when it is lost, and hands each
 * message to its handler (for {@code due}: look for due executions at once). Polling stays the
 * safety net for a lost message. {@value #ENABLED}{@code =false} switches both sides off, for
 * connection poolers in transaction mode, which cannot LISTEN.
 */
final class Notifier implements AutoCloseable {
  static final String ENABLED = "autopilot.notify.enabled";
  static final String DUE = "due";
  static final String PAUSE = "pause";
  static final String CANCEL = "cancel";
  /** Handed to the handler after (re)connecting: a message may have been lost meanwhile. */
  static final String RECONNECTED = "reconnected";
  private static final Logger log = LoggerFactory.getLogger(Notifier.class);

  private final Runtime rt;
  private final String channel;
  private final Consumer<String> handler;
  private Thread thread;
  private volatile boolean closing;

  Notifier(Runtime rt, Consumer<String> handler) {
    this.rt = rt;
    this.channel = channel(rt.schema());
    this.handler = handler;
  }

  /** The channel of one schema: short and lower-case whatever the schema's name. */
  static String channel(String schema) {
    CRC32 crc = new CRC32();
    crc.update(schema.getBytes(StandardCharsets.UTF_8));
    return String.format("autopilot_%08x", crc.getValue());
  }

  static boolean enabled(Settings s) {
    return s.getBoolean(ENABLED, true);
  }

  /** Sends one message to every listening instance of the schema; a failure is logged, not thrown. */
  static void send(Runtime rt, String kind) {
    if (!enabled(rt.settings())) {
      return;
    }
    try {
      rt.jdbc().query("SELECT pg_notify(?, ?)", ps -> {
        ps.setString(1, channel(rt.schema()));
        ps.setString(2, kind);
      }, rs -> null);
    } catch (RuntimeException e) {
      log.debug("{}notify {} failed (instances find the work at their next poll): {}", rt.logPrefix(), kind, e.toString());
    }
  }

  void start() {
    thread = new Thread(this::loop, "autopilot-listen-" + rt.instanceName());
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long backoff = 500;
    while (!closing) {
      try (Connection c = rt.dataSource().getConnection()) {
        c.setAutoCommit(true);
        PGConnection pg = c.unwrap(PGConnection.class);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + channel);
        }
        backoff = 500;
        handler.accept(RECONNECTED);
        while (!closing) {
          PGNotification[] got = pg.getNotifications(500);
          if (got == null || got.length == 0) {
            continue;
          }
          Set<String> kinds = new LinkedHashSet<>();
          for (PGNotification n : got) {
            kinds.add(n.getParameter());
          }
          kinds.forEach(this::dispatch);
        }
        try (Statement s = c.createStatement()) {
          s.execute("UNLISTEN *"); // the connection goes back to the host's pool: it must not keep listening
        }
      } catch (SQLException | RuntimeException e) {
        if (closing) {
          return;
        }
        log.warn("{}LISTEN connection lost, reconnecting in {} ms (polling goes on): {}", rt.logPrefix(), backoff,
            e.getMessage());
        sleep(backoff);
        backoff = Math.min(10_000, backoff * 2);
      }
    }
  }

  private void dispatch(String kind) {
    try {
      handler.accept(kind);
    } catch (RuntimeException e) {
      log.warn("{}handling notification {} failed: {}", rt.logPrefix(), kind, e.toString());
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      closing = true;
    }
  }

  @Override
  public void close() {
    closing = true;
    if (thread != null) {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
