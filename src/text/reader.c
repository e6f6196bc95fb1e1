/*
 * reader.c -- reads reports from plain text files, JSON Lines files, HTML
 * pages, RSS and Atom feeds, WARC archives (each plain or gzip-compressed,
 * known by their content as well as their name), URLs, folders
 * (recursive, sorted by byte order so output is deterministic) and
 * standard input.  The web formats are read by src/input/; this file
 * turns what they find into documents.
 *
 * The reader is a queue of paths.  sr_reader_next() hands out one document
 * at a time, or one error for one bad record or file, and then goes on:
 * nothing a single record holds can stop the rest from being read.  JSON
 * Lines files are streamed line by line, so memory stays bounded by the
 * largest record (SR_MAX_RECORD), whatever the file's size.  A record is
 * parsed by the fast parser of jsonline.c, or by jansson when that one
 * gives up.
 */
#include "../sr_internal.h"
#include "../input/input_int.h"
#include "jsonline_int.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

struct sr_reader {
	char **queue;           /* paths still to read, next at the end */
	size_t nqueue, capqueue;

	FILE *jf;               /* the JSON Lines file being read */
	char *jpath;
	long jline;
	bool jstdin;
	bool jsaw_record;       /* the file had at least one non-blank line */

	char *line;             /* the current line */
	size_t linecap;
	bool over_memory;       /* the line was skipped: the memory limit cannot hold it */
	char *rbuf;             /* read buffer of the JSON Lines file */
	size_t rpos, rlen;

	struct sr_dir_id { dev_t dev; ino_t ino; } *seen;  /* folders read */
	size_t nseen, capseen;

	sr_doc **pending;       /* documents read ahead (feed items) */
	char **pending_warn;    /* a warning for each, or NULL */
	size_t npending, ipending, cappending;

	sr_warc *warc;          /* the WARC archive being read */
	FILE *wf;
	char *wpath;

	unsigned flags;         /* SR_READ_* */
	size_t passed;          /* archive records that hold no page */

	char errmsg[2048];
	char warnmsg[1400];
	bool has_warning;
	size_t skipped;
};

sr_reader *
sr_reader_new(void)
{
	return sr_calloc(1, sizeof(sr_reader));
}

static void
close_jsonl(sr_reader *r)
{
	if (r->jf && !r->jstdin)
		fclose(r->jf);
	r->jf = NULL;
	r->rpos = r->rlen = 0;
	free(r->jpath);
	r->jpath = NULL;
}

static void
close_warc(sr_reader *r)
{
	sr_warc_free(r->warc);
	r->warc = NULL;
	if (r->wf)
		fclose(r->wf);
	r->wf = NULL;
	free(r->wpath);
	r->wpath = NULL;
}

void
sr_reader_free(sr_reader *r)
{
	if (!r)
		return;
	close_jsonl(r);
	close_warc(r);
	for (size_t i = r->ipending; i < r->npending; i++) {
		sr_doc_free(r->pending[i]);
		free(r->pending_warn[i]);
	}
	free(r->pending);
	free(r->pending_warn);
	for (size_t i = 0; i < r->nqueue; i++)
		free(r->queue[i]);
	free(r->queue);
	free(r->seen);
	free(r->line);
	free(r->rbuf);
	free(r);
}

static void
push(sr_reader *r, const char *path)
{
	SR_GROW(r->queue, r->capqueue, r->nqueue + 1);
	r->queue[r->nqueue++] = sr_strdup(path);
}

void
sr_reader_add(sr_reader *r, const char *path)
{
	/* the queue is a stack: keep the first added at the end */
	push(r, path);
	for (size_t i = r->nqueue - 1; i > 0; i--) {
		char *t = r->queue[i];
		r->queue[i] = r->queue[i - 1];
		r->queue[i - 1] = t;
	}
}

const char *
sr_reader_errmsg(const sr_reader *r)
{
	return r->errmsg;
}

const char *
sr_reader_warning(const sr_reader *r)
{
	return r->has_warning ? r->warnmsg : NULL;
}

size_t
sr_reader_passed(const sr_reader *r)
{
	return r->passed;
}

void
sr_reader_set_flags(sr_reader *r, unsigned flags)
{
	r->flags = flags;
}

size_t
sr_reader_skipped(const sr_reader *r)
{
	return r->skipped;
}

static int
fail(sr_reader *r, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(sr_reader *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->errmsg, sizeof r->errmsg, fmt, ap);
	va_end(ap);
	r->skipped++;
	return status;
}

