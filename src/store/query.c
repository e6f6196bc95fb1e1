/*
 * query.c -- filters and the writers of `sitrep events`, `incidents`,
 * `places` and `search`, in four formats.
 *
 * A filter becomes a WHERE clause with bound parameters (never pasted
 * text).  Rows come from one SELECT each; the JSON pieces that belong to
 * a row (quantities, sources, reports, disagreements) are built by SQLite
 * (json_group_array) in correlated subqueries, so a query over 100,000
 * events is one pass.  Orders are explicit and never depend on the order
 * of ingestion (documents sort by their key).
 */
#include "store_int.h"

#include <ctype.h>
#include <stdlib.h>

static const char *const event_types[] = {"withdraw", "take_control", "deploy", "attack",
	"transfer_detainees", "agreement"};
static const char *const modalities[] = {"asserted", "reported_unconfirmed", "expected", "denied"};

/* ------------------------------------------------------------- filters */

typedef struct wh {
	sr_buf sql;
	const char *args[24];
	int nargs;
	char since[11], until[11];
	char cc[3];
} wh;

static int
in_list(const char *v, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v, list[i]))
			return 1;
	return 0;
}

/* Checks the filter's values; fills the date bounds. */
static int
check_filter(sr_store *st, const sr_filter *f, wh *w)
{
	memset(w, 0, sizeof *w);
	if (f->type && !in_list(f->type, event_types, SR_ARRAY_LEN(event_types))) {
		snprintf(st->err, sizeof st->err, "unknown event type '%s' (withdraw, take_control,"
			 " deploy, attack, transfer_detainees, agreement)", f->type);
		return SR_ERR_USAGE;
	}
	if (f->modality && !in_list(f->modality, modalities, SR_ARRAY_LEN(modalities))) {
		snprintf(st->err, sizeof st->err, "unknown modality '%s' (asserted,"
			 " reported_unconfirmed, expected, denied)", f->modality);
		return SR_ERR_USAGE;
	}
	int32_t lo, hi;
	if (f->since) {
		if (!st_date_range(f->since, &lo, &hi)) {
			snprintf(st->err, sizeof st->err, "bad date '%s' (YYYY, YYYY-MM or YYYY-MM-DD)",
				 f->since);
			return SR_ERR_USAGE;
		}
		st_date_str(lo, w->since);
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

static void
bind_args(sqlite3_stmt *s, const wh *w, long limit)
{
	for (int i = 0; i < w->nargs; i++)
		sqlite3_bind_text(s, i + 1, w->args[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, w->nargs + 1, limit > 0 ? limit : -1);
}

static const char *
col(sqlite3_stmt *s, int i)
{
	return (const char *)sqlite3_column_text(s, i);
}

static void
json_num_or_null(FILE *out, sqlite3_stmt *s, int i)
{
	if (sqlite3_column_type(s, i) == SQLITE_NULL)
		fputs("null", out);
	else
		fprintf(out, "%.6f", sqlite3_column_double(s, i));
}

/* A JSON object for an entity at columns i.. (lexicon_id, name, text,
 * kind, country[, precision, lat, lon]). */
static void
json_entity(FILE *out, sqlite3_stmt *s, int i, int place)
{
	if (sqlite3_column_type(s, i + 1) == SQLITE_NULL && sqlite3_column_type(s, i + 2) == SQLITE_NULL) {
		fputs("null", out);
		return;
	}
	fputs("{\"id\":", out);
	st_json(out, col(s, i));
	fputs(",\"name\":", out);
	st_json(out, col(s, i + 1));
	fputs(",\"text\":", out);
	st_json(out, col(s, i + 2));
	fputs(",\"kind\":", out);
	st_json(out, col(s, i + 3));
	fputs(",\"country\":", out);
	st_json(out, col(s, i + 4));
	if (place) {
		fputs(",\"precision\":", out);
		st_json(out, col(s, i + 5));
		fputs(",\"lat\":", out);
		json_num_or_null(out, s, i + 6);
		fputs(",\"lon\":", out);
		json_num_or_null(out, s, i + 7);
	}
	fputc('}', out);
}

static const char *
or_dash(const char *s)
{
	return s && *s ? s : "-";
}

static int
finish(sr_store *st, sqlite3_stmt *s, int step, FILE *out)
{
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "query");
	if (fflush(out) != 0) {
		snprintf(st->err, sizeof st->err, "write error");
		return SR_ERR_IO;
	}
	return SR_OK;
}

/* -------------------------------------------------------------- events */

/* The output columns of an event; FROM ... k is the page of event ids
 * chosen and ordered by the inner query (see sr_store_write_events). */
#define EV_COLS \
	"SELECT e.id, d.name, e.n, e.type," \
	" a.lexicon_id, a.name, e.actor_text, a.kind, a.country," \
	" p.lexicon_id, p.name, e.place_text, p.kind, p.country, p.precision, p.lat, p.lon," \
	" o.lexicon_id, o.name, e.other_text, o.kind, o.country," \
	" e.date, e.date_precision, e.date_approx, e.date_text, e.modality," \
	" e.cameo, e.plover, e.acled, e.sentence, e.span_start, e.span_end, e.evidence," \
	" ie.incident_id, d.outlet, d.published, e.quantities, e.sources, e.source_names," \
	" e.killed"
#define EV_FROM \
	" CROSS JOIN events e ON e.id = k.id JOIN documents d ON d.id = e.doc_id" \
	" LEFT JOIN entities a ON a.id = e.actor_id" \
	" LEFT JOIN entities p ON p.id = e.place_id" \
	" LEFT JOIN entities o ON o.id = e.other_id" \
	" LEFT JOIN incident_events ie ON ie.event_id = e.id"

enum { EC_ID, EC_DOC, EC_N, EC_TYPE, EC_ACTOR, EC_PLACE = 9, EC_OTHER = 17, EC_DATE = 22,
       EC_DPREC, EC_DAPPROX, EC_DTEXT, EC_MOD, EC_CAMEO, EC_PLOVER, EC_ACLED, EC_SENT,
       EC_START, EC_END, EC_EVID, EC_INC, EC_OUTLET, EC_PUB, EC_QTY, EC_SRCS, EC_SRCNAMES,
       EC_KILLED };

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
		return "events_place";
	if (f->actor)
		return "events_actor";
	if (w->since[0])
		return "events_date_hi";
	if (w->until[0])
		return "events_date";
	if (f->type)
		return "events_type";
	return "events_order";
}

static void
event_where(const sr_filter *f, wh *w)
{
	if (f->type)
		cond(w, "e.type = ?", f->type, NULL, NULL);
	/* entities first, then their events through the index */
	if (f->actor)
		cond(w, "e.actor_id IN (SELECT id FROM entities WHERE is_place = 0 AND"
		     " (lexicon_id = ? OR instr(lower(name), lower(?)) > 0))", f->actor, f->actor, NULL);
	if (f->place)
		cond(w, "e.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND"
		     " (lexicon_id = ? OR instr(lower(name), lower(?)) > 0))", f->place, f->place, NULL);
	if (w->cc[0])
		cond(w, "e.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND country = ?)",
		     w->cc, NULL, NULL);
	if (w->since[0])
		cond(w, "e.date_hi >= ?", w->since, NULL, NULL);
	if (w->until[0])
		cond(w, "e.date_lo <= ?", w->until, NULL, NULL);
	if (f->modality)
		cond(w, "e.modality = ?", f->modality, NULL, NULL);
	if (f->source)
		/* the outlet and the source names, lower case, in one column */
		cond(w, "instr(e.source_search, lower(?)) > 0", f->source, NULL, NULL);
}

/* A JSON array column, "[]" when NULL. */
static const char *
or_list(const char *s)
{
	return s && *s ? s : "[]";
}

static void
event_jsonl(FILE *out, sqlite3_stmt *s, int nl)
{
	fputs("{\"doc\":", out);
	st_json(out, col(s, EC_DOC));
	fprintf(out, ",\"id\":\"%s#%d\",\"event_id\":%lld,\"type\":", col(s, EC_DOC),
		sqlite3_column_int(s, EC_N), (long long)sqlite3_column_int64(s, EC_ID));
	st_json(out, col(s, EC_TYPE));
	fputs(",\"actor\":", out);
	json_entity(out, s, EC_ACTOR, 0);
	fputs(",\"place\":", out);
	json_entity(out, s, EC_PLACE, 1);
	fputs(",\"other\":", out);
	json_entity(out, s, EC_OTHER, 0);
	fputs(",\"date\":{\"value\":", out);
	st_json(out, col(s, EC_DATE));
	fputs(",\"precision\":", out);
	st_json(out, col(s, EC_DPREC));
	fprintf(out, ",\"approx\":%s,\"text\":", sqlite3_column_int(s, EC_DAPPROX) ? "true" : "false");
	st_json(out, col(s, EC_DTEXT));
	fprintf(out, "},\"quantities\":%s,\"modality\":", or_list(col(s, EC_QTY)));
	st_json(out, col(s, EC_MOD));
	fprintf(out, ",\"sources\":%s,\"codes\":{\"cameo\":", or_list(col(s, EC_SRCS)));
	st_json(out, col(s, EC_CAMEO));
	fputs(",\"plover\":", out);
	st_json(out, col(s, EC_PLOVER));
	fputs(",\"acled\":", out);
	st_json(out, col(s, EC_ACLED));
	fprintf(out, "},\"sentence\":%d,\"span\":[%lld,%lld],\"evidence\":",
		sqlite3_column_int(s, EC_SENT), (long long)sqlite3_column_int64(s, EC_START),
		(long long)sqlite3_column_int64(s, EC_END));
	st_json(out, col(s, EC_EVID));
	fputs(",\"incident\":", out);
	if (sqlite3_column_type(s, EC_INC) == SQLITE_NULL)
		fputs("null", out);
	else
		fprintf(out, "%lld", (long long)sqlite3_column_int64(s, EC_INC));
	fputs(",\"outlet\":", out);
	st_json(out, col(s, EC_OUTLET));
	fputs(",\"published\":", out);
	st_json(out, col(s, EC_PUB));
	fputs(nl ? "}\n" : "}", out);
}

static const char *const event_csv_head[] = {
	"event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
	"actor1", "actor2", "country", "location", "latitude", "longitude", "geo_precision",
	"source", "notes", "fatalities",
	"sitrep_type", "modality", "date_precision", "date_approx", "actor1_id", "actor2_id",
	"location_id", "cameo", "plover", "doc", "span_start", "span_end", "incident_id"};

static int
geo_precision(const char *p)
{
	if (!p)
		return 3;
	return !strcmp(p, "site") || !strcmp(p, "town") ? 1 : !strcmp(p, "region") ? 2 : 3;
}

static void
event_csv(FILE *out, sqlite3_stmt *s)
{
	char buf[64];
	const char *date = col(s, EC_DATE);
	const char *dprec = col(s, EC_DPREC);
	int approx = sqlite3_column_int(s, EC_DAPPROX);
	snprintf(buf, sizeof buf, "%s-%lld", col(s, EC_PLACE + 4) ? col(s, EC_PLACE + 4) : "XX",
		 (long long)sqlite3_column_int64(s, EC_ID));
	st_csv_field(out, buf, 0);
	st_csv_field(out, date, 0);
	snprintf(buf, sizeof buf, "%.4s", date ? date : "");
	st_csv_field(out, buf, 0);
	/* ACLED: 1 the day is known, 2 a day or so either side, 3 a month or more */
	snprintf(buf, sizeof buf, "%d", !date ? 3 : (dprec && !strcmp(dprec, "day")) ? (approx ? 2 : 1) : 3);
	st_csv_field(out, date ? buf : "", 0);
	char et[128] = "", sub[128] = "";
	const char *acled = col(s, EC_ACLED);
	if (acled) {
		const char *slash = strchr(acled, '/');
		if (slash) {
			snprintf(et, sizeof et, "%.*s", (int)(slash - acled), acled);
			snprintf(sub, sizeof sub, "%s", slash + 1);
		} else {
			snprintf(et, sizeof et, "%s", acled);
		}
	}
	st_csv_field(out, et, 0);
	st_csv_field(out, sub, 0);
	st_csv_field(out, col(s, EC_ACTOR + 1) ? col(s, EC_ACTOR + 1) : col(s, EC_ACTOR + 2), 0);
	st_csv_field(out, col(s, EC_OTHER + 1) ? col(s, EC_OTHER + 1) : col(s, EC_OTHER + 2), 0);
	st_csv_field(out, col(s, EC_PLACE + 4), 0);
	st_csv_field(out, col(s, EC_PLACE + 1) ? col(s, EC_PLACE + 1) : col(s, EC_PLACE + 2), 0);
	if (sqlite3_column_type(s, EC_PLACE + 6) != SQLITE_NULL) {
		snprintf(buf, sizeof buf, "%.6f", sqlite3_column_double(s, EC_PLACE + 6));
		st_csv_field(out, buf, 0);
		snprintf(buf, sizeof buf, "%.6f", sqlite3_column_double(s, EC_PLACE + 7));
		st_csv_field(out, buf, 0);
	} else {
		st_csv_field(out, "", 0);
		st_csv_field(out, "", 0);
	}
	snprintf(buf, sizeof buf, "%d", geo_precision(col(s, EC_PLACE + 5)));
	st_csv_field(out, col(s, EC_PLACE + 1) ? buf : "", 0);
	const char *src = col(s, EC_SRCNAMES);
	st_csv_field(out, src ? src : col(s, EC_OUTLET), 0);
	st_csv_field(out, col(s, EC_EVID), 0);
	snprintf(buf, sizeof buf, "%.0f", sqlite3_column_double(s, EC_KILLED));
	st_csv_field(out, buf, 0);
	st_csv_field(out, col(s, EC_TYPE), 0);
	st_csv_field(out, col(s, EC_MOD), 0);
	st_csv_field(out, dprec, 0);
	st_csv_field(out, approx ? "1" : "0", 0);
	st_csv_field(out, col(s, EC_ACTOR), 0);
	st_csv_field(out, col(s, EC_OTHER), 0);
	st_csv_field(out, col(s, EC_PLACE), 0);
	st_csv_field(out, col(s, EC_CAMEO), 0);
	st_csv_field(out, col(s, EC_PLOVER), 0);
	st_csv_field(out, col(s, EC_DOC), 0);
	snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, EC_START));
	st_csv_field(out, buf, 0);
	snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, EC_END));
	st_csv_field(out, buf, 0);
	snprintf(buf, sizeof buf, "%lld", (long long)sqlite3_column_int64(s, EC_INC));
	st_csv_field(out, sqlite3_column_type(s, EC_INC) == SQLITE_NULL ? "" : buf, 1);
}

