package dev.autopilot.internal.knowledge;

import dev.autopilot.internal.Pack;
import dev.autopilot.internal.sqltasks.SqlTasks;
import dev.autopilot.spi.RetryPolicy;
import dev.autopilot.spi.Task;
import dev.autopilot.spi.Trigger;
import java.time.Duration;
import java.util.List;

/**
 * The "knowledge" pack. Settings (each also as {@code autopilot.task.NAME.KEY}):
 * {@code autopilot.knowledge.dirs} (directories, separated by {@code ,} {@code ;} or the path
 * separator), {@code autopilot.knowledge.classpath} (resource prefix, default {@code
 * autopilot/knowledge}; {@code none} to disable), {@code autopilot.knowledge.max-file-size}
 * (bytes, default 1 MiB); {@code autopilot.templates.dir}, {@code autopilot.templates.max-file-size};
 * {@code autopilot.template-sync.uri}, {@code .branch} (default main), {@code .path} (folder in
 * the repository, default all), {@code .work-dir}, {@code .username}, {@code .password},
 * {@code .max-file-size}; {@code autopilot.knowledge-export.dir}, {@code .min-confidence}
 * (default 0.8), {@code .push}, {@code .remote}, {@code .username}, {@code .password},
 * {@code .author-name}, {@code .author-email}.
 */
public final class KnowledgePack implements Pack {

  @Override
  public String name() {
    return "knowledge";
  }

  @Override
  public List<Task> tasks(Context context) {
    String p = context.settings().get("autopilot.instance-name").map(n -> "[" + n + "] ").orElse("");
    RetryPolicy startup = RetryPolicy.exponential(5, Duration.ofSeconds(10));
    RetryPolicy nightly = RetryPolicy.exponential(3, Duration.ofMinutes(1));
    return List.of(
        Task.java("knowledge-migration", new KnowledgeMigration(p)).trigger(Trigger.startup(100)).retry(startup)
            .pack(name()).description("Loads JSON knowledge artifacts (validated, normalised) into knowledge_artifacts")
            .build(),
        Task.java("templates-data-load", new TemplatesLoad(p)).trigger(Trigger.startup(95)).retry(startup)
            .pack(name()).description("Syncs the local templates_data/ tree into templates").build(),
        Task.java("template-sync", new TemplateSync(p)).cron("0 2 * * *").retry(nightly)
            .pack(name()).description("Fetches the template repository and applies its new commits to templates")
            .build(),
        Task.java("knowledge-export", new KnowledgeExport(p)).cron("0 0 * * *").retry(nightly)
            .pack(name()).description("Exports knowledge and confident patterns to a Git working tree, committing changes")
            .build(),
        SqlTasks.call(context.settings(), name(), "cleanup-artifacts", "0 1 * * 0", "cleanup_artifacts",
            "Deletes expired or old unpinned artifacts",
            new SqlTasks.Param("max-age", "p_max_age", SqlTasks.Type.INTERVAL)));
  }
}
