/*
 * fuse.c -- events of many reports into incidents, with disagreements.
 *
 * Rules, not cases (see sr_store_fuse in sitrep.h): an event joins an
 * incident when the type is the same, the dates overlap (the incident
 * keeps the intersection of its members' windows, so a chain of
 * overlapping windows never drifts), the actor is compatible with every
 * actor of the incident, and the place is the incident's place or one
 * contains the other.  A placeless event needs a positive tie instead: the
 * same other party (destination, target...) or the same actor of a
 * placeless incident.
 *
 * Events are taken most specific first (place precision, then date
 * precision), so each incident is anchored on its most precise report and
 * vaguer ones attach to it.  A vague event that fits several incidents
 * equally well is not forced into one of them: it starts its own.  The
 * order within a rank is the documents' keys, so the result does not
 * depend on the order of ingestion.
 *
 * Candidate incidents come from blocks (type + place, type + country,
 * type + other party, type + placeless) so that fusion stays near linear:
 * 100,000 events fuse in well under a second.
 */
#include "store_int.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>

enum { RANK_SITE, RANK_TOWN, RANK_REGION, RANK_COUNTRY, RANK_NONE };
enum { MOD_ASSERTED, MOD_REPORTED, MOD_EXPECTED, MOD_DENIED };
#define NO_WINDOW_LO (INT32_MIN / 4)
#define NO_WINDOW_HI (INT32_MAX / 4)
#define MAX_CANDIDATES 4096     /* incidents examined per event, newest first */

typedef struct fev {
	sqlite3_int64 id, doc, actor, place, other;
	const char *type, *actor_key, *date, *dprec, *dockey, *docname, *outlet;
	const char *place_name, *actor_name, *other_name, *place_lid, *place_text;
	const char *modality, *published;
	char country[3], ocountry[3];   /* place's and other party's */
	int orank;              /* the other party's precision */
	int prank, drank, mod, n, has_coord, approx;
	double lat, lon;
	int32_t lo, hi;         /* date window */
	int32_t dlo, dhi;       /* the stated date's own range (dated only) */
	int dated;
	int inc;                /* incident index */
	int has_ent;            /* ent: the place as the lexicon knows it */
	sr_entity ent;
	int nsrc;
	const char **srcs;      /* source names, in the arena */
	int nq;
	struct fq { double value; const char *unit; int approx; } *q;
} fev;

typedef struct finc {
	int anchor;             /* event index with the incident's place */
	int32_t first;          /* earliest stated date (INT32_MAX: undated) */
	const fev *an;          /* c->ev + anchor, for sorting */
	int32_t lo, hi;
	int *mem;
	size_t nmem, cap;
	sqlite3_int64 id;       /* final row id */
	int actors[8];          /* members with distinct actors (first 8) */
	int nactors;
	int overflow;           /* more distinct actors than that */
} finc;

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

typedef struct fctx {
	sr_store *st;
	sr_arena a;
	fev *ev;
	size_t nev, capev;
	finc *inc;
	size_t ninc, capinc;
	fmap blocks;
} fctx;

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
block_key(const char *type, char what, sqlite3_int64 id, const char *s)
{
	uint64_t h = sr_hash64(type, strlen(type));
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
place_rank(const char *prec)
{
	if (!prec)
		return RANK_SITE;   /* a place without precision: treat as exact */
	if (!strcmp(prec, "site"))
		return RANK_SITE;
	if (!strcmp(prec, "town"))
		return RANK_TOWN;
	if (!strcmp(prec, "region"))
		return RANK_REGION;
	if (!strcmp(prec, "country"))
		return RANK_COUNTRY;
	return RANK_SITE;
}

static int
modality_code(const char *m)
{
	if (!m || !strcmp(m, "asserted"))
		return MOD_ASSERTED;
	if (!strcmp(m, "reported_unconfirmed"))
		return MOD_REPORTED;
	if (!strcmp(m, "expected"))
		return MOD_EXPECTED;
	if (!strcmp(m, "denied"))
		return MOD_DENIED;
	return MOD_ASSERTED;
}

static double
km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0, d2r = 3.14159265358979323846 / 180.0;
	double dlat = (lat2 - lat1) * d2r, dlon = (lon2 - lon1) * d2r;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * d2r) * cos(lat2 * d2r) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * r * asin(sqrt(a < 1 ? a : 1));
}

