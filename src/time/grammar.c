/*
 * grammar.c -- recognizes time expressions in a sentence's micro-tokens
 * and says what they mean, before any calendar is consulted: "last
 * Friday" is a weekday with direction -1, "two days later" an offset of
 * +2 days from the last date of the text, "Feb. 23" a month and day
 * whose year the resolver (times.c) picks from the tense.
 *
 * Shape: tgram_match tries every rule at a token and keeps the longest
 * match (a rule returns the index past its last token, 0 for none).
 * Rules are small hand-written recursive-descent functions over
 * micro-tokens: no regular expressions, no allocation, each rule looks
 * at a handful of tokens and gives up at the first mismatch, so a
 * sentence without time words costs little more than its word lookups.
 * Span conventions follow TimeML: a leading "the" and modifiers such as
 * "early", "about", "more than" belong to the expression, prepositions
 * ("on", "in", "since") do not.
 *
 * The cardinals, durations and offsets ("two weeks", "three days ago")
 * live in grammar_durations.c, and the small token helpers both files
 * share in grammar_int.h; this file keeps the calendar rules and the
 * dispatcher.
 */
#include "grammar_int.h"

/* ---------------------------------------------------------------- numbers */

/* An ordinal at i ("23rd", "third", "twenty-first"); returns the end. */
static size_t
ordinal(const tsent *s, size_t i, int *v)
{
	if (!has(s, i))
		return 0;
	const tw *t = T(i);
	if (t->k == TW_NUM && t->sfx == SFX_ORD && t->v >= 0 && t->nd <= 3) {
		*v = t->v;
		return i + 1;
	}
	if (t->cls == C_ORD) {
		*v = t->lv;
		return i + 1;
	}
	if (t->cls == C_NUM && t->lv >= 20 && t->lv <= 90 && t->lv % 10 == 0 && punct(s, i + 1, '-') &&
	    glued(s, i + 1) && clsat(s, i + 2) == C_ORD && T(i + 2)->lv < 10 && glued(s, i + 2)) {
		*v = t->lv + T(i + 2)->lv;
		return i + 3;
	}
	return 0;
}
/* ------------------------------------------------------------ calendars */

/* A month name at i, capitalized; abbreviations need a period or a
 * number after them.  Returns the end (after the period). */
static size_t
month_at(const tsent *s, size_t i, int *m)
{
	if (!has(s, i))
		return 0;
	const tw *t = T(i);
	if (t->cls != C_MONTH && t->cls != C_MONABBR)
		return 0;
	if (!t->up)
		return 0;
	*m = t->lv;
	if (t->cls == C_MONABBR || (t->caps && 0)) {
		if (punct(s, i + 1, '.') && glued(s, i + 1))
			return i + 2;
		if (num_plain(s, i + 1) || (has(s, i + 1) && T(i + 1)->sfx == SFX_ORD))
			return i + 1;
		return 0;
	}
	/* "Sept" without the period is common too */
	if (punct(s, i + 1, '.') && glued(s, i + 1) && strlen(t->w) <= 4 && t->lv != 5)
		return i + 2;
	return i + 1;
}

/* A day of the month at i: 1-31, digits or ordinal ("23", "23rd",
 * "eighth"). */
static size_t
mday_at(const tsent *s, size_t i, int *d)
{
	if (!has(s, i))
		return 0;
	const tw *t = T(i);
	if (t->k == TW_NUM && !t->apos && !t->comma && t->nd <= 2 && t->v >= 1 && t->v <= 31 &&
	    (t->sfx == SFX_NONE || t->sfx == SFX_ORD)) {
		/* not a time "3:30", not "10 p.m." */
		if (punct(s, i + 1, ':') && glued(s, i + 1) && has(s, i + 2) && T(i + 2)->k == TW_NUM && glued(s, i + 2))
			return 0;
		*d = t->v;
		return i + 1;
	}
	int v;
	size_t e = ordinal(s, i, &v);
	if (e && v >= 1 && v <= 31 && t->k == TW_ALPHA) {
		*d = v;
		return e;
	}
	return 0;
}

/* Words after which a bare year or a bare "May"/"March" is a date. */
static int
temporal_prep(const tsent *s, size_t i)
{
	switch (idat(s, i)) {
	case W_IN: case W_SINCE: case W_OF: case W_BY: case W_UNTIL: case W_TILL: case W_THROUGH:
	case W_FROM: case W_TO: case W_BEFORE: case W_AFTER: case W_DURING: case W_EARLY: case W_LATE:
	case W_MID: case W_FISCAL: case W_LAST: case W_NEXT: case W_THIS: case W_THAT: case W_ON:
	case W_BETWEEN: case W_INTO: case W_END: case W_AND: case W_OR:
		return 1;
	default:
		return punct(s, i, '-') || word(s, i, "circa") || word(s, i, "mid") || word(s, i, "year") ||
		       word(s, i, "throughout") || word(s, i, "beginning") || word(s, i, "around");
	}
}

static int
year_ok(const tsent *s, size_t i)
{
	if (!year_tok(s, i))
		return 0;
	int v = T(i)->v;
	if (i > 0 && (punct(s, i - 1, '$') || punct(s, i - 1, '#') || word(s, i - 1, "no") ||
		      word(s, i - 1, "number") || word(s, i - 1, "than") || T(i - 1)->id == W_ABOUT ||
		      T(i - 1)->id == W_SOME || T(i - 1)->id == W_NEARLY || T(i - 1)->id == W_ALMOST ||
		      T(i - 1)->id == W_OVER || T(i - 1)->id == W_AROUND || T(i - 1)->id == W_APPROXIMATELY ||
		      T(i - 1)->id == W_UNDER))
		return 0;
	if (has(s, i + 1) && (punct(s, i + 1, '%') || word(s, i + 1, "percent")))
		return 0;
	int prep = i > 0 && temporal_prep(s, i - 1);
	/* "a 1996 law", "its 1989 results", "the company's 1989 profit" */
	if (i > 0 && v >= 1900 && v <= 2099 &&
	    (idat(s, i - 1) == W_A || idat(s, i - 1) == W_AN || word(s, i - 1, "his") || word(s, i - 1, "her") ||
	     word(s, i - 1, "its") || word(s, i - 1, "their") || word(s, i - 1, "our") ||
	     (word(s, i - 1, "s") && i > 1 && punct(s, i - 2, '\''))))
		return 1;
	if (v < 1900 || v > 2099)
		return prep;
	if (prep || i == 0)
		return 1;
	/* followed by a lower-case word that is not a time word: a count */
	if (has(s, i + 1) && T(i + 1)->k == TW_ALPHA && !T(i + 1)->up && T(i + 1)->id == 0 &&
	    T(i + 1)->cls == 0 && !(i > 0 && T(i - 1)->id == W_THE))
		return 0;
	if (has(s, i + 1) && T(i + 1)->k == TW_NUM)
		return 0;
	return 1;
}

