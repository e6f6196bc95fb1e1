/*
 * input_int.h -- what the readers of web formats share inside the library:
 * HTML pages (html.c, html_body.c), feeds (feed.c), WARC archives
 * (warc.c), fetching (fetch.c), and the helpers they all use: dates in the
 * formats the web writes them (date.c) and bytes in other character sets
 * or gzip (decode.c).  reader.c turns what these find into sr_doc.
 */
#ifndef SR_INPUT_INT_H
#define SR_INPUT_INT_H

#include "../sr_internal.h"

#include <stdio.h>

/* ----------------------------------------------------------------- dates */

/* Reads a publication date written as RFC 3339 / ISO 8601 ("2026-02-20",
 * "2026-02-20T10:00:00Z"), RFC 2822 ("Fri, 20 Feb 2026 10:00:00 +0000"),
 * "20 Feb 2026", "February 20, 2026", "Feb. 20, 2026", "2026/02/20" or
 * "20260220", with leading and trailing blanks allowed.  Writes
 * "YYYY-MM-DD" into out and returns true, or returns false (out = "").
 * The date is the one written, not converted to UTC. */
bool sr_date_parse(const char *s, size_t n, char out[11]);

/* ------------------------------------------------------- bytes to text */

/* Is buf gzip data (starts with the gzip magic)? */
bool sr_is_gzip(const char *buf, size_t len);

/* Inflates the gzip data of buf (all its members, one after the other)
 * into *out (appended).  Returns SR_OK, SR_ERR_FORMAT (corrupt data;
 * what was inflated before stays in *out) or SR_ERR_LIMIT (more than limit
 * bytes). */
int sr_gunzip(const char *buf, size_t len, size_t limit, sr_buf *out);

/* The character set a page declares: a byte-order mark, else <meta
 * charset> or <meta http-equiv content="...charset=..."> in its first
 * 4 KB (HTML), else the encoding of an XML declaration (xml true).
 * Writes the lower-cased name into out ("" when none) . */
void sr_sniff_charset(const char *buf, size_t len, bool xml, char out[40]);

/* Converts buf from the character set charset to UTF-8.  A declared
 * single-byte set on bytes that are valid UTF-8 with some non-ASCII
 * characters is taken as UTF-8 (a common mistake), and Latin-1 is read
 * as Windows-1252 (as browsers do).  With no charset (NULL or ""),
 * valid UTF-8 stays, and anything else is read as Windows-1252.  Returns
 * a new NUL-terminated string (owned by the caller, free()) and its length
 * in *outlen; an unknown character set is read as UTF-8 (then *unknown
 * is set when unknown is not NULL).  A BOM is dropped. */
char *sr_to_utf8(const char *buf, size_t len, const char *charset, size_t *outlen,
		 bool *unknown);

/* ------------------------------------------------------------------ HTML */

/* What the HTML reader found on a page.  Strings are owned by the page
 * (NULL when absent); free them with sr_html_page_clear. */
typedef struct sr_html_page {
	char *text;             /* the article body: paragraphs separated by
				   blank lines; "" when the page has none */
	size_t len;
	char *title;            /* headline */
	char *url;              /* canonical URL */
	char *outlet;           /* the site's name */
	char *lang;             /* language code ("en", "en-US") */
	char published[11];     /* "YYYY-MM-DD" or "" */
	char *published_raw;    /* the date as the page states it, when it
				   could not be read */
} sr_html_page;

/* Reads an HTML page: parses it with libxml2's HTML parser (which
 * recovers from broken markup), reads its metadata (JSON-LD, Open Graph
 * and article: meta tags, <time datetime>, <title>, <link
 * rel=canonical>, <html lang>) and extracts its article body from the
 * page's structure.  charset: the character set known from outside (an
 * HTTP header), or NULL to read the page's own declaration.  Never fails:
 * a page with no article gives text "". */
void sr_html_read(const char *buf, size_t len, const char *charset, sr_html_page *out);

/* The visible text of an HTML fragment (UTF-8), all of it: paragraphs
 * separated by blank lines, appended to *out. */
void sr_html_text(const char *buf, size_t len, sr_buf *out);

/* Frees what a page holds and zeroes it. */
void sr_html_page_clear(sr_html_page *p);

/* Does buf look like an HTML page (a doctype, <html>, <head>, <body> or a
 * common block tag among its first bytes)? */
bool sr_looks_html(const char *buf, size_t len);

/* ----------------------------------------------------------------- feeds */

/* One item of a feed.  Strings owned by the feed list. */
typedef struct sr_feed_item {
	char *id;               /* link, else guid, else "FEED#N" */
	char *link;
	char *title;
	char published[11];
	char *published_raw;    /* stated but unreadable */
	char *text;             /* content:encoded or content, else summary or
				   description, as plain text */
} sr_feed_item;

/* Is buf an RSS 2.0, RSS 1.0 (RDF) or Atom feed (by its root element)? */
bool sr_looks_feed(const char *buf, size_t len);

