/*
 * test_lexicon_case.c -- capitals inside the names of the world
 * gazetteer: a name written with capitals must be written so in the
 * text, except for the words that one of the entry's names writes in
 * lower case ("Iraq's Kurdish region": the possessive "s" and "region").
 * Before the fix, every inner word had to be capitalized, so "toward
 * Iraq's Kurdish region" gave only "Iraq".
 *
 * One test uses a gazetteer of its own (a temporary data folder with the
 * shipped curated files and a three-row gen/gazetteer.tsv) so that the
 * rule is checked apart from the shipped names; the other uses the
 * shipped data folder.
 */
#include "harness.h"

#include "../../include/sitrep.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* The entities of text under lexicon lx as "text=id;" items. */
static const char *
found(sr_lexicon *lx, const char *text)
{
	static char out[4096];
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

/* Loads the lexicon of data folder dir (SITREP_DATA restored after). */
static sr_lexicon *
load_dir(const char *dir)
{
	const char *old = getenv("SITREP_DATA");
	char *keep = old ? strdup(old) : NULL;
	setenv("SITREP_DATA", dir, 1);
	char err[256];
	sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	if (!lx)
		fprintf(stderr, "lexicon %s: %s\n", dir, err);
	if (keep)
		setenv("SITREP_DATA", keep, 1);
	else
		unsetenv("SITREP_DATA");
	free(keep);
	return lx;
}

static sr_lexicon *
shipped(void)
{
	static sr_lexicon *lx;
	if (!lx) {
		const char *d = getenv("SITREP_DATA");
		lx = load_dir(d && *d ? d : "data");
	}
	return lx;
}

SR_TEST(entities_gazetteer_inner_lower_case_words_follow_the_names)
{
	char tmpl[] = "/tmp/sitrep-case.XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return;
	char cwd[PATH_MAX], path[PATH_MAX + 64], link[PATH_MAX + 64];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	static const char *const files[] = {"places.tsv", "actors.tsv", "countries_extra.tsv",
					    "forces.tsv", "shapes.tsv", "words.tsv"};
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(path, sizeof path, "%s/data/%s", cwd, files[i]);
		snprintf(link, sizeof link, "%s/%s", dir, files[i]);
		CHECK(symlink(path, link) == 0);
	}
	snprintf(path, sizeof path, "%s/gen", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/gen/gazetteer.tsv", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tfeature\tnames\n"
		      "cc:IQ\tIraq\tcountry\tIQ\t\t33.0\t44.0\t0\tPCLI\tIraq\n"
		      "x:blorg\tBlorg Region\tregion\tIQ\t\t36.0\t44.0\t0\tADM1\t"
		      "Blorg Region|Blorg Region of Iraq|Iraq's Blorg region|Blorg region\n"
		      "gn:1\tNew Blorgton\ttown\tIQ\t\t35.0\t45.0\t5000\tPPL\tNew Blorgton\n", f);
		fclose(f);
	}
	sr_lexicon *lx = load_dir(dir);
	CHECK(lx != NULL);
	/* the possessive and "region" are lower case in the name itself */
	CHECK_STR(found(lx, "They moved toward Iraq's Blorg region."),
		  "Iraq's Blorg region=x:blorg;");
	CHECK_STR(found(lx, "They moved toward Iraq\xE2\x80\x99s Blorg region."),
		  "Iraq\xE2\x80\x99s Blorg region=x:blorg;");
	/* "region" is lower case in another name of the entry */
	CHECK_STR(found(lx, "They went to the Blorg region of Iraq."),
		  "Blorg region of Iraq=x:blorg;");
	CHECK_STR(found(lx, "They went to the Blorg Region of Iraq."),
		  "Blorg Region of Iraq=x:blorg;");
	/* capitals are still required where no name has lower case */
	CHECK_STR(found(lx, "They went to New blorgton."), "");
	CHECK_STR(found(lx, "They went to New Blorgton."), "New Blorgton=gn:1;");
	sr_lexicon_free(lx);
	snprintf(path, sizeof path, "%s/gen/gazetteer.tsv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/gen", dir);
	rmdir(path);
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(link, sizeof link, "%s/%s", dir, files[i]);
		unlink(link);
	}
	rmdir(dir);
}

SR_TEST(entities_iraqi_kurdistan_longest_name_wins)
{
	sr_lexicon *lx = shipped();
	CHECK_STR(found(lx, "Troops withdrew toward Iraq's Kurdish region."),
		  "Iraq's Kurdish region=iq:kurdistan;");
	CHECK_STR(found(lx, "Troops withdrew toward Iraq\xE2\x80\x99s Kurdish region."),
		  "Iraq\xE2\x80\x99s Kurdish region=iq:kurdistan;");
	CHECK_STR(found(lx, "Forces moved to the Kurdistan Region of Iraq."),
		  "Kurdistan Region of Iraq=iq:kurdistan;");
	CHECK_STR(found(lx, "Forces moved to the Kurdistan region of Iraq."),
		  "Kurdistan region of Iraq=iq:kurdistan;");
	CHECK_STR(found(lx, "Iraqi Kurdistan is calm."), "Iraqi Kurdistan=iq:kurdistan;");
	CHECK_STR(found(lx, "The Kurdistan Region said so."), "Kurdistan Region=iq:kurdistan;");
	/* the country alone is still the country */
	CHECK_STR(found(lx, "Iraq's north is calm."), "Iraq=cc:IQ;");
}
