package dev.autopilot.internal.code;

import java.util.regex.Pattern;

/** Files that are entry points by convention: mains, tests, package markers, build scripts. */
final class EntryPoints {
  private EntryPoints() {}

  private static final Pattern TEST_PATH = Pattern.compile(
      "(^|.*/)(test|tests|__tests__|spec|specs|testdata)/.*|.*(Test|Tests|IT|Spec)\\.(java|kt)|(.*/)?test_[^/]*\\.py"
      + "|.*_test\\.(py|go|exs)|.*\\.(test|spec)\\.[jt]sx?|(.*/)?conftest\\.py");
  private static final Pattern NAME = Pattern.compile(
      "(.*/)?(package-info\\.java|module-info\\.java|__init__\\.py|__main__\\.py|setup\\.py|main\\.rs|lib\\.rs"
      + "|build\\.rs|mix\\.exs|index\\.[jt]sx?|main\\.[jt]sx?|manage\\.py|build\\.gradle\\.kts|settings\\.gradle\\.kts)");
  private static final Pattern MAIN = Pattern.compile(
      "static\\s+void\\s+main\\s*\\(|^\\s*fun\\s+main\\s*\\(|__name__\\s*==\\s*['\"]__main__['\"]|^package\\s+main\\b"
      + "|use\\s+Application\\b", Pattern.MULTILINE);

  static boolean is(String path, String text) {
    return TEST_PATH.matcher(path).matches() || NAME.matcher(path).matches() || path.contains("/bin/")
        || MAIN.matcher(text).find();
  }
}
