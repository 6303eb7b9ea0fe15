package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Path-based import resolution for Python, JavaScript/TypeScript and Rust. */
final class Resolvers {
  private Resolvers() {}

  static final Set<String> ELIXIR_STD = Set.of("Enum", "Kernel", "GenServer", "Supervisor", "Agent", "Task",
      "String", "Map", "List", "Keyword", "Logger", "Application", "IO", "File", "Path", "System", "Process",
      "Registry", "DynamicSupervisor", "ExUnit", "Mix", "Code", "Integer", "Float", "Atom", "Tuple", "Stream",
      "Regex", "URI", "DateTime", "Date", "Time", "NaiveDateTime", "Access", "Base", "Bitwise", "Record",
      "Protocol", "Module", "Macro", "Inspect", "Exception", "Range", "MapSet", "Function", "Port", "Node");

  private static final Set<String> PY_STD = Set.of("os", "sys", "re", "json", "typing", "collections",
      "itertools", "functools", "math", "random", "datetime", "time", "logging", "pathlib", "subprocess",
      "unittest", "dataclasses", "enum", "abc", "io", "shutil", "tempfile", "hashlib", "argparse", "asyncio",
      "threading", "multiprocessing", "contextlib", "copy", "string", "struct", "socket", "urllib", "http",
      "uuid", "csv", "sqlite3", "glob", "textwrap", "traceback", "warnings", "inspect", "pickle", "base64",
      "__future__", "statistics", "decimal", "fractions", "operator", "queue", "heapq", "bisect", "weakref",
      "types", "pprint", "platform", "signal", "errno", "gc", "zipfile", "tarfile", "gzip", "xml", "email");

  private static final Set<String> NODE_STD = Set.of("fs", "path", "os", "http", "https", "url", "util",
      "events", "stream", "crypto", "child_process", "assert", "buffer", "net", "zlib", "readline", "process",
      "querystring", "worker_threads", "cluster", "dns", "tls", "timers", "vm", "module");

  private static final Set<String> RUST_STD = Set.of("std", "core", "alloc", "crate", "self", "super", "proc_macro");

  private static final String[] JS_SUFFIXES = {"", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", "/index.ts",
      "/index.tsx", "/index.js", "/index.jsx"};

  static List<String> python(Imports.Import imp, FileFacts f, Map<String, List<String>> modules,
      Set<ImportResolver.External> ext) {
    String t = imp.target();
    if (t.startsWith(".")) {
      int dots = 0;
      while (dots < t.length() && t.charAt(dots) == '.') {
        dots++;
      }
      String dir = f.dir();
      for (int i = 1; i < dots; i++) {
        dir = dir.contains("/") ? dir.substring(0, dir.lastIndexOf('/')) : "";
      }
      String base = (dir.isEmpty() ? "" : dir.replace('/', '.') + ".") + t.substring(dots);
      base = base.endsWith(".") ? base.substring(0, base.length() - 1) : base;
      return pyLookup(base, imp.names(), modules, f, true);
    }
    List<String> hit = pyLookup(t, imp.names(), modules, f, false);
    if (hit.isEmpty()) {
      String top = t.split("\\.")[0];
      if (!PY_STD.contains(top) && !top.isEmpty()) {
        ext.add(new ImportResolver.External("pypi", top));
      }
    }
    return hit;
  }

  private static List<String> pyLookup(String module, List<String> names, Map<String, List<String>> modules,
      FileFacts f, boolean exact) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      String p = pick(modules.get(module.isEmpty() ? n : module + "." + n), f);
      if (p != null) {
        out.add(p);
      }
    }
    if (out.isEmpty() && !module.isEmpty()) {
      String p = pick(modules.get(module), f);
      if (p != null) {
        out.add(p);
      }
    }
    return out;
  }

  /** Among files with the same dotted suffix, the one nearest to the importer. */
  private static String pick(List<String> candidates, FileFacts f) {
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    String best = null;
    int bestScore = -1;
    for (String c : candidates) {
      int common = 0;
      String a = f.path();
      while (common < Math.min(a.length(), c.length()) && a.charAt(common) == c.charAt(common)) {
        common++;
      }
      if (common > bestScore) {
        bestScore = common;
        best = c;
      }
    }
    return best;
  }

  static List<String> js(Imports.Import imp, FileFacts f, Set<String> paths, Set<ImportResolver.External> ext) {
    String t = imp.target();
    if (t.startsWith("./") || t.startsWith("../") || t.startsWith("/")) {
      String base = normalize(t.startsWith("/") ? t.substring(1) : (f.dir().isEmpty() ? t : f.dir() + "/" + t));
      for (String s : JS_SUFFIXES) {
        if (base != null && paths.contains(base + s)) {
          return List.of(base + s);
        }
      }
      return List.of();
    }
    if (t.startsWith("node:")) {
      return List.of();
    }
    String[] seg = t.split("/");
    String name = t.startsWith("@") && seg.length > 1 ? seg[0] + "/" + seg[1] : seg[0];
    if (!NODE_STD.contains(name)) {
      ext.add(new ImportResolver.External("npm", name));
    }
    return List.of();
  }

  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String p : path.split("/")) {
      if (p.isEmpty() || p.equals(".")) {
        continue;
      }
      if (p.equals("..")) {
        if (parts.isEmpty()) {
          return null;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(p);
      }
    }
    return String.join("/", parts);
  }

  static List<String> rust(Imports.Import imp, FileFacts f, Set<String> paths, Set<ImportResolver.External> ext) {
    String name = f.path().substring(f.path().lastIndexOf('/') + 1);
    boolean owner = name.equals("mod.rs") || name.equals("lib.rs") || name.equals("main.rs");
    String moduleDir = owner ? f.dir() : (f.dir().isEmpty() ? f.stem() : f.dir() + "/" + f.stem());
    if (imp.kind().equals("mod")) {
      return first(paths, join(moduleDir, imp.target() + ".rs"), join(moduleDir, imp.target() + "/mod.rs"));
    }
    String[] seg = imp.target().split("::");
    String root;
    int from;
    switch (seg[0]) {
      case "crate" -> {
        root = crateRoot(f, paths);
        from = 1;
      }
      case "self" -> {
        root = moduleDir;
        from = 1;
      }
      case "super" -> {
        root = moduleDir.contains("/") ? moduleDir.substring(0, moduleDir.lastIndexOf('/')) : "";
        from = 1;
      }
      default -> {
        if (!RUST_STD.contains(seg[0])) {
          ext.add(new ImportResolver.External("cargo", seg[0].replace('_', '-')));
        }
        return List.of();
      }
    }
    for (int end = seg.length; end > from; end--) {
      String rel = String.join("/", java.util.Arrays.copyOfRange(seg, from, end));
      List<String> hit = first(paths, join(root, rel + ".rs"), join(root, rel + "/mod.rs"));
      if (!hit.isEmpty()) {
        return hit;
      }
    }
    return List.of();
  }

  private static String crateRoot(FileFacts f, Set<String> paths) {
    for (String d = f.dir(); ; d = d.contains("/") ? d.substring(0, d.lastIndexOf('/')) : "") {
      if (paths.contains(join(d, "lib.rs")) || paths.contains(join(d, "main.rs"))) {
        return d;
      }
      if (d.isEmpty()) {
        return f.dir();
      }
    }
  }

  private static String join(String dir, String rel) {
    return dir.isEmpty() ? rel : dir + "/" + rel;
  }

  private static List<String> first(Set<String> paths, String... candidates) {
    for (String c : candidates) {
      if (paths.contains(c)) {
        return List.of(c);
      }
    }
    return List.of();
  }
}
