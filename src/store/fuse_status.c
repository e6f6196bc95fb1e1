/*
 * fuse_status.c -- place status over the store, after fusion: the
 * incidents that change who is where (withdraw, take_control, deploy at
 * a place) read back from the incidents table as written, handed to
 * sf_status_each (src/fuse/status.c), and each place's intervals written
 * as they are made.  After the fusion of a region (SQLite), only the
 * places its incidents touched are made again; PostgreSQL's own reads
 * and writes are pg_fu_write_status's (pg_fuse.c), which reads the
 * incidents' JSON through the two helpers here (st_fu_json_*).
 */
#include "fusion_int.h"
#include "pg_int.h"

#include <jansson.h>
#include <stdlib.h>

/* The largest "days" among an incident's quantities (its JSON). */
static double
json_days(const char *q)
{
	double days = 0;
	if (!q || !strstr(q, "\"days\""))
		return 0;
	json_error_t jerr;
	json_t *a = q ? json_loads(q, 0, &jerr) : NULL;
	size_t i;
	json_t *v;
	json_array_foreach(a, i, v) {
		const char *unit = json_string_value(json_object_get(v, "unit"));
		double d = json_number_value(json_object_get(v, "value"));
		if (unit && !strcmp(unit, "days") && d > days)
			days = d;
	}
	json_decref(a);
	return days;
}

/* The strings of a JSON array of strings (an incident's sources), kept
 * in t; their number.  Without an escape (nearly always) read directly,
 * else through jansson. */
static size_t
json_names(strtab *t, const char *sj, const char *const **out)
{
	size_t n = 0;
	for (const char *p = sj ? sj : ""; *p; p++)
		n += *p == '"';
	const char **v = sr_arena_alloc(t->a, (n / 2 + 1) * sizeof *v);
	*out = v;
	size_t k = 0;
	if (!sj)
		return 0;
	if (!strchr(sj, '\\')) {
		for (const char *p = strchr(sj, '"'); p;) {
			const char *e = strchr(p + 1, '"');
			if (!e)
				break;
			v[k++] = st_intern(t, p + 1, (size_t)(e - p - 1));
			p = strchr(e + 1, '"');
		}
		return k;
	}
	json_error_t jerr;
	json_t *a = json_loads(sj, 0, &jerr);
	for (size_t i = 0; i < json_array_size(a) && k < n / 2 + 1; i++) {
		const char *nm = json_string_value(json_array_get(a, i));
		if (nm)
			v[k++] = st_intern(t, nm, strlen(nm));
	}
	json_decref(a);
	return k;
}

/* The incidents that change who is where (withdraw, take_control, deploy
 * at a place), as status reads them, into the status timelines.  They
 * are read from the incidents table as written (whether this fusion
 * wrote them all or only those of a region): the actor's key and the
 * other party's name from the entities, the sources and the largest
 * stated duration from the incident's JSON. */
/* Writes the intervals of place status as sf_status_each makes them. */
typedef struct status_writer {
	sr_store *st;
	sqlite3_stmt *ins;
	int rc;
	/* every place's status: the stored rows read in order beside the
	 * intervals made, and nothing written while they are the same
	 * (most fusions of all change no place's status: its 33,000 rows of
	 * the million-event store were deleted and written again each
	 * time); at the first that differs, the rows after the kept ones
	 * go and the rest are written, numbered as a rewrite of all
	 * numbers them (1.. in order) */
	sqlite3_stmt *cmp;
	long long kept;         /* rows kept: ids 1..kept */
} status_writer;

/* Is column i of s the text want (NULL: a NULL)? */
static int
same_text(sqlite3_stmt *s, int i, const char *want)
{
	int t = sqlite3_column_type(s, i);
	if (!want)
		return t == SQLITE_NULL;
	if (t != SQLITE_TEXT)
		return 0;
	size_t n = strlen(want);
	return (size_t)sqlite3_column_bytes(s, i) == n &&
	       !memcmp(sqlite3_column_text(s, i), want, n);
}

