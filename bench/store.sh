#!/usr/bin/env bash
# bench/store.sh BIN SHARED [CORPUS_100MB CORPUS_25MB] -- the store's figures:
#   1. ingest rate (reports/s, whole command: read, analyze, extract, store,
#      fuse) on 10,000 synthetic reports, and on the first 20,000 reports of
#      the 25 MB corpus of real reports when given;
#   2. latency of `sitrep report`, `search` and of every query form of
#      `events`, `incidents` and `places` in each --format over a store of
#      at least 100,000 events.  That store is built by ingesting synthetic
#      reports made by tests/store/gen-reports.py (templates in our own
#      words over places the lexicon knows, dates over two years; ~3 events
#      a report).
# Latencies are the median of RUNS (default 5) runs of the whole command
# (process start, opening the store, query, output to /dev/null), shown as
# a table; a figure over 200 ms (the goal of issue 6) is flagged with '!'
# and a last line says so (the exit status stays 0: a busy machine is no
# build failure).  Full exports of every row are shown for reference only.
# With SITREP_BASE=/path/to/other/sitrep the same figures of that build
# are measured in the same run (on a store it builds itself) and shown in
# brackets after each figure, for before/after comparisons on a busy
# machine.  A command that fails is reported (the command, its exit
# status, the last lines of its stderr) and the bench exits 1 at the end.
# Alone: bash bench/store.sh build/sitrep ../shared
set -euo pipefail
BIN=$(realpath "$1"); SHARED=$2; SMALL=${4:-}
BASE=${SITREP_BASE:+$(realpath "$SITREP_BASE")}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
T=$(mktemp -d /tmp/sitrep-bench-store.XXXXXX)
trap 'rm -rf "$T"' EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
. bench/failures.sh
count() { python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(sys.argv[2]).fetchone()[0])" "$@"; }
median() { # command... -> median wall time in ms of RUNS runs
  local t0 t1 v=()
  for _ in $(seq "$RUNS"); do
    t0=$(date +%s%N); "$@" >/dev/null 2>"$T/median.err" || bench_fail $? "$T/median.err" "$@"
    t1=$(date +%s%N)
    v+=($(( (t1 - t0) / 1000000 )))
  done
  printf '%s\n' "${v[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
ingest_rate() { # bin db file label
  local t0 t1 ev
  t0=$(ms); "$1" ingest --quiet --db "$2" "$3" 2>"$T/ingest.err" ||
    bench_fail $? "$T/ingest.err" "$1" ingest --quiet --db "$2" "$3"
  t1=$(ms)
  ev=$(count "$2" "select count(*) from events")
  awk -v n="$(wc -l < "$3")" -v ms=$((t1 - t0)) -v ev="$ev" -v l="$4" 'BEGIN {
    printf "ingest %s: %d reports (%d events) in %.2f s: %.0f reports/s (target >= 2000)\n",
      l, n, ev, ms / 1000, n * 1000 / ms }'
}

python3 tests/store/gen-reports.py 10000 11 > "$T/syn10k.jsonl"
ingest_rate "$BIN" "$T/a.db" "$T/syn10k.jsonl" "synthetic"
[ -n "$BASE" ] && ingest_rate "$BASE" "$T/a0.db" "$T/syn10k.jsonl" "synthetic, SITREP_BASE"
if [ -n "$SMALL" ] && [ -f "$SMALL" ]; then
  head -n 20000 "$SMALL" > "$T/real.jsonl"
  n=$(wc -l < "$T/real.jsonl"); mb=$(du -m "$T/real.jsonl" | cut -f1)
  t0=$(ms); "$BIN" ingest --quiet --db "$T/r.db" "$T/real.jsonl" 2>"$T/ingest.err" ||
    bench_fail $? "$T/ingest.err" "$BIN" ingest --quiet --db "$T/r.db" "$T/real.jsonl"
  t1=$(ms)
  new=$(count "$T/r.db" "select count(*) from documents")
  awk -v n="$n" -v new="$new" -v mb="$mb" -v ms=$((t1 - t0)) 'BEGIN { printf "ingest: %d real reports (%d MB of the 25 MB corpus; %d distinct, the rest repeats skipped by hash) in %.2f s: %.0f reports/s\n", n, mb, new, ms / 1000, n * 1000 / ms }'
