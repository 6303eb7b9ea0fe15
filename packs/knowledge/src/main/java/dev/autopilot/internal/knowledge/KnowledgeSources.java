package dev.autopilot.internal.knowledge;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Finds knowledge files: {@code *.json} under directories and under a classpath prefix. */
final class KnowledgeSources {
  private KnowledgeSources() {}

  /** One input file: its name as recorded (path or {@code classpath:...}) and how to open it. */
  interface Source {
    String name();

    InputStream open() throws IOException;
  }

  record FileSource(Path path) implements Source {
    @Override
    public String name() {
      return path.toString();
    }

    @Override
    public InputStream open() throws IOException {
      return Files.newInputStream(path);
    }
  }

  record UrlSource(String name, URL url) implements Source {
    @Override
    public InputStream open() throws IOException {
      return url.openStream();
    }
  }

  /** Every {@code *.json} below a directory (not following links, hidden entries left out), sorted. */
  static List<Source> directory(Path dir) throws IOException {
    Path root = dir.toAbsolutePath().normalize();
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().endsWith(".json"))
          .filter(p -> root.relativize(p).toString().chars().noneMatch(c -> c == 0)
              && !hidden(root.relativize(p)))
          .sorted()
          .map(FileSource::new)
          .collect(Collectors.toList());
    }
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  /** Every {@code *.json} resource under a classpath prefix, from directories and jars, sorted by name. */
  static List<Source> classpath(ClassLoader loader, String prefix) throws IOException {
    String dir = prefix.replaceAll("^/+", "").replaceAll("/+$", "") + "/";
    TreeMap<String, Source> found = new TreeMap<>();
    Enumeration<URL> roots = loader.getResources(dir);
    while (roots.hasMoreElements()) {
      URL root = roots.nextElement();
      if (root.getProtocol().equals("file")) {
        Path base;
        try {
          base = Paths.get(root.toURI());
        } catch (URISyntaxException e) {
          throw new IOException("bad classpath URL " + root, e);
        }
        for (Source s : directory(base)) {
          String rel = base.relativize(((FileSource) s).path()).toString().replace('\\', '/');
          found.putIfAbsent("classpath:" + dir + rel, new UrlSource("classpath:" + dir + rel,
              ((FileSource) s).path().toUri().toURL()));
        }
      } else if (root.getProtocol().equals("jar")) {
        JarURLConnection conn = (JarURLConnection) root.openConnection();
        conn.setUseCaches(false);
        try (JarFile jar = conn.getJarFile()) {
          for (JarEntry e : jar.stream().collect(Collectors.toList())) {
            String n = e.getName();
            if (!e.isDirectory() && n.startsWith(dir) && n.endsWith(".json")) {
              URL url = loader.getResource(n);
              if (url != null) {
                found.putIfAbsent("classpath:" + n, new UrlSource("classpath:" + n, url));
              }
            }
          }
        } catch (UncheckedIOException e) {
          throw e.getCause();
        }
      }
    }
    return new ArrayList<>(found.values());
  }
}
