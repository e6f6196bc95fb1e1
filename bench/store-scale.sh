#!/usr/bin/env bash
# bench/store-scale.sh BIN SHARED [CORPUS_100MB CORPUS_25MB] -- the store at
# scale (issue 18):
#   1. the store's cost next to extraction: CPU (user + sys, to the
#      microsecond: bench/cputime) of `sitrep extract` and of `sitrep
#      ingest` (without and with fusion) over the same unique reports of
#      the 100 MB corpus (repeats dropped by text: ingest would skip them),
#      and the ratio ingest / extract, on one thread (the store's own cost)
#      and with the default --jobs, in INGEST_RUNS interleaved rounds
#      (default 9): the medians, and the ratio of each round with its
#      median, middle half and range;
#      ingest writes the full-text index of their sentences itself (schema
#      11), so its figure holds everything storing costs;
#   2. a store of a million events: 340,000 synthetic reports of
#      tests/store/gen-reports.py (seed 7), built once into
#      build/scale/big.db and reused by later runs (it takes minutes: set
#      SCALE_REBUILD=1 to build it again); its size per million reports;
#   3. fusion of all its events again (`sitrep db fuse`): CPU by phase
#      (SITREP_FUSE_TIMING), CPU, wall and peak memory;
#   4. 1,000 new reports ingested into it (a new seed each run, dates
#      in the last months of the store): CPU, wall and peak memory of the
#      whole ingest with its fusion, which fuses again only the region of
#      time the new reports reach (how many events it read);
#   5. query latency over it: the median of RUNS (default 5) runs of the
#      whole command, wall and CPU, and the peak memory of the last run;
#   6. with SCALE_10M=1 (or when build/scale/big10.db is there), the same
#      at ten million events: the store grown tenfold from the million
#      (tests/store/grow-store.py: nine more copies of its reports, each a
#      further 700 days of history; built once, its time printed), a
#      fusion of all its events (when just built), 1,000 new reports and
#      the queries.
# SCALE_ONLY_INGEST=1 runs section 1 alone.  A timed command of section 1
# that fails is reported (the command, its exit status, the last lines
# of its stderr) and the bench exits 1.
# Wall figures on a machine shared with others are noisy; CPU figures
# are what the process itself spent.  Alone: bash bench/store-scale.sh
# build/sitrep ../shared bench/out/corpus-100.jsonl bench/out/corpus-25.jsonl
set -euo pipefail
BIN=$(realpath "$1"); SHARED=$2; SMALL=${4:-}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
T=$(mktemp -d /tmp/sitrep-bench-scale.XXXXXX)
trap 'rm -rf "$T"' EXIT
tv() { # out-file command... -> runs it under bench/cputime: "user sys wall maxrss_kb",
  # CPU to the microsecond (/usr/bin/time's two decimals were steps of 5% of
  # extract's 0.2 s)
  local o=$1; shift
  bench/cputime "$o" "$@"
}
cpu() { tail -1 "$1" | awk '{ printf "%.4f", $1 + $2 }'; }
. bench/failures.sh
# timed by tv, its stderr kept; a failure reported: out-file command...
tvok() {
  local o=$1; shift
  tv "$o" "$@" > /dev/null 2> "$T/cmd.err" || bench_fail $? "$T/cmd.err" "$@"
}

