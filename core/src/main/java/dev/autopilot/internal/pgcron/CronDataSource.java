package dev.autopilot.internal.pgcron;

import javax.sql.DataSource;

/**
 * The connection to the database pg_cron lives in ({@code cron.database_name}), when the host
 * hands one over with {@code Autopilot.Builder#pgCronDataSource}.
 *
 * @param dataSource connections to the cron database
 */
public record CronDataSource(DataSource dataSource) {}
