package dev.autopilot.internal.knowledge;

import dev.autopilot.AutopilotException;
import dev.autopilot.ConfigurationException;
import dev.autopilot.internal.Jdbc;
import dev.autopilot.spi.JavaTask;
import dev.autopilot.spi.TaskContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * template-sync: fetches the configured branch of a template repository into a local bare
 * repository (created by the first run: the clone), applies the diff between the last synced
 * commit (task state {@code last-commit}) and the new head to {@code templates} (source
 * {@code git}), and records the new commit. When the last synced commit is not an ancestor of the
 * new head (history rewritten by a force-push) or the repository or branch changed, it resyncs
 * the whole tree by content hash instead. Credentials come from configuration and are redacted
 * from every message.
 */
final class TemplateSync implements JavaTask {

  static final String P = "autopilot.template-sync.";
  private static final Logger log = LoggerFactory.getLogger(TemplateSync.class);
  private final String prefix;

  TemplateSync(String logPrefix) {
    this.prefix = logPrefix;
  }

  @Override
  public void run(TaskContext ctx) throws Exception {
    ClusterLock.runExclusive(ctx, () -> runLocked(ctx));
  }

  private void runLocked(TaskContext ctx) throws Exception {
    String uri = ctx.config().get("template-sync.uri", "");
    if (uri.isBlank()) {
      ctx.skip("no template repository configured (" + P + "uri)");
      return;
    }
    String branch = ctx.config().get("template-sync.branch", "main");
    String subdir = ctx.config().get("template-sync.path", "").replaceAll("^/+|/+$", "");
    long limit = ctx.config().getInt("template-sync.max-file-size", 1 << 20);
    String workDirSetting = ctx.config().get("template-sync.work-dir", "");
    Path workDir = workDirSetting.isBlank()
        ? Paths.get(System.getProperty("java.io.tmpdir"), "autopilot-template-sync", ctx.schema())
        : Paths.get(workDirSetting);
    GitAccess access = new GitAccess(ctx.config(), "template-sync.", uri);
    String shownUri = access.redact(uri);

    // reachability and branch first, so both errors name their setting
    Collection<Ref> heads;
    try {
      heads = Git.lsRemoteRepository().setRemote(uri).setHeads(true).setTimeout(60)
          .setCredentialsProvider(access.credentials).call();
    } catch (GitAPIException | RuntimeException e) {
      throw new AutopilotException("template-sync: repository '" + shownUri + "' (" + P + "uri) is unreachable: "
          + access.redact(e.getMessage()));
    }
    if (heads.stream().noneMatch(r -> r.getName().equals(Constants.R_HEADS + branch))) {
      throw new ConfigurationException(P + "branch", branch, "no such branch in '" + shownUri + "' (branches: "
          + heads.stream().map(r -> Repository.shortenRefName(r.getName())).sorted().collect(Collectors.joining(", ")) + ")");
    }

    try (Git git = openOrInit(workDir, workDirSetting)) {
      String local = "refs/autopilot/sync/" + branch;
      try {
        git.fetch().setRemote(uri).setCredentialsProvider(access.credentials).setTimeout(120)
            .setRefSpecs(new RefSpec("+" + Constants.R_HEADS + branch + ":" + local)).call();
      } catch (GitAPIException | RuntimeException e) {
        throw new AutopilotException("template-sync: fetching branch '" + branch + "' of '" + shownUri + "' failed: "
            + access.redact(e.getMessage()));
      }
      Repository repo = git.getRepository();
      ObjectId head = repo.resolve(local);
      String origin = shownUri + "#" + branch + (subdir.isEmpty() ? "" : ":" + subdir);
      String last = ctx.state().get("last-commit").orElse(null);
      String lastOrigin = ctx.state().get("origin").orElse(null);
      if (head.name().equals(last) && origin.equals(lastOrigin)) {
        log.info("{}template-sync: {} unchanged at {}", prefix, origin, head.name());
        return;
      }
      int[] n;
      try (RevWalk walk = new RevWalk(repo)) {
        RevCommit newCommit = walk.parseCommit(head);
        RevCommit oldCommit = null;
        if (last != null && origin.equals(lastOrigin)) {
          ObjectId lastId = ObjectId.fromString(last);
          if (repo.getObjectDatabase().has(lastId)) {
            RevCommit candidate = walk.parseCommit(lastId);
            if (walk.isMergedInto(candidate, newCommit)) {
              oldCommit = candidate;
            }
          }
          if (oldCommit == null) {
            log.warn("{}template-sync: last synced commit {} is not in the history of {} any more (force-push?);"
                + " resyncing the whole tree", prefix, last, head.name());
          }
        }
        n = oldCommit == null ? full(ctx, repo, newCommit, subdir, limit) : diff(ctx, repo, oldCommit, newCommit, subdir, limit);
      }
      ctx.state().put("last-commit", head.name());
      ctx.state().put("origin", origin);
      log.info("{}template-sync: {} {} -> {}: {} upserted, {} deleted", prefix, origin,
          last == null ? "(first sync)" : last.substring(0, 12), head.name().substring(0, 12), n[0], n[1]);
    }
  }

