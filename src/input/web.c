/*
 * web.c -- documents from one input of the web's formats: a page, a feed
 * or a text, gzip-compressed or not, known by its content.  The reader
 * (src/text/reader.c) hands over whole files, fetched bodies and WARC
 * records; what comes back are sr_doc ready for the pipeline.
 */
#include "input_int.h"
#include "dyn.h"

#include <stdlib.h>

static void
add_doc(sr_web_out *o, sr_doc *doc, char *warning)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 4;
		o->docs = sr_realloc(o->docs, o->cap * sizeof *o->docs);
		o->warns = sr_realloc(o->warns, o->cap * sizeof *o->warns);
	}
	o->docs[o->n] = doc;
	o->warns[o->n] = warning;
	o->n++;
}

void
sr_web_out_free(sr_web_out *o)
{
	for (size_t i = 0; i < o->n; i++) {
		sr_doc_free(o->docs[i]);
		free(o->warns[i]);
	}
	free(o->docs);
	free(o->warns);
	memset(o, 0, sizeof *o);
}

/* A copy of s that is valid UTF-8 (NULL stays NULL). */
static char *
valid(const char *s)
{
	if (!s)
		return NULL;
	size_t n, bad;
	return sr_utf8_repair(s, strlen(s), &n, &bad);
}

/* Replaces *p by a valid UTF-8 copy. */
static void
make_valid(char **p)
{
	if (*p && sr_utf8_count_invalid(*p, strlen(*p))) {
		char *v = valid(*p);
		free(*p);
		*p = v;
	}
}

static void
add_doc(sr_web_out *o, sr_doc *doc, char *warning);

/* Adds a finished document, its strings made valid UTF-8. */
static void
add_valid(sr_web_out *o, sr_doc *doc, char *warning)
{
	make_valid(&doc->id);
	make_valid(&doc->url);
	make_valid(&doc->title);
	make_valid(&doc->outlet);
	make_valid(&doc->lang);
	make_valid(&warning);
	add_doc(o, doc, warning);
}

static sr_doc *
new_doc(const char *id, const char *text, size_t len, const char *where)
{
	sr_doc *doc = sr_calloc(1, sizeof *doc);
	doc->id = sr_strdup(id && *id ? id : "-");
	size_t outlen, bad;
	doc->text = sr_utf8_repair(text, len, &outlen, &bad);
	doc->len = outlen;
	doc->bad_utf8 = bad;
	doc->origin = sr_strdup(where);
	return doc;
}

static char *
date_warning(const char *where, const char *raw)
{
	sr_buf b = {0};
	sr_buf_printf(&b, "%s: publication date \"%.60s\" is not a date sitrep reads; the report "
			  "has no publication date", where, raw);
	return b.ptr;
}

/* One HTML page: its article and metadata. */
static int
html_doc(const char *where, const char *id, const char *url, const char *buf, size_t len,
	 const char *charset, sr_web_out *out, char *err, size_t errlen)
{
	sr_html_page pg;
	sr_html_read(buf, len, charset, &pg);
	if (!pg.len) {
		snprintf(err, errlen,
			 "%s: no article text found in the page (an index, a form or an empty "
			 "page?), skipped", where);
		sr_html_page_clear(&pg);
		return SR_ERR_FORMAT;
	}
	sr_doc *doc = new_doc(id, pg.text, pg.len, where);
	doc->url = url ? sr_strdup(url) : pg.url;
	if (url)
		free(pg.url);
	doc->title = pg.title;
	doc->outlet = pg.outlet;
	doc->lang = pg.lang;
	memcpy(doc->published, pg.published, 11);
	char *w = pg.published_raw ? date_warning(where, pg.published_raw) : NULL;
	free(pg.published_raw);
	free(pg.text);
	add_valid(out, doc, w);
	return SR_OK;
}

int
sr_web_read_page(const char *where, const char *id, const char *url, const char *buf, size_t len,
		 const char *charset, sr_web_out *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	err[0] = 0;
	return html_doc(where, id, url, buf, len, charset, out, err, errlen);
}

/* Fetches a feed item's page; SR_OK with one more document, else an
 * error (the caller then keeps the summary). */
static int
follow_link(const char *link, sr_web_out *out)
{
	sr_fetch_result res;
	int st = sr_fetch(link, NULL, NULL, 60, &res);
	if (st == SR_OK && res.status == 200) {
		char cs[40], err[256];
		sr_content_type_charset(res.content_type, cs);
		st = html_doc(link, link, res.final_url ? res.final_url : link, res.body, res.len,
			      cs[0] ? cs : NULL, out, err, sizeof err);
	} else {
		st = SR_ERR_IO;
	}
	sr_fetch_result_clear(&res);
	return st;
}