/* Month/day/year dates, weekdays, ISO and slashed dates, years. */
static size_t
r_date(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	int wd = 0;
	if ((clsat(s, j) == C_WDAY || clsat(s, j) == C_WDABBR) && (T(j)->up)) {
		if (T(j)->cls == C_WDABBR && !(punct(s, j + 1, '.') && glued(s, j + 1)) &&
		    !(punct(s, j + 1, ',') && month_at(s, j + 2, &(int){0})))
			return 0;
		if (T(j)->lv >= 100)
			return 0; /* plural: a set */
		wd = T(j)->lv;
		j++;
		if (T(j - 1)->cls == C_WDABBR && punct(s, j, '.'))
			j++;
		if (punct(s, j, ','))
			j++;
	}
	int m = 0, d = 0, y = TY_UNKNOWN;
	size_t e, k;
	if ((e = month_at(s, j, &m))) {
		/* Month Day [,] [Year] */
		if ((k = mday_at(s, e, &d)) && !(has(s, k) && unit_at(s, k, NULL))) {
			e = k;
			if (punct(s, e, ',') && year_tok(s, e + 1))
				y = T(e + 1)->v, e += 2;
			else if (year_tok(s, e))
				y = T(e)->v, e += 1;
		} else if (year_tok(s, e)) {
			y = T(e)->v;
			e++;
			d = 0;
		} else if (punct(s, e, ',') && year_tok(s, e + 1) && !wd) {
			y = T(e + 1)->v;
			e += 2;
		} else if (idat(s, e) == W_OF && year_tok(s, e + 1) && !wd) {
			y = T(e + 1)->v;
			e += 2;
		} else if ((idat(s, e) == W_THIS || idat(s, e) == W_LAST || idat(s, e) == W_NEXT) &&
			   unit_at(s, e + 1, NULL) == U_YEAR && !(T(e + 1)->lv >= 100) && !wd) {
			/* "January this year", "June last year" */
			sp->dir = 2;
			sp->n = idat(s, e) == W_LAST ? -1 : idat(s, e) == W_NEXT ? 1 : 0;
			e += 2;
		} else {
			/* a bare month: "May" and "March" need a temporal word */
			if (wd)
				goto weekday;
			if ((m == 5 || m == 3 || m == 8) && T(j)->cls == C_MONTH) {
				if (!(j > 0 && temporal_prep(s, j - 1)))
					return 0;
				if (m == 5 && j > 0 && (idat(s, j - 1) == W_TO || idat(s, j - 1) == W_AND || idat(s, j - 1) == W_OR))
					return 0;
			}
			if (m == 8 && T(j)->cls == C_MONTH && j > 0 && !temporal_prep(s, j - 1))
				return 0;
		}
		sp->t.g = d ? G_DAY : G_MONTH;
		sp->t.m = m;
		sp->t.d = d;
		sp->t.y = y;
		sp->rel = y == TY_UNKNOWN ? R_NOYEAR : R_ABS;
		sp->wd = wd;
		return e;
	}
	if ((k = mday_at(s, j, &d)) && T(j)->k == TW_NUM && (e = month_at(s, k + (idat(s, k) == W_OF), &m)) &&
	    T(k + (idat(s, k) == W_OF))->cls == C_MONTH) {
		/* Day Month [Year]: "23 February 2026", "16 Dec 2011" */
		if (year_tok(s, e))
			y = T(e)->v, e++;
		else if (punct(s, e, ',') && year_tok(s, e + 1))
			y = T(e + 1)->v, e += 2;
		goto dmy;
	}
	if ((k = mday_at(s, j, &d)) && T(j)->k == TW_NUM && has(s, k) && T(k)->cls == C_MONABBR &&
	    (e = month_at(s, k, &m))) {
		if (year_tok(s, e))
			y = T(e)->v, e++;
		goto dmy;
	}
	if (idat(s, j) == W_THE && (k = ordinal(s, j + 1, &d)) && d >= 1 && d <= 31 && idat(s, k) == W_OF &&
	    (e = month_at(s, k + 1, &m))) {
		/* the 23rd of February [2026] */
		if (year_tok(s, e))
			y = T(e)->v, e++;
		else if (punct(s, e, ',') && year_tok(s, e + 1))
			y = T(e + 1)->v, e += 2;
		goto dmy;
	}
	if (num_plain(s, j) && T(j)->nd == 4 && punct(s, j + 1, '-') && glued(s, j + 1) && num_plain(s, j + 2) &&
	    glued(s, j + 2) && T(j + 2)->nd == 2 && punct(s, j + 3, '-') && glued(s, j + 3) &&
	    num_plain(s, j + 4) && glued(s, j + 4) && T(j + 4)->nd == 2) {
		/* 2026-02-12 */
		y = T(j)->v, m = T(j + 2)->v, d = T(j + 4)->v;
		if (m >= 1 && m <= 12 && d >= 1 && d <= tcal_mdays(y, m)) {
			e = j + 5;
			goto dmy;
		}
		return 0;
	}
	if (num_plain(s, j) && T(j)->nd <= 2 && punct(s, j + 1, '/') && glued(s, j + 1) && num_plain(s, j + 2) &&
	    glued(s, j + 2) && T(j + 2)->nd <= 2 && punct(s, j + 3, '/') && glued(s, j + 3) &&
	    num_plain(s, j + 4) && glued(s, j + 4) && (T(j + 4)->nd == 4 || T(j + 4)->nd == 2)) {
		/* 2/12/2026 (US order; day first when the first part > 12) */
		int a = T(j)->v, b = T(j + 2)->v;
		y = T(j + 4)->v;
		if (T(j + 4)->nd == 2)
			y += y < 50 ? 2000 : 1900;
		m = a, d = b;
		if (a > 12)
			m = b, d = a;
		if (m >= 1 && m <= 12 && d >= 1 && d <= tcal_mdays(y, m)) {
			e = j + 5;
			goto dmy;
		}
		return 0;
	}
	if (wd)
		goto weekday;
	if (j == i && year_ok(s, j)) {
		sp->t.g = G_YEAR;
		sp->t.y = T(j)->v;
		sp->rel = R_ABS;
		return j + 1;
	}
	return 0;
dmy:
	if (d < 1 || d > 31)
		return 0;
	sp->t.g = G_DAY;
	sp->t.y = y;
	sp->t.m = m;
	sp->t.d = d;
	sp->rel = y == TY_UNKNOWN ? R_NOYEAR : R_ABS;
	sp->wd = wd;
	return e;
weekday:
	/* a weekday alone, maybe with a part of the day: "Monday night" */
	e = i + 1;
	if (T(i)->cls == C_WDABBR && punct(s, e, '.'))
		e++;
	sp->rel = R_WDAY;
	sp->wd = wd;
	sp->dir = 0;
	if (clsat(s, e) == C_POD && has(s, e) && T(e)->lv < 100) {
		/* "Monday night": the span takes the part of the day, the value
		   stays the day (as most TimeBank annotators wrote it) */
		e++;
	} else if (clsat(s, e) == C_POD && T(e)->lv >= 100) {
		/* "Tuesday nights": every Tuesday night */
		sp->type = SR_TIMEX_SET;
		sp->rel = R_SET;
		snprintf(sp->dur, sizeof sp->dur, "XXXX-WXX-%dT%s", wd,
			 (const char *[]){"", "MO", "MI", "AF", "EV", "NI", "DT"}[T(e)->lv % 100 % 7]);
		e++;
	}
	return e;
}

