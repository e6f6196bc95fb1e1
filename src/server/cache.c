/*
 * cache.c -- the server's cache of API answers.
 *
 * An answer depends on its URL (and Accept header) and on the store's
 * content, so it is kept under that key with the store's generation
 * (sr_store_generation, read at each request: a few microseconds) and
 * served again while the generation is the same: a reader who reloads
 * the page, or 32 clients asking the same views, cost one query.  An
 * ingest changes the generation and every later request queries the store
 * again.  Set-associative (SRV_CACHE_WAYS entries per set, the least
 * recently used replaced), bounded in entries, in the size of one answer
 * and in total bytes; only 200 answers are kept, each also
 * gzip-compressed when it is long enough.
 *
 * When many clients ask the same new question at once, one of them
 * queries the store and the others wait for its answer: the questions
 * being answered are listed in `inflight`.
 */
#include "server_int.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

char *
srv_gzip(const char *p, size_t n, size_t *outlen)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	size_t cap = deflateBound(&z, (uLong)n);
	char *out = sr_malloc(cap);
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = (Bytef *)out;
	z.avail_out = (uInt)cap;
	int rc = deflate(&z, Z_FINISH);
	*outlen = z.total_out;
	deflateEnd(&z);
	if (rc != Z_STREAM_END) {
		free(out);
		return NULL;
	}
	return out;
}

void
srv_use_gzip(srv_resp *r, const char *gz, size_t gzlen)
{
	r->body.len = 0;
	sr_buf_add(&r->body, gz, gzlen);
	r->gzip = 1;
	size_t k = strlen(r->etag);
	if (k >= 2 && k + 3 < sizeof r->etag)
		memcpy(r->etag + k - 1, "-gz\"", 5);
}

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 1099511628211ULL;
	}
	return h;
}

static srv_centry *
set_of(sr_server *srv, const char *key)
{
	return &srv->cache[(hash(key) % (SRV_CACHE_SLOTS / SRV_CACHE_WAYS)) * SRV_CACHE_WAYS];
}

static srv_centry *
find(sr_server *srv, const char *key, const char *gen)
{
	srv_centry *set = set_of(srv, key);
	for (int w = 0; w < SRV_CACHE_WAYS; w++)
		if (set[w].key && !strcmp(set[w].key, key) && !strcmp(set[w].gen, gen))
			return &set[w];
	return NULL;
}

static int
inflight(sr_server *srv, const char *key, const char *gen)
{
	for (int i = 0; i < SRV_INFLIGHT; i++)
		if (srv->inflight[i].key && !strcmp(srv->inflight[i].key, key) &&
		    !strcmp(srv->inflight[i].gen, gen))
			return i;
	return -1;
}

int
srv_cache_get(sr_server *srv, const char *key, const char *gen, int gzip, srv_resp *r,
	      int *claimed)
{
	int hit = 0;
	*claimed = 0;
	if (strlen(gen) >= sizeof srv->cache[0].gen)
		return 0;
	pthread_mutex_lock(&srv->cache_lock);
	srv_centry *e;
	/* the same question being answered now: wait for its answer */
	while (!(e = find(srv, key, gen)) && inflight(srv, key, gen) >= 0)
		pthread_cond_wait(&srv->cache_done, &srv->cache_lock);
	if (e) {
		r->status = 200;
		r->body.len = 0;
		memcpy(r->etag, e->etag, sizeof r->etag);
		if (gzip && e->gz)
			srv_use_gzip(r, e->gz, e->gzlen);
		else
			sr_buf_add(&r->body, e->body, e->len);
		memcpy(r->next, e->next, sizeof r->next);
		r->ctype = e->ctype;
		r->cache = e->cache;
		r->disposition = e->disposition;
		e->used = ++srv->cache_tick;
		hit = 1;
	} else {
		for (int i = 0; i < SRV_INFLIGHT; i++)
			if (!srv->inflight[i].key) {
				srv->inflight[i].key = sr_strdup(key);
				snprintf(srv->inflight[i].gen, sizeof srv->inflight[i].gen, "%s", gen);
				*claimed = 1;
				break;
			}
	}
	pthread_mutex_unlock(&srv->cache_lock);
	return hit;
}

void
srv_cache_put(sr_server *srv, const char *key, const char *gen, const srv_resp *r,
	      const char *gz, size_t gzlen, int claimed)
{
	pthread_mutex_lock(&srv->cache_lock);
	if (claimed) {
		int i = inflight(srv, key, gen);
		if (i >= 0) {
			free(srv->inflight[i].key);
			srv->inflight[i].key = NULL;
		}
		pthread_cond_broadcast(&srv->cache_done);
	}
	/* r is the plain answer (the caller compresses after keeping it) */
	if (r->status != 200 || r->gzip || r->body.len > SRV_CACHE_ENTRY ||
	    strlen(gen) >= sizeof srv->cache[0].gen) {
		pthread_mutex_unlock(&srv->cache_lock);
		return;
	}
	/* the way of this key, else an empty one, else the least recently used */
	srv_centry *set = set_of(srv, key), *e = NULL;
	for (int w = 0; w < SRV_CACHE_WAYS && !e; w++)
		if (set[w].key && !strcmp(set[w].key, key))
			e = &set[w];
	for (int w = 0; w < SRV_CACHE_WAYS && !e; w++)
		if (!set[w].key)
			e = &set[w];
	if (!e) {
		e = &set[0];
		for (int w = 1; w < SRV_CACHE_WAYS; w++)
			if (set[w].used < e->used)
				e = &set[w];
	}
	if (srv->cache_bytes - (e->key ? e->len + e->gzlen : 0) + r->body.len + gzlen <= SRV_CACHE_BYTES) {
		if (e->key) {
			srv->cache_bytes -= e->len + e->gzlen;
			free(e->key);
			free(e->body);
			free(e->gz);
		}
		e->key = sr_strdup(key);
		snprintf(e->gen, sizeof e->gen, "%s", gen);
		e->body = sr_malloc(r->body.len + 1);
		memcpy(e->body, r->body.ptr ? r->body.ptr : "", r->body.len);
		e->len = r->body.len;
		e->gz = NULL;
		e->gzlen = 0;
		if (gz) {
			e->gz = sr_malloc(gzlen);
			memcpy(e->gz, gz, gzlen);
			e->gzlen = gzlen;
		}
		memcpy(e->etag, r->etag, sizeof e->etag);
		memcpy(e->next, r->next, sizeof e->next);
		e->ctype = r->ctype;
		e->cache = r->cache;
		e->disposition = r->disposition;
		e->used = ++srv->cache_tick;
		srv->cache_bytes += e->len + e->gzlen;
	}
	pthread_mutex_unlock(&srv->cache_lock);
}

void
srv_cache_free(sr_server *srv)
{
	for (int i = 0; srv->cache && i < SRV_CACHE_SLOTS; i++) {
		free(srv->cache[i].key);
		free(srv->cache[i].body);
		free(srv->cache[i].gz);
	}
	for (int i = 0; i < SRV_INFLIGHT; i++)
		free(srv->inflight[i].key);
	free(srv->cache);
	srv->cache = NULL;
}
