/*
 * fuzz_reader.c -- libFuzzer target for the reader: the input is written
 * to a temporary file and read twice, once as JSON Lines (a .jsonl name)
 * and once as a plain text report (a .txt name).  Every record must come
 * out as a document or as an error with a message naming the file, and
 * each document is analyzed and checked (fuzz_common.h).  Each line is
 * also given to the reader's fast JSON parser: whatever it accepts,
 * jansson must accept too, with the same "text" and "id".
 */
#include "fuzz_common.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

/* reader.c's fast JSON record parser, checked here against jansson */
int sr_reader_fast_json(const char *line, size_t n, char **text, size_t *textn, char **id);

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
		/* replaced bytes are always warned about (a date that
		 * cannot be read is too) */
		FUZZ_ASSERT(!d->bad_utf8 || w);
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
	/* ...unless it is a page, a feed, an archive or gzip, known by
	 * content: a feed or an archive may hold many */
	bool web = (i < size && data[i] == '<') || (size >= 2 && data[0] == 0x1f && data[1] == 0x8b) ||
		   (size - i >= 5 && !memcmp(data + i, "WARC/", 5)) ||
		   (size >= 3 && data[0] == 0xEF && data[1] == 0xBB && data[2] == 0xBF);
	if (path == tpath && !web && (i == size || data[i] != '{'))
		FUZZ_ASSERT(docs + errors == 1);
	sr_reader_free(r);
	unlink(path);
}

/* The fast parser takes a line only if jansson reads it the same way. */
static void
check_fast_json(const char *line, size_t n)
{
	char *text, *id;
	size_t textn;
	if (!sr_reader_fast_json(line, n, &text, &textn, &id))
		return;
	json_error_t err;
	json_t *obj = json_loadb(line, n, 0, &err);
	FUZZ_ASSERT(obj != NULL);
	FUZZ_ASSERT(json_is_object(obj));
	json_t *t = json_object_get(obj, "text");
	FUZZ_ASSERT(json_is_string(t));
	FUZZ_ASSERT(json_string_length(t) == textn);
	FUZZ_ASSERT(!memcmp(json_string_value(t), text, textn));
	json_t *jid = json_object_get(obj, "id");
	char want[32];
	const char *wid = NULL;
	if (json_is_string(jid) && json_string_length(jid) > 0) {
		wid = json_string_value(jid);
	} else if (json_is_integer(jid)) {
		snprintf(want, sizeof want, "%lld", (long long)json_integer_value(jid));
		wid = want;
	}
	FUZZ_ASSERT(!wid == !id);
	FUZZ_ASSERT(!wid || !strcmp(wid, id));
	json_decref(obj);
	free(text);
	free(id);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		setup();
	/* the lines as the reader sees them: valid UTF-8 (it repairs first) */
	for (size_t a = 0; a < size;) {
		const uint8_t *nl = memchr(data + a, '\n', size - a);
		size_t b = nl ? (size_t)(nl - data) : size;
		if (fuzz_valid_utf8(data + a, b - a) && !memchr(data + a, 0, b - a))
			check_fast_json((const char *)data + a, b - a);
		a = b + 1;
	}
	read_path(jpath, data, size);
	read_path(tpath, data, size);
	return 0;
}
