/*
 * reader.c -- reads reports from plain text files, JSON Lines files,
 * folders (recursive, sorted by byte order so output is deterministic) and
 * standard input.
 *
 * The reader is a queue of paths.  sr_reader_next() hands out one document
 * at a time, or one error for one bad record or file, and then goes on:
 * nothing a single record holds can stop the rest from being read.  JSON
 * Lines files are streamed line by line, so memory stays bounded by the
 * largest record (SR_MAX_RECORD), whatever the file's size.
 */
#include "../sr_internal.h"

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

	struct sr_dir_id { dev_t dev; ino_t ino; } *seen;  /* folders read */
	size_t nseen, capseen;

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
	free(r->jpath);
	r->jpath = NULL;
}

void
sr_reader_free(sr_reader *r)
{
	if (!r)
		return;
	close_jsonl(r);
	for (size_t i = 0; i < r->nqueue; i++)
		free(r->queue[i]);
	free(r->queue);
	free(r->seen);
	free(r->line);
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

/* Files a folder contributes: reports by their extension, or none. */
static bool
is_report_name(const char *name)
{
	if (name[0] == '.')
		return false;
	if (is_jsonl_name(name) || has_suffix(name, ".txt") || has_suffix(name, ".text"))
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

/* Reads a whole stream up to SR_MAX_RECORD bytes.  Returns SR_OK,
 * SR_ERR_IO or SR_ERR_LIMIT. */
static int
slurp(FILE *f, sr_buf *b)
{
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b->len + n > SR_MAX_RECORD)
			return SR_ERR_LIMIT;
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

sr_doc *
sr_doc_from_text(const char *id, const char *text, size_t len)
{
	sr_doc *doc = make_doc(id, text, len);
	doc->body = date_header(doc->text, doc->len, doc->published);
	doc->origin = sr_strdup("-");
	return doc;
}

static void
warn_utf8(sr_reader *r, const char *where, const sr_doc *doc)
{
	if (!doc->bad_utf8)
		return;
	snprintf(r->warnmsg, sizeof r->warnmsg,
		 "%s: %zu invalid UTF-8 sequence%s replaced with U+FFFD", where,
		 doc->bad_utf8, doc->bad_utf8 == 1 ? "" : "s");
	r->has_warning = true;
}

/* Reads a plain text report (the whole file is one document). */
static int
read_text(sr_reader *r, const char *path, FILE *f, const char *prefix, size_t nprefix,
	  sr_doc **out)
{
	sr_buf b = {0};
	sr_buf_add(&b, prefix, nprefix);
	int st = slurp(f, &b);
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
	sr_doc *doc = make_doc(base_name(path), b.ptr, b.len);
	sr_buf_free(&b);
	doc->body = date_header(doc->text, doc->len, doc->published);
	doc->origin = sr_strdup(path);
	warn_utf8(r, path, doc);
	*out = doc;
	return SR_OK;
}

/* Reads one line of the JSON Lines file into r->line.  Returns its length,
 * or -1 at end of file.  A line longer than SR_MAX_RECORD is consumed and
 * *too_long set. */
static long
read_line(sr_reader *r, bool *too_long)
{
	size_t len = 0;
	int c;
	*too_long = false;
	bool any = false;
	while ((c = getc(r->jf)) != EOF) {
		any = true;
		if (c == '\n')
			break;
		if (len >= SR_MAX_RECORD) {
			*too_long = true;
			continue;
		}
		if (len + 2 > r->linecap) {
			r->linecap = r->linecap ? r->linecap * 2 : 4096;
			r->line = sr_realloc(r->line, r->linecap);
		}
		r->line[len++] = (char)c;
	}
	if (!any)
		return -1;
	if (!r->line) {
		r->linecap = 16;
		r->line = sr_malloc(r->linecap);
	}
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

static char *
opt_string(json_t *obj, const char *key)
{
	json_t *v = json_object_get(obj, key);
	if (json_is_string(v))
		return sr_strndup(json_string_value(v), json_string_length(v));
	return NULL;
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
	char idbuf[64];
	const char *id = NULL;
	json_t *jid = json_object_get(obj, "id");
	if (json_is_string(jid) && json_string_length(jid) > 0) {
		id = json_string_value(jid);
	} else if (json_is_integer(jid)) {
		snprintf(idbuf, sizeof idbuf, "%lld", (long long)json_integer_value(jid));
		id = idbuf;
	}
	char fallback[1024];
	if (!id) {
		snprintf(fallback, sizeof fallback, "%s:%ld", base_name(path), ln);
		id = fallback;
	}
	sr_doc *doc = make_doc(id, json_string_value(text), json_string_length(text));
	doc->bad_utf8 += bad;
	doc->url = opt_string(obj, "url");
	doc->outlet = opt_string(obj, "outlet");
	doc->title = opt_string(obj, "title");
	doc->origin = sr_strdup(path);
	doc->line = ln;
	json_t *pub = json_object_get(obj, "published");
	if (json_is_string(pub) && json_string_length(pub) >= 10) {
		char d[11];
		memcpy(d, json_string_value(pub), 10);
		d[10] = 0;
		if (sr_valid_date(d))
			memcpy(doc->published, d, 11);
	}
	if (!doc->published[0])
		doc->body = date_header(doc->text, doc->len, doc->published);
	if (doc->bad_utf8) {
		char where[1100];
		snprintf(where, sizeof where, "%s:%ld", path, ln);
		warn_utf8(r, where, doc);
	}
	*out = doc;
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
		if (too_long) {
			r->jsaw_record = true;
			return fail(r, SR_ERR_LIMIT,
				    "%s:%ld: record larger than the %zu MB limit, skipped",
				    r->jpath, r->jline, SR_MAX_RECORD >> 20);
		}
		int st = parse_record(r, r->line, (size_t)len, out);
		if (st != SR_END)
			return st;
	}
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
	int c = getc(f);
	while (c == ' ' || c == '\n' || c == '\r' || c == '\t')
		c = getc(f);
	if (c != EOF)
		ungetc(c, f);
	bool jsonl = is_jsonl_name(path) || c == '{';
	if (jsonl) {
		rewind(f);
		r->jf = f;
		r->jstdin = false;
		r->jpath = path;
		r->jline = 0;
		r->jsaw_record = false;
		return SR_END;
	}
	rewind(f);
	st = read_text(r, path, f, "", 0, out);
	fclose(f);
	free(path);
	return st;
}

int
sr_reader_next(sr_reader *r, sr_doc **out)
{
	*out = NULL;
	r->errmsg[0] = 0;
	r->has_warning = false;
	for (;;) {
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
