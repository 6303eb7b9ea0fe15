/**
 * One small runnable example per feature, each a {@code *Main} with a {@code run(DataSource,
 * PrintStream)} that tests call too. Without arguments a main starts a throwaway PostgreSQL
 * cluster; {@code --jdbc-url URL} uses an existing database instead.
 */
package dev.autopilot.examples.features;
