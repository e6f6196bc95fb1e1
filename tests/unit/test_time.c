/*
 * test_time.c -- the time tagger: normalization of many phrasings
 * (table-driven, through sr_time_normalize), tense-based direction,
 * anchoring within a text, documents without a publication date, and
 * the calendar helper for the event stage.
 */
#include "harness.h"
#include "sitrep.h"

#include <stdlib.h>
#include <string.h>

int tlex_table_sorted(void);
int tlex_index_check(void);
int tlex_may_hold(const char *norm, size_t nlen, size_t s, size_t e);

typedef struct tcase {
	const char *phrase;
	const char *published;
	int tense;
	const char *text;  /* expected span text */
	const char *type;
	const char *value;
} tcase;

/* 2026-02-24 is a Tuesday. */
static const tcase cases[] = {
	/* explicit dates */
	{"on Monday, February 23", "2026-02-24", 0, "Monday, February 23", "DATE", "2026-02-23"},
	{"Feb. 23, 2026", NULL, 0, "Feb. 23, 2026", "DATE", "2026-02-23"},
	{"23 February 2026", NULL, 0, "23 February 2026", "DATE", "2026-02-23"},
	{"16 Dec 2011", NULL, 0, "16 Dec 2011", "DATE", "2011-12-16"},
	{"on 2026-02-12", NULL, 0, "2026-02-12", "DATE", "2026-02-12"},
	{"in July 2025", NULL, 0, "July 2025", "DATE", "2025-07"},
	{"since 2014", NULL, 0, "2014", "DATE", "2014"},
	{"the 1980s", NULL, 0, "the 1980s", "DATE", "198"},
	{"the '90s", NULL, 0, "the '90s", "DATE", "199"},
	{"the 20th century", NULL, 0, "the 20th century", "DATE", "19"},
	{"since mid-October 2023", NULL, 0, "mid-October 2023", "DATE", "2023-10"},
	{"the third quarter of 2025", NULL, 0, "the third quarter of 2025", "DATE", "2025-Q3"},
	{"summer 2025", NULL, 0, "summer 2025", "DATE", "2025-SU"},
	{"the 23rd of February 2026", NULL, 0, "the 23rd of February 2026", "DATE", "2026-02-23"},
	{"2/12/2026", NULL, 0, "2/12/2026", "DATE", "2026-02-12"},
	/* relative to the publication date */
	{"yesterday", "2026-02-24", 0, "yesterday", "DATE", "2026-02-23"},
	{"today", "2026-02-24", 0, "today", "DATE", "2026-02-24"},
	{"tomorrow", "2026-02-24", 0, "tomorrow", "DATE", "2026-02-25"},
	{"last week", "2026-02-24", 0, "last week", "DATE", "2026-W08"},
	{"last month", "2026-02-12", 0, "last month", "DATE", "2026-01"},
	{"next year", "2026-02-12", 0, "next year", "DATE", "2027"},
	{"earlier this month", "2026-02-12", 0, "earlier this month", "DATE", "2026-02"},
	{"a year ago", "2026-02-12", 0, "a year ago", "DATE", "2025"},
	{"two weeks ago", "2026-02-24", 0, "two weeks ago", "DATE", "2026-W07"},
	{"three days ago", "2026-02-24", 0, "three days ago", "DATE", "2026-02-21"},
	{"last November", "2026-02-12", 0, "last November", "DATE", "2025-11"},
	{"in early February", "2026-02-24", 0, "early February", "DATE", "2026-02"},
	{"this summer", "2026-02-24", 0, "this summer", "DATE", "2026-SU"},
	{"the end of the month", "2026-02-24", 0, "the end of the month", "DATE", "2026-02"},
	{"January this year", "2026-02-24", 0, "January this year", "DATE", "2026-01"},
	{"June last year", "2026-02-24", 0, "June last year", "DATE", "2025-06"},
	{"this morning", "2026-02-24", 0, "this morning", "TIME", "2026-02-24TMO"},
	{"last night", "2026-02-24", 0, "last night", "TIME", "2026-02-23TNI"},
	{"at 10:30 p.m.", "2026-02-24", 0, "10:30 p.m.", "TIME", "2026-02-24T22:30"},
	/* tense picks the direction of weekdays and bare months */
	{"troops left on Monday", "2026-02-24", 0, "Monday", "DATE", "2026-02-23"},
	{"troops will leave on Monday", "2026-02-24", 0, "Monday", "DATE", "2026-03-02"},
	{"the ministry said on Thursday", "2026-02-12", 0, "Thursday", "DATE", "2026-02-12"},
	{"he joined the coalition in November", "2026-02-12", 0, "November", "DATE", "2025-11"},
	{"an ambush in December killed two", "2026-02-12", 0, "December", "DATE", "2025-12"},
	{"they will vote in December", "2026-02-12", 0, "December", "DATE", "2026-12"},
	{"last Friday", "2026-02-24", 0, "last Friday", "DATE", "2026-02-20"},
	{"next Friday", "2026-02-24", 0, "next Friday", "DATE", "2026-02-27"},
	/* durations */
	{"over the past 15 days", NULL, 0, "the past 15 days", "DURATION", "P15D"},
	{"approximately 15 days", NULL, 0, "approximately 15 days", "DURATION", "P15D"},
	{"several weeks", NULL, 0, "several weeks", "DURATION", "PXW"},
	{"more than a decade", NULL, 0, "more than a decade", "DURATION", "P10Y"},
	{"within a month", NULL, 0, "a month", "DURATION", "P1M"},
	{"a 15-day operation", NULL, 0, "15-day", "DURATION", "P15D"},
	{"for two and a half years", NULL, 0, "two and a half years", "DURATION", "P2Y6M"},
	/* fractions: "2 1/2 years" read "2" alone; "a minute and a half" lost its half */
	{"for 2 1/2 years", NULL, 0, "2 1/2 years", "DURATION", "P2Y6M"},
	{"after 5 1/2 hours", NULL, 0, "5 1/2 hours", "DURATION", "PT5H30M"},
	{"a minute and a half", NULL, 0, "a minute and a half", "DURATION", "PT1M30S"},
	/* years and decades said in words were missed */
	{"in nineteen ninety-six", NULL, 0, "nineteen ninety-six", "DATE", "1996"},
	{"January nineteen ninety-seven", NULL, 0, "January nineteen ninety-seven", "DATE", "1997-01"},
	{"the winter of nineteen seventy nine", NULL, 0, "the winter of nineteen seventy nine", "DATE", "1979-WI"},
	{"through the nineties", NULL, 0, "the nineties", "DATE", "199"},
	{"in the late eighties", NULL, 0, "the late eighties", "DATE", "198"},
	{"in the mid-1990s", NULL, 0, "the mid-1990s", "DATE", "199"},
	{"at midday", "2026-02-24", 0, "midday", "TIME", "2026-02-24T12:00"},
	/* tense: "could be" is no future; a possessive weekday is past;
	   "by" after "will" is ahead; "had been due to" is past; modals */
	{"they could not be located Monday", "2026-02-24", 0, "Monday", "DATE", "2026-02-23"},
	{"they would challenge Monday's ruling", "2026-02-24", 0, "Monday", "DATE", "2026-02-23"},
	{"flights will double by August", "2026-02-12", 0, "August", "DATE", "2026-08"},
	{"the bid had been due to expire Friday", "2026-02-24", 0, "Friday", "DATE", "2026-02-20"},
	{"they can attend the summit in April", "2026-02-12", 0, "April", "DATE", "2026-04"},
	{"protesters planned a march on Saturday", "2026-02-24", 0, "Saturday", "DATE", "2026-02-28"},
	{"five hours", NULL, 0, "five hours", "DURATION", "PT5H"},
	/* sets and references */
	{"daily", NULL, 0, "daily", "SET", "P1D"},
	{"every Thursday", NULL, 0, "every Thursday", "SET", "XXXX-WXX-4"},
	{"now", NULL, 0, "now", "DATE", "PRESENT_REF"},
	{"currently", NULL, 0, "currently", "DATE", "PRESENT_REF"},
	{"recently", NULL, 0, "recently", "DATE", "PAST_REF"},
	{"in the past", NULL, 0, "the past", "DATE", "PAST_REF"},
	{"in the coming days", "2026-02-12", 0, "the coming days", "DATE", "FUTURE_REF"},
	/* no publication date: X placeholders, never the clock */
	{"on Thursday", NULL, 0, "Thursday", "DATE", "XXXX-WXX-4"},
	{"last November", NULL, 0, "last November", "DATE", "XXXX-11"},
	{"over a year ago", NULL, 0, "over a year ago", "DATE", "XXXX"},
	{"yesterday", NULL, 0, "yesterday", "DATE", "XXXX-XX-XX"},
	{"last month", "", 0, "last month", "DATE", "XXXX-XX"},
};

