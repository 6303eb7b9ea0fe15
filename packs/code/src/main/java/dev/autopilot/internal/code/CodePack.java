package dev.autopilot.internal.code;

import dev.autopilot.internal.Pack;
import dev.autopilot.internal.Settings;
import dev.autopilot.internal.embed.BackgroundEmbedding;
import dev.autopilot.internal.sqltasks.SqlTasks;
import dev.autopilot.internal.embed.EmbeddingModels;
import dev.autopilot.internal.embed.Embedder;
import dev.autopilot.internal.embed.MiniLmModel;
import dev.autopilot.internal.embed.RagSetup;
import dev.autopilot.internal.embed.VectorColumn;
import dev.autopilot.code.EmbeddingModel;
import dev.autopilot.code.RegistrySource;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.TaskContext;
import dev.autopilot.spi.Trigger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "code" pack. Configuration (global {@code autopilot.X} or per task
 * {@code autopilot.task.NAME.X}):
 * <ul>
 *   <li>{@code code.roots}: codebases, comma-separated {@code name=path} (see CodeRoots)</li>
 *   <li>{@code code.max-file-bytes}: larger files are skipped (default 1 MiB)</li>
 *   <li>{@code code.embed}: code-ingest embeds new chunks itself (default true; rag-setup
 *       backfills otherwise)</li>
 *   <li>{@code code.embed.wait}: how long the start-up tasks (code-ingest, rag-setup) wait for
 *       embeddings in all before the bootstrap goes on and the rest is embedded in the
 *       background (default 20s; search answers from what is embedded meanwhile)</li>
 *   <li>{@code code.entry-points}: comma-separated globs of files that are never dead code</li>
 *   <li>{@code rag.storage}: auto (default), pgvector or array</li>
 *   <li>{@code dead-code.report-dir}: where the weekly report is also written as a file</li>
 * </ul>
 */
public final class CodePack implements Pack {

  /** The pack's name. */
  public static final String NAME = "code";
  private static final Logger log = LoggerFactory.getLogger(CodePack.class);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public List<Task> tasks(Context context) {
    Settings s = context.settings();
    return List.of(
        Task.java("code-ingest", ctx -> ingest(ctx, false, true)).trigger(Trigger.startup(85))
            .description("Parses the configured codebases incrementally: files, chunks, imports graph, embeddings").pack("code").build(),
        Task.java("code-ingest-weekly", ctx -> ingest(ctx, true, false)).cron("0 6 * * 0")
            .description("Full re-parse of the configured codebases").pack("code").build(),
        Task.java("rag-setup", CodePack::ragSetup).trigger(Trigger.startup(70))
            .description("Vector storage (pgvector HNSW or real[]), embedding backfill, smoke query").pack("code").build(),
        Task.java("template-embed", ctx -> embed(ctx, Embedder.Owner.TEMPLATE)).cron("0 5 * * 0")
            .description("Re-embeds templates whose content or embedding model changed").pack("code").build(),
        Task.java("dead-code-daily-check", CodePack::deadCode).cron("0 9 * * *")
            .description("Files nobody depends on that are not entry points become dead-code findings").pack("code").build(),
        Task.java("dead-code-weekly-summary", CodePack::weeklySummary).cron("0 9 * * 1")
            .description("Markdown report of the week's dead-code findings and trend").pack("code").build(),
        Task.java("registry-sync", CodePack::registrySync).cron("0 4 * * *")
            .description("Package registry snapshot from manifests, external imports and RegistrySources").pack("code").build(),
        SqlTasks.call(s, NAME, "cache-cleanup-expired", "*/15 * * * *", "cache_cleanup_expired",
            "Deletes expired package cache rows in committed batches",
            new SqlTasks.Param("batch-size", "p_batch", SqlTasks.Type.INT)),
        SqlTasks.call(s, NAME, "cache-refresh-hot-packages", "0 * * * *", "cache_refresh_hot_packages",
            "Refreshes the hot_packages view concurrently"),
        SqlTasks.call(s, NAME, "cache-prewarm-hot-packages", "0 */6 * * *", "cache_prewarm_hot_packages",
            "Puts every hot package into the package cache",
            new SqlTasks.Param("ttl", "p_ttl", SqlTasks.Type.INTERVAL)),
        SqlTasks.call(s, NAME, "pagerank-recalculation", "0 3 * * *", "pagerank_recalculation",
            "PageRank of the code dependency graph into graph_nodes.pagerank",
            new SqlTasks.Param("damping", "p_damping", SqlTasks.Type.DOUBLE),
            new SqlTasks.Param("tolerance", "p_tol", SqlTasks.Type.DOUBLE),
            new SqlTasks.Param("max-iterations", "p_max_iter", SqlTasks.Type.INT)),
        SqlTasks.call(s, NAME, "cleanup-code-chunks", "0 2 * * 0", "cleanup_code_chunks",
            "Deletes chunks of deleted files and superseded chunks with their embeddings"),
        SqlTasks.call(s, NAME, "vector-stats-refresh", "0 4 * * 0", "vector_stats_refresh",
            "Analyzes embeddings and records vector statistics per model"),
        Task.sql("graph-populate", "CALL ${schema}.graph_populate()")
            .trigger(Trigger.cron("0 7 * * 0").andAtStartup(80)).pack(NAME)
            .description("Fills dependency arrays and degrees of graph nodes in one set-based pass").build());
  }