static void
geojson_point(FILE *out, double lat, double lon)
{
	fprintf(out, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[%.6f,%.6f]},"
		"\"properties\":", lon, lat);
}

int
sr_store_write_events(sr_store *st, const sr_filter *f, int fmt, FILE *out)
{
	wh w;
	int rc = check_filter(st, f, &w);
	if (rc != SR_OK)
		return rc;
	if ((rc = st_ensure_fused(st)) != SR_OK)
		return rc;
	event_where(f, &w);
	if (fmt == SR_FMT_GEOJSON)
		cond(&w, "e.place_id IN (SELECT id FROM entities WHERE lat IS NOT NULL AND"
		     " lon IS NOT NULL)", NULL, NULL, NULL);
	/* Two steps in one statement (the index is chosen here, see
	 * event_index): the inner query picks and orders the ids
	 * (through the indexes on the filter columns, or the events_order
	 * index when nothing narrows), the outer one builds the rows of that
	 * page only.  k is materialized in order and CROSS JOIN keeps it the
	 * outer loop, so rows come out in k's order with no second sort. */
	sr_buf q = {0};
	sr_buf_adds(&q, EV_COLS " FROM (SELECT e.id FROM events e INDEXED BY ");
	sr_buf_adds(&q, event_index(f, &w));
	if (w.sql.ptr)
		sr_buf_adds(&q, w.sql.ptr);
	sr_buf_adds(&q, " ORDER BY e.date_lo IS NULL, e.date_lo, e.doc_key, e.n LIMIT ?) k" EV_FROM);
	sqlite3_stmt *s = st_prepare(st, q.ptr);
	sr_buf_free(&q);
	sr_buf_free(&w.sql);
	if (!s)
		return SR_ERR_DB;
	bind_args(s, &w, f->limit);
	int step;
	st_table t;
	static const char *const head[] = {"id", "date", "type", "actor", "place", "other",
		"modality", "doc"};
	int width = f->width > 0 ? f->width : 100;
	int maxw[] = {7, 10, 12, 0, 0, 0, 10, 0};
	int rest = width - (7 + 10 + 12 + 10) - 14;
	maxw[3] = rest * 22 / 100;
	maxw[4] = rest * 26 / 100;
	maxw[5] = rest * 22 / 100;
	maxw[7] = rest - maxw[3] - maxw[4] - maxw[5];
	if (fmt == SR_FMT_TABLE)
		st_table_init(&t, 8, head, maxw);
	if (fmt == SR_FMT_CSV)
		for (size_t i = 0; i < SR_ARRAY_LEN(event_csv_head); i++)
			st_csv_field(out, event_csv_head[i], i + 1 == SR_ARRAY_LEN(event_csv_head));
	if (fmt == SR_FMT_GEOJSON)
		fputs("{\"type\":\"FeatureCollection\",\"features\":[", out);
	long nrow = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (fmt == SR_FMT_JSONL) {
			event_jsonl(out, s, 1);
		} else if (fmt == SR_FMT_CSV) {
			event_csv(out, s);
		} else if (fmt == SR_FMT_GEOJSON) {
			fputs(nrow ? ",\n" : "\n", out);
			geojson_point(out, sqlite3_column_double(s, EC_PLACE + 6),
				      sqlite3_column_double(s, EC_PLACE + 7));
			/* the event record as properties */
			event_jsonl(out, s, 0);
			fputc('}', out);
		} else {
			char id[24];
			snprintf(id, sizeof id, "%lld", (long long)sqlite3_column_int64(s, EC_ID));
			const char *cells[8] = {id, or_dash(col(s, EC_DATE)), col(s, EC_TYPE),
				or_dash(col(s, EC_ACTOR + 1) ? col(s, EC_ACTOR + 1) : col(s, EC_ACTOR + 2)),
				or_dash(col(s, EC_PLACE + 1) ? col(s, EC_PLACE + 1) : col(s, EC_PLACE + 2)),
				or_dash(col(s, EC_OTHER + 1) ? col(s, EC_OTHER + 1) : col(s, EC_OTHER + 2)),
				col(s, EC_MOD), col(s, EC_DOC)};
			st_table_row(&t, cells);
		}
		nrow++;
	}
	if (fmt == SR_FMT_GEOJSON)
		fputs("\n]}\n", out);
	if (fmt == SR_FMT_TABLE) {
		st_table_print(&t, out, f->color, "");
		st_table_free(&t);
		fprintf(out, "(%ld event%s)\n", nrow, nrow == 1 ? "" : "s");
	}
	return finish(st, s, step, out);
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
	" (SELECT '[' || group_concat(e.report, ',') || ']' FROM incident_events ie" \
	"   JOIN events e ON e.id = ie.event_id WHERE ie.incident_id = i.id)," \
	" CASE WHEN i.ndisagreements > 0 THEN (SELECT json_group_array(json_object(" \
	"   'field', g.field, 'value', g.value, 'events', json(g.events), 'docs', json(g.docs)," \
	"   'sources', json(g.sources))) FROM disagreements g WHERE g.incident_id = i.id)" \
	"   ELSE '[]' END," \
	" i.docs, i.modalities"