/* Does the place of a contain the place of b?  The lexicon's answer for
 * places it knows, else the rule on country, precision and distance. */
static int
contains(int lx, const fev *a, const fev *b)
{
	if (!a->place || !b->place || a->place == b->place)
		return 0;
	if (lx && a->has_ent && b->has_ent)
		return sr_place_contains(&a->ent, &b->ent);
	if (a->prank <= b->prank)
		return 0;
	if (!a->country[0] || strcmp(a->country, b->country) != 0)
		return 0;
	if (a->prank == RANK_COUNTRY)
		return 1;
	if (!a->has_coord || !b->has_coord)
		return 0;
	double d = km(a->lat, a->lon, b->lat, b->lon);
	return a->prank == RANK_REGION ? d <= SR_FUSE_REGION_KM : d <= SR_FUSE_TOWN_KM;
}

/* Is the lexicon id (after "A|") a state body: CC.MIL, CC.SEC, CC.GOV,
 * CC.MOD (the entries demonyms resolve to, see data/actors.tsv)? */
static int
state_body(const char *k)
{
	return strlen(k) == 8 && k[4] == '.' &&
	       (!strcmp(k + 5, "MIL") || !strcmp(k + 5, "SEC") || !strcmp(k + 5, "GOV") ||
		!strcmp(k + 5, "MOD"));
}

/* Are two actor keys compatible: equal, lexicon ids one of which is a
 * dotted prefix of the other ("US" and "US.MIL"), or two state bodies of
 * one country ("SY.GOV" and "SY.MIL")? */
