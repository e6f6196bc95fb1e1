/*
 * pg_int.h -- the PostgreSQL engine of the store (through libpq), beside
 * the SQLite one.  A handle whose --db is "postgresql://...",
 * "postgres://..." or a libpq keyword string ("host=... dbname=...") has
 * st->pg set, and the public sr_store_* functions hand it to the pg_*
 * functions below instead of running SQLite's statements.
 *
 *   pg.c         connection, schema and its forward migrations, COPY in
 *                and out, meta, stats, generation, the query adapter
 *   pg_ingest.c  documents and events buffered per batch, written with
 *                COPY in one transaction; unique keys and ON CONFLICT so
 *                that many ingest processes lose or double nothing
 *   pg_fuse.c    fusion under an advisory lock, through the pure
 *                functions of src/fuse
 *   copy.c       sitrep db copy between engines
 *
 * Both engines store the same model: the same tables, columns and ids,
 * so the same rows come out of both (through src/output).
 */
#ifndef SR_PG_INT_H
#define SR_PG_INT_H

#include "store_int.h"

#include <libpq-fe.h>

/* Advisory lock keys (pg_advisory_lock): one per kind of writer that must
 * run alone (the schema's migration, fusion, the blocks of ids). */
#define PG_LOCK_SCHEMA 0x73697472L      /* "sitr" */
#define PG_LOCK_FUSE   0x73697473L
#define PG_LOCK_IDS    0x73697474L      /* taking and returning blocks of ids */
#define PG_LOCK_FTS    0x73697475L      /* making the pending tsvectors */

typedef struct pg_batch pg_batch;

/* Statements prepared once per connection (pg_exec_named). */
enum { PG_DOC_HAS, PG_ENT_GET, PG_ENT_INS, PG_SRC_GET, PG_SRC_INS, PG_NSTMT };

struct st_pg {
	PGconn *conn;
	pg_batch *batch;        /* documents waiting for the next flush */
	unsigned long ncursors; /* cursors declared (q.c names them by it) */
	char prepared[PG_NSTMT];
	long taken_docs;        /* documents another writer stored first */
	long taken_events;      /* (sr_store_taken_elsewhere) */
	long long *mem_inc;     /* a fusion's stored memberships, incident by
				   event id (pg_fuse.c: read once by the region's
				   load, used by the write), or NULL */
	long long mem_n;
	char last_key[17];      /* the last document key looked up, and */
	int last_has;           /* whether it was stored (has_doc, then add) */
};

/* Is path a PostgreSQL connection string (URL or libpq keywords)? */
int pg_is_conninfo(const char *path);
/* Opens the engine for a handle whose path is a connection string:
 * connects, checks or brings the schema to SR_STORE_SCHEMA.  SR_OK, or
 * SR_ERR_DB with the message in err. */
int pg_open(sr_store *st, char *err, size_t errlen);
void pg_close(sr_store *st);
/* sr_store_open for a connection string. */
sr_store *pg_store_open(const char *conninfo, unsigned flags, char *err, size_t errlen);

/* ---- helpers (messages on the handle) */
/* Runs sql with text parameters (NULL = SQL NULL); NULL on error. */
PGresult *pg_exec(sr_store *st, const char *sql, int n, const char *const *params);
/* As pg_exec, through statement which (PG_*) prepared on first use. */
PGresult *pg_exec_named(sr_store *st, int which, const char *sql, int n,
			const char *const *params);
/* Runs sql, no rows wanted: SR_OK or SR_ERR_DB. */
int pg_cmd(sr_store *st, const char *sql);
/* The first column of the first row as a number, -1 on error or NULL. */
long long pg_scalar(sr_store *st, const char *sql);
/* Sets the handle's message from a result or the connection. */
int pg_fail(sr_store *st, const char *what, const PGresult *r);

/* COPY text format: one field (escaped), a NULL, numbers; a row ends
 * with pg_row_end (the separators are written by pg_field_*). */
void pg_field(sr_buf *b, const char *s, size_t n);
void pg_field_str(sr_buf *b, const char *s);
void pg_field_int(sr_buf *b, long long v);
void pg_field_dbl(sr_buf *b, double v);
void pg_field_null(sr_buf *b);
void pg_row_end(sr_buf *b);
/* COPY ... FROM STDIN with data (rows of pg_field_*).  SR_OK or SR_ERR_DB. */
int pg_copy_in(sr_store *st, const char *copy_sql, const char *data, size_t len);
/* COPY (query) TO STDOUT: fn gets each row's fields (NULL for SQL NULL,
 * unescaped, valid until the next call); a nonzero return stops. */
typedef int (*pg_row_fn)(void *ctx, char **f, int n);
int pg_copy_out(sr_store *st, const char *query, pg_row_fn fn, void *ctx);

/* COPY (query) TO STDOUT in the binary format: fn gets each row's
 * fields as bytes (p NULL for SQL NULL; bigint and integer big-endian,
 * read with pg_bin_ll; double with pg_bin_dbl; text as it is, not
 * terminated), valid until the next call; a nonzero return stops.  No
 * text to parse or unescape on either side: what fusion reads by the
 * million rows. */
