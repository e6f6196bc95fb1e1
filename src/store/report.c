/*
 * report.c -- the places and their status (`sitrep places`) and the
 * report a person reads in a terminal (`sitrep report`): who holds each
 * place and since when, what is under way or expected, the timeline of
 * incidents and the disagreements between sources.
 *
 * Places are loaded once from place_status into a small in-memory model
 * (place -> intervals) that every format writes from.
 */
#include "store_int.h"
#include "../output/out_int.h"

#include <ctype.h>
#include <stdlib.h>

typedef struct piv {
	char *actor, *actor_id, *role, *start, *start_prec, *end, *end_prec;
	char *incidents, *sources, *note;
	char *urls;             /* its reports' URLs, space-separated, or NULL */
	int end_expected, current, nsources;
} piv;

typedef struct pplace {
	char *id, *name, *kind, *country, *precision;
	double lat, lon;
	int has_coord;
	piv *iv;
	size_t niv, cap;
} pplace;

typedef struct pmodel {
	pplace *p;
	size_t n, cap;
} pmodel;

static char *
dupc(st_q *s, int i)
{
	const char *v = st_q_text(s, i);
	return v ? sr_strdup(v) : NULL;
}

static void
model_free(pmodel *m)
{
	for (size_t i = 0; i < m->n; i++) {
		pplace *p = &m->p[i];
		for (size_t k = 0; k < p->niv; k++) {
			piv *v = &p->iv[k];
			free(v->actor), free(v->actor_id), free(v->role), free(v->start);
			free(v->start_prec), free(v->end), free(v->end_prec);
			free(v->incidents), free(v->sources), free(v->note), free(v->urls);
		}
		free(p->iv);
		free(p->id), free(p->name), free(p->kind), free(p->country), free(p->precision);
	}
	free(m->p);
}

typedef struct iurl {
	long long inc;
	const char *url;
} iurl;

static int
cmp_iurl(const void *pa, const void *pb)
{
	const iurl *a = pa, *b = pb;
	if (a->inc != b->inc)
		return a->inc < b->inc ? -1 : 1;
	return strcmp(a->url, b->url);
}

static int
cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}


/* The places with a status, each entity probed in place_status's index
 * on the place (a few thousand probes) rather than every interval read
 * and made distinct (32,000 rows, twice a report, over a million
 * events); the current intervals are then found by the index too. */
#define PLACES_WITH_STATUS "(SELECT e.id AS place_id FROM entities e WHERE EXISTS" \
	" (SELECT 1 FROM place_status x WHERE x.place_id = e.id))"

/* The URLs of the reports behind each interval (its incidents' events'
 * documents and their copies), distinct, in URL order: one query for all
 * incidents, then a lookup per incident of each interval. */
static int
interval_urls(sr_store *st, pmodel *m)
{
	st_q *s = st_q_prep(st,
		"SELECT ie.incident_id, d.url FROM incident_events ie JOIN events e ON e.id = ie.event_id"
		" JOIN documents d ON d.id = e.doc_id WHERE d.url IS NOT NULL"
		" UNION SELECT ie.incident_id, c.url FROM incident_events ie JOIN events e"
		" ON e.id = ie.event_id JOIN doc_copies c ON c.doc_id = e.doc_id WHERE c.url IS NOT NULL");
	if (!s)
		return SR_ERR_DB;
	sr_arena a = {0};
	iurl *v = NULL;
	size_t n = 0, cap = 0;
	int step;
	while ((step = st_q_step(s)) == ST_ROW) {
		SR_GROW(v, cap, n + 1);
		v[n].inc = st_q_int(s, 0);
		v[n].url = sr_arena_strndup(&a, st_q_text(s, 1),
					    (size_t)st_q_bytes(s, 1));
		n++;
	}
	st_q_free(s);
	int rc = step == ST_DONE ? SR_OK : st_dberr(st, "reading urls");
	if (n)
		qsort(v, n, sizeof *v, cmp_iurl);
	const char **pick = NULL;
	size_t cappick = 0;
	sr_buf u = {0};
	for (size_t i = 0; i < m->n && rc == SR_OK; i++) {
		for (size_t k = 0; k < m->p[i].niv; k++) {
			piv *iv = &m->p[i].iv[k];
			size_t np = 0;
			/* the incident ids of "[1,2]" */
			for (const char *c = iv->incidents; c && *c;) {
				if (*c < '0' || *c > '9') {
					c++;
					continue;
				}
				char *end;
				long long id = strtoll(c, &end, 10);
				c = end;
				size_t lo = 0, hi = n;
				while (lo < hi) {
					size_t mid = (lo + hi) / 2;
					if (v[mid].inc < id)
						lo = mid + 1;
					else
						hi = mid;
				}
				for (; lo < n && v[lo].inc == id; lo++) {
					SR_GROW(pick, cappick, np + 1);
					pick[np++] = v[lo].url;
				}
			}
			if (!np)
				continue;
			qsort(pick, np, sizeof *pick, cmp_cstr);
			sr_buf_reset(&u);
			for (size_t j = 0; j < np; j++)
				if (!j || strcmp(pick[j], pick[j - 1]))
					sr_buf_printf(&u, "%s%s", u.len ? " " : "", pick[j]);
			iv->urls = sr_strdup(u.ptr);
		}
	}
	sr_buf_free(&u);
	free(pick);
	free(v);
	sr_arena_free(&a);
	return rc;
}

