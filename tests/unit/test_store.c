/*
 * test_store.c -- the store on synthetic events: idempotent documents,
 * fusion rules (type, place containment, actor compatibility, date
 * overlap, vague reports kept apart), disagreements, and place status
 * (handover, withdrawal under way with an expected end, expected
 * control).  Results are read back with a second SQLite connection.
 */
#include "harness.h"
#include "sitrep.h"

#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

static char db_path[64];

static sr_store *
fresh_store(void)
{
	snprintf(db_path, sizeof db_path, "/tmp/sitrep-unit-%d.db", (int)getpid());
	char side[80];
	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
	char err[256];
	sr_store *st = sr_store_open(db_path, SR_STORE_CREATE, err, sizeof err);
	if (!st)
		fprintf(stderr, "open: %s\n", err);
	return st;
}

static void
drop_store(sr_store *st)
{
	sr_store_close(st);
	char side[80];
	unlink(db_path);
	snprintf(side, sizeof side, "%s-wal", db_path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", db_path);
	unlink(side);
}

/* one integer or text from the store, through its own connection */
static long
q_int(const char *sql)
{
	sqlite3 *db;
	long v = -1;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW)
				v = (long)sqlite3_column_int64(s, 0);
			sqlite3_finalize(s);
		} else {
			fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		}
	}
	sqlite3_close(db);
	return v;
}

static char q_buf[512];

static const char *
q_str(const char *sql)
{
	sqlite3 *db;
	q_buf[0] = 0;
	if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK) {
			if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
				snprintf(q_buf, sizeof q_buf, "%s", (const char *)sqlite3_column_text(s, 0));
			sqlite3_finalize(s);
		} else {
			fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		}
	}
	sqlite3_close(db);
	return q_buf;
}

static sr_doc *
doc(const char *id, const char *text)
{
	sr_doc *d = sr_doc_from_text(id, text, strlen(text));
	sr_doc_analyze(d);
	return d;
}

static sr_ref
site(const char *id, const char *name, double lat, double lon)
{
	sr_ref r = {0};
	r.set = 1;
	r.id = id;
	r.name = name;
	r.text = name;
	r.kind = "base";
	r.country = "SY";
	r.precision = "site";
	r.has_coord = 1;
	r.lat = lat;
	r.lon = lon;
	return r;
}

static sr_ref
country(const char *cc, const char *name)
{
	sr_ref r = {0};
	r.set = 1;
	r.id = !strcmp(cc, "IQ") ? "cc:IQ" : !strcmp(cc, "US") ? "cc:US" : "cc:SY";
	r.name = name;
	r.text = name;
	r.kind = "country";
	r.country = cc;
	r.precision = "country";
	return r;
}

static sr_ref
actor(const char *id, const char *name)
{
	sr_ref r = {0};
	r.set = 1;
	r.id = id;
	r.name = name;
	r.text = name;
	r.kind = "state_military";
	return r;
}

static sr_event
ev(const char *type, sr_ref a, sr_ref place, const char *date, const char *prec)
{
	sr_event e;
	memset(&e, 0, sizeof e);
	e.type = type;
	e.actor = a;
	e.place = place;
	if (date)
		snprintf(e.date, sizeof e.date, "%s", date);
	e.date_precision = prec;
	e.modality = "asserted";
	e.start = 0;
	e.end = 10;
	return e;
}

static void
add(sr_store *st, const char *id, const char *text, const sr_event *e, size_t n)
{
	sr_doc *d = doc(id, text);
	int added = -1;
	CHECK_INT(sr_store_add(st, d, e, n, &added), SR_OK);
	CHECK_INT(added, 1);
	sr_doc_free(d);
}

