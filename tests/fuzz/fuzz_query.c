/*
 * fuzz_query.c -- libFuzzer target for the query writers: events,
 * incidents, places (every format), the report and search, with filters
 * taken from the input, over a store made once from examples/.  The
 * input's first byte picks the query and format; the rest is cut at NUL
 * bytes into the filter's strings (actor, place, country, since, until,
 * source, search query) and numbers (type, modality, limit, width).
 * Invariants: a writer returns SR_OK or SR_ERR_USAGE (a bad value, with
 * a message), never a store error; JSON Lines output is one object a
 * line.
 */
#include "fuzz_common.h"

#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sr_store *st;
static sr_lexicon *lx;

static void
make_store(void)
{
	char err[1024], path[64];
	snprintf(path, sizeof path, "/tmp/fuzz-query-%d.db", (int)getpid());
	remove(path);
	lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	sr_extractor *x = lx ? sr_extractor_new(lx, err, sizeof err) : NULL;
	sr_store *w = x ? sr_store_open(path, SR_STORE_CREATE, err, sizeof err) : NULL;
	if (!w) {
		fprintf(stderr, "fuzz_query: %s\n", err);
		abort();
	}
	sr_store_set_lexicon(w, lx);
	sr_reader *r = sr_reader_new();
	const char *ex = getenv("SITREP_EXAMPLES");
	sr_reader_add(r, ex ? ex : "examples");
	sr_doc *d;
	int rc, n = 0;
	while ((rc = sr_reader_next(r, &d)) != SR_END) {
		if (rc != SR_OK)
			continue;
		sr_doc_analyze(d);
		const sr_event *ev;
		size_t nev;
		sr_extract(x, d, &ev, &nev);
		FUZZ_ASSERT(sr_store_add(w, d, ev, nev, NULL) == SR_OK);
		sr_doc_free(d);
		n++;
	}
	sr_reader_free(r);
	if (n == 0) {
		fprintf(stderr, "fuzz_query: no report in examples/ (run from the repository)\n");
		abort();
	}
	FUZZ_ASSERT(sr_store_fuse(w) == SR_OK);
	sr_store_close(w);
	sr_extractor_free(x);
	st = sr_store_open(path, SR_STORE_QUERY, err, sizeof err);
	FUZZ_ASSERT(st != NULL);
	sr_store_set_lexicon(st, lx);
}

/* Each line of a JSON Lines output is one object. */
static void
check_jsonl(const sr_mem *m)
{
	const char *p = m->data ? m->data : "";
	while (*p) {
		const char *nl = strchr(p, '\n');
		FUZZ_ASSERT(nl != NULL);
		FUZZ_ASSERT(*p == '{' && nl[-1] == '}');
		p = nl + 1;
	}
}

/* The store is made before fuzzing starts: under load, making it took
 * longer than the per-input timeout. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_store();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 4)
		return 0;
	char *buf = malloc(size + 1);
	memcpy(buf, data + 4, size - 4);
	buf[size - 4] = 0;
	const char *s[8] = {0};
	size_t at = 0;
	for (int i = 0; i < 8 && at <= size - 4; i++) {
		s[i] = buf + at;
		at += strlen(buf + at) + 1;
	}
	sr_filter f = {0};
	f.type = data[1] % 9 - 1;               /* -1 and 7 are out of range */
	f.modality = data[2] % 7 - 1;
	f.limit = data[3] % 5;
	f.width = data[3] & 0x80 ? 40 + data[3] % 80 : 0;
	f.actor = s[0] && *s[0] ? s[0] : NULL;
	f.place = s[1] && *s[1] ? s[1] : NULL;
	f.country = s[2] && *s[2] ? s[2] : NULL;
	f.since = s[3] && *s[3] ? s[3] : NULL;
	f.until = s[4] && *s[4] ? s[4] : NULL;
	f.source = s[5] && *s[5] ? s[5] : NULL;
	int what = data[0] % 5, fmt = (data[0] / 5) % 5;
	sr_mem m = {0};
	int rc;
	if (what < 3) {
		sr_page page = {0};
		page.limit = f.limit;
		page.cursor = s[6];
		rc = sr_store_query(st, what, &f, fmt, &page, sr_sink_mem, &m);
		if (rc == SR_OK && fmt == SR_FMT_JSONL)
			check_jsonl(&m);
	} else if (what == 3) {
		rc = sr_store_report(st, &f, sr_sink_mem, &m);
	} else {
		rc = sr_store_search_sink(st, s[7] ? s[7] : "", &f, fmt % 2 ? SR_FMT_JSONL :
					  SR_FMT_TABLE, sr_sink_mem, &m);
		if (rc == SR_OK && fmt % 2)
			check_jsonl(&m);
	}
	if (rc != SR_OK && rc != SR_ERR_USAGE)
		fprintf(stderr, "fuzz_query: %d: %s\n", rc, sr_store_errmsg(st));
	FUZZ_ASSERT(rc == SR_OK || rc == SR_ERR_USAGE);
	if (rc == SR_ERR_USAGE)
		FUZZ_ASSERT(*sr_store_errmsg(st) != 0);
	sr_mem_free(&m);
	free(buf);
	return 0;
}
