#!/usr/bin/env bash
# bench/store-pg.sh BIN SHARED [CORPUS_100MB CORPUS_25MB] -- the store on
# PostgreSQL (issue 18), on a private server started for the run
# (tests/store/pg-server: a Unix socket, no network; stopped at the end,
# its data kept in build/scale/pg for the next run):
#   1. the store's cost next to extraction: CPU of `sitrep extract` and of
#      `sitrep ingest` into PostgreSQL over the same unique reports of the
#      25 MB corpus, the client's CPU (/usr/bin/time) plus the server's
#      (its processes' CPU before and after, the GIN pending list's merge
#      and a CHECKPOINT included), then the first search after it (what
#      the full-text index still costs then), PG_BENCH_ROUNDS (5)
#      interleaved rounds, and the ratio to extract's, the index counted
#      (goal <= 2x);
#   2. the store of a million events: build/scale/big.db (340,000
#      synthetic reports, made here as bench/store-scale.sh makes it when
#      missing) copied into PostgreSQL with `sitrep db copy`; its size;
#   3. fusion of all its events (`sitrep db fuse`): client and server CPU;
#      then 1,000 new reports ingested into a copy of it (CREATE DATABASE
#      ... TEMPLATE, outside the measure), fusion of the region they
#      reach included: client and server CPU, the region's size;
#   4. query latency over it: the median of RUNS (default 5) runs of the
#      whole command (wall, and the client's CPU), as store-scale.sh
#      measures SQLite's (goal < 100 ms).
# PG_BENCH_SKIP_BIG=1 stops after 1; PG_BENCH_SKIP_INGEST=1 leaves 1 out,
# PG_BENCH_SKIP_FUSE=1 the fusion of all, PG_BENCH_SKIP_NEW=1 the 1,000
# new reports.
set -euo pipefail
BIN=$(realpath "$1"); SHARED=$2; SMALL=${4:-}
RUNS=${RUNS:-5}
cd "$(dirname "$0")/.."
. tests/store/pg-server
# the server and its million-event database are kept in build/scale/pg
# for later runs, as store-scale.sh keeps big.db (SCALE_REBUILD=1: again)
T=$PWD/build/scale/pg
[ -n "${SCALE_REBUILD:-}" ] && rm -rf "$T"
mkdir -p "$T"
W=$(mktemp -d /tmp/sitrep-bench-pgw.XXXXXX)
trap 'pg_private_stop "$T" keep; rm -rf "$W"' EXIT
# a server tuned as one would for bulk loading on this machine
PG_OPTS="-c shared_buffers=256MB -c max_wal_size=4GB -c synchronous_commit=off" \
  pg_private_start "$T" > "$W/start" || { cat "$W/start"; exit 1; }
tv() { # out-file command... -> "user sys wall maxrss_kb"
  local o=$1; shift
  /usr/bin/time -f "%U %S %e %M" -o "$o" "$@"
}
. bench/failures.sh
cpu() { tail -1 "$1" | awk '{ printf "%.2f", $1 + $2 }'; }
# tv for a command that must succeed: a failure is reported (failures.sh)
tvok() {
  local o=$1; shift
  tv "$o" "$@" > /dev/null 2> "$W/stderr" || bench_fail $? "$W/stderr" "$@"
}
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $("$PGBIN/postgres" --version)"