SR_TEST(time_word_index)
{
	/* word_index.h is generated from the table: run src/time/gen-word-index */
	CHECK(tlex_table_sorted());
	CHECK(tlex_index_check());
}

/* The gate that skips sentences without an anchor never skips one that
 * holds an expression, and skips plain counts and prose. */
static int
may_hold(const char *t)
{
	return tlex_may_hold(t, strlen(t), 0, strlen(t));
}

SR_TEST(time_anchor_gate)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		CHECK(may_hold(cases[i].phrase));
		if (!may_hold(cases[i].phrase))
			fprintf(stderr, "  gate skips \"%s\"\n", cases[i].phrase);
	}
	static const char *yes[] = {
		"in the first half", "profits rose in Q3", "at 3 p.m. local time", "at 4 PM",
		"at 8 o'clock", "the class of '98", "nineteen ninety-six", "in the 1990s",
		"on the 23rd", "a 15-day pause", "at 10:30", "on 3/4/98", "in 2014",
		"SEPTEMBER", "the Pentagon said Thursday", "a decade of war", "now",
	};
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
		CHECK(may_hold(yes[i]));
		if (!may_hold(yes[i]))
			fprintf(stderr, "  gate skips \"%s\"\n", yes[i]);
	}
	static const char *no[] = {
		"Officials said 25 percent of the troops left the base.",
		"The ministry counted 1,200 people and several hundred vehicles.",
		"Qasrak lies east of the river, near Tal Beydar.",
		"The troops may march to the base.",   /* months only capitalized */
		"Prices rose 3.5 percent, to 1,200.",  /* decimals, thousands */
		"",
	};
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		CHECK(!may_hold(no[i]));
	/* the same phrases at every offset from the gate's sixteen-byte
	   blocks: a word inside a block, across two, at the end */
	static const char pad[] = "Officials of the ministry said that";
	for (size_t k = 0; k + 1 < sizeof pad; k++) {
		char buf[160];
		for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
			snprintf(buf, sizeof buf, "%.*s %s and left", (int)k, pad, yes[i]);
			CHECK(may_hold(buf));
			if (!may_hold(buf))
				fprintf(stderr, "  gate skips \"%s\"\n", buf);
		}
		for (size_t i = 0; i < sizeof no / sizeof no[0]; i++) {
			snprintf(buf, sizeof buf, "%.*s %s and left", (int)k, pad, no[i]);
			CHECK(!may_hold(buf));
		}
	}
	/* the span limits are kept: the month lies outside [0, 10) */
	CHECK(!tlex_may_hold("the troops left in March", 24, 0, 10));
	CHECK(tlex_may_hold("the troops left in March", 24, 10, 24));
}

