package dev.autopilot.web;

/** What a signed-in user of the dashboard may do. */
public enum Role {
  /** Sees everything and may act: run now, pause, resume, retry, cancel. */
  ADMIN,
  /** Sees everything and may not act (actions answer 403). */
  READ_ONLY;

  /** @return the lower-case name used in the JSON API and the audit table */
  public String label() {
    return this == ADMIN ? "admin" : "read-only";
  }
}
