/*
 * train-syntax.c -- trains sitrep's syntax model (tagger, lemmatizer,
 * parser) from Universal Dependencies CoNLL-U files and writes it as
 * one binary file (see src/syntax/syntax_int.h for its layout).
 *
 *   train-syntax [options] TRAIN.conllu DEV.conllu OUT.model
 *
 * The steps: read the treebank; collect the tag classes (joint UPOS +
 * XPOS pairs), relation labels, the ambiguity class of each frequent
 * word, the lemma exceptions and suffix rules, and the hyphenated words
 * the treebank keeps whole; train the tagger (averaged perceptron,
 * greedy left to right); tag the training set by K-fold jackknifing so
 * the parser learns from tags as wrong as they will be on new text; train
 * the arc-hybrid parser with a dynamic oracle and exploration; quantize
 * the averaged weights to int16, drop the zero ones and write the file.
 * Dev scores are printed after training (dev is never trained on).
 *
 * Deterministic: sentence order is shuffled with a fixed-seed generator,
 * every table is built in the order of the treebank, and floating point
 * is used in one fixed order, so the same input gives the same bytes.
 */
#include "syntax/syntax_int.h"
#include "clusters.h"
#include "lemmas.h"
#include "tagdict.h"
#include "text.h"
#include "treebank.h"
#include "umap.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* ------------------------------------------------------------ options */

static int tag_epochs = 6;
static int parse_epochs = 12;
static int folds = 5;
static int explore_from = 2;      /* epoch from which moves follow the model */
static double explore_p = 0.9;
static int amb_min = 2;           /* a word's count to get an ambiguity class */
static int verbose = 1;
static int eval_each = 0;
static int nparsers = 3;          /* parsers trained and mixed */
static int projective = 1;        /* lift crossing gold arcs for training */
static int clu_fine = 256;        /* word classes: fine, coarse (0: none) */
static int clu_coarse = 32;
static int clu_min = 3;           /* a word's count in the text to get one */
static const char *texts[16];     /* --text=PATH: running text for them */
static int ntexts;
static const char *text_dump;     /* --text-dump=FILE: the text's words, a sentence a line */
static const char *classes_in;    /* --classes=FILE: the word classes, not learned */
static const char *classes_out;   /* --classes-out=FILE: learn them, write them, stop */
static bool classes_exact;        /* clus is the table as written (read from a file) */
static const char *prune_sweep;   /* --prune-sweep=Q,Q,...: dev scores at other levels */
static const char *ablate_model;  /* --ablate=MODEL */
static int tdict_min = 50;        /* the tag dictionary: a word's count */
static double tdict_share = 0.98; /* and its commonest class's share */
static const char *tdict_from;    /* --tagdict-from=MODEL */
static const char *tdict_sweep;   /* --tagdict-sweep=MIN:SHARE,...: dev scores */

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static double t_start;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void
say(const char *fmt, ...)
{
	if (!verbose)
		return;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "[%6.1fs] ", now_s() - t_start);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static _Noreturn void
die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("train-syntax: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(1);
}

/* A fixed-seed generator (xorshift64*). */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1DULL;
}
static double
rng_unit(void)
{
	return (double)(rng() >> 11) * (1.0 / 9007199254740992.0);
}

/* ----------------------------------------------------------- treebank */

/* XPOS names, in order of first appearance */
static char *xpos_names[256];
static int nxpos;

static int
xpos_id(const char *name, bool add)
{
	for (int i = 0; i < nxpos; i++)
		if (!strcmp(xpos_names[i], name))
			return i;
	if (!add)
		return 0;
	if (nxpos == 255)
		die("more than 255 XPOS tags");
	xpos_names[nxpos] = sr_strdup(name);
	return nxpos++;
}

static void
read_corpus(const char *path, corpus *c, bool add_xpos)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("%s: cannot open", path);
	sy_conllu_sent s = {0};
	long line = 0;
	while (sy_conllu_next(f, &s, &line)) {
		if (s.err[0])
			die("%s:%s", path, s.err);
		if (!s.n)
			continue;
		SR_GROW(c->s, c->cap, c->n + 1);
		tsent *t = &c->s[c->n++];
		memset(t, 0, sizeof *t);
		t->n = (int)s.n;
		t->w = sr_calloc(s.n, sizeof *t->w);
		for (size_t i = 0; i < s.n; i++) {
			char **col = s.w[i].col;
			tword *w = &t->w[i];
			w->form = sr_strdup(col[1]);
			w->lemma = sr_strdup(col[2]);
			w->upos = (uint8_t)sr_upos_id(col[3]);
			w->xpos = (uint8_t)xpos_id(col[4], add_xpos);
			w->head = (int16_t)(atoi(col[6]) - 1);
			w->dep = (uint8_t)sr_deprel_id(col[7]);
			if (!w->dep)
				die("%s: unknown relation '%s'", path, col[7]);
			w->space_after = !strstr(col[9], "SpaceAfter=No");
		}
		c->words += s.n;
	}
	sy_conllu_free(&s);
	fclose(f);
}

/* ------------------------------------------------- averaged perceptron */

typedef struct aent {
	uint16_t cls;
	int32_t w;
	int32_t ts;             /* update count at the last change */
	int64_t tot;            /* sum of w over updates up to ts */
} aent;

typedef struct afeat {
	aent *e;
	uint16_t n, cap;
} afeat;

typedef struct ap {
	umap idx;               /* key -> feature index */
	afeat *f;
	size_t nf, capf;
	int32_t now;            /* updates so far (examples seen) */
	uint32_t ncls;
} ap;

static void
ap_init(ap *a, uint32_t ncls)
{
	memset(a, 0, sizeof *a);
	a->ncls = ncls;
	a->now = 1;
}

static void
ap_free(ap *a)
{
	for (size_t i = 0; i < a->nf; i++)
		free(a->f[i].e);
	free(a->f);
	umap_free(&a->idx);
}

static void
ap_score(const ap *a, const uint64_t *keys, size_t nf, int64_t *scores)
{
	for (size_t i = 0; i < nf; i++) {
		uint32_t *v = umap_find(&a->idx, keys[i]);
		if (!v)
			continue;
		const afeat *f = &a->f[*v];
		for (uint16_t j = 0; j < f->n; j++)
			scores[f->e[j].cls] += f->e[j].w;
	}
}