SR_TEST(time_phrases_normalize)
{
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const tcase *c = &cases[i];
		sr_timex t;
		int found = sr_time_normalize(c->phrase, strlen(c->phrase), c->published, c->tense, &t);
		CHECK(found);
		if (!found) {
			fprintf(stderr, "  no expression in \"%s\"\n", c->phrase);
			continue;
		}
		char text[128];
		size_t n = t.end - t.start < sizeof text - 1 ? t.end - t.start : sizeof text - 1;
		memcpy(text, c->phrase + t.start, n);
		text[n] = 0;
		CHECK_STR(text, c->text);
		CHECK_STR(sr_timex_type_name(t.type), c->type);
		CHECK_STR(t.value, c->value);
	}
}

SR_TEST(time_no_expression)
{
	static const char *none[] = {"", "the fall of the regime", "May I help", "5,700 prisoners",
				     "he is 52 years old", "a rate of $5 a year", "the US forces",
				     "It may rain", "200 American soldiers",
				     /* names, not times (were tagged) */
				     "Baker said on ABC's \"This Week\" that", "This is VOA Today.",
				     "Now, he said, the war is different.",
				     /* spelled numbers that are no years */
				     "eleven thirty soldiers", "nineteen ninety-six thousand troops",
				     "she is in her eighties"};
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		sr_timex t;
		int f = sr_time_normalize(none[i], strlen(none[i]), "2026-02-24", 0, &t);
		if (f)
			fprintf(stderr, "  unexpected \"%s\" in \"%s\"\n", t.value, none[i]);
		CHECK(!f);
	}
}

static sr_doc *
doc_of(const char *text)
{
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	return d;
}

