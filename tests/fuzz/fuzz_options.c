/*
 * fuzz_options.c -- libFuzzer target for the command line's option
 * parsing, through the commands themselves (the files of cli/): the first
 * byte picks report, events, incidents, places or search; the rest is
 * cut at NUL bytes into up to 12 arguments.  The commands run against a
 * store made once from examples/ ("--db" options of the input are
 * dropped so nothing else is opened); stdout and stderr go to /dev/null.
 * Invariants: the exit status is 0, 1 or 2.  To see the report of a
 * crash (stderr is /dev/null while a command runs), run the target on
 * the saved input with FUZZ_OPTIONS_STDERR=1.
 */
#include "../../cli/cli.h"
#include "fuzz_common.h"

#include <fcntl.h>
#include <getopt.h>
#include <stdint.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char db[64];
static int devnull = -1;

static void
make_store(void)
{
	char err[1024];
	snprintf(db, sizeof db, "/tmp/fuzz-options-%d.db", (int)getpid());
	remove(db);
	sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	sr_extractor *x = lx ? sr_extractor_new(lx, err, sizeof err) : NULL;
	sr_store *w = x ? sr_store_open(db, SR_STORE_CREATE, err, sizeof err) : NULL;
	if (!w) {
		fprintf(stderr, "fuzz_options: %s\n", err);
		abort();
	}
	sr_store_set_lexicon(w, lx);
	sr_reader *r = sr_reader_new();
	sr_reader_add(r, "examples");
	sr_doc *d;
	int rc;
	while ((rc = sr_reader_next(r, &d)) != SR_END) {
		if (rc != SR_OK)
			continue;
		sr_doc_analyze(d);
		const sr_event *ev;
		size_t nev;
		sr_extract(x, d, &ev, &nev);
		FUZZ_ASSERT(sr_store_add(w, d, ev, nev, NULL) == SR_OK);
		sr_doc_free(d);
	}
	sr_reader_free(r);
	FUZZ_ASSERT(sr_store_fuse(w) == SR_OK);
	sr_store_close(w);
	sr_extractor_free(x);
	sr_lexicon_free(lx);
	devnull = open("/dev/null", O_WRONLY);
}

/* The store is made before fuzzing starts: under load, making it took
 * longer than the per-input timeout. */
int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_store();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int (*const cmds[])(int, char **) = {cmd_report, cmd_events, cmd_incidents,
		cmd_places, cmd_search};
	static const char *const names[] = {"report", "events", "incidents", "places", "search"};
	if (size < 1)
		return 0;
	char *buf = malloc(size);
	memcpy(buf, data + 1, size - 1);
	buf[size - 1] = 0;
	char *argv[16];
	int argc = 0, which = data[0] % 5;
	argv[argc++] = (char *)names[which];
	argv[argc++] = (char *)"--db";
	argv[argc++] = db;
	size_t at = 0;
	while (at < size - 1 && argc < 15) {
		char *a = buf + at;
		at += strlen(a) + 1;
		if (!strncmp(a, "--d", 3) || !strncmp(a, "-d", 2))
			continue;
		argv[argc++] = a;
	}
	argv[argc] = NULL;
	cli_nlexicon_dirs = 0;
	cli_stop_reading = false;
	optind = 0;
	fflush(stdout);
	int out = dup(1), err = dup(2);
	static int keep_stderr = -1;
	if (keep_stderr < 0)
		keep_stderr = getenv("FUZZ_OPTIONS_STDERR") != NULL;
	dup2(devnull, 1);
	if (!keep_stderr)
		dup2(devnull, 2);
	int rc = cmds[which](argc, argv);
	fflush(stdout);
	fflush(stderr);
	dup2(out, 1);
	dup2(err, 2);
	close(out);
	close(err);
	FUZZ_ASSERT(rc == 0 || rc == 1 || rc == 2);
	free(buf);
	return 0;
}
