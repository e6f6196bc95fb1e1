/*
 * out_int.h -- the output layer: one row model and one writer per format.
 *
 * Every record sitrep prints from the store (an event, an incident, a
 * place, a search hit) is built once as a row:
 *
 *   tree   the nested record (JSON Lines, JSON), as DESIGN.md defines it
 *   flat   named scalar columns (CSV, GeoJSON properties, table cells)
 *   point  its coordinates, when it has some (GeoJSON geometry)
 *
 * and handed to a writer of one format, which sends bytes to a sink (a
 * FILE *, a memory buffer or any callback: the CLI and the HTTP server
 * use the same writers).  As cmark renders one node tree through html.c,
 * xml.c and man.c, the formats differ only in their writer:
 *
 *   sink.c     sinks, buffered; the one JSON string escaper's users
 *   value.c    the row model (values in an arena) and its JSON text
 *   table.c    aligned tables measured in terminal cells
 *   writer.c   the writers: table, jsonl, json, csv, geojson
 */
#ifndef SR_OUT_INT_H
#define SR_OUT_INT_H

#include "../sr_internal.h"

/* ---------------------------------------------------------------- sinks */

/* A buffered sink over a public sr_sink_fn: writes go to a 16 KB buffer
 * and out in blocks.  err is set once the callback failed; later writes
 * are dropped. */
typedef struct ow_sink {
	sr_sink_fn fn;
	void *ctx;
	char buf[16384];
	size_t n;
	int err;
} ow_sink;

void ow_sink_init(ow_sink *s, sr_sink_fn fn, void *ctx);
void ow_put(ow_sink *s, const char *p, size_t n);
void ow_puts(ow_sink *s, const char *str);
void ow_putc(ow_sink *s, char c);
void ow_printf(ow_sink *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A JSON string (quotes included), or null for NULL. */
void ow_json_str(ow_sink *s, const char *str);
/* Sends what is buffered; returns SR_OK or SR_ERR_IO. */
int ow_flush(ow_sink *s);

/* ------------------------------------------------------------ row model */

enum ov_kind { OV_NULL, OV_BOOL, OV_INT, OV_NUM, OV_STR, OV_JSON, OV_OBJ, OV_ARR };

/* One value of a row: a member of an object (key) or an array (key
 * NULL).  Strings are not copied: they must live until the row is
 * written (the row is written before the next SQLite step). */
typedef struct ov {
	enum ov_kind k;
	int prec;               /* OV_NUM: decimals, -1 = shortest */
	const char *key;
	union {
		int b;
		long long i;
		double d;
		const char *s;  /* OV_STR, OV_JSON (JSON text this library made) */
		struct ov *first;
	} u;
	struct ov *last;        /* containers: last child */
	struct ov *next;        /* next sibling */
} ov;

typedef struct ow_row {
	sr_arena a;
	ov *tree;               /* the record (an object) */
	ov *flat;               /* its columns (an object of scalars) */
	int has_point;
	double lat, lon;
} ow_row;

/* Empties the row for the next record (keeps the arena's memory). */
void ow_row_reset(ow_row *r);
void ow_row_free(ow_row *r);

/* Adders: each appends a member key (NULL inside an array) to parent. */
ov *ov_obj(ow_row *r, ov *parent, const char *key);
ov *ov_arr(ow_row *r, ov *parent, const char *key);
void ov_null(ow_row *r, ov *parent, const char *key);
void ov_bool(ow_row *r, ov *parent, const char *key, int v);
void ov_int(ow_row *r, ov *parent, const char *key, long long v);
/* A number with prec decimals (-1: as short as exact); NaN/inf: null. */
void ov_num(ow_row *r, ov *parent, const char *key, double v, int prec);
/* A string, or null for NULL. */
void ov_str(ow_row *r, ov *parent, const char *key, const char *s);
/* A string copied into the row (for text made on the stack). */
void ov_strcpy(ow_row *r, ov *parent, const char *key, const char *s);
/* JSON text made by this library (a stored array); NULL or "": dflt. */
void ov_json(ow_row *r, ov *parent, const char *key, const char *json, const char *dflt);
/* The member key of obj, or NULL. */
const ov *ov_get(const ov *obj, const char *key);

/* Writes v as JSON text. */
void ov_write_json(ow_sink *s, const ov *v);
/* Writes a scalar as text (a CSV or table cell): strings as they are,
 * numbers in their format, booleans 1/0, null as "", JSON as its text. */
void ov_write_text(ow_sink *s, const ov *v);
/* The same into a buffer (reset first). */
void ov_text(sr_buf *b, const ov *v);

/* The strings of a JSON array of strings this library wrote (a stored
 * list of sources or documents), decoded, into *out (owned by the
 * caller, free with ow_strings_free); returns how many. */
size_t ow_json_strings(const char *json, char ***out);
void ow_strings_free(char **v, size_t n);

/* ---------------------------------------------------------------- table */

typedef struct ow_table {
	size_t ncol;
	const char *const *head;
	int *maxw;              /* widest allowed per column (0 = no limit) */
	char **cells;           /* rows * ncol, owned */
	size_t nrows, cap;
} ow_table;

void ow_table_init(ow_table *t, size_t ncol, const char *const *head, int *maxw);
/* Adds one row of ncol strings (copied; NULL = ""). */
void ow_table_row(ow_table *t, const char *const *cells);
/* Prints with columns sized to their content (within maxw, cut with an
 * ellipsis, counting terminal cells), two spaces apart; bold heads when
 * color; each line after indent. */
void ow_table_print(ow_table *t, ow_sink *out, int color, const char *indent);
void ow_table_free(ow_table *t);
/* Terminal cells of a UTF-8 string. */
int ow_width(const char *s);
/* Prints text wrapped to width, lines after the first indented. */
void ow_wrap(ow_sink *out, const char *text, int width, const char *indent1, const char *indent);

/* -------------------------------------------------------------- writers */

/* What a kind of record shows: its CSV columns (also the GeoJSON
 * properties' order), and its table (columns named from the flat
 * columns, with their widest widths: > 0 cells, < 0 a share in percent
 * of what is left of the width). */
typedef struct ow_spec {
	const char *const *csv;
	size_t ncsv;
	const char *const *table;       /* flat column names */
	const char *const *table_head;  /* their heads (NULL: the names) */
	const int *table_w;
	size_t ntable;
	const char *noun, *nouns;       /* "event", "events": the table's count */
	const char *table_note;         /* after the count, or NULL */
} ow_spec;

typedef struct ow_writer {
	int fmt;
	const ow_spec *spec;
	ow_sink *out;
	int color, width;
	long nrows;
	ow_table t;
	sr_buf cell;
} ow_writer;

/* Starts a document of format fmt (enum sr_format) on out: the CSV head,
 * the GeoJSON collection's opening, the JSON array's bracket. */
void ow_begin(ow_writer *w, int fmt, const ow_spec *spec, ow_sink *out, int color, int width);
/* Writes one row (GeoJSON: rows without a point are skipped). */
void ow_write(ow_writer *w, const ow_row *r);
/* Ends the document (the table is printed here with its count). */
void ow_end(ow_writer *w);
/* Frees the writer without ending the document (after an error). */
void ow_abort(ow_writer *w);

#endif
