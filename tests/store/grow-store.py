#!/usr/bin/env python3
"""grow-store.py SRC DST K -- a store K times the size of SRC, for
measuring queries at ten million events without ingesting 3.4 million
reports on a shared machine (bench/store-scale.sh, SCALE_10M=1).

DST is SRC copied, then K-1 more copies of SRC's reports, sentences,
events, quantities and attributions appended with new ids, each copy
moved SPAN days later than the previous one (SPAN: the days SRC's
publications cover), so that copy k is another stretch of history with
the density of SRC: document keys and names get "-ck", dates, date
windows and publications move by k * SPAN days, and the full-text
index's segments of SRC are copied with their sentence ids moved (schema
13: each posting list and length list names its first sentence by id,
the rest by differences; a row of fts_post is a block of terms, its
directory (each term with its last sentence's id and the length of its
postings) apart from their postings).  Entities and sources are
shared.  The incidents are left to `sitrep db fuse` (the store is marked
stale).  The file is written without a journal and the copied tables'
indexes are made once after the copies (an interrupted run leaves a
file to delete, not a store).  Prints what it did and how long each copy
took."""
import os, shutil, sqlite3, sys, time

src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
t0 = time.time()
for ext in ("", "-wal", "-shm"):
    if os.path.exists(dst + ext):
        os.remove(dst + ext)
shutil.copyfile(src, dst)
db = sqlite3.connect(dst, isolation_level=None)
# a scratch file made again whole if anything fails: no journal (each
# page written once, not to the WAL and again to the file), a cache of
# 1 GB, no foreign-key checks
db.execute("PRAGMA journal_mode = DELETE")
db.execute("PRAGMA journal_mode = OFF")
db.execute("PRAGMA synchronous = OFF")
db.execute("PRAGMA cache_size = -1048576")
db.execute("PRAGMA foreign_keys = OFF")


def cols(table):
    return [r[1] for r in db.execute("PRAGMA table_info(%s)" % table)]


def mx(table, col="id"):
    return db.execute("SELECT coalesce(max(%s), 0) FROM %s" % (col, table)).fetchone()[0]


def vint(b, i):
    v = shift = 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7F) << shift
        shift += 7
        if not c & 0x80:
            return v, i


def put_vint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7F) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def shift_first(data, by):
    # the first sentence id of a posting or length list moved by `by`
    v, i = vint(data, 0)
    return put_vint(v + by) + bytes(data[i:])


def shift_block(d, data, by):
    # a block of terms (fts.c's fts_post row): its directory d, per term
    # its length and bytes, its number of sentences, its last sentence
    # and the length of its postings; data, the terms' postings one after
    # the other, each list's first sentence id absolute; the last and the
    # first moved by `by`, the rest kept.  The new directory and postings.
    od, op = bytearray(), bytearray()
    i = at = 0
    while i < len(d):
        wn, j = vint(d, i)
        j += wn
        df, j = vint(d, j)
        od += d[i:j]
        last, j = vint(d, j)
        pn, j = vint(d, j)
        post = shift_first(data[at:at + pn], by) if pn else b""
        od += put_vint(last + by) + put_vint(len(post))
        op += post
        at += pn
        i = j
    return bytes(od), bytes(op)


def shift_dir(d, data, by):
    return shift_block(d, data, by)[0]


def shift_data(d, data, by):
    return shift_block(d, data, by)[1]


db.create_function("shift_first", 2, shift_first, deterministic=True)
db.create_function("shift_dir", 3, shift_dir, deterministic=True)
db.create_function("shift_data", 3, shift_data, deterministic=True)
if db.execute("PRAGMA user_version").fetchone()[0] < 13:
    sys.exit("grow-store.py: %s is older than schema 13; open it once with sitrep" % src)
MS = mx("fts_segs", "seg")
# schema 14: a report's sentences in one row of sent_rows (its first
# sentence's id, then the others' in order)
V14 = db.execute("PRAGMA user_version").fetchone()[0] >= 14
SENTS = "sent_rows" if V14 else "sentences"
D, E = mx("documents"), mx("events")
S = (db.execute("SELECT coalesce((SELECT first + json_array_length(sents) - 1 FROM sent_rows"
                " ORDER BY first DESC LIMIT 1), 0)").fetchone()[0] if V14 else mx("sentences"))
