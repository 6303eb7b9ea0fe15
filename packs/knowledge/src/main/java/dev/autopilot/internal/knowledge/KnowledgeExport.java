package dev.autopilot.internal.knowledge;

import com.fasterxml.jackson.databind.JsonNode;
import dev.autopilot.AutopilotException;
import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * knowledge-export: every knowledge artifact ({@code knowledge/<type>/<id>.json}) and every
 * learned pattern with confidence at least {@code min-confidence} ({@code patterns/<key>.json})
 * written as canonical JSON into a Git working tree, stale files in those two folders removed,
 * committed through JGit only when something changed, optionally pushed. A working tree with
 * uncommitted changes is refused untouched: the export never overwrites someone's edit.
 */
final class KnowledgeExport implements JavaTask {

  static final String P = "autopilot.knowledge-export.";
  static final List<String> FOLDERS = List.of("knowledge", "patterns");
  private static final Logger log = LoggerFactory.getLogger(KnowledgeExport.class);
  private final String prefix;

  KnowledgeExport(String logPrefix) {
    this.prefix = logPrefix;
  }

  @Override
  public void run(TaskContext ctx) throws Exception {
    ClusterLock.runExclusive(ctx, () -> runLocked(ctx));
  }

  private void runLocked(TaskContext ctx) throws Exception {
    String dirSetting = ctx.config().get("knowledge-export.dir", "");
    if (dirSetting.isBlank()) {
      ctx.skip("no export working tree configured (" + P + "dir)");
      return;
    }
    double minConfidence;
    String mc = ctx.config().get("knowledge-export.min-confidence", "0.8");
    try {
      minConfidence = Double.parseDouble(mc);
    } catch (NumberFormatException e) {
      throw new ConfigurationException(P + "min-confidence", mc, "not a number");
    }
    boolean push = ctx.config().getBoolean("knowledge-export.push", false);
    String remote = ctx.config().get("knowledge-export.remote", "");
    if (push && remote.isBlank()) {
      throw new ConfigurationException(P + "push", "true", "needs " + P + "remote (a URL or a remote name)");
    }
    Path dir = Paths.get(dirSetting).toAbsolutePath().normalize();
    try (Git git = openOrInit(dir, dirSetting)) {
      Status before = git.status().call();
      if (!before.isClean()) {
        Set<String> dirty = new TreeSet<>(before.getUncommittedChanges());
        dirty.addAll(before.getUntracked());
        throw new AutopilotException("knowledge-export: the working tree " + dir + " (" + P + "dir) has uncommitted"
            + " changes, nothing was exported; commit or discard them: "
            + dirty.stream().limit(10).collect(Collectors.joining(", ")) + (dirty.size() > 10 ? ", ..." : ""));
      }
      Map<List<String>, String> files = desired(ctx, minConfidence);
      Path root = git.getRepository().getWorkTree().toPath();
      int changed = writeTree(root, git.getRepository().getDirectory().toPath(), files);
      git.add().addFilepattern("knowledge").addFilepattern("patterns").call();
      git.add().setUpdate(true).addFilepattern("knowledge").addFilepattern("patterns").call();
      Status after = git.status().call();
      boolean nothing = after.getAdded().isEmpty() && after.getChanged().isEmpty() && after.getRemoved().isEmpty();
      if (nothing) {
        log.info("{}knowledge-export: {} file(s) in {} unchanged, no commit", prefix, files.size(), dir);
      } else {
        PersonIdent who = new PersonIdent(ctx.config().get("knowledge-export.author-name", "Autopilot"),
            ctx.config().get("knowledge-export.author-email", "autopilot@localhost"));
        long artifacts = files.keySet().stream().filter(k -> k.get(0).equals("knowledge")).count();
        RevCommit c = git.commit().setAuthor(who).setCommitter(who).setSign(false)
            .setMessage("knowledge export: " + artifacts + " artifact(s), " + (files.size() - artifacts) + " pattern(s)\n\n"
                + after.getAdded().size() + " added, " + after.getChanged().size() + " changed, "
                + after.getRemoved().size() + " removed")
            .call();
        log.info("{}knowledge-export: committed {} in {} ({} file(s) written or removed)", prefix,
            c.getId().abbreviate(12).name(), dir, changed);
      }
      if (push) {
        push(ctx, git, remote);
      }
    }
  }

