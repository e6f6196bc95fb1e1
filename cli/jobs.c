/*
 * jobs.c -- documents worked on N threads, finished in input order.
 *
 * `extract --jobs N` and `ingest --jobs N` spend their time analyzing and
 * extracting, which each document needs alone.  N threads (the main
 * thread and N - 1 more: one a core, no dispatcher competing with them
 * for a core) each repeat the same steps: take the next document from the
 * reader (under a lock: the reader is sequential, and so is its error
 * reporting), run the command's work on it without any lock, then hand
 * it to the ring of slots by its number in the input.  Whichever thread
 * completes the document whose turn it is finishes it and every later one
 * already waiting (writes the output, or stores the events: one writer at
 * a time, in input order), so the output is byte for byte that of one
 * thread.  A thread that gets too far ahead of the oldest unfinished
 * document waits for its slot.  Each slot has its own state, made once
 * (an output buffer, or for ingest an extractor): what a thread produced
 * stays valid until the document is finished.  Each thread may have its
 * own state too (extract's extractor, kept warm in its core's cache).
 * With one job there is no other thread and no waiting: the same steps
 * in turn.
 */
#include "cli.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct slot {
	sr_doc *doc;
	void *state;
	char *note;                     /* printed before it is finished */
	bool unread;                    /* its page could not be read: skipped */
	bool done;                      /* worked on, waiting for its turn */
} slot;

typedef struct pool {
	const cli_jobs_ops *ops;
	void *ctx;
	slot *slots;                    /* document number n uses slot n % nslots */
	size_t nslots;
	/* the reading, under rd */
	pthread_mutex_t rd;
	sr_reader *r;
	sr_doc *whole;                  /* a report being cut into parts */
	size_t pos;
	int part;
	bool end;
	uint64_t next_seq;              /* the number of the next document read */
	size_t too_big;                 /* documents over the memory limit */
	/* the finishing, under mu */
	pthread_mutex_t mu;
	pthread_cond_t freed;           /* a slot was freed */
	uint64_t next_fin;              /* the document whose turn it is */
	/* counted by the thread whose turn it is */
	size_t late_skipped;            /* pages unread, or over the memory limit */
	atomic_bool stop;               /* a finish asked to stop reading */
} pool;

/* One thread a core, except under an address-space limit (ulimit -v):
 * each worker thread reserves its stack and a malloc arena of up to 64 MB
 * of address space, which a limit of a few hundred MB cannot hold (ingest
 * aborted under ulimit -v 160000 with two threads).  --jobs N still
 * asks for N. */
int
cli_jobs_default(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		return 1;
	/* the cores this process may run on (taskset, a cpuset), else
	 * those online */
	cpu_set_t set;
	long n = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) :
								   sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > CLI_MAX_JOBS ? CLI_MAX_JOBS : (int)n;
}

int
cli_parse_jobs(const char *cmd, const char *val, int *jobs)
{
	char *end;
	long n = val ? strtol(val, &end, 10) : 0;
	if (!val || !*val || *end || n < 1 || n > CLI_MAX_JOBS)
		return cli_usage_error(cmd, "--jobs takes a number of threads from 1 to %d",
				       CLI_MAX_JOBS);
	*jobs = (int)n;
	return 0;
}

struct cli_syntax_loader {
	pthread_t tid;
	bool threaded;
	char path[4096];
	sr_syntax *model;
};

static void *
load_syntax(void *arg)
{
	cli_syntax_loader *l = arg;
	char err[1024];
	/* no file, or not a model: none, as sr_extractor_new reads it */
	l->model = sr_syntax_load(l->path, err, sizeof err);
	return NULL;
}

