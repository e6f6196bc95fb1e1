/*
 * fuse.c -- events of many reports into incidents, with disagreements:
 * a pure function over an array of events (sf_fuse).
 *
 * Rules, not cases (see sr_store_fuse in sitrep.h): an event joins an
 * incident when the type is the same, the dates overlap (the incident
 * keeps the intersection of its members' windows, so a chain of
 * overlapping windows never drifts), the actor is compatible with every
 * actor of the incident, and the place is the incident's place or one
 * contains the other (sf_place_contains, the one rule).  A placeless
 * event needs a positive tie instead: the same other party (destination,
 * target...) or the same actor of a placeless incident.
 *
 * Events are taken most specific first (place precision, then date
 * precision), so each incident is anchored on its most precise report and
 * vaguer ones attach to it.  A vague event that fits several incidents
 * equally well is not forced into one of them: it starts its own.  The
 * order within a rank is the documents' keys, so the result does not
 * depend on the order of the array.
 *
 * Candidate incidents come from blocks (type + place, type + country,
 * type + other party, type + placeless), each cut into date buckets of
 * BUCKET_DAYS: an incident is listed in every bucket its window touches
 * when it is made (windows only narrow afterwards), and an event looks
 * only in the buckets its own window touches.  Each event so examines the
 * incidents near it in type, place and time, not a whole block, and
 * fusion stays near linear: a million events in about a second.  An
 * incident is examined once per event however many of its lists hold it
 * (a stamp per incident), so ties are counted once.  A town or a region
 * looks for the finer places it may contain in the cells of a map grid
 * (GRID_DEG) within SR_FUSE_TOWN_KM or SR_FUSE_REGION_KM of it, not among
 * every finer place of its country.
 */
#include "fuse_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

#define NO_WINDOW_LO (INT32_MIN / 4)
#define NO_WINDOW_HI (INT32_MAX / 4)
#define MAX_CANDIDATES 4096     /* incidents examined per event, newest first, by an
				   event with no date window */
#define BUCKET_SHIFT 3          /* date buckets of 8 days */
#define MAX_BUCKETS 64          /* a wider window is listed as unbounded */
#define UNBOUNDED INT32_MIN     /* the bucket of unbounded windows */
#define GRID_DEG 0.5            /* cells of the map grid, in degrees */

typedef sf_event fev;
typedef sf_incident finc;

typedef struct ilist {
	int *v;
	size_t n, cap;
} ilist;

typedef struct fmap {
	uint64_t *keys;
	int *vals;
	size_t mask, used;
	ilist *lists;
	size_t nlists, caplists;
} fmap;

struct sf_blocks {
	fmap m;
};

/* Stored incident ids to what they became here (sf_fuse_region). */
typedef struct imap {
	long long *k;
	int *v;
	size_t mask, used;
} imap;

static int *
imap_slot(imap *m, long long key, int create)
{
	if (!m->k) {
		if (!create)
			return NULL;
		m->mask = 255;
		m->k = sr_calloc(m->mask + 1, sizeof *m->k);
		m->v = sr_calloc(m->mask + 1, sizeof *m->v);
	}
	if (create && (m->used + 1) * 2 > m->mask + 1) {
		imap o = *m;
		m->mask = o.mask * 2 + 1;
		m->used = 0;
		m->k = sr_calloc(m->mask + 1, sizeof *m->k);
		m->v = sr_calloc(m->mask + 1, sizeof *m->v);
		for (size_t i = 0; i <= o.mask; i++)
			if (o.k[i])
				*imap_slot(m, o.k[i], 1) = o.v[i];
		free(o.k);
		free(o.v);
	}
	uint64_t h = (uint64_t)key * 0x9E3779B97F4A7C15ull;
	size_t i = (h ^ h >> 29) & m->mask;
	while (m->k[i] && m->k[i] != key)
		i = (i + 1) & m->mask;
	if (!m->k[i]) {
		if (!create)
			return NULL;
		m->k[i] = key;
		m->v[i] = -1;
		m->used++;
	}
	return &m->v[i];
}

static void
imap_free(imap *m)
{
	free(m->k);
	free(m->v);
}

typedef struct fctx {
	imap was;               /* stored incident -> incident here */
	fev *ev;
	size_t nev;
	finc *inc;
	size_t ninc, capinc;
	fmap blocks;
	int *stamp;             /* per incident: the last event that examined it, +1 */
	size_t capstamp;
	struct pairs *pairs;    /* containment and actor answers, by ids */
} fctx;

/* ------------------------------------------------------------ answers */

/* The answers of the rules for pairs of ids (places: does a contain b;
 * actors: are a and b compatible), each asked once: events ask them
 * millions of times about a few hundred places and actors, and the
 * answer depends only on the ids (equal ids are one place, one actor). */
typedef struct pair {
	long long a, b;
	int kind;               /* 0 empty, 1 contains, 2 actors */
	int val;
} pair;

struct pairs {
	pair *v;
	size_t mask, used;
};

static pair *
pair_slot(struct pairs *p, long long a, long long b, int kind)
{
	if (!p->v || (p->used + 1) * 2 > p->mask + 1) {
		size_t omask = p->mask;
		pair *ov = p->v;
		p->mask = ov ? omask * 2 + 1 : 255;
		p->v = sr_calloc(p->mask + 1, sizeof *p->v);
		for (size_t i = 0; ov && i <= omask; i++) {
			if (!ov[i].kind)
				continue;
			pair *q = pair_slot(p, ov[i].a, ov[i].b, ov[i].kind);
			*q = ov[i];
		}
		free(ov);
	}
	uint64_t h = (uint64_t)a * 0x9E3779B97F4A7C15ull ^ (uint64_t)b * 0xC2B2AE3D27D4EB4Full ^
		     (uint64_t)kind;
	h ^= h >> 31;
	size_t i = h & p->mask;
	while (p->v[i].kind && !(p->v[i].a == a && p->v[i].b == b && p->v[i].kind == kind))
		i = (i + 1) & p->mask;
	return &p->v[i];
}

/* ------------------------------------------------------------ strings */

/* What snprintf(out, n, "%s%s", a, b) writes, without printf's cost (it
 * ran millions of times in the summaries of a million events). */
static void
cat2(char *out, size_t n, const char *a, const char *b)
{
	size_t o = 0;
	for (; a && *a && o + 1 < n; a++)
		out[o++] = *a;
	for (; b && *b && o + 1 < n; b++)
		out[o++] = *b;
	out[o] = 0;
}

/* The key that orders and groups counts: snprintf "%020.3f", written
 * directly for the whole numbers counts nearly always are. */
static void
count_key(double v, char *out, size_t n)
{
	if (v >= 0 && v < 1e15 && v == floor(v) && n > 20) {
		unsigned long long u = (unsigned long long)v;
		for (int i = 15; i >= 0; i--) {
			out[i] = (char)('0' + u % 10);
			u /= 10;
		}
		memcpy(out + 16, ".000", 5);
		return;
	}
	snprintf(out, n, "%020.3f", v);
}

/* ------------------------------------------------------------ block map */

static uint64_t
mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	h ^= h >> 33;
	return h | 1;   /* 0 marks an empty slot */
}

static uint64_t
block_key(uint64_t th, char what, long long id, const char *s)
{
	uint64_t h = th;
	h = mix(h ^ (uint64_t)(unsigned char)what * 0x100000001b3ull);
	h = mix(h ^ (uint64_t)id);
	if (s)
		h = mix(h ^ sr_hash64(s, strlen(s)));
	return h;
}

