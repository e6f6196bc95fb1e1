/*
 * status.c -- who held or occupied each place, and when: a timeline of
 * intervals per place derived from its incidents, in date order, as a
 * pure function over an array of incidents (sf_status).
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
#include "fuse_int.h"

#include <stdlib.h>

/* The last closed interval (not an expected one) of one actor key. */
typedef struct lastkey {
	const char *key;
	size_t i;
} lastkey;

/* One place's intervals, with indexes that keep each incident's work
 * proportional to what is open, not to the place's whole history: the
 * open intervals in the order they were opened (closed ones are dropped
 * as they are met), the actors named, and per actor key its last closed
 * interval. */
typedef struct sctx {
	sf_interval *iv;
	size_t niv, cap;
	int32_t as_of;
	int has_as_of;
	size_t *open;
	size_t nopen, capopen;
	long long *actors;
	size_t nactors, capactors;
	lastkey *last;
	size_t nlast, caplast;
} sctx;

static int
compatible(const char *a, const char *b)
{
	return a && b && sf_actors_compatible(a, b);
}

static int
type_rank(const char *t)
{
	return !strcmp(t, "withdraw") ? 0 : !strcmp(t, "take_control") ? 1 : 2;
}

static int
cmp_sf_sinc(const void *pa, const void *pb)
{
	const sf_sinc *a = pa, *b = pb;
	if (a->place != b->place)
		return a->place < b->place ? -1 : 1;
	if (a->when != b->when)
		return a->when < b->when ? -1 : 1;
	/* (the readers keep one copy of a type: one pointer, one rank) */
	int r = a->type == b->type ? 0 : type_rank(a->type) - type_rank(b->type);
	if (r)
		return r;
	return a->id < b->id ? -1 : a->id > b->id;
}

static void
attach(sf_interval *v, long long inc)
{
	for (int i = 0; i < v->ninc; i++)
		if (v->incs[i] == inc)
			return;
	if (v->ninc < (int)SR_ARRAY_LEN(v->incs))
		v->incs[v->ninc++] = inc;
}

static sf_interval *
new_interval(sctx *c, const sf_sinc *in, long long actor, const char *key, const char *role)
{
	SR_GROW(c->iv, c->cap, c->niv + 1);
	sf_interval *v = &c->iv[c->niv++];
	memset(v, 0, sizeof *v);
	v->actor = actor;
	v->actor_key = key;
	v->role = role;
	v->open = 1;
	attach(v, in->id);
	SR_GROW(c->open, c->capopen, c->nopen + 1);
	c->open[c->nopen++] = c->niv - 1;
	size_t k = 0;
	while (k < c->nactors && c->actors[k] != actor)
		k++;
	if (k == c->nactors) {
		SR_GROW(c->actors, c->capactors, c->nactors + 1);
		c->actors[c->nactors++] = actor;
	}
	return v;
}

static void
set_start(sf_interval *v, const sf_sinc *in)
{
	if (in->dated) {
		snprintf(v->start, sizeof v->start, "%s", in->date);
		snprintf(v->start_prec, sizeof v->start_prec, "%s", in->dprec ? in->dprec : "");
		v->has_start = 1;
	}
}

/* Closes v (for good: an interval is never opened again). */
static void
close_iv(sctx *c, sf_interval *v)
{
	v->open = 0;
	if (!v->actor_key || !strncmp(v->role, "expected", 8))
		return;
	size_t i = (size_t)(v - c->iv), k = 0;
	while (k < c->nlast && strcmp(c->last[k].key, v->actor_key) != 0)
		k++;
	if (k == c->nlast) {
		SR_GROW(c->last, c->caplast, c->nlast + 1);
		c->last[c->nlast].key = v->actor_key;
		c->last[c->nlast++].i = i;
	} else if (i > c->last[k].i) {
		c->last[k].i = i;
	}
}

static void
set_end(sctx *c, sf_interval *v, const sf_sinc *in)
{
	close_iv(c, v);
	if (in && in->dated) {
		snprintf(v->end, sizeof v->end, "%s", in->date);
		snprintf(v->end_prec, sizeof v->end_prec, "%s", in->dprec ? in->dprec : "");
		v->has_end = 1;
		v->end_expected = 0;
	}
}

/* the open interval of an actor compatible with key at this place */
/* Drops the closed intervals from the open list. */
static void
prune_open(sctx *c)
{
	size_t k = 0;
	for (size_t i = 0; i < c->nopen; i++)
		if (c->iv[c->open[i]].open)
			c->open[k++] = c->open[i];
	c->nopen = k;
}

static sf_interval *
open_of(sctx *c, size_t from, const char *key, int expected)
{
	prune_open(c);
	for (size_t j = c->nopen; j-- > 0;) {
		if (c->open[j] < from)
			break;
		sf_interval *v = &c->iv[c->open[j]];
		int is_exp = !strncmp(v->role, "expected", 8);
		if (v->open && is_exp == expected && compatible(v->actor_key, key))
			return v;
	}
	return NULL;
}

