/*
 * test_output.c -- the output layer: one row written by each writer
 * (table, jsonl, json, csv, geojson) into memory, JSON escaping, CSV
 * quoting, flat GeoJSON properties; sinks that stop; and a paged query
 * through sr_store_query with cursors, as the HTTP server calls it.
 */
#include "harness.h"
#include "sitrep.h"
#include "../../src/output/out_int.h"

#include <stdlib.h>
#include <unistd.h>

static const char *const csv_cols[] = {"name", "n", "note"};
static const char *const table_cols[] = {"name", "n"};
static const int table_w[] = {0, 4};
static const ow_spec spec = {csv_cols, 3, table_cols, NULL, table_w, 2, "thing", "things", NULL};

static void
one_row(ow_row *r)
{
	ow_row_reset(r);
	ov *t = r->tree;
	ov_str(r, t, "name", "a \"q\"\n\x01");
	ov *d = ov_obj(r, t, "date");
	ov_str(r, d, "value", "2026-02");
	ov_null(r, t, "none");
	ov *a = ov_arr(r, t, "list");
	ov_int(r, a, NULL, 1);
	ov_num(r, a, NULL, 2.5, -1);
	ov_json(r, t, "raw", NULL, "[]");
	ov_str(r, r->flat, "name", "x, \"y\"");
	ov_int(r, r->flat, "n", 7);
	ov_str(r, r->flat, "note", NULL);
	r->has_point = 1;
	r->lat = 33.5;
	r->lon = 38.25;
}

static char *
render(int fmt)
{
	sr_mem m = {0};
	ow_sink s;
	ow_sink_init(&s, sr_sink_mem, &m);
	ow_writer w;
	ow_row r = {0};
	ow_begin(&w, fmt, &spec, &s, 0, 40);
	one_row(&r);
	ow_write(&w, &r);
	ow_end(&w);
	ow_flush(&s);
	ow_row_free(&r);
	return m.data ? m.data : calloc(1, 1);
}

SR_TEST(output_one_row_in_every_format)
{
	char *s = render(SR_FMT_JSONL);
	CHECK_STR(s, "{\"name\":\"a \\\"q\\\"\\n\\u0001\",\"date\":{\"value\":\"2026-02\"},"
		  "\"none\":null,\"list\":[1,2.5],\"raw\":[]}\n");
	free(s);
	s = render(SR_FMT_JSON);
	CHECK_STR(s, "[{\"name\":\"a \\\"q\\\"\\n\\u0001\",\"date\":{\"value\":\"2026-02\"},"
		  "\"none\":null,\"list\":[1,2.5],\"raw\":[]}]\n");
	free(s);
	s = render(SR_FMT_CSV);
	CHECK_STR(s, "name,n,note\r\n\"x, \"\"y\"\"\",7,\r\n");
	free(s);
	s = render(SR_FMT_GEOJSON);
	CHECK_STR(s, "{\"type\":\"FeatureCollection\",\"features\":[\n{\"type\":\"Feature\","
		  "\"geometry\":{\"type\":\"Point\",\"coordinates\":[38.250000,33.500000]},"
		  "\"properties\":{\"name\":\"x, \\\"y\\\"\",\"n\":7,\"note\":null}}\n]}\n");
	free(s);
	s = render(SR_FMT_TABLE);
	CHECK_STR(s, "name    n\nx, \"y\"  7\n(1 thing)\n");
	free(s);
}

SR_TEST(output_json_escaper_is_the_one_of_the_project)
{
	char out[64];
	size_t n = sr_json_escape(out, "\t\\\x7f\xc3\xa9", 5);
	out[n] = 0;
	CHECK_STR(out, "\"\\t\\\\\\u007f\xc3\xa9\"");
	sr_buf b = {0};
	sr_buf_json_str(&b, "\t\\\x7f\xc3\xa9", 5);
	CHECK_STR(b.ptr, out);
	sr_buf_free(&b);
}

