/*
 * cmd_store.c -- the commands over the store: `sitrep ingest` (reports in),
 * `sitrep report` (the situation), `sitrep events|incidents|places`
 * (queries with filters, four formats) and `sitrep search` (full text).
 * Everything here parses options and calls the store's API in sitrep.h.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_DB "sitrep.db"

static const char ingest_help[] =
	"usage: sitrep ingest [--db PATH] [--lexicon DIR]... [FILE|DIR|-]...\n"
	"\n"
	"Reads reports, extracts their events and stores documents, sentences\n"
	"and events in the store (SQLite, WAL mode), then fuses the events of\n"
	"all reports into incidents and derives who holds each place.\n"
	"\n"
	"A report is keyed by a hash of its normalized text: ingesting the same\n"
	"reports again adds nothing (the summary says how many were already\n"
	"stored). Reports are committed in batches, one transaction each: a\n"
	"crash or kill leaves the store valid with every batch committed before\n"
	"it, and ingesting the same input again completes the rest. A record\n"
	"that cannot be read is reported on stderr and skipped.\n"
	"On a terminal, stderr shows a progress line (reports, events, rate).\n"
	"With no input, reads stdin.\n"
	"\n"
	"Options:\n"
	"  --db PATH        the store (default " DEFAULT_DB "; created when missing)\n"
	"  --lexicon DIR    also read the lexicon files of DIR; repeatable\n"
	"  --batch N        reports per transaction (default 256)\n"
	"  -j, --jobs N     extract on N threads (default: the cores available);\n"
	"                   one writer stores in input order, as with one thread\n"
	"  --no-fuse        do not refresh incidents and place status now (the\n"
	"                   next report or query does it)\n"
	"  --quiet          no progress line and no summary\n"
	"  -h, --help       show this help\n"
	"\n"
	"Exit status: 0 all input stored, 1 some records skipped, 2 usage or\n"
	"store error.\n";

static const char filter_help[] =
	"Filters (all optional, combined with AND; text matches ignore case):\n"
	"  --type T         withdraw, take_control, deploy, attack,\n"
	"                   transfer_detainees or agreement\n"
	"  --actor A        actor id (US.MIL) or part of its name (the report's\n"
	"                   words for actors the lexicon does not know)\n"
	"  --place P        place id (site:al-tanf) or part of its name\n"
	"  --country CC     ISO 3166-1 alpha-2 code of the place (SY)\n"
	"  --since DATE     events that may end on or after DATE (YYYY[-MM[-DD]])\n"
	"  --until DATE     events that may start on or before DATE\n"
	"  --modality M     asserted, reported_unconfirmed, expected or denied\n"
	"  --source S       part of an attributed source's name or of the\n"
	"                   report's outlet\n"
	"  --limit N        at most N rows\n"
	"Output:\n"
	"  --format F       table (default), jsonl, csv or geojson\n"
	"  --color WHEN     auto (default: on a terminal, unless NO_COLOR is set),\n"
	"                   always or never\n"
	"  --width N        table width in columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

static const char events_help[] =
	"usage: sitrep events [FILTERS] [--format table|jsonl|csv|geojson]\n"
	"\n"
	"The stored events, one per report that states them, by date.\n"
	"jsonl: the event record of DESIGN.md plus event_id, incident, outlet and\n"
	"published. csv: RFC 4180 with ACLED's column names where they mean the\n"
	"same (event_id_cnty, event_date, year, time_precision, event_type,\n"
	"sub_event_type, actor1, actor2, country [ISO alpha-2], location,\n"
	"latitude, longitude, geo_precision, source, notes [the evidence],\n"
	"fatalities), then sitrep's own columns. geojson: an RFC 7946\n"
	"FeatureCollection of Points (events whose place has no coordinates are\n"
	"left out), the event record as properties.\n"
	"\n";

static const char incidents_help[] =
	"usage: sitrep incidents [FILTERS] [--format table|jsonl|csv|geojson]\n"
	"\n"
	"The incidents: events of several reports fused into one real-world\n"
	"event (same type, compatible place, actor and dates). Each lists its\n"
	"reports (with their modality, date and sources) and its disagreements:\n"
	"where reports give different counts, dates, places, actors or other\n"
	"parties, each value with the documents and sources that give it.\n"
	"--actor, --modality and --source match any of an incident's reports.\n"
	"\n";

static const char places_help[] =
	"usage: sitrep places [FILTERS] [--format table|jsonl|csv|geojson]\n"
	"\n"
	"The places with a known status: who holds or occupies each, since when,\n"
	"what is under way or expected (a withdrawal with a stated duration gets\n"
	"an expected end) and how many independent sources stand behind it.\n"
	"jsonl and geojson carry the whole timeline of each place; csv has one\n"
	"row per interval of the timeline. Filters used: --place, --country,\n"
	"--actor (places where the actor appears), --since (places whose status\n"
	"changed since, or is current), --limit.\n"
	"\n";

static const char report_help[] =
	"usage: sitrep report [--db PATH] [--since DATE] [--country CC] [--place NAME]\n"
	"\n"
	"The situation, for a person at a terminal: a table of places with their\n"
	"current holder, since when and the number of independent sources; what\n"
	"is under way or expected; the timeline of incidents (the latest 40);\n"
	"and the disagreements between sources. Fits 100 columns.\n"
	"\n"
	"Options:\n"
	"  --since DATE     only what happened on or after DATE (YYYY[-MM[-DD]])\n"
	"  --country CC     only places in this country (ISO alpha-2)\n"
	"  --place NAME     only places whose id or name holds NAME\n"
	"  --limit N        timeline rows (default 40)\n"
	"  --color WHEN     auto (default), always or never\n"
	"  --width N        columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

static const char search_help[] =
	"usage: sitrep search [--db PATH] [--limit N] [--format table|jsonl] QUERY\n"
	"\n"
	"Full-text search of the stored sentences (SQLite FTS5, diacritics and\n"
	"case ignored). QUERY uses FTS5 syntax: words (all must occur),\n"
	"AND, OR, NOT, \"exact phrases\", prefixes (withdr*), NEAR(a b, 5).\n"
	"Example: sitrep search \"withdraw* AND Tanf\". Best matches first; each\n"
	"with its report, sentence number and publication date.\n"
	"\n"
	"Options:\n"
	"  --limit N        at most N sentences (default 20; 0 = all)\n"
	"  --format F       table (default) or jsonl ({doc, sentence, span,\n"
	"                   published, text})\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

/* ------------------------------------------------------------- helpers */