static ilist *
block(fmap *m, uint64_t key, int create)
{
	if (!m->keys) {
		m->mask = 1023;
		m->keys = sr_calloc(m->mask + 1, sizeof *m->keys);
		m->vals = sr_calloc(m->mask + 1, sizeof *m->vals);
	}
	size_t i = key & m->mask;
	while (m->keys[i]) {
		if (m->keys[i] == key)
			return &m->lists[m->vals[i]];
		i = (i + 1) & m->mask;
	}
	if (!create)
		return NULL;
	if ((m->used + 1) * 2 > m->mask + 1) {
		/* grow and re-insert */
		size_t omask = m->mask;
		uint64_t *ok = m->keys;
		int *ov = m->vals;
		m->mask = omask * 2 + 1;
		m->keys = sr_calloc(m->mask + 1, sizeof *m->keys);
		m->vals = sr_calloc(m->mask + 1, sizeof *m->vals);
		for (size_t j = 0; j <= omask; j++) {
			if (!ok[j])
				continue;
			size_t k = ok[j] & m->mask;
			while (m->keys[k])
				k = (k + 1) & m->mask;
			m->keys[k] = ok[j];
			m->vals[k] = ov[j];
		}
		free(ok);
		free(ov);
		return block(m, key, create);
	}
	SR_GROW(m->lists, m->caplists, m->nlists + 1);
	memset(&m->lists[m->nlists], 0, sizeof(ilist));
	m->keys[i] = key;
	m->vals[i] = (int)m->nlists;
	m->used++;
	return &m->lists[m->nlists++];
}

static void
block_add(fmap *m, uint64_t key, int inc)
{
	ilist *l = block(m, key, 1);
	if (l->n && l->v[l->n - 1] == inc)
		return;
	SR_GROW(l->v, l->cap, l->n + 1);
	l->v[l->n++] = inc;
}

/* The block of the places of one type and rank in one cell of the grid. */
static uint64_t
grid_key(uint64_t th, int rank, int32_t cy, int32_t cx)
{
	uint64_t h = block_key(th, 'G', rank, NULL);
	return mix(h ^ ((uint64_t)(uint32_t)cy << 32 | (uint32_t)cx));
}

static int32_t
cell(double deg)
{
	return (int32_t)floor(deg / GRID_DEG);
}

/* The cells within km of (lat, lon): rows cy0..cy1, columns cx0..cx1.
 * 0 when the grid cannot say (near a pole or the antimeridian): then the
 * country's whole block is read instead.  A point within km differs by
 * at most km/r radians in latitude, and in longitude by at most
 * 2 asin(sin(km/2r) / sqrt(cos lat1 cos lat2)) (the haversine formula
 * with the smallest cos lat2 in reach). */
static int
grid_span(double lat, double lon, double km, int32_t *cy0, int32_t *cy1, int32_t *cx0,
	  int32_t *cx1)
{
	const double r = 6371.0088, d2r = 3.14159265358979323846 / 180.0;
	double dlat = km / r / d2r + 0.01;
	double far = fabs(lat) + dlat;
	if (far >= 89.0)
		return 0;
	double x = sin(km / (2 * r)) / sqrt(cos(lat * d2r) * cos(far * d2r));
	if (x >= 1.0)
		return 0;
	double dlon = 2 * asin(x) / d2r + 0.01;
	if (lon - dlon < -180.0 || lon + dlon > 180.0)
		return 0;
	*cy0 = cell(lat - dlat);
	*cy1 = cell(lat + dlat);
	*cx0 = cell(lon - dlon);
	*cx1 = cell(lon + dlon);
	return 1;
}

/* The bucket list of a block: its key mixed with a bucket number. */
static uint64_t
bucket_key(uint64_t block, int32_t b)
{
	return mix(block ^ ((uint64_t)(uint32_t)b * 0x9E3779B97F4A7C15ull));
}

static int
unbounded(int32_t lo, int32_t hi)
{
	return lo <= NO_WINDOW_LO || hi >= NO_WINDOW_HI ||
	       (hi >> BUCKET_SHIFT) - (lo >> BUCKET_SHIFT) >= MAX_BUCKETS;
}

/* Lists incident inc under block key: in the whole block's list (for
 * events without a window) and in each date bucket [lo, hi] touches. */
static void
block_register(fmap *m, uint64_t key, int inc, int32_t lo, int32_t hi)
{
	block_add(m, key, inc);
	if (unbounded(lo, hi)) {
		block_add(m, bucket_key(key, UNBOUNDED), inc);
		return;
	}
	for (int32_t b = lo >> BUCKET_SHIFT; b <= hi >> BUCKET_SHIFT; b++)
		block_add(m, bucket_key(key, b), inc);
}

static void
fmap_free(fmap *m)
{
	for (size_t i = 0; i < m->nlists; i++)
		free(m->lists[i].v);
	free(m->lists);
	free(m->keys);
	free(m->vals);
}

/* ---------------------------------------------------------------- rules */

static int
modality_code(const char *m)
{
	int k = sr_modality_parse(m);
	return k > 0 ? k : SR_MOD_ASSERTED;
}

static void
as_place(const fev *e, sf_place *p)
{
	p->id = e->place;
	p->rank = e->prank;
	memcpy(p->country, e->country, sizeof p->country);
	p->has_coord = e->has_coord;
	p->lat = e->lat;
	p->lon = e->lon;
}

/* Does the place of a contain the place of b (a different place)? */
static int
contains(fctx *c, const fev *a, const fev *b)
{
	if (!a->place || !b->place || a->place == b->place)
		return 0;
	pair *q = pair_slot(c->pairs, a->place, b->place, 1);
	if (!q->kind) {
		sf_place pa, pb;
		as_place(a, &pa);
		as_place(b, &pb);
		q->a = a->place;
		q->b = b->place;
		q->kind = 1;
		q->val = sf_place_contains(&pa, &pb);
		c->pairs->used++;
	}
	return q->val;
}

/* Are the actors of a and b compatible (both named)? */
static int
actors_fit(fctx *c, const fev *a, const fev *b)
{
	if (a->actor == b->actor)
		return 1;
	pair *q = pair_slot(c->pairs, a->actor, b->actor, 2);
	if (!q->kind) {
		q->a = a->actor;
		q->b = b->actor;
		q->kind = 2;
		q->val = sf_actors_compatible(a->actor_key, b->actor_key);
		c->pairs->used++;
	}
	return q->val;
}

/* The score of event e joining incident I, or -1 when it may not. */
static int
fit(fctx *c, const fev *e, const finc *I)
{
	if (e->lo > I->hi || I->lo > e->hi)
		return -1;
	const fev *an = &c->ev[I->anchor];
	int score = 0, tie = 0;
	if (e->place && an->place) {
		if (e->place == an->place)
			score += 4;
		else if (contains(c, e, an) || contains(c, an, e))
			score += 2;
		else
			return -1;
		tie = 1;
	}
	int same_actor = 0;
	if (e->actor && I->overflow) {
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *m = &c->ev[I->mem[i]];
			if (m->actor && !actors_fit(c, e, m))
				return -1;
			same_actor |= m->actor == e->actor;
		}
	} else if (e->actor) {
		for (int i = 0; i < I->nactors; i++) {
			const fev *m = &c->ev[I->actors[i]];
			if (m->actor == e->actor)
				same_actor = 1;
			else if (!actors_fit(c, e, m))
				return -1;
		}
	}
	int same_other = 0;
	if (e->other)
		for (size_t i = 0; i < I->nmem && !same_other; i++)
			same_other = c->ev[I->mem[i]].other == e->other;
	if (same_other) {
		score += 2;
		tie = 1;
	}
	if (same_actor) {
		score += 1;
		if (!e->place && !an->place)
			tie = 1;
	}
	return tie ? score : -1;
}

