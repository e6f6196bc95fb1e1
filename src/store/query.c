/*
 * query.c -- filters, and the rows of `sitrep events`, `incidents` and
 * `search`, paged (sr_store_query).
 *
 * A filter becomes a WHERE clause with bound parameters (never pasted
 * text).  Rows come from one SELECT each; the JSON pieces that belong to
 * a row (quantities, sources, reports) were made once at ingest and are
 * passed through.  Each row is built once in the row model of the output
 * layer (src/output) and written by the writer of the format asked for.
 * Orders are explicit and never depend on the order of ingestion
 * (documents sort by their key).
 */
#include "store_int.h"
#include "../output/out_int.h"

#include <ctype.h>
#include <stdlib.h>

/* ------------------------------------------------------------- filters */

typedef struct wh {
	sr_buf sql;
	const char *args[24];
	const char *type, *modality;
	sr_buf places, actors;  /* the entity ids f->place, f->actor name: "(1,2)" */
	int nargs;
	char since[11], until[11];
	char since_lo[11];      /* since less the widest date window of an event */
	int pg;                 /* PostgreSQL's SQL */
	char cc[3];
} wh;

/* Checks the filter's values; fills the date bounds. */
static int
check_filter(sr_store *st, const sr_filter *f, wh *w)
{
	memset(w, 0, sizeof *w);
	w->pg = st->pg != NULL;
	if (f->type && !sr_event_type_name(f->type)) {
		snprintf(st->err, sizeof st->err, "unknown event type %d", f->type);
		return SR_ERR_USAGE;
	}
	if (f->modality && !sr_modality_name(f->modality)) {
		snprintf(st->err, sizeof st->err, "unknown modality %d", f->modality);
		return SR_ERR_USAGE;
	}
	w->type = sr_event_type_name(f->type);
	w->modality = sr_modality_name(f->modality);
	int rc;
	if (f->place && (rc = st_entity_ids(st, f->place, 1, &w->places)) != SR_OK)
		return rc;
	if (f->actor && (rc = st_entity_ids(st, f->actor, 0, &w->actors)) != SR_OK)
		return rc;
	int32_t lo, hi;
	if (f->since) {
		if (!st_date_range(f->since, &lo, &hi)) {
			snprintf(st->err, sizeof st->err, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)",
				 f->since);
			return SR_ERR_USAGE;
		}
		st_date_str(lo, w->since);
		/* an event ending on since or later starts at most
		 * window_days before it: a bound the ordered indexes can seek
		 * to (without it, --since walked every earlier event of the
		 * type); a store that does not keep it gets a year and a day */
		char wd[32];
		st_meta_get(st, "window_days", wd, sizeof wd);
		long days = wd[0] ? atol(wd) : 366;
		if (days < 0)
			days = 366;
		st_date_str(lo - (int32_t)days, w->since_lo);
	}
	if (f->until) {
		if (!st_date_range(f->until, &lo, &hi)) {
			snprintf(st->err, sizeof st->err, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)",
				 f->until);
			return SR_ERR_USAGE;
		}
		st_date_str(hi, w->until);
	}
	if (f->country) {
		if (strlen(f->country) != 2 || !isalpha((unsigned char)f->country[0]) ||
		    !isalpha((unsigned char)f->country[1])) {
			snprintf(st->err, sizeof st->err, "bad country '%s' (ISO 3166-1 alpha-2, e.g. SY)",
				 f->country);
			return SR_ERR_USAGE;
		}
		w->cc[0] = (char)toupper((unsigned char)f->country[0]);
		w->cc[1] = (char)toupper((unsigned char)f->country[1]);
	}
	return SR_OK;
}

static void
cond(wh *w, const char *sql, const char *a, const char *b, const char *c)
{
	sr_buf_adds(&w->sql, w->sql.len ? " AND " : " WHERE ");
	sr_buf_adds(&w->sql, sql);
	if (a)
		w->args[w->nargs++] = a;
	if (b)
		w->args[w->nargs++] = b;
	if (c)
		w->args[w->nargs++] = c;
}

/* A condition "what IN (ids)" on a list of entity ids of st_entity_ids
 * (numbers this file made, no outside text). */
static void
cond_in(wh *w, const char *what, const sr_buf *ids, const char *after)
{
	sr_buf_adds(&w->sql, w->sql.len ? " AND " : " WHERE ");
	sr_buf_adds(&w->sql, what);
	sr_buf_adds(&w->sql, ids->ptr ? ids->ptr : "()");
	sr_buf_adds(&w->sql, after);
}

static void
wh_free(wh *w)
{
	sr_buf_free(&w->sql);
	sr_buf_free(&w->places);
	sr_buf_free(&w->actors);
}

/* Binds the filter's values, then LIMIT and OFFSET. */
static void
bind_args(st_q *s, const wh *w, long limit, long offset)
{
	for (int i = 0; i < w->nargs; i++)
		st_q_bind_text(s, i + 1, w->args[i]);
	st_q_bind_int(s, w->nargs + 1, limit > 0 ? limit : -1);
	st_q_bind_int(s, w->nargs + 2, offset);
}

static const char *
col(st_q *s, int i)
{
	return st_q_text(s, i);
}

static int
is_null(st_q *s, int i)
{
	return st_q_null(s, i);
}

/* An entity object at columns i.. (lexicon_id, name, text, kind,
 * country[, precision, lat, lon]), or null. */
static void
tree_entity(ow_row *r, ov *parent, const char *key, st_q *s, int i, int place)
{
	if (is_null(s, i + 1) && is_null(s, i + 2)) {
		ov_null(r, parent, key);
		return;
	}
	ov *o = ov_obj(r, parent, key);
	ov_str(r, o, "id", col(s, i));
	ov_str(r, o, "name", col(s, i + 1));
	ov_str(r, o, "text", col(s, i + 2));
	ov_str(r, o, "kind", col(s, i + 3));
	ov_str(r, o, "country", col(s, i + 4));
	if (place) {
		ov_str(r, o, "precision", col(s, i + 5));
		if (is_null(s, i + 6))
			ov_null(r, o, "lat");
		else
			ov_num(r, o, "lat", st_q_double(s, i + 6), 6);
		if (is_null(s, i + 7))
			ov_null(r, o, "lon");
		else
			ov_num(r, o, "lon", st_q_double(s, i + 7), 6);
	}
}

