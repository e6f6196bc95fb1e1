/*
 * value.c -- the row model: a record as a small tree of values in an
 * arena (objects, arrays, strings, numbers), written as JSON text or as
 * the text of one cell.  Also the names of the closed sets of the
 * record (event types, modalities, formats) and their parsers.
 */
#include "out_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------ enums */

static const char *const type_names[SR_EVT_COUNT] = {NULL, "withdraw", "take_control",
	"deploy", "attack", "transfer_detainees", "agreement"};
static const char *const modality_names[SR_MOD_COUNT] = {NULL, "asserted",
	"reported_unconfirmed", "expected", "denied"};

const char *
sr_event_type_name(int type)
{
	return type > 0 && type < SR_EVT_COUNT ? type_names[type] : NULL;
}

int
sr_event_type_parse(const char *name)
{
	for (int i = 1; name && i < SR_EVT_COUNT; i++)
		if (!strcmp(name, type_names[i]))
			return i;
	return -1;
}

const char *
sr_modality_name(int modality)
{
	return modality > 0 && modality < SR_MOD_COUNT ? modality_names[modality] : NULL;
}

int
sr_modality_parse(const char *name)
{
	for (int i = 1; name && i < SR_MOD_COUNT; i++)
		if (!strcmp(name, modality_names[i]))
			return i;
	return -1;
}

int
sr_format_parse(const char *name)
{
	static const char *const names[] = {"table", "jsonl", "csv", "geojson", "json"};
	for (size_t i = 0; name && i < SR_ARRAY_LEN(names); i++)
		if (!strcmp(name, names[i]))
			return (int)i;
	return -1;
}

/* -------------------------------------------------------------- rows */

void
ow_row_reset(ow_row *r)
{
	sr_arena_reset(&r->a);
	r->tree = sr_arena_alloc(&r->a, sizeof *r->tree);
	memset(r->tree, 0, sizeof *r->tree);
	r->tree->k = OV_OBJ;
	r->flat = sr_arena_alloc(&r->a, sizeof *r->flat);
	memset(r->flat, 0, sizeof *r->flat);
	r->flat->k = OV_OBJ;
	r->has_point = 0;
	r->lat = r->lon = 0;
}

void
ow_row_free(ow_row *r)
{
	sr_arena_free(&r->a);
	memset(r, 0, sizeof *r);
}

static ov *
add(ow_row *r, ov *parent, const char *key, enum ov_kind k)
{
	ov *v = sr_arena_alloc(&r->a, sizeof *v);
	memset(v, 0, sizeof *v);
	v->k = k;
	v->key = key;
	v->prec = -1;
	if (parent->last)
		parent->last->next = v;
	else
		parent->u.first = v;
	parent->last = v;
	return v;
}

ov *
ov_obj(ow_row *r, ov *parent, const char *key)
{
	return add(r, parent, key, OV_OBJ);
}

ov *
ov_arr(ow_row *r, ov *parent, const char *key)
{
	return add(r, parent, key, OV_ARR);
}

void
ov_null(ow_row *r, ov *parent, const char *key)
{
	add(r, parent, key, OV_NULL);
}

void
ov_bool(ow_row *r, ov *parent, const char *key, int v)
{
	add(r, parent, key, OV_BOOL)->u.b = v != 0;
}

void
ov_int(ow_row *r, ov *parent, const char *key, long long v)
{
	add(r, parent, key, OV_INT)->u.i = v;
}

void
ov_num(ow_row *r, ov *parent, const char *key, double v, int prec)
{
	if (!isfinite(v)) {
		ov_null(r, parent, key);
		return;
	}
	ov *x = add(r, parent, key, OV_NUM);
	x->u.d = v;
	x->prec = prec;
}

void
ov_str(ow_row *r, ov *parent, const char *key, const char *s)
{
	if (!s)
		ov_null(r, parent, key);
	else
		add(r, parent, key, OV_STR)->u.s = s;
}

void
ov_strcpy(ow_row *r, ov *parent, const char *key, const char *s)
{
	ov_str(r, parent, key, s ? sr_arena_strndup(&r->a, s, strlen(s)) : NULL);
}

void
ov_json(ow_row *r, ov *parent, const char *key, const char *json, const char *dflt)
{
	add(r, parent, key, OV_JSON)->u.s = json && *json ? json : dflt;
}

const ov *
ov_get(const ov *obj, const char *key)
{
	if (!obj || (obj->k != OV_OBJ))
		return NULL;
	for (const ov *v = obj->u.first; v; v = v->next)
		if (v->key && !strcmp(v->key, key))
			return v;
	return NULL;
}

/* A number as text: integers without a point, else prec decimals or the
 * shortest exact form. */