# ---- 1. ingest next to extract
if [ -n "$SMALL" ] && [ -f "$SMALL" ] && [ -z "${PG_BENCH_SKIP_INGEST:-}" ]; then
  python3 bench/unique-reports "$SMALL" "$W/unique.jsonl"
  n=$(wc -l < "$W/unique.jsonl")
  R=${PG_BENCH_ROUNDS:-5}
  echo "ingest into PostgreSQL next to extract, $n unique reports of the 25 MB corpus" \
       "(interleaved, $R rounds of extract then ingest without fusion; medians):"
  xs=() ics=() iss=() scs=() sss=() tots=()
  for _ in $(seq "$R"); do
    tvok "$W/t.x" "$BIN" extract "$W/unique.jsonl"
    pg_psql postgres "DROP DATABASE IF EXISTS ing1 WITH (FORCE)" > /dev/null
    db1=$(pg_newdb ing1)
    s0=$(pg_server_cpu "$T")
    tvok "$W/t.i" "$BIN" ingest --quiet --no-fuse --db "$db1" "$W/unique.jsonl"
    pg_backends_gone "$T" ing1
    # (the GIN index's pending list merged now, not later by autovacuum
    # out of the measure)
    pg_psql ing1 "SELECT gin_clean_pending_list('sentences_tsv'); CHECKPOINT" > /dev/null
    s1=$(pg_server_cpu "$T")
    # the first search after it: what it still has to index (sentences
    # an older sitrep left in sentences_pending; since this session
    # ingest writes every sentence's tsvector itself), counted as part
    # of what storing costs, as bench/store-scale.sh counts SQLite's
    tvok "$W/t.s" "$BIN" search drone --limit 20 --db "$db1"
    pg_backends_gone "$T" ing1
    pg_psql ing1 "SELECT gin_clean_pending_list('sentences_tsv'); CHECKPOINT" > /dev/null
    s2=$(pg_server_cpu "$T")
    xs+=($(cpu "$W/t.x")); ics+=($(cpu "$W/t.i")); iss+=($(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }'))
    scs+=($(cpu "$W/t.s")); sss+=($(awk -v a="$s1" -v b="$s2" 'BEGIN { print b - a }'))
    tots+=($(awk -v a="${ics[-1]}" -v b="${iss[-1]}" -v c="${scs[-1]}" -v d="${sss[-1]}" 'BEGIN { print a + b + c + d }'))
  done
  medf() { printf '%s\n' "$@" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  pg_psql postgres "DROP DATABASE IF EXISTS ing2 WITH (FORCE)" > /dev/null
  db2=$(pg_newdb ing2)
  s2=$(pg_server_cpu "$T")
  tvok "$W/t.f" "$BIN" ingest --quiet --db "$db2" "$W/unique.jsonl"
  pg_backends_gone "$T" ing2
  pg_psql ing2 "SELECT gin_clean_pending_list('sentences_tsv'); CHECKPOINT" > /dev/null
  s3=$(pg_server_cpu "$T")
  x=$(medf "${xs[@]}"); ic=$(medf "${ics[@]}"); is=$(medf "${iss[@]}")
  sc=$(medf "${scs[@]}"); ss=$(medf "${sss[@]}"); tot=$(medf "${tots[@]}")
  echo "  extract: ${xs[*]} s CPU; ingest client: ${ics[*]}; server: ${iss[*]}"
  echo "  first search after it: client ${scs[*]}; server ${sss[*]}; all four summed: ${tots[*]}"
  awk -v x="$x" -v ic="$ic" -v is="$is" \
      -v fc="$(cpu "$W/t.f")" -v fs="$(awk -v a="$s2" -v b="$s3" 'BEGIN { print b - a }')" \
      -v sc="$sc" -v ss="$ss" -v tot="$tot" \
      -v mx="$(awk '{print $4}' "$W/t.i")" 'BEGIN {
    printf "  extract %.2f s CPU (median)\n", x
    printf "  ingest without fusion: client %.2f + server %.2f = %.2f s CPU (medians; %.2fx extract)\n", ic, is, ic + is, (ic + is) / x
    printf "  with the full-text index counted (the first search after it: client %.2f + server %.2f s, the GIN pending list merged): %.2f s CPU (median of the sums) = %.2fx extract (goal <= 2x: %s)\n", sc, ss, tot, tot / x, tot / x <= 2 ? "met" : "NOT met"
    printf "  ingest with fusion (once): client %.2f + server %.2f = %.2f s CPU (%.2fx extract)\n", fc, fs, fc + fs, (fc + fs) / x
    printf "  peak memory of the ingest client %d MB\n", mx / 1024 }'
  echo "  size: $(pg_psql ing1 "SELECT pg_size_pretty(pg_database_size('ing1'))") for $n reports"
fi
[ -n "${PG_BENCH_SKIP_BIG:-}" ] && exit 0

# ---- 2. a million events, copied from the SQLite store of store-scale.sh
mkdir -p build/scale
big=build/scale/big.db
if [ ! -f "$big" ]; then
  python3 tests/store/gen-reports.py 340000 7 > build/scale/syn340k.jsonl
  echo "building $big from 340,000 synthetic reports (once; reused by later runs)"
  "$BIN" ingest --quiet --db "$big" build/scale/syn340k.jsonl > /dev/null
fi
pgbig="host=$PG_SOCK port=$PG_PORT user=sitrep dbname=big"
want=$("$BIN" db stats --db "$big" | sed -n 's/.*: \([0-9]*\) reports.*/\1/p')
have=$(pg_psql big "SELECT count(*) FROM documents" 2>/dev/null || echo none)
if [ "$have" != "$want" ]; then
  pg_psql postgres "DROP DATABASE IF EXISTS big" > /dev/null
  pg_newdb big > /dev/null
  s0=$(pg_server_cpu "$T")
  tv "$W/t.c" "$BIN" db copy "$big" "$pgbig" > "$W/copy.out"
  pg_psql big "VACUUM ANALYZE" > /dev/null
  s1=$(pg_server_cpu "$T")
  sed 's/^/  /' "$W/copy.out"
  awk -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" '{
    printf "  copied in %.0f s wall: client %.1f s CPU, server %.1f s CPU (VACUUM ANALYZE included)\n", $3, $1 + $2, s }' "$W/t.c"
