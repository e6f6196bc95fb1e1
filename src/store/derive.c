/*
 * derive.c -- the JSON an event row carries for the queries (its
 * quantities, its sources, its line in an incident's reports), written
 * once when the event is stored (and when an older store is upgraded)
 * through the output layer's row model: the one JSON writer of the
 * project, not SQLite's JSON functions.
 */
#include "store_int.h"
#include "../output/out_int.h"

#include <ctype.h>
#include <stdlib.h>

/* The JSON text of v (an array or object of r). */
static void
json_of(const ov *v, sr_mem *m)
{
	m->len = 0;
	ow_sink *s = sr_malloc(sizeof *s);
	ow_sink_init(s, sr_sink_mem, m);
	ov_write_json(s, v);
	ow_flush(s);
	free(s);
}

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

int
st_derive_json(sr_store *st, sqlite3_int64 first)
{
	sqlite3_stmt *ev = st_prepare(st,
		"SELECT e.id, d.name, e.modality, e.date, a.name, p.name, e.evidence"
		" FROM events e JOIN documents d ON d.id = e.doc_id"
		" LEFT JOIN entities a ON a.id = e.actor_id LEFT JOIN entities p ON p.id = e.place_id"
		" WHERE e.id >= ?1 ORDER BY e.id");
	sqlite3_stmt *qs = st_prepare(st, "SELECT value, unit, text, approx FROM quantities"
				      " WHERE event_id = ?1 ORDER BY n");
	sqlite3_stmt *ss = st_prepare(st, "SELECT s.name, s.kind, es.text FROM event_sources es"
				      " JOIN sources s ON s.id = es.source_id WHERE es.event_id = ?1"
				      " ORDER BY s.name, s.kind");
	sqlite3_stmt *up = st_prepare(st, "UPDATE events SET quantities = ?2, sources = ?3,"
				      " report = ?4 WHERE id = ?1");
	int rc = ev && qs && ss && up ? SR_OK : SR_ERR_DB;
	ow_row r = {0};
	sr_mem mq = {0}, ms = {0}, mr = {0};
	int step = SQLITE_DONE;
	if (rc == SR_OK)
		sqlite3_bind_int64(ev, 1, first);
	while (rc == SR_OK && (step = sqlite3_step(ev)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(ev, 0);
		ow_row_reset(&r);
		ov *q = ov_arr(&r, r.tree, "quantities");
		sqlite3_reset(qs);
		sqlite3_bind_int64(qs, 1, id);
		while (sqlite3_step(qs) == SQLITE_ROW) {
			ov *o = ov_obj(&r, q, NULL);
			ov_num(&r, o, "value", sqlite3_column_double(qs, 0), -1);
			ov_strcpy(&r, o, "unit", col(qs, 1));
			ov_strcpy(&r, o, "text", col(qs, 2));
			ov_bool(&r, o, "approx", sqlite3_column_int(qs, 3));
		}
		ov *srcs = ov_arr(&r, r.tree, "sources");
		ov *rep = ov_obj(&r, r.tree, "report");
		ov_int(&r, rep, "event_id", id);
		ov_str(&r, rep, "doc", col(ev, 1));
		ov_str(&r, rep, "modality", col(ev, 2));
		ov_str(&r, rep, "date", col(ev, 3));
		ov_str(&r, rep, "actor", col(ev, 4));
		ov_str(&r, rep, "place", col(ev, 5));
		ov_str(&r, rep, "evidence", col(ev, 6));
		ov *names = ov_arr(&r, rep, "sources");
		sqlite3_reset(ss);
		sqlite3_bind_int64(ss, 1, id);
		while (sqlite3_step(ss) == SQLITE_ROW) {
			ov *o = ov_obj(&r, srcs, NULL);
			const char *name = sr_arena_strndup(&r.a, col(ss, 0) ? col(ss, 0) : "",
							    strlen(col(ss, 0) ? col(ss, 0) : ""));
			ov_str(&r, o, "name", name);
			ov_strcpy(&r, o, "kind", col(ss, 1));
			ov_strcpy(&r, o, "text", col(ss, 2));
			ov_str(&r, names, NULL, name);
		}
		json_of(q, &mq);
		json_of(srcs, &ms);
		json_of(rep, &mr);
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, id);
		sqlite3_bind_text(up, 2, mq.data, (int)mq.len, SQLITE_STATIC);
		sqlite3_bind_text(up, 3, ms.data, (int)ms.len, SQLITE_STATIC);
		sqlite3_bind_text(up, 4, mr.data, (int)mr.len, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE)
			rc = st_dberr(st, "deriving event columns");
	}
	if (rc == SR_OK && step != SQLITE_DONE)
		rc = st_dberr(st, "deriving event columns");
	ow_row_free(&r);
	sr_mem_free(&mq);
	sr_mem_free(&ms);
	sr_mem_free(&mr);
	sqlite3_finalize(ev);
	sqlite3_finalize(qs);
	sqlite3_finalize(ss);
	sqlite3_finalize(up);
	return rc;
}