  @Override
  public void services(Context context, Map<Class<?>, Object> services) {
    String storage = context.settings().get("autopilot.rag.storage").orElse("auto");
    services.putIfAbsent(BackgroundEmbedding.class, new BackgroundEmbedding());
    services.putIfAbsent(dev.autopilot.code.CodeSearch.class, new dev.autopilot.code.CodeSearch(
        new CodeSearch(context.dataSource(), context.schema(), services, storage)));
  }

  @Override
  public List<dev.autopilot.internal.Extension> extensions(Context context) {
    Object bg = context.services().get(BackgroundEmbedding.class);
    if (!(bg instanceof BackgroundEmbedding background)) {
      return List.of();
    }
    return List.of(new dev.autopilot.internal.Extension() { // on close: stop embedding after the current page
      @Override
      public void close() {
        background.close();
      }
    });
  }

  static EmbeddingModel model(TaskContext ctx) {
    return ctx.service(EmbeddingModel.class).orElseGet(() -> EmbeddingModels.of(Map.of()));
  }

  /** Waits (see {@link BackgroundEmbedding}) as long as {@code code.embed.wait} allows for start-up tasks. */
  private static BackgroundEmbedding.Outcome embedInBackground(TaskContext ctx, EmbeddingModel model,
      List<Embedder.Owner> owners, boolean startup, String what) {
    java.util.function.LongConsumer progress = d -> ctx.progress(d, -1, "embedding " + what);
    java.util.Optional<BackgroundEmbedding> bg = ctx.service(BackgroundEmbedding.class);
    Duration all = Duration.ofDays(365);
    if (bg.isEmpty()) {
      // nothing to hand the rest to: embed everything now
      try (BackgroundEmbedding now = new BackgroundEmbedding()) {
        return now.embed(ctx.dataSource(), ctx.schema(), model, owners, all, false, progress, ctx::isCancelled);
      }
    }
    Duration wait = startup ? ctx.config().getDuration("code.embed.wait", BackgroundEmbedding.DEFAULT_WAIT) : all;
    return bg.get().embed(ctx.dataSource(), ctx.schema(), model, owners, wait, startup, progress, ctx::isCancelled);
  }

  private static String embedded(BackgroundEmbedding.Outcome o, String what) {
    return o.embedded() + " " + what + " embedded" + (o.finished() ? "" : ", the rest continues in the background");
  }