# ---- 1. ingest next to extract, on unique real reports (the 100 MB
# corpus repeats its reports: ingest would skip the repeats)
SRC=${3:-}
[ -n "$SRC" ] && [ -f "$SRC" ] || SRC=$SMALL
if [ -n "$SRC" ] && [ -f "$SRC" ]; then
  python3 bench/unique-reports "$SRC" "$T/unique.jsonl"
  n=$(wc -l < "$T/unique.jsonl"); mb=$(du -k "$T/unique.jsonl" | awk '{ printf "%.1f", $1 / 1024 }')
  # interleaved (extract, ingest, ...), INGEST_RUNS times each (default
  # 9), medians of CPU; the ratio ingest / extract of each round (the two
  # measured side by side, under the same load), its median and spread
  IRUNS=${INGEST_RUNS:-9}
  xs=(); is=(); fs=(); xj=(); ij=(); rs=()
  for _ in $(seq "$IRUNS"); do
    tvok "$T/t.x" "$BIN" extract --jobs 1 "$T/unique.jsonl"
    rm -f "$T"/u.db*
    tvok "$T/t.i" "$BIN" ingest --quiet --no-fuse --jobs 1 --db "$T/u.db" "$T/unique.jsonl"
    tvok "$T/t.xj" "$BIN" extract "$T/unique.jsonl"
    rm -f "$T"/uj.db*
    tvok "$T/t.ij" "$BIN" ingest --quiet --no-fuse --db "$T/uj.db" "$T/unique.jsonl"
    rm -f "$T"/uf.db*
    tvok "$T/t.f" "$BIN" ingest --quiet --jobs 1 --db "$T/uf.db" "$T/unique.jsonl"
    xs+=($(cpu "$T/t.x")); is+=($(cpu "$T/t.i")); fs+=($(cpu "$T/t.f"))
    xj+=($(cpu "$T/t.xj")); ij+=($(cpu "$T/t.ij"))
    rs+=($(awk -v x="${xs[-1]}" -v i="${is[-1]}" 'BEGIN { printf "%.4f", (x > 0 ? i / x : 0) }'))
  done
  [ ! -s "$bench_failures_file" ] || bench_failures_end "bench/store-scale.sh"
  medf() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  x=$(medf "${xs[@]}"); i=$(medf "${is[@]}"); f=$(medf "${fs[@]}"); x2=$(medf "${xj[@]}"); i2=$(medf "${ij[@]}")
  # the per-round ratios: median, quartiles (the middle half of the
  # rounds), least and most
  rq=$(printf '%s\n' "${rs[@]}" | sort -g | awk '{ a[NR] = $1 } END {
    q = int((NR + 3) / 4); printf "%.3f %.3f %.3f %.3f %.3f", a[int((NR + 1) / 2)], a[q], a[NR + 1 - q], a[1], a[NR] }')
  kb=$(du -k "$T/u.db" | cut -f1)
  echo "ingest next to extract, $n unique reports of the 100 MB corpus ($mb MB), CPU s (to the microsecond), median of $IRUNS interleaved rounds, $(uptime | sed 's/.*load/load/'):"
  awk -v x="$x" -v i="$i" -v f="$f" -v x2="$x2" -v i2="$i2" -v kb="$kb" -v n="$n" -v mx="$(tail -1 "$T/t.i" | awk '{print $4}')" -v rq="$rq" 'BEGIN {
    split(rq, r, " ")
    printf "  one thread:  extract %.3f s; ingest without fusion, full-text index included, %.3f s = %.3fx extract (goal <= 1.25x); with fusion %.3f s = %.3fx\n", x, i, i / x, f, f / x
    printf "  ratio ingest / extract of each round: median %.3fx, middle half %.3f-%.3fx, all %.3f-%.3fx (goal <= 1.25x)\n", r[1], r[2], r[3], r[4], r[5]
    printf "  --jobs (default, every core): extract %.3f s; ingest without fusion %.3f s = %.2fx\n", x2, i2, i2 / x2
    printf "  store %.1f KB per report; peak memory of ingest %d MB (goal <= 300 MB)\n", kb / n, mx / 1024 }'
fi

if [ -n "${SCALE_ONLY_INGEST:-}" ]; then   # section 1 alone
  bench_failures_end "bench/store-scale.sh"
  exit 0
fi

# ---- 2. the store of a million events
mkdir -p build/scale
big=build/scale/big.db
if [ -n "${SCALE_REBUILD:-}" ] || [ ! -f "$big" ]; then
  rm -f "$big" "$big-wal" "$big-shm"
  python3 tests/store/gen-reports.py 340000 7 > build/scale/syn340k.jsonl
  echo "building $big from 340,000 synthetic reports (once; reused by later runs)"
  tv "$T/t.b" "$BIN" ingest --quiet --db "$big" build/scale/syn340k.jsonl > /dev/null
  awk '{ printf "  built in %.0f s wall, %.0f s CPU, peak memory %d MB\n", $3, $1 + $2, $4 / 1024 }' "$T/t.b"
fi
"$BIN" db stats --db "$big"
docs=$("$BIN" db stats --db "$big" | sed -n 's/.*: \([0-9]*\) reports.*/\1/p')
du -k "$big" | awk -v d="$docs" '{ printf "  %.2f GB, %.2f GB per million reports\n", $1 / 1048576, $1 / 1048576 / d * 1e6 }'

# ---- 3. fusion of a million events
SITREP_FUSE_TIMING=1 tv "$T/t.fu" "$BIN" db fuse --db "$big" > "$T/fuse.out" 2> "$T/fuse.err" ||
  bench_fail $? "$T/fuse.err" "$BIN db fuse --db $big"
head -1 "$T/fuse.out"
awk '{ printf "  fusion of all events again: %.2f s CPU (goal <= 5 s), %.1f s wall, peak memory %d MB (goal <= 300 MB); CPU by phase: ", $1 + $2, $3, $4 / 1024 }' <(tail -1 "$T/t.fu")
grep '^load' "$T/fuse.err" || echo "(no CPU by phase printed)"

