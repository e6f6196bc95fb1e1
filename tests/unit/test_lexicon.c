/*
 * test_lexicon.c -- the lexicon's name folding and the recognizer on short
 * texts of our own (the shipped data folder; SITREP_DATA may point
 * elsewhere).
 */
#include "harness.h"

#include "../../src/lexicon/lexicon_int.h"

#include <stdlib.h>

static const char *
fold(const char *s)
{
	static char out[LX_MAX_KEY + 8];
	size_t n = lx_fold(s, strlen(s), out);
	out[n] = '\0';
	return out;
}

SR_TEST(lexicon_fold_articles_and_case)
{
	CHECK_STR(fold("al-Tanf"), "tanf");
	CHECK_STR(fold("El-Tanf"), "tanf");
	CHECK_STR(fold("ash-Shaddadi"), "shaddadi");
	CHECK_STR(fold("U.S."), "us");
	CHECK_STR(fold("Hasakah"), "hasaka");
	CHECK_STR(fold("Hasakeh"), "hasaka");
	CHECK_STR(fold("Ḩasakah"), "hasaka");
	CHECK_STR(fold("#Raqqa"), "raqqa");
	CHECK(lx_fold("Al", 2, (char[8]){0}) == 0);
	CHECK_STR(fold("at-a"), "at-a");   /* too short to be an article */
}

static sr_lexicon *
lexicon(void)
{
	static sr_lexicon *lx;
	if (!lx) {
		char err[256];
		if (!getenv("SITREP_DATA"))
			setenv("SITREP_DATA", "data", 1);
		lx = sr_lexicon_load(NULL, 0, err, sizeof err);
		if (!lx)
			fprintf(stderr, "lexicon: %s\n", err);
	}
	return lx;
}

/* The entities of text as "text=id" lines. */
static const char *
entities(const char *text)
{
	static char out[4096];
	sr_lexicon *lx = lexicon();
	out[0] = '\0';
	if (!lx)
		return out;
	sr_recognizer *r = sr_recognizer_new(lx);
	sr_doc *doc = sr_doc_from_text("t", text, strlen(text));
	const sr_entity *e;
	size_t n;
	sr_recognize(r, doc, &e, &n);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof out - strlen(out), "%.*s=%s;",
			 (int)(e[i].end - e[i].start), doc->text + e[i].start, e[i].id);
	sr_doc_free(doc);
	sr_recognizer_free(r);
	return out;
}

SR_TEST(lexicon_loads_and_finds_ids)
{
	sr_lexicon *lx = lexicon();
	CHECK(lx != NULL);
	if (!lx)
		return;
	sr_entity e;
	CHECK(sr_lexicon_get(lx, "site:al-tanf", &e) == SR_OK);
	CHECK_STR(e.country, "SY");
	CHECK(sr_lexicon_get(lx, "cc:IQ", &e) == SR_OK);
	CHECK_STR(e.precision, "country");
	CHECK(sr_lexicon_get(lx, "no:such", &e) == SR_END);
}

SR_TEST(entities_arabic_article_variants_meet)
{
	CHECK_STR(entities("They left el-Tanf."), "el-Tanf=site:al-tanf;");
	CHECK_STR(entities("They left At Tanf garrison."), "At Tanf garrison=site:al-tanf;");
}

SR_TEST(entities_acronyms_keep_their_case)
{
	CHECK_STR(entities("Give us the SDF."), "SDF=group:sdf;");
	CHECK_STR(entities("This is it."), "");
}

SR_TEST(entities_demonym_and_force_noun_is_an_actor)
{
	CHECK_STR(entities("Iraqi security forces arrived."), "Iraqi security forces=IQ.MIL;");
	CHECK_STR(entities("U.S. forces left."), "U.S. forces=US.MIL;");
}

SR_TEST(entities_possessive_and_shapes)
{
	CHECK_STR(entities("Syria's army"), "Syria's army=SY.MIL;");
	CHECK_STR(entities("They reached Camp Blorgville."), "Camp Blorgville=shape:camp-blorgville;");
	CHECK_STR(entities("in Hasakah province"), "Hasakah province=iso:SY-HA;");
}

SR_TEST(entities_nothing_inside_urls_and_handles)
{
	CHECK_STR(entities("see https://example.com/Baghdad and @Baghdad"), "");
}

SR_TEST(place_contains_country_and_region)
{
	sr_lexicon *lx = lexicon();
	if (!lx)
		return;
	sr_entity sy, tanf, hasakah, shaddadi;
	CHECK(sr_lexicon_get(lx, "cc:SY", &sy) == SR_OK);
	CHECK(sr_lexicon_get(lx, "site:al-tanf", &tanf) == SR_OK);
	CHECK(sr_lexicon_get(lx, "iso:SY-HA", &hasakah) == SR_OK);
	CHECK(sr_lexicon_get(lx, "site:shaddadi", &shaddadi) == SR_OK);
	CHECK(sr_place_contains(&sy, &tanf));
	CHECK(sr_place_contains(&hasakah, &shaddadi));
	CHECK(!sr_place_contains(&hasakah, &tanf));
}

