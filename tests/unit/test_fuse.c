/*
 * test_fuse.c -- fusion and place status as pure functions over arrays
 * (src/fuse), without a database: the one containment rule, incidents
 * from hand-made events whatever their order, disagreements, and the
 * timeline of a handover.
 */
#include "harness.h"
#include "sitrep.h"
#include "../../src/fuse/fuse_int.h"

#include <stdlib.h>

static sf_place
pl(long long id, int rank, const char *cc, double lat, double lon)
{
	sf_place p;
	memset(&p, 0, sizeof p);
	p.id = id;
	p.rank = rank;
	snprintf(p.country, sizeof p.country, "%s", cc);
	p.has_coord = 1;
	p.lat = lat;
	p.lon = lon;
	return p;
}

SR_TEST(fuse_one_containment_rule)
{
	sf_place sy = pl(1, SF_RANK_COUNTRY, "SY", 35, 38);
	sf_place hasakah = pl(2, SF_RANK_REGION, "SY", 36.5, 40.75);
	sf_place shaddadi = pl(3, SF_RANK_SITE, "SY", 36.06, 40.73);      /* ~50 km */
	sf_place tanf = pl(4, SF_RANK_SITE, "SY", 33.5, 38.62);            /* ~370 km */
	sf_place town = pl(5, SF_RANK_TOWN, "SY", 36.0, 40.7);
	sf_place far_region = pl(6, SF_RANK_REGION, "SY", 35.3, 40.75);   /* ~133 km */
	CHECK(sf_place_contains(&sy, &tanf));
	CHECK(sf_place_contains(&hasakah, &shaddadi));
	CHECK(!sf_place_contains(&hasakah, &tanf));
	CHECK(!sf_place_contains(&shaddadi, &hasakah));         /* finer never contains */
	CHECK(sf_place_contains(&town, &shaddadi));              /* a site within 30 km */
	CHECK(!sf_place_contains(&hasakah, &far_region));        /* same rank: no */
	CHECK(sf_place_contains(&hasakah, &hasakah));            /* the same place */
	sf_place iq = pl(7, SF_RANK_SITE, "IQ", 36.06, 40.73);
	CHECK(!sf_place_contains(&hasakah, &iq));                 /* another country */
	/* the lexicon's question has the same answer (one rule) */
	sr_entity a = {.kind = SR_ENT_PLACE, .id = "iso:SY-HA", .precision = "region",
		       .country = "SY", .has_coord = 1, .lat = 36.5, .lon = 40.75};
	sr_entity b = {.kind = SR_ENT_PLACE, .id = "site:x", .precision = "region",
		       .country = "SY", .has_coord = 1, .lat = 35.3, .lon = 40.75};
	CHECK(!sr_place_contains(&a, &b));
	b.precision = "site";
	CHECK(sr_place_contains(&a, &b));
}

SR_TEST(fuse_actor_compatibility)
{
	CHECK(sf_actors_compatible("A|US.MIL", "A|US"));
	CHECK(sf_actors_compatible("A|SY.GOV", "A|SY.MIL"));
	CHECK(sf_actors_compatible("A|cc:US", "A|US.MIL"));
	CHECK(!sf_actors_compatible("A|US.MIL", "A|SY.MIL"));
	CHECK(sf_actors_compatible(NULL, "A|SY.MIL"));
}

typedef struct spec {
	long long id, doc, actor, place;
	const char *type, *date, *dockey, *modality;
	int prank;
	double lat;
} spec;

static const spec evs[] = {
	/* one withdrawal from site 10 told by three reports, one of them a
	 * month, one with another count */
	{1, 1, 100, 10, "withdraw", "2026-02-12", "k1", "asserted", SF_RANK_SITE, 33.5},
	{2, 2, 100, 10, "withdraw", "2026-02-13", "k2", "asserted", SF_RANK_SITE, 33.5},
	{3, 3, 100, 11, "withdraw", "2026-02", "k3", "reported_unconfirmed", SF_RANK_COUNTRY, 35},
	/* the same base taken over: another type, another incident */
	{4, 1, 200, 10, "take_control", "2026-02-12", "k1", "asserted", SF_RANK_SITE, 33.5},
	/* another year: another incident */
	{5, 4, 100, 10, "withdraw", "2024-05-01", "k4", "asserted", SF_RANK_SITE, 33.5},
};

