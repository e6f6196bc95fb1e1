/*
 * taccess.h -- bounds-checked access to the micro-tokens of a sentence,
 * shared by the grammar (grammar.c, grammar_durations.c) and the tense reader
 * (tense.c).
 */
#ifndef SR_TACCESS_H
#define SR_TACCESS_H

#include "time_int.h"

#include <string.h>

static inline int
has(const tsent *s, size_t i)
{
	return i < s->n;
}

static inline int
idat(const tsent *s, size_t i)
{
	return i < s->n ? s->t[i].id : -1;
}

static inline int
clsat(const tsent *s, size_t i)
{
	return i < s->n ? s->t[i].cls : -1;
}

static inline int
punct(const tsent *s, size_t i, char c)
{
	return i < s->n && s->t[i].k == TW_PUNCT && s->t[i].w[0] == c;
}

/* token i follows token i-1 without a space */
static inline int
glued(const tsent *s, size_t i)
{
	return i < s->n && !s->t[i].sp;
}

static inline int
word(const tsent *s, size_t i, const char *w)
{
	return i < s->n && s->t[i].k == TW_ALPHA && !strcmp(s->t[i].w, w);
}

#endif
