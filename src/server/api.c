/*
 * api.c -- the JSON API under /api/ (docs/api.md is its manual).
 *
 * Each endpoint turns its query parameters into the store's filter
 * (sr_filter, the struct the CLI fills from its options), runs the same
 * query function as the CLI command of the same name, and sends what it
 * wrote: JSON (an object with the page's items and the cursor of the
 * next page), CSV or GeoJSON (by format= or the Accept header).  A
 * parameter the endpoint does not know, a bad value or a bad cursor is a
 * 400 with a message naming it; a missing place or incident is a 404.
 *
 * Paging: `limit` rows (SR_SERVE_DEFAULT_ROWS, at most
 * SR_SERVE_MAX_ROWS) and an opaque `cursor` from the previous page's
 * "next".  Orders are total and come from the store (date, document,
 * number), so the pages of an unchanged store never overlap or skip.
 */
#include "server_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

enum what { W_EVENTS, W_INCIDENTS, W_PLACES, W_SEARCH };

/* the JSON output of the list endpoints: "json" (one object), "jsonl" */
enum { F_JSON = 100 };

typedef struct req {
	srv_param *p;
	int n;
	srv_resp *r;
} req;

static const char *
param(req *q, const char *key)
{
	for (int i = 0; i < q->n; i++)
		if (!strcmp(q->p[i].key, key)) {
			q->p[i].used = 1;
			return q->p[i].val;
		}
	return NULL;
}

/* Every parameter was read by the endpoint, none twice; else a 400. */
static int
check_params(req *q, const char *known)
{
	for (int i = 0; i < q->n; i++) {
		for (int k = 0; k < i; k++)
			if (!strcmp(q->p[i].key, q->p[k].key)) {
				srv_error(q->r, 400, "parameter '%.40s' is given twice", q->p[i].key);
				return -1;
			}
		if (!q->p[i].used) {
			srv_error(q->r, 400, "unknown parameter '%.40s' (this endpoint takes: %s)",
				  q->p[i].key, known);
			return -1;
		}
	}
	return 0;
}

/* An empty value is no condition (a form's empty field). */
static const char *
nonempty(const char *v)
{
	return v && *v ? v : NULL;
}

static void
read_filter(req *q, sr_filter *f)
{
	memset(f, 0, sizeof *f);
	f->type = nonempty(param(q, "type"));
	f->actor = nonempty(param(q, "actor"));
	f->place = nonempty(param(q, "place"));
	f->country = nonempty(param(q, "country"));
	f->since = nonempty(param(q, "since"));
	f->until = nonempty(param(q, "until"));
	f->modality = nonempty(param(q, "modality"));
	f->source = nonempty(param(q, "source"));
}

static int
read_long(req *q, const char *key, long lo, long hi, long dflt, long *out)
{
	const char *v = param(q, key);
	if (!v || !*v) {
		*out = dflt;
		return 0;
	}
	char *end;
	errno = 0;
	long n = strtol(v, &end, 10);
	if (errno || *end || end == v || n < lo || n > hi) {
		srv_error(q->r, 400, "%s must be a whole number from %ld to %ld, not '%.40s'", key, lo,
			  hi, v);
		return -1;
	}
	*out = n;
	return 0;
}

/* format= or the Accept header: F_JSON, SR_FMT_JSONL, SR_FMT_CSV,
 * SR_FMT_GEOJSON; -1 after a 400/406. */
static int
read_format(req *q, const char *accept, int geo_ok)
{
	const char *v = param(q, "format");
	if (v && *v) {
		if (!strcmp(v, "json"))
			return F_JSON;
		if (!strcmp(v, "jsonl"))
			return SR_FMT_JSONL;
		if (!strcmp(v, "csv"))
			return SR_FMT_CSV;
		if (!strcmp(v, "geojson") && geo_ok)
			return SR_FMT_GEOJSON;
		srv_error(q->r, 400, "format must be json, jsonl, csv%s, not '%.40s'",
			  geo_ok ? " or geojson" : "", v);
		return -1;
	}
	if (accept) {
		if (strstr(accept, "text/csv"))
			return SR_FMT_CSV;
		if (strstr(accept, "application/geo+json") && geo_ok)
			return SR_FMT_GEOJSON;
		if (strstr(accept, "application/x-ndjson") || strstr(accept, "application/jsonl"))
			return SR_FMT_JSONL;
	}
	return F_JSON;
}

