/*
 * pg_fuse.c -- fusion and place status over a PostgreSQL store: the steps
 * of fuse.c's one sequence (st_fu_run) that read or write the database,
 * here with COPY, so that both engines fuse alike through the same pure
 * functions (src/fuse): after an ingest only the region of time the new
 * events reach (proved, else all), a fusion of all type by type (one
 * type's events in memory at a time), the incidents that changed (by
 * the digest both engines compute) deleted and written again in bulk,
 * place status derived from the incidents as written.
 *
 * One fusion at a time: a session advisory lock (PG_LOCK_FUSE) is taken
 * first, then a REPEATABLE READ transaction reads one snapshot of the
 * events (ingests go on committing meanwhile: their batches bump
 * events_gen after the snapshot, so the store is seen stale again and
 * fused by the next refresh), and everything is written in that
 * transaction.  Readers see the old incidents until the commit and the
 * new ones after it, never a mixture and never a wait: DELETE, unlike
 * TRUNCATE, takes no lock a reader needs.
 *
 * New events are those in no incident yet, not those numbered after the
 * last fusion's: ingests take their ids in blocks (pg_ingest.c), so an
 * event committed after a fusion may carry a smaller id than one it saw.
 */
#include "pg_int.h"
#include "fusion_int.h"

#include <stdlib.h>

/* What fusion reads of an event (row_event, row_all_event), in this
 * order. */
#define EV_COLS "e.id, e.doc_id, e.type, e.modality, e.date, e.date_precision," \
	" e.date_approx, e.n, e.actor_id, e.place_id, e.other_id, e.place_text, e.fuse_src," \
	" e.fuse_qty"
/* The same columns of event_fuse, for an INSERT into it. */
#define FU_COLS "id, doc_id, type, modality, date, date_precision, date_approx, n, actor_id," \
	" place_id, other_id, place_text, fuse_src, fuse_qty"

/* Schema 14: event_fuse, fusion's columns of every event some fusion
 * placed (every event is there or in events_new, once), read by a fusion
 * of all instead of the events: a narrow table, without an index, its
 * fixed-width columns first (137 MB for a million events; events is
 * 942 MB, its 33 columns deformed up to fuse_qty, the last).  Fusion
 * moves the events of events_new into it in its transaction
 * (fuse_locked), so ingest writes nothing more. */
#define PG_EVENT_FUSE_FILL \
	"INSERT INTO event_fuse(" FU_COLS ") SELECT " EV_COLS " FROM events e"
const char pg_event_fuse_fill_sql[] = PG_EVENT_FUSE_FILL
	" WHERE NOT EXISTS (SELECT 1 FROM events_new n WHERE n.event_id = e.id)";
const char *const pg_schema_v14[] = {
	"CREATE TABLE IF NOT EXISTS event_fuse(id bigint NOT NULL, doc_id bigint NOT NULL,"
	" actor_id bigint, place_id bigint, other_id bigint, n integer NOT NULL,"
	" date_approx integer NOT NULL, type text COLLATE \"C\" NOT NULL,"
	" modality text COLLATE \"C\" NOT NULL, date text COLLATE \"C\","
	" date_precision text COLLATE \"C\", place_text text COLLATE \"C\","
	" fuse_src text COLLATE \"C\", fuse_qty text COLLATE \"C\")",
	"TRUNCATE event_fuse",
	pg_event_fuse_fill_sql,
	NULL};

static long long
num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static const char *
keep(fcommon *c, const char *s)
{
	return s ? st_intern(&c->tab, s, strlen(s)) : NULL;
}

static const char *
dup_a(sr_arena *a, const char *s)
{
	return s ? sr_arena_strndup(a, s, strlen(s)) : NULL;
}

/* ---------------------------------------------------------------- load */

static int
row_entity(void *ctx, char **f, int n)
{
	fcommon *c = ctx;
	long long id = num(f[0]);
	if (n < 8 || id < 1 || id > c->nent)
		return 0;
	lent *e = &c->ent[id];
	e->key = dup_a(&c->a, f[1]);
	e->name = dup_a(&c->a, f[2]);
	e->rank = sf_place_rank(f[3]);
	e->country[0] = 0;
	if (f[4] && strlen(f[4]) == 2)
		memcpy(e->country, f[4], 3);
	e->has_coord = f[5] && f[6];
	e->lat = f[5] ? strtod(f[5], NULL) : 0;
	e->lon = f[6] ? strtod(f[6], NULL) : 0;
	e->is_place = (int)num(f[7]);
	return 0;
}

static int
row_source(void *ctx, char **f, int n)
{
	fcommon *c = ctx;
	long long id = num(f[0]);
	if (n >= 2 && id >= 1 && id <= c->nsrc)
		c->src[id] = keep(c, f[1]);
	return 0;
}

/* A text field kept once in c; NULL for NULL. */
static const char *
bin_keep(fcommon *c, const pg_bin_field *f)
{
	return f->p ? st_intern(&c->tab, f->p, f->len) : NULL;
}

/* The strings of a fusion of all's reads that repeat (the events'
 * types, modalities, dates, places' texts; the documents' outlets and
 * dates), as recently kept: a slot
 * per hash of their bytes, checked by content, so that most are found
 * without a probe of c->tab (a million strings or more, each probe a
 * miss of the caches). */
#define RECENT 4096
typedef struct actx {
	fcommon *c;
	const char *s[RECENT];
	uint32_t len[RECENT];
} actx;

static const char *
recent_keep(actx *x, const pg_bin_field *f)
{
	if (!f->p)
		return NULL;
	uint32_t h = 2166136261u ^ (uint32_t)f->len;
	for (size_t i = 0; i < f->len; i++)
		h = (h ^ (unsigned char)f->p[i]) * 16777619u;
	h = (h ^ (h >> 15)) & (RECENT - 1);
	if (x->s[h] && x->len[h] == f->len && !memcmp(x->s[h], f->p, f->len))
		return x->s[h];
	x->len[h] = (uint32_t)f->len;
	return x->s[h] = bin_keep(x->c, f);
}

