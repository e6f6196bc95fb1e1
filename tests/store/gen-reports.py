#!/usr/bin/env python3
"""gen-reports.py N [SEED [START DAYS]] -- N synthetic reports as JSON Lines, for the
store's crash, resume and speed tests.  Sentences are built from templates
in our own words (no article text): forces withdraw from, take control of,
deploy to and attack places the lexicon knows, on dates spread over two
years, with counts and attributions.  Every report is distinct (a serial
number in its text), so each one is stored.  START (YYYY-MM-DD, default
2024-03-01) and DAYS (default 700) set the span of publication dates; with
them, ids carry the seed (syn-SEED-NNNNNN) so that reports made to be
added to a store do not share ids with those already in it."""
import json, random, sys, datetime

n = int(sys.argv[1])
rnd = random.Random(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
forces = ["US forces", "American troops", "Syrian army units", "the Syrian Democratic Forces",
          "Iraqi forces", "Turkish troops", "Russian forces", "the coalition"]
places = ["the Qasrak base", "the al-Tanf base", "the Shaddadi base", "Hasakah", "Deir ez-Zor",
          "Raqqa", "Kobani", "Manbij", "Mosul", "Erbil", "Kirkuk", "Tal Beydar base", "Palmyra",
          "Qamishli", "Al-Bukamal", "Tikrit", "Baghdad", "Aleppo", "Homs", "Idlib"]
sources = ["Reuters reported", "officials said", "the defence ministry said in a statement",
           "a local source told AFP", "state media reported", "witnesses said"]
weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
start = datetime.date(2024, 3, 1)
span = 700
prefix = "syn-"
if len(sys.argv) > 4:
    start = datetime.date.fromisoformat(sys.argv[3])
    span = int(sys.argv[4])
    prefix = "syn-%s-" % sys.argv[2]
for i in range(n):
    pub = start + datetime.timedelta(days=rnd.randrange(span))
    sents = []
    for k in range(rnd.randint(2, 4)):
        f, p, s = rnd.choice(forces), rnd.choice(places), rnd.choice(sources)
        day = weekdays[(pub - datetime.timedelta(days=rnd.randint(1, 6))).weekday()]
        kind = rnd.randrange(4)
        if kind == 0:
            sents.append("%s withdrew from %s on %s, %s." % (f, p, day, s))
        elif kind == 1:
            sents.append("%s took control of %s on %s, %s." % (f, p, day, s))
        elif kind == 2:
            sents.append("%s deployed %d soldiers to %s on %s, %s." % (f, rnd.randint(2, 900), p, day, s))
        else:
            sents.append("A drone attack targeted %s near %s on %s, %s." % (f, p, day, s))
    sents.append("Local residents counted %d vehicles on the road (report %d)." % (rnd.randint(3, 90), i))
    text = " ".join(s[0].upper() + s[1:] for s in sents)
    print(json.dumps({"id": prefix + "%06d" % i, "outlet": "Synthetic Wire", "published": pub.isoformat(),
                      "title": "Report %d" % i, "text": text}))
