/*
 * server.c -- `sitrep serve`: the HTTP side of the server, on
 * libmicrohttpd.
 *
 * libmicrohttpd runs a pool of threads, each with its own event loop.  A
 * GET is answered on the second call of `handle` (only GET and HEAD
 * exist; another method gets 405 at once, its body unread).  A request
 * borrows a store handle (read-only; SQLite in WAL mode shows every
 * committed ingest to the next transaction) from a pool of as many as
 * there are processors, so that threads never share one; an API answer is
 * kept (cache.c) until the store's generation changes, and sent
 * gzip-compressed to clients that accept it.
 *
 * Limits are enforced here, before any query runs: the URL's length, the
 * query string's size and number of parameters, malformed UTF-8 and NUL
 * bytes.  libmicrohttpd's options bound connections (count, per address,
 * idle time, memory for the request head); a reaper thread cuts a
 * connection whose request has not arrived whole in SR_SERVE_IDLE_S (a
 * slowloris is never idle).  The time of a query is bounded through the
 * store's progress hook (srv_store_get sets the deadline).  Every answer
 * carries a Content-Security-Policy with no inline script, nosniff and an
 * ETag; If-None-Match gives 304.  One line per request goes to the log.
 *
 * The page's files are read into memory at start, so a path is looked up
 * in a table: nothing from the URL ever reaches the file system.
 */
#include "server_int.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#define SRV_DEFAULT_LISTEN "127.0.0.1:8750"
#define SRV_MAX_FILES 256
#define SRV_MAX_FILE ((size_t)8 << 20)
#define SRV_HEAD_MEMORY (64 * 1024)   /* request line + headers, per connection */
#define SRV_PER_IP 128

static const char csp[] =
	"default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:"
	" https://tile.openstreetmap.org; connect-src 'self'; font-src 'self';"
	" base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/* ------------------------------------------------------------ buffers */

void
srv_buf_json(sr_buf *b, const char *s)
{
	if (s)
		sr_buf_json_str(b, s, strlen(s));
	else
		sr_buf_adds(b, "null");
}

void
srv_error(srv_resp *r, int status, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	r->status = status;
	r->body.len = 0;
	r->ctype = "application/json";
	r->cache = "no-store";
	r->disposition = NULL;
	r->etag[0] = 0;
	sr_buf_printf(&r->body, "{\"error\":{\"status\":%d,\"message\":", status);
	/* a value quoted in part (%.40s) or the message cut at its size may
	   end inside a UTF-8 character: such bytes become U+FFFD, so the
	   answer stays valid JSON (found by tests/fuzz/fuzz_serve.c) */
	size_t len, nbad;
	char *clean = sr_utf8_repair(msg, strlen(msg), &len, &nbad);
	srv_buf_json(&r->body, clean);
	free(clean);
	sr_buf_adds(&r->body, "}}\n");
}

void
srv_etag(const char *p, size_t n, char out[32])
{
	uint64_t h = 1469598103934665603ULL;   /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)p[i];
		h *= 1099511628211ULL;
	}
	snprintf(out, 32, "\"%016llx\"", (unsigned long long)h);
}

/* ------------------------------------------------------- store handles */

static int
past_deadline(void *arg)
{
	srv_store *s = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (now.tv_sec > s->deadline.tv_sec ||
	    (now.tv_sec == s->deadline.tv_sec && now.tv_nsec >= s->deadline.tv_nsec)) {
		s->timed_out = 1;
		return 1;
	}
	return 0;
}

srv_store *
srv_store_get(sr_server *srv, srv_resp *resp)
{
	pthread_mutex_lock(&srv->lock);
	srv_store *s = NULL;
	for (;;) {
		for (int i = 0; i < srv->nstores; i++)
			if (!srv->stores[i].busy) {
				s = &srv->stores[i];
				break;
			}
		if (s || srv->nstores < srv->max_stores)
			break;
		pthread_cond_wait(&srv->freed, &srv->lock);
	}
	if (!s) {
		s = &srv->stores[srv->nstores];
		char err[600];
		s->st = sr_store_open(srv->db, SR_STORE_READONLY, err, sizeof err);
		if (!s->st) {
			pthread_mutex_unlock(&srv->lock);
			srv_error(resp, 503, "the store cannot be opened: %s", err);
			return NULL;
		}
		sr_store_set_progress(s->st, past_deadline, s);
		if (srv->lx)
			sr_store_set_lexicon(s->st, srv->lx);
		srv->nstores++;
	}
	s->busy = 1;
	pthread_mutex_unlock(&srv->lock);
	clock_gettime(CLOCK_MONOTONIC, &s->deadline);
	s->max_ms = srv->max_ms;
	s->deadline.tv_sec += srv->max_ms / 1000;
	s->deadline.tv_nsec += (long)(srv->max_ms % 1000) * 1000000L;
	if (s->deadline.tv_nsec >= 1000000000L) {
		s->deadline.tv_sec++;
		s->deadline.tv_nsec -= 1000000000L;
	}
	s->timed_out = 0;
	return s;
}

