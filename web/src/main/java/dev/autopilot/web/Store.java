package dev.autopilot.web;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The dashboard's reads of Autopilot's tables beyond the Monitor API: paged history, counts, charts. */
final class Store {
  static final int COUNT_CAP = 1_000;
  private static final String HISTORY_COLUMNS = "id, task_name, execution_id, engine, outcome, attempt, instance,"
      + " scheduled_at, started_at, finished_at, duration_ms, error_class, left(error_message, 2000), retry_of, args::text";

  private final Sql sql;
  private final String s;

  Store(Sql sql, String schemaQuoted) {
    this.sql = sql;
    this.s = schemaQuoted + ".";
  }

  /** One row of the jobs list or a job's page. */
  record Job(long id, String task, String executionId, String engine, String state, int attempt, String instance,
      Instant scheduledAt, Instant startedAt, Instant finishedAt, Long durationMs, String errorClass, String error,
      String retryOf, String args) {}

  /** A page of finished jobs, with the cursor of the next one and a capped count of all matches. */
  record Page(List<Job> live, List<Job> items, String next, long total, boolean totalCapped, Long totalEstimate) {}

  Page jobs(JobsQuery q) {
    StringBuilder where = new StringBuilder(" WHERE outcome = ANY (?)");
    List<Object> args = new ArrayList<>();
    args.add(q.finishedStates().toArray(new String[0]));
    if (q.task() != null) {
      // a range, not "=": keeps the planner on the task's index range (see recentRuns)
      where.append(" AND task_name >= ? AND task_name <= ?");
      args.add(q.task());
      args.add(q.task());
    }
    if (q.engine() != null) {
      where.append(" AND engine = ?");
      args.add(q.engine());
    }
    if (q.from() != null) {
      where.append(" AND finished_at >= ?");
      args.add(q.from());
    }
    if (q.to() != null) {
      where.append(" AND finished_at < ?");
      args.add(q.to());
    }
    if (q.text() != null) {
      String like = "%" + q.text().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      where.append(" AND error_message IS NOT NULL AND error_message ILIKE ?");
      args.add(like);
    }
    List<Object> countArgs = new ArrayList<>(args);
    String filter = where.toString();
    String countSql = "SELECT count(*) FROM (SELECT 1 FROM " + s + "job_history" + filter + " LIMIT " + (COUNT_CAP + 1) + ") c";
    if (q.beforeTime() != null) {
      where.append(" AND (finished_at, id) < (?, ?)");
      args.add(q.beforeTime());
      args.add(q.beforeId());
    }
    List<Job> items = sql.query("SELECT " + HISTORY_COLUMNS + " FROM " + s + "job_history" + where
        + " ORDER BY " + (q.task() != null ? "task_name, " : "") + "finished_at DESC, id DESC LIMIT " + (q.limit() + 1),
        args, Store::job);
    String next = null;
    if (items.size() > q.limit()) {
      items = new ArrayList<>(items.subList(0, q.limit()));
      Job last = items.get(items.size() - 1);
      next = last.finishedAt() + "_" + last.id();
    }
    long total = sql.query(countSql, countArgs, rs -> rs.getLong(1)).get(0);
    Long estimate = null;
    if (total > COUNT_CAP) {
      // counting every match costs a heap visit per row; past the cap the planner's estimate will do
      String plan = sql.query("EXPLAIN (FORMAT JSON) SELECT 1 FROM " + s + "job_history" + filter, countArgs,
          rs -> rs.getString(1)).get(0);
      estimate = Math.max(COUNT_CAP + 1, planRows(plan));
    }
    List<Job> live = q.wantsLive() ? live(q) : List.of();
    return new Page(live, items, next, Math.min(total, COUNT_CAP), total > COUNT_CAP, estimate);
  }

  private static long planRows(String json) {
    try {
      return Json.MAPPER.readTree(json).get(0).get("Plan").get("Plan Rows").asLong();
    } catch (java.io.IOException | RuntimeException e) {
      return 0;
    }
  }

  private List<Job> live(JobsQuery q) {
    StringBuilder w = new StringBuilder(" WHERE true");
    List<Object> args = new ArrayList<>();
    boolean scheduled = q.states().isEmpty() || q.states().contains("scheduled");
    boolean running = q.states().isEmpty() || q.states().contains("running");
    if (!scheduled) {
      w.append(" AND picked");
    } else if (!running) {
      w.append(" AND NOT picked");
    }
    if (q.task() != null) {
      w.append(" AND task_name = ?");
      args.add(q.task());
    }
    return sql.query("SELECT task_name, task_instance, picked, picked_by, execution_time, consecutive_failures FROM "
        + s + "scheduled_tasks" + w + " ORDER BY picked DESC, execution_time LIMIT 200", args,
        rs -> new Job(0, rs.getString(1), rs.getString(2), "db-scheduler", rs.getBoolean(3) ? "running" : "scheduled",
            rs.getInt(6) + 1, rs.getString(4), Sql.instant(rs, 5), rs.getBoolean(3) ? Sql.instant(rs, 5) : null, null,
            null, null, null, null, null));
  }

