/*
 * status.c -- who held or occupied each place, and when: a timeline of
 * intervals per place derived from its incidents, in date order.
 *
 *   take_control by A   A holds the place from its date; the previous
 *                       holder (the incident's other party, else whoever
 *                       held it) stops holding it then
 *   withdraw by A       A's presence ends on its date; with a stated
 *                       duration in days it ends at start + days, and
 *                       while that date is after the latest report
 *                       (as_of) the withdrawal is under way: A is still
 *                       there, "withdrawing", with an expected end
 *   deploy by A         A is present from its date (beside any holder)
 *   expected events     are kept as expected intervals ("expected to take
 *                       control"), until an asserted one fulfils them
 *
 * An undated incident is placed at its earliest report's publication
 * date.  Denied incidents change nothing.  Every interval lists the
 * incidents behind it and counts their independent sources.
 */
#include "store_int.h"

#include <jansson.h>
#include <stdlib.h>

typedef struct sinc {
	sqlite3_int64 id, place, actor, other;
	const char *type, *actor_key, *date, *dprec, *modality, *other_name;
	int other_is_place;
	int32_t when;           /* sort date */
	int dated;
	double days;            /* a stated duration, 0 if none */
	json_t *sources;        /* array of names */
} sinc;

typedef struct sint {
	sqlite3_int64 actor;
	const char *actor_key;
	const char *role;       /* held, present, withdrawing, expected_... */
	char start[11], start_prec[8];
	char end[11], end_prec[8];
	int has_start, has_end, end_expected, open;
	char note[160];
	sqlite3_int64 incs[64];
	int ninc;
} sint;

typedef struct sctx {
	sr_store *st;
	sr_arena a;
	sint *iv;
	size_t niv, cap;
	int32_t as_of;
	int has_as_of;
	json_t *srcmap;         /* incident id (string) -> sources array */
} sctx;

static int
compatible(const char *a, const char *b)
{
	return a && b && st_actors_compatible(a, b);
}

static int
type_rank(const char *t)
{
	return !strcmp(t, "withdraw") ? 0 : !strcmp(t, "take_control") ? 1 : 2;
}

