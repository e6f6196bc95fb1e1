/*
 * store_int.h -- what the store's files share: the handle, prepared
 * statements, date arithmetic and small SQL helpers.
 *
 *   store.c     open, schema and migrations, batches, stats
 *   ingest.c    documents, sentences and events into the tables
 *   fuse.c      events -> incidents -> place status, through the pure
 *               functions of src/fuse
 *   areas.c     a place's country codes and first-level area, for exports
 *   filter.c    what a --place or --actor filter names
 *   query.c     filters, and events/incidents/places/search writers
 *   report.c    the terminal report
 * The writers themselves are the output layer's (src/output).
 */
#ifndef SR_STORE_INT_H
#define SR_STORE_INT_H

#include "../sr_internal.h"

#include <sqlite3.h>
#include <stdio.h>

/* prepared statements kept for the life of the handle */
enum st_stmt {
	ST_DOC_HAS,
	ST_DOC_INS,
	ST_FTS_SEG,
	ST_FTS_POST,
	ST_FTS_LENS,
	ST_ENT_GET,
	ST_ENT_INS,
	ST_SRC_GET,
	ST_SRC_INS,
	ST_EV_INS,
	ST_EV_LAST,
	ST_QTY_INS,
	ST_EVSRC_INS,
	ST_EV_DERIVE,
	ST_SENT_INS,
	ST_SENT_NEXT,
	ST_NSTMT
};

struct st_pg;

struct sr_store {
	sqlite3 *db;
	struct st_pg *pg;      /* the PostgreSQL engine (pg_int.h), NULL for SQLite */
	char *path;
	unsigned flags;
	int version;
	int in_tx;              /* a batch is open */
	int fk_off;             /* foreign keys switched off by ingest's
				 * batches, on again by sr_store_flush */
	size_t batch;           /* documents per batch */
	size_t pending;         /* documents in the open batch */
	sqlite3_int64 last_event; /* the last event row in the open batch, 0: to read */
	sqlite3_int64 next_sent; /* the id of the next sentence, 0: to read */
	long batch_docs, batch_events; /* rows the open batch added (meta counts) */
	int batch_window;       /* the widest date window of its events, days */
	/* the first rows the document being added inserted (0: none yet),
	 * for undoing it when it fails (ingest.c: no savepoint per document) */
	sqlite3_int64 doc_row, doc_first_sentence, doc_first_entity, doc_first_source;
	sqlite3_stmt *stmt[ST_NSTMT];
	const sr_lexicon *lx;   /* for place containment, may be NULL */
	sr_store_lexicon_fn lx_load; /* loads lx when a filter first needs it */
	void *lx_ctx;
	double wait_limit;      /* seconds a writer waits for the lock, 0 = for ever */
	sr_store_wait_fn wait_fn;
	void *wait_ctx;
	double wait_t0, wait_noted; /* the wait under way */
	double cpu_open, cpu_add, cpu_flush; /* thread CPU seconds in them (SITREP_STORE_TIMING) */
	double cpu_index;       /* thread CPU seconds adding sentences to the full-text index */
	int timing;             /* SITREP_STORE_TIMING set: the cpu_ figures measured */
	struct st_fts *fts;     /* the open batch's words (fts.c), NULL until one */
	long status_places;     /* places whose status the last fusion wrote, -1 all */
	char err[512];
};

/* ---- fts.c: SQLite's full-text index of the sentences (schema 11),
 * written by ingest in the batch's transaction.  st_fts_add adds the
 * words of sentence row sid (its text s, n bytes) to the open batch's;
 * st_fts_flush writes them as a segment (and merges segments) inside the
 * open transaction, before its commit; st_fts_drop forgets them (the
 * batch rolled back); st_fts_free at close.  st_fts_build indexes the
 * sentences after the last indexed (a migration, a copy), inside the
 * open transaction. */
void st_fts_add(sr_store *st, int64_t sid, const char *s, size_t n);
int st_fts_flush(sr_store *st);
void st_fts_drop(sr_store *st);
void st_fts_free(sr_store *st);
int st_fts_build(sr_store *st);
/* Schema 13's migration: the blocks of fts_post_v12 (schema 11's) into
 * fts_post, split into directory and postings (fts.c). */
