/*
 * test_events.c -- the event extractor on short reports written for these
 * tests: types, roles (active, passive, handover, nominal), modality,
 * dates, quantities, sources, codes and merging within a report.
 */
#include "harness.h"
#include "sitrep.h"

#include <stdlib.h>

static sr_lexicon *lx;
static sr_extractor *xt;

static int
setup(void)
{
	if (xt)
		return 1;
	char err[1024];
	lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	if (!lx) {
		fprintf(stderr, "  cannot load the lexicon: %s\n", err);
		return 0;
	}
	xt = sr_extractor_new(lx, err, sizeof err);
	if (!xt)
		fprintf(stderr, "  cannot load the triggers: %s\n", err);
	return xt != NULL;
}

/* Extracts the events of text (published on date) into a new document. */
static sr_doc *
run(const char *date, const char *text, const sr_event **ev, size_t *n)
{
	char buf[4096];
	snprintf(buf, sizeof buf, " date %s %s", date, text);
	sr_doc *d = sr_doc_from_text("test", buf, strlen(buf));
	sr_extract(xt, d, ev, n);
	return d;
}

static const sr_event *
find(const sr_event *ev, size_t n, const char *type)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ev[i].type, type))
			return &ev[i];
	return NULL;
}

SR_TEST(events_take_control_with_date_and_source)
{
	if (!setup()) {
		CHECK(0);
		return;
	}
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-02-13",
			"Syrian forces took control of the al-Tanf base on Thursday, the "
			"Syrian defence ministry said.", &ev, &n);
	const sr_event *e = find(ev, n, "take_control");
	CHECK(e != NULL);
	if (e) {
		CHECK_STR(e->actor.country, "SY");
		CHECK_STR(e->place.id, "site:al-tanf");
		CHECK(e->place.has_coord);
		CHECK_STR(e->date, "2026-02-12");
		CHECK_STR(e->modality, "asserted");
		CHECK(e->nsources >= 1);
		if (e->nsources)
			CHECK_STR(e->sources[0].kind, "official");
		CHECK_STR(e->cameo, "192");
	}
	sr_doc_free(d);
}

SR_TEST(events_handover_gives_two_events)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2020-03-21", "The U.S. handed over Camp Taji to Iraqi forces on Saturday.",
			&ev, &n);
	const sr_event *w = find(ev, n, "withdraw");
	const sr_event *t = find(ev, n, "take_control");
	CHECK(w != NULL && t != NULL);
	if (w && t) {
		CHECK_STR(w->actor.country, "US");
		CHECK_STR(w->place.id, "site:taji");
		CHECK_STR(t->actor.country, "IQ");
		CHECK_STR(t->other.country, "US");
		CHECK_STR(t->date, "2020-03-21");
	}
	sr_doc_free(d);
}

SR_TEST(events_passive_takes_the_doer_from_by)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2023-04-11", "The Conoco base was targeted by Iranian-backed militias on Monday.",
			&ev, &n);
	const sr_event *a = find(ev, n, "attack");
	CHECK(a != NULL);
	if (a) {
		CHECK(a->place.set);
		CHECK(a->actor.set);
		CHECK_STR(a->date, "2023-04-10");
	}
	sr_doc_free(d);
}

SR_TEST(events_modality_expected_denied_reported)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2024-05-01", "American troops will withdraw from Niger by September.", &ev, &n);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(ev[0].modality, "expected");
	sr_doc_free(d);

	d = run("2020-01-07", "The U.S. military has no plans to withdraw from Iraq, the Pentagon said.",
		&ev, &n);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(ev[0].modality, "denied");
	sr_doc_free(d);

	d = run("2026-02-24", "US forces reportedly left the Qasrak base on Monday.", &ev, &n);
	CHECK(n >= 1);
	if (n) {
		CHECK_STR(ev[0].modality, "reported_unconfirmed");
		CHECK_STR(ev[0].place.id, "site:qasrak");
		CHECK_STR(ev[0].date, "2026-02-23");
	}
	sr_doc_free(d);
}

