/*
 * grammar_durations.c -- the part of the time grammar (grammar.c) that
 * reads amounts: cardinals in digits or words ("twenty-four", "a
 * couple of"), durations ("the past 15 days", "a few weeks", "15-day"),
 * approximation prefixes ("about", "more than") and offsets built on a
 * duration ("two weeks ago", "three days later").  The rules follow the
 * conventions of grammar.c: each returns the index past its last token,
 * 0 for none, and allocates nothing.
 */
#include "grammar_int.h"

#include <string.h>

/* ---------------------------------------------------------------- numbers */

/* A cardinal at i: digits, or words ("twenty four", "twenty-four", "a
 * hundred", "a couple of").  *v = value, or -1 for a vague quantity
 * ("several", "a few") when vague is allowed.  allow_a: "a"/"an" = 1.
 * Returns the end, or 0. */
size_t
tgram_card(const tsent *s, size_t i, long *v, int allow_a, int vague)
{
	if (!has(s, i))
		return 0;
	const tw *t = T(i);
	if (t->k == TW_NUM) {
		if (t->sfx || t->apos || t->v < 0)
			return 0;
		if (t->comma) {
			/* 1,000 -> value; decimals -> not a count */
			long x = 0;
			for (const char *p = t->w; *p; p++) {
				if (*p == '.')
					return 0;
				if (*p >= '0' && *p <= '9')
					x = x * 10 + (*p - '0');
				if (x > 100000000)
					return 0;
			}
			*v = x;
			return i + 1;
		}
		*v = t->v;
		return i + 1;
	}
	if (t->id == W_A || t->id == W_AN) {
		if (clsat(s, i + 1) == C_NUM && (T(i + 1)->lv == 100 || T(i + 1)->lv == 1000)) {
			*v = T(i + 1)->lv;
			return i + 2;
		}
		if (idat(s, i + 1) == W_DOZEN) {
			*v = 12;
			return i + 2;
		}
		if (idat(s, i + 1) == W_COUPLE) {
			*v = 2;
			return idat(s, i + 2) == W_OF ? i + 3 : i + 2;
		}
		if (vague && idat(s, i + 1) == W_FEW) {
			*v = -1;
			return i + 2;
		}
		if (allow_a) {
			*v = 1;
			return i + 1;
		}
		return 0;
	}
	if (vague && (t->id == W_SEVERAL || t->id == W_FEW || t->id == W_MANY)) {
		*v = -1;
		return i + 1;
	}
	if (vague && t->id == W_DOZENS && idat(s, i + 1) == W_OF) {
		*v = -1;
		return i + 2;
	}
	if (t->cls != C_NUM)
		return 0;
	long total = 0, cur = 0;
	size_t j = i;
	while (clsat(s, j) == C_NUM) {
		int x = T(j)->lv;
		if (x == 100) {
			cur = (cur ? cur : 1) * 100;
		} else if (x == 1000) {
			total += (cur ? cur : 1) * 1000;
			cur = 0;
		} else if (x >= 20 && x % 10 == 0 && punct(s, j + 1, '-') && glued(s, j + 1) &&
			   clsat(s, j + 2) == C_NUM && T(j + 2)->lv < 10 && glued(s, j + 2)) {
			cur += x + T(j + 2)->lv;
			j += 2;
		} else {
			if (cur % 100 != 0 && cur % 10 == 0 && x < 10)
				cur += x;        /* twenty four */
			else if (cur && x < 100 && cur % 100 == 0)
				cur += x;        /* hundred (and) twenty */
			else if (cur)
				break;
			else
				cur = x;
		}
		j++;
		if (idat(s, j) == W_AND && clsat(s, j + 1) == C_NUM && (cur % 100 == 0) && cur)
			j++;
	}
	*v = total + cur;
	return j;
}

/* ------------------------------------------------------------- durations */

