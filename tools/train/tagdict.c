/*
 * tagdict.c -- which words the tagger need not score.
 *
 * Many running words are a few frequent ones ("the", ",", "and", "at")
 * that the treebank tags one way nearly always; the tagger reads about
 * forty features for each and nearly always agrees.  The trainer counts
 * the tag classes of every word form of the training set, and a form
 * seen at least min times whose commonest class has at least a given
 * share goes into the model's tag dictionary: sy_tag gives it that class
 * without scoring (as Honnibal's averaged perceptron tagger, NLTK's
 * PerceptronTagger, does for words seen 20 times with one tag 97% of the
 * time).  The form is taken as written, so "US" and "us" are different
 * words.
 */
#include "syntax/syntax_int.h"
#include "tagdict.h"

struct td_counts {
	umap idx;                       /* key -> word index */
	uint64_t *keys;                 /* [n]: in order of first count */
	uint32_t (*cnt)[SY_MAX_TAGS];   /* [n] */
	size_t n, cap;
};

td_counts *
td_new(void)
{
	return sr_calloc(1, sizeof(td_counts));
}

void
td_free(td_counts *c)
{
	if (!c)
		return;
	umap_free(&c->idx);
	free(c->keys);
	free(c->cnt);
	free(c);
}

void
td_add(td_counts *c, uint64_t key, uint32_t tag)
{
	if (tag >= SY_MAX_TAGS)
		return;
	bool fresh;
	uint32_t *v = umap_put(&c->idx, key, &fresh);
	if (fresh) {
		if (c->n == c->cap) {
			c->cap = c->cap ? c->cap * 2 : 1024;
			c->keys = sr_realloc(c->keys, c->cap * sizeof *c->keys);
			c->cnt = sr_realloc(c->cnt, c->cap * sizeof *c->cnt);
		}
		c->keys[c->n] = key;
		memset(c->cnt[c->n], 0, sizeof c->cnt[c->n]);
		*v = (uint32_t)c->n++;
	}
	c->cnt[*v][tag]++;
}

size_t
td_pick(const td_counts *c, uint32_t min, double share, umap *out)
{
	umap_free(out);
	for (size_t i = 0; i < c->n; i++) {
		uint32_t total = 0, top = 0, best = 0;
		for (uint32_t t = 0; t < SY_MAX_TAGS; t++) {
			total += c->cnt[i][t];
			if (c->cnt[i][t] > top) {
				top = c->cnt[i][t];
				best = t;
			}
		}
		/* integer test of top / total >= share, the same on every
		   machine */
		if (total < min || (uint64_t)top * 1000000 < (uint64_t)(share * 1000000 + 0.5) * total)
			continue;
		bool fresh;
		*umap_put(out, c->keys[i], &fresh) = best + 1;
	}
	return out->n;
}
