/*
 * pg_fuse.c -- fusion and place status over a PostgreSQL store, through
 * the same pure functions as SQLite's (src/fuse: sf_fuse, sf_status).
 *
 * One fusion at a time: a session advisory lock (PG_LOCK_FUSE) is taken
 * first, then a REPEATABLE READ transaction reads one snapshot of the
 * events (ingests go on committing meanwhile: their batches bump
 * events_gen after the snapshot, so the store is seen stale again and
 * fused by the next refresh), and the incidents that changed (by a
 * digest of what is written for each), their members and disagreements,
 * and the place status are replaced with DELETE and COPY in that
 * transaction.  Readers see the old incidents until the commit and
 * the new ones after it, never a mixture and never a wait: DELETE, unlike
 * TRUNCATE, takes no lock a reader needs.
 *
 * The rows are read with COPY ... TO STDOUT, streamed, into the arrays
 * fusion takes, as fuse.c reads them from SQLite.
 */
#include "pg_int.h"
#include "../fuse/fuse_int.h"

#include <stdlib.h>
#include <time.h>

/* A document as events refer to it (entities: lent, store_int.h). */
typedef struct ldoc {
	const char *key, *name, *outlet, *published;
} ldoc;

typedef struct lctx {
	sr_arena *a;
	lent *ent;
	ldoc *doc;
	const char **src;
	long long nent, ndoc, nsrc;
	sf_event *ev;
	size_t n, cap, cur;
} lctx;

static const char *
ldup(lctx *c, const char *s)
{
	return s ? sr_arena_strndup(c->a, s, strlen(s)) : NULL;
}

static long long
num(const char *s)
{
	return s ? strtoll(s, NULL, 10) : 0;
}

