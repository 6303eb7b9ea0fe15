/**
 * JUnit 5 support for testing with a real PostgreSQL: {@link dev.autopilot.testing.PostgresCluster}
 * starts a throwaway cluster (pg_cron preloaded, pgvector when installed) as the {@code postgres}
 * OS user when run as root, and {@link dev.autopilot.testing.PostgresExtension} gives each test
 * class a fresh database on a cluster shared by the whole test run.
 *
 * <p>Set {@code AUTOPILOT_TEST_JDBC_URL} (an admin connection, for example {@code
 * jdbc:postgresql://localhost:5432/postgres?user=postgres&password=secret}) to use an existing
 * server instead.
 */
package dev.autopilot.testing;