static int
num_text(char *buf, size_t n, const ov *v)
{
	if (v->prec >= 0)
		return snprintf(buf, n, "%.*f", v->prec, v->u.d);
	if (v->u.d < 1e15 && v->u.d > -1e15 && v->u.d == (double)(long long)v->u.d)
		return snprintf(buf, n, "%lld", (long long)v->u.d);
	return snprintf(buf, n, "%.15g", v->u.d);
}

void
ov_write_json(ow_sink *s, const ov *v)
{
	char num[64];
	switch (v->k) {
	case OV_NULL:
		ow_put(s, "null", 4);
		break;
	case OV_BOOL:
		ow_puts(s, v->u.b ? "true" : "false");
		break;
	case OV_INT:
		ow_put(s, num, (size_t)snprintf(num, sizeof num, "%lld", v->u.i));
		break;
	case OV_NUM:
		ow_put(s, num, (size_t)num_text(num, sizeof num, v));
		break;
	case OV_STR:
		ow_json_str(s, v->u.s);
		break;
	case OV_JSON:
		ow_puts(s, v->u.s ? v->u.s : "null");
		break;
	case OV_OBJ:
	case OV_ARR: {
		int obj = v->k == OV_OBJ;
		ow_putc(s, obj ? '{' : '[');
		for (const ov *c = v->u.first; c; c = c->next) {
			if (c != v->u.first)
				ow_putc(s, ',');
			if (obj) {
				ow_json_str(s, c->key ? c->key : "");
				ow_putc(s, ':');
			}
			ov_write_json(s, c);
		}
		ow_putc(s, obj ? '}' : ']');
		break;
	}
	}
}

void
ov_text(sr_buf *b, const ov *v)
{
	char num[64];
	sr_buf_reset(b);
	if (!v)
		return;
	switch (v->k) {
	case OV_NULL:
		break;
	case OV_BOOL:
		sr_buf_addc(b, v->u.b ? '1' : '0');
		break;
	case OV_INT:
		sr_buf_add(b, num, (size_t)snprintf(num, sizeof num, "%lld", v->u.i));
		break;
	case OV_NUM:
		sr_buf_add(b, num, (size_t)num_text(num, sizeof num, v));
		break;
	case OV_STR:
	case OV_JSON:
		if (v->u.s)
			sr_buf_adds(b, v->u.s);
		break;
	case OV_OBJ:
	case OV_ARR: {
		/* a container in a cell: its JSON text */
		sr_mem m = {0};
		ow_sink *s = sr_malloc(sizeof *s);
		ow_sink_init(s, sr_sink_mem, &m);
		ov_write_json(s, v);
		ow_flush(s);
		free(s);
		if (m.data)
			sr_buf_add(b, m.data, m.len);
		sr_mem_free(&m);
		break;
	}
	}
}

void
ov_write_text(ow_sink *s, const ov *v)
{
	sr_buf b = {0};
	ov_text(&b, v);
	if (b.len)
		ow_put(s, b.ptr, b.len);
	sr_buf_free(&b);
}

/* ----------------------------------------------- arrays of strings */

static int
hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int32_t
hex4(const char *p)
{
	int32_t v = 0;
	for (int i = 0; i < 4; i++) {
		int h = hexval((unsigned char)p[i]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

size_t
ow_json_strings(const char *json, char ***out)
{
	size_t n = 0, cap = 0;
	char **v = NULL;
	const char *p = json;
	sr_buf b = {0};
	while (p && *p) {
		while (*p && *p != '"')
			p++;
		if (!*p)
			break;
		p++;
		sr_buf_reset(&b);
		sr_buf_add(&b, "", 0);
		while (*p && *p != '"') {
			if (*p != '\\') {
				sr_buf_addc(&b, *p++);
				continue;
			}
			p++;
			char c = *p ? *p++ : 0;
			char u[4];
			int32_t cp;
			switch (c) {
			case 'n': sr_buf_addc(&b, '\n'); break;
			case 't': sr_buf_addc(&b, '\t'); break;
			case 'r': sr_buf_addc(&b, '\r'); break;
			case 'b': sr_buf_addc(&b, '\b'); break;
			case 'f': sr_buf_addc(&b, '\f'); break;
			case 'u':
				cp = strlen(p) >= 4 ? hex4(p) : -1;
				if (cp < 0)
					break;
				p += 4;
				if (cp >= 0xd800 && cp < 0xdc00 && p[0] == '\\' && p[1] == 'u' &&
				    strlen(p) >= 6) {
					int32_t lo = hex4(p + 2);
					if (lo >= 0xdc00 && lo < 0xe000) {
						cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
						p += 6;
					}
				}
				sr_buf_add(&b, u, (size_t)sr_utf8_encode(cp, u));
				break;
			default:
				if (c)
					sr_buf_addc(&b, c);
			}
		}
		if (*p == '"')
			p++;
		SR_GROW(v, cap, n + 1);
		v[n++] = sr_strndup(b.ptr, b.len);
	}
	sr_buf_free(&b);
	*out = v;
	return n;
}

void
ow_strings_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