static void
make(sf_event *out, const int *order, size_t n, sf_qty *q)
{
	for (size_t k = 0; k < n; k++) {
		const spec *s = &evs[order[k]];
		sf_event *e = &out[k];
		memset(e, 0, sizeof *e);
		e->id = s->id;
		e->doc = s->doc;
		e->actor = s->actor;
		e->actor_key = s->actor == 100 ? "A|US.MIL" : "A|SY.MIL";
		e->actor_name = s->actor == 100 ? "US forces" : "Syrian army";
		e->place = s->place;
		e->prank = s->prank;
		snprintf(e->country, sizeof e->country, "SY");
		e->has_coord = 1;
		e->lat = s->lat;
		e->lon = 38.6;
		e->place_name = s->place == 10 ? "al-Tanf base" : "Syria";
		e->type = s->type;
		e->date = s->date;
		e->dprec = strlen(s->date) == 10 ? "day" : "month";
		e->dockey = s->dockey;
		e->docname = s->dockey;
		e->modality = s->modality;
		e->published = "2026-02-20";
		e->n = 0;
		if (s->id == 1 || s->id == 2) {
			q[s->id - 1].value = s->id == 1 ? 200 : 250;
			q[s->id - 1].unit = "personnel";
			e->q = &q[s->id - 1];
			e->nq = 1;
		}
	}
}

/* The incidents as "type:member ids" lines, for comparison. */
static void
describe(const sf_fusion *fu, char *out, size_t n)
{
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < fu->ninc; i++) {
		const sf_incident *I = &fu->inc[i];
		long long ids[8];
		size_t k = 0;
		for (size_t m = 0; m < I->nmem && k < 8; m++)
			ids[k++] = fu->ev[I->mem[m]].id;
		for (size_t a = 1; a < k; a++)
			for (size_t b = a; b > 0 && ids[b - 1] > ids[b]; b--) {
				long long t = ids[b];
				ids[b] = ids[b - 1];
				ids[b - 1] = t;
			}
		o += (size_t)snprintf(out + o, n - o, "%lld %s:", I->id, I->an->type);
		for (size_t a = 0; a < k; a++)
			o += (size_t)snprintf(out + o, n - o, "%s%lld", a ? "," : "", ids[a]);
		o += (size_t)snprintf(out + o, n - o, ";");
	}
}

SR_TEST(fuse_incidents_from_arrays_in_any_order)
{
	static const int orders[][5] = {{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}, {2, 0, 4, 1, 3}};
	char first[512] = "";
	for (size_t o = 0; o < SR_ARRAY_LEN(orders); o++) {
		sf_event ev[5];
		sf_qty q[2];
		make(ev, orders[o], 5, q);
		sf_fusion fu = {0};
		fu.ev = ev;
		fu.nev = 5;
		sf_fuse(&fu);
		char got[512];
		describe(&fu, got, sizeof got);
		if (o == 0) {
			snprintf(first, sizeof first, "%s", got);
			/* by earliest date: 2024, then February (the month's
			 * report starts on the 1st), then the 12th; the three
			 * reports of February are one incident */
			CHECK_STR(got, "1 withdraw:5;2 withdraw:1,2,3;3 take_control:4;");
			const sf_incident *I = &fu.inc[1];
			CHECK_INT(I->ndocs, 3);
			CHECK_INT(I->mod, SR_MOD_ASSERTED);
			/* one row per value: 200 and 250 personnel, and the
			 * dates 12 and 13 February (and the month) */
			int counts = 0, dates = 0;
			for (size_t k = 0; k < I->ndis; k++) {
				counts += !strcmp(I->dis[k].field, "count:personnel");
				dates += !strcmp(I->dis[k].field, "date");
			}
			CHECK_INT(counts, 2);
			CHECK_INT(dates, 3);
			CHECK(I->dated_ev >= 0 && !strcmp(fu.ev[I->dated_ev].date, "2026-02-12"));
		} else {
			CHECK_STR(got, first);
		}
		sf_fusion_free(&fu);
	}
}

/* The withdrawals of evs (1, 2, 3 one incident, 5 another, as stored)
 * and a new report of the 14th (6), fused again from x0. */