static int
cmp_events(const void *pa, const void *pb)
{
	const fev *a = pa, *b = pb;
	/* the loader shares one copy of a repeated string: equal pointers
	 * are equal strings */
	int r = a->type == b->type ? 0 : strcmp(a->type, b->type);
	if (r)
		return r;
	if (a->prank != b->prank)
		return a->prank - b->prank;
	if (a->drank != b->drank)
		return a->drank - b->drank;
	if (a->dlo != b->dlo)
		return a->dlo < b->dlo ? -1 : 1;
	if (a->dord && b->dord) {
		if (a->dord != b->dord)
			return a->dord < b->dord ? -1 : 1;
	} else if (a->dockey != b->dockey && (r = strcmp(a->dockey, b->dockey))) {
		return r;
	}
	if (a->n != b->n)
		return a->n - b->n;
	return (a->id > b->id) - (a->id < b->id);
}

static int
cmp_event_ptrs(const void *pa, const void *pb)
{
	return cmp_events(*(const fev *const *)pa, *(const fev *const *)pb);
}

/* cmp_events as numbers, for events whose documents all have a rank
 * (dord): type's rank, place rank, date rank and date in k1, then the
 * document's rank, the index, the id. */
typedef struct evkey {
	uint64_t k1;
	long long dord, id;
	int n;
	uint32_t i;             /* the event's index */
} evkey;

static int
cmp_evkey(const void *pa, const void *pb)
{
	const evkey *a = pa, *b = pb;
	if (a->k1 != b->k1)
		return a->k1 < b->k1 ? -1 : 1;
	if (a->dord != b->dord)
		return a->dord < b->dord ? -1 : 1;
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	return (a->id > b->id) - (a->id < b->id);
}

/* The order of ev by cmp_events into from (ev[i] is to take
 * ev[from[i]]), through compact keys (comparing the events themselves,
 * a few hundred bytes apart, was 7% of fusion); 0 when the events do
 * not allow it (a document without a rank, many types). */
static int
order_by_keys(const fev *ev, size_t n, size_t *from)
{
	const char *types[16];
	int rank[16];
	size_t nt = 0;
	if (n > UINT32_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (!ev[i].dord)
			return 0;
		size_t t = 0;
		while (t < nt && types[t] != ev[i].type)
			t++;
		if (t == nt) {
			if (nt == SR_ARRAY_LEN(types))
				return 0;
			types[nt++] = ev[i].type;
		}
	}
	for (size_t t = 0; t < nt; t++) {
		rank[t] = 0;
		for (size_t u = 0; u < nt; u++)
			rank[t] += strcmp(types[u], types[t]) < 0;
	}
	evkey *k = sr_malloc(n * sizeof *k);
	size_t t = 0;
	for (size_t i = 0; i < n; i++) {
		const fev *e = &ev[i];
		if (types[t] != e->type)
			for (t = 0; types[t] != e->type; t++)
				;
		k[i].k1 = (uint64_t)rank[t] << 56 | (uint64_t)(e->prank & 7) << 53 |
			  (uint64_t)(e->drank & 3) << 51 | (uint64_t)((uint32_t)e->dlo ^ 0x80000000u);
		k[i].dord = e->dord;
		k[i].id = e->id;
		k[i].n = e->n;
		k[i].i = (uint32_t)i;
	}
	qsort(k, n, sizeof *k, cmp_evkey);
	for (size_t i = 0; i < n; i++)
		from[i] = k[i].i;
	free(k);
	return 1;
}

/* Sorts the events by cmp_events, then moves each event once, in place,
 * cycle by cycle (an event is a few hundred bytes: qsort of the array
 * itself moved each one log n times, and a sorted copy would double the
 * memory of a million events). */
static void
sort_events(fev *ev, size_t n)
{
	if (n < 2)
		return;
	size_t *from = sr_malloc(n * sizeof *from);     /* ev[i] takes ev[from[i]] */
	if (!order_by_keys(ev, n, from)) {
		const fev **p = sr_malloc(n * sizeof *p);
		for (size_t i = 0; i < n; i++)
			p[i] = &ev[i];
		qsort(p, n, sizeof *p, cmp_event_ptrs);
		for (size_t i = 0; i < n; i++)
			from[i] = (size_t)(p[i] - ev);
		free(p);
	}
	for (size_t i = 0; i < n; i++) {
		if (from[i] == i)
			continue;
		fev tmp = ev[i];
		size_t j = i;
		while (from[j] != i) {
			size_t k = from[j];
			ev[j] = ev[k];
			from[j] = j;
			j = k;
		}
		ev[j] = tmp;
		from[j] = j;
	}
	free(from);
}

/* The derived fields of an event: modality, date rank, date window (an
 * undated event spans the SR_FUSE_UNDATED_DAYS before its report, or
 * after it when expected). */
void
sf_event_window(fev *e)
{
	if (!e->type)
		e->type = "";
	if (!e->dockey)
		e->dockey = "";
	if (!e->place)
		e->prank = SF_RANK_NONE;
	e->th = sr_hash64(e->type, strlen(e->type));
	e->mod = modality_code(e->modality);
	size_t dl = e->date ? strlen(e->date) : 0;
	e->drank = dl == 10 ? 0 : dl == 7 ? 1 : dl == 4 ? 2 : 3;
	e->inc = -1;
	e->dated = st_date_range(e->date, &e->dlo, &e->dhi);
	if (e->dated) {
		int slack = 0;
		if (e->drank == 0)
			slack = e->approx ? 7 : SR_FUSE_DAY_SLACK;
		else if (e->approx)
			slack = 7;
		e->lo = e->dlo - slack;
		e->hi = e->dhi + slack;
		return;
	}
	e->dlo = e->dhi = 0;
	int32_t p, p2;
	if (st_date_range(e->published, &p, &p2)) {
		if (e->mod == SR_MOD_EXPECTED) {
			e->lo = p;
			e->hi = p + SR_FUSE_UNDATED_DAYS;
		} else {
			e->lo = p - SR_FUSE_UNDATED_DAYS;
			e->hi = p;
		}
		return;
	}
	e->lo = NO_WINDOW_LO;
	e->hi = NO_WINDOW_HI;
}

/* ------------------------------------------------------------- clustering */

static void
inc_add(fctx *c, int ii, int ei)
{
	finc *I = &c->inc[ii];
	fev *e = &c->ev[ei];
	SR_GROW(I->mem, I->cap, I->nmem + 1);
	I->mem[I->nmem++] = ei;
	if (e->lo > I->lo)
		I->lo = e->lo;
	if (e->hi < I->hi)
		I->hi = e->hi;
	e->inc = ii;
	if (e->actor) {
		int seen = 0;
		for (int i = 0; i < I->nactors && !seen; i++)
			seen = c->ev[I->actors[i]].actor == e->actor;
		if (!seen && I->nactors < (int)SR_ARRAY_LEN(I->actors))
			I->actors[I->nactors++] = ei;
		else if (!seen)
			I->overflow = 1;
	}
	if (e->other)
		block_register(&c->blocks, block_key(e->th, 'O', e->other, NULL), ii, I->lo, I->hi);
}

