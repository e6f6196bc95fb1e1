#!/usr/bin/env bash
# Syntax (issue 13) on the UD English Web Treebank test set with gold
# words, scored by ../shared/tools/score-ud, against the goals of the
# issue: UPOS >= 0.945, UAS >= 0.855, LAS >= 0.825; and sitrep's own
# tokens (cut into UD words) agree with the treebank's words on >= 97% of
# the test words (tests/syntax/token-agreement).  Each figure is printed
# with its goal.  The script fails below any goal, so that accuracy
# cannot slip back.
set -u
BIN=$1; SHARED=$2
gold="$SHARED"/corpus/ud/en_ewt-ud-test.conllu
[ -r "$gold" ] || { echo "syntax: $gold not found"; exit 1; }
pred=$(mktemp)
trap 'rm -f "$pred"' EXIT
"$BIN" parse --conllu "$gold" >"$pred" || { echo "syntax: sitrep parse --conllu failed"; exit 1; }
"$SHARED"/tools/score-ud "$gold" "$pred" || exit 1
json=$("$SHARED"/tools/score-ud "$gold" "$pred" --json) || exit 1
status=0
python3 - "$json" <<'PY' || status=1
import json, sys
r = json.loads(sys.argv[1])
goals = {"UPOS": 0.945, "UAS": 0.855, "LAS": 0.825}
floors = {"UPOS": 0.945, "UAS": 0.855, "LAS": 0.825}
for k, v in goals.items():
    got = r.get(k)
    print(f"syntax: {k} {got}: goal >= {v} " + ("met" if got is not None and got >= v else "MISSED"))
bad = [f"{k} {r.get(k)} < {v}" for k, v in floors.items() if r.get(k) is None or r[k] < v]
if bad:
    print("syntax: below the level reached: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
# Both scoring paths give the same words, tags and trees: where the
# processor has AVX-512 VBMI2 the weights are packed and summed 32
# classes at a time (src/syntax/model.c); SITREP_NO_AVX512=1 takes the
# portable path that other processors run.  On a processor without
# AVX-512 both runs take the portable path.
if SITREP_NO_AVX512=1 "$BIN" parse --conllu "$gold" | cmp -s - "$pred"; then
  echo "syntax: the portable scoring path gives the same CoNLL-U: yes"
else
  echo "syntax: the portable scoring path (SITREP_NO_AVX512=1) gives another CoNLL-U than the default"
  status=1
fi
"$(dirname "$0")"/../syntax/token-agreement "$BIN" "$gold" --min 0.97 || status=1
exit $status
