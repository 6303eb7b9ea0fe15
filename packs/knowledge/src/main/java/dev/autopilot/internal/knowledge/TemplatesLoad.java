package dev.autopilot.internal.knowledge;

import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * templates-data-load: a local {@code templates_data/} tree into {@code templates} (source
 * {@code local}): changed files upserted, removed files deleted, both by content hash. A file that
 * cannot be read as text (binary, not UTF-8, over the size limit) is left out with a warning and
 * its existing row, if any, is kept. Hidden files and directories are ignored.
 */
final class TemplatesLoad implements JavaTask {

  static final String DIR = "autopilot.templates.dir";
  static final String MAX_FILE_SIZE = "autopilot.templates.max-file-size";
  private static final Logger log = LoggerFactory.getLogger(TemplatesLoad.class);
  private final String prefix;

  TemplatesLoad(String logPrefix) {
    this.prefix = logPrefix;
  }

  @Override
  public void run(TaskContext ctx) throws Exception {
    String dir = ctx.config().get("templates.dir", "");
    if (dir.isBlank()) {
      ctx.skip("no templates directory configured (" + DIR + ")");
      return;
    }
    Path root = Paths.get(dir).toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      // never treat a missing tree as "every template removed"
      throw new ConfigurationException(DIR, dir, "not a directory; no template was changed");
    }
    long limit = ctx.config().getInt("templates.max-file-size", 1 << 20);
    List<TemplatesTable.Template> files = new ArrayList<>();
    Set<String> present = new HashSet<>();
    List<Path> paths;
    try (Stream<Path> s = Files.walk(root)) {
      paths = s.filter(Files::isRegularFile).filter(p -> !hidden(root.relativize(p))).sorted().collect(Collectors.toList());
    }
    for (Path p : paths) {
      String rel = root.relativize(p).toString().replace('\\', '/');
      present.add(rel);
      try (InputStream in = Files.newInputStream(p)) {
        byte[] data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
        if (data.length > limit) {
          throw new TextFiles.BadFile("larger than the limit of " + limit + " bytes (" + MAX_FILE_SIZE + ")");
        }
        if (TextFiles.looksBinary(data)) {
          throw new TextFiles.BadFile("binary file");
        }
        String text = TextFiles.utf8(data);
        files.add(new TemplatesTable.Template(rel, text, Json.sha256(text)));
      } catch (TextFiles.BadFile e) {
        log.warn("{}templates-data-load: left out {}: {}", prefix, p, e.getMessage());
      } catch (IOException e) {
        log.warn("{}templates-data-load: cannot read {}: {}", prefix, p, e.toString());
      }
    }
    TemplatesTable table = new TemplatesTable(ctx.schema(), "local");
    int[] n = new Jdbc(ctx.dataSource()).inTransaction(c -> {
      int written = 0;
      for (TemplatesTable.Template t : files) {
        written += table.upsert(c, t, null);
      }
      int deleted = table.delete(c, table.others(c, present));
      return new int[] {written, deleted};
    });
    log.info("{}templates-data-load: {} file(s) under {}: {} upserted, {} deleted", prefix, files.size(), root, n[0], n[1]);
  }

  private static boolean hidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