static int
inc_new(fctx *c, int ei)
{
	SR_GROW(c->inc, c->capinc, c->ninc + 1);
	SR_GROW(c->stamp, c->capstamp, c->ninc + 1);
	c->stamp[c->ninc] = 0;
	finc *I = &c->inc[c->ninc];
	memset(I, 0, sizeof *I);
	fev *e = &c->ev[ei];
	I->anchor = ei;
	I->lo = e->lo;
	I->hi = e->hi;
	int ii = (int)c->ninc++;
	if (e->place) {
		block_register(&c->blocks, block_key(e->th, 'P', e->place, NULL), ii, e->lo, e->hi);
		/* by country and the anchor's rank: a vaguer event looks only
		 * among incidents at finer places it may contain */
		if (e->country[0])
			block_register(&c->blocks, block_key(e->th, 'C', e->prank, e->country), ii,
				       e->lo, e->hi);
		if (e->country[0] && e->has_coord && e->prank < SF_RANK_COUNTRY)
			block_register(&c->blocks, grid_key(e->th, e->prank, cell(e->lat),
							    cell(e->lon)), ii, e->lo, e->hi);
	} else {
		block_register(&c->blocks, block_key(e->th, 'N', 0, NULL), ii, e->lo, e->hi);
	}
	inc_add(c, ii, ei);
	return ii;
}

static void
consider(fctx *c, const fev *e, int ei, ilist *l, int *best, int *bestscore, int *ties,
	 int32_t *bestdist)
{
	if (!l)
		return;
	size_t stop = l->n > MAX_CANDIDATES ? l->n - MAX_CANDIDATES : 0;
	for (size_t k = l->n; k-- > stop;) {
		int ii = l->v[k];
		if (c->stamp[ii] == ei + 1)
			continue;
		c->stamp[ii] = ei + 1;
		int sc = fit(c, e, &c->inc[ii]);
		if (sc < 0)
			continue;
		const fev *an = &c->ev[c->inc[ii].anchor];
		int32_t dist = e->dated && an->dated ? abs(e->dlo - an->dlo) : 0;
		if (sc > *bestscore || (sc == *bestscore && (dist < *bestdist ||
		    (dist == *bestdist && ii < *best)))) {
			if (sc > *bestscore)
				*ties = 0;
			else if (dist == *bestdist)
				(*ties)++;
			else
				*ties = 0;
			*best = ii;
			*bestscore = sc;
			*bestdist = dist;
		} else if (sc == *bestscore && dist == *bestdist) {
			(*ties)++;
		}
	}
}

/* The candidates of event ei in block key: those listed in the buckets
 * its window touches (and the unbounded ones), or, for an event without
 * a window, the newest MAX_CANDIDATES of the block. */
static void
consider_block(fctx *c, int ei, uint64_t key, int *best, int *bestscore, int *ties,
	       int32_t *bestdist)
{
	const fev *e = &c->ev[ei];
	if (unbounded(e->lo, e->hi)) {
		consider(c, e, ei, block(&c->blocks, key, 0), best, bestscore, ties, bestdist);
		return;
	}
	if (!block(&c->blocks, key, 0))
		return;
	consider(c, e, ei, block(&c->blocks, bucket_key(key, UNBOUNDED), 0), best, bestscore, ties,
		 bestdist);
	for (int32_t b = e->lo >> BUCKET_SHIFT; b <= e->hi >> BUCKET_SHIFT; b++)
		consider(c, e, ei, block(&c->blocks, bucket_key(key, b), 0), best, bestscore, ties,
			 bestdist);
}

static void
cluster(fctx *c)
{
	sort_events(c->ev, c->nev);
	for (size_t i = 0; i < c->nev; i++) {
		fev *e = &c->ev[i];
		int ei = (int)i;
		if (e->force && e->was) {
			/* kept where it was (sf_fuse_region) */
			int *w = imap_slot(&c->was, e->was, 1);
			if (*w >= 0)
				inc_add(c, *w, ei);
			else
				*w = inc_new(c, ei);
			continue;
		}
		int best = -1, bestscore = -1, ties = 0;
		int32_t bestdist = INT32_MAX;
		if (e->place) {
			consider_block(c, ei, block_key(e->th, 'P', e->place, NULL), &best, &bestscore,
				       &ties, &bestdist);
			/* finer places it may contain: a town or a region
			 * only near it (and only with coordinates, without
			 * which it contains nothing finer), a country all of
			 * its own */
			int32_t cy0, cy1, cx0, cx1;
			int near = (e->prank == SF_RANK_TOWN || e->prank == SF_RANK_REGION) &&
				   e->country[0];
			if (near && !e->has_coord) {
				/* no candidate */
			} else if (near && grid_span(e->lat, e->lon, e->prank == SF_RANK_TOWN
						   ? SR_FUSE_TOWN_KM : SR_FUSE_REGION_KM,
						   &cy0, &cy1, &cx0, &cx1)) {
				for (int r = SF_RANK_SITE; r < e->prank; r++)
					for (int32_t cy = cy0; cy <= cy1; cy++)
						for (int32_t cx = cx0; cx <= cx1; cx++)
							consider_block(c, ei, grid_key(e->th, r, cy, cx),
								       &best, &bestscore, &ties, &bestdist);
			} else {
				for (int r = SF_RANK_SITE; r < e->prank && e->country[0]; r++)
					consider_block(c, ei, block_key(e->th, 'C', r, e->country),
						       &best, &bestscore, &ties, &bestdist);
			}
		} else {
			consider_block(c, ei, block_key(e->th, 'N', 0, NULL), &best, &bestscore, &ties,
				       &bestdist);
		}
		if (e->other)
			consider_block(c, ei, block_key(e->th, 'O', e->other, NULL), &best, &bestscore,
				       &ties, &bestdist);
		/* several equally good incidents: a vague report stays apart,
		 * a report of the same place goes to the closest in time */
		if (best >= 0 && ties > 0 && !(e->place && bestscore >= 4 && e->dated))
			best = -1;
		if (best >= 0)
			inc_add(c, best, ei);
		else
			best = inc_new(c, ei);
		if (e->was) {
			int *w = imap_slot(&c->was, e->was, 1);
			if (*w < 0)
				*w = best;
		}
	}
}

/* ---------------------------------------------------------------- summary */

/* Events by id. */
static int
cmp_fev_id(const void *a, const void *b)
{
	const fev *x = *(const fev *const *)a, *y = *(const fev *const *)b;
	return (x->id > y->id) - (x->id < y->id);
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The independent sources of an event: what it is attributed to, else its
 * report's outlet and the outlets of the report's other copies (the same
 * story from two outlets is two sources), else the report itself. */
static size_t
event_sources(const fev *e, const char **out, size_t cap)
{
	size_t n = 0;
	int own = 1;    /* only the report's own outlet is named */
	for (int i = 0; i < e->nsrc && n < cap; i++) {
		if (!e->srcs[i])
			continue;
		out[n++] = e->srcs[i];
		own &= e->outlet && !strcmp(e->srcs[i], e->outlet);
	}
	if (!own)
		return n;
	if (!n && cap)
		out[n++] = e->outlet ? e->outlet : e->docname ? e->docname : "?";
	for (int i = 0; i < e->ncopies && n < cap; i++)
		if (e->copies[i])
			out[n++] = e->copies[i];
	return n;
}

/* Sorts v and drops repeats; returns the new count.  The loaders keep
 * one copy of a repeated string, so most repeats are one pointer: those
 * go first, by a small set of pointers, and only distinct pointers are
 * compared as text (the sources of an incident's members are a few names
 * repeated dozens of times: sorted as text they were 9% of fusion). */
static size_t
sort_unique(const char **v, size_t n)
{
	if (n < 2)
		return n;
	size_t cap = 64;
	int bits = 6;
	while (cap < n * 2) {
		cap <<= 1;
		bits++;
	}
	const char *stackset[256];
	const char **set = cap <= SR_ARRAY_LEN(stackset) ? stackset : sr_malloc(cap * sizeof *set);
	memset(set, 0, cap * sizeof *set);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		size_t h = (size_t)(((uint64_t)(uintptr_t)v[i] * 0x9E3779B97F4A7C15ull) >> (64 - bits));
		while (set[h] && set[h] != v[i])
			h = (h + 1) & (cap - 1);
		if (set[h])
			continue;
		set[h] = v[i];
		v[k++] = v[i];
	}
	if (set != stackset)
		free(set);
	n = k;
	if (n <= 16) {
		for (size_t i = 1; i < n; i++) {
			const char *x = v[i];
			size_t j = i;
			while (j > 0 && strcmp(v[j - 1], x) > 0) {
				v[j] = v[j - 1];
				j--;
			}
			v[j] = x;
		}
	} else {
		qsort(v, n, sizeof *v, cmp_str);
	}
	k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || strcmp(v[i], v[k - 1]) != 0)
			v[k++] = v[i];
	return k;
}

