/*
 * pg.c -- the PostgreSQL engine: connection, schema with versions and
 * forward migrations, COPY in and out, meta, stats and generation.
 *
 * The schema holds the model of SQLite's schema version 6 (the same
 * tables, columns and ids; see store.c), in PostgreSQL's own terms:
 * bigint ids from sequences, text compared byte by byte (COLLATE "C", as
 * SQLite does, so that every ORDER BY gives SQLite's order), the
 * sentences' full-text index a tsvector column under a GIN index, and
 * coordinates in plain double precision columns (no PostGIS needed; when
 * the server has it, entities also get a geometry made from them, see
 * pg_schema_v7).
 * The version lives in sitrep_schema; migrations[v] takes a store from
 * v-1 to v.  All the steps from the stored version to this sitrep's run
 * inside one transaction that holds an advisory lock and reads the
 * version again, so that two processes opening a new database at once
 * make the tables once and a reader never sees a version between.  A database first seen at version 0 gets
 * the whole model of version 6 in one step; later versions will add one
 * migration each for both engines.
 */
#include "pg_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <utf8proc.h>

#define T " text COLLATE \"C\""

/* The model of schema 6 in one step (see store.c for what each version
 * brought). */
static const char *const pg_schema_v6[] = {
	"CREATE TABLE documents("
	" id bigserial PRIMARY KEY, key" T " NOT NULL UNIQUE, name" T " NOT NULL,"
	" url" T ", outlet" T ", title" T ", published" T ", origin" T ", line bigint,"
	" text" T " NOT NULL, nevents integer NOT NULL DEFAULT 0);"
	"CREATE INDEX documents_published ON documents(published);"
	/* the reports with a URL (the exports' url columns start from them) */
	"CREATE INDEX documents_url ON documents(id) WHERE url IS NOT NULL;"
	"CREATE TABLE sentences("
	" id bigserial PRIMARY KEY,"
	" doc_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n integer NOT NULL, span_start integer NOT NULL, span_end integer NOT NULL,"
	" tsv tsvector, UNIQUE(doc_id, n));"
	"CREATE INDEX sentences_tsv ON sentences USING gin(tsv);"
	"CREATE TABLE entities("
	" id bigserial PRIMARY KEY, key" T " NOT NULL UNIQUE, is_place integer NOT NULL,"
	" lexicon_id" T ", name" T " NOT NULL, kind" T ", country" T ", precision" T ","
	" lat double precision, lon double precision);"
	"CREATE TABLE sources("
	" id bigserial PRIMARY KEY, name" T " NOT NULL, kind" T " NOT NULL DEFAULT '',"
	" UNIQUE(name, kind));"
	"CREATE TABLE events("
	" id bigserial PRIMARY KEY,"
	" doc_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" n integer NOT NULL, type" T " NOT NULL,"
	" actor_id bigint REFERENCES entities(id), actor_text" T ","
	" place_id bigint REFERENCES entities(id), place_text" T ","
	" other_id bigint REFERENCES entities(id), other_text" T ","
	" date" T ", date_precision" T ", date_text" T ", modality" T " NOT NULL,"
	" cameo" T ", plover" T ", acled" T ", sentence integer, span_start bigint,"
	" span_end bigint, evidence" T ", date_approx integer NOT NULL DEFAULT 0,"
	" date_lo" T ", date_hi" T ", doc_key" T ", quantities" T ", sources" T ","
	" source_names" T ", killed double precision, report" T ", source_search" T ","
	" UNIQUE(doc_id, n));"
	,
	"CREATE INDEX events_type ON events(type);"
	"CREATE INDEX events_place ON events(place_id);"
	"CREATE INDEX events_actor ON events(actor_id);"
	"CREATE INDEX events_date ON events(date_lo NULLS FIRST);"
	"CREATE INDEX events_date_hi ON events(date_hi);"
	/* the queries' order, NULLs first as SQLite sorts them (q.c), with
	 * the columns other filters test: a limited query walks the index
	 * alone (an index-only scan) until its page is full */
	"CREATE INDEX events_order ON events((date_lo IS NULL) NULLS FIRST, date_lo NULLS FIRST,"
	" doc_key NULLS FIRST, n) INCLUDE (id, type, place_id, date_hi, modality);"
	"CREATE INDEX events_place_order ON events(place_id, (date_lo IS NULL) NULLS FIRST,"
	" date_lo NULLS FIRST, doc_key NULLS FIRST, n) INCLUDE (id, type, date_hi, modality);"
	"CREATE INDEX events_type_order ON events(type, (date_lo IS NULL) NULLS FIRST,"
	" date_lo NULLS FIRST, doc_key NULLS FIRST, n) INCLUDE (id, place_id, date_hi, modality);"
	"CREATE TABLE quantities("
	" event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	" n integer NOT NULL, value double precision NOT NULL, unit" T " NOT NULL,"
	" approx integer NOT NULL DEFAULT 0, text" T ", PRIMARY KEY(event_id, n));"
	"CREATE TABLE event_sources("
	" event_id bigint NOT NULL REFERENCES events(id) ON DELETE CASCADE,"
	" source_id bigint NOT NULL REFERENCES sources(id), text" T ","
	" PRIMARY KEY(event_id, source_id));"
	"CREATE INDEX event_sources_source ON event_sources(source_id);"
	"CREATE TABLE doc_copies("
	" id bigserial PRIMARY KEY,"
	" doc_id bigint NOT NULL REFERENCES documents(id) ON DELETE CASCADE,"
	" name" T " NOT NULL, url" T ", outlet" T ", published" T ","
	" UNIQUE NULLS NOT DISTINCT (doc_id, url, outlet));"
	,
	"CREATE TABLE incidents("
	" id bigint PRIMARY KEY, type" T " NOT NULL,"
	" place_id bigint REFERENCES entities(id), actor_id bigint REFERENCES entities(id),"
	" other_id bigint REFERENCES entities(id),"
	" date" T ", date_precision" T ", date_lo" T ", date_hi" T ", modality" T " NOT NULL,"
	" nevents integer NOT NULL, ndocs integer NOT NULL, nsources integer NOT NULL,"
	" sources" T " NOT NULL, quantities" T " NOT NULL, docs" T ", modalities" T ","
	" first_published" T ", ndisagreements integer NOT NULL DEFAULT 0, digest bigint);"
	"CREATE INDEX incidents_place ON incidents(place_id);"
	"CREATE INDEX incidents_date ON incidents(date_lo NULLS FIRST);"
	"CREATE INDEX incidents_type ON incidents(type, date_lo NULLS FIRST);"
	"CREATE TABLE incident_events("
	" incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	" event_id bigint NOT NULL UNIQUE REFERENCES events(id) ON DELETE CASCADE,"
	" PRIMARY KEY(incident_id, event_id));"
	"CREATE TABLE disagreements("
	" id bigserial PRIMARY KEY,"
	" incident_id bigint NOT NULL REFERENCES incidents(id) ON DELETE CASCADE,"
	" field" T " NOT NULL, value" T " NOT NULL, events" T " NOT NULL, docs" T " NOT NULL,"
	" sources" T " NOT NULL);"
	"CREATE INDEX disagreements_incident ON disagreements(incident_id);"
	"CREATE TABLE place_status("
	" id bigserial PRIMARY KEY, place_id bigint NOT NULL REFERENCES entities(id),"
	" actor_id bigint REFERENCES entities(id), role" T " NOT NULL,"
	" start" T ", start_precision" T ", end_date" T ", end_precision" T ","
	" end_expected integer NOT NULL DEFAULT 0, current integer NOT NULL,"
	" incidents" T " NOT NULL, nsources integer NOT NULL DEFAULT 0,"
	" sources" T " NOT NULL DEFAULT '', note" T ");"
	"CREATE INDEX place_status_place ON place_status(place_id);"
	"CREATE VIEW actors AS SELECT id, lexicon_id, name, kind, country"
	" FROM entities WHERE is_place = 0;"
	"CREATE VIEW places AS SELECT id, lexicon_id, name, kind, country,"
	" precision, lat, lon FROM entities WHERE is_place = 1;"
	,
	"CREATE TABLE meta(key" T " PRIMARY KEY, value" T " NOT NULL);"
	/* what SQLite has and the queries use (see q.c) */
	"CREATE FUNCTION sitrep_gc(acc text, v text, sep text) RETURNS text LANGUAGE sql"
	" IMMUTABLE AS $$ SELECT CASE WHEN v IS NULL THEN acc WHEN acc IS NULL THEN v"
	" ELSE acc || sep || v END $$;"
	"CREATE FUNCTION sitrep_gc(acc text, v text) RETURNS text LANGUAGE sql"
	" IMMUTABLE AS $$ SELECT sitrep_gc(acc, v, ',') $$;"
	"CREATE AGGREGATE group_concat(text, text) (SFUNC = sitrep_gc, STYPE = text);"
	"CREATE AGGREGATE group_concat(text) (SFUNC = sitrep_gc, STYPE = text);"
	"CREATE FUNCTION instr(text, text) RETURNS integer LANGUAGE sql IMMUTABLE"
	" AS $$ SELECT strpos($1, $2) $$;"
	"CREATE FUNCTION ascii_lower(text) RETURNS text LANGUAGE sql IMMUTABLE"
	" AS $$ SELECT translate($1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') $$;"
	"INSERT INTO meta VALUES('events_gen', '1'), ('fused_gen', '0'), ('disagreeing', '0'),"
	/* counts kept by ingest: count(*) reads a whole table here */
	" ('ndocuments', '0'), ('nevents', '0');",
	NULL};