static int
model_load(sr_store *st, const sr_filter *f, const char *since, const char *cc, int no_countries,
	   int with_urls, int summary, pmodel *m)
{
	memset(m, 0, sizeof *m);
	sr_buf q = {0};
	const char *args[8];
	int na = 0;
	sr_buf_adds(&q,
		"SELECT p.id, p.lexicon_id, p.name, p.kind, p.country, p.precision, p.lat, p.lon,"
		" a.name, a.lexicon_id, s.role, s.start, s.start_precision, s.end_date, s.end_precision,"
		" s.end_expected, s.current, s.incidents, s.nsources, s.sources, s.note"
		" FROM place_status s JOIN entities p ON p.id = s.place_id"
		" LEFT JOIN entities a ON a.id = s.actor_id WHERE 1");
	sr_buf ids = {0};
	int rc;
	if (f->place) {
		if ((rc = st_entity_ids(st, f->place, 1, &ids)) != SR_OK) {
			sr_buf_free(&q);
			sr_buf_free(&ids);
			return rc;
		}
		sr_buf_printf(&q, " AND p.id IN %s", ids.ptr);
	}
	if (cc && *cc) {
		sr_buf_adds(&q, " AND p.country = ?");
		args[na++] = cc;
	}
	if (no_countries)
		sr_buf_adds(&q, " AND coalesce(p.precision, '') <> 'country'");
	if (f->actor) {
		if ((rc = st_entity_ids(st, f->actor, 0, &ids)) != SR_OK) {
			sr_buf_free(&q);
			sr_buf_free(&ids);
			return rc;
		}
		sr_buf_printf(&q, " AND s.place_id IN (SELECT t.place_id FROM place_status t"
			      " WHERE t.actor_id IN %s)", ids.ptr);
	}
	sr_buf_free(&ids);
	if (since && *since) {
		/* per place, its intervals newest first until one is under
		 * way since then (the scan of every interval for one that is
		 * was most of a report --since over a million events) */
		sr_buf_adds(&q, " AND s.place_id IN (SELECT d.place_id FROM " PLACES_WITH_STATUS
			    " d WHERE (SELECT 1 FROM place_status t"
			    " WHERE t.place_id = d.place_id AND (t.current = 1 OR t.end_date >= ?"
			    " OR t.start >= ?) ORDER BY t.id DESC LIMIT 1) = 1)");
		args[na++] = since;
		args[na++] = since;
	}
	if (summary)
		/* what summarize reads: the current intervals and each place's
		 * last ended one (a place's timeline runs to thousands of
		 * intervals over a million events); the places first (CROSS
		 * JOIN), each one's current intervals then found in the index
		 * on (place, current): SQLite had chosen to walk that whole
		 * index for current = 1 (330,000 intervals at ten million
		 * events) */
		sr_buf_adds(&q, " AND s.id IN (SELECT t.id FROM " PLACES_WITH_STATUS " d"
			    " CROSS JOIN place_status t ON t.place_id = d.place_id AND t.current = 1"
			    " UNION ALL SELECT (SELECT max(u.id) FROM place_status u"
			    " WHERE u.place_id = d.place_id AND u.current = 0"
			    " AND u.role NOT LIKE 'expected%') FROM " PLACES_WITH_STATUS " d)");
	sr_buf_adds(&q, " ORDER BY lower(p.name), p.key, s.id");
	st_q *s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s)
		return SR_ERR_DB;
	for (int i = 0; i < na; i++)
		st_q_bind_text(s, i + 1, args[i]);
	long long last = 0;
	int step;
	while ((step = st_q_step(s)) == ST_ROW) {
		long long pid = st_q_int(s, 0);
		if (pid != last || !m->n) {
			SR_GROW(m->p, m->cap, m->n + 1);
			pplace *p = &m->p[m->n++];
			memset(p, 0, sizeof *p);
			p->id = dupc(s, 1);
			p->name = dupc(s, 2);
			p->kind = dupc(s, 3);
			p->country = dupc(s, 4);
			p->precision = dupc(s, 5);
			p->has_coord = !st_q_null(s, 6) &&
				       !st_q_null(s, 7);
			p->lat = st_q_double(s, 6);
			p->lon = st_q_double(s, 7);
			last = pid;
		}
		pplace *p = &m->p[m->n - 1];
		SR_GROW(p->iv, p->cap, p->niv + 1);
		piv *v = &p->iv[p->niv++];
		memset(v, 0, sizeof *v);
		v->actor = dupc(s, 8);
		v->actor_id = dupc(s, 9);
		v->role = dupc(s, 10);
		v->start = dupc(s, 11);
		v->start_prec = dupc(s, 12);
		v->end = dupc(s, 13);
		v->end_prec = dupc(s, 14);
		v->end_expected = st_q_int(s, 15);
		v->current = st_q_int(s, 16);
		v->incidents = dupc(s, 17);
		v->nsources = st_q_int(s, 18);
		v->sources = dupc(s, 19);
		v->note = dupc(s, 20);
	}
	st_q_free(s);
	if (step != ST_DONE)
		return st_dberr(st, "reading place status");
	return with_urls ? interval_urls(st, m) : SR_OK;
}