/* Decades ("the 1980s", "the '90s") and centuries ("the 20th century"). */
static size_t
r_decade(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	int the = idat(s, j) == W_THE;
	if (the)
		j++;
	/* "the late 1980s", "the mid-nineties": the part belongs to it */
	const char *mod = NULL;
	if (the && (idat(s, j) == W_EARLY || idat(s, j) == W_LATE || idat(s, j) == W_MID)) {
		size_t k = punct(s, j + 1, '-') && glued(s, j + 1) ? j + 2 : j + 1;
		if ((has(s, k) && T(k)->k == TW_NUM && T(k)->sfx == SFX_S) || clsat(s, k) == C_DECADE) {
			mod = idat(s, j) == W_EARLY ? "START" : idat(s, j) == W_LATE ? "END" : "MID";
			j = k;
		}
	}
	if (has(s, j) && T(j)->k == TW_NUM && T(j)->sfx == SFX_S && !T(j)->comma) {
		int v = T(j)->v, nd = T(j)->nd;
		int y;
		if (nd == 4 && v % 10 == 0 && v >= 1000 && v <= 2990)
			y = v;
		else if (nd == 2 && v % 10 == 0 && (T(j)->apos || the))
			y = 1900 + v;
		else
			return 0;
		sp->t.g = G_DECADE;
		sp->t.y = y;
		sp->rel = R_ABS;
		if (mod)
			setmod(sp, mod);
		return j + 1;
	}
	/* "the nineties", "the late eighties" (after "the" only: "her
	   eighties" is an age) */
	if (the && clsat(s, j) == C_DECADE) {
		sp->t.g = G_DECADE;
		sp->t.y = 1900 + T(j)->lv;
		sp->rel = R_ABS;
		if (mod)
			setmod(sp, mod);
		return j + 1;
	}
	if (mod)
		return 0;
	int o;
	size_t k = ordinal(s, j, &o);
	if (k && o >= 1 && o <= 30 && unit_at(s, k, NULL) == U_CENTURY) {
		sp->t.g = G_CENTURY;
		sp->t.y = (o - 1) * 100;
		sp->rel = R_ABS;
		return k + 1;
	}
	return 0;
}

/* Seasons: "summer 2025", "the spring of 2014", "winter". */
static size_t
r_season(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	if (idat(s, j) == W_THE)
		j++;
	if (clsat(s, j) != C_SEASON)
		return 0;
	int se = T(j)->lv;
	size_t e = j + 1;
	int y = TY_UNKNOWN;
	if (year_tok(s, e))
		y = T(e)->v, e++;
	else if (idat(s, e) == W_OF && year_tok(s, e + 1))
		y = T(e + 1)->v, e += 2;
	else if (idat(s, e) == W_OF)
		return 0; /* "the fall of the regime" */
	if (y == TY_UNKNOWN) {
		/* a bare season needs a temporal word before it */
		size_t p = j > 0 ? j - 1 : 0;
		if (idat(s, p) == W_TO || idat(s, p) == W_AND || idat(s, p) == W_OR || idat(s, p) == W_ON)
			return 0;
		if (j == 0 || !(temporal_prep(s, p) || idat(s, p) == W_THE || idat(s, p) == W_PAST ||
				 idat(s, p) == W_COMING || idat(s, p) == W_EARLY || idat(s, p) == W_LATE))
			return 0;
		if (idat(s, p) == W_THE && !(p > 0 && temporal_prep(s, p - 1)))
			return 0;
	}
	sp->t.g = G_SEASON;
	sp->t.s = se;
	sp->t.y = y;
	sp->rel = y == TY_UNKNOWN ? R_NOYEAR : R_ABS;
	return e;
}

/* Quarters and halves: "the third quarter", "third-quarter", "Q3 2026",
 * "the first half of 2026", "fiscal 1989", "the latest quarter". */