SR_TEST(time_anchoring_in_text)
{
	sr_doc *d = doc_of(" date 2026-02-24\nThe convoy left on Feb. 3. Two days later the base was empty. "
			   "That month, more troops arrived.");
	sr_timex *t;
	size_t n = sr_times_find(d, &t);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(t[0].value, "2026-02-03");
		CHECK_STR(t[1].value, "2026-02-05");
		CHECK_INT(t[1].anchor, SR_ANCHOR_TEXT);
		CHECK_INT(t[1].anchor_timex, 0);
		CHECK_STR(t[2].value, "2026-02");
		CHECK_INT(t[2].anchor, SR_ANCHOR_TEXT);
		size_t first;
		CHECK_INT(sr_times_in_sentence(t, n, t[1].sentence, &first), 1);
		CHECK_INT(first, 1);
		char cal[11];
		CHECK_STR(sr_timex_calendar(&t[0], cal), "day");
		CHECK_STR(cal, "2026-02-03");
		CHECK_STR(sr_timex_calendar(&t[2], cal), "month");
		CHECK_STR(cal, "2026-02");
	}
	sr_times_free(t);
	sr_doc_free(d);
}

/* The same phrases found in a report, as `sitrep times` finds them: the
 * gate, the splitter's flags and the grammar's pre-check (may[] in
 * times.c) lose none of them. */
SR_TEST(time_phrases_in_reports)
{
	/* and phrases whose anchor lies many words after their start */
	static const tcase far[] = {
		{"over the last twenty-four to thirty-six hours", NULL, 0,
		 "the last twenty-four to thirty-six hours", "DURATION", NULL},
		{"for the next twenty or twenty five years", NULL, 0, "the next twenty or twenty five years",
		 "DURATION", NULL},
		{"in the first two quarters", NULL, 0, "the first two quarters", "DURATION", NULL},
		{"at the beginning of the twentieth century", NULL, 0, "the beginning of the twentieth century",
		 "DATE", NULL},
	};
	const size_t ncases = sizeof cases / sizeof cases[0], nfar = sizeof far / sizeof far[0];
	for (size_t i = 0; i < ncases + nfar; i++) {
		const tcase *c = i < ncases ? &cases[i] : &far[i - ncases];
		if (c->tense)
			continue;
		char text[256];
		if (c->published && c->published[0])
			snprintf(text, sizeof text, " date %s\n%s", c->published, c->phrase);
		else
			snprintf(text, sizeof text, "%s", c->phrase);
		sr_doc *d = doc_of(text);
		sr_timex *t;
		size_t n = sr_times_find(d, &t);
		int found = 0;
		for (size_t k = 0; k < n && !found; k++) {
			const char *o = d->text + t[k].start;
			size_t l = t[k].end - t[k].start;
			found = l == strlen(c->text) && !memcmp(o, c->text, l) &&
				(!c->value || !strcmp(t[k].value, c->value));
		}
		CHECK(found);
		if (!found)
			fprintf(stderr, "  \"%s\" (%s) not found in \"%s\"\n", c->text,
				c->value ? c->value : "any value", c->phrase);
		sr_times_free(t);
		sr_doc_free(d);
	}
}

SR_TEST(time_no_publication_date_stays_unresolved)
{
	sr_doc *d = doc_of("Troops left on Monday. They arrived in 2019. Last week was calm.");
	sr_timex *t;
	size_t n = sr_times_find(d, &t);
	CHECK_INT(n, 3);
	if (n == 3) {
		CHECK_STR(t[0].value, "XXXX-WXX-1");
		CHECK_INT(t[0].anchor, SR_ANCHOR_UNRESOLVED);
		CHECK_STR(t[1].value, "2019");
		CHECK_INT(t[1].anchor, SR_ANCHOR_NONE);
		CHECK_STR(t[2].value, "XXXX-WXX");
		char cal[11];
		CHECK(sr_timex_calendar(&t[0], cal) == NULL);
	}
	sr_times_free(t);
	sr_doc_free(d);
}

SR_TEST(time_total_on_odd_input)
{
	/* nothing to find, nothing to crash on */
	static const char *odd[] = {"", "\xff\xfe", "((((((((", "1,2,3,4,5,6,7,8,9,0", "'99 '0 '",
				    "Feb. Feb. Feb.", "the the the the", "99999999999999999999 days",
				    "31/31/31", "2026-13-45", "Q5 2026", "10:99 p.m."};
	for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
		sr_doc *d = doc_of(odd[i]);
		sr_timex *t;
		size_t n = sr_times_find(d, &t);
		for (size_t k = 0; k < n; k++)
			CHECK(t[k].end <= d->len && t[k].start <= t[k].end);
		sr_times_free(t);
		sr_doc_free(d);
	}
	/* an unanalyzed document yields nothing */
	sr_doc *d = sr_doc_from_text("t", "yesterday", 9);
	sr_timex *t = (sr_timex *)1;
	CHECK_INT(sr_times_find(d, &t), 0);
	CHECK(t == NULL);
	sr_doc_free(d);
}
