package dev.autopilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PostgresExtension.class)
class PostgresExtensionTest {

  @Test
  void givesEachClassItsOwnDatabaseWithPgCronReachable(TestDatabase db) throws Exception {
    try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT current_database(), current_setting('server_version_num')::int")) {
        rs.next();
        assertEquals(db.name(), rs.getString(1));
        assertTrue(rs.getInt(2) >= 150000, "PostgreSQL 15 or newer");
      }
    }
    if (db.pgCronAvailable()) {
      try (Connection c = db.cluster().orElseThrow().connect("postgres"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT extversion FROM pg_extension WHERE extname = 'pg_cron'")) {
        assertTrue(rs.next(), "pg_cron created in the cron database");
      }
    }
  }

  @Test
  void sameDatabaseForEveryTestOfTheClass(TestDatabase db) throws Exception {
    try (Connection c = db.connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS marker(x int)");
    }
    try (Connection c = db.connect(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM marker")) {
      rs.next();
      assertEquals(0, rs.getInt(1));
    }
  }
}