/* Version 7: the indexes SQLite's version 7 brought for the queries over
 * a million events (the report's timeline newest first, its count since a
 * date, each place's current status), in PostgreSQL's order of NULLs
 * (q.c: ASC NULLS FIRST, so DESC NULLS LAST reads the index backwards);
 * fusion keeps the count of incidents the statistics read (count(*)
 * reads a whole table here).  (SQLite's fuse_src and fuse_qty columns
 * came in 10 here: fusion read the sources and quantities beside the
 * events until then, and held them for the whole fusion.) */
static const char *const pg_schema_v7[] = {
	"CREATE INDEX IF NOT EXISTS incidents_when ON incidents((coalesce(date_lo, first_published))"
	" NULLS FIRST, id);"
	"CREATE INDEX IF NOT EXISTS incidents_until ON incidents((coalesce(date_hi, first_published))"
	" NULLS FIRST);"
	"CREATE INDEX IF NOT EXISTS place_status_now ON place_status(place_id, current, id);"
	"INSERT INTO meta SELECT 'nincidents', count(*)::text FROM incidents"
	" ON CONFLICT (key) DO NOTHING;"
	"ANALYZE incidents; ANALYZE place_status",
	/* what ingest writes, cheaper: events_type and events_place are the
	 * first columns of events_type_order and events_place_order (two
	 * B-trees fewer a row; SQLite 7 dropped events_type too), and a
	 * report's text compressed with lz4 rather than pglz (5% of the
	 * server's CPU), when the server has it */
	"DROP INDEX IF EXISTS events_type; DROP INDEX IF EXISTS events_place;"
	/* fusion's tables are written by fusion alone, from one snapshot
	 * in one transaction, and nothing deletes events: their foreign
	 * keys checked every row again, 22 s of the server's 41 s when
	 * fusion rewrote the incidents of a million events (the tests check
	 * their references, tests/store/engine) */
	"ALTER TABLE incident_events DROP CONSTRAINT IF EXISTS incident_events_incident_id_fkey,"
	" DROP CONSTRAINT IF EXISTS incident_events_event_id_fkey;"
	"ALTER TABLE disagreements DROP CONSTRAINT IF EXISTS disagreements_incident_id_fkey;"
	"ALTER TABLE incidents DROP CONSTRAINT IF EXISTS incidents_place_id_fkey,"
	" DROP CONSTRAINT IF EXISTS incidents_actor_id_fkey,"
	" DROP CONSTRAINT IF EXISTS incidents_other_id_fkey;"
	"ALTER TABLE place_status DROP CONSTRAINT IF EXISTS place_status_place_id_fkey,"
	" DROP CONSTRAINT IF EXISTS place_status_actor_id_fkey;"
	"DO $$ BEGIN ALTER TABLE documents ALTER COLUMN text SET COMPRESSION lz4;"
	" EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN NULL; END $$",
	/* PostGIS, when the server has it and this user may create it: the
	 * places' points as a geometry too (made by the server from lat and
	 * lon, under a GiST index), for GIS tools reading the store; nothing
	 * of sitrep needs it, and without it the plain columns are all */
	"DO $$ BEGIN"
	" IF EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'postgis') THEN"
	"  BEGIN"
	"   CREATE EXTENSION IF NOT EXISTS postgis;"
	"   ALTER TABLE entities ADD COLUMN geom geometry(Point, 4326) GENERATED ALWAYS AS"
	"    (CASE WHEN lat IS NOT NULL AND lon IS NOT NULL"
	"     THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED;"
	"   CREATE INDEX entities_geom ON entities USING gist(geom);"
	"  EXCEPTION WHEN OTHERS THEN"
	"   RAISE NOTICE 'PostGIS not used: %', SQLERRM;"
	"  END;"
	" END IF; END $$",
	NULL};

/* Version 8: per incident the other places of its events, as store.c's
 * schema_v8 (fusion keeps it; status reads the incidents alone). */
static const char *const pg_schema_v8[] = {
	"ALTER TABLE incidents ADD COLUMN IF NOT EXISTS places" T ";"
	"UPDATE incidents i SET places = (SELECT string_agg(x.place_id::text, ',' ORDER BY x.first)"
	" FROM (SELECT e.place_id, min(e.id) AS first FROM incident_events ie"
	"  JOIN events e ON e.id = ie.event_id JOIN entities p ON p.id = e.place_id"
	"  WHERE ie.incident_id = i.id AND e.place_id != i.place_id"
	"  AND (p.precision IS NULL OR p.precision != 'country')"
	"  GROUP BY e.place_id ORDER BY first LIMIT 8) x)"
	" WHERE i.place_id IS NOT NULL",
	NULL};

/* Version 9: the widest date window of an event in meta (window_days,
 * kept by each batch of ingest: query.c's --since seeks with it), made
 * here from the table.  (SQLite's version 9 drops an index of its own.) */
static const char *const pg_schema_v9[] = {
	"INSERT INTO meta SELECT 'window_days',"
	" coalesce(max(date_hi::date - date_lo::date), 0)::text FROM events"
	" ON CONFLICT (key) DO UPDATE SET value = excluded.value;"
	/* a place's intervals by id (report --since reads each place's
	 * newest first: through the primary key that walked every place's
	 * intervals, 180 ms over a million events) */
	"DROP INDEX IF EXISTS place_status_place;"
	"CREATE INDEX place_status_place ON place_status(place_id, id);"
	/* as SQLite's version 9, sentences without UNIQUE(doc_id, n), which
	 * nothing reads by; and without the foreign key to their document,
	 * checked by a lookup per sentence (a fifth of the server's CPU in
	 * an ingest of 1,157 real reports): ingest writes a document's
	 * sentences in the transaction that inserts the document, only for
	 * the documents it inserted (pg_ingest.c: a document another
	 * process stored first is dropped with its rows), and nothing
	 * deletes documents */
	"ALTER TABLE sentences DROP CONSTRAINT IF EXISTS sentences_doc_id_n_key,"
	" DROP CONSTRAINT IF EXISTS sentences_doc_id_fkey;"
	/* the report's count of incidents since a date from the index
	 * alone (an index-only scan needs the expression's columns in the
	 * index: each of 18,000 incidents was read from the table, 20-48 ms
	 * over a million events, now 4 ms) */
	"DROP INDEX IF EXISTS incidents_until;"
	"CREATE INDEX incidents_until ON incidents((coalesce(date_hi, first_published))"
	" NULLS FIRST) INCLUDE (date_hi, first_published)",
	NULL};

