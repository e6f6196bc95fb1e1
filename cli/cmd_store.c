/*
 * cmd_store.c -- the commands over the store: `sitrep ingest` (reports in),
 * `sitrep report` (the situation), `sitrep events|incidents|places`
 * (queries with filters, four formats) and `sitrep search` (full text).
 * Everything here parses options and calls the store's API in sitrep.h.
 */
#include "cli.h"

#include <getopt.h>
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
	"stored); the same text from another outlet or URL is kept as another\n"
	"copy of the report, another source of its events. Reports are\n"
	"committed in batches, one transaction each: a crash or kill leaves\n"
	"the store valid with every batch committed before\n"
	"it, and ingesting the same input again completes the rest. A record\n"
	"that cannot be read is reported on stderr and skipped; a report over\n"
	"1 MB is analyzed and stored in parts (ID/part1...). A store error (a\n"
	"full disk, a read-only store) stops the ingest with one message. While\n"
	"another process writes the store, ingest waits for it (a note every 2 s).\n"
	"On a terminal, stderr shows a progress line (reports, events, rate).\n"
	"With no input, reads stdin.\n"
	"\n"
	"Options:\n"
	"  --db PATH        the store (default " DEFAULT_DB "; created when missing)\n"
	"  --lexicon DIR    also read the lexicon files of DIR; repeatable\n"
	"  --batch N        reports per transaction (default 256)\n"
	"  --jobs N         extract on N threads (default: the cores available);\n"
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
	"  --actor A        actor id (US.MIL), or a name as reports write it\n"
	"                   (SDF, US troops), resolved as in a report, or part\n"
	"                   of a stored name or of the report's words\n"
	"  --place P        place id (site:al-tanf), or a name as reports write\n"
	"                   it (hasakah, Fallujah, el-Tanf: case, accents and\n"
	"                   Arabic articles do not matter), or part of one\n"
	"  --country CC     ISO 3166-1 alpha-2 code of the place (SY)\n"
	"  --since DATE     events that may end on or after DATE (YYYY[-MM[-DD]])\n"
	"  --until DATE     events that may start on or before DATE\n"
	"  --modality M     asserted, reported_unconfirmed, expected or denied\n"
	"  --source S       part of an attributed source's name or of the\n"
	"                   report's outlet\n"
	"  --limit N        at most N rows\n"
	"Output:\n"
	"  --format F       table (default), jsonl, json (one array), csv or geojson\n"
	"  --color WHEN     auto (default: on a terminal, unless NO_COLOR is set),\n"
	"                   always or never\n"
	"  --width N        table width in columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

static const char places_filter_help[] =
	"Filters (all optional, combined with AND):\n"
	"  --place P        this place: an id (site:al-tanf) or a name as reports\n"
	"                   write it (hasakah, el-Tanf), or part of one\n"
	"  --country CC     places in this country (ISO 3166-1 alpha-2, SY)\n"
	"  --actor A        places where this actor appears (an id or a name)\n"
	"  --since DATE     places whose status changed on or after DATE, or is\n"
	"                   current\n"
	"  --limit N        at most N places\n"
	"Output:\n"
	"  --format F       table (default), jsonl, json, csv or geojson\n"
	"  --color WHEN     auto (default: on a terminal, unless NO_COLOR is set),\n"
	"                   always or never\n"
	"  --width N        table width in columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

static const char events_help[] =
	"usage: sitrep events [FILTERS] [--format table|jsonl|json|csv|geojson]\n"
	"\n"
	"The stored events, one per report that states them, by date.\n"
	"jsonl: the event record of sitrep extract plus event_id, incident,\n"
	"outlet, published and url. csv: RFC 4180 with ACLED's columns where they mean\n"
	"the same (event_id_cnty, event_date, year, time_precision [1 day, 2 about\n"
	"a day, 3 month or year], disorder_type, event_type, sub_event_type,\n"
	"actor1, inter1, actor2, inter2, interaction [ACLED's actor categories of\n"
	"the actor kinds, data/acled.tsv], iso [numeric], country, admin1 [names],\n"
	"location, latitude, longitude, geo_precision, source [the outlet, then\n"
	"whom the report cites], notes [the evidence], fatalities, timestamp [the\n"
	"publication, Unix time]), then sitrep's own (url among them). geojson:\n"
	"an RFC 7946 FeatureCollection of Points (events whose place has no\n"
	"coordinates are left out) with the CSV's columns as flat properties.\n"
	"\n";