  private static Git openOrInit(Path dir, String setting) throws IOException, GitAPIException {
    if (Files.isDirectory(dir)) {
      boolean empty;
      try (Stream<Path> s = Files.list(dir)) {
        empty = s.findAny().isEmpty();
      }
      if (!empty) {
        if (!Files.exists(dir.resolve("HEAD")) || !Files.isDirectory(dir.resolve("objects"))) {
          throw new ConfigurationException(P + "work-dir", setting.isBlank() ? dir.toString() : setting,
              "not empty and not a template-sync repository; use an empty or new directory");
        }
        return Git.open(dir.toFile());
      }
    }
    Files.createDirectories(dir);
    return Git.init().setBare(true).setDirectory(dir.toFile()).call();
  }

  /** The files of the tree at {@code commit} under {@code subdir}, upserted; rows not in it deleted. */
  private int[] full(TaskContext ctx, Repository repo, RevCommit commit, String subdir, long limit) throws IOException {
    List<TemplatesTable.Template> files = new ArrayList<>();
    Set<String> present = new HashSet<>();
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(commit.getTree());
      tw.setRecursive(true);
      if (!subdir.isEmpty()) {
        tw.setFilter(PathFilter.create(subdir));
      }
      while (tw.next()) {
        String path = relative(tw.getPathString(), subdir);
        present.add(path);
        TemplatesTable.Template t = read(repo, tw.getObjectId(0), path, limit);
        if (t != null) {
          files.add(t);
        }
      }
    }
    TemplatesTable table = new TemplatesTable(ctx.schema(), "git");
    return new Jdbc(ctx.dataSource()).inTransaction(c -> {
      int written = 0;
      for (TemplatesTable.Template t : files) {
        written += table.upsert(c, t, commit.name());
      }
      return new int[] {written, table.delete(c, table.others(c, present))};
    });
  }

  private int[] diff(TaskContext ctx, Repository repo, RevCommit from, RevCommit to, String subdir, long limit)
      throws IOException {
    List<TemplatesTable.Template> upserts = new ArrayList<>();
    List<String> deletes = new ArrayList<>();
    try (TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(from.getTree());
      tw.addTree(to.getTree());
      tw.setRecursive(true);
      if (!subdir.isEmpty()) {
        tw.setFilter(PathFilter.create(subdir));
      }
      for (DiffEntry d : DiffEntry.scan(tw)) {
        if (d.getChangeType() == DiffEntry.ChangeType.DELETE || d.getChangeType() == DiffEntry.ChangeType.RENAME) {
          deletes.add(relative(d.getOldPath(), subdir));
        }
        if (d.getChangeType() != DiffEntry.ChangeType.DELETE) {
          TemplatesTable.Template t = read(repo, d.getNewId().toObjectId(), relative(d.getNewPath(), subdir), limit);
          if (t != null) {
            upserts.add(t);
          }
        }
      }
    }
    TemplatesTable table = new TemplatesTable(ctx.schema(), "git");
    return new Jdbc(ctx.dataSource()).inTransaction(c -> {
      int written = 0;
      for (TemplatesTable.Template t : upserts) {
        written += table.upsert(c, t, to.name());
      }
      return new int[] {written, table.delete(c, deletes)};
    });
  }

  private static String relative(String path, String subdir) {
    return subdir.isEmpty() ? path : path.substring(subdir.length() + 1);
  }

  private TemplatesTable.Template read(Repository repo, ObjectId blob, String path, long limit) throws IOException {
    ObjectLoader l = repo.open(blob);
    try {
      if (l.getSize() > limit) {
        throw new TextFiles.BadFile("larger than the limit of " + limit + " bytes (" + P + "max-file-size)");
      }
      byte[] data = l.getBytes();
      if (TextFiles.looksBinary(data)) {
        throw new TextFiles.BadFile("binary file");
      }
      String text = TextFiles.utf8(data);
      return new TemplatesTable.Template(path, text, Json.sha256(text));
    } catch (TextFiles.BadFile e) {
      log.warn("{}template-sync: left out {}: {}", prefix, path, e.getMessage());
      return null;
    }
  }
}
