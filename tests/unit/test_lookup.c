/*
 * test_lookup.c -- sr_lexicon_find_place (src/lexicon/lookup.c): a place
 * of the lexicon by a name the text spells its own way, only in the
 * country the caller expects.  A gazetteer of its own (a temporary data
 * folder with the shipped curated files and a few made-up rows), so that
 * the rule is checked apart from the shipped names.
 */
#include "harness.h"

#include "../../include/sitrep.h"
#include "../../src/sr_internal.h"

#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const FILES[] = {"places.tsv", "actors.tsv", "countries_extra.tsv",
				    "forces.tsv", "shapes.tsv", "words.tsv"};

/* The id that name finds in country cc at precision prec, or "-". */
static const char *
find(const sr_lexicon *lx, const char *name, const char *cc, const char *prec)
{
	static char out[128];
	sr_entity e;
	if (sr_lexicon_find_place(lx, name, strlen(name), cc, prec, &e) != SR_OK)
		return "-";
	snprintf(out, sizeof out, "%s", e.id);
	return out;
}

SR_TEST(lookup_finds_a_town_spelled_another_way_in_its_country_only)
{
	char tmpl[] = "/tmp/sitrep-lookup.XXXXXX";
	char *dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	if (!dir)
		return;
	char cwd[PATH_MAX], path[PATH_MAX + 64], link[PATH_MAX + 64];
	CHECK(getcwd(cwd, sizeof cwd) != NULL);
	for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
		snprintf(path, sizeof path, "%s/data/%s", cwd, FILES[i]);
		snprintf(link, sizeof link, "%s/%s", dir, FILES[i]);
		CHECK(symlink(path, link) == 0);
	}
	snprintf(path, sizeof path, "%s/gen", dir);
	CHECK(mkdir(path, 0700) == 0);
	snprintf(path, sizeof path, "%s/gen/gazetteer.tsv", dir);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs("id\tname\tkind\tcountry\tadmin1\tlat\tlon\tpopulation\tfeature\tnames\n"
		      "gn:1\tZarhuna\ttown\tLY\t\t32.4\t13.6\t20000\tPPL\tZarhuna\n"
		      "gn:2\tBekele\ttown\tET\t\t13.5\t39.5\t200000\tPPLA\tBekele\n"
		      "gn:3\tQorvin\ttown\tRU\t\t50.0\t40.0\t3000\tPPL\tQorvin\n"
		      "x:r\tZarhuna Plain\tregion\tLY\t\t31.0\t14.0\t0\tADM1\tZarhuna Plain\n", f);
		fclose(f);
	}
	const char *old = getenv("SITREP_DATA");
	char *keep = old ? strdup(old) : NULL;
	setenv("SITREP_DATA", dir, 1);
	char err[256];
	sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	if (keep)
		setenv("SITREP_DATA", keep, 1);
	else
		unsetenv("SITREP_DATA");
	free(keep);
	CHECK(lx != NULL);
	if (lx) {
		/* as written, "ou" for "u", a doubled letter written once */
		CHECK_STR(find(lx, "Zarhuna", "LY", NULL), "gn:1");
		CHECK_STR(find(lx, "Zarhouna", "LY", "town"), "gn:1");
		CHECK_STR(find(lx, "Bekelle", "ET", "town"), "gn:2");
		/* a doubled letter and a rule together: each rule is tried on
		 * the word with its doubled letters written once */
		CHECK_STR(find(lx, "Zarrhouna", "LY", "town"), "gn:1");
		/* "q" for "k" */
		CHECK_STR(find(lx, "Korvin", "RU", "town"), "-");
		CHECK_STR(find(lx, "Qorvin", "RU", "town"), "gn:3");
		/* in another country: nothing */
		CHECK_STR(find(lx, "Zarhouna", "TN", "town"), "-");
		/* no country: only a town of 100,000 people or more */
		CHECK_STR(find(lx, "Bekelle", NULL, "town"), "gn:2");
		CHECK_STR(find(lx, "Zarhouna", NULL, "town"), "-");
		/* the precision asked for */
		CHECK_STR(find(lx, "Zarhuna Plain", "LY", "town"), "-");
		CHECK_STR(find(lx, "Zarhouna Plain", "LY", "region"), "x:r");
		/* a name of no place */
		CHECK_STR(find(lx, "Blorgistan", "LY", NULL), "-");
		sr_lexicon_free(lx);
	}
	unlink(path);
	snprintf(path, sizeof path, "%s/gen", dir);
	rmdir(path);
	for (size_t i = 0; i < sizeof FILES / sizeof FILES[0]; i++) {
		snprintf(link, sizeof link, "%s/%s", dir, FILES[i]);
		unlink(link);
	}
	rmdir(dir);
}