/* Documents: their fields, and their keys to rank them by (ranks are
 * all fusion compares; strcmp, as SQLite's index on the key orders). */
typedef struct dkey {
	const char *key;
	long long id;
} dkey;

typedef struct dctx {
	fcommon *c;
	dkey *k;
	size_t n, cap;
	actx *r;
} dctx;

static const char *
bin_dup(sr_arena *a, const pg_bin_field *f)
{
	return f->p ? sr_arena_strndup(a, f->p, f->len) : NULL;
}

/* (in COPY's binary form, as the events: nothing to unescape) */
static int
row_doc(void *ctx, const pg_bin_field *f, int n)
{
	dctx *d = ctx;
	fcommon *c = d->c;
	long long id = n >= 5 ? pg_bin_ll(&f[0]) : 0;
	if (id < 1 || id > c->ndoc)
		return 0;
	ldoc *x = &c->doc[id];
	x->name = bin_dup(&c->a, &f[1]);
	x->outlet = recent_keep(d->r, &f[2]);
	x->published = recent_keep(d->r, &f[3]);
	x->copies = NULL;
	x->ncopies = 0;
	if (f[4].p) {
		SR_GROW(d->k, d->cap, d->n + 1);
		d->k[d->n].key = bin_dup(&c->a, &f[4]);
		d->k[d->n++].id = id;
	}
	return 0;
}

static int
row_doc_copy(void *ctx, char **f, int n)
{
	fcommon *c = ctx;
	long long id = num(f[0]);
	if (n < 2 || id < 1 || id > c->ndoc || !f[1])
		return 0;
	ldoc *d = &c->doc[id];
	const char **v = sr_arena_alloc(&c->a, (size_t)(d->ncopies + 1) * sizeof *v);
	if (d->ncopies)
		memcpy(v, d->copies, (size_t)d->ncopies * sizeof *v);
	v[d->ncopies++] = keep(c, f[1]);
	d->copies = v;
	return 0;
}

static int
cmp_dkey(const void *a, const void *b)
{
	return strcmp(((const dkey *)a)->key, ((const dkey *)b)->key);
}

/* The documents of where (a condition on d) and their copies into c,
 * ranked by key among themselves. */
static int
load_docs(sr_store *st, fcommon *c, const char *where)
{
	dctx d = {c, NULL, 0, 0, sr_calloc(1, sizeof(actx))};
	d.r->c = c;
	sr_buf q = {0};
	sr_buf_printf(&q, "SELECT d.id, d.name, d.outlet, d.published, d.key FROM documents d"
		      " WHERE %s", where);
	int rc = pg_copy_out_binary(st, q.ptr, row_doc, &d);
	free(d.r);
	sr_buf_reset(&q);
	/* (outlets in byte order whatever the database's collation) */
	sr_buf_printf(&q, "SELECT c.doc_id, c.outlet FROM doc_copies c JOIN documents d"
		      " ON d.id = c.doc_id WHERE c.outlet IS NOT NULL AND %s"
		      " ORDER BY c.doc_id, c.outlet COLLATE \"C\"", where);
	if (rc == SR_OK)
		rc = pg_copy_out(st, q.ptr, row_doc_copy, c);
	sr_buf_free(&q);
	if (d.n > 1)
		qsort(d.k, d.n, sizeof *d.k, cmp_dkey);
	for (size_t i = 0; i < d.n; i++)
		c->doc[d.k[i].id].ord = (long long)i + 1;
	free(d.k);
	return rc;
}

/* The index of an interned string of a small set (modalities, date
 * precisions) in c->pgs; 0 for NULL.  Past the table's 255 (no store
 * has so many), npgs is set past it: the events are then read a type at
 * a time instead (pg_fu_load_common). */
static uint8_t
small_str(fcommon *c, const char *s)
{
	if (!s)
		return 0;
	for (int i = 1; i <= c->npgs && i < 256; i++)
		if (c->pgs[i] == s)
			return (uint8_t)i;
	if (c->npgs >= 255) {
		c->npgs = 256;
		return 0;
	}
	c->pgs[++c->npgs] = s;
	return (uint8_t)c->npgs;
}

static int32_t
ent_id(long long id)
{
	return id > 0 && id <= INT32_MAX ? (int32_t)id : 0;
}

/* Every event (the columns of load_events), into its type's list. */
static int
row_all_event(void *ctx, const pg_bin_field *f, int nf)
{
	actx *x = ctx;
	fcommon *c = x->c;
	if (nf < 14)
		return 0;
	const char *type = recent_keep(x, &f[2]);
	size_t t = 0;
	while (t < c->npgt && c->pgt[t].type != type)
		t++;
	if (t == c->npgt) {
		c->pgt = sr_realloc(c->pgt, (c->npgt + 1) * sizeof *c->pgt);
		memset(&c->pgt[t], 0, sizeof c->pgt[t]);
		c->pgt[t].type = type;
		c->npgt++;
	}
	pg_evtype *b = &c->pgt[t];
	SR_GROW(b->v, b->cap, b->n + 1);
	pg_ev *e = &b->v[b->n++];
	long long id = pg_bin_ll(&f[0]), doc = pg_bin_ll(&f[1]), n = pg_bin_ll(&f[7]);
	if (id < 0 || id > INT32_MAX || doc < 0 || doc > INT32_MAX || n < 0 || n > PG_EV_MAXN)
		c->npgs = 256;  /* (past what pg_ev holds: read a type at a time) */
	e->id = (int32_t)(id & INT32_MAX);
	e->doc = (int32_t)(doc & INT32_MAX);
	e->n = (uint32_t)(n & PG_EV_MAXN);
	e->modality = small_str(c, recent_keep(x, &f[3]));
	e->date = recent_keep(x, &f[4]);
	e->dprec = small_str(c, recent_keep(x, &f[5]));
	e->approx = pg_bin_ll(&f[6]) != 0;
	e->actor = ent_id(pg_bin_ll(&f[8]));
	e->place = ent_id(pg_bin_ll(&f[9]));
	e->other = ent_id(pg_bin_ll(&f[10]));
	e->place_text = recent_keep(x, &f[11]);
	/* (one string for both columns: 16 bytes less an event, a million
	 * of them held until their type's turn) */
	e->fuse = NULL;
	if (f[12].p || f[13].p) {
		char buf[512];
		size_t n1 = f[12].p ? f[12].len : 0, n2 = f[13].p ? f[13].len : 0;
		char *j = n1 + n2 + 1 <= sizeof buf ? buf : sr_malloc(n1 + n2 + 1);
		if (n1)
			memcpy(j, f[12].p, n1);
		j[n1] = PG_FUSE_SEP;
		if (n2)
			memcpy(j + n1 + 1, f[13].p, n2);
		e->fuse = st_intern(&c->tab, j, n1 + n2 + 1);
		if (j != buf)
			free(j);
	}
	return 0;
}

