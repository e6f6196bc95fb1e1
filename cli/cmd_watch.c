/*
 * cmd_watch.c -- `sitrep watch`: keeps a store current from feeds and
 * pages.  Parses options, turns SIGINT and SIGTERM into a clean stop, and
 * runs sr_watch_run.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
	"usage: sitrep watch [--db PATH] [--every 15m] [OPTIONS] FEED_OR_PAGE_URL...\n"
	"\n"
	"Fetches RSS or Atom feeds (and pages) on a schedule, reads the page of\n"
	"each new item, extracts its events and stores them, then fuses. Requests\n"
	"are conditional (ETag, Last-Modified), follow at most 5 redirects, time\n"
	"out, and are spaced per host; a failure (no answer, a stall, an HTTP\n"
	"error, garbage) is logged and retried with exponential backoff. An item\n"
	"whose page stays out of reach is stored from its feed summary. What was\n"
	"seen is kept beside the store (PATH.watch): a restart refetches nothing\n"
	"it has stored and loses nothing it had found. One log line per fetch\n"
	"on stderr (a progress line between them on a terminal). Stops cleanly\n"
	"on SIGINT (Ctrl-C) or SIGTERM.\n"
	"\n"
	"Options:\n"
	"  --db PATH          the store (default sitrep.db; created when missing)\n"
	"  --every T          fetch each URL every T (default 15m; s, m, h suffix)\n"
	"  --host-delay T     least time between two requests to one host\n"
	"                     (default 1s)\n"
	"  --timeout T        time a request may take (default 60s)\n"
	"  --tries N          tries of an item's page before its summary is stored\n"
	"                     (default 5)\n"
	"  --once             fetch each URL once, settle the new items, and exit\n"
	"  --lexicon DIR      also read the lexicon files of DIR; repeatable\n"
	"  -h, --help         show this help\n"
	"\n"
	"Exit status: 0 stopped or done, 2 usage or store error.\n";

static volatile sig_atomic_t stop_flag;

static void
on_signal(int sig)
{
	(void)sig;
	stop_flag = 1;
}

/* "90", "90s", "15m", "2h", "0.5s" -> seconds; -1 when malformed. */
static double
parse_duration(const char *v)
{
	if (!v || !*v)
		return -1;
	char *end;
	double n = strtod(v, &end);
	if (end == v || n < 0)
		return -1;
	if (!*end || !strcmp(end, "s"))
		return n;
	if (!strcmp(end, "m"))
		return n * 60;
	if (!strcmp(end, "h"))
		return n * 3600;
	return -1;
}

int
cmd_watch(int argc, char **argv)
{
	const char **urls = calloc((size_t)argc, sizeof *urls);
	if (!urls)
		return EXIT_USAGE;
	/* first of all, so that a signal during start-up (loading the
	 * lexicon takes a moment) already stops cleanly */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	sr_watch_opts o = {0};
	o.db = "sitrep.db";
	o.every = 900;
	o.host_delay = 1;
	o.timeout = 60;
	o.max_tries = 5;
	int st = EXIT_ALL_READ;
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			free(urls);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--db", &val)) {
			if (!val || !*val) {
				st = cli_usage_error("watch", "--db needs a path");
				goto out;
			}
			o.db = val;
		} else if (cli_opt(argc, argv, &i, "--every", &val)) {
			o.every = parse_duration(val);
			if (o.every <= 0) {
				st = cli_usage_error("watch", "--every takes a time such as 90s, 15m or 1h");
				goto out;
			}
		} else if (cli_opt(argc, argv, &i, "--host-delay", &val)) {
			o.host_delay = parse_duration(val);
			if (o.host_delay < 0) {
				st = cli_usage_error("watch", "--host-delay takes a time such as 1s");
				goto out;
			}
		} else if (cli_opt(argc, argv, &i, "--timeout", &val)) {
			double t = parse_duration(val);
			if (t < 1) {
				st = cli_usage_error("watch", "--timeout takes a time of at least 1s");
				goto out;
			}
			o.timeout = (long)t;
		} else if (cli_opt(argc, argv, &i, "--tries", &val)) {
			char *end;
			long n = val ? strtol(val, &end, 10) : 0;
			if (!val || *end || n < 1 || n > 100) {
				st = cli_usage_error("watch", "--tries takes a number from 1 to 100");
				goto out;
			}
			o.max_tries = (int)n;
		} else if (!strcmp(argv[i], "--once")) {
			o.once = 1;
		} else if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
			if (cli_add_lexicon("watch", val)) {
				st = EXIT_USAGE;
				goto out;
			}
		} else if (argv[i][0] == '-' && argv[i][1]) {
			st = cli_usage_error("watch", "unknown option '%s'", argv[i]);
			goto out;
		} else {
			urls[o.nurls++] = argv[i];
		}
	}
	if (o.nurls == 0) {
		st = cli_usage_error("watch", "give at least one feed or page URL");
		goto out;
	}
	o.urls = urls;
	sr_lexicon *lx = cli_load_lexicon("watch");
	if (!lx) {
		st = EXIT_USAGE;
		goto out;
	}
	o.lx = lx;
	o.progress = isatty(STDERR_FILENO);
	char err[1024];
	int rc = sr_watch_run(&o, &stop_flag, stderr, err, sizeof err);
	if (rc != SR_OK) {
		fprintf(stderr, "sitrep watch: %s\n", err);
		st = EXIT_USAGE;
	}
	sr_lexicon_free(lx);
out:
	free(urls);
	return st;
}