static void
ap_update(ap *a, const uint64_t *keys, size_t nf, uint32_t cls, int delta)
{
	for (size_t i = 0; i < nf; i++) {
		bool fresh;
		uint32_t *v = umap_put(&a->idx, keys[i], &fresh);
		if (fresh) {
			SR_GROW(a->f, a->capf, a->nf + 1);
			memset(&a->f[a->nf], 0, sizeof a->f[a->nf]);
			*v = (uint32_t)a->nf++;
		}
		afeat *f = &a->f[*v];
		aent *e = NULL;
		for (uint16_t j = 0; j < f->n; j++)
			if (f->e[j].cls == cls) {
				e = &f->e[j];
				break;
			}
		if (!e) {
			if (f->n == f->cap) {
				f->cap = f->cap ? (uint16_t)(f->cap * 2) : 2;
				f->e = sr_realloc(f->e, f->cap * sizeof *f->e);
			}
			e = &f->e[f->n++];
			e->cls = (uint16_t)cls;
			e->w = 0;
			e->ts = a->now;
			e->tot = 0;
		}
		e->tot += (int64_t)(a->now - e->ts) * e->w;
		e->ts = a->now;
		e->w += delta;
	}
}

/* Turns every weight into its average so far (avg_of is unchanged). */
static void
ap_finalize(ap *a)
{
	for (size_t i = 0; i < a->nf; i++)
		for (uint16_t j = 0; j < a->f[i].n; j++) {
			aent *e = &a->f[i].e[j];
			e->tot += (int64_t)(a->now - e->ts) * e->w;
			e->ts = a->now;
			e->w = 0;
		}
}

/* Adds the averaged weights of src to those of dst (both finalized,
 * trained for the same number of updates): parameter mixing of
 * perceptrons trained on differently shuffled data, one linear model
 * (no cost at parse time) that errs less than either. */
static void
ap_add(ap *dst, const ap *src)
{
	if (dst->now != src->now)
		die("internal error: mixing perceptrons of different lengths");
	for (size_t c = 0; c < src->idx.cap; c++) {
		if (!src->idx.keys[c])
			continue;
		const afeat *sf = &src->f[src->idx.vals[c]];
		for (uint16_t j = 0; j < sf->n; j++) {
			/* an update of zero creates the entry, then add */
			ap_update(dst, &src->idx.keys[c], 1, sf->e[j].cls, 0);
			uint32_t *v = umap_find(&dst->idx, src->idx.keys[c]);
			afeat *df = &dst->f[*v];
			for (uint16_t k = 0; k < df->n; k++)
				if (df->e[k].cls == sf->e[j].cls) {
					df->e[k].tot += sf->e[j].tot;
					break;
				}
		}
	}
}

/* The perceptron's averaged weights as the model stores them: int16
 * rows, one per fingerprint (features whose fingerprints collide share
 * one row, their weights added), entries smaller than prune_q dropped,
 * rows left empty dropped. */
typedef struct packed {
	uint32_t *fps;
	size_t nrows;
	sy_ent *ents;
	size_t nents;
	size_t dropped;
	sy_weights w;   /* slots over the rows, for scoring in process */
} packed;

static int prune_q = 1;           /* smallest entry kept */
static int prune_tag = 100;       /* smallest largest entry of a kept row: tagger */
static int prune_parse = 600;     /* and parser */

static double
avg_of(const ap *a, const aent *e)
{
	return (double)(e->tot + (int64_t)(a->now - e->ts) * e->w) / a->now;
}

static void
ap_pack(const ap *a, packed *out, int prune_row)
{
	memset(out, 0, sizeof *out);
	double maxw = 0;
	for (size_t i = 0; i < a->nf; i++)
		for (uint16_t j = 0; j < a->f[i].n; j++)
			if (fabs(avg_of(a, &a->f[i].e[j])) > maxw)
				maxw = fabs(avg_of(a, &a->f[i].e[j]));
	double scale = maxw > 0 ? 30000.0 / maxw : 1;
	/* features by fingerprint: the first feature of each fingerprint
	   leads, the others chain behind it */
	uint32_t *fp = sr_malloc((a->nf ? a->nf : 1) * sizeof *fp);
	uint32_t *next = sr_malloc((a->nf ? a->nf : 1) * sizeof *next);
	uint32_t *last = sr_malloc((a->nf ? a->nf : 1) * sizeof *last);
	bool *lead = sr_calloc(a->nf ? a->nf : 1, sizeof *lead);
	for (size_t c = 0; c < a->idx.cap; c++)
		if (a->idx.keys[c])
			fp[a->idx.vals[c]] = sy_fp(a->idx.keys[c]);
	umap byfp = {0};
	for (size_t i = 0; i < a->nf; i++) {
		next[i] = UINT32_MAX;
		bool fresh;
		uint32_t *v = umap_put(&byfp, (uint64_t)fp[i] + 1, &fresh);
		if (fresh) {
			*v = (uint32_t)i;
			lead[i] = true;
			last[i] = (uint32_t)i;
		} else {
			next[last[*v]] = (uint32_t)i;
			last[*v] = (uint32_t)i;
		}
	}
	size_t cap = 0, capr = 0;
	double *sum = sr_calloc(a->ncls, sizeof *sum);
	for (size_t i = 0; i < a->nf; i++) {
		if (!lead[i])
			continue;
		for (uint32_t f = (uint32_t)i; f != UINT32_MAX; f = next[f])
			for (uint16_t j = 0; j < a->f[f].n; j++)
				sum[a->f[f].e[j].cls] += avg_of(a, &a->f[f].e[j]);
		size_t head = out->nents;
		SR_GROW(out->ents, cap, out->nents + 1 + a->ncls);
		out->nents++;
		uint16_t k = 0;
		long top = 0;
		for (uint32_t c = 0; c < a->ncls; c++) {
			long q = lround(sum[c] * scale);
			sum[c] = 0;
			if (q > 32767)
				q = 32767;
			if (q < -32767)
				q = -32767;
			if (labs(q) < prune_q)
				continue;
			out->ents[out->nents++] = (sy_ent){(uint16_t)c, (int16_t)q};
			k++;
			if (labs(q) > top)
				top = labs(q);
		}
		/* a row whose weights are all small moves few decisions: the
		   model is smaller and faster without it */
		if (!k || top < prune_row) {
			out->nents = head;
			out->dropped++;
			continue;
		}
		out->ents[head] = (sy_ent){k, 0};
		SR_GROW(out->fps, capr, out->nrows + 1);
		out->fps[out->nrows++] = fp[i];
	}
	free(sum);
	free(fp);
	free(next);
	free(last);
	free(lead);
	umap_free(&byfp);
	if (!sy_weights_build(&out->w, out->fps, out->nrows, out->ents, out->nents, a->ncls))
		die("internal error: packed weights do not load");
}

static void
packed_free(packed *p)
{
	free(p->fps);
	free(p->ents);
	sy_weights_free(&p->w);
}

/* ------------------------------------------------------------ classes */

static uint16_t tag_of[SR_UPOS_COUNT][256];   /* (upos, xpos) -> class + 1 */
static uint8_t tag_upos[SY_MAX_TAGS], tag_xpos[SY_MAX_TAGS];
static uint32_t ntags;
static uint8_t labels[SY_MAX_LABELS];
static int label_of[SR_DEP_COUNT];
static uint32_t nlabels;