int
pg_fu_load_common(sr_store *st, fcommon *c, int all_docs)
{
	c->nent = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM entities");
	c->ndoc = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM documents");
	c->nsrc = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM sources");
	if (c->nent < 0 || c->ndoc < 0 || c->nsrc < 0)
		return SR_ERR_DB;
	c->ent = sr_calloc((size_t)c->nent + 1, sizeof *c->ent);
	c->doc = sr_calloc((size_t)c->ndoc + 1, sizeof *c->doc);
	c->src = sr_calloc((size_t)c->nsrc + 1, sizeof *c->src);
	int rc = pg_copy_out(st, "SELECT id, key, name, precision, country, lat, lon, is_place"
			     " FROM entities", row_entity, c);
	if (rc == SR_OK)
		rc = pg_copy_out(st, "SELECT id, name FROM sources", row_source, c);
	if (rc == SR_OK && all_docs)
		rc = load_docs(st, c, "true");
	/* (for a fusion of all: the events in one scan of their table, by
	 * type: a scan a type read the whole table four times; their
	 * sources and quantities with them, in their fuse_src and fuse_qty,
	 * not two more tables held in memory beside them.  In COPY's binary
	 * form: no numbers printed by the server and parsed here) */
	/* (from event_fuse, schema 14, a seventh of the events' pages; the
	 * events no fusion placed yet from the events, by their ids) */
	if (rc == SR_OK && all_docs) {
		actx *x = sr_calloc(1, sizeof *x);
		x->c = c;
		rc = pg_copy_out_binary(st, "SELECT " EV_COLS " FROM event_fuse e UNION ALL"
					" SELECT " EV_COLS " FROM events e WHERE e.id IN"
					" (SELECT event_id FROM events_new)", row_all_event, x);
		free(x);
	}
	if (c->npgs > 255) {
		for (size_t i = 0; i < c->npgt; i++)
			free(c->pgt[i].v);
		free(c->pgt);
		c->pgt = NULL;
		c->npgt = 0;
	}
	c->preloaded = rc == SR_OK && all_docs;
	return rc;
}

