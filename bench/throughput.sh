#!/usr/bin/env bash
# Requests per second and p99 latency: Balai's home page (and a news page, if there is one)
# against a bare Flask "hello" page, each under gunicorn with 2 workers, 10 s of wrk, br/gzip.
#   bench/throughput.sh [DATA_DIR]   (default: a fresh demo village in a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
DATA_DIR=${1:-$(mktemp -d)}
export BALAI_DATA_DIR=$DATA_DIR BALAI_SECRET_KEY=bench
$BIN/flask --app app init-db >/dev/null
$BIN/flask --app app seed-demo >/dev/null

free_port() { $BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve() {  # serve APP_SPEC on a free port; sets PORT and PID
  PORT=$(free_port)
  $BIN/gunicorn --workers 2 --bind 127.0.0.1:$PORT --log-level warning "$1" &
  PID=$!
  for _ in $(seq 50); do curl -sf -o /dev/null http://127.0.0.1:$PORT/ && return; sleep 0.2; done
  echo "server did not start: $1" >&2; exit 1
}

measure() {  # URL -> "req/s p99_ms"
  wrk -t2 -c$CONNECTIONS -d$DURATION --latency -H 'Accept-Encoding: br, gzip' "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
         else if (v ~ /ms$/) sub(/ms/,"",v); else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
         END {printf "%.0f %.2f\n", rps, p99}'
}

report() {  # name, "rps p99"
  read -r rps p99 <<<"$2"
  printf "%-12s %8s req/s  p99 %7s ms  hello/page %s\n" "$1" "$rps" "$p99" \
    "$(awk -v h="$HELLO_RPS" -v r="$rps" 'BEGIN {printf "%.2fx", h / r}')"
}

serve "bench.hello:create_app()"
read -r HELLO_RPS HELLO_P99 <<<"$(measure http://127.0.0.1:$PORT/)"
kill $PID; wait $PID 2>/dev/null || true

serve "app:create_app()"
report hello "$HELLO_RPS $HELLO_P99"
report beranda "$(measure http://127.0.0.1:$PORT/)"
NEWS=$(curl -s http://127.0.0.1:$PORT/ | grep -o 'href="/berita/[^"?#]*"' | head -1 | cut -d'"' -f2 || true)
if [ -n "$NEWS" ]; then report berita "$(measure http://127.0.0.1:$PORT$NEWS)"; else echo "berita       (belum ada halaman berita)"; fi
kill $PID; wait $PID 2>/dev/null || true