static int
want_color(const char *when, int fd)
{
	if (when && !strcmp(when, "always"))
		return 1;
	if (when && !strcmp(when, "never"))
		return 0;
	const char *term = getenv("TERM");
	return isatty(fd) && !getenv("NO_COLOR") && !(term && !strcmp(term, "dumb"));
}

static int
term_width(void)
{
	struct winsize ws;
	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 60)
		return ws.ws_col;
	return 100;
}

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
parse_long(const char *cmd, const char *opt, const char *v, long *out)
{
	char *end;
	if (!v || !*v)
		return cli_usage_error(cmd, "%s needs a number", opt);
	long n = strtol(v, &end, 10);
	if (*end || n < 0)
		return cli_usage_error(cmd, "%s takes a number >= 0, not '%s'", opt, v);
	*out = n;
	return 0;
}

static sr_store *
open_existing(const char *cmd, const char *db)
{
	char err[1024];
	sr_store *st = sr_store_open(db, 0, err, sizeof err);
	if (!st && access(db, R_OK) == 0 && access(db, W_OK) != 0)
		st = sr_store_open(db, SR_STORE_READONLY, err, sizeof err);
	if (!st)
		fprintf(stderr, "sitrep %s: %s\n", cmd, err);
	return st;
}

/* -------------------------------------------------------------- ingest */