/* The name of the entity at columns i.. , else the report's words. */
static const char *
name_or_text(st_q *s, int i)
{
	return col(s, i + 1) ? col(s, i + 1) : col(s, i + 2);
}

static void
row_point(ow_row *r, st_q *s, int place)
{
	r->has_point = !is_null(s, place + 6) && !is_null(s, place + 7);
	r->lat = st_q_double(s, place + 6);
	r->lon = st_q_double(s, place + 7);
}

/* ACLED's geo_precision: 1 a site or town, 2 a region, 3 a country. */
static int
geo_precision(const char *p)
{
	if (!p)
		return 3;
	return !strcmp(p, "site") || !strcmp(p, "town") ? 1 : !strcmp(p, "region") ? 2 : 3;
}

static void
flat_coords(ow_row *r, st_q *s, int place)
{
	if (is_null(s, place + 6)) {
		ov_null(r, r->flat, "latitude");
		ov_null(r, r->flat, "longitude");
	} else {
		ov_num(r, r->flat, "latitude", st_q_double(s, place + 6), 6);
		ov_num(r, r->flat, "longitude", st_q_double(s, place + 7), 6);
	}
	if (name_or_text(s, place))
		ov_int(r, r->flat, "geo_precision", geo_precision(col(s, place + 5)));
	else
		ov_null(r, r->flat, "geo_precision");
}

/* ------------------------------------------------------------- paging */

/* A cursor is "o" and the number of rows already seen. */
static int
parse_cursor(sr_store *st, const char *c, long *offset)
{
	*offset = 0;
	if (!c || !*c)
		return SR_OK;
	char *end;
	if (c[0] != 'o' || !(c[1] >= '0' && c[1] <= '9') || strlen(c) > 16)
		goto bad;
	long v = strtol(c + 1, &end, 10);
	if (*end || v < 0)
		goto bad;
	*offset = v;
	return SR_OK;
bad:
	snprintf(st->err, sizeof st->err, "bad cursor '%.40s' (pass back the 'next' of a page)", c);
	return SR_ERR_USAGE;
}

/* Steps through the rows of s, at most page->limit (the statement asks
 * one more, to know whether there is a next page), building each with
 * build and writing it with w.  Sets page->next and page->rows. */
/* What the rows of one query share. */
typedef struct qctx {
	sr_store *st;
	st_areas *areas;        /* countries, admin1, ACLED's categories */
	int has_copies;         /* any copy of a report stored */
	int table;              /* the output is the table: it shows none of an
				   incident's reports, urls, notes or copies */
} qctx;

typedef void (*row_fn)(ow_row *r, st_q *s, qctx *q);

static int
run_rows(sr_store *st, st_q *s, row_fn build, ow_writer *w, sr_page *page, long offset)
{
	qctx q = {st, st_areas_new(st->lx), st_scalar(st, "SELECT EXISTS(SELECT 1 FROM doc_copies)") > 0,
		  w->fmt == SR_FMT_TABLE};
	ow_row r = {0};
	int step;
	long n = 0;
	page->next[0] = 0;
	while ((step = st_q_step(s)) == ST_ROW) {
		if (page->limit > 0 && n == page->limit) {
			snprintf(page->next, sizeof page->next, "o%ld", offset + n);
			step = ST_DONE;
			break;
		}
		ow_row_reset(&r);
		build(&r, s, &q);
		ow_write(w, &r);
		n++;
		if (w->out->err)
			break;
	}
	ow_row_free(&r);
	st_areas_free(q.areas);
	page->rows = n;
	if (step != ST_DONE && step != ST_ROW)
		return st_dberr(st, "query");
	return SR_OK;
}

/* Ends the writer and the sink: SR_ERR_IO when the sink stopped. */
static int
finish(sr_store *st, ow_writer *w, ow_sink *out, int rc)
{
	if (rc == SR_OK)
		ow_end(w);
	else
		ow_abort(w);
	if (ow_flush(out) != SR_OK && rc == SR_OK) {
		snprintf(st->err, sizeof st->err, "write error");
		return SR_ERR_IO;
	}
	return rc;
}

/* The other copies of a report (the same text from another outlet or
 * URL), of the documents that sql (one parameter: id) selects, as an
 * array of {doc, outlet, url, published}. */
static void
tree_copies(ow_row *r, ov *parent, qctx *q, const char *docs_sql, long long id)
{
	ov *a = ov_arr(r, parent, "copies");
	if (!q->has_copies)
		return;
	sr_buf sql = {0};
	sr_buf_printf(&sql, "SELECT name, outlet, url, published FROM doc_copies WHERE doc_id IN (%s)"
		      " ORDER BY name, outlet, url", docs_sql);
	st_q *s = st_q_prep(q->st, sql.ptr);
	sr_buf_free(&sql);
	if (!s)
		return;
	st_q_bind_int(s, 1, id);
	while (st_q_step(s) == ST_ROW) {
		ov *c = ov_obj(r, a, NULL);
		ov_strcpy(r, c, "doc", col(s, 0));
		ov_strcpy(r, c, "outlet", col(s, 1));
		ov_strcpy(r, c, "url", col(s, 2));
		ov_strcpy(r, c, "published", col(s, 3));
	}
	st_q_free(s);
}

/* ------------------------------------------------------------ ACLED */

/* The place's country and areas in ACLED's columns: iso (numeric),
 * country (name), admin1 (name); returns the ISO alpha-3 ("XXX" when
 * unknown) for event_id_cnty. */