static int
is_expected(const piv *v)
{
	return !strncmp(v->role, "expected", 8);
}

/* What a place's row says: holder(s), since, sources, status. */
typedef struct psum {
	sr_buf holder, since, status;
	int nsources;
} psum;

static const char *
nz(const char *s)
{
	return s ? s : "?";
}

static void
summarize(const pplace *p, psum *o)
{
	memset(o, 0, sizeof *o);
	int held = 0;
	for (size_t i = 0; i < p->niv; i++)
		held |= p->iv[i].current && !strcmp(p->iv[i].role, "held");
	for (size_t i = 0; i < p->niv; i++) {
		const piv *v = &p->iv[i];
		/* a force there by a deployment is present, not the holder
		 * (the status says so, below) */
		if (!v->current || is_expected(v) || (held && strcmp(v->role, "held")) ||
		    !strcmp(v->role, "present"))
			continue;
		if (o->holder.len)
			sr_buf_adds(&o->holder, " + ");
		sr_buf_adds(&o->holder, nz(v->actor));
		if (!o->since.len)
			sr_buf_adds(&o->since, v->start ? v->start : "?");
		if (v->nsources > o->nsources)
			o->nsources = v->nsources;
	}
	for (size_t i = 0; i < p->niv; i++) {
		const piv *v = &p->iv[i];
		if (!v->current)
			continue;
		if (!strcmp(v->role, "present")) {
			if (held)
				continue;
			if (o->status.len)
				sr_buf_adds(&o->status, "; ");
			sr_buf_printf(&o->status, "present: %s", nz(v->actor));
			if (v->nsources > o->nsources && !o->holder.len)
				o->nsources = v->nsources;
		} else if (!strcmp(v->role, "withdrawing")) {
			if (o->status.len)
				sr_buf_adds(&o->status, "; ");
			sr_buf_printf(&o->status, "withdrawing, to end ~%s", nz(v->end));
		} else if (is_expected(v)) {
			if (o->status.len)
				sr_buf_adds(&o->status, "; ");
			sr_buf_printf(&o->status, "expected to %s: %s",
				      !strcmp(v->role, "expected_control") ? "pass to"
				      : !strcmp(v->role, "expected_withdrawal") ? "be left by" : "host",
				      nz(v->actor));
			if (v->nsources > o->nsources && !o->holder.len)
				o->nsources = v->nsources;
		}
	}
	if (!o->holder.len) {
		/* nobody known now: say who left last */
		for (size_t i = p->niv; i-- > 0;) {
			const piv *v = &p->iv[i];
			if (v->current || is_expected(v))
				continue;
			if (o->status.len)
				sr_buf_adds(&o->status, "; ");
			sr_buf_printf(&o->status, "left%s%s: %s", v->end ? " " : "", v->end ? v->end : "",
				      nz(v->actor));
			if (v->nsources > o->nsources)
				o->nsources = v->nsources;
			break;
		}
		sr_buf_adds(&o->holder, "-");
		sr_buf_adds(&o->since, "-");
	}
	if (!o->status.len)
		sr_buf_adds(&o->status, "");
}

static void
psum_free(psum *o)
{
	sr_buf_free(&o->holder);
	sr_buf_free(&o->since);
	sr_buf_free(&o->status);
}

static void
place_table(const pmodel *m, ow_sink *out, int color, int width, const char *indent)
{
	static const char *const head[] = {"place", "cc", "holder", "since", "src", "status"};
	int rest = width - (int)strlen(indent) - 2 - 10 - 3 - 10;
	int maxw[] = {rest * 24 / 100, 2, rest * 30 / 100, 10, 3, 0};
	maxw[5] = rest - maxw[0] - maxw[2] - 2;
	ow_table t;
	ow_table_init(&t, 6, head, maxw);
	for (size_t i = 0; i < m->n; i++) {
		psum o;
		summarize(&m->p[i], &o);
		char src[16];
		snprintf(src, sizeof src, "%d", o.nsources);
		const char *cells[6] = {m->p[i].name, m->p[i].country ? m->p[i].country : "-",
			o.holder.ptr, o.since.ptr, src, o.status.ptr};
		ow_table_row(&t, cells);
		psum_free(&o);
	}
	ow_table_print(&t, out, color, indent);
	ow_table_free(&t);
}

/* place_table over the rows [from, to) of m. */
static void
place_rows_table(const pmodel *m, size_t from, size_t to, ow_sink *out, int color, int width)
{
	pmodel part = *m;
	part.p = m->p ? m->p + from : NULL;
	part.n = to - from;
	place_table(&part, out, color, width, "");
}

static void
tree_place(ow_row *r, ov *parent, const pplace *p)
{
	ov *o = ov_obj(r, parent, "place");
	ov_str(r, o, "id", p->id);
	ov_str(r, o, "name", p->name);
	ov_str(r, o, "kind", p->kind);
	ov_str(r, o, "country", p->country);
	ov_str(r, o, "precision", p->precision);
	if (p->has_coord) {
		ov_num(r, o, "lat", p->lat, 6);
		ov_num(r, o, "lon", p->lon, 6);
	} else {
		ov_null(r, o, "lat");
		ov_null(r, o, "lon");
	}
}

