/*
 * cmd_lexicon.c -- `sitrep lexicon check [DIR]`: validates lexicon files.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: sitrep lexicon check [DIR]\n"
	"       sitrep lexicon stats [--lexicon DIR]...\n"
	"       sitrep lexicon compile [FILE]\n"
	"\n"
	"check  validates the lexicon files of DIR (default: the main data\n"
	"       folder, $SITREP_DATA or the installation's data/): places.tsv,\n"
	"       actors.tsv, countries_extra.tsv, forces.tsv, shapes.tsv,\n"
	"       words.tsv. Prints one line FILE:LINE: PROBLEM for each problem\n"
	"       (unreadable file, missing column, duplicate id, bad coordinates,\n"
	"       unknown country code or kind, names that collide across\n"
	"       entries once folded) and exits 1 if there is any, else 0.\n"
	"stats  loads the whole lexicon (gazetteer included) and prints the\n"
	"       number of entries and the folders read.\n"
	"compile builds the lexicon of the main data folder from its text files\n"
	"       and writes it to FILE (default: gen/lexicon.img of that folder,\n"
	"       which every command then reads instead of the text files while\n"
	"       they keep their size and time; `make` does this).\n"
	"\n"
	"Options:\n"
	"  --lexicon DIR   (stats) also read DIR; repeatable\n"
	"  -h, --help      show this help\n";

int
cmd_lexicon(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(help, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : 0;
	}
	if (!strcmp(argv[1], "check")) {
		const char *dir = NULL;
		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
				fputs(help, stdout);
				return 0;
			}
			if (argv[i][0] == '-' && argv[i][1])
				return cli_usage_error("lexicon", "unknown option '%s'", argv[i]);
			if (dir)
				return cli_usage_error("lexicon", "check takes one folder");
			dir = argv[i];
		}
		int n = sr_lexicon_check(dir, stdout);
		n += sr_events_check(dir, stdout);  /* triggers, codes, classes */
		if (n) {
			fprintf(stderr, "sitrep lexicon: %d problem%s in %s\n", n, n == 1 ? "" : "s",
				dir ? dir : sr_lexicon_default_dir());
			return 1;
		}
		return 0;
	}
	if (!strcmp(argv[1], "stats")) {
		for (int i = 2; i < argc; i++) {
			const char *val;
			if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
				if (!val)
					return EXIT_USAGE;
				if (cli_nlexicon_dirs >= 16)
					return cli_usage_error("lexicon", "at most 16 --lexicon folders");
				cli_lexicon_dirs[cli_nlexicon_dirs++] = val;
				continue;
			}
			return cli_usage_error("lexicon", "unknown argument '%s'", argv[i]);
		}
		char err[512];
		sr_lexicon *lx = sr_lexicon_load(cli_lexicon_dirs, cli_nlexicon_dirs, err, sizeof err);
		if (!lx) {
			fprintf(stderr, "sitrep lexicon: %s\n", err);
			return 1;
		}
		printf("entries: %zu\n", sr_lexicon_size(lx));
		for (int i = 0; sr_lexicon_dir(lx, i); i++)
			printf("folder: %s\n", sr_lexicon_dir(lx, i));
		sr_lexicon_free(lx);
		return 0;
	}
	if (!strcmp(argv[1], "compile")) {
		if (argc > 3 || (argc == 3 && argv[2][0] == '-'))
			return cli_usage_error("lexicon", "compile takes one file");
		char err[512], path[4200];
		/* built from the text files, whatever image is there */
		setenv("SITREP_LEXICON_IMAGE", "0", 1);
		sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
		if (!lx) {
			fprintf(stderr, "sitrep lexicon: %s\n", err);
			return 1;
		}
		snprintf(path, sizeof path, "%s/gen/lexicon.img", sr_lexicon_dir(lx, 0));
		int rc = sr_lexicon_save_image(lx, argc == 3 ? argv[2] : path, err, sizeof err);
		sr_lexicon_free(lx);
		if (rc != SR_OK) {
			fprintf(stderr, "sitrep lexicon: %s\n", err);
			return 1;
		}
		return 0;
	}
	return cli_usage_error("lexicon", "unknown subcommand '%s' (check, stats, compile)", argv[1]);
}
