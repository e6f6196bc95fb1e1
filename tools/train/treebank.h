/*
 * treebank.h -- a treebank as the syntax trainer holds it: sentences of
 * words with their gold tags, heads and relations (read by
 * train-syntax.c from CoNLL-U), shared by the files of tools/train.
 */
#ifndef SR_TRAIN_TREEBANK_H
#define SR_TRAIN_TREEBANK_H

#include "syntax/syntax_int.h"

typedef struct tword {
	char *form, *lemma;
	uint8_t upos, xpos, dep;
	int16_t head;           /* 0-based, -1 root */
	bool space_after;
	uint16_t tag;           /* joint class */
} tword;

typedef struct tsent {
	tword *w;
	int n;
	sy_wfeat *wf;
	uint16_t *pred;         /* jackknifed / predicted tags */
} tsent;

typedef struct corpus {
	tsent *s;
	size_t n, cap;
	size_t words;
} corpus;

#endif /* SR_TRAIN_TREEBANK_H */
