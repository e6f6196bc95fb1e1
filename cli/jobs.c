/*
 * jobs.c -- documents worked on N threads, finished in input order.
 *
 * `extract --jobs N` and `ingest --jobs N` spend their time analyzing and
 * extracting, which each document needs alone.  The main thread reads the
 * input (the reader is sequential, and so is its error reporting) and
 * hands documents to a ring of slots; N worker threads take any waiting
 * slot and run the command's work on it; the main thread then finishes
 * the slots strictly in input order (writes the output, or stores the
 * events: one writer), so the output is byte for byte that of one thread.
 * Each slot has its own state, made once (an output buffer, or for
 * ingest an extractor): what a worker produced stays valid until the main
 * thread has finished with it.  Each worker may have its own state too
 * (extract's extractor, kept warm in its core's cache).
 */
#include "cli.h"

#include <pthread.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { S_FREE = 0, S_QUEUED, S_WORKING, S_DONE };

typedef struct slot {
	sr_doc *doc;
	void *state;
	int status;
} slot;

typedef struct pool {
	const cli_jobs_ops *ops;
	void **workers;                 /* per thread state, by thread index */
	int next_worker;
	void *ctx;
	slot *slots;
	size_t nslots, head, count;     /* ring: head is the next to finish */
	bool stop;
	bool threaded;                  /* worker threads run */
	size_t too_big;                 /* documents over the memory limit */
	pthread_mutex_t mu;
	pthread_cond_t work, done;
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
	long n = sysconf(_SC_NPROCESSORS_ONLN);
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

static void *
worker(void *arg)
{
	pool *p = arg;
	pthread_mutex_lock(&p->mu);
	void *ws = p->workers ? p->workers[p->next_worker++] : NULL;
	for (;;) {
		slot *s = NULL;
		for (size_t k = 0; k < p->count; k++) {
			slot *c = &p->slots[(p->head + k) % p->nslots];
			if (c->status == S_QUEUED) {
				s = c;
				break;
			}
		}
		if (!s) {
			if (p->stop)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		s->status = S_WORKING;
		pthread_mutex_unlock(&p->mu);
		p->ops->work(s->doc, s->state, ws, p->ctx);
		pthread_mutex_lock(&p->mu);
		s->status = S_DONE;
		/* the main thread only ever waits for the head */
		if (s == &p->slots[p->head])
			pthread_cond_signal(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* Finishes the slot at the head (which must be done); the lock is held. */
static void
finish_head(pool *p)
{
	slot *s = &p->slots[p->head];
	sr_doc *doc = s->doc;
	pthread_mutex_unlock(&p->mu);
	p->ops->finish(doc, s->state, p->ctx);
	sr_doc_free(doc);
	pthread_mutex_lock(&p->mu);
	s->doc = NULL;
	s->status = S_FREE;
	p->head = (p->head + 1) % p->nslots;
	p->count--;
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

/* Hands one document to the pool (the lock held when threaded): checked
 * against the memory limit, then worked on at once (no threads) or
 * queued once a slot is free, finishing what is done meanwhile. */
static void
submit(pool *p, sr_doc *doc)
{
	char err[1024];
	if (sr_doc_memory_check(doc, err, sizeof err) != SR_OK) {
		fprintf(stderr, "sitrep: %s\n", err);
		sr_doc_free(doc);
		p->too_big++;
		return;
	}
	if (!p->threaded) {
		p->ops->work(doc, p->slots[0].state, p->workers ? p->workers[0] : NULL, p->ctx);
		p->ops->finish(doc, p->slots[0].state, p->ctx);
		sr_doc_free(doc);
		return;
	}
	for (;;) {
		while (p->count > 0 && p->slots[p->head].status == S_DONE)
			finish_head(p);
		if (p->count < p->nslots)
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	slot *s = &p->slots[(p->head + p->count) % p->nslots];
	s->doc = doc;
	s->status = S_QUEUED;
	p->count++;
	pthread_cond_signal(&p->work);
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
	/* one thread: no threads at all, the same work and finish in turn */
	int per = ops->slots_per_job > 0 ? ops->slots_per_job : 2;
	p.nslots = jobs == 1 ? 1 : (size_t)jobs * (size_t)per;
	p.slots = calloc(p.nslots, sizeof *p.slots);
	p.workers = ops->worker_new ? calloc((size_t)jobs, sizeof *p.workers) : NULL;
	if (!p.slots || (ops->worker_new && !p.workers)) {
		fprintf(stderr, "sitrep: out of memory\n");
		free(p.slots);
		free(p.workers);
		return EXIT_USAGE;
	}
	bool ok = true;
	for (size_t i = 0; i < p.nslots && ok; i++)
		ok = (p.slots[i].state = ops->state_new(ctx)) != NULL;
	for (int i = 0; p.workers && i < jobs && ok; i++)
		ok = (p.workers[i] = ops->worker_new(ctx)) != NULL;
	if (!ok) {
		for (size_t i = 0; i < p.nslots; i++)
			if (p.slots[i].state)
				ops->state_free(p.slots[i].state);
		for (int i = 0; p.workers && i < jobs; i++)
			if (p.workers[i])
				ops->worker_free(p.workers[i]);
		free(p.slots);
		free(p.workers);
		return EXIT_USAGE;
	}
	sr_reader *r = sr_reader_new();
	sr_reader_set_flags(r, cli_read_flags);
	if (npaths == 0)
		sr_reader_add(r, "-");
	for (int i = 0; i < npaths; i++)
		sr_reader_add(r, paths[i]);

	pthread_t *tids = NULL;
	int nthreads = 0;
	if (jobs > 1) {
		pthread_mutex_init(&p.mu, NULL);
		pthread_cond_init(&p.work, NULL);
		pthread_cond_init(&p.done, NULL);
		tids = calloc((size_t)jobs, sizeof *tids);
		for (int i = 0; tids && i < jobs; i++)
			if (pthread_create(&tids[i], NULL, worker, &p) == 0)
				nthreads++;
	}
	p.threaded = nthreads > 0;
	if (p.threaded)
		pthread_mutex_lock(&p.mu);
	sr_doc *doc;
	int st;
	while (!cli_stop_reading) {
		if (p.threaded)
			pthread_mutex_unlock(&p.mu);
		st = sr_reader_next(r, &doc);
		report_read(r, st);
		if (p.threaded)
			pthread_mutex_lock(&p.mu);
		if (st == SR_END)
			break;
		if (st != SR_OK)
			continue;
		size_t pos = 0;
		int k = 0;
		sr_doc *part = sr_doc_next_part(doc, &pos, &k);
		if (!part) {
			submit(&p, doc);
			continue;
		}
		/* a report too large to analyze at once: in parts, as
		 * cli_each_doc cuts it */
		fprintf(stderr, "sitrep: warning: %s%s%.0ld: a report of %.1f MB, more than the"
			" %zu MB analyzed at once: cut at paragraph breaks into parts, each a report"
			" of its own (%s)\n", doc->origin ? doc->origin : "-", doc->line ? ":" : "",
			doc->line, (double)(doc->len - doc->body) / 1048576.0, SR_DOC_PART_MAX >> 20,
			part->id);
		for (; part && !cli_stop_reading; part = sr_doc_next_part(doc, &pos, &k))
			submit(&p, part);
		sr_doc_free(part);
		sr_doc_free(doc);
	}
	if (p.threaded) {
		while (p.count > 0) {
			if (p.slots[p.head].status == S_DONE)
				finish_head(&p);
			else
				pthread_cond_wait(&p.done, &p.mu);
		}
		p.stop = true;
		pthread_cond_broadcast(&p.work);
		pthread_mutex_unlock(&p.mu);
		for (int i = 0; i < nthreads; i++)
			pthread_join(tids[i], NULL);
		pthread_mutex_destroy(&p.mu);
		pthread_cond_destroy(&p.work);
		pthread_cond_destroy(&p.done);
	}
	free(tids);
	for (size_t i = 0; i < p.nslots; i++)
		ops->state_free(p.slots[i].state);
	for (int i = 0; p.workers && i < jobs; i++)
		ops->worker_free(p.workers[i]);
	free(p.slots);
	free(p.workers);
	size_t skipped = sr_reader_skipped(r) + p.too_big;
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
