/*
 * store.c -- the SQLite store: opening, the schema and its forward
 * migrations, batches (one transaction per batch of documents), and the
 * small helpers the other store files share.
 *
 * The schema version lives in PRAGMA user_version.  Each migration takes
 * the file from version N-1 to N; those a file needs run in one
 * transaction, which also sets user_version, so an interrupted upgrade
 * leaves either the old or the new version, never a mixture.  A fresh
 * file gets what they all leave at once (schema_new).
 * Versions:
 *   1  documents, sentences, entities, sources, events, quantities
 *   2  event date ranges and approx flag, FTS5 over sentences, meta
 *   3  incidents, disagreements, place status, views actors and places
 *   4  what the queries print, precomputed: per event its document's key
 *      (the sort order), its quantities, sources and incident report as
 *      JSON, its outlet and source names for --source; per incident its documents, modalities, first publication
 *      and number of disagreements; an index that gives the events'
 *      order and one on the end of their date range (--since)
 *   5  copies of a report (the same text from another outlet or URL)
 *   6  an index on the documents' publication, the number of incidents
 *      with disagreements in meta (kept by fusion), the events of a
 *      place or a type in print order (events_place_order,
 *      events_type_order), and per incident a digest of what fusion
 *      wrote for it, so that fusion rewrites only the incidents that
 *      changed
 *   7  per event its source ids and quantities, and an index that holds
 *      what fusion reads of the events (replacing the one on the type), the incidents in the timeline's order,
 *      the places' current status; the numbers of reports and events
 *      in meta, kept by each batch
 *   8  per incident the other places of its events (the places status
 *      counts besides the incident's own), kept by fusion; an index
 *      that holds what fusion reads of the documents (replacing the one
 *      on the publication)
 *   9  for ingest's cost: the sentences without their index on
 *      (document, number), which nothing reads by and which was a third
 *      of what storing them cost; and the full-text index brought up to
 *      date by the first search after an ingest rather than by ingest
 *      (the rows are alike; a sitrep of version 8 would not know to add
 *      the sentences it lacks, hence the version)
 *  10  nothing here: PostgreSQL's full-text index made by the first
 *      search after an ingest, as SQLite's since 9 (pg.c)
 *  11  the full-text index our own (fts.c) in place of FTS5's, written
 *      by ingest in each batch's transaction, built from the stored
 *      sentences on the upgrade
 *  12  nothing here: PostgreSQL's table of events not fused yet (pg.c)
 *  13  the full-text index's blocks in a table with row ids, each
 *      block's directory of terms apart from its postings (fts.c): in
 *      the table without row ids of 11 every seek read whole blocks
 *      (their overflow pages too) to compare keys, and a term's counts
 *      could not be read without its postings
 *
 * Version 4 exists for speed: a query over 100,000 events must not run a
 * correlated subquery per candidate row (see query.c).  The derived event
 * columns are filled by ST_EV_DERIVE, once per batch at ingest and over
 * all rows when migrating, so both give the same text.
 */
