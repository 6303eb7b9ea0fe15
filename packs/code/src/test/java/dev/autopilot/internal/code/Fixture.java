package dev.autopilot.internal.code;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A small multi-language repository with imports between its files, written by the tests. */
public final class Fixture {
  private Fixture() {}

  public static Path write(Path root) throws IOException {
    put(root, ".gitignore", "ignored/\n*.log\n");
    put(root, "ignored/Secret.java", "package x; class Secret {}\n");
    put(root, "app.log", "log line\n");
    put(root, "pom.xml", """
        <project><modelVersion>4.0.0</modelVersion><groupId>fx</groupId><artifactId>fx</artifactId><version>1</version>
          <properties><slf4j.version>2.0.17</slf4j.version></properties>
          <dependencies>
            <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-api</artifactId><version>${slf4j.version}</version></dependency>
            <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.10.0</version><scope>test</scope></dependency>
          </dependencies>
          <build><plugins><plugin><artifactId>maven-jar-plugin</artifactId><dependencies><dependency><groupId>p</groupId><artifactId>q</artifactId></dependency></dependencies></plugin></plugins></build>
        </project>
        """);
    put(root, "package.json", """
        {"name": "fx", "dependencies": {"lodash": "^4.17.21"}, "devDependencies": {"jest": "^29.0.0"}}
        """);
    put(root, "Cargo.toml", """
        [package]
        name = "fx"
        version = "0.1.0"

        [dependencies]
        serde = { version = "1.0", features = ["derive"] }
        anyhow = "1"
        """);
    put(root, "go.mod", "module example.com/fx\n\ngo 1.22\n\nrequire github.com/google/uuid v1.6.0\n");
    put(root, "mix.exs", """
        defmodule Fx.MixProject do
          use Mix.Project
          defp deps do
            [
              {:jason, "~> 1.4"},
              {:ex_doc, "~> 0.31", only: :dev}
            ]
          end
        end
        """);
    put(root, "requirements.txt", "# runtime\nrequests==2.31.0\nnumpy>=1.26\n");
    put(root, "java/src/main/java/fx/core/Util.java", """
        package fx.core;

        import org.slf4j.Logger;

        /** Shared helpers every part of the app uses. */
        public final class Util {
          private Util() {}

          /** Joins words with a dash. */
          public static String dashJoin(String... words) {
            return String.join("-", words);
          }
        }
        """);
    put(root, "java/src/main/java/fx/app/Service.java", """
        package fx.app;

        import fx.core.Util;

        public class Service {
          public String label(String a, String b) {
            return Util.dashJoin(a, b);
          }
        }
        """);
    put(root, "java/src/main/java/fx/app/Report.java", """
        package fx.app;

        import fx.core.Util;

        public class Report {
          public String title() {
            return Util.dashJoin("monthly", "report");
          }
        }
        """);
    put(root, "java/src/main/java/fx/app/Main.java", """
        package fx.app;

        import fx.core.Util;

        public class Main {
          public static void main(String[] args) {
            System.out.println(new Service().label("a", "b") + new Report().title() + Util.dashJoin("x"));
          }
        }
        """);
    put(root, "java/src/main/java/fx/app/Orphan.java", """
        package fx.app;

        public class Orphan {
          public int unused() {
            return 42;
          }
        }
        """);
    put(root, "kotlin/src/main/kotlin/fx/kt/Greeter.kt", """
        package fx.kt

        import fx.core.Util

        class Greeter {
            fun greet(name: String): String = Util.dashJoin("hello", name)
        }
        """);
    put(root, "kotlin/src/main/kotlin/fx/kt/App.kt", """
        package fx.kt

        fun main() {
            println(Greeter().greet("world"))
        }
        """);
    put(root, "python/pkg/__init__.py", "");
    put(root, "python/pkg/helpers.py", """
        import re


        def slugify(title):
            \"\"\"Convert a title into a lowercase url slug with dashes.\"\"\"
            return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
        """);
    put(root, "python/pkg/models.py", """
        class Article:
            def __init__(self, title):
                self.title = title
        """);
    put(root, "python/pkg/cli.py", """
        import requests
        from pkg.helpers import slugify
        from . import models


        def run():
            print(slugify(models.Article("Hello World").title))


        if __name__ == "__main__":
            run()
        """);
    put(root, "js/src/index.js", """
        import { add } from './math';
        const _ = require('lodash');

        console.log(add(1, 2), _.identity(3));
        """);
    put(root, "js/src/math.ts", """
        // Arithmetic helpers.
        export function add(a: number, b: number): number {
          return a + b;
        }
        """);
    put(root, "go/main.go", """
        package main

        import (
        \t"fmt"
        \t"example.com/fx/go/store"
        )

        func main() {
        \tfmt.Println(store.New().Get("k"))
        }
        """);
    put(root, "go/store/store.go", """
        package store

        // Store keeps key value pairs in memory.
        type Store struct {
        \tdata map[string]string
        }

        func New() *Store {
        \treturn &Store{data: map[string]string{}}
        }

        // Put stores a value under a key in the in-memory map.
        func (s *Store) Put(key, value string) {
        \ts.data[key] = value
        }

        func (s *Store) Get(key string) string {
        \treturn s.data[key]
        }
        """);
    put(root, "rust/src/main.rs", """
        mod parser;
        use crate::parser::parse_tokens;
        use serde::Deserialize;

        fn main() {
            println!("{:?}", parse_tokens("a b c"));
        }
        """);
    put(root, "rust/src/parser.rs", """
        /// Splits configuration text into whitespace separated tokens.
        pub fn parse_tokens(input: &str) -> Vec<String> {
            input.split_whitespace().map(|s| s.to_string()).collect()
        }
        """);
    put(root, "elixir/lib/fx/app.ex", """
        defmodule Fx.App do
          use Application
          alias Fx.Repo

          def start(_type, _args), do: Repo.start_link()
        end
        """);
    put(root, "elixir/lib/fx/repo.ex", """
        defmodule Fx.Repo do
          def start_link, do: {:ok, self()}
        end
        """);
    put(root, "README.md", "# Fixture\n\nA tiny repository for tests.\n");
    return root;
  }

  public static void put(Path root, String rel, String content) throws IOException {
    Path p = root.resolve(rel);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
  }
}