static void
tree_interval(ow_row *r, ov *parent, const piv *v)
{
	ov *o = ov_obj(r, parent, NULL);
	ov_str(r, o, "actor", v->actor);
	ov_str(r, o, "actor_id", v->actor_id);
	ov_str(r, o, "role", v->role);
	ov_str(r, o, "start", v->start);
	ov_str(r, o, "start_precision", v->start_prec);
	ov_str(r, o, "end", v->end);
	ov_str(r, o, "end_precision", v->end_prec);
	ov_bool(r, o, "end_expected", v->end_expected);
	ov_bool(r, o, "current", v->current);
	ov_json(r, o, "incidents", v->incidents, "[]");
	ov_int(r, o, "nsources", v->nsources);
	ov_json(r, o, "sources", v->sources, "[]");
	ov_str(r, o, "note", v->note);
	ov *ua = ov_arr(r, o, "urls");
	for (const char *p = v->urls; p && *p;) {
		size_t k = strcspn(p, " ");
		ov_str(r, ua, NULL, sr_arena_strndup(&r->a, p, k));
		p += k + (p[k] == ' ');
	}
}

static int
place_geo_precision(const char *prec)
{
	return !prec ? 3 : !strcmp(prec, "region") ? 2 : !strcmp(prec, "country") ? 3 : 1;
}

static void
flat_place(ow_row *r, const pplace *p, st_areas *areas)
{
	const char *name, *a3;
	int num;
	ov_str(r, r->flat, "location", p->name);
	ov_str(r, r->flat, "location_id", p->id);
	if (st_country(areas, p->country, &name, &a3, &num)) {
		ov_int(r, r->flat, "iso", num);
		ov_str(r, r->flat, "country", name);
	} else {
		ov_null(r, r->flat, "iso");
		ov_str(r, r->flat, "country", p->country);
	}
	ov_str(r, r->flat, "admin1", st_admin1(areas, p->id, p->precision, p->country, p->has_coord,
					       p->lat, p->lon));
	ov_str(r, r->flat, "country_code", p->country);
	if (p->has_coord) {
		ov_num(r, r->flat, "latitude", p->lat, 6);
		ov_num(r, r->flat, "longitude", p->lon, 6);
	} else {
		ov_null(r, r->flat, "latitude");
		ov_null(r, r->flat, "longitude");
	}
	ov_int(r, r->flat, "geo_precision", place_geo_precision(p->precision));
}

/* One place: {place, holder, since, status, nsources, timeline} (without
 * timeline when !timeline); its flat columns are the place and its
 * current status (GeoJSON properties). */
static void
place_row(ow_row *r, const pplace *p, st_areas *areas, int timeline)
{
	psum o;
	summarize(p, &o);
	ov *t = r->tree;
	tree_place(r, t, p);
	const char *holder = strcmp(o.holder.ptr, "-") ? o.holder.ptr : NULL;
	const char *since = strcmp(o.since.ptr, "-") && strcmp(o.since.ptr, "?") ? o.since.ptr : NULL;
	const char *status = o.status.len ? o.status.ptr : NULL;
	ov_strcpy(r, t, "holder", holder);
	ov_strcpy(r, t, "since", since);
	ov_strcpy(r, t, "status", status);
	ov_int(r, t, "nsources", o.nsources);
	if (timeline) {
		ov *tl = ov_arr(r, t, "timeline");
		for (size_t k = 0; k < p->niv; k++)
			tree_interval(r, tl, &p->iv[k]);
	}
	flat_place(r, p, areas);
	ov_strcpy(r, r->flat, "holder", holder);
	ov_strcpy(r, r->flat, "since", since);
	ov_strcpy(r, r->flat, "status", status);
	ov_int(r, r->flat, "nsources", o.nsources);
	sr_buf urls = {0};
	for (size_t k = 0; k < p->niv; k++)
		for (const char *u = p->iv[k].urls; u && *u;) {
			size_t n = strcspn(u, " ");
			int seen = 0;
			for (const char *h = urls.ptr; h && *h && !seen;) {
				size_t hn = strcspn(h, " ");
				seen = hn == n && !strncmp(h, u, n);
				h += hn + (h[hn] == ' ');
			}
			if (!seen)
				sr_buf_printf(&urls, "%s%.*s", urls.len ? " " : "", (int)n, u);
			u += n + (u[n] == ' ');
		}
	ov_strcpy(r, r->flat, "url", urls.ptr);
	sr_buf_free(&urls);
	r->has_point = p->has_coord;
	r->lat = p->lat;
	r->lon = p->lon;
	psum_free(&o);
}

/* One interval of a place's timeline: a CSV row. */
static void
interval_row(ow_row *r, const pplace *p, const piv *v, st_areas *areas)
{
	flat_place(r, p, areas);
	ov *f = r->flat;
	ov_str(r, f, "actor1", v->actor);
	ov_str(r, f, "actor1_id", v->actor_id);
	ov_str(r, f, "role", v->role);
	ov_str(r, f, "start_date", v->start);
	ov_str(r, f, "start_precision", v->start_prec);
	ov_str(r, f, "end_date", v->end);
	ov_str(r, f, "end_precision", v->end_prec);
	ov_int(r, f, "end_expected", v->end_expected);
	ov_int(r, f, "current", v->current);
	ov_str(r, f, "incidents", v->incidents);
	ov_int(r, f, "nsources", v->nsources);
	ov_str(r, f, "source", v->sources);
	ov_str(r, f, "notes", v->note);
	ov_str(r, f, "url", v->urls);
}