static size_t
r_quarter(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	int the = 0;
	if (idat(s, j) == W_THE) {
		the = 1;
		j++;
	}
	int yoff = 0, yset = 0, yabs = TY_UNKNOWN;
	if (!the && (idat(s, j) == W_THIS || idat(s, j) == W_LAST || idat(s, j) == W_NEXT) &&
	    unit_at(s, j + 1, NULL) == U_YEAR && punct(s, j + 2, '\'') && word(s, j + 3, "s")) {
		/* "last year's third quarter" */
		yoff = idat(s, j) == W_LAST ? -1 : idat(s, j) == W_NEXT ? 1 : 0;
		yset = 1;
		j += 4;
		if (idat(s, j) == W_THE)
			return 0;
	} else if (the && year_tok(s, j) && (ordinal(s, j + 1, &(int){0}) || unit_at(s, j + 1, NULL) == U_QUARTER ||
					      idat(s, j + 1) == W_PERIOD || idat(s, j + 1) == W_FISCAL)) {
		/* "the 1988 third quarter", "the 1988 period" */
		yabs = T(j)->v;
		j++;
	}
	if (idat(s, j) == W_LAST && idat(s, j + 1) == W_HALF) {
		/* "the last half of 1989" */
		sp->t.g = G_HALF;
		sp->t.h = 2;
		size_t e = j + 2;
		if (idat(s, e) == W_OF && year_tok(s, e + 1)) {
			sp->t.y = T(e + 1)->v;
			sp->rel = R_ABS;
			return e + 2;
		}
		if (!the)
			return 0;
		sp->rel = R_NOYEAR;
		return e;
	}
	if (idat(s, j) == W_FISCAL) {
		if (year_tok(s, j + 1)) {
			sp->t.g = G_YEAR;
			sp->t.y = T(j + 1)->v;
			sp->rel = R_ABS;
			return j + 2;
		}
		j++;
	}
	/* Q3, Q3 2026 */
	if (has(s, j) && T(j)->k == TW_ALPHA && T(j)->w[0] == 'q' && T(j)->w[1] >= '1' && T(j)->w[1] <= '4' &&
	    !T(j)->w[2] && T(j)->up) {
		sp->t.g = G_QUARTER;
		sp->t.q = T(j)->w[1] - '0';
		size_t e = j + 1;
		if (year_tok(s, e))
			sp->t.y = T(e)->v, e++;
		sp->rel = sp->t.y == TY_UNKNOWN ? R_NOYEAR : R_ABS;
		return e;
	}
	int o = 0;
	size_t k = ordinal(s, j, &o);
	if (!k && (idat(s, j) == W_FINAL))
		o = 4, k = j + 1;
	int yearago = 0;
	if (!k && (idat(s, j) == W_LATEST || idat(s, j) == W_CURRENT || idat(s, j) == W_PREVIOUS ||
		   idat(s, j) == W_COMPARABLE || idat(s, j) == W_SAME)) {
		k = j + 1;
		o = -idat(s, j);
	}
	/* year-ago / year-earlier */
	size_t yk = k ? k : j;
	if (unit_at(s, yk, NULL) == U_YEAR && punct(s, yk + 1, '-') &&
	    (idat(s, yk + 2) == W_AGO || idat(s, yk + 2) == W_EARLIER)) {
		yearago = 1;
		k = yk + 3;
		if (!o)
			o = -1;
		int oo;
		size_t k2 = ordinal(s, k, &oo);
		if (k2 && oo <= 4) {
			/* "the year-ago third quarter" */
			o = oo;
			k = k2;
			yset = 1;
			yoff = -1;
		}
	}
	if (!k && the && (unit_at(s, j, NULL) == U_QUARTER || idat(s, j) == W_PERIOD)) {
		k = j;
		o = -1;
	}
	if (!k)
		return 0;
	int isq = 0, ish = 0;
	size_t e = k;
	if (punct(s, e, '-') && glued(s, e) && unit_at(s, e + 1, NULL) == U_QUARTER && o > 0)
		isq = 1, e += 2;
	else if (punct(s, e, '-') && glued(s, e) && idat(s, e + 1) == W_HALF && o > 0 && o <= 2)
		ish = 1, e += 2;
	else if (unit_at(s, e, NULL) == U_QUARTER && !(T(e)->lv >= 100))
		isq = 1, e += 1;
	else if (idat(s, e) == W_HALF && (o > 0 ? o <= 2 : 0))
		ish = 1, e += 1;
	else if (idat(s, e) == W_HALF && idat(s, j) == W_LAST)
		ish = 1, o = 2, e += 1;
	else if (idat(s, e) == W_PERIOD && (o < 0 || yearago) && the)
		isq = 1, e += 1;
	else if (yearago && !isq) {
		/* "year-earlier" as an adjective: the reporting period */
		isq = 1;
	} else
		return 0;
	if (o > 4 || (ish && o > 2))
		return 0;
	if (o == 0)
		return 0;
	/* "the first quarter" needs no "the", but "first half" without "the"
	   is too often not a date ("first half of the match"): keep it */
	sp->t.g = isq ? G_QUARTER : G_HALF;
	int y = TY_UNKNOWN;
	if (idat(s, e) == W_OF) {
		size_t f = e + 1;
		if (idat(s, f) == W_FISCAL)
			f++;
		if (year_tok(s, f)) {
			y = T(f)->v;
			e = f + 1;
		} else if ((idat(s, f) == W_THIS || idat(s, f) == W_LAST || idat(s, f) == W_NEXT ||
			    idat(s, f) == W_THE) && unit_at(s, f + 1, NULL) == U_YEAR) {
			sp->n = idat(s, f) == W_LAST ? -1 : idat(s, f) == W_NEXT ? 1 : 0;
			sp->dir = 2; /* year relative to the anchor, in n */
			e = f + 2;
		}
	} else if (year_tok(s, e)) {
		y = T(e)->v;
		e++;
	}
	if (yabs != TY_UNKNOWN && y == TY_UNKNOWN)
		y = yabs;
	if (yset && y == TY_UNKNOWN) {
		sp->dir = 2;
		sp->n = yoff;
	}
	if (o < 0 && yabs != TY_UNKNOWN) {
		/* "the 1988 period": the reporting quarter of that year */
		sp->rel = R_OFFSET;
		sp->unit = G_QUARTER;
		sp->quarterish = 3;
		sp->t.y = yabs;
		return e;
	}
	if (o > 0) {
		if (isq)
			sp->t.q = o;
		else
			sp->t.h = o;
		sp->t.y = y;
		sp->rel = y == TY_UNKNOWN ? R_NOYEAR : R_ABS;
	} else {
		/* the latest / current / comparable / year-ago quarter */
		sp->rel = R_OFFSET;
		sp->unit = G_QUARTER;
		sp->quarterish = 2; /* the reporting quarter */
		sp->n = 0;
		if (o == -W_CURRENT)
			sp->quarterish = 0;
		if (o == -W_PREVIOUS)
			sp->n = -1;
		if (yearago)
			sp->n = -4;
		if (!isq && ish)
			return 0;
	}
	return e;
}

/* today, yesterday, tomorrow, tonight, this morning, last night, the day
 * before yesterday. */
static size_t
r_dayword(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	int n = 0, pod = 0;
	int w = idat(s, j);
	if (w == W_THE && unit_at(s, j + 1, NULL) == U_DAY && (idat(s, j + 2) == W_BEFORE || idat(s, j + 2) == W_AFTER) &&
	    (idat(s, j + 3) == W_YESTERDAY || idat(s, j + 3) == W_TOMORROW)) {
		n = idat(s, j + 3) == W_YESTERDAY ? -2 : 2;
		j += 4;
	} else if (w == W_TODAY || w == W_YESTERDAY || w == W_TOMORROW || w == W_TONIGHT) {
		if (w == W_TODAY && i > 0 && punct(s, i - 1, '\''))
			return 0;
		n = w == W_YESTERDAY ? -1 : w == W_TOMORROW ? 1 : 0;
		if (w == W_TONIGHT)
			pod = POD_NI;
		j++;
		if (w != W_TONIGHT && clsat(s, j) == C_POD && T(j)->lv < 100) {
			pod = T(j)->lv;
			j++;
		}
		/* "today's" stays a date */
	} else if ((w == W_THIS || w == W_LAST) && clsat(s, j + 1) == C_POD && T(j + 1)->lv < 100) {
		pod = T(j + 1)->lv;
		n = 0;
		if (w == W_LAST) {
			if (pod != POD_NI)
				return 0;
			n = -1;
		}
		j += 2;
	} else {
		return 0;
	}
	sp->rel = R_OFFSET;
	sp->unit = G_DAY;
	sp->n = n;
	sp->pod = pod;
	if (pod)
		sp->type = SR_TIMEX_TIME;
	return j;
}

/* last/this/next/past/coming + unit, weekday, month or season; the
 * previous/following unit; that unit; the week/the year. */
