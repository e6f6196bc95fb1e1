/*
 * cmd_db.c -- `sitrep db`: the store's own chores, apart from ingest and
 * the queries:
 *
 *   sitrep db fuse [--db PATH]    fuse all stored events again now and say
 *                                 how long it took (the incidents and place
 *                                 status a query would refresh)
 *   sitrep db stats [--db PATH]   what the store holds
 *   sitrep db copy SRC DST        a store into a new one, between engines
 *                                 (SQLite files, PostgreSQL databases)
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char db_help[] =
	"usage: sitrep db fuse|stats [--db PATH]\n"
	"       sitrep db copy SRC DST\n"
	"\n"
	"The store's chores.\n"
	"  fuse    fuse every stored event again into incidents and place status\n"
	"          now, and print how long it took\n"
	"  stats   the numbers of reports, events, incidents and places stored\n"
	"  copy    every row of the store SRC into the new, empty store DST, ids\n"
	"          and all: SQLite to PostgreSQL and back (a store is a file, or a\n"
	"          PostgreSQL connection string: postgresql://user@host/dbname,\n"
	"          postgres://..., or \"host=... dbname=...\")\n"
	"\n"
	"options:\n"
	"  --db PATH   the store (default sitrep.db; a file, or a PostgreSQL\n"
	"              connection string)\n";

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int
cmd_db(int argc, char **argv)
{
	const char *db = "sitrep.db", *verb = NULL, *pos[2] = {NULL, NULL};
	int npos = 0;
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(db_help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--db", &val)) {
			if (!val || !*val)
				return cli_usage_error("db", "--db needs a path");
			db = val;
		} else if (argv[i][0] == '-') {
			return cli_usage_error("db", "unknown option '%s'", argv[i]);
		} else if (!verb) {
			verb = argv[i];
		} else if (!strcmp(verb, "copy") && npos < 2) {
			pos[npos++] = argv[i];
		} else {
			return cli_usage_error("db", "one action at a time ('%s' after '%s')", argv[i],
					       verb);
		}
	}
	if (!verb)
		return cli_usage_error("db", "which action? fuse, stats or copy");
	if (!strcmp(verb, "copy")) {
		if (npos < 2)
			return cli_usage_error("db", "copy needs SRC and DST (sitrep db copy sitrep.db"
					       " postgresql://user@host/dbname)");
		char cerr[1024];
		sr_store_copy_stats cs;
		double t0 = now_s();
		int rc = sr_store_copy(pos[0], pos[1], &cs, cerr, sizeof cerr);
		if (rc != SR_OK) {
			fprintf(stderr, "sitrep db: %s\n", cerr);
			return EXIT_USAGE;
		}
		printf("copied %ld reports, %ld events, %ld incidents (%ld rows) in %.2f s\n",
		       cs.documents, cs.events, cs.incidents, cs.rows, now_s() - t0);
		return cli_finish_output("db", 0);
	}
	int fuse = !strcmp(verb, "fuse");
	if (!fuse && strcmp(verb, "stats") != 0)
		return cli_usage_error("db", "unknown action '%s' (fuse, stats or copy)", verb);
	char err[1024];
	sr_store *st = sr_store_open(db, 0, err, sizeof err);
	if (!st) {
		fprintf(stderr, "sitrep db: %s\n", err);
		return EXIT_USAGE;
	}
	int status = 0;
	double t0 = now_s();
	if (fuse && sr_store_fuse_all(st) != SR_OK) {
		fprintf(stderr, "sitrep db: %s\n", sr_store_errmsg(st));
		status = EXIT_USAGE;
	}
	double t = now_s() - t0;
	sr_store_stats ss;
	if (!status && sr_store_stats_get(st, &ss) == SR_OK) {
		if (fuse)
			printf("fused %ld events into %ld incidents in %.2f s\n", ss.events, ss.incidents, t);
		printf("%s: %ld reports, %ld sentences, %ld events, %ld incidents (%ld with"
		       " disagreements), %ld places with a status%s\n", db, ss.documents, ss.sentences,
		       ss.events, ss.incidents, ss.disagreements, ss.places,
		       ss.fused ? "" : "; incidents not up to date");
	}
	sr_store_close(st);
	return cli_finish_output("db", status);
}