SR_TEST(events_quantities_with_units_and_hedges)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-02-20",
			"US forces have transferred about 7,000 Islamic State detainees from "
			"prisons in Syria to Iraq. A drone attack on the Conoco base killed two "
			"soldiers and wounded five contractors.", &ev, &n);
	const sr_event *t = find(ev, n, "transfer_detainees");
	CHECK(t != NULL);
	if (t) {
		CHECK(t->nquantities >= 1);
		if (t->nquantities) {
			CHECK(t->quantities[0].value == 7000);
			CHECK_STR(t->quantities[0].unit, "detainees");
			CHECK(t->quantities[0].approx);
		}
		CHECK_STR(t->other.country, "IQ");
	}
	const sr_event *a = find(ev, n, "attack");
	CHECK(a != NULL);
	if (a) {
		int killed = 0, injured = 0;
		for (int i = 0; i < a->nquantities; i++) {
			killed += !strcmp(a->quantities[i].unit, "killed") && a->quantities[i].value == 2;
			injured += !strcmp(a->quantities[i].unit, "injured") && a->quantities[i].value == 5;
		}
		CHECK(killed == 1);
		CHECK(injured == 1);
		CHECK_STR(a->cameo, "195");
	}
	sr_doc_free(d);
}

SR_TEST(events_none_in_plain_text)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-01-01", "The weather in Baghdad was mild and the markets were busy.", &ev, &n);
	CHECK_INT(n, 0);
	sr_doc_free(d);
	d = run("2026-01-01", "", &ev, &n);
	CHECK_INT(n, 0);
	sr_doc_free(d);
}

SR_TEST(events_same_event_twice_is_one_record)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2021-05-13",
			"US forces withdrew from Kandahar Airfield on Wednesday. Officials said the "
			"US withdrawal from Kandahar Airfield went smoothly.", &ev, &n);
	size_t withdrawals = 0;
	const sr_event *w = NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ev[i].type, "withdraw")) {
			withdrawals++;
			w = &ev[i];
		}
	CHECK_INT(withdrawals, 1);
	if (w) {
		CHECK_INT(w->nalso, 1);
		CHECK_STR(w->date, "2021-05-12");
	}
	sr_doc_free(d);
}

SR_TEST(events_no_date_without_publication_date)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	const char *text = "Russian troops left Kherson on Friday.";
	sr_doc *d = sr_doc_from_text("nodate", text, strlen(text));
	sr_extract(xt, d, &ev, &n);
	CHECK(n >= 1);
	if (n)
		CHECK_STR(ev[0].date, "");  /* never a guess from today's clock */
	sr_doc_free(d);
}

/* found by fuzzing: a count past the range of long long was cast to it
 * (undefined behaviour) when the record was written */
SR_TEST(events_huge_count_written_as_json)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-01-01", "US forces withdrew 777777777777777777777777 troops from "
			"the Qasrak base.", &ev, &n);
	CHECK(n >= 1);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	for (size_t i = 0; i < n; i++)
		sr_event_write_json(f, d, &ev[i], i);
	fclose(f);
	CHECK(buf && strstr(buf, "7.77778e+23") != NULL);
	free(buf);
	sr_doc_free(d);
}

/* counts the events of one type */
static size_t
count(const sr_event *ev, size_t n, const char *type)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += !strcmp(ev[i].type, type);
	return c;
}

/* what someone demands, fears or threatens did not happen */
SR_TEST(events_rule_demands_and_threats_are_no_events)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2024-03-01", "Protesters in Erbil called on Turkish troops to withdraw from "
			"the Bashiqa base. The militia threatened attacks against US forces at the "
			"Ain al-Asad base.", &ev, &n);
	CHECK(count(ev, n, "withdraw") == 0);
	CHECK(count(ev, n, "attack") == 0);
	sr_doc_free(d);
}

/* "these attacks" names the attack told before; a state is no event */
SR_TEST(events_rule_remention_and_state)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2024-03-05", "Rockets were fired at the Ain al-Asad base on Monday. "
			"These attacks caused no casualties. The US has about 900 troops deployed in "
			"Syria.", &ev, &n);
	CHECK(count(ev, n, "attack") == 1);
	CHECK(count(ev, n, "deploy") == 0);
	sr_doc_free(d);
}

/* a noun mention takes the modality of the finite statement it repeats;
 * the trigger's span is in the record */
SR_TEST(events_rule_noun_mention_merges)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-02-23", "US forces have begun withdrawing from the Qasrak base. The "
			"withdrawal from the Qasrak base will take about 15 days.", &ev, &n);
	CHECK(count(ev, n, "withdraw") == 1);
	const sr_event *w = find(ev, n, "withdraw");
	if (w) {
		CHECK_STR(w->modality, "asserted");
		CHECK(w->tend > w->tstart);
		CHECK(!strncmp(d->text + w->tstart, "withdrawing", w->tend - w->tstart));
	}
	sr_doc_free(d);
}

/* an unnamed base is where the place after it is, and keeps its words */
SR_TEST(events_rule_unnamed_base)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2022-03-30", "At least five rockets were fired at the Turkish army base in "
			"northern Iraq on Tuesday.", &ev, &n);
	const sr_event *a = find(ev, n, "attack");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(a->place.country, "IQ");
		CHECK(a->place.text && strstr(a->place.text, "base") != NULL);
		CHECK_STR(a->date, "2022-03-29");
	}
	sr_doc_free(d);
}

