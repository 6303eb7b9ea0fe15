-- Issue 6: the learning loop. agent-evolution evaluates each change it made once the change's
-- next window has passed; these columns record that verdict so a change is judged only once.
ALTER TABLE agent_versions
  ADD COLUMN evaluated_at timestamptz,
  ADD COLUMN evaluation   jsonb;

CREATE INDEX agent_versions_pending_idx ON agent_versions (created_at)
  WHERE feedback_id IS NOT NULL AND evaluated_at IS NULL AND rolled_back_at IS NULL;

-- metrics-aggregation recomputes buckets by time; job history is found by finish time
-- (job_history_finished_idx exists), telemetry by occurrence (telemetry_events_occurred_idx).
CREATE INDEX metric_rollups_scope_subject_idx ON metric_rollups (scope, subject, bucket_start);
