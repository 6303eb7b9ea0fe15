-- Start-up bootstrap: one wave per group of instances starting together (issue 4).
-- A wave is opened by the first instance that starts when no wave is in progress and none was
-- opened within the wave window (autopilot.bootstrap.wave-window); instances starting later in
-- the window join it. Its steps are the enabled start-up tasks, in priority order.
CREATE TABLE bootstrap_waves (
  id          bigserial PRIMARY KEY,
  opened_by   text NOT NULL,
  opened_at   timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  outcome     text CHECK (outcome IN ('succeeded', 'failed')),
  joined_by   text[] NOT NULL DEFAULT '{}'
);

CREATE TABLE bootstrap_steps (
  wave_id      bigint NOT NULL REFERENCES bootstrap_waves (id) ON DELETE CASCADE,
  ordinal      int NOT NULL,
  task_name    text NOT NULL,
  priority     int NOT NULL,
  state        text NOT NULL DEFAULT 'pending'
               CHECK (state IN ('pending', 'running', 'retrying', 'succeeded', 'skipped', 'failed')),
  execution_id text,
  attempts     int NOT NULL DEFAULT 0,
  started_at   timestamptz,
  finished_at  timestamptz,
  message      text,
  blocked      boolean NOT NULL DEFAULT false, -- skipped because an earlier step failed
  PRIMARY KEY (wave_id, task_name),
  UNIQUE (wave_id, ordinal)
);

-- A rerun over the same bad file must not add another reject row.
CREATE UNIQUE INDEX knowledge_rejects_file_hash_idx ON knowledge_rejects (source_file, content_hash);