static const char incidents_help[] =
	"usage: sitrep incidents [FILTERS] [--format table|jsonl|json|csv|geojson]\n"
	"\n"
	"The incidents: events of several reports fused into one real-world\n"
	"event (same type, compatible place, actor and dates). Each lists its\n"
	"reports (with their modality, date and sources) and its disagreements:\n"
	"where reports give different counts, dates, places, actors or other\n"
	"parties, each value with the documents and sources that give it.\n"
	"--actor, --modality and --source match any of an incident's reports.\n"
	"\n";

static const char places_help[] =
	"usage: sitrep places [FILTERS] [--format table|jsonl|json|csv|geojson]\n"
	"\n"
	"The places with a known status: who holds or occupies each, since when,\n"
	"what is under way or expected (a withdrawal with a stated duration gets\n"
	"an expected end) and how many independent sources stand behind it.\n"
	"jsonl and geojson carry the whole timeline of each place; csv has one\n"
	"row per interval of the timeline.\n"
	"\n";

static const char report_help[] =
	"usage: sitrep report [--db PATH] [--since DATE] [--country CC] [--place NAME]\n"
	"\n"
	"The situation, for a person at a terminal: a table of places with their\n"
	"current holder, since when and the number of independent sources; what\n"
	"is under way or expected; the timeline of incidents in date order (an\n"
	"undated one at its first report's date, shown \"by DATE\"; the latest\n"
	"40, and how many earlier ones are left out);\n"
	"and the disagreements between sources. Fits 100 columns.\n"
	"\n"
	"Options:\n"
	"  --since DATE     only what happened on or after DATE (YYYY[-MM[-DD]])\n"
	"  --country CC     only places in this country (ISO alpha-2)\n"
	"  --place NAME     only this place (an id, or a name as reports write it)\n"
	"  --limit N        timeline rows (default 40; 0 = all)\n"
	"  --color WHEN     auto (default), always or never\n"
	"  --width N        columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

static const char search_help[] =
	"usage: sitrep search [--db PATH] [--limit N] [--format table|jsonl|json] QUERY\n"
	"\n"
	"Full-text search of the stored sentences, as you would type it: words\n"
	"(all must occur) match their forms (withdraw: withdrew, withdrawn,\n"
	"withdrawal), case and accents do not matter, and words with hyphens or\n"
	"apostrophes need no quotes (al-Tanf, Syria's). FTS5's syntax works too:\n"
	"\"exact phrases\", AND, OR, NOT in capitals, (groups), prefixes (withdr*),\n"
	"NEAR(a b, 5). At most 32 words and 1000 bytes.\n"
	"Example: sitrep search withdraw Tanf. Best matches first; each with its\n"
	"report, sentence number and publication date.\n"
	"\n"
	"Options:\n"
	"  --limit N        at most N sentences (default 20; 0 = all)\n"
	"  --format F       table (default), jsonl ({doc, sentence, span,\n"
	"                   published, url, text}) or json (one array)\n"
	"  --color WHEN     auto (default), always or never\n"
	"  --width N        columns (default: the terminal's, else 100)\n"
	"  --db PATH        the store (default " DEFAULT_DB ")\n"
	"  -h, --help       show this help\n";

/* ------------------------------------------------------------- options */

/* Every option of the store commands, with the commands that take it:
 * each command parses its own (getopt_long) and an option of another
 * store command is refused with the commands it belongs to. */
enum { C_INGEST = 1, C_EVENTS = 2, C_INCIDENTS = 4, C_PLACES = 8, C_REPORT = 16,
       C_SEARCH = 32 };
#define C_QUERIES (C_EVENTS | C_INCIDENTS | C_PLACES)
enum { O_DB = 256, O_LEXICON, O_BATCH, O_NO_FUSE, O_QUIET, O_TYPE, O_ACTOR, O_PLACE,
       O_COUNTRY, O_SINCE, O_UNTIL, O_MODALITY, O_SOURCE, O_LIMIT, O_FORMAT, O_COLOR,
       O_WIDTH, O_HELP, O_JOBS };