static int
refuse(void *ctx, const char *data, size_t len)
{
	(void)data;
	(void)len;
	(*(int *)ctx)++;
	return -1;
}

SR_TEST(output_sink_that_stops_is_an_io_error)
{
	int calls = 0;
	ow_sink s;
	ow_sink_init(&s, refuse, &calls);
	ow_puts(&s, "abc");
	CHECK_INT(ow_flush(&s), SR_ERR_IO);
	ow_puts(&s, "more");
	CHECK_INT(ow_flush(&s), SR_ERR_IO);
	CHECK_INT(calls, 1);
}

SR_TEST(output_enums_have_names_both_ways)
{
	for (int i = 1; i < SR_EVT_COUNT; i++)
		CHECK_INT(sr_event_type_parse(sr_event_type_name(i)), i);
	for (int i = 1; i < SR_MOD_COUNT; i++)
		CHECK_INT(sr_modality_parse(sr_modality_name(i)), i);
	CHECK_INT(sr_event_type_parse("teleport"), -1);
	CHECK(sr_event_type_name(0) == NULL);
	CHECK_STR(sr_modality_name(SR_MOD_REPORTED), "reported_unconfirmed");
	CHECK_INT(sr_format_parse("json"), SR_FMT_JSON);
}

/* ---- a paged query, as a server makes one per request */

static sr_ref
place(const char *id, const char *name, double lat)
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
	r.lon = 38.0;
	return r;
}

SR_TEST(output_query_pages_with_cursors)
{
	char path[64], err[256];
	snprintf(path, sizeof path, "/tmp/sitrep-unit-out-%d.db", (int)getpid());
	unlink(path);
	sr_store *st = sr_store_open(path, SR_STORE_CREATE, err, sizeof err);
	CHECK(st != NULL);
	if (!st)
		return;
	static const char *const names[] = {"Alpha base", "Bravo base", "Charlie base"};
	static const char *const ids[] = {"site:a", "site:b", "site:c"};
	for (int i = 0; i < 3; i++) {
		char id[16], text[128];
		snprintf(id, sizeof id, "d%d.txt", i);
		snprintf(text, sizeof text, " date 2026-02-1%d\nTroops left %s on day %d.", i, names[i], i);
		sr_doc *d = sr_doc_from_text(id, text, strlen(text));
		sr_doc_analyze(d);
		sr_event e;
		memset(&e, 0, sizeof e);
		e.type = "withdraw";
		e.place = place(ids[i], names[i], 33.0 + i);
		e.actor.set = 1;
		e.actor.id = "US.MIL";
		e.actor.name = "United States Armed Forces";
		e.actor.kind = "state_military";
		snprintf(e.date, sizeof e.date, "2026-02-1%d", i);
		e.date_precision = "day";
		e.modality = "asserted";
		e.end = 10;
		int added = 0;
		CHECK_INT(sr_store_add(st, d, &e, 1, &added), SR_OK);
		sr_doc_free(d);
	}
	CHECK_INT(sr_store_flush(st), SR_OK);
	sr_filter f = {0};
	sr_page page = {0};
	page.limit = 2;
	sr_mem m = {0};
	CHECK_INT(sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_JSONL, &page, sr_sink_mem, &m), SR_OK);
	CHECK_INT(page.rows, 2);
	CHECK(page.next[0] != 0);
	CHECK(m.data && strstr(m.data, "Alpha base") && strstr(m.data, "Bravo base") &&
	      !strstr(m.data, "Charlie"));
	char next[SR_CURSOR_MAX];
	memcpy(next, page.next, sizeof next);
	sr_mem_free(&m);
	page.cursor = next;
	CHECK_INT(sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_JSON, &page, sr_sink_mem, &m), SR_OK);
	CHECK_INT(page.rows, 1);
	CHECK_STR(page.next, "");
	CHECK(m.data && m.data[0] == '[' && strstr(m.data, "Charlie base") && !strstr(m.data, "Alpha"));
	sr_mem_free(&m);
	/* places and incidents page the same way */
	page.cursor = NULL;
	page.limit = 1;
	CHECK_INT(sr_store_query(st, SR_Q_PLACES, &f, SR_FMT_JSONL, &page, sr_sink_mem, &m), SR_OK);
	CHECK_INT(page.rows, 1);
	CHECK(page.next[0] != 0);
	sr_mem_free(&m);
	CHECK_INT(sr_store_query(st, SR_Q_INCIDENTS, &f, SR_FMT_GEOJSON, &page, sr_sink_mem, &m), SR_OK);
	CHECK(m.data && strstr(m.data, "\"type\":\"FeatureCollection\""));
	sr_mem_free(&m);
	/* a bad cursor and a filter by enum */
	page.cursor = "zz";
	CHECK_INT(sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_JSONL, &page, sr_sink_mem, &m),
		  SR_ERR_USAGE);
	CHECK(strstr(sr_store_errmsg(st), "bad cursor") != NULL);
	page.cursor = NULL;
	page.limit = 0;
	f.type = SR_EVT_ATTACK;
	CHECK_INT(sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_JSONL, &page, sr_sink_mem, &m), SR_OK);
	CHECK_INT(page.rows, 0);
	sr_mem_free(&m);
	/* a sink that stops: SR_ERR_IO */
	f.type = 0;
	int calls = 0;
	CHECK_INT(sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_JSONL, &page, refuse, &calls), SR_ERR_IO);
	sr_store_close(st);
	unlink(path);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
}

