/*
 * fuzz_store.c -- libFuzzer target for the store: ingest, fusion and
 * place status.  The input is cut at form feeds (\f) into up to eight
 * reports (the first byte of each picks its publication date); each is
 * analyzed, its events extracted and added to a new in-memory store,
 * some twice (a duplicate must be stored once); then the store is fused.
 * Invariants: every add succeeds, every stored document holds its
 * announced events, every event is in exactly one incident, fusing again
 * changes nothing, and SQLite's integrity check passes.
 */
#include "fuzz_common.h"

#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sr_lexicon *lx;
static sr_extractor *xt;

static long
scalar(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *s;
	long v = -1;
	if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The lexicon is loaded before fuzzing starts (not counted in the
 * per-input timeout). */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char err[1024];
	lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	xt = lx ? sr_extractor_new(lx, err, sizeof err) : NULL;
	if (!xt) {
		fprintf(stderr, "fuzz_store: %s\n", err);
		abort();
	}
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[1024];
	char path[64];
	char aux[80];
	snprintf(path, sizeof path, "/tmp/fuzz-store-%d.db", (int)getpid());
	remove(path);
	snprintf(aux, sizeof aux, "%s-wal", path);
	remove(aux);
	snprintf(aux, sizeof aux, "%s-shm", path);
	remove(aux);
	sr_store *st = sr_store_open(path, SR_STORE_CREATE, err, sizeof err);
	FUZZ_ASSERT(st != NULL);
	sr_store_set_lexicon(st, lx);
	sr_store_set_batch(st, 3);
	size_t at = 0;
	int ndocs = 0;
	while (at <= size && ndocs < 8) {
		const uint8_t *ff = memchr(data + at, '\f', size - at);
		size_t end = ff ? (size_t)(ff - data) : size;
		char buf[40];
		int day = end > at ? 1 + data[at] % 28 : 1;
		int n = snprintf(buf, sizeof buf, " date 2026-02-%02d\n", day);
		size_t len = end - at;
		char *text = malloc((size_t)n + len + 1);
		memcpy(text, buf, (size_t)n);
		memcpy(text + n, data + at, len);
		sr_doc *d = sr_doc_from_text("fuzz", text, (size_t)n + len);
		free(text);
		sr_doc_analyze(d);
		const sr_event *ev;
		size_t nev;
		sr_extract(xt, d, &ev, &nev);
		int added;
		FUZZ_ASSERT(sr_store_add(st, d, ev, nev, &added) == SR_OK);
		if (ndocs == 1) {       /* the same report again: not stored twice */
			FUZZ_ASSERT(sr_store_add(st, d, ev, nev, &added) == SR_OK);
			FUZZ_ASSERT(added == 0);
		}
		sr_doc_free(d);
		ndocs++;
		at = end + 1;
	}
	FUZZ_ASSERT(sr_store_flush(st) == SR_OK);
	FUZZ_ASSERT(sr_store_fuse(st) == SR_OK);
	sr_store_stats s1, s2;
	FUZZ_ASSERT(sr_store_stats_get(st, &s1) == SR_OK && s1.fused);
	FUZZ_ASSERT(sr_store_fuse(st) == SR_OK);
	FUZZ_ASSERT(sr_store_stats_get(st, &s2) == SR_OK);
	FUZZ_ASSERT(s1.incidents == s2.incidents && s1.places == s2.places &&
		    s1.disagreements == s2.disagreements);
	sr_store_close(st);

	sqlite3 *db;
	FUZZ_ASSERT(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK);
	FUZZ_ASSERT(scalar(db, "SELECT count(*) FROM events") ==
		    scalar(db, "SELECT coalesce(sum(nevents), 0) FROM documents"));
	FUZZ_ASSERT(scalar(db, "SELECT count(*) FROM events") ==
		    scalar(db, "SELECT count(*) FROM incident_events"));
	FUZZ_ASSERT(scalar(db, "SELECT count(*) FROM incidents WHERE id NOT IN"
			       " (SELECT incident_id FROM incident_events)") == 0);
	sqlite3_stmt *q;
	FUZZ_ASSERT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL) == SQLITE_OK);
	FUZZ_ASSERT(sqlite3_step(q) == SQLITE_ROW &&
		    !strcmp((const char *)sqlite3_column_text(q, 0), "ok"));
	sqlite3_finalize(q);
	sqlite3_close(db);
	remove(path);
	return 0;
}
