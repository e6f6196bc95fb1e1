#!/usr/bin/env bash
# bench/read.sh BIN SHARED -- speed and memory of the HTML reader: `sitrep
# read` (article extraction and metadata, output to /dev/null) over the
# article extraction benchmark's 181 real pages of SHARED/corpus/html,
# uncompressed once into bench/out/html/ (ignored by git).  Speed is MB of
# HTML per second of CPU time (user + system) on one core (taskset), the
# median of BENCH_RUNS (5) runs.  Memory: peak RSS reading the folder once
# and four times over (each page passed four times): flat in input size
# means the same peak.
#
# Goals (issue 17): >= 50 MB/s, peak memory independent of input size.  A
# missed goal is reported, not fatal: the machine may be busy.  A run of
# `sitrep read` that fails is: the bench says which, with its exit status
# and last lines of stderr, and exits 1.
set -euo pipefail
bin=$1
shared=$2
runs=${BENCH_RUNS:-5}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "read.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
src="$shared/corpus/html/pages"
[ -d "$src" ] || { echo "read.sh: $src missing: the HTML benchmark pages are needed" >&2; exit 2; }
out=bench/out/html
if [ ! -d "$out" ] || [ "$(ls "$out" | wc -l)" -ne "$(ls "$src" | wc -l)" ]; then
  rm -rf "$out"; mkdir -p "$out"
  for f in "$src"/*.html.gz; do gzip -dc "$f" >"$out/$(basename "$f" .gz)"; done
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
bytes=$(cat "$out"/*.html | wc -c)
mb=$(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}')

. "$(dirname "$0")/failures.sh"
# failed CMD...: runs CMD; a failure is reported (failures.sh) and the
# figures of the other runs are still printed
failed() {
  "$@" >/dev/null 2>"$tmp/err" || bench_fail $? "$tmp/err" "$(echo "$*" | cut -c1-300)"
}

# one run: prints "CPU_S PEAK_KB"
measure() {
  failed "${pin[@]}" "$timecmd" -f "%U %S %M" -o "$tmp/t" "$bin" read "$@"
  read -r u s kb < <(tail -1 "$tmp/t")
  echo "$(awk -v a="$u" -v b="$s" 'BEGIN {print a + b}') $kb"
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

pages=("$out"/*.html)
failed "$bin" read "$out"   # warm the page cache
: >"$tmp/cpu"; : >"$tmp/kb1"; : >"$tmp/kb4"
for _ in $(seq "$runs"); do
  read -r c k < <(measure "$out")
  echo "$c" >>"$tmp/cpu"; echo "$k" >>"$tmp/kb1"
  # the pages four times over, file by file: the reader reads a folder only
  # once per run (a second mention is refused as a symbolic link loop)
  read -r c k < <(measure "${pages[@]}" "${pages[@]}" "${pages[@]}" "${pages[@]}")
  echo "$k" >>"$tmp/kb4"
done
cpu=$(median <"$tmp/cpu")
kb1=$(median <"$tmp/kb1")
kb4=$(median <"$tmp/kb4")
rate=$(awk -v m="$mb" -v c="$cpu" 'BEGIN {if (c > 0) printf "%.1f", m / c; else print 0}')
echo "read: $mb MB of HTML (181 pages) in $cpu s of CPU: $rate MB/s (median of $runs)"
echo "read: peak memory ${kb1} KB for the pages once, ${kb4} KB for four times as much input"
bench_failures_end "bench/read.sh"
awk -v r="$rate" 'BEGIN {exit !(r >= 50)}' && echo "read: goal met (>= 50 MB/s)" \
  || echo "read: below goal: $rate MB/s < 50 (a busy machine?)"
awk -v a="$kb1" -v b="$kb4" 'BEGIN {exit !(b <= a * 1.25 + 2048)}' && echo "read: memory flat in input size" \
  || echo "read: memory grows with input: $kb1 KB -> $kb4 KB"
