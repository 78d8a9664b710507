#!/usr/bin/env bash
# Requests per second and p99 latency: Balai's home page (and a news page, if there is one)
# against a bare Flask "hello" page, each served as run.sh serves Balai (serve.py: waitress),
# 10 s of wrk, br/gzip.
# Both servers run side by side (the idle one costs nothing) and are measured in turns, ROUNDS
# times (hello, home, news, hello, ...: on a shared machine each pair meets the same load); the
# median round of each counts.
#   bench/throughput.sh [DATA_DIR]   (default: a fresh demo village in a temporary directory)
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-8}
ROUNDS=${ROUNDS:-5}
command -v wrk >/dev/null || { echo "wrk tidak ada: pasang dengan 'apt-get install wrk'" >&2; exit 1; }
DATA_DIR=${1:-$(mktemp -d)}
export BALAI_DATA_DIR=$DATA_DIR BALAI_SECRET_KEY=bench
$BIN/flask --app app init-db >/dev/null
$BIN/flask --app app seed-demo >/dev/null

PIDS=()
trap 'kill "${PIDS[@]}" 2>/dev/null; wait 2>/dev/null' EXIT
free_port() { $BIN/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

serve() {  # FACTORY -> sets URL once the server answers (not in a subshell: PIDS must grow)
  local port; port=$(free_port)
  HOST=127.0.0.1 PORT=$port $BIN/python serve.py "$1" 2>/dev/null &
  PIDS+=($!)
  URL=http://127.0.0.1:$port
  for _ in $(seq 50); do curl -sf -o /dev/null $URL/ && return; sleep 0.2; done
  echo "server did not start: $1" >&2; exit 1
}

measure() {  # URL -> "req/s p99_ms"
  wrk -t2 -c$CONNECTIONS -d$DURATION --latency -H 'Accept-Encoding: br, gzip' "$1" |
    awk '/Requests\/sec/ {rps=$2} /^ +99%/ {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v/=1000}
         else if (v ~ /ms$/) sub(/ms/,"",v); else if (v ~ /s$/) {sub(/s/,"",v); v*=1000}; p99=v}
         END {printf "%.0f %.2f\n", rps, p99}'
}

serve bench.hello:create_app; HELLO=$URL
serve app:create_app; BALAI=$URL
NEWS=$(curl -s $BALAI/ | grep -oE 'href="/berita/[a-z0-9-]+"' | head -1 | cut -d'"' -f2 || true)
declare -A URLS=([hello]=$HELLO/ [beranda]=$BALAI/)
NAMES=(hello beranda)
if [ -n "$NEWS" ]; then URLS[berita]=$BALAI$NEWS; NAMES+=(berita); fi

declare -A ROUNDS_OF  # name -> "rps p99" lines, one a round
for _ in $(seq $ROUNDS); do
  for name in "${NAMES[@]}"; do
    ROUNDS_OF[$name]+="$(measure "${URLS[$name]}")"$'\n'
  done
done
declare -A MEDIAN  # the median round (by req/s)
for name in "${NAMES[@]}"; do
  MEDIAN[$name]=$(printf '%s' "${ROUNDS_OF[$name]}" | sort -n | awk '{r[NR]=$0} END {print r[int((NR+1)/2)]}')
  echo "$name rounds (req/s): $(printf '%s' "${ROUNDS_OF[$name]}" | cut -d' ' -f1 | tr '\n' ' ')" >&2
done

read -r HELLO_RPS _ <<<"${MEDIAN[hello]}"
ratios() {  # NAME -> hello/page of each round (measured back to back), the median of them
  paste -d' ' <(printf '%s' "${ROUNDS_OF[hello]}") <(printf '%s' "${ROUNDS_OF[$1]}") |
    awk '{print $1 / $3}' | sort -n | awk '{r[NR]=$0} END {printf "%.2fx", r[int((NR+1)/2)]}'
}
for name in "${NAMES[@]}"; do
  read -r rps p99 <<<"${MEDIAN[$name]}"
  printf "%-8s %6s req/s  p99 %7s ms  page/hello time %s (median of the rounds' own: %s)\n" \
    "$name" "$rps" "$p99" "$(awk -v h="$HELLO_RPS" -v r="$rps" 'BEGIN {printf "%.2fx", h / r}')" \
    "$(ratios "$name")"
done
[ -n "$NEWS" ] || echo "berita   (belum ada halaman berita)"