int st_fts_relayout(sr_store *st);
/* A matching sentence and its bm25 rank (lower is better, as FTS5's). */
typedef struct st_fts_hit {
	int64_t sid;
	double rank;
} st_fts_hit;
/* The sentences matching query (FTS5's syntax, as search.c writes it):
 * with window > 0, the window most recently stored only; ranked, best
 * first, into *hits (owned by the caller: free), their number in *n.
 * SR_ERR_USAGE with why set when the query cannot be read, SR_ERR_DB. */
int st_fts_search(sr_store *st, const char *query, long window, st_fts_hit **hits, size_t *n,
		  char *why, size_t whylen);

/* CPU seconds of the calling thread (SITREP_STORE_TIMING). */
double st_thread_cpu(void);
/* st_thread_cpu() when st measures its CPU (SITREP_STORE_TIMING), else 0:
 * the clock is a system call, four per report were 7% of the store's
 * own cost. */
static inline double
st_clock(const sr_store *st)
{
	return st->timing ? st_thread_cpu() : 0.0;
}

/* Sets the handle's message (printf style); returns SR_ERR_DB. */
int st_fail(sr_store *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Sets the message from SQLite's last error with a prefix; SR_ERR_DB. */
int st_dberr(sr_store *st, const char *what);
/* Seconds between two calls of the wait callback. */
#define SR_STORE_WAIT_NOTE 2.0
/* Seconds a query waits to refresh stale incidents before it shows them
 * as they are (an ingest under way refreshes them when it ends). */
#define SR_STORE_QUERY_WAIT 1.0
/* Sets the page cache and memory map for the process's address space
 * (store.c); fusion shrinks the cache while it runs, then calls this. */
void st_size_cache(sr_store *st);
/* search with a limit ranks (bm25) at most this many matching sentences,
 * the most recently stored (search.c) */
#define ST_SEARCH_RANKED 5000
/* Opens a write transaction, waiting for another writer as long as the
 * handle allows (sr_store_set_wait).  SR_OK or SR_ERR_DB. */
int st_begin(sr_store *st);
/* Commits the open batch of ingest (sr_store_flush without switching
 * foreign keys on again); SR_OK or SR_ERR_DB. */
int st_flush(sr_store *st);
/* Runs SQL with no result; SR_OK or SR_ERR_DB. */
int st_exec(sr_store *st, const char *sql);
/* Prepares a statement (NULL on error, message set). */
sqlite3_stmt *st_prepare(sr_store *st, const char *sql);
/* One cached statement, reset and unbound. */
sqlite3_stmt *st_stmt(sr_store *st, enum st_stmt which);
/* Version 14 is for ingest's cost: a document's sentences in one row of
 * sent_rows (its first sentence's id, as the full-text index numbers
 * them, the report's, and per sentence [n, span_start, span_end] in a
 * JSON array), written with it, in place of a row per sentence (a sixth
 * of what storing cost, 48 M instructions of 300 M for the bench's 1,157
 * reports).  The ids of a report's sentences follow each other from its
 * first, so that a search finds a sentence's row as the one with the
 * greatest first at most its id.  The view sentences gives the rows as
 * they were, for every reader that reads them in SQL (copies, tests);
 * an INSERT into it (a copy) adds to the last row of its report, or a
 * new row numbered after the last (the sentences of a report must come
 * one after the other).  st_sent_relayout (ingest.c), run by migrate
 * after SENT_ROWS_SQL, moves the old rows and makes the view. */
#define SENT_ROWS_SQL \
	"CREATE TABLE sent_rows(first INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL" \
	" REFERENCES documents(id) ON DELETE CASCADE, sents TEXT NOT NULL);"
#define SENT_VIEW_SQL \
	"CREATE VIEW sentences(id, doc_id, n, span_start, span_end) AS" \
	" SELECT r.first + j.key, r.doc_id, json_extract(j.value, '$[0]')," \
	" json_extract(j.value, '$[1]'), json_extract(j.value, '$[2]')" \
	" FROM sent_rows r, json_each(r.sents) j;" \
	"CREATE TRIGGER sentences_insert INSTEAD OF INSERT ON sentences BEGIN" \
	" UPDATE sent_rows SET sents = json_insert(sents, '$[#]'," \
	"  json_array(NEW.n, NEW.span_start, NEW.span_end))" \
	"  WHERE first = (SELECT max(first) FROM sent_rows) AND doc_id = NEW.doc_id;" \
	" INSERT INTO sent_rows(first, doc_id, sents) SELECT coalesce((SELECT first" \
	"  + json_array_length(sents) FROM sent_rows ORDER BY first DESC LIMIT 1), 1)," \
	"  NEW.doc_id, json_array(json_array(NEW.n, NEW.span_start, NEW.span_end))" \
	"  WHERE NOT EXISTS (SELECT 1 FROM sent_rows WHERE first = (SELECT max(first)" \
	"  FROM sent_rows) AND doc_id = NEW.doc_id);" \
	" END;"
/* Schema 14's migration (ingest.c): the sentences' rows of a document
 * made one row of sent_rows.  *rebuilt: set when the sentences had to be
 * numbered again (a store copied from PostgreSQL, whose sentences' ids
 * interleave), their full-text index emptied for st_fts_build. */
int st_sent_relayout(sr_store *st, int *rebuilt);

/* The name of the VFS of a store's writers (vfs.c: the write-ahead log's
 * frames written a transaction at a time), registered on first use;
 * NULL (SQLite's default) when it cannot be or SITREP_NO_WAL_HOLD is
 * set. */
const char *st_vfs(void);
/* Binds a string or NULL. */
void st_bind_str(sqlite3_stmt *s, int i, const char *v);
/* A single integer from a query ("SELECT count(*) ..."), -1 on error. */
long st_scalar(sr_store *st, const char *sql);
/* Reads meta(key) into out ("" when absent). */
void st_meta_get(sr_store *st, const char *key, char *out, size_t n);
int st_meta_set(sr_store *st, const char *key, const char *val);
/* Fills the derived columns of the events from row id first on (schema
 * version 4: sort key, quantities, sources, report JSON). */
int st_derive_events(sr_store *st, sqlite3_int64 first);
/* ---- derive.c: the JSON columns of the events from row id first on
 * (quantities, sources, report), through the output layer. */
int st_derive_json(sr_store *st, sqlite3_int64 first);
/* A source of an event as the derived columns read it: its row id, the
 * name and kind of its row and the words of the event that named it. */
typedef struct st_esrc {
	long long id;
	const char *name, *kind, *text;
} st_esrc;
/* What an event's row carries for the queries, made from the event as
 * it is stored (the same text as ST_EV_DERIVE and st_derive_json make
 * from the tables): owned by the struct until st_derived_free. */
typedef struct st_derived {
	sr_mem quantities, sources, report;     /* JSON */
	sr_buf source_names;                    /* "a; b", NULL ptr when none */
	sr_buf source_search;                   /* lower(outlet) US lower(names) */
	double killed;
	int has_killed;
} st_derived;
/* Fills d for ev of doc stored as event row id, its actor and place
 * named aname and pname by their entity rows (may be NULL), its
 * distinct sources srcs[0..ns) (sorted here by name and kind, as the
 * columns list them). */
void st_derive_event(st_derived *d, const sr_doc *doc, const sr_event *ev, long long id,
		     const char *aname, const char *pname, st_esrc *srcs, int ns);
void st_derived_free(st_derived *d);
/* Makes again from the tables what ingest keeps beside them: each
 * event's fuse_src and fuse_qty (what fusion reads) and the numbers of
 * reports and events in meta.  A store filled other than by
 * sr_store_add (a copy from another engine) calls it before it commits;
 * SR_OK or SR_ERR_DB. */
int st_rederive(sr_store *st);
/* Bumps the event generation (events changed: incidents are stale). */
int st_touch_events(sr_store *st);
/* Are incidents up to date with events? */
int st_fused(sr_store *st);
/* Refreshes incidents when stale and the store is writable. */
int st_ensure_fused(sr_store *st);

/* ---- dates: days since 1970-01-01 (proleptic Gregorian) */

int32_t st_days(int y, int m, int d);
void st_civil(int32_t days, int *y, int *m, int *d);
/* Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" into the first and last day it
 * covers; returns 0 on a malformed or impossible date. */
int st_date_range(const char *s, int32_t *lo, int32_t *hi);
/* Writes "YYYY-MM-DD" of days into out. */
void st_date_str(int32_t days, char out[11]);

/* ---- fuse.c: fuses when the events changed since the last fusion,
 * checking again once it holds the write lock. */
int st_fuse_if_stale(sr_store *st);

/* ---- filter.c: the entities (places when is_place, else actors) that a
 * --place or --actor text names, as an SQL list of ids "(1,2)" in out
 * (reset first; "()" when none). */
int st_entity_ids(sr_store *st, const char *text, int is_place, sr_buf *out);

/* ---- areas.c: a place's country (name, ISO alpha-3 and numeric) and
 * first-level area by name, for the exports.  One lookup per query. */
typedef struct st_areas st_areas;
/* The lexicon may be NULL (then admin1 is unknown). */
st_areas *st_areas_new(const sr_lexicon *lx);
void st_areas_free(st_areas *a);
/* Fills the country's name, alpha-3 and numeric code (static for the
 * lookup's life); returns 0 when cc is unknown. */
int st_country(const st_areas *a, const char *cc, const char **name, const char **alpha3,
	       int *numeric);
/* The name of the first-level area of a place, or NULL; lives as long as
 * the lookup. */
const char *st_admin1(st_areas *a, const char *lexicon_id, const char *precision, const char *cc,
		      int has_coord, double lat, double lon);

/* Splits an ACLED code of codes.tsv ("Explosions/Remote violence/Air/drone
 * strike") after its event type (data/acled.tsv) into type and sub; sets
 * *disorder to the type's disorder type (NULL if unknown). */
int st_acled_type(const st_areas *a, const char *code, char *type, size_t tn, char *sub,
		  size_t sn, const char **disorder);
/* ACLED's actor category (inter1) of an actor kind; abroad: the actor's
 * country is not the place's.  0 when unknown. */
int st_inter(const st_areas *a, const char *kind, int abroad);

/* ---- q.c: a statement of either engine, for the queries: the SQL in
 * SQLite's dialect, carried over for PostgreSQL (see q.c); the rows read
 * alike.  Parameters are numbered from 1 as in SQLite. */
typedef struct st_q st_q;
enum { ST_DONE = 0, ST_ROW = 1 };
/* NULL on error (message on the handle); free with st_q_free. */
st_q *st_q_prep(sr_store *st, const char *sql);
/* Binds a copy of v (NULL: SQL NULL) or a number to parameter i. */
void st_q_bind_text(st_q *q, int i, const char *v);
void st_q_bind_int(st_q *q, int i, long long v);
/* ST_ROW, ST_DONE, or -1 on error (message on the handle). */
int st_q_step(st_q *q);
/* Columns of the current row: text valid until the next step (NULL for
 * SQL NULL), numbers 0 for NULL, booleans 1 and 0. */
const char *st_q_text(st_q *q, int i);
int st_q_bytes(st_q *q, int i);
long long st_q_int(st_q *q, int i);
double st_q_double(st_q *q, int i);
int st_q_null(st_q *q, int i);
/* Runs again from the start with the same bindings. */
void st_q_reset(st_q *q);
void st_q_free(st_q *q);
/* SQLite's SQL as PostgreSQL's (q.c's rules); *nargs: its parameters.
 * Owned by the caller (free). */
char *st_q_pg_sql(const char *sql, int *nargs);

/* ---- report.c: the places query (sr_store_query, SR_Q_PLACES) */
int st_places_query(sr_store *st, const sr_filter *f, int fmt, sr_page *page, sr_sink_fn fn,
		    void *ctx);

/* ---- fuse.c: an event's roles from entity ids, for both engines' fusion */

/* An entity as events refer to it. */
typedef struct lent {
	const char *key, *name;
	int rank, is_place, has_coord;
	char country[3];
	double lat, lon;
} lent;

struct sf_event;
void st_event_roles(struct sf_event *e, const lent *ent, long long nent, long long ai,
		    long long pi, long long oi);

#endif
