package dev.autopilot;

import dev.autopilot.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Roles that must log in with a password on the test cluster (which trusts everyone else): a
 * {@code scram-sha-256} line for the role is put first in {@code pg_hba.conf} and the server
 * reloads its configuration.
 */
public final class PasswordRoles {
  private PasswordRoles() {}

  /**
   * @param db a test database on the local cluster
   * @param role a new role name (dropped first when it exists)
   * @param password its password
   * @param attributes role attributes, for example {@code SUPERUSER} or {@code NOSUPERUSER}
   */
  public static void create(TestDatabase db, String role, String password, String attributes) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("DROP ROLE IF EXISTS " + role);
      s.execute("SET password_encryption = 'scram-sha-256'");
      s.execute("CREATE ROLE " + role + " LOGIN " + attributes + " PASSWORD '" + password + "'");
      Path hba;
      try (ResultSet rs = s.executeQuery("SHOW hba_file")) {
        rs.next();
        hba = Path.of(rs.getString(1));
      }
      String line = "host all " + role + " 127.0.0.1/32 scram-sha-256\n";
      String text = Files.readString(hba);
      if (!text.contains(line)) {
        Files.writeString(hba, line + text);
      }
      s.execute("SELECT pg_reload_conf()");
    }
    Thread.sleep(300); // the postmaster reloads asynchronously
  }
}