#include "store_int.h"
#include "pg_int.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* The widest date window of an event, in days, in meta (window_days):
 * --since D reads the events whose window ends on D or later, and so
 * only those starting on D - window_days or later; kept by each batch
 * (the largest of it and the batch's), made here from the table. */
#define WINDOW_SQL \
	"INSERT OR REPLACE INTO meta VALUES('window_days', (SELECT" \
	" coalesce(max(CAST(julianday(date_hi) - julianday(date_lo) AS INTEGER)), 0)" \
	" FROM events));"

static const char schema_v1[] =
	"CREATE TABLE documents("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" name TEXT NOT NULL,"
	" url TEXT, outlet TEXT, title TEXT,"
	" published TEXT,"
	" origin TEXT, line INTEGER,"
	" text TEXT NOT NULL,"
	" nevents INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE sentences("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,"
	" UNIQUE(doc_id, n));"
	"CREATE TABLE entities("
	" id INTEGER PRIMARY KEY,"
	" key TEXT NOT NULL UNIQUE,"
	" is_place INTEGER NOT NULL,"
	" lexicon_id TEXT, name TEXT NOT NULL, kind TEXT, country TEXT,"
	" precision TEXT, lat REAL, lon REAL);"
	"CREATE TABLE sources("
	" id INTEGER PRIMARY KEY,"
	" name TEXT NOT NULL, kind TEXT NOT NULL DEFAULT '',"
	" UNIQUE(name, kind));"
	"CREATE TABLE events("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL,"
	" type TEXT NOT NULL,"
	" actor_id INTEGER REFERENCES entities(id), actor_text TEXT,"
	" place_id INTEGER REFERENCES entities(id), place_text TEXT,"
	" other_id INTEGER REFERENCES entities(id), other_text TEXT,"
	" date TEXT, date_precision TEXT, date_text TEXT,"
	" modality TEXT NOT NULL,"
	" cameo TEXT, plover TEXT, acled TEXT,"
	" sentence INTEGER, span_start INTEGER, span_end INTEGER, evidence TEXT,"
	" UNIQUE(doc_id, n));"
	"CREATE INDEX events_type ON events(type);"
	"CREATE INDEX events_place ON events(place_id);"
	"CREATE INDEX events_actor ON events(actor_id);"
	"CREATE TABLE quantities("
	" event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL,"
	" approx INTEGER NOT NULL DEFAULT 0, text TEXT,"
	" PRIMARY KEY(event_id, n));"
	"CREATE TABLE event_sources("
	" event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	" source_id INTEGER NOT NULL REFERENCES sources(id),"
	" text TEXT,"
	" PRIMARY KEY(event_id, source_id));"
	"CREATE INDEX event_sources_source ON event_sources(source_id);";

static const char schema_v2[] =
	"ALTER TABLE events ADD COLUMN date_approx INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE events ADD COLUMN date_lo TEXT;"
	"ALTER TABLE events ADD COLUMN date_hi TEXT;"
	"UPDATE events SET"
	" date_lo = CASE length(date) WHEN 10 THEN date WHEN 7 THEN date || '-01'"
	"  WHEN 4 THEN date || '-01-01' END,"
	" date_hi = CASE length(date) WHEN 10 THEN date"
	"  WHEN 7 THEN date(date || '-01', '+1 month', '-1 day')"
	"  WHEN 4 THEN date || '-12-31' END"
	" WHERE date IS NOT NULL;"
	"CREATE INDEX events_date ON events(date_lo);"
	"CREATE VIRTUAL TABLE sentence_fts USING fts5(text, content='',"
	" tokenize='unicode61 remove_diacritics 2');"
	"INSERT INTO sentence_fts(rowid, text)"
	" SELECT s.id, CAST(substr(CAST(d.text AS BLOB), s.span_start + 1,"
	"  s.span_end - s.span_start) AS TEXT)"
	" FROM sentences s JOIN documents d ON d.id = s.doc_id;"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"INSERT INTO meta VALUES('events_gen', '1');";

static const char schema_v3[] =
	"CREATE TABLE incidents("
	" id INTEGER PRIMARY KEY,"
	" type TEXT NOT NULL,"
	" place_id INTEGER REFERENCES entities(id),"
	" actor_id INTEGER REFERENCES entities(id),"
	" other_id INTEGER REFERENCES entities(id),"
	" date TEXT, date_precision TEXT, date_lo TEXT, date_hi TEXT,"
	" modality TEXT NOT NULL,"
	" nevents INTEGER NOT NULL, ndocs INTEGER NOT NULL, nsources INTEGER NOT NULL,"
	" sources TEXT NOT NULL, quantities TEXT NOT NULL);"
	"CREATE INDEX incidents_place ON incidents(place_id);"
	"CREATE INDEX incidents_date ON incidents(date_lo);"
	"CREATE TABLE incident_events("
	" incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	" event_id INTEGER NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,"
	" PRIMARY KEY(incident_id, event_id));"
	"CREATE TABLE disagreements("
	" id INTEGER PRIMARY KEY,"
	" incident_id INTEGER NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	" field TEXT NOT NULL, value TEXT NOT NULL,"
	" events TEXT NOT NULL, docs TEXT NOT NULL, sources TEXT NOT NULL);"
	"CREATE INDEX disagreements_incident ON disagreements(incident_id);"
	"CREATE TABLE place_status("
	" id INTEGER PRIMARY KEY,"
	" place_id INTEGER NOT NULL REFERENCES entities(id),"
	" actor_id INTEGER REFERENCES entities(id),"
	" role TEXT NOT NULL,"
	" start TEXT, start_precision TEXT,"
	" end_date TEXT, end_precision TEXT,"
	" end_expected INTEGER NOT NULL DEFAULT 0,"
	" current INTEGER NOT NULL,"
	" incidents TEXT NOT NULL,"
	" nsources INTEGER NOT NULL DEFAULT 0,"
	" sources TEXT NOT NULL DEFAULT '',"
	" note TEXT);"
	"CREATE INDEX place_status_place ON place_status(place_id);"
	"CREATE VIEW actors AS SELECT id, lexicon_id, name, kind, country"
	" FROM entities WHERE is_place = 0;"
	"CREATE VIEW places AS SELECT id, lexicon_id, name, kind, country,"
	" precision, lat, lon FROM entities WHERE is_place = 1;"
	"INSERT OR REPLACE INTO meta VALUES('fused_gen', '0');";

/* The derived columns of the events from id ?1 on (ST_EV_DERIVE); the
 * JSON ones (quantities, sources, report) are written by derive.c. */
#define EV_DERIVE_SQL \
	"UPDATE events SET" \
	" source_names = (SELECT group_concat(x.name, '; ') FROM (SELECT s.name" \
	"   FROM event_sources es JOIN sources s ON s.id = es.source_id" \
	"   WHERE es.event_id = events.id ORDER BY s.name, s.kind) x)," \
	" killed = (SELECT sum(q.value) FROM quantities q WHERE q.event_id = events.id" \
	"   AND q.unit = 'killed')," \
	" source_search = lower(coalesce((SELECT outlet FROM documents d" \
	"   WHERE d.id = events.doc_id), '') || char(31) || coalesce((SELECT" \
	"   group_concat(s.name, char(31)) FROM event_sources es JOIN sources s" \
	"   ON s.id = es.source_id WHERE es.event_id = events.id), ''))" \
	" WHERE id >= ?1"

static const char schema_v4[] =
	"ALTER TABLE events ADD COLUMN doc_key TEXT;"
	"ALTER TABLE events ADD COLUMN quantities TEXT;"
	"ALTER TABLE events ADD COLUMN sources TEXT;"
	"ALTER TABLE events ADD COLUMN source_names TEXT;"
	"ALTER TABLE events ADD COLUMN killed REAL;"
	"ALTER TABLE events ADD COLUMN report TEXT;"
	"ALTER TABLE events ADD COLUMN source_search TEXT;"
	"UPDATE events SET doc_key = (SELECT key FROM documents d WHERE d.id = events.doc_id);"
	"CREATE INDEX events_order ON events(date_lo IS NULL, date_lo, doc_key, n);"
	"CREATE INDEX events_date_hi ON events(date_hi);"
	"CREATE INDEX incidents_type ON incidents(type, date_lo);"
	"ALTER TABLE incidents ADD COLUMN docs TEXT;"
	"ALTER TABLE incidents ADD COLUMN modalities TEXT;"
	"ALTER TABLE incidents ADD COLUMN first_published TEXT;"
	"ALTER TABLE incidents ADD COLUMN ndisagreements INTEGER NOT NULL DEFAULT 0;"
	/* what fuse.c writes for each incident (write_incident) */
	"UPDATE incidents SET"
	" docs = (SELECT group_concat(DISTINCT d.name) FROM incident_events ie JOIN events e"
	"  ON e.id = ie.event_id JOIN documents d ON d.id = e.doc_id"
	"  WHERE ie.incident_id = incidents.id),"
	" modalities = (SELECT group_concat(DISTINCT e.modality) FROM incident_events ie"
	"  JOIN events e ON e.id = ie.event_id WHERE ie.incident_id = incidents.id),"
	" first_published = (SELECT min(d.published) FROM incident_events ie JOIN events e"
	"  ON e.id = ie.event_id JOIN documents d ON d.id = e.doc_id"
	"  WHERE ie.incident_id = incidents.id),"
	" ndisagreements = (SELECT count(*) FROM disagreements g"
	"  WHERE g.incident_id = incidents.id);";

/* Version 5: copies of a stored report published by another outlet or at
 * another URL (the same text): each is another source of its events. */
static const char schema_v5[] =
	"CREATE TABLE IF NOT EXISTS doc_copies("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" name TEXT NOT NULL, url TEXT, outlet TEXT, published TEXT,"
	" UNIQUE(doc_id, url, outlet));"
	"CREATE INDEX IF NOT EXISTS doc_copies_doc ON doc_copies(doc_id);";

/* Version 6 is for a store of a million events: the latest publication
 * (the report's "as of") by an index, not a scan of every document, and
 * the number of incidents with disagreements kept by fusion. */
static const char schema_v6[] =
	"CREATE INDEX documents_published ON documents(published);"
	/* the events of a place or a type in the order queries print them,
	 * with the columns other filters test: a query walks its filter's
	 * index in order and stops at the page's end, reading no event row
	 * it does not print */
	"CREATE INDEX events_place_order ON events(place_id, date_lo IS NULL, date_lo,"
	" doc_key, n, type, date_hi, modality);"
	"CREATE INDEX events_type_order ON events(type, date_lo IS NULL, date_lo, doc_key, n,"
	" date_hi, place_id, modality);"
	"ALTER TABLE incidents ADD COLUMN digest INTEGER;"
	"INSERT OR REPLACE INTO meta VALUES('disagreeing',"
	" (SELECT count(DISTINCT incident_id) FROM disagreements));";

/* Version 7 is for fusion and the report at a million events: what
 * fusion reads of an event, by type in id order, in one index it scans
 * without touching the rows (it replaces the index on the type alone,
 * its prefix); the timeline's order of incidents by an index; the
 * current intervals of the places' status by an index. */
/* What ingest keeps for fusion and the queries, made again from the
 * tables: an event's source ids and its quantities ("value unit
 * approx;..." in order, the value with 17 digits: it reads back exactly),
 * and the numbers of reports and events.  For the migration to 7 and for
 * a store whose rows were written otherwise (st_rederive). */
#define REDERIVE_SQL \
	"UPDATE events SET" \
	" fuse_src = (SELECT group_concat(source_id, ',') FROM event_sources" \
	"  WHERE event_id = events.id)," \
	" fuse_qty = (SELECT group_concat(printf('%!.17g', value) || ' ' || unit || ' ' ||" \
	"  approx, ';') FROM (SELECT value, unit, approx FROM quantities q" \
	"  WHERE q.event_id = events.id ORDER BY n));" \
	"INSERT OR REPLACE INTO meta VALUES('ndocuments', (SELECT count(*) FROM documents));" \
	"INSERT OR REPLACE INTO meta VALUES('nevents', (SELECT count(*) FROM events));" \
	WINDOW_SQL

static const char schema_v7[] =
	"ALTER TABLE events ADD COLUMN fuse_src TEXT;"
	"ALTER TABLE events ADD COLUMN fuse_qty TEXT;"
	REDERIVE_SQL
	"CREATE INDEX events_fuse ON events(type, id, doc_id, n, modality, date, date_precision,"
	" date_approx, actor_id, place_id, other_id, place_text, fuse_src, fuse_qty);"
	"DROP INDEX events_type;"
	"CREATE INDEX incidents_when ON incidents(coalesce(date_lo, first_published), id);"
	/* the timeline's count of incidents since a date */
	"CREATE INDEX incidents_until ON incidents(coalesce(date_hi, first_published));"
	"CREATE INDEX place_status_now ON place_status(place_id, current, id);";

/* Version 8 is for the status of a million events: the other places of
 * an incident's events (sf_incident_places: distinct, not the
 * incident's own, not countries, by event id, at most 8) in the
 * incident's row, "12,40", so that status reads the incidents alone and
 * not each one's events.  Fusion keeps it; here it is made from the
 * tables by the same rule. */
static const char schema_v8[] =
	"ALTER TABLE incidents ADD COLUMN places TEXT;"
	"UPDATE incidents SET places = (SELECT group_concat(x.place_id, ',') FROM"
	" (SELECT e.place_id, min(e.id) AS first FROM incident_events ie"
	"  JOIN events e ON e.id = ie.event_id JOIN entities p ON p.id = e.place_id"
	"  WHERE ie.incident_id = incidents.id AND e.place_id != incidents.place_id"
	"  AND (p.precision IS NULL OR p.precision != 'country')"
	"  GROUP BY e.place_id ORDER BY first LIMIT 8) x)"
	" WHERE place_id IS NOT NULL;"
	/* what fusion reads of every document, by an index that also
	 * serves the publication (it replaces the one on the publication
	 * alone, its prefix): the table's scan read every report's text,
	 * 142 MB of a million events' store, for 17 MB of these */
	"DROP INDEX IF EXISTS documents_published;"
	"CREATE INDEX IF NOT EXISTS documents_fuse ON documents(published, name, outlet);";

/* Version 9 is for ingest's cost (ingest.c, search.c): the sentences
 * made again without UNIQUE(doc_id, n) (SQLite drops such a constraint
 * only with its table).  Nothing looks a sentence up by its document and
 * number: search reads them by row id, and the rows are written once,
 * in one transaction with their document. */
static const char schema_v9[] =
	"CREATE TABLE sentences_v9("
	" id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL);"
	"INSERT INTO sentences_v9(id, doc_id, n, span_start, span_end)"
	" SELECT id, doc_id, n, span_start, span_end FROM sentences ORDER BY id;"
	"DROP TABLE sentences;"
	"ALTER TABLE sentences_v9 RENAME TO sentences;"
	WINDOW_SQL;

/* Version 10 is PostgreSQL's (pg.c): nothing changes here. */
static const char schema_v10[] = "";
/* Version 11: the full-text index our own (fts.c), written by ingest at
 * once, in place of FTS5's; built here from the stored sentences
 * (st_fts_build, run by migrate after this), whole: tables of the index
 * in a file marked older (by hand, or by a test) are made again. */
static const char schema_v11[] =
	"DROP TABLE IF EXISTS sentence_fts;"
	"DROP TABLE IF EXISTS fts_segs; DROP TABLE IF EXISTS fts_post;"
	"DROP TABLE IF EXISTS fts_lens;"
	"CREATE TABLE fts_segs(seg INTEGER PRIMARY KEY, first INTEGER NOT NULL,"
	" last INTEGER NOT NULL, level INTEGER NOT NULL);"
	"CREATE TABLE fts_post(seg INTEGER NOT NULL, term BLOB NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(seg, term)) WITHOUT ROWID;"
	"CREATE TABLE fts_lens(seg INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	"INSERT OR REPLACE INTO meta VALUES('fts_rows', '0'), ('fts_tokens', '0');";

/* Version 12 is PostgreSQL's (its table of events not fused yet, pg.c):
 * nothing changes here. */
static const char schema_v12[] = "";

/* Version 13: the index's blocks split in two, in a table with row ids
 * (st_fts_relayout, run by migrate after this, moves them from the old
 * table, fts_post_v12, and drops it). */
#define FTS_POST_V13 \
	"CREATE TABLE fts_post(id INTEGER PRIMARY KEY, seg INTEGER NOT NULL, term BLOB NOT" \
	" NULL, dir BLOB NOT NULL, data BLOB NOT NULL);" \
	"CREATE UNIQUE INDEX fts_post_term ON fts_post(seg, term);"
static const char schema_v13[] =
	"ALTER TABLE fts_post RENAME TO fts_post_v12;"
	"DROP INDEX IF EXISTS fts_post_term;"   /* (a file of 13 marked older) */
	FTS_POST_V13;

/* Version 14: a document's sentences in one row (SENT_ROWS_SQL,
 * store_int.h), moved by st_sent_relayout, run by migrate after this. */
static const char schema_v14[] = SENT_ROWS_SQL;

/* A file of 14 or later marked older (by hand, or by a test): its
 * sentences as a table again, for the steps from there on (9's makes the
 * table again, 14's moves its rows back). */
static const char sent_rows_back[] =
	"CREATE TABLE sentences_t(id INTEGER PRIMARY KEY,"
	" doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n INTEGER NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL);"
	"INSERT INTO sentences_t SELECT id, doc_id, n, span_start, span_end FROM sentences"
	" ORDER BY id;"
	"DROP VIEW sentences; DROP TABLE sent_rows;"
	"ALTER TABLE sentences_t RENAME TO sentences;";

/* A new store made at once: the schema every migration above leaves,
 * statement for statement (SQLite's own text of each, in the order they
 * were made), and the rows of meta they insert.  Running the migrations
 * one after the other on a new file cost about a twentieth of what an
 * ingest of a thousand reports spends (each ALTER and DROP makes SQLite
 * read its whole schema again); tests/store/run checks that the two
 * give the same schema and meta (SITREP_STORE_STEPWISE=1 makes a new
 * store by the migrations). */
static const char *const schema_new[] = {
	"CREATE TABLE documents( id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, name"
	" TEXT NOT NULL, url TEXT, outlet TEXT, title TEXT, published TEXT, origin "
	"TEXT, line INTEGER, text TEXT NOT NULL, nevents INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE entities( id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE, "
	"is_place INTEGER NOT NULL, lexicon_id TEXT, name TEXT NOT NULL, kind TEXT, "
	"country TEXT, precision TEXT, lat REAL, lon REAL);"
	"CREATE TABLE sources( id INTEGER PRIMARY KEY, name TEXT NOT NULL, kind TEXT "
	"NOT NULL DEFAULT '', UNIQUE(name, kind));"
	"CREATE TABLE events( id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL "
	"REFERENCES documents(id) ON DELETE CASCADE, n INTEGER NOT NULL, type TEXT NOT "
	"NULL, actor_id INTEGER REFERENCES entities(id), actor_text TEXT, place_id "
	"INTEGER REFERENCES entities(id), place_text TEXT, other_id INTEGER REFERENCES "
	"entities(id), other_text TEXT, date TEXT, date_precision TEXT, date_text TEXT,"
	" modality TEXT NOT NULL, cameo TEXT, plover TEXT, acled TEXT, sentence "
	"INTEGER, span_start INTEGER, span_end INTEGER, evidence TEXT, date_approx "
	"INTEGER NOT NULL DEFAULT 0, date_lo TEXT, date_hi TEXT, doc_key TEXT, "
	"quantities TEXT, sources TEXT, source_names TEXT, killed REAL, report TEXT, "
	"source_search TEXT, fuse_src TEXT, fuse_qty TEXT, UNIQUE(doc_id, n));"
	"CREATE INDEX events_place ON events(place_id);"
	"CREATE INDEX events_actor ON events(actor_id);"
	"CREATE TABLE quantities( event_id INTEGER NOT NULL REFERENCES events(id) ON "
	"DELETE CASCADE, n INTEGER NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, "
	"approx INTEGER NOT NULL DEFAULT 0, text TEXT, PRIMARY KEY(event_id, n));"
	"CREATE TABLE event_sources( event_id INTEGER NOT NULL REFERENCES events(id) ON"
	" DELETE CASCADE, source_id INTEGER NOT NULL REFERENCES sources(id), text TEXT,"
	" PRIMARY KEY(event_id, source_id));"
	"CREATE INDEX event_sources_source ON event_sources(source_id);"
	"CREATE INDEX events_date ON events(date_lo);"
	"CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);"
	"CREATE TABLE incidents( id INTEGER PRIMARY KEY, type TEXT NOT NULL, place_id "
	"INTEGER REFERENCES entities(id), actor_id INTEGER REFERENCES entities(id), "
	"other_id INTEGER REFERENCES entities(id), date TEXT, date_precision TEXT, "
	"date_lo TEXT, date_hi TEXT, modality TEXT NOT NULL, nevents INTEGER NOT NULL, "
	"ndocs INTEGER NOT NULL, nsources INTEGER NOT NULL, sources TEXT NOT NULL, "
	"quantities TEXT NOT NULL, docs TEXT, modalities TEXT, first_published TEXT, "
	"ndisagreements INTEGER NOT NULL DEFAULT 0, digest INTEGER, places TEXT);"
	"CREATE INDEX incidents_place ON incidents(place_id);"
	"CREATE INDEX incidents_date ON incidents(date_lo);"
	"CREATE TABLE incident_events( incident_id INTEGER NOT NULL REFERENCES "
	"incidents(id) ON DELETE CASCADE, event_id INTEGER NOT NULL UNIQUE REFERENCES "
	"events(id) ON DELETE CASCADE, PRIMARY KEY(incident_id, event_id));"
	"CREATE TABLE disagreements( id INTEGER PRIMARY KEY, incident_id INTEGER NOT "
	"NULL REFERENCES incidents(id) ON DELETE CASCADE, field TEXT NOT NULL, value "
	"TEXT NOT NULL, events TEXT NOT NULL, docs TEXT NOT NULL, sources TEXT NOT "
	"NULL);",
	"CREATE INDEX disagreements_incident ON disagreements(incident_id);"
	"CREATE TABLE place_status( id INTEGER PRIMARY KEY, place_id INTEGER NOT NULL "
	"REFERENCES entities(id), actor_id INTEGER REFERENCES entities(id), role TEXT "
	"NOT NULL, start TEXT, start_precision TEXT, end_date TEXT, end_precision TEXT,"
	" end_expected INTEGER NOT NULL DEFAULT 0, current INTEGER NOT NULL, incidents "
	"TEXT NOT NULL, nsources INTEGER NOT NULL DEFAULT 0, sources TEXT NOT NULL "
	"DEFAULT '', note TEXT);"
	"CREATE INDEX place_status_place ON place_status(place_id);"
	"CREATE VIEW actors AS SELECT id, lexicon_id, name, kind, country FROM entities"
	" WHERE is_place = 0;"
	"CREATE VIEW places AS SELECT id, lexicon_id, name, kind, country, precision, "
	"lat, lon FROM entities WHERE is_place = 1;"
	"CREATE INDEX events_order ON events(date_lo IS NULL, date_lo, doc_key, n);"
	"CREATE INDEX events_date_hi ON events(date_hi);"
	"CREATE INDEX incidents_type ON incidents(type, date_lo);"
	"CREATE TABLE doc_copies( id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL "
	"REFERENCES documents(id) ON DELETE CASCADE, name TEXT NOT NULL, url TEXT, "
	"outlet TEXT, published TEXT, UNIQUE(doc_id, url, outlet));"
	"CREATE INDEX doc_copies_doc ON doc_copies(doc_id);"
	"CREATE INDEX events_place_order ON events(place_id, date_lo IS NULL, date_lo, "
	"doc_key, n, type, date_hi, modality);"
	"CREATE INDEX events_type_order ON events(type, date_lo IS NULL, date_lo, "
	"doc_key, n, date_hi, place_id, modality);"
	"CREATE INDEX events_fuse ON events(type, id, doc_id, n, modality, date, "
	"date_precision, date_approx, actor_id, place_id, other_id, place_text, "
	"fuse_src, fuse_qty);"
	"CREATE INDEX incidents_when ON incidents(coalesce(date_lo, first_published), "
	"id);"
	"CREATE INDEX incidents_until ON incidents(coalesce(date_hi, first_published));"
	"CREATE INDEX place_status_now ON place_status(place_id, current, id);"
	"CREATE INDEX documents_fuse ON documents(published, name, outlet);"
	"CREATE TABLE fts_segs(seg INTEGER PRIMARY KEY, first INTEGER NOT NULL, last "
	"INTEGER NOT NULL, level INTEGER NOT NULL);"
	"CREATE TABLE fts_lens(seg INTEGER PRIMARY KEY, data BLOB NOT NULL);"
	FTS_POST_V13
	SENT_ROWS_SQL
	SENT_VIEW_SQL
	"INSERT INTO meta VALUES('events_gen', '1'), ('fused_gen', '0'),"
	" ('disagreeing', '0'), ('ndocuments', '0'), ('nevents', '0'),"
	" ('window_days', '0'), ('fts_rows', '0'), ('fts_tokens', '0');",
};

/* Version 15 changes PostgreSQL's schema alone (pg.c): here it only
 * moves the version. */
static const char schema_pg_only[] = "";

static const char *const migrations[SR_STORE_SCHEMA] = {schema_v1, schema_v2, schema_v3,
	schema_v4, schema_v5, schema_v6, schema_v7, schema_v8, schema_v9, schema_v10, schema_v11,
	schema_v12, schema_v13, schema_v14, schema_pg_only};

static const char *const stmt_sql[ST_NSTMT] = {
	[ST_DOC_HAS] = "SELECT id FROM documents WHERE key = ?1",
	[ST_DOC_INS] = "INSERT INTO documents(key, name, url, outlet, title, published,"
		       " origin, line, text, nevents) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
	[ST_FTS_SEG] = "INSERT INTO fts_segs(first, last, level) VALUES(?1, ?2, ?3)",
	[ST_FTS_POST] = "INSERT INTO fts_post(seg, term, dir, data) VALUES(?1, ?2, ?3, ?4)",
	[ST_FTS_LENS] = "INSERT INTO fts_lens(seg, data) VALUES(?1, ?2)",
	[ST_ENT_GET] = "SELECT id, name FROM entities WHERE key = ?1",
	[ST_ENT_INS] = "INSERT INTO entities(key, is_place, lexicon_id, name, kind, country,"
		       " precision, lat, lon) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)",
	[ST_SRC_GET] = "SELECT id FROM sources WHERE name = ?1 AND kind = ?2",
	[ST_SRC_INS] = "INSERT INTO sources(name, kind) VALUES(?1, ?2)",
	/* with its derived columns (st_derive_event) and its row id, which
	 * its report's JSON names */
	[ST_EV_INS] = "INSERT INTO events(doc_id, n, type, actor_id, actor_text, place_id,"
		      " place_text, other_id, other_text, date, date_precision, date_text,"
		      " modality, cameo, plover, acled, sentence, span_start, span_end,"
		      " evidence, date_approx, date_lo, date_hi, doc_key, fuse_src, fuse_qty,"
		      " id, quantities, sources, source_names, killed, report, source_search)"
		      " VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,"
		      "?20,?21,?22,?23,?24,?25,?26,?27,?28,?29,?30,?31,?32,?33)",
	[ST_EV_LAST] = "SELECT coalesce(max(id), 0) FROM events",
	[ST_QTY_INS] = "INSERT INTO quantities(event_id, n, value, unit, approx, text)"
		       " VALUES(?1,?2,?3,?4,?5,?6)",
	[ST_EVSRC_INS] = "INSERT OR IGNORE INTO event_sources(event_id, source_id, text)"
			 " VALUES(?1,?2,?3)",
	[ST_EV_DERIVE] = EV_DERIVE_SQL,
	[ST_SENT_INS] = "INSERT INTO sent_rows(first, doc_id, sents) VALUES(?1, ?2, ?3)",
	[ST_SENT_NEXT] = "SELECT coalesce((SELECT first + json_array_length(sents) FROM sent_rows"
			 " ORDER BY first DESC LIMIT 1), 1)",
};

/* ---------------------------------------------------------------- helpers */

double
st_thread_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
st_fail(sr_store *st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(st->err, sizeof st->err, fmt, ap);
	va_end(ap);
	return SR_ERR_DB;
}

int
st_dberr(sr_store *st, const char *what)
{
	if (st->pg)     /* the message was set where it failed (pg.c) */
		return st->err[0] ? SR_ERR_DB : st_fail(st, "%s: %s failed", st->path, what);
	return st_fail(st, "%s: %s: %s", st->path, what, sqlite3_errmsg(st->db));
}

int
st_exec(sr_store *st, const char *sql)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		st_fail(st, "%s: %s", st->path, msg ? msg : sqlite3_errmsg(st->db));
		sqlite3_free(msg);
		return SR_ERR_DB;
	}
	return SR_OK;
}

