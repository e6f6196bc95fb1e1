/*
 * cmd_extract.c -- `sitrep extract`: the events of each report, one JSON
 * object a line in the event record format (or TSV).  Streams: each
 * document is read, extracted, printed and freed before the next.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: sitrep extract [--lexicon DIR]... [--format jsonl|tsv] [FILE|DIR|-]...\n"
	"\n"
	"Reads reports and prints the events they state: who withdrew from,\n"
	"took control of, deployed to or attacked which place, detainee\n"
	"transfers and agreements, each with its actor, place, other party, date,\n"
	"quantities, modality (asserted, reported_unconfirmed, expected, denied),\n"
	"sources, CAMEO/PLOVER/ACLED codes and the evidence sentence.\n"
	"\n"
	"jsonl (the default) prints one event a line: doc, id, type, actor,\n"
	"place, other ({id, name, text, kind, country; a place also lat, lon,\n"
	"precision}), date ({value, precision, approx, text}), quantities,\n"
	"modality, sources, codes ({cameo, plover, acled}), sentence, span\n"
	"(byte offsets), evidence, trigger and also (the sentence's other\n"
	"readings); tsv prints one line an event with the columns: id, type,\n"
	"date, actor, place, other, modality, quantities, source, evidence.\n"
	"With no input, reads stdin. Output is deterministic.\n"
	"\n"
	"Options:\n"
	"  --lexicon DIR       also read the lexicon files of DIR (places, actors,\n"
	"                      triggers.tsv, codes.tsv...); repeatable\n"
	"  --format jsonl|tsv  output format (default jsonl)\n"
	"  -h, --help          show this help\n";

typedef struct run {
	sr_extractor *x;
	bool tsv;
} run;

static void
print_doc(sr_doc *doc, void *ctx)
{
	run *r = ctx;
	const sr_event *ev;
	size_t n;
	sr_extract(r->x, doc, &ev, &n);
	for (size_t i = 0; i < n; i++) {
		if (r->tsv) {
			sr_event_write_tsv(stdout, doc, &ev[i], i);
		} else {
			sr_event_write_json(stdout, doc, &ev[i], i);
			putchar('\n');
		}
	}
}

int
cmd_extract(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	run r = {0};
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
			if (cli_add_lexicon("extract", val))
				return EXIT_USAGE;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--format", &val)) {
			if (!val || (strcmp(val, "jsonl") && strcmp(val, "tsv")))
				return cli_usage_error("extract", "--format takes jsonl or tsv");
			r.tsv = !strcmp(val, "tsv");
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("extract", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	sr_lexicon *lx = cli_load_lexicon("extract");
	if (!lx)
		return EXIT_USAGE;
	char err[1024];
	r.x = sr_extractor_new(lx, err, sizeof err);
	if (!r.x) {
		fprintf(stderr, "sitrep extract: %s\n", err);
		sr_lexicon_free(lx);
		return EXIT_USAGE;
	}
	int st = cli_each_doc(paths, npaths, true, print_doc, &r);
	sr_extractor_free(r.x);
	sr_lexicon_free(lx);
	return cli_finish_output("extract", st);
}