static const char *
flat_areas(ow_row *r, st_q *s, int place, qctx *q)
{
	const char *cc = col(s, place + 4), *name, *a3;
	int num;
	if (st_country(q->areas, cc, &name, &a3, &num)) {
		ov_int(r, r->flat, "iso", num);
		ov_str(r, r->flat, "country", name);
	} else {
		ov_null(r, r->flat, "iso");
		ov_str(r, r->flat, "country", cc);
		a3 = "XXX";
	}
	ov_str(r, r->flat, "admin1", st_admin1(q->areas, col(s, place), col(s, place + 5), cc,
					       !is_null(s, place + 6), st_q_double(s, place + 6),
					       st_q_double(s, place + 7)));
	return a3;
}

/* ACLED's actor categories of actor (columns a..) and other (o..) at the
 * place's country: inter1, inter2, interaction (the two, smaller
 * first; one actor: inter1 * 10). */
static void
flat_inter(ow_row *r, st_q *s, int a, int o, int place, qctx *q)
{
	const char *pcc = col(s, place + 4);
	int i1 = 0, i2 = 0;
	if (!is_null(s, a + 1)) {
		const char *cc = col(s, a + 4);
		i1 = st_inter(q->areas, col(s, a + 3), cc && pcc && strcmp(cc, pcc));
	}
	if (!is_null(s, o + 1)) {
		const char *cc = col(s, o + 4);
		i2 = st_inter(q->areas, col(s, o + 3), cc && pcc && strcmp(cc, pcc));
	}
	ov_int(r, r->flat, "inter1", i1);
	ov_int(r, r->flat, "inter2", i2);
	int lo = i1 < i2 ? i1 : i2, hi = i1 < i2 ? i2 : i1;
	ov_int(r, r->flat, "interaction", !lo ? hi * 10 : lo * 10 + hi);
}

/* ACLED's event and sub-event type of a codes.tsv code, and the disorder
 * type. */
static void
flat_types(ow_row *r, const char *code, qctx *q)
{
	char et[128], sub[128];
	const char *disorder;
	st_acled_type(q->areas, code, et, sizeof et, sub, sizeof sub, &disorder);
	ov_str(r, r->flat, "disorder_type", disorder);
	ov_strcpy(r, r->flat, "event_type", code ? et : NULL);
	ov_strcpy(r, r->flat, "sub_event_type", code ? sub : NULL);
}

/* ACLED's timestamp: here the report's publication (midnight UTC) as Unix
 * time, so that the same store always exports the same file. */
static void
flat_timestamp(ow_row *r, const char *published)
{
	int32_t lo, hi;
	if (st_date_range(published, &lo, &hi) && published && strlen(published) == 10)
		ov_int(r, r->flat, "timestamp", (long long)lo * 86400);
	else
		ov_null(r, r->flat, "timestamp");
}

/* -------------------------------------------------------------- events */

/* The output columns of an event; FROM ... k is the page of event ids
 * chosen and ordered by the inner query (see events_query). */
#define EV_COLS \
	"SELECT e.id, d.name, e.n, e.type," \
	" a.lexicon_id, a.name, e.actor_text, a.kind, a.country," \
	" p.lexicon_id, p.name, e.place_text, p.kind, p.country, p.precision, p.lat, p.lon," \
	" o.lexicon_id, o.name, e.other_text, o.kind, o.country," \
	" e.date, e.date_precision, e.date_approx, e.date_text, e.modality," \
	" e.cameo, e.plover, e.acled, e.sentence, e.span_start, e.span_end, e.evidence," \
	" ie.incident_id, d.outlet, d.published, e.quantities, e.sources, e.source_names," \
	" e.killed, d.url"
#define EV_FROM \
	" CROSS JOIN events e ON e.id = k.id JOIN documents d ON d.id = e.doc_id" \
	" LEFT JOIN entities a ON a.id = e.actor_id" \
	" LEFT JOIN entities p ON p.id = e.place_id" \
	" LEFT JOIN entities o ON o.id = e.other_id" \
	" LEFT JOIN incident_events ie ON ie.event_id = e.id"

enum { EC_ID, EC_DOC, EC_N, EC_TYPE, EC_ACTOR, EC_PLACE = 9, EC_OTHER = 17, EC_DATE = 22,
       EC_DPREC, EC_DAPPROX, EC_DTEXT, EC_MOD, EC_CAMEO, EC_PLOVER, EC_ACLED, EC_SENT,
       EC_START, EC_END, EC_EVID, EC_INC, EC_OUTLET, EC_PUB, EC_QTY, EC_SRCS, EC_SRCNAMES,
       EC_KILLED, EC_URL };

/* The index the inner query of events walks: the filter that usually
 * narrows most (a place or country, an actor, a date bound, the type),
 * else events_order, which gives the order itself so that a LIMIT stops
 * early.  Chosen here rather than by the planner, which without
 * statistics would walk events_order for any query and fetch every row:
 * the plan, and so the time, does not depend on the data. */
static const char *
event_index(const sr_filter *f, const wh *w)
{
	if (f->place || w->cc[0])
		return "events_place_order";
	if (f->actor)
		return "events_actor";
	if (w->type)
		return "events_type_order";
	if (w->since[0])
		return "events_order";  /* from since_lo on (event_where) */
	if (w->until[0])
		return "events_date";
	return "events_order";
}

