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
#include "../fuse/fuse_int.h"

#include <stdlib.h>

/* ---------------------------------------------------------------- load */

static const char *
col_str(sr_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return sr_arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

static int
find_event(const sf_event *ev, size_t n, sqlite3_int64 id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ev[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ev[lo].id == id ? (int)lo : -1;
}

static void
copy_cc(char out[3], sqlite3_stmt *s, int i)
{
	const unsigned char *cc = sqlite3_column_text(s, i);
	out[0] = 0;
	if (cc && strlen((const char *)cc) == 2)
		memcpy(out, cc, 3);
}

/* The stored events, by id, with their sources and quantities.  Strings
 * live in a. */
static int
load(sr_store *st, sr_arena *a, sf_event **out, size_t *nout)
{
	sf_event *ev = NULL;
	size_t n = 0, cap = 0;
	*out = NULL;
	*nout = 0;
	sqlite3_stmt *s = st_prepare(st,
		"SELECT e.id, e.doc_id, e.type, e.modality, e.date, e.date_precision,"
		" e.date_approx, e.n, d.key, d.name, d.outlet, d.published,"
		" e.actor_id, a.key, a.name, e.place_id, p.precision, p.country, p.lat, p.lon,"
		" p.name, e.other_id, o.name, e.place_text, o.precision, o.country, o.is_place"
		" FROM events e JOIN documents d ON d.id = e.doc_id"
		" LEFT JOIN entities a ON a.id = e.actor_id"
		" LEFT JOIN entities p ON p.id = e.place_id"
		" LEFT JOIN entities o ON o.id = e.other_id ORDER BY e.id");
	if (!s)
		return SR_ERR_DB;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		SR_GROW(ev, cap, n + 1);
		sf_event *e = &ev[n++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(s, 0);
		e->doc = sqlite3_column_int64(s, 1);
		e->type = col_str(a, s, 2);
		e->modality = col_str(a, s, 3);
		e->date = col_str(a, s, 4);
		e->dprec = col_str(a, s, 5);
		e->approx = sqlite3_column_int(s, 6);
		e->n = sqlite3_column_int(s, 7);
		e->dockey = col_str(a, s, 8);
		e->docname = col_str(a, s, 9);
		e->outlet = col_str(a, s, 10);
		e->published = col_str(a, s, 11);
		e->actor = sqlite3_column_int64(s, 12);
		e->actor_key = col_str(a, s, 13);
		e->actor_name = col_str(a, s, 14);
		e->place = sqlite3_column_int64(s, 15);
		e->prank = e->place ? sf_place_rank((const char *)sqlite3_column_text(s, 16))
			: SF_RANK_NONE;
		copy_cc(e->country, s, 17);
		e->has_coord = sqlite3_column_type(s, 18) != SQLITE_NULL &&
			       sqlite3_column_type(s, 19) != SQLITE_NULL;
		e->lat = sqlite3_column_double(s, 18);
		e->lon = sqlite3_column_double(s, 19);
		e->place_name = col_str(a, s, 20);
		e->other = sqlite3_column_int64(s, 21);
		e->other_name = col_str(a, s, 22);
		e->place_text = col_str(a, s, 23);
		e->orank = e->other ? sf_place_rank((const char *)sqlite3_column_text(s, 24))
			: SF_RANK_NONE;
		copy_cc(e->ocountry, s, 25);
		e->other_is_place = sqlite3_column_int(s, 26);
	}
	sqlite3_finalize(s);
	*out = ev;
	*nout = n;
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading events");

	s = st_prepare(st, "SELECT es.event_id, s.name FROM event_sources es"
			   " JOIN sources s ON s.id = es.source_id ORDER BY es.event_id, s.name");
	if (!s)
		return SR_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = find_event(ev, n, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		sf_event *e = &ev[i];
		const char **v = sr_arena_alloc(a, (size_t)(e->nsrc + 1) * sizeof *v);
		if (e->nsrc)
			memcpy(v, e->srcs, (size_t)e->nsrc * sizeof *v);
		v[e->nsrc++] = col_str(a, s, 1);
		e->srcs = v;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading sources");

	/* the outlets of other copies of each report, by document */
	s = st_prepare(st, "SELECT e.id, c.outlet FROM doc_copies c JOIN events e ON e.doc_id = c.doc_id"
			   " WHERE c.outlet IS NOT NULL ORDER BY e.id, c.outlet");
	if (!s)
		return SR_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = find_event(ev, n, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		sf_event *e = &ev[i];
		const char **v = sr_arena_alloc(a, (size_t)(e->ncopies + 1) * sizeof *v);
		if (e->ncopies)
			memcpy(v, e->copies, (size_t)e->ncopies * sizeof *v);
		v[e->ncopies++] = col_str(a, s, 1);
		e->copies = v;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading copies");

	s = st_prepare(st, "SELECT event_id, value, unit, approx FROM quantities ORDER BY event_id, n");
	if (!s)
		return SR_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = find_event(ev, n, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		sf_event *e = &ev[i];
		sf_qty *v = sr_arena_alloc(a, (size_t)(e->nq + 1) * sizeof *v);
		if (e->nq)
			memcpy(v, e->q, (size_t)e->nq * sizeof *v);
		v[e->nq].value = sqlite3_column_double(s, 1);
		v[e->nq].unit = col_str(a, s, 2);
		v[e->nq].approx = sqlite3_column_int(s, 3);
		if (!v[e->nq].unit)
			v[e->nq].unit = "other";
		e->nq++;
		e->q = v;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading quantities");
	return SR_OK;
}

/* --------------------------------------------------------------- write */

static int
write_incidents(sr_store *st, const sf_fusion *fu)
{
	int rc = st_exec(st, "DELETE FROM disagreements; DELETE FROM incident_events;"
			     " DELETE FROM incidents");
	if (rc != SR_OK)
		return rc;
	sqlite3_stmt *ins = st_prepare(st,
		"INSERT INTO incidents(id, type, place_id, actor_id, other_id, date,"
		" date_precision, date_lo, date_hi, modality, nevents, ndocs, nsources,"
		" sources, quantities, docs, modalities, first_published, ndisagreements)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)");
	sqlite3_stmt *mem = st_prepare(st, "INSERT INTO incident_events(incident_id, event_id)"
					   " VALUES(?1, ?2)");
	sqlite3_stmt *dis = st_prepare(st, "INSERT INTO disagreements(incident_id, field, value,"
					   " events, docs, sources) VALUES(?1,?2,?3,?4,?5,?6)");
	if (!ins || !mem || !dis)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < fu->ninc && rc == SR_OK; i++) {
		const sf_incident *I = &fu->inc[i];
		const sf_event *an = I->an;
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
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = st_dberr(st, "incident insert");
		for (size_t k = 0; k < I->nmem && rc == SR_OK; k++) {
			sqlite3_reset(mem);
			sqlite3_bind_int64(mem, 1, I->id);
			sqlite3_bind_int64(mem, 2, fu->ev[I->mem[k]].id);
			if (sqlite3_step(mem) != SQLITE_DONE)
				rc = st_dberr(st, "incident member insert");
		}
		for (size_t k = 0; k < I->ndis && rc == SR_OK; k++) {
			const sf_dis *g = &I->dis[k];
			sqlite3_reset(dis);
			sqlite3_bind_int64(dis, 1, I->id);
			st_bind_str(dis, 2, g->field);
			st_bind_str(dis, 3, g->value);
			st_bind_str(dis, 4, g->events);
			st_bind_str(dis, 5, g->docs);
			st_bind_str(dis, 6, g->sources);
			if (sqlite3_step(dis) != SQLITE_DONE)
				rc = st_dberr(st, "disagreement insert");
		}
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(mem);
	sqlite3_finalize(dis);
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
	if ((rc = st_exec(st, "BEGIN IMMEDIATE")) != SR_OK)
		return rc;
	if (only_if_stale && st_fused(st))
		return st_exec(st, "COMMIT");
	sr_arena a = {0};
	sf_fusion fu = {0};
	rc = load(st, &a, &fu.ev, &fu.nev);
	if (rc == SR_OK) {
		sf_fuse(&fu);
		rc = write_incidents(st, &fu);
	}
	if (rc == SR_OK)
		rc = write_status(st, &fu);
	if (rc == SR_OK) {
		char gen[32];
		st_meta_get(st, "events_gen", gen, sizeof gen);
		rc = st_meta_set(st, "fused_gen", gen);
	}
	if (rc == SR_OK)
		rc = st_exec(st, "COMMIT");
	if (rc != SR_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sf_fusion_free(&fu);
	free(fu.ev);
	sr_arena_free(&a);
	return rc;
}

int
sr_store_fuse(sr_store *st)
{
	return fuse_locked(st, 0);
}

int
st_fuse_if_stale(sr_store *st)
{
	return fuse_locked(st, 1);
}
