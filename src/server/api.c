/*
 * api.c -- the JSON API under /api/ (docs/api.md is its manual).
 *
 * Each endpoint turns its query parameters into the store's filter
 * (sr_filter, the struct the CLI fills from its options) and a page
 * (limit, cursor), and runs the same query as the CLI command of the same
 * name through the output layer (sr_store_query and its writers), whose
 * bytes go to a sink that fills the response and stops it at the
 * server's body limit (SR_SERVE_MAX_BODY unless configured).  JSON answers wrap the writer's array in an object
 * with the cursor of the next page; CSV and GeoJSON (format= or the
 * Accept header) are the writer's output as is, the next cursor in the
 * X-Next-Cursor header.
 *
 * A parameter the endpoint does not take, one given twice, a bad value or
 * cursor is a 400 whose message names it; a missing place or incident is
 * a 404; a query stopped at its deadline a 503.
 */
#include "server_int.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct req {
	sr_server *srv;
	srv_param *p;
	int n;
	const char *accept;
	srv_resp *r;
} req;

/* the formats of the list endpoints: the writer's, plus "text" (report) */
enum { F_TEXT = 100 };

static const char *
param(req *q, const char *key)
{
	for (int i = 0; i < q->n; i++)
		if (!strcmp(q->p[i].key, key)) {
			q->p[i].used = 1;
			return q->p[i].val && *q->p[i].val ? q->p[i].val : NULL;
		}
	return NULL;
}

/* Every parameter was read by the endpoint, none given twice; else 400. */
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

#define PLACE_KEYS "country, place, actor, since"
#define EVENT_KEYS "type, actor, place, country, since, until, modality, source"
#define INCIDENT_KEYS EVENT_KEYS ", disagreements"
#define PAGE_KEYS "limit, cursor, format"

/* The filters of keys (a list as above) into f; -1 after a 400. */
static int
read_filter(req *q, sr_filter *f, const char *keys)
{
	memset(f, 0, sizeof *f);
	f->width = 100;
	f->country = param(q, "country");
	f->place = param(q, "place");
	f->actor = param(q, "actor");
	f->since = param(q, "since");
	if (!strcmp(keys, PLACE_KEYS))
		return 0;
	f->until = param(q, "until");
	f->source = param(q, "source");
	const char *v = param(q, "type");
	if (v && (f->type = sr_event_type_parse(v)) <= 0) {
		srv_error(q->r, 400, "unknown type '%.40s' (withdraw, take_control, deploy, attack,"
			  " transfer_detainees, agreement)", v);
		return -1;
	}
	v = param(q, "modality");
	if (v && (f->modality = sr_modality_parse(v)) <= 0) {
		srv_error(q->r, 400, "unknown modality '%.40s' (asserted, reported_unconfirmed,"
			  " expected, denied)", v);
		return -1;
	}
	if (!strcmp(keys, INCIDENT_KEYS)) {
		v = param(q, "disagreements");
		if (v && strcmp(v, "0") && strcmp(v, "1")) {
			srv_error(q->r, 400, "disagreements must be 1 (only incidents whose reports"
				  " disagree) or 0, not '%.40s'", v);
			return -1;
		}
		f->disagree = v && !strcmp(v, "1");
	}
	return 0;
}