/* Parses a feed (RSS 2.0, RSS 1.0, Atom).  Fills *items (owned by the
 * caller, free with sr_feed_free) and *n, and the feed's title into
 * *feed_title (may be NULL; caller frees).  HTML in descriptions is
 * reduced to its text.  Returns SR_OK, or SR_ERR_FORMAT with a message in
 * err when the file is no feed at all. */
int sr_feed_parse(const char *buf, size_t len, const char *name, sr_feed_item **items,
		  size_t *n, char **feed_title, char *err, size_t errlen);

void sr_feed_free(sr_feed_item *items, size_t n);

/* ------------------------------------------------------------------ WARC */

/* A WARC archive read record by record (plain or with one gzip member per
 * record, or one member for all): memory stays bounded by the largest
 * record kept (SR_MAX_RECORD), whatever the archive's size. */
typedef struct sr_warc sr_warc;

/* Opens the archive at f (not owned: the caller closes it after
 * sr_warc_free).  name is used in messages. */
sr_warc *sr_warc_open(FILE *f, const char *name);
void sr_warc_free(sr_warc *w);

/* One HTML response of the archive. */
typedef struct sr_warc_page {
	char *uri;              /* WARC-Target-URI */
	char published[11];     /* WARC-Date's day */
	char *charset;          /* from the HTTP Content-Type, or NULL */
	char *body;             /* the HTTP body, decoded (chunked, gzip) */
	size_t len;
	long record;            /* its number in the archive, from 1 */
} sr_warc_page;

/* The next HTML response: SR_OK with *out filled (strings owned by the
 * reader, valid until the next call), SR_END at the end, or an error for
 * a damaged record (message in err; the next call goes on when it can,
 * else returns SR_END).  Records that are not HTML responses are skipped
 * and counted (sr_warc_skipped). */
int sr_warc_next(sr_warc *w, sr_warc_page *out, char *err, size_t errlen);
long sr_warc_skipped(const sr_warc *w);

/* Is buf the start of a WARC record ("WARC/1.")? */
bool sr_looks_warc(const char *buf, size_t len);

/* Whether a gzip file holds a WARC archive (its first member starts with
 * "WARC/").  Reads the file's start and rewinds it. */
bool sr_warc_sniff_gz(FILE *f);

/* ------------------------------------------------------- documents */

/* Documents made from one input of the web's formats. */
typedef struct sr_web_out {
	sr_doc **docs;          /* owned by the caller once returned */
	char **warns;           /* a warning for each document, or NULL */
	size_t n, cap;
} sr_web_out;

/* Reads a whole page, feed or text (gzip or not) into documents: an HTML
 * page gives one (its article), a feed one per item (with
 * SR_READ_FOLLOW in flags, the linked page's article instead of the
 * item's summary when it can be fetched), anything else one plain text
 * document.  where names the input in messages; id and url (may be NULL)
 * are the document's; charset is what HTTP stated (or NULL).  Returns
 * SR_OK with at least one document, or an error with a message in err (a
 * page without article text, a feed with no items, corrupt gzip). */
int sr_web_read(const char *where, const char *id, const char *url, const char *buf,
		size_t len, const char *charset, unsigned flags, sr_web_out *out, char *err,
		size_t errlen);

/* Frees the documents and warnings still held by out. */
void sr_web_out_free(sr_web_out *out);

/* Would sr_web_read read buf as one HTML page (not gzip, binary, a feed
 * or text, and the XML library at hand)?  Then sr_web_read_page gives
 * what sr_web_read would: one document, or an error (SR_READ_DEFER). */
bool sr_web_is_page(const char *buf, size_t len);
int sr_web_read_page(const char *where, const char *id, const char *url, const char *buf,
		     size_t len, const char *charset, sr_web_out *out, char *err, size_t errlen);

/* ----------------------------------------------------------------- fetch */

/* Fetched bytes and what the server said about them. */
typedef struct sr_fetch_result {
	long status;            /* HTTP status, 0 when no answer */
	char *body;             /* owned; NUL-terminated */
	size_t len;
	char *content_type;     /* owned; may be NULL */
	char *etag;             /* owned; may be NULL */
	char *last_modified;    /* owned; may be NULL */
	char *final_url;        /* owned: after redirects */
	char error[256];        /* why it failed, "" when it did not */
} sr_fetch_result;

/* Fetches url once with libcurl: at most 5 redirects, timeouts (connect
 * 10 s, whole transfer timeout_s), a user agent naming sitrep, gzip
 * accepted, bodies up to SR_MAX_RECORD.  etag / last_modified (may be
 * NULL) make the request conditional (a 304 gives status 304 and no
 * body).  Returns SR_OK when an HTTP answer came (any status), else
 * SR_ERR_IO with res->error set. */
int sr_fetch(const char *url, const char *etag, const char *last_modified, long timeout_s,
	     sr_fetch_result *res);
void sr_fetch_result_clear(sr_fetch_result *res);

/* The charset parameter of a Content-Type header value, lower-cased, or
 * "" (out has 40 bytes). */
void sr_content_type_charset(const char *ct, char out[40]);

#endif
