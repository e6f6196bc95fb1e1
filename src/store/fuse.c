/*
 * fuse.c -- fusion and place status over the store: load the stored
 * events into an array, fuse them (sf_fuse, a pure function in
 * src/fuse), write the incidents and disagreements, derive the places'
 * timelines from the incidents in memory (sf_status) and write them, all
 * in one write transaction.
 *
 * Nothing here depends on a lexicon or on how the store was opened: the
 * rules read only stored values (country, precision, coordinates), so a
 * refresh by a query gives the incidents an ingest gives.  A refresh
 * checks again, once it holds the write lock, whether another process
 * fused meanwhile.
 */
#include "store_int.h"
#include "pg_int.h"
#include "../fuse/fuse_int.h"

#include <stdlib.h>
#include <time.h>

/* ---------------------------------------------------------------- load */

/* Strings met again and again (types, modalities, units, a place's words,
 * source names) are kept once: an open-addressed table of arena copies. */
typedef struct strtab {
	const char **v;
	size_t mask, used;
	sr_arena *a;
} strtab;

static const char *
intern(strtab *t, const char *s, size_t n)
{
	if (!s)
		return NULL;
	if (!t->v) {
		t->mask = 4095;
		t->v = sr_calloc(t->mask + 1, sizeof *t->v);
	}
	if ((t->used + 1) * 2 > t->mask + 1) {
		size_t omask = t->mask;
		const char **ov = t->v;
		t->mask = omask * 2 + 1;
		t->v = sr_calloc(t->mask + 1, sizeof *t->v);
		for (size_t i = 0; i <= omask; i++) {
			if (!ov[i])
				continue;
			size_t k = sr_hash64(ov[i], strlen(ov[i])) & t->mask;
			while (t->v[k])
				k = (k + 1) & t->mask;
			t->v[k] = ov[i];
		}
		free(ov);
	}
	size_t k = sr_hash64(s, n) & t->mask;
	while (t->v[k]) {
		if (!strncmp(t->v[k], s, n) && t->v[k][n] == 0)
			return t->v[k];
		k = (k + 1) & t->mask;
	}
	t->used++;
	return t->v[k] = sr_arena_strndup(t->a, s, n);
}