static int
read_long(req *q, const char *key, long lo, long hi, long dflt, long *out)
{
	const char *v = param(q, key);
	if (!v) {
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

/* format= or else the Accept header; names the formats taken, -1 after
 * a 400. */
static int
read_format(req *q, int csv_geo)
{
	const char *v = param(q, "format");
	if (v) {
		int f = sr_format_parse(v);
		if (f == SR_FMT_JSON || f == SR_FMT_JSONL ||
		    (csv_geo && (f == SR_FMT_CSV || f == SR_FMT_GEOJSON)))
			return f;
		srv_error(q->r, 400, "format must be json, jsonl%s, not '%.40s'",
			  csv_geo ? ", csv or geojson" : "", v);
		return -1;
	}
	const char *a = q->accept;
	if (a && csv_geo && strstr(a, "text/csv"))
		return SR_FMT_CSV;
	if (a && csv_geo && strstr(a, "application/geo+json"))
		return SR_FMT_GEOJSON;
	if (a && (strstr(a, "application/x-ndjson") || strstr(a, "application/jsonl")))
		return SR_FMT_JSONL;
	return SR_FMT_JSON;
}

/* ---- the sink: into the response, at most SR_SERVE_MAX_BODY bytes */

typedef struct sink {
	sr_buf *b;
	int over;
	size_t max;             /* the server's body limit */
} sink;

static int
to_body(void *ctx, const char *data, size_t len)
{
	sink *s = ctx;
	if (s->b->len + len > s->max) {
		s->over = 1;
		return 1;
	}
	sr_buf_add(s->b, data, len);
	return 0;
}

/* A failed query as the answer: the body grew past its limit (413), the
 * deadline passed (503), a bad value (400), else the store failed (500). */
static void
query_error(srv_resp *r, srv_store *s, const sink *k, int rc)
{
	if (k && k->over)
		srv_error(r, 413, "the answer would be larger than %zu bytes; lower limit or narrow"
			  " the filters", k->max);
	else if (s->timed_out)
		srv_error(r, 503, "the query took longer than %d ms and was stopped; narrow the"
			  " filters (place, country, since, until) or lower limit", s->max_ms);
	else if (rc == SR_ERR_USAGE)
		srv_error(r, 400, "%s", sr_store_errmsg(s->st));
	else
		srv_error(r, 500, "the store failed: %s", sr_store_errmsg(s->st));
}

static void
ok(srv_resp *r, const char *ctype)
{
	r->status = 200;
	r->ctype = ctype;
	r->cache = "no-cache";   /* revalidate: the store changes with ingests */
}

static void
finish(srv_resp *r)
{
	srv_etag(r->body.ptr ? r->body.ptr : "", r->body.len, r->etag);
}

/* The JSON array text of the places query without each place's timeline
 * (what a map needs at first: holder, since, status), as a new string
 * (free), or NULL when the text does not parse. */
static char *
places_without_timelines(const char *text)
{
	json_error_t jerr;
	json_t *a = json_loads(text, 0, &jerr);
	if (!json_is_array(a)) {
		json_decref(a);
		return NULL;
	}
	size_t i;
	json_t *p;
	json_array_foreach(a, i, p)
		json_object_del(p, "timeline");
	char *out = json_dumps(a, JSON_COMPACT | JSON_ENSURE_ASCII);
	json_decref(a);
	return out;
}

static const char *const what_names[] = {"events", "incidents", "places"};

/* GET /api/events, /api/incidents, /api/places */
static void
list(req *q, int what)
{
	const char *keys = what == SR_Q_PLACES ? PLACE_KEYS : what == SR_Q_EVENTS ? EVENT_KEYS
		: INCIDENT_KEYS;
	sr_filter f;
	if (read_filter(q, &f, keys) != 0)
		return;
	long limit;
	if (read_long(q, "limit", 1, SR_SERVE_MAX_ROWS, SR_SERVE_DEFAULT_ROWS, &limit) != 0)
		return;
	sr_page page = {0};
	page.limit = limit;
	page.cursor = param(q, "cursor");
	int fmt = read_format(q, 1);
	if (fmt < 0)
		return;
	/* places: timeline=0 leaves the timelines out (JSON only) */
	const char *tl = what == SR_Q_PLACES ? param(q, "timeline") : NULL;
	if (tl && strcmp(tl, "0") && strcmp(tl, "1")) {
		srv_error(q->r, 400, "timeline must be 0 (leave each place's timeline out) or 1,"
			  " not '%.40s'", tl);
		return;
	}
	int no_tl = tl && !strcmp(tl, "0");
	if (no_tl && fmt != SR_FMT_JSON) {
		srv_error(q->r, 400, "timeline=0 is for format=json");
		return;
	}
	char known[200];
	snprintf(known, sizeof known, "%s, %s%s", keys, PAGE_KEYS,
		 what == SR_Q_PLACES ? ", timeline" : "");
	if (check_params(q, known) != 0)
		return;
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	srv_resp *r = q->r;
	sink k = {&r->body, 0, q->srv->max_body};
	f.no_timeline = no_tl;
	if (fmt == SR_FMT_JSON)
		sr_buf_printf(&r->body, "{\"%s\":", what_names[what]);
	int rc = sr_store_query(s->st, what, &f, fmt, &page, to_body, &k);
	if (rc != SR_OK) {
		query_error(r, s, &k, rc);
		srv_store_put(q->srv, s);
		return;
	}
	srv_store_put(q->srv, s);
	if (fmt == SR_FMT_JSON) {
		while (r->body.len && r->body.ptr[r->body.len - 1] == '\n')
			r->body.len--;
		sr_buf_printf(&r->body, ",\"count\":%ld,\"next\":", page.rows);
		srv_buf_json(&r->body, page.next[0] ? page.next : NULL);
		sr_buf_adds(&r->body, "}\n");
	}
	snprintf(r->next, sizeof r->next, "%s", page.next);
	if (fmt == SR_FMT_CSV) {
		ok(r, "text/csv; charset=utf-8");
		r->disposition = what == SR_Q_EVENTS ? "attachment; filename=\"sitrep-events.csv\""
			: what == SR_Q_INCIDENTS ? "attachment; filename=\"sitrep-incidents.csv\""
			: "attachment; filename=\"sitrep-places.csv\"";
	} else if (fmt == SR_FMT_GEOJSON) {
		ok(r, "application/geo+json");
		r->disposition = what == SR_Q_EVENTS ? "attachment; filename=\"sitrep-events.geojson\""
			: what == SR_Q_INCIDENTS ? "attachment; filename=\"sitrep-incidents.geojson\""
			: "attachment; filename=\"sitrep-places.geojson\"";
	} else {
		ok(r, fmt == SR_FMT_JSONL ? "application/x-ndjson" : "application/json");
	}
	finish(r);
}

/* An id from the path: digits (incidents) or a place id ("site:al-tanf",
 * "gn:170654", "cc:SY"): letters, digits and . : _ - only. */
static int
valid_id(const char *id, int digits)
{
	size_t n = strlen(id);
	if (!n || n > 120)
		return 0;
	for (const char *p = id; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c >= '0' && c <= '9')
			continue;
		if (digits)
			return 0;
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '.' || c == ':' ||
		      c == '_' || c == '-' || c >= 0x80))
			return 0;
	}
	return 1;
}