/* The fuse_src and fuse_qty of every event made from its sources and
 * quantities (the migration to 10, a copy into PostgreSQL): the source
 * ids "3,12", the quantities "value unit approx;..." in their order, the
 * value in the shortest text that reads back exactly (extra_float_digits
 * 1, set by pg_open), as ingest writes them. */
static const char pg_fuse_cols_sql[] =
	"UPDATE events e SET fuse_src = x.s, fuse_qty = x.q FROM"
	" (SELECT coalesce(s.event_id, q.event_id) AS id, s.v AS s, q.v AS q FROM"
	"  (SELECT event_id, string_agg(source_id::text, ',' ORDER BY source_id) AS v"
	"   FROM event_sources GROUP BY event_id) s FULL JOIN"
	"  (SELECT event_id, string_agg(value::text || ' ' || unit || ' ' || approx, ';'"
	"   ORDER BY n) AS v FROM quantities GROUP BY event_id) q ON q.event_id = s.event_id) x"
	" WHERE e.id = x.id";

/* Version 10: the full-text index made by the first search after an
 * ingest rather than by ingest, as SQLite's since its version 9: ingest
 * writes the sentences into sentences_pending, a table without an
 * index, and a search moves them to sentences with their tsvector first
 * (pg_index_pending).  The GIN index's entries were two thirds of the
 * server's CPU in an ingest of 1,157 real reports. */
static const char *const pg_schema_v10[] = {
	"CREATE TABLE IF NOT EXISTS sentences_pending(id bigint NOT NULL, doc_id bigint NOT NULL,"
	" n integer NOT NULL, span_start integer NOT NULL, span_end integer NOT NULL);"
	/* the number of sentences, kept by ingest as those of reports and
	 * events (ids come in blocks now: concurrent ingests leave gaps,
	 * and the largest id counted them) */
	"INSERT INTO meta SELECT 'nsentences', coalesce(max(id), 0)::text FROM sentences"
	" ON CONFLICT (key) DO NOTHING",
	/* per event what fusion reads of its sources and quantities, as
	 * SQLite's fuse_src and fuse_qty (schema 7): read with the events
	 * in one scan, not two tables joined or held in memory beside them
	 * (pg_fuse.c); kept by ingest, made here from the tables */
	"ALTER TABLE events ADD COLUMN IF NOT EXISTS fuse_src" T ","
	" ADD COLUMN IF NOT EXISTS fuse_qty" T,
	pg_fuse_cols_sql,
	NULL};

/* Version 12: the events no fusion has placed yet, by id, in a table of
 * their own (events_new, no index) that ingest appends to and fusion
 * empties in its transaction: the region a fusion after an ingest reads
 * starts from them, which an anti-join of every event with every
 * membership found (a merge of two indexes of a million rows: 0.6 s of
 * server at low load, 4 s at load 6, whatever the number of new
 * events). */
#define PG_EVENTS_NEW_SQL \
	"INSERT INTO events_new SELECT e.id FROM events e WHERE NOT EXISTS" \
	" (SELECT 1 FROM incident_events ie WHERE ie.event_id = e.id)"
const char pg_events_new_sql[] = PG_EVENTS_NEW_SQL;
static const char *const pg_schema_v12[] = {
	"CREATE TABLE IF NOT EXISTS events_new(event_id bigint NOT NULL)",
	"SET LOCAL enable_hashjoin = off",
	PG_EVENTS_NEW_SQL,
	"SET LOCAL enable_hashjoin = on",
	/* the events' foreign keys, and those of their quantities and
	 * sources, as the sentences' in 9: each was checked by a query of
	 * its own per row (a tenth of the server's instructions in an
	 * ingest of 1,157 real reports without its full-text index).  An
	 * ingest writes a document's events, quantities and sources in the
	 * transaction that inserts the document, only for the documents it
	 * inserted, with entities and sources stored (and committed) before
	 * (pg_ingest.c); nothing deletes documents, events, entities or
	 * sources here; tests/store/engine checks the references.  (Added
	 * to this version after it shipped: a store made at 12 before keeps
	 * them, which only costs it that time.) */
	"ALTER TABLE events DROP CONSTRAINT IF EXISTS events_doc_id_fkey,"
	" DROP CONSTRAINT IF EXISTS events_actor_id_fkey,"
	" DROP CONSTRAINT IF EXISTS events_place_id_fkey,"
	" DROP CONSTRAINT IF EXISTS events_other_id_fkey;"
	"ALTER TABLE quantities DROP CONSTRAINT IF EXISTS quantities_event_id_fkey;"
	"ALTER TABLE event_sources DROP CONSTRAINT IF EXISTS event_sources_event_id_fkey,"
	" DROP CONSTRAINT IF EXISTS event_sources_source_id_fkey",
	NULL};

/* Version 15 (PostgreSQL's alone; 14 is another engine's or another
 * table's step): the full-text index over runs of sentences, not over
 * each sentence.  A row of sentence_runs holds the words, without
 * positions, of the sentences whose ids lie in lo..hi (an ingest batch's
 * sentences from one block of ids: runs never overlap), under GIN; the
 * sentences keep their tsvector, unindexed, for the exact match and the
 * rank.  A search finds the runs that may hold a match (the query with
 * its phrases as AND and its NOT parts left out), then checks the
 * sentences of each, newest first (search.c).  The GIN over each
 * sentence's tsvector was 331,085 entries for the 1,157 unique reports
 * of the 25 MB corpus, 1,600 M instructions of server, over half of what
 * storing them cost; over runs of a batch, about 45,000.  Here the runs
 * are made from the stored sentences, SENT_RUN ids a run. */
#define PG_RUN_WORDS \
	"array_to_tsvector(coalesce(array_agg(DISTINCT w) FILTER (WHERE w IS NOT NULL), '{}'))"
static const char *const pg_schema_v15[] = {
	"CREATE TABLE IF NOT EXISTS sentence_runs(lo bigint NOT NULL, hi bigint NOT NULL,"
	" words tsvector NOT NULL)",
	"DELETE FROM sentence_runs",
	"INSERT INTO sentence_runs SELECT min(s.id), max(s.id), " PG_RUN_WORDS
	" FROM sentences s LEFT JOIN LATERAL unnest(tsvector_to_array(s.tsv)) w ON true"
	" GROUP BY s.id / 4096",
	"DROP INDEX IF EXISTS sentences_tsv",
	"CREATE INDEX IF NOT EXISTS sentence_runs_words ON sentence_runs USING gin(words)",
	NULL};

/* The run of the sentences lo..hi ($1, $2), written again with the
 * runs it overlaps merged into it: for sentences that an older sitrep
 * left in sentences_pending, stored since with ids inside runs made by
 * 15's step or the first such run (pg_ingest.c). */
const char pg_run_rebuild_sql[] =
	"WITH x AS (DELETE FROM sentence_runs WHERE hi >= $1 AND lo <= $2 RETURNING lo, hi),"
	" b AS (SELECT least($1::bigint, min(lo)) AS lo, greatest($2::bigint, max(hi)) AS hi FROM x)"
	" INSERT INTO sentence_runs SELECT b.lo, b.hi, (SELECT " PG_RUN_WORDS
	" FROM sentences s LEFT JOIN LATERAL unnest(tsvector_to_array(s.tsv)) w ON true"
	" WHERE s.id BETWEEN b.lo AND b.hi) FROM b";

