/*
 * table.c -- aligned tables and wrapped text for a person at a terminal,
 * measured in terminal cells (utf8proc's character widths), cut with an
 * ellipsis where a column is too narrow.
 */
#include "out_int.h"

#include <stdlib.h>
#include <utf8proc.h>

int
ow_width(const char *s)
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
put_cell(ow_sink *out, const char *s, int w, int pad)
{
	int sw = ow_width(s);
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
			ow_putc(out, ' ');
		else
			ow_put(out, (const char *)p, (size_t)k);
		used += cw;
		p += k;
		n -= (size_t)k;
	}
	if (cut) {
		ow_puts(out, "\xe2\x80\xa6");
		used++;
	}
	if (pad)
		for (; used < w; used++)
			ow_putc(out, ' ');
}

void
ow_table_init(ow_table *t, size_t ncol, const char *const *head, int *maxw)
{
	memset(t, 0, sizeof *t);
	t->ncol = ncol;
	t->head = head;
	t->maxw = maxw;
}

void
ow_table_row(ow_table *t, const char *const *cells)
{
	SR_GROW(t->cells, t->cap, (t->nrows + 1) * t->ncol);
	for (size_t i = 0; i < t->ncol; i++)
		t->cells[t->nrows * t->ncol + i] = sr_strdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

void
ow_table_print(ow_table *t, ow_sink *out, int color, const char *indent)
{
	int *w = sr_calloc(t->ncol, sizeof *w);
	for (size_t c = 0; c < t->ncol; c++) {
		w[c] = t->head ? ow_width(t->head[c]) : 0;
		for (size_t r = 0; r < t->nrows; r++) {
			int cw = ow_width(t->cells[r * t->ncol + c]);
			if (cw > w[c])
				w[c] = cw;
		}
		if (t->maxw && t->maxw[c] > 0 && w[c] > t->maxw[c])
			w[c] = t->maxw[c];
	}
	if (t->head) {
		ow_puts(out, indent);
		if (color)
			ow_puts(out, "\x1b[1m");
		for (size_t c = 0; c < t->ncol; c++) {
			if (c)
				ow_puts(out, "  ");
			put_cell(out, t->head[c], w[c], c + 1 < t->ncol);
		}
		if (color)
			ow_puts(out, "\x1b[0m");
		ow_putc(out, '\n');
	}
	for (size_t r = 0; r < t->nrows; r++) {
		ow_puts(out, indent);
		for (size_t c = 0; c < t->ncol; c++) {
			if (c)
				ow_puts(out, "  ");
			put_cell(out, t->cells[r * t->ncol + c], w[c], c + 1 < t->ncol);
		}
		ow_putc(out, '\n');
	}
	free(w);
}

void
ow_table_free(ow_table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncol; i++)
		free(t->cells[i]);
	free(t->cells);
	memset(t, 0, sizeof *t);
}

void
ow_wrap(ow_sink *out, const char *text, int width, const char *indent1, const char *indent)
{
	const char *t = text;
	ow_puts(out, indent1);
	int lw = ow_width(indent1);
	int base = lw;
	while (*t) {
		while (*t == ' ' || *t == '\n' || *t == '\t' || *t == '\r')
			t++;
		const char *e = t;
		while (*e && *e != ' ' && *e != '\n' && *e != '\t' && *e != '\r')
			e++;
		if (e == t)
			break;
		char *w = sr_strndup(t, (size_t)(e - t));
		int ww = ow_width(w);
		if (lw > base && lw + 1 + ww > width) {
			ow_putc(out, '\n');
			ow_puts(out, indent);
			lw = base = ow_width(indent);
		} else if (lw > base) {
			ow_putc(out, ' ');
			lw++;
		}
		ow_puts(out, w);
		lw += ww;
		free(w);
		t = e;
	}
	ow_putc(out, '\n');
}