#define INC_FROM \
	" CROSS JOIN incidents i ON i.id = k.id" \
	" LEFT JOIN entities a ON a.id = i.actor_id" \
	" LEFT JOIN entities p ON p.id = i.place_id" \
	" LEFT JOIN entities o ON o.id = i.other_id"

enum { IC_ID, IC_TYPE, IC_ACTOR, IC_PLACE = 7, IC_OTHER = 15, IC_DATE = 20, IC_DPREC, IC_DLO,
       IC_DHI, IC_MOD, IC_NEV, IC_NDOC, IC_NSRC, IC_SRCS, IC_QTY, IC_REPORTS, IC_DIS,
       IC_DOCS, IC_MODS };

static void
incident_where(const sr_filter *f, wh *w)
{
	if (f->type)
		cond(w, "i.type = ?", f->type, NULL, NULL);
	if (f->actor)
		cond(w, "EXISTS(SELECT 1 FROM incident_events ie JOIN events e ON e.id = ie.event_id"
		     " JOIN entities x ON x.id = e.actor_id WHERE ie.incident_id = i.id AND"
		     " (x.lexicon_id = ? OR instr(lower(x.name), lower(?)) > 0))", f->actor, f->actor, NULL);
	if (f->place)
		cond(w, "i.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND"
		     " (lexicon_id = ? OR instr(lower(name), lower(?)) > 0))", f->place, f->place, NULL);
	if (w->cc[0])
		cond(w, "i.place_id IN (SELECT id FROM entities WHERE is_place = 1 AND country = ?)",
		     w->cc, NULL, NULL);
	if (w->since[0])
		cond(w, "i.date_hi >= ?", w->since, NULL, NULL);
	if (w->until[0])
		cond(w, "i.date_lo <= ?", w->until, NULL, NULL);
	if (f->modality)
		cond(w, "instr(',' || i.modalities || ',', ',' || ? || ',') > 0", f->modality, NULL, NULL);
	if (f->source)
		cond(w, "instr(lower(i.sources), lower(?)) > 0", f->source, NULL, NULL);
}

