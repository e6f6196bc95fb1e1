/*
 * cmd_entities.c -- `sitrep entities`: every place and actor a report
 * names, resolved against the lexicon, as JSON Lines.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: sitrep entities [--lexicon DIR]... [--format jsonl] [FILE|DIR|-]...\n"
	"\n"
	"Reads reports and prints the places and actors they name, one mention a\n"
	"line, in text order:\n"
	"  {\"doc\", \"span\": [START, END], \"text\", \"kind\": \"place\"|\"actor\",\n"
	"   \"type\", \"id\", \"name\", \"country\",\n"
	"   places only: \"place_kind\", \"lat\", \"lon\", \"precision\"}\n"
	"START and END are byte offsets into the report's original text; TEXT is\n"
	"the original bytes of the span. type is the kind of place (base,\n"
	"airport, crossing, prison, camp, town, region, country...) or of actor\n"
	"(state_military, government, armed_group, coalition, agency, media...);\n"
	"precision is site, town, region or country. A site found only by its\n"
	"shape (\"Camp X\", \"X air base\") has \"shape\": true and sits at X.\n"
	"With no input, reads stdin.\n"
	"\n"
	"Options:\n"
	"  --lexicon DIR   also read the lexicon files of DIR (places.tsv,\n"
	"                  actors.tsv, forces.tsv, shapes.tsv, words.tsv);\n"
	"                  repeatable. The main data folder is $SITREP_DATA or\n"
	"                  the data/ folder of the installation.\n"
	"  --format jsonl  the output format (the only one for now)\n"
	"  -h, --help      show this help\n";

typedef struct run {
	sr_recognizer *rec;
} run;

static void
print_doc(sr_doc *doc, void *ctx)
{
	run *r = ctx;
	const sr_entity *ents;
	size_t n;
	sr_recognize(r->rec, doc, &ents, &n);
	for (size_t i = 0; i < n; i++) {
		sr_entity_write_json(stdout, doc, &ents[i]);
		putchar('\n');
	}
}

int
cmd_entities(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
			if (cli_add_lexicon("entities", val))
				return EXIT_USAGE;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--format", &val)) {
			if (!val)
				return EXIT_USAGE;
			if (strcmp(val, "jsonl"))
				return cli_usage_error("entities", "unknown format '%s' (jsonl)", val);
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("entities", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	sr_lexicon *lx = cli_load_lexicon("entities");
	if (!lx)
		return EXIT_USAGE;
	run r = {sr_recognizer_new(lx)};
	int st = cli_each_doc(paths, npaths, true, print_doc, &r);
	sr_recognizer_free(r.rec);
	sr_lexicon_free(lx);
	return cli_finish_output("entities", st);
}
