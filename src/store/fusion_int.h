/*
 * fusion_int.h -- what the store's fusion shares between its files:
 * fuse.c (load, fuse all, write the incidents), fuse_status.c (write
 * the place status) and fuse_region.c (fuse again only the region of time new reports reach),
 * and between its two engines: one sequence of steps (st_fu_run) for
 * both, whose reads and writes fuse.c and fuse_region.c run themselves
 * for SQLite and hand to pg_fuse.c for PostgreSQL (the pg_fu_* below),
 * so both engines fuse alike through the same pure functions.
 */
#ifndef SR_STORE_FUSION_INT_H
#define SR_STORE_FUSION_INT_H

#include "store_int.h"
#include "../fuse/fuse_int.h"

#include <stdio.h>

/* Strings met again and again (types, modalities, units, a place's words,
 * source names) are kept once: an open-addressed table of arena copies. */
typedef struct strtab {
	const char **v;         /* the slots; its block holds tag too (free v) */
	uint32_t *tag;          /* per slot, the high half of its string's hash:
				   a slot of another string is passed without
				   reading that string (strncmp of the strings
				   probed was 3% of fusion) */
	size_t mask, used;
	sr_arena *a;
} strtab;

/* A document as events refer to it. */
typedef struct ldoc {
	const char *name, *outlet, *published;
	const char **copies;    /* outlets of its other copies, sorted */
	int ncopies;
	long long ord;          /* the rank of its key among the documents, 1.. */
} ldoc;

/* What every pass reads: entities, documents and sources by id, and the
 * strings met again and again.  Lives for the whole fusion. */
typedef struct fcommon {
	sr_arena a;
	strtab tab;
	lent *ent;
	ldoc *doc;
	const char **src;
	sqlite3_int64 nent, ndoc, nsrc;
	const char *last[4];    /* per column of type, modality, date precision,
				   the last string kept (st_fuse_read_event) */
	/* PostgreSQL's fusion of all: every event, read in one scan of the
	 * table (not one a type: each read the whole table), kept by type
	 * until its turn */
	int preloaded;          /* they were read */
	struct pg_evtype *pgt;
	size_t npgt;
	const char *pgs[256];   /* their modalities and date precisions, [0] NULL */
	int npgs;
} fcommon;

/* An event as PostgreSQL's fusion of all keeps it until its type's turn
 * (pg_fuse.c): what fusion reads of its row, strings kept in fcommon. */
typedef struct pg_ev {
	const char *date, *place_text;
	const char *fuse;       /* its fuse_src, PG_FUSE_SEP, its fuse_qty;
				   NULL when both are NULL */
	int32_t id, doc;        /* (an id past INT32_MAX, or n past PG_EV_MAXN:
				   the events are read a type at a time instead) */
	int32_t actor, place, other;    /* entity ids (0: none or past INT32_MAX,
					   which no entity array reaches) */
	uint32_t n : 15, approx : 1, modality : 8, dprec : 8;   /* fcommon's pgs[] */
} pg_ev;                        /* (48 bytes: a million of them are held) */
#define PG_EV_MAXN 32767
#define PG_FUSE_SEP '\x1f'      /* in pg_ev.fuse: in neither column's text */

typedef struct pg_evtype {
	const char *type;       /* interned in fcommon */
	pg_ev *v;               /* owned; freed once the type is loaded */
	size_t n, cap;
} pg_evtype;

/* The columns of an event that fusion reads, in this order (then,
 * for a fusion of a region, the incident it belonged to). */
#define EVENT_COLS "e.id, e.doc_id, e.type, e.modality, e.date, e.date_precision," \
	" e.date_approx, e.n, e.actor_id, e.place_id, e.other_id, e.place_text, e.fuse_src," \
	" e.fuse_qty"

/* An event's sources from its fuse_src ("3,12": source ids), sorted by
 * name, and its quantities from its fuse_qty ("value unit approx;...",
 * in their order); the arrays in a. */
void st_fuse_read_sources(fcommon *c, sr_arena *a, sf_event *e, const char *ids);
void st_fuse_read_quantities(fcommon *c, sr_arena *a, sf_event *e, const char *s);

