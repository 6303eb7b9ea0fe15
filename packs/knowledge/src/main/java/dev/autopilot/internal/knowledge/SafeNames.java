package dev.autopilot.internal.knowledge;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * File names made from data (artifact types and ids, pattern keys) for the export tree: only
 * {@code [A-Za-z0-9._-]}, no leading dot (so never {@code .} or {@code ..} or a hidden file), at
 * most 80 characters. A name that had to change gets {@code ~} and a hash of the original, so two
 * different names never map to one file. Paths are checked again after resolution.
 */
final class SafeNames {
  private SafeNames() {}

  static String segment(String raw) {
    StringBuilder b = new StringBuilder(raw.length());
    raw.codePoints().forEach(cp -> b.append(cp < 128 && (Character.isLetterOrDigit(cp) || cp == '.' || cp == '_' || cp == '-')
        ? (char) cp : '_'));
    String s = b.toString();
    int dots = 0;
    while (dots < s.length() && s.charAt(dots) == '.') {
      dots++;
    }
    s = "_".repeat(dots) + s.substring(dots);
    if (s.isEmpty()) {
      s = "_";
    }
    if (s.length() > 80) {
      s = s.substring(0, 80);
    }
    return s.equals(raw) ? s : s + "~" + Json.sha256(raw).substring(0, 10);
  }

  /**
   * Resolves a relative path of safe segments under root and proves it stays there, also through
   * symbolic links of directories already present.
   */
  static Path resolveInside(Path root, String... segments) throws IOException {
    Path realRoot = root.toRealPath();
    Path p = realRoot;
    for (String s : segments) {
      p = p.resolve(s);
    }
    p = p.normalize();
    if (!p.startsWith(realRoot) || p.equals(realRoot)) {
      throw new IOException("refusing path outside the export tree: " + p);
    }
    for (Path dir = p.getParent(); dir != null && !dir.equals(realRoot); dir = dir.getParent()) {
      if (Files.isSymbolicLink(dir)) {
        throw new IOException("refusing to write through the symbolic link " + dir);
      }
    }
    if (Files.exists(p, LinkOption.NOFOLLOW_LINKS) && Files.isSymbolicLink(p)) {
      throw new IOException("refusing to overwrite the symbolic link " + p);
    }
    return p;
  }
}
