package dev.autopilot.internal;

import dev.autopilot.Engine;

/** Which engine runs a task, and why. */
public record EngineChoice(Engine engine, String reason) {
  /** The reason reaches logs, health and status: secrets in it are masked. */
  public EngineChoice {
    reason = Secrets.mask(reason);
  }
}
