/*
 * cues.c -- how firmly an event is stated (modality) and the counts tied
 * to it (quantities).
 *
 * Modality reads the words around the trigger in its clause: future and
 * planning words make an event expected, negations and denials make it
 * denied, hedges make it reported_unconfirmed.  The word lists are the
 * grammar of English modality, not knowledge of a conflict, and stay
 * here.  Quantities pair a number (digits or words, with its hedge) with
 * the noun it counts and map that noun to a unit.
 */
#include "ev.h"

#include <stdlib.h>

static bool
is(const sr_token *k, const char *w)
{
	return sr_eq_ci(k->s, k->len, w);
}

/* Words that end the stretch of a clause the cues are read from. */
static bool
clause_break(const ev_tables *t, const sr_token *k)
{
	if (k->cls == SR_TOK_PUNCT)
		return k->len == 1 && (k->s[0] == ';' || k->s[0] == ':');
	return ev_in(t, k, "but|while|whereas|after|before|although|though|because|"
			    "since|when|amid|following|which|who|where|once");
}

const char *
ev_modality(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t e, uint32_t t0, uint32_t t1,
	    bool noun)
{
	const sr_token *k = doc->toks;
	/* the stretch before the trigger, back to a clause break */
	uint32_t b = t0;
	while (b > s && t0 - b < 10 && !clause_break(t, &k[b - 1]))
		b--;
	bool fut = false, neg = false, hedge = false;
	for (uint32_t i = b; i < t0; i++) {
		if (ev_in(t, &k[i], ev_class(t, EVC_FUTURE_WORDS))) {
			/* "to" counts only as an infinitive right before a verb
			 * trigger, after a planning word or "is/are" */
			if (is(&k[i], "to")) {
				if (i + 1 == t0 && !noun && i > s &&
				    ev_in(t, &k[i - 1], ev_class(t, EVC_PLAN_WORDS)))
					fut = true;
				continue;
			}
			if (is(&k[i], "set") && !(i + 1 < t0 && is(&k[i + 1], "to")))
				continue;
			/* "In May, the two countries agreed": the month */
			if (k[i].s[0] == 'M' && is(&k[i], "may"))
				continue;
			if (is(&k[i], "expected") || is(&k[i], "due") || is(&k[i], "ready") ||
			    is(&k[i], "going"))
				if (!(i + 1 < e && is(&k[i + 1], "to")))
					continue;
			fut = true;
		}
		/* a negation governs the trigger when it stands right before
		 * it ("did not withdraw", "no plans to withdraw"); a denial
		 * verb anywhere in the clause */
		if (ev_in(t, &k[i], ev_class(t, EVC_NEGATION_WORDS)) &&
		    (t0 - i <= 4 || ev_in(t, &k[i], ev_class(t, EVC_DENIAL_VERBS))))
			neg = true;
		if (ev_in(t, &k[i], ev_class(t, EVC_HEDGE_WORDS)))
			hedge = true;
	}
	/* a nominal trigger states a plan when a future verb follows it:
	 * "the withdrawal will take 15 days", "the handover is expected" */
	if (noun) {
		for (uint32_t i = t1; i < e && i < t1 + 14; i++) {
			if (clause_break(t, &k[i]))
				break;
			if (ev_in(t, &k[i], ev_class(t, EVC_NOUN_FUTURE_WORDS))) {
				fut = true;
				break;
			}
			if (ev_in(t, &k[i], ev_class(t, EVC_NOUN_PAST_WORDS)))
				break;
		}
	}
	/* "in the coming days/weeks" after the trigger */
	for (uint32_t i = t1; i + 2 < e && i < t1 + 12; i++)
		if (is(&k[i], "coming") && i > 0 && is(&k[i - 1], "the") &&
		    ev_in(t, &k[i + 1], ev_class(t, EVC_COMING_UNITS)))
			fut = true;
	/* a claim that frames the sentence: "X claimed that ..." */
	for (uint32_t i = s; i + 1 < b; i++)
		if (ev_in(t, &k[i], ev_class(t, EVC_CLAIM_VERBS)) && is(&k[i + 1], "that"))
			hedge = true;
	if (neg && !fut)
		return "denied";
	if (neg && fut) {
		/* "no plans to withdraw", "will not withdraw" */
		return "denied";
	}
	if (fut)
		return "expected";
	if (hedge)
		return "reported_unconfirmed";
	return "asserted";
}