static const char *const place_csv_head[] = {
	"location", "location_id", "iso", "country", "admin1", "country_code", "latitude",
	"longitude", "geo_precision",
	"actor1", "actor1_id", "role", "start_date", "start_precision", "end_date",
	"end_precision", "end_expected", "current", "incidents", "nsources", "source", "notes",
	"url"};
static const ow_spec place_spec = {place_csv_head, SR_ARRAY_LEN(place_csv_head), NULL, NULL,
	NULL, 0, "place", "places", NULL};

/* Reads the --since and --country filters of the place views into since
 * ("YYYY-MM-DD" or "") and cc (upper case or ""), then brings the fusion
 * up to date.  A bad value is a usage error with its message on st. */
static int
place_filters(sr_store *st, const sr_filter *f, char since[11], char cc[3])
{
	int32_t lo, hi;
	since[0] = cc[0] = 0;
	if (f->since) {
		if (!st_date_range(f->since, &lo, &hi)) {
			snprintf(st->err, sizeof st->err, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)",
				 f->since);
			return SR_ERR_USAGE;
		}
		st_date_str(lo, since);
	}
	if (f->country) {
		if (strlen(f->country) != 2 || !isalpha((unsigned char)f->country[0]) ||
		    !isalpha((unsigned char)f->country[1])) {
			snprintf(st->err, sizeof st->err, "bad country '%s' (ISO 3166-1 alpha-2)", f->country);
			return SR_ERR_USAGE;
		}
		cc[0] = (char)(f->country[0] & ~0x20);
		cc[1] = (char)(f->country[1] & ~0x20);
		cc[2] = 0;
	}
	return st_ensure_fused(st);
}

int
st_places_query(sr_store *st, const sr_filter *f, int fmt, sr_page *page, sr_sink_fn fn,
		void *ctx)
{
	char since[11], cc[3];
	long offset = 0;
	int rc = place_filters(st, f, since, cc);
	if (rc != SR_OK)
		return rc;
	if (page->cursor && *page->cursor) {
		char *end;
		const char *c = page->cursor;
		offset = c[0] == 'o' && c[1] >= '0' && c[1] <= '9' ? strtol(c + 1, &end, 10) : -1;
		if (offset < 0 || *end) {
			snprintf(st->err, sizeof st->err, "bad cursor '%.40s' (pass back the 'next'"
				 " of a page)", c);
			return SR_ERR_USAGE;
		}
	}
	pmodel m;
	/* the reports' URLs (of the timelines and the flat formats' url)
	   are most of the time of the query: not for the table nor a
	   summary without timelines */
	int lean = f->no_timeline && fmt == SR_FMT_JSON;
	if ((rc = model_load(st, f, since, cc, 0, fmt != SR_FMT_TABLE && !lean,
			     fmt == SR_FMT_TABLE, &m)) != SR_OK) {
		model_free(&m);
		return rc;
	}
	size_t from = (size_t)offset < m.n ? (size_t)offset : m.n;
	size_t to = page->limit > 0 && (size_t)page->limit < m.n - from ? from + (size_t)page->limit
		: m.n;
	page->rows = (long)(to - from);
	page->next[0] = 0;
	if (to < m.n)
		snprintf(page->next, sizeof page->next, "o%zu", to);
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	if (fmt == SR_FMT_TABLE) {
		place_rows_table(&m, from, to, out, f->color, f->width > 0 ? f->width : 100);
		ow_printf(out, "(%zu place%s; src = independent sources behind the current status)\n",
			  to - from, to - from == 1 ? "" : "s");
	} else {
		ow_writer w;
		ow_row r = {0};
		st_areas *areas = st_areas_new(st->lx);
		ow_begin(&w, fmt, &place_spec, out, f->color, f->width);
		for (size_t i = from; i < to && !out->err; i++) {
			if (fmt == SR_FMT_CSV) {
				for (size_t k = 0; k < m.p[i].niv; k++) {
					ow_row_reset(&r);
					interval_row(&r, &m.p[i], &m.p[i].iv[k], areas);
					ow_write(&w, &r);
				}
			} else {
				ow_row_reset(&r);
				place_row(&r, &m.p[i], areas, !lean);
				ow_write(&w, &r);
			}
		}
		ow_end(&w);
		ow_row_free(&r);
		st_areas_free(areas);
	}
	model_free(&m);
	rc = ow_flush(out);
	free(out);
	if (rc != SR_OK)
		snprintf(st->err, sizeof st->err, "write error");
	return rc;
}

/* ---------------------------------------------------------------- report */

static void
heading(ow_sink *out, int color, const char *title)
{
	if (color)
		ow_printf(out, "\n\x1b[1;4m%s\x1b[0m\n", title);
	else
		ow_printf(out, "\n%s\n", title);
}