static size_t
r_relative(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	int the = 0;
	if (idat(s, j) == W_THE) {
		the = 1;
		j++;
	}
	int d = idat(s, j);
	int d2 = 0;
	if (d == W_THIS && (idat(s, j + 1) == W_PAST || idat(s, j + 1) == W_COMING)) {
		d2 = idat(s, j + 1);
		j++;
	}
	if (the && d == W_THIS)
		return 0;
	int n = 0, text = 0, anaph = 0, dir = 0;
	if (the && (d == W_FISCAL || d == W_FULL || d == W_ENTIRE || d == W_WHOLE) &&
	    unit_at(s, j + 1, NULL) == U_YEAR && T(j + 1)->lv < 100 && idat(s, j + 2) != W_ENDED &&
	    idat(s, j + 2) != W_ENDING && idat(s, j + 2) != W_BEFORE && idat(s, j + 2) != W_AGO) {
		/* "the fiscal year", "the full year": the current one */
		sp->rel = R_OFFSET;
		sp->unit = G_YEAR;
		sp->n = 0;
		return j + 2;
	}
	switch (d) {
	case W_THIS: case W_CURRENT:
		n = 0; dir = d2 == W_PAST ? -1 : d2 == W_COMING ? 1 : 2;
		break;
	case W_LAST: case W_PAST:
		n = -1; dir = -1;
		break;
	case W_PREVIOUS:
		n = -1; dir = -1; text = the;
		break;
	case W_NEXT: case W_COMING: case W_UPCOMING:
		n = 1; dir = 1; text = the && d == W_NEXT;
		break;
	case W_FOLLOWING:
		if (!the)
			return 0;
		n = 1; dir = 1; text = 1;
		break;
	case W_THAT: case W_SAME:
		if (the != (d == W_SAME))
			return 0;
		anaph = 1;
		break;
	default:
		if (the && clsat(s, j) == C_POD && T(j)->lv < 100 && T(j)->lv != POD_NI && i > 0 &&
		    (idat(s, i - 1) == W_IN || idat(s, i - 1) == W_DURING)) {
			/* "in the morning": of the day the text is on */
			sp->rel = R_ANAPH;
			sp->unit = G_DAY;
			sp->pod = T(j)->lv;
			sp->type = SR_TIMEX_TIME;
			return j + 1;
		}
		if (the && (unit_at(s, j, NULL) == U_WEEK || unit_at(s, j, NULL) == U_YEAR ||
			    unit_at(s, j, NULL) == U_MONTH || unit_at(s, j, NULL) == U_WEEKEND) &&
		    !(T(j)->lv >= 100)) {
			int u = unit_at(s, j, NULL);
			/* "the year": the current one, when it is not "the year
			   before/after" (done below) nor "the year's" */
			if ((idat(s, j + 1) == W_ENDED || idat(s, j + 1) == W_ENDING) && u == U_YEAR) {
				/* "the year ended Sept. 30": a period of a year */
				sp->type = SR_TIMEX_DURATION;
				sp->rel = R_DUR;
				snprintf(sp->dur, sizeof sp->dur, "P1Y");
				return j + 1;
			}
			if (idat(s, j + 1) == W_BEFORE || idat(s, j + 1) == W_AFTER || idat(s, j + 1) == W_EARLIER ||
			    idat(s, j + 1) == W_LATER || idat(s, j + 1) == W_OF || idat(s, j + 1) == W_ENDED ||
			    idat(s, j + 1) == W_ENDING || idat(s, j + 1) == W_AGO)
				return 0;
			if (u == U_WEEKEND) {
				sp->rel = R_WDAY;
				sp->wd = 6;
				sp->t.we = 1;
				return j + 1;
			}
			if (u == U_YEAR) {
				long yv;
				size_t ye = year_tok(s, j + 1) ? j + 2 : tgram_card(s, j + 1, &yv, 0, 0);
				if (ye && year_tok(s, j + 1))
					yv = T(j + 1)->v;
				if (ye && yv >= 1000 && yv <= 2999) {
					sp->rel = R_ABS;
					sp->t.g = G_YEAR;
					sp->t.y = (int)yv;
					return ye;
				}
			}
			sp->rel = R_OFFSET;
			sp->unit = unit_gran(u);
			sp->n = 0;
			return j + 1;
		}
		return 0;
	}
	j++;
	int pl;
	int u = unit_at(s, j, &pl);
	if (u && !pl) {
		if (u == U_SECOND || u == U_MINUTE || u == U_HOUR || u == U_FORTNIGHT)
			return 0;
		if (u == U_QUARTER && dir == 2 && 0)
			return 0;
		size_t e = j + 1;
		if (u == U_WEEKEND) {
			sp->rel = R_WDAY;
			sp->wd = 6;
			sp->t.we = 1;
			sp->dir = dir == 2 ? 0 : dir;
			if (anaph || text) {
				sp->rel = R_ANAPH;
				sp->unit = G_WEEK;
			}
			return e;
		}
		int g = unit_gran(u);
		if (anaph) {
			sp->rel = R_ANAPH;
			sp->unit = g;
			return e;
		}
		sp->rel = R_OFFSET;
		sp->unit = g;
		sp->n = n;
		sp->text_ref = text;
		if (u == U_DAY && !text && n != 0 && d != W_NEXT)
			return 0; /* "last day", "past day": rarely a date */
		if (u == U_DAY && !text && n == 0)
			return 0; /* "this day" */
		if (u == U_DAY && d == W_NEXT && !the) {
			sp->text_ref = 1;
		}
		/* "the next day" -> text reference */
		return e;
	}
	if (clsat(s, j) == C_WDAY && T(j)->up && T(j)->lv < 100 && !anaph) {
		sp->rel = R_WDAY;
		sp->wd = T(j)->lv;
		sp->dir = dir == 2 ? 0 : dir;
		if (text)
			sp->text_ref = 1;
		size_t e = j + 1;
		if (clsat(s, e) == C_POD && T(e)->lv < 100)
			e++; /* "last Friday night": the day, as above */
		return e;
	}
	int m;
	size_t e;
	if ((e = month_at(s, j, &m)) && !the && !anaph) {
		sp->rel = R_NOYEAR;
		sp->t.g = G_MONTH;
		sp->t.m = m;
		sp->dir = dir;
		int dd;
		size_t k = mday_at(s, e, &dd);
		if (k) {
			sp->t.g = G_DAY;
			sp->t.d = dd;
			e = k;
		}
		return e;
	}
	if (clsat(s, j) == C_SEASON && !anaph) {
		sp->rel = R_NOYEAR;
		sp->t.g = G_SEASON;
		sp->t.s = T(j)->lv;
		sp->dir = dir;
		return j + 1;
	}
	if (text && clsat(s, j) == C_POD && T(j)->lv < 100 && n != 0) {
		/* "the next morning", "the previous night" */
		sp->rel = R_OFFSET;
		sp->unit = G_DAY;
		sp->n = n;
		sp->text_ref = 1;
		sp->pod = T(j)->lv;
		sp->type = SR_TIMEX_TIME;
		return j + 1;
	}
	if (anaph && clsat(s, j) == C_POD && T(j)->lv < 100) {
		sp->rel = R_ANAPH;
		sp->unit = G_DAY;
		sp->pod = T(j)->lv;
		sp->type = SR_TIMEX_TIME;
		return j + 1;
	}
	if ((d == W_THAT || d == W_SAME) && idat(s, j) == W_TIME && 0)
		return 0;
	return 0;
}

/* "year-end", "year end", "the year's end", "the end of the year" */
static size_t
r_yearend(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i;
	if (idat(s, j) == W_THE)
		j++;
	if (unit_at(s, j, NULL) != U_YEAR || T(j)->lv >= 100)
		return 0;
	size_t e;
	if (punct(s, j + 1, '-') && idat(s, j + 2) == W_END)
		e = j + 3;
	else if (idat(s, j + 1) == W_END && j == i)
		e = j + 2;
	else if (punct(s, j + 1, '\'') && word(s, j + 2, "s") && idat(s, j + 3) == W_END)
		e = j + 4;
	else
		return 0;
	sp->rel = R_OFFSET;
	sp->unit = G_YEAR;
	sp->n = 0;
	setmod(sp, "END");
	return e;
}