static const struct {
	const char *name;
	int has_arg, id, cmds;
} store_opts[] = {
	{"db", required_argument, O_DB, C_INGEST | C_QUERIES | C_REPORT | C_SEARCH},
	{"lexicon", required_argument, O_LEXICON, C_INGEST},
	{"batch", required_argument, O_BATCH, C_INGEST},
	{"no-fuse", no_argument, O_NO_FUSE, C_INGEST},
	{"quiet", no_argument, O_QUIET, C_INGEST},
	{"jobs", required_argument, O_JOBS, C_INGEST},
	{"type", required_argument, O_TYPE, C_EVENTS | C_INCIDENTS},
	{"actor", required_argument, O_ACTOR, C_QUERIES},
	{"place", required_argument, O_PLACE, C_QUERIES | C_REPORT},
	{"country", required_argument, O_COUNTRY, C_QUERIES | C_REPORT},
	{"since", required_argument, O_SINCE, C_QUERIES | C_REPORT},
	{"until", required_argument, O_UNTIL, C_EVENTS | C_INCIDENTS},
	{"modality", required_argument, O_MODALITY, C_EVENTS | C_INCIDENTS},
	{"source", required_argument, O_SOURCE, C_EVENTS | C_INCIDENTS},
	{"limit", required_argument, O_LIMIT, C_QUERIES | C_REPORT | C_SEARCH},
	{"format", required_argument, O_FORMAT, C_QUERIES | C_SEARCH},
	{"color", required_argument, O_COLOR, C_QUERIES | C_REPORT | C_SEARCH},
	{"width", required_argument, O_WIDTH, C_QUERIES | C_REPORT | C_SEARCH},
	{"help", no_argument, O_HELP, ~0},
};

/* The struct option table of the command cmd (C_*), in opts. */
static void
options_of(int cmd, struct option *opts)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof store_opts / sizeof store_opts[0]; i++)
		if (store_opts[i].cmds & cmd)
			opts[n++] = (struct option){store_opts[i].name, store_opts[i].has_arg, NULL,
						    store_opts[i].id};
	opts[n] = (struct option){NULL, 0, NULL, 0};
}

/* An option the command does not take: when another store command takes
 * it, says which. */
static int
not_mine(const char *cmd, const char *word)
{
	static const char *const names[] = {"ingest", "events", "incidents", "places", "report",
		"search"};
	if (!word || strncmp(word, "--", 2) != 0)
		return 0;
	size_t len = strcspn(word + 2, "=");
	for (size_t i = 0; i < sizeof store_opts / sizeof store_opts[0]; i++) {
		if (strlen(store_opts[i].name) != len || strncmp(store_opts[i].name, word + 2, len))
			continue;
		char list[128] = "";
		for (int k = 0; k < 6; k++)
			if (store_opts[i].cmds & (1 << k))
				snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s",
					 list[0] ? ", " : "", names[k]);
		return cli_usage_error(cmd, "%.*s is not an option of %s (it is one of: %s)",
				       (int)len + 2, word, cmd, list);
	}
	return 0;
}

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

/* A query's store, opened read-only (see SR_STORE_QUERY). */
static sr_store *
open_existing(const char *cmd, const char *db)
{
	char err[1024];
	sr_store *st = sr_store_open(db, SR_STORE_QUERY, err, sizeof err);
	if (!st) {
		fprintf(stderr, "sitrep %s: %s\n", cmd, err);
		return NULL;
	}
	if (!sr_store_fused(st))
		fprintf(stderr, "sitrep %s: note: the incidents of %s are older than its events"
			" and could not be refreshed (%s); they are shown as they are\n", cmd, db,
			*sr_store_errmsg(st) ? sr_store_errmsg(st) : "read-only");
	return st;
}

/* -------------------------------------------------------------- ingest */