/* The message of a failed query as the HTTP answer: a bad filter value is
 * the client's (400), a query stopped at its deadline 503, the rest 500. */
static void
query_error(srv_resp *r, srv_store *s, int rc)
{
	if (s->timed_out)
		srv_error(r, 503, "the query took longer than %d ms and was stopped; narrow the"
			  " filters (place, country, since/until) or lower limit", SR_SERVE_MAX_MS);
	else if (rc == SR_ERR_USAGE)
		srv_error(r, 400, "%s", sr_store_errmsg(s->st));
	else
		srv_error(r, 500, "the store failed: %s", sr_store_errmsg(s->st));
}

/* Runs one of the CLI's queries into out.  SR_OK or the store's status. */
static int
run_query(srv_store *s, enum what w, const sr_filter *f, const char *text, int fmt, srv_buf *out)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&mem, &len);
	if (!m) {
		fputs("sitrep: out of memory\n", stderr);
		abort();
	}
	int rc;
	switch (w) {
	case W_EVENTS: rc = sr_store_write_events(s->st, f, fmt, m); break;
	case W_INCIDENTS: rc = sr_store_write_incidents(s->st, f, fmt, m); break;
	case W_PLACES: rc = sr_store_write_places(s->st, f, fmt, m); break;
	default: rc = sr_store_search(s->st, text, f, fmt, m); break;
	}
	fclose(m);
	if (rc == SR_OK)
		srv_buf_add(out, mem, len);
	free(mem);
	return rc;
}

/* Lines [skip, skip + take) of JSON Lines text into a JSON array's
 * members (comma separated); returns how many lines there were in all
 * from skip on (so more > take means a next page). */
static long
json_lines(const char *p, size_t len, long skip, long take, srv_buf *out)
{
	long line = 0, taken = 0;
	const char *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if (nl > p) {
			if (line >= skip && taken < take) {
				if (taken)
					srv_buf_adds(out, ",\n");
				srv_buf_add(out, p, (size_t)(nl - p));
				taken++;
			}
			line++;
		}
		p = nl + 1;
	}
	return line - skip;
}

static void
set_body_type(srv_resp *r, int fmt, const char *name)
{
	static char disp[3][64];
	(void)disp;
	r->status = 200;
	r->cache = "no-cache";
	switch (fmt) {
	case SR_FMT_CSV:
		r->ctype = "text/csv; charset=utf-8";
		r->disposition = !strcmp(name, "events") ? "attachment; filename=\"sitrep-events.csv\""
			: !strcmp(name, "incidents") ? "attachment; filename=\"sitrep-incidents.csv\""
			: "attachment; filename=\"sitrep-places.csv\"";
		break;
	case SR_FMT_GEOJSON:
		r->ctype = "application/geo+json";
		r->disposition = !strcmp(name, "events") ? "attachment; filename=\"sitrep-events.geojson\""
			: !strcmp(name, "incidents") ? "attachment; filename=\"sitrep-incidents.geojson\""
			: "attachment; filename=\"sitrep-places.geojson\"";
		break;
	case SR_FMT_JSONL:
		r->ctype = "application/x-ndjson";
		break;
	default:
		r->ctype = "application/json";
	}
}

#define FILTER_KEYS "type, actor, place, country, since, until, modality, source"

