/*
 * test_faults.c -- regressions for what the fuzz targets of issue 16
 * found (each named after what broke; they fail under the sanitizers of
 * make asan), and the store's read-only open for queries.
 */
#include "harness.h"
#include "sitrep.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char path[64];

static sr_store *
empty_store(void)
{
	char err[256], side[80];
	snprintf(path, sizeof path, "/tmp/sitrep-unit-faults-%d.db", (int)getpid());
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	sr_store *st = sr_store_open(path, SR_STORE_CREATE, err, sizeof err);
	if (st)
		sr_store_fuse(st);
	return st;
}

static void
drop(sr_store *st)
{
	char side[80];
	sr_store_close(st);
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* fuzz_query: a table query that failed on a bad filter value leaked the
 * table's column widths */
SR_TEST(faults_failed_table_query_leaks_nothing)
{
	sr_store *st = empty_store();
	CHECK(st != NULL);
	if (!st)
		return;
	sr_filter f = {0};
	f.type = -1;
	sr_mem m = {0};
	sr_page page = {0};
	int rc = sr_store_query(st, SR_Q_INCIDENTS, &f, SR_FMT_TABLE, &page, sr_sink_mem, &m);
	CHECK(rc == SR_ERR_USAGE || rc == SR_OK);
	sr_mem_free(&m);
	f.type = 0;
	page.cursor = "not a cursor";
	rc = sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_TABLE, &page, sr_sink_mem, &m);
	CHECK(rc == SR_ERR_USAGE);
	sr_mem_free(&m);
	drop(st);
}

/* fuzz_options, fuzz_query: the places table over no place computed
 * NULL + 0 (undefined behaviour) */
SR_TEST(faults_places_table_of_no_place)
{
	sr_store *st = empty_store();
	CHECK(st != NULL);
	if (!st)
		return;
	sr_filter f = {0};
	f.country = "CO";
	sr_mem m = {0};
	CHECK(sr_store_report(st, &f, sr_sink_mem, &m) == SR_OK);
	sr_mem_free(&m);
	sr_page page = {0};
	CHECK(sr_store_query(st, SR_Q_PLACES, &f, SR_FMT_TABLE, &page, sr_sink_mem, &m) == SR_OK);
	sr_mem_free(&m);
	drop(st);
}

/* fuzz_lexicon: checking a folder whose files are empty sorted a NULL
 * array (qsort(NULL, 0) is undefined behaviour) */
SR_TEST(faults_lexicon_check_of_empty_files)
{
	char dir[64], f[96];
	snprintf(dir, sizeof dir, "/tmp/sitrep-unit-lexicon-%d", (int)getpid());
	mkdir(dir, 0755);
	snprintf(f, sizeof f, "%s/places.tsv", dir);
	FILE *fp = fopen(f, "w");
	CHECK(fp != NULL);
	if (fp)
		fclose(fp);
	FILE *out = fopen("/dev/null", "w");
	CHECK(sr_lexicon_check(dir, out) >= 0);
	fclose(out);
	unlink(f);
	rmdir(dir);
}

/* a query's handle never writes: opened read-only, it refuses a report */
SR_TEST(faults_query_handle_is_read_only)
{
	sr_store *st = empty_store();
	CHECK(st != NULL);
	if (!st)
		return;
	sr_store_close(st);
	char err[256];
	st = sr_store_open(path, SR_STORE_QUERY, err, sizeof err);
	CHECK(st != NULL);
	if (!st)
		return;
	sr_doc *d = sr_doc_from_text("x", "US forces left Raqqa.", 21);
	sr_doc_analyze(d);
	int added = 1;
	CHECK(sr_store_add(st, d, NULL, 0, &added) == SR_ERR_DB);
	CHECK(added == 0);
	CHECK(strstr(sr_store_errmsg(st), "read-only") != NULL);
	sr_doc_free(d);
	drop(st);
}
