#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server on loopback for the store, export and
# review tests, and print the URL they read from JIXIAO_TEST_PG_URL.
#
#   eval "$(bash tools/pg_test_server.sh start [PORT])"   # exports JIXIAO_TEST_PG_URL, JIXIAO_TEST_PG_DATA
#   bash tools/pg_test_server.sh stop "$JIXIAO_TEST_PG_DATA"
#
# Uses Debian's server binaries (/usr/lib/postgresql/*/bin); as root the server runs as
# the unprivileged `postgres` user (PostgreSQL refuses to run as root). The data folder is
# a new temporary directory; trust authentication is safe because it listens on
# 127.0.0.1 only.
set -euo pipefail

action=${1:-start}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
if [ -z "$bindir" ]; then
  echo "no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install postgresql" >&2
  exit 1
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    port=${2:-$(python3 -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")}
    data=$(mktemp -d /tmp/jixiao-pg.XXXXXX)
    if [ "$(id -u)" = 0 ]; then chown postgres: "$data"; fi
    as_owner "$bindir/initdb" -D "$data/db" -U jixiao -A trust -E UTF8 --locale=C.UTF-8 >"$data/initdb.log"
    as_owner "$bindir/pg_ctl" -D "$data/db" -l "$data/server.log" -w \
      -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null
    as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U jixiao jixiao_test
    echo "export JIXIAO_TEST_PG_URL=postgresql+psycopg://jixiao@127.0.0.1:$port/jixiao_test"
    echo "export JIXIAO_TEST_PG_DATA=$data"
    ;;
  stop)
    data=${2:?give the data folder printed by start}
    as_owner "$bindir/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null || true
    rm -rf "$data"
    ;;
  *)
    echo "usage: $0 start [PORT] | stop DATA_DIR" >&2
    exit 2
    ;;
esac
