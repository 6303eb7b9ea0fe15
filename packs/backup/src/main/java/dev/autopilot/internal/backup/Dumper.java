package dev.autopilot.internal.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs {@code pg_dump -Fc} with its output piped through this JVM into a temporary file in the
 * backup directory, so the size and SHA-256 are computed in the same pass and a full disk shows
 * up as our own write error. The file is created with mode 0600 (never readable by others, not
 * even briefly), fsynced, renamed atomically to its final name, and the directory fsynced.
 */
final class Dumper {

  /** The dump's final file, size and hex SHA-256. */
  record Result(Path file, long size, String sha256) {}

  private Dumper() {}

  static Result dump(PgTools tools, PgTarget target, Path tmp, Path dest, Duration timeout, BooleanSupplier cancelled)
      throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder(tools.pgDump().toString(), "--format=custom", "--no-password")
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().putAll(target.environment());
    MessageDigest sha = sha256();
    long size = 0;
    Process p;
    FileChannel created;
    try {
      created = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (IOException e) {
      throw new IOException("cannot create " + tmp + " in the backup directory: " + reason(e), e);
    }
    try (FileChannel out = created) {
      p = pb.start();
      StderrTail err = StderrTail.start(p.getErrorStream());
      Watchdog watchdog = Watchdog.start(p, timeout, cancelled);
      try (InputStream in = p.getInputStream()) {
        byte[] buf = new byte[1 << 16];
        int n;
        while ((n = in.read(buf)) >= 0) {
          sha.update(buf, 0, n);
          ByteBuffer bb = ByteBuffer.wrap(buf, 0, n);
          try {
            while (bb.hasRemaining()) {
              out.write(bb);
            }
          } catch (IOException e) {
            throw new IOException("writing " + tmp + " failed after " + size + " bytes: " + reason(e), e);
          }
          size += n;
        }
        if (watchdog.killedBecause() != null) {
          throw new IOException(watchdog.killedBecause());
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          throw new IOException("pg_dump closed its output but did not exit");
        }
        if (p.exitValue() != 0) {
          throw new IOException("pg_dump exited with " + p.exitValue() + ": " + err.text());
        }
        try {
          out.force(true);
        } catch (IOException e) {
          throw new IOException("fsync of " + tmp + " failed: " + reason(e), e);
        }
      } catch (IOException | RuntimeException e) {
        p.destroyForcibly();
        throw e;
      } finally {
        watchdog.stop();
      }
    }
    if (size == 0) {
      throw new IOException("pg_dump wrote nothing");
    }
    try {
      Files.move(tmp, dest, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      throw new IOException("cannot rename " + tmp + " atomically to " + dest + ": " + e.getMessage(), e);
    }
    fsyncDirectory(dest.getParent());
    return new Result(dest, size, HexFormat.of().formatHex(sha.digest()));
  }

  /** {@code pg_restore --list}: the archive's table of contents must be readable and non-empty. */
  static int verify(PgTools tools, Path file) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(tools.pgRestore().toString(), "--list", file.toString())
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
    StderrTail err = StderrTail.start(p.getErrorStream());
    int entries = 0;
    try (InputStream in = p.getInputStream()) {
      String toc = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String line : toc.split("\n")) {
        if (!line.isBlank() && !line.startsWith(";")) {
          entries++;
        }
      }
    }
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException("pg_restore --list did not finish in 10 minutes");
    }
    if (p.exitValue() != 0) {
      throw new IOException("pg_restore --list failed with exit " + p.exitValue() + ": " + err.text());
    }
    if (entries == 0) {
      throw new IOException("pg_restore --list found no entries in " + file);
    }
    return entries;
  }

  private static String reason(IOException e) {
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }

  static void fsyncDirectory(Path dir) throws IOException {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    }
  }

  static String sha256Of(Path file) throws IOException {
    MessageDigest sha = sha256();
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) >= 0) {
        sha.update(buf, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static MessageDigest sha256() {
    return dev.autopilot.internal.Hashing.sha256Digest();
  }

  /**
   * Kills the child when the timeout passes or the task is cancelled, even while it writes
   * nothing (a dump waiting on a lock would otherwise block our read forever).
   */
  static final class Watchdog {
    private final Thread thread;
    private volatile String killedBecause;

    private Watchdog(Process p, Duration timeout, BooleanSupplier cancelled) {
      long deadline = System.nanoTime() + timeout.toNanos();
      thread = new Thread(() -> {
        try {
          while (p.isAlive()) {
            if (cancelled.getAsBoolean()) {
              killedBecause = "cancelled (Autopilot is shutting down)";
            } else if (System.nanoTime() > deadline) {
              killedBecause = "pg_dump did not finish within " + timeout + " (setting autopilot.backup.timeout)";
            }
            if (killedBecause != null) {
              p.destroyForcibly();
              return;
            }
            Thread.sleep(200);
          }
        } catch (InterruptedException e) {
          // stopped: the dump is over
        }
      }, "autopilot-pg-dump-watchdog");
      thread.setDaemon(true);
    }

    static Watchdog start(Process p, Duration timeout, BooleanSupplier cancelled) {
      Watchdog w = new Watchdog(p, timeout, cancelled);
      w.thread.start();
      return w;
    }

    String killedBecause() {
      return killedBecause;
    }

    void stop() {
      thread.interrupt();
    }
  }

  /** Keeps the last 4 KB of a child's stderr, read on a daemon thread so the child never blocks. */
  static final class StderrTail {
    private final StringBuilder tail = new StringBuilder();
    private final Thread thread;

    private StderrTail(InputStream in) {
      thread = new Thread(() -> {
        byte[] buf = new byte[4096];
        int n;
        try {
          while ((n = in.read(buf)) >= 0) {
            synchronized (tail) {
              tail.append(new String(buf, 0, n, StandardCharsets.UTF_8));
              if (tail.length() > 4096) {
                tail.delete(0, tail.length() - 4096);
              }
            }
          }
        } catch (IOException ignored) {
          // the child is gone; what we have is all there is
        }
      }, "autopilot-pg-stderr");
      thread.setDaemon(true);
    }

    static StderrTail start(InputStream in) {
      StderrTail t = new StderrTail(in);
      t.thread.start();
      return t;
    }

    String text() {
      try {
        thread.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (tail) {
        return tail.toString().trim();
      }
    }
  }
}