static const char *
base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);
	return n >= m && sr_strncasecmp_ascii(s + n - m, suf, m) == 0;
}

static bool
is_jsonl_name(const char *path)
{
	return has_suffix(path, ".jsonl") || has_suffix(path, ".ndjson") ||
	       has_suffix(path, ".json");
}

static bool
is_html_name(const char *path)
{
	return has_suffix(path, ".html") || has_suffix(path, ".htm") || has_suffix(path, ".xhtml") ||
	       has_suffix(path, ".html.gz") || has_suffix(path, ".htm.gz");
}

static bool
is_feed_name(const char *path)
{
	return has_suffix(path, ".rss") || has_suffix(path, ".atom") || has_suffix(path, ".rdf") ||
	       has_suffix(path, ".xml") || has_suffix(path, ".rss.gz") || has_suffix(path, ".xml.gz");
}

static bool
is_warc_name(const char *path)
{
	return has_suffix(path, ".warc") || has_suffix(path, ".warc.gz");
}

static bool
is_url(const char *path)
{
	return !strncmp(path, "http://", 7) || !strncmp(path, "https://", 8);
}

/* Files a folder contributes: reports by their extension, or none. */
static bool
is_report_name(const char *name)
{
	if (name[0] == '.')
		return false;
	if (is_jsonl_name(name) || has_suffix(name, ".txt") || has_suffix(name, ".text") ||
	    is_html_name(name) || is_feed_name(name) || is_warc_name(name))
		return true;
	return strchr(name, '.') == NULL;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Queues the entries of a folder in sorted order. */
static int
expand_dir(sr_reader *r, const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return fail(r, SR_ERR_IO, "%s: cannot open folder: %s", path, strerror(errno));
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		size_t len = strlen(path) + strlen(e->d_name) + 2;
		char *full = sr_malloc(len);
		snprintf(full, len, "%s%s%s", path,
			 has_suffix(path, "/") ? "" : "/", e->d_name);
		struct stat st;
		if (stat(full, &st) == 0 && !S_ISDIR(st.st_mode) && !is_report_name(e->d_name)) {
			free(full);
			continue;
		}
		SR_GROW(names, cap, n + 1);
		names[n++] = full;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	/* push in reverse so that the first name is read first */
	for (size_t i = n; i > 0; i--) {
		SR_GROW(r->queue, r->capqueue, r->nqueue + 1);
		r->queue[r->nqueue++] = names[i - 1];
	}
	free(names);
	return SR_OK;
}

/* Reads a whole stream up to SR_MAX_RECORD bytes, or what the memory
 * limit can hold (*over_memory set).  Returns SR_OK, SR_ERR_IO or
 * SR_ERR_LIMIT. */
static int
slurp(FILE *f, sr_buf *b, bool *over_memory)
{
	char chunk[65536];
	size_t n;
	*over_memory = false;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > SR_MAX_RECORD)
			return SR_ERR_LIMIT;
		if (b->len + n + 1 > b->cap && b->cap >= ((size_t)1 << 20) &&
		    sr_mem_left(NULL) / 4 < b->cap * 2) {
			*over_memory = true;
			return SR_ERR_LIMIT;
		}
		sr_buf_add(b, chunk, n);
	}
	if (ferror(f))
		return SR_ERR_IO;
	if (!b->ptr)
		sr_buf_add(b, "", 0);
	return SR_OK;
}

/* Parses an optional " date YYYY-MM-DD" header at the start of text;
 * returns the offset where the report begins. */
static size_t
date_header(const char *text, size_t len, char published[11])
{
	size_t i = 0;
	while (i < len && (text[i] == ' ' || text[i] == '\t'))
		i++;
	if (len - i < 15 || strncmp(text + i, "date ", 5) != 0)
		return 0;
	char d[11];
	memcpy(d, text + i + 5, 10);
	d[10] = 0;
	if (!sr_valid_date(d))
		return 0;
	i += 15;
	if (i < len && text[i] != ' ' && text[i] != '\t' && text[i] != '\n' && text[i] != '\r')
		return 0;
	memcpy(published, d, 11);
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	return i;
}

static sr_doc *
make_doc(const char *id, const char *text, size_t len)
{
	sr_doc *doc = sr_calloc(1, sizeof *doc);
	doc->id = sr_strdup(id ? id : "-");
	size_t outlen, bad;
	doc->text = sr_utf8_repair(text, len, &outlen, &bad);
	doc->len = outlen;
	doc->bad_utf8 = bad;
	return doc;
}