static void
event_where(const sr_filter *f, wh *w)
{
	if (w->type)
		cond(w, "e.type = ?", w->type, NULL, NULL);
	/* entities first, then their events through the index */
	if (f->actor)
		cond_in(w, "e.actor_id IN ", &w->actors, "");
	if (f->place)
		cond_in(w, "e.place_id IN ", &w->places, "");
	if (w->cc[0])
		cond(w, "e.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND country = ?)",
		     w->cc, NULL, NULL);
	if (w->since[0]) {
		/* dated events only, from since_lo on: the ordered indexes
		 * (date_lo IS NULL, date_lo, ...) seek to it */
		/* (PostgreSQL: "IS FALSE", which its planner matches to the
		 * index's first column and seeks with; "date_lo IS NOT NULL"
		 * walked every entry from the type's first one: 2.4-3.6 s for
		 * events --type deploy --since over a million events) */
		cond(w, w->pg ? "(e.date_lo IS NULL) IS FALSE" : "(e.date_lo IS NULL) = 0", NULL,
		     NULL, NULL);
		cond(w, "e.date_lo >= ?", w->since_lo, NULL, NULL);
		cond(w, "e.date_hi >= ?", w->since, NULL, NULL);
	}
	if (w->until[0])
		cond(w, "e.date_lo <= ?", w->until, NULL, NULL);
	if (w->modality)
		cond(w, "e.modality = ?", w->modality, NULL, NULL);
	if (f->source)
		/* the outlet and the source names, lower case, in one column */
		cond(w, "instr(e.source_search, lower(?)) > 0", f->source, NULL, NULL);
	if (f->incident)
		cond(w, "e.id IN (SELECT event_id FROM incident_events WHERE incident_id ="
		     " CAST(? AS INTEGER))", f->incident, NULL, NULL);
}

static const char *const event_csv[] = {
	/* ACLED's columns, where they mean the same */
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
	"sub_event_type", "actor1", "inter1", "actor2", "inter2", "interaction", "iso", "country",
	"admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
	"fatalities", "timestamp",
	/* sitrep's own */
	"sitrep_type", "modality", "date_precision", "date_approx", "actor1_id", "actor2_id",
	"location_id", "country_code", "cameo", "plover", "doc", "outlet", "published", "url",
	"span_start", "span_end", "incident_id", "event_id"};
static const char *const event_table[] = {"event_id", "event_date", "sitrep_type", "actor1",
	"location", "actor2", "modality", "doc"};
static const char *const event_table_head[] = {"id", "date", "type", "actor", "place", "other",
	"modality", "doc"};
static const int event_table_w[] = {7, 10, 12, -22, -26, -22, 10, 0};
static const ow_spec event_spec = {event_csv, SR_ARRAY_LEN(event_csv), event_table,
	event_table_head, event_table_w, SR_ARRAY_LEN(event_table), "event", "events", NULL};

static void
event_row(ow_row *r, st_q *s, qctx *q)
{
	ov *t = r->tree, *fl = r->flat;
	char buf[128];
	/* the record of DESIGN.md, plus event_id, incident, outlet, published, url */
	ov_str(r, t, "doc", col(s, EC_DOC));
	snprintf(buf, sizeof buf, "%s#%lld", col(s, EC_DOC), st_q_int(s, EC_N));
	ov_strcpy(r, t, "id", buf);
	ov_int(r, t, "event_id", st_q_int(s, EC_ID));
	ov_str(r, t, "type", col(s, EC_TYPE));
	tree_entity(r, t, "actor", s, EC_ACTOR, 0);
	tree_entity(r, t, "place", s, EC_PLACE, 1);
	tree_entity(r, t, "other", s, EC_OTHER, 0);
	ov *d = ov_obj(r, t, "date");
	ov_str(r, d, "value", col(s, EC_DATE));
	ov_str(r, d, "precision", col(s, EC_DPREC));
	ov_bool(r, d, "approx", st_q_int(s, EC_DAPPROX));
	ov_str(r, d, "text", col(s, EC_DTEXT));
	ov_json(r, t, "quantities", col(s, EC_QTY), "[]");
	ov_str(r, t, "modality", col(s, EC_MOD));
	ov_json(r, t, "sources", col(s, EC_SRCS), "[]");
	ov *c = ov_obj(r, t, "codes");
	ov_str(r, c, "cameo", col(s, EC_CAMEO));
	ov_str(r, c, "plover", col(s, EC_PLOVER));
	ov_str(r, c, "acled", col(s, EC_ACLED));
	ov_int(r, t, "sentence", st_q_int(s, EC_SENT));
	ov *sp = ov_arr(r, t, "span");
	ov_int(r, sp, NULL, st_q_int(s, EC_START));
	ov_int(r, sp, NULL, st_q_int(s, EC_END));
	ov_str(r, t, "evidence", col(s, EC_EVID));
	if (is_null(s, EC_INC))
		ov_null(r, t, "incident");
	else
		ov_int(r, t, "incident", st_q_int(s, EC_INC));
	ov_str(r, t, "outlet", col(s, EC_OUTLET));
	ov_str(r, t, "published", col(s, EC_PUB));
	ov_str(r, t, "url", col(s, EC_URL));
	tree_copies(r, t, q, "SELECT doc_id FROM events WHERE id = ?1", st_q_int(s, EC_ID));
	row_point(r, s, EC_PLACE);

	/* the flat columns: ACLED's names where they mean the same */
	const char *date = col(s, EC_DATE), *dprec = col(s, EC_DPREC);
	int approx = st_q_int(s, EC_DAPPROX);
	const char *a3 = flat_areas(r, s, EC_PLACE, q);
	snprintf(buf, sizeof buf, "%s%lld", a3, (long long)st_q_int(s, EC_ID));
	ov_strcpy(r, fl, "event_id_cnty", buf);
	ov_str(r, fl, "event_date", date);
	if (date) {
		snprintf(buf, sizeof buf, "%.4s", date);
		ov_int(r, fl, "year", atoi(buf));
		/* ACLED: 1 the day is known, 2 a day or so either side, 3 a
		 * month or more */
		ov_int(r, fl, "time_precision", dprec && !strcmp(dprec, "day") ? (approx ? 2 : 1) : 3);
	} else {
		ov_null(r, fl, "year");
		ov_null(r, fl, "time_precision");
	}
	flat_types(r, col(s, EC_ACLED), q);
	ov_str(r, fl, "actor1", name_or_text(s, EC_ACTOR));
	ov_str(r, fl, "actor2", name_or_text(s, EC_OTHER));
	flat_inter(r, s, EC_ACTOR, EC_OTHER, EC_PLACE, q);
	ov_str(r, fl, "location", name_or_text(s, EC_PLACE));
	flat_coords(r, s, EC_PLACE);
	/* the outlet, then whom the report attributes the event to */
	sr_buf src = {0};
	const char *outlet = col(s, EC_OUTLET), *names = col(s, EC_SRCNAMES);
	if (outlet)
		sr_buf_adds(&src, outlet);
	for (const char *p = names; p && *p;) {
		size_t k = strcspn(p, ";");
		if (!outlet || strlen(outlet) != k || strncmp(outlet, p, k))
			sr_buf_printf(&src, "%s%.*s", src.len ? "; " : "", (int)k, p);
		p += k;
		while (*p == ';' || *p == ' ')
			p++;
	}
	ov_strcpy(r, fl, "source", src.ptr);
	sr_buf_free(&src);
	ov_str(r, fl, "notes", col(s, EC_EVID));
	ov_num(r, fl, "fatalities", st_q_double(s, EC_KILLED), 0);
	flat_timestamp(r, col(s, EC_PUB));
	ov_str(r, fl, "sitrep_type", col(s, EC_TYPE));
	ov_str(r, fl, "modality", col(s, EC_MOD));
	ov_str(r, fl, "date_precision", dprec);
	ov_int(r, fl, "date_approx", approx);
	ov_str(r, fl, "actor1_id", col(s, EC_ACTOR));
	ov_str(r, fl, "actor2_id", col(s, EC_OTHER));
	ov_str(r, fl, "location_id", col(s, EC_PLACE));
	ov_str(r, fl, "country_code", col(s, EC_PLACE + 4));
	ov_str(r, fl, "cameo", col(s, EC_CAMEO));
	ov_str(r, fl, "plover", col(s, EC_PLOVER));
	ov_str(r, fl, "doc", col(s, EC_DOC));
	ov_str(r, fl, "outlet", outlet);
	ov_str(r, fl, "published", col(s, EC_PUB));
	ov_str(r, fl, "url", col(s, EC_URL));
	ov_int(r, fl, "span_start", st_q_int(s, EC_START));
	ov_int(r, fl, "span_end", st_q_int(s, EC_END));
	if (is_null(s, EC_INC))
		ov_null(r, fl, "incident_id");
	else
		ov_int(r, fl, "incident_id", st_q_int(s, EC_INC));
	ov_int(r, fl, "event_id", st_q_int(s, EC_ID));
}