/* GET /api/events, /api/incidents, /api/places, /api/search */
static void
list(sr_server *srv, req *q, enum what w, const char *name, const char *accept)
{
	sr_filter f;
	read_filter(q, &f);
	const char *text = NULL;
	if (w == W_SEARCH) {
		text = param(q, "q");
		if (!text || !*text) {
			srv_error(q->r, 400, "search needs q, the words to find (q=withdraw+Tanf)");
			return;
		}
	}
	long limit, offset = 0;
	if (read_long(q, "limit", 1, SR_SERVE_MAX_ROWS, SR_SERVE_DEFAULT_ROWS, &limit) != 0)
		return;
	const char *cur = param(q, "cursor");
	if (cur && *cur) {
		char *end;
		errno = 0;
		offset = strtol(cur, &end, 10);
		if (errno || *end || offset < 0 || offset > 100000000L) {
			srv_error(q->r, 400, "bad cursor '%.40s': give the \"next\" of the previous page",
				  cur);
			return;
		}
	}
	int fmt = read_format(q, accept, w != W_SEARCH);
	if (fmt < 0)
		return;
	if (check_params(q, w == W_SEARCH ? "q, limit, cursor, format" :
			 FILTER_KEYS ", limit, cursor, format") != 0)
		return;
	srv_store *s = srv_store_get(srv, q->r);
	if (!s)
		return;
	srv_buf raw = {0};
	f.limit = offset + limit + 1;
	/* CSV and GeoJSON are written whole by the store's writers for the page */
	int qfmt = fmt == F_JSON || fmt == SR_FMT_JSONL ? SR_FMT_JSONL : fmt;
	if (qfmt != SR_FMT_JSONL) {
		if (offset) {
			srv_store_put(srv, s);
			srv_error(q->r, 400, "cursor works with json and jsonl; CSV and GeoJSON give"
				  " the first %d rows (raise limit)", SR_SERVE_MAX_ROWS);
			return;
		}
		f.limit = limit;
	}
	int rc = run_query(s, w, &f, text, qfmt, &raw);
	if (rc != SR_OK) {
		query_error(q->r, s, rc);
		srv_store_put(srv, s);
		srv_buf_free(&raw);
		return;
	}
	srv_store_put(srv, s);
	srv_resp *r = q->r;
	set_body_type(r, fmt, name);
	if (qfmt != SR_FMT_JSONL) {
		r->body = raw;
	} else if (fmt == SR_FMT_JSONL) {
		srv_buf b = {0};
		long more = json_lines(raw.ptr ? raw.ptr : "", raw.len, offset, limit, &b);
		srv_buf_adds(&b, "\n");
		if (more == 0)
			b.len = 0;
		r->body = b;
		srv_buf_free(&raw);
	} else {
		srv_buf b = {0};
		srv_buf_printf(&b, "{\"%s\":[\n", name);
		long more = json_lines(raw.ptr ? raw.ptr : "", raw.len, offset, limit, &b);
		long got = more < limit ? (more > 0 ? more : 0) : limit;
		srv_buf_printf(&b, "\n],\"count\":%ld,\"next\":", got);
		if (more > limit)
			srv_buf_printf(&b, "\"%ld\"", offset + limit);
		else
			srv_buf_adds(&b, "null");
		srv_buf_adds(&b, "}\n");
		r->body = b;
		srv_buf_free(&raw);
	}
	if (r->body.len > SR_SERVE_MAX_BODY) {
		srv_buf_free(&r->body);
		srv_error(r, 413, "the answer would be larger than %zu MB; lower limit or narrow the"
			  " filters", SR_SERVE_MAX_BODY >> 20);
		return;
	}
	srv_etag(r->body.ptr ? r->body.ptr : "", r->body.len, r->etag);
}

