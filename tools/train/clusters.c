/*
 * clusters.c -- word classes learned from unlabeled text, for the
 * syntax model's features (tools/train/train-syntax.c).
 *
 * A word the treebank saw once or never says little by itself; the class
 * of words that occur in the same company ("Kherson", "Mosul" and
 * "Aleppo"; "withdrew", "pulled" and "moved") lets the tagger and the
 * parser carry what they learned about the other members over to it
 * (Koo, Carreras and Collins 2008 used Brown clusters so).  The classes
 * come from the exchange algorithm over a class bigram model (Martin,
 * Liermann and Ney 1998; the predictive form of Uszkoreit and Brants
 * 2008), run in both directions: a word moves to the class that best
 * predicts, from the words before it and after it, where it occurs.
 * It costs seconds for a million words, where Brown's agglomerative
 * clustering costs hours.  Two clusterings are learned, a fine one and a
 * coarse one.
 *
 * Words are the UD words the parser reads (text.c reads and cuts the
 * running text by its own fixed rules, the treebank's words are taken as
 * they are), keyed as the classifiers key them (lower case, digits as 0,
 * sy_amb_key).  Deterministic: words are numbered by frequency, ties by
 * first occurrence, classes start as rank modulo the class count, and
 * every sum is taken in one fixed order.
 */
#include "syntax/syntax_int.h"
#include "clusters.h"
#include "umap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

struct cl_text {
	uint64_t *tok;          /* word keys; 0 = sentence boundary */
	size_t n, cap;
	size_t sentences;
};

cl_text *
cl_new(void)
{
	cl_text *t = sr_calloc(1, sizeof *t);
	return t;
}

void
cl_free(cl_text *t)
{
	if (!t)
		return;
	free(t->tok);
	free(t);
}

size_t
cl_words(const cl_text *t)
{
	return t->n - t->sentences;
}

static void
push(cl_text *t, uint64_t key)
{
	SR_GROW(t->tok, t->cap, t->n + 1);
	t->tok[t->n++] = key;
}

void
cl_add_sentence(cl_text *t, const char *const *forms, const size_t *lens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		push(t, sy_amb_key(forms[i], lens[i]));
	push(t, 0);
	t->sentences++;
}

/* ----------------------------------------------------------- counting */

typedef struct wtype {
	uint64_t key;
	uint32_t count, first;
} wtype;

static int
by_count(const void *a, const void *b)
{
	const wtype *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return x->first < y->first ? -1 : x->first > y->first;
}

/* One direction's bigrams: for each clustered word v, its neighbours u
 * (any word id, the boundary and the rare words included) with counts,
 * as CSR lists. */
typedef struct nbrs {
	uint32_t *start;        /* [nv + 1] */
	uint32_t *u;
	uint32_t *k;
} nbrs;

typedef struct pair {
	uint32_t v, u, k;
} pair;

static int
by_vu(const void *a, const void *b)
{
	const pair *x = a, *y = b;
	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return x->u < y->u ? -1 : x->u > y->u;
}

/* ids: every position's word id (nv.. for the rare words: nv = one id
 * for all of them, nv + 1 the boundary).  dir +1: neighbours before. */
static void
build_nbrs(const uint32_t *ids, size_t n, uint32_t nv, int dir, nbrs *out)
{
	umap pm = {0};
	pair *ps = NULL;
	size_t np = 0, cap = 0;
	for (size_t i = 1; i < n; i++) {
		uint32_t v = dir > 0 ? ids[i] : ids[i - 1];
		uint32_t u = dir > 0 ? ids[i - 1] : ids[i];
		if (v >= nv)
			continue;
		uint64_t key = sy_mix(((uint64_t)v << 32 | u) + 0x9e3779b97f4a7c15ULL) | 1;
		bool fresh;
		uint32_t *x = umap_put(&pm, key, &fresh);
		if (fresh) {
			SR_GROW(ps, cap, np + 1);
			ps[np] = (pair){v, u, 0};
			*x = (uint32_t)np++;
		}
		ps[*x].k++;
	}
	qsort(ps, np, sizeof *ps, by_vu);
	out->start = sr_calloc((size_t)nv + 1, sizeof *out->start);
	out->u = sr_malloc((np ? np : 1) * sizeof *out->u);
	out->k = sr_malloc((np ? np : 1) * sizeof *out->k);
	for (size_t i = 0; i < np; i++) {
		out->start[ps[i].v + 1]++;
		out->u[i] = ps[i].u;
		out->k[i] = ps[i].k;
	}
	for (uint32_t v = 0; v < nv; v++)
		out->start[v + 1] += out->start[v];
	free(ps);
	umap_free(&pm);
}

static void
nbrs_free(nbrs *b)
{
	free(b->start);
	free(b->u);
	free(b->k);
}

/* x log x, from a table for small counts */
static double *xlx;
static size_t nxlx;

static inline double
f(int64_t x)
{
	return (size_t)x < nxlx ? xlx[x] : (double)x * log((double)x);
}