  private static void ingest(TaskContext ctx, boolean full, boolean startup) {
    Map<String, Path> roots = CodeRoots.parse(ctx.config().get("code.roots").orElse(null));
    if (roots.isEmpty()) {
      ctx.skip("no codebases configured (autopilot.code.roots)");
      return;
    }
    long maxBytes = ctx.config().getInt("code.max-file-bytes", 1 << 20);
    boolean embed = ctx.config().getBoolean("code.embed", true);
    boolean vec = embed && VectorColumn.dims(new dev.autopilot.internal.Jdbc(ctx.dataSource()), ctx.schema()) > 0;
    CodeIngest ingest = new CodeIngest(ctx.dataSource(), ctx.schema(), maxBytes, vec);
    List<String> summary = new ArrayList<>();
    int problems = 0;
    for (Map.Entry<String, Path> r : roots.entrySet()) {
      CodeIngest.Stats st = ingest.ingest(r.getKey(), r.getValue(), full, new CodeIngest.Listener() {
        @Override
        public void progress(long done, long total, String message) {
          ctx.progress(done, total, message);
        }

        @Override
        public void problem(String message) {
          log.warn("[{}] {}", ctx.taskName(), message);
        }
      }, ctx::isCancelled);
      problems += st.problems().size();
      String line = String.format("%s: %d files (%d new, %d changed, %d unchanged, %d deleted, %d skipped), %d chunks"
          + " written, graph %d node and %d edge changes, %d problem(s), %d ms", st.codebase(), st.seen(), st.added(),
          st.changed(), st.unchanged(), st.deleted(), st.skipped(), st.chunks(), st.graph().nodes(), st.graph().edges(),
          st.problems().size(), st.millis());
      log.info("[{}] {}", ctx.taskName(), line);
      summary.add(line);
    }
    if (embed) {
      summary.add(embedded(embedInBackground(ctx, model(ctx), List.of(Embedder.Owner.CHUNK), startup, "chunks"),
          "chunk(s)"));
    }
    ctx.progress(1, 1, String.join("; ", summary) + (problems > 0 ? "; see the log for " + problems + " problem(s)" : ""));
  }

  private static void ragSetup(TaskContext ctx) {
    String mode = ctx.config().get("rag.storage", "auto").trim();
    java.util.Optional<EmbeddingModel> host = ctx.service(EmbeddingModel.class);
    boolean knowledge = knowledgeTables(ctx);
    String q = dev.autopilot.internal.Jdbc.quoteIdent(ctx.schema());
    boolean empty = new dev.autopilot.internal.Jdbc(ctx.dataSource()).queryOne("SELECT NOT EXISTS (SELECT 1 FROM "
        + q + ".code_chunks)" + (knowledge ? " AND NOT EXISTS (SELECT 1 FROM " + q + ".templates) AND NOT EXISTS"
        + " (SELECT 1 FROM " + q + ".knowledge_artifacts)" : ""), dev.autopilot.internal.Jdbc.NONE,
        rs -> rs.getBoolean(1)).orElse(true);
    if (empty && host.isEmpty()) {
      // no need to load the bundled model (a second and 23 MB) for a host that ingests nothing
      String storage = RagSetup.ensureStorage(ctx.dataSource(), ctx.schema(), MiniLmModel.ID, MiniLmModel.DIMS, mode);
      ctx.skip("storage " + storage + " ready; nothing to embed yet (no code chunks, templates or knowledge)");
      return;
    }
    EmbeddingModel model = model(ctx);
    String storage = RagSetup.ensureStorage(ctx.dataSource(), ctx.schema(), model, mode);
    // templates and knowledge belong to the knowledge pack: embedded only when its tables are there
    List<Embedder.Owner> owners = knowledge
        ? List.of(Embedder.Owner.CHUNK, Embedder.Owner.TEMPLATE, Embedder.Owner.KNOWLEDGE) : List.of(Embedder.Owner.CHUNK);
    BackgroundEmbedding.Outcome o = embedInBackground(ctx, model, owners, true,
        knowledge ? "chunks, templates and knowledge" : "chunks");
    // vectors of another model go only once the current one covers everything
    String dropped = o.finished() ? RagSetup.dropOtherModels(ctx.dataSource(), ctx.schema(), model)
        + " vector(s) of other models dropped" : "vectors of other models kept until embedding finishes";
    CodeSearch search = new CodeSearch(ctx.dataSource(), ctx.schema(), Map.of(EmbeddingModel.class, model), mode);
    int smoke = search.search("main entry point", 3).size();
    String msg = String.format("storage %s, model %s: %s; %s; smoke query returned %d hit(s)", storage, model.id(),
        embedded(o, knowledge ? "vector(s) of chunks, templates and knowledge" : "chunk vector(s)"), dropped, smoke);
    log.info("[{}] {}", ctx.taskName(), msg);
    ctx.progress(1, 1, msg);
  }