static int
same_int(sqlite3_stmt *s, int i, long long want)
{
	return sqlite3_column_type(s, i) == SQLITE_INTEGER && sqlite3_column_int64(s, i) == want;
}

/* Is the row of w->cmp what write_interval would write for v as row
 * number id? */
static int
same_row(sqlite3_stmt *s, const sf_interval *v, long long id)
{
	return same_int(s, 0, id) && same_int(s, 1, v->place) &&
	       (v->actor ? same_int(s, 2, v->actor) : sqlite3_column_type(s, 2) == SQLITE_NULL) &&
	       same_text(s, 3, v->role) && same_text(s, 4, v->has_start ? v->start : NULL) &&
	       same_text(s, 5, v->has_start && v->start_prec[0] ? v->start_prec : NULL) &&
	       same_text(s, 6, v->has_end ? v->end : NULL) &&
	       same_text(s, 7, v->has_end && v->end_prec[0] ? v->end_prec : NULL) &&
	       same_int(s, 8, v->end_expected) && same_int(s, 9, v->open) &&
	       same_text(s, 10, v->incidents_json) && same_int(s, 11, v->nsources) &&
	       same_text(s, 12, v->sources_json) && same_text(s, 13, v->note[0] ? v->note : NULL);
}

/* The stored rows differ from here: those after the kept ones go. */
static void
diverge(status_writer *w)
{
	sqlite3_finalize(w->cmp);
	w->cmp = NULL;
	sqlite3_stmt *d = st_prepare(w->st, "DELETE FROM place_status WHERE id > ?1");
	if (!d) {
		w->rc = SR_ERR_DB;
		return;
	}
	sqlite3_bind_int64(d, 1, w->kept);
	if (sqlite3_step(d) != SQLITE_DONE)
		w->rc = st_dberr(w->st, "status delete");
	sqlite3_finalize(d);
}

static void
write_interval(void *ctx, const sf_interval *v)
{
	status_writer *w = ctx;
	sqlite3_stmt *ins = w->ins;
	if (w->rc != SR_OK)
		return;
	if (w->cmp) {
		int r = sqlite3_step(w->cmp);
		if (r == SQLITE_ROW && same_row(w->cmp, v, w->kept + 1)) {
			w->kept++;
			return;
		}
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			w->rc = st_dberr(w->st, "reading place status");
			return;
		}
		diverge(w);
		if (w->rc != SR_OK)
			return;
	}
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
		w->rc = st_dberr(w->st, "status insert");
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

static int
has_place(const long long *v, size_t n, long long p)
{
	return bsearch(&p, v, n, sizeof *v, cmp_ll) != NULL;
}

/* Writes place status: of every place, or (SQLite, after the fusion of
 * a region: ci names the places its incidents touched) of those places
 * only, their rows deleted and made again as a full recompute makes them
 * (a place's intervals depend on its incidents alone, and on the latest
 * publication for a withdrawal of stated days: when that moved, the
 * places of those ending in between are added).  A fusion of all
 * events writes every place's. */