/* All the runs made again from the sentences (db copy into this engine). */
const char pg_runs_all_sql[] =
	"DELETE FROM sentence_runs;"
	"INSERT INTO sentence_runs SELECT min(s.id), max(s.id), " PG_RUN_WORDS
	" FROM sentences s LEFT JOIN LATERAL unnest(tsvector_to_array(s.tsv)) w ON true"
	" GROUP BY s.id / 4096;"
	/* (the rows went through the index's pending list: merged now, or
	 * every search would read the list whole) */
	"SELECT gin_clean_pending_list('sentence_runs_words'::regclass)";

/* migrations[v]: from v-1 to v; NULL for the versions made before this
 * engine existed (a new database goes straight to 6) and for those that
 * change nothing here. */
static const char *const *const migrations[SR_STORE_SCHEMA + 1] = {[6] = pg_schema_v6,
	[7] = pg_schema_v7, [8] = pg_schema_v8, [9] = pg_schema_v9, [10] = pg_schema_v10,
	[12] = pg_schema_v12, [14] = pg_schema_v14, [15] = pg_schema_v15};

/* ------------------------------------------------------------- helpers */

int
pg_fail(sr_store *st, const char *what, const PGresult *r)
{
	const char *m = r ? PQresultErrorMessage(r) : NULL;
	if (!m || !*m)
		m = PQerrorMessage(st->pg->conn);
	size_t n = strlen(m);
	while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
		n--;
	return st_fail(st, "%s: %s: %.*s", st->path, what, (int)n, m);
}

PGresult *
pg_exec(sr_store *st, const char *sql, int n, const char *const *params)
{
	PGresult *r = n ? PQexecParams(st->pg->conn, sql, n, NULL, params, NULL, NULL, 0)
		: PQexec(st->pg->conn, sql);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_fail(st, "query", r);
		PQclear(r);
		return NULL;
	}
	return r;
}

PGresult *
pg_exec_named(sr_store *st, int which, const char *sql, int n, const char *const *params)
{
	char name[24];
	snprintf(name, sizeof name, "sitrep_%d", which);
	if (which < 0 || which >= PG_NSTMT)
		return pg_exec(st, sql, n, params);
	if (!st->pg->prepared[which]) {
		PGresult *r = PQprepare(st->pg->conn, name, sql, n, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			pg_fail(st, "prepare", r);
			PQclear(r);
			return NULL;
		}
		PQclear(r);
		st->pg->prepared[which] = 1;
	}
	PGresult *r = PQexecPrepared(st->pg->conn, name, n, params, NULL, NULL, 0);
	ExecStatusType s = PQresultStatus(r);
	if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
		pg_fail(st, "query", r);
		PQclear(r);
		return NULL;
	}
	return r;
}

int
pg_cmd(sr_store *st, const char *sql)
{
	PGresult *r = pg_exec(st, sql, 0, NULL);
	PQclear(r);
	return r ? SR_OK : SR_ERR_DB;
}

long long
pg_scalar(sr_store *st, const char *sql)
{
	PGresult *r = pg_exec(st, sql, 0, NULL);
	long long v = -1;
	if (r && PQntuples(r) > 0 && !PQgetisnull(r, 0, 0))
		v = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
	PQclear(r);
	return v;
}

/* ---------------------------------------------------------------- COPY */

void
pg_field(sr_buf *b, const char *s, size_t n)
{
	if (b->len && b->ptr[b->len - 1] != '\n')
		sr_buf_addc(b, '\t');
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i], e = c == '\\' ? '\\' : c == '\t' ? 't' : c == '\n' ? 'n'
			: c == '\r' ? 'r' : 0;
		if (!e)
			continue;
		sr_buf_add(b, s + run, i - run);
		sr_buf_addc(b, '\\');
		sr_buf_addc(b, e);
		run = i + 1;
	}
	sr_buf_add(b, s + run, n - run);
}

void
pg_field_str(sr_buf *b, const char *s)
{
	if (s)
		pg_field(b, s, strlen(s));
	else
		pg_field_null(b);
}

void
pg_field_int(sr_buf *b, long long v)
{
	char t[32];
	pg_field(b, t, (size_t)snprintf(t, sizeof t, "%lld", v));
}

void
pg_field_dbl(sr_buf *b, double v)
{
	char t[40];
	pg_field(b, t, (size_t)snprintf(t, sizeof t, "%.17g", v));
}

void
pg_field_null(sr_buf *b)
{
	pg_field(b, "", 0);
	sr_buf_adds(b, "\\N");
}

void
pg_row_end(sr_buf *b)
{
	sr_buf_addc(b, '\n');
}

int
pg_copy_in(sr_store *st, const char *copy_sql, const char *data, size_t len)
{
	PGconn *c = st->pg->conn;
	PGresult *r = PQexec(c, copy_sql);
	if (PQresultStatus(r) != PGRES_COPY_IN) {
		int rc = pg_fail(st, "copy", r);
		PQclear(r);
		return rc;
	}
	PQclear(r);
	int ok = 1;
	for (size_t off = 0; off < len && ok;) {
		size_t k = len - off > (1u << 20) ? (1u << 20) : len - off;
		ok = PQputCopyData(c, data + off, (int)k) == 1;
		off += k;
	}
	if (PQputCopyEnd(c, ok ? NULL : "sitrep: sending failed") != 1)
		ok = 0;
	int rc = SR_OK;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == SR_OK)
			rc = pg_fail(st, "copy", r);
		PQclear(r);
	}
	if (!ok && rc == SR_OK)
		rc = pg_fail(st, "copy", NULL);
	return rc;
}

/* Unescapes a COPY text field in place. */
static void
unescape(char *s)
{
	char *o = s;
	for (; *s; s++) {
		if (*s != '\\' || !s[1]) {
			*o++ = *s;
			continue;
		}
		char c = *++s;
		*o++ = c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c == 'b' ? '\b'
			: c == 'f' ? '\f' : c == 'v' ? '\v' : c;
	}
	*o = 0;
}

/* Starts COPY (query) TO STDOUT with the options opts ("" or " (FORMAT
 * binary)"): SR_OK when the rows may be read from the connection. */
static int
copy_out_start(sr_store *st, const char *query, const char *opts)
{
	sr_buf sql = {0};
	sr_buf_printf(&sql, "COPY (%s) TO STDOUT%s", query, opts);
	PGresult *r = PQexec(st->pg->conn, sql.ptr);
	sr_buf_free(&sql);
	int rc = PQresultStatus(r) == PGRES_COPY_OUT ? SR_OK : pg_fail(st, "copy out", r);
	PQclear(r);
	return rc;
}

/* Ends a COPY out whose last PQgetCopyData returned n: rc, or the
 * error of a read cut short or of the command's results. */
static int
copy_out_end(sr_store *st, int n, int rc)
{
	PGresult *r;
	if (n == -2 && rc == SR_OK)
		rc = pg_fail(st, "copy out", NULL);
	while ((r = PQgetResult(st->pg->conn))) {
		if (PQresultStatus(r) != PGRES_COMMAND_OK && rc == SR_OK)
			rc = pg_fail(st, "copy out", r);
		PQclear(r);
	}
	return rc;
}

int
pg_copy_out(sr_store *st, const char *query, pg_row_fn fn, void *ctx)
{
	PGconn *c = st->pg->conn;
	int rc = copy_out_start(st, query, "");
	if (rc != SR_OK)
		return rc;
	char *line;
	int n, stop = 0;
	char **f = NULL;
	size_t cap = 0;
	while ((n = PQgetCopyData(c, &line, 0)) > 0) {
		if (!stop) {
			if (line[n - 1] == '\n')
				line[n - 1] = 0;
			int k = 0;
			for (char *p = line;; k++) {
				SR_GROW(f, cap, (size_t)k + 1);
				char *tab = strchr(p, '\t');
				if (tab)
					*tab = 0;
				f[k] = strcmp(p, "\\N") ? p : NULL;
				if (f[k])
					unescape(p);
				if (!tab) {
					k++;
					break;
				}
				p = tab + 1;
			}
			stop = fn(ctx, f, k);
		}
		PQfreemem(line);
	}
	rc = copy_out_end(st, n, rc);
	free(f);
	return rc;
}