static const char *
unit_letter(int u, int *mult, int *timepart)
{
	*mult = 1;
	*timepart = 0;
	switch (u) {
	case U_SECOND: *timepart = 1; return "S";
	case U_MINUTE: *timepart = 1; return "M";
	case U_HOUR: *timepart = 1; return "H";
	case U_DAY: case U_NIGHT: return "D";
	case U_WEEK: return "W";
	case U_WEEKEND: return "WE";
	case U_FORTNIGHT: *mult = 2; return "W";
	case U_MONTH: return "M";
	case U_QUARTER: *mult = 3; return "M";
	case U_HALF: *mult = 6; return "M";
	case U_YEAR: return "Y";
	case U_DECADE: *mult = 10; return "Y";
	case U_CENTURY: *mult = 100; return "Y";
	case U_MILLENNIUM: *mult = 1000; return "Y";
	default: return "X";
	}
}

void
tgram_dur_value(char *out, size_t cap, long n, int u)
{
	int mult, tp;
	const char *l = unit_letter(u, &mult, &tp);
	if (n < 0)
		snprintf(out, cap, "P%sX%s", tp ? "T" : "", l);
	else
		snprintf(out, cap, "P%s%ld%s", tp ? "T" : "", n * mult, l);
}

/* Approximation and comparison prefixes: "about", "nearly", "more than",
 * "at least", "up to".  Returns the end (i when none). */
size_t
tgram_approx_prefix(const tsent *s, size_t i, tspec *sp)
{
	int id = idat(s, i);
	switch (id) {
	case W_ABOUT: case W_AROUND: case W_APPROXIMATELY: case W_ROUGHLY:
		setmod(sp, "APPROX");
		return i + 1;
	case W_NEARLY: case W_ALMOST:
		setmod(sp, "LESS_THAN");
		return i + 1;
	case W_MORE: case W_LESS:
		if (idat(s, i + 1) == W_THAN) {
			setmod(sp, id == W_MORE ? "MORE_THAN" : "LESS_THAN");
			return i + 2;
		}
		return i;
	case W_AT:
		if (idat(s, i + 1) == W_LEAST) {
			setmod(sp, "EQUAL_OR_MORE");
			return i + 2;
		}
		return i;
	case W_UP:
		if (idat(s, i + 1) == W_TO) {
			setmod(sp, "EQUAL_OR_LESS");
			return i + 2;
		}
		return i;
	case W_OVER: case W_UNDER:
		/* "over a week", not "over the past 15 days" */
		if (idat(s, i + 1) != W_THE) {
			setmod(sp, id == W_OVER ? "MORE_THAN" : "LESS_THAN");
			return i + 1;
		}
		return i;
	default:
		return i;
	}
}

/* N UNITS, "the past N UNITS", "a few weeks", "15-day", "the first nine
 * months"... as a duration.  Offsets ("... ago") are built on this by
 * r_offset. */
