package dev.autopilot.internal.code;

import java.util.Locale;
import java.util.Map;

/** Language by file name. Unknown text files are "text": stored and searchable, not chunked by declaration. */
final class Languages {
  private Languages() {}

  private static final Map<String, String> BY_EXT = Map.ofEntries(
      Map.entry("java", "java"), Map.entry("kt", "kotlin"), Map.entry("kts", "kotlin"),
      Map.entry("py", "python"), Map.entry("js", "javascript"), Map.entry("mjs", "javascript"),
      Map.entry("cjs", "javascript"), Map.entry("jsx", "javascript"), Map.entry("ts", "typescript"),
      Map.entry("tsx", "typescript"), Map.entry("go", "go"), Map.entry("rs", "rust"),
      Map.entry("ex", "elixir"), Map.entry("exs", "elixir"), Map.entry("sql", "sql"),
      Map.entry("xml", "xml"), Map.entry("json", "json"), Map.entry("toml", "toml"),
      Map.entry("yaml", "yaml"), Map.entry("yml", "yaml"), Map.entry("md", "markdown"),
      Map.entry("sh", "shell"), Map.entry("c", "c"), Map.entry("h", "c"), Map.entry("cpp", "cpp"),
      Map.entry("cs", "csharp"), Map.entry("rb", "ruby"), Map.entry("scala", "scala"),
      Map.entry("swift", "swift"), Map.entry("php", "php"), Map.entry("html", "html"),
      Map.entry("css", "css"), Map.entry("properties", "properties"));

  static String of(String fileName) {
    int dot = fileName.lastIndexOf('.');
    if (dot < 0) {
      return fileName.equals("Dockerfile") ? "dockerfile" : "text";
    }
    return BY_EXT.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), "text");
  }

  /** Languages whose imports are extracted and whose files are graph nodes. */
  static boolean isCode(String language) {
    return switch (language) {
      case "java", "kotlin", "python", "javascript", "typescript", "go", "rust", "elixir" -> true;
      default -> false;
    };
  }

  /** Brace-delimited languages chunked by brace depth. */
  static boolean braces(String language) {
    return switch (language) {
      case "java", "kotlin", "javascript", "typescript", "go", "rust", "c", "cpp", "csharp", "scala", "swift", "php" -> true;
      default -> false;
    };
  }

  /** Languages whose blocks follow indentation (def-based). */
  static boolean indented(String language) {
    return language.equals("python") || language.equals("elixir") || language.equals("ruby");
  }
}
