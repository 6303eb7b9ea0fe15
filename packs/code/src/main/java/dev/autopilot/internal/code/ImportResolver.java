package dev.autopilot.internal.code;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Resolves imports to files of the same codebase; what does not resolve and is not a standard
 * library becomes an external package (ecosystem, name) for the package registry.
 */
final class ImportResolver {

  record Edge(String source, String target, String kind) {}

  record External(String ecosystem, String name) {}

  record Result(Set<Edge> edges, Map<External, Integer> externals) {}

  private final Map<String, FileFacts> byPath = new HashMap<>();
  private final Map<String, List<String>> jvmTypes = new HashMap<>(); // fq name -> paths
  private final Map<String, List<String>> jvmPackages = new HashMap<>(); // package -> paths
  private final Map<String, List<String>> pyModules = new HashMap<>(); // dotted suffix -> paths
  private final Map<String, String> exModules = new HashMap<>();
  private final Map<String, List<String>> goDirs = new HashMap<>(); // dir -> .go files
  private final Map<String, String> goModules = new HashMap<>(); // module path -> dir
  private final Set<String> exPrefixes = new HashSet<>();

  ImportResolver(Collection<FileFacts> files) {
    for (FileFacts f : files) {
      byPath.put(f.path(), f);
      switch (f.language()) {
        case "java", "kotlin" -> {
          Set<String> names = new LinkedHashSet<>(f.declared());
          names.add(f.stem());
          for (String n : names) {
            jvmTypes.computeIfAbsent(qualify(f.pkg(), n), k -> new ArrayList<>()).add(f.path());
          }
          jvmPackages.computeIfAbsent(f.pkg(), k -> new ArrayList<>()).add(f.path());
        }
        case "python" -> {
          String mod = f.path().substring(0, f.path().length() - 3).replace('/', '.');
          if (mod.endsWith(".__init__") || mod.equals("__init__")) {
            mod = mod.equals("__init__") ? "" : mod.substring(0, mod.length() - 9);
          }
          for (String s = mod; !s.isEmpty(); s = s.contains(".") ? s.substring(s.indexOf('.') + 1) : "") {
            pyModules.computeIfAbsent(s, k -> new ArrayList<>()).add(f.path());
          }
        }
        case "elixir" -> f.declared().forEach(m -> {
          exModules.put(m, f.path());
          exPrefixes.add(m.split("\\.")[0]);
        });
        case "go" -> {
          if (!f.path().endsWith("_test.go")) {
            goDirs.computeIfAbsent(f.dir(), k -> new ArrayList<>()).add(f.path());
          }
        }
        case "go.mod" -> {
          if (f.pkg() != null) {
            goModules.put(f.pkg(), f.dir());
          }
        }
        default -> {
        }
      }
    }
  }

  private static String qualify(String pkg, String name) {
    return pkg == null || pkg.isEmpty() ? name : pkg + "." + name;
  }

  Result resolve() {
    Set<Edge> edges = new HashSet<>();
    Map<External, Integer> externals = new HashMap<>();
    for (FileFacts f : byPath.values()) {
      Set<External> fileExternals = new HashSet<>();
      for (Imports.Import imp : f.imports()) {
        List<String> targets = switch (f.language()) {
          case "java", "kotlin" -> jvm(imp, f, fileExternals);
          case "python" -> Resolvers.python(imp, f, pyModules, fileExternals);
          case "javascript", "typescript" -> Resolvers.js(imp, f, byPath.keySet(), fileExternals);
          case "go" -> go(imp, fileExternals);
          case "rust" -> Resolvers.rust(imp, f, byPath.keySet(), fileExternals);
          case "elixir" -> elixir(imp, fileExternals);
          default -> List.of();
        };
        for (String t : targets) {
          if (!t.equals(f.path())) {
            edges.add(new Edge(f.path(), t, "import"));
          }
        }
      }
      if (f.language().equals("java") || f.language().equals("kotlin")) {
        for (String other : jvmPackages.getOrDefault(f.pkg(), List.of())) {
          FileFacts o = byPath.get(other);
          if (!other.equals(f.path()) && f.typeRefs().contains(o.stem())) {
            edges.add(new Edge(f.path(), other, "reference"));
          }
        }
      }
      fileExternals.forEach(x -> externals.merge(x, 1, Integer::sum));
    }
    // an import edge and a reference edge between the same files: keep the import
    edges.removeIf(e -> e.kind().equals("reference") && edges.contains(new Edge(e.source(), e.target(), "import")));
    return new Result(edges, externals);
  }

  private List<String> jvm(Imports.Import imp, FileFacts f, Set<External> ext) {
    String t = imp.target();
    if (imp.kind().equals("wildcard")) {
      List<String> pkg = jvmPackages.get(t);
      if (pkg != null) {
        return pkg;
      }
    }
    for (String s = t; s.contains("."); s = s.substring(0, s.lastIndexOf('.'))) {
      List<String> hit = jvmTypes.get(s);
      if (hit != null) {
        return hit;
      }
    }
    if (!t.startsWith("java.") && !t.startsWith("javax.") && !t.startsWith("kotlin.") && !t.startsWith("jdk.")
        && !t.startsWith("sun.")) {
      String[] seg = t.split("\\.");
      String name = seg.length >= 2 ? seg[0] + "." + seg[1] : t;
      ext.add(new External("maven", name));
    }
    return List.of();
  }

  private List<String> go(Imports.Import imp, Set<External> ext) {
    String t = imp.target();
    for (Map.Entry<String, String> m : goModules.entrySet()) {
      if (t.equals(m.getKey()) || t.startsWith(m.getKey() + "/")) {
        String rel = t.substring(m.getKey().length());
        String dir = (m.getValue() + rel).replaceAll("^/", "");
        return goDirs.getOrDefault(dir, List.of());
      }
    }
    String first = t.split("/")[0];
    if (first.contains(".")) {
      ext.add(new External("go", t));
    }
    return List.of();
  }

  private List<String> elixir(Imports.Import imp, Set<External> ext) {
    String hit = exModules.get(imp.target());
    if (hit != null) {
      return List.of(hit);
    }
    String first = imp.target().split("\\.")[0];
    if (!exPrefixes.contains(first) && !Resolvers.ELIXIR_STD.contains(first)) {
      ext.add(new External("hex", first.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT)));
    }
    return List.of();
  }
}
