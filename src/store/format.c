/*
 * format.c -- what the writers share: aligned tables measured in terminal
 * cells (utf8proc's character widths), RFC 4180 CSV fields, JSON strings,
 * and counts written the way reports write them.
 */
#include "store_int.h"

#include <math.h>
#include <stdlib.h>
#include <utf8proc.h>

int
st_width(const char *s)
{
	int w = 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		int32_t cp;
		int k = sr_utf8_decode(p, n, &cp);
		if (k <= 0)
			k = 1;
		int cw = utf8proc_charwidth(cp);
		w += cw > 0 ? cw : 0;
		p += k;
		n -= (size_t)k;
	}
	return w;
}

/* Writes at most w cells of s, cutting with an ellipsis; pads to w when
 * pad.  Control characters are shown as spaces. */
static void
put_cell(FILE *out, const char *s, int w, int pad)
{
	int sw = st_width(s);
	int cut = w > 0 && sw > w;
	int room = cut ? w - 1 : sw;
	int used = 0;
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	while (n) {
		int32_t cp;
		int k = sr_utf8_decode(p, n, &cp);
		if (k <= 0)
			k = 1;
		int cw = utf8proc_charwidth(cp);
		if (cw < 0)
			cw = 0;
		if (used + cw > room)
			break;
		if (cp < 0x20 || cp == 0x7f)
			fputc(' ', out);
		else
			fwrite(p, 1, (size_t)k, out);
		used += cw;
		p += k;
		n -= (size_t)k;
	}
	if (cut) {
		fputs("\xe2\x80\xa6", out);
		used++;
	}
	if (pad)
		for (; used < w; used++)
			fputc(' ', out);
}

void
st_table_init(st_table *t, size_t ncol, const char *const *head, int *maxw)
{
	memset(t, 0, sizeof *t);
	t->ncol = ncol;
	t->head = head;
	t->maxw = maxw;
}

void
st_table_row(st_table *t, const char *const *cells)
{
	SR_GROW(t->cells, t->cap, (t->nrows + 1) * t->ncol);
	for (size_t i = 0; i < t->ncol; i++)
		t->cells[t->nrows * t->ncol + i] = sr_strdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void
st_table_print(st_table *t, FILE *out, int color, const char *indent)
{
	int *w = sr_calloc(t->ncol, sizeof *w);
	for (size_t c = 0; c < t->ncol; c++) {
		w[c] = t->head ? st_width(t->head[c]) : 0;
		for (size_t r = 0; r < t->nrows; r++) {
			int cw = st_width(t->cells[r * t->ncol + c]);
			if (cw > w[c])
				w[c] = cw;
		}
		if (t->maxw && t->maxw[c] > 0 && w[c] > t->maxw[c])
			w[c] = t->maxw[c];
	}
	if (t->head) {
		fputs(indent, out);
		if (color)
			fputs("\x1b[1m", out);
		for (size_t c = 0; c < t->ncol; c++) {
			if (c)
				fputs("  ", out);
			put_cell(out, t->head[c], w[c], c + 1 < t->ncol);
		}
		if (color)
			fputs("\x1b[0m", out);
		fputc('\n', out);
	}
	for (size_t r = 0; r < t->nrows; r++) {
		fputs(indent, out);
		for (size_t c = 0; c < t->ncol; c++) {
			if (c)
				fputs("  ", out);
			put_cell(out, t->cells[r * t->ncol + c], w[c], c + 1 < t->ncol);
		}
		fputc('\n', out);
	}
	free(w);
}

void
st_table_free(st_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

void
st_csv_field(FILE *out, const char *s, int last)
{
	if (!s)
		s = "";
	if (strpbrk(s, ",\"\r\n")) {
		fputc('"', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else {
		fputs(s, out);
	}
	fputs(last ? "\r\n" : ",", out);
}

void
st_json(FILE *out, const char *s)
{
	if (s)
		sr_json_str(out, s, strlen(s));
	else
		fputs("null", out);
}

void
st_fmt_count(double v, char *out, size_t n)
{
	if (!isfinite(v)) {
		snprintf(out, n, "?");
		return;
	}
	if (v != floor(v) || fabs(v) >= 1e15) {
		snprintf(out, n, "%g", v);
		return;
	}
	char digits[32];
	snprintf(digits, sizeof digits, "%.0f", fabs(v));
	size_t len = strlen(digits), o = 0;
	if (v < 0 && o + 1 < n)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
}
