#!/usr/bin/env bash
# bench/extract-linear.sh BIN -- the cost of `sitrep extract` must be
# linear in a report's size, whatever the report holds (issue 14): one
# report that repeats "US forces left the base on Monday and Syrian
# troops moved in, officials said." (and one that names its base, so
# that every event is made and merged) is fed at 1 MB and at 4 MB; the
# 4 MB run must cost at most five times the 1 MB run (CPU time, median
# of BENCH_RUNS (3) runs).  Fails when it does not: a report a hostile
# feed can send must not stall an ingest.
set -euo pipefail
bin=$1
runs=${BENCH_RUNS:-3}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# report FILE SENTENCE MB: a report of MB megabytes repeating SENTENCE
report() {
  local file=$1 sentence=$2 mb=$3
  local bytes=$((mb * 1024 * 1024)) n
  n=$((bytes / ${#sentence}))
  awk -v s="$sentence" -v n="$n" 'BEGIN {print " date 2026-02-20"; for (i = 0; i < n; i++) printf "%s ", s; print ""}' >"$file"
}

# cpu FILE: median CPU seconds (user + sys) of `sitrep extract FILE`
cpu() {
  for _ in $(seq "$runs"); do
    "${pin[@]}" /usr/bin/time -f '%U %S' -o "$tmp/t" "$bin" extract "$1" >/dev/null
    awk '{printf "%.3f\n", $1 + $2}' "$tmp/t"
  done | median
}

status=0
for sentence in "US forces left the base on Monday and Syrian troops moved in, officials said." \
                "US forces left the al-Tanf base on Monday and Syrian troops moved in, officials said."; do
  report "$tmp/1.txt" "$sentence" 1
  report "$tmp/4.txt" "$sentence" 4
  a=$(cpu "$tmp/1.txt"); b=$(cpu "$tmp/4.txt")
  ratio=$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.2f", (a > 0.01 ? b / a : b / 0.01)}')
  verdict=ok
  awk -v r="$ratio" 'BEGIN {exit !(r > 5)}' && { verdict="FAIL (goal <= 5x)"; status=1; }
  printf 'extract, one repeated report: 1 MB %ss, 4 MB %ss CPU, ratio %s  %s  (%s)\n' \
    "$a" "$b" "$ratio" "$verdict" "${sentence:0:40}..."
done
exit $status
