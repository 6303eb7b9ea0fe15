package dev.autopilot.internal.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

  static List<String> symbols(List<Chunker.Chunk> chunks) {
    return chunks.stream().map(Chunker.Chunk::symbol).filter(x -> x != null).toList();
  }

  @Test
  void licenseOnlyBlockIsNeverAChunkAndLongImportListsAreDropped() {
    String license = """
        /*
         * Copyright 2024 Example Corp.
         *
         * Licensed under the Apache License, Version 2.0 (the "License");
         * you may not use this file except in compliance with the License.
         */
        """;
    StringBuilder java = new StringBuilder(license).append("package a.b;\n\n");
    for (int i = 0; i < 12; i++) {
      java.append("import a.b.c.Type").append(i).append(";\n");
    }
    java.append("\n/** Sums. */\npublic class Sum {\n  int add(int x, int y) {\n    return x + y;\n  }\n}\n");
    List<Chunker.Chunk> chunks = Chunker.chunk("java", java.toString());
    assertEquals(1, chunks.size(), chunks.toString());
    assertEquals(22, chunks.get(0).startLine(), "license, package and the 12 imports are not chunked");
    assertEquals("Sum", chunks.get(0).symbol());
    assertTrue(chunks.stream().noneMatch(c -> c.content().contains("Licensed under") || c.content().contains("import ")));

    assertEquals(List.of(), Chunker.chunk("java", license), "a file of a license only has no chunk");
    List<Chunker.Chunk> py = Chunker.chunk("python", "# Copyright (c) 2020 Someone\n# SPDX-License-Identifier: MIT\n\n"
        + "import os\n\ndef run():\n    return os.getcwd()\n");
    assertEquals(1, py.size());
    assertEquals(4, py.get(0).startLine(), "a short import list is folded into the chunk after it");
    assertEquals("run", py.get(0).symbol());
  }

  @Test
  void goMethodsAreNamedByReceiverTypeAndName() {
    String go = """
        package store

        import (
        \t"fmt"
        \t"sync"
        )

        // Store keeps values.
        type Store struct {
        \tmu   sync.Mutex
        \tdata map[string]string
        }

        func New() *Store {
        \treturn &Store{data: map[string]string{}}
        }

        // Put stores a value.
        func (s *Store) Put(key, value string) {
        \ts.mu.Lock()
        \tdefer s.mu.Unlock()
        \ts.data[key] = value
        \tfmt.Println(key)
        }

        func (s Store) Len() int {
        \treturn len(s.data)
        }

        func (l *List[T]) Push(v T) {
        \tl.items = append(l.items, v)
        }
        """;
    List<Chunker.Chunk> chunks = Chunker.chunk("go", go.replace("\n\n", "\n\n\n\n\n\n\n\n\n"));
    List<String> symbols = symbols(chunks);
    assertTrue(symbols.containsAll(List.of("Store", "New", "Store.Put", "Store.Len", "List.Push")), symbols.toString());
    assertFalse(symbols.contains("func"), symbols.toString());
  }

  @Test
  void rustAndKotlinDeclarationsGetTheirNames() {
    String fns = """
            fn helper_a(&self) -> usize {
                let n = 1;
                n + 1
            }

            fn helper_b(&self) -> usize {
                let n = 2;
                n + 2
            }
        """;
    String rust = "impl<T: Display> Printer<T> {\n    pub fn print(&self, v: T) -> String {\n        format!(\"{}\", v)\n"
        + "    }\n" + fns + "}\n\nimpl fmt::Display for Token {\n    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {\n"
        + "        write!(f, \"{}\", self.0)\n    }\n" + fns + "}\n";
    List<String> rs = symbols(Chunker.chunk("rust", rust));
    assertEquals(List.of("Printer", "Token"), rs, "an impl is named by its type");
    String kotlin = """
        class Greeter(private val name: String) {
            fun <T> render(value: T): String {
                return "$name: $value"
            }
        }
        """ + "\n".repeat(12) + """
        fun String.shout(): String = uppercase()
        """;
    List<String> kt = symbols(Chunker.chunk("kotlin", kotlin));
    assertEquals(List.of("Greeter", "String.shout"), kt);
    StringBuilder big = new StringBuilder("class Big {\n");
    for (int m = 0; m < 4; m++) {
      big.append("    fun <T> method").append(m).append("(x: T): T {\n");
      big.append("        println(x)\n".repeat(20)).append("        return x\n    }\n\n");
    }
    big.append("}\n");
    List<String> members = symbols(Chunker.chunk("kotlin", big.toString()));
    assertTrue(members.containsAll(List.of("method0", "method1", "method2", "method3")), members.toString());
  }

  @Test
  void sqlIsSplitByStatementAndByNameMarkers() {
    String sql = """
        -- Accounts.
        CREATE TABLE accounts (
          id bigint PRIMARY KEY,
          name text NOT NULL
        );
        CREATE INDEX accounts_name_idx ON accounts (name);

        -- Moves money; the body holds semicolons.
        CREATE OR REPLACE FUNCTION transfer(p_from bigint, p_to bigint, p_amount numeric) RETURNS void
        LANGUAGE plpgsql AS $$
        BEGIN
          UPDATE accounts SET balance = balance - p_amount WHERE id = p_from;
          UPDATE accounts SET balance = balance + p_amount WHERE id = p_to;
        END
        $$;

        -- name: GetAccount :one
        SELECT * FROM accounts WHERE id = $1;

        -- name: ListAccounts :many
        SELECT * FROM accounts ORDER BY name;
        """;
    List<Chunker.Chunk> chunks = Chunker.chunk("sql", sql);
    assertEquals(List.of("accounts", "transfer", "GetAccount", "ListAccounts"), chunks.stream()
        .map(Chunker.Chunk::symbol).toList(), chunks.toString());
    assertEquals(List.of("1-6", "7-15", "16-18", "19-21"), chunks.stream().map(c -> c.startLine() + "-" + c.endLine())
        .toList(), "a statement with the comments above it; the index joins its table; the body is not cut");
  }

  @Test
  void everyPieceOfALongDeclarationCarriesItsSignature() {
    StringBuilder java = new StringBuilder("package a;\n\npublic class Ledger {\n\n");
    java.append("  public long settle(Account from, Account to,\n      long amount) {\n");
    for (int i = 0; i < 150; i++) {
      java.append("    total += step(").append(i).append(");\n");
    }
    java.append("    return total;\n  }\n}\n");
    List<Chunker.Chunk> chunks = Chunker.chunk("java", java.toString());
    List<Chunker.Chunk> pieces = chunks.stream().filter(c -> c.startLine() > 6).toList();
    assertTrue(pieces.size() >= 3, chunks.toString());
    for (Chunker.Chunk c : pieces) {
      assertEquals("settle", c.symbol(), c.toString());
      assertEquals("public class Ledger {\npublic long settle(Account from, Account to, long amount) {", c.context(),
          c.toString());
    }
  }
}