sqlite3_stmt *
st_prepare(sr_store *st, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) != SQLITE_OK) {
		st_dberr(st, "prepare");
		sqlite3_finalize(s);
		return NULL;
	}
	return s;
}

sqlite3_stmt *
st_stmt(sr_store *st, enum st_stmt which)
{
	sqlite3_stmt *s = st->stmt[which];
	if (!s) {
		s = st_prepare(st, stmt_sql[which]);
		st->stmt[which] = s;
		return s;
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

void
st_bind_str(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

long
st_scalar(sr_store *st, const char *sql)
{
	if (st->pg) {
		st_q *q = st_q_prep(st, sql);
		long v = q && st_q_step(q) == ST_ROW && !st_q_null(q, 0) ? (long)st_q_int(q, 0) : -1;
		st_q_free(q);
		return v;
	}
	sqlite3_stmt *s = st_prepare(st, sql);
	if (!s)
		return -1;
	long v = -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

void
st_meta_get(sr_store *st, const char *key, char *out, size_t n)
{
	if (st->pg) {
		pg_meta_get(st, key, out, n);
		return;
	}
	out[0] = 0;
	sqlite3_stmt *s = st_prepare(st, "SELECT value FROM meta WHERE key = ?1");
	if (!s)
		return;
	st_bind_str(s, 1, key);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(s, 0);
		snprintf(out, n, "%s", v ? v : "");
	}
	sqlite3_finalize(s);
}

int
st_meta_set(sr_store *st, const char *key, const char *val)
{
	if (st->pg) {
		const char *p[2] = {key, val};
		PGresult *r = pg_exec(st, "INSERT INTO meta(key, value) VALUES($1, $2)"
				      " ON CONFLICT (key) DO UPDATE SET value = excluded.value", 2, p);
		PQclear(r);
		return r ? SR_OK : SR_ERR_DB;
	}
	sqlite3_stmt *s = st_prepare(st, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)");
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, key);
	st_bind_str(s, 2, val);
	int rc = sqlite3_step(s);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SR_OK : st_dberr(st, "meta");
}

int
st_derive_events(sr_store *st, sqlite3_int64 first)
{
	sqlite3_stmt *s = st_stmt(st, ST_EV_DERIVE);
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, first);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "deriving event columns");
	return st_derive_json(st, first);
}