static void
incident_jsonl(FILE *out, sqlite3_stmt *s, int nl)
{
	fprintf(out, "{\"incident\":%lld,\"type\":", (long long)sqlite3_column_int64(s, IC_ID));
	st_json(out, col(s, IC_TYPE));
	fputs(",\"actor\":", out);
	json_entity(out, s, IC_ACTOR, 0);
	fputs(",\"place\":", out);
	json_entity(out, s, IC_PLACE, 1);
	fputs(",\"other\":", out);
	json_entity(out, s, IC_OTHER, 0);
	fputs(",\"date\":{\"value\":", out);
	st_json(out, col(s, IC_DATE));
	fputs(",\"precision\":", out);
	st_json(out, col(s, IC_DPREC));
	fputs(",\"from\":", out);
	st_json(out, col(s, IC_DLO));
	fputs(",\"to\":", out);
	st_json(out, col(s, IC_DHI));
	fputs("},\"modality\":", out);
	st_json(out, col(s, IC_MOD));
	fprintf(out, ",\"nreports\":%d,\"ndocs\":%d,\"nsources\":%d,\"sources\":%s,\"quantities\":%s,"
		"\"reports\":%s,\"disagreements\":%s}",
		sqlite3_column_int(s, IC_NEV), sqlite3_column_int(s, IC_NDOC),
		sqlite3_column_int(s, IC_NSRC), or_list(col(s, IC_SRCS)), or_list(col(s, IC_QTY)),
		or_list(col(s, IC_REPORTS)), or_list(col(s, IC_DIS)));
	if (nl)
		fputc('\n', out);
}