static void
collect_classes(corpus *c)
{
	/* tags in order of first appearance */
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			tword *w = &c->s[s].w[i];
			if (!tag_of[w->upos][w->xpos]) {
				if (ntags == SY_MAX_TAGS)
					die("more than %d tag classes", SY_MAX_TAGS);
				tag_upos[ntags] = w->upos;
				tag_xpos[ntags] = w->xpos;
				tag_of[w->upos][w->xpos] = (uint16_t)++ntags;
			}
			w->tag = (uint16_t)(tag_of[w->upos][w->xpos] - 1);
		}
	/* labels: root first, then the others by id */
	bool seen[SR_DEP_COUNT] = {0};
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++)
			seen[c->s[s].w[i].dep] = true;
	labels[nlabels++] = SR_DEP_ROOT;
	for (int d = 1; d < SR_DEP_COUNT; d++)
		if (seen[d] && d != SR_DEP_ROOT) {
			if (nlabels == SY_MAX_LABELS)
				die("more than %d relations", SY_MAX_LABELS);
			labels[nlabels++] = (uint8_t)d;
		}
	for (uint32_t l = 0; l < nlabels; l++)
		label_of[labels[l]] = (int)l;
}

/* Tag class of a dev/test word (unseen pairs: the first class of its
 * UPOS, so scoring by UPOS stays right). */
static void
classes_for(corpus *c)
{
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			tword *w = &c->s[s].w[i];
			uint16_t t = tag_of[w->upos][w->xpos];
			if (!t)
				for (uint32_t k = 0; k < ntags && !t; k++)
					if (tag_upos[k] == w->upos)
						t = (uint16_t)(k + 1);
			w->tag = t ? (uint16_t)(t - 1) : 0;
		}
}

/* ------------------------------------------------- ambiguity classes */

static umap amb;   /* lower key -> UPOS mask + 1 */

/* The ambiguity classes of the words of c's sentences whose index %
 * folds != skip (skip < 0: all) into *out (emptied first). */
static void
collect_amb(const corpus *c, int skip, umap *out)
{
	umap_free(out);
	umap count = {0};
	/* per word: counts by UPOS, in a side table */
	uint32_t (*per)[SR_UPOS_COUNT] = NULL;
	size_t nper = 0, capper = 0;
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			if (skip >= 0 && (int)(s % (size_t)folds) == skip)
				break;
			const tword *w = &c->s[s].w[i];
			bool fresh;
			uint32_t *v = umap_put(&count, sy_amb_key(w->form, strlen(w->form)), &fresh);
			if (fresh) {
				SR_GROW(per, capper, nper + 1);
				memset(per[nper], 0, sizeof per[nper]);
				*v = (uint32_t)nper++;
			}
			per[*v][w->upos]++;
		}
	for (size_t k = 0; k < count.cap; k++) {
		if (!count.keys[k])
			continue;
		uint32_t *cnt = per[count.vals[k]], total = 0, mask = 0;
		for (int u = 0; u < SR_UPOS_COUNT; u++)
			total += cnt[u];
		if ((int)total < amb_min)
			continue;
		for (int u = 0; u < SR_UPOS_COUNT; u++)
			if (cnt[u] * 20 >= total && cnt[u])
				mask |= 1u << u;
		bool fresh;
		*umap_put(out, count.keys[k], &fresh) = mask + 1;
	}
	free(per);
	umap_free(&count);
}

/* word classes (tools/train/clusters.c): key -> classes, and as a map */
static umap clus;
static sy_map clum;

/* the tag dictionary (tools/train/tagdict.c): form -> class + 1, and as
 * a map (used by the model as written, never in training: the tagger
 * learns from every word, and the parser's jackknifed tags are the
 * tagger's own) */
static umap tdict;
static sy_map tdictm;

/* The tag dictionary of the training set c with the options' levels. */
static void
collect_tdict(const corpus *c, uint32_t min, double share, umap *out)
{
	td_counts *tc = td_new();
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			const tword *w = &c->s[s].w[i];
			td_add(tc, sy_hash(w->form, strlen(w->form)), w->tag);
		}
	td_pick(tc, min, share, out);
	td_free(tc);
}

static void
features_for(corpus *c, const sy_map *ambm, const sy_map *clm)
{
	for (size_t s = 0; s < c->n; s++) {
		tsent *t = &c->s[s];
		if (!t->wf) {
			t->wf = sr_malloc((size_t)t->n * sizeof *t->wf);
			t->pred = sr_malloc((size_t)t->n * sizeof *t->pred);
		}
		for (int i = 0; i < t->n; i++)
			sy_word_features(ambm, clm, t->w[i].form, strlen(t->w[i].form), &t->wf[i]);
	}
}

/* ------------------------------------------------------------- tagger */

static void
shuffle(size_t *order, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)(rng() % i);
		size_t x = order[i - 1];
		order[i - 1] = order[j];
		order[j] = x;
	}
}

/* Trains a tagger on the sentences of c whose index % folds != skip
 * (skip < 0: all). */
static void
train_tagger(ap *a, corpus *c, int skip, int epochs)
{
	ap_init(a, ntags);
	size_t *order = sr_malloc(c->n * sizeof *order), n = 0;
	for (size_t s = 0; s < c->n; s++)
		if (skip < 0 || (int)(s % (size_t)folds) != skip)
			order[n++] = s;
	uint64_t keys[SY_TAG_FEATS];
	int64_t scores[SY_MAX_TAGS];
	for (int e = 0; e < epochs; e++) {
		shuffle(order, n);
		size_t right = 0, total = 0;
		for (size_t k = 0; k < n; k++) {
			tsent *t = &c->s[order[k]];
			for (int i = 0; i < t->n; i++) {
				size_t nf = sy_tag_features(t->wf, (size_t)t->n, (size_t)i, t->pred, keys);
				memset(scores, 0, sizeof scores);
				ap_score(a, keys, nf, scores);
				uint32_t best = 0;
				for (uint32_t cl = 1; cl < ntags; cl++)
					if (scores[cl] > scores[best])
						best = cl;
				uint32_t gold = t->w[i].tag;
				if (best != gold) {
					ap_update(a, keys, nf, gold, 1);
					ap_update(a, keys, nf, best, -1);
				} else {
					right++;
				}
				total++;
				a->now++;
				t->pred[i] = (uint16_t)best;
			}
		}
		if (verbose > 1)
			say("  tagger epoch %d: train accuracy %.4f", e + 1, (double)right / (double)total);
	}
	free(order);
}

/* Tags the sentences of c (those of fold `only`, or all when < 0) with
 * packed weights; returns the UPOS accuracy over them. */
