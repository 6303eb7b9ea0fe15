package dev.autopilot.internal.learning;

import dev.autopilot.learning.PatternCache.Pattern;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/** Writes the pattern export: temp file in the same directory, fsync, atomic rename, fsync dir. */
final class JsonExport {
  private JsonExport() {}

  static String render(Collection<Pattern> patterns) {
    StringBuilder b = new StringBuilder("[\n");
    int i = 0;
    for (Pattern p : patterns) {
      b.append(i++ == 0 ? "  " : ",\n  ")
          .append("{\"key\":").append(Json.str(p.key()))
          .append(",\"usage_count\":").append(p.usageCount())
          .append(",\"success_count\":").append(p.successCount())
          .append(",\"confidence\":").append(Double.isFinite(p.confidence()) ? Double.toString(p.confidence()) : "null")
          .append(",\"last_seen\":").append(p.lastSeen() == null ? "null" : Json.str(p.lastSeen().toString()))
          .append(",\"updated_at\":").append(p.updatedAt() == null ? "null" : Json.str(p.updatedAt().toString()))
          .append(",\"data\":").append(p.dataJson() == null ? "null" : p.dataJson())
          .append('}');
    }
    return b.append(i == 0 ? "]\n" : "\n]\n").toString();
  }

  /** @return true when the file was (re)written, false when it already held exactly this */
  static boolean writeIfChanged(Path file, Collection<Pattern> patterns) throws IOException {
    byte[] bytes = render(patterns).getBytes(StandardCharsets.UTF_8);
    Path dir = file.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new IOException(dir + " is not an existing directory");
    }
    if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), bytes)) {
      return false;
    }
    Path tmp = dir.resolve("." + file.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().getId()
        + ".tmp");
    try {
      try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
          StandardOpenOption.WRITE))) {
        ByteBuffer bb = ByteBuffer.wrap(bytes);
        while (bb.hasRemaining()) {
          ch.write(bb);
        }
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } finally {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // nothing was created there; keep the original error
      }
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    }
    return true;
  }
}