static const char *const incident_csv_head[] = {
	"event_id_cnty", "event_date", "year", "time_precision", "actor1", "actor2", "country",
	"location", "latitude", "longitude", "geo_precision", "source", "notes",
	"sitrep_type", "modality", "date_from", "date_to", "reports", "docs", "nsources",
	"disagreements", "incident_id"};

int
sr_store_write_incidents(sr_store *st, const sr_filter *f, int fmt, FILE *out)
{
	wh w;
	int rc = check_filter(st, f, &w);
	if (rc != SR_OK)
		return rc;
	if ((rc = st_ensure_fused(st)) != SR_OK)
		return rc;
	incident_where(f, &w);
	if (fmt == SR_FMT_GEOJSON)
		cond(&w, "i.place_id IN (SELECT id FROM entities WHERE lat IS NOT NULL AND"
		     " lon IS NOT NULL)", NULL, NULL, NULL);
	sr_buf q = {0};
	sr_buf_adds(&q, INC_COLS " FROM (SELECT i.id FROM incidents i");
	if (w.sql.ptr)
		sr_buf_adds(&q, w.sql.ptr);
	sr_buf_adds(&q, " ORDER BY i.id LIMIT ?) k" INC_FROM);
	sqlite3_stmt *s = st_prepare(st, q.ptr);
	sr_buf_free(&q);
	sr_buf_free(&w.sql);
	if (!s)
		return SR_ERR_DB;
	bind_args(s, &w, f->limit);
	static const char *const head[] = {"#", "date", "type", "actor", "place", "other",
		"modality", "rep", "src", "!"};
	int width = f->width > 0 ? f->width : 100;
	int rest = width - (6 + 10 + 12 + 10 + 3 + 3 + 1) - 18;
	int maxw[] = {6, 10, 12, rest * 3 / 10, rest * 4 / 10, rest - rest * 3 / 10 - rest * 4 / 10,
		10, 3, 3, 1};
	st_table t;
	if (fmt == SR_FMT_TABLE)
		st_table_init(&t, 10, head, maxw);
	if (fmt == SR_FMT_CSV)
		for (size_t i = 0; i < SR_ARRAY_LEN(incident_csv_head); i++)
			st_csv_field(out, incident_csv_head[i], i + 1 == SR_ARRAY_LEN(incident_csv_head));
	if (fmt == SR_FMT_GEOJSON)
		fputs("{\"type\":\"FeatureCollection\",\"features\":[", out);
	long nrow = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		const char *dis = col(s, IC_DIS);
		int has_dis = dis && strcmp(dis, "[]") != 0;
		if (fmt == SR_FMT_JSONL) {
			incident_jsonl(out, s, 1);
		} else if (fmt == SR_FMT_GEOJSON) {
			fputs(nrow ? ",\n" : "\n", out);
			geojson_point(out, sqlite3_column_double(s, IC_PLACE + 6),
				      sqlite3_column_double(s, IC_PLACE + 7));
			incident_jsonl(out, s, 0);
			fputc('}', out);
		} else if (fmt == SR_FMT_CSV) {
			char buf[64];
			const char *date = col(s, IC_DATE), *dprec = col(s, IC_DPREC);
			snprintf(buf, sizeof buf, "%s-I%lld", col(s, IC_PLACE + 4) ? col(s, IC_PLACE + 4) : "XX",
				 (long long)sqlite3_column_int64(s, IC_ID));
			st_csv_field(out, buf, 0);
			st_csv_field(out, date, 0);
			snprintf(buf, sizeof buf, "%.4s", date ? date : "");
			st_csv_field(out, buf, 0);
			st_csv_field(out, !date ? "" : dprec && !strcmp(dprec, "day") ? "1" : "3", 0);
			st_csv_field(out, col(s, IC_ACTOR + 1), 0);
			st_csv_field(out, col(s, IC_OTHER + 1), 0);
			st_csv_field(out, col(s, IC_PLACE + 4), 0);
			st_csv_field(out, col(s, IC_PLACE + 1), 0);
			if (sqlite3_column_type(s, IC_PLACE + 6) != SQLITE_NULL) {
				snprintf(buf, sizeof buf, "%.6f", sqlite3_column_double(s, IC_PLACE + 6));
				st_csv_field(out, buf, 0);
				snprintf(buf, sizeof buf, "%.6f", sqlite3_column_double(s, IC_PLACE + 7));
				st_csv_field(out, buf, 0);
			} else {
				st_csv_field(out, "", 0);
				st_csv_field(out, "", 0);
			}
			snprintf(buf, sizeof buf, "%d", geo_precision(col(s, IC_PLACE + 5)));
			st_csv_field(out, col(s, IC_PLACE + 1) ? buf : "", 0);
			st_csv_field(out, col(s, IC_SRCS), 0);
			st_csv_field(out, has_dis ? dis : "", 0);
			st_csv_field(out, col(s, IC_TYPE), 0);
			st_csv_field(out, col(s, IC_MODS), 0);
			st_csv_field(out, col(s, IC_DLO), 0);
			st_csv_field(out, col(s, IC_DHI), 0);
			st_csv_field(out, col(s, IC_NEV), 0);
			st_csv_field(out, col(s, IC_DOCS), 0);
			st_csv_field(out, col(s, IC_NSRC), 0);
			st_csv_field(out, has_dis ? "1" : "0", 0);
			st_csv_field(out, col(s, IC_ID), 1);
		} else {
			const char *cells[10] = {col(s, IC_ID), or_dash(col(s, IC_DATE)), col(s, IC_TYPE),
				or_dash(col(s, IC_ACTOR + 1)), or_dash(col(s, IC_PLACE + 1)),
				or_dash(col(s, IC_OTHER + 1)), col(s, IC_MODS), col(s, IC_NEV),
				col(s, IC_NSRC), has_dis ? "!" : ""};
			st_table_row(&t, cells);
		}
		nrow++;
	}
	if (fmt == SR_FMT_GEOJSON)
		fputs("\n]}\n", out);
	if (fmt == SR_FMT_TABLE) {
		st_table_print(&t, out, f->color, "");
		st_table_free(&t);
		fprintf(out, "(%ld incident%s; rep reports, src independent sources,"
			" ! reports disagree: --format jsonl)\n", nrow, nrow == 1 ? "" : "s");
	}
	return finish(st, s, step, out);
}