int
st_rederive(sr_store *st)
{
	return st_exec(st, REDERIVE_SQL);
}

int
st_touch_events(sr_store *st)
{
	return st_exec(st, "UPDATE meta SET value = CAST(value AS INTEGER) + 1"
			   " WHERE key = 'events_gen'");
}

int
st_fused(sr_store *st)
{
	if (st->pg)
		return pg_fused(st);
	char a[32], b[32];
	st_meta_get(st, "events_gen", a, sizeof a);
	st_meta_get(st, "fused_gen", b, sizeof b);
	return strcmp(a, b) == 0;
}

int
st_ensure_fused(sr_store *st)
{
	if (st_fused(st) || (st->flags & (SR_STORE_READONLY | SR_STORE_QUERY)))
		return SR_OK;
	return st_fuse_if_stale(st);
}

/* ------------------------------------------------------------------ dates */

int32_t
st_days(int y, int m, int d)
{
	/* Howard Hinnant's days_from_civil */
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
st_civil(int32_t z, int *y, int *m, int *d)
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp + (mp < 10 ? 3 : -9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int
month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

static int
digits(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int
st_date_range(const char *s, int32_t *lo, int32_t *hi)
{
	if (!s)
		return 0;
	size_t n = strlen(s);
	int y = n >= 4 ? digits(s, 4) : -1;
	if (y < 1000 || y > 2999)
		return 0;
	if (n == 4) {
		*lo = st_days(y, 1, 1);
		*hi = st_days(y, 12, 31);
		return 1;
	}
	if ((n != 7 && n != 10) || s[4] != '-')
		return 0;
	int m = digits(s + 5, 2);
	if (m < 1 || m > 12)
		return 0;
	if (n == 7) {
		*lo = st_days(y, m, 1);
		*hi = st_days(y, m, month_days(y, m));
		return 1;
	}
	if (s[7] != '-')
		return 0;
	int d = digits(s + 8, 2);
	if (d < 1 || d > month_days(y, m))
		return 0;
	*lo = *hi = st_days(y, m, d);
	return 1;
}

void
st_date_str(int32_t days, char out[11])
{
	int y, m, d;
	st_civil(days, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 0;
}

/* The version of the file, -1 on error.  "SQLite file, not a store" and
 * "newer than this sitrep" are errors with a message. */
static long
file_version(sr_store *st)
{
	/* both in one statement, one read of the file: read apart, another
	 * process creating the store could commit its first tables between
	 * them (1 try in 20 of "two ingests on a new store" at load 11) */
	sqlite3_stmt *s = st_prepare(st, "SELECT (SELECT user_version FROM pragma_user_version),"
				     " (SELECT count(*) FROM sqlite_schema)");
	long v = -1, tables = 0;
	if (s && sqlite3_step(s) == SQLITE_ROW) {
		v = (long)sqlite3_column_int64(s, 0);
		tables = (long)sqlite3_column_int64(s, 1);
	} else if (s) {
		st_dberr(st, "reading the schema version");
	}
	sqlite3_finalize(s);
	if (v < 0)
		return -1;
	if (v > SR_STORE_SCHEMA) {
		st_fail(st, "%s: schema version %ld is newer than this sitrep's (%d);"
			" use a newer sitrep", st->path, v, SR_STORE_SCHEMA);
		return -1;
	}
	if (v == 0 && tables > 0) {
		st_fail(st, "%s: an SQLite file, but not a sitrep store"
			" (user_version 0 and tables present)", st->path);
		return -1;
	}
	return v;
}

/* Brings the file to SR_STORE_SCHEMA.  The version is read again inside
 * each migration's write transaction: two processes opening a new store
 * at once both see version 0 before either holds the lock, and the second
 * must find the first one's tables made, not make them again. */
static int
migrate(sr_store *st)
{
	long v = file_version(st);
	if (v < 0)
		return SR_ERR_DB;
	/* (the index of 11 built after all steps, in 13's tables) */
	int build = v < 11;
	while (v < SR_STORE_SCHEMA) {
		if (st->flags & SR_STORE_READONLY)
			return st_fail(st, "%s: schema version %ld needs an upgrade to %d;"
				       " open it writable once", st->path, v, SR_STORE_SCHEMA);
		if (st_begin(st) != SR_OK)
			return SR_ERR_DB;
		v = file_version(st);
		if (v < 0) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return SR_ERR_DB;
		}
		if (v == SR_STORE_SCHEMA) {     /* another process did it meanwhile */
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			break;
		}
		/* a new store at once; else every step up to this sitrep's
		 * version in the one transaction (a new store's nine steps,
		 * each committed, were a tenth of what ingest of a thousand
		 * reports spent in SQLite) */
		if (v == 0 && !getenv("SITREP_STORE_STEPWISE")) {
			int made = SR_OK;
			for (size_t i = 0; made == SR_OK && i < SR_ARRAY_LEN(schema_new); i++)
				made = st_exec(st, schema_new[i]);
			if (made != SR_OK) {
				char keep[sizeof st->err];
				memcpy(keep, st->err, sizeof keep);
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
				snprintf(st->err, sizeof st->err, "making a new store: %s", keep);
				return SR_ERR_DB;
			}
			v = SR_STORE_SCHEMA;
		}
		int back = v > 0 && v < 14 && st_scalar(st, "SELECT count(*) FROM sqlite_schema"
							    " WHERE name = 'sent_rows'") > 0;
		if (back && st_exec(st, sent_rows_back) != SR_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return SR_ERR_DB;
		}
		for (long next = v + 1; next <= SR_STORE_SCHEMA; next++) {
			int rebuilt = 0;
			int failed = st_exec(st, migrations[next - 1]) != SR_OK ||
				     (next == 4 && st_derive_events(st, 0) != SR_OK) ||
				     (next == 13 && st_fts_relayout(st) != SR_OK) ||
				     (next == 14 && st_sent_relayout(st, &rebuilt) != SR_OK);
			/* (14's sentences numbered again: their index made again) */
			build |= rebuilt;
			if (!failed && next == SR_STORE_SCHEMA && build)
				failed = st_fts_build(st) != SR_OK;
			if (failed) {
				char keep[sizeof st->err];
				memcpy(keep, st->err, sizeof keep);
				sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
				snprintf(st->err, sizeof st->err, "migration to schema %ld failed: %s",
					 next, keep);
				return SR_ERR_DB;
			}
		}
		char bump[64];
		snprintf(bump, sizeof bump, "PRAGMA user_version = %d", SR_STORE_SCHEMA);
		if (st_exec(st, bump) != SR_OK || st_exec(st, "COMMIT") != SR_OK) {
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			return SR_ERR_DB;
		}
		v = SR_STORE_SCHEMA;
	}
	st->version = SR_STORE_SCHEMA;
	return SR_OK;
}

/* ------------------------------------------------------------- open/close */

static double
mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* SQLite's busy handler: another connection holds the write lock (or
 * recovers the WAL).  Waits in short sleeps, telling the caller's wait
 * callback every SR_STORE_WAIT_NOTE seconds, for as long as the wait limit
 * allows (0: for ever).  A writer that gave up after a fixed timeout lost
 * the document it was adding ("database is locked"). */
static int
busy_wait(void *arg, int count)
{
	sr_store *st = arg;
	double now = mono_now();
	if (count == 0) {
		st->wait_t0 = now;
		st->wait_noted = 0;
	}
	double waited = now - st->wait_t0;
	if (st->wait_limit > 0 && waited >= st->wait_limit)
		return 0;
	if (st->wait_fn && waited - st->wait_noted >= SR_STORE_WAIT_NOTE) {
		st->wait_noted = waited;
		st->wait_fn(st->wait_ctx, st->path, waited);
	}
	sqlite3_sleep(count < 20 ? 1 + count / 2 : 10);
	return 1;
}

int
st_begin(sr_store *st)
{
	return st_exec(st, "BEGIN IMMEDIATE");
}

/* The page cache, in proportion to the address space the process may
 * use (ulimit -v): an eighth of it, at most 64 MB.  No memory map: with
 * one, a query's resident memory grew with the store (460 MB for a page
 * of incidents over a million events), so SQLite reads through its own
 * bounded cache. */
void
st_size_cache(sr_store *st)
{
	long long cache_kb = 65536, mmap_b = 0;
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		long long kb = (long long)(rl.rlim_cur / 1024 / 8);
		if (kb < cache_kb)
			cache_kb = kb < 1024 ? 1024 : kb;
		mmap_b = 0;
	}
	char sql[160];
	snprintf(sql, sizeof sql, "PRAGMA cache_size = -%lld; PRAGMA mmap_size = %lld;"
		 " PRAGMA cache_spill = 1", cache_kb, mmap_b);
	sqlite3_exec(st->db, sql, NULL, NULL, NULL);
}

/* "file:PATH?immutable=1", PATH percent-encoded where a URI needs it. */
static void
immutable_uri(const char *path, char *out, size_t n)
{
	size_t o = (size_t)snprintf(out, n, "file:");
	for (const char *p = path; *p && o + 4 < n; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '%' || c == '?' || c == '#' || c < 0x21)
			o += (size_t)snprintf(out + o, n - o, "%%%02X", c);
		else
			out[o++] = (char)c;
	}
	snprintf(out + o, n - o, "?immutable=1");
}

