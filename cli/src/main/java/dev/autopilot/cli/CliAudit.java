package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Records each action the CLI takes (trigger, pause, resume, cancel, retry) in {@code
 * action_audit}, beside the dashboard's: source {@code cli}, the operator ({@code --by} or the
 * user name), role {@code operator}, and this machine's name as the client. An audit row that
 * cannot be written is said on standard error; the action itself stands.
 */
final class CliAudit {

  private CliAudit() {}

  static void record(Autopilot ap, AutopilotCli.Context ctx, String actor, String action, String target, String outcome,
      String detail) {
    String table = "\"" + ap.schema().replace("\"", "\"\"") + "\".action_audit";
    try (Connection c = ap.dataSource().getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
            + " (source, actor, role, action, target, outcome, detail, remote) VALUES ('cli', ?, 'operator', ?, ?, ?, ?, ?)")) {
      ps.setString(1, actor);
      ps.setString(2, action);
      ps.setString(3, target);
      ps.setString(4, outcome);
      ps.setString(5, detail == null ? "" : detail.length() > 1000 ? detail.substring(0, 1000) : detail);
      ps.setString(6, host());
      ps.executeUpdate();
    } catch (SQLException | RuntimeException e) {
      ctx.err.println("autopilot: " + action + " " + target + " was not recorded in " + table + ": "
          + AutopilotCli.firstLine(dev.autopilot.internal.Secrets.message(e)));
    }
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | RuntimeException e) {
      return "";
    }
  }
}
