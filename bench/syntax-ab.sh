#!/usr/bin/env bash
# bench/syntax-ab.sh A B SAMPLE [ROUNDS] -- compares two builds of sitrep
# on `sitrep parse SAMPLE` (tagging, parsing and lemmas of every sentence
# of a JSON Lines sample, e.g. the first megabyte of the 25 MB bench
# corpus: `head -c 1000000 bench/out/corpus-25MB.jsonl | head -n -1`),
# CPU seconds (user + system) of each run, in two ways at once:
#
#   side by side: A pinned to core 0 and B to core 1 at the same time,
#   then swapped; both see the same minutes of the machine's load, and
#   the median of the per-pair ratios B/A is quoted;
#   one after the other: A and B interleaved on core 0; min, first
#   quartile and median of each (the minimum is the run least disturbed).
#
# On this shared 2-core machine the load of the others moves a run by
# +-30%; a difference smaller than the spread of the pairs is not a
# result.  Both builds must find their data: SITREP_DATA, else beside
# each binary.  Reports figures; fails only when a command fails.
set -euo pipefail
# make bench (bench/run) calls every bench/*.sh as BIN SHARED CORPUS...:
# this one needs two builds, so there it only says how to run it
if [ $# -ge 2 ] && [ -d "$2" ]; then
  echo "  (compares two builds of sitrep; run by hand: bench/syntax-ab.sh A B SAMPLE [ROUNDS])"
  exit 0
fi
a=$1 b=$2 sample=$3 rounds=${4:-6}
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "syntax-ab.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
command -v taskset >/dev/null || { echo "syntax-ab.sh: taskset missing (Debian package 'util-linux')" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cpu() { awk '{printf "%.3f\n", $1 + $2}' "$1"; }
run() { # core bin out
  taskset -c "$1" "$timecmd" -f '%U %S' -o "$3" "$2" parse "$sample" >/dev/null 2>"$3.err" ||
    { cat "$3.err" >&2; exit 1; }
}
for _ in $(seq "$rounds"); do
  for sw in 0 1; do
    run "$sw" "$a" "$tmp/ta" & pa=$!
    run "$((1 - sw))" "$b" "$tmp/tb" & pb=$!
    wait "$pa"; wait "$pb"
    echo "$(cpu "$tmp/ta") $(cpu "$tmp/tb")" >>"$tmp/side"
  done
  run 0 "$a" "$tmp/ta"; cpu "$tmp/ta" >>"$tmp/sa"
  run 0 "$b" "$tmp/tb"; cpu "$tmp/tb" >>"$tmp/sb"
done
stats() { sort -g | awk '{x[NR] = $1} END {printf "min %.2f s, first quartile %.2f s, median %.2f s", x[1], x[int((NR + 3) / 4)], x[int((NR + 1) / 2)]}'; }
echo "sitrep parse $(basename "$sample"), A = $a, B = $b, load $(cut -d' ' -f1-3 /proc/loadavg)"
awk '{print $2 / $1}' "$tmp/side" | sort -g |
  awk '{x[NR] = $1} END {printf "  side by side, %d pairs: B/A median %.3f (pairs %.2f-%.2f)\n", NR, x[int((NR + 1) / 2)], x[1], x[NR]}'
echo "  one after the other on core 0, A: $(stats <"$tmp/sa")"
echo "  one after the other on core 0, B: $(stats <"$tmp/sb")"
