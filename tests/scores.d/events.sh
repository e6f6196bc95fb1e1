#!/usr/bin/env bash
# Event extraction against the gold of the dev corpus and the seeds (tuned
# on), of dev2 (never tuned on: the figure that tells whether the rules
# generalize), and the place status sitrep builds from dev2's reports
# (score-status: who holds each place).  Prints the figures next to the
# goals of issue 14 (dev+seeds F1 >= 0.80, precision >= 0.80, dates >=
# 0.85; dev2 F1 >= 0.70, precision >= 0.75, dates >= 0.80, no event on the
# hard negatives e41-e50; dev2 status >= 0.60) and fails when a figure
# falls below the floor the project has already reached (a regression), so
# that work toward the goals lands step by step.  Raise a floor when a
# change raises its figure.
set -u
BIN=$1; SHARED=$2
C=$SHARED/corpus
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$BIN" extract "$C"/dev/docs.jsonl "$SHARED"/seeds >"$tmp"/dev.jsonl 2>/dev/null
"$BIN" extract "$C"/dev2/docs.jsonl >"$tmp"/dev2.jsonl 2>/dev/null
echo "-- dev + seeds (tuned on)"
"$SHARED"/tools/score "$C"/dev/gold.jsonl "$C"/dev/gold_seeds.jsonl --pred "$tmp"/dev.jsonl
"$SHARED"/tools/score "$C"/dev/gold.jsonl "$C"/dev/gold_seeds.jsonl --pred "$tmp"/dev.jsonl --json >"$tmp"/dev.json
echo "-- dev2 (never tuned on)"
"$SHARED"/tools/score "$C"/dev2/gold.jsonl --pred "$tmp"/dev2.jsonl
"$SHARED"/tools/score "$C"/dev2/gold.jsonl --pred "$tmp"/dev2.jsonl --json >"$tmp"/dev2.json
echo "-- place status (score-status)"
"$SHARED"/tools/score-status "$BIN" "$C"/dev2/gold.jsonl "$C"/dev2/docs.jsonl --label dev2 2>/dev/null | tail -n 1 >"$tmp"/st2.json
"$SHARED"/tools/score-status "$BIN" "$C"/dev/gold.jsonl "$C"/dev/docs.jsonl --label dev 2>/dev/null | tail -n 1 >"$tmp"/st1.json
python3 - "$tmp" <<'PY'
import json, sys, os
d = sys.argv[1]
dev = json.load(open(os.path.join(d, "dev.json")))
dev2 = json.load(open(os.path.join(d, "dev2.json")))
def status(name):
    try:
        return json.loads(open(os.path.join(d, name)).read()).get("acc")
    except (ValueError, OSError):
        return None
st1, st2 = status("st1.json"), status("st2.json")
hard = sum(1 for l in open(os.path.join(d, "dev2.jsonl")) if l.strip()
           and json.loads(l).get("doc") in {f"e{i}" for i in range(41, 51)})
print(f"dev2 hard negatives (e41-e50): {hard} event(s)")
print(f"status accuracy: dev {st1}, dev2 {st2}")
# (name, value, goal, floor reached so far); for the hard negatives lower is better.
# status dev 0.87, not 0.90: with dates from the tree, Russia's withdrawal
# from Kherson in d17 (told in an after-clause whose only date is the month
# of the earlier capture, in a since-phrase) is no longer dated with that
# month, and the status of Kherson (gold: Russia holds it) turns to "left";
# the old answer was right only because both events fell on one month.
# Raised to 0.90 when forced departures and the headline merge took it to
# 0.909 (events branch, 2026-12-06); to 0.93 with the retrained syntax
# model (0.939, session 10).  dev2 dates 0.89 -> 0.88 and status dev2
# 0.84 -> 0.82 with that model (tools/train-syntax's bytes, which the
# model must be): 0.884 and 0.825, both from one event it now finds, e32's
# "After the armed rebel groups entered Aleppo city centre, ... handed
# over ... as of Saturday morning": a real take-over the old model missed,
# which the sentence dates only by its main clause (the gold: the day
# before, told two sentences later), so its date is wrong and Aleppo's
# holder turns to the rebels (the gold: vacated by the regime that day).
rows = [("dev f1", dev.get("f1"), 0.80, 0.81), ("dev precision", dev.get("precision"), 0.80, 0.87),
        ("dev date_accuracy", dev.get("date_accuracy"), 0.85, 0.88),
        ("dev modality_accuracy", dev.get("modality_accuracy"), 0.85, 0.93),
        ("dev quantity_recall", dev.get("quantity_recall"), 0.80, 0.92),
        ("dev2 f1", dev2.get("f1"), 0.70, 0.73), ("dev2 precision", dev2.get("precision"), 0.75, 0.83),
        ("dev2 date_accuracy", dev2.get("date_accuracy"), 0.80, 0.88),
        ("status dev2", st2, 0.60, 0.82), ("status dev", st1, 0.85, 0.93)]
short = [f"{k} {v} (goal {g})" for k, v, g, f in rows if (v or 0) < g]
regressed = [f"{k} {v} < floor {f}" for k, v, g, f in rows if (v or 0) < f]
if hard > 0:
    short.append(f"hard negatives {hard} (goal 0)")
if hard > 0:
    regressed.append(f"hard negatives {hard} > floor 0")
print("events: all goals met" if not short else "events: short of goal: " + "; ".join(short))
if regressed:
    print("events: REGRESSION: " + "; ".join(regressed))
sys.exit(1 if regressed else 0)
PY