/* Is there a non-empty write-ahead log beside path? */
static int
has_wal(const char *path)
{
	char wal[4200];
	struct stat sb;
	snprintf(wal, sizeof wal, "%s-wal", path);
	return stat(wal, &sb) == 0 && sb.st_size > 0;
}

/* SITREP_SQL_PROFILE=1: each statement's text and run time on stderr
 * when it ends (what `perf` cannot tell apart inside SQLite). */
static int
profile_sql(unsigned type, void *ctx, void *p, void *x)
{
	(void)ctx;
	if (type == SQLITE_TRACE_PROFILE) {
		char *sql = sqlite3_expanded_sql(p);
		fprintf(stderr, "sql %8.2f ms  %.6000s\n", (double)*(sqlite3_int64 *)x / 1e6,
			sql ? sql : sqlite3_sql(p));
		sqlite3_free(sql);
	}
	return 0;
}

/* Bytes of SQLite's page cache in one region of huge pages (st_pagecache) */
#define ST_PAGECACHE_BYTES (8u << 20)
#define ST_HUGE (2u << 20)

static void
pagecache_setup(void)
{
	int hdr = 0;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK || hdr <= 0)
		return;
	size_t sz = ((size_t)4096 + (size_t)hdr + 7) & ~(size_t)7;
	char *p = mmap(NULL, ST_PAGECACHE_BYTES + ST_HUGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return;
	char *a = (char *)(((uintptr_t)p + ST_HUGE - 1) & ~(uintptr_t)(ST_HUGE - 1));
#ifdef MADV_HUGEPAGE
	madvise(a, ST_PAGECACHE_BYTES, MADV_HUGEPAGE);
#endif
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, a, (int)sz,
			   (int)(ST_PAGECACHE_BYTES / sz)) != SQLITE_OK)
		munmap(p, ST_PAGECACHE_BYTES + ST_HUGE);
}