/* Sorted distinct strings as a JSON array, in the arena (b: scratch);
 * v is left sorted and distinct, their number in *nout. */
static char *
json_set(sr_arena *a, sr_buf *b, const char **v, size_t n, size_t *nout)
{
	n = sort_unique(v, n);
	if (nout)
		*nout = n;
	sr_buf_reset(b);
	sr_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_buf_json_str(b, v[i], strlen(v[i]));
	}
	sr_buf_addc(b, ']');
	return sr_arena_strndup(a, b->ptr, b->len);
}

static char *
arena_buf(sr_arena *a, sr_buf *b)
{
	char *s = b->ptr ? sr_arena_strndup(a, b->ptr, b->len) : NULL;
	sr_buf_free(b);
	return s;
}

typedef struct dval {
	char label[96];         /* the value as shown */
	char key[96];           /* what makes two values the same */
	int ev;                 /* one member index per entry */
	int32_t lo, hi;         /* dates: the range */
} dval;

static int
cmp_dval(const void *pa, const void *pb)
{
	const dval *a = pa, *b = pb;
	int r = strcmp(a->key, b->key);
	return r ? r : a->ev - b->ev;
}

static int
cmp_dval_ptr(const void *pa, const void *pb)
{
	return cmp_dval(*(const dval *const *)pa, *(const dval *const *)pb);
}

/* Sorts v by cmp_dval: through pointers, each value moved once (a value
 * is 200 bytes; qsort of the array moved each one log n times), and not
 * at all when they are in order already (count_distinct sorted them). */
static void
sort_dvals(dval *v, size_t n)
{
	size_t i = 1;
	while (i < n && cmp_dval(&v[i - 1], &v[i]) <= 0)
		i++;
	if (i >= n)
		return;
	const dval **p = sr_malloc(n * sizeof *p);
	for (i = 0; i < n; i++)
		p[i] = &v[i];
	qsort(p, n, sizeof *p, cmp_dval_ptr);
	dval *t = sr_malloc(n * sizeof *t);
	for (i = 0; i < n; i++)
		t[i] = *p[i];
	memcpy(v, t, n * sizeof *v);
	free(t);
	free(p);
}

typedef struct dis_list {
	sf_dis *v;
	size_t n, cap;
} dis_list;

/* One disagreement per distinct value among vals (n entries, grouped by
 * key). */
static void
add_values(sf_fusion *fu, dis_list *out, const char *field, dval *vals, size_t n)
{
	sort_dvals(vals, n);
	sr_buf evs = {0};
	const char **sv = NULL, **dv = NULL;
	size_t capsv = 0, capdv = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		size_t nsv = 0, ndv = 0;
		sr_buf_reset(&evs);
		sr_buf_addc(&evs, '[');
		for (; j < n && !strcmp(vals[j].key, vals[i].key); j++) {
			const fev *e = &fu->ev[vals[j].ev];
			if (j > i)
				sr_buf_addc(&evs, ',');
			sr_buf_addll(&evs, e->id);
			SR_GROW(dv, capdv, ndv + 1);
			dv[ndv++] = e->docname ? e->docname : "?";
			SR_GROW(sv, capsv, nsv + SR_MAX_SOURCES + (size_t)e->ncopies + 1);
			nsv += event_sources(e, sv + nsv, SR_MAX_SOURCES + (size_t)e->ncopies + 1);
		}
		sr_buf_addc(&evs, ']');
		SR_GROW(out->v, out->cap, out->n + 1);
		sf_dis *d = &out->v[out->n++];
		d->field = sr_arena_strndup(&fu->a, field, strlen(field));
		d->value = sr_arena_strndup(&fu->a, vals[i].label, strlen(vals[i].label));
		d->events = sr_arena_strndup(&fu->a, evs.ptr, evs.len);
		d->docs = json_set(&fu->a, &evs, dv, ndv, NULL);
		d->sources = json_set(&fu->a, &evs, sv, nsv, NULL);
		i = j;
	}
	free(sv);
	free(dv);
	sr_buf_free(&evs);
}

/* Do two different documents give different values?  (One report that
 * gives two numbers does not disagree with itself.)  Some pair differs in
 * both value and document exactly when the values are not all one and
 * the documents not all one: were every pair of different values from
 * one document, every value would come from that document. */
static int
between_docs(const sf_fusion *fu, const dval *v, size_t n)
{
	int keys = 0, docs = 0;
	for (size_t i = 1; i < n && !(keys && docs); i++) {
		keys |= strcmp(v[i].key, v[0].key) != 0;
		docs |= fu->ev[v[i].ev].doc != fu->ev[v[0].ev].doc;
	}
	return keys && docs;
}

static size_t
count_distinct(dval *v, size_t n)
{
	/* one value, nearly always: no sort */
	size_t same = 1;
	while (same < n && !strcmp(v[same].key, v[0].key))
		same++;
	if (same >= n)
		return n ? 1 : 0;
	sort_dvals(v, n);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += i == 0 || strcmp(v[i].key, v[i - 1].key) != 0;
	return k;
}

/* Folds a report's words for a place so that spellings of one name
 * compare equal: lower case, letters and digits only, without "the", the
 * Arabic article (al-, el-, ad-, as-, at-, an-, ar-) and the generic words
 * of a site ("base", "military", "camp"...).  Two reports whose words still
 * differ name the place differently ("Qamishli base" and "Qasrak"). */
static void
fold_place(const char *s, char *out, size_t n)
{
	static const char *const generic[] = {"the", "base", "military", "air", "airbase",
		"airport", "camp", "garrison", "outpost", "facility", "site", "province", "city",
		"town", "of", "in", "near", "us", "u", "s"};
	size_t o = 0;
	while (s && *s && o + 1 < n) {
		while (*s && !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			       (*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80))
			s++;
		char w[64];
		size_t k = 0;
		while (*s && ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			      (*s >= '0' && *s <= '9') || (unsigned char)*s >= 0x80)) {
			if (k + 1 < sizeof w)
				w[k++] = (char)((*s >= 'A' && *s <= 'Z') ? *s + 32 : *s);
			s++;
		}
		w[k] = 0;
		if (!k)
			break;
		int skip = 0;
		for (size_t i = 0; i < SR_ARRAY_LEN(generic) && !skip; i++)
			skip = !strcmp(w, generic[i]);
		const char *stem = w;
		if (*s == '-' && k == 2 && (w[0] == 'a' || w[0] == 'e'))
			skip = 1;   /* al-, el-, ad-... */
		if (skip)
			continue;
		for (; *stem && o + 1 < n; stem++)
			out[o++] = *stem;
	}
	out[o] = 0;
}

