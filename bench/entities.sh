#!/usr/bin/env bash
# bench/entities.sh BIN SHARED CORPUS [SMALL_CORPUS] -- `sitrep entities`
# (issue 3): throughput on the 100 MB corpus (output to /dev/null, one
# core, median of BENCH_RUNS runs), peak memory on both corpus sizes (it
# must not grow with the input), and start-up with the full gazetteer:
# wall time, CPU time and peak memory of a run on empty input.  Also
# `sitrep sentences --no-text` on the same corpus in the same runs
# (reading, normalizing, tokenizing: the part of `sitrep entities` that
# is not the recognizer), so the recognizer's own cost is the difference.
# Goals: >= 50 MB/s of CPU time; start-up < 150 ms and < 200 MB.  A
# missed goal is reported, not fatal: the machine may be busy.
#
# BENCH_BASE=OTHER_BIN: also runs OTHER_BIN (say the build of the parent
# commit) in the same loop, one run of each in turn, and prints its
# figures and the ratio: on a shared machine only such a comparison
# means something.
set -euo pipefail
bin=$1
corpus=$3
small=${4:-}
runs=${BENCH_RUNS:-5}
base=${BENCH_BASE:-}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "entities.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# an empty input: one record with no text (an empty file is refused)
echo '{"id": "empty", "text": ""}' >"$tmp"/empty.jsonl
. "$(dirname "$0")/failures.sh"

# measure FILE [COMMAND...]: prints "WALL_SECONDS CPU_SECONDS PEAK_KB" of
# one run of `sitrep entities FILE` (or of sitrep COMMAND... FILE); the
# binary is $bin, or $run_bin when set.  A failed run is reported
# (failures.sh): the bench exits 1 at the end
measure() {
  local f=$1; shift
  local cmd=("$@"); [ ${#cmd[@]} -eq 0 ] && cmd=(entities)
  "$timecmd" -f '%e %U %S %M' -o "$tmp"/t "${pin[@]}" "${run_bin:-$bin}" "${cmd[@]}" "$f" >/dev/null 2>"$tmp"/err ||
    bench_fail $? "$tmp"/err "${run_bin:-$bin}" "${cmd[@]}" "$f"
  tail -n 1 "$tmp"/t | awk '{printf "%s %.3f %s\n", $1, $2 + $3, $4}'
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

bytes=$(stat -c %s "$corpus")
walls=(); cpus=(); peak=0; scpus=(); bcpus=()
for _ in $(seq "$runs"); do
  read -r w c m < <(measure "$corpus")
  walls+=("$w"); cpus+=("$c"); [ "$m" -gt "$peak" ] && peak=$m
  read -r _ c _ < <(measure "$corpus" sentences --no-text)
  scpus+=("$c")
  if [ -n "$base" ]; then
    read -r _ c _ < <(run_bin=$base measure "$corpus")
    bcpus+=("$c")
  fi
done
wall=$(printf '%s\n' "${walls[@]}" | median)
cpu=$(printf '%s\n' "${cpus[@]}" | median)
sentcpu=$(printf '%s\n' "${scpus[@]}" | median)
basecpu=-
[ -n "$base" ] && basecpu=$(printf '%s\n' "${bcpus[@]}" | median)
"${pin[@]}" "$bin" entities "$corpus" >"$tmp"/mentions 2>"$tmp"/err ||
  bench_fail $? "$tmp"/err "$bin" entities "$corpus"
mentions=$(wc -l <"$tmp"/mentions)
speak=-
if [ -n "$small" ]; then read -r _ _ speak < <(measure "$small"); fi
sw=(); sc=(); sm=0
for _ in $(seq "$runs"); do
  read -r w c m < <(measure "$tmp"/empty.jsonl)
  sw+=("$w"); sc+=("$c"); [ "$m" -gt "$sm" ] && sm=$m
done
swall=$(printf '%s\n' "${sw[@]}" | median)
scpu=$(printf '%s\n' "${sc[@]}" | median)
python3 - "$bytes" "$wall" "$cpu" "$peak" "$speak" "$mentions" "$swall" "$scpu" "$sm" "$sentcpu" "$basecpu" "$base" "$(cat "$bench_failures_file" 2>/dev/null | wc -l)" <<'PY'
import sys
b, wall, cpu, peak = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
speak, mentions = sys.argv[5], int(sys.argv[6])
swall, scpu, sm = float(sys.argv[7]), float(sys.argv[8]), int(sys.argv[9])
sentcpu = float(sys.argv[10])
basecpu, base = sys.argv[11], sys.argv[12]
mb = b / 1e6
rate = mb / max(cpu, 1e-6)
print(f"entities bench: {mb:.1f} MB (file size), {mentions} mentions")
print(f"  sitrep entities   {wall:7.3f} s wall  {cpu:7.3f} s CPU  {rate:7.1f} MB/s of CPU ({mb / max(wall, 1e-6):.1f} wall)"
      f"  peak {peak / 1024:.1f} MB"
      + (f" (25 MB corpus: peak {int(speak) / 1024:.1f} MB)" if speak != "-" else ""))
if basecpu != "-":
    bc = float(basecpu)
    print(f"  baseline {base}: {bc:7.3f} s CPU  {mb / max(bc, 1e-6):7.1f} MB/s of CPU"
          f"  (this build takes {cpu / max(bc, 1e-6):.2f} of its time)")
stage = max(cpu - sentcpu, 1e-6)
print(f"  sitrep sentences  {sentcpu:7.3f} s CPU  {mb / max(sentcpu, 1e-6):7.1f} MB/s  (--no-text: reading + normalizing + tokenizing)")
print(f"  recognizer alone  {stage:7.3f} s CPU  {mb / stage:7.1f} MB/s  (the CPU difference; lexicon load and JSON output included)")
print(f"  start-up (empty input, full gazetteer): {swall * 1000:.0f} ms wall, {scpu * 1000:.0f} ms CPU, peak {sm / 1024:.1f} MB")
bad = []
if rate < 50: bad.append(f"{rate:.1f} MB/s < 50")
if swall >= 0.150: bad.append(f"start-up {swall * 1000:.0f} ms >= 150")
if sm / 1024 >= 200: bad.append(f"start-up memory {sm / 1024:.0f} MB >= 200")
if int(sys.argv[13]): print("  entities bench: goals not judged: runs failed")
else: print("  entities bench: goals met" if not bad else "  entities bench: below goal (reported, not fatal): " + "; ".join(bad))
PY
bench_failures_end "bench/entities.sh"