static int
cmp_sinc(const void *pa, const void *pb)
{
	const sinc *a = pa, *b = pb;
	if (a->place != b->place)
		return a->place < b->place ? -1 : 1;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	int r = type_rank(a->type) - type_rank(b->type);
	if (r)
		return r;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void
attach(sint *v, sqlite3_int64 inc)
{
	for (int i = 0; i < v->ninc; i++)
		if (v->incs[i] == inc)
			return;
	if (v->ninc < (int)SR_ARRAY_LEN(v->incs))
		v->incs[v->ninc++] = inc;
}

static sint *
new_interval(sctx *c, const sinc *in, sqlite3_int64 actor, const char *key, const char *role)
{
	SR_GROW(c->iv, c->cap, c->niv + 1);
	sint *v = &c->iv[c->niv++];
	memset(v, 0, sizeof *v);
	v->actor = actor;
	v->actor_key = key;
	v->role = role;
	v->open = 1;
	attach(v, in->id);
	return v;
}

static void
set_start(sint *v, const sinc *in)
{
	if (in->dated) {
		snprintf(v->start, sizeof v->start, "%s", in->date);
		snprintf(v->start_prec, sizeof v->start_prec, "%s", in->dprec ? in->dprec : "");
		v->has_start = 1;
	}
}

static void
set_end(sint *v, const sinc *in)
{
	v->open = 0;
	if (in && in->dated) {
		snprintf(v->end, sizeof v->end, "%s", in->date);
		snprintf(v->end_prec, sizeof v->end_prec, "%s", in->dprec ? in->dprec : "");
		v->has_end = 1;
		v->end_expected = 0;
	}
}

/* the open interval of an actor compatible with key at this place */
static sint *
open_of(sctx *c, size_t from, const char *key, int expected)
{
	for (size_t i = c->niv; i-- > from;) {
		sint *v = &c->iv[i];
		int is_exp = !strncmp(v->role, "expected", 8);
		if (v->open && is_exp == expected && compatible(v->actor_key, key))
			return v;
	}
	return NULL;
}

static sint *
last_closed_of(sctx *c, size_t from, const char *key)
{
	for (size_t i = c->niv; i-- > from;) {
		sint *v = &c->iv[i];
		if (!v->open && strncmp(v->role, "expected", 8) && compatible(v->actor_key, key))
			return v;
	}
	return NULL;
}

static void
fulfil(sctx *c, size_t from, const sinc *in, const char *role)
{
	for (size_t i = from; i < c->niv; i++) {
		sint *v = &c->iv[i];
		if (v->open && !strcmp(v->role, role) && compatible(v->actor_key, in->actor_key)) {
			v->open = 0;
			snprintf(v->note, sizeof v->note, "fulfilled by incident %lld", (long long)in->id);
		}
	}
}

static void
apply(sctx *c, size_t from, const sinc *in)
{
	if (!strcmp(in->modality, "denied") || !in->actor)
		return;
	const char *key = in->actor_key;
	if (!strcmp(in->modality, "expected")) {
		const char *role = !strcmp(in->type, "take_control") ? "expected_control"
			: !strcmp(in->type, "withdraw") ? "expected_withdrawal" : "expected_deployment";
		sint *v = open_of(c, from, key, 1);
		if (v && !strcmp(v->role, role)) {
			attach(v, in->id);
			return;
		}
		v = new_interval(c, in, in->actor, key, role);
		set_start(v, in);
		if (in->other && in->other_name)
			snprintf(v->note, sizeof v->note, "%s %s",
				 !strcmp(in->type, "take_control") ? "from" : "toward", in->other_name);
		return;
	}
	if (!strcmp(in->type, "take_control")) {
		fulfil(c, from, in, "expected_control");
		for (size_t i = from; i < c->niv; i++) {
			sint *v = &c->iv[i];
			if (!v->open || compatible(v->actor_key, key))
				continue;
			int prev = in->other && !in->other_is_place && v->actor == in->other;
			if (!strcmp(v->role, "held") || !strcmp(v->role, "withdrawing") || prev) {
				set_end(v, in);
				attach(v, in->id);
			}
		}
		if (in->other && !in->other_is_place) {
			/* the previous holder held it until now */
			int known = 0;
			for (size_t i = from; i < c->niv; i++)
				known |= c->iv[i].actor == in->other;
			if (!known) {
				sint *p = new_interval(c, in, in->other, NULL, "held");
				set_end(p, in);
			}
		}
		sint *v = open_of(c, from, key, 0);
		if (v) {
			v->role = "held";
			attach(v, in->id);
		} else {
			v = new_interval(c, in, in->actor, key, "held");
			set_start(v, in);
		}
		return;
	}
	if (!strcmp(in->type, "withdraw")) {
		fulfil(c, from, in, "expected_withdrawal");
		sint *v = open_of(c, from, key, 0);
		if (!v) {
			sint *last = last_closed_of(c, from, key);
			/* already gone: more evidence of the same departure */
			if (last) {
				attach(last, in->id);
				return;
			}
			v = new_interval(c, in, in->actor, key, "present");
		} else {
			attach(v, in->id);
		}
		if (in->other && in->other_name)
			snprintf(v->note, sizeof v->note, "toward %s", in->other_name);
		int32_t lo, hi;
		if (in->days > 0 && in->dated && st_date_range(in->date, &lo, &hi)) {
			int32_t end = lo + (int32_t)(in->days + 0.5);
			if (c->has_as_of && end > c->as_of) {
				/* presence until the withdrawal began, then a
				 * withdrawing interval with its expected end */
				char note[sizeof v->note];
				memcpy(note, v->note, sizeof note);
				if (v->ninc > 1 || v->has_start) {
					set_end(v, in);
					v->note[0] = 0;
					v = new_interval(c, in, in->actor, key, "withdrawing");
				}
				v->role = "withdrawing";
				v->open = 1;
				memcpy(v->note, note, sizeof note);
				set_start(v, in);
				st_date_str(end, v->end);
				snprintf(v->end_prec, sizeof v->end_prec, "day");
				v->has_end = 1;
				v->end_expected = 1;
				size_t nl = strlen(v->note);
				snprintf(v->note + nl, sizeof v->note - nl, "%sbegun %s, %.0f days",
					 nl ? "; " : "", in->date, in->days);
				return;
			}
			v->open = 0;
			st_date_str(end, v->end);
			snprintf(v->end_prec, sizeof v->end_prec, "day");
			v->has_end = 1;
			return;
		}
		set_end(v, in);
		return;
	}
	/* deploy */
	fulfil(c, from, in, "expected_deployment");
	sint *v = open_of(c, from, key, 0);
	if (v) {
		attach(v, in->id);
		return;
	}
	v = new_interval(c, in, in->actor, key, "present");
	set_start(v, in);
}

static int
write_place(sctx *c, size_t from, sqlite3_int64 place, sqlite3_stmt *ins)
{
	sr_buf ib = {0};
	int rc = SR_OK;
	for (size_t i = from; i < c->niv && rc == SR_OK; i++) {
		sint *v = &c->iv[i];
		sr_buf_reset(&ib);
		sr_buf_addc(&ib, '[');
		json_t *names = json_object();
		for (int k = 0; k < v->ninc; k++) {
			sr_buf_printf(&ib, "%s%lld", k ? "," : "", (long long)v->incs[k]);
			char idk[32];
			snprintf(idk, sizeof idk, "%lld", (long long)v->incs[k]);
			json_t *arr = json_object_get(c->srcmap, idk);
			size_t j;
			json_t *s;
			json_array_foreach(arr, j, s)
				if (json_is_string(s))
					json_object_set_new(names, json_string_value(s), json_true());
		}
		sr_buf_addc(&ib, ']');
		/* sorted names */
		size_t ns = json_object_size(names);
		const char **sv = sr_malloc((ns + 1) * sizeof *sv);
		size_t n = 0;
		const char *k;
		json_t *val;
		json_object_foreach(names, k, val)
			sv[n++] = k;
		for (size_t a = 1; a < n; a++)
			for (size_t b = a; b > 0 && strcmp(sv[b - 1], sv[b]) > 0; b--) {
				const char *t = sv[b];
				sv[b] = sv[b - 1];
				sv[b - 1] = t;
			}
		sr_buf sb = {0};
		sr_buf_addc(&sb, '[');
		for (size_t a = 0; a < n; a++) {
			if (a)
				sr_buf_addc(&sb, ',');
			sr_buf_json_str(&sb, sv[a], strlen(sv[a]));
		}
		sr_buf_addc(&sb, ']');
		sqlite3_reset(ins);
		sqlite3_clear_bindings(ins);
		sqlite3_bind_int64(ins, 1, place);
		if (v->actor)
			sqlite3_bind_int64(ins, 2, v->actor);
		st_bind_str(ins, 3, v->role);
		st_bind_str(ins, 4, v->has_start ? v->start : NULL);
		st_bind_str(ins, 5, v->has_start && v->start_prec[0] ? v->start_prec : NULL);
		st_bind_str(ins, 6, v->has_end ? v->end : NULL);
		st_bind_str(ins, 7, v->has_end && v->end_prec[0] ? v->end_prec : NULL);
		sqlite3_bind_int(ins, 8, v->end_expected);
		sqlite3_bind_int(ins, 9, v->open);
		st_bind_str(ins, 10, ib.ptr);
		sqlite3_bind_int64(ins, 11, (sqlite3_int64)n);
		st_bind_str(ins, 12, sb.ptr);
		st_bind_str(ins, 13, v->note[0] ? v->note : NULL);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = st_dberr(c->st, "status insert");
		free(sv);
		sr_buf_free(&sb);
		json_decref(names);
	}
	sr_buf_free(&ib);
	return rc;
}

static const char *
dup_col(sctx *c, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? sr_arena_strndup(&c->a, (const char *)v, (size_t)sqlite3_column_bytes(s, i))
		 : NULL;
}

int
st_derive_status(sr_store *st)
{
	int rc = st_exec(st, "DELETE FROM place_status");
	if (rc != SR_OK)
		return rc;
	sctx c = {0};
	c.st = st;
	c.srcmap = json_object();
	sqlite3_stmt *s = st_prepare(st, "SELECT max(published) FROM documents");
	if (!s)
		return SR_ERR_DB;
	if (sqlite3_step(s) == SQLITE_ROW) {
		int32_t hi;
		c.has_as_of = st_date_range((const char *)sqlite3_column_text(s, 0), &c.as_of, &hi);
	}
	sqlite3_finalize(s);

	s = st_prepare(st,
		"SELECT i.id, i.place_id, i.actor_id, i.other_id, i.type, a.key, i.date,"
		" i.date_precision, i.modality, o.name, o.is_place, i.sources,"
		" (SELECT min(d.published) FROM incident_events ie JOIN events e ON e.id = ie.event_id"
		"   JOIN documents d ON d.id = e.doc_id WHERE ie.incident_id = i.id),"
		" (SELECT max(q.value) FROM incident_events ie JOIN quantities q"
		"   ON q.event_id = ie.event_id WHERE ie.incident_id = i.id AND q.unit = 'days')"
		" FROM incidents i LEFT JOIN entities a ON a.id = i.actor_id"
		" LEFT JOIN entities o ON o.id = i.other_id"
		" WHERE i.place_id IS NOT NULL AND i.type IN ('withdraw','take_control','deploy')");
	if (!s) {
		json_decref(c.srcmap);
		return SR_ERR_DB;
	}
	sinc *in = NULL;
	size_t nin = 0, capin = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		SR_GROW(in, capin, nin + 1);
		sinc *x = &in[nin++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(s, 0);
		x->place = sqlite3_column_int64(s, 1);
		x->actor = sqlite3_column_int64(s, 2);
		x->other = sqlite3_column_int64(s, 3);
		x->type = dup_col(&c, s, 4);
		x->actor_key = dup_col(&c, s, 5);
		x->date = dup_col(&c, s, 6);
		x->dprec = dup_col(&c, s, 7);
		x->modality = dup_col(&c, s, 8);
		x->other_name = dup_col(&c, s, 9);
		x->other_is_place = sqlite3_column_int(s, 10);
		const char *srcs = (const char *)sqlite3_column_text(s, 11);
		json_t *arr = srcs ? json_loads(srcs, 0, NULL) : NULL;
		char idk[32];
		snprintf(idk, sizeof idk, "%lld", (long long)x->id);
		json_object_set_new(c.srcmap, idk, arr ? arr : json_array());
		int32_t lo, hi;
		x->dated = st_date_range(x->date, &lo, &hi);
		if (x->dated)
			x->when = lo;
		else if (st_date_range((const char *)sqlite3_column_text(s, 12), &lo, &hi))
			x->when = lo;
		else
			x->when = INT32_MAX;
		x->days = sqlite3_column_double(s, 13);
		if (!x->modality)
			x->modality = "asserted";
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		rc = st_dberr(st, "reading incidents");
	if (nin)
		qsort(in, nin, sizeof *in, cmp_sinc);

	sqlite3_stmt *ins = rc == SR_OK ? st_prepare(st,
		"INSERT INTO place_status(place_id, actor_id, role, start, start_precision,"
		" end_date, end_precision, end_expected, current, incidents, nsources, sources, note)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)") : NULL;
	if (!ins)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < nin && rc == SR_OK;) {
		size_t j = i;
		c.niv = 0;
		for (; j < nin && in[j].place == in[i].place; j++)
			apply(&c, 0, &in[j]);
		rc = write_place(&c, 0, in[i].place, ins);
		i = j;
	}
	sqlite3_finalize(ins);
	free(in);
	free(c.iv);
	sr_arena_free(&c.a);
	json_decref(c.srcmap);
	return rc;
}
