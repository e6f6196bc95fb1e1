/*
 * fuzz_serve.c -- libFuzzer target for `sitrep serve`'s request handling:
 * the request line and its URL (path, query string, percent-escapes,
 * UTF-8), the limits, the dispatch to the API's endpoints and their
 * parameters, the page's files, conditional requests and the formats.
 *
 * Two servers are started once on loopback (free ports) over a store made
 * from examples/ and a small web folder written here: one keeps answers
 * (the cache), the other queries the store for each request.  Each input
 * is one request sent over a socket:
 *
 *   byte 0     bit 0: which server; bits 1-2: GET, GET, HEAD or POST
 *   then       the request target up to the first newline, sent as is;
 *              each further line is sent as a header line
 *
 * Invariants: the server answers or closes the connection within the
 * time limit (libFuzzer's -timeout catches a hang); a well-formed request
 * (a target of visible ASCII, header lines NAME: value) gets a status
 * line; no answer is a 500 or another 5xx but 503 (a query stopped at
 * its deadline); a 200 carries the Content-Security-Policy and an ETag;
 * an error under /api/ is JSON {"error": {"status", "message"}} with the
 * answer's status; a JSON 200 parses; the store is never changed (its
 * generation is the same after every request).
 */
#include "fuzz_common.h"
#include "sr_internal.h"   /* sr_buf */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <netinet/in.h>
#include <stdint.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static sr_lexicon *lx;
static sr_server *srv[2];
static int port[2];
static sr_store *probe;         /* reads the store's generation */
static char gen0[160];
static char dbpath[64], webdir[64];

static void
make_store(void)
{
	char err[1024];
	snprintf(dbpath, sizeof dbpath, "/tmp/fuzz-serve-%d.db", (int)getpid());
	remove(dbpath);
	lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	sr_extractor *x = lx ? sr_extractor_new(lx, err, sizeof err) : NULL;
	sr_store *w = x ? sr_store_open(dbpath, SR_STORE_CREATE, err, sizeof err) : NULL;
	if (!w) {
		fprintf(stderr, "fuzz_serve: %s\n", err);
		abort();
	}
	sr_store_set_lexicon(w, lx);
	sr_reader *r = sr_reader_new();
	const char *ex = getenv("SITREP_EXAMPLES");
	sr_reader_add(r, ex ? ex : "examples");
	sr_doc *d;
	int rc, n = 0;
	while ((rc = sr_reader_next(r, &d)) != SR_END) {
		if (rc != SR_OK)
			continue;
		sr_doc_analyze(d);
		const sr_event *ev;
		size_t nev;
		sr_extract(x, d, &ev, &nev);
		FUZZ_ASSERT(sr_store_add(w, d, ev, nev, NULL) == SR_OK);
		sr_doc_free(d);
		n++;
	}
	sr_reader_free(r);
	if (n == 0) {
		fprintf(stderr, "fuzz_serve: no report in examples/ (run from the repository)\n");
		abort();
	}
	FUZZ_ASSERT(sr_store_fuse(w) == SR_OK);
	sr_store_close(w);
	sr_extractor_free(x);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	FUZZ_ASSERT(f);
	fputs(text, f);
	fclose(f);
}

/* A web folder of our own: the page, a script large enough to be sent
 * gzip-compressed, and a vendor file (cached for a day). */
static void
make_web(void)
{
	snprintf(webdir, sizeof webdir, "/tmp/fuzz-serve-web-%d", (int)getpid());
	char sub[128];
	snprintf(sub, sizeof sub, "%s/vendor", webdir);
	mkdir(webdir, 0700);
	mkdir(sub, 0700);
	write_file(webdir, "index.html", "<!doctype html><title>fuzz</title><p>the page</p>\n");
	sr_buf js = {0};
	for (int i = 0; i < 200; i++)
		sr_buf_printf(&js, "export const v%d = %d;\n", i, i * 7);
	write_file(webdir, "app.js", js.ptr);
	sr_buf_free(&js);
	write_file(sub, "lib.css", "body { margin: 0 }\n");
}

