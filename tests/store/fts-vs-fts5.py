#!/usr/bin/env python3
"""fts-vs-fts5.py BIN DB -- sitrep's own full-text index (schema 11,
src/store/fts.c) against SQLite's FTS5, which it replaced: the sentences
of the SQLite store DB go into an FTS5 table in memory (the tokenizer
search used, unicode61 remove_diacritics 2), and for each query below
`sitrep search --limit 0` (every match) and `--limit 5` must print the
sentences FTS5 finds, in FTS5's order: bm25 rank, then the report's key,
then the sentence's number (with a limit, among the newest
ST_SEARCH_RANKED matches, which search ranks: a store with more matches
checks the window and the counts read past it).  The queries are written so that search's
rewrite passes them to the index as they are (quoted phrases, prefixes,
AND, OR, NOT, parentheses, NEAR): what is compared is the index, its
query language and its ranking.  Prints one line per query that differs;
exits 1 if any does."""
import json
import os
import re
import sqlite3
import subprocess
import sys

BIN, DB = sys.argv[1], sys.argv[2]
# the number of newest matches a search with a limit ranks
# (ST_SEARCH_RANKED in src/store/store_int.h)
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "src", "store",
                       "store_int.h"), encoding="utf-8") as h:
    WINDOW = int(re.search(r"#define ST_SEARCH_RANKED (\d+)", h.read()).group(1))
# (SITREP_SEARCH_WINDOW makes it smaller, so that a small store's search
# counts the matches of segments past it: fts_query.c's seg_counts)
if int(os.environ.get("SITREP_SEARCH_WINDOW", "0")) > 0:
    WINDOW = int(os.environ["SITREP_SEARCH_WINDOW"])
QUERIES = [
    '"forces"', '"base"*', '"al tanf"', '"air base"', '"withdr"*', '"the" AND "base"',
    '"troops" OR "forces"', '"troops" OR "forces" AND "base"', '"base" NOT "air"',
    '"base" NOT "air" OR "drone"', '("troops" OR "forces") AND ("base" OR "camp")',
    '"attack"* OR "strike"* OR "rocket"*', 'NEAR("troops" "base")',
    'NEAR("troops" "base", 2)', 'NEAR("us" "troops" "syria", 6)', '"the base" NOT "the"',
    '"a"*', '"2"*', '"syria s"', '"no such word here"', '"syria" AND NOT_A_WORD_xq',
    '"the" OR "syria s"', '"us troops" OR "base"', '"withdr"* OR "the"', '"a"* OR "troops"',
    '"us forces"* OR "base"', 'NEAR("troops" "base") OR "forces"',
]

store = sqlite3.connect(DB)
rows = store.execute(
    "SELECT s.id, d.key, d.name, s.n, CAST(substr(CAST(d.text AS BLOB), s.span_start + 1,"
    " s.span_end - s.span_start) AS TEXT) FROM sentences s JOIN documents d"
    " ON d.id = s.doc_id").fetchall()
store.close()
mem = sqlite3.connect(":memory:")
mem.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='unicode61 remove_diacritics 2')")
mem.executemany("INSERT INTO t(rowid, x) VALUES(?, ?)", [(r[0], r[4]) for r in rows])
info = {r[0]: r for r in rows}

bad = 0
for q in QUERIES:
    # search writes an AND between operands side by side
    fq = q.replace(" AND NOT_A_WORD_xq", ' AND "not a word xq"')
    try:
        hits = mem.execute("SELECT rowid, rank FROM t WHERE t MATCH ?", (fq,)).fetchall()
    except sqlite3.OperationalError as e:
        print("fts5 cannot read %r: %s" % (fq, e))
        bad += 1
        continue
    want = [(info[i][2], info[i][3]) for i, r in
            sorted(hits, key=lambda h: (h[1], info[h[0]][1], info[h[0]][3]))]
    for limit in (0, 5):
        out = subprocess.run([BIN, "search", "--db", DB, "--format", "jsonl", "--limit",
                              str(limit), "--", q.replace("NOT_A_WORD_xq", '"not a word xq"')],
                             capture_output=True, text=True)
        # (lines cut at "\n" only: splitlines would cut a sentence's
        # U+2028 or U+0085, which JSON leaves as they are)
        got = [(j["doc"], j["sentence"]) for j in
               map(json.loads, filter(None, out.stdout.split("\n")))]
        # with a limit, search ranks the WINDOW newest matches (the
        # highest sentence ids), each by its bm25 over the whole index
        if limit == 0:
            w = want
        else:
            newest = sorted(hits, key=lambda h: h[0])[-WINDOW:]
            w = [(info[i][2], info[i][3]) for i, r in
                 sorted(newest, key=lambda h: (h[1], info[h[0]][1], info[h[0]][3]))][:limit]
        if out.returncode != 0 or got != w:
            bad += 1
            print("differs: %r --limit %d: exit %d, %d sentences, FTS5 %d; first %s, FTS5 %s"
                  % (q, limit, out.returncode, len(got), len(w), got[:3], w[:3]))
print("fts-vs-fts5: %d queries, %d differ" % (len(QUERIES), bad))
sys.exit(1 if bad else 0)