size_t
tgram_r_duration(const tsent *s, size_t i, tspec *sp)
{
	size_t j = i, k;
	int det = 0;
	if (idat(s, j) == W_THE) {
		j++;
		/* "the year-earlier nine months" */
		if (unit_at(s, j, NULL) == U_YEAR && punct(s, j + 1, '-') &&
		    (idat(s, j + 2) == W_AGO || idat(s, j + 2) == W_EARLIER))
			j += 3;
	}
	int d = idat(s, j);
	if (d == W_PAST || d == W_LAST || d == W_NEXT || d == W_COMING || d == W_FIRST ||
	    d == W_FINAL || d == W_PREVIOUS || d == W_FOLLOWING || d == W_LATEST || d == W_ENTIRE ||
	    d == W_WHOLE || d == W_FULL || d == W_ANOTHER || d == W_OTHER) {
		det = d;
		j++;
	} else if (j > i && clsat(s, j) == C_ORD && !word(s, j, "second")) {
		return 0;
	}
	long n;
	k = tgram_card(s, j, &n, 1, 1);
	if (k && (det == W_FIRST || det == W_LAST || det == W_NEXT) && n == 1 && j < s->n && T(j)->k != TW_NUM &&
	    T(j)->id != W_ONE)
		k = 0; /* "the first a..." never */
	if (!k) {
		/* "the past few weeks", "the coming days" */
		int pl;
		if (det && unit_at(s, j, &pl) && pl && idat(s, i) == W_THE) {
			int u = unit_at(s, j, NULL);
			if (det == W_COMING || det == W_NEXT) {
				sp->type = SR_TIMEX_DATE;
				sp->rel = R_REF;
				snprintf(sp->dur, sizeof sp->dur, "FUTURE_REF");
				return j + 1;
			}
			if (det == W_PAST || det == W_LAST || det == W_PREVIOUS) {
				sp->type = SR_TIMEX_DURATION;
				sp->rel = R_DUR;
				tgram_dur_value(sp->dur, sizeof sp->dur, -1, u);
				return j + 1;
			}
		}
		return 0;
	}
	/* a range "two to three weeks", "two or three days" */
	size_t k2 = k;
	if ((idat(s, k) == W_TO || idat(s, k) == W_OR || (punct(s, k, '-') && n >= 0))) {
		long n2;
		size_t e2 = tgram_card(s, k + 1, &n2, 0, 0);
		if (e2 && unit_at(s, e2, NULL))
			k2 = e2;
	}
	/* "five and a half years", "2 1/2 years" */
	int half = 0;
	if (idat(s, k2) == W_AND && (idat(s, k2 + 1) == W_A) && idat(s, k2 + 2) == W_HALF) {
		half = 1;
		k2 += 3;
	} else if (k2 == k && k > j && T(k - 1)->k == TW_NUM && num_plain(s, k2) && T(k2)->v == 1 &&
		   punct(s, k2 + 1, '/') && glued(s, k2 + 1) && num_plain(s, k2 + 2) && T(k2 + 2)->v == 2 &&
		   glued(s, k2 + 2)) {
		half = 1;
		k2 += 3;
	}
	int pl, u = unit_at(s, k2, &pl);
	size_t e;
	if (u) {
		if (u == U_QUARTER && !pl && n == 1 && (T(j)->id == W_A || T(j)->id == W_AN))
			return 0; /* "a quarter" of something */
		e = k2 + 1;
	} else if (punct(s, k2, '-') && glued(s, k2) && glued(s, k2 + 1) && (u = unit_at(s, k2 + 1, &pl)) &&
		   !pl && n >= 0 && T(j)->id != W_A && T(j)->id != W_AN) {
		/* "15-day", "two-year"; not "5-year-old" */
		if (punct(s, k2 + 2, '-') && word(s, k2 + 3, "old"))
			return 0;
		e = k2 + 2;
	} else if (clsat(s, k2) == C_POD && T(k2)->lv % 100 == POD_NI && n >= 0) {
		u = U_NIGHT;
		e = k2 + 1;
	} else {
		return 0;
	}
	if (u == U_HALF || u == U_SEASON)
		return 0;
	if (u == U_YEAR && (word(s, e, "old") || (punct(s, e, '-') && word(s, e + 1, "old"))))
		return 0; /* an age: "52 years old" */
	if (has(s, e) && punct(s, e, '-') && glued(s, e) &&
	    (unit_at(s, e + 1, NULL) || idat(s, e + 1) == W_EARLIER || idat(s, e + 1) == W_AGO))
		return 0; /* "quarter-to-quarter", "a year-earlier ..." */
	/* "a year" after an amount is a rate: "$5 a year", "700 seats a
	   week": no time expression; "twice a week" is a set */
	if ((T(j)->id == W_A || T(j)->id == W_AN) && j == i && i > 0 && !det && !(T(i - 1)->id == W_TWICE ||
	    T(i - 1)->id == W_TIMES || T(i - 1)->id == W_ONCE) && idat(s, e) != W_AGO && idat(s, e) != W_EARLIER &&
	    idat(s, e) != W_LATER && idat(s, e) != W_BEFORE && idat(s, e) != W_AFTER) {
		const tw *p = T(i - 1);
		size_t pl2 = strlen(p->w);
		if (p->k == TW_NUM || p->cls == C_NUM || word(s, i - 1, "million") || word(s, i - 1, "billion") ||
		    (p->k == TW_ALPHA && !p->up && pl2 > 3 && p->w[pl2 - 1] == 's' && p->w[pl2 - 2] != 's' &&
		     !p->id && p->cls != C_TENSE && p->cls != C_UNIT))
			return 0;
	}
	if ((T(j)->id == W_A || T(j)->id == W_AN) && j == i && i > 0 && !det &&
	    (T(i - 1)->id == W_TWICE || T(i - 1)->id == W_TIMES || T(i - 1)->id == W_ONCE)) {
		sp->type = SR_TIMEX_SET;
		sp->rel = R_SET;
		tgram_dur_value(sp->dur, sizeof sp->dur, 1, u);
		sp->unit = u;
		sp->n = 1;
		return e;
	}
	if (idat(s, e) == W_OR && word(s, e + 1, "so"))
		e += 2;
	/* "a minute and a half", "two hours and a half" */
	if (!half && n >= 0 && idat(s, e) == W_AND && idat(s, e + 1) == W_A && idat(s, e + 2) == W_HALF) {
		half = 1;
		e += 3;
	}
	sp->type = SR_TIMEX_DURATION;
	sp->rel = R_DUR;
	if (half && n >= 0) {
		int mult, tp;
		const char *l = unit_letter(u, &mult, &tp);
		if (u == U_YEAR)
			snprintf(sp->dur, sizeof sp->dur, "P%ldY6M", n);
		else if (u == U_DECADE)
			snprintf(sp->dur, sizeof sp->dur, "P%ldY", n * 10 + 5);
		else if (u == U_HOUR)
			snprintf(sp->dur, sizeof sp->dur, "PT%ldH30M", n);
		else if (u == U_MINUTE)
			snprintf(sp->dur, sizeof sp->dur, "PT%ldM30S", n);
		else if (u == U_DAY)
			snprintf(sp->dur, sizeof sp->dur, "P%ldDT12H", n);
		else
			snprintf(sp->dur, sizeof sp->dur, "P%s%ld.5%s", tp ? "T" : "", n * mult, l);
	} else {
		tgram_dur_value(sp->dur, sizeof sp->dur, n, u);
	}
	sp->unit = u;
	sp->n = (int)(n < 0 ? -1 : n > 100000 ? 100000 : n);
	return e;
}