lo, hi = db.execute("SELECT min(published), max(published) FROM documents").fetchone()
span = db.execute("SELECT CAST(julianday(?) - julianday(?) AS INTEGER) + 1", (hi, lo)).fetchone()[0]
print("source: %d reports, %d sentences, %d events, published %s to %s (%d days)" % (D, S, E, lo, hi, span))


def day(col, shift):
    # a day moves by shift days; a month or a year stays (the synthetic
    # reports' events are dated to the day)
    return ("CASE WHEN length(%s) = 10 THEN date(%s, '+%d days') ELSE %s END"
            % (col, col, shift, col))


# the indexes of the copied tables (but their keys) are dropped and made
# again once after the copies: a copy inserting into nine indexes of the
# events at scattered places took 200-800 s; an index made by one sort
# of the finished table costs a fraction of that
copied = ("documents", SENTS, "events", "quantities", "event_sources")
indexes = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index'"
                     " AND sql IS NOT NULL AND tbl_name IN (%s)"
                     % ",".join("'%s'" % x for x in copied)).fetchall()
for name, _ in indexes:
    db.execute("DROP INDEX %s" % name)

for c in range(1, k):
    t = time.time()
    sh = c * span
    tag = "-c%d" % c
    expr = {
        "documents": {"id": "id + %d" % (c * D), "key": "key || '%s'" % tag,
                      "name": "name || '%s'" % tag, "published": day("published", sh)},
        SENTS: ({"first": "first + %d" % (c * S), "doc_id": "doc_id + %d" % (c * D)} if V14
                else {"id": "id + %d" % (c * S), "doc_id": "doc_id + %d" % (c * D)}),
        "events": {"id": "id + %d" % (c * E), "doc_id": "doc_id + %d" % (c * D),
                   "date": day("date", sh), "date_lo": day("date_lo", sh),
                   "date_hi": day("date_hi", sh), "doc_key": "doc_key || '%s'" % tag},
        "quantities": {"event_id": "event_id + %d" % (c * E)},
        "event_sources": {"event_id": "event_id + %d" % (c * E)},
    }
    db.execute("BEGIN")
    for table, ex in expr.items():
        cs = cols(table)
        limit = {"documents": "id <= %d" % D, SENTS: "%s <= %d" % ("first" if V14 else "id", S),
                 "events": "id <= %d" % E, "quantities": "event_id <= %d" % E,
                 "event_sources": "event_id <= %d" % E}[table]
        db.execute("INSERT INTO %s(%s) SELECT %s FROM %s WHERE %s ORDER BY rowid"
                   % (table, ",".join(cs), ",".join(ex.get(x, x) for x in cs), table, limit))
    db.execute("INSERT INTO fts_segs(seg, first, last, level) SELECT seg + %d, first + %d,"
               " last + %d, level FROM fts_segs WHERE seg <= %d" % (c * MS, c * S, c * S, MS))
    db.execute("INSERT INTO fts_post(seg, term, dir, data) SELECT seg + %d, term,"
               " shift_dir(dir, data, %d), shift_data(dir, data, %d) FROM fts_post"
               " WHERE seg <= %d ORDER BY seg, term" % (c * MS, c * S, c * S, MS))
    db.execute("INSERT INTO fts_lens(seg, data) SELECT seg + %d, shift_first(data, %d)"
               " FROM fts_lens WHERE seg <= %d" % (c * MS, c * S, MS))
    db.execute("COMMIT")
    print("copy %d: %.0f s" % (c, time.time() - t), flush=True)

t = time.time()
for _, sql in indexes:
    db.execute(sql)
print("indexes made again: %.0f s" % (time.time() - t), flush=True)
db.execute("INSERT OR REPLACE INTO meta VALUES('ndocuments', (SELECT count(*) FROM documents))")
db.execute("INSERT OR REPLACE INTO meta VALUES('nevents', (SELECT count(*) FROM events))")
db.execute("UPDATE meta SET value = CAST(value AS INTEGER) * %d WHERE key IN ('fts_rows',"
           " 'fts_tokens')" % k)
db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'events_gen'")
db.execute("DELETE FROM meta WHERE key IN ('fused_events', 'fused_copies')")
n = db.execute("SELECT count(*) FROM events").fetchone()[0]
db.execute("PRAGMA journal_mode = WAL")
db.close()
print("%s: %d events, %.1f GB, in %.0f s" % (dst, n, os.path.getsize(dst) / 2**30, time.time() - t0))