static double
tag_with(const sy_weights *w, corpus *c, int only)
{
	sr_syntax m = {0};
	m.tagw = *w;
	m.ntags = ntags;
	size_t right = 0, total = 0;
	for (size_t s = 0; s < c->n; s++) {
		if (only >= 0 && (int)(s % (size_t)folds) != only)
			continue;
		tsent *t = &c->s[s];
		sy_tag(&m, t->wf, (size_t)t->n, t->pred);
		for (int i = 0; i < t->n; i++) {
			right += tag_upos[t->pred[i]] == t->w[i].upos;
			total++;
		}
	}
	return total ? (double)right / (double)total : 0;
}

/* ------------------------------------------------------------- parser */

/* Is k a descendant of h in the tree gh (n = ROOT)? */
static bool
descends(const int16_t *gh, int n, int k, int h)
{
	for (int steps = 0; k != n && steps <= n; steps++) {
		if (k == h)
			return true;
		k = gh[k];
	}
	return h == n;
}

/* The gold tree made projective (an arc-hybrid parser builds only
 * projective trees, and the oracle's costs assume one): a dependent whose
 * arc crosses another is lifted to its head's head, shortest arc first,
 * until no arc crosses (never onto ROOT, which takes one dependent). */
static void
projectivize(int16_t *gh, int n)
{
	for (int round = 0; round < n * n; round++) {
		int best = -1, blen = 0;
		for (int d = 0; d < n; d++) {
			int h = gh[d];
			if (h == n || gh[h] == n)
				continue;
			int a = d < h ? d : h, z = d < h ? h : d;
			for (int k = a + 1; k < z; k++)
				if (!descends(gh, n, k, h)) {
					if (best < 0 || z - a < blen) {
						best = d;
						blen = z - a;
					}
					break;
				}
		}
		if (best < 0)
			return;
		gh[best] = gh[gh[best]];
	}
}

static void
gold_tree(const tsent *t, int16_t *gh, uint8_t *gl)
{
	for (int i = 0; i < t->n; i++) {
		gh[i] = t->w[i].head < 0 ? (int16_t)t->n : t->w[i].head;
		gl[i] = (uint8_t)label_of[t->w[i].dep];
	}
	if (projective)
		projectivize(gh, t->n);
}

/* Parses c with a full model (tags from its tagger); returns UAS and LAS
 * (universal relations, as score-ud counts them) in out[0..1] and UPOS
 * in out[2]. */
static void
evaluate(const sr_syntax *m, corpus *c, double out[3])
{
	int maxn = 0;
	for (size_t s = 0; s < c->n; s++)
		if (c->s[s].n > maxn)
			maxn = c->s[s].n;
	sy_state st;
	sy_state_alloc(&st, maxn);
	size_t ua = 0, la = 0, up = 0, total = 0;
	for (size_t s = 0; s < c->n; s++) {
		tsent *t = &c->s[s];
		sy_tag(m, t->wf, (size_t)t->n, t->pred);
		sy_parse(m, &st, t->wf, t->pred, t->n);
		for (int i = 0; i < t->n; i++) {
			int gh = t->w[i].head < 0 ? t->n : t->w[i].head;
			total++;
			up += m->tag_upos[t->pred[i]] == t->w[i].upos;
			if (st.head[i] != gh)
				continue;
			ua++;
			la += sr_deprel_base(m->labels[st.label[i]]) == sr_deprel_base(t->w[i].dep);
		}
	}
	sy_state_free(&st);
	out[0] = (double)ua / (double)total;
	out[1] = (double)la / (double)total;
	out[2] = (double)up / (double)total;
}

static void
train_parser(ap *a, corpus *c, corpus *dev, const sr_syntax *tagm)
{
	uint32_t nl = nlabels, ncls = 1 + 2 * nl;
	ap_init(a, ncls);
	size_t *order = sr_malloc(c->n * sizeof *order);
	int maxn = 0;
	for (size_t s = 0; s < c->n; s++) {
		order[s] = s;
		if (c->s[s].n > maxn)
			maxn = c->s[s].n;
	}
	sy_state st;
	sy_state_alloc(&st, maxn);
	int16_t *gh = sr_malloc(((size_t)maxn + 1) * sizeof *gh);
	uint8_t *gl = sr_malloc((size_t)maxn + 1);
	uint64_t keys[SY_PARSE_FEATS];
	int64_t scores[SY_MAX_CLASSES];
	for (int e = 0; e < parse_epochs; e++) {
		shuffle(order, c->n);
		size_t wrong = 0, moves = 0;
		for (size_t k = 0; k < c->n; k++) {
			tsent *t = &c->s[order[k]];
			gold_tree(t, gh, gl);
			sy_state_init(&st, t->n);
			while (!sy_state_final(&st)) {
				size_t nf = sy_parse_features(&st, t->wf, t->pred, keys);
				memset(scores, 0, sizeof scores);
				ap_score(a, keys, nf, scores);
				/* costs of the three moves (label 255: a gold arc
				   counts as mislabeled; taken back below for the
				   gold label) */
				int cost[3] = {-1, -1, -1}, s0 = st.sp >= 2 ? st.stack[st.sp - 1] : -1;
				int best = -1, gbest = -1, bestc = 0, minc = 1 << 20;
				int ccost[SY_MAX_CLASSES];
				for (uint32_t cl = 0; cl < ncls; cl++) {
					int mv = sy_cls_move((int)cl, (int)nl), lb = sy_cls_label((int)cl, (int)nl);
					if (!sy_valid(&st, mv, lb)) {
						ccost[cl] = -1;
						continue;
					}
					if (cost[mv] < 0)
						cost[mv] = sy_cost(&st, mv, 255, gh, gl);
					int cc = cost[mv];
					if (mv != SY_SHIFT) {
						/* sy_cost with label 255 counted a label
						   miss on a gold arc: take it back if right */
						int h = mv == SY_LEFT ? st.b : st.stack[st.sp - 2];
						if (gh[s0] == h && gl[s0] == lb)
							cc--;
					}
					ccost[cl] = cc;
					if (cc < minc)
						minc = cc;
					if (best < 0 || scores[cl] > scores[best])
						best = (int)cl;
				}
				for (uint32_t cl = 0; cl < ncls; cl++)
					if (ccost[cl] == minc && (gbest < 0 || scores[cl] > scores[gbest]))
						gbest = (int)cl;
				bestc = ccost[best];
				if (bestc > minc) {
					ap_update(a, keys, nf, (uint32_t)gbest, 1);
					ap_update(a, keys, nf, (uint32_t)best, -1);
					wrong++;
				}
				a->now++;
				moves++;
				int follow = gbest;
				if (e >= explore_from && rng_unit() < explore_p)
					follow = best;
				sy_apply(&st, sy_cls_move(follow, (int)nl), sy_cls_label(follow, (int)nl));
			}
		}
		say("parser epoch %d: %.4f of moves wrong, %zu features", e + 1,
		    (double)wrong / (double)moves, a->nf);
		if (eval_each && e + 1 < parse_epochs) {
			packed pp;
			ap_pack(a, &pp, prune_parse);
			sr_syntax view = *tagm;
			view.parw = pp.w;
			double sc[3];
			evaluate(&view, dev, sc);
			say("  dev UAS %.4f LAS %.4f (%zu features kept)", sc[0], sc[1], pp.nrows);
			packed_free(&pp);
		}
	}
	sy_state_free(&st);
	free(gh);
	free(gl);
	free(order);
}