typedef struct ingest_run {
	sr_store *st;
	const sr_lexicon *lx;
	long seen, added, dup, events, failed;
	int progress;
	double t0, last;
} ingest_run;

static void
show_progress(ingest_run *r, int final)
{
	double t = now_s();
	if (!final && t - r->last < 0.25)
		return;
	r->last = t;
	double rate = t > r->t0 ? (double)r->seen / (t - r->t0) : 0;
	fprintf(stderr, "\r\x1b[K%ld reports read, %ld new, %ld already stored, %ld events, %.0f reports/s",
		r->seen, r->added, r->dup, r->events, rate);
	if (final)
		fputc('\n', stderr);
}

/* The extraction side of ingest, on --jobs threads (cli_each_doc_jobs):
 * each slot has its own extractor, whose events stay valid until the
 * main thread has stored them, in input order: one writer. */
typedef struct ingest_slot {
	sr_extractor *x;
	const sr_event *ev;
	size_t n;
} ingest_slot;

static void *
ingest_slot_new(void *ctx)
{
	ingest_run *r = ctx;
	char err[1024];
	ingest_slot *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->x = sr_extractor_new(r->lx, err, sizeof err);
	if (!s->x) {
		fprintf(stderr, "sitrep ingest: %s\n", err);
		free(s);
		return NULL;
	}
	return s;
}

static void
ingest_slot_free(void *state)
{
	ingest_slot *s = state;
	if (s)
		sr_extractor_free(s->x);
	free(s);
}

static void
ingest_extract(sr_doc *doc, void *state, void *worker, void *ctx)
{
	(void)ctx;
	(void)worker;
	ingest_slot *s = state;
	sr_doc_analyze(doc);
	sr_extract(s->x, doc, &s->ev, &s->n);
}

static void
ingest_doc(sr_doc *doc, void *state, void *ctx)
{
	ingest_run *r = ctx;
	ingest_slot *s = state;
	r->seen++;
	if (sr_store_has_doc(r->st, doc)) {
		r->dup++;
	} else {
		const sr_event *ev = s->ev;
		size_t n = s->n;
		int added = 0;
		if (sr_store_add(r->st, doc, ev, n, &added) != SR_OK) {
			fprintf(stderr, "%ssitrep: %s:%ld: %s\n", r->progress ? "\r\x1b[K" : "",
				doc->origin ? doc->origin : "-", doc->line, sr_store_errmsg(r->st));
			r->failed++;
		} else if (added) {
			r->added++;
			r->events += (long)n;
		} else {
			r->dup++;
		}
	}
	if (r->progress)
		show_progress(r, 0);
}

