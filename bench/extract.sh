#!/usr/bin/env bash
# bench/extract.sh BIN SHARED CORPUS [SMALL_CORPUS] -- throughput and peak
# memory of `sitrep extract` (events as JSON Lines to /dev/null) on one
# core, median of BENCH_RUNS (3) runs; with SMALL_CORPUS, both sizes, to
# show memory does not grow with the input (extract streams).
#
# Goal (issues 5 and 14): >= 20 MB/s on one core, parse included.  The
# figure judged is the CPU time (user + sys) of the pinned, single-
# threaded run: what one core does with the input, which a shared
# machine moves much less than the wall clock (printed beside it, with
# the load average).  A missed goal is reported, not fatal.
set -euo pipefail
bin=$1
corpus=$3
small=${4:-}
runs=${BENCH_RUNS:-3}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_one() {
  local file=$1 bytes
  bytes=$(stat -c %s "$file")
  : >"$tmp/t"; : >"$tmp/m"; : >"$tmp/c"
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "${pin[@]}" /usr/bin/time -f '%M %U %S' -o "$tmp/mem" "$bin" extract "$file" >/dev/null
    t1=$(date +%s%N)
    echo $(( (t1 - t0) / 1000 )) >>"$tmp/t"
    tail -1 "$tmp/mem" | awk '{print $1}' >>"$tmp/m"
    tail -1 "$tmp/mem" | awk '{print $2 + $3}' >>"$tmp/c"
  done
  local us kb cpu
  us=$(median <"$tmp/t")
  kb=$(sort -n "$tmp/m" | tail -1)
  cpu=$(median <"$tmp/c")
  local load
  load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
  awk -v b="$bytes" -v s="$us" -v m="$kb" -v n="$runs" -v c="$cpu" -v l="$load" 'BEGIN {
    mbs = b / 1048576 / (s / 1e6)
    cmbs = c > 0 ? b / 1048576 / c : 0
    printf "  %6.1f MB  sitrep extract %6.1f MB/s on one core (CPU %.2f s; wall %.2f s = %.1f MB/s, load %s)   peak %.1f MB   (median of %d)%s\n",
      b / 1048576, cmbs, c, s / 1e6, mbs, l, m / 1024, n, (cmbs >= 20 ? "   goal >= 20 MB/s met" : "   below the 20 MB/s goal")
  }'
}

echo "sitrep extract (events), one core:"
bench_one "$corpus"
[ -n "$small" ] && bench_one "$small"
exit 0
