/*
 * lemmas.h -- the lemma rules and exceptions and the hyphenated words
 * kept whole, as the syntax trainer learns them (lemmas.c).
 */
#ifndef SR_TRAIN_LEMMAS_H
#define SR_TRAIN_LEMMAS_H

#include "treebank.h"
#include "umap.h"

/* The model's string pool: each string once. */
typedef struct strpool {
	sr_buf b;
	umap idx;   /* hash -> offset */
} strpool;

/* Adds s to the pool (once); returns its offset. */
uint32_t str_add(strpool *p, const char *s);

/* What the model learns for lemmas: rules[] and the two maps. */
typedef struct lemmas {
	uint32_t *rules;
	size_t nrules, caprules;
	umap rule_idx;          /* rule -> index */
	umap lemr;              /* hash(xpos, suffix) -> rule index */
	umap lemx;              /* hash(form, xpos) -> string offset */
} lemmas;

/* Learns the lemma rules and exceptions of the treebank c into L, their
 * strings into p. */
void learn_lemmas(const corpus *c, strpool *p, lemmas *L);

/* First parts of hyphenated words the treebank keeps whole more often
 * than it splits them ("e-mail", "co-workers", "non-profit"), as
 * sy_amb_key keys in keep. */
void learn_hyphens(const corpus *c, umap *keep);

#endif /* SR_TRAIN_LEMMAS_H */