/* GET /api/stats */
static void
stats(sr_server *srv, req *q)
{
	if (check_params(q, "(none)") != 0)
		return;
	srv_store *s = srv_store_get(srv, q->r);
	if (!s)
		return;
	sr_store_stats ss;
	int rc = sr_store_stats_get(s->st, &ss);
	if (rc != SR_OK) {
		query_error(q->r, s, rc);
		srv_store_put(srv, s);
		return;
	}
	srv_store_put(srv, s);
	srv_resp *r = q->r;
	r->status = 200;
	r->ctype = "application/json";
	r->cache = "no-cache";
	srv_buf_printf(&r->body, "{\"documents\":%ld,\"sentences\":%ld,\"events\":%ld,"
		       "\"incidents\":%ld,\"places\":%ld,\"disagreements\":%ld,\"as_of\":",
		       ss.documents, ss.sentences, ss.events, ss.incidents, ss.places,
		       ss.disagreements);
	srv_buf_json(&r->body, ss.as_of[0] ? ss.as_of : NULL);
	srv_buf_printf(&r->body, ",\"fused\":%s,\"version\":", ss.fused ? "true" : "false");
	srv_buf_json(&r->body, sr_version());
	srv_buf_adds(&r->body, "}\n");
	srv_etag(r->body.ptr, r->body.len, r->etag);
}

/* Does a JSON Lines line's object start with key:{"id":"<id>" or
 * key:<number id>? */
static const char *
find_line(const char *p, size_t len, const char *prefix)
{
	size_t pl = strlen(prefix);
	const char *end = p + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			nl = end;
		if ((size_t)(nl - p) > pl && !memcmp(p, prefix, pl))
			return p;
		p = nl + 1;
	}
	return NULL;
}

/* GET /api/places/{id} */
static void
place_one(sr_server *srv, req *q, const char *id)
{
	if (check_params(q, "(none)") != 0)
		return;
	if (!*id || strlen(id) > 200) {
		srv_error(q->r, 400, "give a place id: /api/places/site:al-tanf");
		return;
	}
	srv_store *s = srv_store_get(srv, q->r);
	if (!s)
		return;
	sr_filter f = {0};
	f.place = id;
	srv_buf raw = {0};
	int rc = run_query(s, W_PLACES, &f, NULL, SR_FMT_JSONL, &raw);
	if (rc != SR_OK) {
		query_error(q->r, s, rc);
		srv_store_put(srv, s);
		srv_buf_free(&raw);
		return;
	}
	srv_store_put(srv, s);
	srv_buf pre = {0};
	srv_buf_adds(&pre, "{\"place\":{\"id\":");
	srv_buf_json(&pre, id);
	const char *line = raw.ptr ? find_line(raw.ptr, raw.len, pre.ptr) : NULL;
	srv_buf_free(&pre);
	if (!line) {
		srv_buf_free(&raw);
		srv_error(q->r, 404, "no place with id '%s' has a status (ids as in /api/places)", id);
		return;
	}
	const char *nl = strchr(line, '\n');
	srv_resp *r = q->r;
	r->status = 200;
	r->ctype = "application/json";
	r->cache = "no-cache";
	srv_buf_add(&r->body, line, nl ? (size_t)(nl - line) : strlen(line));
	srv_buf_adds(&r->body, "\n");
	srv_buf_free(&raw);
	srv_etag(r->body.ptr, r->body.len, r->etag);
}

void
srv_api(sr_server *srv, const char *path, srv_param *params, int nparams, const char *accept,
	srv_resp *resp)
{
	req q = {params, nparams, resp};
	if (!strcmp(path, "events"))
		list(srv, &q, W_EVENTS, "events", accept);
	else if (!strcmp(path, "incidents"))
		list(srv, &q, W_INCIDENTS, "incidents", accept);
	else if (!strcmp(path, "places"))
		list(srv, &q, W_PLACES, "places", accept);
	else if (!strcmp(path, "search"))
		list(srv, &q, W_SEARCH, "results", accept);
	else if (!strcmp(path, "stats"))
		stats(srv, &q);
	else if (!strncmp(path, "places/", 7))
		place_one(srv, &q, path + 7);
	else
		srv_error(resp, 404, "no endpoint /api/%.60s (events, incidents, incidents/ID, places,"
			  " places/ID, search, report, stats: see /api/ docs in docs/api.md)", path);
}
