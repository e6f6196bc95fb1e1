/*
 * cmd_sentences.c -- `sitrep sentences`: the reports cut into sentences,
 * as JSON Lines, with spans into the original text.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: sitrep sentences [FILE|DIR|-]...\n"
	"\n"
	"Reads reports and prints their sentences as JSON Lines, one a line:\n"
	"  {\"doc\": ID, \"n\": INDEX, \"span\": [START, END], \"text\": TEXT}\n"
	"START and END are byte offsets into the report's original text (the\n"
	"whole file for a text report, the \"text\" field for JSON Lines);\n"
	"TEXT is the original bytes of the span. With no input, reads stdin.\n"
	"\n"
	"Options:\n"
	"  --no-text    leave out \"text\" (spans only: what the golden tests of\n"
	"               reports we may not copy keep)\n"
	"  -h, --help   show this help\n";

static void
print_doc(sr_doc *doc, void *ctx)
{
	const bool *no_text = ctx;
	if (!*no_text) {
		sr_write_sentences(stdout, doc);
		return;
	}
	for (size_t i = 0; i < doc->nsent; i++) {
		fputs("{\"doc\":", stdout);
		sr_json_str(stdout, doc->id, strlen(doc->id));
		printf(",\"n\":%zu,\"span\":[%u,%u]}\n", i, doc->sents[i].start, doc->sents[i].end);
	}
}

int
cmd_sentences(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	bool no_text = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--no-text")) {
			no_text = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("sentences", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	int st = cli_each_doc(paths, npaths, true, print_doc, &no_text);
	return cli_finish_output("sentences", st);
}
