/**
 * Pure-SQL tasks: {@link dev.autopilot.internal.sqltasks.SqlTasks} builds them for core and the
 * packs (one statement calling a stored procedure, run by pg_cron where usable and by
 * db-scheduler otherwise); {@link dev.autopilot.internal.sqltasks.MaintenancePack} is core's own
 * maintenance pack.
 */
package dev.autopilot.internal.sqltasks;
