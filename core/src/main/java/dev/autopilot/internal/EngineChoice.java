package dev.autopilot.internal;

import dev.autopilot.Engine;

/** Which engine runs a task, and why. */
public record EngineChoice(Engine engine, String reason) {}