/* make_doc for text known to be valid UTF-8: a plain copy. */
static sr_doc *
make_doc_valid(const char *id, const char *text, size_t len)
{
	sr_doc *doc = sr_calloc(1, sizeof *doc);
	doc->id = sr_strdup(id ? id : "-");
	doc->text = sr_strndup(text, len);
	doc->len = len;
	return doc;
}

sr_doc *
sr_doc_from_text(const char *id, const char *text, size_t len)
{
	sr_doc *doc = make_doc(id, text, len);
	doc->body = date_header(doc->text, doc->len, doc->published);
	doc->origin = sr_strdup("-");
	return doc;
}

/* Adds a warning about the document being returned (several are joined
 * with "; "). */
static void
warn(sr_reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
warn(sr_reader *r, const char *fmt, ...)
{
	size_t at = 0;
	if (r->has_warning) {
		at = strlen(r->warnmsg);
		if (at + 3 < sizeof r->warnmsg) {
			memcpy(r->warnmsg + at, "; ", 3);
			at += 2;
		}
	}
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->warnmsg + at, sizeof r->warnmsg - at, fmt, ap);
	va_end(ap);
	r->has_warning = true;
}

static void
warn_utf8(sr_reader *r, const char *where, const sr_doc *doc)
{
	if (!doc->bad_utf8)
		return;
	warn(r, "%s: %zu invalid UTF-8 sequence%s replaced with U+FFFD", where,
	     doc->bad_utf8, doc->bad_utf8 == 1 ? "" : "s");
}

/* Sets doc->published from a stated date, or warns that it cannot be
 * read (the document keeps no date then). */
static void
set_published(sr_reader *r, sr_doc *doc, const char *where, const char *s, size_t n)
{
	if (sr_date_parse(s, n, doc->published))
		return;
	char shown[64];
	size_t k = n < sizeof shown - 4 ? n : sizeof shown - 4;
	memcpy(shown, s, k);
	strcpy(shown + k, n > k ? "..." : "");
	for (char *c = shown; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = ' ';
	warn(r, "%s: \"published\" value \"%s\" is not a date sitrep reads (RFC 3339 "
		"\"2026-02-20\", RFC 2822 \"Fri, 20 Feb 2026 10:00:00 +0000\" or "
		"\"20 Feb 2026\"); the report has no publication date", where, shown);
}

/* Reads a plain text report (the whole file is one document). */
static int
read_text(sr_reader *r, const char *path, FILE *f, const char *prefix, size_t nprefix,
	  sr_doc **out)
{
	sr_buf b = {0};
	sr_buf_add(&b, prefix, nprefix);
	bool over_memory;
	int st = slurp(f, &b, &over_memory);
	if (st == SR_ERR_LIMIT && over_memory) {
		sr_buf_free(&b);
		size_t limit;
		sr_mem_left(&limit);
		return fail(r, st, "%s: file too large for the memory limit (ulimit -v %zu),"
			    " skipped", path, limit >> 10);
	}
	if (st == SR_ERR_LIMIT) {
		sr_buf_free(&b);
		return fail(r, st, "%s: file larger than the %zu MB limit, skipped", path,
			    SR_MAX_RECORD >> 20);
	}
	if (st == SR_ERR_IO) {
		sr_buf_free(&b);
		return fail(r, st, "%s: read error: %s", path, strerror(errno));
	}
	const char *nul = memchr(b.ptr, 0, b.len);
	if (nul) {
		size_t at = (size_t)(nul - b.ptr);
		sr_buf_free(&b);
		return fail(r, SR_ERR_FORMAT,
			    "%s: NUL byte at offset %zu: not a text report (binary file?), skipped",
			    path, at);
	}
	size_t i = 0;
	while (i < b.len && (b.ptr[i] == ' ' || b.ptr[i] == '\n' || b.ptr[i] == '\r' || b.ptr[i] == '\t'))
		i++;
	if (i == b.len) {
		sr_buf_free(&b);
		return fail(r, SR_ERR_FORMAT, "%s: empty file, no report to read", path);
	}
	size_t bom = b.len >= 3 && !memcmp(b.ptr, "\xEF\xBB\xBF", 3) ? 3 : 0;
	sr_doc *doc = make_doc(base_name(path), b.ptr + bom, b.len - bom);
	sr_buf_free(&b);
	doc->body = date_header(doc->text, doc->len, doc->published);
	doc->origin = sr_strdup(path);
	warn_utf8(r, path, doc);
	*out = doc;
	return SR_OK;
}

#define RBUF_SIZE ((size_t)64 << 10)

/* Reads one line of the JSON Lines file into r->line.  Returns its length,
 * or -1 at end of file.  A line longer than SR_MAX_RECORD is consumed and
 * *too_long set.  Reads in blocks and finds line ends with memchr: getc()
 * per byte was a tenth of the time of `sitrep sentences`. */
static long
read_line(sr_reader *r, bool *too_long)
{
	size_t len = 0;
	bool any = false;
	*too_long = false;
	for (;;) {
		if (r->rpos == r->rlen) {
			if (!r->rbuf)
				r->rbuf = sr_malloc(RBUF_SIZE);
			r->rpos = 0;
			r->rlen = fread(r->rbuf, 1, RBUF_SIZE, r->jf);
			if (r->rlen == 0)
				break;
		}
		any = true;
		const char *p = r->rbuf + r->rpos;
		size_t avail = r->rlen - r->rpos;
		const char *nl = memchr(p, '\n', avail);
		size_t take = nl ? (size_t)(nl - p) : avail;
		if (!*too_long && len + take > SR_MAX_RECORD)
			*too_long = true;
		if (!*too_long) {
			if (len + take + 2 > r->linecap) {
				size_t c = r->linecap ? r->linecap : 4096;
				while (c < len + take + 2)
					c *= 2;
				/* a record the memory limit cannot hold (the line,
				   its text, the document) is skipped, not fatal */
				if (c > ((size_t)1 << 20) && sr_mem_left(NULL) / 4 < c) {
					*too_long = true;
					r->over_memory = true;
					r->rpos += take + (nl ? 1 : 0);
					if (nl)
						break;
					continue;
				}
				r->line = sr_realloc(r->line, c);
				r->linecap = c;
			}
			memcpy(r->line + len, p, take);
			len += take;
		}
		r->rpos += take + (nl ? 1 : 0);
		if (nl)
			break;
	}
	if (!any)
		return -1;
	if (!r->line) {
		r->linecap = 16;
		r->line = sr_malloc(r->linecap);
	}
	if (*too_long)
		len = 0;
	r->line[len] = 0;
	if (len && r->line[len - 1] == '\r')
		r->line[--len] = 0;
	return (long)len;
}

static const char *
json_kind(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	case JSON_NULL: return "null";
	}
	return "something else";
}