int
st_actors_compatible(const char *a, const char *b)
{
	if (!a || !b)
		return 1;
	if (!strcmp(a, b))
		return 1;
	if (a[2] == '~' || b[2] == '~')
		return 0;
	if (state_body(a) && state_body(b) && !strncmp(a + 2, b + 2, 2))
		return 1;
	/* a country named as the actor ("the United States", "cc:US") is its
	 * state */
	if (state_body(a) && !strncmp(b + 2, "cc:", 3) && !strncmp(a + 2, b + 5, 2) && !b[7])
		return 1;
	if (state_body(b) && !strncmp(a + 2, "cc:", 3) && !strncmp(b + 2, a + 5, 2) && !a[7])
		return 1;
	size_t na = strlen(a), nb = strlen(b);
	if (na > nb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tn = na;
		na = nb;
		nb = tn;
	}
	return !strncmp(a, b, na) && b[na] == '.';
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
		else if (contains(c->st->lx != NULL, e, an) || contains(c->st->lx != NULL, an, e))
			score += 2;
		else
			return -1;
		tie = 1;
	}
	int same_actor = 0;
	if (e->actor && I->overflow) {
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *m = &c->ev[I->mem[i]];
			if (m->actor && !st_actors_compatible(e->actor_key, m->actor_key))
				return -1;
			same_actor |= m->actor == e->actor;
		}
	} else if (e->actor) {
		for (int i = 0; i < I->nactors; i++) {
			const fev *m = &c->ev[I->actors[i]];
			if (m->actor == e->actor)
				same_actor = 1;
			else if (!st_actors_compatible(e->actor_key, m->actor_key))
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
	int r = strcmp(a->type, b->type);
	if (r)
		return r;
	if (a->prank != b->prank)
		return a->prank - b->prank;
	if (a->drank != b->drank)
		return a->drank - b->drank;
	if (a->dlo != b->dlo)
		return a->dlo < b->dlo ? -1 : 1;
	if ((r = strcmp(a->dockey, b->dockey)))
		return r;
	return a->n - b->n;
}

static void
window(fev *e, const char *published, int32_t *lo, int32_t *hi)
{
	e->dated = st_date_range(e->date, &e->dlo, &e->dhi);
	if (e->dated) {
		int slack = 0;
		if (e->drank == 0)
			slack = e->approx ? 7 : SR_FUSE_DAY_SLACK;
		else if (e->approx)
			slack = 7;
		*lo = e->dlo - slack;
		*hi = e->dhi + slack;
		return;
	}
	e->dlo = e->dhi = 0;
	int32_t p, p2;
	if (st_date_range(published, &p, &p2)) {
		if (e->mod == MOD_EXPECTED) {
			*lo = p;
			*hi = p + SR_FUSE_UNDATED_DAYS;
		} else {
			*lo = p - SR_FUSE_UNDATED_DAYS;
			*hi = p;
		}
		return;
	}
	*lo = NO_WINDOW_LO;
	*hi = NO_WINDOW_HI;
}

/* ---------------------------------------------------------------- load */

static const char *
col_str(fctx *c, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return sr_arena_strndup(&c->a, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

static int
find_event(fctx *c, sqlite3_int64 id)
{
	size_t lo = 0, hi = c->nev;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->ev[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nev && c->ev[lo].id == id ? (int)lo : -1;
}

static int
load(fctx *c)
{
	sr_store *st = c->st;
	sqlite3_stmt *s = st_prepare(st,
		"SELECT e.id, e.doc_id, e.type, e.modality, e.date, e.date_precision,"
		" e.date_approx, e.n, d.key, d.name, d.outlet, d.published,"
		" e.actor_id, a.key, a.name, e.place_id, p.precision, p.country, p.lat, p.lon,"
		" p.name, e.other_id, o.name, p.lexicon_id, e.place_text, o.precision, o.country"
		" FROM events e JOIN documents d ON d.id = e.doc_id"
		" LEFT JOIN entities a ON a.id = e.actor_id"
		" LEFT JOIN entities p ON p.id = e.place_id"
		" LEFT JOIN entities o ON o.id = e.other_id ORDER BY e.id");
	if (!s)
		return SR_ERR_DB;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		SR_GROW(c->ev, c->capev, c->nev + 1);
		fev *e = &c->ev[c->nev++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(s, 0);
		e->doc = sqlite3_column_int64(s, 1);
		e->type = col_str(c, s, 2);
		e->modality = col_str(c, s, 3);
		e->mod = modality_code(e->modality);
		e->published = col_str(c, s, 11);
		e->date = col_str(c, s, 4);
		e->dprec = col_str(c, s, 5);
		e->approx = sqlite3_column_int(s, 6);
		e->n = sqlite3_column_int(s, 7);
		e->dockey = col_str(c, s, 8);
		e->docname = col_str(c, s, 9);
		e->outlet = col_str(c, s, 10);
		e->actor = sqlite3_column_int64(s, 12);
		e->actor_key = col_str(c, s, 13);
		e->actor_name = col_str(c, s, 14);
		e->place = sqlite3_column_int64(s, 15);
		e->prank = e->place ? place_rank((const char *)sqlite3_column_text(s, 16)) : RANK_NONE;
		const unsigned char *cc = sqlite3_column_text(s, 17);
		if (cc && strlen((const char *)cc) == 2)
			memcpy(e->country, cc, 3);
		e->has_coord = sqlite3_column_type(s, 18) != SQLITE_NULL &&
			       sqlite3_column_type(s, 19) != SQLITE_NULL;
		e->lat = sqlite3_column_double(s, 18);
		e->lon = sqlite3_column_double(s, 19);
		e->place_name = col_str(c, s, 20);
		e->other = sqlite3_column_int64(s, 21);
		e->other_name = col_str(c, s, 22);
		e->place_lid = col_str(c, s, 23);
		e->place_text = col_str(c, s, 24);
		e->orank = e->other ? place_rank((const char *)sqlite3_column_text(s, 25)) : RANK_NONE;
		const unsigned char *oc = sqlite3_column_text(s, 26);
		if (oc && strlen((const char *)oc) == 2)
			memcpy(e->ocountry, oc, 3);
		e->has_ent = c->st->lx && e->place_lid &&
			     sr_lexicon_get(c->st->lx, e->place_lid, &e->ent) == SR_OK;
		if (!e->type)
			e->type = "";
		if (!e->dockey)
			e->dockey = "";
		size_t dl = e->date ? strlen(e->date) : 0;
		e->drank = dl == 10 ? 0 : dl == 7 ? 1 : dl == 4 ? 2 : 3;
		window(e, e->published, &e->lo, &e->hi);
		e->inc = -1;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading events");

	s = st_prepare(st, "SELECT es.event_id, s.name FROM event_sources es"
			   " JOIN sources s ON s.id = es.source_id ORDER BY es.event_id, s.name");
	if (!s)
		return SR_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = find_event(c, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		fev *e = &c->ev[i];
		const char **v = sr_arena_alloc(&c->a, (size_t)(e->nsrc + 1) * sizeof *v);
		if (e->nsrc)
			memcpy(v, e->srcs, (size_t)e->nsrc * sizeof *v);
		v[e->nsrc++] = col_str(c, s, 1);
		e->srcs = v;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "reading sources");

	s = st_prepare(st, "SELECT event_id, value, unit, approx FROM quantities ORDER BY event_id, n");
	if (!s)
		return SR_ERR_DB;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int i = find_event(c, sqlite3_column_int64(s, 0));
		if (i < 0)
			continue;
		fev *e = &c->ev[i];
		struct fq *v = sr_arena_alloc(&c->a, (size_t)(e->nq + 1) * sizeof *v);
		if (e->nq)
			memcpy(v, e->q, (size_t)e->nq * sizeof *v);
		v[e->nq].value = sqlite3_column_double(s, 1);
		v[e->nq].unit = col_str(c, s, 2);
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
		block_add(&c->blocks, block_key(e->type, 'O', e->other, NULL), ii);
}

static int
inc_new(fctx *c, int ei)
{
	SR_GROW(c->inc, c->capinc, c->ninc + 1);
	finc *I = &c->inc[c->ninc];
	memset(I, 0, sizeof *I);
	fev *e = &c->ev[ei];
	I->anchor = ei;
	I->lo = e->lo;
	I->hi = e->hi;
	int ii = (int)c->ninc++;
	if (e->place) {
		block_add(&c->blocks, block_key(e->type, 'P', e->place, NULL), ii);
		/* by country and the anchor's rank: a vaguer event looks only
		 * among incidents at finer places it may contain */
		if (e->country[0])
			block_add(&c->blocks, block_key(e->type, 'C', e->prank, e->country), ii);
	} else {
		block_add(&c->blocks, block_key(e->type, 'N', 0, NULL), ii);
	}
	inc_add(c, ii, ei);
	return ii;
}

static void
consider(fctx *c, const fev *e, ilist *l, int *best, int *bestscore, int *ties,
	 int32_t *bestdist)
{
	if (!l)
		return;
	size_t stop = l->n > MAX_CANDIDATES ? l->n - MAX_CANDIDATES : 0;
	for (size_t k = l->n; k-- > stop;) {
		int ii = l->v[k];
		if (ii == *best)
			continue;
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

static void
cluster(fctx *c)
{
	if (c->nev)
		qsort(c->ev, c->nev, sizeof *c->ev, cmp_events);
	for (size_t i = 0; i < c->nev; i++) {
		fev *e = &c->ev[i];
		int best = -1, bestscore = -1, ties = 0;
		int32_t bestdist = INT32_MAX;
		if (e->place) {
			consider(c, e, block(&c->blocks, block_key(e->type, 'P', e->place, NULL), 0),
				 &best, &bestscore, &ties, &bestdist);
			for (int r = RANK_SITE; r < e->prank && e->country[0]; r++)
				consider(c, e, block(&c->blocks, block_key(e->type, 'C', r, e->country), 0),
					 &best, &bestscore, &ties, &bestdist);
		} else {
			consider(c, e, block(&c->blocks, block_key(e->type, 'N', 0, NULL), 0),
				 &best, &bestscore, &ties, &bestdist);
		}
		if (e->other)
			consider(c, e, block(&c->blocks, block_key(e->type, 'O', e->other, NULL), 0),
				 &best, &bestscore, &ties, &bestdist);
		/* several equally good incidents: a vague report stays apart,
		 * a report of the same place goes to the closest in time */
		if (best >= 0 && ties > 0 && !(e->place && bestscore >= 4 && e->dated))
			best = -1;
		if (best >= 0)
			inc_add(c, best, (int)i);
		else
			inc_new(c, (int)i);
	}
}

/* --------------------------------------------------------------- writing */

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
 * report's outlet, else the report itself. */
static size_t
event_sources(const fev *e, const char **out, size_t cap)
{
	size_t n = 0;
	for (int i = 0; i < e->nsrc && n < cap; i++)
		if (e->srcs[i])
			out[n++] = e->srcs[i];
	if (!n && cap)
		out[n++] = e->outlet ? e->outlet : e->docname ? e->docname : "?";
	return n;
}

/* Sorted distinct strings into a JSON array. */
static void
json_set(sr_buf *b, const char **v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_str);
	sr_buf_addc(b, '[');
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i && !strcmp(v[i], v[i - 1]))
			continue;
		if (k++)
			sr_buf_addc(b, ',');
		sr_buf_json_str(b, v[i], strlen(v[i]));
	}
	sr_buf_addc(b, ']');
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

/* Writes one disagreement row per distinct value among vals (n entries,
 * grouped by key). */
static int
write_values(fctx *c, sqlite3_stmt *ins, sqlite3_int64 inc_id, const char *field,
	     dval *vals, size_t n)
{
	qsort(vals, n, sizeof *vals, cmp_dval);
	sr_buf evs = {0}, docs = {0}, srcs = {0};
	const char **sv = NULL, **dv = NULL;
	size_t capsv = 0, capdv = 0;
	int rc = SR_OK;
	for (size_t i = 0; i < n && rc == SR_OK;) {
		size_t j = i;
		size_t nsv = 0, ndv = 0;
		sr_buf_reset(&evs);
		sr_buf_addc(&evs, '[');
		for (; j < n && !strcmp(vals[j].key, vals[i].key); j++) {
			const fev *e = &c->ev[vals[j].ev];
			sr_buf_printf(&evs, "%s%lld", j > i ? "," : "", (long long)e->id);
			SR_GROW(dv, capdv, ndv + 1);
			dv[ndv++] = e->docname ? e->docname : "?";
			SR_GROW(sv, capsv, nsv + SR_MAX_SOURCES + 1);
			nsv += event_sources(e, sv + nsv, SR_MAX_SOURCES + 1);
		}
		sr_buf_addc(&evs, ']');
		sr_buf_reset(&docs);
		json_set(&docs, dv, ndv);
		sr_buf_reset(&srcs);
		json_set(&srcs, sv, nsv);
		sqlite3_reset(ins);
		sqlite3_bind_int64(ins, 1, inc_id);
		st_bind_str(ins, 2, field);
		st_bind_str(ins, 3, vals[i].label);
		st_bind_str(ins, 4, evs.ptr);
		st_bind_str(ins, 5, docs.ptr);
		st_bind_str(ins, 6, srcs.ptr);
		if (sqlite3_step(ins) != SQLITE_DONE)
			rc = st_dberr(c->st, "disagreement insert");
		i = j;
	}
	free(sv);
	free(dv);
	sr_buf_free(&evs);
	sr_buf_free(&docs);
	sr_buf_free(&srcs);
	return rc;
}

/* Do two different documents give different values?  (One report that
 * gives two numbers does not disagree with itself.) */
static int
between_docs(fctx *c, const dval *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++)
			if (strcmp(v[i].key, v[j].key) != 0 && c->ev[v[i].ev].doc != c->ev[v[j].ev].doc)
				return 1;
	return 0;
}

static size_t
count_distinct(dval *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_dval);
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

static int
disagreements(fctx *c, const finc *I, sqlite3_stmt *ins)
{
	size_t cap = I->nmem * (SR_MAX_QUANTITIES + 1) + 1;
	dval *v = sr_malloc(cap * sizeof *v);
	int rc = SR_OK;
	size_t n;

	/* dates: a disagreement when two stated dates exclude each other */
	n = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &c->ev[I->mem[i]];
		if (!e->dated)
			continue;
		dval *d = &v[n++];
		snprintf(d->label, sizeof d->label, "%s%s", e->approx ? "about " : "", e->date);
		snprintf(d->key, sizeof d->key, "%s", d->label);
		d->ev = I->mem[i];
		d->lo = e->dlo;
		d->hi = e->dhi;
	}
	int clash = 0;
	for (size_t i = 0; i < n && !clash; i++)
		for (size_t j = i + 1; j < n && !clash; j++)
			clash = !((v[i].lo <= v[j].lo && v[j].hi <= v[i].hi) ||
				  (v[j].lo <= v[i].lo && v[i].hi <= v[j].hi));
	if (clash && between_docs(c, v, n))
		rc = write_values(c, ins, I->id, "date", v, n);

	/* counts, per unit */
	/* "other" counts are not comparable with each other */
	static const char *const units[] = {"personnel", "vehicles", "detainees", "killed",
		"injured", "days", "aircraft", "bases"};
	for (size_t u = 0; u < SR_ARRAY_LEN(units) && rc == SR_OK; u++) {
		n = 0;
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *e = &c->ev[I->mem[i]];
			for (int k = 0; k < e->nq; k++) {
				if (strcmp(e->q[k].unit, units[u]) != 0)
					continue;
				dval *d = &v[n++];
				char num[48];
				st_fmt_count(e->q[k].value, num, sizeof num);
				snprintf(d->label, sizeof d->label, "%s%s", e->q[k].approx ? "about " : "", num);
				snprintf(d->key, sizeof d->key, "%020.3f", e->q[k].value);
				d->ev = I->mem[i];
			}
		}
		if (count_distinct(v, n) > 1 && between_docs(c, v, n)) {
			char field[32];
			snprintf(field, sizeof field, "count:%s", units[u]);
			/* the label keeps "about" but values equal in number are one */
			rc = write_values(c, ins, I->id, field, v, n);
		}
	}

	/* names: place, actor, other party */
	for (int f = 0; f < 3 && rc == SR_OK; f++) {
		n = 0;
		for (size_t i = 0; i < I->nmem; i++) {
			const fev *e = &c->ev[I->mem[i]];
			sqlite3_int64 id = f == 0 ? e->place : f == 1 ? e->actor : e->other;
			const char *name = f == 0 ? e->place_name : f == 1 ? e->actor_name : e->other_name;
			if (!id)
				continue;
			dval *d = &v[n++];
			snprintf(d->label, sizeof d->label, "%s", name ? name : "?");
			snprintf(d->key, sizeof d->key, "%s", d->label);
			if (f == 0) {
				/* places: the reports' own names for the incident's
				 * place (a vaguer place that contains it is no
				 * disagreement; "the base" is no name) */
				if (id != c->ev[I->anchor].place) {
					n--;
					continue;
				}
				const char *t = e->place_text;
				int proper = 0;
				for (const char *q = t; q && *q; q++)
					proper |= *q >= 'A' && *q <= 'Z';
				if (!proper)
					t = name;
				snprintf(d->label, sizeof d->label, "%s", t ? t : "?");
				fold_place(t, d->key, sizeof d->key);
			}
			/* a country named as the actor is its armed forces: no
			 * disagreement between "the United States" and "US forces" */
			const char *k = e->actor_key;
			if (f == 1 && k && !strncmp(k, "A|cc:", 5) && strlen(k) == 7)
				snprintf(d->key, sizeof d->key, "A|%.2s.MIL", k + 5);
			else if (f == 1 && k)
				snprintf(d->key, sizeof d->key, "%s", k);
			d->ev = I->mem[i];
		}
		if (count_distinct(v, n) > 1 && between_docs(c, v, n))
			rc = write_values(c, ins, I->id, f == 0 ? "place" : f == 1 ? "actor" : "other",
					  v, n);
	}
	free(v);
	return rc;
}

/* The incident's summary values and its row. */
static int
write_incident(fctx *c, finc *I, sqlite3_stmt *ins, sqlite3_stmt *mem, sqlite3_stmt *dis)
{
	const fev *an = &c->ev[I->anchor];
	sqlite3_int64 actor = 0, other = 0;
	const fev *oth = NULL;  /* the member whose other party is kept */
	const fev *dated = NULL;
	int32_t lo = INT32_MAX, hi = INT32_MIN;
	size_t ndocs = 0;
	const char **srcs = sr_malloc((I->nmem * (SR_MAX_SOURCES + 1) + 1) * sizeof *srcs);
	const char **docs = sr_malloc((I->nmem + 1) * sizeof *docs);
	size_t nsrcs = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &c->ev[I->mem[i]];
		if (!actor && e->actor)
			actor = e->actor;
		/* the first other party named, or a narrower place within
		 * its country ("Iraq" then "Iraq's Kurdish region") */
		if (e->other && (!oth || (oth->orank == RANK_COUNTRY && e->orank < RANK_COUNTRY &&
					  e->ocountry[0] && !strcmp(e->ocountry, oth->ocountry))))
			oth = e, other = e->other;
		if (e->dated) {
			if (!dated || e->drank < dated->drank ||
			    (e->drank == dated->drank && e->dlo < dated->dlo))
				dated = e;
			if (e->dlo < lo)
				lo = e->dlo;
			if (e->dhi > hi)
				hi = e->dhi;
		}
		docs[ndocs++] = e->docname ? e->docname : "?";
		nsrcs += event_sources(e, srcs + nsrcs, SR_MAX_SOURCES + 1);
	}
	static const char *const mods[] = {"asserted", "reported_unconfirmed", "expected", "denied"};
	/* an incident is asserted when any report asserts it; reported when
	 * the best is "reportedly" */
	int any[4] = {0};
	for (size_t i = 0; i < I->nmem; i++)
		any[c->ev[I->mem[i]].mod] = 1;
	int best = any[MOD_ASSERTED] ? MOD_ASSERTED : any[MOD_REPORTED] ? MOD_REPORTED
		: any[MOD_EXPECTED] ? MOD_EXPECTED : MOD_DENIED;

	qsort(docs, ndocs, sizeof *docs, cmp_str);
	size_t nd = 0;
	for (size_t i = 0; i < ndocs; i++)
		nd += i == 0 || strcmp(docs[i], docs[i - 1]) != 0;
	sr_buf sb = {0}, qb = {0};
	json_set(&sb, srcs, nsrcs);
	size_t ns = 0;
	for (size_t i = 0; i < nsrcs; i++)
		ns += i == 0 || strcmp(srcs[i], srcs[i - 1]) != 0;

	/* distinct quantities: [[unit, value, approx], ...] */
	sr_buf_addc(&qb, '[');
	int nqo = 0;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = &c->ev[I->mem[i]];
		for (int k = 0; k < e->nq; k++) {
			int seen = 0;
			for (size_t j = 0; j <= i && !seen; j++) {
				const fev *f = &c->ev[I->mem[j]];
				for (int l = 0; l < (j == i ? k : f->nq) && !seen; l++)
					seen = f->q[l].value == e->q[k].value &&
					       !strcmp(f->q[l].unit, e->q[k].unit) &&
					       f->q[l].approx == e->q[k].approx;
			}
			if (seen)
				continue;
			sr_buf_printf(&qb, "%s{\"unit\":", nqo++ ? "," : "");
			sr_buf_json_str(&qb, e->q[k].unit, strlen(e->q[k].unit));
			sr_buf_printf(&qb, ",\"value\":%.15g,\"approx\":%s}", e->q[k].value,
				      e->q[k].approx ? "true" : "false");
		}
	}
	sr_buf_addc(&qb, ']');

	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_int64(ins, 1, I->id);
	st_bind_str(ins, 2, an->type);
	if (an->place)
		sqlite3_bind_int64(ins, 3, an->place);
	if (actor)
		sqlite3_bind_int64(ins, 4, actor);
	if (other)
		sqlite3_bind_int64(ins, 5, other);
	char dlo[11], dhi[11];
	if (dated) {
		st_bind_str(ins, 6, dated->date);
		st_bind_str(ins, 7, dated->dprec);
		st_date_str(lo, dlo);
		st_date_str(hi, dhi);
		st_bind_str(ins, 8, dlo);
		st_bind_str(ins, 9, dhi);
	}
	st_bind_str(ins, 10, mods[best]);
	sqlite3_bind_int64(ins, 11, (sqlite3_int64)I->nmem);
	sqlite3_bind_int64(ins, 12, (sqlite3_int64)nd);
	sqlite3_bind_int64(ins, 13, (sqlite3_int64)ns);
	st_bind_str(ins, 14, sb.ptr);
	st_bind_str(ins, 15, qb.ptr);
	/* what queries print: the members' documents and modalities, distinct,
	 * in the order of the members' ids (as schema_v4 derives them), and the
	 * earliest publication */
	sr_buf db = {0}, mb = {0};
	const fev **byid = sr_malloc(I->nmem * sizeof *byid);
	for (size_t i = 0; i < I->nmem; i++)
		byid[i] = &c->ev[I->mem[i]];
	qsort(byid, I->nmem, sizeof *byid, cmp_fev_id);
	const char *first_pub = NULL;
	for (size_t i = 0; i < I->nmem; i++) {
		const fev *e = byid[i];
		int seen_doc = 0, seen_mod = 0;
		for (size_t j = 0; j < i; j++) {
			const fev *f = byid[j];
			seen_doc |= f->doc == e->doc || (f->docname && e->docname &&
							 !strcmp(f->docname, e->docname));
			seen_mod |= f->modality && e->modality && !strcmp(f->modality, e->modality);
		}
		if (!seen_doc && e->docname)
			sr_buf_printf(&db, "%s%s", db.len ? "," : "", e->docname);
		if (!seen_mod && e->modality)
			sr_buf_printf(&mb, "%s%s", mb.len ? "," : "", e->modality);
		if (e->published && (!first_pub || strcmp(e->published, first_pub) < 0))
			first_pub = e->published;
	}
	free(byid);
	st_bind_str(ins, 16, db.ptr);
	st_bind_str(ins, 17, mb.ptr);
	st_bind_str(ins, 18, first_pub);
	int rc = sqlite3_step(ins) == SQLITE_DONE ? SR_OK : st_dberr(c->st, "incident insert");
	sr_buf_free(&db);
	sr_buf_free(&mb);
	sr_buf_free(&sb);
	sr_buf_free(&qb);
	free(srcs);
	free(docs);
	for (size_t i = 0; i < I->nmem && rc == SR_OK; i++) {
		sqlite3_reset(mem);
		sqlite3_bind_int64(mem, 1, I->id);
		sqlite3_bind_int64(mem, 2, c->ev[I->mem[i]].id);
		if (sqlite3_step(mem) != SQLITE_DONE)
			rc = st_dberr(c->st, "incident member insert");
	}
	if (rc == SR_OK && I->nmem > 1)
		rc = disagreements(c, I, dis);
	return rc;
}