/* fold_place of t, once per string: a report's words for a place are
 * shared strings (the store keeps one copy of each), met by a million
 * events and a few hundred distinct. */
struct sf_folds {
	const char **k;
	const char **v;
	size_t mask, used;
};

static const char *
folded_place(sf_fusion *fu, const char *t)
{
	if (!t)
		return "";
	if (!fu->folds)
		fu->folds = sr_calloc(1, sizeof *fu->folds);
	struct sf_folds *f = fu->folds;
	if (!f->k || (f->used + 1) * 2 > f->mask + 1) {
		size_t omask = f->mask;
		const char **ok = f->k, **ov = f->v;
		f->mask = ok ? omask * 2 + 1 : 255;
		f->k = sr_calloc(f->mask + 1, sizeof *f->k);
		f->v = sr_calloc(f->mask + 1, sizeof *f->v);
		for (size_t i = 0; ok && i <= omask; i++) {
			if (!ok[i])
				continue;
			size_t j = ((uintptr_t)ok[i] >> 4) * 0x9E3779B97F4A7C15ull >> 20 & f->mask;
			while (f->k[j])
				j = (j + 1) & f->mask;
			f->k[j] = ok[i];
			f->v[j] = ov[i];
		}
		free(ok);
		free(ov);
	}
	size_t j = ((uintptr_t)t >> 4) * 0x9E3779B97F4A7C15ull >> 20 & f->mask;
	while (f->k[j] && f->k[j] != t)
		j = (j + 1) & f->mask;
	if (!f->k[j]) {
		char key[96];
		fold_place(t, key, sizeof key);
		f->k[j] = t;
		f->v[j] = sr_arena_strndup(&fu->a, key, strlen(key));
		f->used++;
	}
	return f->v[j];
}

/* Do the members of I name one entity (f: 0 place, 1 actor, 2 other
 * party), and for the place the incident's own in the same words (one
 * shared string)?  Then their keys below are one and no disagreement
 * can come of them: the values are not made. */
static int
one_name(const sf_fusion *fu, const finc *I, int f)
{
	const fev *an = &fu->ev[I->anchor];
	long long id0 = 0;
	const char *t0 = NULL;
	int seen = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &fu->ev[I->mem[i]];
		long long id = f == 0 ? e->place : f == 1 ? e->actor : e->other;
		if (!id || (f == 0 && id != an->place))
			continue;
		if (!seen) {
			seen = 1;
			id0 = id;
			t0 = e->place_text;
		} else if (id != id0 || (f == 0 && e->place_text != t0)) {
			return 0;
		}
	}
	return 1;
}

static void
disagreements(sf_fusion *fu, const finc *I, dis_list *out)
{
	size_t cap = I->nmem * (SR_MAX_QUANTITIES + 1) + 1;
	dval *v = sr_malloc(cap * sizeof *v);
	size_t n;

	/* dates: a disagreement when two stated dates exclude each other
	 * (the values are made only then: most incidents have none) */
	int clash = 0;
	for (size_t i = 0; i < I->nmem && !clash; i++) {
		const fev *a = &fu->ev[I->mem[i]];
		for (size_t j = i + 1; a->dated && j < I->nmem && !clash; j++) {
			const fev *b = &fu->ev[I->mem[j]];
			clash = b->dated && !((a->dlo <= b->dlo && b->dhi <= a->dhi) ||
					      (b->dlo <= a->dlo && a->dhi <= b->dhi));
		}
	}
	n = 0;
	for (size_t i = 0; clash && i < I->nmem; i++) {
		const fev *e = &fu->ev[I->mem[i]];
		if (!e->dated)
			continue;
		dval *d = &v[n++];
		cat2(d->label, sizeof d->label, e->approx ? "about " : "", e->date);
		memcpy(d->key, d->label, sizeof d->key);
		d->ev = I->mem[i];
		d->lo = e->dlo;
		d->hi = e->dhi;
	}
	if (clash && between_docs(fu, v, n))
		add_values(fu, out, "date", v, n);

	/* counts, per unit */
	/* "other" counts are not comparable with each other */
	static const char *const units[] = {"personnel", "vehicles", "detainees", "killed",
		"injured", "days", "aircraft", "bases"};
	/* each quantity's unit found once (-1: not comparable), and which
	 * units occur at all */
	size_t nq = 0;
	for (size_t i = 0; i < I->nmem; i++)
		nq += (size_t)fu->ev[I->mem[i]].nq;
	signed char *qu = sr_malloc(nq + 1);
	unsigned present = 0;
	nq = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &fu->ev[I->mem[i]];
		for (int k = 0; k < e->nq; k++) {
			signed char u = -1;
			for (size_t x = 0; x < SR_ARRAY_LEN(units) && u < 0; x++)
				if (!strcmp(e->q[k].unit, units[x]))
					u = (signed char)x;
			qu[nq++] = u;
			if (u >= 0)
				present |= 1u << u;
		}
	}
	for (size_t u = 0; u < SR_ARRAY_LEN(units); u++) {
		if (!(present & (1u << u)))
			continue;
		/* one number for all: no disagreement, no values to make */
		const double *first = NULL;
		int several = 0;
		nq = 0;
		for (size_t i = 0; i < I->nmem && !several; i++) {
			const fev *e = &fu->ev[I->mem[i]];
			for (int k = 0; k < e->nq && !several; k++) {
				if (qu[nq++] != (signed char)u)
					continue;
				if (!first)
					first = &e->q[k].value;
				else
					several = e->q[k].value != *first;
			}
		}
		if (!several)
			continue;
		n = 0;
		nq = 0;
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *e = &fu->ev[I->mem[i]];
			for (int k = 0; k < e->nq; k++) {
				if (qu[nq++] != (signed char)u)
					continue;
				dval *d = &v[n++];
				char num[48];
				sf_fmt_count(e->q[k].value, num, sizeof num);
				cat2(d->label, sizeof d->label, e->q[k].approx ? "about " : "", num);
				count_key(e->q[k].value, d->key, sizeof d->key);
				d->ev = I->mem[i];
			}
		}
		if (count_distinct(v, n) > 1 && between_docs(fu, v, n)) {
			char field[32];
			snprintf(field, sizeof field, "count:%s", units[u]);
			/* the label keeps "about" but values equal in number are one */
			add_values(fu, out, field, v, n);
		}
	}
	free(qu);

	/* names: place, actor, other party */
	for (int f = 0; f < 3; f++) {
		if (one_name(fu, I, f))
			continue;
		n = 0;
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *e = &fu->ev[I->mem[i]];
			long long id = f == 0 ? e->place : f == 1 ? e->actor : e->other;
			const char *name = f == 0 ? e->place_name : f == 1 ? e->actor_name : e->other_name;
			if (!id)
				continue;
			dval *d = &v[n++];
			cat2(d->label, sizeof d->label, name ? name : "?", NULL);
			memcpy(d->key, d->label, sizeof d->key);
			if (f == 0) {
				/* places: the reports' own names for the incident's
				 * place (a vaguer place that contains it is no
				 * disagreement; "the base" is no name) */
				if (id != fu->ev[I->anchor].place) {
					n--;
					continue;
				}
				const char *t = e->place_text;
				int proper = 0;
				for (const char *q = t; q && *q; q++)
					proper |= *q >= 'A' && *q <= 'Z';
				if (!proper)
					t = name;
				cat2(d->label, sizeof d->label, t ? t : "?", NULL);
				cat2(d->key, sizeof d->key, folded_place(fu, t), NULL);
			}
			/* a country named as the actor is its armed forces: no
			 * disagreement between "the United States" and "US forces" */
			const char *k = e->actor_key;
			if (f == 1 && k && !strncmp(k, "A|cc:", 5) && strlen(k) == 7)
				snprintf(d->key, sizeof d->key, "A|%.2s.MIL", k + 5);
			else if (f == 1 && k)
				cat2(d->key, sizeof d->key, k, NULL);
			d->ev = I->mem[i];
		}
		if (count_distinct(v, n) > 1 && between_docs(fu, v, n))
			add_values(fu, out, f == 0 ? "place" : f == 1 ? "actor" : "other", v, n);
	}
	free(v);
}

