-- The pick trigger of V130 cost every pick a PL/pgSQL call (25 us of a 71 us pick on the 2-core
-- test machine, a third of the database time db-scheduler spends per execution). What it gave is
-- now had without it: a running execution's start is in running_executions (written by the
-- instance running it within about a second of its start), and the instance that picked rows
-- keeps its not-yet-started picks fresh from its own memory. Nothing writes picked_at any more;
-- the column stays (cleared) so instances of the previous version keep working during an upgrade.
DROP TRIGGER IF EXISTS scheduled_tasks_picked_at ON scheduled_tasks;
DROP FUNCTION IF EXISTS scheduled_tasks_picked_at();
UPDATE scheduled_tasks SET picked_at = NULL WHERE picked_at IS NOT NULL;
COMMENT ON COLUMN scheduled_tasks.picked_at IS 'unused since V150 (kept for instances of earlier versions during an upgrade)';