/* ------------------------------------------------------------- writing */

static void
put_blob(FILE *f, const char *tag, const void *p, size_t size)
{
	static const char zero[8] = {0};
	uint64_t sz = size;
	fwrite(tag, 1, 4, f);
	fwrite(zero, 1, 4, f);
	fwrite(&sz, 8, 1, f);
	if (size)
		fwrite(p, 1, size, f);
	fwrite(zero, 1, (8 - size % 8) % 8, f);
}

/* A umap as the model's sy_map: a fresh table, filled in the order of
 * the source's slots (deterministic). */
/* The word classes file (data/syntax.classes): the table the model's
 * CLKY and CLVL blocks hold, a slot a line, so that a model trained from
 * the file holds the same bytes as one trained from the text the classes
 * were learned from:
 *   # comment lines
 *   slots N              (a power of two)
 *   SLOT KEY FINE COARSE (decimal, 16 hex digits of sy_amb_key, class + 1)
 */
static void
write_classes(const char *path, const uint64_t *k, const uint32_t *v, size_t ns, const char *origin)
{
	FILE *f = fopen(path, "w");
	if (!f)
		die("%s: cannot write", path);
	fprintf(f, "# sitrep's word classes for the syntax model (tools/train-syntax reads them)\n"
		"# %s\n"
		"# slot, word key (sy_amb_key), fine class + 1, coarse class + 1\n"
		"slots %zu\n", origin, ns);
	for (size_t i = 0; i < ns; i++)
		if (k[i])
			fprintf(f, "%zu\t%016llx\t%u\t%u\n", i, (unsigned long long)k[i], v[i] & 0xffff,
				v[i] >> 16);
	if (fclose(f))
		die("%s: cannot write", path);
}

static void
read_classes(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		die("%s: cannot open (the word classes)", path);
	char line[256];
	long ln = 0;
	size_t ns = 0;
	while (fgets(line, sizeof line, f)) {
		ln++;
		if (line[0] == '#')
			continue;
		if (!ns) {
			if (sscanf(line, "slots %zu", &ns) != 1 || ns < 16 || (ns & (ns - 1)))
				die("%s:%ld: expected 'slots N', N a power of two", path, ln);
			clus.cap = ns;
			clus.keys = sr_calloc(ns, sizeof *clus.keys);
			clus.vals = sr_calloc(ns, sizeof *clus.vals);
			continue;
		}
		size_t slot;
		unsigned long long key;
		unsigned fine, coarse;
		if (sscanf(line, "%zu %llx %u %u", &slot, &key, &fine, &coarse) != 4 || slot >= ns ||
		    !key || clus.keys[slot] || fine > 0xffff || coarse > 0xffff)
			die("%s:%ld: expected SLOT KEY FINE COARSE, a free slot below %zu", path, ln, ns);
		clus.keys[slot] = key;
		clus.vals[slot] = fine | coarse << 16;
		clus.n++;
	}
	if (ferror(f) || !ns || clus.n * 2 > ns)
		die("%s: no table of classes read", path);
	fclose(f);
	classes_exact = true;
	/* each key must be found from its home slot (a lookup stops at the
	   first empty slot) */
	for (size_t i = 0; i < ns; i++)
		if (clus.keys[i]) {
			for (size_t j = clus.keys[i] & (ns - 1); j != i; j = (j + 1) & (ns - 1))
				if (!clus.keys[j])
					die("%s: key %016llx sits past an empty slot", path,
					    (unsigned long long)clus.keys[i]);
		}
}

/* The table put_map writes for m, in *k and *v (malloc'ed); its size. */
static size_t
map_table(const umap *m, uint64_t **k, uint32_t **v);

static void
put_map(FILE *f, const char *kt, const char *vt, const umap *m)
{
	if (m == &clus && classes_exact) {
		/* read from a classes file: the table as it was written */
		put_blob(f, kt, m->keys, m->cap * 8);
		put_blob(f, vt, m->vals, m->cap * 4);
		return;
	}
	if (!m->n) {
		put_blob(f, kt, NULL, 0);
		put_blob(f, vt, NULL, 0);
		return;
	}
	uint64_t *k;
	uint32_t *v;
	size_t ns = map_table(m, &k, &v);
	put_blob(f, kt, k, ns * 8);
	put_blob(f, vt, v, ns * 4);
	free(k);
	free(v);
}

static size_t
map_table(const umap *m, uint64_t **kp, uint32_t **vp)
{
	size_t ns = 16;
	while (ns < m->n * 2)
		ns *= 2;
	uint64_t *k = sr_calloc(ns, 8);
	uint32_t *v = sr_calloc(ns, 4);
	for (size_t i = 0; i < m->cap; i++) {
		if (!m->keys[i])
			continue;
		for (size_t j = m->keys[i] & (ns - 1);; j = (j + 1) & (ns - 1))
			if (!k[j]) {
				k[j] = m->keys[i];
				v[j] = m->vals[i];
				break;
			}
	}
	*kp = k;
	*vp = v;
	return ns;
}

/* Sets up an in-memory model m over the given tables (for dev scoring
 * with the very code that runs at parse time). */
static void
model_view(sr_syntax *m, const packed *tp, const packed *pp, const umap *ambm)
{
	memset(m, 0, sizeof *m);
	m->ntags = ntags;
	m->tag_upos = tag_upos;
	m->tag_xpos = tag_xpos;
	m->nlabels = nlabels;
	m->labels = labels;
	if (tp)
		m->tagw = tp->w;
	if (pp)
		m->parw = pp->w;
	m->amb = (sy_map){ambm->keys, ambm->vals, ambm->cap - 1};
	m->clu = clum;
	m->tdict = tdictm;
}

/* --ablate MODEL: the dev scores with each parser feature left out in
 * turn (at parse time only, without retraining): a feature whose loss is
 * nil costs time for nothing.  Prints one line per feature index. */