static int
fuse_from(const char *x0date, int with_old5, char *got, size_t n, int *changed)
{
	static const int order[] = {0, 1, 2, 4};
	sf_event ev[5];
	sf_qty q[2];
	make(ev, order, 4, q);
	ev[0].was = ev[1].was = ev[2].was = 2;
	ev[3].was = 1;
	ev[4] = ev[1];
	ev[4].id = 6;
	ev[4].doc = 6;
	ev[4].dockey = ev[4].docname = "k6";
	ev[4].date = "2026-02-14";
	ev[4].q = NULL;
	ev[4].nq = 0;
	ev[4].was = 0;
	sf_fusion fu = {0};
	/* without event 5 (its window ends before x0, it is not read) */
	fu.ev = ev;
	fu.nev = 5;
	if (!with_old5) {
		ev[3] = ev[4];
		fu.nev = 4;
	}
	int32_t x0, hi;
	st_date_range(x0date, &x0, &hi);
	int ok = sf_fuse_region(&fu, x0);
	describe(&fu, got, n);
	*changed = 0;
	for (size_t i = 0; i < fu.ninc; i++)
		*changed += fu.inc[i].changed;
	sf_fusion_free(&fu);
	return ok;
}

SR_TEST(fuse_region_proved_or_refused)
{
	char got[512];
	int changed;
	/* from 20 January: every event of February is fused again, the
	 * new one joins the incident of 1, 2, 3: proved, one changed */
	CHECK_INT(fuse_from("2026-01-20", 0, got, sizeof got, &changed), 1);
	CHECK_STR(got, "1 withdraw:1,2,3,6;");
	CHECK_INT(changed, 1);
	/* from 12 February: 1, 2 and 3 start before it and keep their
	 * incident, which the new one joins: the region cannot say what a
	 * fusion of all gives */
	CHECK_INT(fuse_from("2026-02-12", 0, got, sizeof got, &changed), 0);
	/* an event of 2024 read with them, kept where it was: proved, its
	 * incident unchanged */
	CHECK_INT(fuse_from("2026-01-20", 1, got, sizeof got, &changed), 1);
	CHECK_STR(got, "1 withdraw:5;2 withdraw:1,2,3,6;");
	CHECK_INT(changed, 1);
	/* a new event before the region: refused */
	CHECK_INT(fuse_from("2026-02-15", 0, got, sizeof got, &changed), 0);
}

SR_TEST(fuse_status_of_a_handover)
{
	static const char *const src_a[] = {"Reuters"};
	static const char *const src_b[] = {"AFP", "Reuters"};
	sf_sinc in[2];
	memset(in, 0, sizeof in);
	in[0].id = 1;
	in[0].place = 10;
	in[0].actor = 200;
	in[0].actor_key = "A|SY.MIL";
	in[0].other = 100;
	in[0].other_name = "US forces";
	in[0].type = "take_control";
	in[0].date = "2026-02-12";
	in[0].dprec = "day";
	in[0].dated = 1;
	st_date_range("2026-02-12", &in[0].when, &(int32_t){0});
	in[0].sources = src_b;
	in[0].nsources = 2;
	in[1].id = 2;
	in[1].place = 10;
	in[1].actor = 100;
	in[1].actor_key = "A|US.MIL";
	in[1].type = "withdraw";
	in[1].date = "2026-02-11";
	in[1].dprec = "day";
	in[1].dated = 1;
	st_date_range("2026-02-11", &in[1].when, &(int32_t){0});
	in[1].sources = src_a;
	in[1].nsources = 1;
	sf_status_out out = {0};
	sf_status(in, 2, "2026-02-20", &out);
	/* US present until they withdrew, then Syria holds it */
	CHECK_INT(out.n, 2);
	int held = -1;
	for (size_t i = 0; i < out.n; i++)
		if (!strcmp(out.iv[i].role, "held"))
			held = (int)i;
	CHECK(held >= 0);
	if (held >= 0) {
		CHECK_INT(out.iv[held].actor, 200);
		CHECK(out.iv[held].open);
		CHECK_STR(out.iv[held].start, "2026-02-12");
		CHECK_STR(out.iv[held].sources_json, "[\"AFP\",\"Reuters\"]");
		CHECK_INT(out.iv[held].nsources, 2);
	}
	sf_status_free(&out);
}