/* ------------------------------------------------------ JSON records */

/* Makes the document of a parsed record.  valid: the text is known to be
 * valid UTF-8 (the fast path reads a repaired line, and its escapes
 * decode to valid characters). */
static sr_doc *
record_doc(sr_reader *r, const rec_fields *f, size_t bad, bool valid)
{
	const char *path = r->jpath;
	long ln = r->jline;
	char idbuf[1024];
	if (f->s[F_ID] && f->n[F_ID] > 0)
		idbuf[0] = 0;
	else if (f->id_int)
		snprintf(idbuf, sizeof idbuf, "%lld", f->id_num);
	else
		snprintf(idbuf, sizeof idbuf, "%s:%ld", base_name(path), ln);
	sr_doc *doc = valid ? make_doc_valid(idbuf, f->s[F_TEXT], f->n[F_TEXT])
			    : make_doc(idbuf, f->s[F_TEXT], f->n[F_TEXT]);
	if (f->s[F_ID] && f->n[F_ID] > 0) {
		free(doc->id);
		doc->id = sr_strndup(f->s[F_ID], f->n[F_ID]);
	}
	doc->bad_utf8 += bad;
	if (f->s[F_URL])
		doc->url = sr_strndup(f->s[F_URL], f->n[F_URL]);
	if (f->s[F_OUTLET])
		doc->outlet = sr_strndup(f->s[F_OUTLET], f->n[F_OUTLET]);
	if (f->s[F_TITLE])
		doc->title = sr_strndup(f->s[F_TITLE], f->n[F_TITLE]);
	doc->origin = sr_strdup(path);
	doc->line = ln;
	char where[1100];
	snprintf(where, sizeof where, "%s:%ld", path, ln);
	if (f->s[F_PUBLISHED] && f->n[F_PUBLISHED] > 0)
		set_published(r, doc, where, f->s[F_PUBLISHED], f->n[F_PUBLISHED]);
	else if (f->pub_other)
		warn(r, "%s: \"published\" is not a string; write the date as text (RFC 3339 "
			"\"2026-02-20\"); the report has no publication date", where);
	if (!doc->published[0])
		doc->body = date_header(doc->text, doc->len, doc->published);
	if (doc->bad_utf8)
		warn_utf8(r, where, doc);
	return doc;
}

