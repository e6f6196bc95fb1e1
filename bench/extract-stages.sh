#!/usr/bin/env bash
# bench/extract-stages.sh BIN SHARED CORPUS [SMALL_CORPUS] -- where the CPU
# time of `sitrep extract` goes, step by step, on one core: the steps of
# sr_extract as SITREP_EXTRACT_TIMING=1 times them (entities and time
# expressions, new places, the rules of the sentences and within them the
# parse, finishing), the start-up (an empty input), and the rest of the
# run (reading JSON, normalizing, tokenizing, splitting sentences, writing
# the events); `sitrep sentences --no-text` on the same corpus beside it
# (reading, normalizing, tokenizing, splitting: most of that rest).  On
# SMALL_CORPUS when given (the 25 MB corpus of `make bench`), else CORPUS;
# medians of BENCH_RUNS (3) interleaved rounds, with the load average.
#
# Each step's MB/s is the corpus's size over that step's time alone: the
# most `sitrep extract` could reach if every other step took nothing.  So
# the issue 14 goal of 20 MB/s is out of reach while the parse alone runs
# near or below it; the last line compares.  Reports figures; fails only
# when a command fails.
set -euo pipefail
bin=$1
corpus=${4:-$3}
runs=${BENCH_RUNS:-3}
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "extract-stages.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
bytes=$(stat -c %s "$corpus")
echo '{"id": "empty", "text": ""}' >"$tmp/empty.jsonl"

# cpu CMD...: CPU seconds (user + sys) of one pinned run, stdout discarded;
# a failed run stops the bench with its command, exit status and the last
# lines of its stderr
. "$(dirname "$0")/failures.sh"
cpu() {
  local rc=0
  "${pin[@]}" "$timecmd" -f '%U %S' -o "$tmp/t" "$@" >/dev/null 2>>"$tmp/err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    grep -v '^Command exited' "$tmp/err" > "$tmp/err1"
    bench_fail "$rc" "$tmp/err1" "$@"
    bench_failures_end "bench/extract-stages.sh"
  fi
  tail -n 1 "$tmp/t" | awk '{printf "%.3f\n", $1 + $2}'
}

: >"$tmp/start"; : >"$tmp/sent"; : >"$tmp/whole"
for _ in $(seq "$runs"); do
  cpu "$bin" extract --jobs 1 "$tmp/empty.jsonl" >>"$tmp/start"
  cpu "$bin" sentences --no-text "$corpus" >>"$tmp/sent"
  : >"$tmp/err"
  SITREP_EXTRACT_TIMING=1 cpu "$bin" extract --jobs 1 "$corpus" >>"$tmp/whole"
  # the step lines: "  NAME ... 1.234 s CPU ..."
  grep -E '^  ' "$tmp/err" | sed -E 's/^ +//; s/ +([0-9.]+) s CPU.*/\t\1/' >>"$tmp/steps"
  grep -E '^sitrep extract timing' "$tmp/err" | tail -1 >"$tmp/head"
  # the parses by the rule that asked first (the same in every round)
  sed -n 's/^sitrep extract parses: */    /p' "$tmp/err" >"$tmp/why"
done
load=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo '?')
start=$(median <"$tmp/start")
sent=$(median <"$tmp/sent")
whole=$(median <"$tmp/whole")
echo "sitrep extract, step by step: $(basename "$corpus") ($(awk -v b="$bytes" 'BEGIN {printf "%.1f", b / 1048576}') MB), one core, medians of $runs rounds, load $load"
sed 's/^sitrep extract timing: /  (/; s/$/)/' "$tmp/head"
awk -F'\t' -v b="$bytes" -v whole="$whole" -v start="$start" -v sent="$sent" '
  BEGIN { mb = b / 1048576 }
  { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 } v[$1, ++k[$1]] = $2 }
  END {
    row("whole run", whole)
    row("start-up (lexicon and model, an empty input)", start)
    inside = 0
    for (i = 1; i <= n; i++) {
      name = order[i]
      m = k[name]
      # median of this step over the rounds
      for (j = 1; j <= m; j++) x[j] = v[name, j]
      for (p = 1; p <= m; p++) for (q = p + 1; q <= m; q++) if (x[q] < x[p]) { t = x[p]; x[p] = x[q]; x[q] = t }
      med = x[int((m + 1) / 2)]
      if (name ~ /in all$/) { inside = med; continue }
      if (name ~ /of which the parse/) { parse = med; name = "  " name }
      row(name, med)
    }
    row("rest: reading, analysis, writing the events", whole - start - inside)
    row("  (sitrep sentences --no-text, for comparison)", sent)
    printf "  20 MB/s (issue 14) needs the whole run in %.2f s; the parse alone takes %.2f s, everything but the parse %.2f s\n",
      mb / 20, parse, whole - parse
  }
  function row(name, s) {
    printf "  %-50s %7.3f s  %5.1f%%  %8.1f MB/s\n", name, s, (whole > 0 ? 100 * s / whole : 0), (s > 0 ? mb / s : 0)
  }' "$tmp/steps"
if [ -s "$tmp/why" ]; then
  echo "  the sentences parsed, by the rule that asked first (those that gave no event: what a pre-check could save)"
  sort -rn "$tmp/why"
fi