static int
events_query(sr_store *st, const sr_filter *f, ow_writer *w, sr_page *page)
{
	wh ww;
	int rc = check_filter(st, f, &ww);
	long offset;
	if (rc == SR_OK)
		rc = parse_cursor(st, page->cursor, &offset);
	if (rc != SR_OK) {
		wh_free(&ww);
		return rc;
	}
	event_where(f, &ww);
	if (w->fmt == SR_FMT_GEOJSON)
		cond(&ww, "e.place_id IN (SELECT id FROM entities WHERE lat IS NOT NULL AND"
		     " lon IS NOT NULL)", NULL, NULL, NULL);
	/* Two steps in one statement (the index is chosen here, see
	 * event_index): the inner query picks and orders the ids
	 * (through the indexes on the filter columns, or the events_order
	 * index when nothing narrows), the outer one builds the rows of that
	 * page only.  k is materialized in order and CROSS JOIN keeps it the
	 * outer loop, so rows come out in k's order with no second sort. */
	sr_buf q = {0};
	sr_buf_adds(&q, EV_COLS " FROM (SELECT e.id FROM events e INDEXED BY ");
	sr_buf_adds(&q, event_index(f, &ww));
	if (ww.sql.ptr)
		sr_buf_adds(&q, ww.sql.ptr);
	/* (with --since every event is dated: the same order without the
	 * first term, which an index seek on date_lo would otherwise sort
	 * again) */
	sr_buf_adds(&q, ww.since[0] ? " ORDER BY e.date_lo, e.doc_key, e.n LIMIT ? OFFSET ?) k"
		    EV_FROM : " ORDER BY e.date_lo IS NULL, e.date_lo, e.doc_key, e.n LIMIT ? OFFSET ?) k"
		    EV_FROM);
	if (st->pg)     /* a join keeps no order there: k's, again */
		sr_buf_adds(&q, " ORDER BY e.date_lo IS NULL, e.date_lo, e.doc_key, e.n");
	st_q *s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s) {
		wh_free(&ww);
		return SR_ERR_DB;
	}
	bind_args(s, &ww, page->limit > 0 ? page->limit + 1 : -1, offset);
	rc = run_rows(st, s, event_row, w, page, offset);
	st_q_free(s);
	wh_free(&ww);
	return rc;
}

/* ----------------------------------------------------------- incidents */

/* The output columns of an incident, over the page of ids k (as for
 * events).  The reports are the members' precomputed report objects. */
