/*
 * cli.c -- helpers shared by the subcommands: option parsing, usage
 * errors, and the loop over input documents with error reporting.
 */
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const char *cli_lexicon_dirs[16];
int cli_nlexicon_dirs;
unsigned cli_read_flags;

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

int
cli_each_doc(char **paths, int npaths, bool analyze, cli_doc_fn fn, void *ctx)
{
	sr_reader *r = sr_reader_new();
	sr_reader_set_flags(r, cli_read_flags);
	if (npaths == 0)
		sr_reader_add(r, "-");
	for (int i = 0; i < npaths; i++)
		sr_reader_add(r, paths[i]);
	sr_doc *doc;
	int st;
	while ((st = sr_reader_next(r, &doc)) != SR_END) {
		if (st != SR_OK) {
			fprintf(stderr, "sitrep: %s\n", sr_reader_errmsg(r));
			continue;
		}
		const char *w = sr_reader_warning(r);
		if (w)
			fprintf(stderr, "sitrep: warning: %s\n", w);
		if (analyze)
			sr_doc_analyze(doc);
		fn(doc, ctx);
		sr_doc_free(doc);
	}
	size_t skipped = sr_reader_skipped(r);
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
