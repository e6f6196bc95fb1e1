# events of the five seed reports: type, doer, place, other, date,
# modality, quantities and sources by id and name (no evidence or mention
# text: the reports are not ours)
"$BIN" extract "$SHARED"/seeds | python3 -c '
import json, sys
def ref(r):
    return (r.get("id") or "-") + "|" + (r.get("name") or "-") if r else "-"
for line in sys.stdin:
    e = json.loads(line)
    d = e.get("date") or {}
    q = ",".join("%g:%s" % (x["value"], x["unit"]) for x in e.get("quantities") or [])
    s = ",".join(x.get("name") or "-" for x in e.get("sources") or [])
    print("\t".join([e["id"], e["type"], ref(e.get("actor")), ref(e.get("place")), ref(e.get("other")),
                     (d.get("value") or "-") + ("~" if d.get("approx") else ""), e.get("modality") or "-",
                     q or "-", s or "-"]))
'
