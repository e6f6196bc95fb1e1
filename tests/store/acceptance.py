#!/usr/bin/env python3
"""acceptance.py PLACES.jsonl INCIDENTS.jsonl -- prints, point by point,
whether the seeds' store shows what issue 6's "Done when" asks.  It reads
the store's output only (no article text).  Informational: each point also
depends on what the event extractor finds."""
import json, sys

places = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
incs = [json.loads(l) for l in open(sys.argv[2], encoding="utf-8")]

def place(sub):
    for p in places:
        if sub in (p["place"]["id"] or "") or sub in (p["place"]["name"] or "").lower():
            return p
    return None

res = []
def point(name, ok, detail):
    res.append(ok)
    print("  %s %s%s" % ("ok  " if ok else "TODO", name, "" if ok else ": " + detail))

print("acceptance of issue 6 on ../shared/seeds (informational):")
p = place("tanf")
cur = [iv for iv in (p or {}).get("timeline", []) if iv["current"] and iv["role"] == "held"]
ok = bool(cur) and (cur[0]["actor_id"] or "").startswith("SY.") and (cur[0]["start"] or "").startswith("2026-02-1")
us_before = any((iv["actor_id"] or "").startswith("US") and not iv["current"] for iv in (p or {}).get("timeline", []))
srcs = " ".join(s for iv in cur for s in iv["sources"]).lower()
point("al-Tanf: US forces -> Syrian army on or about 2026-02-12", ok and us_before,
      json.dumps(p["timeline"] if p else None)[:300])
point("al-Tanf: sources include the defence ministry and AFP", "defence" in srcs and ("afp" in srcs or "france-presse" in srcs),
      srcs or "no sources")
p = place("qasrak")
w = [iv for iv in (p or {}).get("timeline", []) if iv["current"] and iv["role"] == "withdrawing"]
ok = bool(w) and (w[0]["start"] or "") in ("2026-02-22", "2026-02-23") and w[0]["end_expected"] \
     and "kurdistan" in (w[0]["note"] or "").lower()
point("Qasrak: US withdrawal under way since 2026-02-22/23 toward the Kurdistan Region, expected end",
      ok, json.dumps(p["timeline"] if p else None)[:300])
p = place("beydar")
ok = any(iv["current"] and iv["role"] == "expected_control" and iv["actor_id"] == "group:sdf"
         for iv in (p or {}).get("timeline", []))
point("Tal Beydar: expected to pass to the SDF", ok, json.dumps(p["timeline"] if p else None)[:300])
p = place("shaddadi")
ok = any(iv["current"] and iv["role"] == "held" and (iv["actor_id"] or "").startswith("SY.")
         for iv in (p or {}).get("timeline", []))
point("Shaddadi: passed to the Syrian government", ok, json.dumps(p["timeline"] if p else None)[:300])
ok = False
for i in incs:
    if i["type"] != "transfer_detainees":
        continue
    vals = {d["value"] for d in i["disagreements"] if d["field"] == "count:detainees"}
    docs = {tuple(d["docs"]) for d in i["disagreements"] if d["field"] == "count:detainees"}
    if "5,700" in vals and "about 7,000" in vals and len(docs) >= 2:
        ok = True
point("detainee transfers: one incident, 5,700 vs about 7,000", ok,
      json.dumps([(i["incident"], i["quantities"]) for i in incs if i["type"] == "transfer_detainees"]))
print("  %d of %d acceptance points shown" % (sum(res), len(res)))
sys.exit(0 if all(res) else 1)
