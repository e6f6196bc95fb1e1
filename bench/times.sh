#!/usr/bin/env bash
# Throughput of `sitrep times` against chrono-node (the most used date
# parser in JavaScript) on the same corpus in the same run: the TimeBank +
# AQUAINT documents repeated to about 8 MB, each tool run ROUNDS times,
# interleaved, medians compared.  Goal (issue 4): sitrep >= 10x
# chrono-node.
#
# Two comparisons, each at one boundary for both tools:
#   - the time stage: text in memory -> expressions resolved.  sitrep's
#     is what `sitrep times --timing` reports (normalizing, sentence
#     splitting, tagging, resolving; reading the JSON and writing the
#     output left out); chrono-node's is its loop of chrono.parse over
#     texts already in memory (bench/chrono.js: the median of 3 passes
#     in one process, so that the JIT is warm);
#   - the whole command: process start, reading and parsing the JSON,
#     the stage, writing JSON Lines, timed from outside: `sitrep times`
#     against bench/chrono-cli.js (node, one pass, as a user would run
#     it).
# A missed goal is reported, not fatal (the machine may be busy); a run
# that fails is reported (command, exit status, last lines of its stderr)
# and makes the bench exit 1.  Runs on one core.
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
# a failed command is reported and the bench exits 1 (failures.sh)
. "$ROOT"/bench/failures.sh
# secs OUT CMD...: runs CMD with stdout to OUT, prints its wall time in
# seconds (bash's own timer: no process forked around CMD to read a clock);
# a failure is reported (bench_fail)
secs() {
  local o=$1 TIMEFORMAT=%3R rc=0; shift
  { time "$@" >"$o" 2>"$o.err" || rc=$?; } 2>&1
  [ "$rc" -eq 0 ] || bench_fail "$rc" "$o.err" "$@"
}
# The rounds interleave the tools, so that a machine busy for a while
# (these are shared) slows both alike; each round's ratio compares runs
# made seconds apart, and the medians of those ratios are the figures.
tr=(); st=(); ch=(); cw=()
n_chrono=0
for _ in $(seq "$ROUNDS"); do
  # a run to warm up first: the first run after node's is slower by a
  # fifth (caches and memory node left behind)
  "${pin[@]}" "$BIN" times "$corpus" >/dev/null 2>"$work"/err || bench_fail $? "$work"/err "$BIN" times "$corpus"
  # "... time stage 0.0464 s (113.6 MB/s)" on stderr
  "${pin[@]}" "$BIN" times --timing "$corpus" 2>"$work"/timing >/dev/null ||
    bench_fail $? "$work"/timing "$BIN" times --timing "$corpus"
  st+=("$(sed -n 's/.*time stage \([0-9.]*\) s.*/\1/p' "$work"/timing)")
  tr+=("$(secs "$work"/out.jsonl "${pin[@]}" "$BIN" times "$corpus")")
  "${pin[@]}" node "$ROOT"/bench/chrono.js "$corpus" 3 >"$work"/chrono.out 2>"$work"/err ||
    bench_fail $? "$work"/err node bench/chrono.js "$corpus" 3
  read -r t n_chrono <"$work"/chrono.out || t=0
  ch+=("$t")
  cw+=("$(secs "$work"/chrono.jsonl "${pin[@]}" node "$ROOT"/bench/chrono-cli.js "$corpus")")
done
bench_failures_end "bench/times.sh"
n_times=$(wc -l <"$work"/out.jsonl)
python3 - "$bytes" "$docs" "$n_times" "$n_chrono" "${tr[*]}" "${st[*]}" "${ch[*]}" "${cw[*]}" <<'PY'
import statistics
import sys
b, d, tn, cn = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
tr, st, ch, cw = ([max(float(x), 1e-6) for x in a.split()] for a in sys.argv[5:9])
mb = b / 1e6
med = statistics.median
r1 = [c / s for c, s in zip(ch, st)]
r2 = [c / t for c, t in zip(cw, tr)]
print(f"times bench: {d} documents, {mb:.1f} MB of text, {len(tr)} interleaved rounds, medians")
def row(name, t, note):
    print(f"  {name:<26} {t:7.3f} s  {mb / t:8.1f} MB/s  {d / t:8.0f} docs/s  {note}")
row("sitrep time stage", med(st), "(text in memory -> expressions)")
row("chrono-node parse", med(ch), f"(the same, {cn} results)")
row("sitrep times", med(tr), f"(whole command, {tn} expressions)")
row("chrono-node command", med(cw), "(whole command: bench/chrono-cli.js)")
print(f"  sitrep / chrono-node (median of the rounds' ratios; goal >= 10x):")
print(f"    time stage     {med(r1):5.1f}x  (rounds {min(r1):.1f}-{max(r1):.1f}x)")
print(f"    whole command  {med(r2):5.1f}x  (rounds {min(r2):.1f}-{max(r2):.1f}x)")
if min(med(r1), med(r2)) < 10:
    print("  times bench: below goal (reported, not fatal)")
PY