/* Drops the brackets of a one-element JSON array written by the JSON
 * writer ("[\n{...}\n]\n" -> "{...}"); 0 when the array was empty. */
static int
unwrap_one(sr_buf *b, size_t from)
{
	char *p = b->ptr + from, *e = b->ptr + b->len;
	while (p < e && *p != '[')
		p++;
	while (e > p && e[-1] != ']')
		e--;
	if (p >= e)
		return 0;
	p++;
	e--;
	while (p < e && (*p == '\n' || *p == ' '))
		p++;
	while (e > p && (e[-1] == '\n' || e[-1] == ' '))
		e--;
	if (p == e)
		return 0;
	size_t n = (size_t)(e - p);
	memmove(b->ptr + from, p, n);
	b->len = from + n;
	b->ptr[b->len] = 0;
	return 1;
}

/* GET /api/incidents/{id}: the incident, and its events as the events
 * endpoint writes them (each report's evidence, URL, outlet, date). */
static void
incident_one(req *q, const char *id)
{
	if (check_params(q, "(none)") != 0)
		return;
	if (!valid_id(id, 1)) {
		srv_error(q->r, 400, "an incident id is a number (/api/incidents/12), not '%.40s'", id);
		return;
	}
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	srv_resp *r = q->r;
	sr_filter f = {0};
	f.incident = id;
	sr_page page = {0};
	page.limit = 1;
	sink k = {&r->body, 0, q->srv->max_body};
	sr_buf_adds(&r->body, "{\"incident\":");
	size_t at = r->body.len;
	int rc = sr_store_query(s->st, SR_Q_INCIDENTS, &f, SR_FMT_JSON, &page, to_body, &k);
	if (rc == SR_OK && !unwrap_one(&r->body, at)) {
		srv_store_put(q->srv, s);
		srv_error(r, 404, "no incident %s (ids as in /api/incidents)", id);
		return;
	}
	if (rc == SR_OK) {
		sr_buf_adds(&r->body, ",\"events\":");
		sr_page ep = {0};
		ep.limit = SR_SERVE_MAX_ROWS;
		rc = sr_store_query(s->st, SR_Q_EVENTS, &f, SR_FMT_JSON, &ep, to_body, &k);
	}
	if (rc != SR_OK) {
		query_error(r, s, &k, rc);
		srv_store_put(q->srv, s);
		return;
	}
	srv_store_put(q->srv, s);
	while (r->body.len && r->body.ptr[r->body.len - 1] == '\n')
		r->body.len--;
	sr_buf_adds(&r->body, "}\n");
	ok(r, "application/json");
	finish(r);
}