/* Holidays with a fixed date: "Christmas", "New Year's Day". */
static size_t
r_holiday(const tsent *s, size_t i, tspec *sp)
{
	int m = 0, d = 0;
	size_t e = 0;
	if (idat(s, i) == W_CHRISTMAS && T(i)->up) {
		m = 12, d = 25, e = i + 1;
		if (idat(s, e) == W_EVE)
			d = 24, e++;
		else if (word(s, e, "day") && T(e)->up)
			e++;
	} else if (idat(s, i) == W_NEW && T(i)->up && word(s, i + 1, "year") && T(i + 1)->up && punct(s, i + 2, '\'') &&
		   word(s, i + 3, "s") && (word(s, i + 4, "day") || idat(s, i + 4) == W_EVE) && T(i + 4)->up) {
		m = 1, d = 1, e = i + 5;
		if (idat(s, i + 4) == W_EVE)
			m = 12, d = 31;
	} else if (idat(s, i) == W_THANKSGIVING && T(i)->up) {
		/* the fourth Thursday of November: the resolver fixes the day */
		m = 11, d = -4, e = i + 1;
		if (word(s, e, "day") && T(e)->up)
			e++;
	} else {
		return 0;
	}
	sp->rel = R_NOYEAR;
	sp->t.g = G_DAY;
	sp->t.m = m;
	sp->t.d = d;
	return e;
}

/* "the day before", "the week after", "the next morning", "the night
 * before": relative to the last date of the text. */
static size_t
r_unit_before(const tsent *s, size_t i, tspec *sp)
{
	if (idat(s, i) != W_THE)
		return 0;
	int u = unit_at(s, i + 1, NULL);
	int pod = 0;
	if (!u && clsat(s, i + 1) == C_POD && T(i + 1)->lv == POD_NI)
		u = U_DAY, pod = POD_NI;
	if (!u || (T(i + 1)->lv >= 100))
		return 0;
	int w = idat(s, i + 2);
	if (w != W_BEFORE && w != W_AFTER && w != W_EARLIER && w != W_LATER)
		return 0;
	if ((w == W_BEFORE || w == W_AFTER) && has(s, i + 3) && T(i + 3)->k == TW_ALPHA &&
	    T(i + 3)->id != W_YESTERDAY && T(i + 3)->id != W_TOMORROW)
		return 0; /* "the day before the vote": anchored to an event */
	int g = unit_gran(u);
	if (g == G_NONE || g == G_SEASON)
		return 0;
	sp->rel = R_OFFSET;
	sp->unit = g;
	sp->n = (w == W_BEFORE || w == W_EARLIER) ? -1 : 1;
	sp->text_ref = 1;
	sp->pod = pod;
	if (pod)
		sp->type = SR_TIMEX_TIME;
	return i + 3;
}

/* Times of day: "10 p.m.", "10:30 a.m. GMT", "noon", "4 in the
 * morning", "10 p.m. Wednesday", "8 o'clock". */
static size_t tgram_core(const tsent *s, size_t i, tspec *sp, int depth);

static size_t
r_time(const tsent *s, size_t i, tspec *sp, int depth)
{
	size_t j = i;
	int hh = -1, mi = 0, ampm = 0;
	if (idat(s, j) == W_NOON || idat(s, j) == W_MIDNIGHT) {
		hh = idat(s, j) == W_NOON ? 12 : 24;
		j++;
		ampm = 3;
	} else if (has(s, j) && T(j)->k == TW_NUM && !T(j)->comma && !T(j)->apos && T(j)->nd <= 2 && T(j)->v <= 24) {
		hh = T(j)->v;
		if (T(j)->sfx == SFX_AM || T(j)->sfx == SFX_PM) {
			ampm = T(j)->sfx == SFX_AM ? 1 : 2;
			j++;
		} else if (T(j)->sfx) {
			return 0;
		} else {
			j++;
			if (punct(s, j, ':') && glued(s, j) && glued(s, j + 1) && has(s, j + 1) && T(j + 1)->k == TW_NUM &&
			    T(j + 1)->nd == 2 && T(j + 1)->v < 60 && !T(j + 1)->comma) {
				mi = T(j + 1)->v;
				if (T(j + 1)->sfx == SFX_AM || T(j + 1)->sfx == SFX_PM)
					ampm = T(j + 1)->sfx == SFX_AM ? 1 : 2;
				else if (T(j + 1)->sfx)
					return 0;
				j += 2;
				if (!ampm)
					ampm = 4; /* 24-hour clock */
			}
		}
		if (ampm == 0 || ampm == 4) {
			/* a.m. / p.m. / am / pm / o'clock */
			if ((word(s, j, "a") || word(s, j, "p")) && punct(s, j + 1, '.') && glued(s, j + 1) &&
			    word(s, j + 2, "m") && glued(s, j + 2)) {
				ampm = T(j)->w[0] == 'a' ? 1 : 2;
				j += 3;
				if (punct(s, j, '.') && glued(s, j))
					j++;
			} else if ((word(s, j, "am") || word(s, j, "pm")) && (T(j)->caps || !T(j)->up)) {
				if (word(s, j, "am") && !T(j)->caps && hh > 12)
					return 0;
				ampm = T(j)->w[0] == 'a' ? 1 : 2;
				j++;
			} else if (word(s, j, "o") && punct(s, j + 1, '\'') && word(s, j + 2, "clock")) {
				ampm = 3;
				j += 3;
			} else if (idat(s, j) == W_IN && idat(s, j + 1) == W_THE && clsat(s, j + 2) == C_POD) {
				int pod = T(j + 2)->lv % 100;
				ampm = (pod == POD_MO) ? 1 : 2;
				j += 3;
			} else if (ampm == 4) {
				/* 24-hour time: needs "at" before or a zone after */
				if (!(i > 0 && (idat(s, i - 1) == W_AT || idat(s, i - 1) == W_BY || idat(s, i - 1) == W_UNTIL ||
						idat(s, i - 1) == W_AROUND || idat(s, i - 1) == W_FROM)) &&
				    !(word(s, j, "gmt") || word(s, j, "utc") || word(s, j, "hrs") || word(s, j, "local")))
					return 0;
			} else {
				return 0;
			}
		}
		if (hh > 24 || (ampm && ampm < 3 && (hh > 12 || hh == 0)))
			return 0;
		if (ampm == 2 && hh < 12)
			hh += 12;
		if (ampm == 1 && hh == 12)
			hh = 0;
	} else {
		return 0;
	}
	/* time zone */
	static const char *zones[] = {"gmt", "utc", "est", "edt", "cst", "cdt", "mst", "mdt", "pst", "pdt",
				      "et", "bst", "cet", "cest", "eet", "eest", "ast", "msk", "ist", "hrs", NULL};
	for (int z = 0; zones[z]; z++)
		if (word(s, j, zones[z]) && (T(j)->caps || !strcmp(zones[z], "hrs"))) {
			j++;
			break;
		}
	if (word(s, j, "local") && idat(s, j + 1) == W_TIME)
		j += 2;
	sp->type = SR_TIMEX_TIME;
	sp->hh = hh;
	sp->mi = mi;
	/* a day after the time: "10 p.m. Wednesday", "noon today", "5 p.m. EST, Nov. 6" */
	size_t k = j;
	if (punct(s, k, ','))
		k++;
	if (idat(s, k) == W_ON)
		k++;
	tspec d;
	spec_init(&d);
	size_t e = depth < 1 ? tgram_core(s, k, &d, depth + 1) : 0;
	if (e && d.type != SR_TIMEX_DURATION && d.type != SR_TIMEX_SET && d.rel != R_REF && d.hh < 0 &&
	    (d.rel == R_WDAY || d.t.g == G_DAY || (d.rel == R_OFFSET && d.unit == G_DAY))) {
		int hh2 = sp->hh, mi2 = sp->mi;
		*sp = d;
		sp->type = SR_TIMEX_TIME;
		sp->hh = hh2;
		sp->mi = mi2;
		sp->pod = 0;
		return e;
	}
	sp->rel = R_ANAPH;
	sp->unit = G_DAY;
	return j;
}