SR_TEST(lexicon_check_reports_each_problem)
{
	FILE *f = tmpfile();
	int n = sr_lexicon_check("tests/cli/lexicon.d/bad", f);
	CHECK(n >= 5);
	char buf[4096] = {0};
	rewind(f);
	size_t got = fread(buf, 1, sizeof buf - 1, f);
	buf[got] = '\0';
	fclose(f);
	CHECK(strstr(buf, "duplicate id 'site:a'") != NULL);
	CHECK(strstr(buf, "unknown country code 'XX'") != NULL);
	CHECK(strstr(buf, "bad coordinates") != NULL);
	CHECK(strstr(buf, "unknown place kind 'spaceport'") != NULL);
	CHECK(strstr(buf, "places.tsv:5:") != NULL);
}

/* lx_is_article is the articles table of fold.c unrolled: they agree on
 * every two- and three-letter ASCII word, in any case */
SR_TEST(lexicon_article_test_matches_the_table)
{
	static const char *const table[] = {"al", "el", "ar", "as", "ash", "at", "ad", "adh", "an",
					    "az", "ath", "ed", "en", "er", "es", "et", "ez", "ul"};
	int bad = 0;
	for (int a = 0x21; a < 0x7f; a++)
		for (int b = 0x21; b < 0x7f; b++)
			for (int c = 0x20; c < 0x7f; c++) {
				char s[3] = {(char)a, (char)b, (char)c};
				size_t n = c == 0x20 ? 2 : 3;
				bool want = false;
				for (size_t i = 0; i < SR_ARRAY_LEN(table); i++)
					if (strlen(table[i]) == n && !sr_strncasecmp_ascii(s, table[i], n))
						want = true;
				bad += lx_is_article(s, n) != want;
			}
	CHECK_INT(bad, 0);
	CHECK(!lx_is_article("a", 1) && !lx_is_article("alla", 4));
}

/* One entity written as JSON, in out. */
static const char *
entity_json(const sr_entity *e)
{
	static char out[1024];
	sr_doc *doc = sr_doc_from_text("d\"1", "a \"q\"\tb\x01 c", 10);
	FILE *f = fmemopen(out, sizeof out, "w");
	sr_entity_write_json(f, doc, e);
	fclose(f);
	sr_doc_free(doc);
	return out;
}

SR_TEST(entity_json_escapes_and_formats_like_printf)
{
	sr_entity e = {.start = 2, .end = 10, .kind = SR_ENT_PLACE, .type = "town",
		       .id = "gn:170654", .name = "Dam\\ascus", .country = "SY",
		       .precision = "town", .has_coord = 1, .lat = 33.5102f, .lon = -0.00001f};
	CHECK_STR(entity_json(&e),
		  "{\"doc\":\"d\\\"1\",\"span\":[2,10],\"text\":\"\\\"q\\\"\\tb\\u0001 c\","
		  "\"kind\":\"place\",\"type\":\"town\",\"id\":\"gn:170654\",\"geonameid\":170654,"
		  "\"name\":\"Dam\\\\ascus\",\"country\":\"SY\",\"place_kind\":\"town\","
		  "\"lat\":33.5102,\"lon\":-0.0000,\"precision\":\"town\"}");
	/* coordinates: the fast "%.4f" agrees with printf on floats (ties
	 * such as 0.03125 round to even) and on other doubles */
	int bad = 0;
	uint32_t x = 12345;
	for (int i = 0; i < 200000; i++) {
		x = x * 1103515245u + 12345u;
		double v = i < 100000 ? (double)(float)(((int)(x >> 8) % 3600000) / 10000.0 - 180.0)
				      : ((int)(x >> 4) % 36000001) / 100000.0 - 180.0;
		if (i == 0)
			v = 0.03125;
		if (i == 1)
			v = -0.0;
		if (i == 2)
			v = 1e-30;
		if (i == 3)
			v = 16777216.0;
		e.lat = v;
		e.lon = -v;
		char want[256], got[1024];
		snprintf(want, sizeof want, "\"lat\":%.4f,\"lon\":%.4f,", e.lat, e.lon);
		snprintf(got, sizeof got, "%s", entity_json(&e));
		bad += strstr(got, want) == NULL;
	}
	CHECK_INT(bad, 0);
	e.has_coord = 0;
	e.kind = SR_ENT_ACTOR;
	e.country = "";
	CHECK(strstr(entity_json(&e), "\"country\":null}") != NULL);
}

/* a mention filled from the lexicon after a shape ("Camp X") in an
 * earlier document carried its "shape" flag along */
SR_TEST(entities_no_stale_shape_flag)
{
	sr_lexicon *lx = lexicon();
	if (!lx)
		return;
	sr_recognizer *r = sr_recognizer_new(lx);
	sr_doc *d1 = sr_doc_from_text("1", "They reached Camp Blorgville.", 29);
	sr_doc *d2 = sr_doc_from_text("2", "They reached Syria.", 19);
	const sr_entity *e;
	size_t n;
	sr_recognize(r, d1, &e, &n);
	CHECK(n == 1 && e[0].shape);
	sr_recognize(r, d2, &e, &n);
	CHECK(n == 1 && !e[0].shape);
	sr_doc_free(d1);
	sr_doc_free(d2);
	sr_recognizer_free(r);
}
