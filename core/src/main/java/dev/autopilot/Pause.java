package dev.autopilot;

import java.time.Instant;

/**
 * One paused task (see {@link Control#pause}).
 *
 * @param task the task's name
 * @param by who paused it
 * @param reason why, or null
 * @param at when
 */
public record Pause(String task, String by, String reason, Instant at) {}
