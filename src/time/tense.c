/*
 * tense.c -- the tense of a clause, as the time tagger reads it: past,
 * present or future, from auxiliaries, modals, participles and the verbs
 * around a time expression.  It decides the direction of weekdays, bare
 * months and seasons ("left on Monday" is the Monday before, "will leave
 * on Monday" the one after).  Split from grammar.c, which recognizes the
 * expressions themselves.
 */
#include "time_int.h"
#include "taccess.h"

#define T(i) (&s->t[(i)])
/* ----------------------------------------------------------------- tense */

/* The tense cue at token k: SR_TENSE_* or 0. */
static int
cue(const tsent *s, size_t k)
{
	const tw *t = T(k);
	if (t->k != TW_ALPHA)
		return 0;
	/* a participle after is/are/be is passive, not past */
	int passive = k > 0 && (T(k - 1)->cls == C_TENSE && (T(k - 1)->lv == T_PRES || T(k - 1)->lv == T_BE ||
							       T(k - 1)->lv == T_INF_FUT));
	if (t->cls == C_TENSE) {
		switch (t->lv) {
		case T_FUT: return SR_TENSE_FUTURE;
		case T_MODAL_FUT:
			if (!strcmp(t->w, "going"))
				return idat(s, k + 1) == W_TO ? SR_TENSE_FUTURE : 0;
			return SR_TENSE_FUTURE;
		case T_PAST: return SR_TENSE_PAST;
		case T_PERF: return SR_TENSE_PAST;
		case T_PRES:
			/* "is to resume trading Tuesday" */
			if (idat(s, k + 1) == W_TO)
				return SR_TENSE_FUTURE;
			return SR_TENSE_PRESENT;
		case T_INF_FUT:
			/* "to be paid", "could be" */
			if (k > 0 && (idat(s, k - 1) == W_TO || word(s, k - 1, "may") ||
				      word(s, k - 1, "might") || word(s, k - 1, "should") || word(s, k - 1, "must")))
				return SR_TENSE_FUTURE;
			return 0;
		case T_PASTV:
			return passive ? 0 : SR_TENSE_PAST;
		case T_FUTV:
			/* "had been due to expire Friday": a plan that is past */
			if (k > 0 && (word(s, k - 1, "had") || (k > 1 && word(s, k - 1, "been") && word(s, k - 2, "had"))))
				return SR_TENSE_PAST;
			if (idat(s, k + 1) == W_TO)
				return SR_TENSE_FUTURE;
			/* "planned a demonstration on Saturday", "has scheduled a
			   news conference Thursday" */
			if (!strncmp(t->w, "plan", 4) || !strcmp(t->w, "scheduled")) {
				int d = idat(s, k + 1);
				if (d == W_A || d == W_AN || d == W_THE)
					return SR_TENSE_FUTURE;
			}
			return 0;
		default: return 0;
		}
	}
	if (t->id || t->cls)
		return 0;
	const char *w = t->w;
	size_t l = strlen(w);
	if (l >= 5 && w[l - 2] == 'e' && w[l - 1] == 'd' && w[l - 3] != 'e') {
		if (passive)
			return 0;
		/* an adjective before a noun ("armored vehicles") is no verb:
		   after a determiner */
		if (k > 0 && (T(k - 1)->id == W_THE || T(k - 1)->id == W_A || T(k - 1)->id == W_AN))
			return 0;
		return SR_TENSE_PAST;
	}
	return 0;
}

static int clause_tense(const tsent *s, size_t i, size_t j);

/* Is token j a possessive ending glued to the word before ('s, ’s)? */
static int
possessive(const tsent *s, size_t j)
{
	if (!has(s, j) || !glued(s, j))
		return 0;
	if (punct(s, j, '\'') && glued(s, j + 1) && word(s, j + 1, "s"))
		return 1;
	return word(s, j, "\xe2\x80\x99s");
}

int
tgram_tense(const tsent *s, size_t i, size_t j)
{
	/* "until mid-November", "by May": a limit, usually ahead (the
	   nearer one) unless the clause says it is ahead ("will ... by
	   August") */
	if (i > 0 && (idat(s, i - 1) == W_UNTIL || idat(s, i - 1) == W_TILL || idat(s, i - 1) == W_BY))
		return clause_tense(s, i, j) == SR_TENSE_FUTURE ? SR_TENSE_FUTURE : SR_TENSE_PRESENT;
	/* "Wednesday's ruling", "Friday's close": news names a day's
	   event by its day once it has happened */
	if (j > i && (T(j - 1)->cls == C_WDAY || T(j - 1)->cls == C_WDABBR) && possessive(s, j))
		return SR_TENSE_PAST;
	return clause_tense(s, i, j);
}

static int
clause_tense(const tsent *s, size_t i, size_t j)
{
	/* a verb right after the expression governs it: "a court Thursday
	   refused", "Clinton Saturday vowed" */
	size_t r = j < s->n && punct(s, j, ',') ? j + 1 : j;
	if (r < s->n && i > 0) {
		int c = cue(s, r);
		if (c)
			return c;
	}
	/* the nearest cue before the expression, in its clause */
	for (size_t k = i; k-- > 0;) {
		if (punct(s, k, ';') || (punct(s, k, ',') && k + 1 < i && T(k + 1)->id == W_AND && 0))
			break;
		int c = cue(s, k);
		if (c)
			return c;
	}
	for (size_t k = j; k < s->n; k++) {
		if (punct(s, k, ';'))
			break;
		int c = cue(s, k);
		if (c)
			return c;
	}
	return SR_TENSE_NONE;
}
