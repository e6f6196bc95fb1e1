#!/usr/bin/env bash
# Event extraction against the gold of the dev corpus and the seeds
# (issue 5): event F1 >= 0.70 with precision >= 0.70, date accuracy >= 0.80,
# modality accuracy >= 0.85, quantity recall >= 0.80.
set -u
BIN=$1; SHARED=$2
pred=$(mktemp)
"$BIN" extract "$SHARED"/corpus/dev/docs.jsonl "$SHARED"/seeds >"$pred" 2>/dev/null
out=$("$SHARED"/tools/score "$SHARED"/corpus/dev/gold.jsonl "$SHARED"/corpus/dev/gold_seeds.jsonl --pred "$pred")
json=$("$SHARED"/tools/score "$SHARED"/corpus/dev/gold.jsonl "$SHARED"/corpus/dev/gold_seeds.jsonl --pred "$pred" --json)
rm -f "$pred"
echo "$out"
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
goals = [("f1", 0.70), ("precision", 0.70), ("date_accuracy", 0.80),
         ("modality_accuracy", 0.85), ("quantity_recall", 0.80)]
bad = [f"{k} {r.get(k)} < {v}" for k, v in goals if (r.get(k) or 0) < v]
print("events: goals met" if not bad else "events: below goal: " + "; ".join(bad))
sys.exit(1 if bad else 0)
PY