# ---- 4. 1,000 new reports into it
python3 tests/store/gen-reports.py 1000 "$(date +%s)" 2025-12-01 60 > "$T/new.jsonl"
newin() { # store, first publication day -> 1,000 new reports into it
  python3 tests/store/gen-reports.py 1000 "$(date +%s)" "$2" 60 > "$T/new.jsonl"
  SITREP_FUSE_TIMING=1 tv "$T/t.n" "$BIN" ingest --db "$1" "$T/new.jsonl" > "$T/new.out" 2>&1 ||
    bench_fail $? "$T/new.out" "$BIN ingest --db $1 (1,000 new reports)"
  sed -n 's/^ingested/  &/p' "$T/new.out"
  awk '{ printf "  1,000 new reports into it, fusion included: %.2f s CPU, %.1f s wall, peak memory %d MB (goal <= 300 MB)\n", $1 + $2, $3, $4 / 1024 }' <(tail -1 "$T/t.n")
  # what its fusion read: a region of time, or all events
  sed -n 's/^  region from \(.*\): \([0-9]*\) of \([0-9]*\) events (\([0-9]*\) new).*, \(.*\)$/  fused again: the region from \1, \2 of \3 events (\4 new), \5 (goal: only what they touch)/p' "$T/new.out" | tail -1
  sed -n 's/.*\(all events, [0-9]* incidents written or deleted\|a region, [0-9]* incidents written or deleted\).*/  fusion wrote: \1/p' "$T/new.out"
}
newin "$big" 2025-12-01

# ---- 5. queries
q() {
  local label=$1; shift
  local w=() c=()
  local bad=""
  for _ in $(seq "$RUNS"); do
    tv "$T/t.q" "$BIN" "$@" --db "$big" > /dev/null 2> "$T/q.err" || {
      local st=$?; bad=" (FAILED)"; bench_fail "$st" "$T/q.err" "$BIN $* --db $big"; }
    tail -1 "$T/t.q" > "$T/t.q1"; mv "$T/t.q1" "$T/t.q"
    w+=($(awk '{ printf "%d", $3 * 1000 }' "$T/t.q")); c+=($(awk '{ printf "%d", ($1 + $2) * 1000 }' "$T/t.q"))
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  printf "  %-52s %9s %9s %8s%s\n" "$label" "$(med "${w[@]}")" "$(med "${c[@]}")" "$(awk '{ printf "%d", $4 / 1024 }' "$T/t.q")" "$bad"
}
queries() {
echo "latency over $big: median of $RUNS runs of the whole command (goal < 100 ms each), $(uptime | sed 's/.*load/load/')"
printf "  %-52s %9s %9s %8s\n" query "wall ms" "CPU ms" "peak MB"
q "report" report
q "report --since 2025-06" report --since 2025-06
q "report --place Raqqa" report --place Raqqa
q "incidents --type attack --limit 100" incidents --type attack --limit 100
q "incidents --place Raqqa --limit 100" incidents --place Raqqa --limit 100
q "events --limit 100" events --limit 100
q "events --type withdraw --limit 100" events --type withdraw --limit 100
q "events --type deploy --since 2025-06-01 --limit 100" events --type deploy --since 2025-06-01 --limit 100
q "events --place Raqqa --type withdraw --limit 100" events --place Raqqa --type withdraw --limit 100
q "places" places
q "search drone --limit 20" search drone --limit 20
# the JSON of a page of incidents carries every member's report (2.6 MB
# for 100 incidents of the million): shown beside the table
q "incidents --type attack --limit 100 --format json" incidents --type attack --limit 100 --format json
}
queries

# ---- 6. ten million events
big10=build/scale/big10.db
if [ -n "${SCALE_10M:-}" ] || [ -f "$big10" ]; then
  if [ ! -f "$big10" ]; then
    # what the build took is kept beside the store ($big10.built) and
    # printed again by the runs that reuse it
    {
      echo "built $(date -u +%Y-%m-%d) from $big and nine copies of its reports, each 700 days later, at $(uptime | sed 's/.*load/load/')"
      tv "$T/t.g" python3 tests/store/grow-store.py "$big" "$big10" 10 > "$T/grow.out"
      awk '{ printf "  grown in %.0f s wall, %.0f s CPU\n", $3, $1 + $2 }' "$T/t.g"
      SITREP_FUSE_TIMING=1 tv "$T/t.f10" "$BIN" db fuse --db "$big10" > "$T/f10.out" 2> "$T/f10.err" ||
        bench_fail $? "$T/f10.err" "$BIN db fuse --db $big10"
      awk '{ printf "  fusion of all its events (sitrep db fuse): %.1f s CPU, %.1f s wall, peak memory %d MB\n", $1 + $2, $3, $4 / 1024 }' <(tail -1 "$T/t.f10")
      sed -n 's/^load/  CPU by phase: &/p' "$T/f10.err"
    } > "$big10.built"
  fi
  echo "the store of ten million events, $big10 (built once, reused):"
  cat "$big10.built"
  big=$big10
  "$BIN" db stats --db "$big"
  docs=$("$BIN" db stats --db "$big" | sed -n 's/.*: \([0-9]*\) reports.*/\1/p')
  du -k "$big" | awk -v d="$docs" '{ printf "  %.2f GB, %.2f GB per million reports\n", $1 / 1048576, $1 / 1048576 / d * 1e6 }'
  last=$(python3 -c "import sqlite3, sys, datetime; d = sqlite3.connect('file:' + sys.argv[1] + '?mode=ro', uri=True); p = d.execute('SELECT max(published) FROM documents').fetchone()[0]; print(datetime.date.fromisoformat(p) - datetime.timedelta(days=60))" "$big")
  newin "$big" "$last"
  queries
fi
bench_failures_end "bench/store-scale.sh"