static const char *
col_str(strtab *t, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return intern(t, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

static const char *
col_dup(sr_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return sr_arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

static void
copy_cc(char out[3], sqlite3_stmt *s, int i)
{
	const unsigned char *cc = sqlite3_column_text(s, i);
	out[0] = 0;
	if (cc && strlen((const char *)cc) == 2)
		memcpy(out, cc, 3);
}

/* An entity as events refer to it. */
typedef struct lent {
	const char *key, *name;
	int rank, is_place, has_coord;
	char country[3];
	double lat, lon;
} lent;

/* A document as events refer to it. */
typedef struct ldoc {
	const char *key, *name, *outlet, *published;
} ldoc;

/* Rows of a small table by id (ids are row ids: dense from 1). */
static sqlite3_int64
max_id(sr_store *st, const char *table)
{
	char sql[80];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table);
	long v = st_scalar(st, sql);
	return v < 0 ? 0 : v;
}

/* The stored events, by id, with their sources and quantities.  Strings
 * live in a.  Entities, documents and sources are read once into arrays
 * by id, so the scan of the events joins nothing and the sources and
 * quantities follow in event order. */
static int
load(sr_store *st, sr_arena *a, sf_event **out, size_t *nout)
{
	sf_event *ev = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*nout = 0;
	strtab tab = {.a = a};
	int rc = SR_OK, step;
	sqlite3_int64 nent = max_id(st, "entities"), ndoc = max_id(st, "documents");
	sqlite3_int64 nsrc = max_id(st, "sources");
	lent *ent = sr_calloc((size_t)nent + 1, sizeof *ent);
	ldoc *doc = sr_calloc((size_t)ndoc + 1, sizeof *doc);
	const char **src = sr_calloc((size_t)nsrc + 1, sizeof *src);

	sqlite3_stmt *s = st_prepare(st, "SELECT id, key, name, precision, country, lat, lon,"
				     " is_place FROM entities");
	if (!s)
		goto fail;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id < 1 || id > nent)
			continue;
		lent *e = &ent[id];
		e->key = col_dup(a, s, 1);
		e->name = col_dup(a, s, 2);
		e->rank = sf_place_rank((const char *)sqlite3_column_text(s, 3));
		copy_cc(e->country, s, 4);
		e->has_coord = sqlite3_column_type(s, 5) != SQLITE_NULL &&
			       sqlite3_column_type(s, 6) != SQLITE_NULL;
		e->lat = sqlite3_column_double(s, 5);
		e->lon = sqlite3_column_double(s, 6);
		e->is_place = sqlite3_column_int(s, 7);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading entities");
		goto done;
	}
	s = st_prepare(st, "SELECT id, key, name, outlet, published FROM documents");
	if (!s)
		goto fail;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id < 1 || id > ndoc)
			continue;
		ldoc *d = &doc[id];
		d->key = col_dup(a, s, 1);
		d->name = col_dup(a, s, 2);
		d->outlet = col_str(&tab, s, 3);
		d->published = col_str(&tab, s, 4);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading documents");
		goto done;
	}
	s = st_prepare(st, "SELECT id, name FROM sources");
	if (!s)
		goto fail;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id >= 1 && id <= nsrc)
			src[id] = col_str(&tab, s, 1);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading sources");
		goto done;
	}

	s = st_prepare(st,
		"SELECT id, doc_id, type, modality, date, date_precision, date_approx, n,"
		" actor_id, place_id, other_id, place_text FROM events ORDER BY id");
	if (!s)
		goto fail;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		SR_GROW(ev, cap, n + 1);
		sf_event *e = &ev[n++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(s, 0);
		e->doc = sqlite3_column_int64(s, 1);
		e->type = col_str(&tab, s, 2);
		e->modality = col_str(&tab, s, 3);
		e->date = col_str(&tab, s, 4);
		e->dprec = col_str(&tab, s, 5);
		e->approx = sqlite3_column_int(s, 6);
		e->n = sqlite3_column_int(s, 7);
		if (e->doc >= 1 && e->doc <= ndoc) {
			const ldoc *d = &doc[e->doc];
			e->dockey = d->key;
			e->docname = d->name;
			e->outlet = d->outlet;
			e->published = d->published;
		}
		sqlite3_int64 ai = sqlite3_column_int64(s, 8);
		sqlite3_int64 pi = sqlite3_column_int64(s, 9);
		sqlite3_int64 oi = sqlite3_column_int64(s, 10);
		if (ai >= 1 && ai <= nent) {
			e->actor = ai;
			e->actor_key = ent[ai].key;
			e->actor_name = ent[ai].name;
		}
		e->prank = SF_RANK_NONE;
		if (pi >= 1 && pi <= nent) {
			const lent *p = &ent[pi];
			e->place = pi;
			e->prank = p->rank;
			memcpy(e->country, p->country, sizeof e->country);
			e->has_coord = p->has_coord;
			e->lat = p->lat;
			e->lon = p->lon;
			e->place_name = p->name;
		}
		e->orank = SF_RANK_NONE;
		if (oi >= 1 && oi <= nent) {
			const lent *o = &ent[oi];
			e->other = oi;
			e->other_name = o->name;
			e->orank = o->rank;
			memcpy(e->ocountry, o->country, sizeof e->ocountry);
			e->other_is_place = o->is_place;
		}
		e->place_text = col_str(&tab, s, 11);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading events");
		goto done;
	}

	/* sources in event order (the key's order), sorted by name per event */
	s = st_prepare(st, "SELECT event_id, source_id FROM event_sources ORDER BY event_id");
	if (!s)
		goto fail;
	size_t cur = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0), si = sqlite3_column_int64(s, 1);
		while (cur < n && ev[cur].id < id)
			cur++;
		if (cur == n || ev[cur].id != id || si < 1 || si > nsrc)
			continue;
		sf_event *e = &ev[cur];
		const char **v = sr_arena_alloc(a, (size_t)(e->nsrc + 1) * sizeof *v);
		/* insert in name order (an event has a handful) */
		int k = e->nsrc;
		while (k > 0 && strcmp(e->srcs[k - 1], src[si]) > 0)
			k--;
		if (k)
			memcpy(v, e->srcs, (size_t)k * sizeof *v);
		v[k] = src[si];
		if (e->nsrc > k)
			memcpy(v + k + 1, e->srcs + k, (size_t)(e->nsrc - k) * sizeof *v);
		e->nsrc++;
		e->srcs = v;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading sources");
		goto done;
	}

	/* the outlets of other copies of each report, by document */
	s = st_prepare(st, "SELECT e.id, c.outlet FROM doc_copies c JOIN events e ON e.doc_id = c.doc_id"
			   " WHERE c.outlet IS NOT NULL ORDER BY e.id, c.outlet");
	if (!s)
		goto fail;
	cur = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		while (cur < n && ev[cur].id < id)
			cur++;
		if (cur == n || ev[cur].id != id)
			continue;
		sf_event *e = &ev[cur];
		const char **v = sr_arena_alloc(a, (size_t)(e->ncopies + 1) * sizeof *v);
		if (e->ncopies)
			memcpy(v, e->copies, (size_t)e->ncopies * sizeof *v);
		v[e->ncopies++] = col_str(&tab, s, 1);
		e->copies = v;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		rc = st_dberr(st, "reading copies");
		goto done;
	}

	s = st_prepare(st, "SELECT event_id, value, unit, approx FROM quantities ORDER BY event_id, n");
	if (!s)
		goto fail;
	cur = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		while (cur < n && ev[cur].id < id)
			cur++;
		if (cur == n || ev[cur].id != id)
			continue;
		sf_event *e = &ev[cur];
		sf_qty *v = sr_arena_alloc(a, (size_t)(e->nq + 1) * sizeof *v);
		if (e->nq)
			memcpy(v, e->q, (size_t)e->nq * sizeof *v);
		v[e->nq].value = sqlite3_column_double(s, 1);
		v[e->nq].unit = col_str(&tab, s, 2);
		v[e->nq].approx = sqlite3_column_int(s, 3);
		if (!v[e->nq].unit)
			v[e->nq].unit = "other";
		e->nq++;
		e->q = v;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		rc = st_dberr(st, "reading quantities");
	goto done;