int
st_fu_write_status(sr_store *st, cincs *ci)
{
	st->status_places = -1;
	if (st->pg)
		return pg_fu_write_status(st);
	char as_of[11] = "";
	sqlite3_stmt *s = st_prepare(st, "SELECT max(published) FROM documents");
	if (!s)
		return SR_ERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(as_of, sizeof as_of, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	char prev[32], now[16];
	snprintf(now, sizeof now, "%s", as_of[0] ? as_of : "none");
	st_meta_get(st, "status_as_of", prev, sizeof prev);
	int32_t was = 0, is = 0, top;
	int moved = strcmp(prev, now) != 0;
	int some = ci && !ci->touch_all && (!moved || (st_date_range(prev, &was, &top) &&
						       st_date_range(as_of, &is, &top)));
	int rc = SR_OK;
	if (some && moved) {
		/* the latest publication moved from was to is: a withdrawal
		 * of a stated number of days whose end falls between them is
		 * under way by one and done by the other (sf_status_each) */
		s = st_prepare(st, "SELECT place_id, places, date, quantities FROM incidents"
			       " WHERE type = 'withdraw' AND place_id IS NOT NULL AND date IS NOT NULL"
			       " AND quantities LIKE '%\"days\"%'");
		if (!s)
			return SR_ERR_DB;
		int32_t lo2 = was < is ? was : is, hi2 = was < is ? is : was;
		while (sqlite3_step(s) == SQLITE_ROW) {
			double days = json_days((const char *)sqlite3_column_text(s, 3));
			int32_t lo;
			if (days <= 0 || !st_date_range((const char *)sqlite3_column_text(s, 2), &lo, &top))
				continue;
			int32_t end = lo + (int32_t)(days + 0.5);
			if (end > lo2 && end <= hi2)
				st_fu_touch_places(ci, sqlite3_column_int64(s, 0),
					     (const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_finalize(s);
	}
	long long *tp = some ? ci->touched : NULL;
	size_t ntp = some ? ci->ntouched : 0;
	if (some) {
		qsort(tp, ntp, sizeof *tp, cmp_ll);
		size_t k = 0;
		for (size_t i = 0; i < ntp; i++)
			if (!k || tp[k - 1] != tp[i])
				tp[k++] = tp[i];
		ntp = ci->ntouched = k;
		sqlite3_stmt *d = st_prepare(st, "DELETE FROM place_status WHERE place_id = ?1");
		if (!d)
			return SR_ERR_DB;
		for (size_t i = 0; i < ntp && rc == SR_OK; i++) {
			sqlite3_bind_int64(d, 1, tp[i]);
			if (sqlite3_step(d) != SQLITE_DONE)
				rc = st_dberr(st, "status delete");
			sqlite3_reset(d);
		}
		sqlite3_finalize(d);
	}
	if (rc == SR_OK)
		rc = st_meta_set(st, "status_as_of", now);
	if (rc != SR_OK)
		return rc;
	st->status_places = some ? (long)ntp : -1;
	if (some && !ntp)
		return SR_OK;

	sr_arena sa = {0};
	strtab tab = {.a = &sa};
#define KEEP(v) st_intern(&tab, (v), (v) ? strlen(v) : 0)
	sf_sinc *in = NULL;
	size_t n = 0, cap = 0;
	s = st_prepare(st, "SELECT i.id, i.place_id, i.actor_id, i.other_id, i.type, a.key, i.date,"
		       " i.date_precision, i.modality, o.name, o.is_place, i.first_published,"
		       " i.quantities, i.sources, i.places FROM incidents i LEFT JOIN entities a ON"
		       " a.id = i.actor_id LEFT JOIN entities o ON o.id = i.other_id"
		       " WHERE i.place_id IS NOT NULL ORDER BY i.id");
	if (!s)
		rc = SR_ERR_DB;
	/* the other places of an incident's events (sf_incident_places) are
	 * in its row, kept by fusion: read through incident_events, they
	 * took 1.5-3.5 s CPU of the status of a million events, against
	 * 0.24 s for the incidents alone */
	int step = SQLITE_DONE;
	while (rc == SR_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 4);
		int t = sr_event_type_parse(type);
		if (t != SR_EVT_WITHDRAW && t != SR_EVT_TAKE_CONTROL && t != SR_EVT_DEPLOY)
			continue;
		if (some) {
			/* (an incident at no touched place: not read further) */
			long long pl[SF_MAX_PLACES];
			int npl = sf_places_parse((const char *)sqlite3_column_text(s, 14), pl);
			int hit = has_place(tp, ntp, sqlite3_column_int64(s, 1));
			for (int k = 0; k < npl && !hit; k++)
				hit = has_place(tp, ntp, pl[k]);
			if (!hit)
				continue;
		}
		SR_GROW(in, cap, n + 1);
		sf_sinc *x = &in[n++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(s, 0);
		x->place = sqlite3_column_int64(s, 1);
		x->actor = sqlite3_column_int64(s, 2);
		x->other = sqlite3_column_int64(s, 3);
		x->type = KEEP(type);
		x->actor_key = st_col_str(&tab, s, 5);
		x->other_name = st_col_str(&tab, s, 9);
		x->other_is_place = sqlite3_column_int(s, 10);
		x->modality = st_col_str(&tab, s, 8);
		const char *date = (const char *)sqlite3_column_text(s, 6);
		const char *fp = (const char *)sqlite3_column_text(s, 11);
		int32_t lo, hi;
		if (date) {
			x->date = KEEP(date);
			x->dprec = st_col_str(&tab, s, 7);
			x->dated = 1;
			x->when = st_date_range(date, &lo, &hi) ? lo : INT32_MAX;
		} else if (st_date_range(fp, &lo, &hi)) {
			x->when = lo;
		} else {
			x->when = INT32_MAX;
		}
		x->days = json_days((const char *)sqlite3_column_text(s, 12));
		x->nsources = json_names(&tab, (const char *)sqlite3_column_text(s, 13), &x->sources);
		long long pl[SF_MAX_PLACES];
		int npl = sf_places_parse((const char *)sqlite3_column_text(s, 14), pl);
		size_t xi = n - 1;
		for (int k = 0; k < npl; k++) {
			SR_GROW(in, cap, n + 1);
			in[n] = in[xi];
			in[n++].place = pl[k];
		}
	}
	if (s && step != SQLITE_DONE && rc == SR_OK)
		rc = st_dberr(st, "reading incidents");
	sqlite3_finalize(s);
	if (some) {
		/* the touched places' entries only (an incident read for one
		 * of its other places brought its own place too) */
		size_t k = 0;
		for (size_t i = 0; i < n; i++)
			if (has_place(tp, ntp, in[i].place))
				in[k++] = in[i];
		n = k;
	}
#undef KEEP
	if (rc != SR_OK) {
		free(in);
		free(tab.v);
		sr_arena_free(&sa);
		return rc;
	}
	/* each place's intervals written as they are made, not all kept
	 * (320,000 intervals of 800 bytes at ten million events) */
	status_writer w = {st, NULL, SR_OK, NULL, 0};
	w.ins = st_prepare(st,
		"INSERT INTO place_status(place_id, actor_id, role, start, start_precision,"
		" end_date, end_precision, end_expected, current, incidents, nsources, sources, note)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)");
	if (!some)
		w.cmp = st_prepare(st, "SELECT id, place_id, actor_id, role, start, start_precision,"
				   " end_date, end_precision, end_expected, current, incidents,"
				   " nsources, sources, note FROM place_status ORDER BY id");
	if (!w.ins || (!some && !w.cmp))
		rc = SR_ERR_DB;
	else
		sf_status_each(in, n, as_of[0] ? as_of : NULL, NULL, write_interval, &w);
	if (rc == SR_OK)
		rc = w.rc;
	/* (stored rows past the last interval made go too) */
	if (rc == SR_OK && w.cmp) {
		int r = sqlite3_step(w.cmp);
		if (r == SQLITE_ROW)
			diverge(&w);
		else if (r != SQLITE_DONE)
			w.rc = st_dberr(st, "reading place status");
		rc = w.rc;
	}
	sqlite3_finalize(w.cmp);
	sqlite3_finalize(w.ins);
	free(in);
	free(tab.v);
	sr_arena_free(&sa);
	return rc;
}

/* ------------------------------------------------- for both engines */

/* (st_fu_*: fusion_int.h) */
double
st_fu_json_days(const char *q)
{
	return json_days(q);
}

size_t
st_fu_json_names(strtab *t, const char *sj, const char *const **out)
{
	return json_names(t, sj, out);
}
