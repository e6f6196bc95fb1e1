#!/usr/bin/env python3
"""parse-back.py WHAT PREFIX -- reads PREFIX.jsonl, .csv, .geojson and .txt
written by `sitrep WHAT --format ...` back with real parsers (json, csv) and
checks them: the same rows in every format, ACLED's column names in CSV,
GeoJSON by the rules of RFC 7946."""
import csv, json, sys

what, prefix = sys.argv[1], sys.argv[2]

def strict_pairs(pairs):
    """I-JSON (RFC 7493, which RFC 7946 builds on): no duplicate member names."""
    keys = [k for k, _ in pairs]
    assert len(keys) == len(set(keys)), "duplicate member in %r" % keys
    return dict(pairs)

def no_constant(name):
    raise AssertionError("%s is not JSON" % name)

def loads(text):
    return json.loads(text, object_pairs_hook=strict_pairs, parse_constant=no_constant)

rows = [loads(l) for l in open(prefix + ".jsonl", encoding="utf-8")]
for r in rows:
    assert isinstance(r, dict)

with open(prefix + ".csv", newline="", encoding="utf-8") as f:
    data = f.read()
assert data == "" or data.endswith("\r\n"), "CSV records end with CRLF (RFC 4180)"
reader = csv.DictReader(data.splitlines(keepends=True), strict=True)
recs = list(reader)
head = reader.fieldnames or []
acled = {"events": ["event_id_cnty", "event_date", "year", "time_precision", "disorder_type",
                    "event_type", "sub_event_type", "actor1", "inter1", "actor2", "inter2",
                    "interaction", "iso", "country", "admin1", "location", "latitude",
                    "longitude", "geo_precision", "source", "notes", "fatalities", "timestamp"],
         "incidents": ["event_id_cnty", "event_date", "year", "time_precision", "event_type",
                       "sub_event_type", "actor1", "inter1", "actor2", "inter2", "interaction",
                       "iso", "country", "admin1", "location", "latitude", "longitude",
                       "geo_precision", "source", "notes", "fatalities", "timestamp"],
         "places": ["location", "country", "latitude", "longitude", "geo_precision", "actor1"]}[what]
for c in acled:
    assert c in head, "CSV lacks column %s" % c
assert len(set(head)) == len(head), "duplicate CSV columns"
for r in recs:
    assert None not in r and all(v is not None for v in r.values()), "ragged CSV row"
if what == "places":
    assert len(recs) == sum(len(p["timeline"]) for p in rows), (len(recs), len(rows))
else:
    assert len(recs) == len(rows), "CSV has %d rows, JSONL %d" % (len(recs), len(rows))
for r in recs:
    if r["latitude"]:
        assert -90 <= float(r["latitude"]) <= 90 and -180 <= float(r["longitude"]) <= 180
    if what in ("events", "incidents") and r["event_date"]:
        assert r["time_precision"] in ("1", "2", "3") and r["year"] == r["event_date"][:4]
    if what in ("events", "incidents"):
        # ACLED's shapes: event_id_cnty letters then digits, iso numeric,
        # the event type one of ACLED's six (not split at its own "/")
        import re
        assert re.fullmatch(r"[A-Z]{3}I?[0-9]+", r["event_id_cnty"]), r["event_id_cnty"]
        assert r["iso"] == "" or r["iso"].isdigit(), r["iso"]
        assert r["event_type"] in ("", "Battles", "Explosions/Remote violence",
                                   "Violence against civilians", "Protests", "Riots",
                                   "Strategic developments"), r["event_type"]
        assert r["interaction"].isdigit() and r["inter1"].isdigit()

# GeoJSON, RFC 7946
g = loads(open(prefix + ".geojson", encoding="utf-8").read())
assert g["type"] == "FeatureCollection" and isinstance(g["features"], list)
assert "crs" not in g, "RFC 7946 removed crs"
def check_pos(p):
    assert isinstance(p, list) and len(p) in (2, 3) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in p)
    assert -180 <= p[0] <= 180 and -90 <= p[1] <= 90, p
located = 0
for ft in g["features"]:
    assert ft["type"] == "Feature" and "geometry" in ft and "properties" in ft
    # members RFC 7946 gives a meaning to may not be used otherwise
    assert set(ft) <= {"type", "geometry", "properties", "id", "bbox"}, sorted(ft)
    assert "id" not in ft or isinstance(ft["id"], (str, int, float))
    assert ft["properties"] is None or isinstance(ft["properties"], dict)
    geom = ft["geometry"]
    assert geom["type"] == "Point", geom
    check_pos(geom["coordinates"])
    located += 1
if what == "events":
    want = sum(1 for r in rows if r["place"] and r["place"]["lat"] is not None)
elif what == "incidents":
    want = sum(1 for r in rows if r["place"] and r["place"]["lat"] is not None)
else:
    want = sum(1 for r in rows if r["place"]["lat"] is not None)
assert located == want, "GeoJSON has %d features, %d located rows" % (located, want)
# lon/lat order: the point equals the row's coordinates
# properties are flat (GIS programs such as QGIS read no nested objects)
for ft in g["features"][:50]:
    p = ft["properties"]
    assert all(not isinstance(v, (dict, list)) for v in p.values()), p
    assert abs(ft["geometry"]["coordinates"][0] - p["longitude"]) < 1e-5
    assert abs(ft["geometry"]["coordinates"][1] - p["latitude"]) < 1e-5

# table: aligned, within the width asked for
for line in open(prefix + ".txt", encoding="utf-8"):
    assert len(line.rstrip("\n")) <= 100, "table line wider than 100: %r" % line
print("%s: %d rows, %d csv, %d features" % (what, len(rows), len(recs), located))
