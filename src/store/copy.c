/*
 * copy.c -- sitrep db copy SRC DST: a store moved from one engine to the
 * other (or to another store of the same engine), every table row for
 * row with its ids, so that the copy answers every query as the source
 * does (the incidents and place status are copied, not fused again).
 *
 * The source is read through st_q (a cursor on PostgreSQL); the
 * destination, which must hold no report yet, is written in one
 * transaction: with COPY on PostgreSQL (the sentences' tsvectors made
 * here, as ingest makes them; then its sequences set past the copied
 * ids), with one prepared INSERT
 * per table on SQLite (then the sentences' full-text index made, fts.c).  Numbers in
 * REAL columns are carried as the exact double (%.17g), the rest as text,
 * which SQLite's column affinity stores as it was.
 */
#include "pg_int.h"

#include <stdlib.h>

typedef struct ctab {
	const char *name;
	const char *cols;       /* comma-separated */
	const char *order;
	const char *reals;      /* columns of REAL type, ",a,b," */
} ctab;

/* In the order foreign keys need. */
static const ctab tables[] = {
	{"documents", "id, key, name, url, outlet, title, published, origin, line, text, nevents",
	 "id", ""},
	/* (a report's sentences one after the other: SQLite's view of them,
	 * schema 14, adds each to its report's row) */
	{"sentences", "id, doc_id, n, span_start, span_end", "doc_id, id", ""},
	{"entities", "id, key, is_place, lexicon_id, name, kind, country, precision, lat, lon", "id",
	 ",lat,lon,"},
	{"sources", "id, name, kind", "id", ""},
	{"events", "id, doc_id, n, type, actor_id, actor_text, place_id, place_text, other_id,"
	 " other_text, date, date_precision, date_text, modality, cameo, plover, acled, sentence,"
	 " span_start, span_end, evidence, date_approx, date_lo, date_hi, doc_key, quantities,"
	 " sources, source_names, killed, report, source_search, fuse_src, fuse_qty", "id",
	 ",killed,"},
	{"quantities", "event_id, n, value, unit, approx, text", "event_id, n", ",value,"},
	{"event_sources", "event_id, source_id, text", "event_id, source_id", ""},
	{"doc_copies", "id, doc_id, name, url, outlet, published", "id", ""},
	{"incidents", "id, type, place_id, actor_id, other_id, date, date_precision, date_lo,"
	 " date_hi, modality, nevents, ndocs, nsources, sources, quantities, docs, modalities,"
	 " first_published, ndisagreements, digest, places", "id", ""},
	{"incident_events", "incident_id, event_id", "incident_id, event_id", ""},
	{"disagreements", "id, incident_id, field, value, events, docs, sources", "id", ""},
	{"place_status", "id, place_id, actor_id, role, start, start_precision, end_date,"
	 " end_precision, end_expected, current, incidents, nsources, sources, note", "id", ""},
	{"meta", "key, value", "key", ""},
};

/* The tables of PostgreSQL with a sequence behind their id. */
static const char *const sequenced[] = {"documents", "sentences", "entities", "sources",
	"events", "doc_copies", "disagreements", "place_status"};

#define COPY_CHUNK (8u << 20)   /* bytes of COPY text sent at once */

/* Which columns are REAL: flags per column of t. */
static int
real_cols(const ctab *t, int *is_real, int max)
{
	int n = 0;
	for (const char *p = t->cols; *p && n < max;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t k = strcspn(p, ", ");
		char name[48];
		snprintf(name, sizeof name, ",%.*s,", (int)k, p);
		is_real[n++] = strstr(t->reals, name) != NULL;
		p += k;
	}
	return n;
}

