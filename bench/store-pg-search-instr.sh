#!/usr/bin/env bash
# bench/store-pg-search-instr.sh BIN -- what a search over a big store
# costs PostgreSQL's backend, in instructions (the wall time of a query on
# a shared machine at a load of 5-10 says little): the stopped cluster in
# folder PG_SEARCH_DATA (default build/scale/pg/data, the million that
# bench/store-pg.sh keeps; database PG_SEARCH_DB, default big; run it on a
# copy, or when no one else uses it) is started under callgrind
# (--trace-children, autovacuum off) on a socket of its own, and each
# search is run `--limit 20` by BIN (and by PG_SEARCH_BASE, another
# binary, interleaved): twice to warm the cache, then RUNS times (3).
# Prints the backend's own instructions per run (PostgresMain, inclusive,
# in millions, as bench/store-pg-instr.sh counts a server process) and
# whether the two binaries print the same bytes (different: exit 1).  The
# searches: SEARCHES, one a line (default: drone, attack OR strike,
# al-Tanf).  Without that cluster (before bench/store-pg.sh first made
# it) it says so and measures nothing.  A few minutes.
set -euo pipefail
# called by bench/run as BIN SHARED CORPUS_100MB CORPUS_25MB: BIN alone
BIN=$(realpath "$1"); BASE=${PG_SEARCH_BASE:+$(realpath "$PG_SEARCH_BASE")}
RUNS=${RUNS:-3}
cd "$(dirname "$0")/.."
DATA=${PG_SEARCH_DATA:-build/scale/pg/data}; DBNAME=${PG_SEARCH_DB:-big}
if [ ! -f "$DATA/PG_VERSION" ]; then
  echo "no PostgreSQL cluster in $DATA (bench/store-pg.sh makes the million there): nothing measured"
  exit 0
fi
. bench/pg-callgrind.sh
pgcg_start pgsearch 5496 "$DATA"
DB="host=$D port=5496 user=sitrep dbname=$DBNAME"
mapfile -t searches <<< "${SEARCHES:-$(printf 'drone\nattack OR strike\nal-Tanf')}"
bins=("$BIN"); [ -n "$BASE" ] && bins=("$BASE" "$BIN")
st=0
# one search by one binary: its output in $D/out.N, the backend's
# instructions on stdout; a failure stops the bench and says why
one() {
  local bin=$1 q=$2 n=$3 rc=0
  pgcg_settle; ls "$D/cg" > "$D/l0"
  "$bin" search "$q" --limit 20 --db "$DB" > "$D/out.$n" 2> "$D/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    echo "FAILED (exit $rc): $bin search '$q' --limit 20" >&2; tail -n 5 "$D/err" >&2; exit 1
  fi
  pgcg_settle; ls "$D/cg" > "$D/l1"
  # shellcheck disable=SC2046  # (one file a word)
  pgcg_own $(comm -13 "$D/l0" "$D/l1" | sed "s|^|$D/cg/|")
}
for q in "${searches[@]}"; do
  for b in "${!bins[@]}"; do one "${bins[$b]}" "$q" "$b" > /dev/null; one "${bins[$b]}" "$q" "$b" > /dev/null; done
  declare -A m=()
  for _ in $(seq "$RUNS"); do
    for b in "${!bins[@]}"; do m[$b]="${m[$b]:-}$(one "${bins[$b]}" "$q" "$b") "; done
  done
  line="search '$q' --limit 20, the backend's instructions (M):"
  if [ -n "$BASE" ]; then
    same=same; cmp -s "$D/out.0" "$D/out.1" || { same="DIFFERENT output"; st=1; }
    echo "$line base ${m[0]}; this ${m[1]}($same)"
  else
    echo "$line ${m[0]}"
  fi
  unset m
done
exit "$st"
