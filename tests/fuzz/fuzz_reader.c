/*
 * fuzz_reader.c -- libFuzzer target for the reader: the input is written
 * to a temporary file and read twice, once as JSON Lines (a .jsonl name)
 * and once as a plain text report (a .txt name).  Every record must come
 * out as a document or as an error with a message naming the file, and
 * each document is analyzed and checked (fuzz_common.h).
 */
#include "fuzz_common.h"

#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char jpath[256], tpath[256];
static FILE *devnull;

static void
setup(void)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	snprintf(jpath, sizeof jpath, "%s/sitrep-fuzz-%ld.jsonl", dir, (long)getpid());
	snprintf(tpath, sizeof tpath, "%s/sitrep-fuzz-%ld.txt", dir, (long)getpid());
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
	size_t docs = 0, errors = 0;
	while ((st = sr_reader_next(r, &d)) != SR_END) {
		if (st != SR_OK) {
			FUZZ_ASSERT(d == NULL);
			FUZZ_ASSERT(st >= SR_ERR_IO && st <= SR_ERR_LIMIT);
			/* the message names the file */
			FUZZ_ASSERT(strstr(sr_reader_errmsg(r), path) != NULL);
			errors++;
			continue;
		}
		FUZZ_ASSERT(d && d->id && d->origin);
		FUZZ_ASSERT(!d->published[0] || strlen(d->published) == 10);
		const char *w = sr_reader_warning(r);
		FUZZ_ASSERT(!w == !d->bad_utf8);
		sr_doc_analyze(d);
		fuzz_check_norm(d);
		fuzz_check_tokens(d);
		sr_write_sentences(devnull, d);
		sr_doc_free(d);
		docs++;
	}
	FUZZ_ASSERT(sr_reader_skipped(r) == errors);
	/* a text file (one not starting with '{', which makes it JSON
	 * Lines) is one document or one error */
	size_t i = 0;
	while (i < size && (data[i] == ' ' || data[i] == '\n' || data[i] == '\r' || data[i] == '\t'))
		i++;
	if (path == tpath && (i == size || data[i] != '{'))
		FUZZ_ASSERT(docs + errors == 1);
	sr_reader_free(r);
	unlink(path);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		setup();
	read_path(jpath, data, size);
	read_path(tpath, data, size);
	return 0;
}
