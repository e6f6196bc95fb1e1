/*
 * cli.c -- helpers shared by the subcommands: option parsing, usage
 * errors, and the loop over input documents with error reporting.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <unistd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_lexicon_dirs[16];
int cli_nlexicon_dirs;
unsigned cli_read_flags;
bool cli_stop_reading;

bool
cli_opt(int argc, char **argv, int *i, const char *name, const char **val)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) != 0)
		return false;
	if (!val)
		return a[n] == 0;
	if (a[n] == '=') {
		*val = a + n + 1;
		return true;
	}
	if (a[n] != 0)
		return false;
	if (*i + 1 >= argc) {
		*val = NULL;
		return true;
	}
	*val = argv[++*i];
	return true;
}

int
cli_finish_output(const char *cmd, int st)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "sitrep %s: cannot write the output: %s\n", cmd,
			errno ? strerror(errno) : "write error");
		return EXIT_SKIPPED;
	}
	return st;
}

int
cli_add_lexicon(const char *cmd, const char *val)
{
	if (!val)
		return cli_usage_error(cmd, "--lexicon needs a folder");
	struct stat st;
	if (stat(val, &st) != 0)
		return cli_usage_error(cmd, "--lexicon %s: %s (give a folder of lexicon files)", val,
				       strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return cli_usage_error(cmd, "--lexicon %s: not a folder (give a folder of lexicon files)",
				       val);
	if (cli_nlexicon_dirs >= (int)(sizeof cli_lexicon_dirs / sizeof cli_lexicon_dirs[0]))
		return cli_usage_error(cmd, "at most 16 --lexicon folders");
	cli_lexicon_dirs[cli_nlexicon_dirs++] = val;
	return 0;
}

sr_lexicon *
cli_load_lexicon(const char *cmd)
{
	char err[1024];
	sr_lexicon *lx = sr_lexicon_load(cli_lexicon_dirs, cli_nlexicon_dirs, err, sizeof err);
	if (!lx)
		fprintf(stderr, "sitrep %s: %s\n", cmd, err);
	return lx;
}

int
cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "sitrep %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nRun 'sitrep %s --help' for its options.\n", cmd);
	return EXIT_USAGE;
}

const char *cli_oom_note;
static const sr_doc *oom_doc;   /* the record under way, for the message */

static void
on_oom(size_t bytes)
{
	fprintf(stderr, "\nsitrep: out of memory (asked for %zu bytes)", bytes);
	if (oom_doc)
		fprintf(stderr, " while processing %s:%ld (a report of %.1f MB)",
			oom_doc->origin ? oom_doc->origin : "-", oom_doc->line,
			(double)oom_doc->len / 1048576.0);
	fprintf(stderr, "; stopped.  Raise the memory limit (ulimit -v) or split the report%s%s\n",
		cli_oom_note ? "; " : "", cli_oom_note ? cli_oom_note : "");
	fflush(stdout);
	_exit(EXIT_USAGE);
}

void
cli_oom_install(void)
{
	sr_set_oom_handler(on_oom);
}

/* Analyzes one document (when analyze and the memory limit allows) and
 * hands it to fn; frees it.  Returns 1 when it was skipped. */
static int
one_doc(sr_doc *doc, bool analyze, cli_doc_fn fn, void *ctx)
{
	char err[1024];
	if (analyze && sr_doc_memory_check(doc, err, sizeof err) != SR_OK) {
		fprintf(stderr, "sitrep: %s\n", err);
		sr_doc_free(doc);
		return 1;
	}
	oom_doc = doc;
	if (analyze)
		sr_doc_analyze(doc);
	fn(doc, ctx);
	oom_doc = NULL;
	sr_doc_free(doc);
	return 0;
}

int
cli_each_doc(char **paths, int npaths, bool analyze, cli_doc_fn fn, void *ctx)
{
	sr_set_oom_handler(on_oom);
	size_t too_big = 0;
	sr_reader *r = sr_reader_new();
	sr_reader_set_flags(r, cli_read_flags);
	if (npaths == 0)
		sr_reader_add(r, "-");
	for (int i = 0; i < npaths; i++)
		sr_reader_add(r, paths[i]);
	sr_doc *doc;
	int st;
	while (!cli_stop_reading && (st = sr_reader_next(r, &doc)) != SR_END) {
		if (st != SR_OK) {
			fprintf(stderr, "sitrep: %s\n", sr_reader_errmsg(r));
			continue;
		}
		const char *w = sr_reader_warning(r);
		if (w)
			fprintf(stderr, "sitrep: warning: %s\n", w);
		size_t pos = 0;
		int k = 0;
		sr_doc *part = analyze ? sr_doc_next_part(doc, &pos, &k) : NULL;
		if (!part) {
			too_big += (size_t)one_doc(doc, analyze, fn, ctx);
			continue;
		}
		/* a report too large to analyze at once: in parts */
		fprintf(stderr, "sitrep: warning: %s%s%.0ld: a report of %.1f MB, more than the"
			" %zu MB analyzed at once: cut at paragraph breaks into parts, each a report"
			" of its own (%s)\n", doc->origin ? doc->origin : "-", doc->line ? ":" : "",
			doc->line, (double)(doc->len - doc->body) / 1048576.0, SR_DOC_PART_MAX >> 20,
			part->id);
		for (; part && !cli_stop_reading; part = sr_doc_next_part(doc, &pos, &k))
			too_big += (size_t)one_doc(part, analyze, fn, ctx);
		sr_doc_free(part);
		sr_doc_free(doc);
	}
	size_t skipped = sr_reader_skipped(r) + too_big;
	size_t passed = sr_reader_passed(r);
	sr_reader_free(r);
	if (passed)
		fprintf(stderr, "sitrep: %zu archive record%s without an HTML page passed over\n", passed,
			passed == 1 ? "" : "s");
	if (skipped)
		fprintf(stderr, "sitrep: %zu record%s or file%s skipped (see above)\n", skipped,
			skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
	return skipped ? EXIT_SKIPPED : EXIT_ALL_READ;
}

int
cli_getopt(const char *cmd, int argc, char **argv, const struct option *opts,
	   cli_opt_fn fn, void *ctx, int *first)
{
	/* ':' first: a missing value is ':', an unknown option '?'.  GNU
	 * getopt_long reads options anywhere among the operands (moving the
	 * operands after them, in order) and stops at "--". */
	optind = 0;
	opterr = 0;
	int c, idx;
	while ((c = getopt_long(argc, argv, ":hq", opts, &idx)) != -1) {
		const char *arg = argv[optind - 1];
		if (c == ':') {
			const char *eq = !strncmp(arg, "--", 2) ? strchr(arg, '=') : NULL;
			return cli_usage_error(cmd, "%.*s needs a value",
					       (int)(eq ? (size_t)(eq - arg) : strlen(arg)), arg);
		}
		if (c == '?') {
			if (optopt)
				return cli_usage_error(cmd, "unknown option '-%c'", optopt);
			int r = fn(ctx, CLI_OPT_UNKNOWN, arg);
			return r ? r : cli_usage_error(cmd, "unknown option '%s'", arg);
		}
		int r = fn(ctx, c, optarg);
		if (r)
			return r;
	}
	*first = optind;
	return 0;
}