static void
report_underway(const pmodel *m, ow_sink *out, int color, int width)
{
	int any = 0;
	for (size_t i = 0; i < m->n; i++) {
		const pplace *p = &m->p[i];
		for (size_t k = 0; k < p->niv; k++) {
			const piv *v = &p->iv[k];
			if (!v->current || (strcmp(v->role, "withdrawing") && !is_expected(v)))
				continue;
			if (!any++)
				heading(out, color, "UNDER WAY AND EXPECTED");
			sr_buf b = {0};
			if (!strcmp(v->role, "withdrawing"))
				sr_buf_printf(&b, "%s: %s withdrawal under way since %s; expected to end"
					      " about %s", p->name, nz(v->actor), v->start ? v->start : "?",
					      nz(v->end));
			else
				sr_buf_printf(&b, "%s: %s expected to %s%s%s", p->name, nz(v->actor),
					      !strcmp(v->role, "expected_control") ? "take control"
					      : !strcmp(v->role, "expected_withdrawal") ? "withdraw" : "deploy",
					      v->start ? " on or about " : "", v->start ? v->start : "");
			if (v->note)
				sr_buf_printf(&b, " (%s)", v->note);
			sr_buf_printf(&b, "; %d source%s: ", v->nsources, v->nsources == 1 ? "" : "s");
			char **a;
			size_t na = ow_json_strings(v->sources, &a);
			for (size_t j = 0; j < na; j++)
				sr_buf_printf(&b, "%s%s", j ? ", " : "", a[j]);
			ow_strings_free(a, na);
			sr_buf_printf(&b, "; incidents %s", v->incidents ? v->incidents : "[]");
			ow_wrap(out, b.ptr, width, color ? "  \x1b[33m*\x1b[0m " : "  * ", "    ");
			sr_buf_free(&b);
		}
	}
}

/* The timeline: the incidents that pass the filter in date order (an
 * undated one at its first report's date, shown "by DATE"), the most
 * recent f->limit of them (0: all), oldest first, then how many earlier
 * ones were left out and how to see them. */
static int
report_timeline(sr_store *st, const sr_filter *f, const char *since, const char *cc, long all,
		ow_sink *out, int width)
{
	sr_buf where = {0};
	const char *args[6];
	int na = 0;
	/* (the place's row only for a country: joined for nothing, it read
	 * every counted incident's row, 18,500 of them since a date of the
	 * million-event store, where the index on the date counts alone) */
	sr_buf_adds(&where, cc && *cc ? " FROM incidents i LEFT JOIN entities p ON p.id = i.place_id"
		    " WHERE 1" : " FROM incidents i WHERE 1");
	if (since && *since) {
		sr_buf_adds(&where, " AND coalesce(i.date_hi, i.first_published) >= ?");
		args[na++] = since;
	}
	if (cc && *cc) {
		sr_buf_adds(&where, " AND p.country = ?");
		args[na++] = cc;
	}
	if (f->place) {
		sr_buf ids = {0};
		int rc = st_entity_ids(st, f->place, 1, &ids);
		if (rc != SR_OK) {
			sr_buf_free(&ids);
			sr_buf_free(&where);
			return rc;
		}
		sr_buf_printf(&where, " AND i.place_id IN %s", ids.ptr);
		sr_buf_free(&ids);
	}
	/* unfiltered, the count is the statistics' (all): counted again, it
	 * read a whole index (7-25 ms of PostgreSQL's server a report over
	 * a million events) */
	sr_buf q = {0};
	long total = all;
	st_q *s;
	if (na || f->place) {
		sr_buf_printf(&q, "SELECT count(*)%s", where.ptr);
		if (!(s = st_q_prep(st, q.ptr))) {
			sr_buf_free(&q);
			sr_buf_free(&where);
			return SR_ERR_DB;
		}
		for (int i = 0; i < na; i++)
			st_q_bind_text(s, i + 1, args[i]);
		total = st_q_step(s) == ST_ROW ? (long)st_q_int(s, 0) : 0;
		st_q_free(s);
		sr_buf_reset(&q);
	}
	/* the latest incidents (by date, else first report), shown oldest
	 * first */
	sr_buf_printf(&q,
		"SELECT i.id, coalesce(i.date, 'by ' || i.first_published, '-'),"
		" i.type, p.name, a.name, o.name, i.modalities,"
		" i.ndocs, i.nsources, i.ndisagreements > 0"
		" FROM (SELECT i.id%s ORDER BY coalesce(i.date_lo, i.first_published) DESC NULLS LAST,"
		" i.id DESC LIMIT ?) k CROSS JOIN incidents i ON i.id = k.id"
		" LEFT JOIN entities p ON p.id = i.place_id"
		" LEFT JOIN entities a ON a.id = i.actor_id LEFT JOIN entities o ON o.id = i.other_id%s",
		where.ptr, st->pg ? " ORDER BY coalesce(i.date_lo, i.first_published) DESC NULLS LAST,"
		" i.id DESC" : "");
	sr_buf_free(&where);
	s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s)
		return SR_ERR_DB;
	for (int i = 0; i < na; i++)
		st_q_bind_text(s, i + 1, args[i]);
	long limit = f->limit > 0 ? f->limit : -1;
	st_q_bind_int(s, na + 1, limit);
	static const char *const head[] = {"#", "date", "type", "place", "who", "r/s", "note"};
	int idw = 1;
	for (long big = st_scalar(st, "SELECT max(id) FROM incidents"); big >= 10; big /= 10)
		idw++;
	int rest = width - 2 - (idw + 13 + 12 + 5 + 5) - 12;
	int maxw[] = {idw, 13, 12, rest * 35 / 100, rest - rest * 35 / 100, 5, 5};
	ow_table t;
	ow_table_init(&t, 7, head, maxw);
	int step;
	long n = 0;
	while ((step = st_q_step(s)) == ST_ROW) {
		sr_buf who = {0}, note = {0}, rs = {0};
		const char *a = st_q_text(s, 4);
		const char *o = st_q_text(s, 5);
		const char *mods = st_q_text(s, 6);
		sr_buf_adds(&who, a ? a : "?");
		if (o)
			sr_buf_printf(&who, " -> %s", o);
		/* modality: nothing when a report asserts it */
		if (mods && !strstr(mods, "asserted"))
			sr_buf_adds(&note, strstr(mods, "reported") ? "rep?" : strstr(mods, "expected")
				    ? "exp" : "den");
		if (st_q_int(s, 9))
			sr_buf_adds(&note, note.len ? " !" : "!");
		sr_buf_printf(&rs, "%lld/%lld", st_q_int(s, 7), st_q_int(s, 8));
		const char *type = st_q_text(s, 2);
		const char *cells[7] = {st_q_text(s, 0),
			st_q_text(s, 1),
			type && !strcmp(type, "transfer_detainees") ? "transfer" : type,
			st_q_text(s, 3) ? st_q_text(s, 3) : "-", who.ptr,
			rs.ptr, note.len ? note.ptr : ""};
		ow_table_row(&t, cells);
		sr_buf_free(&who);
		sr_buf_free(&note);
		sr_buf_free(&rs);
		n++;
	}
	st_q_free(s);
	/* rows came newest first: print them oldest first */
	for (size_t i = 0; i < t.nrows / 2; i++)
		for (size_t c = 0; c < t.ncol; c++) {
			char **x = &t.cells[i * t.ncol + c], **y = &t.cells[(t.nrows - 1 - i) * t.ncol + c];
			char *tmp = *x;
			*x = *y;
			*y = tmp;
		}
	if (n)
		ow_table_print(&t, out, f->color, "  ");
	else
		ow_puts(out, "  (no incident)\n");
	ow_table_free(&t);
	if (total > n)
		ow_printf(out, "  (latest %ld of %ld shown, %ld earlier left out: --limit 0 for all,"
			  " --since DATE from a date)\n", n, total, total - n);
	if (step != ST_DONE)
		return st_dberr(st, "timeline");
	return SR_OK;
}

