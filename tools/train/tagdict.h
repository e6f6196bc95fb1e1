/*
 * tagdict.h -- the tag dictionary for the syntax trainer: the words the
 * treebank gives one tag class so often and so surely that the tagger
 * need not score them (tagdict.c says how they are chosen).
 */
#ifndef SR_TRAIN_TAGDICT_H
#define SR_TRAIN_TAGDICT_H

#include "umap.h"

/* Counts of tag classes by word.  Owned by the caller; free with
 * td_free. */
typedef struct td_counts td_counts;

td_counts *td_new(void);
void td_free(td_counts *c);

/* Counts one occurrence of the word of key `key` (its form's hash,
 * sy_wfeat.form) with tag class `tag` (< SY_MAX_TAGS). */
void td_add(td_counts *c, uint64_t key, uint32_t tag);

/* Puts into out (emptied first) key -> tag class + 1 for every word seen
 * at least min times whose commonest class has at least the share
 * `share` of them, in the order the words were first counted; returns
 * how many. */
size_t td_pick(const td_counts *c, uint32_t min, double share, umap *out);

#endif /* SR_TRAIN_TAGDICT_H */
