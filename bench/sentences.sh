#!/usr/bin/env bash
# bench/sentences.sh BIN SHARED CORPUS [SMALL_CORPUS] -- throughput and
# peak memory of `sitrep sentences` (output to /dev/null) next to
# `wc -w` on the same file in the same run, the reference for one pass
# over text.  Runs are interleaved (sitrep, wc, sitrep, wc...) so both
# see the same machine; the figure is the median of BENCH_RUNS (5) runs.
# With SMALL_CORPUS as well, both sizes are measured, to show that
# memory does not grow with the corpus.  Both run on one core (taskset)
# and in the C locale (wc -w is then at its fastest: the stricter
# reference).
#
# Goals (issue 2): >= 100 MB/s, at most 4x the time of wc -w, peak
# memory independent of corpus size.  A missed goal is reported, not
# fatal: the machine may be busy.
set -euo pipefail
bin=$1
corpus=$3
small=${4:-}
runs=${BENCH_RUNS:-5}
export LC_ALL=C
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "sentences.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure CMD... : prints "WALL_US CPU_S PEAK_KB" for one run (CPU time
# is user + system: what the run cost its core, whatever else the
# machine is doing)
measure() {
  local t0 t1
  t0=$(date +%s%N)
  "${pin[@]}" "$timecmd" -f "%U %S %M" -o "$tmp/mem" "$@" >/dev/null
  t1=$(date +%s%N)
  read -r u sy kb < <(tail -1 "$tmp/mem")
  echo "$(( (t1 - t0) / 1000 )) $(awk -v a="$u" -v b="$sy" 'BEGIN {print a + b}') $kb"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_one() {
  local file=$1 bytes mb
  bytes=$(stat -c %s "$file")
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
  : >"$tmp/s"; : >"$tmp/w"; : >"$tmp/sm"; : >"$tmp/wm"; : >"$tmp/sc"; : >"$tmp/wc"
  # one warm-up of each, so the file is in the page cache
  "$bin" sentences "$file" >/dev/null
  wc -w "$file" >/dev/null
  for _ in $(seq "$runs"); do
    read -r us cpu kb < <(measure "$bin" sentences "$file")
    echo "$us" >>"$tmp/s"; echo "$kb" >>"$tmp/sm"; echo "$cpu" >>"$tmp/sc"
    read -r us cpu kb < <(measure wc -w "$file")
    echo "$us" >>"$tmp/w"; echo "$kb" >>"$tmp/wm"; echo "$cpu" >>"$tmp/wc"
  done
  local s w smem sc wcpu
  s=$(median <"$tmp/s")
  w=$(median <"$tmp/w")
  sc=$(median <"$tmp/sc")
  wcpu=$(median <"$tmp/wc")
  smem=$(sort -n "$tmp/sm" | tail -1)
  awk -v b="$bytes" -v s="$s" -v w="$w" -v mb="$mb" -v m="$smem" -v n="$runs" \
      -v sc="$sc" -v wcpu="$wcpu" 'BEGIN {
    mib = b / 1048576
    printf "  %5s MB  wall: sitrep sentences %6.1f MB/s (%.2f s), wc -w %6.1f MB/s (%.2f s), ratio %.2fx\n",
      mb, mib / (s / 1e6), s / 1e6, mib / (w / 1e6), w / 1e6, s / w
    if (sc > 0 && wcpu > 0)
      printf "            cpu:  sitrep sentences %6.1f MB/s (%.2f s), wc -w %6.1f MB/s (%.2f s), ratio %.2fx\n",
        mib / sc, sc, mib / wcpu, wcpu, sc / wcpu
    printf "            peak memory of sitrep sentences %.1f MB   (medians of %d runs)\n", m / 1024, n
  }'
  echo "$bytes $s $w $smem $sc $wcpu" >>"$tmp/results"
}

echo "sitrep sentences vs wc -w, one core (${pin[*]:-not pinned}), LC_ALL=C"
: >"$tmp/results"
[ -n "$small" ] && bench_one "$small"
bench_one "$corpus"

# the goals, on the largest corpus, in CPU time (the cost on one core;
# wall time also counts whatever else runs on a shared machine)
read -r bytes _ _ mem s w < <(tail -1 "$tmp/results")
awk -v b="$bytes" -v s="$s" -v w="$w" 'BEGIN {
  mbs = b / 1048576 / s; r = s / w
  printf "  goals (cpu): >= 100 MB/s: %s (%.1f)   goal <= 4x wc -w: %s (%.2fx)\n",
    (mbs >= 100 ? "met" : "MISSED"), mbs, (r <= 4 ? "met" : "MISSED"), r
}'
if [ -n "$small" ]; then
  read -r _ _ _ mem_small _ < <(head -1 "$tmp/results")
  awk -v a="$mem_small" -v b="$mem" 'BEGIN {
    printf "  peak memory: %.1f MB on the small corpus, %.1f MB on the large one: %s\n",
      a / 1024, b / 1024, (b <= a * 1.25 + 2048) ? "independent of size" : "GROWS with the corpus"
  }'
fi