/* Sets: daily, weekly, every week, each Thursday, on Fridays. */
static size_t
r_set(const tsent *s, size_t i, tspec *sp)
{
	const char *v = NULL;
	size_t e = i + 1;
	switch (idat(s, i)) {
	case W_DAILY: v = "P1D"; break;
	case W_WEEKLY: v = "P1W"; break;
	case W_MONTHLY: v = "P1M"; break;
	case W_YEARLY: v = "P1Y"; break;
	case W_HOURLY: v = "PT1H"; break;
	case W_NIGHTLY: v = "XXXX-XX-XXTNI"; break;
	case W_EVERY: case W_EACH: {
		size_t j = i + 1;
		long n = 1;
		if (idat(s, j) == W_OTHER) {
			n = 2;
			j++;
		} else {
			size_t k = tgram_card(s, j, &n, 0, 0);
			if (k)
				j = k;
		}
		int pl, u = unit_at(s, j, &pl);
		if (u && u != U_QUARTER) {
			sp->type = SR_TIMEX_SET;
			sp->rel = R_SET;
			tgram_dur_value(sp->dur, sizeof sp->dur, n, u);
			return j + 1;
		}
		if (clsat(s, j) == C_WDAY && T(j)->up) {
			sp->type = SR_TIMEX_SET;
			sp->rel = R_SET;
			snprintf(sp->dur, sizeof sp->dur, "XXXX-WXX-%d", T(j)->lv % 100);
			return j + 1;
		}
		if (clsat(s, j) == C_POD) {
			static const char *pods[] = {"", "MO", "MI", "AF", "EV", "NI", "DT"};
			sp->type = SR_TIMEX_SET;
			sp->rel = R_SET;
			snprintf(sp->dur, sizeof sp->dur, "XXXX-XX-XXT%s", pods[T(j)->lv % 100 % 7]);
			return j + 1;
		}
		return 0;
	}
	default:
		/* "on Fridays" */
		if (clsat(s, i) == C_WDAY && T(i)->lv >= 100 && T(i)->up && i > 0 && idat(s, i - 1) == W_ON) {
			sp->type = SR_TIMEX_SET;
			sp->rel = R_SET;
			snprintf(sp->dur, sizeof sp->dur, "XXXX-WXX-%d", T(i)->lv % 100);
			return i + 1;
		}
		return 0;
	}
	if (idat(s, i) == W_DAILY && has(s, e) && 0)
		return 0;
	sp->type = SR_TIMEX_SET;
	sp->rel = R_SET;
	snprintf(sp->dur, sizeof sp->dur, "%s", v);
	return e;
}

/* now, currently, recently, the past, the future, soon... */
static size_t
r_generic(const tsent *s, size_t i, tspec *sp)
{
	const char *v = NULL;
	size_t e = i + 1;
	int w = idat(s, i);
	switch (w) {
	case W_NOW:
		if (idat(s, i + 1) == W_THAT)
			return 0; /* "now that": a conjunction */
		v = "PRESENT_REF";
		break;
	case W_CURRENTLY: case W_PRESENTLY: case W_NOWADAYS:
		v = "PRESENT_REF";
		break;
	case W_CURRENT:
		v = "PRESENT_REF";
		if (has(s, e) && (word(s, e, "account") || word(s, e, "accounts") || word(s, e, "affairs") ||
				  word(s, e, "events") || word(s, e, "flow") || word(s, e, "flows")))
			return 0;
		if (!(has(s, e) && T(e)->k == TW_ALPHA))
			return 0;
		break;
	case W_RECENTLY: case W_LATELY:
		v = "PAST_REF";
		break;
	case W_RECENT: {
		/* "recent weeks": some weeks up to now */
		int pl, u = unit_at(s, e, &pl);
		if (!u || !pl || u == U_SECOND)
			return 0;
		sp->type = SR_TIMEX_DURATION;
		sp->rel = R_DUR;
		tgram_dur_value(sp->dur, sizeof sp->dur, -1, u);
		return e + 1;
	}

	case W_THE:
		if (idat(s, i + 1) == W_PAST && !(has(s, i + 2) && (T(i + 2)->cls == C_UNIT || T(i + 2)->cls == C_NUM ||
								    T(i + 2)->k == TW_NUM || T(i + 2)->id == W_FEW ||
								    T(i + 2)->id == W_SEVERAL || T(i + 2)->id == W_COUPLE))) {
			v = "PAST_REF";
			e = i + 2;
		} else if (idat(s, i + 1) == W_FUTURE) {
			v = "FUTURE_REF";
			e = i + 2;
		} else if (idat(s, i + 1) == W_PRESENT && (i == 0 || idat(s, i - 1) == W_AT || idat(s, i - 1) == W_UNTIL)) {
			v = "PRESENT_REF";
			e = i + 2;
		} else if (idat(s, i + 1) == W_MOMENT && i > 0 && (idat(s, i - 1) == W_AT || idat(s, i - 1) == W_FOR)) {
			v = "PRESENT_REF";
			e = i + 2;
		} else if (word(s, i + 1, "near") && idat(s, i + 2) == W_FUTURE) {
			v = "FUTURE_REF";
			e = i + 3;
		} else {
			return 0;
		}
		break;
	case W_A:
		if (idat(s, i + 1) == W_LATER && word(s, i + 2, "date")) {
			v = "FUTURE_REF";
			e = i + 3;
			break;
		}
		return 0;
	case W_THESE:
		if (unit_at(s, i + 1, NULL) == U_DAY && T(i + 1)->lv >= 100) {
			v = "PRESENT_REF";
			e = i + 2;
			break;
		}
		return 0;
	case W_PRESENT:
		if (i > 0 && idat(s, i - 1) == W_AT) {
			v = "PRESENT_REF";
			break;
		}
		return 0;
	default:
		return 0;
	}
	sp->type = SR_TIMEX_DATE;
	sp->rel = R_REF;
	snprintf(sp->dur, sizeof sp->dur, "%s", v);
	return e;
}