/* -------------------------------------------------------------- search */

int
sr_store_search(sr_store *st, const char *query, const sr_filter *f, int fmt, FILE *out)
{
	if (!query || !*query) {
		snprintf(st->err, sizeof st->err, "empty search");
		return SR_ERR_USAGE;
	}
	sqlite3_stmt *s = st_prepare(st,
		"SELECT d.name, s.n, s.span_start, s.span_end,"
		" CAST(substr(CAST(d.text AS BLOB), s.span_start + 1, s.span_end - s.span_start) AS TEXT),"
		" d.published"
		" FROM sentence_fts f JOIN sentences s ON s.id = f.rowid"
		" JOIN documents d ON d.id = s.doc_id"
		" WHERE sentence_fts MATCH ?1 ORDER BY f.rank, d.key, s.n LIMIT ?2");
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_text(s, 1, query, -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, f && f->limit > 0 ? f->limit : -1);
	int step;
	long n = 0;
	int width = f && f->width > 0 ? f->width : 100;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		if (fmt == SR_FMT_JSONL) {
			fputs("{\"doc\":", out);
			st_json(out, col(s, 0));
			fprintf(out, ",\"sentence\":%d,\"span\":[%d,%d],\"published\":",
				sqlite3_column_int(s, 1), sqlite3_column_int(s, 2), sqlite3_column_int(s, 3));
			st_json(out, col(s, 5));
			fputs(",\"text\":", out);
			st_json(out, col(s, 4));
			fputs("}\n", out);
		} else {
			const char *c = f && f->color ? "\x1b[1m" : "", *r = f && f->color ? "\x1b[0m" : "";
			fprintf(out, "%s%s#%d%s  %s\n", c, col(s, 0), sqlite3_column_int(s, 1), r,
				or_dash(col(s, 5)));
			/* the sentence, wrapped, indented */
			const char *t = col(s, 4);
			sr_buf line = {0};
			int lw = 0;
			while (t && *t) {
				while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r')
					t++;
				const char *e = t;
				while (*e && *e != ' ' && *e != '\n' && *e != '\t' && *e != '\r')
					e++;
				if (e == t)
					break;
				char *word = sr_strndup(t, (size_t)(e - t));
				int ww = st_width(word);
				if (lw && lw + 1 + ww > width - 4) {
					fprintf(out, "    %s\n", line.ptr);
					sr_buf_reset(&line);
					lw = 0;
				}
				if (lw) {
					sr_buf_addc(&line, ' ');
					lw++;
				}
				sr_buf_adds(&line, word);
				lw += ww;
				free(word);
				t = e;
			}
			if (lw)
				fprintf(out, "    %s\n", line.ptr);
			sr_buf_free(&line);
		}
		n++;
	}
	if (step != SQLITE_DONE && n == 0 &&
	    (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_ERROR) {
		snprintf(st->err, sizeof st->err, "bad search '%s': %s", query, sqlite3_errmsg(st->db));
		sqlite3_finalize(s);
		return SR_ERR_USAGE;
	}
	if (fmt != SR_FMT_JSONL && step == SQLITE_DONE)
		fprintf(out, "(%ld sentence%s)\n", n, n == 1 ? "" : "s");
	return finish(st, s, step, out);
}
