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
	fmap heads;             /* each block's whole list, by the block's key */
	fmap blocks;            /* its date buckets' lists, by bucket_key */
	unsigned grid_gen;      /* grid blocks made so far (the memos' age) */
	struct gmemo *gm;       /* the grid blocks near a place, by type and place */
	size_t gmask, gused;
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
	/* the same answers by the places' and actors' ranks (sf_event pix,
	 * aix), when there are at most DENSE_MAX of each: a byte each, 0
	 * not asked yet, 1 no, 2 yes (a hashed pair per question was 8% of
	 * the instructions of fusion) */
	unsigned char *pl, *ac;
	int npl, nac;
};

#define DENSE_MAX 2048

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
 * events without a window), in heads, and in each date bucket [lo, hi]
 * touches, in blocks.  The whole lists are kept apart: a few thousand keys,
 * asked millions of times whether a block is there at all (most cells of
 * the map grid near a town are empty), stay in the cache, where the
 * buckets' millions of keys did not. */
static void
block_register(fctx *c, uint64_t key, int inc, int32_t lo, int32_t hi)
{
	fmap *m = &c->blocks;
	block_add(&c->heads, key, inc);
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
	unsigned char *d = NULL;
	if (c->pairs->pl) {
		d = &c->pairs->pl[(size_t)a->pix * (size_t)c->pairs->npl + (size_t)b->pix];
		if (*d)
			return *d - 1;
	}
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
	if (d)
		*d = (unsigned char)(1 + (q->val != 0));
	return q->val;
}