static int
feed_docs(const char *where, const char *buf, size_t len, unsigned flags, sr_web_out *out,
	  char *err, size_t errlen)
{
	sr_feed_item *items;
	size_t n;
	char *ftitle = NULL;
	int st = sr_feed_parse(buf, len, where, &items, &n, &ftitle, err, errlen);
	if (st != SR_OK)
		return st;
	for (size_t i = 0; i < n; i++) {
		sr_feed_item *it = &items[i];
		if ((flags & SR_READ_FOLLOW) && it->link && follow_link(it->link, out) == SR_OK) {
			sr_doc *d = out->docs[out->n - 1];
			free(d->id);
			d->id = sr_strdup(it->id);
			if (!d->title && it->title)
				d->title = sr_strdup(it->title);
			if (!d->published[0])
				memcpy(d->published, it->published, 11);
			if (!d->outlet && ftitle)
				d->outlet = sr_strdup(ftitle);
			make_valid(&d->id);
			make_valid(&d->title);
			make_valid(&d->outlet);
			continue;
		}
		if (!it->text || !*it->text)
			continue;   /* nothing to read: a title alone is no report */
		char w[1200];
		snprintf(w, sizeof w, "%s: item %zu", where, i + 1);
		sr_doc *d = new_doc(it->id, it->text, strlen(it->text), where);
		d->url = it->link ? sr_strdup(it->link) : NULL;
		d->title = it->title ? sr_strdup(it->title) : NULL;
		d->outlet = ftitle ? sr_strdup(ftitle) : NULL;
		memcpy(d->published, it->published, 11);
		add_valid(out, d, it->published_raw ? date_warning(w, it->published_raw) : NULL);
	}
	sr_feed_free(items, n);
	free(ftitle);
	if (out->n == 0) {
		snprintf(err, errlen, "%s: the feed has no item with text, skipped", where);
		return SR_ERR_FORMAT;
	}
	return SR_OK;
}

/* Is buf binary (a NUL byte, and not UTF-16's)? */
static bool
binary(const char *buf, size_t len)
{
	return memchr(buf, 0, len) && !(len >= 2 && (buf[0] == 0 || buf[1] == 0));
}

/* Where the content of buf starts (after a BOM and blank space). */
static size_t
content_start(const char *buf, size_t len)
{
	size_t i = len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3) ? 3 : 0;
	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	return i;
}

/* Each test in the order sr_web_read makes it, up to its html_doc. */
bool
sr_web_is_page(const char *buf, size_t len)
{
	if (sr_is_gzip(buf, len) || binary(buf, len) || sr_looks_feed(buf, len) || !sr_xml_api())
		return false;
	size_t i = content_start(buf, len);
	return i < len && (buf[i] == '<' || sr_looks_html(buf, len));
}

int
sr_web_read(const char *where, const char *id, const char *url, const char *buf, size_t len,
	    const char *charset, unsigned flags, sr_web_out *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	err[0] = 0;
	if (sr_is_gzip(buf, len)) {
		sr_buf b = {0};
		int st = sr_gunzip(buf, len, SR_MAX_RECORD, &b);
		if (st == SR_ERR_LIMIT) {
			snprintf(err, errlen, "%s: more than %zu MB once uncompressed, skipped", where,
				 SR_MAX_RECORD >> 20);
		} else if (st != SR_OK && b.len == 0) {
			snprintf(err, errlen, "%s: corrupt gzip data, skipped", where);
		} else {
			/* a truncated file: read what came out */
			st = sr_web_read(where, id, url, b.ptr, b.len, charset, flags, out, err, errlen);
		}
		sr_buf_free(&b);
		return st;
	}
	if (binary(buf, len)) {
		snprintf(err, errlen, "%s: NUL byte: not a page, feed or text (binary file?), skipped",
			 where);
		return SR_ERR_FORMAT;
	}
	if (sr_looks_feed(buf, len))
		return feed_docs(where, buf, len, flags, out, err, errlen);
	if (!sr_xml_api() && (buf[0] == '<' || sr_looks_html(buf, len))) {
		snprintf(err, errlen, "%s: %s", where, sr_dyn_error());
		return SR_ERR_IO;
	}
	size_t i = content_start(buf, len);
	if (i == len) {
		snprintf(err, errlen, "%s: empty file, no report to read", where);
		return SR_ERR_FORMAT;
	}
	if (buf[i] == '<' || sr_looks_html(buf, len))
		return html_doc(where, id, url, buf, len, charset, out, err, errlen);
	/* plain text (charset-converted when HTTP said which) */
	size_t ulen;
	char *u = sr_to_utf8(buf, len, charset, &ulen, NULL);
	sr_doc *d = new_doc(id, u, ulen, where);
	free(u);
	d->url = url ? sr_strdup(url) : NULL;
	add_valid(out, d, NULL);
	return SR_OK;
}