static int
esrc_id_cmp(const void *a, const void *b)
{
	const st_esrc *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static int
esrc_cmp(const void *a, const void *b)
{
	const st_esrc *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->kind, y->kind);
}

/* At ingest the derived columns are made from the event in hand and
 * written with its row: made by SQL after each batch (ST_EV_DERIVE, then
 * st_derive_json reading each event back and updating its row) they
 * were half of what storing the events cost. */
void
st_derive_event(st_derived *d, const sr_doc *doc, const sr_event *ev, long long id,
		const char *aname, const char *pname, st_esrc *srcs, int ns)
{
	memset(d, 0, sizeof *d);
	/* the lower-case outlet and names for --source, the names in the
	 * order of their row ids (as EV_DERIVE_SQL reads them from
	 * event_sources' key) */
	for (const char *o = doc->outlet ? doc->outlet : ""; *o; o++)
		sr_buf_addc(&d->source_search, (char)tolower((unsigned char)*o));
	sr_buf_addc(&d->source_search, '\x1f');
	if (ns > 1)
		qsort(srcs, (size_t)ns, sizeof *srcs, esrc_id_cmp);
	for (int i = 0; i < ns; i++) {
		if (i)
			sr_buf_addc(&d->source_search, '\x1f');
		for (const char *c = srcs[i].name; *c; c++)
			sr_buf_addc(&d->source_search, (char)tolower((unsigned char)*c));
	}
	if (ns > 1)
		qsort(srcs, (size_t)ns, sizeof *srcs, esrc_cmp);
	int nq = ev->nquantities < 0 ? 0 : ev->nquantities > SR_MAX_QUANTITIES ? SR_MAX_QUANTITIES
		: ev->nquantities;
	ow_row r = {0};
	ow_row_reset(&r);
	ov *qa = ov_arr(&r, r.tree, "quantities");
	for (int i = 0; i < nq; i++) {
		const sr_quantity *q = &ev->quantities[i];
		double v = q->value == q->value ? q->value : 0;
		const char *unit = q->unit ? q->unit : "other";
		ov *o = ov_obj(&r, qa, NULL);
		ov_num(&r, o, "value", v, -1);
		ov_str(&r, o, "unit", unit);
		ov_str(&r, o, "text", q->text);
		ov_bool(&r, o, "approx", q->approx ? 1 : 0);
		if (!strcmp(unit, "killed")) {
			d->killed += v;
			d->has_killed = 1;
		}
	}
	int32_t lo, hi;
	int dated = st_date_range(ev->date, &lo, &hi);
	ov *sa = ov_arr(&r, r.tree, "sources");
	ov *rep = ov_obj(&r, r.tree, "report");
	ov_int(&r, rep, "event_id", id);
	ov_str(&r, rep, "doc", doc->id ? doc->id : "-");
	ov_str(&r, rep, "modality", ev->modality ? ev->modality : "asserted");
	ov_str(&r, rep, "date", dated ? ev->date : NULL);
	ov_str(&r, rep, "actor", aname);
	ov_str(&r, rep, "place", pname);
	char *evid = ev->start <= ev->end && ev->end <= doc->len
		? sr_arena_strndup(&r.a, doc->text + ev->start, ev->end - ev->start) : NULL;
	ov_str(&r, rep, "evidence", evid);
	ov *names = ov_arr(&r, rep, "sources");
	for (int i = 0; i < ns; i++) {
		ov *o = ov_obj(&r, sa, NULL);
		ov_str(&r, o, "name", srcs[i].name);
		ov_str(&r, o, "kind", srcs[i].kind);
		ov_str(&r, o, "text", srcs[i].text);
		ov_str(&r, names, NULL, srcs[i].name);
		if (i)
			sr_buf_adds(&d->source_names, "; ");
		sr_buf_adds(&d->source_names, srcs[i].name);
	}
	json_of(qa, &d->quantities);
	json_of(sa, &d->sources);
	json_of(rep, &d->report);
	ow_row_free(&r);
}

void
st_derived_free(st_derived *d)
{
	sr_mem_free(&d->quantities);
	sr_mem_free(&d->sources);
	sr_mem_free(&d->report);
	sr_buf_free(&d->source_names);
	sr_buf_free(&d->source_search);
}
