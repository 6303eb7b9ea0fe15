/**
 * The pg_cron engine: detects whether pg_cron is usable, reconciles {@code cron.job} with the task
 * catalog, and imports pg_cron's runs into job history. See {@link
 * dev.autopilot.internal.pgcron.PgCronEngine}.
 */
package dev.autopilot.internal.pgcron;