/* An incident as it is written, kept once its type's events are gone:
 * what insert_incident, the digest and status need. */
typedef struct cinc {
	int32_t first;          /* the order (sf_incident.first), then type, */
	const char *type;       /* and the anchor's index in its document */
	int n;
	long long id, place, actor, other;
	const char *date, *dprec;       /* of the most precisely dated member */
	int dated;
	int32_t dlo, dhi;       /* the span of the stated dates */
	int32_t when;           /* the most precise date's own start */
	int mod;
	size_t nmem, ndocs, nsources, ndis;
	const char **sources;
	char *sources_json, *quantities_json, *docs, *modalities;
	const char *first_published;
	double days;
	sf_dis *dis;            /* owned */
	long long *mem;         /* member event ids, in member order; owned */
	const char *actor_key, *other_name;
	int other_is_place;
	const char *places;     /* the other places of its events (column places), NULL */
} cinc;

/* The incidents of every type: the key of each in memory, the rest in a
 * temporary file (the incidents of a million events take a few hundred
 * megabytes: held in memory, they made fusion's peak memory grow with
 * the store). */
typedef struct ckey {
	int32_t first;
	const char *type;       /* interned: lives as long as the fusion */
	long long dord;
	int n;
	int dis;                /* has disagreements */
	long off;               /* of its record in the file */
	long long id;           /* its number when written */
	long long was;          /* a fusion of a region: the stored incident it
				   is exactly, 0 if it is not one */
	uint64_t dig;           /* a digest of what is written for it, but its id */
	long long same;         /* the stored incident of the same content
				   (fuse_known.c), its record left out (off -1);
				   0 if none */
} ckey;

typedef struct fknown fknown;

typedef struct cincs {
	ckey *v;
	size_t n, cap;
	FILE *f;
	sr_buf b;               /* a record being written or read */
	sr_arena a;             /* strings of the record read last */
	char *err;              /* set when the file failed */
	size_t changed;         /* incidents written or deleted (write_incidents) */
	/* the places whose status those incidents may change (their place
	 * and other places, before and after), for write_status; touch_all:
	 * every place's (SQLite's write_incidents sets them) */
	long long *touched;
	size_t ntouched, captouched;
	int touch_all;
	const fknown *known;    /* set: the records of incidents stored as they
				   are are left out (st_fuse_keep) */
	size_t restored;        /* records written from stored rows
				   (st_fu_known_records) */
} cincs;

/* The events of a region (fuse_region.c). */
typedef struct region {
	sf_event *ev;
	size_t n, cap;
	sr_arena a;             /* the events' arrays */
} region;

/* CPU seconds of the process (SITREP_FUSE_TIMING). */
double st_fuse_cpu(void);

/* s[0..n) kept once in t: the copy lives as long as t's arena.  NULL for
 * NULL. */
const char *st_intern(strtab *t, const char *s, size_t n);

/* Column i of s kept once in t (st_intern); NULL for NULL. */
const char *st_col_str(strtab *t, sqlite3_stmt *s, int i);

/* Column i of s copied into a (lives as long as a); NULL for NULL. */
const char *st_col_dup(sr_arena *a, sqlite3_stmt *s, int i);

/* Entities, sources and (with all_docs) documents into c, by id. */
int st_fuse_load_common(sr_store *st, fcommon *c, int all_docs);

/* The row of s (EVENT_COLS) into e: strings kept in c, its sources' and
 * quantities' arrays in a. */
void st_fuse_read_event(fcommon *c, sr_arena *a, sqlite3_stmt *s, sf_event *e);

/* The fields of e that come from its document (loaded in c). */
void st_fuse_event_doc(const fcommon *c, sf_event *e);

/* The incidents of fu: their keys into out, the rest into its file. */
int st_fuse_keep(sf_fusion *fu, cincs *out);

/* The array of a fusion of all's events grown to hold need (its
 * capacity *cap, in events), in huge pages; freed by st_ev_free. */