static void
ablate(const char *path, corpus *dev)
{
	char err[512];
	sr_syntax *m = sr_syntax_load(path, err, sizeof err);
	if (!m)
		die("%s", err);
	features_for(dev, &m->amb, &m->clu);
	int maxn = 0;
	for (size_t s = 0; s < dev->n; s++)
		if (dev->s[s].n > maxn)
			maxn = dev->s[s].n;
	sy_state st;
	sy_state_alloc(&st, maxn);
	uint64_t keys[SY_PARSE_FEATS];
	_Alignas(32) int32_t scores[SY_SCORES];
	int nl = (int)m->nlabels, ncls = 1 + 2 * nl;
	for (size_t s = 0; s < dev->n; s++)
		sy_tag(m, dev->s[s].wf, (size_t)dev->s[s].n, dev->s[s].pred);
	for (int drop = -1; drop < SY_PARSE_FEATS; drop++) {
		size_t ua = 0, la = 0, total = 0, nf = 0;
		for (size_t s = 0; s < dev->n; s++) {
			tsent *t = &dev->s[s];
			sy_state_init(&st, t->n);
			while (!sy_state_final(&st)) {
				nf = sy_parse_features(&st, t->wf, t->pred, keys);
				if (drop >= 0 && (size_t)drop < nf)
					keys[drop] = 1;
				memset(scores, 0, sizeof scores);
				sy_score(&m->parw, keys, nf, scores);
				int best = -1;
				for (int c = 0; c < ncls; c++)
					if ((best < 0 || scores[c] > scores[best]) &&
					    sy_valid(&st, sy_cls_move(c, nl), sy_cls_label(c, nl)))
						best = c;
				sy_apply(&st, sy_cls_move(best, nl), sy_cls_label(best, nl));
			}
			for (int i = 0; i < t->n; i++) {
				int gh = t->w[i].head < 0 ? t->n : t->w[i].head;
				total++;
				if (st.head[i] != gh)
					continue;
				ua++;
				la += sr_deprel_base(m->labels[st.label[i]]) == sr_deprel_base(t->w[i].dep);
			}
		}
		if (drop >= 0 && (size_t)drop >= nf)
			break;
		printf("%d\t%.4f\t%.4f\n", drop, (double)ua / (double)total, (double)la / (double)total);
		fflush(stdout);
	}
	sy_state_free(&st);
	sr_syntax_free(m);
}

/* --tagdict-from=MODEL: the dev scores of MODEL (which has no tag
 * dictionary) with the dictionaries of --tagdict-sweep, then, unless OUT
 * is "-", MODEL with the dictionary of --tagdict-min and -share written
 * to OUT: the bytes the full training run writes, as the dictionary is
 * the file's last table and changes nothing else. */
static void
tagdict_model(const char *path, corpus *train, corpus *dev, const char *out)
{
	char err[512];
	sr_syntax *m = sr_syntax_load(path, err, sizeof err);
	if (!m)
		die("%s", err);
	if (m->tdict.keys)
		die("%s: the model has a tag dictionary already", path);
	features_for(dev, &m->amb, &m->clu);
	size_t words = 0;
	for (size_t s = 0; s < dev->n; s++)
		words += (size_t)dev->s[s].n;
	for (const char *q = tdict_sweep; q && *q;) {
		int mn = atoi(q);
		const char *c = strchr(q, ':');
		double sh = c ? atof(c + 1) : tdict_share;
		umap d = {0};
		collect_tdict(train, (uint32_t)(mn > 0 ? mn : 1), sh, &d);
		m->tdict = d.n ? (sy_map){d.keys, d.vals, d.cap - 1} : (sy_map){0};
		size_t cov = 0;
		uint32_t v;
		for (size_t s = 0; s < dev->n; s++)
			for (int i = 0; i < dev->s[s].n; i++)
				cov += sy_map_get(&m->tdict, dev->s[s].wf[i].form, &v);
		double sc[3];
		evaluate(m, dev, sc);
		printf("tag dictionary %d:%.4f: %zu words, %.4f of dev words; dev UPOS %.4f UAS %.4f LAS %.4f\n",
		       mn, sh, d.n, (double)cov / (double)words, sc[2], sc[0], sc[1]);
		fflush(stdout);
		umap_free(&d);
		q = strchr(q, ',');
		q = q ? q + 1 : NULL;
	}
	m->tdict = (sy_map){0};
	sr_syntax_free(m);
	if (!strcmp(out, "-"))
		return;
	FILE *in = fopen(path, "rb");
	if (!in)
		die("%s: cannot open", path);
	FILE *f = fopen(out, "wb");
	if (!f)
		die("%s: cannot write", out);
	char buf[1 << 16];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, f) != got)
			die("%s: write error", out);
	if (ferror(in))
		die("%s: read error", path);
	fclose(in);
	collect_tdict(train, (uint32_t)tdict_min, tdict_share, &tdict);
	put_map(f, "TDKY", "TDVL", &tdict);
	if (fclose(f))
		die("%s: write error", out);
	say("wrote %s with a tag dictionary of %zu words", out, tdict.n);
}