/* A quantity of a member, in member order (ord), for finding the first
 * of each distinct value. */
typedef struct qref {
	const sf_qty *q;
	size_t ord;
	int first;
} qref;

static int
same_qty(const sf_qty *a, const sf_qty *b)
{
	return a->value == b->value && a->approx == b->approx && !strcmp(a->unit, b->unit);
}

static int
cmp_qref(const void *pa, const void *pb)
{
	const qref *a = pa, *b = pb;
	int r = strcmp(a->q->unit, b->q->unit);
	if (r)
		return r;
	if (a->q->value != b->q->value)
		return a->q->value < b->q->value ? -1 : 1;
	if (a->q->approx != b->q->approx)
		return a->q->approx - b->q->approx;
	return (a->ord > b->ord) - (a->ord < b->ord);
}

static int
cmp_qref_ord(const void *pa, const void *pb)
{
	const qref *a = pa, *b = pb;
	return (a->ord > b->ord) - (a->ord < b->ord);
}

/* A member's document name, in id order (ord). */
typedef struct dref {
	const char *name;
	size_t ord;
} dref;

static int
cmp_dref(const void *pa, const void *pb)
{
	const dref *a = pa, *b = pb;
	int r = strcmp(a->name, b->name);
	return r ? r : (a->ord > b->ord) - (a->ord < b->ord);
}

/* The incident's summary: who, what other party, when, how firmly, from
 * how many documents and sources, what counts, and the disagreements. */
static void
summarize(sf_fusion *fu, finc *I)
{
	size_t room = 1;
	for (size_t i = 0; i < I->nmem; i++)
		room += SR_MAX_SOURCES + 1 + (size_t)fu->ev[I->mem[i]].ncopies;
	const char **srcs = sr_malloc(room * sizeof *srcs);
	const char **docs = sr_malloc((I->nmem + 1) * sizeof *docs);
	size_t nsrcs = 0, ndocs = 0;
	const fev *oth = NULL;
	I->actor = I->other = 0;
	I->actor_ev = I->other_ev = I->dated_ev = -1;
	I->dlo = INT32_MAX;
	I->dhi = INT32_MIN;
	I->days = 0;
	int any[SR_MOD_COUNT] = {0};
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &fu->ev[I->mem[i]];
		if (!I->actor && e->actor) {
			I->actor = e->actor;
			I->actor_ev = I->mem[i];
		}
		/* the first other party named, or a narrower place within
		 * its country ("Iraq" then "Iraq's Kurdish region") */
		if (e->other && (!oth || (oth->orank == SF_RANK_COUNTRY && e->orank < SF_RANK_COUNTRY &&
					  e->ocountry[0] && !strcmp(e->ocountry, oth->ocountry)))) {
			oth = e;
			I->other = e->other;
			I->other_ev = I->mem[i];
		}
		if (e->dated) {
			const fev *d = I->dated_ev >= 0 ? &fu->ev[I->dated_ev] : NULL;
			if (!d || e->drank < d->drank || (e->drank == d->drank && e->dlo < d->dlo))
				I->dated_ev = I->mem[i];
			if (e->dlo < I->dlo)
				I->dlo = e->dlo;
			if (e->dhi > I->dhi)
				I->dhi = e->dhi;
		}
		docs[ndocs++] = e->docname ? e->docname : "?";
		nsrcs += event_sources(e, srcs + nsrcs, SR_MAX_SOURCES + 1 + (size_t)e->ncopies);
		any[e->mod] = 1;
		for (int k = 0; k < e->nq; k++)
			if (e->q[k].unit && !strcmp(e->q[k].unit, "days") && e->q[k].value > I->days)
				I->days = e->q[k].value;
	}
	/* an incident is asserted when any report asserts it; reported when
	 * the best is "reportedly" */
	I->mod = any[SR_MOD_ASSERTED] ? SR_MOD_ASSERTED : any[SR_MOD_REPORTED] ? SR_MOD_REPORTED
		: any[SR_MOD_EXPECTED] ? SR_MOD_EXPECTED : SR_MOD_DENIED;
	I->ndocs = sort_unique(docs, ndocs);
	sr_buf sb = {0};
	I->sources_json = json_set(&fu->a, &sb, srcs, nsrcs, &I->nsources);
	sr_buf_free(&sb);
	I->sources = sr_arena_alloc(&fu->a, (I->nsources + 1) * sizeof *I->sources);
	memcpy(I->sources, srcs, I->nsources * sizeof *srcs);

	/* distinct quantities: [{unit, value, approx}, ...], each where the
	 * members first give it (sorted once to find the first of each) */
	size_t nall = 0;
	for (size_t i = 0; i < I->nmem; i++)
		nall += (size_t)fu->ev[I->mem[i]].nq;
	qref *qs = sr_malloc((nall + 1) * sizeof *qs);
	nall = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &fu->ev[I->mem[i]];
		for (int k = 0; k < e->nq; k++) {
			qs[nall].q = &e->q[k];
			qs[nall].ord = nall;
			qs[nall].first = 0;
			nall++;
		}
	}
	if (nall > 1)
		qsort(qs, nall, sizeof *qs, cmp_qref);
	for (size_t i = 0; i < nall; i++)
		qs[i].first = i == 0 || !same_qty(qs[i - 1].q, qs[i].q);
	if (nall > 1)
		qsort(qs, nall, sizeof *qs, cmp_qref_ord);
	sr_buf qb = {0};
	sr_buf_addc(&qb, '[');
	int nqo = 0;
	for (size_t i = 0; i < nall; i++) {
		const sf_qty *q = qs[i].q;
		if (!qs[i].first)
			continue;
		sr_buf_adds(&qb, nqo++ ? ",{\"unit\":" : "{\"unit\":");
		sr_buf_json_str(&qb, q->unit, strlen(q->unit));
		sr_buf_adds(&qb, ",\"value\":");
		/* what %.15g prints, without printf for a whole number */
		if (q->value == floor(q->value) && fabs(q->value) < 1e15 &&
		    !(q->value == 0 && signbit(q->value)))
			sr_buf_addll(&qb, (long long)q->value);
		else
			sr_buf_printf(&qb, "%.15g", q->value);
		sr_buf_adds(&qb, q->approx ? ",\"approx\":true}" : ",\"approx\":false}");
	}
	free(qs);
	sr_buf_addc(&qb, ']');
	I->quantities_json = arena_buf(&fu->a, &qb);

	/* what queries print: the members' documents and modalities, distinct,
	 * in the order of the members' ids, and the earliest publication */
	sr_buf db = {0}, mb = {0};
	const fev **byid = sr_malloc((I->nmem + 1) * sizeof *byid);
	for (size_t i = 0; i < I->nmem; i++)
		byid[i] = &fu->ev[I->mem[i]];
	qsort(byid, I->nmem, sizeof *byid, cmp_fev_id);
	I->first_published = NULL;
	/* a document's name comes from the document: a name seen among
	 * earlier members is a document seen (sorted once by name, then the
	 * first in id order of each name kept) */
	dref *dr = sr_malloc((I->nmem + 1) * sizeof *dr);
	size_t ndr = 0;
	for (size_t i = 0; i < I->nmem; i++)
		if (byid[i]->docname) {
			dr[ndr].name = byid[i]->docname;
			dr[ndr].ord = i;
			ndr++;
		}
	if (ndr > 1)
		qsort(dr, ndr, sizeof *dr, cmp_dref);
	unsigned char *firstdoc = sr_calloc(I->nmem + 1, 1);
	for (size_t i = 0; i < ndr; i++)
		if (i == 0 || strcmp(dr[i - 1].name, dr[i].name) != 0)
			firstdoc[dr[i].ord] = 1;
	free(dr);
	const char *mods[SR_MOD_COUNT + 4];
	size_t nmods = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = byid[i];
		int seen_mod = 0;
		for (size_t j = 0; j < nmods && !seen_mod; j++)
			seen_mod = !strcmp(mods[j], e->modality ? e->modality : "");
		if (!seen_mod && e->modality && nmods < SR_ARRAY_LEN(mods))
			mods[nmods++] = e->modality;
		if (firstdoc[i]) {
			if (db.len)
				sr_buf_addc(&db, ',');
			sr_buf_adds(&db, e->docname);
		}
		if (!seen_mod && e->modality) {
			if (mb.len)
				sr_buf_addc(&mb, ',');
			sr_buf_adds(&mb, e->modality);
		}
		if (e->published && (!I->first_published || strcmp(e->published, I->first_published) < 0))
			I->first_published = e->published;
	}
	free(byid);
	free(firstdoc);
	I->docs = arena_buf(&fu->a, &db);
	I->modalities = arena_buf(&fu->a, &mb);
	free(srcs);
	free(docs);

	dis_list dl = {0};
	if (I->nmem > 1)
		disagreements(fu, I, &dl);
	I->dis = dl.v;
	I->ndis = dl.n;
}