#define INC_COLS \
	"SELECT i.id, i.type," \
	" a.lexicon_id, a.name, NULL, a.kind, a.country," \
	" p.lexicon_id, p.name, NULL, p.kind, p.country, p.precision, p.lat, p.lon," \
	" o.lexicon_id, o.name, NULL, o.kind, o.country," \
	" i.date, i.date_precision, i.date_lo, i.date_hi, i.modality, i.nevents, i.ndocs," \
	" i.nsources, i.sources, i.quantities," \
	" (SELECT '[' || group_concat(r, ',') || ']' FROM (SELECT e.report AS r" \
	"   FROM incident_events ie JOIN events e ON e.id = ie.event_id" \
	"   WHERE ie.incident_id = i.id ORDER BY ie.event_id) x)," \
	" i.ndisagreements, i.docs, i.modalities," \
	" (SELECT group_concat(u, ' ') FROM (SELECT d.url AS u FROM incident_events ie" \
	"   JOIN events e ON e.id = ie.event_id JOIN documents d ON d.id = e.doc_id" \
	"   WHERE ie.incident_id = i.id AND d.url IS NOT NULL UNION SELECT c.url" \
	"   FROM incident_events ie JOIN events e ON e.id = ie.event_id JOIN doc_copies c" \
	"   ON c.doc_id = e.doc_id WHERE ie.incident_id = i.id AND c.url IS NOT NULL" \
	"   ORDER BY 1) x)," \
	" (SELECT e.acled FROM incident_events ie JOIN events e ON e.id = ie.event_id" \
	"   WHERE ie.incident_id = i.id ORDER BY e.id LIMIT 1)," \
	" (SELECT e.evidence FROM incident_events ie JOIN events e ON e.id = ie.event_id" \
	"   WHERE ie.incident_id = i.id ORDER BY e.id LIMIT 1)," \
	" (SELECT max(e.killed) FROM incident_events ie JOIN events e ON e.id = ie.event_id" \
	"   WHERE ie.incident_id = i.id), i.first_published"
/* The same for the table, which shows none of the members' reports, urls,
 * categories, notes or fatalities: each read every member's row. */
#define INC_COLS_TABLE \
	"SELECT i.id, i.type," \
	" a.lexicon_id, a.name, NULL, a.kind, a.country," \
	" p.lexicon_id, p.name, NULL, p.kind, p.country, p.precision, p.lat, p.lon," \
	" o.lexicon_id, o.name, NULL, o.kind, o.country," \
	" i.date, i.date_precision, i.date_lo, i.date_hi, i.modality, i.nevents, i.ndocs," \
	" i.nsources, i.sources, i.quantities, NULL, i.ndisagreements, i.docs, i.modalities," \
	" NULL, NULL, NULL, NULL, i.first_published"
#define INC_FROM \
	" CROSS JOIN incidents i ON i.id = k.id" \
	" LEFT JOIN entities a ON a.id = i.actor_id" \
	" LEFT JOIN entities p ON p.id = i.place_id" \
	" LEFT JOIN entities o ON o.id = i.other_id"

enum { IC_ID, IC_TYPE, IC_ACTOR, IC_PLACE = 7, IC_OTHER = 15, IC_DATE = 20, IC_DPREC, IC_DLO,
       IC_DHI, IC_MOD, IC_NEV, IC_NDOC, IC_NSRC, IC_SRCS, IC_QTY, IC_REPORTS, IC_NDIS,
       IC_DOCS, IC_MODS, IC_URLS, IC_ACLED, IC_EVID, IC_KILLED, IC_PUB };

static void
incident_where(const sr_filter *f, wh *w)
{
	if (w->type)
		cond(w, "i.type = ?", w->type, NULL, NULL);
	if (f->actor)
		cond_in(w, "EXISTS(SELECT 1 FROM incident_events ie JOIN events e ON e.id = ie.event_id"
			" WHERE ie.incident_id = i.id AND e.actor_id IN ", &w->actors, ")");
	if (f->place)
		cond_in(w, "i.place_id IN ", &w->places, "");
	if (w->cc[0])
		cond(w, "i.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND country = ?)",
		     w->cc, NULL, NULL);
	if (w->since[0])
		cond(w, "i.date_hi >= ?", w->since, NULL, NULL);
	if (w->until[0])
		cond(w, "i.date_lo <= ?", w->until, NULL, NULL);
	if (w->modality)
		cond(w, "instr(',' || i.modalities || ',', ',' || ? || ',') > 0", w->modality, NULL, NULL);
	if (f->source)
		cond(w, "instr(lower(i.sources), lower(?)) > 0", f->source, NULL, NULL);
	if (f->incident)
		cond(w, "i.id = CAST(? AS INTEGER)", f->incident, NULL, NULL);
	if (f->disagree)
		cond(w, "i.ndisagreements > 0", NULL, NULL, NULL);
}

static const char *const incident_csv[] = {
	/* ACLED's columns, where they mean the same */
	"event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
	"sub_event_type", "actor1", "inter1", "actor2", "inter2", "interaction", "iso", "country",
	"admin1", "location", "latitude", "longitude", "geo_precision", "source", "notes",
	"fatalities", "timestamp",
	/* sitrep's own */
	"sitrep_type", "modality", "date_from", "date_to", "reports", "docs", "nsources",
	"disagreements", "disagreement_detail", "actor1_id", "actor2_id", "location_id",
	"country_code", "url", "incident_id"};
static const char *const incident_table[] = {"incident_id", "event_date", "sitrep_type",
	"actor1", "location", "actor2", "modality", "reports", "nsources", "_disagree"};
static const char *const incident_table_head[] = {"#", "date", "type", "actor", "place",
	"other", "modality", "rep", "src", "!"};
static const int incident_table_w[] = {6, 10, 12, -30, -40, 0, 10, 3, 3, 1};
static const ow_spec incident_spec = {incident_csv, SR_ARRAY_LEN(incident_csv), incident_table,
	incident_table_head, incident_table_w, SR_ARRAY_LEN(incident_table), "incident",
	"incidents", "; rep reports, src independent sources, ! reports disagree: --format jsonl"};

/* The disagreements of incident id as an array of {field, value, events,
 * docs, sources}, in the order fusion wrote them. */
