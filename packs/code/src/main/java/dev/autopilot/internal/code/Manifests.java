package dev.autopilot.internal.code;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/** Declared dependencies of the manifests registry-sync understands. */
final class Manifests {
  private Manifests() {}

  record Dep(String ecosystem, String name, String versionSpec, String scope) {}

  static final Set<String> NAMES = Set.of("pom.xml", "package.json", "Cargo.toml", "go.mod", "mix.exs",
      "requirements.txt", "pyproject.toml");

  static boolean isManifest(String path) {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return NAMES.contains(name) || name.matches("requirements[-\\w]*\\.txt");
  }

  static List<Dep> parse(String path, String text) throws Exception {
    String name = path.substring(path.lastIndexOf('/') + 1);
    return switch (name) {
      case "pom.xml" -> pom(text);
      case "package.json" -> packageJson(text);
      case "Cargo.toml" -> cargo(text);
      case "go.mod" -> goMod(text);
      case "mix.exs" -> mix(text);
      case "pyproject.toml" -> pyproject(text);
      default -> requirements(text);
    };
  }

  static List<Dep> pom(String text) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.setExpandEntityReferences(false);
    Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    Map<String, String> props = new HashMap<>();
    NodeList p = doc.getElementsByTagName("properties");
    for (int i = 0; i < p.getLength(); i++) {
      for (Node n = p.item(i).getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e) {
          props.put(e.getTagName(), e.getTextContent().trim());
        }
      }
    }
    List<Dep> out = new ArrayList<>();
    NodeList deps = doc.getElementsByTagName("dependency");
    for (int i = 0; i < deps.getLength(); i++) {
      Element d = (Element) deps.item(i);
      String parent = ((Element) d.getParentNode()).getTagName();
      Node grand = d.getParentNode().getParentNode();
      if (!parent.equals("dependencies") || (grand instanceof Element g && g.getTagName().equals("plugin"))) {
        continue;
      }
      String g = child(d, "groupId");
      String a = child(d, "artifactId");
      String v = resolve(child(d, "version"), props);
      String scope = child(d, "scope");
      boolean managed = grand instanceof Element ge && ge.getTagName().equals("dependencyManagement");
      out.add(new Dep("maven", g + ":" + a, v, managed ? "managed" : scope.isEmpty() ? "runtime" : scope));
    }
    return out;
  }

  private static String child(Element e, String tag) {
    for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element c && c.getTagName().equals(tag)) {
        return c.getTextContent().trim();
      }
    }
    return "";
  }

  private static String resolve(String v, Map<String, String> props) {
    Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(v);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(sb, Matcher.quoteReplacement(props.getOrDefault(m.group(1), m.group())));
    }
    m.appendTail(sb);
    return sb.toString();
  }

  @SuppressWarnings("unchecked")
  static List<Dep> packageJson(String text) {
    Object root = Json.parse(text);
    List<Dep> out = new ArrayList<>();
    if (!(root instanceof Map<?, ?> m)) {
      return out;
    }
    String[][] sections = {{"dependencies", "runtime"}, {"devDependencies", "dev"}, {"peerDependencies", "peer"},
        {"optionalDependencies", "optional"}};
    for (String[] sec : sections) {
      if (m.get(sec[0]) instanceof Map<?, ?> deps) {
        ((Map<String, Object>) deps).forEach((k, v) -> out.add(new Dep("npm", k, String.valueOf(v), sec[1])));
      }
    }
    return out;
  }

  private static final Pattern TOML_SECTION = Pattern.compile("^\\s*\\[([^\\]]+)]\\s*$");
  private static final Pattern TOML_KV = Pattern.compile("^\\s*([\\w.\"-]+)\\s*=\\s*(.+?)\\s*$");
  private static final Pattern TOML_VERSION = Pattern.compile("version\\s*=\\s*\"([^\"]*)\"");

  static List<Dep> cargo(String text) {
    List<Dep> out = new ArrayList<>();
    String section = "";
    for (String line : text.split("\n")) {
      line = stripComment(line);
      Matcher s = TOML_SECTION.matcher(line);
      if (s.matches()) {
        section = s.group(1).trim();
        Matcher sub = Pattern.compile("^(?:target\\.[^.]+\\.)?(dependencies|dev-dependencies|build-dependencies)\\.(.+)$").matcher(section);
        if (sub.matches()) {
          out.add(new Dep("cargo", sub.group(2).replace("\"", ""), "", cargoScope(sub.group(1))));
        }
        continue;
      }
      Matcher kv = TOML_KV.matcher(line);
      if (!kv.matches()) {
        continue;
      }
      String key = kv.group(1).replace("\"", "");
      Matcher dep = Pattern.compile("^(?:target\\.[^.]+\\.)?(dependencies|dev-dependencies|build-dependencies)$").matcher(section);
      if (dep.matches()) {
        out.add(new Dep("cargo", key, versionOf(kv.group(2)), cargoScope(dep.group(1))));
      } else if (key.equals("version") && section.matches("(?:target\\.[^.]+\\.)?(dependencies|dev-dependencies|build-dependencies)\\..+")) {
        Dep last = out.get(out.size() - 1);
        out.set(out.size() - 1, new Dep(last.ecosystem(), last.name(), unquote(kv.group(2)), last.scope()));
      }
    }
    return out;
  }

  private static String cargoScope(String section) {
    return section.equals("dependencies") ? "runtime" : section.equals("dev-dependencies") ? "dev" : "build";
  }

  private static String versionOf(String value) {
    if (value.startsWith("{")) {
      Matcher v = TOML_VERSION.matcher(value);
      return v.find() ? v.group(1) : "";
    }
    return unquote(value);
  }

  private static String unquote(String v) {
    v = v.trim();
    return (v.startsWith("\"") && v.endsWith("\"")) || (v.startsWith("'") && v.endsWith("'"))
        ? v.substring(1, v.length() - 1) : v;
  }

  private static String stripComment(String line) {
    int i = line.indexOf('#');
    return i >= 0 && line.lastIndexOf('"', i) < 0 ? line.substring(0, i) : line;
  }

  static List<Dep> goMod(String text) {
    List<Dep> out = new ArrayList<>();
    boolean block = false;
    for (String raw : text.split("\n")) {
      String line = raw.trim();
      boolean indirect = line.contains("// indirect");
      line = line.replaceAll("//.*", "").trim();
      if (line.startsWith("require (")) {
        block = true;
        continue;
      }
      if (block && line.equals(")")) {
        block = false;
        continue;
      }
      String spec = block ? line : line.startsWith("require ") ? line.substring(8).trim() : null;
      if (spec != null && !spec.isEmpty()) {
        String[] parts = spec.split("\\s+");
        out.add(new Dep("go", parts[0], parts.length > 1 ? parts[1] : "", indirect ? "indirect" : "runtime"));
      }
    }
    return out;
  }

  private static final Pattern MIX_DEP = Pattern.compile("\\{\\s*:(\\w+)\\s*,\\s*(?:\"([^\"]*)\")?([^}]*)}");

  static List<Dep> mix(String text) {
    List<Dep> out = new ArrayList<>();
    int start = text.indexOf("defp deps");
    String body = start >= 0 ? text.substring(start) : text;
    int end = body.indexOf("\n  end");
    body = end >= 0 ? body.substring(0, end) : body;
    Matcher m = MIX_DEP.matcher(body);
    while (m.find()) {
      String rest = m.group(3);
      Matcher only = Pattern.compile("only:\\s*\\[?\\s*:(\\w+)").matcher(rest);
      out.add(new Dep("hex", m.group(1), m.group(2) == null ? "" : m.group(2), only.find() ? only.group(1) : "runtime"));
    }
    return out;
  }

  private static final Pattern PY_REQ = Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\\[[^\\]]*])?\\s*(.*)$");

  static List<Dep> requirements(String text) {
    List<Dep> out = new ArrayList<>();
    for (String line : text.split("\n")) {
      line = line.replaceAll("\\s+#.*", "").trim();
      if (line.isEmpty() || line.startsWith("#") || line.startsWith("-")) {
        continue;
      }
      Dep d = pyDep(line, "runtime");
      if (d != null) {
        out.add(d);
      }
    }
    return out;
  }

  private static Dep pyDep(String spec, String scope) {
    Matcher m = PY_REQ.matcher(spec.split(";")[0].trim());
    return m.matches() ? new Dep("pypi", m.group(1).toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
        m.group(3).trim(), scope) : null;
  }

  static List<Dep> pyproject(String text) {
    List<Dep> out = new ArrayList<>();
    String section = "";
    boolean inArray = false;
    String arrayScope = "runtime";
    for (String raw : text.split("\n")) {
      String line = stripComment(raw).trim();
      Matcher s = TOML_SECTION.matcher(line);
      if (!inArray && s.matches()) {
        section = s.group(1).trim();
        continue;
      }
      if (inArray) {
        for (Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(line); q.find(); ) {
          Dep d = pyDep(q.group(1), arrayScope);
          if (d != null) {
            out.add(d);
          }
        }
        if (line.contains("]")) {
          inArray = false;
        }
        continue;
      }
      Matcher kv = TOML_KV.matcher(line);
      if (!kv.matches()) {
        continue;
      }
      String key = kv.group(1).replace("\"", "");
      boolean projectDeps = section.equals("project") && key.equals("dependencies");
      boolean optional = section.equals("project.optional-dependencies");
      if (projectDeps || optional) {
        arrayScope = projectDeps ? "runtime" : key;
        String v = kv.group(2);
        for (Matcher q = Pattern.compile("\"([^\"]+)\"").matcher(v); q.find(); ) {
          Dep d = pyDep(q.group(1), arrayScope);
          if (d != null) {
            out.add(d);
          }
        }
        inArray = v.startsWith("[") && !v.contains("]");
      } else if (section.matches("tool\\.poetry\\.(dependencies|dev-dependencies|group\\.\\w+\\.dependencies)")
          && !key.equals("python")) {
        out.add(new Dep("pypi", key.toLowerCase(java.util.Locale.ROOT), versionOf(kv.group(2)),
            section.endsWith(".dependencies") && section.startsWith("tool.poetry.dependencies") ? "runtime" : "dev"));
      }
    }
    return out;
  }
}
