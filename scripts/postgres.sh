#!/usr/bin/env bash
# Start a throwaway PostgreSQL server on loopback for the store's tests and print its URL.
# On Debian as root, installs Debian's postgresql when missing. Prints nothing and exits 1
# when no server can be started (the PostgreSQL tests then say why they did not run).
# Usage: url=$(bash scripts/postgres.sh) && export JUESUAN_TEST_PG="$url"
set -uo pipefail
# a free loopback port (another server, or an earlier run's, may hold the usual one)
port=${JUESUAN_TEST_PG_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null || echo 54329)}
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql) >/dev/null 2>&1 || exit 1
  else
    exit 1
  fi
fi
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
dir=$(mktemp -d /tmp/juesuan-pg.XXXXXX)
run() {  # initdb and postgres refuse to run as root: run them as the postgres user
  if [ "$(id -u)" = "0" ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
[ "$(id -u)" = "0" ] && chown postgres "$dir"
run "'$bin/initdb' -D '$dir/data' -A trust -U postgres -E UTF8 --locale=C.UTF-8" >/dev/null 2>&1 || exit 1
run "'$bin/pg_ctl' -D '$dir/data' -l '$dir/log' -w -o \"-p $port -k $dir -c listen_addresses=127.0.0.1\" start" >/dev/null 2>&1 || exit 1
echo "postgresql://postgres@127.0.0.1:$port/postgres"