/* A big-endian integer of n bytes at p. */
static uint64_t
be(const unsigned char *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

int
pg_copy_out_binary(sr_store *st, const char *query, pg_bin_fn fn, void *ctx)
{
	PGconn *c = st->pg->conn;
	int rc = copy_out_start(st, query, " (FORMAT binary)");
	if (rc != SR_OK)
		return rc;
	char *line;
	int n, stop = 0, bad = 0;
	pg_bin_field *f = NULL;
	size_t cap = 0;
	/* (the server sends the header, each row and the trailer as
	 * messages of their own; a message is read whole, rows and all) */
	while ((n = PQgetCopyData(c, &line, 0)) > 0) {
		const unsigned char *p = (const unsigned char *)line, *end = p + n;
		if (n >= 19 && !memcmp(p, "PGCOPY\n\377\r\n", 11)) {
			uint64_t ext = be(p + 15, 4);
			p += 19 + (ext < (uint64_t)n ? ext : (uint64_t)n);
		}
		while (!stop && !bad && p + 2 <= end) {
			int nf = (int16_t)be(p, 2);
			p += 2;
			if (nf < 0)
				break;  /* the trailer */
			SR_GROW(f, cap, (size_t)nf + 1);
			for (int k = 0; k < nf && !bad; k++) {
				if (p + 4 > end) {
					bad = 1;
					break;
				}
				int32_t len = (int32_t)be(p, 4);
				p += 4;
				if (len > end - p) {
					bad = 1;
					break;
				}
				f[k].p = len < 0 ? NULL : (const char *)p;
				f[k].len = len < 0 ? 0 : (size_t)len;
				p += len < 0 ? 0 : len;
			}
			if (!bad)
				stop = fn(ctx, f, nf);
		}
		PQfreemem(line);
	}
	rc = copy_out_end(st, n, rc);
	if (bad && rc == SR_OK)
		rc = st_fail(st, "%s: copy out: a row of binary COPY cut short", st->path);
	free(f);
	return rc;
}

long long
pg_bin_ll(const pg_bin_field *f)
{
	const unsigned char *p = (const unsigned char *)f->p;
	if (!p)
		return 0;
	if (f->len == 8)
		return (long long)be(p, 8);
	if (f->len == 4)
		return (int32_t)be(p, 4);
	if (f->len == 2)
		return (int16_t)be(p, 2);
	return 0;
}

double
pg_bin_dbl(const pg_bin_field *f)
{
	if (!f->p || f->len != 8)
		return 0;
	uint64_t v = be((const unsigned char *)f->p, 8);
	double d;
	memcpy(&d, &v, sizeof d);
	return d;
}

/* ---------------------------------------------------------------- meta */

void
pg_meta_get(sr_store *st, const char *key, char *out, size_t n)
{
	out[0] = 0;
	const char *p[1] = {key};
	PGresult *r = pg_exec(st, "SELECT value FROM meta WHERE key = $1", 1, p);
	if (r && PQntuples(r) > 0)
		snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

int
pg_fused(sr_store *st)
{
	PGresult *r = pg_exec(st, "SELECT (SELECT value FROM meta WHERE key = 'events_gen') ="
			      " (SELECT value FROM meta WHERE key = 'fused_gen')", 0, NULL);
	int fused = r && PQntuples(r) > 0 && !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	return fused;
}

/* ------------------------------------------------------ schema and open */

int
pg_is_conninfo(const char *path)
{
	if (!strncmp(path, "postgresql://", 13) || !strncmp(path, "postgres://", 11))
		return 1;
	/* libpq's keyword=value form: the first word one of its keywords */
	static const char *const kw[] = {"host=", "hostaddr=", "port=", "dbname=", "user=",
		"service=", "password=", "sslmode="};
	while (*path == ' ')
		path++;
	for (size_t i = 0; i < SR_ARRAY_LEN(kw); i++)
		if (!strncmp(path, kw[i], strlen(kw[i])))
			return 1;
	return 0;
}

/* "postgresql://user@host:port/dbname" for messages: never the password. */
static char *
display_name(const char *conninfo)
{
	PQconninfoOption *o = PQconninfoParse(conninfo, NULL);
	const char *user = NULL, *host = NULL, *port = NULL, *db = NULL;
	for (PQconninfoOption *p = o; p && p->keyword; p++) {
		if (!p->val)
			continue;
		if (!strcmp(p->keyword, "user"))
			user = p->val;
		else if (!strcmp(p->keyword, "host"))
			host = p->val;
		else if (!strcmp(p->keyword, "port"))
			port = p->val;
		else if (!strcmp(p->keyword, "dbname"))
			db = p->val;
	}
	sr_buf b = {0};
	sr_buf_printf(&b, "postgresql://%s%s%s%s%s/%s", user ? user : "", user ? "@" : "",
		      host ? host : "", port ? ":" : "", port ? port : "", db ? db : "");
	PQconninfoFree(o);
	char *s = sr_strdup(b.ptr);
	sr_buf_free(&b);
	return s;
}

/* The schema version of the database, -1 on error; 0 when it holds no
 * sitrep table (an error when it holds a "documents" of another program). */
static long
db_version(sr_store *st)
{
	/* (to_regclass, not the view pg_tables: planning the view's joins of
	 * the catalogs was 6-14 ms of a fresh connection's server CPU, in
	 * every query of a million-event store) */
	long long has = pg_scalar(st, "SELECT (to_regclass(format('%I.sitrep_schema',"
				  " current_schema())) IS NOT NULL)::int + (to_regclass("
				  "format('%I.documents', current_schema())) IS NOT NULL)::int");
	if (has < 0)
		return -1;
	if (has == 0)
		return 0;
	long long v = pg_scalar(st, "SELECT max(version) FROM sitrep_schema");
	if (v < 0) {
		st_fail(st, "%s: a database with tables of its own, but not a sitrep store"
			" (no sitrep_schema)", st->path);
		return -1;
	}
	if (v > SR_STORE_SCHEMA) {
		st_fail(st, "%s: schema version %lld is newer than this sitrep's (%d);"
			" use a newer sitrep", st->path, v, SR_STORE_SCHEMA);
		return -1;
	}
	return (long)v;
}

static int
migrate(sr_store *st)
{
	long v = db_version(st);
	if (v < 0)
		return SR_ERR_DB;
	while (v < SR_STORE_SCHEMA) {
		if (st->flags & (SR_STORE_READONLY | SR_STORE_QUERY))
			return st_fail(st, "%s: %s; open it writable once (sitrep ingest --db ...)",
				       st->path, v ? "the schema needs an upgrade" : "no sitrep store here");
		/* the lock first, then the version again: another process may
		 * have made the tables while this one waited */
		if (pg_cmd(st, "BEGIN") != SR_OK)
			return SR_ERR_DB;
		char lock[80];
		snprintf(lock, sizeof lock, "SELECT pg_advisory_xact_lock(%ld)", PG_LOCK_SCHEMA);
		long next = 0;
		int rc = pg_cmd(st, lock);
		if (rc == SR_OK)
			v = db_version(st);
		if (rc != SR_OK || v < 0) {
			pg_cmd(st, "ROLLBACK");
			return SR_ERR_DB;
		}
		if (v == SR_STORE_SCHEMA) {
			pg_cmd(st, "ROLLBACK");
			break;
		}
		/* every step up to this sitrep's version in the one transaction:
		 * a reader that opens the database meanwhile sees the old
		 * version or the new one, never a step between (PostgreSQL's
		 * DDL is transactional) */
		rc = v == 0 ? pg_cmd(st, "CREATE TABLE sitrep_schema(version integer NOT NULL);"
				      " INSERT INTO sitrep_schema VALUES(0)") : SR_OK;
		/* (a version of SQLite's schema with nothing for this engine to
		 * do, as indexes of SQLite's own, has no migration here: the
		 * version alone moves) */
		for (next = v + 1; next <= SR_STORE_SCHEMA && rc == SR_OK; next++)
			for (const char *const *m = migrations[next]; m && *m && rc == SR_OK; m++)
				rc = pg_cmd(st, *m);
		next = SR_STORE_SCHEMA;
		char bump[80];
		snprintf(bump, sizeof bump, "UPDATE sitrep_schema SET version = %ld", next);
		if (rc != SR_OK || pg_cmd(st, bump) != SR_OK || pg_cmd(st, "COMMIT") != SR_OK) {
			char keep[sizeof st->err];
			memcpy(keep, st->err, sizeof keep);
			pg_cmd(st, "ROLLBACK");
			snprintf(st->err, sizeof st->err, "migration to schema %ld failed: %s", next,
				 keep);
			return SR_ERR_DB;
		}
		v = next;
	}
	st->version = SR_STORE_SCHEMA;
	return SR_OK;
}

static void
no_notices(void *arg, const char *msg)
{
	(void)arg;
	(void)msg;
}

int
pg_open(sr_store *st, char *err, size_t errlen)
{
	char *conninfo = st->path;
	st->path = display_name(conninfo);
	st->pg = sr_calloc(1, sizeof *st->pg);
	st->pg->conn = PQconnectdb(conninfo);
	free(conninfo);
	if (PQstatus(st->pg->conn) != CONNECTION_OK) {
		const char *m = PQerrorMessage(st->pg->conn);
		size_t n = strlen(m);
		while (n && (m[n - 1] == '\n' || m[n - 1] == ' '))
			n--;
		snprintf(err, errlen, "%s: cannot connect: %.*s", st->path, (int)n, m);
		return SR_ERR_DB;
	}
	PQsetNoticeProcessor(st->pg->conn, no_notices, NULL);
	/* the text of every value as SQLite gives it back: shortest exact
	 * doubles, no time zone games, UTF-8; no JIT compilation (sitrep's
	 * statements walk an index or stream a table once: compiling them
	 * cost more CPU than it saved, 15 ms for a scan of a type's events
	 * over a million, more where it optimizes too) */
	if (pg_cmd(st, "SET client_encoding = 'UTF8'; SET extra_float_digits = 1;"
		   " SET client_min_messages = warning; SET jit = off") != SR_OK ||
	    migrate(st) != SR_OK) {
		snprintf(err, errlen, "%s", st->err);
		return SR_ERR_DB;
	}
	if (st->flags & (SR_STORE_QUERY | SR_STORE_READONLY)) {
		/* a query reads one consistent snapshot and never writes; a
		 * writer's batch does not hold it up (MVCC) */
		if (pg_cmd(st, "SET default_transaction_read_only = on;"
			   /* the report sorts its places' intervals in memory */
			   " SET work_mem = '64MB'") != SR_OK) {
			snprintf(err, errlen, "%s", st->err);
			return SR_ERR_DB;
		}
	}
	return SR_OK;
}

void
pg_close(sr_store *st)
{
	if (!st->pg)
		return;
	pg_batch_free(st);
	free(st->pg->mem_inc);
	PQfinish(st->pg->conn);
	free(st->pg);
	st->pg = NULL;
}

/* ------------------------------------------------------ stats, generation */

int
pg_stats(sr_store *st, sr_store_stats *out)
{
	memset(out, 0, sizeof *out);
	PGresult *r = pg_exec(st,
		"SELECT coalesce((SELECT value::bigint FROM meta WHERE key = 'ndocuments'),"
		"  (SELECT count(*) FROM documents)),"
		" coalesce((SELECT value::bigint FROM meta WHERE key = 'nsentences'),"
		"  (SELECT coalesce(max(id), 0) FROM sentences)),"
		" coalesce((SELECT value::bigint FROM meta WHERE key = 'nevents'),"
		"  (SELECT count(*) FROM events)),"
		" coalesce((SELECT value::bigint FROM meta WHERE key = 'nincidents'),"
		"  (SELECT count(*) FROM incidents)),"
		/* (the places with a status: each entity probed in the index of
		 * place_status, not its every row read and sorted: 16 ms of
		 * every query over a million events) */
		" (SELECT count(*) FROM entities e WHERE EXISTS (SELECT 1 FROM place_status s"
		"  WHERE s.place_id = e.id)),"
		" (SELECT value FROM meta WHERE key = 'disagreeing'),"
		" (SELECT max(published) FROM documents)", 0, NULL);
	if (!r)
		return SR_ERR_DB;
	out->documents = atol(PQgetvalue(r, 0, 0));
	out->sentences = atol(PQgetvalue(r, 0, 1));
	out->events = atol(PQgetvalue(r, 0, 2));
	out->incidents = atol(PQgetvalue(r, 0, 3));
	out->places = atol(PQgetvalue(r, 0, 4));
	out->disagreements = atol(PQgetvalue(r, 0, 5));
	snprintf(out->as_of, sizeof out->as_of, "%s", PQgetvalue(r, 0, 6));
	PQclear(r);
	out->fused = pg_fused(st);
	return SR_OK;
}

int
pg_generation(sr_store *st, char *out, size_t n)
{
	out[0] = 0;
	PGresult *r = pg_exec(st, "SELECT (SELECT string_agg(key || '=' || value, ';' ORDER BY key)"
			      " FROM meta) || '/' || coalesce((SELECT max(id) FROM documents), 0)",
			      0, NULL);
	if (!r)
		return SR_ERR_DB;
	snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return SR_OK;
}

/* ------------------------------------------------------------- the handle */

sr_store *
pg_store_open(const char *conninfo, unsigned flags, char *err, size_t errlen)
{
	sr_store *st = sr_calloc(1, sizeof *st);
	st->path = sr_strdup(conninfo);
	st->flags = flags & ~SR_STORE_CREATE;
	st->batch = 256;
	if (pg_open(st, err, errlen) != SR_OK) {
		sr_store_close(st);
		return NULL;
	}
	if ((flags & SR_STORE_QUERY) && !pg_fused(st)) {
		/* stale incidents (ingest --no-fuse, a fusion cut short): fused
		 * through a writable connection unless another process is at
		 * it, which then brings them */
		char werr[512] = "";
		sr_store *w = pg_store_open(conninfo, 0, werr, sizeof werr);
		if (w) {
			sr_store_set_wait(w, SR_STORE_QUERY_WAIT, NULL, NULL);
			if (pg_fuse(w, 1, 0) != SR_OK)
				snprintf(werr, sizeof werr, "%s", w->err);
		}
		sr_store_close(w);
		if (werr[0])
			snprintf(st->err, sizeof st->err, "%s", werr);
	}
	return st;
}

/* ----------------------------------------------------------- full text */

/* The words of s as SQLite's FTS5 (unicode61, remove_diacritics) cuts
 * and folds them: runs of letters, digits and marks; case folded,
 * compatibility forms and diacritics removed (Ḩasakah: hasakah,
 * Syria’s: syria, s).  fn gets each word (valid during the call). */
void
pg_ts_words(const char *s, size_t n, void (*fn)(void *ctx, const char *w, size_t wn), void *ctx)
{
	char w[PG_MAX_LEXEME + 8];
	size_t wn = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			/* ASCII, most of the text: a letter or digit (as isalnum
			 * in the C locale) folded to lower case, else the end of
			 * a word */
			unsigned lc = c | 0x20u;
			if (lc - 'a' < 26u || (unsigned)c - '0' < 10u) {
				if (wn < PG_MAX_LEXEME)
					w[wn++] = (char)(c >= 'A' && c <= 'Z' ? lc : c);
			} else if (wn) {
				fn(ctx, w, wn);
				wn = 0;
			}
			i++;
			continue;
		}
		int32_t cp = 0;
		int l = sr_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (l <= 0) {
			l = 1;
			cp = 0xFFFD;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		int word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) ||
			   cat == UTF8PROC_CATEGORY_CO;
		if (!word) {
			if (wn)
				fn(ctx, w, wn);
			wn = 0;
		} else if (cp < 0x80) {
			if (wn < PG_MAX_LEXEME)
				w[wn++] = (char)tolower(cp);
		} else {
			utf8proc_int32_t buf[8];
			int last = 0;
			utf8proc_ssize_t k = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_CASEFOLD |
				UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, &last);
			for (utf8proc_ssize_t j = 0; j >= 0 && j < k && k <= 8; j++) {
				char t[4];
				int tl = sr_utf8_encode(buf[j], t);
				if (wn + (size_t)tl <= PG_MAX_LEXEME) {
					memcpy(w + wn, t, (size_t)tl);
					wn += (size_t)tl;
				}
			}
		}
		i += (size_t)l;
	}
	if (wn)
		fn(ctx, w, wn);
}

