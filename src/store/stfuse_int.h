/*
 * stfuse_int.h -- what the store's fusion (fuse.c) shares between its two
 * engines: the arrays the events are read into, the incidents kept
 * between the pure fusion (src/fuse) and their writing, and the steps
 * that read or write the database, which fuse.c runs itself for SQLite
 * and hands to pg_fuse.c for PostgreSQL.  One sequence of steps for
 * both (a region after an ingest, proved, else all events type by
 * type; the incidents that changed written; place status derived from
 * the incidents as written), so both engines fuse alike.
 */
#ifndef SR_STFUSE_INT_H
#define SR_STFUSE_INT_H

#include "store_int.h"
#include "../fuse/fuse_int.h"

#include <stdio.h>

/* Strings met again and again (types, modalities, units, a place's words,
 * source names) are kept once: an open-addressed table of arena copies. */
typedef struct strtab {
	const char **v;
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
	/* PostgreSQL's fusion of all: every event's sources and quantities,
	 * by event id, read once rather than joined again for each type */
	long long *es_ev, *es_src, *q_ev;
	sf_qty *q;
	size_t nes, capes, capes2, nq, capq, capq2;
} fcommon;

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
} ckey;

typedef struct cincs {
	ckey *v;
	size_t n, cap;
	FILE *f;
	sr_buf b;               /* a record being written or read */
	sr_arena a;             /* strings of the record read last */
	char *err;              /* set when the file failed */
	size_t changed;         /* incidents written or deleted (write_incidents) */
} cincs;

typedef struct region {
	sf_event *ev;
	size_t n, cap;
	sr_arena a;             /* the events' arrays */
} region;

/* ---- fuse.c: helpers over those types */
/* s[0..n) kept once in t (an arena copy; NULL for NULL). */
const char *st_fu_intern(strtab *t, const char *s, size_t n);
/* e's fields from its document (loaded in c). */
void st_fu_event_doc(const fcommon *c, sf_event *e);
/* Record k of c into x (strings in c's arena until the next read). */
int st_fu_cinc_get(cincs *c, size_t k, cinc *x);
/* The digest of what is written for an incident (both engines alike:
 * a store copied between them keeps its incidents' digests). */
long long st_fu_digest(const cinc *I, sr_buf *scratch);
/* The largest "days" of an incident's quantities JSON; the names of a
 * JSON array of strings (kept in t). */
double st_fu_json_days(const char *q);
size_t st_fu_json_names(strtab *t, const char *sj, const char *const **out);
/* Fuses (a region when all is 0 and it can be proved, else every event)
 * and writes the incidents, the place status and the meta values of a
 * fusion, in the caller's transaction. */
int st_fu_run(sr_store *st, int all);

/* ---- pg_fuse.c: the steps that read or write, on PostgreSQL */
int pg_fu_load_common(sr_store *st, fcommon *c, int all_docs);
/* 1 and the next type after prev in out, 0 when none, -1 on error. */
int pg_fu_next_type(sr_store *st, const char *prev, char *out, size_t n);
int pg_fu_load_type(sr_store *st, fcommon *c, const char *type, sr_arena *a, sf_event **out,
		    size_t *nout);
/* The span of the windows of the events no fusion has placed in an
 * incident yet, and of those whose report gained a copy after copy fc. */
int pg_fu_dirty_start(sr_store *st, long long fc, int32_t *lo, int32_t *hi, long long *n);
int pg_fu_load_region(sr_store *st, fcommon *c, int32_t x0, region *r, long long **was,
		      size_t *nwas);
int pg_fu_write_incidents(sr_store *st, cincs *ci, int all);
int pg_fu_write_status(sr_store *st);

#endif