/* The latest closed interval, not an expected one, of an actor
 * compatible with key. */
static sf_interval *
last_closed_of(sctx *c, size_t from, const char *key)
{
	sf_interval *best = NULL;
	for (size_t k = 0; k < c->nlast; k++)
		if (c->last[k].i >= from && compatible(c->last[k].key, key) &&
		    (!best || c->last[k].i > (size_t)(best - c->iv)))
			best = &c->iv[c->last[k].i];
	return best;
}

static void
fulfil(sctx *c, size_t from, const sf_sinc *in, const char *role)
{
	prune_open(c);
	for (size_t j = 0; j < c->nopen; j++) {
		if (c->open[j] < from)
			continue;
		sf_interval *v = &c->iv[c->open[j]];
		if (v->open && !strcmp(v->role, role) && compatible(v->actor_key, in->actor_key)) {
			close_iv(c, v);
			snprintf(v->note, sizeof v->note, "fulfilled by incident %lld", (long long)in->id);
		}
	}
}

static void
apply(sctx *c, size_t from, const sf_sinc *in)
{
	if (!strcmp(in->modality, "denied") || !in->actor)
		return;
	const char *key = in->actor_key;
	if (!strcmp(in->modality, "expected")) {
		const char *role = !strcmp(in->type, "take_control") ? "expected_control"
			: !strcmp(in->type, "withdraw") ? "expected_withdrawal" : "expected_deployment";
		sf_interval *v = open_of(c, from, key, 1);
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
		prune_open(c);
		for (size_t j = 0; j < c->nopen; j++) {
			if (c->open[j] < from)
				continue;
			sf_interval *v = &c->iv[c->open[j]];
			if (!v->open || compatible(v->actor_key, key))
				continue;
			int prev = in->other && !in->other_is_place && v->actor == in->other;
			if (!strcmp(v->role, "held") || !strcmp(v->role, "withdrawing") || prev) {
				set_end(c, v, in);
				attach(v, in->id);
			}
		}
		if (in->other && !in->other_is_place) {
			/* the previous holder held it until now */
			int known = 0;
			for (size_t k = 0; k < c->nactors && !known; k++)
				known = c->actors[k] == in->other;
			if (!known) {
				sf_interval *p = new_interval(c, in, in->other, NULL, "held");
				set_end(c, p, in);
			}
		}
		sf_interval *v = open_of(c, from, key, 0);
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
		sf_interval *v = open_of(c, from, key, 0);
		if (!v) {
			sf_interval *last = last_closed_of(c, from, key);
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
					set_end(c, v, in);
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
			close_iv(c, v);
			st_date_str(end, v->end);
			snprintf(v->end_prec, sizeof v->end_prec, "day");
			v->has_end = 1;
			return;
		}
		set_end(c, v, in);
		return;
	}
	/* deploy */
	fulfil(c, from, in, "expected_deployment");
	sf_interval *v = open_of(c, from, key, 0);
	if (v) {
		attach(v, in->id);
		return;
	}
	v = new_interval(c, in, in->actor, key, "present");
	set_start(v, in);
}

/* The incidents' sources: (id, index) pairs sorted by id. */
typedef struct idx {
	long long id;
	size_t i;
} idx;

