/*
 * cmd_read.c -- `sitrep read`: the reports exactly as sitrep reads them,
 * one JSON object a line, whatever the input's kind (text, JSON Lines,
 * HTML, feed, WARC, URL).  It is how a user checks what sitrep saw, and
 * how the HTML reader is scored.
 */
#include "cli.h"

#include <string.h>

static const char help[] =
	"usage: sitrep read [--follow] [FILE|DIR|URL|-]...\n"
	"\n"
	"Prints each report as sitrep reads it, one JSON object a line:\n"
	"  {\"id\", \"url\", \"outlet\", \"published\", \"title\", \"lang\", \"text\"}\n"
	"id is the file's name, a JSON Lines record's id, or the URL of a WARC\n"
	"record or feed item; fields sitrep did not find are null.\n"
	"\n"
	"Inputs: plain text, JSON Lines, HTML pages (the article body and its\n"
	"metadata: headline, date, outlet, canonical URL, language), RSS 2.0,\n"
	"RSS 1.0 and Atom feeds (one report per item), WARC archives (one report\n"
	"per HTML response), each gzip-compressed or not; http(s) URLs (fetched\n"
	"once); folders (recursive, sorted); - for stdin (the default).\n"
	"\n"
	"Options:\n"
	"  --follow     feeds: read each item's linked page instead of its summary\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 all input read, 1 some records skipped (see stderr),\n"
	"2 usage error.\n";

static void
str_or_null(const char *key, const char *v, bool comma)
{
	if (comma)
		putchar(',');
	printf("\"%s\":", key);
	if (v && *v)
		sr_json_str(stdout, v, strlen(v));
	else
		fputs("null", stdout);
}

static void
print_doc(sr_doc *doc, void *ctx)
{
	(void)ctx;
	putchar('{');
	str_or_null("id", doc->id, false);
	str_or_null("url", doc->url, true);
	str_or_null("outlet", doc->outlet, true);
	str_or_null("published", doc->published, true);
	str_or_null("title", doc->title, true);
	str_or_null("lang", doc->lang, true);
	fputs(",\"text\":", stdout);
	sr_json_str(stdout, doc->text + doc->body, doc->len - doc->body);
	fputs("}\n", stdout);
}

int
cmd_read(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	unsigned flags = 0;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (!strcmp(argv[i], "--follow")) {
			flags |= SR_READ_FOLLOW;
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			for (i++; i < argc; i++)
				paths[npaths++] = argv[i];
			break;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("read", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	cli_read_flags = flags;
	int st = cli_each_doc(paths, npaths, false, print_doc, NULL);
	return cli_finish_output("read", st);
}
