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

# measure CMD... : prints "SECONDS PEAK_KB" for one run
measure() {
  local t0 t1
  t0=$(date +%s%N)
  "${pin[@]}" "$timecmd" -f %M -o "$tmp/mem" "$@" >/dev/null
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000 )) $(tail -1 "$tmp/mem")"
}

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bench_one() {
  local file=$1 bytes mb
  bytes=$(stat -c %s "$file")
  mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')
  : >"$tmp/s"; : >"$tmp/w"; : >"$tmp/sm"; : >"$tmp/wm"
  # one warm-up of each, so the file is in the page cache
  "$bin" sentences "$file" >/dev/null
  wc -w "$file" >/dev/null
  for _ in $(seq "$runs"); do
    read -r us kb < <(measure "$bin" sentences "$file")
    echo "$us" >>"$tmp/s"; echo "$kb" >>"$tmp/sm"
    read -r us kb < <(measure wc -w "$file")
    echo "$us" >>"$tmp/w"; echo "$kb" >>"$tmp/wm"
  done
  local s w smem
  s=$(median <"$tmp/s")
  w=$(median <"$tmp/w")
  smem=$(sort -n "$tmp/sm" | tail -1)
  awk -v b="$bytes" -v s="$s" -v w="$w" -v mb="$mb" -v m="$smem" -v n="$runs" 'BEGIN {
    printf "  %6s MB  sitrep sentences %7.1f MB/s (%.2f s)   wc -w %7.1f MB/s (%.2f s)   ratio %.2fx   peak %.1f MB   (median of %d)\n",
      mb, b / 1048576 / (s / 1e6), s / 1e6, b / 1048576 / (w / 1e6), w / 1e6, s / w, m / 1024, n
  }'
  echo "$bytes $s $w $smem" >>"$tmp/results"
}

echo "sitrep sentences vs wc -w, one core (${pin[*]:-not pinned}), LC_ALL=C"
: >"$tmp/results"
[ -n "$small" ] && bench_one "$small"
bench_one "$corpus"

# the goals, on the largest corpus
read -r bytes s w mem < <(tail -1 "$tmp/results")
awk -v b="$bytes" -v s="$s" -v w="$w" 'BEGIN {
  mbs = b / 1048576 / (s / 1e6); r = s / w
  printf "  goal >= 100 MB/s: %s (%.1f)   goal <= 4x wc -w: %s (%.2fx)\n",
    mbs >= 100 ? "met" : "MISSED", mbs, r <= 4 ? "met" : "MISSED", r
}'
if [ -n "$small" ]; then
  read -r _ _ _ mem_small < <(head -1 "$tmp/results")
  awk -v a="$mem_small" -v b="$mem" 'BEGIN {
    printf "  peak memory: %.1f MB on the small corpus, %.1f MB on the large one: %s\n",
      a / 1024, b / 1024, (b <= a * 1.25 + 2048) ? "independent of size" : "GROWS with the corpus"
  }'
fi
