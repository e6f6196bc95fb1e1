#!/usr/bin/env bash
# Throughput of `sitrep times` against chrono-node (the most used date
# parser in JavaScript) on the same corpus in the same run: the TimeBank +
# AQUAINT documents repeated to about 8 MB, each tool run ROUNDS times,
# medians compared.  Goal (issue 4): sitrep >= 10x chrono-node.  Also
# shows `sitrep sentences` on the same input (reading, normalizing,
# tokenizing everything) and the difference of the two.  `sitrep times`
# tokenizes only what can end a sentence (sr_times_scan), so the
# difference is what the command costs beyond a full tokenization, no
# longer the time stage alone.  A missed goal is
# reported, not fatal (the machine may be busy).  Runs on one core.
#
#   bench/times.sh BIN SHARED
set -u
BIN=$(realpath "$1"); SHARED=$(realpath "$2")
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-5}
src="$SHARED"/corpus/times/timebank_aquaint.jsonl
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
corpus="$work"/corpus.jsonl
# about 8 MB: enough for a stable figure, small enough for chrono-node
while [ "$(stat -c %s "$corpus" 2>/dev/null || echo 0)" -lt 8000000 ]; do cat "$src" >>"$corpus"; done
bytes=$(python3 -c 'import json,sys; print(sum(len(json.loads(l)["text"].encode()) for l in open(sys.argv[1])))' "$corpus")
docs=$(wc -l <"$corpus")
if ! command -v node >/dev/null || [ ! -d "$ROOT"/node_modules/chrono-node ]; then
  echo "times bench: node or chrono-node missing (run make deps)"; exit 1
fi
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# secs OUT CMD...: runs CMD with stdout to OUT, prints its wall time
secs() { local o=$1 s e; shift; s=$(date +%s%N); "$@" >"$o"; e=$(date +%s%N); echo "($e - $s) / 1000000000" | bc -l; }
tr=(); sr=()
for _ in $(seq "$ROUNDS"); do
  tr+=("$(secs "$work"/out.jsonl "${pin[@]}" "$BIN" times "$corpus")")
  sr+=("$(secs /dev/null "${pin[@]}" "$BIN" sentences --no-text "$corpus")")
done
t_times=$(printf '%s\n' "${tr[@]}" | median)
t_sent=$(printf '%s\n' "${sr[@]}" | median)
n_times=$(wc -l <"$work"/out.jsonl)
read -r t_chrono n_chrono < <("${pin[@]}" node "$ROOT"/bench/chrono.js "$corpus" "$ROUNDS")
python3 - "$bytes" "$docs" "$t_times" "$n_times" "$t_sent" "$t_chrono" "$n_chrono" <<'PY'
import sys
b, d = int(sys.argv[1]), int(sys.argv[2])
tt, tn, ts, tc, cn = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), float(sys.argv[6]), int(sys.argv[7])
mb = b / 1e6
stage = max(tt - ts, 1e-6)
print(f"times bench: {d} documents, {mb:.1f} MB of text, medians of runs")
print(f"  sitrep times       {tt:7.3f} s  {mb / tt:8.1f} MB/s  {d / tt:8.0f} docs/s  {tn} expressions (whole command)")
print(f"  sitrep sentences   {ts:7.3f} s  {mb / ts:8.1f} MB/s  (reading + normalizing + tokenizing)")
print(f"  times - sentences  {stage:7.3f} s  {mb / stage:8.1f} MB/s  (the difference)")
print(f"  chrono-node parse  {tc:7.3f} s  {mb / tc:8.1f} MB/s  {d / tc:8.0f} docs/s  {cn} results (in-process, JSON read excluded)")
r1, r2 = tc / tt, tc / stage
print(f"  sitrep times / chrono-node: {r1:.1f}x whole command, {r2:.1f}x the difference (goal >= 10x, whole command)")
if r1 < 10:
    print("  times bench: below goal for the whole command (reported, not fatal)")
PY