/* Incidents are numbered in a stable order: by date (an undated one at
 * its first report's publication, one with neither first), type, then
 * their anchor's document and index: the order of the timeline. */
static int
cmp_incidents(const void *pa, const void *pb)
{
	const finc *a = pa, *b = pb;
	const fev *ea = a->an, *eb = b->an;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	int r = strcmp(ea->type, eb->type);
	if (r)
		return r;
	if (ea->dord && eb->dord) {
		if (ea->dord != eb->dord)
			return ea->dord < eb->dord ? -1 : 1;
	} else if ((r = strcmp(ea->dockey, eb->dockey))) {
		return r;
	}
	return ea->n - eb->n;
}

void
sf_fuse(sf_fusion *fu)
{
	fctx c = {0};
	struct pairs pairs = {0};
	c.ev = fu->ev;
	c.nev = fu->nev;
	c.pairs = &pairs;
	for (size_t i = 0; i < c.nev; i++)
		sf_event_window(&c.ev[i]);
	cluster(&c);
	for (size_t i = 0; i < c.ninc; i++) {
		finc *I = &c.inc[i];
		I->an = &c.ev[I->anchor];
		I->first = INT32_MAX;
		for (size_t k = 0; k < I->nmem; k++)
			if (c.ev[I->mem[k]].dated && c.ev[I->mem[k]].dlo < I->first)
				I->first = c.ev[I->mem[k]].dlo;
		/* undated: at its first report's publication (as the report's
		 * timeline shows it, "by DATE") */
		int32_t stated = I->first;
		for (size_t k = 0; k < I->nmem && stated == INT32_MAX; k++) {
			int32_t lo, hi;
			if (st_date_range(c.ev[I->mem[k]].published, &lo, &hi) && lo < I->first)
				I->first = lo;
		}
		/* with neither: first, as the timeline shows them (oldest) */
		if (I->first == INT32_MAX)
			I->first = INT32_MIN;
	}
	if (c.ninc)
		qsort(c.inc, c.ninc, sizeof *c.inc, cmp_incidents);
	fu->inc = c.inc;
	fu->ninc = c.ninc;
	for (size_t i = 0; i < c.ninc; i++) {
		finc *I = &c.inc[i];
		I->id = (long long)i + 1;
		for (size_t k = 0; k < I->nmem; k++)
			c.ev[I->mem[k]].inc = (int)i;
		summarize(fu, I);
	}
	fmap_free(&c.blocks);
	imap_free(&c.was);
	free(c.stamp);
	free(pairs.v);
}

int
sf_fuse_region(sf_fusion *fu, int32_t x0)
{
	/* the events kept where they were, and the number of members of
	 * each stored incident */
	imap cnt = {0};
	for (size_t i = 0; i < fu->nev; i++) {
		fev *e = &fu->ev[i];
		sf_event_window(e);
		if (unbounded(e->lo, e->hi)) {
			imap_free(&cnt);
			return 0;       /* it reads a whole block, newest first */
		}
		e->force = e->lo < x0;
		if (e->force && !e->was) {
			imap_free(&cnt);
			return 0;       /* a new event outside the region */
		}
		if (e->was) {
			int *n = imap_slot(&cnt, e->was, 1);
			*n = *n < 0 ? 1 : *n + 1;
		}
	}
	sf_fuse(fu);
	/* the incidents that are not exactly a stored one, and the stored
	 * ones they took members from: the earliest start of their
	 * members' windows */
	imap gone = {0};
	int32_t hmin = INT32_MAX;
	for (size_t i = 0; i < fu->ninc; i++) {
		finc *I = &fu->inc[i];
		long long s = fu->ev[I->mem[0]].was;
		int ch = !s;
		for (size_t k = 0; k < I->nmem && !ch; k++)
			ch = fu->ev[I->mem[k]].was != s;
		if (!ch) {
			int *n = imap_slot(&cnt, s, 0);
			ch = !n || *n != (int)I->nmem;
		}
		I->changed = ch;
		if (!ch)
			continue;
		for (size_t k = 0; k < I->nmem; k++) {
			const fev *e = &fu->ev[I->mem[k]];
			if (e->lo < hmin)
				hmin = e->lo;
			if (e->was)
				*imap_slot(&gone, e->was, 1) = 1;
		}
	}
	int ok = 1;
	for (size_t i = 0; i < fu->nev; i++) {
		const fev *e = &fu->ev[i];
		if (e->was && imap_slot(&gone, e->was, 0) && e->lo < hmin)
			hmin = e->lo;
	}
	for (size_t i = 0; i < fu->nev && ok; i++)
		if (fu->ev[i].force && fu->ev[i].hi >= hmin)
			ok = 0;
	imap_free(&cnt);
	imap_free(&gone);
	return ok;
}

void
sf_fusion_free(sf_fusion *fu)
{
	for (size_t i = 0; i < fu->ninc; i++) {
		free(fu->inc[i].mem);
		free(fu->inc[i].dis);
	}
	free(fu->inc);
	fu->inc = NULL;
	fu->ninc = 0;
	if (fu->folds) {
		free(fu->folds->k);
		free(fu->folds->v);
		free(fu->folds);
		fu->folds = NULL;
	}
	sr_arena_free(&fu->a);
}
