#!/usr/bin/env bash
# Article extraction from HTML (issue 17) on the article extraction
# benchmark's 181 real pages: score-html F1 >= 0.95 (trafilatura 0.958,
# Readability.js 0.947), and the publication date read on >= 90% of the
# pages that state one in their metadata (tools/check-html-dates).
set -u
BIN=$1; SHARED=$2
pages="$SHARED"/corpus/html/pages
truth="$SHARED"/corpus/html/ground-truth.json
pred=$(mktemp)
trap 'rm -f "$pred"' EXIT
"$BIN" read "$pages" >"$pred" 2>/dev/null
st=$?
if [ $st -gt 1 ]; then echo "html: sitrep read failed (exit $st)"; exit 1; fi
"$SHARED"/tools/score-html "$truth" --pred "$pred" || exit 1
json=$("$SHARED"/tools/score-html "$truth" --pred "$pred" --json) || exit 1
tools/check-html-dates "$pages" "$pred" --min 0.90 | tail -1
dates_ok=${PIPESTATUS[0]}
python3 - "$json" <<'PY'
import json, sys
r = json.loads(sys.argv[1])
f1 = r.get("f1")
ok = f1 is not None and f1 >= 0.95
print("html: goal met (F1 >= 0.95)" if ok else "html: below goal: F1 %s < 0.95" % f1)
sys.exit(0 if ok else 1)
PY
f1_ok=$?
[ $f1_ok -eq 0 ] && [ $dates_ok -eq 0 ]