SR_TEST(store_creates_schema_and_ingest_is_idempotent)
{
	sr_store *st = fresh_store();
	CHECK(st != NULL);
	if (!st)
		return;
	CHECK_INT(sr_store_schema_version(st), SR_STORE_SCHEMA);
	sr_ref nul = {0};
	sr_event e = ev("withdraw", actor("US.MIL", "United States Armed Forces"),
			site("site:a", "Alpha base", 35.0, 40.0), "2026-02-12", "day");
	sr_doc *d = doc("a.txt", " date 2026-02-13\nUS troops left Alpha base on Thursday.");
	int added = -1;
	CHECK_INT(sr_store_add(st, d, &e, 1, &added), SR_OK);
	CHECK_INT(added, 1);
	CHECK(sr_store_has_doc(st, d));
	CHECK_INT(sr_store_add(st, d, &e, 1, &added), SR_OK);
	CHECK_INT(added, 0);
	sr_doc_free(d);
	/* the same text under another name is the same report */
	d = doc("copy.txt", " date 2026-02-13\nUS troops left Alpha base on Thursday.");
	CHECK_INT(sr_store_add(st, d, &e, 1, &added), SR_OK);
	CHECK_INT(added, 0);
	sr_doc_free(d);
	(void)nul;
	CHECK_INT(sr_store_flush(st), SR_OK);
	CHECK_INT(q_int("SELECT count(*) FROM documents"), 1);
	CHECK_INT(q_int("SELECT count(*) FROM events"), 1);
	CHECK_INT(q_int("PRAGMA user_version"), SR_STORE_SCHEMA);
	CHECK_STR(q_str("PRAGMA journal_mode"), "wal");
	/* the full-text index is written by ingest, with the batch (schema
	 * 11; a block's terms in its directory, apart from their postings,
	 * in 13): the word is indexed once, every sentence counted */
	CHECK_INT(q_int("SELECT count(*) FROM fts_post WHERE instr(dir, CAST('alpha' AS BLOB))"), 1);
	CHECK_INT(q_int("SELECT count(*) FROM fts_post WHERE instr(data, CAST('alpha' AS BLOB))"), 0);
	CHECK_INT(q_int("SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'fts_rows'"),
		  q_int("SELECT count(*) FROM sentences"));
	CHECK_INT(q_int("SELECT count(*) FROM fts_segs"), 1);
	FILE *sink = fopen("/dev/null", "w");
	CHECK(sink != NULL);
	if (sink) {
		CHECK_INT(sr_store_search(st, "alpha", NULL, SR_FMT_JSONL, sink), SR_OK);
		fclose(sink);
	}
	drop_store(st);
}

SR_TEST(store_fuses_counts_into_one_incident_with_a_disagreement)
{
	sr_store *st = fresh_store();
	if (!st)
		return;
	sr_ref nul = {0};
	sr_event a = ev("transfer_detainees", actor("US.MIL", "United States Armed Forces"), nul,
			NULL, NULL);
	a.other = country("IQ", "Iraq");
	a.nquantities = 1;
	a.quantities[0] = (sr_quantity){5700, "detainees", "5,700", 0};
	sr_event b = a;
	b.actor = country("US", "United States");   /* the country as actor */
	b.quantities[0] = (sr_quantity){7000, "detainees", "around 7,000", 1};
	b.nsources = 1;
	b.sources[0] = (sr_source){"AFP", "outlet", "told AFP"};
	add(st, "one.txt", " date 2026-02-24\nThey moved 5,700 prisoners to Iraq.", &a, 1);
	add(st, "two.txt", " date 2026-02-20\nAround 7,000 detainees went to Iraq.", &b, 1);
	CHECK_INT(sr_store_fuse(st), SR_OK);
	CHECK_INT(q_int("SELECT count(*) FROM incidents"), 1);
	CHECK_INT(q_int("SELECT nevents FROM incidents"), 2);
	CHECK_INT(q_int("SELECT count(*) FROM disagreements WHERE field = 'count:detainees'"), 2);
	CHECK_INT(q_int("SELECT count(*) FROM disagreements WHERE field = 'actor'"), 0);
	CHECK_STR(q_str("SELECT group_concat(value, ' | ') FROM (SELECT value FROM disagreements"
			" WHERE field = 'count:detainees' ORDER BY value)"), "5,700 | about 7,000");
	CHECK_STR(q_str("SELECT sources FROM disagreements WHERE value = 'about 7,000'"), "[\"AFP\"]");
	drop_store(st);
}

SR_TEST(store_fusion_rules_place_actor_date)
{
	sr_store *st = fresh_store();
	if (!st)
		return;
	sr_ref us = actor("US.MIL", "United States Armed Forces");
	sr_ref alpha = site("site:alpha", "Alpha base", 35.0, 40.0);
	sr_ref beta = site("site:beta", "Beta base", 36.0, 41.0);
	sr_event e[6];
	e[0] = ev("withdraw", us, alpha, "2026-02-22", "day");
	e[1] = ev("withdraw", us, alpha, "2026-02", "month");      /* month holds the day */
	e[2] = ev("withdraw", us, beta, "2026-02-22", "day");      /* another site */
	e[3] = ev("withdraw", us, alpha, "2025-06-01", "day");     /* months apart */
	e[4] = ev("withdraw", actor("group:sdf", "SDF"), alpha, "2026-02-23", "day"); /* other actor */
	e[5] = ev("withdraw", actor("US.GOV", "United States government"), alpha, "2026-02-23",
		  "day");                                            /* same state, day +1 */
	add(st, "d0.txt", " date 2026-02-24\nzero", &e[0], 1);
	add(st, "d1.txt", " date 2026-02-24\none", &e[1], 1);
	add(st, "d2.txt", " date 2026-02-24\ntwo", &e[2], 1);
	add(st, "d3.txt", " date 2026-02-24\nthree", &e[3], 1);
	add(st, "d4.txt", " date 2026-02-24\nfour", &e[4], 1);
	add(st, "d5.txt", " date 2026-02-24\nfive", &e[5], 1);
	/* a country-wide claim beside two bases: it stays apart */
	sr_event sy = ev("withdraw", us, country("SY", "Syria"), "2026-02", "month");
	add(st, "d6.txt", " date 2026-02-24\nsix", &sy, 1);
	CHECK_INT(sr_store_fuse(st), SR_OK);
	CHECK_INT(q_int("SELECT count(*) FROM incidents"), 5);
	CHECK_INT(q_int("SELECT i.nevents FROM incidents i JOIN entities p ON p.id = i.place_id"
			" WHERE p.lexicon_id = 'site:alpha' AND i.date = '2026-02-22'"), 3);
	CHECK_INT(q_int("SELECT count(*) FROM incidents i JOIN entities p ON p.id = i.place_id"
			" WHERE p.lexicon_id = 'cc:SY'"), 1);
	/* fusion does not depend on the order of ingestion: re-fusing gives
	 * the same rows */
	long before = q_int("SELECT sum(ie.incident_id * ie.event_id) FROM incident_events ie");
	CHECK_INT(sr_store_fuse(st), SR_OK);
	CHECK_INT(q_int("SELECT sum(ie.incident_id * ie.event_id) FROM incident_events ie"), before);
	drop_store(st);
}

