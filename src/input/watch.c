/*
 * watch.c -- keeps a store current from feeds and pages on the web
 * (`sitrep watch`).
 *
 * The watcher is a small scheduler of tasks, each due at a time: a feed
 * (or page) URL, fetched every period with a conditional GET, and the
 * page of each new feed item, fetched once.  What it has seen lives in a
 * sidecar SQLite file beside the store (STORE.watch): each URL's ETag and
 * Last-Modified, and each item, pending or stored.  An item is written
 * there when its feed is read and marked stored only after its report is
 * committed to the store, so a restart neither refetches what it has nor
 * loses what it had found; a report stored twice (a crash between the
 * two commits) is kept once by the store, which keys reports by text.
 *
 * Failures are part of the web: a server that fails, stalls, redirects
 * in circles or answers garbage costs a logged retry with exponential
 * backoff (2 s, 4 s, 8 s... at most one period), never the run.  An item
 * whose page stays out of reach after max_tries is stored from its
 * feed summary instead, so no report is lost.  Requests to one host are
 * spaced by host_delay seconds.  The loop checks *stop between steps and
 * while it sleeps: SIGINT and SIGTERM end it after the step under way.
 */
#include "input_int.h"

#include <errno.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <time.h>

enum { TASK_FEED = 0, TASK_PAGE };

typedef struct task {
	int kind;
	char *url;              /* what to fetch */
	char *item;             /* TASK_PAGE: the item's id in the sidecar */
	int tries;
	double due;             /* monotonic seconds */
	bool done;
} task;

typedef struct watcher {
	const sr_watch_opts *o;
	FILE *log;
	sr_store *st;
	sr_extractor *x;
	sqlite3 *db;            /* the sidecar */
	task *tasks;
	size_t ntasks, cap;
	struct host { char name[256]; double next; } *hosts;
	size_t nhosts, caphosts;
	long stored, fetched, failures;
	bool changed;           /* reports stored since the last fusion */
	char *err;
	size_t errlen;
} watcher;