/* The exchange algorithm: cls[v] for v < nv, C classes, iters passes. */
static void
exchange(const nbrs *dirs, int ndirs, const uint32_t *count, uint32_t nv,
	 uint32_t nu, uint32_t C, int iters, uint32_t *cls)
{
	/* N[d][u * C + c]: how often a word of class c follows (d = 0) or
	   precedes (d = 1) word u; Nc[c]: words of class c */
	int32_t *N[2];
	int64_t *Nc = sr_calloc(C, sizeof *Nc);
	for (uint32_t v = 0; v < nv; v++) {
		cls[v] = v % C;
		Nc[cls[v]] += count[v];
	}
	for (int d = 0; d < ndirs; d++) {
		N[d] = sr_calloc((size_t)nu * C, sizeof *N[d]);
		for (uint32_t v = 0; v < nv; v++)
			for (uint32_t j = dirs[d].start[v]; j < dirs[d].start[v + 1]; j++)
				N[d][(size_t)dirs[d].u[j] * C + cls[v]] += (int32_t)dirs[d].k[j];
	}
	double *gain = sr_malloc(C * sizeof *gain);
	for (int it = 0; it < iters; it++) {
		size_t moved = 0;
		for (uint32_t v = 0; v < nv; v++) {
			uint32_t a = cls[v];
			/* take v out of its class */
			Nc[a] -= count[v];
			for (int d = 0; d < ndirs; d++)
				for (uint32_t j = dirs[d].start[v]; j < dirs[d].start[v + 1]; j++)
					N[d][(size_t)dirs[d].u[j] * C + a] -= (int32_t)dirs[d].k[j];
			/* the gain of putting it into each class */
			for (uint32_t c = 0; c < C; c++)
				gain[c] = -(double)ndirs * (f(Nc[c] + count[v]) - f(Nc[c]));
			for (int d = 0; d < ndirs; d++)
				for (uint32_t j = dirs[d].start[v]; j < dirs[d].start[v + 1]; j++) {
					const int32_t *row = N[d] + (size_t)dirs[d].u[j] * C;
					int64_t k = dirs[d].k[j];
					for (uint32_t c = 0; c < C; c++)
						gain[c] += f(row[c] + k) - f(row[c]);
				}
			uint32_t b = a;
			for (uint32_t c = 0; c < C; c++)
				if (gain[c] > gain[b] + 1e-9)
					b = c;
			moved += b != a;
			cls[v] = b;
			Nc[b] += count[v];
			for (int d = 0; d < ndirs; d++)
				for (uint32_t j = dirs[d].start[v]; j < dirs[d].start[v + 1]; j++)
					N[d][(size_t)dirs[d].u[j] * C + b] += (int32_t)dirs[d].k[j];
		}
		if (moved * 1000 < nv)
			break;
	}
	free(gain);
	free(Nc);
	for (int d = 0; d < ndirs; d++)
		free(N[d]);
}

size_t
cl_learn(const cl_text *t, uint32_t fine, uint32_t coarse, uint32_t min_count,
	 int iters, uint64_t **keys, uint32_t **vals)
{
	/* word types by frequency */
	umap idx = {0};
	wtype *ty = NULL;
	size_t nty = 0, capty = 0;
	for (size_t i = 0; i < t->n; i++) {
		if (!t->tok[i])
			continue;
		bool fresh;
		uint32_t *x = umap_put(&idx, t->tok[i], &fresh);
		if (fresh) {
			SR_GROW(ty, capty, nty + 1);
			ty[nty] = (wtype){t->tok[i], 0, (uint32_t)nty};
			*x = (uint32_t)nty++;
		}
		ty[*x].count++;
	}
	qsort(ty, nty, sizeof *ty, by_count);
	uint32_t nv = 0;
	while (nv < nty && ty[nv].count >= min_count)
		nv++;
	for (size_t i = 0; i < nty; i++) {
		bool fresh;
		*umap_put(&idx, ty[i].key, &fresh) = (uint32_t)i;
	}
	/* positions as ids: rare words share id nv, the boundary nv + 1 */
	uint32_t *ids = sr_malloc((t->n ? t->n : 1) * sizeof *ids);
	for (size_t i = 0; i < t->n; i++) {
		if (!t->tok[i]) {
			ids[i] = nv + 1;
			continue;
		}
		bool fresh;
		uint32_t r = *umap_put(&idx, t->tok[i], &fresh);
		ids[i] = r < nv ? r : nv;
	}
	uint32_t *count = sr_malloc((nv ? nv : 1) * sizeof *count);
	for (uint32_t v = 0; v < nv; v++)
		count[v] = ty[v].count;
	nbrs dirs[2];
	build_nbrs(ids, t->n, nv, +1, &dirs[0]);
	build_nbrs(ids, t->n, nv, -1, &dirs[1]);
	nxlx = t->n + 1;
	xlx = sr_malloc(nxlx * sizeof *xlx);
	xlx[0] = 0;
	for (size_t x = 1; x < nxlx; x++)
		xlx[x] = (double)x * log((double)x);
	uint32_t *cf = sr_malloc((nv ? nv : 1) * sizeof *cf);
	uint32_t *cc = sr_malloc((nv ? nv : 1) * sizeof *cc);
	exchange(dirs, 2, count, nv, nv + 2, fine, iters, cf);
	exchange(dirs, 2, count, nv, nv + 2, coarse, iters, cc);
	*keys = sr_malloc((nv ? nv : 1) * sizeof **keys);
	*vals = sr_malloc((nv ? nv : 1) * sizeof **vals);
	for (uint32_t v = 0; v < nv; v++) {
		(*keys)[v] = ty[v].key;
		/* 0 stays "no class": fine + 1 below, coarse + 1 above */
		(*vals)[v] = (cf[v] + 1) | (cc[v] + 1) << 16;
	}
	free(xlx);
	xlx = NULL;
	nxlx = 0;
	free(cf);
	free(cc);
	nbrs_free(&dirs[0]);
	nbrs_free(&dirs[1]);
	free(count);
	free(ids);
	free(ty);
	umap_free(&idx);
	return nv;
}
