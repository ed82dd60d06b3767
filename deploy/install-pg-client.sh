#!/usr/bin/env bash
# Installs PostgreSQL's pg_dump and pg_restore of the embedded server's major version (17), which
# Rampart's backups use (docs/operations.md, "Backups"), as DIR/bin/pg_dump and DIR/bin/pg_restore.
#
#   deploy/install-pg-client.sh [DIR]      (default: pg-client beside this repository's README)
#
# pg_dump refuses a server newer than itself, so the client must be 17 or newer.
#  - Where the system's packages have postgresql-client-17 (Debian 13, or the PostgreSQL project's
#    own package repository), it is installed and linked.
#  - On Debian 12, whose client is 15, Debian 13's client packages are downloaded (not installed)
#    and unpacked into DIR together with Debian 13's C library; DIR/bin holds small scripts that
#    start each program with that C library's own loader, so nothing of the system changes.
# Runs apt-get as root (sudo when not root). Set RAMPART_PG_BIN=DIR/bin for an install elsewhere
# than the default; the launcher finds the default one by itself.
set -euo pipefail
major=17
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="$(mkdir -p "${1:-$here/pg-client}" && cd "${1:-$here/pg-client}" && pwd)"
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

works() { [ -x "$dir/bin/pg_dump" ] && "$dir/bin/pg_dump" --version 2>/dev/null | grep -q "(PostgreSQL) $major\."; }
if works; then
  echo "pg-client: $("$dir/bin/pg_dump" --version) already in $dir/bin"
  exit 0
fi
mkdir -p "$dir/bin"

if [ -z "$(apt-cache policy "postgresql-client-$major" 2>/dev/null | awk '/Candidate:/ {print $2}' | grep -v none)" ]; then
  as_root apt-get update -q >/dev/null
fi
candidate="$(apt-cache policy "postgresql-client-$major" 2>/dev/null | awk '/Candidate:/ {print $2}')"
if [ -n "$candidate" ] && [ "$candidate" != "(none)" ]; then
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "postgresql-client-$major" >/dev/null
  for tool in pg_dump pg_restore; do
    ln -sf "/usr/lib/postgresql/$major/bin/$tool" "$dir/bin/$tool"
  done
else
  [ "$(dpkg --print-architecture)" = amd64 ] || { echo "pg-client: no postgresql-client-$major for this system; install pg_dump $major and set RAMPART_PG_BIN" >&2; exit 1; }
  # Debian 13's packages through a private apt configuration: the system's sources stay as they are.
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/lists/partial" "$work/archives/partial"
  # The system's own Debian mirror, for Debian 13's suite.
  mirror="$( (cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null || true) \
    | grep -v '^[[:space:]]*#' | grep -oE 'https?://[^ ]+' | grep -v security | head -1 || true)"
  [ -n "$mirror" ] || { echo "pg-client: no Debian mirror found in the apt sources" >&2; exit 1; }
  echo "deb $mirror trixie main" > "$work/sources.list"
  apt_private=(-o "Dir::Etc::sourcelist=$work/sources.list" -o Dir::Etc::sourceparts=- -o "Dir::State::Lists=$work/lists"
    -o "Dir::Cache::archives=$work/archives" -o APT::Sandbox::User=root)
  as_root apt-get "${apt_private[@]}" update -q >/dev/null
  (cd "$work" && as_root apt-get "${apt_private[@]}" download -q "postgresql-client-$major" libpq5 libldap2 libc6 >/dev/null)
  rm -rf "$dir/root"
  for deb in "$work"/*.deb; do
    dpkg-deb -x "$deb" "$dir/root"
  done
  for tool in pg_dump pg_restore; do
    cat > "$dir/bin/$tool" <<EOF
#!/bin/sh
# $tool $major from Debian 13, started with Debian 13's C library (deploy/install-pg-client.sh).
root="\$(cd "\$(dirname "\$0")/../root" && pwd)"
exec "\$root/usr/lib64/ld-linux-x86-64.so.2" --library-path "\$root/usr/lib/x86_64-linux-gnu:/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu" "\$root/usr/lib/postgresql/$major/bin/$tool" "\$@"
EOF
    chmod 755 "$dir/bin/$tool"
  done
fi
works || { echo "pg-client: $dir/bin/pg_dump does not run as pg_dump $major" >&2; exit 1; }
echo "pg-client: $("$dir/bin/pg_dump" --version) in $dir/bin"
