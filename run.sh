#!/usr/bin/env bash
# Start Balai: database and demo village if missing, then the web server and the task worker.
# Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")"
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-5000}
export BALAI_PUBLIC_URL=${BALAI_PUBLIC_URL:-http://$HOST:$PORT}

$BIN/flask --app app init-db
$BIN/flask --app app seed-demo

$BIN/gunicorn --workers 2 --timeout 120 --bind "$HOST:$PORT" --access-logfile - "app:create_app()" &
web=$!
$BIN/huey_consumer worker.huey --worker-type process --workers 2 --logfile data/worker.log &
worker=$!
trap 'kill -TERM $web $worker 2>/dev/null; wait $web $worker 2>/dev/null; echo "Balai berhenti."' INT TERM EXIT

for _ in $(seq 50); do
  $BIN/python -c "import urllib.request,sys; urllib.request.urlopen('http://$HOST:$PORT/', timeout=1)" 2>/dev/null && break
  sleep 0.2
done
echo
echo "Balai berjalan di http://$HOST:$PORT/  (Ctrl-C untuk berhenti)"
$BIN/flask --app app demo-accounts
wait -n $web $worker