void
srv_store_put(sr_server *srv, srv_store *s)
{
	if (!s)
		return;
	pthread_mutex_lock(&srv->lock);
	s->busy = 0;
	pthread_cond_signal(&srv->freed);
	pthread_mutex_unlock(&srv->lock);
}

/* -------------------------------------------------------- static files */

static const char *
content_type(const char *path)
{
	static const char *const types[][2] = {
		{".html", "text/html; charset=utf-8"}, {".css", "text/css; charset=utf-8"},
		{".js", "text/javascript; charset=utf-8"}, {".json", "application/json"},
		{".png", "image/png"}, {".svg", "image/svg+xml"}, {".ico", "image/x-icon"},
		{".md", "text/plain; charset=utf-8"}, {".txt", "text/plain; charset=utf-8"}};
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
		if (!strcmp(dot, types[i][0]))
			return types[i][1];
	return NULL;   /* not served */
}

/* Reads the files under dir/rel into srv->files (depth-first, sorted
 * order does not matter: lookups are by exact path). */
static int
load_dir(sr_server *srv, const char *dir, const char *rel, int depth, char *err, size_t errlen)
{
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s%s", dir, rel);
	DIR *d = opendir(path);
	if (!d) {
		snprintf(err, errlen, "%s: cannot read the page's folder: %s", path, strerror(errno));
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char sub[PATH_MAX], full[PATH_MAX];
		if ((size_t)snprintf(sub, sizeof sub, "%s/%s", rel, e->d_name) >= sizeof sub ||
		    (size_t)snprintf(full, sizeof full, "%s%s", dir, sub) >= sizeof full)
			continue;
		struct stat sb;
		if (stat(full, &sb) != 0)
			continue;
		if (S_ISDIR(sb.st_mode)) {
			if (depth < 4)
				rc = load_dir(srv, dir, sub, depth + 1, err, errlen);
			continue;
		}
		const char *ct = content_type(e->d_name);
		if (!S_ISREG(sb.st_mode) || !ct || (size_t)sb.st_size > SRV_MAX_FILE)
			continue;
		if (srv->nfiles >= SRV_MAX_FILES) {
			snprintf(err, errlen, "%s: more than %d files in the page's folder", dir,
				 SRV_MAX_FILES);
			rc = -1;
			break;
		}
		FILE *f = fopen(full, "rb");
		if (!f)
			continue;
		srv_file *sf = &srv->files[srv->nfiles];
		sf->len = (size_t)sb.st_size;
		sf->data = sr_malloc(sf->len + 1);
		sf->len = fread(sf->data, 1, sf->len, f);
		fclose(f);
		sf->path = sr_strdup(sub);
		sf->ctype = ct;
		sf->immutable = !strncmp(sub, "/vendor/", 8);
		srv_etag(sf->data, sf->len, sf->etag);
		sf->gz = sf->len >= SRV_GZIP_MIN ? srv_gzip(sf->data, sf->len, &sf->gzlen) : NULL;
		srv->nfiles++;
	}
	closedir(d);
	return rc;
}

static const srv_file *
find_file(const sr_server *srv, const char *path)
{
	if (!strcmp(path, "/"))
		path = "/index.html";
	for (size_t i = 0; i < srv->nfiles; i++)
		if (!strcmp(srv->files[i].path, path))
			return &srv->files[i];
	return NULL;
}

/* The web folder beside the program: BIN/web (the build), then
 * BIN/../share/sitrep/web (an install). */
