#!/usr/bin/env bash
# Throughput of `sitrep times` against chrono-node (the most used date
# parser in JavaScript) on the same corpus in the same run: the TimeBank +
# AQUAINT documents repeated to about 8 MB, each tool run ROUNDS times,
# medians compared.  Goal (issue 4): sitrep >= 10x chrono-node.
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
runs=()
for _ in $(seq "$ROUNDS"); do
  s=$(date +%s.%N)
  "$BIN" times "$corpus" >"$work"/out.jsonl
  e=$(date +%s.%N)
  runs+=("$(echo "$e - $s" | bc -l)")
done
sr=$(printf '%s\n' "${runs[@]}" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
sr_n=$(wc -l <"$work"/out.jsonl)
read -r ch ch_n < <(node "$ROOT"/bench/chrono.js "$corpus" "$ROUNDS")
python3 - "$bytes" "$docs" "$sr" "$sr_n" "$ch" "$ch_n" <<'PY'
import sys
b, d = int(sys.argv[1]), int(sys.argv[2])
sr, srn, ch, chn = float(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])
mb = b / 1e6
print(f"times bench: {d} documents, {mb:.1f} MB of text, medians of runs")
print(f"  sitrep times  {sr:8.3f} s  {mb / sr:8.2f} MB/s  {d / sr:9.0f} docs/s  {srn} expressions")
print(f"  chrono-node   {ch:8.3f} s  {mb / ch:8.2f} MB/s  {d / ch:9.0f} docs/s  {chn} results")
ratio = ch / sr if sr > 0 else float("inf")
print(f"  sitrep / chrono-node: {ratio:.1f}x (goal >= 10x)")
sys.exit(0 if ratio >= 10 else 1)
PY
