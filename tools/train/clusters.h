/*
 * clusters.h -- word classes from unlabeled text for the syntax trainer
 * (clusters.c says how they are learned).
 */
#ifndef SR_TRAIN_CLUSTERS_H
#define SR_TRAIN_CLUSTERS_H

#include <stddef.h>
#include <stdint.h>

/* Running text as word keys (sy_amb_key), sentence by sentence. */
typedef struct cl_text cl_text;

/* A new, empty text.  Owned by the caller; free with cl_free. */
cl_text *cl_new(void);
void cl_free(cl_text *t);

/* Appends one sentence of n words. */
void cl_add_sentence(cl_text *t, const char *const *forms, const size_t *lens, size_t n);

/* Words in the text (sentence boundaries not counted). */
size_t cl_words(const cl_text *t);

/* Learns the classes of the words seen min_count times or more: a fine
 * clustering of `fine` classes and a coarse one of `coarse`, each by at
 * most iters passes of the exchange algorithm.  Returns their number and
 * sets *keys (word keys) and *vals (fine class + 1 in the low 16 bits,
 * coarse class + 1 in the high 16), both malloc'ed, owned by the caller. */
size_t cl_learn(const cl_text *t, uint32_t fine, uint32_t coarse, uint32_t min_count,
		int iters, uint64_t **keys, uint32_t **vals);

#endif /* SR_TRAIN_CLUSTERS_H */
