#!/usr/bin/env bash
# bench/serve.sh BIN SHARED -- `sitrep serve` under load (issue 15), on
# loopback only, bounded in time:
#
#   - a store of 34,000 synthetic reports (about 100,000 events) made by
#     tests/store/gen-reports.py (our own templates);
#   - wrk (Debian), 32 connections for 30 s (gzip accepted, as a browser
#     does) over a mix of every API
#     endpoint (bench/serve-mix.lua), then 32 connections for 5 s on each
#     endpoint alone: median and 99th percentile latency, errors;
#   - each endpoint once with the cache off (--no-cache: the store's own
#     time for that question, median of 3);
#   - the page's first load in headless Chromium, median of 5 with an
#     empty browser cache (bench/web-load.mjs).
#
# Goals: every API call < 50 ms at the median and < 200 ms at the 99th
# percentile with 32 concurrent clients, no error; first load < 1.5 s.
set -euo pipefail
BIN=$(realpath "$1")
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "bench/serve: wrk is missing (make deps)" >&2; exit 2; }
T=$(mktemp -d)
pids=()
# Stops the servers this bench started; one that had already ended with an
# error (not the SIGTERM sent here, status 143) is reported.
cleanup() {
  set +e
  local p st
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null
    wait "$p" 2>/dev/null
    st=$?
    [ "$st" -eq 0 ] || [ "$st" -eq 143 ] || echo "bench/serve: the server (pid $p) ended with status $st" >&2
  done
  rm -rf "$T"
}
trap cleanup EXIT

python3 tests/store/gen-reports.py 34000 5 > "$T/syn.jsonl"
"$BIN" ingest --quiet --db "$T/big.db" "$T/syn.jsonl"
evs=$(sqlite3 "$T/big.db" "select count(*) from events")
inc=$(sqlite3 "$T/big.db" "select count(*) from incidents")

serve() { # extra options...; sets url
  "$BIN" serve --db "$T/big.db" --listen 127.0.0.1:0 --quiet "$@" > "$T/url" &
  pids+=($!)
  for _ in $(seq 600); do grep -q http "$T/url" 2>/dev/null && break; sleep 0.1; done
  url=$(grep -o 'http://[^ ]*' "$T/url")
  url=${url%/}
}
serve
# a place's id, from the places without their timelines (the full places
# query reads every report's URL: on a loaded machine it may pass the 2 s
# limit the first time)
place=$(curl -sf "$url/api/places?limit=1&timeline=0" | python3 -c 'import json,sys; print(json.load(sys.stdin)["places"][0]["place"]["id"])')
mid=$((inc / 2))
paths=(
  "/api/stats"
  "/api/places"
  "/api/places/$place"
  "/api/incidents"
  "/api/incidents?country=SY&type=withdraw"
  "/api/incidents?disagreements=1&since=2025-01"
  "/api/incidents/$mid"
  "/api/incidents?cursor=o20000"
  "/api/events"
  "/api/events?actor=US.MIL&since=2025-06"
  "/api/events?type=attack&format=csv"
  "/api/events?place=Qasrak&format=geojson"
  "/api/search?q=withdrew+Qasrak&limit=20"
  "/api/timeline"
  "/api/timeline?country=IQ"
  "/api/report"
)
{
  echo "paths = {"
  for p in "${paths[@]}"; do echo "  \"$p\","; done
  echo "}"
  cat bench/serve-mix.lua
} > "$T/mix.lua"

# wrk's figures: p50 p99 requests errors (non-2xx/3xx + socket errors)
wrkrun() { # seconds script-or-empty url
  local out
  # as a browser asks: gzip accepted
  if [ -n "$2" ]; then out=$(wrk -t2 -c32 -d"$1"s --latency -H "Accept-Encoding: gzip" -s "$2" "$3" 2>&1)
  else out=$(wrk -t2 -c32 -d"$1"s --latency -H "Accept-Encoding: gzip" "$3" 2>&1); fi
  echo "$out" > "$T/last.txt"
  echo "$out" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) }
    / requests in / { n = $1 }
    /Non-2xx/ { bad += $NF }
    /Socket errors/ { gsub(",", ""); bad += $4 + $6 + $8 + $10 }
    END { printf "%.2f %.2f %d %d\n", p50, p99, n, bad + 0 }'
}

