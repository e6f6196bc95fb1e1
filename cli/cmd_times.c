/*
 * cmd_times.c -- `sitrep times`: the time expressions of reports, with
 * their TimeML TIMEX3 values, as JSON Lines.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char help[] =
	"usage: sitrep times [OPTIONS] [FILE|DIR|-]...\n"
	"\n"
	"Reads reports and prints every time expression they contain (dates,\n"
	"times of day, durations, sets) as JSON Lines, one a line:\n"
	"  {\"doc\": ID, \"span\": [START, END], \"text\": TEXT, \"type\": TYPE,\n"
	"   \"value\": VALUE, \"anchor\": ANCHOR, \"sentence\": N, \"mod\": MOD}\n"
	"START and END are byte offsets into the report's original text (end\n"
	"exclusive); TEXT is the original bytes of the span. TYPE is DATE, TIME,\n"
	"DURATION or SET; VALUE a TimeML TIMEX3 value (2026-02-23, 2026-02,\n"
	"2026-W07, 2026-Q1, P15D, PRESENT_REF, XXXX-11...). ANCHOR says what a\n"
	"relative expression was resolved against: the publication date\n"
	"(\"2026-02-24\"), or the text of the earlier expression it was anchored\n"
	"to (\"two days later\" after \"Feb. 3\"); null for absolute expressions,\n"
	"durations and for relative ones that could not be resolved because the\n"
	"report has no publication date (their VALUE keeps X placeholders). N is\n"
	"the sentence index (as in `sitrep sentences`); MOD, present only when\n"
	"set, is the TIMEX3 modifier (START, MID, END, APPROX, MORE_THAN...).\n"
	"With no input, reads stdin.\n"
	"\n"
	"Options:\n"
	"  --published YYYY-MM-DD  publication date for reports that give none\n"
	"                          (a report's own date always wins)\n"
	"  --no-text               leave out \"text\" (spans only)\n"
	"  --timing                at the end, print to stderr the time spent\n"
	"                          finding and resolving expressions (reading\n"
	"                          the input and writing the output left out)\n"
	"  -h, --help              show this help\n"
	"\n"
	"Exit status: 0 all input read, 1 some records skipped (see stderr),\n"
	"2 usage error.\n";

typedef struct opts {
	bool no_text;
	bool timing;
	const char *published;
	double stage;       /* seconds in sr_times_scan (--timing) */
	size_t docs, bytes, found;
} opts;

static double
now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
print_doc(sr_doc *doc, void *ctx)
{
	opts *o = ctx;
	if (o->published && !doc->published[0])
		memcpy(doc->published, o->published, 11);
	sr_timex *t;
	double t0 = o->timing ? now_seconds() : 0;
	size_t n = sr_times_scan(doc, &t);
	if (o->timing) {
		o->stage += now_seconds() - t0;
		o->docs++;
		o->bytes += doc->len;
		o->found += n;
	}
	sr_write_times(stdout, doc, t, n, !o->no_text);
	sr_times_free(t);
}

static bool
valid_date(const char *s)
{
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int m = atoi(s + 5), d = atoi(s + 8);
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

int
cmd_times(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	opts o = {0};
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--no-text")) {
			o.no_text = true;
			continue;
		}
		if (!strcmp(argv[i], "--timing")) {
			o.timing = true;
			continue;
		}
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--published", &val)) {
			if (!val)
				return cli_usage_error("times", "--published needs a date YYYY-MM-DD");
			if (!valid_date(val))
				return cli_usage_error("times", "--published: '%s' is not a date YYYY-MM-DD", val);
			o.published = val;
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("times", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	int st = cli_each_doc(paths, npaths, false, print_doc, &o);
	if (o.timing)
		fprintf(stderr, "sitrep times: %zu documents, %.1f MB of text, %zu expressions; "
			"time stage %.4f s (%.1f MB/s)\n",
			o.docs, (double)o.bytes / 1e6, o.found, o.stage,
			o.stage > 0 ? (double)o.bytes / 1e6 / o.stage : 0.0);
	return cli_finish_output("times", st);
}