/* leaders act for their state; agreements have a place */
SR_TEST(events_rule_leader_signs_in_place)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2020-03-01", "President Trump signed an accord with the Taliban in Doha on "
			"Saturday.", &ev, &n);
	const sr_event *a = find(ev, n, "agreement");
	CHECK(a != NULL);
	if (a) {
		CHECK_STR(a->actor.name, "Donald Trump");
		CHECK_STR(a->actor.country, "US");
		CHECK(a->place.set && a->place.name && strstr(a->place.name, "Doha") != NULL);
	}
	sr_doc_free(d);
}

/* "where" hangs on the places before it; an address is no list */
SR_TEST(events_rule_where_and_addresses)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2019-10-23", "The YPG left Manbij and Tal Rifat, where Syrian government "
			"forces moved in.", &ev, &n);
	CHECK(count(ev, n, "take_control") == 2);
	sr_doc_free(d);
	d = run("2019-10-23", "US troops left the airport in Qamishli, northeastern Syria.", &ev, &n);
	CHECK(count(ev, n, "withdraw") == 1);
	sr_doc_free(d);
	d = run("2019-10-23", "Related: US troops left the airport in Qamishli", &ev, &n);
	CHECK(n == 0);
	sr_doc_free(d);
}

/* a redeployment from a base is a withdrawal from it; a destination and a
 * region in it are one destination, and the narrower one is kept */
SR_TEST(events_rule_destination_narrows)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-02-23", "US forces are withdrawing from the Qasrak base, moving "
			"equipment to Iraq. The redeployment of forces from Qasrak to the "
			"Kurdistan Region of Iraq has begun.", &ev, &n);
	CHECK_INT(count(ev, n, "withdraw"), 1);
	CHECK(n >= 1 && ev[0].other.set && ev[0].other.id && !strcmp(ev[0].other.id, "iq:kurdistan"));
	sr_doc_free(d);
	/* two destinations in two countries stay two withdrawals */
	d = run("2026-02-23", "US forces withdrew from the Qasrak base to Iraq. Later US forces "
			"withdrew from the Qasrak base to Jordan.", &ev, &n);
	CHECK_INT(count(ev, n, "withdraw"), 2);
	sr_doc_free(d);
}

/* "rocket attacks" is a noun ("such rocket attacks" names attacks told
 * before); "In May" is a month, not a modal; "between the sides" are
 * the two parties named last */
SR_TEST(events_rule_nouns_months_sides)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2022-03-30", "The Bashiqa base has been subjected to such rocket attacks "
			"three times this year.", &ev, &n);
	CHECK_INT(count(ev, n, "attack"), 0);
	sr_doc_free(d);
	d = run("2024-07-07", "In May, Germany and Niger agreed on the use of the Niamey base.", &ev, &n);
	CHECK(count(ev, n, "agreement") == 1 && !strcmp(ev[0].modality, "asserted"));
	sr_doc_free(d);
	d = run("2024-07-07", "Fighting erupted between the SDF and the Syrian government. A "
			"ceasefire was later struck between the sides.", &ev, &n);
	CHECK_INT(count(ev, n, "agreement"), 1);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(ev[i].type, "agreement"))
			CHECK(ev[i].actor.set && ev[i].other.set && ev[i].actor.id && ev[i].other.id &&
			      strcmp(ev[i].actor.id, ev[i].other.id) != 0);
	sr_doc_free(d);
}

/* the number words are found by a binary search of their table: words
 * from its start, middle and end, in any case, alone or hyphenated */
SR_TEST(events_number_words)
{
	if (!setup())
		return;
	const sr_event *ev;
	size_t n;
	sr_doc *d = run("2026-01-01", "US forces withdrew thirty-four troops, Seventeen vehicles "
			"and a dozen trucks from the Qasrak base. Eighteen soldiers and two-dozen "
			"advisers left the Hemus base; an official said one aircraft stayed.", &ev, &n);
	static const double want[] = {34, 17, 12, 18, 24, 1};
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		for (int q = 0; q < ev[i].nquantities; q++, k++)
			if (k < sizeof want / sizeof want[0])
				CHECK(ev[i].quantities[q].value == want[k]);
	CHECK_INT(k, 6);
	sr_doc_free(d);
}

SR_TEST(events_zz_free)
{
	sr_extractor_free(xt);
	sr_lexicon_free(lx);
	xt = NULL;
	lx = NULL;
}
