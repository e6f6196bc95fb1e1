/*
 * server_int.h -- what the server's files share.
 *
 *   server.c   the daemon: listening, limits, headers, logging, static
 *              files, the pool of store handles
 *   api.c      the JSON API under /api/: parameters -> filters -> the
 *              store's query functions -> JSON, CSV or GeoJSON
 *   page.c     helpers for responses: buffers, JSON errors, ETags
 *
 * The server is a client of sitrep.h like the CLI: it reaches the store
 * only through the public query functions, so the API and the CLI answer
 * through one code path.
 */
#ifndef SR_SERVER_INT_H
#define SR_SERVER_INT_H

#include "sitrep.h"
#include "../sr_internal.h"

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

/* ---- responses are built in the library's growable buffer (sr_buf,
 * src/sr_internal.h: aborts on out-of-memory, the library's policy) */
/* Appends s as a JSON string through the project's one escaper, or null
 * when s is NULL. */
void srv_buf_json(sr_buf *b, const char *s);

/* ---- one request's parameters (the query string, decoded) */
typedef struct srv_param {
	const char *key, *val;  /* owned by libmicrohttpd for the request */
	int used;
} srv_param;

/* ---- a response being built */
typedef struct srv_resp {
	int status;             /* HTTP status */
	sr_buf body;
	const char *ctype;      /* Content-Type */
	const char *cache;      /* Cache-Control */
	const char *disposition; /* Content-Disposition, or NULL */
	char etag[32];          /* "\"...\"", or "" */
	int gzip;               /* the body is gzip-compressed */
	const char *allow;      /* Allow header for 405 */
	char next[SR_CURSOR_MAX]; /* X-Next-Cursor, or "" */
} srv_resp;

/* Sets resp to a JSON error {"error": {"status", "message"}}. */
void srv_error(srv_resp *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- the server */

/* A store handle lent to one request at a time, with the deadline of the
 * request it serves (read by the progress hook). */
typedef struct srv_store {
	sr_store *st;
	struct timespec deadline;
	int max_ms;             /* the server's time limit of a query */
	int timed_out;
	int busy;
} srv_store;

#define SRV_MAX_STORES 32

/* the cache of answers (cache.c) */
#define SRV_CACHE_SLOTS 1024
#define SRV_CACHE_WAYS 8
#define SRV_INFLIGHT 64                      /* questions answered at once */
#define SRV_CACHE_ENTRY ((size_t)8 << 20)    /* the largest answer kept */
#define SRV_CACHE_BYTES ((size_t)256 << 20)  /* all answers kept */

typedef struct srv_centry {
	char *key;              /* URL + "\n" + Accept */
	char gen[160];          /* the store's generation it was made at */
	char *body;
	size_t len;
	char *gz;               /* the body gzip-compressed, or NULL */
	size_t gzlen;
	char etag[32];
	char next[SR_CURSOR_MAX];
	const char *ctype, *cache, *disposition;   /* static strings */
	uint64_t used;          /* when last served: the least recent goes */
} srv_centry;

typedef struct srv_inflight {
	char *key;              /* a question being answered now, or NULL */
	char gen[160];
} srv_inflight;

/* A connection, as the reaper of slow ones sees it: when its current
 * request may have begun (accept, or the end of the previous request),
 * and whether a request is being answered. */
typedef struct srv_conn {
	int used, busy, fd;
	struct timespec mark;
} srv_conn;

struct sr_server {
	struct MHD_Daemon *mhd;
	char *db;
	char url[96];
	int loopback;
	FILE *log;
	pthread_mutex_t lock;   /* guards stores[] */
	pthread_cond_t freed;
	srv_store stores[SRV_MAX_STORES];
	int nstores;
	int max_stores;         /* queries at once: the processors online */
	const sr_lexicon *lx;   /* given to every handle, may be NULL */
	sr_store *gen_st;       /* reads the generation only (gen_lock) */
	pthread_mutex_t gen_lock;
	/* connections, for the reaper of slow requests */
	srv_conn conns[SR_SERVE_MAX_CONNECTIONS + 8];
	pthread_t reaper;
	int reaper_on, stopping;
	pthread_cond_t stop;
	/* answers, by URL and store generation (cache.c) */
	srv_centry *cache;
	size_t cache_bytes;
	pthread_mutex_t cache_lock;
	pthread_cond_t cache_done;
	uint64_t cache_tick;
	srv_inflight inflight[SRV_INFLIGHT];
	int no_cache;
	size_t max_body;        /* limits (sr_server_config; 0 there = default) */
	int max_ms;
	/* the page's files, read once at start */
	struct srv_file *files;
	size_t nfiles;
};

typedef struct srv_file {
	char *path;             /* "/index.html", "/vendor/leaflet/leaflet.js" */
	char *data;
	size_t len;
	const char *ctype;
	char etag[32];
	char *gz;               /* the file gzip-compressed, or NULL */
	size_t gzlen;
	int immutable;          /* vendor files: cached for a day */
} srv_file;

/* Borrows a store handle (opened read-only on first use) with a deadline
 * of the server's max_ms (SR_SERVE_MAX_MS) from now; NULL with a message in resp when the store
 * cannot be opened.  Give it back with srv_store_put. */
srv_store *srv_store_get(sr_server *srv, srv_resp *resp);
void srv_store_put(sr_server *srv, srv_store *s);

/* api.c: answers GET /api/...  path is after "/api/"; params the query
 * string; accept the Accept header (may be NULL). */
void srv_api(sr_server *srv, const char *path, srv_param *params, int nparams,
	     const char *accept, srv_resp *resp);

/* cache.c: copies a kept answer for key at generation gen into r
 * (returns 1), waiting when another request is answering the same
 * question; else returns 0, with *claimed = 1 when the caller is to
 * answer it for the others.  srv_cache_put keeps a 200 answer and, when
 * claimed, wakes those waiting. */
int srv_cache_get(sr_server *srv, const char *key, const char *gen, int gzip, srv_resp *r,
		  int *claimed);
void srv_cache_put(sr_server *srv, const char *key, const char *gen, const srv_resp *r,
		   const char *gz, size_t gzlen, int claimed);

/* Answers at least this long are sent gzip-compressed to a client that
 * accepts it. */
#define SRV_GZIP_MIN 1024

/* gzip of n bytes at p: a new buffer (free) of *outlen bytes, or NULL. */
char *srv_gzip(const char *p, size_t n, size_t *outlen);
/* Makes r's body the gzip bytes (copied) and its ETag the gzip one. */
void srv_use_gzip(srv_resp *r, const char *gz, size_t gzlen);
void srv_cache_free(sr_server *srv);

/* The ETag of a body: a hash of its bytes, quoted. */
void srv_etag(const char *p, size_t n, char out[32]);

#endif
