/*
 * cmd_extract.c -- `sitrep extract`: the events of each report, one JSON
 * object a line in the event record format (or TSV).  Streams: each
 * document is read, extracted, printed and freed before the next.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
	"usage: sitrep extract [--lexicon DIR]... [--format jsonl|tsv] [--jobs N] [FILE|DIR|-]...\n"
	"\n"
	"Reads reports and prints the events they state: who withdrew from,\n"
	"took control of, deployed to or attacked which place, detainee\n"
	"transfers and agreements, each with its actor, place, other party, date,\n"
	"quantities, modality (asserted, reported_unconfirmed, expected, denied),\n"
	"sources, CAMEO/PLOVER/ACLED codes and the evidence sentence.\n"
	"\n"
	"jsonl (the default) prints one event a line: doc, id, type, actor,\n"
	"place, other ({id, name, text, kind, country; a place also lat, lon,\n"
	"precision}), date ({value, precision, approx, text}), quantities,\n"
	"modality, sources, codes ({cameo, plover, acled}), sentence, span\n"
	"(byte offsets), evidence, trigger and also (the sentence's other\n"
	"readings); tsv prints one line an event with the columns: id, type,\n"
	"date, actor, place, other, modality, quantities, source, evidence.\n"
	"With no input, reads stdin. Output is deterministic.\n"
	"\n"
	"Options:\n"
	"  --lexicon DIR       also read the lexicon files of DIR (places, actors,\n"
	"                      triggers.tsv, codes.tsv...); repeatable\n"
	"  --format jsonl|tsv  output format (default jsonl)\n"
	"  -j, --jobs N        extract on N threads (default: the cores available);\n"
	"                      the output is the same for any N\n"
	"  -h, --help          show this help\n";

typedef struct run {
	const sr_lexicon *lx;
	const sr_syntax *syn;   /* the threads' extractors share it */
	bool tsv;
} run;

/* One slot: the output of its document. */
typedef struct slot_state {
	char *out;
	size_t len;
} slot_state;

static void *
state_new(void *ctx)
{
	(void)ctx;
	return calloc(1, sizeof(slot_state));
}

static void
state_free(void *state)
{
	slot_state *s = state;
	if (s)
		free(s->out);
	free(s);
}

/* One worker thread: its extractor, with the shared model. */
static void *
worker_new(void *ctx)
{
	run *r = ctx;
	char err[1024];
	sr_extractor *x = sr_extractor_new_with_syntax(r->lx, r->syn, err, sizeof err);
	if (!x)
		fprintf(stderr, "sitrep extract: %s\n", err);
	return x;
}

static void
worker_free(void *worker)
{
	sr_extractor_free(worker);
}

/* On a worker: the document's events, written into memory. */
static void
extract_doc(sr_doc *doc, void *state, void *worker, void *ctx)
{
	run *r = ctx;
	slot_state *s = state;
	sr_doc_analyze(doc);
	const sr_event *ev;
	size_t n;
	sr_extract(worker, doc, &ev, &n);
	free(s->out);
	s->out = NULL;
	s->len = 0;
	if (!n)
		return;         /* most reports: no stream to open */
	FILE *f = open_memstream(&s->out, &s->len);
	if (!f)
		return;
	for (size_t i = 0; i < n; i++) {
		if (r->tsv) {
			sr_event_write_tsv(f, doc, &ev[i], i);
		} else {
			sr_event_write_json(f, doc, &ev[i], i);
			putc('\n', f);
		}
	}
	fclose(f);
}

/* In input order, one document at a time (doc is NULL: freed after
 * extract_doc). */
static void
print_doc(sr_doc *doc, void *state, void *ctx)
{
	(void)doc;
	(void)ctx;
	slot_state *s = state;
	if (s->out && s->len)
		fwrite(s->out, 1, s->len, stdout);
}

int
cmd_extract(int argc, char **argv)
{
	char **paths = argv + 1;
	int npaths = 0;
	run r = {0};
	int jobs = cli_jobs_default();
	for (int i = 1; i < argc; i++) {
		const char *val;
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			fputs(help, stdout);
			return 0;
		}
		if (cli_opt(argc, argv, &i, "--lexicon", &val)) {
			if (cli_add_lexicon("extract", val))
				return EXIT_USAGE;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--jobs", &val) || cli_opt(argc, argv, &i, "-j", &val)) {
			if (cli_parse_jobs("extract", val, &jobs))
				return EXIT_USAGE;
			continue;
		}
		if (cli_opt(argc, argv, &i, "--format", &val)) {
			if (!val || (strcmp(val, "jsonl") && strcmp(val, "tsv")))
				return cli_usage_error("extract", "--format takes jsonl or tsv");
			r.tsv = !strcmp(val, "tsv");
			continue;
		}
		if (argv[i][0] == '-' && argv[i][1])
			return cli_usage_error("extract", "unknown option '%s'", argv[i]);
		paths[npaths++] = argv[i];
	}
	cli_syntax_loader *sl = cli_syntax_start(jobs);
	sr_lexicon *lx = cli_load_lexicon("extract");
	sr_syntax *syn = cli_syntax_wait(sl);
	if (!lx) {
		sr_syntax_free(syn);
		return EXIT_USAGE;
	}
	r.lx = lx;
	r.syn = syn;
	/* a slot holds only a report's output (the report is freed after
	 * extract_doc): 256 a thread let one thread run on while the other
	 * is held up (a long report, or another process on its core) */
	static const cli_jobs_ops ops = {state_new, state_free, worker_new, worker_free,
					 extract_doc, print_doc, 256, true};
	int st = cli_each_doc_jobs(paths, npaths, jobs, &ops, &r);
	sr_syntax_free(syn);
	sr_lexicon_free(lx);
	return cli_finish_output("extract", st);
}
