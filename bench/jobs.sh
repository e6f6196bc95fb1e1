#!/usr/bin/env bash
# bench/jobs.sh BIN SHARED CORPUS -- `sitrep extract --jobs 2` against
# `--jobs 1` on the 100 MB corpus: wall time, runs interleaved (1, 2, 1,
# 2...) so both see the same machine, medians of BENCH_JOBS_RUNS (3), and
# the outputs compared byte for byte.  The speed-up is only meaningful on a
# machine with two cores free: the load average is printed beside it.
#
# Goal (issue 17): >= 1.8x with identical output.  A missed speed goal is
# reported, not fatal (the machine may be busy); different output is fatal.
set -euo pipefail
bin=$1
corpus=$3
runs=${BENCH_JOBS_RUNS:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# wall N: runs --jobs N, prints its wall time and adds its CPU time
# (user + system) to $tmp/cN
wall() {
  local t0 t1
  t0=$(date +%s%N)
  /usr/bin/time -f "%U %S" -o "$tmp/time" "$bin" extract --jobs "$1" "$corpus" >"$tmp/out$1" 2>/dev/null
  t1=$(date +%s%N)
  awk '{print $1 + $2}' "$tmp/time" >>"$tmp/c$1"
  awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f\n", d / 1e9}'
}
"$bin" extract --jobs 1 "$corpus" >/dev/null 2>&1   # warm the page cache
: >"$tmp/t1"; : >"$tmp/t2"; : >"$tmp/c1"; : >"$tmp/c2"
for _ in $(seq "$runs"); do
  wall 1 >>"$tmp/t1"
  wall 2 >>"$tmp/t2"
  cmp -s "$tmp/out1" "$tmp/out2" || { echo "jobs: --jobs 2 output differs from --jobs 1" >&2; exit 1; }
done
t1=$(median <"$tmp/t1"); t2=$(median <"$tmp/t2")
ratio=$(awk -v a="$t1" -v b="$t2" 'BEGIN {if (b > 0) printf "%.2f", a / b; else print 0}')
mb=$(awk -v b="$(stat -c %s "$corpus")" 'BEGIN {printf "%.0f", b / 1048576}')
echo "jobs: extract of $mb MB: --jobs 1 $t1 s, --jobs 2 $t2 s (medians of $runs, interleaved): ${ratio}x; output identical"
echo "jobs: CPU time (user + system): --jobs 1 $(median <"$tmp/c1") s, --jobs 2 $(median <"$tmp/c2") s (the threads' overhead)"
echo "jobs: load average during the runs: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
awk -v r="$ratio" 'BEGIN {exit !(r >= 1.8)}' && echo "jobs: goal met (>= 1.8x)" \
  || echo "jobs: below goal: ${ratio}x < 1.8x (cores busy with other work?)"