static int
copy_table(sr_store *src, sr_store *dst, const ctab *t, long *rows)
{
	int is_real[40];
	int ncol = real_cols(t, is_real, 40);
	sr_buf sql = {0};
	/* sentences into PostgreSQL: their text too, for their tsvector */
	int tsv = dst->pg && !strcmp(t->name, "sentences");
	/* (on PostgreSQL, the sentences no search has indexed yet too) */
	const char *from = src->pg && !strcmp(t->name, "sentences")
		? "(SELECT id, doc_id, n, span_start, span_end FROM sentences UNION ALL"
		  " SELECT id, doc_id, n, span_start, span_end FROM sentences_pending) sentences"
		: t->name;
	if (tsv)
		sr_buf_printf(&sql, "SELECT s.id, s.doc_id, s.n, s.span_start, s.span_end, %s"
			      " FROM %s s JOIN documents d ON d.id = s.doc_id ORDER BY s.id",
			      src->pg ? "convert_from(substring(convert_to(d.text, 'UTF8') FROM"
			      " s.span_start + 1 FOR s.span_end - s.span_start), 'UTF8')"
			      : "CAST(substr(CAST(d.text AS BLOB), s.span_start + 1,"
			      " s.span_end - s.span_start) AS TEXT)", from);
	else
		sr_buf_printf(&sql, "SELECT %s FROM %s ORDER BY %s", t->cols, from, t->order);
	st_q *q = st_q_prep(src, sql.ptr);
	sr_buf_reset(&sql);
	if (!q) {
		sr_buf_free(&sql);
		return SR_ERR_DB;
	}
	int meta = !strcmp(t->name, "meta");
	sqlite3_stmt *ins = NULL;
	if (dst->pg) {
		sr_buf_printf(&sql, "COPY %s(%s%s) FROM STDIN", t->name, t->cols, tsv ? ", tsv" : "");
		if (meta && pg_cmd(dst, "DELETE FROM meta") != SR_OK) {
			st_q_free(q);
			sr_buf_free(&sql);
			return SR_ERR_DB;
		}
	} else {
		sr_buf_printf(&sql, "INSERT %sINTO %s(%s) VALUES(", meta ? "OR REPLACE " : "", t->name,
			      t->cols);
		for (int i = 0; i < ncol; i++)
			sr_buf_printf(&sql, "%s?%d", i ? "," : "", i + 1);
		sr_buf_addc(&sql, ')');
		ins = st_prepare(dst, sql.ptr);
		if (!ins) {
			st_q_free(q);
			sr_buf_free(&sql);
			return SR_ERR_DB;
		}
	}
	sr_buf data = {0}, words = {0};
	int rc = SR_OK, step;
	char num[40];
	while (rc == SR_OK && (step = st_q_step(q)) == ST_ROW) {
		(*rows)++;
		for (int i = 0; i < ncol; i++) {
			const char *v = st_q_text(q, i);
			if (v && is_real[i]) {
				snprintf(num, sizeof num, "%.17g", st_q_double(q, i));
				v = num;
			}
			if (dst->pg)
				pg_field_str(&data, v);
			else if (v && is_real[i])
				sqlite3_bind_double(ins, i + 1, st_q_double(q, i));
			else if (v)
				sqlite3_bind_text(ins, i + 1, v, st_q_bytes(q, i), SQLITE_TRANSIENT);
			else
				sqlite3_bind_null(ins, i + 1);
		}
		if (tsv) {
			sr_buf_reset(&words);
			pg_tsvector(st_q_text(q, ncol) ? st_q_text(q, ncol) : "",
				    (size_t)st_q_bytes(q, ncol), &words);
			pg_field(&data, words.ptr ? words.ptr : "", words.len);
		}
		if (dst->pg) {
			pg_row_end(&data);
			if (data.len >= COPY_CHUNK) {
				rc = pg_copy_in(dst, sql.ptr, data.ptr, data.len);
				sr_buf_reset(&data);
			}
		} else {
			if (sqlite3_step(ins) != SQLITE_DONE)
				rc = st_dberr(dst, t->name);
			sqlite3_reset(ins);
		}
	}
	if (rc == SR_OK && step != ST_DONE)
		rc = st_dberr(src, t->name);
	if (rc == SR_OK && dst->pg && data.len)
		rc = pg_copy_in(dst, sql.ptr, data.ptr, data.len);
	st_q_free(q);
	sqlite3_finalize(ins);
	sr_buf_free(&data);
	sr_buf_free(&words);
	sr_buf_free(&sql);
	return rc;
}

/* What the destination makes of the copied rows: its full-text rows and,
 * on PostgreSQL, sequences past the copied ids. */