typedef struct pg_bin_field {
	const char *p;
	size_t len;
} pg_bin_field;
typedef int (*pg_bin_fn)(void *ctx, const pg_bin_field *f, int n);
int pg_copy_out_binary(sr_store *st, const char *query, pg_bin_fn fn, void *ctx);
long long pg_bin_ll(const pg_bin_field *f);
double pg_bin_dbl(const pg_bin_field *f);

/* The FTS5 query of search.c's rewrite as a tsquery (PostgreSQL's
 * to_tsquery syntax): phrases, prefixes, AND, OR, NOT, parentheses; NEAR
 * becomes AND. */
void pg_tsquery(const char *fts5, sr_buf *out);
/* The words of a sentence as FTS5 cuts and folds them (pg_ts_words), as
 * the text of a tsvector ('word':1 'other':2 ...), made by the client:
 * the server's to_tsvector would cut them otherwise and cost more. */
#define PG_MAX_LEXEME 200       /* bytes of a word kept */
#define PG_MAX_POS 16383        /* PostgreSQL's last position */
void pg_ts_words(const char *s, size_t n, void (*fn)(void *ctx, const char *w, size_t wn),
		 void *ctx);

/* An ASCII run of letters and digits u[start..start+wn) as pg_ts_words
 * folds it, into d: a letter or digit folds by setting bit 0x20, 8 bytes
 * at a time while whole steps stay inside the text u[0..n) (d must have
 * room for wn rounded up to 8), byte by byte otherwise.  Shared by the
 * SQLite index's cutter (fts.c) and the tsvectors sent to PostgreSQL
 * (pg.c), which must fold alike. */
static inline void
pg_fold_ascii(unsigned char *d, const unsigned char *u, size_t start, size_t wn, size_t n)
{
	size_t k = 0;
	if (start + ((wn + 7) & ~(size_t)7) <= n) {
		for (; k < wn; k += 8) {
			uint64_t v;
			memcpy(&v, u + start + k, 8);
			v |= 0x2020202020202020ull;
			memcpy(d + k, &v, 8);
		}
	} else {
		for (; k < wn; k++)
			d[k] = u[start + k] | 0x20u;
	}
}
void pg_tsvector(const char *s, size_t n, sr_buf *out);

/* COPY's binary format (pg_copy_in_binary adds its header and trailer):
 * a row starts with pg_bin_row(its number of fields), then each field;
 * a sentence's tsvector as tsvectorrecv reads it (the words of
 * pg_ts_words, sorted and each once with its positions), which the
 * server takes without parsing text (tsvectorin cost 17% of its CPU). */
void pg_bin_row(sr_buf *b, int nfields);
void pg_bin_int8(sr_buf *b, long long v);
void pg_bin_int4(sr_buf *b, long v);
/* text (s NULL: SQL NULL), its bytes as they are: nothing escaped by the
 * client nor parsed by the server */
void pg_bin_text(sr_buf *b, const char *s, size_t n);
void pg_bin_tsvector(const char *s, size_t n, sr_buf *out);
/* the same, calling fn with each distinct word (lexeme) as it is written */
typedef void (*pg_word_fn)(void *ctx, const char *w, size_t n);
void pg_bin_tsvector_each(const char *s, size_t n, sr_buf *out, pg_word_fn fn, void *ctx);
/* schema 15's runs of sentences (pg.c): one run made again over $1..$2
 * with those it overlaps; every run made again */
extern const char pg_run_rebuild_sql[];
extern const char pg_runs_all_sql[];
int pg_copy_in_binary(sr_store *st, const char *copy_sql, const char *rows, size_t len);

/* ---- meta */
void pg_meta_get(sr_store *st, const char *key, char *out, size_t n);
int pg_fused(sr_store *st);

/* ---- the public functions, for a PostgreSQL handle */
int pg_has_doc(sr_store *st, const sr_doc *doc);
int pg_add(sr_store *st, const sr_doc *doc, const sr_event *events, size_t n, int *added);
int pg_flush(sr_store *st);
/* Moves the sentences ingest stored in sentences_pending to sentences,
 * with their tsvector, in transactions of their own (a read-only handle
 * too: each is begun READ WRITE).  Returns the number of sentences still
 * pending (0: the index is whole; more when this connection may not
 * write, then kept for the next search that may), -1 on error. */
long pg_index_pending(sr_store *st);
/* Fills events_new (schema 12) with the events in no incident (the
 * migration to 11, a copy into PostgreSQL). */
extern const char pg_events_new_sql[];
/* Schema 14 (pg_fuse.c): event_fuse, fusion's columns of the events in
 * no events_new; the SQL that fills it (a copy into PostgreSQL, after
 * pg_events_new_sql). */
extern const char *const pg_schema_v14[];
extern const char pg_event_fuse_fill_sql[];
void pg_batch_free(sr_store *st);
/* Fuses (all: every event, else the region new events reach when it
 * can be proved) under the fusion lock. */
int pg_fuse(sr_store *st, int only_if_stale, int all);
int pg_stats(sr_store *st, sr_store_stats *out);
int pg_generation(sr_store *st, char *out, size_t n);

#endif
