package dev.autopilot.learning;

import java.util.List;
import java.util.Objects;

/**
 * Publishes change events of Autopilot's built-in tasks (today: learned pattern changes from
 * {@code pattern-sync}) to whoever listens. Register an implementation with {@code
 * Autopilot.builder(ds).service(EventPublisher.class, publisher)}; without one, Autopilot
 * publishes with PostgreSQL {@code NOTIFY} on the channel {@code autopilot_<topic>} (setting
 * {@code autopilot.events.channel-prefix}), sending keys only and splitting large events into
 * several notifications, each under PostgreSQL's 8000-byte payload limit.
 *
 * <p>Delivery is at least once: an event may be published again after a restart, so consumers
 * should treat it as "re-read these keys". Implementations must be thread-safe.
 */
@FunctionalInterface
public interface EventPublisher {

  /**
   * Publishes one event. Throwing makes the publishing task fail (and retry), so throw only when
   * the event was not delivered.
   *
   * @param event what changed
   * @throws Exception when the event could not be published
   */
  void publish(Event event) throws Exception;

  /**
   * A change event: which keys of a topic were inserted or updated, and which were deleted.
   * Listeners re-read the current state of the named keys.
   *
   * @param topic what changed, for example {@code patterns}
   * @param upserted keys inserted or updated, never null
   * @param deleted keys deleted, never null
   */
  record Event(String topic, List<String> upserted, List<String> deleted) {
    /**
     * Validates and copies the key lists.
     *
     * @param topic what changed
     * @param upserted keys inserted or updated
     * @param deleted keys deleted
     */
    public Event {
      Objects.requireNonNull(topic, "topic");
      upserted = List.copyOf(upserted);
      deleted = List.copyOf(deleted);
    }

    /** @return true when no key changed */
    public boolean isEmpty() {
      return upserted.isEmpty() && deleted.isEmpty();
    }
  }
}
