/*
 * cmd_serve.c -- `sitrep serve`: the situation on a map, and the JSON API
 * under it (docs/api.md), served from a store opened read-only.
 *
 * The server runs in threads of its own (sr_server_start); this thread
 * only waits for SIGINT or SIGTERM, blocked before the server starts so
 * that no worker thread takes them, and then stops it cleanly.
 */
#include "cli.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

static const char serve_help[] =
	"usage: sitrep serve [--db PATH] [--listen HOST:PORT] [--web DIR] [--threads N] [--quiet] [--no-cache]\n"
	"                    [--max-body BYTES] [--max-ms MS]\n"
	"\n"
	"Serves the situation held in a store: a page with a map, a time slider,\n"
	"the reports, sources and disagreements behind each incident (at /), and\n"
	"the JSON API under /api/ (its manual is in the docs folder of the\n"
	"repository; README.md shows the page). The store is opened read-only;\n"
	"reports ingested while the server runs are seen by the next request.\n"
	"Each request is logged on stderr: time, method, path, status, bytes,\n"
	"milliseconds. Ctrl-C (SIGINT) or SIGTERM stops the server.\n"
	"\n"
	"Options:\n"
	"  --db PATH          the store (default sitrep.db)\n"
	"  --listen HOST:PORT where to answer (default 127.0.0.1:8750; port 0 = any\n"
	"                     free port). Anything but a loopback address makes the\n"
	"                     store readable by the network: a warning says so\n"
	"  --web DIR          the page's folder (default: web/ beside the program,\n"
	"                     built by make)\n"
	"  --threads N        worker threads (default 4)\n"
	"  --lexicon DIR      also read the lexicon files of DIR (names in the\n"
	"                     place and actor filters); repeatable\n"
	"  --quiet            no request log\n"
	"  --no-cache         query the store for every API request (by default an\n"
	"                     answer is kept and served again until the store changes)\n"
	"  --max-body BYTES   the largest answer; a larger one is refused with 413\n"
	"                     (default 16777216: 16 MB)\n"
	"  --max-ms MS        the time a query may take; a longer one is stopped with\n"
	"                     503 (default 2000)\n"
	"  -h, --help         show this help\n";

int
cmd_serve(int argc, char **argv)
{
	sr_server_config cfg = {0};
	cfg.db = "sitrep.db";
	cfg.log = stderr;
	for (int i = 1; i < argc; i++) {
		const char *v;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			fputs(serve_help, stdout);
			return 0;
		} else if (cli_opt(argc, argv, &i, "--db", &v)) {
			if (!v)
				return cli_usage_error("serve", "--db needs a path");
			cfg.db = v;
		} else if (cli_opt(argc, argv, &i, "--listen", &v)) {
			if (!v)
				return cli_usage_error("serve", "--listen needs HOST:PORT");
			cfg.listen = v;
		} else if (cli_opt(argc, argv, &i, "--web", &v)) {
			if (!v)
				return cli_usage_error("serve", "--web needs a folder");
			cfg.web = v;
		} else if (cli_opt(argc, argv, &i, "--threads", &v)) {
			char *end;
			long n = v ? strtol(v, &end, 10) : 0;
			if (!v || *end || n < 1 || n > 32)
				return cli_usage_error("serve", "--threads needs a number from 1 to 32");
			cfg.threads = (int)n;
		} else if (cli_opt(argc, argv, &i, "--quiet", NULL)) {
			cfg.log = NULL;
		} else if (cli_opt(argc, argv, &i, "--lexicon", &v)) {
			if (cli_add_lexicon("serve", v) != 0)
				return EXIT_USAGE;
		} else if (cli_opt(argc, argv, &i, "--no-cache", NULL)) {
			cfg.no_cache = 1;
		} else if (cli_opt(argc, argv, &i, "--max-body", &v)) {
			char *end;
			long long n = v ? strtoll(v, &end, 10) : 0;
			if (!v || *end || n < 1024 || n > (1LL << 30))
				return cli_usage_error("serve", "--max-body needs a number of bytes from"
						       " 1024 to 1073741824");
			cfg.max_body = (size_t)n;
		} else if (cli_opt(argc, argv, &i, "--max-ms", &v)) {
			char *end;
			long n = v ? strtol(v, &end, 10) : 0;
			if (!v || *end || n < 1 || n > 600000)
				return cli_usage_error("serve", "--max-ms needs a number of milliseconds"
						       " from 1 to 600000");
			cfg.max_ms = (int)n;
		} else {
			return cli_usage_error("serve", "unknown argument '%s'", argv[i]);
		}
	}
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (sr_listen_is_loopback(cfg.listen) == 0)
		fprintf(stderr, "sitrep serve: warning: --listen %s is not a loopback address:"
			" anyone who can reach it can read the store (use 127.0.0.1 unless that"
			" is what you want)\n", cfg.listen);
	/* names in the place and actor filters are resolved through the
	   lexicon, and exports name areas from it, as the CLI's queries do */
	sr_lexicon *lx = cli_load_lexicon("serve");
	if (!lx)
		return EXIT_USAGE;
	cfg.lexicon = lx;
	char err[1024];
	sr_server *srv = sr_server_start(&cfg, err, sizeof err);
	if (!srv) {
		fprintf(stderr, "sitrep serve: %s\n", err);
		sr_lexicon_free(lx);
		return EXIT_USAGE;
	}
	printf("sitrep serve: %s  (store %s; Ctrl-C stops)\n", sr_server_url(srv), cfg.db);
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "sitrep serve: %s received, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	sr_server_stop(srv);
	sr_lexicon_free(lx);
	return 0;
}
