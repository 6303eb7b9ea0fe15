package dev.autopilot;

import java.time.Instant;
import java.util.List;

/**
 * An Autopilot host that started on this database, as it recorded itself: running hosts
 * heartbeat every 15 s and count as alive while the last heartbeat is under a minute old.
 *
 * @param name the instance name (logs, job history, db-scheduler's {@code picked_by})
 * @param startedAt when it last started
 * @param heartbeatAt its last heartbeat
 * @param stoppedAt when it stopped cleanly, null while running or after a crash
 * @param alive whether it is running now (heartbeat under a minute old, not stopped)
 * @param packs the packs it runs (for example {@code maintenance}, {@code code})
 * @param schemaVersion core's schema version it started with
 * @param tasks how many tasks it has
 */
public record InstanceStatus(String name, Instant startedAt, Instant heartbeatAt, Instant stoppedAt, boolean alive,
    List<String> packs, Integer schemaVersion, int tasks) {}
