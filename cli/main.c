/*
 * main.c -- the sitrep command: dispatches to one subcommand per stage of
 * the pipeline.  Each cmd_*.c file holds one subcommand.
 */
#include "cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const cli_command commands[] = {
	{"sentences", "cut reports into sentences (JSON Lines)", cmd_sentences},
	{"entities", "places and actors named in reports (JSON Lines)", cmd_entities},
	{"lexicon", "check lexicon files (lexicon check [DIR])", cmd_lexicon},
	{"times", "time expressions and their TimeML values (JSON Lines)", cmd_times},
	{"extract", "events stated by reports (JSON Lines or TSV)", cmd_extract},
	{"ingest", "store reports and their events, fuse incidents (SQLite)", cmd_ingest},
	{"report", "the situation: who holds each place, incidents, disagreements", cmd_report},
	{"events", "stored events, filtered (table, JSON Lines, CSV, GeoJSON)", cmd_events},
	{"incidents", "events fused across reports, with disagreements", cmd_incidents},
	{"places", "places and who holds them, with timelines", cmd_places},
	{"search", "full-text search of stored sentences (FTS5's syntax)", cmd_search},
	{"serve", "the situation on a map and a JSON API (HTTP, loopback)", cmd_serve},
	{"read", "reports as sitrep reads them: pages, feeds, archives (JSON Lines)", cmd_read},
	{"watch", "keep a store current from feeds and pages on the web", cmd_watch},
	{"parse", "tags, lemmas and dependency trees (CoNLL-U)", cmd_parse},
	{"db", "the store's chores: fuse again, stats", cmd_db},
	/* @@ more commands @@ */
};

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: sitrep [--version] [--help] COMMAND [OPTIONS] [FILE|DIR|-]...\n"
		"\n"
		"sitrep turns news reports about armed forces into sourced, dated,\n"
		"geocoded events and tracks who holds each place.\n"
		"\n"
		"Inputs are plain text files (an optional first line \" date YYYY-MM-DD\"\n"
		"gives the publication date), JSON Lines files (one report a line: id,\n"
		"url, outlet, published, title, text), HTML pages, RSS and Atom feeds,\n"
		"WARC archives (each gzip-compressed or not), http(s) URLs, folders of\n"
		"these (read recursively in sorted order) and - for standard input.\n"
		"\n"
		"Commands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
		"\n"
		"Run 'sitrep COMMAND --help' for a command's options.\n"
		"Exit status: 0 all input read, 1 some records skipped (see stderr),\n"
		"2 usage error.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("sitrep %s\n", sr_version());
		return 0;
	}
	/* output to a file: written in large blocks (a write per 4 KB was a
	   measurable part of `sitrep times`); a terminal or a pipe keeps
	   the usual buffering, so that a reader sees records as they come */
	static char outbuf[(size_t)1 << 18];   /* glibc sizes its own by the file system's block */
	struct stat st;
	if (fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode))
		setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "sitrep: unknown command '%s'; run 'sitrep --help' for the list\n", argv[1]);
	return EXIT_USAGE;
}
