package dev.autopilot.fault;

import dev.autopilot.Autopilot;
import javax.sql.DataSource;

/**
 * The instance the crash test kills with {@code kill -9}: a separate JVM that starts Autopilot on
 * the given database, triggers {@code fault-job} (which runs for minutes), prints {@code
 * TRIGGERED <execution id>} and waits to be killed.
 */
public final class VictimMain {
  private VictimMain() {}

  /**
   * @param args JDBC URL, schema
   */
  public static void main(String[] args) throws Exception {
    DataSource ds = FaultFixture.pool(args[0], 5);
    Autopilot ap = FaultFixture.builder(ds, args[1], "victim").property("autopilot.fault.sleep-ms", "600000")
        .task(FaultFixture.slowJob("fault-job")).build().start();
    String id = ap.trigger("fault-job");
    System.out.println("TRIGGERED " + id);
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