  Optional<Job> job(long id) {
    List<Job> r = sql.query("SELECT " + HISTORY_COLUMNS + " FROM " + s + "job_history WHERE id = ?", List.of(id), Store::job);
    return r.stream().findFirst();
  }

  /**
   * The attempts of the run a history row belongs to: the rows of its task and execution id
   * around it whose attempt numbers count up to it and on from it (a recurring task reuses its
   * execution id for every run, so the attempt numbers mark where one run ends).
   */
  List<Job> attempts(Job j) {
    // a first attempt that did not retry is a run of its own; otherwise look a day around it (one
    // range of the task's index, not every run a recurring task ever had under the same id)
    List<Job> before = j.attempt() <= 1 ? List.of() : sql.query("SELECT " + HISTORY_COLUMNS + " FROM " + s
        + "job_history WHERE task_name = ? AND execution_id = ? AND finished_at >= ? AND (finished_at, id) < (?, ?)"
        + " ORDER BY finished_at DESC, id DESC LIMIT 50",
        List.of(j.task(), j.executionId(), j.finishedAt().minus(Duration.ofDays(1)), j.finishedAt(), j.id()), Store::job);
    List<Job> after = !j.state().equals("retrying") ? List.of() : sql.query("SELECT " + HISTORY_COLUMNS + " FROM " + s
        + "job_history WHERE task_name = ? AND execution_id = ? AND finished_at <= ? AND (finished_at, id) > (?, ?)"
        + " ORDER BY finished_at, id LIMIT 50",
        List.of(j.task(), j.executionId(), j.finishedAt().plus(Duration.ofDays(1)), j.finishedAt(), j.id()), Store::job);
    List<Job> out = new ArrayList<>();
    int want = j.attempt() - 1;
    for (Job b : before) {
      if (want < 1 || b.attempt() != want) {
        break;
      }
      out.add(0, b);
      want--;
    }
    out.add(j);
    int next = j.attempt() + 1;
    for (Job a : after) {
      if (a.attempt() != next) {
        break;
      }
      out.add(a);
      next++;
    }
    return out;
  }

  /** Finished attempts of the last 24 h by engine and outcome. */
  Map<String, Map<String, Long>> countsByEngine(Instant now) {
    Map<String, Map<String, Long>> out = new LinkedHashMap<>();
    for (String e : List.of("pg_cron", "db-scheduler")) {
      out.put(e, new LinkedHashMap<>());
    }
    sql.query("SELECT engine, outcome, count(*) FROM " + s + "job_history WHERE finished_at >= ? GROUP BY 1, 2",
        List.of(now.minus(Duration.ofHours(24))), rs -> {
          out.computeIfAbsent(rs.getString(1), k -> new LinkedHashMap<>()).put(rs.getString(2), rs.getLong(3));
          return null;
        });
    sql.query("SELECT picked, count(*) FROM " + s + "scheduled_tasks GROUP BY 1", List.of(), rs -> {
      out.get("db-scheduler").put(rs.getBoolean(1) ? "running" : "scheduled", rs.getLong(2));
      return null;
    });
    return out;
  }

  /** A chart's series: bucket starts (epoch seconds), executions and failed attempts per bucket. */
  record Chart(String range, String source, long bucketSeconds, List<Long> t, List<Long> executions, List<Long> failures) {}