else
  echo "  (the PostgreSQL copy of $big kept from an earlier run: build/scale/pg)"
fi
"$BIN" db stats --db "$pgbig" | sed 's/^[^:]*: /  PostgreSQL holds: /'
echo "  size: $(pg_psql big "SELECT pg_size_pretty(pg_database_size('big'))")"

# ---- 3. fusion of a million events (PG_BENCH_SKIP_FUSE=1: not this time)
if [ -z "${PG_BENCH_SKIP_FUSE:-}" ]; then
# every incident written again, as after a db copy (the digests forgotten)
pg_psql big "UPDATE incidents SET digest = NULL" > /dev/null
echo "fusion of the million events, every incident written again (as after a db copy):"
s0=$(pg_server_cpu "$T")
SITREP_FUSE_TIMING=1 tv "$W/t.fu" "$BIN" db fuse --db "$pgbig" > "$W/fuse.out" 2> "$W/fuse.err" ||
  bench_fail $? "$W/fuse.err" "$BIN db fuse --db (PostgreSQL big)"
pg_backends_gone "$T" big
s1=$(pg_server_cpu "$T")
head -1 "$W/fuse.out" | sed 's/^/  /'
awk -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" '{
  printf "  fusion: client %.2f s CPU + server %.2f s, %.1f s wall (goal <= 5 s: %s), client peak %d MB; client CPU by phase: ", $1 + $2, s, $3, $1 + $2 + s <= 5 ? "met" : "NOT met", $4 / 1024 }' <(tail -1 "$W/t.fu")
grep '^load' "$W/fuse.err" || echo "(no CPU by phase printed)"
# again, the events unchanged: what a fusion costs when little changed
s0=$(pg_server_cpu "$T")
SITREP_FUSE_TIMING=1 tv "$W/t.fu" "$BIN" db fuse --db "$pgbig" > "$W/fuse.out" 2> "$W/fuse.err" ||
  bench_fail $? "$W/fuse.err" "$BIN db fuse --db (PostgreSQL big)"
pg_backends_gone "$T" big
s1=$(pg_server_cpu "$T")
awk -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" '{
  printf "  fusion again, nothing changed: client %.2f s CPU + server %.2f s, %.1f s wall (goal <= 5 s: %s); client CPU by phase: ", $1 + $2, s, $3, $1 + $2 + s <= 5 ? "met" : "NOT met" }' <(tail -1 "$W/t.fu")
grep '^load' "$W/fuse.err" || echo "(no CPU by phase printed)"
fi

