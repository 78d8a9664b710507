#!/usr/bin/env bash
# Runs a command (the test suite) against throwaway service instances, all on 127.0.0.1:
# PostgreSQL (DATABASE_URL), Redis (REDIS_URL) and an S3 API server (BALAI_STORAGE_URL, moto's
# server mode from requirements-test.txt: tests/services/s3.sh); the first two installed from
# the system packages when missing; all started on free ports in a temporary folder and
# stopped with it on exit.
#   tests/services/postgres.sh .venv/bin/python -m pytest -q
# CI runs as root, and initdb refuses root: the servers then run as the `postgres` user.
set -euo pipefail

install_missing() {  # command, package
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing $2 from the system packages"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2") >/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ]; then
  install_missing initdb postgresql
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
install_missing redis-server redis-server

work=$(mktemp -d)
as_postgres=()
if [ "$(id -u)" = 0 ]; then
  as_postgres=(runuser -u postgres --)
  chown postgres "$work"
fi

stop_services() {
  "$(dirname "$0")/s3.sh" stop "$work/s3" || true
  [ -f "$work/pg/postmaster.pid" ] && "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
  [ -n "${redis_pid:-}" ] && kill "$redis_pid" 2>/dev/null && wait "$redis_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap stop_services EXIT
trap 'exit 130' INT  # a signal too ends with stop_services (untrapped, bash would just die)
trap 'exit 143' TERM

# PostgreSQL: durability off (a test database is thrown away), enough connections for the
# tests' pools and servers.
pg_port=$(free_port)
"${as_postgres[@]}" "$pg_bin/initdb" -D "$work/pg" -U postgres -A trust -E UTF8 --no-sync >/dev/null
"${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg.log" -w start -o \
  "-h 127.0.0.1 -p $pg_port -k $work -c fsync=off -c synchronous_commit=off \
   -c full_page_writes=off -c max_connections=300" >/dev/null \
  || { cat "$work/pg.log"; exit 1; }
export DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/postgres"
# The tables' owner (postgres, above: the tests make databases and schemas with it) and the role
# the app connects as, which owns nothing and passes the wall between villages only as the
# across role (tests/support/postgres.py: the apps' DATABASE_URL and BALAI_OWNER_DATABASE_URL).
"$pg_bin/psql" -q -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres -c \
  "CREATE ROLE balai_app LOGIN; CREATE ROLE balai_across NOLOGIN; GRANT balai_across TO balai_app"
export BALAI_TEST_APP_ROLE=balai_app

# Redis: in memory only.
redis_port=$(free_port)
redis-server --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no \
  --logfile "$work/redis.log" &
redis_pid=$!
export REDIS_URL="redis://127.0.0.1:$redis_port/0"

# Object storage: each test's documents under a prefix of their own in one bucket.
eval "$("$(dirname "$0")/s3.sh" start "$work/s3")"

echo "PostgreSQL on 127.0.0.1:$pg_port, Redis on 127.0.0.1:$redis_port, S3 at $AWS_ENDPOINT_URL"
"$@"
