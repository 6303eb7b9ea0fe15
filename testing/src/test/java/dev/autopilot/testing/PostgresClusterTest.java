package dev.autopilot.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresClusterTest {

  @Test
  void missingBinariesNameTheSetupCommand(@TempDir Path empty) {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> PostgresCluster.builder().binDirectory(empty).build());
    assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("scripts/setup.sh"), e.getMessage());
  }

  @Test
  void unreachableDataDirectoryIsAClearError() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "only as root");
    Path dir = Files.createTempDirectory("autopilot-private-"); // mode 0700, owned by root
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> PostgresCluster.builder().dataDirectory(dir.resolve("pgdata")).build().start());
      assertTrue(e.getMessage().contains("cannot write " + dir.resolve("pgdata")), e.getMessage());
    } finally {
      new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
  }

  @Test
  void keptClusterSurvivesARestartWithItsData() throws Exception {
    Path dir = Files.createTempDirectory("autopilot-kept-");
    try {
      // as root the server runs as "postgres", which must reach the data directory
      Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
      try (PostgresCluster pg = PostgresCluster.builder().dataDirectory(dir.resolve("pgdata")).build().start()) {
        pg.createDatabase("keep");
        try (Connection c = pg.connect("keep"); Statement s = c.createStatement()) {
          s.execute("CREATE TABLE t(x int); INSERT INTO t VALUES (42)");
        }
      }
      try (PostgresCluster pg = PostgresCluster.builder().dataDirectory(dir.resolve("pgdata")).build().start();
          Connection c = pg.connect("keep"); Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT x FROM t")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
      assertTrue(Files.exists(dir.resolve("pgdata/PG_VERSION")), "a kept cluster's directory stays");
    } finally {
      new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }
    assertFalse(Files.exists(dir));
  }
}
