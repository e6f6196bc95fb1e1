#!/usr/bin/env bash
# Event extraction against the gold of the dev corpus and the seeds.
# Prints the figures next to the goals of issue 5 (event F1 >= 0.70 with
# precision >= 0.70, date accuracy >= 0.80, modality accuracy >= 0.85,
# quantity recall >= 0.80) and fails when a figure falls below the floor
# the project has already reached (a regression), so that work toward the
# goals can land step by step.
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
# (name, goal, floor reached so far)
goals = [("f1", 0.70, 0.71), ("precision", 0.70, 0.72), ("date_accuracy", 0.80, 0.85),
         ("modality_accuracy", 0.85, 0.89), ("quantity_recall", 0.80, 0.91)]
short = [f"{k} {r.get(k)} (goal {g})" for k, g, f in goals if (r.get(k) or 0) < g]
regressed = [f"{k} {r.get(k)} < floor {f}" for k, g, f in goals if (r.get(k) or 0) < f]
print("events: all goals met" if not short else "events: short of goal: " + "; ".join(short))
if regressed:
    print("events: REGRESSION: " + "; ".join(regressed))
sys.exit(1 if regressed else 0)
PY
