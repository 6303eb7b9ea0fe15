/**
 * The built-in "knowledge" pack: knowledge-migration and templates-data-load at start-up,
 * template-sync (JGit fetch into {@code templates}) and knowledge-export (JSON files committed
 * to a Git working tree).
 */
package dev.autopilot.internal.knowledge;