fail:
	rc = SR_ERR_DB;
done:
	free(ent);
	free(doc);
	free(src);
	free(tab.v);
	*out = ev;
	*nout = n;
	return rc;
}

/* --------------------------------------------------------------- write */

/* A digest of everything written for incident I (its row, members and
 * disagreements): an incident whose digest is stored unchanged is not
 * written again. */
static sqlite3_int64
incident_digest(const sf_fusion *fu, const sf_incident *I, sr_buf *b)
{
	const sf_event *an = I->an;
	const sf_event *d = I->dated_ev >= 0 ? &fu->ev[I->dated_ev] : NULL;
	sr_buf_reset(b);
	sr_buf_printf(b, "%lld|%s|%lld|%lld|%lld|%s|%s|%d|%d|%s|%zu|%zu|%zu|%s|%s|%s|%s|%s|%zu",
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
	return (sqlite3_int64)(h >> 1);
}

typedef struct inc_stmts {
	sqlite3_stmt *ins, *mem, *dis;
} inc_stmts;

static int
insert_incident(sr_store *st, const sf_fusion *fu, const sf_incident *I, sqlite3_int64 digest,
		inc_stmts *x)
{
	const sf_event *an = I->an;
	sqlite3_stmt *ins = x->ins;
	int rc = SR_OK;
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_int64(ins, 1, I->id);
	st_bind_str(ins, 2, an->type);
	if (an->place)
		sqlite3_bind_int64(ins, 3, an->place);
	if (I->actor)
		sqlite3_bind_int64(ins, 4, I->actor);
	if (I->other)
		sqlite3_bind_int64(ins, 5, I->other);
	char dlo[11], dhi[11];
	if (I->dated_ev >= 0) {
		const sf_event *d = &fu->ev[I->dated_ev];
		st_bind_str(ins, 6, d->date);
		st_bind_str(ins, 7, d->dprec);
		st_date_str(I->dlo, dlo);
		st_date_str(I->dhi, dhi);
		st_bind_str(ins, 8, dlo);
		st_bind_str(ins, 9, dhi);
	}
	st_bind_str(ins, 10, sr_modality_name(I->mod));
	sqlite3_bind_int64(ins, 11, (sqlite3_int64)I->nmem);
	sqlite3_bind_int64(ins, 12, (sqlite3_int64)I->ndocs);
	sqlite3_bind_int64(ins, 13, (sqlite3_int64)I->nsources);
	st_bind_str(ins, 14, I->sources_json);
	st_bind_str(ins, 15, I->quantities_json);
	st_bind_str(ins, 16, I->docs);
	st_bind_str(ins, 17, I->modalities);
	st_bind_str(ins, 18, I->first_published);
	sqlite3_bind_int64(ins, 19, (sqlite3_int64)I->ndis);
	sqlite3_bind_int64(ins, 20, digest);
	if (sqlite3_step(ins) != SQLITE_DONE)
		rc = st_dberr(st, "incident insert");
	for (size_t k = 0; k < I->nmem && rc == SR_OK; k++) {
		sqlite3_reset(x->mem);
		sqlite3_bind_int64(x->mem, 1, I->id);
		sqlite3_bind_int64(x->mem, 2, fu->ev[I->mem[k]].id);
		if (sqlite3_step(x->mem) != SQLITE_DONE)
			rc = st_dberr(st, "incident member insert");
	}
	for (size_t k = 0; k < I->ndis && rc == SR_OK; k++) {
		const sf_dis *g = &I->dis[k];
		sqlite3_reset(x->dis);
		sqlite3_bind_int64(x->dis, 1, I->id);
		st_bind_str(x->dis, 2, g->field);
		st_bind_str(x->dis, 3, g->value);
		st_bind_str(x->dis, 4, g->events);
		st_bind_str(x->dis, 5, g->docs);
		st_bind_str(x->dis, 6, g->sources);
		if (sqlite3_step(x->dis) != SQLITE_DONE)
			rc = st_dberr(st, "disagreement insert");
	}
	return rc;
}

/* Deletes incident id with its members and disagreements. */
static int
delete_incident(sr_store *st, sqlite3_stmt *const del[3], sqlite3_int64 id)
{
	for (int k = 0; k < 3; k++) {
		sqlite3_reset(del[k]);
		sqlite3_bind_int64(del[k], 1, id);
		if (sqlite3_step(del[k]) != SQLITE_DONE)
			return st_dberr(st, "incident delete");
	}
	return SR_OK;
}

/* Writes the incidents of fu.  Incidents are numbered by date, so new
 * reports about recent days leave the older incidents as they were: only
 * those whose digest changed (and those that no longer exist) are
 * deleted and written again.  When most changed, all are rewritten at
 * once (the tables truncated first). */
static int
write_incidents(sr_store *st, const sf_fusion *fu)
{
	int rc = SR_OK;
	sr_buf b = {0};
	sqlite3_int64 *dig = sr_malloc((fu->ninc + 1) * sizeof *dig);
	for (size_t i = 0; i < fu->ninc; i++)
		dig[i] = incident_digest(fu, &fu->inc[i], &b);
	sr_buf_free(&b);

	/* the stored digests by id (NULL for rows older than the column) */
	sqlite3_int64 nold = 0;
	{
		long v = st_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents");
		nold = v > 0 ? v : 0;
	}
	sqlite3_int64 *old = sr_calloc((size_t)nold + 1, sizeof *old);
	unsigned char *has = sr_calloc((size_t)nold + 1, 1);
	sqlite3_stmt *s = st_prepare(st, "SELECT id, digest FROM incidents WHERE digest IS NOT NULL");
	if (!s)
		rc = SR_ERR_DB;
	while (rc == SR_OK && sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id >= 1 && id <= nold) {
			old[id] = sqlite3_column_int64(s, 1);
			has[id] = 1;
		}
	}
	sqlite3_finalize(s);
	size_t changed = 0;
	for (size_t i = 0; i < fu->ninc; i++) {
		sqlite3_int64 id = (sqlite3_int64)i + 1;
		changed += !(id <= nold && has[id] && old[id] == dig[i]);
	}
	for (sqlite3_int64 id = (sqlite3_int64)fu->ninc + 1; id <= nold; id++)
		changed++;
	int whole = changed * 2 > fu->ninc;

	inc_stmts x = {0};
	sqlite3_stmt *del[3] = {NULL, NULL, NULL};
	if (rc == SR_OK && whole)
		rc = st_exec(st, "DELETE FROM disagreements; DELETE FROM incident_events;"
			     " DELETE FROM incidents");
	if (rc == SR_OK) {
		x.ins = st_prepare(st,
			"INSERT INTO incidents(id, type, place_id, actor_id, other_id, date,"
			" date_precision, date_lo, date_hi, modality, nevents, ndocs, nsources,"
			" sources, quantities, docs, modalities, first_published, ndisagreements,"
			" digest) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,"
			"?18,?19,?20)");
		x.mem = st_prepare(st, "INSERT INTO incident_events(incident_id, event_id)"
				   " VALUES(?1, ?2)");
		x.dis = st_prepare(st, "INSERT INTO disagreements(incident_id, field, value,"
				   " events, docs, sources) VALUES(?1,?2,?3,?4,?5,?6)");
		del[0] = st_prepare(st, "DELETE FROM incident_events WHERE incident_id = ?1");
		del[1] = st_prepare(st, "DELETE FROM disagreements WHERE incident_id = ?1");
		del[2] = st_prepare(st, "DELETE FROM incidents WHERE id = ?1");
		if (!x.ins || !x.mem || !x.dis || !del[0] || !del[1] || !del[2])
			rc = SR_ERR_DB;
	}
	/* first every delete (an event may move between incidents: its old
	 * membership goes before the new one comes) */
	if (!whole) {
		for (size_t i = 0; i < fu->ninc && rc == SR_OK; i++) {
			sqlite3_int64 id = (sqlite3_int64)i + 1;
			if (id <= nold && !(has[id] && old[id] == dig[i]))
				rc = delete_incident(st, del, id);
		}
		for (sqlite3_int64 id = (sqlite3_int64)fu->ninc + 1; id <= nold && rc == SR_OK; id++)
			rc = delete_incident(st, del, id);
	}
	for (size_t i = 0; i < fu->ninc && rc == SR_OK; i++) {
		sqlite3_int64 id = (sqlite3_int64)i + 1;
		if (whole || !(id <= nold && has[id] && old[id] == dig[i]))
			rc = insert_incident(st, fu, &fu->inc[i], dig[i], &x);
	}
	sqlite3_finalize(x.ins);
	sqlite3_finalize(x.mem);
	sqlite3_finalize(x.dis);
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(del[k]);
	free(dig);
	free(old);
	free(has);
	return rc;
}

