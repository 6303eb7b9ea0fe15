#!/usr/bin/env bash
# Makes a Debian-like machine ready for Autopilot's demo and tests:
#   PostgreSQL 15 server binaries, pg_cron, and pgvector (built from Debian's source
#   package of the next release when no binary package exists), and Debian's chromium and
#   chromium-driver for the dashboard's browser tests (web/).
# Idempotent: returns in well under a second when everything is already there.
# Exit codes: 0 ready (pgvector may be missing: tests then use the real[] fallback),
#             1 PostgreSQL, pg_cron, chromium or chromium-driver cannot be installed.
set -euo pipefail

PG_MAJOR="${AUTOPILOT_PG_MAJOR:-15}"
PG_BIN="/usr/lib/postgresql/${PG_MAJOR}/bin"
PG_LIB="/usr/lib/postgresql/${PG_MAJOR}/lib"
PG_EXT="/usr/share/postgresql/${PG_MAJOR}/extension"

log() { echo "[autopilot setup] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

have_server() { [ -x "$PG_BIN/postgres" ] && [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_dump" ]; }
have_cron()   { [ -f "$PG_LIB/pg_cron.so" ] && [ -f "$PG_EXT/pg_cron.control" ]; }
have_vector() { [ -f "$PG_LIB/vector.so" ] && [ -f "$PG_EXT/vector.control" ]; }
have_browser() { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }

if have_server && have_cron && have_vector && have_browser; then
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    die "missing PostgreSQL ${PG_MAJOR} parts and not root (no sudo). Install postgresql-${PG_MAJOR} and postgresql-${PG_MAJOR}-cron, then run this script again."
  fi
fi
command -v apt-get >/dev/null 2>&1 || die "apt-get not found: install PostgreSQL ${PG_MAJOR} server, pg_cron (and optionally pgvector) by hand"

export DEBIAN_FRONTEND=noninteractive
APT_UPDATED=""
apt_update() { [ -n "$APT_UPDATED" ] || { $SUDO apt-get update -qq >&2 || die "apt-get update failed"; APT_UPDATED=1; }; }

if ! have_server; then
  log "installing postgresql-${PG_MAJOR} server"
  apt_update
  $SUDO apt-get install -y -qq "postgresql-${PG_MAJOR}" "postgresql-client-${PG_MAJOR}" >&2 \
    || die "could not install postgresql-${PG_MAJOR}"
fi

if ! have_cron; then
  log "installing postgresql-${PG_MAJOR}-cron"
  apt_update
  $SUDO apt-get install -y -qq "postgresql-${PG_MAJOR}-cron" >&2 || die "could not install postgresql-${PG_MAJOR}-cron"
fi

if ! have_vector; then
  log "pgvector not installed: trying the binary package, then Debian's source package"
  apt_update
  if ! $SUDO apt-get install -y -qq "postgresql-${PG_MAJOR}-pgvector" >/dev/null 2>&1; then
    (
      set -e
      SRC_LIST=/etc/apt/sources.list.d/autopilot-trixie-src.sources
      if [ ! -f "$SRC_LIST" ]; then
        $SUDO tee "$SRC_LIST" >/dev/null <<SRC
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
        $SUDO apt-get update -qq >&2
      fi
      $SUDO apt-get install -y -qq "postgresql-server-dev-${PG_MAJOR}" build-essential dpkg-dev >&2
      work=$(mktemp -d)
      cd "$work"
      apt-get source -qq pgvector >&2
      cd pgvector-*/
      make -s PG_CONFIG="$PG_BIN/pg_config" >&2
      $SUDO make -s install PG_CONFIG="$PG_BIN/pg_config" >&2
      cd / && rm -rf "$work"
    ) || log "WARNING: pgvector could not be built; Autopilot falls back to real[] embeddings"
  fi
fi

if ! have_browser; then
  log "installing chromium and chromium-driver (the dashboard's browser tests)"
  apt_update
  $SUDO apt-get install -y -qq chromium chromium-driver >&2 || die "could not install chromium and chromium-driver"
fi

have_server || die "PostgreSQL ${PG_MAJOR} server binaries still missing in ${PG_BIN}"
have_browser || die "chromium or chromedriver still missing in /usr/bin (the dashboard's browser tests need both)"
have_cron || die "pg_cron still missing in ${PG_LIB}"
if have_vector; then log "ready: PostgreSQL ${PG_MAJOR}, pg_cron, pgvector"; else log "ready: PostgreSQL ${PG_MAJOR}, pg_cron (no pgvector)"; fi