static double
mono(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
logf_(watcher *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* One log line, stamped with the UTC time; on a terminal (progress) it
 * replaces the progress line. */
static void
logf_(watcher *w, const char *fmt, ...)
{
	if (!w->log)
		return;
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (w->o->progress)
		fputs("\r\x1b[K", w->log);
	fprintf(w->log, "%s ", stamp);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(w->log, fmt, ap);
	va_end(ap);
	fputc('\n', w->log);
	fflush(w->log);
}

static void
progress(watcher *w, double next_in)
{
	if (!w->log || !w->o->progress)
		return;
	size_t pending = 0;
	for (size_t i = 0; i < w->ntasks; i++)
		pending += w->tasks[i].kind == TASK_PAGE && !w->tasks[i].done;
	fprintf(w->log, "\r\x1b[Kwatching %d URL%s: %ld fetches, %ld reports stored, %zu pending, "
			"%ld failures; next fetch in %.0f s", w->o->nurls, w->o->nurls == 1 ? "" : "s",
		w->fetched, w->stored, pending, w->failures, next_in > 0 ? next_in : 0);
	fflush(w->log);
}

/* ----------------------------------------------------------- sidecar */

static const char sidecar_schema[] =
	"PRAGMA journal_mode=WAL;"
	"CREATE TABLE IF NOT EXISTS urls(url TEXT PRIMARY KEY, etag TEXT, last_modified TEXT,"
	" last_status INTEGER, last_fetch TEXT);"
	"CREATE TABLE IF NOT EXISTS items(id TEXT PRIMARY KEY, feed TEXT, link TEXT, title TEXT,"
	" published TEXT, outlet TEXT, summary TEXT, stored INTEGER NOT NULL DEFAULT 0,"
	" found TEXT);";

static int
sidecar_open(watcher *w)
{
	sr_buf p = {0};
	sr_buf_printf(&p, "%s.watch", w->o->db);
	int rc = sqlite3_open_v2(p.ptr, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(w->db, 10000);
		rc = sqlite3_exec(w->db, sidecar_schema, NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		snprintf(w->err, w->errlen, "%s: cannot open what watch has seen: %s", p.ptr,
			 w->db ? sqlite3_errmsg(w->db) : "out of memory");
	sr_buf_free(&p);
	return rc == SQLITE_OK ? SR_OK : SR_ERR_DB;
}

static sqlite3_stmt *
prep(watcher *w, const char *sql)
{
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(w->db, sql, -1, &s, NULL) != SQLITE_OK) {
		logf_(w, "error: watch state: %s", sqlite3_errmsg(w->db));
		return NULL;
	}
	return s;
}

static void
bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static char *
col_dup(sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	return v ? sr_strdup((const char *)v) : NULL;
}

/* The validators stored for url (owned by the caller). */
static void
get_validators(watcher *w, const char *url, char **etag, char **lm)
{
	*etag = *lm = NULL;
	sqlite3_stmt *s = prep(w, "SELECT etag, last_modified FROM urls WHERE url = ?");
	if (!s)
		return;
	bind_text(s, 1, url);
	if (sqlite3_step(s) == SQLITE_ROW) {
		*etag = col_dup(s, 0);
		*lm = col_dup(s, 1);
	}
	sqlite3_finalize(s);
}

static void
set_validators(watcher *w, const char *url, const sr_fetch_result *r)
{
	sqlite3_stmt *s = prep(w, "INSERT INTO urls(url, etag, last_modified, last_status, last_fetch)"
				  " VALUES(?, ?, ?, ?, datetime('now')) ON CONFLICT(url) DO UPDATE SET"
				  " etag = excluded.etag, last_modified = excluded.last_modified,"
				  " last_status = excluded.last_status, last_fetch = excluded.last_fetch");
	if (!s)
		return;
	bind_text(s, 1, url);
	bind_text(s, 2, r->etag);
	bind_text(s, 3, r->last_modified);
	sqlite3_bind_int64(s, 4, r->status);
	sqlite3_step(s);
	sqlite3_finalize(s);
}

/* 1 when the item is known (pending or stored), 0 when new. */
static int
item_known(watcher *w, const char *id)
{
	sqlite3_stmt *s = prep(w, "SELECT 1 FROM items WHERE id = ?");
	if (!s)
		return 1;
	bind_text(s, 1, id);
	int known = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_finalize(s);
	return known;
}

static void
item_add(watcher *w, const char *feed, const sr_feed_item *it, const char *outlet)
{
	sqlite3_stmt *s = prep(w, "INSERT OR IGNORE INTO items(id, feed, link, title, published,"
				  " outlet, summary, found) VALUES(?, ?, ?, ?, ?, ?, ?, datetime('now'))");
	if (!s)
		return;
	bind_text(s, 1, it->id);
	bind_text(s, 2, feed);
	bind_text(s, 3, it->link);
	bind_text(s, 4, it->title);
	bind_text(s, 5, it->published[0] ? it->published : NULL);
	bind_text(s, 6, outlet);
	bind_text(s, 7, it->text);
	sqlite3_step(s);
	sqlite3_finalize(s);
}

static void
item_stored(watcher *w, const char *id)
{
	sqlite3_stmt *s = prep(w, "UPDATE items SET stored = 1 WHERE id = ?");
	if (!s)
		return;
	bind_text(s, 1, id);
	sqlite3_step(s);
	sqlite3_finalize(s);
}

/* ------------------------------------------------------------- tasks */

static void
add_task(watcher *w, int kind, const char *url, const char *item, double due)
{
	SR_GROW(w->tasks, w->cap, w->ntasks + 1);
	task *t = &w->tasks[w->ntasks++];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->url = sr_strdup(url);
	t->item = item ? sr_strdup(item) : NULL;
	t->due = due;
}

static bool
page_task_exists(watcher *w, const char *item)
{
	for (size_t i = 0; i < w->ntasks; i++)
		if (w->tasks[i].kind == TASK_PAGE && !w->tasks[i].done && !strcmp(w->tasks[i].item, item))
			return true;
	return false;
}

/* The items found before a restart and not stored yet. */
static void
load_pending(watcher *w, double now)
{
	sqlite3_stmt *s = prep(w, "SELECT id, link FROM items WHERE stored = 0 ORDER BY rowid");
	if (!s)
		return;
	while (sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 0);
		const char *link = (const char *)sqlite3_column_text(s, 1);
		if (id)
			add_task(w, TASK_PAGE, link ? link : "", id, now);
	}
	sqlite3_finalize(s);
}

static double
backoff(const watcher *w, int tries)
{
	double d = 2.0 * pow(2.0, tries > 1 ? tries - 1 : 0);
	return d < w->o->every ? d : w->o->every;
}

static struct host *
host_of(watcher *w, const char *url)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	size_t n = strcspn(p, "/?#");
	char name[256];
	snprintf(name, sizeof name, "%.*s", (int)(n < 255 ? n : 255), p);
	for (size_t i = 0; i < w->nhosts; i++)
		if (!strcmp(w->hosts[i].name, name))
			return &w->hosts[i];
	SR_GROW(w->hosts, w->caphosts, w->nhosts + 1);
	struct host *h = &w->hosts[w->nhosts++];
	memcpy(h->name, name, sizeof h->name);
	h->next = 0;
	return h;
}

/* ------------------------------------------------------------ storing */

/* Analyzes, extracts and stores one report, commits it; SR_OK or
 * SR_ERR_DB (logged). */
static int
store_doc(watcher *w, sr_doc *doc)
{
	sr_doc_analyze(doc);
	const sr_event *ev;
	size_t n;
	sr_extract(w->x, doc, &ev, &n);
	int added = 0;
	int rc = sr_store_add(w->st, doc, ev, n, &added);
	if (rc == SR_OK)
		rc = sr_store_flush(w->st);
	if (rc != SR_OK) {
		logf_(w, "error: store: %s", sr_store_errmsg(w->st));
		return rc;
	}
	if (added) {
		w->stored++;
		w->changed = true;
	}
	logf_(w, "stored %s: %zu event%s%s", doc->id, n, n == 1 ? "" : "s",
	      added ? "" : " (already in the store)");
	return SR_OK;
}

/* The report of an item from what the sidecar holds (its summary) and,
 * when given, its page's documents. */
static int
store_item(watcher *w, const char *id, sr_web_out *page)
{
	sqlite3_stmt *s = prep(w, "SELECT link, title, published, outlet, summary FROM items WHERE id = ?");
	if (!s)
		return SR_ERR_DB;
	bind_text(s, 1, id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return SR_ERR_DB;
	}
	char *link = col_dup(s, 0), *title = col_dup(s, 1), *pub = col_dup(s, 2);
	char *outlet = col_dup(s, 3), *summary = col_dup(s, 4);
	sqlite3_finalize(s);
	sr_doc *doc = NULL;
	if (page && page->n) {
		doc = page->docs[0];
		page->docs[0] = NULL;   /* sr_doc_free(NULL) is a no-op */
	} else if (summary && *summary) {
		doc = sr_doc_from_text(id, summary, strlen(summary));
		doc->body = 0;
		doc->published[0] = 0;
	}
	int rc = SR_OK;
	if (doc) {
		free(doc->id);
		doc->id = sr_strdup(id);
		if (!doc->url && link)
			doc->url = sr_strdup(link);
		if (!doc->title && title)
			doc->title = sr_strdup(title);
		if (!doc->outlet && outlet)
			doc->outlet = sr_strdup(outlet);
		if (!doc->published[0] && pub && strlen(pub) == 10)
			memcpy(doc->published, pub, 11);
		rc = store_doc(w, doc);
		sr_doc_free(doc);
	} else {
		logf_(w, "item %s: no page and no summary to read: nothing to store", id);
	}
	if (rc == SR_OK)
		item_stored(w, id);
	free(link);
	free(title);
	free(pub);
	free(outlet);
	free(summary);
	return rc;
}

/* --------------------------------------------------------------- runs */

static bool
transient(const sr_fetch_result *r, int st)
{
	return st != SR_OK || r->status == 0 || r->status == 408 || r->status == 429 ||
	       r->status >= 500;
}

static void
retry(watcher *w, task *t, double now, const char *why)
{
	t->tries++;
	w->failures++;
	double d = backoff(w, t->tries);
	t->due = now + d;
	logf_(w, "GET %s: %s; retry %d in %.0f s", t->url, why, t->tries, d);
}

/* Fetches the feed or page of task ti (an index: new tasks may move the
 * array). */
static void
run_feed(watcher *w, size_t ti, double now)
{
#define t (&w->tasks[ti])
	char *etag, *lm;
	get_validators(w, t->url, &etag, &lm);
	sr_fetch_result r;
	int st = sr_fetch(t->url, etag, lm, w->o->timeout, &r);
	free(etag);
	free(lm);
	w->fetched++;
	if (st == SR_OK && r.status == 304) {
		logf_(w, "GET %s: 304 not modified", t->url);
		t->tries = 0;
		t->due = now + w->o->every;
		sr_fetch_result_clear(&r);
		return;
	}
	if (transient(&r, st) || r.status != 200) {
		char why[300];
		if (st != SR_OK)
			snprintf(why, sizeof why, "error: %s", r.error);
		else
			snprintf(why, sizeof why, "HTTP %ld", r.status);
		retry(w, t, now, why);
		sr_fetch_result_clear(&r);
		return;
	}
	char cs[40];
	sr_content_type_charset(r.content_type, cs);
	if (sr_looks_feed(r.body, r.len) || (sr_is_gzip(r.body, r.len))) {
		sr_feed_item *items = NULL;
		size_t n = 0;
		char *ftitle = NULL, err[512];
		if (sr_feed_parse(r.body, r.len, t->url, &items, &n, &ftitle, err, sizeof err) != SR_OK) {
			retry(w, t, now, "not a feed (garbage?)");
			sr_fetch_result_clear(&r);
			return;
		}
		size_t fresh = 0;
		for (size_t i = 0; i < n; i++) {
			if (item_known(w, items[i].id))
				continue;
			item_add(w, t->url, &items[i], ftitle);
			if (!page_task_exists(w, items[i].id))
				add_task(w, TASK_PAGE, items[i].link ? items[i].link : "", items[i].id, now);
			fresh++;
		}
		logf_(w, "GET %s: 200, %zu item%s, %zu new", t->url, n, n == 1 ? "" : "s", fresh);
		sr_feed_free(items, n);
		free(ftitle);
		set_validators(w, t->url, &r);
	} else if (sr_looks_html(r.body, r.len)) {
		/* a page watched for itself: a changed page is a new report
		 * (the store keeps one copy of a text) */
		sr_web_out out;
		char err[1400];
		if (sr_web_read(t->url, t->url, r.final_url ? r.final_url : t->url, r.body, r.len,
				cs[0] ? cs : NULL, 0, &out, err, sizeof err) == SR_OK) {
			logf_(w, "GET %s: 200, a page", t->url);
			if (store_doc(w, out.docs[0]) == SR_OK)
				set_validators(w, t->url, &r);
		} else {
			logf_(w, "GET %s: 200, %s", t->url, err);
			set_validators(w, t->url, &r);
		}
		sr_web_out_free(&out);
	} else {
		retry(w, t, now, "200 but neither a feed nor a page (garbage?)");
		sr_fetch_result_clear(&r);
		return;
	}
	t->tries = 0;
	t->due = now + w->o->every;
	sr_fetch_result_clear(&r);
}
#undef t

static void
run_page(watcher *w, task *t, double now)
{
	if (!t->url[0] || !strstr(t->url, "://")) {
		/* no page to fetch: the summary is the report */
		if (store_item(w, t->item, NULL) == SR_OK)
			t->done = true;
		else
			retry(w, t, now, "cannot store");
		return;
	}
	sr_fetch_result r;
	int st = sr_fetch(t->url, NULL, NULL, w->o->timeout, &r);
	w->fetched++;
	sr_web_out out = {0};
	bool have_page = false;
	char why[1500] = "";
	if (st == SR_OK && r.status == 200) {
		char cs[40];
		sr_content_type_charset(r.content_type, cs);
		if (sr_web_read(t->url, t->item, r.final_url ? r.final_url : t->url, r.body, r.len,
				cs[0] ? cs : NULL, 0, &out, why, sizeof why) == SR_OK &&
		    out.n == 1 && sr_looks_html(r.body, r.len))
			have_page = true;
		else if (!why[0])
			snprintf(why, sizeof why, "200 but not a page (garbage?)");
	} else if (st != SR_OK) {
		snprintf(why, sizeof why, "error: %s", r.error);
	} else {
		snprintf(why, sizeof why, "HTTP %ld", r.status);
	}
	if (have_page) {
		logf_(w, "GET %s: 200, a page", t->url);
		if (store_item(w, t->item, &out) == SR_OK)
			t->done = true;
		else
			retry(w, t, now, "cannot store");
	} else if (transient(&r, st) && t->tries + 1 < w->o->max_tries) {
		retry(w, t, now, why);
	} else {
		/* gone (404), garbage, or out of reach too long: the feed's
		 * summary stands in for the page */
		logf_(w, "GET %s: %s; the feed's summary is stored instead", t->url, why);
		if (store_item(w, t->item, NULL) == SR_OK)
			t->done = true;
		else
			retry(w, t, now, "cannot store");
	}
	sr_web_out_free(&out);
	sr_fetch_result_clear(&r);
}

/* Sleeps up to s seconds, waking early on *stop. */
static void
nap(double s, const volatile sig_atomic_t *stop)
{
	while (s > 0 && !*stop) {
		double step = s < 0.1 ? s : 0.1;
		struct timespec ts = {(time_t)step, (long)((step - (double)(time_t)step) * 1e9)};
		nanosleep(&ts, NULL);
		s -= step;
	}
}

int
sr_watch_run(const sr_watch_opts *o, const volatile sig_atomic_t *stop, FILE *log, char *err,
	     size_t errlen)
{
	watcher w;
	memset(&w, 0, sizeof w);
	w.o = o;
	w.log = log;
	w.err = err;
	w.errlen = errlen;
	err[0] = 0;
	if (!o->db || !o->lx || o->nurls < 1 || o->every <= 0) {
		snprintf(err, errlen, "watch needs a store, a lexicon, a period and at least one URL");
		return SR_ERR_USAGE;
	}
	for (int i = 0; i < o->nurls; i++)
		if (strncmp(o->urls[i], "http://", 7) && strncmp(o->urls[i], "https://", 8)) {
			snprintf(err, errlen, "%s: not an http:// or https:// URL", o->urls[i]);
			return SR_ERR_USAGE;
		}
	w.st = sr_store_open(o->db, SR_STORE_CREATE, err, errlen);
	if (!w.st)
		return SR_ERR_DB;
	sr_store_set_lexicon(w.st, o->lx);
	w.x = sr_extractor_new(o->lx, err, errlen);
	int rc = w.x ? sidecar_open(&w) : SR_ERR_DATA;
	if (rc != SR_OK)
		goto done;
	double now = mono();
	for (int i = 0; i < o->nurls; i++)
		add_task(&w, TASK_FEED, o->urls[i], NULL, now);
	load_pending(&w, now);
	logf_(&w, "watching %d URL%s every %.0f s; store %s", o->nurls, o->nurls == 1 ? "" : "s",
	      o->every, o->db);
	bool round_done = false;
	while (!*stop) {
		now = mono();
		double next = now + o->every;
		bool any = false;
		for (size_t i = 0; i < w.ntasks && !*stop; i++) {
			task *t = &w.tasks[i];
			if (t->done)
				continue;
			if (t->due > now) {
				if (t->due < next)
					next = t->due;
				continue;
			}
			struct host *h = host_of(&w, t->url);
			if (h->next > now) {
				if (h->next < next)
					next = h->next;
				continue;
			}
			h->next = now + o->host_delay;
			any = true;
			if (t->kind == TASK_FEED)
				run_feed(&w, i, now);
			else
				run_page(&w, t, now);
			t = &w.tasks[i];   /* the array may have moved */
			now = mono();
			if (t->kind == TASK_FEED && t->due < next)
				next = t->due;
		}
		/* drop finished page tasks */
		size_t k = 0;
		for (size_t i = 0; i < w.ntasks; i++) {
			if (w.tasks[i].done) {
				free(w.tasks[i].url);
				free(w.tasks[i].item);
			} else {
				w.tasks[k++] = w.tasks[i];
			}
		}
		w.ntasks = k;
		if (w.changed) {
			if (sr_store_refresh(w.st) != SR_OK)
				logf_(&w, "error: fusion: %s", sr_store_errmsg(w.st));
			w.changed = false;
		}
		/* --once: every feed fetched once and every item settled */
		if (o->once) {
			bool pages = false, feeds_waiting = false;
			for (size_t i = 0; i < w.ntasks; i++) {
				pages |= w.tasks[i].kind == TASK_PAGE;
				feeds_waiting |= w.tasks[i].kind == TASK_FEED && w.tasks[i].tries > 0 &&
						 w.tasks[i].tries < o->max_tries;
			}
			round_done = !pages && !feeds_waiting;
			for (size_t i = 0; i < w.ntasks && round_done; i++)
				round_done = w.tasks[i].kind != TASK_FEED || w.tasks[i].due > now;
			if (round_done)
				break;
		}
		now = mono();
		if (!any || next > now) {
			progress(&w, next - now);
			nap(next - now, stop);
		}
	}
	if (w.log && o->progress)
		fputc('\n', w.log);
	logf_(&w, "%s: %ld fetches, %ld reports stored, %ld failures retried",
	      *stop ? "stopped" : "done", w.fetched, w.stored, w.failures);
done:
	for (size_t i = 0; i < w.ntasks; i++) {
		free(w.tasks[i].url);
		free(w.tasks[i].item);
	}
	free(w.tasks);
	free(w.hosts);
	if (w.db)
		sqlite3_close(w.db);
	sr_extractor_free(w.x);
	sr_store_close(w.st);
	return rc;
}