/* Are the actors of a and b compatible (both named)? */
static int
actors_fit(fctx *c, const fev *a, const fev *b)
{
	if (a->actor == b->actor)
		return 1;
	unsigned char *d = NULL;
	if (c->pairs->ac) {
		d = &c->pairs->ac[(size_t)a->aix * (size_t)c->pairs->nac + (size_t)b->aix];
		if (*d)
			return *d - 1;
	}
	pair *q = pair_slot(c->pairs, a->actor, b->actor, 2);
	if (!q->kind) {
		q->a = a->actor;
		q->b = b->actor;
		q->kind = 2;
		q->val = sf_actors_compatible(a->actor_key, b->actor_key);
		c->pairs->used++;
	}
	if (d)
		*d = (unsigned char)(1 + (q->val != 0));
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

/* cmp_events as two numbers, for events whose documents all have a
 * rank (dord): hi holds the type's rank, the place's and the date's
 * ranks and the date, lo the document's rank and the index; equal keys
 * (none from one store: a document's events have distinct indexes) go
 * by id. */
typedef struct evkey {
	uint64_t hi, lo;
	size_t i;               /* the event's index */
} evkey;

/* LSD radix sort of k[0..n) by (hi, lo), a byte a pass, passes whose
 * byte is one value for all skipped; stable.  tmp: room for n. */
static void
radix_keys(const fev *ev, evkey *k, evkey *tmp, size_t n)
{
	size_t (*cnt)[256] = sr_calloc(16, sizeof *cnt);
	for (size_t i = 0; i < n; i++)
		for (int b = 0; b < 8; b++) {
			cnt[b][(k[i].lo >> (8 * b)) & 255]++;
			cnt[8 + b][(k[i].hi >> (8 * b)) & 255]++;
		}
	evkey *src = k, *dst = tmp;
	for (int d = 0; d < 16; d++) {
		size_t *c = cnt[d];
		int one = 0;
		for (int v = 0; v < 256 && !one; v++)
			one = c[v] == n;
		if (one)
			continue;
		size_t pos = 0;
		for (int v = 0; v < 256; v++) {
			size_t x = c[v];
			c[v] = pos;
			pos += x;
		}
		int sh = 8 * (d & 7);
		for (size_t i = 0; i < n; i++) {
			uint64_t w = d < 8 ? src[i].lo : src[i].hi;
			dst[c[(w >> sh) & 255]++] = src[i];
		}
		evkey *t = src;
		src = dst;
		dst = t;
	}
	if (src != k)
		memcpy(k, src, n * sizeof *k);
	free(cnt);
	/* equal keys by id (insertion: runs of equals are short, if any) */
	for (size_t i = 1; i < n; i++) {
		if (k[i].hi != k[i - 1].hi || k[i].lo != k[i - 1].lo)
			continue;
		evkey x = k[i];
		size_t j = i;
		while (j > 0 && x.hi == k[j - 1].hi && x.lo == k[j - 1].lo &&
		       ev[x.i].id < ev[k[j - 1].i].id) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = x;
	}
}

/* The order of ev by cmp_events into from (ev[i] is to take
 * ev[from[i]]), through compact keys sorted by radix (comparing the
 * events themselves, a few hundred bytes apart, was 7% of fusion, and
 * qsort of the keys 5%); 0 when the events do not allow it (a document
 * without a rank, many types, numbers past the keys' room). */
static int
order_by_keys(const fev *ev, size_t n, size_t *from)
{
	const char *types[16];
	int rank[16];
	size_t nt = 0;
	if (n > UINT32_MAX)
		return 0;
	for (size_t i = 0; i < n; i++) {
		if (ev[i].dord <= 0 || ev[i].dord >= (1ll << 40) || ev[i].n < 0 ||
		    ev[i].n >= (1 << 24))
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
	evkey *k = sr_malloc(2 * n * sizeof *k);
	size_t t = 0;
	for (size_t i = 0; i < n; i++) {
		const fev *e = &ev[i];
		if (types[t] != e->type)
			for (t = 0; types[t] != e->type; t++)
				;
		k[i].hi = (uint64_t)rank[t] << 56 | (uint64_t)(e->prank & 7) << 53 |
			  (uint64_t)(e->drank & 3) << 51 | (uint64_t)((uint32_t)e->dlo ^ 0x80000000u);
		k[i].lo = (uint64_t)e->dord << 24 | (uint64_t)e->n;
		k[i].i = i;
	}
	radix_keys(ev, k, k + n, n);
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
		block_register(c, block_key(e->th, 'O', e->other, NULL), ii, I->lo, I->hi);
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
		block_register(c, block_key(e->th, 'P', e->place, NULL), ii, e->lo, e->hi);
		/* by country and the anchor's rank: a vaguer event looks only
		 * among incidents at finer places it may contain */
		if (e->country[0])
			block_register(c, block_key(e->th, 'C', e->prank, e->country), ii, e->lo,
				       e->hi);
		if (e->country[0] && e->has_coord && e->prank < SF_RANK_COUNTRY) {
			size_t had = c->heads.nlists;
			block_register(c, grid_key(e->th, e->prank, cell(e->lat), cell(e->lon)), ii,
				       e->lo, e->hi);
			c->grid_gen += c->heads.nlists != had;
		}
	} else {
		block_register(c, block_key(e->th, 'N', 0, NULL), ii, e->lo, e->hi);
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
		consider(c, e, ei, block(&c->heads, key, 0), best, bestscore, ties, bestdist);
		return;
	}
	if (!block(&c->heads, key, 0))
		return;
	consider(c, e, ei, block(&c->blocks, bucket_key(key, UNBOUNDED), 0), best, bestscore, ties,
		 bestdist);
	for (int32_t b = e->lo >> BUCKET_SHIFT; b <= e->hi >> BUCKET_SHIFT; b++)
		consider(c, e, ei, block(&c->blocks, bucket_key(key, b), 0), best, bestscore, ties,
			 bestdist);
}

/* The grid blocks a town or a region looks in for finer places (each
 * rank finer than its own, each cell within reach), those that exist:
 * the same for every event of one type at one place until a new grid
 * block is made, so kept, not asked again (an event asked for about
 * thirty cells, nearly all empty). */
typedef struct gmemo {
	uint64_t th;
	long long place;        /* 0: an empty slot */
	unsigned gen;           /* grid_gen when made */
	int span;               /* grid_span could say */
	uint64_t *keys;
	size_t n, cap;
} gmemo;

static gmemo *
grid_blocks(fctx *c, const fev *e, double km)
{
	if (!c->gm || (c->gused + 1) * 2 > c->gmask + 1) {
		gmemo *old = c->gm;
		size_t omask = c->gmask;
		c->gmask = old ? omask * 2 + 1 : 255;
		c->gm = sr_calloc(c->gmask + 1, sizeof *c->gm);
		for (size_t i = 0; old && i <= omask; i++) {
			if (!old[i].place)
				continue;
			size_t j = mix(old[i].th ^ (uint64_t)old[i].place) & c->gmask;
			while (c->gm[j].place)
				j = (j + 1) & c->gmask;
			c->gm[j] = old[i];
		}
		free(old);
	}
	size_t i = mix(e->th ^ (uint64_t)e->place) & c->gmask;
	while (c->gm[i].place && !(c->gm[i].place == e->place && c->gm[i].th == e->th))
		i = (i + 1) & c->gmask;
	gmemo *g = &c->gm[i];
	if (!g->place) {
		g->place = e->place;
		g->th = e->th;
		g->gen = c->grid_gen + 1;       /* made below */
		c->gused++;
	}
	if (g->gen == c->grid_gen)
		return g;
	g->gen = c->grid_gen;
	g->n = 0;
	int32_t cy0, cy1, cx0, cx1;
	g->span = grid_span(e->lat, e->lon, km, &cy0, &cy1, &cx0, &cx1);
	for (int r = SF_RANK_SITE; g->span && r < e->prank; r++)
		for (int32_t cy = cy0; cy <= cy1; cy++)
			for (int32_t cx = cx0; cx <= cx1; cx++) {
				uint64_t key = grid_key(e->th, r, cy, cx);
				if (!block(&c->heads, key, 0))
					continue;
				SR_GROW(g->keys, g->cap, g->n + 1);
				g->keys[g->n++] = key;
			}
	return g;
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
			int near = (e->prank == SF_RANK_TOWN || e->prank == SF_RANK_REGION) &&
				   e->country[0];
			const gmemo *g = near && e->has_coord
				? grid_blocks(c, e, e->prank == SF_RANK_TOWN ? SR_FUSE_TOWN_KM
					      : SR_FUSE_REGION_KM) : NULL;
			if (near && !e->has_coord) {
				/* no candidate */
			} else if (near && g->span) {
				for (size_t k = 0; k < g->n; k++)
					consider_block(c, ei, g->keys[k], &best, &bestscore, &ties,
						       &bestdist);
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

/* The ranks of the events' places and actors among the distinct ones
 * (pix, aix), and the tables of answers by rank when they are few. */
static void
rank_ids(fctx *c, struct pairs *p)
{
	imap pm = {0}, am = {0};
	int np = 0, na = 0;
	for (size_t i = 0; i < c->nev; i++) {
		fev *e = &c->ev[i];
		e->pix = e->aix = -1;
		if (e->place) {
			int *v = imap_slot(&pm, e->place, 1);
			if (*v < 0)
				*v = np++;
			e->pix = *v;
		}
		if (e->actor) {
			int *v = imap_slot(&am, e->actor, 1);
			if (*v < 0)
				*v = na++;
			e->aix = *v;
		}
	}
	imap_free(&pm);
	imap_free(&am);
	if (np > 0 && np <= DENSE_MAX) {
		p->npl = np;
		p->pl = sr_calloc((size_t)np * (size_t)np, 1);
	}
	if (na > 0 && na <= DENSE_MAX) {
		p->nac = na;
		p->ac = sr_calloc((size_t)na * (size_t)na, 1);
	}
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
	rank_ids(&c, &pairs);
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
	}
	for (size_t i = 0; i < c.ninc && !fu->each; i++)
		sf_summarize(fu, &c.inc[i]);
	fmap_free(&c.heads);
	for (size_t i = 0; c.gm && i <= c.gmask; i++)
		free(c.gm[i].keys);
	free(c.gm);
	fmap_free(&c.blocks);
	imap_free(&c.was);
	free(c.stamp);
	free(pairs.v);
	free(pairs.pl);
	free(pairs.ac);
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
	sf_folds_free(fu);
	sr_arena_free(&fu->a);
	sr_arena_free(&fu->ia);
}