/* A writer's pages (a store of 4 KB pages) come from one region of huge
 * pages, set up once per process before SQLite starts (a process whose
 * first store is opened for queries, or that started SQLite before,
 * keeps SQLite's own allocation): each page allocated by malloc was a
 * page fault of its own, and a fault costs about 15 us on this
 * project's virtual machine (ingest of the bench's 1,157 reports: 1,500
 * faults of the page cache, a tenth of the store's CPU).  What does
 * not fit comes from malloc, as before.  SITREP_NO_PAGECACHE=1 leaves
 * it to malloc (to measure the difference). */
static void
st_pagecache(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, pagecache_setup);
}

/* Opens the SQLite connection for st.  Read-only: a WAL file needs its
 * -shm index, which a reader creates; in a folder it may not write (or on
 * a full disk) that fails, and when no log is pending the file is opened
 * as immutable instead -- nobody can be writing it then, since a writer
 * would need the same folder. */
static int
open_conn(sr_store *st, char *err, size_t errlen)
{
	unsigned flags = st->flags;
	int ro = (flags & (SR_STORE_READONLY | SR_STORE_QUERY)) != 0;
	/* no mutex per call: a handle is used by one thread at a time
	 * (sitrep.h), and SQLite's serialized mode locked and unlocked one
	 * for every step and column read (3% of a fusion of a million
	 * events) */
	int oflags = (ro ? SQLITE_OPEN_READONLY
		: SQLITE_OPEN_READWRITE | ((flags & SR_STORE_CREATE) ? SQLITE_OPEN_CREATE : 0)) |
		SQLITE_OPEN_NOMUTEX;
	if (!ro && !getenv("SITREP_NO_PAGECACHE"))
		st_pagecache();
	if (sqlite3_open_v2(st->path, &st->db, oflags, ro ? NULL : st_vfs()) != SQLITE_OK) {
		snprintf(err, errlen, "%s: cannot open: %s", st->path,
			 st->db ? sqlite3_errmsg(st->db) : "out of memory");
		return SR_ERR_DB;
	}
	if (ro) {
		int rc = sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
		int prim = rc & 0xff;
		if ((prim == SQLITE_CANTOPEN || prim == SQLITE_READONLY || prim == SQLITE_IOERR ||
		     prim == SQLITE_FULL) && !has_wal(st->path)) {
			sqlite3_close(st->db);
			st->db = NULL;
			char uri[8600];
			immutable_uri(st->path, uri, sizeof uri);
			if (sqlite3_open_v2(uri, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
					    SQLITE_OPEN_NOMUTEX,
					    NULL) != SQLITE_OK) {
				snprintf(err, errlen, "%s: cannot open: %s", st->path,
					 st->db ? sqlite3_errmsg(st->db) : "out of memory");
				return SR_ERR_DB;
			}
		}
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_handler(st->db, busy_wait, st);
	if (getenv("SITREP_SQL_PROFILE"))
		sqlite3_trace_v2(st->db, SQLITE_TRACE_PROFILE, profile_sql, NULL);
	if (!ro && sqlite3_db_readonly(st->db, "main") == 1) {
		/* SQLite falls back to reading a file it may not write */
		snprintf(err, errlen, "%s: the store cannot be written (a read-only file or"
			 " folder? queries still read it)", st->path);
		return SR_ERR_DB;
	}
	if (!ro) {
		/* a new file's switch to WAL takes the lock without the busy
		 * handler when another process switches it at the same time */
		int rc = SR_OK;
		for (int i = 0; i < 200; i++) {
			rc = sqlite3_exec(st->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
			if ((rc & 0xff) != SQLITE_BUSY && (rc & 0xff) != SQLITE_LOCKED)
				break;
			sqlite3_sleep(10);
		}
		if (rc != SQLITE_OK) {
			int prim = rc & 0xff;
			int access_err = prim == SQLITE_READONLY || prim == SQLITE_CANTOPEN ||
					 prim == SQLITE_FULL || prim == SQLITE_IOERR;
			snprintf(err, errlen, "%s: %s%s", st->path, sqlite3_errmsg(st->db),
				 access_err ? " (the store cannot be written: a read-only file"
				 " or folder, or a full disk? queries still read it)" : "");
			return SR_ERR_DB;
		}
	}
	if (st_exec(st, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;"
		    " PRAGMA temp_store = MEMORY") != SR_OK) {
		snprintf(err, errlen, "%s", st->err);
		return SR_ERR_DB;
	}
	st_size_cache(st);
	return SR_OK;
}

/* One connection with st's flags; *stale (may be NULL) is set when the
 * file needs an upgrade or a fusion that a read-only handle cannot do. */
static sr_store *
open_one(const char *path, unsigned flags, int *stale, char *err, size_t errlen)
{
	int timing = getenv("SITREP_STORE_TIMING") != NULL;
	double t0 = timing ? st_thread_cpu() : 0.0;
	sr_store *st = sr_calloc(1, sizeof *st);
	st->timing = timing;
	st->path = sr_strdup(path);
	st->flags = flags;
	st->batch = 256;
	int rc = open_conn(st, err, errlen);
	if (rc == SR_OK && (flags & SR_STORE_QUERY)) {
		long v = file_version(st);
		if (v < 0) {
			snprintf(err, errlen, "%s", st->err);
			rc = SR_ERR_DB;
		} else if (v < SR_STORE_SCHEMA) {
			if (stale)
				*stale = 1;
			snprintf(err, errlen, "%s: schema version %ld needs an upgrade to %d;"
				 " open it writable once (sitrep ingest --db %s)", path, v,
				 SR_STORE_SCHEMA, path);
			rc = SR_ERR_DB;
		} else {
			st->version = SR_STORE_SCHEMA;
			if (stale)
				*stale = !st_fused(st);
		}
	} else if (rc == SR_OK && (rc = migrate(st)) != SR_OK) {
		snprintf(err, errlen, "%s", st->err);
	}
	if (rc != SR_OK) {
		sr_store_close(st);
		return NULL;
	}
	st->cpu_open = st_clock(st) - t0;
	return st;
}

sr_store *
sr_store_open(const char *path, unsigned flags, char *err, size_t errlen)
{
	if (!path || !*path) {
		snprintf(err, errlen, "no store path given");
		return NULL;
	}
	if (pg_is_conninfo(path))
		return pg_store_open(path, flags, err, errlen);
	struct stat sb;
	if (stat(path, &sb) != 0 && !(flags & SR_STORE_CREATE)) {
		snprintf(err, errlen, "%s: no such store (run 'sitrep ingest' first)", path);
		return NULL;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		snprintf(err, errlen, "%s: a folder, not a store file (--db names the file,"
			 " e.g. %s/sitrep.db)", path, path);
		return NULL;
	}
	const char *slash = strrchr(path, '/');
	if (slash && slash > path) {
		char dir[4096];
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
		if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			snprintf(err, errlen, "%s: no folder %s to hold the store", path, dir);
			return NULL;
		}
	}
	if (!(flags & SR_STORE_QUERY))
		return open_one(path, flags, NULL, err, errlen);
	/* a query: read-only, after bringing the file up to date through a
	 * writable connection when it needs it and may be written */
	flags &= ~(SR_STORE_CREATE | SR_STORE_READONLY);
	int stale = 0;
	sr_store *st = open_one(path, flags, &stale, err, errlen);
	if (!stale)
		return st;
	char werr[1024] = "";
	if (access(path, W_OK) == 0) {
		/* a writer under way (an ingest) fuses when it ends: wait for
		   it only briefly and show what is committed */
		sr_store *w = open_one(path, 0, NULL, werr, sizeof werr);
		if (w) {
			sr_store_set_wait(w, SR_STORE_QUERY_WAIT, NULL, NULL);
			werr[0] = 0;
			if (sr_store_refresh(w) != SR_OK)
				snprintf(werr, sizeof werr, "%s", w->err);
		}
		sr_store_close(w);
		if (!st && werr[0]) {
			snprintf(err, errlen, "%s", werr);
			return NULL;
		}
		sr_store_close(st);
		st = open_one(path, flags, &stale, err, errlen);
	} else {
		snprintf(werr, sizeof werr, "%s: the file cannot be written", path);
	}
	if (st && stale)
		snprintf(st->err, sizeof st->err, "%s", werr);
	return st;
}

void
sr_store_close(sr_store *st)
{
	if (!st)
		return;
	if (st->pg) {
		pg_flush(st);
		pg_close(st);
		free(st->path);
		free(st);
		return;
	}
	if (st->in_tx && st->db)
		sr_store_flush(st);
	double t0 = st_thread_cpu();
	int timing = getenv("SITREP_STORE_TIMING") &&
		     (st->cpu_add > 0 || st->cpu_flush > 0 || st->cpu_index > 0);
	for (int i = 0; i < ST_NSTMT; i++)
		sqlite3_finalize(st->stmt[i]);
	if (st->db)
		sqlite3_close(st->db);
	st_fts_free(st);
	if (timing)
		fprintf(stderr, "store CPU s: open %.3f, documents %.3f, batch commits %.3f,"
			" close %.3f, full-text index %.3f\n", st->cpu_open, st->cpu_add,
			st->cpu_flush, st_thread_cpu() - t0, st->cpu_index);
	free(st->path);
	free(st);
}

const char *
sr_store_errmsg(const sr_store *st)
{
	return st ? st->err : "";
}

int
sr_store_schema_version(const sr_store *st)
{
	return st->version;
}

void
sr_store_set_batch(sr_store *st, size_t docs)
{
	st->batch = docs ? docs : 1;
}

void
sr_store_set_wait(sr_store *st, double limit_s, sr_store_wait_fn fn, void *ctx)
{
	st->wait_limit = limit_s > 0 ? limit_s : 0;
	st->wait_fn = fn;
	st->wait_ctx = ctx;
}

void
sr_store_set_lexicon(sr_store *st, const sr_lexicon *lx)
{
	st->lx = lx;
}

void
sr_store_set_lexicon_loader(sr_store *st, sr_store_lexicon_fn fn, void *ctx)
{
	st->lx_load = fn;
	st->lx_ctx = ctx;
}

int
sr_store_refresh(sr_store *st)
{
	return st_ensure_fused(st);
}

static int flush_batch(sr_store *st);

int
st_flush(sr_store *st)
{
	if (!st->in_tx)
		return SR_OK;
	double t0 = st_clock(st);
	int rc = flush_batch(st);
	st->cpu_flush += st_clock(st) - t0;
	return rc;
}

int
sr_store_flush(sr_store *st)
{
	if (st->pg)
		return pg_flush(st);
	int rc = st_flush(st);
	/* foreign keys on again after ingest's batches (ingest.c); (the
	 * message of a failed flush stays: sqlite3_exec without a message
	 * pointer leaves st->err alone) */
	if (st->fk_off) {
		if (sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL) != SQLITE_OK) {
			if (rc == SR_OK)
				rc = st_dberr(st, "foreign keys back on");
		} else {
			st->fk_off = 0;
		}
	}
	return rc;
}