static int
default_web(char *out, size_t n)
{
	char exe[PATH_MAX];
	ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (k <= 0)
		return -1;
	exe[k] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	struct stat sb;
	if ((size_t)snprintf(out, n, "%s/web", exe) < n && stat(out, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		return 0;
	if ((size_t)snprintf(out, n, "%s/../share/sitrep/web", exe) < n && stat(out, &sb) == 0 &&
	    S_ISDIR(sb.st_mode))
		return 0;
	return -1;
}

/* ------------------------------------------------------------ requests */

typedef struct collect {
	srv_param *p;
	int n;
	size_t bytes;
	int too_many, bad;
} collect;

static enum MHD_Result
collect_arg(void *cls, enum MHD_ValueKind kind, const char *key, size_t klen,
	    const char *val, size_t vlen)
{
	(void)kind;
	collect *c = cls;
	c->bytes += klen + vlen + 2;
	if (strlen(key) != klen || (val && strlen(val) != vlen))
		c->bad = 1;   /* a NUL byte inside */
	if (c->n >= SR_SERVE_MAX_PARAMS) {
		c->too_many = 1;
		return MHD_YES;
	}
	c->p[c->n].key = key;
	c->p[c->n].val = val ? val : "";
	c->p[c->n].used = 0;
	c->n++;
	return MHD_YES;
}

static int
valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		int n = (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
		if (n < 0 || (*p == 0xc0 || *p == 0xc1) || *p > 0xf4)
			return 0;
		for (int i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

static void
log_request(sr_server *srv, const char *method, const char *url, int status, size_t bytes,
	    const struct timespec *t0)
{
	if (!srv->log)
		return;
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
	/* the path as received, control bytes shown as '?', cut at 200 */
	char shown[204];
	size_t k = 0;
	for (const char *p = url; *p && k < 200; p++)
		shown[k++] = ((unsigned char)*p < 0x20 || *p == 0x7f) ? '?' : *p;
	shown[k] = 0;
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	char ts[32];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fprintf(srv->log, "%s %s %s%s %d %zu %.1fms\n", ts, method, shown, url[k] ? "..." : "",
		status, bytes, ms);
	fflush(srv->log);
}

static void
respond_static(sr_server *srv, const char *url, int gzip, srv_resp *r)
{
	const srv_file *f = find_file(srv, url);
	if (!f) {
		srv_error(r, 404, "no such page: %s (the page is at /, the API under /api/)",
			  strlen(url) > 200 ? "(a long path)" : url);
		return;
	}
	r->status = 200;
	r->ctype = f->ctype;
	r->cache = f->immutable ? "public, max-age=86400" : "no-cache";
	memcpy(r->etag, f->etag, sizeof r->etag);
	/* the body is the file's own memory (cap 0: not owned, see respond) */
	r->body.ptr = f->data;
	r->body.len = f->len;
	r->body.cap = 0;
	if (gzip && f->gz) {
		r->body.ptr = f->gz;
		r->body.len = f->gzlen;
		r->gzip = 1;
		size_t k = strlen(r->etag);
		memcpy(r->etag + k - 1, "-gz\"", 5);
	}
}

static enum MHD_Result
respond(struct MHD_Connection *c, srv_resp *r, int head, const char *inm)
{
	int status = r->status;
	/* If-None-Match: a list of ETags, or * */
	int not_modified = status == 200 && r->etag[0] && inm &&
		(strstr(inm, r->etag) || !strcmp(inm, "*"));
	struct MHD_Response *resp;
	if (not_modified || head) {
		resp = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	} else if (r->body.cap) {
		/* our buffer: libmicrohttpd frees it */
		resp = MHD_create_response_from_buffer_with_free_callback(r->body.len, r->body.ptr, free);
		r->body.ptr = NULL;
		r->body.len = r->body.cap = 0;
	} else {
		resp = MHD_create_response_from_buffer(r->body.len, r->body.ptr, MHD_RESPMEM_PERSISTENT);
	}
	if (!resp)
		return MHD_NO;
	if (not_modified)
		status = 304;
	else
		MHD_add_response_header(resp, "Content-Type", r->ctype ? r->ctype : "application/json");
	MHD_add_response_header(resp, "Content-Security-Policy", csp);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
	MHD_add_response_header(resp, "Cache-Control", r->cache ? r->cache : "no-store");
	if (r->etag[0])
		MHD_add_response_header(resp, "ETag", r->etag);
	if (r->gzip && !not_modified)
		MHD_add_response_header(resp, "Content-Encoding", "gzip");
	if (r->status == 200)
		MHD_add_response_header(resp, "Vary", "Accept-Encoding");
	if (r->disposition && !not_modified)
		MHD_add_response_header(resp, "Content-Disposition", r->disposition);
	if (r->allow)
		MHD_add_response_header(resp, "Allow", r->allow);
	if (r->next[0] && !not_modified)
		MHD_add_response_header(resp, "X-Next-Cursor", r->next);
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	r->status = status;
	return ret;
}

/* ---------------------------------------------------- slow connections */

/* libmicrohttpd cuts a connection idle for SR_SERVE_IDLE_S, but a client
 * that sends its request a byte at a time is never idle.  The reaper
 * thread shuts down (without closing: libmicrohttpd owns the socket and
 * then closes it) every connection whose request has not been read whole
 * SR_SERVE_IDLE_S seconds after it could begin. */
static void
conn_notify(void *cls, struct MHD_Connection *c, void **ctx, enum MHD_ConnectionNotificationCode what)
{
	sr_server *srv = cls;
	pthread_mutex_lock(&srv->lock);
	if (what == MHD_CONNECTION_NOTIFY_STARTED) {
		*ctx = NULL;
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		for (size_t i = 0; ci && i < sizeof srv->conns / sizeof srv->conns[0]; i++)
			if (!srv->conns[i].used) {
				srv_conn *k = &srv->conns[i];
				k->used = 1;
				k->busy = 0;
				k->fd = ci->connect_fd;
				clock_gettime(CLOCK_MONOTONIC, &k->mark);
				*ctx = k;
				break;
			}
	} else if (*ctx) {
		((srv_conn *)*ctx)->used = 0;
		*ctx = NULL;
	}
	pthread_mutex_unlock(&srv->lock);
}

static srv_conn *
conn_of(struct MHD_Connection *c)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

static void
conn_mark(sr_server *srv, struct MHD_Connection *c, int busy)
{
	srv_conn *k = conn_of(c);
	if (!k)
		return;
	pthread_mutex_lock(&srv->lock);
	k->busy = busy;
	clock_gettime(CLOCK_MONOTONIC, &k->mark);
	pthread_mutex_unlock(&srv->lock);
}

static void *
reaper(void *arg)
{
	sr_server *srv = arg;
	pthread_mutex_lock(&srv->lock);
	while (!srv->stopping) {
		struct timespec now, until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += 1;
		pthread_cond_timedwait(&srv->stop, &srv->lock, &until);
		clock_gettime(CLOCK_MONOTONIC, &now);
		for (size_t i = 0; i < sizeof srv->conns / sizeof srv->conns[0]; i++) {
			srv_conn *k = &srv->conns[i];
			if (k->used && !k->busy && now.tv_sec - k->mark.tv_sec >= SR_SERVE_IDLE_S) {
				shutdown(k->fd, SHUT_RDWR);
				k->mark = now;   /* once: libmicrohttpd closes it next */
			}
		}
	}
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

/* A request as it came (for the log) and when it began: made by
 * libmicrohttpd's URI callback as soon as the request line is read, freed
 * when the request completes. */
typedef struct reqstate {
	int called;             /* the handler was called once already */
	struct timespec t0;
	char uri[SR_SERVE_MAX_URL + 1];   /* cut there: longer ones are refused */
	size_t urilen;
} reqstate;

static void *
uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	reqstate *rs = sr_malloc(sizeof *rs);
	rs->called = 0;
	clock_gettime(CLOCK_MONOTONIC, &rs->t0);
	size_t n = strlen(uri);
	rs->urilen = n;
	if (n >= sizeof rs->uri)
		n = sizeof rs->uri - 1;
	memcpy(rs->uri, uri, n);
	rs->uri[n] = 0;
	return rs;
}

static void
request_done(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
	(void)why;
	conn_mark(cls, c, 0);
	free(*state);
	*state = NULL;
}

/* An API request: from the cache when the store has not changed since the
 * same request was answered, else from the store (and then kept). */
static void
api(sr_server *srv, struct MHD_Connection *c, const reqstate *rs, const char *url,
    srv_param *params, int nparams, int gzip, srv_resp *r)
{
	const char *accept = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept");
	char gen[160] = "";
	sr_buf key = {0};
	if (!srv->no_cache && rs) {
		/* on a handle of its own: a hit never waits for a query */
		pthread_mutex_lock(&srv->gen_lock);
		if (sr_store_generation(srv->gen_st, gen, sizeof gen) != SR_OK)
			gen[0] = 0;
		pthread_mutex_unlock(&srv->gen_lock);
		if (gen[0]) {
			/* the URL, and the format the Accept header may choose
			   (as api.c reads it): not the header itself, which
			   differs from client to client for the same answer */
			sr_buf_adds(&key, rs->uri);
			sr_buf_adds(&key, !accept ? "" : strstr(accept, "text/csv") ? "\ncsv"
				     : strstr(accept, "application/geo+json") ? "\ngeojson"
				     : strstr(accept, "application/x-ndjson") ||
				       strstr(accept, "application/jsonl") ? "\njsonl" : "");
		}
	}
	int claimed = 0;
	if (!key.ptr || !srv_cache_get(srv, key.ptr, gen, gzip, r, &claimed)) {
		srv_api(srv, url[4] ? url + 5 : "", params, nparams, accept, r);
		char *gz = NULL;
		size_t gzlen = 0;
		if (r->status == 200 && r->body.len >= SRV_GZIP_MIN && (gzip || key.ptr))
			gz = srv_gzip(r->body.ptr, r->body.len, &gzlen);
		if (key.ptr)
			srv_cache_put(srv, key.ptr, gen, r, gz, gzlen, claimed);
		if (gz && gzip)
			srv_use_gzip(r, gz, gzlen);
		free(gz);
	}
	sr_buf_free(&key);
}

static enum MHD_Result
handle(void *cls, struct MHD_Connection *c, const char *url, const char *method,
       const char *version, const char *upload, size_t *upload_size, void **state)
{
	(void)version;
	(void)upload;
	sr_server *srv = cls;
	reqstate *rs = *state;
	srv_resp r = {0};
	conn_mark(srv, c, 1);
	int head = !strcmp(method, "HEAD");
	const char *ae = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Accept-Encoding");
	int gzip = ae && strstr(ae, "gzip") && !strstr(ae, "gzip;q=0");
	/* The first call comes with the head of the request.  A GET or HEAD
	 * is answered on the second (an answer queued on the first makes
	 * libmicrohttpd close the connection, as if a body were left
	 * unread); any other method at once (405), its body never read. */
	int get = !strcmp(method, "GET") || head;
	if (get && rs && !rs->called) {
		rs->called = 1;
		return MHD_YES;
	}
	*upload_size = 0;
	if (rs && rs->urilen > SR_SERVE_MAX_URL)
		url = "";   /* refused below, with the length seen here */
	srv_param params[SR_SERVE_MAX_PARAMS];
	collect col = {params, 0, 0, 0, 0};
	if (strcmp(method, "GET") && !head) {
		srv_error(&r, 405, "method %s is not allowed: the API and the page are read-only (GET)",
			  strlen(method) > 20 ? "(long)" : method);
		r.allow = "GET, HEAD";
	} else if (strlen(url) > SR_SERVE_MAX_URL || (rs && rs->urilen > SR_SERVE_MAX_URL)) {
		srv_error(&r, 414, "the URL is longer than %d bytes", SR_SERVE_MAX_URL);
	} else if (!valid_utf8(url)) {
		srv_error(&r, 400, "the path is not valid UTF-8");
	} else {
		MHD_get_connection_values_n(c, MHD_GET_ARGUMENT_KIND, collect_arg, &col);
		if (col.bytes > SR_SERVE_MAX_QUERY)
			srv_error(&r, 414, "the query string is longer than %d bytes", SR_SERVE_MAX_QUERY);
		else if (col.too_many)
			srv_error(&r, 400, "more than %d parameters", SR_SERVE_MAX_PARAMS);
		else if (col.bad)
			srv_error(&r, 400, "a parameter holds a NUL byte");
		else {
			int bad = 0;
			for (int i = 0; i < col.n && !bad; i++)
				if (!valid_utf8(params[i].key) || !valid_utf8(params[i].val)) {
					srv_error(&r, 400, "parameter %s is not valid UTF-8 (percent-encode"
						  " UTF-8 text)", valid_utf8(params[i].key) ? params[i].key
						  : "(its name)");
					bad = 1;
				}
			if (!bad) {
				if (!strncmp(url, "/api/", 5) || !strcmp(url, "/api"))
					api(srv, c, rs, url, params, col.n, gzip, &r);
				else
					respond_static(srv, url, gzip, &r);
			}
		}
	}
	if (!r.status)
		srv_error(&r, 500, "no answer was made (a bug: please report it)");
	const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
	size_t bytes = head ? 0 : r.body.len;
	enum MHD_Result ret = respond(c, &r, head, inm);
	if (r.status == 304)
		bytes = 0;
	if (r.body.cap)
		sr_buf_free(&r.body);
	struct timespec t0;
	if (rs)
		t0 = rs->t0;
	else
		clock_gettime(CLOCK_MONOTONIC, &t0);
	log_request(srv, method, rs ? rs->uri : url, r.status, bytes, &t0);
	return ret;
}

/* ------------------------------------------------------------ lifetime */

static int
parse_listen(const char *listen, struct sockaddr_storage *sa, socklen_t *salen, char *err,
	     size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	if (!colon || colon == listen || !colon[1]) {
		snprintf(err, errlen, "--listen '%s': give HOST:PORT (127.0.0.1:8750)", listen);
		return -1;
	}
	size_t hl = (size_t)(colon - listen);
	if (listen[0] == '[' && hl >= 2 && listen[hl - 1] == ']') {
		listen++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		snprintf(err, errlen, "--listen: the host is too long");
		return -1;
	}
	memcpy(host, listen, hl);
	host[hl] = 0;
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (*end || port < 0 || port > 65535) {
		snprintf(err, errlen, "--listen: '%s' is no port (0-65535)", colon + 1);
		return -1;
	}
	struct addrinfo hints = {0}, *ai = NULL;
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	int rc = getaddrinfo(host, colon + 1, &hints, &ai);
	if (rc != 0 || !ai) {
		snprintf(err, errlen, "--listen: cannot resolve '%s': %s", host, gai_strerror(rc));
		return -1;
	}
	memcpy(sa, ai->ai_addr, ai->ai_addrlen);
	*salen = ai->ai_addrlen;
	freeaddrinfo(ai);
	return 0;
}

static int
is_loopback(const struct sockaddr_storage *sa)
{
	if (sa->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->ss_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return 0;
}

int
sr_listen_is_loopback(const char *listen)
{
	struct sockaddr_storage sa;
	socklen_t salen;
	char err[300];
	if (parse_listen(listen ? listen : SRV_DEFAULT_LISTEN, &sa, &salen, err, sizeof err) != 0)
		return -1;
	return is_loopback(&sa);
}

sr_server *
sr_server_start(const sr_server_config *cfg, char *err, size_t errlen)
{
	const char *listen = cfg->listen ? cfg->listen : SRV_DEFAULT_LISTEN;
	struct sockaddr_storage sa;
	socklen_t salen = 0;
	if (parse_listen(listen, &sa, &salen, err, errlen) != 0)
		return NULL;
	(void)salen;   /* libmicrohttpd takes the length from the family */
	/* the store must open now: a wrong --db is said at once */
	sr_store *probe = sr_store_open(cfg->db, SR_STORE_READONLY, err, errlen);
	if (!probe)
		return NULL;
	sr_server *srv = calloc(1, sizeof *srv);
	if (!srv) {
		sr_store_close(probe);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->freed, NULL);
	pthread_cond_init(&srv->stop, NULL);
	pthread_mutex_init(&srv->cache_lock, NULL);
	pthread_cond_init(&srv->cache_done, NULL);
	srv->cache = calloc(SRV_CACHE_SLOTS, sizeof *srv->cache);
	srv->no_cache = cfg->no_cache || !srv->cache;
	srv->max_body = cfg->max_body > 0 ? cfg->max_body : SR_SERVE_MAX_BODY;
	srv->max_ms = cfg->max_ms > 0 ? cfg->max_ms : SR_SERVE_MAX_MS;
	srv->db = sr_strdup(cfg->db);
	srv->log = cfg->log;
	srv->stores[0].st = probe;
	sr_store_set_progress(probe, past_deadline, &srv->stores[0]);
	srv->lx = cfg->lexicon;
	if (srv->lx)
		sr_store_set_lexicon(probe, srv->lx);
	srv->nstores = 1;
	/* as many queries at once as processors: more only share them, and
	   the time limit of each would be spent waiting */
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	srv->max_stores = ncpu < 2 ? 2 : ncpu > SRV_MAX_STORES ? SRV_MAX_STORES : (int)ncpu;
	pthread_mutex_init(&srv->gen_lock, NULL);
	srv->gen_st = sr_store_open(cfg->db, SR_STORE_READONLY, err, errlen);
	if (!srv->gen_st) {
		sr_server_stop(srv);
		return NULL;
	}
	srv->loopback = is_loopback(&sa);
	char web[PATH_MAX];
	if (cfg->web)
		snprintf(web, sizeof web, "%s", cfg->web);
	else if (default_web(web, sizeof web) != 0) {
		snprintf(err, errlen, "no web folder beside the program (build it with make, or"
			 " give --web DIR)");
		sr_server_stop(srv);
		return NULL;
	}
	srv->files = calloc(SRV_MAX_FILES, sizeof *srv->files);
	if (!srv->files || load_dir(srv, web, "", 0, err, errlen) != 0) {
		sr_server_stop(srv);
		return NULL;
	}
	if (!find_file(srv, "/index.html")) {
		snprintf(err, errlen, "%s: no index.html in the page's folder", web);
		sr_server_stop(srv);
		return NULL;
	}
	int threads = cfg->threads > 0 ? cfg->threads : 4;
	if (threads > SRV_MAX_STORES)
		threads = SRV_MAX_STORES;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL |
		(sa.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0);
	srv->mhd = MHD_start_daemon(flags, 0, NULL, NULL, handle, srv,
		MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
		MHD_OPTION_THREAD_POOL_SIZE, (unsigned)threads,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)SR_SERVE_MAX_CONNECTIONS,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)SRV_PER_IP,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)SR_SERVE_IDLE_S,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)SRV_HEAD_MEMORY,
		MHD_OPTION_LISTEN_BACKLOG_SIZE, 256u,
		MHD_OPTION_URI_LOG_CALLBACK, uri_seen, NULL,
		MHD_OPTION_NOTIFY_COMPLETED, request_done, srv,
		MHD_OPTION_NOTIFY_CONNECTION, conn_notify, srv,
		MHD_OPTION_END);
	if (!srv->mhd) {
		snprintf(err, errlen, "cannot listen on %s: %s (is the port taken? try another"
			 " with --listen)", listen, errno ? strerror(errno) : "libmicrohttpd refused");
		sr_server_stop(srv);
		return NULL;
	}
	if (pthread_create(&srv->reaper, NULL, reaper, srv) == 0)
		srv->reaper_on = 1;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : 0;
	char host[INET6_ADDRSTRLEN] = "";
	if (sa.ss_family == AF_INET)
		inet_ntop(AF_INET, &((struct sockaddr_in *)&sa)->sin_addr, host, sizeof host);
	else
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&sa)->sin6_addr, host, sizeof host);
	snprintf(srv->url, sizeof srv->url, sa.ss_family == AF_INET6 ? "http://[%s]:%u/"
		 : "http://%s:%u/", host, port);
	return srv;
}

const char *
sr_server_url(const sr_server *srv)
{
	return srv->url;
}

int
sr_server_is_loopback(const sr_server *srv)
{
	return srv->loopback;
}

void
sr_server_stop(sr_server *srv)
{
	if (!srv)
		return;
	if (srv->reaper_on) {
		pthread_mutex_lock(&srv->lock);
		srv->stopping = 1;
		pthread_cond_signal(&srv->stop);
		pthread_mutex_unlock(&srv->lock);
		pthread_join(srv->reaper, NULL);
	}
	if (srv->mhd)
		MHD_stop_daemon(srv->mhd);
	for (int i = 0; i < srv->nstores; i++)
		sr_store_close(srv->stores[i].st);
	sr_store_close(srv->gen_st);
	pthread_mutex_destroy(&srv->gen_lock);
	for (size_t i = 0; i < srv->nfiles; i++) {
		free(srv->files[i].path);
		free(srv->files[i].data);
		free(srv->files[i].gz);
	}
	free(srv->files);
	srv_cache_free(srv);
	pthread_mutex_destroy(&srv->cache_lock);
	pthread_cond_destroy(&srv->cache_done);
	free(srv->db);
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->freed);
	pthread_cond_destroy(&srv->stop);
	free(srv);
}