static int
cmp_idx(const void *a, const void *b)
{
	const idx *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static const sf_sinc *
find_inc(const idx *ix, size_t n, const sf_sinc *in, long long id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (ix[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && ix[lo].id == id ? &in[ix[lo].i] : NULL;
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The interval's incidents and their distinct sources, as JSON. */
static void
finish_interval(sr_arena *a, sf_interval *v, const idx *ix, size_t nix, const sf_sinc *in)
{
	sr_buf b = {0};
	size_t cap = 0, n = 0;
	const char **names = NULL;
	sr_buf_addc(&b, '[');
	for (int k = 0; k < v->ninc; k++) {
		if (k)
			sr_buf_addc(&b, ',');
		sr_buf_addll(&b, v->incs[k]);
		const sf_sinc *x = find_inc(ix, nix, in, v->incs[k]);
		for (size_t j = 0; x && j < x->nsources; j++) {
			/* the same few names, one pointer each (the readers
			 * keep one copy of a string), over and over: each
			 * pointer once, then sorted as text (sorting all of
			 * them was most of the status of a million events);
			 * past 32 names, all kept and sorted as before */
			size_t d = 0;
			while (d < n && n < 32 && names[d] != x->sources[j])
				d++;
			if (d < n && n < 32)
				continue;
			SR_GROW(names, cap, n + 1);
			names[n++] = x->sources[j];
		}
	}
	sr_buf_addc(&b, ']');
	v->incidents_json = sr_arena_strndup(a, b.ptr, b.len);
	if (n)
		qsort(names, n, sizeof *names, cmp_cstr);
	sr_buf_reset(&b);
	sr_buf_addc(&b, '[');
	int k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(names[i], names[i - 1]))
			continue;
		if (k++)
			sr_buf_addc(&b, ',');
		sr_buf_json_str(&b, names[i], strlen(names[i]));
	}
	sr_buf_addc(&b, ']');
	v->sources_json = sr_arena_strndup(a, b.ptr, b.len);
	v->nsources = k;
	sr_buf_free(&b);
	free(names);
}

/* Keeps an interval in out (sf_status). */
static void
keep_interval(void *ctx, const sf_interval *v)
{
	sf_status_out *out = ctx;
	SR_GROW(out->iv, out->cap, out->n + 1);
	out->iv[out->n++] = *v;
}

void
sf_status(sf_sinc *in, size_t n, const char *as_of, sf_status_out *out)
{
	sf_status_each(in, n, as_of, &out->a, keep_interval, out);
}

void
sf_status_each(sf_sinc *in, size_t n, const char *as_of, sr_arena *a,
	       void (*emit)(void *ctx, const sf_interval *v), void *ctx)
{
	sctx c = {0};
	sr_arena one = {0};             /* a place's JSON when a is NULL */
	int32_t hi;
	c.has_as_of = st_date_range(as_of, &c.as_of, &hi);
	for (size_t i = 0; i < n; i++)
		if (!in[i].modality)
			in[i].modality = "asserted";
	if (n)
		qsort(in, n, sizeof *in, cmp_sf_sinc);
	idx *ix = sr_malloc((n + 1) * sizeof *ix);
	for (size_t i = 0; i < n; i++) {
		ix[i].id = in[i].id;
		ix[i].i = i;
	}
	if (n)
		qsort(ix, n, sizeof *ix, cmp_idx);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		c.niv = c.nopen = c.nactors = c.nlast = 0;
		for (; j < n && in[j].place == in[i].place; j++)
			apply(&c, 0, &in[j]);
		for (size_t k = 0; k < c.niv; k++) {
			sf_interval *v = &c.iv[k];
			v->place = in[i].place;
			finish_interval(a ? a : &one, v, ix, n, in);
			emit(ctx, v);
		}
		if (!a)
			sr_arena_reset(&one);
		i = j;
	}
	sr_arena_free(&one);
	free(ix);
	free(c.iv);
	free(c.open);
	free(c.actors);
	free(c.last);
}

void
sf_status_free(sf_status_out *out)
{
	free(out->iv);
	sr_arena_free(&out->a);
	memset(out, 0, sizeof *out);
}

/* ------------------------------------------- an incident's other places */

typedef struct idplace {
	long long id, place;
} idplace;

static int
cmp_idplace(const void *pa, const void *pb)
{
	const idplace *a = pa, *b = pb;
	return a->id < b->id ? -1 : a->id > b->id;
}

int
sf_incident_places(const sf_fusion *fu, const sf_incident *I, long long out[SF_MAX_PLACES])
{
	const sf_event *an = I->an;
	if (!an || !an->place)
		return 0;
	idplace stackv[32];
	idplace *v = I->nmem <= 32 ? stackv : sr_malloc(I->nmem * sizeof *v);
	size_t nv = 0;
	for (size_t m = 0; m < I->nmem; m++) {
		const sf_event *e = &fu->ev[I->mem[m]];
		if (e->place && e->place != an->place && e->prank != SF_RANK_COUNTRY)
			v[nv++] = (idplace){e->id, e->place};
	}
	if (nv > 1)
		qsort(v, nv, sizeof *v, cmp_idplace);
	int n = 0;
	for (size_t i = 0; i < nv && n < SF_MAX_PLACES; i++) {
		int dup = 0;
		for (int k = 0; k < n && !dup; k++)
			dup = out[k] == v[i].place;
		if (!dup)
			out[n++] = v[i].place;
	}
	if (v != stackv)
		free(v);
	return n;
}

void
sf_places_text(const long long *places, int n, char *out, size_t cap)
{
	size_t len = 0;
	out[0] = 0;
	for (int i = 0; i < n && len < cap; i++) {
		int w = snprintf(out + len, cap - len, "%s%lld", i ? "," : "", places[i]);
		if (w < 0 || (size_t)w >= cap - len)
			break;
		len += (size_t)w;
	}
}

int
sf_places_parse(const char *s, long long out[SF_MAX_PLACES])
{
	int n = 0;
	while (s && *s && n < SF_MAX_PLACES) {
		char *end;
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		if (v > 0)
			out[n++] = v;
		s = *end == ',' ? end + 1 : end;
	}
	return n;
}
