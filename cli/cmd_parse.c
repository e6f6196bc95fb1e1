/*
 * cmd_parse.c -- `sitrep parse`: part-of-speech tags, lemmas and labeled
 * dependency trees (Universal Dependencies) as CoNLL-U, for raw reports
 * or for pre-tokenized CoNLL-U (--conllu, to score against a treebank).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"usage: sitrep parse [--model FILE] [FILE|DIR|-]...\n"
	"       sitrep parse [--model FILE] --conllu FILE\n"
	"\n"
	"Reads reports and prints each sentence as CoNLL-U: comments\n"
	"\"# sent_id = DOC#N\", \"# text = ...\", \"# span = START END\", then one\n"
	"line per word: ID FORM LEMMA UPOS XPOS _ HEAD DEPREL _ MISC, where MISC\n"
	"holds Span=START:END (byte offsets into the report's original text) and\n"
	"SpaceAfter=No. Words follow the Universal Dependencies English\n"
	"conventions (\"didn't\" is \"did\" + \"n't\", \"al-Tanf\" is \"al - Tanf\").\n"
	"With no input, reads stdin.\n"
	"\n"
	"With --conllu FILE, reads CoNLL-U instead and keeps its words and\n"
	"sentences as they are: LEMMA, UPOS, XPOS, HEAD and DEPREL are replaced\n"
	"by sitrep's analysis (for scoring with a treebank's gold words).\n"
	"\n"
	"Options:\n"
	"  --model FILE   the syntax model (default: syntax.model in the data\n"
	"                 folder, or $SITREP_SYNTAX)\n"
	"  --conllu FILE  parse the words of a CoNLL-U file (- for stdin)\n"
	"  --tags-only    tags and lemmas, no tree (HEAD and DEPREL \"_\")\n"
	"  --stats        print to stderr the model's load time, the words and\n"
	"                 sentences analyzed and the words per second of the\n"
	"                 analysis alone (CPU time; reading, tokenizing and\n"
	"                 writing not counted)\n"
	"  -h, --help     show this help\n";

typedef struct parse_ctx {
	const sr_syntax *m;
	sr_parser *p;
	bool tags_only, stats;
	size_t words, sentences;
	double seconds;         /* in sr_parse_sentence / sr_tag_sentence */
} parse_ctx;

/* CPU time of this thread: what the analysis cost its core, whatever
 * else the machine runs meanwhile. */
static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
parse_doc(sr_doc *doc, void *ctx)
{
	parse_ctx *c = ctx;
	for (size_t i = 0; i < doc->nsent; i++) {
		sr_parse parse;
		double t0 = c->stats ? now_s() : 0;
		int st = c->tags_only ? sr_tag_sentence(c->p, doc, i, &parse)
				      : sr_parse_sentence(c->p, doc, i, &parse);
		if (c->stats) {
			c->seconds += now_s() - t0;
			c->words += parse.n;
			c->sentences++;
		}
		if (st == SR_OK)
			sr_write_conllu(stdout, doc, i, c->m, &parse);
	}
}

int
cmd_parse(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	const char *model = NULL, *conllu = NULL;
	bool tags_only = false, stats = false;
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--tags-only")) {
			tags_only = true;
			continue;
		}
		if (!strcmp(argv[i], "--stats")) {
			stats = true;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--model", &val)) {
			if (!val)
				return EXIT_USAGE;
			model = val;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--conllu", &val)) {
			if (!val)
				return EXIT_USAGE;
			conllu = val;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("parse", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	if (conllu && npaths)
		return cli_usage_error("parse", "--conllu takes one file and no other input");
	if (conllu && tags_only)
		return cli_usage_error("parse", "--conllu parses whole trees; leave out --tags-only");
	char err[512];
	double t0 = now_s();
	sr_syntax *m = sr_syntax_load(model, err, sizeof err);
	double load = now_s() - t0;
	if (!m) {
		fprintf(stderr, "sitrep parse: %s\n", err);
		return EXIT_SKIPPED;
	}
	parse_ctx c = {m, sr_parser_new(m), tags_only, stats, 0, 0, 0};
	int st = EXIT_ALL_READ;
	if (conllu) {
		FILE *in = strcmp(conllu, "-") ? fopen(conllu, "r") : stdin;
		if (!in) {
			fprintf(stderr, "sitrep parse: %s: cannot open\n", conllu);
			st = EXIT_SKIPPED;
		} else {
			if (sr_parse_conllu(c.p, in, conllu, stdout, err, sizeof err) != SR_OK) {
				fprintf(stderr, "sitrep parse: %s\n", err);
				st = EXIT_SKIPPED;
			}
			if (in != stdin)
				fclose(in);
		}
	} else {
		st = cli_each_doc(paths, npaths, true, parse_doc, &c);
	}
	if (stats)
		fprintf(stderr, "sitrep parse: model loaded in %.1f ms; %zu words in %zu sentences %s in %.3f s: %.0f words/s\n",
			load * 1e3, c.words, c.sentences, tags_only ? "tagged" : "tagged and parsed",
			c.seconds, c.seconds > 0 ? (double)c.words / c.seconds : 0.0);
	sr_parser_free(c.p);
	sr_syntax_free(m);
	return cli_finish_output("parse", st);
}