/* Parses one JSON Lines record.  Returns SR_OK with *out, SR_END for a
 * blank line, or an error. */
static int
parse_record(sr_reader *r, char *line, size_t len, sr_doc **out)
{
	const char *path = r->jpath;
	long ln = r->jline;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	if (i == len)
		return SR_END;
	r->jsaw_record = true;
	const char *nul = memchr(line, 0, len);
	if (nul)
		return fail(r, SR_ERR_FORMAT, "%s:%ld: NUL byte at column %zu, record skipped",
			    path, ln, (size_t)(nul - line) + 1);
	/* invalid UTF-8 is repaired before parsing so one bad byte does not
	 * cost the whole record */
	size_t bad = sr_utf8_count_invalid(line, len);
	char *fixed = NULL;
	if (bad) {
		size_t flen, nbad;
		fixed = sr_utf8_repair(line, len, &flen, &nbad);
		line = fixed;
		len = flen;
	}
	rec_fields f;
	char *arena = sr_malloc(len + 1);
	if (sr_fast_record(line, len, arena, &f)) {
		*out = record_doc(r, &f, bad, true);
		free(arena);
		free(fixed);
		return SR_OK;
	}
	free(arena);
	json_error_t err;
	json_t *obj = json_loadb(line, len, 0, &err);
	free(fixed);
	if (!obj && strstr(err.text, "\\u0000"))
		return fail(r, SR_ERR_FORMAT,
			    "%s:%ld: NUL character (\\u0000) in a string at column %d, record skipped",
			    path, ln, err.column);
	if (!obj)
		return fail(r, SR_ERR_FORMAT, "%s:%ld: invalid JSON at column %d: %s, record skipped",
			    path, ln, err.column, err.text);
	int st = SR_OK;
	if (!json_is_object(obj)) {
		st = fail(r, SR_ERR_FORMAT, "%s:%ld: record is %s, not a JSON object, skipped",
			  path, ln, json_kind(obj));
		goto done;
	}
	json_t *text = json_object_get(obj, "text");
	if (!text) {
		st = fail(r, SR_ERR_FORMAT, "%s:%ld: record has no \"text\" field, skipped", path, ln);
		goto done;
	}
	if (!json_is_string(text)) {
		st = fail(r, SR_ERR_FORMAT, "%s:%ld: \"text\" is %s, not a string, record skipped",
			  path, ln, json_kind(text));
		goto done;
	}
	sr_json_fields(obj, &f);
	*out = record_doc(r, &f, bad, false);
done:
	json_decref(obj);
	return st;
}

/* The next record of the open JSON Lines file: SR_OK, an error, or
 * SR_END when the file is done (and closed). */
static int
next_jsonl(sr_reader *r, sr_doc **out)
{
	for (;;) {
		bool too_long;
		long len = read_line(r, &too_long);
		if (len < 0) {
			bool io = ferror(r->jf);
			bool empty = !r->jsaw_record;
			char *p = sr_strdup(r->jpath);
			close_jsonl(r);
			int st = SR_END;
			if (io)
				st = fail(r, SR_ERR_IO, "%s: read error after line %ld", p, r->jline);
			else if (empty)
				st = fail(r, SR_ERR_FORMAT, "%s: empty file, no report to read", p);
			free(p);
			return st;
		}
		r->jline++;
		if (r->jline == 1 && len >= 3 && !memcmp(r->line, "\xEF\xBB\xBF", 3)) {
			/* a UTF-8 byte-order mark opens the file, not the record */
			memmove(r->line, r->line + 3, (size_t)len - 2);
			len -= 3;
		}
		if (too_long && r->over_memory) {
			r->over_memory = false;
			r->jsaw_record = true;
			size_t limit;
			sr_mem_left(&limit);
			return fail(r, SR_ERR_LIMIT, "%s:%ld: record too large for the memory limit"
				    " (ulimit -v %zu), skipped", r->jpath, r->jline, limit >> 10);
		}
		if (too_long) {
			r->jsaw_record = true;
			return fail(r, SR_ERR_LIMIT,
				    "%s:%ld: record larger than the %zu MB limit, skipped",
				    r->jpath, r->jline, SR_MAX_RECORD >> 20);
		}
		int st = parse_record(r, r->line, (size_t)len, out);
		if (r->linecap > ((size_t)1 << 20)) {
			/* a large record's line is not kept while it is analyzed */
			free(r->line);
			r->line = NULL;
			r->linecap = 0;
		}
		if (st != SR_END)
			return st;
	}
}