static int
row_entity(void *ctx, char **f, int n)
{
	lctx *c = ctx;
	long long id = num(f[0]);
	if (n < 8 || id < 1 || id > c->nent)
		return 0;
	lent *e = &c->ent[id];
	e->key = ldup(c, f[1]);
	e->name = ldup(c, f[2]);
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
row_doc(void *ctx, char **f, int n)
{
	lctx *c = ctx;
	long long id = num(f[0]);
	if (n < 5 || id < 1 || id > c->ndoc)
		return 0;
	ldoc *d = &c->doc[id];
	d->key = ldup(c, f[1]);
	d->name = ldup(c, f[2]);
	d->outlet = ldup(c, f[3]);
	d->published = ldup(c, f[4]);
	return 0;
}

static int
row_source(void *ctx, char **f, int n)
{
	lctx *c = ctx;
	long long id = num(f[0]);
	if (n >= 2 && id >= 1 && id <= c->nsrc)
		c->src[id] = ldup(c, f[1]);
	return 0;
}

static int
row_event(void *ctx, char **f, int nf)
{
	lctx *c = ctx;
	if (nf < 12)
		return 0;
	SR_GROW(c->ev, c->cap, c->n + 1);
	sf_event *e = &c->ev[c->n++];
	memset(e, 0, sizeof *e);
	e->id = num(f[0]);
	e->doc = num(f[1]);
	e->type = ldup(c, f[2]);
	e->modality = ldup(c, f[3]);
	e->date = ldup(c, f[4]);
	e->dprec = ldup(c, f[5]);
	e->approx = (int)num(f[6]);
	e->n = (int)num(f[7]);
	if (e->doc >= 1 && e->doc <= c->ndoc) {
		const ldoc *d = &c->doc[e->doc];
		e->dockey = d->key;
		e->docname = d->name;
		e->outlet = d->outlet;
		e->published = d->published;
	}
	long long ai = num(f[8]), pi = num(f[9]), oi = num(f[10]);
	st_event_roles(e, c->ent, c->nent, ai, pi, oi);
	e->place_text = ldup(c, f[11]);
	return 0;
}

/* The event of id (rows come in event order), or NULL. */
static sf_event *
event_at(lctx *c, long long id)
{
	while (c->cur < c->n && c->ev[c->cur].id < id)
		c->cur++;
	return c->cur < c->n && c->ev[c->cur].id == id ? &c->ev[c->cur] : NULL;
}

static int
row_evsrc(void *ctx, char **f, int nf)
{
	lctx *c = ctx;
	long long si = nf >= 2 ? num(f[1]) : 0;
	sf_event *e = nf >= 2 ? event_at(c, num(f[0])) : NULL;
	if (!e || si < 1 || si > c->nsrc || !c->src[si])
		return 0;
	const char **v = sr_arena_alloc(c->a, (size_t)(e->nsrc + 1) * sizeof *v);
	int k = e->nsrc;
	while (k > 0 && strcmp(e->srcs[k - 1], c->src[si]) > 0)
		k--;
	if (k)
		memcpy(v, e->srcs, (size_t)k * sizeof *v);
	v[k] = c->src[si];
	if (e->nsrc > k)
		memcpy(v + k + 1, e->srcs + k, (size_t)(e->nsrc - k) * sizeof *v);
	e->nsrc++;
	e->srcs = v;
	return 0;
}

static int
row_copy(void *ctx, char **f, int nf)
{
	lctx *c = ctx;
	sf_event *e = nf >= 2 ? event_at(c, num(f[0])) : NULL;
	if (!e)
		return 0;
	const char **v = sr_arena_alloc(c->a, (size_t)(e->ncopies + 1) * sizeof *v);
	if (e->ncopies)
		memcpy(v, e->copies, (size_t)e->ncopies * sizeof *v);
	v[e->ncopies++] = ldup(c, f[1]);
	e->copies = v;
	return 0;
}

static int
row_qty(void *ctx, char **f, int nf)
{
	lctx *c = ctx;
	sf_event *e = nf >= 4 ? event_at(c, num(f[0])) : NULL;
	if (!e)
		return 0;
	sf_qty *v = sr_arena_alloc(c->a, (size_t)(e->nq + 1) * sizeof *v);
	if (e->nq)
		memcpy(v, e->q, (size_t)e->nq * sizeof *v);
	v[e->nq].value = f[1] ? strtod(f[1], NULL) : 0;
	v[e->nq].unit = f[2] ? ldup(c, f[2]) : "other";
	v[e->nq].approx = (int)num(f[3]);
	e->nq++;
	e->q = v;
	return 0;
}

static int
load(sr_store *st, sr_arena *a, sf_event **out, size_t *nout)
{
	lctx c = {.a = a};
	c.nent = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM entities");
	c.ndoc = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM documents");
	c.nsrc = pg_scalar(st, "SELECT coalesce(max(id), 0) FROM sources");
	int rc = c.nent < 0 || c.ndoc < 0 || c.nsrc < 0 ? SR_ERR_DB : SR_OK;
	if (rc == SR_OK) {
		c.ent = sr_calloc((size_t)c.nent + 1, sizeof *c.ent);
		c.doc = sr_calloc((size_t)c.ndoc + 1, sizeof *c.doc);
		c.src = sr_calloc((size_t)c.nsrc + 1, sizeof *c.src);
	}
	static const struct {
		const char *sql;
		pg_row_fn fn;
		int events;     /* rows in event order: start at the first */
	} steps[] = {
		{"SELECT id, key, name, precision, country, lat, lon, is_place FROM entities",
		 row_entity, 0},
		{"SELECT id, key, name, outlet, published FROM documents", row_doc, 0},
		{"SELECT id, name FROM sources", row_source, 0},
		{"SELECT id, doc_id, type, modality, date, date_precision, date_approx, n,"
		 " actor_id, place_id, other_id, place_text FROM events ORDER BY id", row_event, 0},
		{"SELECT event_id, source_id FROM event_sources ORDER BY event_id", row_evsrc, 1},
		{"SELECT e.id, c.outlet FROM doc_copies c JOIN events e ON e.doc_id = c.doc_id"
		 " WHERE c.outlet IS NOT NULL ORDER BY e.id, c.outlet", row_copy, 1},
		{"SELECT event_id, value, unit, approx FROM quantities ORDER BY event_id, n",
		 row_qty, 1},
	};
	for (size_t i = 0; i < SR_ARRAY_LEN(steps) && rc == SR_OK; i++) {
		c.cur = 0;
		rc = pg_copy_out(st, steps[i].sql, steps[i].fn, &c);
	}
	free(c.ent);
	free(c.doc);
	free(c.src);
	*out = c.ev;
	*nout = c.n;
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

/* A digest of everything written for incident I (its row, members and
 * disagreements): an incident stored with the same digest is left as it
 * is.  (SQLite's digests are fuse.c's own: a store copied from SQLite is
 * rewritten whole by its first fusion here, then only what changes.) */
static long long
digest(const sf_fusion *fu, const sf_incident *I, sr_buf *b)
{
	const sf_event *an = I->an;
	const sf_event *d = I->dated_ev >= 0 ? &fu->ev[I->dated_ev] : NULL;
	sr_buf_reset(b);
	sr_buf_printf(b, "pg|%lld|%s|%lld|%lld|%lld|%s|%s|%d|%d|%s|%zu|%zu|%zu|%s|%s|%s|%s|%s|%zu",
		      I->id, an->type, an->place, I->actor, I->other, d ? d->date : "",
		      d && d->dprec ? d->dprec : "", d ? I->dlo : 0, d ? I->dhi : 0,
		      sr_modality_name(I->mod), I->nmem, I->ndocs, I->nsources,
		      I->sources_json ? I->sources_json : "", I->quantities_json ? I->quantities_json : "",
		      I->docs ? I->docs : "", I->modalities ? I->modalities : "",
		      I->first_published ? I->first_published : "", I->ndis);
	for (size_t k = 0; k < I->nmem; k++)
		sr_buf_printf(b, ",%lld", fu->ev[I->mem[k]].id);
	for (size_t k = 0; k < I->ndis; k++) {
		const sf_dis *g = &I->dis[k];
		sr_buf_printf(b, "\x1f%s\x1e%s\x1e%s\x1e%s\x1e%s", g->field, g->value, g->events,
			      g->docs, g->sources);
	}
	uint64_t h = sr_hash64(b->ptr, b->len);
	h ^= (uint64_t)b->len * 0x9E3779B97F4A7C15ull;
	return (long long)(h >> 1);
}

typedef struct olddig {
	long long *v;           /* by id; 0 = none stored */
	long long n;
} olddig;

static int
row_digest(void *ctx, char **f, int nf)
{
	olddig *o = ctx;
	long long id = nf >= 2 && f[0] ? strtoll(f[0], NULL, 10) : 0;
	if (id >= 1 && id <= o->n && f[1])
		o->v[id] = strtoll(f[1], NULL, 10);
	return 0;
}

/* Writes the incidents of fu.  Incidents are numbered by date, so new
 * reports about recent days leave older incidents as they were: only
 * those whose digest changed, and those that are gone, are deleted and
 * written again (all of them, when most changed), in the caller's
 * transaction. */
static int
write_incidents(sr_store *st, const sf_fusion *fu)
{
	long long *dig = sr_malloc((fu->ninc + 1) * sizeof *dig);
	sr_buf b = {0};
	for (size_t i = 0; i < fu->ninc; i++)
		dig[i] = digest(fu, &fu->inc[i], &b);
	olddig o = {NULL, pg_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents")};
	int rc = o.n < 0 ? SR_ERR_DB : SR_OK;
	if (rc == SR_OK) {
		o.v = sr_calloc((size_t)o.n + 1, sizeof *o.v);
		rc = pg_copy_out(st, "SELECT id, digest FROM incidents WHERE digest IS NOT NULL",
				 row_digest, &o);
	}
	/* what changed: ids to delete, incidents to write */
	unsigned char *write = sr_calloc(fu->ninc + 1, 1);
	size_t changed = 0;
	sr_buf gone = {0};
	for (size_t i = 0; rc == SR_OK && i < fu->ninc; i++) {
		long long id = (long long)i + 1;
		if (id <= o.n && o.v[id] == dig[i])
			continue;
		write[i] = 1;
		changed++;
		if (id <= o.n)
			sr_buf_printf(&gone, "%s%lld", gone.len ? "," : "{", id);
	}
	for (long long id = (long long)fu->ninc + 1; rc == SR_OK && id <= o.n; id++) {
		changed++;
		sr_buf_printf(&gone, "%s%lld", gone.len ? "," : "{", id);
	}
	int whole = changed * 2 > fu->ninc;
	if (rc == SR_OK && whole) {
		rc = pg_cmd(st, "DELETE FROM disagreements; DELETE FROM incident_events;"
			    " DELETE FROM incidents");
		memset(write, 1, fu->ninc);
	} else if (rc == SR_OK && gone.len) {
		/* (an event may move between incidents: the old memberships go
		 * before the new ones come) */
		sr_buf_addc(&gone, '}');
		const char *p[1] = {gone.ptr};
		static const char *const del[] = {
			"DELETE FROM incident_events WHERE incident_id = ANY($1::bigint[])",
			"DELETE FROM disagreements WHERE incident_id = ANY($1::bigint[])",
			"DELETE FROM incidents WHERE id = ANY($1::bigint[])"};
		for (size_t k = 0; k < 3 && rc == SR_OK; k++) {
			PGresult *r = pg_exec(st, del[k], 1, p);
			rc = r ? SR_OK : SR_ERR_DB;
			PQclear(r);
		}
	}
	sr_buf inc = {0}, mem = {0}, dis = {0};
	for (size_t i = 0; rc == SR_OK && i < fu->ninc; i++) {
		if (!write[i])
			continue;
		const sf_incident *I = &fu->inc[i];
		const sf_event *an = I->an;
		pg_field_int(&inc, I->id);
		pg_field_str(&inc, an->type);
		field_id(&inc, an->place);
		field_id(&inc, I->actor);
		field_id(&inc, I->other);
		if (I->dated_ev >= 0) {
			const sf_event *d = &fu->ev[I->dated_ev];
			char dlo[11], dhi[11];
			st_date_str(I->dlo, dlo);
			st_date_str(I->dhi, dhi);
			pg_field_str(&inc, d->date);
			pg_field_str(&inc, d->dprec);
			pg_field_str(&inc, dlo);
			pg_field_str(&inc, dhi);
		} else {
			for (int k = 0; k < 4; k++)
				pg_field_null(&inc);
		}
		pg_field_str(&inc, sr_modality_name(I->mod));
		pg_field_int(&inc, (long long)I->nmem);
		pg_field_int(&inc, (long long)I->ndocs);
		pg_field_int(&inc, (long long)I->nsources);
		pg_field_str(&inc, I->sources_json);
		pg_field_str(&inc, I->quantities_json);
		pg_field_str(&inc, I->docs);
		pg_field_str(&inc, I->modalities);
		pg_field_str(&inc, I->first_published);
		pg_field_int(&inc, (long long)I->ndis);
		pg_field_int(&inc, dig[i]);
		long long pl[SF_MAX_PLACES];
		char ptext[SF_MAX_PLACES * 21 + 1];
		int npl = sf_incident_places(fu, I, pl);
		sf_places_text(pl, npl, ptext, sizeof ptext);
		pg_field_str(&inc, npl ? ptext : NULL);
		pg_row_end(&inc);
		for (size_t k = 0; k < I->nmem; k++) {
			pg_field_int(&mem, I->id);
			pg_field_int(&mem, fu->ev[I->mem[k]].id);
			pg_row_end(&mem);
		}
		for (size_t k = 0; k < I->ndis; k++) {
			const sf_dis *g = &I->dis[k];
			pg_field_int(&dis, I->id);
			pg_field_str(&dis, g->field);
			pg_field_str(&dis, g->value);
			pg_field_str(&dis, g->events);
			pg_field_str(&dis, g->docs);
			pg_field_str(&dis, g->sources);
			pg_row_end(&dis);
		}
	}
	if (rc == SR_OK && inc.len)
		rc = pg_copy_in(st, "COPY incidents(id, type, place_id, actor_id, other_id, date,"
				" date_precision, date_lo, date_hi, modality, nevents, ndocs, nsources,"
				" sources, quantities, docs, modalities, first_published, ndisagreements,"
				" digest, places) FROM STDIN", inc.ptr, inc.len);
	if (rc == SR_OK && mem.len)
		rc = pg_copy_in(st, "COPY incident_events(incident_id, event_id) FROM STDIN", mem.ptr,
				mem.len);
	if (rc == SR_OK && dis.len)
		rc = pg_copy_in(st, "COPY disagreements(incident_id, field, value, events, docs,"
				" sources) FROM STDIN", dis.ptr, dis.len);
	if (getenv("SITREP_FUSE_TIMING"))
		fprintf(stderr, "incidents written: %zu of %zu%s\n", changed, fu->ninc,
			whole ? " (all, most changed)" : "");
	sr_buf_free(&inc);
	sr_buf_free(&mem);
	sr_buf_free(&dis);
	sr_buf_free(&gone);
	sr_buf_free(&b);
	free(write);
	free(o.v);
	free(dig);
	return rc;
}

/* As fuse.c's write_status: the incidents that change who is where,
 * through sf_status, into place_status. */
static int
write_status(sr_store *st, const sf_fusion *fu)
{
	char as_of[11] = "";
	PGresult *r = pg_exec(st, "SELECT max(published) FROM documents", 0, NULL);
	if (!r)
		return SR_ERR_DB;
	if (PQntuples(r) && !PQgetisnull(r, 0, 0))
		snprintf(as_of, sizeof as_of, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	size_t capin = fu->ninc + 1;
	sf_sinc *in = sr_malloc(capin * sizeof *in);
	size_t n = 0;
	for (size_t i = 0; i < fu->ninc; i++) {
		const sf_incident *I = &fu->inc[i];
		const sf_event *an = I->an;
		int t = sr_event_type_parse(an->type);
		if (!an->place || (t != SR_EVT_WITHDRAW && t != SR_EVT_TAKE_CONTROL &&
				   t != SR_EVT_DEPLOY))
			continue;
		sf_sinc *x = &in[n++];
		memset(x, 0, sizeof *x);
		x->id = I->id;
		x->place = an->place;
		x->actor = I->actor;
		x->other = I->other;
		x->type = an->type;
		x->actor_key = I->actor_ev >= 0 ? fu->ev[I->actor_ev].actor_key : NULL;
		const sf_event *o = I->other_ev >= 0 ? &fu->ev[I->other_ev] : NULL;
		x->other_name = o ? o->other_name : NULL;
		x->other_is_place = o ? o->other_is_place : 0;
		x->modality = sr_modality_name(I->mod);
		int32_t lo, hi;
		if (I->dated_ev >= 0) {
			const sf_event *d = &fu->ev[I->dated_ev];
			x->date = d->date;
			x->dprec = d->dprec;
			x->dated = 1;
			x->when = d->dlo;
		} else if (st_date_range(I->first_published, &lo, &hi)) {
			x->when = lo;
		} else {
			x->when = INT32_MAX;
		}
		x->days = I->days;
		x->sources = I->sources;
		x->nsources = I->nsources;
		/* as fuse.c: the other places (not countries) of its events */
		long long pl[SF_MAX_PLACES];
		int npl = sf_incident_places(fu, I, pl);
		for (int k = 0; k < npl; k++) {
			size_t xi = (size_t)(x - in);
			SR_GROW(in, capin, n + 1);
			x = &in[xi];
			in[n] = *x;
			in[n++].place = pl[k];
		}
	}
	sf_status_out out = {0};
	sf_status(in, n, as_of[0] ? as_of : NULL, &out);
	sr_buf b = {0};
	int rc = pg_cmd(st, "DELETE FROM place_status");
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
	if (rc == SR_OK && b.len)
		rc = pg_copy_in(st, "COPY place_status(id, place_id, actor_id, role, start,"
				    " start_precision, end_date, end_precision, end_expected, current,"
				" incidents, nsources, sources, note) FROM STDIN", b.ptr, b.len);
	sr_buf_free(&b);
	sf_status_free(&out);
	free(in);
	return rc;
}

static double
tnow(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Fuses holding the fusion lock; with only_if_stale, not when the store
 * was fused meanwhile.  wait: 0 gives up at once when another process
 * fuses (a query then shows what is committed). */
static int
fuse_locked(sr_store *st, int only_if_stale, int wait)
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
	rc = pg_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	sr_arena a = {0};
	sf_fusion fu = {0};
	if (rc == SR_OK && (!only_if_stale || !pg_fused(st))) {
		double t0 = tnow(), t1 = 0, t2 = 0, t3 = 0;
		rc = load(st, &a, &fu.ev, &fu.nev);
		if (rc == SR_OK) {
			t1 = tnow();
			sf_fuse(&fu);
			t2 = tnow();
			rc = write_incidents(st, &fu);
			t3 = tnow();
		}
		if (rc == SR_OK)
			rc = write_status(st, &fu);
		if (getenv("SITREP_FUSE_TIMING"))
			fprintf(stderr, "load %.2f fuse %.2f incidents %.2f status %.2f\n", t1 - t0,
				t2 - t1, t3 - t2, tnow() - t3);
		size_t ndis = 0;
		for (size_t i = 0; i < fu.ninc; i++)
			ndis += fu.inc[i].ndis > 0;
		snprintf(sql, sizeof sql, "UPDATE meta SET value = CASE key WHEN 'disagreeing'"
			 " THEN '%zu' ELSE '%zu' END WHERE key IN ('disagreeing', 'nincidents')",
			 ndis, fu.ninc);
		if (rc == SR_OK)
			rc = pg_cmd(st, sql);
		if (rc == SR_OK)
			rc = pg_cmd(st, "UPDATE meta SET value = (SELECT value FROM meta"
				    " WHERE key = 'events_gen') WHERE key = 'fused_gen'");
	}
	if (rc == SR_OK)
		rc = pg_cmd(st, "COMMIT");
	if (rc != SR_OK) {
		r = PQexec(st->pg->conn, "ROLLBACK");
		PQclear(r);
	}
	snprintf(sql, sizeof sql, "SELECT pg_advisory_unlock(%ld)", PG_LOCK_FUSE);
	PQclear(PQexec(st->pg->conn, sql));
	sf_fusion_free(&fu);
	free(fu.ev);
	sr_arena_free(&a);
	return rc;
}

int
pg_fuse(sr_store *st, int only_if_stale)
{
	return fuse_locked(st, only_if_stale, st->wait_limit <= 0 || !only_if_stale);
}
