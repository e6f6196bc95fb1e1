/*
 * warc.c -- WARC archives (ISO 28500), as crawls and Common Crawl's
 * CC-NEWS ship them: plain, or gzip with one member per record (or one
 * member for all).  The archive is streamed: bytes come through a 64 KB
 * window (inflated on the fly), one record's content at a time is kept,
 * and records that are not HTML responses are skipped without being
 * held, so memory is flat in the archive's size.  A damaged record costs
 * that record: reading resumes at the next "WARC/" line.
 */
#include "input_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <zlib.h>

#define WIN ((size_t)64 << 10)

struct sr_warc {
	FILE *f;
	char *name;
	bool gz;
	z_stream z;
	bool zinit, zend;       /* zend: the stream ended (no more members) */
	unsigned char *in;      /* compressed bytes read from f */
	unsigned char *win;     /* decoded bytes: win[pos..len) unread */
	size_t pos, len;
	bool eof;
	long record;
	long skipped;
	sr_buf rec;             /* the content block of the current record */
	sr_buf body;            /* the HTTP body, decoded */
	char *uri, *charset;
	char line[8192];
};

static bool
gz_peek(const unsigned char *b, size_t n)
{
	return n >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

bool
sr_looks_warc(const char *buf, size_t len)
{
	return len >= 7 && !memcmp(buf, "WARC/1.", 7);
}

bool
sr_warc_sniff_gz(FILE *f)
{
	unsigned char in[4096], out[16];
	size_t n = fread(in, 1, sizeof in, f);
	rewind(f);
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return false;
	z.next_in = in;
	z.avail_in = (uInt)n;
	z.next_out = out;
	z.avail_out = sizeof out;
	inflate(&z, Z_SYNC_FLUSH);
	size_t got = sizeof out - z.avail_out;
	inflateEnd(&z);
	return sr_looks_warc((const char *)out, got);
}

sr_warc *
sr_warc_open(FILE *f, const char *name)
{
	sr_warc *w = sr_calloc(1, sizeof *w);
	w->f = f;
	w->name = sr_strdup(name);
	unsigned char head[2];
	size_t n = fread(head, 1, 2, f);
	rewind(f);
	w->gz = gz_peek(head, n);
	w->win = sr_malloc(WIN);
	if (w->gz) {
		w->in = sr_malloc(WIN);
		if (inflateInit2(&w->z, 15 + 32) == Z_OK)
			w->zinit = true;
	}
	return w;
}

void
sr_warc_free(sr_warc *w)
{
	if (!w)
		return;
	if (w->zinit)
		inflateEnd(&w->z);
	free(w->in);
	free(w->win);
	free(w->name);
	free(w->uri);
	free(w->charset);
	sr_buf_free(&w->rec);
	sr_buf_free(&w->body);
	free(w);
}

long
sr_warc_skipped(const sr_warc *w)
{
	return w->skipped;
}

/* Refills the window; false at the end of the archive.  Corrupt gzip
 * ends the archive too (what follows cannot be found). */
static bool
fill(sr_warc *w)
{
	if (w->pos < w->len)
		return true;
	w->pos = w->len = 0;
	if (w->eof)
		return false;
	if (!w->gz) {
		w->len = fread(w->win, 1, WIN, w->f);
		if (w->len == 0)
			w->eof = true;
		return w->len > 0;
	}
	if (!w->zinit) {
		w->eof = true;
		return false;
	}
	while (w->len == 0) {
		if (w->z.avail_in == 0) {
			size_t n = fread(w->in, 1, WIN, w->f);
			if (n == 0) {
				w->eof = true;
				return false;
			}
			w->z.next_in = w->in;
			w->z.avail_in = (uInt)n;
		}
		w->z.next_out = w->win;
		w->z.avail_out = (uInt)WIN;
		int zr = inflate(&w->z, Z_NO_FLUSH);
		w->len = WIN - w->z.avail_out;
		if (zr == Z_STREAM_END) {
			/* the next member, if any */
			inflateReset(&w->z);
		} else if (zr != Z_OK && zr != Z_BUF_ERROR) {
			w->eof = true;
			return w->len > 0;
		} else if (zr == Z_BUF_ERROR && w->z.avail_in == 0 && feof(w->f) && w->len == 0) {
			w->eof = true;
			return false;
		}
	}
	return true;
}

/* One line (without CR LF) into w->line; false at the end. */
static bool
get_line(sr_warc *w, size_t *n)
{
	size_t k = 0;
	for (;;) {
		if (!fill(w)) {
			if (k == 0)
				return false;
			break;
		}
		unsigned char *p = w->win + w->pos;
		size_t avail = w->len - w->pos;
		unsigned char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		size_t room = sizeof w->line - 1 - k;
		memcpy(w->line + k, p, take < room ? take : room);
		k += take < room ? take : room;
		w->pos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (k && w->line[k - 1] == '\r')
		k--;
	w->line[k] = 0;
	*n = k;
	return true;
}

/* Reads n bytes of content into b (keep) or drops them. */
static size_t
take_bytes(sr_warc *w, size_t n, sr_buf *b)
{
	size_t got = 0;
	while (got < n && fill(w)) {
		size_t avail = w->len - w->pos;
		size_t k = n - got < avail ? n - got : avail;
		if (b)
			sr_buf_add(b, w->win + w->pos, k);
		w->pos += k;
		got += k;
	}
	return got;
}

static const char *
header_value(const char *line, const char *name)
{
	size_t n = strlen(name);
	if (sr_strncasecmp_ascii(line, name, n) != 0 || line[n] != ':')
		return NULL;
	const char *v = line + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	return v;
}

/* Undoes chunked transfer coding in place; false when malformed. */
static bool
dechunk(sr_buf *b)
{
	size_t in = 0, out = 0;
	while (in < b->len) {
		char *end;
		unsigned long n = strtoul(b->ptr + in, &end, 16);
		if (end == b->ptr + in)
			return false;
		char *nl = memchr(end, '\n', b->len - (size_t)(end - b->ptr));
		if (!nl)
			return false;
		in = (size_t)(nl - b->ptr) + 1;
		if (n == 0)
			break;
		if (n > b->len - in)
			n = b->len - in;
		memmove(b->ptr + out, b->ptr + in, n);
		out += n;
		in += n;
		while (in < b->len && (b->ptr[in] == '\r' || b->ptr[in] == '\n'))
			in++;
	}
	b->len = out;
	if (b->ptr)
		b->ptr[out] = 0;
	return true;
}

/* Reads the HTTP response in w->rec; true when it is an HTML page (then
 * w->body holds it). */
static bool
http_html(sr_warc *w)
{
	if (!w->rec.ptr || w->rec.len < 12)
		return false;
	const char *p = w->rec.ptr, *e = p + w->rec.len;
	if (strncmp(p, "HTTP/", 5) != 0)
		return false;
	const char *sp = memchr(p, ' ', (size_t)(e - p));
	if (!sp || atoi(sp + 1) != 200)
		return false;
	bool html = false, chunked = false;
	free(w->charset);
	w->charset = NULL;
	const char *line = p;
	for (;;) {
		const char *nl = memchr(line, '\n', (size_t)(e - line));
		if (!nl)
			return false;
		size_t n = (size_t)(nl - line);
		if (n && line[n - 1] == '\r')
			n--;
		if (n == 0) {
			line = nl + 1;
			break;
		}
		char h[1024];
		size_t k = n < sizeof h - 1 ? n : sizeof h - 1;
		memcpy(h, line, k);
		h[k] = 0;
		const char *v;
		if ((v = header_value(h, "Content-Type"))) {
			html = strstr(v, "html") != NULL;
			char cs[40];
			sr_content_type_charset(v, cs);
			if (cs[0])
				w->charset = sr_strdup(cs);
		} else if ((v = header_value(h, "Transfer-Encoding"))) {
			chunked = strstr(v, "chunked") != NULL;
		}
		line = nl + 1;
	}
	if (!html)
		return false;
	sr_buf_reset(&w->body);
	sr_buf_add(&w->body, line, (size_t)(e - line));
	if (chunked && !dechunk(&w->body))
		return false;
	if (sr_is_gzip(w->body.ptr, w->body.len)) {
		sr_buf z = {0};
		if (sr_gunzip(w->body.ptr, w->body.len, SR_MAX_RECORD, &z) != SR_OK && z.len == 0) {
			sr_buf_free(&z);
			return false;
		}
		sr_buf_free(&w->body);
		w->body = z;
	}
	return true;
}

int
sr_warc_next(sr_warc *w, sr_warc_page *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	for (;;) {
		size_t n;
		/* the version line, after blank lines; anything else is damage
		 * to skip */
		bool found = false, damaged = false;
		while (get_line(w, &n)) {
			if (n == 0)
				continue;
			if (!strncmp(w->line, "WARC/1.", 7)) {
				found = true;
				break;
			}
			damaged = true;
		}
		if (!found)
			return SR_END;
		w->record++;
		char type[64] = "", date[64] = "", ctype[256] = "";
		long long clen = -1;
		free(w->uri);
		w->uri = NULL;
		while (get_line(w, &n) && n > 0) {
			const char *v;
			if ((v = header_value(w->line, "WARC-Type")))
				snprintf(type, sizeof type, "%s", v);
			else if ((v = header_value(w->line, "WARC-Target-URI"))) {
				free(w->uri);   /* a repeated header: the last wins */
				w->uri = sr_strdup(v[0] == '<' ? v + 1 : v);
			}
			else if ((v = header_value(w->line, "WARC-Date")))
				snprintf(date, sizeof date, "%s", v);
			else if ((v = header_value(w->line, "Content-Length")))
				clen = atoll(v);
			else if ((v = header_value(w->line, "Content-Type")))
				snprintf(ctype, sizeof ctype, "%s", v);
		}
		if (w->uri) {
			size_t k = strlen(w->uri);
			if (k && w->uri[k - 1] == '>')
				w->uri[k - 1] = 0;
		}
		if (clen < 0) {
			snprintf(err, errlen, "%s: record %ld has no Content-Length; skipped to the next "
					      "record", w->name, w->record);
			return SR_ERR_FORMAT;
		}
		bool want = !strcmp(type, "response") && strstr(ctype, "application/http") && w->uri &&
			    (size_t)clen <= SR_MAX_RECORD;
		sr_buf_reset(&w->rec);
		size_t got = take_bytes(w, (size_t)clen, want ? &w->rec : NULL);
		if (got < (size_t)clen) {
			snprintf(err, errlen, "%s: record %ld is cut short (%zu of %lld bytes): the "
					      "archive is truncated", w->name, w->record, got, clen);
			return SR_ERR_FORMAT;
		}
		(void)damaged;
		if (!want || !http_html(w)) {
			w->skipped++;
			continue;
		}
		out->uri = w->uri;
		out->charset = w->charset;
		out->body = w->body.ptr ? w->body.ptr : (char *)"";
		out->len = w->body.len;
		out->record = w->record;
		if (!sr_date_parse(date, strlen(date), out->published))
			out->published[0] = 0;
		return SR_OK;
	}
}