static int
finish_dst(sr_store *dst)
{
	/* the numbers of reports and events kept in meta, counted again
	 * (a source may not keep them); on SQLite also what fusion reads of
	 * each event beside the tables (fuse_src, fuse_qty: st_rederive; both
	 * engines have them since schema 10, and they are copied with the
	 * events) */
	if (!dst->pg) {
		/* the full-text index made from the copied sentences (the
		 * source's counts of it, copied with meta, are not this one's) */
		int r = st_exec(dst, "INSERT OR REPLACE INTO meta VALUES('fts_rows', '0'),"
				" ('fts_tokens', '0')");
		if (r == SR_OK)
			r = st_fts_build(dst);
		return r == SR_OK ? st_rederive(dst) : r;
	}
	/* the events in no incident (a copy of a store not fused since its
	 * last ingest), for the next fusion (schema 12) */
	int rc = pg_cmd(dst, pg_events_new_sql);
	/* the runs of sentences the full-text index holds (schema 15) */
	if (rc == SR_OK)
		rc = pg_cmd(dst, pg_runs_all_sql);
	/* and the others' fusion columns in event_fuse (schema 14) */
	if (rc == SR_OK)
		rc = pg_cmd(dst, pg_event_fuse_fill_sql);
	if (rc == SR_OK)
		rc = pg_cmd(dst, "INSERT INTO meta VALUES"
			" ('ndocuments', (SELECT count(*) FROM documents)::text),"
			" ('nsentences', (SELECT count(*) FROM sentences)::text),"
			" ('nevents', (SELECT count(*) FROM events)::text),"
			" ('nincidents', (SELECT count(*) FROM incidents)::text)"
			" ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value");
	for (size_t i = 0; i < SR_ARRAY_LEN(sequenced) && rc == SR_OK; i++) {
		char sql[200];
		snprintf(sql, sizeof sql, "SELECT setval(pg_get_serial_sequence('%s', 'id'),"
			 " (SELECT coalesce(max(id), 0) + 1 FROM %s), false)", sequenced[i], sequenced[i]);
		rc = pg_cmd(dst, sql);
	}
	/* the planner's statistics of the tables just filled (autovacuum
	 * would come to them later; the first queries should not wait) */
	if (rc == SR_OK)
		rc = pg_cmd(dst, "ANALYZE");
	return rc;
}

int
sr_store_copy(const char *from, const char *to, sr_store_copy_stats *stats, char *err,
	      size_t errlen)
{
	memset(stats, 0, sizeof *stats);
	sr_store *src = sr_store_open(from, SR_STORE_QUERY, err, errlen);
	if (!src)
		return SR_ERR_DB;
	sr_store *dst = sr_store_open(to, SR_STORE_CREATE, err, errlen);
	if (!dst) {
		sr_store_close(src);
		return SR_ERR_DB;
	}
	src->err[0] = dst->err[0] = 0;
	int rc = SR_OK;
	long have = st_scalar(dst, "SELECT count(*) FROM documents");
	if (have != 0) {
		snprintf(err, errlen, "%s already holds %ld report%s: copy into a new, empty store",
			 dst->path, have, have == 1 ? "" : "s");
		rc = SR_ERR_USAGE;
	}
	if (rc == SR_OK)
		rc = dst->pg ? pg_cmd(dst, "BEGIN") : st_begin(dst);
	for (size_t i = 0; i < SR_ARRAY_LEN(tables) && rc == SR_OK; i++) {
		long n = 0;
		rc = copy_table(src, dst, &tables[i], &n);
		if (!strcmp(tables[i].name, "documents"))
			stats->documents = n;
		else if (!strcmp(tables[i].name, "events"))
			stats->events = n;
		else if (!strcmp(tables[i].name, "incidents"))
			stats->incidents = n;
		stats->rows += n;
	}
	if (rc == SR_OK)
		rc = finish_dst(dst);
	if (rc == SR_OK)
		rc = dst->pg ? pg_cmd(dst, "COMMIT") : st_exec(dst, "COMMIT");
	if (rc == SR_ERR_DB) {
		const char *m = src->err[0] ? src->err : dst->err;
		snprintf(err, errlen, "%s", m);
	}
	if (rc != SR_OK && rc != SR_ERR_USAGE) {
		if (dst->pg)
			PQclear(PQexec(dst->pg->conn, "ROLLBACK"));
		else
			sqlite3_exec(dst->db, "ROLLBACK", NULL, NULL, NULL);
	}
	sr_store_close(src);
	sr_store_close(dst);
	return rc;
}