fi

# a store of >= 100,000 events (one per build measured)
python3 tests/store/gen-reports.py 34000 5 > "$T/syn34k.jsonl"
build() { # bin db
  local t0 t1
  t0=$(ms); "$1" ingest --quiet --db "$2" "$T/syn34k.jsonl"; t1=$(ms)
  read -r docs evs incs <<<"$(python3 -c "
import sqlite3, sys
d = sqlite3.connect(sys.argv[1])
print(*[d.execute('select count(*) from ' + t).fetchone()[0] for t in ('documents', 'events', 'incidents')])" "$2")"
  awk -v d="$docs" -v e="$evs" -v i="$incs" -v ms=$((t1 - t0)) -v b="$1" 'BEGIN { printf "store: %d synthetic reports, %d events, %d incidents, built in %.1f s (%.0f reports/s) by %s\n", d, e, i, ms / 1000, d * 1000 / ms, b }'
}
db=$T/big.db; db0=$T/big0.db
build "$BIN" "$db"
[ -n "$BASE" ] && build "$BASE" "$db0"
evs=$(count "$db" "select count(*) from events")

slow=0
limit=200
cell() { # args... -> " NNN" or " NNN!" (and " (NNN)" for the base build)
  local a b f=" "
  a=$(median "$BIN" "$@" --db "$db")
  [ "$a" -gt $limit ] && { f="!"; slow=1; }
  printf " %6d%s" "$a" "$f"
  if [ -n "$BASE" ]; then b=$(median "$BASE" "$@" --db "$db0"); printf "(%5d)" "$b"; fi
}
w=7; [ -n "$BASE" ] && w=14
echo
echo "latency over $evs events: median of $RUNS runs of the whole command, ms (target < 200; ! over)"
[ -n "$BASE" ] && echo "in brackets: the same with SITREP_BASE=$BASE on its own store"
printf "%-52s %${w}s %${w}s %${w}s %${w}s\n" "query" table jsonl csv geojson
row() { # label, args...
  local label=$1; shift
  printf "%-52s" "$label"
  for f in table jsonl csv geojson; do cell "$@" --format "$f"; done
  echo
}
row "events --limit 100" events --limit 100
row "events --place Qasrak --since 2025-01" events --place Qasrak --since 2025-01
row "events --type withdraw --actor US.MIL --limit 500" events --type withdraw --actor US.MIL --limit 500
row "events --country IQ --until 2024-06" events --country IQ --until 2024-06
row "events --source Reuters --since 2025-12" events --source Reuters --since 2025-12
row "events --modality expected --since 2025-10" events --modality expected --since 2025-10
row "events --type attack --since 2025-06 --until 2025-08" events --type attack --since 2025-06 --until 2025-08
row "incidents --limit 100" incidents --limit 100
row "incidents --place Tanf" incidents --place Tanf
row "incidents --type take_control --since 2025-11" incidents --type take_control --since 2025-11
row "incidents --actor SDF --country SY --until 2024-03" incidents --actor SDF --country SY --until 2024-03
row "incidents --modality reported_unconfirmed --limit 500" incidents --modality reported_unconfirmed --limit 500
row "incidents --source Reuters --since 2025-12" incidents --source Reuters --since 2025-12
row "places" places
row "places --country SY --since 2025-06" places --country SY --since 2025-06
row "places --actor US.MIL --place base" places --actor US.MIL --place base
one() { # label, args... (one format)
  local label=$1; shift
  printf "%-52s" "$label"; cell "$@"; echo
}
one "report" report
one "report --country SY --since 2025-06" report --country SY --since 2025-06
one "report --place Tanf --limit 100" report --place Tanf --limit 100
one "search 'withdrew AND Qasrak' --limit 20" search "withdrew AND Qasrak" --limit 20
one "search 'withdrew AND Qasrak' --limit 20 (jsonl)" search "withdrew AND Qasrak" --limit 20 --format jsonl
echo "full exports (every row; for reference, not held to the target):"
limit=999999
one "events --format jsonl" events --format jsonl
one "events --format csv" events --format csv
one "incidents --format jsonl" incidents --format jsonl
one "places --format geojson" places --format geojson
[ $slow -eq 0 ] || echo "store bench: some query over 200 ms (marked !)"
bench_failures_end "bench/store.sh"