/* GET /api/places/{id}: the place's status and whole timeline. */
static void
place_one(req *q, const char *id)
{
	if (check_params(q, "(none)") != 0)
		return;
	if (!valid_id(id, 0)) {
		srv_error(q->r, 400, "a place id is like site:al-tanf or gn:170654 (as in"
			  " /api/places), not '%.40s'", id);
		return;
	}
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	/* the place filter takes an id or a name: keep the row of this id */
	sr_filter f = {0};
	f.place = id;
	sr_page page = {0};
	sr_buf raw = {0};
	sink k = {&raw, 0, q->srv->max_body};
	int rc = sr_store_query(s->st, SR_Q_PLACES, &f, SR_FMT_JSONL, &page, to_body, &k);
	if (rc != SR_OK) {
		query_error(q->r, s, &k, rc);
		srv_store_put(q->srv, s);
		sr_buf_free(&raw);
		return;
	}
	srv_store_put(q->srv, s);
	sr_buf pre = {0};
	sr_buf_adds(&pre, "{\"place\":{\"id\":");
	srv_buf_json(&pre, id);
	const char *line = NULL;
	for (const char *p = raw.ptr; p && *p;) {
		const char *nl = strchr(p, '\n');
		if (!strncmp(p, pre.ptr, pre.len)) {
			line = p;
			break;
		}
		p = nl ? nl + 1 : p + strlen(p);
	}
	sr_buf_free(&pre);
	srv_resp *r = q->r;
	if (!line) {
		sr_buf_free(&raw);
		srv_error(r, 404, "no place with id '%s' has a status (ids as in /api/places)", id);
		return;
	}
	const char *nl = strchr(line, '\n');
	sr_buf_add(&r->body, line, nl ? (size_t)(nl - line) : strlen(line));
	sr_buf_adds(&r->body, "\n");
	sr_buf_free(&raw);
	ok(r, "application/json");
	finish(r);
}

/* GET /api/search?q=: sentences, best first.  The store's search takes a
 * row count, so a page is the rows after the cursor's offset. */
static void
search(req *q)
{
	const char *text = param(q, "q");
	long limit;
	if (read_long(q, "limit", 1, SR_SERVE_MAX_ROWS, SR_SERVE_DEFAULT_ROWS, &limit) != 0)
		return;
	long offset = 0;
	const char *cur = param(q, "cursor");
	if (cur) {
		char *end;
		errno = 0;
		offset = cur[0] == 'o' ? strtol(cur + 1, &end, 10) : -1;
		if (cur[0] != 'o' || errno || *end || end == cur + 1 || offset < 0 || offset > 10000) {
			srv_error(q->r, 400, "bad cursor '%.40s' (pass back the 'next' of a page)", cur);
			return;
		}
	}
	if (check_params(q, "q, limit, cursor") != 0)
		return;
	if (!text) {
		srv_error(q->r, 400, "search needs q, the words to find (q=withdraw+Tanf)");
		return;
	}
	if (strlen(text) > 500) {
		srv_error(q->r, 400, "q is longer than 500 bytes");
		return;
	}
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	sr_filter f = {0};
	f.limit = offset + limit + 1;
	sr_buf raw = {0};
	sink k = {&raw, 0, q->srv->max_body};
	int rc = sr_store_search_sink(s->st, text, &f, SR_FMT_JSONL, to_body, &k);
	if (rc != SR_OK) {
		query_error(q->r, s, &k, rc);
		srv_store_put(q->srv, s);
		sr_buf_free(&raw);
		return;
	}
	srv_store_put(q->srv, s);
	srv_resp *r = q->r;
	sr_buf_adds(&r->body, "{\"results\":[");
	long line = 0, taken = 0;
	for (const char *p = raw.ptr; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n && line >= offset && taken < limit) {
			sr_buf_adds(&r->body, taken ? ",\n" : "\n");
			sr_buf_add(&r->body, p, n);
			taken++;
		}
		if (n)
			line++;
		p += n + (nl ? 1 : 0);
	}
	sr_buf_printf(&r->body, "\n],\"count\":%ld,\"next\":", taken);
	if (line > offset + limit)
		sr_buf_printf(&r->body, "\"o%ld\"}\n", offset + limit);
	else
		sr_buf_adds(&r->body, "null}\n");
	sr_buf_free(&raw);
	ok(r, "application/json");
	finish(r);
}

