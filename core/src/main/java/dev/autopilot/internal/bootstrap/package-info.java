/**
 * The start-up bootstrap: one wave of start-up tasks per group of instances starting together,
 * run in priority order through db-scheduler, with its state in {@code bootstrap_waves} and
 * {@code bootstrap_steps}.
 */
package dev.autopilot.internal.bootstrap;