int
pg_fu_next_type(sr_store *st, const char *prev, char *out, size_t n)
{
	const char *p[1] = {prev};
	PGresult *r = pg_exec(st, "SELECT min(type) FROM events WHERE type > $1",
			      1, p);
	if (!r)
		return -1;
	int found = PQntuples(r) > 0 && !PQgetisnull(r, 0, 0);
	if (found)
		snprintf(out, n, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	return found;
}

/* Events read in id order, then their sources and quantities merged in
 * by event id (rows of those come in event order too). */
typedef struct ectx {
	fcommon *c;
	sr_arena *a;
	sf_event *ev;
	size_t n, cap, cur;
	int was;                /* a 13th column: the stored incident */
	int big;                /* ev is a fusion of all's (st_ev_grow) */
} ectx;

static int
row_event(void *ctx, char **f, int nf)
{
	ectx *x = ctx;
	fcommon *c = x->c;
	if (nf < 14 + x->was)
		return 0;
	if (x->big)
		st_ev_grow(&x->ev, &x->cap, x->n + 1);
	else
		SR_GROW(x->ev, x->cap, x->n + 1);
	sf_event *e = &x->ev[x->n++];
	memset(e, 0, sizeof *e);
	e->id = num(f[0]);
	e->doc = num(f[1]);
	e->type = keep(c, f[2]);
	e->modality = keep(c, f[3]);
	e->date = keep(c, f[4]);
	e->dprec = keep(c, f[5]);
	e->approx = (int)num(f[6]);
	e->n = (int)num(f[7]);
	st_event_roles(e, c->ent, c->nent, num(f[8]), num(f[9]), num(f[10]));
	e->place_text = keep(c, f[11]);
	st_fuse_read_sources(c, x->a, e, f[12]);
	st_fuse_read_quantities(c, x->a, e, f[13]);
	if (x->was)
		e->was = num(f[14]);
	return 0;
}

/* The events of "from" (a FROM clause naming events e) and "where", with
 * the stored incident of each when was; appended to x (a fusion of all
 * read them already: then only sorted). */
static int cmp_ev_id(const void *a, const void *b);

static int
load_events(sr_store *st, ectx *x, const char *from, const char *where)
{
	int rc = SR_OK;
	if (!x->c->preloaded || !x->c->npgt) {
		sr_buf q = {0};
		sr_buf_printf(&q, "SELECT " EV_COLS "%s FROM %s%s WHERE %s",
			      x->was ? ", ie.incident_id" : "", from,
			      x->was ? " LEFT JOIN incident_events ie ON ie.event_id = e.id" : "",
			      where);
		rc = pg_copy_out(st, q.ptr, row_event, x);
		sr_buf_free(&q);
	}
	/* (in id order, as SQLite's walk of its index gives them; the scan
	 * of a table written by ingests nearly always gives them so: then
	 * not sorted again, each event a few hundred bytes) */
	size_t i = 1;
	while (i < x->n && x->ev[i - 1].id < x->ev[i].id)
		i++;
	if (i < x->n)
		qsort(x->ev, x->n, sizeof *x->ev, cmp_ev_id);
	return rc;
}

/* An event's sources and quantities from its pg_ev.fuse. */
static void
read_fuse(fcommon *c, sr_arena *a, sf_event *e, const char *fuse)
{
	const char *sep = strchr(fuse, PG_FUSE_SEP);
	size_t n1 = sep ? (size_t)(sep - fuse) : strlen(fuse);
	char buf[256];
	char *t = n1 < sizeof buf ? buf : sr_malloc(n1 + 1);
	memcpy(t, fuse, n1);
	t[n1] = 0;
	st_fuse_read_sources(c, a, e, t);
	if (t != buf)
		free(t);
	if (sep)
		st_fuse_read_quantities(c, a, e, sep + 1);
}

int
pg_fu_load_type(sr_store *st, fcommon *c, const char *type, sr_arena *a, sf_event **buf,
		size_t *cap, size_t *nout)
{
	ectx x = {.c = c, .a = a, .ev = *buf, .cap = *cap, .big = 1};
	/* (a fusion of all read every event already: this type's are taken
	 * from there, and their list freed) */
	for (size_t t = 0; c->preloaded && t < c->npgt; t++) {
		pg_evtype *b = &c->pgt[t];
		if (strcmp(b->type, type))
			continue;
		st_ev_grow(&x.ev, &x.cap, b->n + 1);
		for (size_t i = 0; i < b->n; i++) {
			const pg_ev *p = &b->v[i];
			sf_event *e = &x.ev[x.n++];
			memset(e, 0, sizeof *e);
			e->id = p->id;
			e->doc = p->doc;
			e->type = b->type;
			e->modality = c->pgs[p->modality];
			e->date = p->date;
			e->dprec = c->pgs[p->dprec];
			e->approx = p->approx;
			e->n = p->n;
			st_event_roles(e, c->ent, c->nent, p->actor, p->place, p->other);
			e->place_text = p->place_text;
			if (p->fuse)
				read_fuse(c, a, e, p->fuse);
		}
		free(b->v);
		b->v = NULL;
		b->n = b->cap = 0;
		break;
	}
	char *lit = PQescapeLiteral(st->pg->conn, type, strlen(type));
	if (!lit)
		return pg_fail(st, "fusion", NULL);
	sr_buf w = {0};
	sr_buf_printf(&w, "e.type = %s", lit);
	PQfreemem(lit);
	int rc = load_events(st, &x, "events e", w.ptr);
	sr_buf_free(&w);
	for (size_t i = 0; i < x.n; i++)
		st_fuse_event_doc(c, &x.ev[i]);
	*buf = x.ev;
	*cap = x.cap;
	*nout = x.n;
	return rc;
}

typedef struct dirty {
	int32_t lo, hi;
	long long n;
} dirty;

static int
row_dirty(void *ctx, char **f, int nf)
{
	dirty *d = ctx;
	if (nf < 4)
		return 0;
	sf_event e;
	memset(&e, 0, sizeof e);
	e.date = f[0];
	e.approx = (int)num(f[1]);
	e.modality = f[2];
	e.published = f[3];
	sf_event_window(&e);
	if (e.lo < d->lo)
		d->lo = e.lo;
	if (e.hi > d->hi)
		d->hi = e.hi;
	d->n++;
	return 0;
}

int
pg_fu_dirty_start(sr_store *st, long long fc, int32_t *lo, int32_t *hi, long long *n)
{
	dirty d = {INT32_MAX, INT32_MIN, 0};
	char q[600];
	/* (the ids first, from events_new, then the rows of the few
	 * found) */
	snprintf(q, sizeof q,
		 "WITH n AS MATERIALIZED (SELECT DISTINCT event_id AS id FROM events_new)"
		 " SELECT e.date, e.date_approx, e.modality, d.published FROM n"
		 " JOIN events e ON e.id = n.id JOIN documents d ON d.id = e.doc_id"
		 " UNION ALL SELECT e.date, e.date_approx, e.modality, d.published"
		 " FROM doc_copies c JOIN events e ON e.doc_id = c.doc_id"
		 " JOIN documents d ON d.id = c.doc_id WHERE c.id > %lld", fc);
	/* (the events no fusion placed yet, from events_new, schema 12:
	 * until then an anti-join of every event with every membership,
	 * 0.6 s of server over a million events at low load, 4 s at load 6) */
	int rc = pg_copy_out(st, q, row_dirty, &d);
	*lo = d.lo;
	*hi = d.hi;
	*n = d.n;
	return rc;
}

/* Every membership of the stored incidents, (event, incident). */
typedef struct mctx {
	long long *ev, *inc;
	size_t n, cap, cap2;
} mctx;

static int
row_member(void *ctx, const pg_bin_field *f, int nf)
{
	mctx *m = ctx;
	if (nf < 2)
		return 0;
	SR_GROW(m->ev, m->cap, m->n + 1);
	SR_GROW(m->inc, m->cap2, m->n + 1);
	m->ev[m->n] = pg_bin_ll(&f[0]);
	m->inc[m->n++] = pg_bin_ll(&f[1]);
	return 0;
}

static int
cmp_ev_id(const void *a, const void *b)
{
	long long x = ((const sf_event *)a)->id, y = ((const sf_event *)b)->id;
	return (x > y) - (x < y);
}

/* Where each event of x is, by id (ids are dense from 1: an array
 * indexed by id beats a search per membership, a million of them). */
typedef struct evpos {
	int32_t *at;            /* by id: index in x->ev + 1, 0 if none */
	long long max;
} evpos;

static void
evpos_make(evpos *p, const ectx *x)
{
	free(p->at);
	p->max = 0;
	for (size_t i = 0; i < x->n; i++)
		if (x->ev[i].id > p->max)
			p->max = x->ev[i].id;
	p->at = sr_calloc((size_t)p->max + 1, sizeof *p->at);
	for (size_t i = 0; i < x->n; i++)
		if (x->ev[i].id >= 1)
			p->at[x->ev[i].id] = (int32_t)i + 1;
}

static sf_event *
find_event(const evpos *p, ectx *x, long long id)
{
	return id >= 1 && id <= p->max && p->at[id] ? &x->ev[p->at[id] - 1] : NULL;
}

/* v[0..n) as an array literal of bigints. */
static void
id_array(sr_buf *b, const long long *v, size_t n)
{
	sr_buf_adds(b, "'{");
	for (size_t i = 0; i < n; i++)
		sr_buf_printf(b, "%s%lld", i ? "," : "", v[i]);
	sr_buf_adds(b, "}'::bigint[]");
}


/* The events whose windows may reach x0, with the other members of their
 * stored incidents, each with that incident (was).  A region is a tenth
 * or so of the events: its rows are read by their indexes (the date's,
 * then the keys) and the stored incidents by one scan of the
 * memberships, whose join with each event cost a random read each (2 s
 * of a region of 137,000 events). */
int
pg_fu_load_region(sr_store *st, fcommon *c, int32_t x0, region *r, long long **was,
		  size_t *nwas)
{
	/* a dated event's window ends at most 7 days after its date's end,
	 * an undated one at most SR_FUSE_UNDATED_DAYS after its report */
	char c1[11], c2[11];
	st_date_str(x0 - 8, c1);
	st_date_str(x0 - SR_FUSE_UNDATED_DAYS - 1, c2);
	ectx x = {.c = c, .a = &r->a};
	sr_buf q = {0};
	sr_buf_printf(&q, "SELECT " EV_COLS " FROM events e WHERE e.date_hi >= '%s'"
		      " UNION ALL SELECT " EV_COLS " FROM documents d JOIN events e ON e.doc_id = d.id"
		      " WHERE (d.published >= '%s' OR d.published IS NULL) AND e.date_hi IS NULL",
		      c1, c2);
	int rc = pg_copy_out(st, q.ptr, row_event, &x);
	mctx m = {0};
	/* (the memberships are read once a fusion: a try with a wider
	 * margin reads the same snapshot, nothing written in between, and
	 * takes them from st->pg->mem_inc, which the first try filled; each
	 * read of a million cost the server 0.15-0.39 s of CPU, 0.8-1.8 s
	 * of wall at load 10) */
	int had = st->pg->mem_inc != NULL;
	for (long long ev = 1; had && ev <= st->pg->mem_n; ev++)
		if (st->pg->mem_inc[ev]) {
			SR_GROW(m.ev, m.cap, m.n + 1);
			SR_GROW(m.inc, m.cap2, m.n + 1);
			m.ev[m.n] = ev;
			m.inc[m.n++] = st->pg->mem_inc[ev];
		}
	if (rc == SR_OK && !had)
		rc = pg_copy_out_binary(st, "SELECT event_id, incident_id FROM incident_events",
					row_member, &m);
	if (x.n > 1)
		qsort(x.ev, x.n, sizeof *x.ev, cmp_ev_id);
	evpos pos = {0};
	evpos_make(&pos, &x);
	/* their stored incidents, then those incidents' other members */
	long long *w = sr_malloc((x.n + 1) * sizeof *w);
	size_t nw = 0;
	for (size_t i = 0; rc == SR_OK && i < m.n; i++)
		if (find_event(&pos, &x, m.ev[i]))
			w[nw++] = m.inc[i];
	nw = st_uniq_ll(w, nw);
	long long *more = NULL;
	size_t nmore = 0, capmore = 0;
	for (size_t i = 0; rc == SR_OK && i < m.n; i++)
		if (!find_event(&pos, &x, m.ev[i]) && st_has_ll(w, nw, m.inc[i])) {
			SR_GROW(more, capmore, nmore + 1);
			more[nmore++] = m.ev[i];
		}
	if (rc == SR_OK && nmore) {
		sr_buf_reset(&q);
		sr_buf_adds(&q, "SELECT " EV_COLS " FROM events e WHERE e.id = ANY(");
		id_array(&q, more, nmore);
		sr_buf_adds(&q, ")");
		rc = pg_copy_out(st, q.ptr, row_event, &x);
		if (x.n > 1)
			qsort(x.ev, x.n, sizeof *x.ev, cmp_ev_id);
		evpos_make(&pos, &x);
	}
	sr_buf_free(&q);
	free(more);
	for (size_t i = 0; rc == SR_OK && i < m.n; i++) {
		sf_event *e = find_event(&pos, &x, m.ev[i]);
		if (e)
			e->was = m.inc[i];
	}
	free(pos.at);
	/* the memberships by event, kept for pg_fu_write_incidents (the
	 * same snapshot, nothing written before it: not read twice) */
	if (rc == SR_OK && !had) {
		long long mx = 0;
		for (size_t i = 0; i < m.n; i++)
			if (m.ev[i] > mx)
				mx = m.ev[i];
		free(st->pg->mem_inc);
		st->pg->mem_inc = sr_calloc((size_t)mx + 1, sizeof *st->pg->mem_inc);
		st->pg->mem_n = mx;
		for (size_t i = 0; i < m.n; i++)
			if (m.ev[i] >= 1)
				st->pg->mem_inc[m.ev[i]] = m.inc[i];
	}
	free(m.ev);
	free(m.inc);
	/* their documents, named by id */
	long long *dv = sr_malloc((x.n + 1) * sizeof *dv);
	for (size_t i = 0; i < x.n; i++)
		dv[i] = x.ev[i].doc;
	size_t k = st_uniq_ll(dv, x.n);
	sr_buf dw = {0};
	sr_buf_adds(&dw, "d.id = ANY(");
	id_array(&dw, dv, k);
	sr_buf_adds(&dw, ")");
	free(dv);
	if (rc == SR_OK)
		rc = load_docs(st, c, dw.ptr);
	sr_buf_free(&dw);
	for (size_t i = 0; i < x.n; i++)
		st_fuse_event_doc(c, &x.ev[i]);
	r->ev = x.ev;
	r->n = x.n;
	r->cap = x.cap;
	*was = w;
	*nwas = nw;
	return rc;
}

/* --------------------------------------------------------------- write */

static void
field_id(sr_buf *b, long long id)
{
	if (id)
		pg_field_int(b, id);
	else
		pg_field_null(b);
}

typedef struct olddig {
	long long *v;           /* by id */
	unsigned char *has;     /* a digest stored */
	long long n;
} olddig;

static int
row_digest(void *ctx, char **f, int nf)
{
	olddig *o = ctx;
	long long id = nf >= 2 ? num(f[0]) : 0;
	if (id >= 1 && id <= o->n && f[1]) {
		o->v[id] = num(f[1]);
		o->has[id] = 1;
	}
	return 0;
}

/* An incident's rows as COPY text: its own, its disagreements (its
 * members: pg_fu_write_incidents). */
static void
incident_rows(const cinc *I, long long dig, sr_buf *inc, sr_buf *dis)
{
	pg_field_int(inc, I->id);
	pg_field_str(inc, I->type);
	field_id(inc, I->place);
	field_id(inc, I->actor);
	field_id(inc, I->other);
	if (I->dated) {
		char dlo[11], dhi[11];
		st_date_str(I->dlo, dlo);
		st_date_str(I->dhi, dhi);
		pg_field_str(inc, I->date);
		pg_field_str(inc, I->dprec);
		pg_field_str(inc, dlo);
		pg_field_str(inc, dhi);
	} else {
		for (int k = 0; k < 4; k++)
			pg_field_null(inc);
	}
	pg_field_str(inc, sr_modality_name(I->mod));
	pg_field_int(inc, (long long)I->nmem);
	pg_field_int(inc, (long long)I->ndocs);
	pg_field_int(inc, (long long)I->nsources);
	pg_field_str(inc, I->sources_json);
	pg_field_str(inc, I->quantities_json);
	pg_field_str(inc, I->docs);
	pg_field_str(inc, I->modalities);
	pg_field_str(inc, I->first_published);
	pg_field_int(inc, (long long)I->ndis);
	pg_field_int(inc, dig);
	pg_field_str(inc, I->places);
	pg_row_end(inc);
	for (size_t k = 0; k < I->ndis; k++) {
		const sf_dis *g = &I->dis[k];
		pg_field_int(dis, I->id);
		pg_field_str(dis, g->field);
		pg_field_str(dis, g->value);
		pg_field_str(dis, g->events);
		pg_field_str(dis, g->docs);
		pg_field_str(dis, g->sources);
		pg_row_end(dis);
	}
}

/* Rows sent in pieces of about this size (the memory of a fusion of all
 * stays bounded by the incidents' keys, not their rows). */
#define COPY_PIECE (8u << 20)

static int
flush_rows(sr_store *st, sr_buf *b, const char *sql, int force)
{
	if (!b->len || (!force && b->len < COPY_PIECE))
		return SR_OK;
	int rc = pg_copy_in(st, sql, b->ptr, b->len);
	sr_buf_reset(b);
	return rc;
}

static const char *const copy_inc =
	"COPY incidents(id, type, place_id, actor_id, other_id, date, date_precision, date_lo,"
	" date_hi, modality, nevents, ndocs, nsources, sources, quantities, docs, modalities,"
	" first_published, ndisagreements, digest, places) FROM STDIN";
static const char *const copy_mem = "COPY incident_events(incident_id, event_id) FROM STDIN";
static const char *const copy_dis =
	"COPY disagreements(incident_id, field, value, events, docs, sources) FROM STDIN";

/* The stored memberships: the incident of each event, by event id. */
typedef struct oldmem {
	long long *inc;
	long long n;
} oldmem;

static int
row_oldmem(void *ctx, const pg_bin_field *f, int nf)
{
	oldmem *o = ctx;
	long long ev = nf >= 2 ? pg_bin_ll(&f[0]) : 0;
	if (ev >= 1 && ev <= o->n)
		o->inc[ev] = pg_bin_ll(&f[1]);
	return 0;
}

/* As fuse.c's write_incidents for SQLite: the incidents of ci whose
 * digest is not the one stored under their id are deleted and written
 * again, those numbered above the last of ci go; when ci holds every
 * incident (all) and most changed, all are deleted and written.  The
 * deletes go in a few statements (ids as one array), the rows by COPY.
 * Memberships are written by event, not by incident: only those of
 * events that joined another incident or none before (an incident
 * written again mostly keeps its members, and a membership costs the
 * server its two unique indexes: rewriting a million of them took it
 * 14-22 s); they are deleted by event before the new ones come. */
int
pg_fu_write_incidents(sr_store *st, cincs *ci, int all)
{
	size_t ninc = ci->n;
	long long *dig = sr_malloc((ninc + 1) * sizeof *dig);
	cinc x;
	int rc = SR_OK;
	for (size_t i = 0; i < ninc; i++)
		dig[i] = st_fu_key_digest(&ci->v[i]);
	olddig o = {NULL, NULL, pg_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents")};
	if (o.n < 0)
		rc = SR_ERR_DB;
	if (rc == SR_OK) {
		o.v = sr_calloc((size_t)o.n + 1, sizeof *o.v);
		o.has = sr_calloc((size_t)o.n + 1, 1);
		rc = pg_copy_out(st, "SELECT id, digest FROM incidents WHERE digest IS NOT NULL",
				 row_digest, &o);
	}
	unsigned char *write = sr_calloc(ninc + 1, 1);
	size_t changed = 0;
	long long top = 0;
	sr_buf gone = {0};
	for (size_t i = 0; rc == SR_OK && i < ninc; i++) {
		long long id = ci->v[i].id;
		if (id > top)
			top = id;
		if (id >= 1 && id <= o.n && o.has[id] && o.v[id] == dig[i])
			continue;
		write[i] = 1;
		changed++;
		if (id <= o.n)
			sr_buf_printf(&gone, "%s%lld", gone.len ? "," : "{", id);
	}
	for (long long id = top + 1; rc == SR_OK && id <= o.n; id++) {
		changed++;
		sr_buf_printf(&gone, "%s%lld", gone.len ? "," : "{", id);
	}
	ci->changed = changed;
	int whole = all && changed * 2 > ninc;
	/* the memberships stored, when anything is to be written */
	oldmem om = {st->pg->mem_inc, st->pg->mem_n};
	st->pg->mem_inc = NULL;         /* (read by the region's load: owned here now) */
	if (rc == SR_OK && changed && !om.inc) {
		om.n = pg_scalar(st, "SELECT coalesce(max(event_id), 0) FROM incident_events");
		if (om.n < 0)
			rc = SR_ERR_DB;
	}
	if (rc == SR_OK && changed && !om.inc) {
		om.inc = sr_calloc((size_t)om.n + 1, sizeof *om.inc);
		rc = pg_copy_out_binary(st, "SELECT event_id, incident_id FROM incident_events",
					row_oldmem, &om);
	}
	if (rc == SR_OK && whole) {
		rc = pg_cmd(st, "DELETE FROM disagreements; DELETE FROM incidents");
		memset(write, 1, ninc);
	} else if (rc == SR_OK && gone.len) {
		sr_buf_addc(&gone, '}');
		const char *p[1] = {gone.ptr};
		static const char *const del[] = {
			"DELETE FROM disagreements WHERE incident_id = ANY($1::bigint[])",
			"DELETE FROM incidents WHERE id = ANY($1::bigint[])"};
		for (size_t k = 0; k < 2 && rc == SR_OK; k++) {
			PGresult *r = pg_exec(st, del[k], 1, p);
			rc = r ? SR_OK : SR_ERR_DB;
			PQclear(r);
		}
	}
	sr_buf inc = {0}, mem = {0}, dis = {0}, moved = {0};
	for (size_t i = 0; rc == SR_OK && i < ninc; i++) {
		if (!write[i])
			continue;
		if (st_fu_cinc_get(ci, i, &x) != SR_OK) {
			rc = st_fail(st, "%s: fusion: cannot read its temporary file", st->path);
			break;
		}
		incident_rows(&x, dig[i], &inc, &dis);
		for (size_t k = 0; k < x.nmem; k++) {
			long long ev = x.mem[k];
			long long was = ev >= 1 && ev <= om.n ? om.inc[ev] : 0;
			if (was == x.id)
				continue;
			if (was)
				sr_buf_printf(&moved, "%s%lld", moved.len ? "," : "{", ev);
			pg_field_int(&mem, x.id);
			pg_field_int(&mem, ev);
			pg_row_end(&mem);
		}
		rc = flush_rows(st, &inc, copy_inc, 0);
		if (rc == SR_OK)
			rc = flush_rows(st, &dis, copy_dis, 0);
	}
	if (rc == SR_OK)
		rc = flush_rows(st, &inc, copy_inc, 1);
	if (rc == SR_OK)
		rc = flush_rows(st, &dis, copy_dis, 1);
	/* memberships: those of incidents gone, and of events that moved,
	 * deleted before the new ones come (an event is in one incident) */
	if (rc == SR_OK && changed) {
		char q[96];
		snprintf(q, sizeof q, "DELETE FROM incident_events WHERE incident_id > %lld", top);
		rc = pg_cmd(st, q);
	}
	if (rc == SR_OK && moved.len) {
		sr_buf_addc(&moved, '}');
		const char *p[1] = {moved.ptr};
		PGresult *r = pg_exec(st, "DELETE FROM incident_events WHERE event_id ="
				      " ANY($1::bigint[])", 1, p);
		rc = r ? SR_OK : SR_ERR_DB;
		PQclear(r);
	}
	if (rc == SR_OK)
		rc = flush_rows(st, &mem, copy_mem, 1);
	sr_buf_free(&inc);
	sr_buf_free(&mem);
	sr_buf_free(&dis);
	sr_buf_free(&moved);
	sr_buf_free(&gone);
	free(om.inc);
	free(write);
	free(o.v);
	free(o.has);
	free(dig);
	return rc;
}

/* ---------------------------------------------------------- place status */

typedef struct sctx {
	strtab tab;
	sr_arena a;
	sf_sinc *in;
	size_t n, cap;
} sctx;

#define SKEEP(c, v) st_intern(&(c)->tab, (v), (v) ? strlen(v) : 0)

static int
row_status_inc(void *ctx, char **f, int nf)
{
	sctx *c = ctx;
	if (nf < 15)
		return 0;
	int t = sr_event_type_parse(f[4]);
	if (t != SR_EVT_WITHDRAW && t != SR_EVT_TAKE_CONTROL && t != SR_EVT_DEPLOY)
		return 0;
	SR_GROW(c->in, c->cap, c->n + 1);
	sf_sinc *x = &c->in[c->n++];
	memset(x, 0, sizeof *x);
	x->id = num(f[0]);
	x->place = num(f[1]);
	x->actor = num(f[2]);
	x->other = num(f[3]);
	x->type = SKEEP(c, f[4]);
	x->actor_key = SKEEP(c, f[5]);
	x->other_name = SKEEP(c, f[9]);
	x->other_is_place = (int)num(f[10]);
	x->modality = SKEEP(c, f[8]);
	int32_t lo, hi;
	if (f[6]) {
		x->date = SKEEP(c, f[6]);
		x->dprec = SKEEP(c, f[7]);
		x->dated = 1;
		x->when = st_date_range(f[6], &lo, &hi) ? lo : INT32_MAX;
	} else if (st_date_range(f[11], &lo, &hi)) {
		x->when = lo;
	} else {
		x->when = INT32_MAX;
	}
	x->days = st_fu_json_days(f[12]);
	x->nsources = st_fu_json_names(&c->tab, f[13], &x->sources);
	/* the other places of its events, kept in its row by fusion: the
	 * incident counts at each of them too */
	long long pl[SF_MAX_PLACES];
	int npl = sf_places_parse(f[14], pl);
	size_t xi = c->n - 1;
	for (int k = 0; k < npl; k++) {
		SR_GROW(c->in, c->cap, c->n + 1);
		c->in[c->n] = c->in[xi];
		c->in[c->n++].place = pl[k];
	}
	return 0;
}

/* As fuse.c's write_status: the incidents that change who is where, as
 * written, through sf_status, into place_status. */
int
pg_fu_write_status(sr_store *st)
{
	char as_of[11] = "";
	PGresult *r = pg_exec(st, "SELECT max(published) FROM documents", 0, NULL);
	if (!r)
		return SR_ERR_DB;
	if (PQntuples(r) && !PQgetisnull(r, 0, 0))
		snprintf(as_of, sizeof as_of, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	sctx c;
	memset(&c, 0, sizeof c);
	c.tab.a = &c.a;
	int rc = pg_copy_out(st, "SELECT i.id, i.place_id, i.actor_id, i.other_id, i.type, a.key,"
			     " i.date, i.date_precision, i.modality, o.name, o.is_place,"
			     " i.first_published, i.quantities, i.sources, i.places FROM incidents i"
			     " LEFT JOIN entities a ON a.id = i.actor_id"
			     " LEFT JOIN entities o ON o.id = i.other_id"
			     " WHERE i.place_id IS NOT NULL AND i.type IN ('withdraw', 'take_control',"
			     " 'deploy') ORDER BY i.id", row_status_inc, &c);
	sf_status_out out = {0};
	if (rc == SR_OK)
		sf_status(c.in, c.n, as_of[0] ? as_of : NULL, &out);
	sr_buf b = {0};
	for (size_t i = 0; rc == SR_OK && i < out.n; i++) {
		const sf_interval *v = &out.iv[i];
		/* ids in order, as SQLite's rowids after a DELETE of all */
		pg_field_int(&b, (long long)i + 1);
		pg_field_int(&b, v->place);
		field_id(&b, v->actor);
		pg_field_str(&b, v->role);
		pg_field_str(&b, v->has_start ? v->start : NULL);
		pg_field_str(&b, v->has_start && v->start_prec[0] ? v->start_prec : NULL);
		pg_field_str(&b, v->has_end ? v->end : NULL);
		pg_field_str(&b, v->has_end && v->end_prec[0] ? v->end_prec : NULL);
		pg_field_int(&b, v->end_expected);
		pg_field_int(&b, v->open);
		pg_field_str(&b, v->incidents_json);
		pg_field_int(&b, v->nsources);
		pg_field_str(&b, v->sources_json);
		pg_field_str(&b, v->note[0] ? v->note : NULL);
		pg_row_end(&b);
	}
	/* (the rows written only when they differ from those the last
	 * fusion wrote, by a digest of their COPY text kept in meta: most
	 * fusions change no place's status, and the rows of a million
	 * events' status cost the server 0.4 s to write again) */
	char dig[24], was[24];
	snprintf(dig, sizeof dig, "%016llx", (unsigned long long)sr_hash64(b.ptr ? b.ptr : "",
									   b.len));
	if (rc == SR_OK)
		pg_meta_get(st, "status_digest", was, sizeof was);
	int same = rc == SR_OK && !strcmp(dig, was) &&
		pg_scalar(st, "SELECT count(*) FROM place_status") == (long long)out.n;
	if (rc == SR_OK && !same)
		rc = pg_cmd(st, "DELETE FROM place_status");
	if (rc == SR_OK && !same && b.len)
		rc = pg_copy_in(st, "COPY place_status(id, place_id, actor_id, role, start,"
				" start_precision, end_date, end_precision, end_expected, current,"
				" incidents, nsources, sources, note) FROM STDIN", b.ptr, b.len);
	if (rc == SR_OK && !same)
		rc = st_meta_set(st, "status_digest", dig);
	sr_buf_free(&b);
	sf_status_free(&out);
	free(c.in);
	free(c.tab.v);
	sr_arena_free(&c.a);
	return rc;
}

/* ---------------------------------------------------------------- fuse */

/* Fuses holding the fusion lock; with only_if_stale, not when the store
 * was fused meanwhile.  wait: 0 gives up at once when another process
 * fuses (a query then shows what is committed). */
static int
fuse_locked(sr_store *st, int only_if_stale, int wait, int all)
{
	if (st->flags & (SR_STORE_READONLY | SR_STORE_QUERY))
		return st_fail(st, "%s: opened read-only: cannot fuse", st->path);
	int rc = pg_flush(st);
	if (rc != SR_OK)
		return rc;
	char sql[256];
	snprintf(sql, sizeof sql, "SELECT pg_%sadvisory_lock(%ld)", wait ? "" : "try_",
		 PG_LOCK_FUSE);
	PGresult *r = pg_exec(st, sql, 0, NULL);
	if (!r)
		return SR_ERR_DB;
	int got = wait || !strcmp(PQgetvalue(r, 0, 0), "t");
	PQclear(r);
	if (!got)
		return st_fail(st, "%s: another process is fusing; its incidents come when it ends",
			       st->path);
	free(st->pg->mem_inc);  /* (filled by the first try of a region: this snapshot's) */
	st->pg->mem_inc = NULL;
	/* (no parallel workers: they cost more CPU in all than they save
	 * in time, and this machine's other cores are the other writers') */
	rc = pg_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ;"
		    " SET LOCAL max_parallel_workers_per_gather = 0");
	if (rc == SR_OK && (!only_if_stale || !pg_fused(st))) {
		rc = st_fu_run(st, all);
		/* every event of this snapshot is in an incident now (those an
		 * ingest commits meanwhile are not in the snapshot, and stay) */
		if (rc == SR_OK)
			rc = pg_cmd(st, PG_EVENT_FUSE_FILL " WHERE e.id IN"
				    " (SELECT event_id FROM events_new); DELETE FROM events_new");
	}
	free(st->pg->mem_inc);  /* (a region's memberships: this snapshot's only) */
	st->pg->mem_inc = NULL;
	if (rc == SR_OK)
		rc = pg_cmd(st, "COMMIT");
	if (rc != SR_OK) {
		r = PQexec(st->pg->conn, "ROLLBACK");
		PQclear(r);
	}
	snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%ld)", PG_LOCK_FUSE);
	PQclear(PQexec(st->pg->conn, sql));
	return rc;
}

int
pg_fuse(sr_store *st, int only_if_stale, int all)
{
	return fuse_locked(st, only_if_stale, st->wait_limit <= 0 || !only_if_stale, all);
}