static void
tree_disagreements(ow_row *r, ov *parent, sr_store *st, long long id, int n)
{
	ov *a = ov_arr(r, parent, "disagreements");
	if (n <= 0)
		return;
	st_q *s = st_q_prep(st, "SELECT field, value, events, docs, sources"
				     " FROM disagreements WHERE incident_id = ?1 ORDER BY id");
	if (!s)
		return;
	st_q_bind_int(s, 1, id);
	while (st_q_step(s) == ST_ROW) {
		ov *g = ov_obj(r, a, NULL);
		ov_strcpy(r, g, "field", col(s, 0));
		ov_strcpy(r, g, "value", col(s, 1));
		for (int k = 2; k <= 4; k++) {
			const char *j = col(s, k);
			ov_json(r, g, k == 2 ? "events" : k == 3 ? "docs" : "sources",
				j ? sr_arena_strndup(&r->a, j, strlen(j)) : NULL, "[]");
		}
	}
	st_q_free(s);
}

static void
incident_row(ow_row *r, st_q *s, qctx *q)
{
	sr_store *st = q->st;
	ov *t = r->tree, *fl = r->flat;
	char buf[128];
	long long id = st_q_int(s, IC_ID);
	int ndis = st_q_int(s, IC_NDIS);
	ov_int(r, t, "incident", id);
	ov_str(r, t, "type", col(s, IC_TYPE));
	tree_entity(r, t, "actor", s, IC_ACTOR, 0);
	tree_entity(r, t, "place", s, IC_PLACE, 1);
	tree_entity(r, t, "other", s, IC_OTHER, 0);
	ov *d = ov_obj(r, t, "date");
	ov_str(r, d, "value", col(s, IC_DATE));
	ov_str(r, d, "precision", col(s, IC_DPREC));
	ov_str(r, d, "from", col(s, IC_DLO));
	ov_str(r, d, "to", col(s, IC_DHI));
	ov_str(r, t, "modality", col(s, IC_MOD));
	ov_int(r, t, "nreports", st_q_int(s, IC_NEV));
	ov_int(r, t, "ndocs", st_q_int(s, IC_NDOC));
	ov_int(r, t, "nsources", st_q_int(s, IC_NSRC));
	ov_json(r, t, "sources", col(s, IC_SRCS), "[]");
	ov_json(r, t, "quantities", col(s, IC_QTY), "[]");
	ov_json(r, t, "reports", col(s, IC_REPORTS), "[]");
	if (!q->table) {
		tree_disagreements(r, t, st, id, ndis);
		tree_copies(r, t, q, "SELECT e.doc_id FROM incident_events ie JOIN events e"
			    " ON e.id = ie.event_id WHERE ie.incident_id = ?1", id);
	}
	row_point(r, s, IC_PLACE);

	/* the urls of its reports */
	const char *urls = col(s, IC_URLS);
	ov *ua = ov_arr(r, t, "urls");
	for (const char *p = urls; p && *p;) {
		size_t k = strcspn(p, " ");
		char *u = sr_arena_strndup(&r->a, p, k);
		ov_str(r, ua, NULL, u);
		p += k + (p[k] == ' ');
	}

	const char *date = col(s, IC_DATE), *dprec = col(s, IC_DPREC);
	const char *a3 = flat_areas(r, s, IC_PLACE, q);
	snprintf(buf, sizeof buf, "%sI%lld", a3, (long long)id);
	ov_strcpy(r, fl, "event_id_cnty", buf);
	ov_str(r, fl, "event_date", date);
	if (date) {
		snprintf(buf, sizeof buf, "%.4s", date);
		ov_int(r, fl, "year", atoi(buf));
		ov_int(r, fl, "time_precision", dprec && !strcmp(dprec, "day") ? 1 : 3);
	} else {
		ov_null(r, fl, "year");
		ov_null(r, fl, "time_precision");
	}
	flat_types(r, col(s, IC_ACLED), q);
	ov_str(r, fl, "actor1", col(s, IC_ACTOR + 1));
	ov_str(r, fl, "actor2", col(s, IC_OTHER + 1));
	flat_inter(r, s, IC_ACTOR, IC_OTHER, IC_PLACE, q);
	ov_str(r, fl, "location", col(s, IC_PLACE + 1));
	flat_coords(r, s, IC_PLACE);
	/* the independent sources, "; " between */
	char **names;
	size_t nn = ow_json_strings(col(s, IC_SRCS), &names);
	sr_buf src = {0};
	for (size_t k = 0; k < nn; k++)
		sr_buf_printf(&src, "%s%s", k ? "; " : "", names[k]);
	ow_strings_free(names, nn);
	ov_strcpy(r, fl, "source", src.ptr);
	sr_buf_free(&src);
	ov_str(r, fl, "notes", col(s, IC_EVID));
	ov_num(r, fl, "fatalities", st_q_double(s, IC_KILLED), 0);
	flat_timestamp(r, col(s, IC_PUB));
	ov_str(r, fl, "sitrep_type", col(s, IC_TYPE));
	ov_str(r, fl, "modality", col(s, IC_MODS));
	ov_str(r, fl, "date_from", col(s, IC_DLO));
	ov_str(r, fl, "date_to", col(s, IC_DHI));
	ov_int(r, fl, "reports", st_q_int(s, IC_NEV));
	ov_str(r, fl, "docs", col(s, IC_DOCS));
	ov_int(r, fl, "nsources", st_q_int(s, IC_NSRC));
	ov_int(r, fl, "disagreements", ndis > 0);
	/* the disagreements, as JSON text */
	if (ndis > 0) {
		sr_buf b = {0};
		ov_text(&b, ov_get(t, "disagreements"));
		ov_strcpy(r, fl, "disagreement_detail", b.ptr);
		sr_buf_free(&b);
	} else {
		ov_null(r, fl, "disagreement_detail");
	}
	ov_str(r, fl, "actor1_id", col(s, IC_ACTOR));
	ov_str(r, fl, "actor2_id", col(s, IC_OTHER));
	ov_str(r, fl, "location_id", col(s, IC_PLACE));
	ov_str(r, fl, "country_code", col(s, IC_PLACE + 4));
	ov_str(r, fl, "url", urls);
	ov_str(r, fl, "_disagree", ndis > 0 ? "!" : "");
	ov_int(r, fl, "incident_id", id);
}

