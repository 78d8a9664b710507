#!/usr/bin/env bash
# Start Balai: the database made or upgraded (migrate), the demo village if missing, then the web
# server and the task worker.
# Either one that stops is started again; Ctrl-C stops both, with every process they started.
set -euo pipefail
cd "$(dirname "$0")"
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
DATA=${BALAI_DATA_DIR:-data}
export BALAI_PUBLIC_URL=${BALAI_PUBLIC_URL:-http://$HOST:$PORT}

$BIN/flask --app app migrate
$BIN/flask --app app seed-demo

declare -A pids started
declare -A label=([web]="server web" [worker]="pekerja tugas (huey)")

# Each server runs in a process group of its own (setsid), so stopping it reaches its children
# too: the consumer's workers would go on consuming after its master is killed. The web server
# is waitress (serve.py says why: a slow phone never holds an app thread).
start() {
  case $1 in
    web) HOST=$HOST PORT=$PORT setsid $BIN/python serve.py & ;;
    worker) setsid $BIN/huey_consumer worker.huey --worker-type process --workers 2 \
              --logfile "$DATA/worker.log" & ;;
  esac
  pids[$1]=$! started[$1]=$SECONDS
}

stop() {  # the whole process group; after 10 s, by force
  kill -TERM -- "-$1" 2>/dev/null || return 0
  for _ in $(seq 100); do
    kill -0 -- "-$1" 2>/dev/null || return 0
    sleep 0.1
  done
  kill -KILL -- "-$1" 2>/dev/null || true
}

stop_all() {
  trap '' INT TERM  # a second Ctrl-C must not cut the stopping short
  for pid in "${pids[@]}"; do stop "$pid"; done
  wait
  echo "Balai berhenti."
}

trap stop_all EXIT
trap 'exit 130' INT TERM
start web
start worker

for _ in $(seq 50); do
  $BIN/python -c "import urllib.request,sys; urllib.request.urlopen('http://$HOST:$PORT/', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
echo
echo "Balai berjalan di http://$HOST:$PORT/  (Ctrl-C untuk berhenti)"
$BIN/flask --app app demo-accounts

# Polled rather than `wait -n`: a server that stopped while a command above ran is already
# reaped, and `wait -n` would never report it.
while sleep 1; do
  for name in "${!pids[@]}"; do
    kill -0 "${pids[$name]}" 2>/dev/null && continue
    # With its master gone nothing stops what it left behind gracefully (an idle consumer
    # worker waits for its master's word); tasks are safe to run again, so they go at once.
    kill -KILL -- "-${pids[$name]}" 2>/dev/null || true
    # One that stops right after starting (a port in use, a broken setting) waits longer.
    pause=1
    (( SECONDS - started[$name] < 10 )) && pause=5
    echo "Balai: ${label[$name]} berhenti; dijalankan lagi dalam $pause detik."
    sleep $pause
    start "$name"
  done
done