static int
flush_batch(sr_store *st)
{
	st->in_tx = 0;
	st->pending = 0;
	st->last_event = 0;     /* another writer may add events between batches */
	st->next_sent = 0;      /* or sentences */
	char counts[160];
	snprintf(counts, sizeof counts, "UPDATE meta SET value = CAST(value AS INTEGER) + CASE key"
		 " WHEN 'ndocuments' THEN %ld ELSE %ld END WHERE key IN ('ndocuments', 'nevents')",
		 st->batch_docs, st->batch_events);
	int counted = !st->batch_docs && !st->batch_events;
	st->batch_docs = st->batch_events = 0;
	char window[160];
	snprintf(window, sizeof window, "UPDATE meta SET value = max(CAST(value AS INTEGER), %d)"
		 " WHERE key = 'window_days'", st->batch_window);
	int widened = st->batch_window > 0;
	st->batch_window = 0;
	/* (the events' derived columns were written with their rows) */
	double t0 = st_clock(st);
	int indexed = st_fts_flush(st);
	st->cpu_index += st_clock(st) - t0;
	if (indexed != SR_OK || st_touch_events(st) != SR_OK ||
	    (!counted && st_exec(st, counts) != SR_OK) ||
	    (widened && st_exec(st, window) != SR_OK) || st_exec(st, "COMMIT") != SR_OK) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st_fts_drop(st);
		return SR_ERR_DB;
	}
	return SR_OK;
}