/* The incidents that change who is where (withdraw, take_control, deploy
 * at a place), as status reads them, into the status timelines. */
static int
write_status(sr_store *st, const sf_fusion *fu)
{
	int rc = st_exec(st, "DELETE FROM place_status");
	if (rc != SR_OK)
		return rc;
	char as_of[11] = "";
	sqlite3_stmt *s = st_prepare(st, "SELECT max(published) FROM documents");
	if (!s)
		return SR_ERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(as_of, sizeof as_of, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);

	sf_sinc *in = sr_malloc((fu->ninc + 1) * sizeof *in);
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
	}
	sf_status_out out = {0};
	sf_status(in, n, as_of[0] ? as_of : NULL, &out);
	sqlite3_stmt *ins = st_prepare(st,
		"INSERT INTO place_status(place_id, actor_id, role, start, start_precision,"
		" end_date, end_precision, end_expected, current, incidents, nsources, sources, note)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
	if (!ins)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < out.n && rc == SR_OK; i++) {
		const sf_interval *v = &out.iv[i];
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		sqlite3_bind_int64(ins, 1, v->place);
		if (v->actor)
			sqlite3_bind_int64(ins, 2, v->actor);
		st_bind_str(ins, 3, v->role);
		st_bind_str(ins, 4, v->has_start ? v->start : NULL);
		st_bind_str(ins, 5, v->has_start && v->start_prec[0] ? v->start_prec : NULL);
		st_bind_str(ins, 6, v->has_end ? v->end : NULL);
		st_bind_str(ins, 7, v->has_end && v->end_prec[0] ? v->end_prec : NULL);
		sqlite3_bind_int(ins, 8, v->end_expected);
		sqlite3_bind_int(ins, 9, v->open);
		st_bind_str(ins, 10, v->incidents_json);
		sqlite3_bind_int64(ins, 11, v->nsources);
		st_bind_str(ins, 12, v->sources_json);
		st_bind_str(ins, 13, v->note[0] ? v->note : NULL);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = st_dberr(st, "status insert");
	}
	sqlite3_finalize(ins);
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

