/**
 * Database backups: {@code database-backup-hourly}, {@code database-backup-daily} and {@code
 * database-backup-manual} ({@code pg_dump -Fc} into the backup directory, verified with {@code
 * pg_restore --list}, catalogued in {@code backups}, rotated). Internal: no compatibility promise.
 */
package dev.autopilot.internal.backup;