# ---- 3b. 1,000 new reports into a copy of it: the fusion of the region
# of time they reach (as bench/store-scale.sh section 4 on SQLite)
if [ -z "${PG_BENCH_SKIP_NEW:-}" ]; then
  pg_psql postgres "DROP DATABASE IF EXISTS bignew WITH (FORCE)" > /dev/null
  pg_psql postgres "CREATE DATABASE bignew TEMPLATE big" > /dev/null
  pg_backends_gone "$T" postgres
  python3 tests/store/gen-reports.py 1000 "$(date +%s)" 2025-12-01 60 > "$W/new.jsonl"
  s0=$(pg_server_cpu "$T")
  SITREP_FUSE_TIMING=1 tv "$W/t.n" "$BIN" ingest --db "host=$PG_SOCK port=$PG_PORT user=sitrep dbname=bignew" \
    "$W/new.jsonl" > "$W/new.out" 2>&1 || bench_fail $? "$W/new.out" "$BIN ingest --db (PostgreSQL bignew, 1,000 new reports)"
  pg_backends_gone "$T" bignew
  s1=$(pg_server_cpu "$T")
  sed -n 's/^ingested/  &/p' "$W/new.out"
  awk -v s="$(awk -v a="$s0" -v b="$s1" 'BEGIN { print b - a }')" '{
    printf "  1,000 new reports into it (extraction and fusion included): client %.2f s CPU + server %.2f s = %.2f s (goal for the fusion <= 5 s: %s), %.1f s wall, client peak %d MB\n", $1 + $2, s, $1 + $2 + s, $1 + $2 + s <= 5 ? "met" : "NOT met", $3, $4 / 1024 }' <(tail -1 "$W/t.n")
  sed -n 's/^  region from \(.*\): \([0-9]*\) of \([0-9]*\) events (\([0-9]*\) new).*, \(.*\)$/  fused again: the region from \1, \2 of \3 events (\4 new), \5/p' "$W/new.out" | tail -1
  sed -n 's/^load/  client CPU by phase: &/p' "$W/new.out"
  pg_psql postgres "DROP DATABASE IF EXISTS bignew WITH (FORCE)" > /dev/null
fi

# ---- 4. queries (fusion's rewritten tables vacuumed first, as
# autovacuum would: else its work lands in the queries' server CPU)
[ -z "${PG_BENCH_SKIP_FUSE:-}" ] &&
  pg_psql big "VACUUM (ANALYZE) incidents, incident_events, disagreements, place_status" > /dev/null
echo "latency over it on PostgreSQL: median of $RUNS runs of the whole command (goal < 100 ms;"
echo "wall time counts the waits of a shared machine, CPU the client's and the server's)"
printf "  %-52s %8s %8s %8s %8s  %s\n" query "wall ms" "client" "server" "peak MB" "goal"
q() {
  local label=$1; shift
  local w=() c=() s=() s0 s1
  for _ in $(seq "$RUNS"); do
    s0=$(pg_server_cpu "$T")
    tv "$W/t.q" "$BIN" "$@" --db "$pgbig" > /dev/null 2> "$W/q.err" || {
      bench_fail $? "$W/q.err" "$BIN $* --db (PostgreSQL big)"; return; }
    pg_backends_gone "$T" big
    s1=$(pg_server_cpu "$T")
    w+=($(awk '{ printf "%d", $3 * 1000 }' "$W/t.q")); c+=($(awk '{ printf "%d", ($1 + $2) * 1000 }' "$W/t.q"))
    s+=($(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%d", (b - a) * 1000 }'))
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
  local mw mc ms
  mw=$(med "${w[@]}"); mc=$(med "${c[@]}"); ms=$(med "${s[@]}")
  printf "  %-52s %8s %8s %8s %8s  %s\n" "$label" "$mw" "$mc" "$ms" "$(awk '{ printf "%d", $4 / 1024 }' "$W/t.q")" \
    "$( [ "$mw" -lt 100 ] && echo "met" || { [ $((mc + ms)) -lt 100 ] && echo "CPU met, wall not" || echo "NOT met"; })"
}
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
bench_failures_end "bench/store-pg.sh"
