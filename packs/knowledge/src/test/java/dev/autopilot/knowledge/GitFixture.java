package dev.autopilot.knowledge;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.RefSpec;

/** A local bare repository and a clone to commit and push with, all through JGit. */
final class GitFixture implements AutoCloseable {
  final Path bare;
  final Git work;
  private static final PersonIdent DEV = new PersonIdent("Dev", "dev@example.com");

  GitFixture(Path base) throws Exception {
    bare = base.resolve("remote.git");
    Git.init().setBare(true).setDirectory(bare.toFile()).setInitialBranch("main").call().close();
    work = Git.init().setDirectory(base.resolve("work").toFile()).setInitialBranch("main").call();
    work.remoteAdd().setName("origin").setUri(new org.eclipse.jgit.transport.URIish(bare.toUri().toString())).call();
  }

  String uri() {
    return bare.toUri().toString();
  }

  /** Writes files (null content deletes), commits and pushes (forced when asked). */
  RevCommit commit(Map<String, String> files, String message, boolean force) throws Exception {
    Path root = work.getRepository().getWorkTree().toPath();
    for (Map.Entry<String, String> f : files.entrySet()) {
      Path p = root.resolve(f.getKey());
      if (f.getValue() == null) {
        Files.delete(p);
        work.rm().addFilepattern(f.getKey()).call();
      } else {
        Files.createDirectories(p.getParent());
        Files.writeString(p, f.getValue());
        work.add().addFilepattern(f.getKey()).call();
      }
    }
    RevCommit c = work.commit().setMessage(message).setAuthor(DEV).setCommitter(DEV).setSign(false).call();
    work.push().setRemote("origin").setForce(force).setRefSpecs(new RefSpec((force ? "+" : "") + "refs/heads/main:refs/heads/main")).call();
    return c;
  }

  @Override
  public void close() {
    work.close();
  }
}
