#!/usr/bin/env bash
# Article extraction from HTML (issue 17) on the article extraction
# benchmark's 181 real pages: score-html F1 >= 0.95 (trafilatura 0.958,
# Readability.js 0.947), the publication date read on >= 90% of the
# pages that state one in their metadata (tools/check-html-dates), and
# `sitrep ingest` of the pages storing evidence sentences that are the
# article's (>= 90% of them lie in the body a person marked; none holds
# markup).
set -u
BIN=$1; SHARED=$2
pages="$SHARED"/corpus/html/pages
truth="$SHARED"/corpus/html/ground-truth.json
pred=$(mktemp)
db=$(mktemp -u).db
trap 'rm -f "$pred" "$db" "$db-wal" "$db-shm"' EXIT
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
# evidence of the events ingest stores
"$BIN" ingest --db "$db" --quiet "$pages" 2>/dev/null
"$BIN" events --db "$db" --format jsonl 2>/dev/null | python3 -c '
import json, re, sys
truth = json.load(open(sys.argv[1]))
W = re.compile(r"\w+")
n = inside = markup = 0
for line in sys.stdin:
    r = json.loads(line)
    key = r["doc"].replace(".html.gz", "")
    ev = r.get("evidence") or ""
    n += 1
    markup += bool(re.search(r"</?[a-zA-Z][a-zA-Z0-9]*[ >/]", ev))
    if key in truth and " ".join(W.findall(ev)) in " ".join(W.findall(truth[key]["articleBody"])):
        inside += 1
share = inside / n if n else 0
print("ingest: %d of %d evidence sentences lie in the marked article (%.1f%%), %d hold markup" % (inside, n, 100 * share, markup))
ok = n > 0 and share >= 0.90 and markup == 0
print("ingest: goal met" if ok else "ingest: below goal (>= 90%% in the article, no markup)")
sys.exit(0 if ok else 1)
' "$truth"
ingest_ok=$?
[ $f1_ok -eq 0 ] && [ $dates_ok -eq 0 ] && [ $ingest_ok -eq 0 ]
