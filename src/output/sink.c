/*
 * sink.c -- where output goes: a FILE *, memory, or any callback (the
 * HTTP server's response).  Writers write through a 16 KB buffer so a
 * callback sees blocks, not bytes.  JSON strings go through the one
 * escaper of the project (sr_buf_json_str in util.c).
 */
#include "out_int.h"

#include <stdio.h>
#include <stdlib.h>

int
sr_sink_file(void *ctx, const char *data, size_t len)
{
	FILE *f = ctx;
	return fwrite(data, 1, len, f) == len ? 0 : -1;
}

int
sr_sink_mem(void *ctx, const char *data, size_t len)
{
	sr_mem *m = ctx;
	if (m->len + len + 1 > m->cap) {
		size_t c = m->cap ? m->cap : 256;
		while (c < m->len + len + 1)
			c *= 2;
		m->data = sr_realloc(m->data, c);
		m->cap = c;
	}
	memcpy(m->data + m->len, data, len);
	m->len += len;
	m->data[m->len] = 0;
	return 0;
}

void
sr_mem_free(sr_mem *m)
{
	if (!m)
		return;
	free(m->data);
	memset(m, 0, sizeof *m);
}

void
ow_sink_init(ow_sink *s, sr_sink_fn fn, void *ctx)
{
	s->fn = fn;
	s->ctx = ctx;
	s->n = 0;
	s->err = 0;
}

int
ow_flush(ow_sink *s)
{
	if (s->n && !s->err && s->fn(s->ctx, s->buf, s->n) != 0)
		s->err = 1;
	s->n = 0;
	return s->err ? SR_ERR_IO : SR_OK;
}

void
ow_put(ow_sink *s, const char *p, size_t n)
{
	if (s->err)
		return;
	if (s->n + n > sizeof s->buf) {
		ow_flush(s);
		if (n > sizeof s->buf) {
			if (!s->err && s->fn(s->ctx, p, n) != 0)
				s->err = 1;
			return;
		}
	}
	memcpy(s->buf + s->n, p, n);
	s->n += n;
}

void
ow_puts(ow_sink *s, const char *str)
{
	ow_put(s, str, strlen(str));
}

void
ow_putc(ow_sink *s, char c)
{
	if (s->n < sizeof s->buf)
		s->buf[s->n++] = c;
	else
		ow_put(s, &c, 1);
}

void
ow_printf(ow_sink *s, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		ow_put(s, tmp, (size_t)n);
		return;
	}
	char *big = sr_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	ow_put(s, big, (size_t)n);
	free(big);
}

void
ow_json_str(ow_sink *s, const char *str)
{
	if (!str) {
		ow_put(s, "null", 4);
		return;
	}
	size_t n = strlen(str);
	if (n * 6 + 2 <= sizeof s->buf) {
		/* escaped straight into the buffer */
		if (s->n + n * 6 + 2 > sizeof s->buf)
			ow_flush(s);
		if (!s->err)
			s->n += sr_json_escape(s->buf + s->n, str, n);
		return;
	}
	char *tmp = sr_malloc(n * 6 + 2);
	size_t k = sr_json_escape(tmp, str, n);
	ow_put(s, tmp, k);
	free(tmp);
}