/* Fuses under the write lock; with only_if_stale, first checks again
 * (holding the lock) that the events changed since the last fusion. */
static int
fuse_locked(sr_store *st, int only_if_stale)
{
	if (st->flags & SR_STORE_READONLY)
		return st_fail(st, "%s: opened read-only: cannot fuse", st->path);
	int rc = sr_store_flush(st);
	if (rc != SR_OK)
		return rc;
	/* what fusion writes is whole by construction: no foreign-key check
	 * per row, and the old incidents go by truncation, not row by row
	 * (SQLite ignores the pragma inside a transaction: set it first) */
	if ((rc = st_exec(st, "PRAGMA foreign_keys = OFF")) != SR_OK)
		return rc;
	if ((rc = st_exec(st, "BEGIN IMMEDIATE")) != SR_OK) {
		st_exec(st, "PRAGMA foreign_keys = ON");
		return rc;
	}
	if (only_if_stale && st_fused(st)) {
		rc = st_exec(st, "COMMIT");
		st_exec(st, "PRAGMA foreign_keys = ON");
		return rc;
	}
	sr_arena a = {0};
	sf_fusion fu = {0};
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
		fprintf(stderr, "load %.2f fuse %.2f incidents %.2f status %.2f\n", t1 - t0, t2 - t1,
			t3 - t2, tnow() - t3);
	if (rc == SR_OK) {
		char gen[32];
		st_meta_get(st, "events_gen", gen, sizeof gen);
		rc = st_meta_set(st, "fused_gen", gen);
	}
	if (rc == SR_OK) {
		size_t ndis = 0;
		for (size_t i = 0; i < fu.ninc; i++)
			ndis += fu.inc[i].ndis > 0;
		char v[32];
		snprintf(v, sizeof v, "%zu", ndis);
		rc = st_meta_set(st, "disagreeing", v);
	}
	if (rc == SR_OK)
		rc = st_exec(st, "COMMIT");
	if (rc != SR_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	sf_fusion_free(&fu);
	free(fu.ev);
	sr_arena_free(&a);
	return rc;
}

int
sr_store_fuse(sr_store *st)
{
	if (st->pg)
		return pg_fuse(st, 0);
	return fuse_locked(st, 0);
}

int
st_fuse_if_stale(sr_store *st)
{
	if (st->pg)
		return pg_fuse(st, 1);
	return fuse_locked(st, 1);
}