static int
report_disagreements(sr_store *st, const sr_filter *f, const char *since, const char *cc,
		     ow_sink *out, int width)
{
	sr_buf q = {0};
	const char *args[6];
	int na = 0;
	/* the latest incidents with disagreements that pass the filter (walk
	 * incidents newest first and stop: no sort of every disagreement) */
	sr_buf_adds(&q,
		"WITH top AS (SELECT i.id FROM incidents i LEFT JOIN entities p ON p.id = i.place_id"
		" WHERE i.ndisagreements > 0");
	if (since && *since) {
		sr_buf_adds(&q, " AND i.date_hi >= ?");
		args[na++] = since;
	}
	if (cc && *cc) {
		sr_buf_adds(&q, " AND p.country = ?");
		args[na++] = cc;
	}
	if (f->place) {
		sr_buf ids = {0};
		int rc = st_entity_ids(st, f->place, 1, &ids);
		if (rc != SR_OK) {
			sr_buf_free(&ids);
			sr_buf_free(&q);
			return rc;
		}
		sr_buf_printf(&q, " AND i.place_id IN %s", ids.ptr);
		sr_buf_free(&ids);
	}
	sr_buf_adds(&q, " ORDER BY i.id DESC LIMIT 20)"
		" SELECT i.id, i.type, p.name, a.name, o.name, g.field, g.value, g.docs, g.sources"
		" FROM top JOIN incidents i ON i.id = top.id JOIN disagreements g ON g.incident_id = i.id"
		" LEFT JOIN entities p ON p.id = i.place_id LEFT JOIN entities a ON a.id = i.actor_id"
		" LEFT JOIN entities o ON o.id = i.other_id ORDER BY i.id DESC, g.field, g.id");
	st_q *s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s)
		return SR_ERR_DB;
	for (int i = 0; i < na; i++)
		st_q_bind_text(s, i + 1, args[i]);
	long long last = -1;
	char lastfield[64] = "";
	int step, shown = 0;
	while ((step = st_q_step(s)) == ST_ROW) {
		long long id = st_q_int(s, 0);
		const char *field = st_q_text(s, 5);
		if (id != last) {
			if (shown++ >= 20)
				break;
			const char *pl = st_q_text(s, 2);
			const char *a = st_q_text(s, 3);
			const char *o = st_q_text(s, 4);
			if (f->color)
				ow_printf(out, "  \x1b[1m#%lld %s\x1b[0m", (long long)id, st_q_text(s, 1));
			else
				ow_printf(out, "  #%lld %s", (long long)id, st_q_text(s, 1));
			ow_printf(out, "%s%s%s%s%s%s\n", a ? " by " : "", a ? a : "", pl ? " at " : "",
				pl ? pl : "", o ? " -> " : "", o ? o : "");
			last = id;
			lastfield[0] = 0;
		}
		const char *label = strncmp(field, "count:", 6) ? field : field + 6;
		int newfield = strcmp(lastfield, field) != 0;
		snprintf(lastfield, sizeof lastfield, "%s", field);
		/* VALUE - doc, doc (sources: named sources that are not docs) */
		sr_buf b = {0};
		sr_buf_printf(&b, "%s -", st_q_text(s, 6));
		const char *sv = st_q_text(s, 8);
		const char *dv = st_q_text(s, 7);
		char **docs, **srcs;
		size_t nd = ow_json_strings(dv, &docs), ns = ow_json_strings(sv, &srcs);
		for (size_t j = 0; j < nd; j++)
			sr_buf_printf(&b, "%s %s", j ? "," : "", docs[j]);
		int named = 0;
		for (size_t j = 0; j < ns; j++) {
			int is_doc = 0;
			for (size_t k = 0; k < nd; k++)
				is_doc |= !strcmp(srcs[j], docs[k]);
			if (is_doc)
				continue;
			sr_buf_printf(&b, "%s%s", named++ ? ", " : " (according to ", srcs[j]);
		}
		if (named)
			sr_buf_addc(&b, ')');
		ow_strings_free(docs, nd);
		ow_strings_free(srcs, ns);
		char ind1[48], ind[48];
		snprintf(ind1, sizeof ind1, "      %-11s ", newfield ? label : "");
		snprintf(ind, sizeof ind, "%18s", "");
		ow_wrap(out, b.ptr, width, ind1, ind);
		sr_buf_free(&b);
	}
	if (!shown)
		ow_puts(out, "  (none)\n");
	st_q_free(s);
	return step == ST_DONE || step == ST_ROW ? SR_OK : st_dberr(st, "disagreements");
}