/* GET /api/timeline: incidents per date and type (the chart). */
static void
timeline(req *q)
{
	sr_filter f;
	if (read_filter(q, &f, INCIDENT_KEYS) != 0 || check_params(q, INCIDENT_KEYS) != 0)
		return;
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	srv_resp *r = q->r;
	sink k = {&r->body, 0, q->srv->max_body};
	sr_buf_adds(&r->body, "{\"counts\":");
	int rc = sr_store_count_incidents(s->st, &f, to_body, &k);
	if (rc != SR_OK) {
		query_error(r, s, &k, rc);
		srv_store_put(q->srv, s);
		return;
	}
	srv_store_put(q->srv, s);
	while (r->body.len && r->body.ptr[r->body.len - 1] == '\n')
		r->body.len--;
	sr_buf_adds(&r->body, "}\n");
	ok(r, "application/json");
	finish(r);
}

/* The store's counts as a JSON object's members (no braces). */
static int
stats_members(srv_store *s, sr_buf *b)
{
	sr_store_stats ss;
	int rc = sr_store_stats_get(s->st, &ss);
	if (rc != SR_OK)
		return rc;
	sr_buf_printf(b, "\"documents\":%ld,\"sentences\":%ld,\"events\":%ld,\"incidents\":%ld,"
		       "\"places\":%ld,\"disagreements\":%ld,\"as_of\":", ss.documents,
		       ss.sentences, ss.events, ss.incidents, ss.places, ss.disagreements);
	srv_buf_json(b, ss.as_of[0] ? ss.as_of : NULL);
	sr_buf_printf(b, ",\"fused\":%s,\"version\":", ss.fused ? "true" : "false");
	srv_buf_json(b, sr_version());
	return SR_OK;
}

/* GET /api/stats */
static void
stats(req *q)
{
	if (check_params(q, "(none)") != 0)
		return;
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	srv_resp *r = q->r;
	sr_buf_adds(&r->body, "{");
	int rc = stats_members(s, &r->body);
	if (rc != SR_OK) {
		query_error(r, s, NULL, rc);
		srv_store_put(q->srv, s);
		return;
	}
	srv_store_put(q->srv, s);
	sr_buf_adds(&r->body, "}\n");
	ok(r, "application/json");
	finish(r);
}

/* The places of a JSON array written by the places query, each without
 * its timeline (the report's table: holder, since, status, sources), and
 * those with something under way or expected; appended to b as members
 * "places" and "under_way".  -1 when the text does not parse. */
static int
report_places(const char *text, sr_buf *b)
{
	char *lean = places_without_timelines(text);
	json_error_t jerr;
	json_t *a = lean ? json_loads(lean, 0, &jerr) : NULL;
	if (!json_is_array(a)) {
		json_decref(a);
		free(lean);
		return -1;
	}
	json_t *under = json_array();
	size_t i;
	json_t *p;
	json_array_foreach(a, i, p) {
		json_t *st = json_object_get(p, "status");
		if (json_is_string(st) && strncmp(json_string_value(st), "left", 4))
			json_array_append(under, p);
	}
	char *ul = json_dumps(under, JSON_COMPACT | JSON_ENSURE_ASCII);
	sr_buf_adds(b, ",\"places\":");
	sr_buf_adds(b, lean);
	sr_buf_adds(b, ",\"under_way\":");
	sr_buf_adds(b, ul ? ul : "[]");
	free(ul);
	free(lean);
	json_decref(under);
	json_decref(a);
	return 0;
}