/* A word as a quoted lexeme of tsvector and tsquery input. */
static void
lexeme(sr_buf *b, const char *w, size_t n)
{
	sr_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '\'' || w[i] == '\\')
			sr_buf_addc(b, '\\');
		sr_buf_addc(b, w[i]);
	}
	sr_buf_addc(b, '\'');
}

typedef struct tsv_ctx {
	sr_buf *b;
	int pos;
	int prefix_sep;         /* tsquery: " <-> " between words */
} tsv_ctx;

static void
tsv_word(void *ctx, const char *w, size_t n)
{
	tsv_ctx *c = ctx;
	if (c->prefix_sep) {
		if (c->pos++)
			sr_buf_adds(c->b, " <-> ");
		lexeme(c->b, w, n);
		return;
	}
	if (++c->pos > PG_MAX_POS)
		return;
	if (c->pos > 1)
		sr_buf_addc(c->b, ' ');
	lexeme(c->b, w, n);
	sr_buf_printf(c->b, ":%d", c->pos);
}

void
pg_tsvector(const char *s, size_t n, sr_buf *out)
{
	tsv_ctx c = {out, 0, 0};
	pg_ts_words(s, n, tsv_word, &c);
}

/* One FTS5 string ("al Tanf", its quotes doubled inside) as a tsquery
 * phrase of its words; prefix: the last word a prefix. */