/* The sources of an event come out in one order (by name), not in the
 * order the store first saw them. */
static char *
sources_of_b(int with_a)
{
	char path[64], err[256];
	snprintf(path, sizeof path, "/tmp/sitrep-unit-src-%d.db", (int)getpid());
	unlink(path);
	sr_store *st = sr_store_open(path, SR_STORE_CREATE, err, sizeof err);
	if (!st)
		return NULL;
	for (int k = with_a ? 0 : 1; k < 2; k++) {
		const char *text = k == 0 ? "Zeta said troops left Alpha base." :
			"Alpha and Zeta said troops left Bravo base.";
		sr_doc *d = sr_doc_from_text(k == 0 ? "a.txt" : "b.txt", text, strlen(text));
		sr_doc_analyze(d);
		sr_event e;
		memset(&e, 0, sizeof e);
		e.type = "withdraw";
		e.place = place(k == 0 ? "site:a" : "site:b", k == 0 ? "Alpha base" : "Bravo base", 33);
		e.modality = "asserted";
		e.end = 10;
		if (k == 0) {
			e.sources[0] = (sr_source){"Zeta", "official", "Zeta said"};
			e.nsources = 1;
		} else {
			e.sources[0] = (sr_source){"Zeta", "official", "Zeta said"};
			e.sources[1] = (sr_source){"Alpha", "official", "Alpha said"};
			e.nsources = 2;
		}
		int added;
		sr_store_add(st, d, &e, 1, &added);
		sr_doc_free(d);
	}
	sr_store_flush(st);
	sr_filter f = {0};
	f.place = "Bravo";
	sr_page page = {0};
	sr_mem m = {0};
	sr_store_query(st, SR_Q_EVENTS, &f, SR_FMT_CSV, &page, sr_sink_mem, &m);
	sr_store_close(st);
	unlink(path);
	char side[80];
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	return m.data;
}

SR_TEST(output_event_sources_in_fixed_order)
{
	/* b.txt's sources, with and without a.txt (which makes the store
	 * meet Zeta first) */
	char *one = sources_of_b(1), *two = sources_of_b(0);
	CHECK(one && strstr(one, ",Alpha; Zeta,"));
	CHECK(two && strstr(two, ",Alpha; Zeta,"));
	free(one);
	free(two);
}
