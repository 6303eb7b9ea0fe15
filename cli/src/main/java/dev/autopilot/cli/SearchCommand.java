package dev.autopilot.cli;

import dev.autopilot.Autopilot;
import dev.autopilot.code.CodeSearch;
import dev.autopilot.code.SearchHit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Retrieval over what the code pack ingested. */
@Command(name = "search", description = "retrieval over ingested code (the code pack)")
final class SearchCommand extends BaseCommand {

  @Parameters(index = "0", paramLabel = "QUERY", description = "what to look for, in words or code")
  String query;

  @Option(names = "--limit", paramLabel = "N", defaultValue = "5", description = "at most N hits (default 5)")
  int limit;

  @Override
  int execute() {
    if (limit < 1 || limit > 100) {
      throw new UsageException("--limit must be between 1 and 100, was " + limit);
    }
    try (Autopilot ap = attach()) {
      List<SearchHit> hits = CodeSearch.of(ap).search(query, limit);
      if (json) {
        List<Object> rows = new ArrayList<>();
        for (SearchHit h : hits) {
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("codebase", h.codebase());
          row.put("path", h.path());
          row.put("startLine", h.startLine());
          row.put("endLine", h.endLine());
          row.put("symbol", h.symbol());
          row.put("score", h.score());
          rows.add(row);
        }
        printJson(rows);
      } else if (hits.isEmpty()) {
        ctx.out.println("(no hits)");
      } else {
        for (int i = 0; i < hits.size(); i++) {
          ctx.out.println((i + 1) + ". " + Console.hit(hits.get(i)));
        }
      }
      return 0;
    }
  }
}
