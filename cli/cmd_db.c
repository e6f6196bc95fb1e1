/*
 * cmd_db.c -- `sitrep db`: the store's own chores, apart from ingest and
 * the queries:
 *
 *   sitrep db fuse [--db PATH]    fuse all stored events again now and say
 *                                 how long it took (the incidents and place
 *                                 status a query would refresh)
 *   sitrep db stats [--db PATH]   what the store holds
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const char db_help[] =
	"usage: sitrep db fuse|stats [--db PATH]\n"
	"\n"
	"The store's chores.\n"
	"  fuse    fuse every stored event again into incidents and place status\n"
	"          now, and print how long it took\n"
	"  stats   the numbers of reports, events, incidents and places stored\n"
	"\n"
	"options:\n"
	"  --db PATH   the store (default sitrep.db)\n";

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
	const char *db = "sitrep.db", *verb = NULL;
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
		} else {
			return cli_usage_error("db", "one action at a time ('%s' after '%s')", argv[i],
					       verb);
		}
	}
	if (!verb)
		return cli_usage_error("db", "which action? fuse or stats");
	int fuse = !strcmp(verb, "fuse");
	if (!fuse && strcmp(verb, "stats") != 0)
		return cli_usage_error("db", "unknown action '%s' (fuse or stats)", verb);
	char err[1024];
	sr_store *st = sr_store_open(db, 0, err, sizeof err);
	if (!st) {
		fprintf(stderr, "sitrep db: %s\n", err);
		return EXIT_USAGE;
	}
	int status = 0;
	double t0 = now_s();
	if (fuse && sr_store_fuse(st) != SR_OK) {
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
