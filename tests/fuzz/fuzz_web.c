/*
 * fuzz_web.c -- libFuzzer target for the readers of the web's formats:
 * the input is written to a temporary file and read as an HTML page (a
 * .html name), as a feed (.xml) and as a WARC archive (.warc), each
 * through sr_reader.  Every input must end as documents or as errors
 * whose message names the file; each document is valid UTF-8, carries an
 * id and an origin and a date that is empty or YYYY-MM-DD, and is
 * analyzed and checked (fuzz_common.h).  No network: nothing here is a
 * URL.
 */
#include "fuzz_common.h"

#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char paths[3][256];
static FILE *devnull;

static void
setup(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	static const char *const ext[3] = {"html", "xml", "warc"};
	for (int i = 0; i < 3; i++)
		snprintf(paths[i], sizeof paths[i], "%s/sitrep-fuzz-web-%ld.%s", dir, (long)getpid(),
			 ext[i]);
	devnull = fopen("/dev/null", "w");
}

static void
read_path(const char *path, const uint8_t *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	FUZZ_ASSERT(f);
	FUZZ_ASSERT(fwrite(data, 1, size, f) == size || size == 0);
	fclose(f);
	sr_reader *r = sr_reader_new();
	sr_reader_add(r, path);
	sr_doc *d;
	int st;
	size_t errors = 0;
	while ((st = sr_reader_next(r, &d)) != SR_END) {
		if (st != SR_OK) {
			FUZZ_ASSERT(d == NULL);
			FUZZ_ASSERT(st >= SR_ERR_IO && st <= SR_ERR_LIMIT);
			FUZZ_ASSERT(strstr(sr_reader_errmsg(r), path) != NULL);
			errors++;
			continue;
		}
		FUZZ_ASSERT(d && d->id && d->origin);
		FUZZ_ASSERT(!d->published[0] || strlen(d->published) == 10);
		FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)d->text, d->len));
		FUZZ_ASSERT(!d->title || fuzz_valid_utf8((const unsigned char *)d->title, strlen(d->title)));
		sr_doc_analyze(d);
		fuzz_check_norm(d);
		fuzz_check_tokens(d);
		sr_write_sentences(devnull, d);
		sr_doc_free(d);
	}
	FUZZ_ASSERT(sr_reader_skipped(r) == errors);
	sr_reader_free(r);
	unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		setup();
	for (int i = 0; i < 3; i++)
		read_path(paths[i], data, size);
	return 0;
}