cli_syntax_loader *
cli_syntax_start(int jobs)
{
	cli_syntax_loader *l = calloc(1, sizeof *l);
	if (!l) {
		fprintf(stderr, "sitrep: out of memory\n");
		exit(EXIT_USAGE);
	}
	/* the path now, on this thread: finding the data folder uses static
	 * storage that the lexicon's loading uses too */
	const char *path = sr_syntax_default_path();
	if (!path || strlen(path) >= sizeof l->path)
		return l;
	strcpy(l->path, path);
	/* under an address-space limit, after the lexicon as one thread
	 * does: a model that does not fit then never stops the lexicon's
	 * own message (the model's reading aborts when memory runs out) */
	struct rlimit rl;
	bool limited = getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY;
	if (jobs > 1 && !limited && pthread_create(&l->tid, NULL, load_syntax, l) == 0)
		l->threaded = true;
	return l;
}

sr_syntax *
cli_syntax_wait(cli_syntax_loader *l)
{
	if (!l)
		return NULL;
	if (l->threaded)
		pthread_join(l->tid, NULL);
	else if (l->path[0])
		load_syntax(l);
	sr_syntax *m = l->model;
	free(l);
	return m;
}

static void
report_read(sr_reader *r, int st)
{
	if (st == SR_END)
		return;
	if (st != SR_OK)
		fprintf(stderr, "sitrep: %s\n", sr_reader_errmsg(r));
	const char *w = st == SR_OK ? sr_reader_warning(r) : NULL;
	if (w)
		fprintf(stderr, "sitrep: warning: %s\n", w);
}

/* Is doc within the memory limit?  If not, says so, frees it and counts
 * it in *skipped. */
static bool
fits(sr_doc *doc, size_t *skipped)
{
	char err[1024];
	if (sr_doc_memory_check(doc, err, sizeof err) == SR_OK)
		return true;
	fprintf(stderr, "sitrep: %s\n", err);
	sr_doc_free(doc);
	(*skipped)++;
	return false;
}

/* Says that doc is cut into parts, the first of which is part. */
static void
warn_parts(const sr_doc *doc, const sr_doc *part)
{
	fprintf(stderr, "sitrep: warning: %s%s%.0ld: a report of %.1f MB, more than the"
		" %zu MB analyzed at once: cut at paragraph breaks into parts, each a report"
		" of its own (%s)\n", doc->origin ? doc->origin : "-", doc->line ? ":" : "",
		doc->line, (double)(doc->len - doc->body) / 1048576.0, SR_DOC_PART_MAX >> 20,
		part->id);
}

/* The next document to work on (owned by the caller), or NULL at the end
 * of the input or when a finish asked to stop; rd is held.  A report too
 * large to analyze at once comes in parts, as cli_each_doc cuts it. */
static sr_doc *
next_doc(pool *p)
{
	for (;;) {
		bool stop = atomic_load_explicit(&p->stop, memory_order_relaxed);
		if (p->whole) {
			sr_doc *part = stop ? NULL : sr_doc_next_part(p->whole, &p->pos, &p->part);
			if (!part) {
				sr_doc_free(p->whole);
				p->whole = NULL;
				continue;
			}
			if (fits(part, &p->too_big))
				return part;
			continue;
		}
		if (p->end || stop)
			return NULL;
		sr_doc *doc;
		int st = sr_reader_next(p->r, &doc);
		report_read(p->r, st);
		if (st == SR_END) {
			p->end = true;
			return NULL;
		}
		if (st != SR_OK)
			continue;
		size_t pos = 0;
		int k = 0;
		sr_doc *part = sr_doc_next_part(doc, &pos, &k);
		if (!part) {
			if (fits(doc, &p->too_big))
				return doc;
			continue;
		}
		warn_parts(doc, part);
		p->whole = doc;
		p->pos = pos;
		p->part = k;
		if (fits(part, &p->too_big))
			return part;
	}
}

/* Finishes, in input order, the document whose turn it is and every one
 * after it already worked on; mu is held (and let go while finishing, so
 * that the other threads can hand in theirs meanwhile).  Only the thread
 * that completed the document whose turn it was calls this, so one thread
 * at a time finishes. */