static int
incidents_query(sr_store *st, const sr_filter *f, ow_writer *w, sr_page *page)
{
	wh ww;
	int rc = check_filter(st, f, &ww);
	long offset;
	if (rc == SR_OK)
		rc = parse_cursor(st, page->cursor, &offset);
	if (rc != SR_OK) {
		wh_free(&ww);
		return rc;
	}
	incident_where(f, &ww);
	if (w->fmt == SR_FMT_GEOJSON)
		cond(&ww, "i.place_id IN (SELECT id FROM entities WHERE lat IS NOT NULL AND"
		     " lon IS NOT NULL)", NULL, NULL, NULL);
	sr_buf q = {0};
	sr_buf_adds(&q, w->fmt == SR_FMT_TABLE ? INC_COLS_TABLE : INC_COLS);
	sr_buf_adds(&q, " FROM (SELECT i.id FROM incidents i");
	if (ww.sql.ptr)
		sr_buf_adds(&q, ww.sql.ptr);
	sr_buf_adds(&q, " ORDER BY i.id LIMIT ? OFFSET ?) k" INC_FROM);
	if (st->pg)     /* a join keeps no order there: k's, again */
		sr_buf_adds(&q, " ORDER BY i.id");
	st_q *s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s) {
		wh_free(&ww);
		return SR_ERR_DB;
	}
	bind_args(s, &ww, page->limit > 0 ? page->limit + 1 : -1, offset);
	rc = run_rows(st, s, incident_row, w, page, offset);
	st_q_free(s);
	wh_free(&ww);
	return rc;
}

/* --------------------------------------------------------------- query */

int
sr_store_query(sr_store *st, int what, const sr_filter *f, int fmt, sr_page *page,
	       sr_sink_fn fn, void *ctx)
{
	if (fmt < SR_FMT_TABLE || fmt > SR_FMT_JSON) {
		snprintf(st->err, sizeof st->err, "unknown format %d", fmt);
		return SR_ERR_USAGE;
	}
	if (what == SR_Q_PLACES)
		return st_places_query(st, f, fmt, page, fn, ctx);
	if (what != SR_Q_EVENTS && what != SR_Q_INCIDENTS) {
		snprintf(st->err, sizeof st->err, "unknown query %d", what);
		return SR_ERR_USAGE;
	}
	int rc = st_ensure_fused(st);
	if (rc != SR_OK)
		return rc;
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	ow_writer w;
	ow_begin(&w, fmt, what == SR_Q_EVENTS ? &event_spec : &incident_spec, out, f->color, f->width);
	rc = what == SR_Q_EVENTS ? events_query(st, f, &w, page) : incidents_query(st, f, &w, page);
	rc = finish(st, &w, out, rc);
	free(out);
	return rc;
}

static int
write_file(sr_store *st, int what, const sr_filter *f, int fmt, FILE *out)
{
	sr_page page = {0};
	page.limit = f->limit;
	int rc = sr_store_query(st, what, f, fmt, &page, sr_sink_file, out);
	if (rc == SR_OK && fflush(out) != 0) {
		snprintf(st->err, sizeof st->err, "write error");
		return SR_ERR_IO;
	}
	return rc;
}

int
sr_store_write_events(sr_store *st, const sr_filter *f, int fmt, FILE *out)
{
	return write_file(st, SR_Q_EVENTS, f, fmt, out);
}

int
sr_store_write_incidents(sr_store *st, const sr_filter *f, int fmt, FILE *out)
{
	return write_file(st, SR_Q_INCIDENTS, f, fmt, out);
}

int
sr_store_write_places(sr_store *st, const sr_filter *f, int fmt, FILE *out)
{
	return write_file(st, SR_Q_PLACES, f, fmt, out);
}

/* ------------------------------------------------------ incidents per day */

/* (added for the server's /api/timeline: the chart under the map) */
int
sr_store_count_incidents(sr_store *st, const sr_filter *f, sr_sink_fn fn, void *ctx)
{
	wh ww;
	int rc = check_filter(st, f, &ww);
	if (rc == SR_OK)
		rc = st_ensure_fused(st);
	if (rc != SR_OK) {
		wh_free(&ww);
		return rc;
	}
	incident_where(f, &ww);
	sr_buf q = {0};
	sr_buf_adds(&q, "SELECT i.date, i.date_precision, i.type, count(*) FROM incidents i");
	if (ww.sql.ptr)
		sr_buf_adds(&q, ww.sql.ptr);
	/* (no LIMIT: bind_args's LIMIT and OFFSET have no parameter here) */
	sr_buf_adds(&q, " GROUP BY i.date, i.date_precision, i.type"
		    " ORDER BY i.date IS NULL, i.date, i.date_precision, i.type");
	st_q *s = st_q_prep(st, q.ptr);
	sr_buf_free(&q);
	if (!s) {
		wh_free(&ww);
		return SR_ERR_DB;
	}
	bind_args(s, &ww, -1, 0);
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	ow_puts(out, "[");
	int step;
	long n = 0;
	while ((step = st_q_step(s)) == ST_ROW) {
		ow_puts(out, n++ ? ",\n{\"date\":" : "\n{\"date\":");
		ow_json_str(out, col(s, 0));
		ow_puts(out, ",\"precision\":");
		ow_json_str(out, col(s, 1));
		ow_puts(out, ",\"type\":");
		ow_json_str(out, col(s, 2));
		ow_printf(out, ",\"incidents\":%lld}", (long long)st_q_int(s, 3));
	}
	ow_puts(out, "\n]\n");
	rc = step == ST_DONE ? SR_OK : st_dberr(st, "counting incidents");
	st_q_free(s);
	wh_free(&ww);
	if (ow_flush(out) != SR_OK && rc == SR_OK) {
		snprintf(st->err, sizeof st->err, "write error");
		rc = SR_ERR_IO;
	}
	free(out);
	return rc;
}
