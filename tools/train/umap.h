/*
 * umap.h -- a growable map from nonzero 64-bit keys (well mixed) to
 * uint32 values, open addressing, for the training tools (train-syntax.c,
 * clusters.c).  A map is zero-initialized; umap_put returns the value's
 * slot (0 when *fresh), valid until the next put; umap_free releases it.
 */
#ifndef SR_TRAIN_UMAP_H
#define SR_TRAIN_UMAP_H

#include "sr_internal.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct umap {
	uint64_t *keys;
	uint32_t *vals;
	size_t cap, n;
} umap;

static inline uint32_t *
umap_put(umap *m, uint64_t key, bool *fresh)
{
	if ((m->n + 1) * 2 > m->cap) {
		umap old = *m;
		m->cap = old.cap ? old.cap * 2 : 1024;
		m->keys = sr_calloc(m->cap, sizeof *m->keys);
		m->vals = sr_calloc(m->cap, sizeof *m->vals);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i]) {
				bool f;
				*umap_put(m, old.keys[i], &f) = old.vals[i];
			}
		free(old.keys);
		free(old.vals);
	}
	for (size_t i = key & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key) {
			*fresh = false;
			return &m->vals[i];
		}
		if (!m->keys[i]) {
			m->keys[i] = key;
			m->vals[i] = 0;
			m->n++;
			*fresh = true;
			return &m->vals[i];
		}
	}
}

static inline uint32_t *
umap_find(const umap *m, uint64_t key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = key & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (m->keys[i] == key)
			return &m->vals[i];
		if (!m->keys[i])
			return NULL;
	}
}

static inline void
umap_free(umap *m)
{
	free(m->keys);
	free(m->vals);
	memset(m, 0, sizeof *m);
}

#endif /* SR_TRAIN_UMAP_H */