static void
finish_ready(pool *p)
{
	for (;;) {
		slot *s = &p->slots[p->next_fin % p->nslots];
		if (!s->done)
			return;
		pthread_mutex_unlock(&p->mu);
		if (s->note)
			fputs(s->note, stderr);
		if (s->unread)
			p->late_skipped++;
		else
			p->ops->finish(s->doc, s->state, p->ctx);
		sr_doc_free(s->doc);
		free(s->note);
		if (cli_stop_reading)
			atomic_store_explicit(&p->stop, true, memory_order_relaxed);
		pthread_mutex_lock(&p->mu);
		s->doc = NULL;
		s->note = NULL;
		s->unread = s->done = false;
		p->next_fin++;
		pthread_cond_broadcast(&p->freed);
	}
}

/* A page that turned out larger than analyzed at once, or than the
 * memory limit allows: its parts are worked on and finished here, one
 * after the other, once its turn has come (the documents before it
 * finished, none after it); then the turn passes on. */
static void
in_turn(pool *p, uint64_t seq, slot *s, sr_doc *doc, char *note, void *ws)
{
	pthread_mutex_lock(&p->mu);
	while (seq != p->next_fin)
		pthread_cond_wait(&p->freed, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (note)
		fputs(note, stderr);
	free(note);
	size_t pos = 0;
	int k = 0;
	sr_doc *part = sr_doc_next_part(doc, &pos, &k);
	if (part)
		warn_parts(doc, part);
	else if (fits(doc, &p->late_skipped))
		part = doc, doc = NULL;   /* whole, within the limit */
	else
		doc = NULL;               /* freed */
	while (part) {
		if (fits(part, &p->late_skipped)) {
			p->ops->work(part, s->state, ws, p->ctx);
			p->ops->finish(part, s->state, p->ctx);
			sr_doc_free(part);
		}
		if (cli_stop_reading) {
			atomic_store_explicit(&p->stop, true, memory_order_relaxed);
			break;
		}
		part = doc ? sr_doc_next_part(doc, &pos, &k) : NULL;
	}
	sr_doc_free(doc);
	pthread_mutex_lock(&p->mu);
	p->next_fin++;
	pthread_cond_broadcast(&p->freed);
	finish_ready(p);
	pthread_mutex_unlock(&p->mu);
}

/* A copy of "sitrep: [warning: ]MSG\n" to print when the document is
 * finished. */
static char *
note_of(const char *what, const char *msg)
{
	size_t n = strlen(what) + strlen(msg) + 10;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "sitrep: %s%s\n", what, msg);
	return s;
}

/* What each thread does (ws: its own state) until the input ends. */
static void
work_loop(pool *p, void *ws)
{
	for (;;) {
		pthread_mutex_lock(&p->rd);
		sr_doc *doc = next_doc(p);
		uint64_t seq = doc ? p->next_seq++ : 0;
		pthread_mutex_unlock(&p->rd);
		if (!doc)
			return;
		slot *s = &p->slots[seq % p->nslots];
		pthread_mutex_lock(&p->mu);
		/* the slot's last document must be finished before its state
		 * is used again */
		while (seq >= p->next_fin + p->nslots)
			pthread_cond_wait(&p->freed, &p->mu);
		pthread_mutex_unlock(&p->mu);
		/* an HTML page is parsed here, on this thread (SR_READ_DEFER);
		 * what reading it says is printed in input order */
		char *note = NULL;
		bool unread = false;
		if (doc->page) {
			char err[2048], warn[1400];
			if (sr_doc_read_page(doc, err, sizeof err, warn, sizeof warn) != SR_OK) {
				note = note_of("", err);
				unread = true;
			} else {
				if (warn[0])
					note = note_of("warning: ", warn);
				char mem[1024];
				size_t pos = 0;
				int k = 0;
				sr_doc *part = sr_doc_next_part(doc, &pos, &k);
				if (part || sr_doc_memory_check(doc, mem, sizeof mem) != SR_OK) {
					sr_doc_free(part);
					in_turn(p, seq, s, doc, note, ws);
					continue;
				}
			}
		}
		if (!unread)
			p->ops->work(doc, s->state, ws, p->ctx);
		if (p->ops->doc_done_after_work || unread) {
			sr_doc_free(doc);
			doc = NULL;
		}
		pthread_mutex_lock(&p->mu);
		s->doc = doc;
		s->note = note;
		s->unread = unread;
		s->done = true;
		if (seq == p->next_fin)
			finish_ready(p);
		pthread_mutex_unlock(&p->mu);
	}
}