SR_TEST(store_status_handover_and_withdrawal_under_way)
{
	sr_store *st = fresh_store();
	if (!st)
		return;
	sr_ref us = actor("US.MIL", "United States Armed Forces");
	sr_ref sy = actor("SY.MIL", "Syrian Arab Army");
	sr_ref tanf = site("site:tanf", "Tanf base", 33.5, 38.6);
	sr_ref qas = site("site:qas", "Qas base", 36.9, 41.0);
	sr_event t = ev("take_control", sy, tanf, "2026-02-12", "day");
	t.other = us;
	sr_event w = ev("withdraw", us, qas, "2026-02-22", "day");
	w.other = country("IQ", "Iraq");
	w.nquantities = 1;
	w.quantities[0] = (sr_quantity){15, "days", "approximately 15 days", 1};
	sr_event x = ev("take_control", actor("group:sdf", "Syrian Democratic Forces"),
			site("site:tb", "TB base", 36.95, 41.1), NULL, NULL);
	x.modality = "expected";
	add(st, "t.txt", " date 2026-02-13\ntanf", &t, 1);
	add(st, "w.txt", " date 2026-02-24\nqas", &w, 1);
	add(st, "x.txt", " date 2026-02-23\ntb", &x, 1);
	CHECK_INT(sr_store_fuse(st), SR_OK);
	/* al-Tanf: the army holds it since the 12th; the US held it until then */
	CHECK_STR(q_str("SELECT a.lexicon_id || ' ' || s.start FROM place_status s JOIN entities a"
			" ON a.id = s.actor_id JOIN entities p ON p.id = s.place_id"
			" WHERE p.lexicon_id = 'site:tanf' AND s.current = 1"), "SY.MIL 2026-02-12");
	CHECK_STR(q_str("SELECT a.lexicon_id || ' ' || s.end_date FROM place_status s JOIN entities a"
			" ON a.id = s.actor_id JOIN entities p ON p.id = s.place_id"
			" WHERE p.lexicon_id = 'site:tanf' AND s.current = 0"), "US.MIL 2026-02-12");
	/* Qas: under way since the 22nd, 15 days: about 2026-03-09, expected */
	CHECK_STR(q_str("SELECT s.role || ' ' || s.end_date || ' ' || s.end_expected FROM place_status s"
			" JOIN entities p ON p.id = s.place_id WHERE p.lexicon_id = 'site:qas'"),
		  "withdrawing 2026-03-09 1");
	CHECK_STR(q_str("SELECT s.role FROM place_status s JOIN entities p ON p.id = s.place_id"
			" WHERE p.lexicon_id = 'site:tb'"), "expected_control");
	drop_store(st);
}

SR_TEST(store_queries_reject_bad_filters)
{
	sr_store *st = fresh_store();
	if (!st)
		return;
	sr_filter f = {0};
	FILE *null = fopen("/dev/null", "w");
	f.type = 99; /* no such enum sr_event_type */
	CHECK_INT(sr_store_write_events(st, &f, SR_FMT_JSONL, null), SR_ERR_USAGE);
	f.type = 0;
	f.since = "2026-13-01";
	CHECK_INT(sr_store_write_incidents(st, &f, SR_FMT_CSV, null), SR_ERR_USAGE);
	f.since = NULL;
	CHECK_INT(sr_store_search(st, "AND AND (", &f, SR_FMT_TABLE, null), SR_ERR_USAGE);
	CHECK_INT(sr_store_write_report(st, &f, null), SR_OK);
	CHECK_INT(sr_format_parse("geojson"), SR_FMT_GEOJSON);
	CHECK_INT(sr_format_parse("xml"), -1);
	fclose(null);
	drop_store(st);
}
