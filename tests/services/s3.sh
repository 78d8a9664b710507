#!/bin/sh
# An S3 API server (moto's server mode) on a free 127.0.0.1 port, for a test pass on S3.
#   eval "$(tests/services/s3.sh start DIR)"   starts it, creates the bucket and prints the
#                                              exports: AWS_ENDPOINT_URL, AWS_* credentials and
#                                              BALAI_STORAGE_URL=s3://balai-uji/suite
#   tests/services/s3.sh stop DIR              stops it
# DIR is a temporary folder of the caller's (its pid and environment files go there).
# moto comes from requirements-test.txt, outside the app's own requirements.
set -eu
cd "$(dirname "$0")/../.."
PYTHON=${PYTHON:-.venv/bin/python}
dir=$2
case "$1" in
start)
    mkdir -p "$dir"
    rm -f "$dir/s3.env"
    "$PYTHON" -m tests.support.s3 "$dir" >"$dir/s3.log" 2>&1 &
    echo $! >"$dir/s3.pid"
    for _ in $(seq 300); do
        [ -s "$dir/s3.env" ] && { cat "$dir/s3.env"; exit 0; }
        kill -0 "$(cat "$dir/s3.pid")" 2>/dev/null || break
        sleep 0.1
    done
    echo "The S3 test server did not start; see $dir/s3.log" >&2
    exit 1
    ;;
stop)
    [ -f "$dir/s3.pid" ] && kill "$(cat "$dir/s3.pid")" 2>/dev/null || true
    rm -f "$dir/s3.pid"
    ;;
*)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