/* Bare plural units ("for years", "within days", "weeks later"), only
 * after a word that makes them temporal. */
size_t
tgram_r_bare_units(const tsent *s, size_t i, tspec *sp)
{
	int pl, u = unit_at(s, i, &pl);
	if (!u || !pl || i == 0)
		return 0;
	if (u == U_SECOND || u == U_QUARTER || u == U_WEEKEND)
		return 0;
	int p = T(i - 1)->id;
	const char *pw = T(i - 1)->w;
	if (p == W_THE && (idat(s, i + 1) == W_BEFORE || idat(s, i + 1) == W_AFTER || word(s, i + 1, "leading") ||
			   word(s, i + 1, "preceding") || idat(s, i + 1) == W_FOLLOWING || word(s, i + 1, "that"))) {
		/* "in the weeks before the shooting" */
		sp->type = SR_TIMEX_DURATION;
		sp->rel = R_DUR;
		tgram_dur_value(sp->dur, sizeof sp->dur, -1, u);
		return i + 1;
	}
	if (!(p == W_FOR || p == W_IN || p == W_WITHIN || p == W_OVER || p == W_AFTER ||
	      idat(s, i + 1) == W_AFTER || idat(s, i + 1) == W_BEFORE || 
	      !strcmp(pw, "take") || !strcmp(pw, "takes") || !strcmp(pw, "took") || !strcmp(pw, "taking") ||
	      !strcmp(pw, "last") || !strcmp(pw, "lasted") || !strcmp(pw, "lasting") || p == W_ALREADY ||
	      idat(s, i + 1) == W_LATER || idat(s, i + 1) == W_EARLIER || idat(s, i + 1) == W_AGO ||
	      (idat(s, i + 1) == W_OR && unit_at(s, i + 2, NULL))))
		return 0;
	if (p == W_IN && i >= 2 && (T(i - 2)->id == W_FIRST || T(i - 2)->cls == C_ORD))
		return 0; /* "first time in years" is fine, but keep it simple */
	size_t e = i + 1;
	if (idat(s, e) == W_OR && unit_at(s, e + 1, &pl) && pl)
		e += 2; /* "weeks or months" */
	sp->type = SR_TIMEX_DURATION;
	sp->rel = R_DUR;
	tgram_dur_value(sp->dur, sizeof sp->dur, -1, u);
	sp->unit = u;
	sp->n = -1;
	return e;
}