/* ------------------------------------------------------------ dispatch */

static size_t match_at(const tsent *s, size_t i, tspec *sp);

static size_t
tgram_core(const tsent *s, size_t i, tspec *sp, int depth)
{
	size_t best = 0;
	tspec cur;
	/* every rule, in this order; the longest match wins, the first of
	   equals.  Direct calls, not a loop over pointers: the one indirect
	   call site with fifteen targets was mispredicted at every rule. */
#define RULE(fn)                                        \
	do {                                            \
		spec_init(&cur);                        \
		size_t e_ = fn(s, i, &cur);             \
		if (e_ > best) {                        \
			best = e_;                      \
			*sp = cur;                      \
		}                                       \
	} while (0)
	RULE(r_date);
	RULE(r_decade);
	RULE(r_season);
	RULE(r_quarter);
	RULE(r_dayword);
	RULE(r_relative);
	RULE(r_unit_before);
	RULE(r_yearend);
	RULE(r_holiday);
	/* a duration, and an offset made of one ("two weeks ago"): the
	   duration is read once for both */
	tspec dur;
	spec_init(&dur);
	size_t edur = tgram_r_duration(s, i, &dur);
	/* no duration, no offset: skip the call (r_offset returns 0) */
	if (edur) {
		spec_init(&cur);
		size_t eoff = tgram_r_offset(s, i, &dur, edur, &cur);
		if (eoff > best) {
			best = eoff;
			*sp = cur;
		}
	}
	if (edur > best) {
		best = edur;
		*sp = dur;
	}
	RULE(tgram_r_bare_units);
	RULE(r_set);
	RULE(r_generic);
#undef RULE
	spec_init(&cur);
	size_t e = r_time(s, i, &cur, depth);
	if (e > best) {
		best = e;
		*sp = cur;
	}
	return best;
}

/* Part-of-period prefixes: early, mid, late, the end of, the beginning
 * of, the middle of, earlier/later (this week). */
static size_t
part_prefix(const tsent *s, size_t i, tspec *sp, int *kind)
{
	int w = idat(s, i);
	*kind = 0;
	if (w == W_EARLY || w == W_LATE) {
		setmod(sp, w == W_EARLY ? "START" : "END");
		*kind = 1;
		if (punct(s, i + 1, '-') && glued(s, i + 1))
			return i + 2;
		return i + 1;
	}
	if (w == W_MID) {
		setmod(sp, "MID");
		*kind = 1;
		if (punct(s, i + 1, '-'))
			return i + 2;
		return i + 1;
	}
	if (w == W_EARLIER || w == W_LATER) {
		*kind = 2;
		return i + 1;
	}
	if (w == W_THE && has(s, i + 2) && idat(s, i + 2) == W_OF) {
		int x = idat(s, i + 1);
		if (x == W_END || x == W_BEGINNING || x == W_START || x == W_MIDDLE) {
			setmod(sp, x == W_END ? "END" : x == W_MIDDLE ? "MID" : "START");
			*kind = 1;
			return i + 3;
		}
		if ((x == W_FIRST || x == W_LAST || x == W_SECOND) && 0)
			return 0;
	}
	if (w == W_END && punct(s, i + 1, '-') && glued(s, i + 1)) {
		setmod(sp, "END");
		*kind = 1;
		return i + 2;
	}
	return i;
}

/* The cheap test that keeps the rules away from most tokens: can an
 * expression start at token i?  Strong starters can stand alone
 * ("today", "now", "daily"); weak ones ("the", "a", "about", "last")
 * need a temporal word (a month, a unit, a number...) within the next
 * few tokens.  The splitter has flagged both kinds (lex.c). */
static int
may_start(const tsent *s, size_t i)
{
	const tw *t = T(i);
	if (t->tf & TF_START)
		return 1;
	if (!(t->tf & TF_WEAK))
		return 0;
	size_t end = i + 5 < s->n ? i + 5 : s->n;
	for (size_t k = i + 1; k < end; k++)
		if (T(k)->tf & TF_TEMPORAL)
			return 1;
	return 0;
}

/* Is [i, e) a name rather than a time: a programme or paper named
 * mid-sentence in title case ("ABC's "This Week"", "VOA Today", "USA
 * Today"), or "Now," opening a sentence as a discourse marker? */
static int
not_a_time(const tsent *s, size_t i, size_t e)
{
	size_t first = 0;
	while (first < i && T(first)->k == TW_PUNCT)
		first++;
	if (i == first)
		return e == i + 1 && T(i)->id == W_NOW && T(i)->up && punct(s, e, ',');
	const tw *p = T(i - 1);
	int quoted = p->k == TW_PUNCT && (p->w[0] == '"' || p->w[0] == '`' || p->w[0] == '\'');
	if (p->caps && (T(i)->id == W_TODAY || T(i)->id == W_TONIGHT) && e == i + 1 && T(i)->up)
		return 1;
	if (!quoted || e < i + 2)
		return 0;
	for (size_t k = i; k < e; k++)
		if (T(k)->k == TW_ALPHA && !T(k)->up)
			return 0;
	return 1;
}

size_t
tgram_match(const tsent *s, size_t i, tspec *sp)
{
	size_t e = match_at(s, i, sp);
	return e && not_a_time(s, i, e) ? 0 : e;
}

static size_t
match_at(const tsent *s, size_t i, tspec *sp)
{
	if (i >= s->n || !may_start(s, i))
		return 0;
	spec_init(sp);
	size_t best = tgram_core(s, i, sp, 0);

	tspec m;
	spec_init(&m);
	int kind;
	size_t j = part_prefix(s, i, &m, &kind);
	if (j > i) {
		tspec c;
		spec_init(&c);
		size_t e = tgram_core(s, j, &c, 0);
		if (e > best && c.type != SR_TIMEX_DURATION && c.type != SR_TIMEX_SET &&
		    (c.rel != R_REF) && !(kind == 2 && c.rel == R_ABS && c.t.g == G_YEAR && 0)) {
			/* "earlier" needs this/that/today/a weekday after it */
			if (kind == 2 && !(c.rel == R_OFFSET || c.rel == R_ANAPH || c.rel == R_WDAY))
				goto approx;
			snprintf(c.mod, sizeof c.mod, "%s", m.mod);
			*sp = c;
			best = e;
		}
	}
approx:
	spec_init(&m);
	j = tgram_approx_prefix(s, i, &m);
	if (j > i) {
		tspec c;
		spec_init(&c);
		size_t e = tgram_core(s, j, &c, 0);
		if (e > best && (c.type == SR_TIMEX_DURATION || c.rel == R_OFFSET || c.type == SR_TIMEX_TIME) &&
		    !(c.rel == R_OFFSET && c.n == 0)) {
			snprintf(c.mod, sizeof c.mod, "%s", m.mod);
			*sp = c;
			best = e;
		}
	}
	/* "the end of the month" */
	if (best && sp->rel == R_ABS && sp->t.g == G_YEAR && has(s, best) && punct(s, best, '-') && 0)
		return best;
	return best;
}