typedef struct ingest_run {
	sr_store *st;
	const sr_lexicon *lx;
	const sr_syntax *syn;   /* the slots' extractors share it */
	long seen, added, dup, copies, events, failed;
	int progress;
	int stopped;            /* a store error: nothing more is read */
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

static void
note_wait(void *ctx, const char *path, double waited)
{
	ingest_run *r = ctx;
	fprintf(stderr, "%ssitrep ingest: waiting for another process writing %s (%.0f s)%s",
		r->progress ? "\r\x1b[K" : "", path, waited, r->progress ? "" : "\n");
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
	s->x = sr_extractor_new_with_syntax(r->lx, r->syn, err, sizeof err);
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
	if (r->stopped)
		return;   /* documents extracted before a store error stopped the reading */
	r->seen++;
	/* one call: a report already stored (the same text) comes back as
	 * added 0, or 2 when it is a copy from another outlet or URL (its
	 * events are not stored again); asking first cost a second lookup
	 * and a second hash of the text per report */
	int added = 0;
	if (sr_store_add(r->st, doc, s->ev, s->n, &added) != SR_OK) {
		/* the store cannot take more (read-only, full disk, damaged):
		   one message, and no more input is read */
		fprintf(stderr, "%ssitrep ingest: %s:%ld: %s\n", r->progress ? "\r\x1b[K" : "",
			doc->origin ? doc->origin : "-", doc->line, sr_store_errmsg(r->st));
		r->failed++;
		r->stopped = 1;
		cli_stop_reading = true;
		return;
	}
	if (added == 1) {
		r->added++;
		r->events += (long)s->n;
	} else {
		r->dup++;
		r->copies += added == 2;
	}
	if (r->progress)
		show_progress(r, 0);
}

typedef struct ingest_opts {
	const char *db;
	long batch;
	bool quiet, fuse, help;
	int jobs;
} ingest_opts;

static int
ingest_opt(void *ctx, int id, const char *val)
{
	ingest_opts *o = ctx;
	switch (id) {
	case O_DB:
		if (!*val)
			return cli_usage_error("ingest", "--db needs a path");
		o->db = val;
		return 0;
	case O_LEXICON:
		return cli_add_lexicon("ingest", val);
	case O_BATCH:
		return parse_long("ingest", "--batch", val, &o->batch) ? EXIT_USAGE : 0;
	case O_NO_FUSE:
		o->fuse = false;
		return 0;
	case O_JOBS:
		return cli_parse_jobs("ingest", val, &o->jobs);
	case O_QUIET:
	case 'q':
		o->quiet = true;
		return 0;
	case O_HELP:
	case 'h':
		o->help = true;
		return 0;
	case CLI_OPT_UNKNOWN:
		return not_mine("ingest", val);
	}
	return 0;
}

int
cmd_ingest(int argc, char **argv)
{
	ingest_opts o = {DEFAULT_DB, 256, false, true, false, cli_jobs_default()};
	struct option opts[sizeof store_opts / sizeof store_opts[0] + 1];
	options_of(C_INGEST, opts);
	int first;
	int bad = cli_getopt("ingest", argc, argv, opts, ingest_opt, &o, &first);
	if (bad)
		return bad;
	if (o.help) {
		fputs(ingest_help, stdout);
		return 0;
	}
	char **paths = argv + first;
	int npaths = argc - first;
	const char *db = o.db;
	long batch = o.batch;
	bool quiet = o.quiet, fuse = o.fuse;
	char err[1024];
	cli_syntax_loader *sl = cli_syntax_start(o.jobs);
	sr_lexicon *lx = sr_lexicon_load(cli_lexicon_dirs, cli_nlexicon_dirs, err, sizeof err);
	sr_syntax *syn = cli_syntax_wait(sl);
	if (!lx) {
		fprintf(stderr, "sitrep ingest: %s\n", err);
		sr_syntax_free(syn);
		return EXIT_USAGE;
	}
	ingest_run r = {0};
	r.lx = lx;
	r.syn = syn;
	r.st = sr_store_open(db, SR_STORE_CREATE, err, sizeof err);
	if (!r.st) {
		fprintf(stderr, "sitrep ingest: %s\n", err);
		sr_syntax_free(syn);
		sr_lexicon_free(lx);
		return EXIT_USAGE;
	}
	sr_store_set_lexicon(r.st, lx);
	sr_store_set_batch(r.st, (size_t)(batch > 0 ? batch : 1));
	sr_store_set_wait(r.st, 0, note_wait, &r);
	cli_oom_note = "the store keeps every batch committed before this report (the open one"
		       " is rolled back); a second run stores the rest";
	r.progress = !quiet && isatty(2);
	r.t0 = r.last = now_s();
	static const cli_jobs_ops ops = {ingest_slot_new, ingest_slot_free, NULL, NULL,
					 ingest_extract, ingest_doc, 8, false};
	int status = cli_each_doc_jobs(paths, npaths, o.jobs, &ops, &r);
	/* after a store error too: the reports before the one that failed
	   are whole (each went in under its own savepoint) */
	int rc = sr_store_flush(r.st);
	long taken_docs, taken_events;  /* another process stored them first */
	sr_store_taken_elsewhere(r.st, &taken_docs, &taken_events);
	r.added -= taken_docs;
	r.dup += taken_docs;
	r.events -= taken_events;
	double t_ingest = now_s() - r.t0;
	if (r.progress)
		show_progress(&r, 1);
	if (rc == SR_OK && fuse)
		rc = r.added || r.copies ? sr_store_fuse(r.st) : sr_store_refresh(r.st);
	if (r.stopped) {
		fprintf(stderr, "sitrep ingest: stopped at the first store error; %s; fix the"
			" cause and run the same ingest again to store the rest (reports already"
			" stored are skipped)\n", rc == SR_OK ? "every report read before it is"
			" stored" : "the reports of the open batch were rolled back, the batches"
			" committed before stay");
		rc = SR_ERR_DB;
		status = EXIT_USAGE;
	} else if (rc != SR_OK) {
		fprintf(stderr, "sitrep ingest: %s\n", sr_store_errmsg(r.st));
		status = EXIT_USAGE;
	}
	double t_all = now_s() - r.t0;
	if (!quiet && rc == SR_OK) {
		sr_store_stats ss;
		sr_store_stats_get(r.st, &ss);
		char copies[96] = "";
		if (r.copies)
			snprintf(copies, sizeof copies, ", %ld of them another copy: another outlet"
				 " or URL", r.copies);
		printf("ingested %ld new report%s (%ld already stored%s%s), %ld event%s in %.2f s"
		       " (%.0f reports/s; fusion %.2f s)\n",
		       r.added, r.added == 1 ? "" : "s", r.dup, copies,
		       r.failed ? ", some failed: see above" : "",
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
	sr_syntax_free(syn);
	sr_lexicon_free(lx);
	if (fflush(stdout) != 0 && status == EXIT_ALL_READ)
		status = EXIT_SKIPPED;
	return status;
}

/* ------------------------------------------------------------- queries */

enum { Q_EVENTS, Q_INCIDENTS, Q_PLACES, Q_REPORT, Q_SEARCH };

typedef struct query_opts {
	int what;
	const char *cmd;
	sr_filter f;
	const char *db, *color;
	int fmt, help;
} query_opts;

static int
query_opt(void *ctx, int id, const char *val)
{
	query_opts *o = ctx;
	const char *cmd = o->cmd;
	long n;
	switch (id) {
	case O_DB:
		if (!*val)
			return cli_usage_error(cmd, "--db needs a path");
		o->db = val;
		break;
	case O_SINCE:
		o->f.since = val;
		break;
	case O_UNTIL:
		o->f.until = val;
		break;
	case O_COUNTRY:
		o->f.country = val;
		break;
	case O_PLACE:
		o->f.place = val;
		break;
	case O_ACTOR:
		o->f.actor = val;
		break;
	case O_SOURCE:
		o->f.source = val;
		break;
	case O_TYPE:
		if ((o->f.type = sr_event_type_parse(val)) < 0)
			return cli_usage_error(cmd, "unknown event type '%s' (withdraw, take_control,"
					       " deploy, attack, transfer_detainees, agreement)", val);
		break;
	case O_MODALITY:
		if ((o->f.modality = sr_modality_parse(val)) < 0)
			return cli_usage_error(cmd, "unknown modality '%s' (asserted,"
					       " reported_unconfirmed, expected, denied)", val);
		break;
	case O_COLOR:
		if (strcmp(val, "auto") && strcmp(val, "always") && strcmp(val, "never"))
			return cli_usage_error(cmd, "--color takes auto, always or never, not '%s'", val);
		o->color = val;
		break;
	case O_WIDTH:
		if (parse_long(cmd, "--width", val, &n))
			return EXIT_USAGE;
		o->f.width = n < 40 ? 40 : n > 1000 ? 1000 : (int)n;
		break;
	case O_LIMIT:
		if (parse_long(cmd, "--limit", val, &n))
			return EXIT_USAGE;
		o->f.limit = n;
		break;
	case O_FORMAT:
		o->fmt = sr_format_parse(val);
		if (o->fmt < 0 || (o->what == Q_SEARCH && o->fmt != SR_FMT_TABLE &&
				   o->fmt != SR_FMT_JSONL && o->fmt != SR_FMT_JSON))
			return cli_usage_error(cmd, "--format takes %s, not '%s'", o->what == Q_SEARCH
					       ? "table, jsonl or json" : "table, jsonl, json, csv or geojson",
					       val);
		break;
	case O_HELP:
	case 'h':
		o->help = 1;
		break;
	case CLI_OPT_UNKNOWN:
		return not_mine(cmd, val);
	default:
		/* -q: ingest's */
		return cli_usage_error(cmd, "unknown option '-%c'", id);
	}
	return 0;
}

/* The lexicon of a query, loaded when a filter first needs it. */
struct lazy_lexicon {
	const char *cmd;
	sr_lexicon *lx;         /* owned: freed after the store is closed */
};

static const sr_lexicon *
load_lazily(void *ctx)
{
	struct lazy_lexicon *z = ctx;
	if (!z->lx)
		z->lx = cli_load_lexicon(z->cmd);
	return z->lx;
}

static int
query(int argc, char **argv, int what)
{
	static const char *const names[] = {"events", "incidents", "places", "report", "search"};
	static const int cmds[] = {C_EVENTS, C_INCIDENTS, C_PLACES, C_REPORT, C_SEARCH};
	query_opts o;
	memset(&o, 0, sizeof o);
	o.what = what;
	o.cmd = names[what];
	o.db = DEFAULT_DB;
	o.color = "auto";
	o.fmt = SR_FMT_TABLE;
	if (what == Q_SEARCH)
		o.f.limit = 20;
	if (what == Q_REPORT)
		o.f.limit = 40;
	const char *cmd = o.cmd;
	struct option opts[sizeof store_opts / sizeof store_opts[0] + 1];
	options_of(cmds[what], opts);
	int first;
	int bad = cli_getopt(cmd, argc, argv, opts, query_opt, &o, &first);
	if (bad)
		return bad;
	if (o.help) {
		if (what == Q_REPORT || what == Q_SEARCH) {
			fputs(what == Q_REPORT ? report_help : search_help, stdout);
		} else {
			fputs(what == Q_EVENTS ? events_help : what == Q_INCIDENTS ? incidents_help
			      : places_help, stdout);
			fputs(what == Q_PLACES ? places_filter_help : filter_help, stdout);
		}
		return 0;
	}
	const char *query_text = NULL;
	if (what == Q_SEARCH && first < argc)
		query_text = argv[first++];
	if (first < argc)
		return cli_usage_error(cmd, "unexpected argument '%s'%s", argv[first],
				       what == Q_SEARCH ? " (quote a search of several words)" : "");
	sr_filter f = o.f;
	const char *db = o.db, *color = o.color;
	int fmt = o.fmt;
	if (what == Q_SEARCH && !query_text)
		return cli_usage_error(cmd, "what to search for? (sitrep search \"withdraw AND Tanf\")");
	f.color = want_color(color, 1);
	if (!f.width)
		f.width = term_width();
	sr_store *st = open_existing(cmd, db);
	if (!st)
		return EXIT_USAGE;
	/* names in --place and --actor are resolved through the lexicon; the
	 * exports name each place's first-level area from it */
	sr_lexicon *lx = NULL;
	struct lazy_lexicon lazy = {cmd, NULL};
	if ((what == Q_EVENTS || what == Q_INCIDENTS || what == Q_PLACES) &&
	    (fmt == SR_FMT_CSV || fmt == SR_FMT_GEOJSON)) {
		lx = cli_load_lexicon(cmd);
		if (!lx) {
			sr_store_close(st);
			return EXIT_USAGE;
		}
		sr_store_set_lexicon(st, lx);
	} else if (f.place || f.actor) {
		/* loaded only when a name is not one the store holds */
		sr_store_set_lexicon_loader(st, load_lazily, &lazy);
	}
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
	else if (what == Q_SEARCH && *sr_store_errmsg(st))
		fprintf(stderr, "sitrep %s: note: %s\n", cmd, sr_store_errmsg(st));
	sr_store_close(st);
	sr_lexicon_free(lx);
	sr_lexicon_free(lazy.lx);
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
