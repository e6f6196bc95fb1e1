/*
 * summary.c -- what an incident says once its members are known
 * (sf_summarize): who, what other party, when, how firmly, from how many
 * documents and sources, what counts, what queries print of it, and the
 * disagreements between its reports (dates that exclude each other,
 * different counts, different names for its place, actor or other
 * party), each value with the members, documents and sources that give
 * it.
 *
 * It runs once per incident of a million events: most fields have one
 * value, found without making the values of a disagreement; strings met
 * again and again are one pointer, compared as pointers first.
 */
#include "fuse_int.h"

#include <math.h>
#include <stdlib.h>

typedef sf_event fev;
typedef sf_incident finc;

/* qsort, by insertion for the few elements an incident's members give
 * (about twenty: qsort's set-up cost more than its comparisons).
 * Elements of at most 64 bytes; cmp a total order, so both give one
 * result. */
static void
small_sort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 24 || size > 64) {
		qsort(base, n, size, cmp);
		return;
	}
	unsigned char *v = base, x[64];
	for (size_t i = 1; i < n; i++) {
		size_t j = i;
		while (j > 0 && cmp(v + (j - 1) * size, v + i * size) > 0)
			j--;
		if (j == i)
			continue;
		memcpy(x, v + i * size, size);
		memmove(v + (j + 1) * size, v + j * size, (i - j) * size);
		memcpy(v + j * size, x, size);
	}
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
	size_t k = 0;
	if (n <= 16) {
		/* a few (most calls: a disagreement's value has one or two
		 * members): compared with those kept, no set to clear */
		for (size_t i = 0; i < n; i++) {
			size_t j = 0;
			while (j < k && v[j] != v[i])
				j++;
			if (j == k)
				v[k++] = v[i];
		}
	} else {
		size_t cap = 64;
		int bits = 6;
		while (cap < n * 2) {
			cap <<= 1;
			bits++;
		}
		const char *stackset[256];
		const char **set = cap <= SR_ARRAY_LEN(stackset) ? stackset
			: sr_malloc(cap * sizeof *set);
		memset(set, 0, cap * sizeof *set);
		for (size_t i = 0; i < n; i++) {
			size_t h = (size_t)(((uint64_t)(uintptr_t)v[i] * 0x9E3779B97F4A7C15ull) >>
					    (64 - bits));
			while (set[h] && set[h] != v[i])
				h = (h + 1) & (cap - 1);
			if (set[h])
				continue;
			set[h] = v[i];
			v[k++] = v[i];
		}
		if (set != stackset)
			free(set);
	}
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

/* The JSON arrays json_set made, by the strings' pointers: the same few
 * sources make the arrays of most incidents, each escaped and copied
 * again for every one of them (5% of the instructions of fusion). */
typedef struct jset {
	uint64_t h;             /* 0: empty */
	size_t n;
	const char **v;         /* the strings, in the arena */
	char *json;             /* in the arena; shared, never changed */
} jset;

struct sf_jsets {
	jset *t;
	size_t mask, used;
};