/* GET /api/report: what `sitrep report` shows.  format=text: the report
 * itself; json (the default): its parts as data -- the counts, the places
 * with their holder and status (timelines: /api/places/{id}), what is
 * under way or expected, and the first `limit` incidents whose sources
 * disagree. */
static void
report(req *q)
{
	sr_filter f;
	memset(&f, 0, sizeof f);
	f.since = param(q, "since");
	f.country = param(q, "country");
	f.place = param(q, "place");
	f.width = 100;
	long limit;
	if (read_long(q, "limit", 1, 1000, 40, &limit) != 0)
		return;
	f.limit = limit;
	const char *v = param(q, "format");
	int text = v && !strcmp(v, "text");
	if (v && !text && strcmp(v, "json")) {
		srv_error(q->r, 400, "format must be json or text, not '%.40s'", v);
		return;
	}
	if (check_params(q, "since, country, place, limit, format") != 0)
		return;
	srv_store *s = srv_store_get(q->srv, q->r);
	if (!s)
		return;
	srv_resp *r = q->r;
	sink k = {&r->body, 0, q->srv->max_body};
	int rc;
	if (text) {
		rc = sr_store_report(s->st, &f, to_body, &k);
	} else {
		sr_buf_adds(&r->body, "{\"counts\":{");
		rc = stats_members(s, &r->body);
		sr_buf_adds(&r->body, "}");
		sr_filter pf = f, df = f;
		pf.limit = df.limit = 0;
		pf.no_timeline = 1;   /* the summaries: not every report's URL */
		if (rc == SR_OK) {
			sr_buf places = {0};
			sink pk = {&places, 0, q->srv->max_body};
			sr_page page = {0};
			page.limit = SR_SERVE_MAX_ROWS;
			rc = sr_store_query(s->st, SR_Q_PLACES, &pf, SR_FMT_JSON, &page, to_body, &pk);
			if (rc == SR_OK && report_places(places.ptr ? places.ptr : "[]", &r->body) != 0) {
				srv_error(r, 500, "the places query wrote JSON that does not parse (a bug:"
					  " please report it)");
				sr_buf_free(&places);
				srv_store_put(q->srv, s);
				return;
			}
			k.over |= pk.over;
			sr_buf_free(&places);
		}
		if (rc == SR_OK) {
			sr_buf_adds(&r->body, ",\"disagreements\":");
			df.disagree = 1;
			sr_page dp = {0};
			dp.limit = limit;
			rc = sr_store_query(s->st, SR_Q_INCIDENTS, &df, SR_FMT_JSON, &dp, to_body, &k);
		}
		sr_buf_adds(&r->body, "}\n");
	}
	if (rc != SR_OK) {
		query_error(r, s, &k, rc);
		srv_store_put(q->srv, s);
		return;
	}
	srv_store_put(q->srv, s);
	ok(r, text ? "text/plain; charset=utf-8" : "application/json");
	finish(r);
}

void
srv_api(sr_server *srv, const char *path, srv_param *params, int nparams, const char *accept,
	srv_resp *resp)
{
	req q = {srv, params, nparams, accept, resp};
	if (!strcmp(path, "events"))
		list(&q, SR_Q_EVENTS);
	else if (!strcmp(path, "incidents"))
		list(&q, SR_Q_INCIDENTS);
	else if (!strcmp(path, "places"))
		list(&q, SR_Q_PLACES);
	else if (!strncmp(path, "incidents/", 10))
		incident_one(&q, path + 10);
	else if (!strncmp(path, "places/", 7))
		place_one(&q, path + 7);
	else if (!strcmp(path, "search"))
		search(&q);
	else if (!strcmp(path, "timeline"))
		timeline(&q);
	else if (!strcmp(path, "report"))
		report(&q);
	else if (!strcmp(path, "stats"))
		stats(&q);
	else
		srv_error(resp, 404, "no endpoint /api/%.60s (events, incidents, incidents/ID, places,"
			  " places/ID, search, timeline, report, stats: see docs/api.md)", path);
}
