-- When an execution was picked, kept next to db-scheduler's columns so a run whose instance died
-- is recorded with its real start (db-scheduler's last_heartbeat moves with every heartbeat).
-- Set by a trigger in the same statement that picks the row: no extra round trip, no window.
ALTER TABLE scheduled_tasks ADD COLUMN IF NOT EXISTS picked_at timestamptz;

CREATE OR REPLACE FUNCTION scheduled_tasks_picked_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.picked AND NOT OLD.picked THEN
    NEW.picked_at := coalesce(NEW.last_heartbeat, now());
  ELSIF NOT NEW.picked THEN
    NEW.picked_at := NULL;
  END IF;
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS scheduled_tasks_picked_at ON scheduled_tasks;
CREATE TRIGGER scheduled_tasks_picked_at BEFORE UPDATE OF picked ON scheduled_tasks
  FOR EACH ROW EXECUTE FUNCTION scheduled_tasks_picked_at();

-- A dead run's duration is unknown (NULL), and so is its start when it was picked before this
-- migration: history says so rather than making a number up.
ALTER TABLE job_history ALTER COLUMN duration_ms DROP NOT NULL;
ALTER TABLE job_history ALTER COLUMN started_at DROP NOT NULL;
