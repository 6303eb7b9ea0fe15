package dev.autopilot.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time spent by this JVM and by the PostgreSQL server processes on this machine, for
 * benchmarks: on a 2-core machine shared by the JVM and the server, throughput is bound by CPU,
 * and CPU per job is a steadier measure than wall-clock rates when other work disturbs a round.
 * The server's time is read from {@code /proc} (every process named {@code postgres}, plus the
 * postmaster's count of its ended children); -1 where that cannot be read (another OS, a remote
 * server).
 */
final class CpuMeter {

  /** Linux's USER_HZ: /proc counts CPU time in ticks of 10 ms on every architecture Java runs on here. */
  private static final long TICK_NANOS = 10_000_000L;

  private CpuMeter() {}

  /** @return this process's CPU time in nanoseconds */
  static long jvmNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** @return the CPU time of the PostgreSQL server processes in nanoseconds, or -1 */
  static long postgresNanos() {
    Path proc = Path.of("/proc");
    if (!Files.isDirectory(proc)) {
      return -1;
    }
    long ticks = 0;
    boolean any = false;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc, p -> p.getFileName().toString().matches("\\d+"))) {
      for (Path d : dirs) {
        try {
          String stat = Files.readString(d.resolve("stat"));
          int close = stat.lastIndexOf(')');
          String comm = stat.substring(stat.indexOf('(') + 1, close);
          if (!comm.equals("postgres")) {
            continue;
          }
          String[] f = stat.substring(close + 2).split(" ");
          // fields after "(comm)": state(0) ppid(1) ... utime(11) stime(12) cutime(13) cstime(14)
          ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          if (!"postgres".equals(parentComm(f[1]))) {
            ticks += Long.parseLong(f[13]) + Long.parseLong(f[14]); // the postmaster: its ended backends
          }
          any = true;
        } catch (IOException | RuntimeException e) {
          // the process ended meanwhile
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return any ? ticks * TICK_NANOS : -1;
  }

  private static String parentComm(String ppid) {
    try {
      String stat = Files.readString(Path.of("/proc", ppid, "stat"));
      return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /** CPU used between two readings. */
  record Span(long jvmNanos, long postgresNanos) {
    /** @return microseconds of CPU per job, JVM and server together (server -1: JVM only) */
    double microsPerJob(int jobs) {
      return (jvmNanos + Math.max(0, postgresNanos)) / 1000.0 / jobs;
    }
  }

  /** A reading now, to subtract from a later one. */
  static long[] now() {
    return new long[] {jvmNanos(), postgresNanos()};
  }

  static Span since(long[] start) {
    long[] end = now();
    return new Span(end[0] - start[0], start[1] < 0 || end[1] < 0 ? -1 : end[1] - start[1]);
  }
}