  /** @return whether the knowledge pack's tables (templates, knowledge_artifacts) exist */
  static boolean knowledgeTables(TaskContext ctx) {
    String q = dev.autopilot.internal.Jdbc.quoteIdent(ctx.schema());
    return new dev.autopilot.internal.Jdbc(ctx.dataSource()).queryOne("SELECT to_regclass(?) IS NOT NULL AND"
        + " to_regclass(?) IS NOT NULL", ps -> {
          ps.setString(1, q + ".templates");
          ps.setString(2, q + ".knowledge_artifacts");
        }, rs -> rs.getBoolean(1)).orElse(false);
  }

  private static void embed(TaskContext ctx, Embedder.Owner owner) {
    if (owner != Embedder.Owner.CHUNK && !knowledgeTables(ctx)) {
      ctx.skip("no templates to embed: the knowledge pack (autopilot-pack-knowledge) is not installed");
      return;
    }
    int n = new Embedder(ctx.dataSource(), ctx.schema(), model(ctx))
        .backfill(owner, d -> ctx.progress(d, -1, "embedding"));
    log.info("[{}] {} {} embedding(s) written", ctx.taskName(), n, owner.name().toLowerCase());
    ctx.progress(1, 1, n + " embedding(s) written");
  }

  private static void deadCode(TaskContext ctx) {
    List<String> globs = Arrays.stream(ctx.config().get("code.entry-points", "").split(","))
        .filter(g -> !g.isBlank()).toList();
    DeadCode.Check c = new DeadCode(ctx.dataSource(), ctx.schema()).check(globs);
    String msg = c.open() + " dead file(s): " + c.added() + " new, " + c.resolved() + " resolved";
    log.info("[{}] {}", ctx.taskName(), msg);
    ctx.progress(1, 1, msg);
  }

  private static void weeklySummary(TaskContext ctx) throws Exception {
    String body = new DeadCode(ctx.dataSource(), ctx.schema()).weeklyReport(ctx.clock().instant());
    String dir = ctx.config().get("dead-code.report-dir").orElse(null);
    if (dir != null && !dir.isBlank()) {
      Path d = Path.of(dir);
      Files.createDirectories(d);
      Path target = d.resolve("dead-code-" + java.time.LocalDate.ofInstant(ctx.clock().instant(),
          java.time.ZoneOffset.UTC) + ".md");
      Path tmp = Files.createTempFile(d, ".dead-code-", ".tmp");
      Files.writeString(tmp, body);
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      log.info("[{}] report written to {}", ctx.taskName(), target);
    }
  }

  private static void registrySync(TaskContext ctx) {
    Map<String, Path> roots = CodeRoots.parse(ctx.config().get("code.roots").orElse(null));
    List<RegistrySource> sources = ctx.service(RegistrySource.class).map(List::of).orElse(List.of());
    RegistrySync.Result r = new RegistrySync(ctx.dataSource(), ctx.schema()).run(roots, sources,
        m -> log.warn("[{}] {}", ctx.taskName(), m));
    String msg = r.usages() + " usage row(s) written, " + r.packages() + " registry package(s), "
        + r.problems().size() + " problem(s)";
    log.info("[{}] {}", ctx.taskName(), msg);
    ctx.progress(1, 1, msg);
  }
}
