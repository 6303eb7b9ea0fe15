package dev.autopilot.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ChunkerTest {

  @Test
  void largeJavaClassIsSplitIntoItsMethods() {
    StringBuilder sb = new StringBuilder("package a;\n\nimport java.util.List;\n\npublic class Big {\n");
    for (int m = 0; m < 6; m++) {
      sb.append("  /** Method ").append(m).append(". */\n  public int method").append(m).append("(int x) {\n");
      for (int i = 0; i < 12; i++) {
        sb.append("    x = x + ").append(i).append(";\n");
      }
      sb.append("    return x;\n  }\n\n");
    }
    sb.append("}\n");
    List<Chunker.Chunk> chunks = Chunker.chunk("java", sb.toString());
    Set<String> symbols = chunks.stream().map(Chunker.Chunk::symbol).filter(s -> s != null).collect(Collectors.toSet());
    for (int m = 0; m < 6; m++) {
      assertTrue(symbols.contains("method" + m), symbols.toString());
    }
    assertEquals(1, chunks.get(0).startLine());
    assertEquals(sb.toString().split("\n").length, chunks.get(chunks.size() - 1).endLine());
  }

  @Test
  void pythonIsSplitByDefAndTextByOverlappingWindows() {
    StringBuilder py = new StringBuilder("import os\n\n");
    for (int f = 0; f < 5; f++) {
      py.append("def f").append(f).append("(x):\n");
      for (int i = 0; i < 10; i++) {
        py.append("    x += ").append(i).append("\n");
      }
      py.append("    return x\n\n");
    }
    List<Chunker.Chunk> chunks = Chunker.chunk("python", py.toString());
    assertEquals(List.of("f0", "f1", "f2", "f3", "f4"), chunks.stream().map(Chunker.Chunk::symbol)
        .filter(s -> s != null).toList());
    String text = "line\n".repeat(100);
    List<Chunker.Chunk> w = Chunker.chunk("text", text);
    assertEquals(1, w.get(0).startLine());
    assertEquals(40, w.get(0).endLine());
    assertEquals(31, w.get(1).startLine()); // 10 lines overlap
    assertEquals(100, w.get(w.size() - 1).endLine());
  }

  @Test
  void importsOfEveryLanguageAreExtracted() {
    assertEquals(List.of("a.b.C", "a.d"), Imports.of("java", "import a.b.C;\nimport static a.d.E.f;\n").stream()
        .map(i -> i.kind().equals("static") ? "a.d" : i.target()).toList());
    assertEquals("x.y.Z", Imports.of("kotlin", "import x.y.Z\n").get(0).target());
    assertEquals(List.of("os", "pkg.m"), Imports.of("python", "import os\nfrom pkg.m import a, b\n").stream()
        .map(Imports.Import::target).toList());
    assertEquals(List.of("./a", "b", "c"), Imports.of("javascript",
        "import x from './a';\nimport 'b';\nconst c = require(\"c\");\n").stream().map(Imports.Import::target).toList());
    assertEquals(List.of("fmt", "x.com/y"), Imports.of("go", "import (\n\t\"fmt\"\n\tz \"x.com/y\"\n)\n").stream()
        .map(Imports.Import::target).toList());
    assertEquals(List.of("m", "crate::a::b"), Imports.of("rust", "mod m;\nuse crate::a::b;\n").stream()
        .map(Imports.Import::target).toList());
    assertEquals(List.of("A.B", "A.C", "A.D"), Imports.of("elixir", "alias A.B\nalias A.{C, D}\n").stream()
        .map(Imports.Import::target).toList());
  }
}