static uint64_t
jset_hash(const char *const *v, size_t n)
{
	uint64_t h = 0x9E3779B97F4A7C15ull ^ n;
	for (size_t i = 0; i < n; i++) {
		h = (h ^ (uint64_t)(uintptr_t)v[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return h | 1;
}

/* The slot of v[0..n) in fu's table, grown as needed (NULL: no table). */
static jset *
jset_slot(sf_fusion *fu, const char *const *v, size_t n, uint64_t h)
{
	struct sf_jsets *t = fu->jsets;
	if (!t)
		t = fu->jsets = sr_calloc(1, sizeof *t);
	if (!t->t || (t->used + 1) * 2 > t->mask + 1) {
		jset *old = t->t;
		size_t omask = t->mask;
		t->mask = old ? omask * 2 + 1 : 1023;
		t->t = sr_calloc(t->mask + 1, sizeof *t->t);
		for (size_t i = 0; old && i <= omask; i++) {
			if (!old[i].h)
				continue;
			size_t j = old[i].h & t->mask;
			while (t->t[j].h)
				j = (j + 1) & t->mask;
			t->t[j] = old[i];
		}
		free(old);
	}
	size_t i = h & t->mask;
	while (t->t[i].h && !(t->t[i].h == h && t->t[i].n == n &&
			      !memcmp(t->t[i].v, v, n * sizeof *v)))
		i = (i + 1) & t->mask;
	return &t->t[i];
}

/* Sorted distinct strings as a JSON array, in fu's arena (b: scratch);
 * v is left sorted and distinct, their number in *nout.  With memo, the
 * same strings (the same pointers) give the same copy: for sources, a
 * few names in many incidents (documents' names, nearly all distinct
 * sets, only filled the table). */
/* Where the strings of the incident being summarized go: fu->a, or,
 * when the caller summarizes one incident at a time (fu->each), fu->ia,
 * which sf_summary_drop empties (what stays for the whole fusion, the
 * shared JSON arrays and folded words, is in fu->a either way). */
static sr_arena *
inc_arena(sf_fusion *fu)
{
	return fu->each ? &fu->ia : &fu->a;
}

static char *
json_set(sf_fusion *fu, sr_buf *b, const char **v, size_t n, size_t *nout, int memo)
{
	n = sort_unique(v, n);
	if (nout)
		*nout = n;
	uint64_t h = memo ? jset_hash(v, n) : 0;
	jset *js = memo ? jset_slot(fu, v, n, h) : NULL;
	if (js && js->h)
		return js->json;
	sr_buf_reset(b);
	sr_buf_addc(b, '[');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sr_buf_addc(b, ',');
		sr_buf_json_str(b, v[i], strlen(v[i]));
	}
	sr_buf_addc(b, ']');
	if (!js)
		return sr_arena_strndup(inc_arena(fu), b->ptr, b->len);
	js->h = h;
	js->n = n;
	js->v = sr_arena_alloc(&fu->a, (n + 1) * sizeof *js->v);
	memcpy(js->v, v, n * sizeof *v);
	js->json = sr_arena_strndup(&fu->a, b->ptr, b->len);
	fu->jsets->used++;
	return js->json;
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
	int mi;                 /* its position among the incident's members */
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
	small_sort(p, n, sizeof *p, cmp_dval_ptr);
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
	/* the sources of the incident's member i (event_sources), made once:
	 * src[off[i] .. off[i + 1]) */
	const char **src;
	const size_t *off;
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
	/* (one copy of the field's name for all its values) */
	const char *fcopy = sr_arena_strndup(inc_arena(fu), field, strlen(field));
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
			size_t o = out->off[vals[j].mi], no = out->off[vals[j].mi + 1] - o;
			SR_GROW(sv, capsv, nsv + no + 1);
			memcpy(sv + nsv, out->src + o, no * sizeof *sv);
			nsv += no;
		}
		sr_buf_addc(&evs, ']');
		SR_GROW(out->v, out->cap, out->n + 1);
		sf_dis *d = &out->v[out->n++];
		d->field = fcopy;
		d->value = sr_arena_strndup(inc_arena(fu), vals[i].label, strlen(vals[i].label));
		d->events = sr_arena_strndup(inc_arena(fu), evs.ptr, evs.len);
		d->docs = json_set(fu, &evs, dv, ndv, NULL, 0);
		d->sources = json_set(fu, &evs, sv, nsv, NULL, 1);
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
		d->mi = (int)i;
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
				d->mi = (int)i;
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
			d->mi = (int)i;
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
	return a->value == b->value && a->approx == b->approx &&
	       (a->unit == b->unit || !strcmp(a->unit, b->unit));
}

static int
cmp_qref(const void *pa, const void *pb)
{
	const qref *a = pa, *b = pb;
	/* (the loaders keep one copy of a unit: equal pointers, equal units) */
	int r = a->q->unit == b->q->unit ? 0 : strcmp(a->q->unit, b->q->unit);
	if (r)
		return r;
	if (a->q->value != b->q->value)
		return a->q->value < b->q->value ? -1 : 1;
	if (a->q->approx != b->q->approx)
		return a->q->approx - b->q->approx;
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
void
sf_summarize(sf_fusion *fu, finc *I)
{
	size_t room = 1;
	for (size_t i = 0; i < I->nmem; i++)
		room += SR_MAX_SOURCES + 1 + (size_t)fu->ev[I->mem[i]].ncopies;
	const char **srcs = sr_malloc(room * sizeof *srcs);
	const char **msrc = sr_malloc(room * sizeof *msrc);     /* by member, kept */
	size_t *moff = sr_malloc((I->nmem + 1) * sizeof *moff);
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
		moff[i] = nsrcs;
		nsrcs += event_sources(e, msrc + nsrcs, SR_MAX_SOURCES + 1 + (size_t)e->ncopies);
		any[e->mod] = 1;
		for (int k = 0; k < e->nq; k++)
			if (e->q[k].unit && !strcmp(e->q[k].unit, "days") && e->q[k].value > I->days)
				I->days = e->q[k].value;
	}
	/* an incident is asserted when any report asserts it; reported when
	 * the best is "reportedly" */
	I->mod = any[SR_MOD_ASSERTED] ? SR_MOD_ASSERTED : any[SR_MOD_REPORTED] ? SR_MOD_REPORTED
		: any[SR_MOD_EXPECTED] ? SR_MOD_EXPECTED : SR_MOD_DENIED;
	moff[I->nmem] = nsrcs;
	memcpy(srcs, msrc, nsrcs * sizeof *srcs);
	I->ndocs = sort_unique(docs, ndocs);
	sr_buf sb = {0};
	I->sources_json = json_set(fu, &sb, srcs, nsrcs, &I->nsources, 1);
	sr_buf_free(&sb);
	I->sources = sr_arena_alloc(inc_arena(fu), (I->nsources + 1) * sizeof *I->sources);
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
	/* (in member order again by each one's place, not by a second sort) */
	const sf_qty **qo = sr_malloc((nall + 1) * sizeof *qo);
	unsigned char *qfirst = sr_malloc(nall + 1);
	for (size_t i = 0; i < nall; i++)
		qo[i] = qs[i].q;
	if (nall > 1)
		small_sort(qs, nall, sizeof *qs, cmp_qref);
	for (size_t i = 0; i < nall; i++)
		qfirst[qs[i].ord] = i == 0 || !same_qty(qs[i - 1].q, qs[i].q);
	sr_buf qb = {0};
	sr_buf_addc(&qb, '[');
	int nqo = 0;
	for (size_t i = 0; i < nall; i++) {
		const sf_qty *q = qo[i];
		if (!qfirst[i])
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
	free(qo);
	free(qfirst);
	sr_buf_addc(&qb, ']');
	I->quantities_json = arena_buf(inc_arena(fu), &qb);

	/* what queries print: the members' documents and modalities, distinct,
	 * in the order of the members' ids, and the earliest publication */
	sr_buf db = {0}, mb = {0};
	const fev **byid = sr_malloc((I->nmem + 1) * sizeof *byid);
	for (size_t i = 0; i < I->nmem; i++)
		byid[i] = &fu->ev[I->mem[i]];
	if (I->nmem > 24) {
		qsort(byid, I->nmem, sizeof *byid, cmp_fev_id);
	} else {
		/* (by insertion on the ids themselves: a comparison through
		 * a function pointer each step cost more than the move) */
		for (size_t i = 1; i < I->nmem; i++) {
			const fev *x = byid[i];
			size_t j = i;
			while (j > 0 && byid[j - 1]->id > x->id) {
				byid[j] = byid[j - 1];
				j--;
			}
			byid[j] = x;
		}
	}
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
		small_sort(dr, ndr, sizeof *dr, cmp_dref);
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
	I->docs = arena_buf(inc_arena(fu), &db);
	I->modalities = arena_buf(inc_arena(fu), &mb);
	free(srcs);
	free(docs);

	dis_list dl = {.src = msrc, .off = moff};
	if (I->nmem > 1)
		disagreements(fu, I, &dl);
	free(msrc);
	free(moff);
	I->dis = dl.v;
	I->ndis = dl.n;
}

void
sf_summary_drop(sf_fusion *fu, sf_incident *I)
{
	free(I->dis);
	I->dis = NULL;
	I->ndis = 0;
	I->sources = NULL;
	I->sources_json = I->quantities_json = I->docs = I->modalities = NULL;
	if (fu->each)
		sr_arena_reset(&fu->ia);
}

void
sf_folds_free(sf_fusion *fu)
{
	if (fu->jsets) {
		free(fu->jsets->t);
		free(fu->jsets);
		fu->jsets = NULL;
	}
	if (!fu->folds)
		return;
	free(fu->folds->k);
	free(fu->folds->v);
	free(fu->folds);
	fu->folds = NULL;
}
