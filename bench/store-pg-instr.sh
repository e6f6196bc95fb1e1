#!/usr/bin/env bash
# bench/store-pg-instr.sh BIN CORPUS -- the store's cost on PostgreSQL in
# instructions, which a shared machine's load does not move (CPU times at
# a load of 15 say little): callgrind counts `sitrep extract --jobs 1` and
# `sitrep ingest --no-fuse` (the client) over the unique reports of CORPUS,
# and every process of a private server run under valgrind
# --trace-children (autovacuum off): the ingest's backend, the GIN pending
# list merged with a CHECKPOINT, the first `search drone --limit 20`.
# Prints each part in millions and the ratio of ingest + index + search to
# extract (issue 18's goal: <= 2).  Takes a few minutes (valgrind).
# A server process's callgrind file also holds what the postmaster did
# before forking it (loading the binary, shared memory: about 44 M each
# time), which is not that process's work: each process is counted by its
# PostgresMain, inclusive (what the backend did for its connection); the
# totals of the files, as sessions 7 and 8 counted them, are printed too.
# PG_INSTR_SETUP='SQL' runs SQL in the new store before the ingest (to
# measure a change of the schema before making it a migration).
# PG_INSTR_KEEP=DIR keeps the callgrind files there (client: extract.cg,
# ingest.cg; server: ingest.*, merge.*, search.*) for callgrind_annotate.
set -euo pipefail
# called by bench/run as BIN SHARED CORPUS_100MB CORPUS_25MB: the 25 MB one
BIN=$(realpath "$1"); CORPUS=$(realpath "${4:-$2}")
cd "$(dirname "$0")/.."
. bench/pg-callgrind.sh
pgcg_start pginstr 5498
python3 bench/unique-reports "$CORPUS" "$D/unique.jsonl"
# a measured command that fails stops the bench and says why
run() {
  local st=0
  "$@" > /dev/null 2> "$D/err" || st=$?
  [ "$st" -eq 0 ] && return 0
  echo "FAILED (exit $st): $*" >&2; tail -n 5 "$D/err" >&2; exit 1
}
P() { PGOPTIONS="-c client_min_messages=warning" "$PGBIN/psql" -X -q -A -t -h "$D" -p 5498 -U sitrep -d "$1" -c "$2"; }
P postgres "CREATE DATABASE ing"
DB="host=$D port=5498 user=sitrep dbname=ing"
run "$BIN" db stats --db "$DB"     # the schema, in a backend of its own
if [ -n "${PG_INSTR_SETUP:-}" ]; then P ing "$PG_INSTR_SETUP" > /dev/null; fi
pgcg_settle
sum() { local t=0 f; for f in "$@"; do t=$((t + $(sed -n 's/^totals: //p' "$f"))); done; echo $((t / 1000000)); }
news() { comm -13 "$1" "$2" | sed "s|^|$D/cg/|"; }
run valgrind --tool=callgrind --callgrind-out-file="$D/x.cg" "$BIN" extract --jobs 1 "$D/unique.jsonl"
ls "$D/cg" > "$D/l0"
run valgrind --tool=callgrind --callgrind-out-file="$D/i.cg" "$BIN" ingest --quiet --no-fuse --db "$DB" "$D/unique.jsonl"
pgcg_settle; ls "$D/cg" > "$D/l1"
P ing "SELECT gin_clean_pending_list(oid) FROM pg_class WHERE relam = (SELECT oid FROM pg_am WHERE amname = 'gin'); CHECKPOINT" > /dev/null
pgcg_settle; ls "$D/cg" > "$D/l2"
run "$BIN" search drone --limit 20 --db "$DB"
pgcg_settle; ls "$D/cg" > "$D/l3"
x=$(sum "$D/x.cg"); c=$(sum "$D/i.cg")
si=$(pgcg_own $(news "$D/l0" "$D/l1")); sm=$(pgcg_own $(news "$D/l1" "$D/l2")); ss=$(pgcg_own $(news "$D/l2" "$D/l3"))
si0=$(sum $(news "$D/l0" "$D/l1")); sm0=$(sum $(news "$D/l1" "$D/l2")); ss0=$(sum $(news "$D/l2" "$D/l3"))
if [ -n "${PG_INSTR_KEEP:-}" ]; then
  mkdir -p "$PG_INSTR_KEEP"
  cp "$D/x.cg" "$PG_INSTR_KEEP/extract.cg"; cp "$D/i.cg" "$PG_INSTR_KEEP/ingest.cg"
  for part in ingest:l0:l1 merge:l1:l2 search:l2:l3; do
    IFS=: read -r name a b <<< "$part"
    for f in $(news "$D/$a" "$D/$b"); do cp "$f" "$PG_INSTR_KEEP/$name.${f##*.}"; done
  done
fi
echo "$(wc -l < "$D/unique.jsonl") unique reports; instructions (M): extract $x; ingest client $c," \
     "server $si (file $si0); GIN merge + checkpoint $sm ($sm0); first search (server) $ss ($ss0)"
awk -v x="$x" -v t="$((c + si + sm + ss))" -v t0="$((c + si0 + sm0 + ss0))" 'BEGIN {
  printf "ingest with its index and the first search: %d M = %.2fx extract (goal <= 2x: %s)\n", t, t / x, t / x <= 2 ? "met" : "not met"
  printf "(the server processes'"'"' whole files, the postmaster'"'"'s start-up in each, as sessions 7-8 counted: %d M = %.2fx)\n", t0, t0 / x }'
