package dev.autopilot.internal.code;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * Walks one codebase root in a stable order, honouring every {@code .gitignore} on the way with
 * JGit's ignore rules (nested files, negation, directory patterns), following symbolic links
 * but reporting loops, and skipping well-known build and dependency directories.
 */
final class FileWalker {

  /** A regular file found under the root; path relative to it with '/'. */
  record Found(String path, Path file, long size) {}

  static final Set<String> SKIPPED_DIRS = Set.of(".git", ".hg", ".svn", "node_modules", "target", "build", "dist",
      ".gradle", ".idea", ".vscode", "__pycache__", ".venv", "venv", "_build", "deps", ".mvn", ".next", "out");

  private record Level(Path dir, IgnoreNode rules) {}

  private FileWalker() {}

  /**
   * @param problems receives one clear message per path that could not be walked
   */
  static void walk(Path root, Consumer<Found> files, Consumer<String> problems) throws IOException {
    Deque<Level> ignores = new ArrayDeque<>();
    Files.walkFileTree(root, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
        if (!dir.equals(root)) {
          if (SKIPPED_DIRS.contains(dir.getFileName().toString()) || ignored(root, ignores, dir, true)) {
            return FileVisitResult.SKIP_SUBTREE;
          }
        }
        ignores.push(new Level(dir, readIgnore(dir, problems)));
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException exc) {
        ignores.pop();
        if (exc != null) {
          problems.accept(rel(root, dir) + ": directory listing failed: " + exc.getMessage());
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        if (!attrs.isRegularFile()) {
          if (attrs.isSymbolicLink()) {
            problems.accept(rel(root, file) + ": cannot be read (dangling symbolic link)");
          } else if (!attrs.isDirectory()) {
            problems.accept(rel(root, file) + ": skipped, not a regular file");
          }
          return FileVisitResult.CONTINUE;
        }
        if (!ignored(root, ignores, file, false)) {
          files.accept(new Found(rel(root, file), file, attrs.size()));
        }
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException exc) {
        String why;
        if (exc instanceof FileSystemLoopException) {
          why = "symbolic link loop, not followed";
        } else if (exc instanceof AccessDeniedException) {
          why = "permission denied";
        } else if (exc instanceof NoSuchFileException) {
          why = "cannot be read (dangling symbolic link or removed while walking)";
        } else {
          why = "cannot be read: " + exc;
        }
        problems.accept(rel(root, file) + ": " + why);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private static IgnoreNode readIgnore(Path dir, Consumer<String> problems) {
    Path gi = dir.resolve(".gitignore");
    if (!Files.isRegularFile(gi)) {
      return null;
    }
    IgnoreNode node = new IgnoreNode();
    try (InputStream in = Files.newInputStream(gi)) {
      node.parse(gi.toString(), in);
      return node;
    } catch (IOException e) {
      problems.accept(gi + ": .gitignore unreadable, ignored: " + e.getMessage());
      return null;
    }
  }

  /** Deepest .gitignore with a matching rule decides, as in Git. */
  private static boolean ignored(Path root, Deque<Level> levels, Path path, boolean dir) {
    for (Level l : levels) { // a stack: iterates from the deepest level
      if (l.rules() == null) {
        continue;
      }
      String relToLevel = l.dir().relativize(path).toString().replace('\\', '/');
      Boolean r = l.rules().checkIgnored(relToLevel, dir);
      if (r != null) {
        return r;
      }
    }
    return false;
  }

  static String rel(Path root, Path p) {
    String s = root.relativize(p).toString().replace('\\', '/');
    return s.isEmpty() ? "." : s;
  }

  static List<String> skippedDirs() {
    return List.copyOf(SKIPPED_DIRS);
  }
}
