#!/usr/bin/env bash
# Runs the operator CLI (./autopilot status|jobs|cron|trigger|backups|search|db ...) or, with
# --main CLASS, another main class of the examples module (./autopilot demo uses DemoMain).
# Builds the examples module and what it depends on first, but only when a source changed since
# the last build (or nothing was built yet): later calls start the JVM at once.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

main=dev.autopilot.examples.cli.AutopilotCli
if [ "${1:-}" = "--main" ]; then
  main="$2"
  shift 2
fi

target=examples/target
stamp="$target/.autopilot-built"
cp_file="$target/classpath.txt"

stale() {
  [ -f "$stamp" ] && [ -f "$cp_file" ] || return 0
  [ -n "$(find pom.xml spi sql-bundle core packs all cli testing examples -path '*/target' -prune -o -type f -newer "$stamp" -print -quit)" ]
}

if stale; then
  echo "[autopilot] building (only when sources changed) ..." >&2
  log="$(mktemp)"
  build() { ./mvnw -B -q "$@" -pl examples -am package -DskipTests >"$log" 2>&1; }
  # offline first (fast, no network); a fresh machine without the dependencies cached goes online
  if ! build -o && ! build; then
    cat "$log" >&2
    rm -f "$log"
    echo "[autopilot] build failed" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi

jar="$(ls "$target"/autopilot-examples-*.jar 2>/dev/null | grep -v -- '-sources\|-javadoc' | head -1)"
java_bin="java"
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java_bin="$JAVA_HOME/bin/java"; fi
exec "$java_bin" ${AUTOPILOT_JAVA_OPTS:-} -Dautopilot.repo="$here" -cp "$jar:$(cat "$cp_file")" "$main" "$@"
