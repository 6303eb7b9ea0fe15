-- Every operator action (run now, pause, resume, retry, cancel) taken through the dashboard or
-- another operator tool: who, what, on which target, when, and how it ended (issue 13).
CREATE TABLE action_audit (
  id      bigserial PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  source  text NOT NULL,                 -- 'web', ...
  actor   text NOT NULL,                 -- user or token name; 'local' without sign-in
  role    text NOT NULL,
  action  text NOT NULL,                 -- run, pause, resume, retry, cancel
  target  text NOT NULL,                 -- task name or execution
  outcome text NOT NULL CHECK (outcome IN ('done', 'refused', 'failed')),
  detail  text,                          -- the new execution id, or why it was refused or failed
  remote  text                           -- the client's address
);
CREATE INDEX action_audit_at_idx ON action_audit (at DESC);
