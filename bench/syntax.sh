#!/usr/bin/env bash
# bench/syntax.sh BIN SHARED CORPUS [SMALL_CORPUS] -- speed and memory of
# the syntax stage (issue 13) on one core: words per second of tagging
# alone (`sitrep parse --tags-only`) and of tagging plus parsing (`sitrep
# parse`) over every sentence of the corpus, as `sitrep parse --stats`
# counts them (the time inside sr_tag_sentence / sr_parse_sentence:
# reading, tokenizing and writing CoNLL-U are not counted); the model's
# load time (median of BENCH_LOAD_RUNS (7) starts on a one-line input); peak
# memory of `sitrep parse` on the small and the large corpus (flat in
# input size).  One run per corpus and mode (BENCH_SYNTAX_RUNS to
# change; the median is quoted).
#
# Goals: tagging and parsing >= 100,000 words/s; model load <= 150 ms;
# peak memory flat in input size (the 150 MB budget of the whole
# extraction with the gazetteer is measured by bench/extract.sh once
# events read the parse).  A missed goal is reported, not fatal: the
# machine may be busy.
set -euo pipefail
bin=$1
corpus=$3
small=${4:-}
runs=${BENCH_SYNTAX_RUNS:-1}
loads=${BENCH_LOAD_RUNS:-7}
export LC_ALL=C
pin=()
command -v taskset >/dev/null && pin=(taskset -c "${BENCH_CPU:-0}")
timecmd=/usr/bin/time
[ -x "$timecmd" ] || { echo "syntax.sh: /usr/bin/time missing (Debian package 'time')" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# run MODE FILE: prints "WORDS_PER_S WORDS PEAK_KB LOAD_MS" for one run
run() {
  local mode=$1 file=$2 args=(parse --stats)
  [ "$mode" = tags ] && args+=(--tags-only)
  "${pin[@]}" "$timecmd" -f "%M" -o "$tmp/mem" "$bin" "${args[@]}" "$file" >/dev/null 2>"$tmp/err"
  local line kb
  line=$(grep 'words/s' "$tmp/err" | tail -1)
  kb=$(tail -1 "$tmp/mem")
  awk -v kb="$kb" '{
    for (i = 1; i <= NF; i++) {
      if ($i == "words" && $(i+1) == "in" && $(i+3) == "sentences") w = $(i-1)
      if ($i == "words/s") r = $(i-1)
      if ($i == "ms;") l = $(i-1)
    }
    print r, w, kb, l }' <<<"$line"
}

echo "sitrep parse, one core (${pin[*]:-not pinned}); model $(stat -c %s "$(dirname "$bin")/../data/syntax.model" 2>/dev/null || echo '?') bytes"
for _ in $(seq "$loads"); do
  echo "Troops left the base." | "${pin[@]}" "$bin" parse --stats - 2>&1 >/dev/null |
    sed -nE 's/.*loaded in ([0-9.]+) ms.*/\1/p'
done | median >"$tmp/load"
printf "  model load: %s ms (median of %d starts)\n" "$(cat "$tmp/load")" "$loads"

for f in ${small:+"$small"} "$corpus"; do
  mb=$(awk -v b="$(stat -c %s "$f")" 'BEGIN {printf "%.1f", b / 1048576}')
  for mode in tags parse; do
    : >"$tmp/r"
    for _ in $(seq "$runs"); do run "$mode" "$f" >>"$tmp/r"; done
    rate=$(cut -d' ' -f1 "$tmp/r" | median)
    words=$(cut -d' ' -f2 "$tmp/r" | head -1)
    kb=$(cut -d' ' -f3 "$tmp/r" | sort -n | tail -1)
    label="tagging"; [ "$mode" = parse ] && label="tagging+parsing"
    printf "  %6s MB  %-16s %9.0f words/s  (%s words)  peak memory %.1f MB\n" \
      "$mb" "$label" "$rate" "$words" "$(awk -v k="$kb" 'BEGIN {print k / 1024}')"
    echo "$mode $rate $kb" >>"$tmp/all"
  done
done
parse_rate=$(grep '^parse' "$tmp/all" | tail -1 | cut -d' ' -f2)
load=$(cat "$tmp/load")
awk -v r="$parse_rate" -v l="$load" 'BEGIN {
  printf "  goals: tagging+parsing >= 100,000 words/s: %s (%.0f)   model load <= 150 ms: %s (%.1f ms)\n",
    (r >= 100000 ? "met" : "MISSED"), r, (l <= 150 ? "met" : "MISSED"), l }'
if [ -n "$small" ]; then
  a=$(grep '^parse' "$tmp/all" | head -1 | cut -d' ' -f3)
  b=$(grep '^parse' "$tmp/all" | tail -1 | cut -d' ' -f3)
  awk -v a="$a" -v b="$b" 'BEGIN {
    printf "  peak memory: %.1f MB on the small corpus, %.1f MB on the large one: %s\n",
      a / 1024, b / 1024, (b <= a * 1.25 + 2048) ? "independent of size" : "GROWS with the corpus" }'
fi
