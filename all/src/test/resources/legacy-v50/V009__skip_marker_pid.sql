-- Skip markers also record the backend pid of the session that noted them. pg_cron records a
-- run's start_time only when its launcher gets round to it, which under load can be after the job
-- already ran; matching the marker to the run by pid (cron.job_run_details.job_pid) and a loose
-- time window is exact where a time window alone was not.
CREATE OR REPLACE PROCEDURE note_skip(p_task text, p_reason text)
LANGUAGE sql
SET search_path FROM CURRENT
AS $$
  INSERT INTO task_state(task_name, key, value, updated_at)
  VALUES (p_task, 'skipped', p_reason, clock_timestamp()),
         (p_task, 'skipped_pid', pg_backend_pid()::text, clock_timestamp())
  ON CONFLICT (task_name, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
$$;
