/*
 * fuzz_lexicon.c -- libFuzzer target for the lexicon loader.  The input
 * is cut at form feeds (\f) into the files of a data folder: places.tsv,
 * actors.tsv, forces.tsv, shapes.tsv, words.tsv and gen/gazetteer.tsv
 * (the generated gazetteer's fast path).  The folder is loaded as the
 * main data folder (SITREP_DATA) and checked as `sitrep lexicon check`
 * does.  Invariants: no crash, leak or sanitizer report; a load that
 * fails says why (a message naming the folder or file); one that
 * succeeds can be queried and freed.
 */
#include "fuzz_common.h"

#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const files[] = {"places.tsv", "actors.tsv", "forces.tsv", "shapes.tsv",
	"words.tsv", "gen/gazetteer.tsv"};
static char dir[64];
static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		snprintf(dir, sizeof dir, "/tmp/fuzz-lexicon-%d", (int)getpid());
		mkdir(dir, 0755);
		char gen[96];
		snprintf(gen, sizeof gen, "%s/gen", dir);
		mkdir(gen, 0755);
		setenv("SITREP_DATA", dir, 1);
	}
	size_t at = 0;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (at > size) {
			remove(path);
			continue;
		}
		const uint8_t *ff = memchr(data + at, '\f', size - at);
		size_t end = ff ? (size_t)(ff - data) : size;
		FILE *f = fopen(path, "wb");
		FUZZ_ASSERT(f != NULL);
		fwrite(data + at, 1, end - at, f);
		fclose(f);
		at = end + 1;
	}
	char err[1024] = "";
	sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	int problems = sr_lexicon_check(dir, devnull);
	FUZZ_ASSERT(problems >= 0);
	if (!lx) {
		FUZZ_ASSERT(err[0] != 0 && strstr(err, dir) != NULL);
		return 0;
	}
	FUZZ_ASSERT(sr_lexicon_dir(lx, 0) != NULL);
	sr_entity e;
	(void)sr_lexicon_get(lx, "US.MIL", &e);
	(void)sr_lexicon_size(lx);
	sr_lexicon_free(lx);
	return 0;
}