echo "store: $evs events, $inc incidents (34,000 synthetic reports); server: 4 threads, loopback"
# each endpoint asked once first: the figures under load are those of a
# server in use (its answers kept until the store changes); the time of
# an answer computed cold is the table "cache off" below
for p in "${paths[@]}"; do curl -s -o /dev/null --compressed "$url$p"; done
echo
echo "wrk, 32 connections, 30 s, every endpoint in turn (after one request each):"
read -r p50 p99 n bad < <(wrkrun 30 "$T/mix.lua" "$url")
printf "  %-46s p50 %7.2f ms  p99 %7.2f ms  %8d requests  %d errors\n" "mix of ${#paths[@]} endpoints" "$p50" "$p99" "$n" "$bad"
worst50=$p50; worst99=$p99; errs=$bad
echo
echo "wrk, 32 connections, 5 s on each endpoint:"
for p in "${paths[@]}"; do
  read -r p50 p99 n bad < <(wrkrun 5 "" "$url$p")
  printf "  %-46s p50 %7.2f ms  p99 %7.2f ms  %8d requests  %d errors\n" "$p" "$p50" "$p99" "$n" "$bad"
  worst50=$(awk -v a="$worst50" -v b="$p50" 'BEGIN { print (b > a ? b : a) }')
  worst99=$(awk -v a="$worst99" -v b="$p99" 'BEGIN { print (b > a ? b : a) }')
  errs=$((errs + bad))
done

# the store's own time for each question: the cache off
serve --no-cache
echo
echo "one request at a time, cache off (--no-cache), median of 3:"
for p in "${paths[@]}"; do
  ts=()
  for _ in 1 2 3; do ts+=("$(curl -s -o /dev/null --compressed -w '%{time_total}' "$url$p")"); done
  printf "  %-46s %7.1f ms\n" "$p" "$(printf '%s\n' "${ts[@]}" | sort -g | sed -n 2p | awk '{ print $1 * 1000 }')"
done

serve
load=$(node bench/web-load.mjs "$url/" 5)
first=$(echo "$load" | python3 -c 'import json,sys; print(json.load(sys.stdin)["median_ms"])')
# round 1 is also the server's first: its answers not yet kept, each
# computed from the store (and the browser's first page since it started)
cold=$(echo "$load" | python3 -c 'import json,sys; print(json.load(sys.stdin)["rounds_ms"][0])')
slider=$(echo "$load" | python3 -c 'import json,sys; print(json.load(sys.stdin)["timelines_median_ms"])')
echo
echo "the page's first load in headless Chromium (empty cache; median_ms: to the first frame with the map drawn, timelines_median_ms: to the slider usable): $load"
echo
printf "%-58s %-28s %s\n" "figure" "measured" "goal"
printf "%-58s %-28s %s\n" "API median under 32 clients (worst endpoint)" "$worst50 ms" "< 50 ms"
printf "%-58s %-28s %s\n" "API 99th percentile under 32 clients (worst endpoint)" "$worst99 ms" "< 200 ms"
printf "%-58s %-28s %s\n" "errors (non-2xx/3xx, socket)" "$errs" "0"
printf "%-58s %-28s %s\n" "page first load, map drawn (median of 5)" "$first ms" "< 1500 ms"
printf "%-58s %-28s %s\n" "  the same, to the slider usable (median of 5)" "$slider ms" ""
printf "%-58s %-28s %s\n" "  the same, round 1: a fresh server and browser" "$cold ms" ""
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