/* An HTML page whose reading waits for sr_doc_read_page (SR_READ_DEFER):
 * what read_web would have read it with. */
struct sr_doc_page {
	char *where;            /* names the page in messages */
	char *url;              /* may be NULL */
	char *charset;          /* what HTTP stated, or NULL */
	char *buf;
	size_t len;
};

void
sr_doc_page_free(struct sr_doc_page *pg)
{
	if (!pg)
		return;
	free(pg->where);
	free(pg->url);
	free(pg->charset);
	free(pg->buf);
	free(pg);
}

/* A document whose page is read later: its id and origin now (a WARC
 * record's origin, line and date are set by next_warc as for any page). */
static sr_doc *
defer_page(const char *where, const char *id, const char *url, const char *buf, size_t len,
	   const char *charset)
{
	struct sr_doc_page *pg = sr_calloc(1, sizeof *pg);
	pg->where = sr_strdup(where);
	pg->url = url ? sr_strdup(url) : NULL;
	pg->charset = charset ? sr_strdup(charset) : NULL;
	pg->buf = sr_malloc(len + 1);
	memcpy(pg->buf, buf, len);
	pg->buf[len] = 0;
	pg->len = len;
	sr_doc *doc = sr_calloc(1, sizeof *doc);
	doc->id = sr_strdup(id && *id ? id : "-");
	doc->origin = sr_strdup(where);
	doc->text = sr_strdup("");
	doc->page = pg;
	return doc;
}

int
sr_doc_read_page(sr_doc *doc, char *err, size_t errlen, char *warning, size_t warnlen)
{
	if (warnlen)
		warning[0] = 0;
	struct sr_doc_page *pg = doc->page;
	if (!pg)
		return SR_OK;
	doc->page = NULL;
	sr_web_out w = {0};
	int st = sr_web_read_page(pg->where, doc->id, pg->url, pg->buf, pg->len, pg->charset, &w,
				  err, errlen);
	if (st == SR_OK && w.n == 1) {
		/* the page's document takes the place of doc, with the origin,
		 * line and fallback date the reader gave doc */
		sr_doc *d = w.docs[0];
		char published[11];
		memcpy(published, doc->published, sizeof published);
		free(d->origin);
		d->origin = doc->origin;
		d->line = doc->line;
		if (!d->published[0])
			memcpy(d->published, published, sizeof published);
		free(doc->id);
		free(doc->url);
		free(doc->outlet);
		free(doc->title);
		free(doc->lang);
		free(doc->text);
		*doc = *d;
		free(d);
		/* the warnings read_web gives, joined as warn joins them */
		sr_buf b = {0};
		if (w.warns[0])
			sr_buf_printf(&b, "%s", w.warns[0]);
		if (doc->bad_utf8)
			sr_buf_printf(&b, "%s%s: %zu invalid UTF-8 sequence%s replaced with U+FFFD",
				      b.len ? "; " : "", pg->where, doc->bad_utf8,
				      doc->bad_utf8 == 1 ? "" : "s");
		if (b.len && warnlen)
			snprintf(warning, warnlen, "%s", b.ptr);
		sr_buf_free(&b);
		free(w.warns[0]);
		free(w.docs);
		free(w.warns);
	} else {
		if (st == SR_OK)   /* sr_web_is_page promised one document */
			snprintf(err, errlen, "%s: not one page, skipped", pg->where), st = SR_ERR_FORMAT;
		sr_web_out_free(&w);
	}
	sr_doc_page_free(pg);
	return st;
}

/* Reads a whole file or fetched body of the web's formats (gzip or not):
 * an HTML page, a feed (its items are queued; the first is returned), or
 * else plain text.  where names it in messages, id and url are the
 * document's (url may be NULL), charset the one HTTP stated (or NULL). */
static int
read_web(sr_reader *r, const char *where, const char *id, const char *url, const char *buf,
	 size_t len, const char *charset, sr_doc **out)
{
	if ((r->flags & SR_READ_DEFER) && sr_web_is_page(buf, len)) {
		*out = defer_page(where, id, url, buf, len, charset);
		return SR_OK;
	}
	sr_web_out w = {0};
	char err[1400];
	int st = sr_web_read(where, id, url, buf, len, charset, r->flags, &w, err, sizeof err);
	if (st != SR_OK) {
		sr_web_out_free(&w);
		return fail(r, st, "%s", err);
	}
	/* the documents after the first wait in pending */
	for (size_t i = r->ipending; i < r->npending; i++) {
		sr_doc_free(r->pending[i]);
		free(r->pending_warn[i]);
	}
	r->npending = r->ipending = 0;
	for (size_t i = 1; i < w.n; i++) {
		SR_GROW(r->pending, r->cappending, r->npending + 1);
		size_t cap = r->cappending;
		r->pending_warn = sr_realloc(r->pending_warn, cap * sizeof *r->pending_warn);
		r->pending[r->npending] = w.docs[i];
		r->pending_warn[r->npending] = w.warns[i];
		r->npending++;
	}
	*out = w.docs[0];
	if (w.warns[0])
		warn(r, "%s", w.warns[0]);
	if ((*out)->bad_utf8)
		warn_utf8(r, where, *out);
	free(w.warns[0]);
	free(w.docs);
	free(w.warns);
	return SR_OK;
}

