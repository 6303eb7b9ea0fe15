/**
 * The Autopilot dashboard and its JSON API, served by the JDK's built-in HTTP server: start it
 * with {@link dev.autopilot.web.AutopilotWeb#create(dev.autopilot.Autopilot)}.
 */
package dev.autopilot.web;
