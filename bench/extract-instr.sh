#!/usr/bin/env bash
# bench/extract-instr.sh BIN SHARED CORPUS [SMALL_CORPUS] -- where `sitrep
# extract` spends its instructions, step by step: callgrind counts `BIN
# extract --jobs 1` on the first BENCH_DOCS (1300) reports of SMALL_CORPUS
# when given (the 25 MB corpus of `make bench`), else CORPUS, and each
# step is the inclusive count of the library function that does it
# (reading the JSON, the analysis into tokens and sentences, the
# recognizer, the time tagger, the new places, the rules of the sentences
# and within them the parse, the finish, the writing of the events), the
# start-up (lexicon and syntax model) and the rest.  Instruction counts
# do not move with the load of a shared machine, unlike the CPU times of
# extract-stages.sh (at a load of 8 on two cores, two runs of one binary
# differ by 10%); they do not see cache misses, which the times do.
# Valgrind has no AVX-512: under it the syntax model scores with its
# portable path (src/syntax/model.c), not the packed AVX-512 one a
# processor with AVX-512 VBMI2 runs, so the parse's count is that path's.
#
# BENCH_BASE=OTHER_BIN: counts OTHER_BIN on the same reports too and
# prints both and their ratio per step.  The output of both runs must be
# the same (a change of speed must not change it); a difference is
# reported and the bench fails.  A failed run fails the bench with its
# command, exit status and the last lines of its stderr.  Takes about
# 30 s of CPU per binary for 1300 reports (valgrind).
set -euo pipefail
bin=$1
corpus=${4:-$3}
ndocs=${BENCH_DOCS:-1300}
base=${BENCH_BASE:-}
command -v valgrind >/dev/null || { echo "extract-instr.sh: valgrind missing (Debian package 'valgrind')" >&2; exit 2; }
command -v callgrind_annotate >/dev/null || { echo "extract-instr.sh: callgrind_annotate missing" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
. "$(dirname "$0")/failures.sh"
head -n "$ndocs" "$corpus" >"$tmp/in.jsonl"
bytes=$(stat -c %s "$tmp/in.jsonl")

# count NAME BIN: callgrind of BIN on the reports; the inclusive count of
# each step's function into $tmp/NAME.steps ("step count" lines)
count() {
  local name=$1 b=$2 rc=0
  valgrind --tool=callgrind --callgrind-out-file="$tmp/$name.cg" \
    "$b" extract --jobs 1 "$tmp/in.jsonl" >"$tmp/$name.out" 2>"$tmp/$name.err" || rc=$?
  if [ "$rc" -ne 0 ]; then
    sed '/^==/d' "$tmp/$name.err" >"$tmp/$name.err1"   # valgrind's own lines
    bench_fail "$rc" "$tmp/$name.err1" valgrind --tool=callgrind "$b" extract --jobs 1 "$tmp/in.jsonl"
    bench_failures_end "bench/extract-instr.sh"
  fi
  callgrind_annotate --inclusive=yes --threshold=100 --auto=yes "$tmp/$name.cg" >"$tmp/$name.ann"
  # a function's lines: "1,234 (5.6%)  file:fn [object]" and, in the
  # annotated sources, its calls "1,234 (5.6%)  => file:fn (12x)"; the
  # largest count of the lines naming fn (callgrind may split a function
  # under two names of its file: the call lines hold all of it)
  awk '
    function num(s) { gsub(",", "", s); return s + 0 }
    /PROGRAM TOTALS/ { total = num($1) }
    $2 ~ /^\(/ {
      n = num($1); f = $0
      sub(/^ *[0-9,]+ +\([ 0-9.]+%\) +/, "", f); sub(/^=> /, "", f)
      sub(/ \[.*$/, "", f); sub(/ \([0-9,]+x\)$/, "", f); sub(/^.*:/, "", f)
      if (!(f in c) || n > c[f]) c[f] = n
    }
    END {
      printf "whole\t%d\n", total
      split("sr_reader_next sr_doc_analyze sr_recognize sr_times_find ev_new_places sentence_events sr_parse_sentence sr_parser_finish sr_parser_tag ev_finish sr_event_write_json sr_lexicon_load sr_syntax_load", fs, " ")
      for (i = 1; i in fs; i++) printf "%s\t%d\n", fs[i], (fs[i] in c) ? c[fs[i]] : 0
    }' "$tmp/$name.ann" >"$tmp/$name.steps"
}

count new "$bin"
[ -n "$base" ] && count base "$base"
if [ -n "$base" ] && ! cmp -s "$tmp/new.out" "$tmp/base.out"; then
  echo "extract-instr.sh: the output of $bin differs from that of $base" >&2
  exit 1
fi

echo "sitrep extract in instructions (callgrind, --jobs 1): the first $ndocs reports of $(basename "$corpus") ($(awk -v b="$bytes" 'BEGIN {printf "%.2f", b / 1048576}') MB)"
awk -F'\t' -v b="$bytes" -v withbase="${base:+1}" '
  FNR == 1 { file++ }
  { v[file, $1] = $2 }
  END {
    if (withbase)
      printf "  %-52s %12s %12s %7s\n", "step", "millions", "base", "ratio"
    else
      printf "  %-52s %12s %10s %6s\n", "step", "millions", "per byte", "share"
    n = split("whole|start-up: lexicon and syntax model|reading the JSON (sr_reader_next)|analysis: normalizing, tokens, sentences|entities: the recognizer|times: the time tagger|new places|rules of the sentences, parse included|  of which the parse (tag, parse, finish)|finish|writing the events|the rest (extract_doc, tables, gates)", label, "|")
    for (f = 1; f <= 1 + (withbase ? 1 : 0); f++) {
      w = v[f, "whole"]
      s[f, 1] = w
      s[f, 2] = v[f, "sr_lexicon_load"] + v[f, "sr_syntax_load"]
      s[f, 3] = v[f, "sr_reader_next"]
      s[f, 4] = v[f, "sr_doc_analyze"]
      s[f, 5] = v[f, "sr_recognize"]
      s[f, 6] = v[f, "sr_times_find"]
      s[f, 7] = v[f, "ev_new_places"]
      s[f, 8] = v[f, "sentence_events"]
      s[f, 9] = v[f, "sr_parse_sentence"] + v[f, "sr_parser_finish"] + v[f, "sr_parser_tag"]
      s[f, 10] = v[f, "ev_finish"]
      s[f, 11] = v[f, "sr_event_write_json"]
      rest = w
      for (i = 2; i <= 11; i++) if (i != 9) rest -= s[f, i]
      s[f, 12] = rest
    }
    for (i = 1; i <= n; i++) {
      if (withbase)
        printf "  %-52s %12.1f %12.1f %7.3f\n", label[i], s[1, i] / 1e6, s[2, i] / 1e6, s[2, i] ? s[1, i] / s[2, i] : 0
      else
        printf "  %-52s %12.1f %10.1f %5.1f%%\n", label[i], s[1, i] / 1e6, s[1, i] / b, 100 * s[1, i] / s[1, 1]
    }
  }' "$tmp/new.steps" ${base:+"$tmp/base.steps"}
echo "  (valgrind lacks AVX-512: the parse is counted on the syntax model's portable path)"
bench_failures_end "bench/extract-instr.sh"
