/*
 * memo.c -- class-score sums kept across sentences.
 *
 * Many of the classifiers' features read one word alone: the tagger's
 * word, its affixes, shape and classes; the parser's word in one role
 * (the stack top with no children yet, the buffer front, ...).  Their
 * keys, and so the sum of their rows, depend only on a few values of
 * that word, which repeat all the time in running text ("the", "said",
 * "forces").  A memo keeps such sums in a small direct-mapped table
 * keyed by those values, so that a frequent word costs one vector add
 * instead of a dozen or more row lookups.
 *
 * Exact by construction: a slot holds the values its sum was made from
 * and answers only for the very same values, which give the very same
 * keys; the sums are integer sums, so a kept sum added to the rest is
 * the same number as every row added one by one.  A table belongs to
 * one parser (one thread) and one model.
 */
#include "syntax_int.h"

#include <stdlib.h>

void
sy_memo_init(sy_memo *mo, size_t slots, size_t nval)
{
	size_t n = 1;
	while (n < slots)
		n *= 2;
	mo->mask = n - 1;
	mo->nval = nval;
	/* empty slots: every value all ones, which no last value is */
	mo->vals = sr_malloc(n * nval * sizeof *mo->vals);
	memset(mo->vals, 0xff, n * nval * sizeof *mo->vals);
	size_t bytes = n * SY_SCORES * sizeof *mo->sums;
	mo->sums = aligned_alloc(64, (bytes + 63) & ~(size_t)63);
	if (!mo->sums)
		sr_oom(bytes);
	/* not read before written, but keep the memory defined */
	memset(mo->sums, 0, bytes);
}

void
sy_memo_free(sy_memo *mo)
{
	if (!mo)
		return;
	free(mo->vals);
	free(mo->sums);
	mo->vals = NULL;
	mo->sums = NULL;
}

void
sy_pmemo_init(sy_pmemo *pm)
{
	sy_memo_init(&pm->a0, SY_PARSE_MEMO_SLOTS, SY_PARSE_MEMO_VALS);
	sy_memo_init(&pm->d0, SY_PARSE_MEMO_SLOTS, SY_PARSE_MEMO_VALS);
	sy_memo_init(&pm->e0, SY_PARSE_MEMO_SLOTS, SY_PARSE_MEMO_VALS);
	sy_memo_init(&pm->b0, SY_PARSE_MEMO_SLOTS, SY_PARSE_MEMO_VALS);
	sy_memo_init(&pm->b1, SY_PARSE_MEMO_SLOTS, SY_PARSE_MEMO_VALS);
}

void
sy_pmemo_free(sy_pmemo *pm)
{
	if (!pm)
		return;
	sy_memo_free(&pm->a0);
	sy_memo_free(&pm->d0);
	sy_memo_free(&pm->e0);
	sy_memo_free(&pm->b0);
	sy_memo_free(&pm->b1);
}
