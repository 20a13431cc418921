#!/usr/bin/env bash
# Measures the embedded default: first start (initdb included) and warm
# start until /readyz answers 200, and the server's resident memory at idle
# (PostgreSQL excluded). Usage: scripts/measure-startup.sh [runs]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
tmp=$(mktemp -d /tmp/groundwork-measure-XXXXXX)
chmod 755 "$tmp"
cleanup() {
  [ -f "$tmp/pid" ] && kill -TERM "$(cat "$tmp/pid")" 2>/dev/null && sleep 1
  rm -rf "$tmp"
}
trap cleanup EXIT
go build -o "$tmp/server" ./cmd/server
port=18080
url="http://127.0.0.1:$port"

# start DATA_DIR: starts the server, prints seconds until /readyz = 200.
start() {
  local began now
  began=$(date +%s.%N)
  DATA_DIR="$1" ADDR="127.0.0.1:$port" LOG_LEVEL=warn "$tmp/server" >/dev/null 2>"$tmp/stderr" &
  pid=$!
  echo "$pid" >"$tmp/pid"
  until curl -fs "$url/readyz" >/dev/null 2>&1; do
    kill -0 "$pid" 2>/dev/null || { cat "$tmp/stderr"; exit 1; }
    sleep 0.01
  done
  now=$(date +%s.%N)
  echo "$now - $began" | bc
}

stop() {
  pid=$(cat "$tmp/pid")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.01; done
  if pgrep -f "postgres -D $1" >/dev/null; then echo "postgres left running!"; exit 1; fi
}

for i in $(seq 1 "$runs"); do
  data="$tmp/data$i"
  first=$(start "$data"); stop "$data"
  warm=$(start "$data")
  sleep 5
  curl -fs "$url/" >/dev/null; sleep 1   # one page served, then idle
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$(cat "$tmp/pid")/status")
  stop "$data"
  printf 'run %d: first start %.2f s, warm start %.2f s, idle RSS %.1f MB\n' "$i" "$first" "$warm" "$(echo "$rss/1024" | bc -l)"
done