/* Fetches a URL once and reads what comes. */
static int
read_url(sr_reader *r, const char *url, sr_doc **out)
{
	sr_fetch_result res;
	int st = sr_fetch(url, NULL, NULL, 60, &res);
	if (st != SR_OK) {
		st = fail(r, SR_ERR_IO, "%s: cannot fetch: %s", url, res.error);
	} else if (res.status != 200) {
		st = fail(r, SR_ERR_IO, "%s: the server answered HTTP %ld, skipped", url, res.status);
	} else {
		char cs[40];
		sr_content_type_charset(res.content_type, cs);
		st = read_web(r, url, url, res.final_url ? res.final_url : url, res.body, res.len,
			      cs[0] ? cs : NULL, out);
	}
	sr_fetch_result_clear(&res);
	return st;
}

/* Opens the next queued path; may queue a folder's entries, open a JSON
 * Lines file, or read a whole text report into *out. */
static int
open_next(sr_reader *r, sr_doc **out)
{
	char *path = r->queue[--r->nqueue];
	int st = SR_END;
	if (!strcmp(path, "-")) {
		/* stdin cannot be rewound: the blank space read to find the
		 * first character is kept, so that offsets and line numbers
		 * are those of the same input read from a file */
		FILE *f = stdin;
		sr_buf ws = {0};
		long lines = 0;
		int c = getc(f);
		while (c == ' ' || c == '\n' || c == '\r' || c == '\t') {
			if (ws.len <= SR_MAX_RECORD)
				sr_buf_addc(&ws, (char)c);
			lines += c == '\n';
			c = getc(f);
		}
		if (c == '{') {
			ungetc(c, f);
			r->jf = f;
			r->jstdin = true;
			r->jpath = sr_strdup("<stdin>");
			r->jline = lines;
			r->jsaw_record = false;
			st = SR_END; /* records come from next_jsonl */
		} else if (c == EOF) {
			st = fail(r, SR_ERR_FORMAT, "<stdin>: empty input, no report to read");
		} else if (ws.len > SR_MAX_RECORD) {
			st = fail(r, SR_ERR_LIMIT, "<stdin>: input larger than the %zu MB limit, skipped",
				  SR_MAX_RECORD >> 20);
		} else if (c == '<' || c == 0x1f) {
			/* a page, a feed or gzip: read whole, then by content */
			sr_buf_addc(&ws, (char)c);
			bool over_memory;
			st = slurp(f, &ws, &over_memory);
			if (st == SR_ERR_LIMIT && over_memory)
				st = fail(r, st, "<stdin>: input too large for the memory limit, skipped");
			else if (st == SR_ERR_LIMIT)
				st = fail(r, st, "<stdin>: input larger than the %zu MB limit, skipped",
					  SR_MAX_RECORD >> 20);
			else if (st == SR_ERR_IO)
				st = fail(r, st, "<stdin>: read error: %s", strerror(errno));
			else
				st = read_web(r, "<stdin>", "-", NULL, ws.ptr, ws.len, NULL, out);
		} else {
			sr_buf_addc(&ws, (char)c);
			st = read_text(r, "<stdin>", f, ws.ptr, ws.len, out);
			if (st == SR_OK)
				(*out)->id[0] = '-', (*out)->id[1] = 0;
		}
		sr_buf_free(&ws);
		free(path);
		return st;
	}
	if (is_url(path)) {
		st = read_url(r, path, out);
		free(path);
		return st;
	}
	struct stat sb;
	if (stat(path, &sb) != 0) {
		st = fail(r, SR_ERR_IO, "%s: cannot read: %s", path, strerror(errno));
		free(path);
		return st;
	}
	if (S_ISDIR(sb.st_mode)) {
		/* each folder once: a symbolic link back to a parent would
		 * otherwise read the same files again and again */
		for (size_t i = 0; i < r->nseen; i++) {
			if (r->seen[i].dev == sb.st_dev && r->seen[i].ino == sb.st_ino) {
				st = fail(r, SR_ERR_IO,
					  "%s: folder already read (a symbolic link loop?), skipped", path);
				free(path);
				return st;
			}
		}
		SR_GROW(r->seen, r->capseen, r->nseen + 1);
		r->seen[r->nseen].dev = sb.st_dev;
		r->seen[r->nseen].ino = sb.st_ino;
		r->nseen++;
		st = expand_dir(r, path);
		free(path);
		return st == SR_OK ? SR_END : st;
	}
	FILE *f = fopen(path, "rb");
	if (!f) {
		st = fail(r, SR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
		free(path);
		return st;
	}
	/* what the file holds, by its first bytes as well as its name */
	unsigned char head[64];
	size_t nh = fread(head, 1, sizeof head, f);
	rewind(f);
	size_t i = 0;
	if (nh >= 3 && !memcmp(head, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < nh && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
		i++;
	int c = i < nh ? head[i] : EOF;
	bool gz = sr_is_gzip((const char *)head, nh);
	if (is_warc_name(path) || (!gz && sr_looks_warc((const char *)head, nh)) ||
	    (gz && sr_warc_sniff_gz(f))) {
		r->warc = sr_warc_open(f, path);
		r->wf = f;
		r->wpath = path;
		return SR_END;   /* records come from next_warc */
	}
	if (!gz && (is_jsonl_name(path) || c == '{')) {
		r->jf = f;
		r->jstdin = false;
		r->jpath = path;
		r->jline = 0;
		r->jsaw_record = false;
		return SR_END;
	}
	if (gz || c == '<' || is_html_name(path) || is_feed_name(path)) {
		sr_buf b = {0};
		bool over_memory;
		st = slurp(f, &b, &over_memory);
		fclose(f);
		if (st == SR_ERR_LIMIT && over_memory)
			st = fail(r, st, "%s: file too large for the memory limit, skipped", path);
		else if (st == SR_ERR_LIMIT)
			st = fail(r, st, "%s: file larger than the %zu MB limit, skipped", path,
				  SR_MAX_RECORD >> 20);
		else if (st == SR_ERR_IO)
			st = fail(r, st, "%s: read error: %s", path, strerror(errno));
		else
			st = read_web(r, path, base_name(path), NULL, b.ptr, b.len, NULL, out);
		sr_buf_free(&b);
		free(path);
		return st;
	}
	st = read_text(r, path, f, "", 0, out);
	fclose(f);
	free(path);
	return st;
}

/* The next HTML page of the open WARC archive: SR_OK, an error, or SR_END
 * when the archive is done (and closed). */
static int
next_warc(sr_reader *r, sr_doc **out)
{
	for (;;) {
		sr_warc_page pg;
		char err[1024];
		int st = sr_warc_next(r->warc, &pg, err, sizeof err);
		if (st == SR_END) {
			r->passed += (size_t)sr_warc_skipped(r->warc);
			close_warc(r);
			return SR_END;
		}
		if (st != SR_OK)
			return fail(r, st, "%s", err);
		char where[1200];
		snprintf(where, sizeof where, "%s: record %ld (%s)", r->wpath, pg.record, pg.uri);
		st = read_web(r, where, pg.uri, pg.uri, pg.body, pg.len, pg.charset, out);
		if (st == SR_OK && !(*out)->published[0])
			memcpy((*out)->published, pg.published, 11);
		if (st == SR_OK) {
			free((*out)->origin);
			(*out)->origin = sr_strdup(r->wpath);
			(*out)->line = pg.record;
		}
		return st;
	}
}

int
sr_reader_next(sr_reader *r, sr_doc **out)
{
	*out = NULL;
	r->errmsg[0] = 0;
	r->has_warning = false;
	for (;;) {
		if (r->ipending < r->npending) {
			*out = r->pending[r->ipending];
			if (r->pending_warn[r->ipending]) {
				warn(r, "%s", r->pending_warn[r->ipending]);
				free(r->pending_warn[r->ipending]);
			}
			r->ipending++;
			return SR_OK;
		}
		if (r->warc) {
			int st = next_warc(r, out);
			if (st != SR_END)
				return st;
			continue;
		}
		if (r->jf) {
			int st = next_jsonl(r, out);
			if (st != SR_END)
				return st;
			continue;
		}
		if (r->nqueue == 0)
			return SR_END;
		int st = open_next(r, out);
		if (st != SR_END)
			return st;
	}
}