int
main(int argc, char **argv)
{
	t_start = now_s();
	if (argc >= 2 && !strcmp(argv[1], "--cut-text")) {
		/* the running text of the word classes as text.c reads and
		   cuts it, a sentence a line (tests/syntax/text-rules) */
		cl_text *txt = cl_new();
		tx_stats ts = {.dump = stdout};
		for (int i = 2; i < argc; i++)
			if (tx_add_path(txt, argv[i], &ts) < 0)
				die("%s: cannot be read", argv[i]);
		cl_free(txt);
		fprintf(stderr, "train-syntax: %zu files (%zu skipped), %zu reports, %zu sentences, %zu words\n",
			ts.files, ts.skipped, ts.reports, ts.sentences, ts.words);
		return fflush(stdout) ? 1 : 0;
	}
	if (argc == 4 && !strcmp(argv[1], "--classes-from-model")) {
		/* the word classes of a model, as a classes file */
		char err[512];
		sr_syntax *m = sr_syntax_load(argv[2], err, sizeof err);
		if (!m)
			die("%s", err);
		if (!m->clu.keys)
			die("%s: the model holds no word classes", argv[2]);
		char origin[600];
		snprintf(origin, sizeof origin, "taken from the model %s (train-syntax --classes-from-model)", argv[2]);
		write_classes(argv[3], m->clu.keys, m->clu.vals, m->clu.mask + 1, origin);
		sr_syntax_free(m);
		return 0;
	}
	const char *args[3];
	int na = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strncmp(a, "--tag-epochs=", 13))
			tag_epochs = atoi(a + 13);
		else if (!strncmp(a, "--parse-epochs=", 15))
			parse_epochs = atoi(a + 15);
		else if (!strncmp(a, "--folds=", 8))
			folds = atoi(a + 8);
		else if (!strncmp(a, "--explore-from=", 15))
			explore_from = atoi(a + 15);
		else if (!strncmp(a, "--explore-p=", 12))
			explore_p = atof(a + 12);
		else if (!strncmp(a, "--prune-tag=", 12))
			prune_tag = atoi(a + 12);
		else if (!strncmp(a, "--prune-parse=", 14))
			prune_parse = atoi(a + 14);
		else if (!strncmp(a, "--clusters=", 11)) {
			clu_fine = atoi(a + 11);
			const char *c = strchr(a + 11, ',');
			clu_coarse = c ? atoi(c + 1) : clu_fine / 8;
		} else if (!strncmp(a, "--cluster-min=", 14))
			clu_min = atoi(a + 14);
		else if (!strncmp(a, "--text=", 7)) {
			if (ntexts == (int)SR_ARRAY_LEN(texts))
				die("more than %zu --text options", SR_ARRAY_LEN(texts));
			texts[ntexts++] = a + 7;
		} else if (!strncmp(a, "--text-dump=", 12))
			text_dump = a + 12;
		else if (!strncmp(a, "--classes=", 10))
			classes_in = a + 10;
		else if (!strncmp(a, "--classes-out=", 14))
			classes_out = a + 14;
		else if (!strncmp(a, "--prune-sweep=", 14))
			prune_sweep = a + 14;
		else if (!strncmp(a, "--ablate=", 9))
			ablate_model = a + 9;
		else if (!strncmp(a, "--tagdict-min=", 14))
			tdict_min = atoi(a + 14);
		else if (!strncmp(a, "--tagdict-share=", 16))
			tdict_share = atof(a + 16);
		else if (!strncmp(a, "--tagdict-from=", 15))
			tdict_from = a + 15;
		else if (!strncmp(a, "--tagdict-sweep=", 16))
			tdict_sweep = a + 16;
		else if (!strncmp(a, "--parsers=", 10))
			nparsers = atoi(a + 10);
		else if (!strcmp(a, "--no-projectivize"))
			projective = 0;
		else if (!strcmp(a, "--eval-each"))
			eval_each = 1;
		else if (!strcmp(a, "-q"))
			verbose = 0;
		else if (!strcmp(a, "-v"))
			verbose = 2;
		else if (a[0] == '-' && a[1])
			die("unknown option %s", a);
		else if (na < 3)
			args[na++] = a;
		else
			die("too many arguments");
	}
	if (na != 3 || folds < 2 || tag_epochs < 1 || parse_epochs < 1) {
		fprintf(stderr, "usage: train-syntax [--tag-epochs=N] [--parse-epochs=N] [--folds=K] [--parsers=N]\n"
			"                    [--explore-from=E] [--explore-p=P] [--prune-tag=Q] [--prune-parse=Q]\n"
			"                    [--clusters=FINE,COARSE] [--cluster-min=N] [--text=PATH]... [--text-dump=FILE]\n"
			"                    [--classes=FILE | --classes-out=FILE]\n"
			"                    [--prune-sweep=Q,Q...] [--no-projectivize]\n"
			"                    [--tagdict-min=N] [--tagdict-share=S]\n"
			"                    [--eval-each] [-q|-v] TRAIN.conllu DEV.conllu OUT.model\n"
			"       train-syntax --ablate=MODEL TRAIN.conllu DEV.conllu -\n"
			"       train-syntax --tagdict-from=MODEL [--tagdict-sweep=MIN:SHARE,...]\n"
			"                    [--tagdict-min=N] [--tagdict-share=S] TRAIN.conllu DEV.conllu OUT|-\n"
			"       train-syntax --cut-text PATH...   (the word classes' text, a sentence a line)\n"
			"       train-syntax --classes-from-model MODEL FILE\n");
		return 2;
	}
	corpus train = {0}, dev = {0};
	read_corpus(args[0], &train, true);
	read_corpus(args[1], &dev, false);
	if (ablate_model) {
		ablate(ablate_model, &dev);
		return 0;
	}
	say("read %zu sentences (%zu words) to train on, %zu (%zu words) of dev",
	    train.n, train.words, dev.n, dev.words);
	collect_classes(&train);
	classes_for(&dev);
	say("%u tag classes, %u relations", ntags, nlabels);
	if (tdict_from) {
		tagdict_model(tdict_from, &train, &dev, args[2]);
		return 0;
	}
	collect_tdict(&train, (uint32_t)tdict_min, tdict_share, &tdict);
	if (tdict.n)
		tdictm = (sy_map){tdict.keys, tdict.vals, tdict.cap - 1};
	say("tag dictionary: %zu words seen %d times or more, %.1f%% of them or more with one class",
	    tdict.n, tdict_min, 100 * tdict_share);
	if (classes_in && !classes_out) {
		read_classes(classes_in);
		clum = (sy_map){clus.keys, clus.vals, clus.cap - 1};
		say("word classes: %zu words, read from %s", clus.n, classes_in);
	} else if (clu_fine > 0 && clu_coarse > 0) {
		/* word classes from the running text of --text and the words
		   of the training sentences (their trees unused) */
		if (clu_fine > 0xfffe || clu_coarse > 0xfffe)
			die("--clusters: at most 65534 classes");
		cl_text *txt = cl_new();
		tx_stats ts = {0};
		if (text_dump && !(ts.dump = fopen(text_dump, "w")))
			die("%s: cannot write", text_dump);
		for (int i = 0; i < ntexts; i++)
			if (tx_add_path(txt, texts[i], &ts) < 0)
				die("%s: cannot be read (the word classes are learned from it)", texts[i]);
		if (ts.dump && fclose(ts.dump))
			die("%s: cannot write", text_dump);
		say("running text: %zu files (%zu skipped), %zu reports, %zu sentences, %zu words",
		    ts.files, ts.skipped, ts.reports, ts.sentences, ts.words);
		for (size_t s = 0; s < train.n; s++) {
			const char *forms[SR_MAX_PARSE_WORDS];
			size_t lens[SR_MAX_PARSE_WORDS];
			size_t n = (size_t)train.s[s].n < SR_MAX_PARSE_WORDS ? (size_t)train.s[s].n : SR_MAX_PARSE_WORDS;
			for (size_t i = 0; i < n; i++) {
				forms[i] = train.s[s].w[i].form;
				lens[i] = strlen(forms[i]);
			}
			cl_add_sentence(txt, forms, lens, n);
		}
		uint64_t *ck;
		uint32_t *cv;
		size_t nc = cl_learn(txt, (uint32_t)clu_fine, (uint32_t)clu_coarse, (uint32_t)clu_min,
				     20, &ck, &cv);
		for (size_t i = 0; i < nc; i++) {
			bool fresh;
			*umap_put(&clus, ck[i], &fresh) = cv[i];
		}
		clum = (sy_map){clus.keys, clus.vals, clus.cap ? clus.cap - 1 : 0};
		say("word classes: %zu words (seen %d times or more in %zu words of running text: %zu reports and the training sentences) in %d and %d classes",
		    nc, clu_min, cl_words(txt), ts.reports, clu_fine, clu_coarse);
		size_t nwords = cl_words(txt);
		free(ck);
		free(cv);
		cl_free(txt);
		if (classes_out) {
			uint64_t *k;
			uint32_t *v;
			size_t ns = map_table(&clus, &k, &v);
			char origin[200];
			snprintf(origin, sizeof origin,
				 "learned from %zu words of running text (tools/train/text.c) and the training sentences, %d and %d classes",
				 nwords, clu_fine, clu_coarse);
			write_classes(classes_out, k, v, ns, origin);
			free(k);
			free(v);
			say("wrote %s", classes_out);
			exit(0);
		}
	}

	/* jackknifed tags for the parser: each fold tagged by a tagger (and
	   ambiguity classes) learned from the other folds */
	ap a;
	double acc = 0;
	for (int k = 0; k < folds; k++) {
		collect_amb(&train, k, &amb);
		sy_map ambk = {amb.keys, amb.vals, amb.cap - 1};
		features_for(&train, &ambk, &clum);
		train_tagger(&a, &train, k, tag_epochs);
		packed p;
		ap_pack(&a, &p, prune_tag);
		acc += tag_with(&p.w, &train, k);
		packed_free(&p);
		ap_free(&a);
	}
	say("jackknifed tags (%d folds): UPOS %.4f", folds, acc / folds);
	uint16_t **jack = sr_malloc(train.n * sizeof *jack);
	for (size_t s = 0; s < train.n; s++) {
		jack[s] = sr_malloc((size_t)train.s[s].n * sizeof **jack);
		memcpy(jack[s], train.s[s].pred, (size_t)train.s[s].n * sizeof **jack);
	}

	/* the tagger on all of train */
	collect_amb(&train, -1, &amb);
	sy_map ambm = {amb.keys, amb.vals, amb.cap - 1};
	features_for(&train, &ambm, &clum);
	features_for(&dev, &ambm, &clum);
	say("%zu words with an ambiguity class", amb.n);
	train_tagger(&a, &train, -1, tag_epochs);
	packed tagp;
	ap_pack(&a, &tagp, prune_tag);
	ap_free(&a);
	sr_syntax view;
	model_view(&view, &tagp, NULL, &amb);
	say("tagger: %zu features kept, %zu dropped; dev UPOS %.4f", tagp.nrows, tagp.dropped,
	    tag_with(&view.tagw, &dev, -1));

	for (size_t s = 0; s < train.n; s++) {
		memcpy(train.s[s].pred, jack[s], (size_t)train.s[s].n * sizeof **jack);
		free(jack[s]);
	}
	free(jack);

	ap pa;
	train_parser(&pa, &train, &dev, &view);
	ap_finalize(&pa);
	for (int k = 1; k < nparsers; k++) {
		ap pb;
		say("parser %d of %d (another shuffle), mixed with the first", k + 1, nparsers);
		train_parser(&pb, &train, &dev, &view);
		ap_finalize(&pb);
		ap_add(&pa, &pb);
		ap_free(&pb);
	}
	if (prune_sweep) {
		/* dev scores and sizes for other pruning levels of the same
		   parser (the model written keeps --prune-parse) */
		for (const char *q = prune_sweep; *q;) {
			int lvl = atoi(q);
			packed pq;
			ap_pack(&pa, &pq, lvl);
			model_view(&view, &tagp, &pq, &amb);
			double sq[3];
			evaluate(&view, &dev, sq);
			say("prune %d: %zu rows, %zu entries; dev UAS %.4f LAS %.4f", lvl, pq.nrows,
			    pq.nents, sq[0], sq[1]);
			packed_free(&pq);
			q = strchr(q, ',');
			if (!q)
				break;
			q++;
		}
	}
	packed parp;
	ap_pack(&pa, &parp, prune_parse);
	ap_free(&pa);
	model_view(&view, &tagp, &parp, &amb);
	double sc[3];
	evaluate(&view, &dev, sc);
	say("parser: %zu features kept, %zu dropped; dev UPOS %.4f UAS %.4f LAS %.4f",
	    parp.nrows, parp.dropped, sc[2], sc[0], sc[1]);

	strpool pool = {0};
	str_add(&pool, "");
	lemmas L = {0};
	learn_lemmas(&train, &pool, &L);
	umap hyph = {0};
	learn_hyphens(&train, &hyph);
	say("lemmas: %zu rules, %zu suffixes, %zu exceptions; %zu hyphenated first parts kept whole",
	    L.nrules, L.lemr.n, L.lemx.n, hyph.n);

	FILE *f = fopen(args[2], "wb");
	if (!f)
		die("%s: cannot write", args[2]);
	fwrite(SY_MAGIC, 1, 8, f);
	uint32_t hdr[2] = {SY_VERSION, 0};
	fwrite(hdr, 4, 2, f);
	uint32_t conf[4] = {ntags, (uint32_t)nxpos, nlabels, 0};
	put_blob(f, "CONF", conf, sizeof conf);
	uint8_t tags[2 * SY_MAX_TAGS];
	memcpy(tags, tag_upos, ntags);
	memcpy(tags + ntags, tag_xpos, ntags);
	put_blob(f, "TAGS", tags, 2 * ntags);
	sr_buf xb = {0};
	for (int i = 0; i < nxpos; i++)
		sr_buf_add(&xb, xpos_names[i], strlen(xpos_names[i]) + 1);
	put_blob(f, "XPOS", xb.ptr, xb.len);
	put_blob(f, "LABS", labels, nlabels);
	put_map(f, "AMBK", "AMBV", &amb);
	put_blob(f, "TGFP", tagp.fps, tagp.nrows * sizeof *tagp.fps);
	put_blob(f, "TGEN", tagp.ents, tagp.nents * sizeof *tagp.ents);
	put_blob(f, "PAFP", parp.fps, parp.nrows * sizeof *parp.fps);
	put_blob(f, "PAEN", parp.ents, parp.nents * sizeof *parp.ents);
	put_map(f, "LXKY", "LXVL", &L.lemx);
	put_map(f, "LRKY", "LRVL", &L.lemr);
	put_blob(f, "RULE", L.rules, L.nrules * sizeof *L.rules);
	put_blob(f, "STRS", pool.b.ptr, pool.b.len);
	put_map(f, "HYKY", "HYVL", &hyph);
	put_map(f, "CLKY", "CLVL", &clus);
	/* last, so that --tagdict-from writes the same bytes */
	put_map(f, "TDKY", "TDVL", &tdict);
	if (fclose(f))
		die("%s: write error", args[2]);
	say("wrote %s", args[2]);
	return 0;
}
