/**
 * The built-in pack of pure-SQL tasks (TASKS.md, "Engine: pg_cron"): each task is one statement
 * calling a stored procedure of the SQL bundle (V003..V008), run by pg_cron where usable and by
 * db-scheduler otherwise.
 */
package dev.autopilot.internal.sqltasks;