static int
write_report(sr_store *st, const sr_filter *f, ow_sink *out)
{
	char since[11], cc[3];
	int rc = place_filters(st, f, since, cc);
	if (rc != SR_OK)
		return rc;
	int width = f->width > 0 ? f->width : 100;
	sr_store_stats ss;
	if ((rc = sr_store_stats_get(st, &ss)) != SR_OK)
		return rc;
	if (f->color)
		ow_puts(out, "\x1b[1m");
	ow_printf(out, "SITUATION as of %s", ss.as_of[0] ? ss.as_of : "(no dated report)");
	if (f->color)
		ow_puts(out, "\x1b[0m");
	ow_printf(out, "  -  %ld report%s, %ld event%s, %ld incident%s, %ld place%s%s\n",
		ss.documents, ss.documents == 1 ? "" : "s", ss.events, ss.events == 1 ? "" : "s",
		ss.incidents, ss.incidents == 1 ? "" : "s", ss.places, ss.places == 1 ? "" : "s",
		ss.fused ? "" : " (incidents not refreshed: read-only)");
	if (since[0] || cc[0] || f->place)
		ow_printf(out, "filter:%s%s%s%s%s%s\n", since[0] ? " since " : "", since,
			cc[0] ? " country " : "", cc, f->place ? " place " : "", f->place ? f->place : "");

	pmodel m;
	if ((rc = model_load(st, f, since, cc, 1, 0, 1, &m)) != SR_OK) {
		model_free(&m);
		return rc;
	}
	heading(out, f->color, "PLACES: who holds them (countries: see sitrep places)");
	if (m.n)
		place_table(&m, out, f->color, width, "  ");
	else if (f->place || cc[0])
		ow_printf(out, "  (no place with a known status matches%s%s%s%s)\n",
			f->place ? " --place " : "", f->place ? f->place : "",
			cc[0] ? " --country " : "", cc);
	else
		ow_puts(out, "  (no place with a known status)\n");
	report_underway(&m, out, f->color, width);
	model_free(&m);

	heading(out, f->color, "TIMELINE OF INCIDENTS");
	if ((rc = report_timeline(st, f, since, cc, ss.incidents, out, width)) != SR_OK)
		return rc;
	heading(out, f->color, "DISAGREEMENTS BETWEEN SOURCES");
	if ((rc = report_disagreements(st, f, since, cc, out, width)) != SR_OK)
		return rc;
	ow_puts(out, "\nsrc, r/s: reports / independent sources (attributions, else the outlet);"
	      " rep? reported,\nexp expected, den denied (no report asserts it); ! the reports"
	      " disagree\n");
	return SR_OK;
}

int
sr_store_report(sr_store *st, const sr_filter *f, sr_sink_fn fn, void *ctx)
{
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	int rc = write_report(st, f, out);
	if (ow_flush(out) != SR_OK && rc == SR_OK) {
		snprintf(st->err, sizeof st->err, "write error");
		rc = SR_ERR_IO;
	}
	free(out);
	return rc;
}

int
sr_store_write_report(sr_store *st, const sr_filter *f, FILE *out)
{
	int rc = sr_store_report(st, f, sr_sink_file, out);
	if (rc == SR_OK && fflush(out) != 0) {
		snprintf(st->err, sizeof st->err, "write error");
		return SR_ERR_IO;
	}
	return rc;
}