int
cmd_ingest(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	const char *db = DEFAULT_DB;
	long batch = 256;
	bool quiet = false, fuse = true;
	int jobs = cli_jobs_default();
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(ingest_help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--jobs", &val) || cli_opt(argc, argv, &i, "-j", &val)) {
			if (cli_parse_jobs("ingest", val, &jobs))
				return EXIT_USAGE;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--db", &val)) {
			if (!val || !*val)
				return cli_usage_error("ingest", "--db needs a path");
			db = val;
		} else if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
			if (cli_add_lexicon("ingest", val))
				return EXIT_USAGE;
		} else if (cli_opt(argc, argv, &i, "--batch", &val)) {
			if (parse_long("ingest", "--batch", val, &batch))
				return EXIT_USAGE;
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			quiet = true;
		} else if (!strcmp(argv[i], "--no-fuse")) {
			fuse = false;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return cli_usage_error("ingest", "unknown option '%s'", argv[i]);
		} else {
			paths[npaths++] = argv[i];
		}
	}
	char err[1024];
	sr_lexicon *lx = sr_lexicon_load(cli_lexicon_dirs, cli_nlexicon_dirs, err, sizeof err);
	if (!lx) {
		fprintf(stderr, "sitrep ingest: %s\n", err);
		return EXIT_USAGE;
	}
	ingest_run r = {0};
	r.lx = lx;
	r.st = sr_store_open(db, SR_STORE_CREATE, err, sizeof err);
	if (!r.st) {
		fprintf(stderr, "sitrep ingest: %s\n", err);
		sr_lexicon_free(lx);
		return EXIT_USAGE;
	}
	sr_store_set_lexicon(r.st, lx);
	sr_store_set_batch(r.st, (size_t)(batch > 0 ? batch : 1));
	r.progress = !quiet && isatty(2);
	r.t0 = r.last = now_s();
	static const cli_jobs_ops ops = {ingest_slot_new, ingest_slot_free, NULL, NULL,
					 ingest_extract, ingest_doc, 2};
	int status = cli_each_doc_jobs(paths, npaths, jobs, &ops, &r);
	int rc = sr_store_flush(r.st);
	double t_ingest = now_s() - r.t0;
	if (r.progress)
		show_progress(&r, 1);
	if (rc == SR_OK && fuse)
		rc = r.added ? sr_store_fuse(r.st) : sr_store_refresh(r.st);
	if (rc != SR_OK) {
		fprintf(stderr, "sitrep ingest: %s\n", sr_store_errmsg(r.st));
		status = EXIT_USAGE;
	}
	double t_all = now_s() - r.t0;
	if (!quiet && rc == SR_OK) {
		sr_store_stats ss;
		sr_store_stats_get(r.st, &ss);
		printf("ingested %ld new report%s (%ld already stored%s), %ld event%s in %.2f s"
		       " (%.0f reports/s; fusion %.2f s)\n",
		       r.added, r.added == 1 ? "" : "s", r.dup, r.failed ? ", some failed: see above" : "",
		       r.events, r.events == 1 ? "" : "s", t_all,
		       t_ingest > 0 ? (double)r.seen / t_ingest : 0.0, t_all - t_ingest);
		printf("%s now holds %ld report%s, %ld event%s, %ld incident%s (%ld with"
		       " disagreements), %ld place%s with a status\n", db,
		       ss.documents, ss.documents == 1 ? "" : "s", ss.events, ss.events == 1 ? "" : "s",
		       ss.incidents, ss.incidents == 1 ? "" : "s", ss.disagreements, ss.places,
		       ss.places == 1 ? "" : "s");
	}
	if (r.failed && status == EXIT_ALL_READ)
		status = EXIT_SKIPPED;
	sr_store_close(r.st);
	sr_lexicon_free(lx);
	if (fflush(stdout) != 0 && status == EXIT_ALL_READ)
		status = EXIT_SKIPPED;
	return status;
}

/* ------------------------------------------------------------- queries */

enum { Q_EVENTS, Q_INCIDENTS, Q_PLACES, Q_REPORT, Q_SEARCH };

