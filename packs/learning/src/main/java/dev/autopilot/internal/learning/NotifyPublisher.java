package dev.autopilot.internal.learning;

import dev.autopilot.internal.Jdbc;
import dev.autopilot.learning.EventPublisher;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The default {@link EventPublisher}: PostgreSQL {@code NOTIFY} on channel {@code
 * <prefix><topic>} (default prefix {@code autopilot_}), in the database Autopilot uses.
 *
 * <p>PostgreSQL rejects payloads of 8000 bytes or more, so an event carries keys only (listeners
 * re-read the rows) and is split into parts, each under {@link #MAX_PAYLOAD} bytes:
 * {@code {"topic":"patterns","part":1,"parts":2,"upserted":[...],"deleted":[...]}}. A key too
 * long to fit in any payload is not sent; instead one part says {@code "reload":true}, meaning
 * "re-read everything". All parts go out in one transaction, so listeners get all or none.
 */
final class NotifyPublisher implements EventPublisher {

  /** Bytes per payload we allow ourselves; PostgreSQL's limit is 7999. */
  static final int MAX_PAYLOAD = 7900;

  private final DataSource dataSource;
  private final String prefix;

  NotifyPublisher(DataSource dataSource, String prefix) {
    this.dataSource = dataSource;
    this.prefix = prefix;
  }

  String channel(String topic) {
    return prefix + topic;
  }

  @Override
  public void publish(Event event) {
    if (event.isEmpty()) {
      return;
    }
    List<String> payloads = payloads(event);
    new Jdbc(dataSource).inTransaction(c -> {
      for (String p : payloads) {
        Jdbc.query(c, "SELECT pg_notify(?, ?)", ps -> {
          ps.setString(1, channel(event.topic()));
          ps.setString(2, p);
        }, rs -> 1);
      }
      return payloads.size();
    });
  }

  static List<String> payloads(Event event) {
    List<Part> parts = new ArrayList<>();
    boolean reload = false;
    List<String> up = new ArrayList<>();
    List<String> del = new ArrayList<>();
    int size = overhead(event.topic());
    for (int pass = 0; pass < 2; pass++) {
      for (String key : pass == 0 ? event.upserted() : event.deleted()) {
        int keySize = Json.str(key).getBytes(StandardCharsets.UTF_8).length + 1;
        if (overhead(event.topic()) + keySize > MAX_PAYLOAD) {
          reload = true;
          continue;
        }
        if (size + keySize > MAX_PAYLOAD) {
          parts.add(new Part(up, del));
          up = new ArrayList<>();
          del = new ArrayList<>();
          size = overhead(event.topic());
        }
        (pass == 0 ? up : del).add(key);
        size += keySize;
      }
    }
    if (!up.isEmpty() || !del.isEmpty() || parts.isEmpty()) {
      parts.add(new Part(up, del));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < parts.size(); i++) {
      out.add("{\"topic\":" + Json.str(event.topic()) + ",\"part\":" + (i + 1) + ",\"parts\":" + parts.size()
          + (reload && i == 0 ? ",\"reload\":true" : "")
          + ",\"upserted\":" + Json.strings(parts.get(i).upserted()) + ",\"deleted\":" + Json.strings(parts.get(i).deleted())
          + "}");
    }
    return out;
  }

  private record Part(List<String> upserted, List<String> deleted) {}

  /** The payload without keys, with room for part numbers up to 99999 and the reload flag. */
  private static int overhead(String topic) {
    return Json.str(topic).getBytes(StandardCharsets.UTF_8).length + 80;
  }
}