  Chart chart(String range, Instant now) {
    boolean week = range.equals("7d");
    Duration span = week ? Duration.ofDays(7) : Duration.ofHours(24);
    Duration bucket = week ? Duration.ofHours(3) : Duration.ofHours(1);
    long b = bucket.getSeconds();
    Instant end = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    Instant start = end.minus(span);
    Map<Long, long[]> rows = new LinkedHashMap<>();
    String source = "job_history";
    if (week && sql.tableExists(s + "metric_rollups")) {
      sql.query("SELECT floor(extract(epoch FROM bucket_start) / ?)::bigint * ?, sum(count), sum(failures) FROM " + s
          + "metric_rollups WHERE scope = 'task' AND bucket_start >= ? AND bucket_start < ? GROUP BY 1",
          List.of(b, b, start, end), rs -> rows.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)}));
      source = "metric_rollups";
    }
    if (rows.isEmpty()) {
      source = "job_history";
      sql.query("SELECT floor(extract(epoch FROM finished_at) / ?)::bigint * ?, count(*),"
          + " count(*) FILTER (WHERE outcome IN ('retrying', 'failed', 'dead')) FROM " + s + "job_history"
          + " WHERE finished_at >= ? AND finished_at < ? GROUP BY 1", List.of(b, b, start, end),
          rs -> rows.put(rs.getLong(1), new long[] {rs.getLong(2), rs.getLong(3)}));
    }
    List<Long> t = new ArrayList<>();
    List<Long> ex = new ArrayList<>();
    List<Long> fail = new ArrayList<>();
    for (long x = start.getEpochSecond() / b * b; x < end.getEpochSecond(); x += b) {
      long[] v = rows.getOrDefault(x, new long[2]);
      t.add(x);
      ex.add(v[0]);
      fail.add(v[1]);
    }
    return new Chart(week ? "7d" : "24h", source, b, t, ex, fail);
  }

  /** One dot of a task's strip of recent runs. */
  record Dot(long id, String state, Instant finishedAt) {}

  /** The newest finished attempts of each task (one index range scan per task). */
  Map<String, List<Dot>> recentRuns(List<String> tasks, int n) {
    Map<String, List<Dot>> out = new LinkedHashMap<>();
    // "task_name >= t AND task_name <= t" with the index's full order: the planner can only take the
    // task's range of (task_name, finished_at DESC, id DESC); with "task_name = t" it may walk the
    // whole finished_at index for a task that has few runs (seconds at a million rows, unvacuumed)
    sql.query("SELECT t.name, h.id, h.outcome, h.finished_at FROM unnest(?::text[]) AS t(name) CROSS JOIN LATERAL"
        + " (SELECT id, outcome, finished_at FROM " + s + "job_history WHERE task_name >= t.name AND task_name <= t.name"
        + " ORDER BY task_name, finished_at DESC, id DESC LIMIT " + n + ") h", List.of((Object) tasks.toArray(new String[0])), rs -> {
          out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new Dot(rs.getLong(2), rs.getString(3),
              Sql.instant(rs, 4)));
          return null;
        });
    return out;
  }

  /** One row of the backup catalog. */
  record Backup(long id, String kind, String status, String file, Long sizeBytes, String sha256, Instant startedAt,
      Instant finishedAt, Long durationMs, boolean archived, String error, boolean inArchiveTable) {}

  /** @return the backup catalog, newest first, or empty when the backup pack's tables are absent */
  Optional<List<Backup>> backups(int limit) {
    if (!sql.tableExists(s + "backups")) {
      return Optional.empty();
    }
    String cols = "id, kind, status, file_path, size_bytes, sha256, started_at, finished_at, duration_ms, archived, error";
    String archive = sql.tableExists(s + "backup_archive")
        ? " UNION ALL SELECT " + cols + ", true FROM " + s + "backup_archive" : "";
    return Optional.of(sql.query("SELECT * FROM (SELECT " + cols + ", false FROM " + s + "backups" + archive
        + ") b ORDER BY started_at DESC, id DESC LIMIT ?", List.of(limit),
        rs -> new Backup(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), Sql.longOrNull(rs, 5),
            rs.getString(6), Sql.instant(rs, 7), Sql.instant(rs, 8), Sql.longOrNull(rs, 9), rs.getBoolean(10),
            rs.getString(11), rs.getBoolean(12))));
  }

  static Job job(ResultSet rs) throws SQLException {
    return new Job(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getInt(6),
        rs.getString(7), Sql.instant(rs, 8), Sql.instant(rs, 9), Sql.instant(rs, 10), Sql.longOrNull(rs, 11),
        rs.getString(12), rs.getString(13), rs.getString(14), rs.getString(15));
  }

  /** @return the history id of the newest row of an execution */
  Optional<Long> newestRun(String task, String executionId, Instant before) {
    return sql.query("SELECT id FROM " + s + "job_history WHERE task_name = ? AND execution_id = ? AND finished_at <= ?"
        + " AND finished_at >= ? ORDER BY finished_at DESC, id DESC LIMIT 1",
        List.of(task, executionId, before, before.minus(Duration.ofDays(30))), rs -> rs.getLong(1)).stream().findFirst();
  }

  /** @return the history id of the first row of the run that re-ran this execution */
  Optional<Long> retriedBy(String task, String executionId, Instant after) {
    // retries follow the failure within days; bounding the range keeps this one index range
    return sql.query("SELECT id FROM " + s + "job_history WHERE task_name = ? AND retry_of = ? AND finished_at >= ?"
        + " AND finished_at < ? ORDER BY finished_at, id LIMIT 1",
        List.of(task, executionId, after, after.plus(Duration.ofDays(7))), rs -> rs.getLong(1)).stream().findFirst();
  }
}