static void
ts_phrase(const char *s, size_t n, int prefix, sr_buf *out)
{
	sr_buf_addc(out, '(');
	tsv_ctx c = {out, 0, 1};
	pg_ts_words(s, n, tsv_word, &c);
	if (!c.pos)
		sr_buf_adds(out, "'-'");        /* no word: a lexeme no text has */
	else if (prefix)
		sr_buf_adds(out, ":*");
	sr_buf_addc(out, ')');
}

void
pg_tsquery(const char *q, sr_buf *out)
{
	const char *p = q;
	int last = 0;           /* an operand before: side by side is AND */
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '"') {
			sr_buf tmp = {0};
			const char *c = p + 1;
			for (; *c; c++) {
				if (*c == '"' && c[1] == '"') {
					sr_buf_addc(&tmp, '"');
					c++;
				} else if (*c == '"') {
					break;
				} else {
					sr_buf_addc(&tmp, *c);
				}
			}
			p = *c ? c + 1 : c;
			int prefix = *p == '*';
			p += prefix;
			if (last)
				sr_buf_adds(out, " & ");
			ts_phrase(tmp.ptr ? tmp.ptr : "", tmp.len, prefix, out);
			sr_buf_free(&tmp);
			last = 1;
			continue;
		}
		if (!strncmp(p, "AND ", 4) || !strncmp(p, "OR ", 3) || !strncmp(p, "NOT ", 4)) {
			sr_buf_adds(out, *p == 'A' ? " & " : *p == 'O' ? " | " : " & !");
			p += *p == 'O' ? 3 : 4;
			last = 0;
			continue;
		}
		if (!strncmp(p, "NEAR(", 5)) {
			/* NEAR(a b, N): all of them (PostgreSQL's <N> means exactly N apart) */
			const char *close = strchr(p, ')');
			const char *comma = memchr(p, ',', close ? (size_t)(close - p) : strlen(p));
			const char *end = comma ? comma : close ? close : p + strlen(p);
			if (last)
				sr_buf_adds(out, " & ");
			sr_buf_addc(out, '(');
			int k = 0;
			for (const char *c = p + 5; c < end;) {
				while (c < end && *c != '"')
					c++;
				if (c >= end)
					break;
				const char *e = strchr(c + 1, '"');
				if (!e || e > end)
					break;
				if (k++)
					sr_buf_adds(out, " & ");
				ts_phrase(c + 1, (size_t)(e - c - 1), 0, out);
				c = e + 1;
			}
			if (!k)
				sr_buf_adds(out, "''");
			sr_buf_addc(out, ')');
			p = close ? close + 1 : p + strlen(p);
			last = 1;
			continue;
		}
		if (*p == '(') {
			if (last)
				sr_buf_adds(out, " & ");
			sr_buf_addc(out, '(');
			last = 0;
			p++;
			continue;
		}
		if (*p == ')') {
			sr_buf_addc(out, ')');
			last = 1;
			p++;
			continue;
		}
		p++;    /* nothing else comes out of search.c's rewrite */
	}
}

/* ------------------------------------------- binary COPY of sentences */

/* Each word of a sentence with its position, collected for the binary
 * tsvector. */
typedef struct bin_word {
	uint64_t key;           /* its first 8 bytes, big-endian, 0-padded */
	uint32_t off;           /* in the collected bytes */
	uint16_t len, pos;
} bin_word;

typedef struct bin_ctx {
	char *bytes;            /* the words' bytes, one after the other */
	size_t nbytes, capbytes;
	bin_word *w;
	size_t n, cap;
	int pos;
	int heap;               /* bytes and w were allocated (else the
				   caller's arrays on its stack) */
} bin_ctx;

/* The arrays of c past the stack's, on the heap, doubled (bin_room). */
static void
bin_grow(bin_ctx *c, size_t nb)
{
	size_t cap = c->cap * 2, capb = c->capbytes * 2 + nb;
	bin_word *nw = sr_malloc(cap * sizeof *nw);
	char *nbuf = sr_malloc(capb);
	memcpy(nw, c->w, c->n * sizeof *nw);
	memcpy(nbuf, c->bytes, c->nbytes);
	if (c->heap) {
		free(c->w);
		free(c->bytes);
	}
	c->w = nw;
	c->bytes = nbuf;
	c->cap = cap;
	c->capbytes = capb;
	c->heap = 1;
}

/* Room in c for one more word of nb bytes. */
static inline void
bin_room(bin_ctx *c, size_t nb)
{
	if (c->n == c->cap || c->nbytes + nb > c->capbytes)
		bin_grow(c, nb);
}

static void
bin_collect(void *ctx, const char *w, size_t n)
{
	bin_ctx *c = ctx;
	if (++c->pos > PG_MAX_POS)
		return;
	bin_room(c, n);
	bin_word *x = &c->w[c->n++];
	size_t m = n < 8 ? n : 8;       /* (a word has a byte at least) */
	uint64_t key = 0;
	for (size_t i = 0; i < m; i++)
		key = key << 8 | (unsigned char)w[i];
	x->key = key << (8 * (8 - m));
	x->off = (uint32_t)c->nbytes;
	x->len = (uint16_t)n;
	x->pos = (uint16_t)c->pos;
	memcpy(c->bytes + c->nbytes, w, n);
	c->nbytes += n;
}