typedef struct thread_arg {
	pool *p;
	void *ws;
} thread_arg;

static void *
thread_main(void *arg)
{
	thread_arg *a = arg;
	work_loop(a->p, a->ws);
	return NULL;
}

int
cli_each_doc_jobs(char **paths, int npaths, int jobs, const cli_jobs_ops *ops, void *ctx)
{
	cli_oom_install();
	if (jobs < 1)
		jobs = 1;
	pool p;
	memset(&p, 0, sizeof p);
	p.ops = ops;
	p.ctx = ctx;
	atomic_init(&p.stop, cli_stop_reading);
	/* one job: one slot, finished as soon as worked on */
	int per = ops->slots_per_job > 0 ? ops->slots_per_job : 2;
	p.nslots = jobs == 1 ? 1 : (size_t)jobs * (size_t)per;
	p.slots = calloc(p.nslots, sizeof *p.slots);
	void **workers = calloc((size_t)jobs, sizeof *workers);
	thread_arg *args = calloc((size_t)jobs, sizeof *args);
	pthread_t *tids = calloc((size_t)jobs, sizeof *tids);
	if (!p.slots || !workers || !args || !tids) {
		fprintf(stderr, "sitrep: out of memory\n");
		free(p.slots);
		free(workers);
		free(args);
		free(tids);
		return EXIT_USAGE;
	}
	bool ok = true;
	for (size_t i = 0; i < p.nslots && ok; i++)
		ok = (p.slots[i].state = ops->state_new(ctx)) != NULL;
	for (int i = 0; ops->worker_new && i < jobs && ok; i++)
		ok = (workers[i] = ops->worker_new(ctx)) != NULL;
	if (ok) {
		p.r = sr_reader_new();
		/* pages are parsed by the threads, not while reading */
		sr_reader_set_flags(p.r, cli_read_flags | SR_READ_DEFER);
		if (npaths == 0)
			sr_reader_add(p.r, "-");
		for (int i = 0; i < npaths; i++)
			sr_reader_add(p.r, paths[i]);
		pthread_mutex_init(&p.rd, NULL);
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.freed, NULL);
		/* the main thread is the first of the jobs; a thread that
		 * cannot be made leaves its share to the others */
		int nthreads = 0;
		for (int i = 1; i < jobs; i++) {
			args[nthreads] = (thread_arg){&p, workers[i]};
			if (pthread_create(&tids[nthreads], NULL, thread_main, &args[nthreads]) == 0)
				nthreads++;
		}
		work_loop(&p, workers[0]);
		for (int i = 0; i < nthreads; i++)
			pthread_join(tids[i], NULL);
		pthread_mutex_destroy(&p.rd);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.freed);
	}
	for (size_t i = 0; i < p.nslots; i++)
		if (p.slots[i].state)
			ops->state_free(p.slots[i].state);
	for (int i = 0; ops->worker_new && i < jobs; i++)
		if (workers[i])
			ops->worker_free(workers[i]);
	free(p.slots);
	free(workers);
	free(args);
	free(tids);
	if (!ok)
		return EXIT_USAGE;
	size_t skipped = sr_reader_skipped(p.r) + p.too_big + p.late_skipped;
	size_t passed = sr_reader_passed(p.r);
	sr_reader_free(p.r);
	if (passed)
		fprintf(stderr, "sitrep: %zu archive record%s without an HTML page passed over\n", passed,
			passed == 1 ? "" : "s");
	if (skipped)
		fprintf(stderr, "sitrep: %zu record%s or file%s skipped (see above)\n", skipped,
			skipped == 1 ? "" : "s", skipped == 1 ? "" : "s");
	return skipped ? EXIT_SKIPPED : EXIT_ALL_READ;
}