/* ------------------------------------------------------------ quantities */

typedef struct {
	const char *w;
	double v;
} number_word;

/* Kept in strcmp order: looked up by binary search. */
static const number_word number_words[] = {
	{"a", 1}, {"an", 1}, {"dozen", 12}, {"eight", 8}, {"eighteen", 18},
	{"eighty", 80}, {"eleven", 11}, {"fifteen", 15}, {"fifty", 50},
	{"five", 5}, {"forty", 40}, {"four", 4}, {"fourteen", 14},
	{"hundred", 100}, {"nine", 9}, {"nineteen", 19}, {"ninety", 90},
	{"one", 1}, {"seven", 7}, {"seventeen", 17}, {"seventy", 70},
	{"six", 6}, {"sixteen", 16}, {"sixty", 60}, {"ten", 10},
	{"thirteen", 13}, {"thirty", 30}, {"thousand", 1000}, {"three", 3},
	{"twelve", 12}, {"twenty", 20}, {"two", 2},
};

/* Value of a number word ("two", "thirty-four", "two-dozen"), or < 0. */
static double
word_value(const char *s, size_t n)
{
	char buf[32];
	if (n >= sizeof buf)
		return -1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (char)((s[i] >= 'A' && s[i] <= 'Z') ? s[i] - 'A' + 'a' : s[i]);
	buf[n] = 0;
	char *dash = strchr(buf, '-');
	if (dash) {
		*dash = 0;
		double a = word_value(buf, strlen(buf));
		double b = word_value(dash + 1, strlen(dash + 1));
		if (a < 0 || b < 0 || a == 1)
			return -1;
		if (b == 12)
			return a * 12;     /* two-dozen */
		if (a >= 20 && b < 10)
			return a + b;      /* thirty-four */
		return -1;
	}
	/* binary search; strcmp only past an equal first letter */
	size_t lo = 0, hi = SR_ARRAY_LEN(number_words);
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		const char *w = number_words[mid].w;
		int c = (unsigned char)buf[0] - (unsigned char)w[0];
		if (!c)
			c = strcmp(buf, w);
		if (!c)
			return number_words[mid].v;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

/* Value of a digit token ("5,700", "1.75", "30km" -> 30), or < 0. */
static double
digit_value(const sr_token *k)
{
	char buf[40];
	size_t n = 0;
	for (size_t i = 0; i < k->len && n + 1 < sizeof buf; i++) {
		char c = k->s[i];
		if (c == ',')
			continue;
		if ((c >= '0' && c <= '9') || c == '.')
			buf[n++] = c;
		else
			break;
	}
	buf[n] = 0;
	if (!n)
		return -1;
	/* a year, a date, an ordinal or a time is not a count */
	if (memchr(k->s, '-', k->len))
		return -1;
	return strtod(buf, NULL);
}

typedef struct {
	enum ev_class words;
	const char *unit;
} unit_map;

/* Nouns counted, by unit (word classes unit_*); the first class that has
 * the noun wins. */
static const unit_map units[] = {
	{EVC_UNIT_DETAINEES, "detainees"},
	{EVC_UNIT_PERSONNEL, "personnel"},
	{EVC_UNIT_VEHICLES, "vehicles"},
	{EVC_UNIT_AIRCRAFT, "aircraft"},
	{EVC_UNIT_BASES, "bases"},
	{EVC_UNIT_DAYS, "days"},
	{EVC_UNIT_INJURED, "injured"},
	{EVC_UNIT_KILLED, "killed"},
};

static const char *
unit_of(const ev_tables *t, const sr_token *k)
{
	for (size_t i = 0; i < SR_ARRAY_LEN(units); i++)
		if (ev_in(t, k, ev_class(t, units[i].words)))
			return units[i].unit;
	return NULL;
}

/* Can a number word start with c?  o t f s e n h d a, in either case (a
 * NUL, too: it was a strchr of those letters). */
static bool
number_initial(char c)
{
	unsigned f = (unsigned char)c | 0x20u;
	if (!c)
		return true;
	if (f < 'a' || f > 'z')
		return false;   /* not a letter: only letters fold onto a..z */
	return (1u << (f - 'a')) & (1u << ('o' - 'a') | 1u << ('t' - 'a') | 1u << ('f' - 'a') |
				    1u << ('s' - 'a') | 1u << ('e' - 'a') | 1u << ('n' - 'a') |
				    1u << ('h' - 'a') | 1u << ('d' - 'a') | 1u << ('a' - 'a'));
}

static bool
is_number_token(const sr_token *k, double *v)
{
	if (k->cls == SR_TOK_NUMBER) {
		*v = digit_value(k);
		return *v >= 0;
	}
	/* number words start with one of these letters and are short
	 * (hyphenated tens: "thirty-four"); most words are not numbers */
	if (k->cls == SR_TOK_WORD && k->len <= 13 && k->len >= 1 && number_initial(k->s[0])) {
		*v = word_value(k->s, k->len);
		return *v > 1 || (*v == 1 && (is(k, "one")));
	}
	return false;
}

/* Does the clause around token i speak of killing or wounding?  Looks
 * back up to 8 words and ahead up to 8 words after the counted noun. */
static const char *
casualty_word(const ev_tables *t, const sr_token *k)
{
	if (ev_in(t, k, ev_class(t, EVC_KILLED_WORDS)))
		return "killed";
	if (ev_in(t, k, ev_class(t, EVC_INJURED_WORDS)))
		return "injured";
	return NULL;
}

/* Does the clause around a count speak of killing or wounding?  The word
 * right before the count first ("killed two soldiers"), then the words
 * after the counted noun ("two soldiers were wounded"), then the words
 * further back ("the deaths of two U.S. troops"). */
static const char *
casualty(const ev_tables *t, const sr_token *k, uint32_t s, uint32_t e, uint32_t first, uint32_t noun)
{
	const char *unit;
	uint32_t p = first;
	while (p > s && ev_in(t, &k[p - 1], "about|some|nearly|least|at|than|more|around|up|to|"
					     "approximately|roughly|almost|over"))
		p--;
	if (p > s && (unit = casualty_word(t, &k[p - 1])) != NULL)
		return unit;
	for (uint32_t m = noun + 1; m < e && m < noun + 8; m++) {
		if (k[m].cls == SR_TOK_NUMBER || (k[m].cls == SR_TOK_PUNCT && k[m].len == 1 &&
						   (k[m].s[0] == ';' || k[m].s[0] == '.' || k[m].s[0] == ',')) ||
		    ev_in(t, &k[m], "and|but|while"))
			break;
		if ((unit = casualty_word(t, &k[m])) != NULL)
			return unit;
	}
	unit = NULL;
	for (uint32_t m = (first > s + 8 ? first - 8 : s); m < first; m++) {
		if (k[m].cls == SR_TOK_PUNCT && k[m].len == 1 && (k[m].s[0] == ';' || k[m].s[0] == '.'))
			unit = NULL;
		else if (casualty_word(t, &k[m]))
			unit = casualty_word(t, &k[m]);
	}
	return unit;
}

static bool
detention_context(const ev_tables *t, const sr_token *k, uint32_t s, uint32_t e)
{
	for (uint32_t i = s; i < e; i++)
		if (ev_in(t, &k[i], ev_class(t, EVC_CUSTODY_WORDS)))
			return true;
	return false;
}

int
ev_quantities(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t e, const uint8_t *skip,
	      sr_quantity *q, uint32_t *qtok, int max, sr_arena *a)
{
	const sr_token *k = doc->toks;
	int nq = 0;
	int detention = -1;  /* read once, when a count needs it */
	for (uint32_t i = s; i < e && nq < max; i++) {
		double v;
		bool vague = false;
		if (skip[i])
			continue;
		if (!is_number_token(&k[i], &v)) {
			/* dozens / hundreds / thousands of */
			if (ev_in(t, &k[i], "dozens|hundreds|thousands") &&
			    i + 1 < e && is(&k[i + 1], "of")) {
				v = is(&k[i], "dozens") ? 24 : is(&k[i], "hundreds") ? 200 : 2000;
				vague = true;
			} else if (ev_in(t, &k[i], "a|an") && i > s && is(&k[i - 1], "and") && nq > 0 &&
				   (!strcmp(q[nq - 1].unit, "killed") || !strcmp(q[nq - 1].unit, "injured"))) {
				v = 1;  /* "killed two soldiers and a civilian" */
			} else {
				continue;
			}
		}
		uint32_t first = i;
		/* "a dozen", "a thousand" */
		if (i > s && ev_in(t, &k[i - 1], "a|an") && ev_in(t, &k[i], "dozen|thousand|hundred"))
			first = i - 1;
		uint32_t j = i + 1;
		/* "1.5 million", "two hundred" */
		if (j < e && ev_in(t, &k[j], "million|billion|thousand|hundred")) {
			v *= is(&k[j], "million") ? 1e6 : is(&k[j], "billion") ? 1e9 :
			     is(&k[j], "thousand") ? 1e3 : 1e2;
			j++;
		}
		/* a range "3,000 to 3,500": both ends count */
		double v2 = -1;
		if (j + 1 < e && is(&k[j], "to") && k[j + 1].cls == SR_TOK_NUMBER) {
			v2 = digit_value(&k[j + 1]);
			j += 2;
		}
		/* the counted noun: within a few words ("5,700 Islamic State
		 * (IS) combatants", "two US soldiers", "dozens of trucks") */
		const char *unit = NULL;
		uint32_t noun = j;
		for (uint32_t m = j; m < e && m < j + 6; m++) {
			if (k[m].cls == SR_TOK_NUMBER || is(&k[m], "and") || is(&k[m], ",") ||
			    is(&k[m], ".") || is(&k[m], ";"))
				break;
			if ((unit = unit_of(t, &k[m])) != NULL) {
				noun = m;
				break;
			}
		}
		if (!unit && j < e && ev_in(t, &k[j], ev_class(t, EVC_SPAN_UNITS)))
			continue;  /* a span of time or a rate, not a count */
		if (!unit) {
			/* a bare count takes the noun just before it ("troops
			 * from 12,000 to 8,600", "personnel to about 350"), or
			 * the unit of the count before it in the sentence ("47
			 * attacks in Iraq and 55 in Syria") */
			for (uint32_t m = first; m > s && first - m < 6 && !unit; m--)
				unit = unit_of(t, &k[m - 1]);
			if (!unit && nq > 0 && i - qtok[nq - 1] < 12)
				unit = q[nq - 1].unit;
			noun = i;
			if (!unit && j < e && k[j].cls == SR_TOK_WORD && !(k[j].flags & SR_TF_UPPER1) &&
			    !ev_in(t, &k[j], "percent|per|years|year|months|month|weeks|week|"
						"hours|hour|minutes|times|of|to|and|or|in|on|at|"
						"the|a|an|is|was|were|are|has|had|have")) {
				unit = "other";
				noun = j;
			}
			if (!unit && j < e && ev_in(t, &k[j], ev_class(t, EVC_DISTANCE_UNITS))) {
				unit = "other";
				noun = j;
			}
			if (!unit)
				continue;
		}
		/* people killed or wounded */
		if (!strcmp(unit, "personnel") || !strcmp(unit, "other")) {
			const char *c = casualty(t, k, s, e, first, noun);
			if (c)
				unit = c;
			else if (ev_in(t, &k[noun], ev_class(t, EVC_HELD_GROUP_NOUNS))) {
				/* "7,000 suspected IS fighters", fighters held in
				 * prisons or moved between them */
				bool suspected = false;
				for (uint32_t m = i + 1; m < noun; m++)
					if (ev_in(t, &k[m], ev_class(t, EVC_HELD_WORDS)))
						suspected = true;
				if (detention < 0)
					detention = detention_context(t, k, s, e);
				if (detention || suspected)
					unit = "detainees";
			}
		}
		/* the hedge before the number */
		bool approx = vague;
		if (first > s) {
			const sr_token *p = &k[first - 1];
			if (ev_in(t, p, "about|around|some|nearly|approximately|roughly|almost|"
					 "over|up|estimated|least|than|approx.|circa|~|"
					 "reportedly"))
				approx = true;
		}
		uint32_t ts = k[first].start, te = k[noun < e ? noun : e - 1].end;
		for (int r = 0; r < (v2 >= 0 ? 2 : 1) && nq < max; r++) {
			q[nq].value = r ? v2 : v;
			q[nq].unit = unit;
			q[nq].approx = approx;
			q[nq].text = sr_arena_strndup(a, doc->text + ts, te - ts);
			qtok[nq] = first;
			nq++;
		}
		i = noun > i ? noun : i;
	}
	return nq;
}