/* --------------------------------------------------------------- offsets */

/* N UNITS ago / earlier / later / before / after / from now. */
size_t
tgram_r_offset(const tsent *s, size_t i, const tspec *dur, size_t e, tspec *sp)
{
	const tspec d = *dur;   /* r_duration's match at i, ending at e (tgram_core) */
	if (!e || (d.rel != R_DUR && d.rel != R_SET) || idat(s, i) == W_THE)
		return 0;
	int w = idat(s, e), sign = 0, text = 0;
	size_t end = e + 1;
	if (w == W_AGO) {
		sign = -1;
	} else if (w == W_EARLIER || w == W_BEFORE || w == W_PRIOR) {
		sign = -1;
		text = 1;
		if (w == W_PRIOR && idat(s, e + 1) == W_TO)
			return 0;
		if (w == W_BEFORE && has(s, e + 1) && T(e + 1)->k == TW_ALPHA && T(e + 1)->id != W_THAT &&
		    !(T(e + 1)->cls == C_WDAY || T(e + 1)->cls == C_MONTH))
			return 0; /* "two days before the vote": an event anchor */
	} else if (w == W_LATER || w == W_AFTER) {
		sign = 1;
		text = 1;
		if (w == W_AFTER && has(s, e + 1) && T(e + 1)->k == TW_ALPHA && T(e + 1)->id != W_THAT)
			return 0;
	} else if (w == W_FROM && idat(s, e + 1) == W_NOW) {
		sign = 1;
		end = e + 2;
	} else if (w == W_HENCE) {
		sign = 1;
	} else if (word(s, e, "back") && !has(s, e + 1)) {
		sign = -1;
	} else {
		return 0;
	}
	int u = d.unit, g = unit_gran(u);
	*sp = d;
	sp->type = SR_TIMEX_DATE;
	if (d.n < 0 || g == G_NONE) {
		if (g == G_NONE)
			return 0; /* "an hour later": the duration is what TimeML marks */
		sp->rel = R_REF;
		snprintf(sp->dur, sizeof sp->dur, sign < 0 ? "PAST_REF" : "FUTURE_REF");
		return end;
	}
	sp->rel = R_OFFSET;
	sp->text_ref = text;
	sp->unit = g;
	sp->n = sign * d.n;
	if (u == U_FORTNIGHT) {
		sp->unit = G_WEEK;
		sp->n = sign * d.n * 2;
	} else if (u == U_NIGHT) {
		sp->unit = G_DAY;
	} else if (u == U_DECADE || u == U_CENTURY || u == U_MILLENNIUM) {
		sp->unit = G_YEAR;
		sp->n = sign * d.n * (u == U_DECADE ? 10 : u == U_CENTURY ? 100 : 1000);
	}
	if (u == U_YEAR && d.n == 1)
		sp->quarterish = 1;
	return end;
}