static int
query(int argc, char **argv, int what)
{
	static const char *const names[] = {"events", "incidents", "places", "report", "search"};
	const char *cmd = names[what];
	sr_filter f = {0};
	const char *db = DEFAULT_DB, *color = "auto", *query_text = NULL;
	int fmt = SR_FMT_TABLE;
	long n;
	if (what == Q_SEARCH)
		f.limit = 20;
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			if (what == Q_REPORT || what == Q_SEARCH) {
				fputs(what == Q_REPORT ? report_help : search_help, stdout);
			} else {
				fputs(what == Q_EVENTS ? events_help : what == Q_INCIDENTS ? incidents_help
				      : places_help, stdout);
				fputs(filter_help, stdout);
			}
			return 0;
		}
		int general = what != Q_REPORT && what != Q_SEARCH;
		int match = 1;
		if (cli_opt(argc, argv, &i, "--db", &val))
			db = val;
		else if (cli_opt(argc, argv, &i, "--since", &val) && what != Q_SEARCH)
			f.since = val;
		else if (cli_opt(argc, argv, &i, "--country", &val) && what != Q_SEARCH)
			f.country = val;
		else if (cli_opt(argc, argv, &i, "--place", &val) && what != Q_SEARCH)
			f.place = val;
		else if (cli_opt(argc, argv, &i, "--color", &val)) {
			color = val;
			if (val && strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never"))
				return cli_usage_error(cmd, "--color takes auto, always or never");
		} else if (cli_opt(argc, argv, &i, "--width", &val)) {
			if (parse_long(cmd, "--width", val, &n))
				return EXIT_USAGE;
			f.width = n < 40 ? 40 : n > 1000 ? 1000 : (int)n;
		} else if (cli_opt(argc, argv, &i, "--limit", &val)) {
			if (parse_long(cmd, "--limit", val, &n))
				return EXIT_USAGE;
			f.limit = n;
		} else if (cli_opt(argc, argv, &i, "--format", &val) && what != Q_REPORT) {
			fmt = sr_format_parse(val);
			if (fmt < 0 || (what == Q_SEARCH && fmt != SR_FMT_TABLE && fmt != SR_FMT_JSONL))
				return cli_usage_error(cmd, "--format takes %s", what == Q_SEARCH
						       ? "table or jsonl" : "table, jsonl, csv or geojson");
		} else if (general && cli_opt(argc, argv, &i, "--type", &val))
			f.type = val;
		else if (general && cli_opt(argc, argv, &i, "--actor", &val))
			f.actor = val;
		else if (general && cli_opt(argc, argv, &i, "--until", &val))
			f.until = val;
		else if (general && cli_opt(argc, argv, &i, "--modality", &val))
			f.modality = val;
		else if (general && cli_opt(argc, argv, &i, "--source", &val))
			f.source = val;
		else
			match = 0;
		if (match) {
			if (!val)
				return cli_usage_error(cmd, "%s needs a value", argv[i]);
			continue;
		}
		if (what == Q_SEARCH && (argv[i][0] != '-' || !argv[i][1]) && !query_text) {
			query_text = argv[i];
			continue;
		}
		if (argv[i][0] == '-')
			return cli_usage_error(cmd, "unknown option '%s'", argv[i]);
		return cli_usage_error(cmd, "unexpected argument '%s'", argv[i]);
	}
	if (what == Q_SEARCH && !query_text)
		return cli_usage_error(cmd, "what to search for? (sitrep search \"withdraw AND Tanf\")");
	f.color = want_color(color, 1);
	if (!f.width)
		f.width = term_width();
	sr_store *st = open_existing(cmd, db);
	if (!st)
		return EXIT_USAGE;
	int rc;
	switch (what) {
	case Q_EVENTS:
		rc = sr_store_write_events(st, &f, fmt, stdout);
		break;
	case Q_INCIDENTS:
		rc = sr_store_write_incidents(st, &f, fmt, stdout);
		break;
	case Q_PLACES:
		rc = sr_store_write_places(st, &f, fmt, stdout);
		break;
	case Q_REPORT:
		rc = sr_store_write_report(st, &f, stdout);
		break;
	default:
		rc = sr_store_search(st, query_text, &f, fmt, stdout);
		break;
	}
	if (rc != SR_OK)
		fprintf(stderr, "sitrep %s: %s\n", cmd, sr_store_errmsg(st));
	sr_store_close(st);
	return rc == SR_OK ? EXIT_ALL_READ : rc == SR_ERR_IO ? EXIT_SKIPPED : EXIT_USAGE;
}

int
cmd_events(int argc, char **argv)
{
	return query(argc, argv, Q_EVENTS);
}

int
cmd_incidents(int argc, char **argv)
{
	return query(argc, argv, Q_INCIDENTS);
}

int
cmd_places(int argc, char **argv)
{
	return query(argc, argv, Q_PLACES);
}

int
cmd_report(int argc, char **argv)
{
	return query(argc, argv, Q_REPORT);
}

int
cmd_search(int argc, char **argv)
{
	return query(argc, argv, Q_SEARCH);
}
