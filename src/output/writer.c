/*
 * writer.c -- one writer per format over the row model:
 *
 *   table    the table columns of the spec, aligned, then a count
 *   jsonl    the row's tree, one line each
 *   json     the trees in one JSON array (an HTTP response body)
 *   csv      RFC 4180: the spec's columns from the row's flat values
 *   geojson  an RFC 7946 FeatureCollection of Points: the row's point,
 *            its flat values as properties (strings and numbers only,
 *            as GIS programs such as QGIS want them), in the CSV's order;
 *            flat keys starting with '_' are for the table only
 */
#include "out_int.h"

#include <stdlib.h>

static void
csv_field(ow_sink *out, const char *s, size_t n, int last)
{
	int quote = 0;
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (quote) {
		ow_putc(out, '"');
		size_t run = 0;
		for (size_t i = 0; i < n; i++)
			if (s[i] == '"') {
				ow_put(out, s + run, i + 1 - run);
				run = i;
			}
		ow_put(out, s + run, n - run);
		ow_putc(out, '"');
	} else {
		ow_put(out, s, n);
	}
	ow_puts(out, last ? "\r\n" : ",");
}

static int
in_spec(const ow_spec *spec, const char *key)
{
	for (size_t i = 0; i < spec->ncsv; i++)
		if (!strcmp(spec->csv[i], key))
			return 1;
	return 0;
}

/* The flat columns as GeoJSON properties: the CSV's columns in their
 * order, then the others; a key starting with '_' is the table's alone. */
static void
write_properties(ow_sink *out, const ow_spec *spec, const ov *flat)
{
	int n = 0;
	ow_putc(out, '{');
	for (size_t i = 0; i < spec->ncsv; i++) {
		const ov *v = ov_get(flat, spec->csv[i]);
		if (!v)
			continue;
		if (n++)
			ow_putc(out, ',');
		ow_json_str(out, v->key);
		ow_putc(out, ':');
		ov_write_json(out, v);
	}
	for (const ov *v = flat->u.first; v; v = v->next) {
		if (!v->key || v->key[0] == '_' || in_spec(spec, v->key))
			continue;
		if (n++)
			ow_putc(out, ',');
		ow_json_str(out, v->key);
		ow_putc(out, ':');
		ov_write_json(out, v);
	}
	ow_putc(out, '}');
}

void
ow_begin(ow_writer *w, int fmt, const ow_spec *spec, ow_sink *out, int color, int width)
{
	memset(w, 0, sizeof *w);
	w->fmt = fmt;
	w->spec = spec;
	w->out = out;
	w->color = color;
	w->width = width > 0 ? width : 100;
	if (fmt == SR_FMT_CSV) {
		for (size_t i = 0; i < spec->ncsv; i++)
			csv_field(out, spec->csv[i], strlen(spec->csv[i]), i + 1 == spec->ncsv);
	} else if (fmt == SR_FMT_GEOJSON) {
		ow_puts(out, "{\"type\":\"FeatureCollection\",\"features\":[");
	} else if (fmt == SR_FMT_JSON) {
		ow_putc(out, '[');
	} else if (fmt == SR_FMT_TABLE) {
		int *maxw = sr_calloc(spec->ntable + 1, sizeof *maxw);
		int fixed = 0, last_share = -1;
		for (size_t c = 0; c < spec->ntable; c++) {
			if (spec->table_w[c] > 0)
				fixed += spec->table_w[c];
			else
				last_share = (int)c;
		}
		int rest = w->width - fixed - 2 * (int)(spec->ntable ? spec->ntable - 1 : 0);
		int given = 0;
		for (size_t c = 0; c < spec->ntable; c++) {
			if (spec->table_w[c] > 0) {
				maxw[c] = spec->table_w[c];
			} else if ((int)c != last_share) {
				maxw[c] = rest * -spec->table_w[c] / 100;
				given += maxw[c];
			}
		}
		if (last_share >= 0)
			maxw[last_share] = rest - given > 1 ? rest - given : 1;
		ow_table_init(&w->t, spec->ntable, spec->table_head ? spec->table_head : spec->table,
			      maxw);
	}
}

void
ow_write(ow_writer *w, const ow_row *r)
{
	ow_sink *out = w->out;
	const ow_spec *spec = w->spec;
	switch (w->fmt) {
	case SR_FMT_JSONL:
		ov_write_json(out, r->tree);
		ow_putc(out, '\n');
		break;
	case SR_FMT_JSON:
		if (w->nrows)
			ow_puts(out, ",\n");
		ov_write_json(out, r->tree);
		break;
	case SR_FMT_CSV: {
		/* rows list their columns mostly in the CSV's order: look for
		 * each from where the last one was found */
		const ov *cur = r->flat->u.first;
		for (size_t i = 0; i < spec->ncsv; i++) {
			const ov *v = NULL;
			for (const ov *x = cur; x && !v; x = x->next)
				if (x->key && !strcmp(x->key, spec->csv[i]))
					v = x;
			for (const ov *x = r->flat->u.first; x != cur && !v; x = x->next)
				if (x->key && !strcmp(x->key, spec->csv[i]))
					v = x;
			if (v)
				cur = v->next ? v->next : r->flat->u.first;
			ov_text(&w->cell, v);
			csv_field(out, w->cell.ptr ? w->cell.ptr : "", w->cell.len, i + 1 == spec->ncsv);
		}
		break;
	}
	case SR_FMT_GEOJSON:
		if (!r->has_point)
			return;
		ow_puts(out, w->nrows ? ",\n" : "\n");
		ow_printf(out, "{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\","
			  "\"coordinates\":[%.6f,%.6f]},\"properties\":", r->lon, r->lat);
		write_properties(out, spec, r->flat);
		ow_putc(out, '}');
		break;
	default: {
		const char **cells = sr_malloc((spec->ntable + 1) * sizeof *cells);
		sr_buf *bufs = sr_calloc(spec->ntable + 1, sizeof *bufs);
		for (size_t c = 0; c < spec->ntable; c++) {
			const ov *v = ov_get(r->flat, spec->table[c]);
			ov_text(&bufs[c], v);
			cells[c] = !v || v->k == OV_NULL ? "-" : bufs[c].len ? bufs[c].ptr : "";
		}
		ow_table_row(&w->t, cells);
		for (size_t c = 0; c < spec->ntable; c++)
			sr_buf_free(&bufs[c]);
		free(bufs);
		free(cells);
	}
	}
	w->nrows++;
}

void
ow_end(ow_writer *w)
{
	ow_sink *out = w->out;
	if (w->fmt == SR_FMT_GEOJSON) {
		ow_puts(out, "\n]}\n");
	} else if (w->fmt == SR_FMT_JSON) {
		ow_puts(out, "]\n");
	} else if (w->fmt == SR_FMT_TABLE) {
		ow_table_print(&w->t, out, w->color, "");
		free(w->t.maxw);
		ow_table_free(&w->t);
		ow_printf(out, "(%ld %s%s)\n", w->nrows, w->nrows == 1 ? w->spec->noun : w->spec->nouns,
			  w->spec->table_note ? w->spec->table_note : "");
	}
	sr_buf_free(&w->cell);
}

void
ow_abort(ow_writer *w)
{
	if (w->fmt == SR_FMT_TABLE) {
		free(w->t.maxw);
		ow_table_free(&w->t);
	}
	sr_buf_free(&w->cell);
}