  private Git openOrInit(Path dir, String setting) throws IOException, GitAPIException {
    if (Files.isDirectory(dir.resolve(".git"))) {
      return Git.open(dir.toFile());
    }
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        if (s.findAny().isPresent()) {
          throw new ConfigurationException(P + "dir", setting, "not a Git working tree and not empty");
        }
      }
    }
    Files.createDirectories(dir);
    log.info("{}knowledge-export: initialised a Git repository in {}", prefix, dir);
    return Git.init().setDirectory(dir.toFile()).setInitialBranch("main").call();
  }

  /** @return relative path (safe segments) -> file content */
  private Map<List<String>, String> desired(TaskContext ctx, double minConfidence) {
    String q = Jdbc.quoteIdent(ctx.schema());
    Jdbc jdbc = new Jdbc(ctx.dataSource());
    Map<List<String>, String> files = new TreeMap<>((a, b) -> String.join("/", a).compareTo(String.join("/", b)));
    jdbc.query("SELECT artifact_type, artifact_id, content::text FROM " + q + ".knowledge_artifacts ORDER BY 1, 2",
        Jdbc.NONE, rs -> {
          JsonNode content = parse(rs.getString(3));
          files.put(List.of("knowledge", SafeNames.segment(rs.getString(1)), SafeNames.segment(rs.getString(2)) + ".json"),
              Json.pretty(content));
          return null;
        });
    // learned patterns belong to the learning pack: exported only when its table is there
    boolean patterns = jdbc.queryOne("SELECT to_regclass(?) IS NOT NULL", ps -> ps.setString(1, q + ".learned_patterns"),
        rs -> rs.getBoolean(1)).orElse(false);
    if (patterns) {
      jdbc.query("SELECT pattern_key, usage_count, success_count, confidence, last_seen, data::text FROM " + q
          + ".learned_patterns WHERE confidence >= ? ORDER BY 1", ps -> ps.setDouble(1, minConfidence), rs -> {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("pattern_key", rs.getString(1));
            p.put("usage_count", rs.getLong(2));
            p.put("success_count", rs.getLong(3));
            p.put("confidence", rs.getDouble(4));
            Timestamp seen = rs.getTimestamp(5);
            p.put("last_seen", seen == null ? null : seen.toInstant().toString());
            p.put("data", parse(rs.getString(6)));
            files.put(List.of("patterns", SafeNames.segment(rs.getString(1)) + ".json"), Json.pretty(p));
            return null;
          });
    }
    return files;
  }

  private static JsonNode parse(String json) {
    try {
      return Json.parse(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Writes changed files atomically and removes stale ones in the export folders; @return files touched. */
  private static int writeTree(Path root, Path gitDir, Map<List<String>, String> files) throws IOException {
    int touched = 0;
    Set<Path> wanted = new java.util.HashSet<>();
    for (Map.Entry<List<String>, String> f : files.entrySet()) {
      Path target = SafeNames.resolveInside(root, f.getKey().toArray(new String[0]));
      wanted.add(target);
      byte[] bytes = f.getValue().getBytes(StandardCharsets.UTF_8);
      if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && Arrays.equals(Files.readAllBytes(target), bytes)) {
        continue;
      }
      Files.createDirectories(target.getParent());
      SafeNames.resolveInside(root, f.getKey().toArray(new String[0])); // re-check now the parents exist
      // staged in .git so a crash never leaves a stray file that would make the tree dirty
      Path tmp = Files.createTempFile(gitDir, "autopilot-export-", ".tmp");
      Files.write(tmp, bytes);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      touched++;
    }
    Path realRoot = root.toRealPath();
    for (String folder : FOLDERS) {
      Path base = realRoot.resolve(folder);
      if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      List<Path> existing;
      try (Stream<Path> s = Files.walk(base)) {
        existing = s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).collect(Collectors.toList());
      }
      for (Path p : existing) {
        if (!wanted.contains(p)) {
          Files.delete(p);
          touched++;
        }
      }
      List<Path> dirs;
      try (Stream<Path> s = Files.walk(base)) {
        dirs = s.filter(Files::isDirectory).sorted((a, b) -> b.getNameCount() - a.getNameCount()).collect(Collectors.toList());
      }
      for (Path d : dirs) {
        try (Stream<Path> s = Files.list(d)) {
          if (s.findAny().isEmpty()) {
            Files.delete(d);
          }
        }
      }
    }
    return touched;
  }

  private void push(TaskContext ctx, Git git, String remote) throws GitAPIException, IOException {
    GitAccess access = new GitAccess(ctx.config(), "knowledge-export.", remote);
    Repository repo = git.getRepository();
    String branch = repo.getBranch();
    Iterable<PushResult> results;
    try {
      results = git.push().setRemote(remote).setCredentialsProvider(access.credentials).setTimeout(120)
          .setRefSpecs(new org.eclipse.jgit.transport.RefSpec("refs/heads/" + branch + ":refs/heads/" + branch)).call();
    } catch (GitAPIException | RuntimeException e) {
      throw new AutopilotException("knowledge-export: push to '" + access.redact(remote) + "' (" + P + "remote) failed: "
          + access.redact(e.getMessage()));
    }
    List<String> problems = new ArrayList<>();
    for (PushResult r : results) {
      for (RemoteRefUpdate u : r.getRemoteUpdates()) {
        if (u.getStatus() != RemoteRefUpdate.Status.OK && u.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
          problems.add(u.getRemoteName() + ": " + u.getStatus() + (u.getMessage() == null ? "" : " " + u.getMessage()));
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new AutopilotException("knowledge-export: push to '" + access.redact(remote) + "' (" + P + "remote) rejected: "
          + access.redact(String.join("; ", problems)));
    }
    log.info("{}knowledge-export: pushed {} to {}", prefix, branch, access.redact(remote));
  }
}