/* Incidents are numbered in a stable order: by date (undated last), type,
 * then their anchor's document and index. */
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
	if ((r = strcmp(ea->dockey, eb->dockey)))
		return r;
	return ea->n - eb->n;
}

static int
write_all(fctx *c)
{
	sr_store *st = c->st;
	int rc = st_exec(st, "DELETE FROM disagreements; DELETE FROM incident_events;"
			     " DELETE FROM incidents");
	if (rc != SR_OK)
		return rc;
	for (size_t i = 0; i < c->ninc; i++) {
		finc *I = &c->inc[i];
		I->an = &c->ev[I->anchor];
		I->first = INT32_MAX;
		for (size_t k = 0; k < I->nmem; k++)
			if (c->ev[I->mem[k]].dated && c->ev[I->mem[k]].dlo < I->first)
				I->first = c->ev[I->mem[k]].dlo;
	}
	if (c->ninc)
		qsort(c->inc, c->ninc, sizeof *c->inc, cmp_incidents);
	sqlite3_stmt *ins = st_prepare(st,
		"INSERT INTO incidents(id, type, place_id, actor_id, other_id, date,"
		" date_precision, date_lo, date_hi, modality, nevents, ndocs, nsources,"
		" sources, quantities, docs, modalities, first_published)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18)");
	sqlite3_stmt *mem = st_prepare(st, "INSERT INTO incident_events(incident_id, event_id)"
					   " VALUES(?1, ?2)");
	sqlite3_stmt *dis = st_prepare(st, "INSERT INTO disagreements(incident_id, field, value,"
					   " events, docs, sources) VALUES(?1,?2,?3,?4,?5,?6)");
	if (!ins || !mem || !dis)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < c->ninc && rc == SR_OK; i++) {
		c->inc[i].id = (sqlite3_int64)i + 1;
		rc = write_incident(c, &c->inc[i], ins, mem, dis);
	}
	sqlite3_finalize(ins);
	sqlite3_finalize(mem);
	sqlite3_finalize(dis);
	if (rc == SR_OK)
		rc = st_exec(st, "UPDATE incidents SET ndisagreements = (SELECT count(*)"
			     " FROM disagreements g WHERE g.incident_id = incidents.id)"
			     " WHERE id IN (SELECT incident_id FROM disagreements)");
	return rc;
}

int
sr_store_fuse(sr_store *st)
{
	if (st->flags & SR_STORE_READONLY)
		return st_fail(st, "%s: opened read-only: cannot fuse", st->path);
	int rc = sr_store_flush(st);
	if (rc != SR_OK)
		return rc;
	if ((rc = st_exec(st, "BEGIN IMMEDIATE")) != SR_OK)
		return rc;
	fctx c = {0};
	c.st = st;
	rc = load(&c);
	if (rc == SR_OK) {
		cluster(&c);
		rc = write_all(&c);
	}
	if (rc == SR_OK)
		rc = st_derive_status(st);

	if (rc == SR_OK) {
		char gen[32];
		st_meta_get(st, "events_gen", gen, sizeof gen);
		rc = st_meta_set(st, "fused_gen", gen);
	}
	if (rc == SR_OK)
		rc = st_exec(st, "COMMIT");
	if (rc != SR_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	for (size_t i = 0; i < c.ninc; i++)
		free(c.inc[i].mem);
	free(c.inc);
	free(c.ev);
	fmap_free(&c.blocks);
	sr_arena_free(&c.a);
	return rc;
}