void st_ev_grow(sf_event **buf, size_t *cap, size_t need);
void st_ev_free(sf_event *buf, size_t cap);

/* Record x as st_fuse_keep writes it, into b. */
void st_fu_cinc_put(sr_buf *b, const cinc *x);

/* ---- fuse_known.c (SQLite's fusion of all) */
/* The stored incidents by their content's hash (from their digests);
 * *out NULL when none has a digest. */
int st_fu_known_load(sr_store *st, fknown **out);
/* The stored incident whose content hashes to h (ckey.dig), 0 if none. */
long long st_fu_known_get(const fknown *k, uint64_t h);
void st_fu_known_free(fknown *k);
/* The records left out that are needed (need[i] and ci->v[i].off < 0)
 * written from their stored incidents' rows, before any is deleted. */
int st_fu_known_records(sr_store *st, cincs *ci, const unsigned char *need);

/* The timeline's order of incidents (qsort over ckey). */
int st_cmp_ckey(const void *pa, const void *pb);

void st_cincs_free(cincs *c);

/* Sorts v[0..n) and drops repeats; the new count (both engines' fusion
 * of a region). */
size_t st_uniq_ll(long long *v, size_t n);
/* Whether x is in v[0..n), sorted by st_uniq_ll. */
int st_has_ll(const long long *v, size_t n, long long x);

/* Fuses again only the region the events stored since the last fusion
 * reach, into out, numbered; *done = 0 when it cannot prove the result
 * (or has no record of the last fusion): then the caller fuses all.
 * CPU seconds of loading and fusing are added to *tload and *tfuse. */
int st_fuse_region(sr_store *st, fcommon *cm, cincs *out, int *done, double *tload,
		   double *tfuse);

/* Fuses (a region when all is 0 and it can be proved, else every event)
 * and writes the incidents, the place status and the meta values of a
 * fusion, in the caller's transaction (both engines). */
int st_fu_run(sr_store *st, int all);
/* Record k of c into x (strings in c's arena until the next read). */
int st_fu_cinc_get(cincs *c, size_t k, cinc *x);
/* The digest of what is written for an incident (both engines alike:
 * a store copied between them keeps its incidents' digests). */
long long st_fu_digest(const cinc *I, sr_buf *scratch);
/* The same digest, made when the incident was kept (st_fuse_keep) and
 * numbered: no need to read its record back. */
long long st_fu_key_digest(const ckey *k);
/* Adds place and the places of a "12,40" list to ci's touched places
 * (fuse.c). */
void st_fu_touch_places(cincs *ci, long long place, const char *places);
/* Writes place status (fuse_status.c): of every place, or, with ci of a
 * fusion of a region (SQLite), of the places its incidents touched. */
int st_fu_write_status(sr_store *st, cincs *ci);
/* The largest "days" of an incident's quantities JSON; the names of a
 * JSON array of strings (kept in t). */
double st_fu_json_days(const char *q);
size_t st_fu_json_names(strtab *t, const char *sj, const char *const **out);

/* ---- pg_fuse.c: the steps that read or write, on PostgreSQL */
int pg_fu_load_common(sr_store *st, fcommon *c, int all_docs);
/* 1 and the next type after prev in out, 0 when none, -1 on error. */
int pg_fu_next_type(sr_store *st, const char *prev, char *out, size_t n);
/* A type's events into *buf (capacity *cap, grown as needed: one array
 * serves every type). */
int pg_fu_load_type(sr_store *st, fcommon *c, const char *type, sr_arena *a, sf_event **buf,
		    size_t *cap, size_t *nout);
/* The span of the windows of the events no fusion has placed in an
 * incident yet, and of those whose report gained a copy after copy fc. */
int pg_fu_dirty_start(sr_store *st, long long fc, int32_t *lo, int32_t *hi, long long *n);
int pg_fu_load_region(sr_store *st, fcommon *c, int32_t x0, region *r, long long **was,
		      size_t *nwas);
int pg_fu_write_incidents(sr_store *st, cincs *ci, int all);
int pg_fu_write_status(sr_store *st);

#endif
