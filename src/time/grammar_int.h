/*
 * grammar_int.h -- what the two files of the time grammar share.  The
 * rules for dates, calendar periods, times of day and the dispatcher live
 * in grammar.c; the cardinals, durations and offsets in grammar_durations.c.
 * The small token helpers both call at nearly every token are defined
 * here, static inline, so that splitting the file costs no call; only
 * grammar.c and grammar_durations.c include this header.
 */
#ifndef SR_GRAMMAR_INT_H
#define SR_GRAMMAR_INT_H

#include "time_int.h"
#include "taccess.h"

#include <stdio.h>

/* token i of the sentence s in scope */
#define T(i) (&s->t[(i)])

static inline int
unit_at(const tsent *s, size_t i, int *plural)
{
	if (clsat(s, i) != C_UNIT)
		return 0;
	int lv = T(i)->lv;
	if (plural)
		*plural = lv >= 100;
	return lv % 100;
}

/* a plain number token (no suffix, no separators) */
static inline int
num_plain(const tsent *s, size_t i)
{
	return i < s->n && s->t[i].k == TW_NUM && !s->t[i].sfx && !s->t[i].apos && !s->t[i].comma &&
	       s->t[i].v >= 0;
}

static inline int
year_tok(const tsent *s, size_t i)
{
	return num_plain(s, i) && T(i)->nd == 4 && T(i)->v >= 1000 && T(i)->v <= 2999 &&
	       !(has(s, i + 1) && glued(s, i + 1) && (punct(s, i + 1, '%') || T(i + 1)->k == TW_ALPHA));
}

static inline void
setmod(tspec *sp, const char *m)
{
	snprintf(sp->mod, sizeof sp->mod, "%s", m);
}

/* Empties a spec field by field: the rules run many times per sentence
 * and a whole-struct memset (a `rep stos`) cost more than all of them.
 * The strings only need their first byte. */
static inline void
spec_init(tspec *sp)
{
	sp->type = SR_TIMEX_DATE;
	sp->rel = 0;
	sp->t = (tdate){.y = TY_UNKNOWN};
	sp->unit = sp->n = sp->dayn = sp->text_ref = sp->dir = sp->wd = sp->pod = 0;
	sp->hh = -1;
	sp->mi = 0;
	sp->quarterish = 0;
	sp->dur[0] = 0;
	sp->mod[0] = 0;
}

/* Granularity of a calendar unit. */
static inline int
unit_gran(int u)
{
	switch (u) {
	case U_DAY: case U_NIGHT: return G_DAY;
	case U_WEEK: case U_WEEKEND: case U_FORTNIGHT: return G_WEEK;
	case U_MONTH: return G_MONTH;
	case U_QUARTER: return G_QUARTER;
	case U_HALF: return G_HALF;
	case U_YEAR: return G_YEAR;
	case U_DECADE: return G_DECADE;
	case U_CENTURY: return G_CENTURY;
	case U_SEASON: return G_SEASON;
	default: return G_NONE;
	}
}

/* grammar_durations.c: each rule returns the index past its last token,
 * 0 for no match; tgram_approx_prefix returns i when there is no prefix */
size_t tgram_card(const tsent *s, size_t i, long *v, int allow_a, int vague);
void tgram_dur_value(char *out, size_t cap, long n, int u);
size_t tgram_approx_prefix(const tsent *s, size_t i, tspec *sp);
size_t tgram_r_duration(const tsent *s, size_t i, tspec *sp);
size_t tgram_r_bare_units(const tsent *s, size_t i, tspec *sp);
size_t tgram_r_offset(const tsent *s, size_t i, const tspec *dur, size_t e, tspec *sp);

#endif
