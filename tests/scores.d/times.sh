#!/usr/bin/env bash
# Time expressions (issue 4) against TimeBank + AQUAINT (the TempEval-3
# training data): relaxed-match F1 >= 0.88 and value F1 >= 0.80, with
# ../shared/tools/score-times.
set -u
BIN=$1; SHARED=$2
gold="$SHARED"/corpus/times/timebank_aquaint.jsonl
pred=$(mktemp)
"$BIN" times "$gold" >"$pred" 2>/dev/null
"$SHARED"/tools/score-times "$gold" --pred "$pred"
json=$("$SHARED"/tools/score-times "$gold" --pred "$pred" --json)
rm -f "$pred"
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
def get(*path):
    v = r
    for p in path:
        if not isinstance(v, dict) or p not in v:
            return None
        v = v[p]
    return v
relaxed = get("relaxed", "f1")
value = get("value", "f1")
bad = []
if relaxed is None or relaxed < 0.88:
    bad.append(f"relaxed F1 {relaxed} < 0.88")
if value is None or value < 0.80:
    bad.append(f"value F1 {value} < 0.80")
print("times: goals met (relaxed F1 >= 0.88, value F1 >= 0.80)" if not bad
      else "times: below goal: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