/* PostgreSQL's order of lexemes (tsCompareString: bytes, then length),
 * then positions; the first 8 bytes compared as one number (a lexeme
 * holds no NUL, so the padding puts a prefix first) */
static inline int
bin_less(const bin_word *x, const bin_word *y, const char *base)
{
	if (x->key != y->key)
		return x->key < y->key;
	if (x->len > 8 && y->len > 8) {
		size_t m = x->len < y->len ? x->len : y->len;
		int c = memcmp(base + x->off + 8, base + y->off + 8, m - 8);
		if (c)
			return c < 0;
	}
	if (x->len != y->len)
		return x->len < y->len;
	return x->pos < y->pos;
}

/* Sorts c's words: runs of 16 by insertion, then merged, the comparison
 * inlined (qsort's calls through a pointer were most of what making the
 * tsvectors cost the client). */
static void
bin_sort(bin_ctx *c)
{
	size_t n = c->n;
	const char *base = c->bytes;
	bin_word *a = c->w;
	for (size_t lo = 0; lo < n; lo += 16) {
		size_t hi = lo + 16 < n ? lo + 16 : n;
		for (size_t i = lo + 1; i < hi; i++) {
			bin_word t = a[i];
			size_t j = i;
			while (j > lo && bin_less(&t, &a[j - 1], base)) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = t;
		}
	}
	if (n <= 16)
		return;
	bin_word *tmp = sr_malloc(n * sizeof *tmp), *src = a, *dst = tmp;
	for (size_t w = 16; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = bin_less(&src[j], &src[i], base) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		bin_word *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	free(tmp);
}

static void
put16(sr_buf *b, unsigned v)
{
	char t[2] = {(char)(v >> 8), (char)v};
	sr_buf_add(b, t, 2);
}

static void
put32(sr_buf *b, uint32_t v)
{
	char t[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	sr_buf_add(b, t, 4);
}

void
pg_bin_int8(sr_buf *b, long long v)
{
	put32(b, 8);
	put32(b, (uint32_t)((unsigned long long)v >> 32));
	put32(b, (uint32_t)v);
}

void
pg_bin_int4(sr_buf *b, long v)
{
	put32(b, 4);
	put32(b, (uint32_t)v);
}

void
pg_bin_text(sr_buf *b, const char *s, size_t n)
{
	if (!s) {
		put32(b, 0xFFFFFFFFu);  /* -1: NULL */
		return;
	}
	put32(b, (uint32_t)n);
	sr_buf_add(b, s, n);
}

void
pg_bin_row(sr_buf *b, int nfields)
{
	put16(b, (unsigned)nfields);
}

static unsigned char *
put16p(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return p + 2;
}

static unsigned char *
put32p(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

/* Is c an ASCII letter or digit (a byte of a word for pg_ts_words)? */
static inline int
ascii_alnum(unsigned c)
{
	return (c | 0x20u) - 'a' < 26u || c - '0' < 10u;
}

/* The words of s[0..n) into c, as pg_ts_words gives them to bin_collect:
 * pg_ts_words ends a word at every ASCII byte that is not a letter or
 * digit, so the text is cut at those bytes into runs; a run of ASCII
 * alone is one word, folded (a letter or digit folds by setting bit
 * 0x20) 8 bytes at a time straight into c, its key read from what was
 * written; a run holding a byte past ASCII is cut by pg_ts_words.  The
 * same words in the same order (the tsvectors' md5 is unchanged); the
 * callback and its copy were a third of what making a tsvector cost. */
static void
bin_cut(bin_ctx *c, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (u[i] < 0x80 && !ascii_alnum(u[i])) {
			i++;
			continue;
		}
		size_t start = i;
		int wide = 0;
		for (; i < n; i++) {
			if (u[i] >= 0x80)
				wide = 1;
			else if (!ascii_alnum(u[i]))
				break;
		}
		if (wide) {
			pg_ts_words(s + start, i - start, bin_collect, c);
			continue;
		}
		if (++c->pos > PG_MAX_POS)
			continue;
		size_t wn = i - start < PG_MAX_LEXEME ? i - start : PG_MAX_LEXEME;
		bin_room(c, wn + 8);    /* (8 bytes are written at a time) */
		unsigned char *d = (unsigned char *)c->bytes + c->nbytes;
		pg_fold_ascii(d, u, start, wn, n);
		/* the key: the first 8 bytes, big-endian, past the word 0 */
		uint64_t key;
		memcpy(&key, d, 8);
		key = __builtin_bswap64(key);
		if (wn < 8)
			key &= ~0ull << (8 * (8 - wn));
		bin_word *x = &c->w[c->n++];
		x->key = key;
		x->off = (uint32_t)c->nbytes;
		x->len = (uint16_t)wn;
		x->pos = (uint16_t)c->pos;
		c->nbytes += wn;
	}
}

void
pg_bin_tsvector(const char *s, size_t n, sr_buf *out)
{
	pg_bin_tsvector_each(s, n, out, NULL, NULL);
}

void
pg_bin_tsvector_each(const char *s, size_t n, sr_buf *out, pg_word_fn fn, void *ctx)
{
	/* a sentence's words on the stack when they fit (most do) */
	bin_word ws[256];
	char bs[2048];
	bin_ctx c = {.bytes = bs, .capbytes = sizeof bs, .w = ws, .cap = 256};
	bin_cut(&c, s, n);
	if (c.n > 1)
		bin_sort(&c);
	/* the field: its length, then the lexemes, each once with its
	 * positions (tsvectorrecv's format; at most 256 positions a lexeme,
	 * the first ones, as tsvectorin keeps), written into room made
	 * once: at most 8 bytes of head, and per word its bytes, a NUL, a
	 * count and a position */
	size_t most = 8 + c.nbytes + 5 * c.n;
	if (out->len + most + 1 > out->cap) {
		size_t cap = out->cap ? out->cap : 64;
		while (cap < out->len + most + 1)
			cap *= 2;
		out->ptr = sr_realloc(out->ptr, cap);
		out->cap = cap;
	}
	unsigned char *base = (unsigned char *)out->ptr + out->len;
	unsigned char *p = base + 8;
	uint32_t nlex = 0;
	for (size_t i = 0; i < c.n;) {
		size_t j = i + 1;
		while (j < c.n && c.w[j].len == c.w[i].len &&
		       !memcmp(c.bytes + c.w[j].off, c.bytes + c.w[i].off, c.w[i].len))
			j++;
		size_t np = j - i > 256 ? 256 : j - i;
		memcpy(p, c.bytes + c.w[i].off, c.w[i].len);
		if (fn)
			fn(ctx, c.bytes + c.w[i].off, c.w[i].len);
		p += c.w[i].len;
		*p++ = 0;
		p = put16p(p, (unsigned)np);
		for (size_t k = 0; k < np; k++)
			p = put16p(p, c.w[i + k].pos);
		nlex++;
		i = j;
	}
	put32p(base, (uint32_t)(p - base - 4));
	put32p(base + 4, nlex);
	out->len += (size_t)(p - base);
	out->ptr[out->len] = 0;
	if (c.heap) {
		free(c.w);
		free(c.bytes);
	}
}

int
pg_copy_in_binary(sr_store *st, const char *copy_sql, const char *rows, size_t len)
{
	sr_buf b = {0};
	sr_buf_add(&b, "PGCOPY\n\377\r\n", 11);
	put32(&b, 0);   /* flags */
	put32(&b, 0);   /* header extension */
	sr_buf_add(&b, rows, len);
	put16(&b, 0xFFFF);
	int rc = pg_copy_in(st, copy_sql, b.ptr, b.len);
	sr_buf_free(&b);
	return rc;
}
