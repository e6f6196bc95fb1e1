#!/usr/bin/env bash
# Places and actors (issue 3): `sitrep entities` against
#   - the named places of the dev reports and the seeds
#     (score-report-places): >= 0.95 found with the right country;
#   - the geoparsing corpora LGL and GeoVirus (score-places): end-to-end
#     accuracy within 161 km >= 0.60 (LGL) and >= 0.70 (GeoVirus), with
#     toponym detection precision (coded gold) >= 0.60 on both.
set -u
BIN=$1; SHARED=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
"$BIN" entities "$SHARED"/corpus/dev/docs.jsonl >"$work"/dev.jsonl 2>/dev/null
"$BIN" entities "$SHARED"/seeds >"$work"/seeds.jsonl 2>/dev/null
for set in dev seeds; do
  gold="$SHARED"/corpus/dev/gold.jsonl
  [ $set = seeds ] && gold="$SHARED"/corpus/dev/gold_seeds.jsonl
  line=$("$SHARED"/tools/score-report-places "$gold" --pred "$work"/$set.jsonl)
  echo "places ($set): $line"
  python3 -c 'import sys; f=float(sys.argv[1].rsplit("=",1)[1]); sys.exit(0 if f >= 0.95 else 1)' "$line" ||
    { echo "places ($set): below 0.95"; fail=1; }
done
for corpus in lgl:0.60 geovirus:0.70; do
  name=${corpus%%:*}; goal=${corpus##*:}
  gold="$SHARED"/corpus/places/$name.jsonl
  "$BIN" entities "$gold" >"$work"/$name.jsonl 2>/dev/null
  json=$("$SHARED"/tools/score-places "$gold" --pred "$work"/$name.jsonl --json)
  python3 - "$name" "$goal" "$json" <<'PY' || fail=1
import json, sys
name, goal, r = sys.argv[1], float(sys.argv[2]), json.loads(sys.argv[3])
e2e = r["end_to_end_acc161"]
det = r["detection_coded"]
p = det["precision"]
print(f"places ({name}): end-to-end acc@161 {e2e:.4f} (goal {goal}), detection P {p:.4f} R {det['recall']:.4f} (goal P 0.60)")
sys.exit(0 if e2e >= goal and p >= 0.60 else 1)
PY
done
[ $fail = 0 ] && echo "places: goals met" || echo "places: below goal"
exit $fail