int
sr_store_stats_get(sr_store *st, sr_store_stats *out)
{
	if (st->pg)
		return pg_stats(st, out);
	memset(out, 0, sizeof *out);
	char num[32];
	st_meta_get(st, "ndocuments", num, sizeof num);
	out->documents = num[0] ? atol(num) : st_scalar(st, "SELECT count(*) FROM documents");
	out->sentences = st_scalar(st, "SELECT first + json_array_length(sents) - 1 FROM sent_rows"
				   " ORDER BY first DESC LIMIT 1");
	if (out->sentences < 0)
		out->sentences = 0;
	st_meta_get(st, "nevents", num, sizeof num);
	out->events = num[0] ? atol(num) : st_scalar(st, "SELECT count(*) FROM events");
	/* (the number of incidents as the last fusion wrote it, else
	 * counted; the places with a status: each entity probed in the index
	 * of place_status, not its every row read, 330,584 of them at ten
	 * million events) */
	st_meta_get(st, "nincidents", num, sizeof num);
	out->incidents = num[0] ? atol(num) : st_scalar(st, "SELECT count(*) FROM incidents");
	out->places = st_scalar(st, "SELECT count(*) FROM entities e WHERE EXISTS"
				" (SELECT 1 FROM place_status s WHERE s.place_id = e.id)");
	char dis[32];
	st_meta_get(st, "disagreeing", dis, sizeof dis);
	out->disagreements = dis[0] ? atol(dis)
		: st_scalar(st, "SELECT count(DISTINCT incident_id) FROM disagreements");
	out->fused = st_fused(st);
	sqlite3_stmt *s = st_prepare(st, "SELECT max(published) FROM documents");
	if (!s)
		return SR_ERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out->as_of, sizeof out->as_of, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return out->documents < 0 || out->events < 0 ? SR_ERR_DB : SR_OK;
}