static void
cleanup(void)
{
	for (int i = 0; i < 2; i++)
		sr_server_stop(srv[i]);
	sr_store_close(probe);
	sr_lexicon_free(lx);
	char path[256];
	snprintf(path, sizeof path, "%s/vendor/lib.css", webdir);
	remove(path);
	snprintf(path, sizeof path, "%s/vendor", webdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/index.html", webdir);
	remove(path);
	snprintf(path, sizeof path, "%s/app.js", webdir);
	remove(path);
	rmdir(webdir);
	remove(dbpath);
	snprintf(path, sizeof path, "%s-wal", dbpath);
	remove(path);
	snprintf(path, sizeof path, "%s-shm", dbpath);
	remove(path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	make_store();
	make_web();
	char err[1024];
	for (int i = 0; i < 2; i++) {
		sr_server_config cfg = {0};
		cfg.db = dbpath;
		cfg.listen = "127.0.0.1:0";
		cfg.web = webdir;
		cfg.threads = 2;
		cfg.lexicon = lx;
		cfg.no_cache = i;
		srv[i] = sr_server_start(&cfg, err, sizeof err);
		if (!srv[i]) {
			fprintf(stderr, "fuzz_serve: %s\n", err);
			abort();
		}
		const char *colon = strrchr(sr_server_url(srv[i]), ':');
		port[i] = atoi(colon + 1);
	}
	probe = sr_store_open(dbpath, SR_STORE_READONLY, err, sizeof err);
	FUZZ_ASSERT(probe);
	FUZZ_ASSERT(sr_store_generation(probe, gen0, sizeof gen0) == SR_OK);
	atexit(cleanup);
	return 0;
}

/* Has the whole answer come: its head, then Content-Length bytes (none
 * after HEAD or for a 304)?  A 1xx is followed by another answer: read
 * on until the connection closes. */
static int
complete(const char *a, size_t n, int head)
{
	const char *end = memmem(a, n, "\r\n\r\n", 4);
	if (!end || n < 12 || strncmp(a, "HTTP/1.", 7))
		return 0;
	int status = atoi(a + 9);
	if (status < 200)
		return 0;
	size_t body = n - (size_t)(end + 4 - a);
	if (head || status == 304 || status == 204)
		return 1;
	const char *cl = NULL;
	for (const char *p = a; p && p < end; p = memchr(p, '\n', (size_t)(end - p))) {
		p += *p == '\n';
		if (!strncasecmp(p, "Content-Length:", 15)) {
			cl = p + 15;
			break;
		}
	}
	return cl && body >= (size_t)atol(cl);
}

/* Sends req to the server on port p and reads its answer, until it is
 * whole or the server closes the connection (a server may keep a
 * connection open after answering, e.g. when a header line folded into
 * Connection: close made it keep-alive).  Returns the answer (free), its
 * length in *n. */
static char *
exchange(int p, const char *req, size_t reqlen, int head, size_t *n)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	FUZZ_ASSERT(fd >= 0);
	struct timeval tv = {30, 0};   /* far past the server's limits */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	struct sockaddr_in sa = {0};
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)p);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	FUZZ_ASSERT(connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
	size_t off = 0;
	while (off < reqlen) {
		ssize_t k = send(fd, req + off, reqlen - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;   /* the server may close early on a bad request */
		off += (size_t)k;
	}
	shutdown(fd, SHUT_WR);
	sr_buf b = {0};
	char chunk[16384];
	for (;;) {
		ssize_t k = recv(fd, chunk, sizeof chunk, 0);
		if (k < 0 && errno == EINTR)
			continue;
		/* a timeout here is a hang of the server */
		FUZZ_ASSERT(k >= 0 || errno == ECONNRESET);
		if (k <= 0)
			break;
		sr_buf_add(&b, chunk, (size_t)k);
		if (complete(b.ptr, b.len, head))
			break;
	}
	close(fd);
	*n = b.len;
	if (!b.ptr)
		return calloc(1, 1);
	return b.ptr;
}

/* The value of header name in the answer's head (before body), or NULL;
 * copied into out. */
static const char *
header(const char *head, size_t headlen, const char *name, char *out, size_t outlen)
{
	size_t nl = strlen(name);
	for (const char *p = head; p && p < head + headlen;) {
		const char *eol = memchr(p, '\n', (size_t)(head + headlen - p));
		if (!eol)
			break;
		if ((size_t)(eol - p) > nl + 1 && !strncasecmp(p, name, nl) && p[nl] == ':') {
			const char *v = p + nl + 1;
			while (*v == ' ')
				v++;
			size_t vl = (size_t)(eol - v);
			if (vl && v[vl - 1] == '\r')
				vl--;
			if (vl >= outlen)
				vl = outlen - 1;
			memcpy(out, v, vl);
			out[vl] = 0;
			return out;
		}
		p = eol + 1;
	}
	return NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1 || size > 12000)
		return 0;
	static const char *const methods[4] = {"GET", "GET", "HEAD", "POST"};
	int which = data[0] & 1;
	const char *method = methods[(data[0] >> 1) & 3];
	const char *in = (const char *)data + 1;
	size_t inlen = size - 1;
	const char *nl = memchr(in, '\n', inlen);
	size_t tlen = nl ? (size_t)(nl - in) : inlen;
	int wellformed = tlen > 0 && in[0] == '/';
	for (size_t i = 0; i < tlen; i++)
		if ((unsigned char)in[i] <= 0x20 || (unsigned char)in[i] >= 0x7f)
			wellformed = 0;
	sr_buf req = {0};
	sr_buf_printf(&req, "%s ", method);
	sr_buf_add(&req, in, tlen);
	sr_buf_adds(&req, " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
	/* the other lines as headers */
	for (const char *p = nl ? nl + 1 : NULL; p && p < in + inlen;) {
		const char *e = memchr(p, '\n', (size_t)(in + inlen - p));
		size_t l = e ? (size_t)(e - p) : (size_t)(in + inlen - p);
		if (l == 0 || (l == 1 && p[0] == '\r')) {
			/* an empty line would end the head: what follows would
			   be a second request on the connection */
			p = e ? e + 1 : NULL;
			continue;
		}
		const char *colon = memchr(p, ':', l);
		if (!colon || colon == p || colon + 1 >= p + l || colon[1] != ' ')
			wellformed = 0;
		for (const char *c = p; c < p + l; c++)
			if ((unsigned char)*c < 0x20 || (unsigned char)*c == 0x7f ||
			    (c < colon && !(isalnum((unsigned char)*c) || *c == '-')))
				wellformed = 0;
		/* a body would be read as the next request: none is sent */
		if (l >= 14 && (!strncasecmp(p, "content-length", 14) ||
				!strncasecmp(p, "transfer-encoding", l < 17 ? l : 17)))
			wellformed = 0;
		sr_buf_add(&req, p, l);
		sr_buf_adds(&req, "\r\n");
		p = e ? e + 1 : NULL;
	}
	sr_buf_adds(&req, "\r\n");
	size_t n = 0;
	char *ans = exchange(port[which], req.ptr, req.len, !strcmp(method, "HEAD"), &n);
	sr_buf_free(&req);

	int status = 0;
	if (n >= 12 && !strncmp(ans, "HTTP/1.", 7))
		status = atoi(ans + 9);
	if (wellformed)
		FUZZ_ASSERT(status >= 100);
	if (status) {
		FUZZ_ASSERT(status < 600);
		FUZZ_ASSERT(status < 500 || status == 503);
		const char *end = strstr(ans, "\r\n\r\n");
		FUZZ_ASSERT(end);
		size_t headlen = (size_t)(end - ans) + 2;
		const char *body = end + 4;
		size_t bodylen = n - (size_t)(body - ans);
		char v[512];
		/* the answer's own body (a header line of the input ending in a
		   bare CR may still make the server read a second request) */
		if (header(ans, headlen, "Content-Length", v, sizeof v) && (size_t)atol(v) < bodylen)
			bodylen = (size_t)atol(v);
		if (status == 200) {
			FUZZ_ASSERT(header(ans, headlen, "Content-Security-Policy", v, sizeof v) &&
				    strstr(v, "script-src 'self'") && !strstr(v, "unsafe-inline"));
			FUZZ_ASSERT(header(ans, headlen, "ETag", v, sizeof v) && v[0] == '"');
		}
		int json = header(ans, headlen, "Content-Type", v, sizeof v) &&
			!strncmp(v, "application/json", 16);
		int gz = header(ans, headlen, "Content-Encoding", v, sizeof v) != NULL;
		int has_body = strcmp(method, "HEAD") && status != 304 && bodylen > 0;
		if (json && !gz && has_body && (status == 200 || status >= 400)) {
			json_error_t jerr;
			json_t *j = json_loadb(body, bodylen, 0, &jerr);
			FUZZ_ASSERT(j != NULL);
			if (status >= 400) {
				json_t *e = json_object_get(j, "error");
				FUZZ_ASSERT(json_integer_value(json_object_get(e, "status")) == status);
				FUZZ_ASSERT(json_is_string(json_object_get(e, "message")));
			}
			json_decref(j);
		}
	}
	free(ans);
	char gen[160];
	FUZZ_ASSERT(sr_store_generation(probe, gen, sizeof gen) == SR_OK && !strcmp(gen, gen0));
	return 0;
}
