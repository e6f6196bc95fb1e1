/*
 * search.c -- full-text search of the stored sentences, as the user types
 * it (`sitrep search al-Tanf`, `sitrep search withdraw Tanf`).
 *
 * The query is read here and rewritten in FTS5's syntax, never passed
 * raw (SQLite's index of fts.c and PostgreSQL's tsquery read it):
 *
 *   plain word      its word forms: the alternatives the trigger table
 *                   gives it (withdraw|withdraws|withdrew|withdrawn...,
 *                   data/triggers.tsv) and its stem as a prefix
 *                   (withdrawal -> withdraw*, attacks -> attack*)
 *   al-Tanf, Syria's  a phrase of its parts ("al Tanf", "Syria s"): what
 *                   the index holds for them
 *   "a phrase"      as written;  withdr*  a prefix
 *   AND OR NOT ( )  FTS5's operators; words side by side are ANDed
 *   NEAR(a b, 5)    FTS5's NEAR, its words as single terms
 *
 * A query is at most SR_MAX_SEARCH_BYTES long and holds at most
 * SR_MAX_SEARCH_TERMS words: a query of thousands of OR terms would take
 * minutes and hundreds of megabytes.  A query that cannot be read gets
 * an error that says how to write one.
 */
#include "store_int.h"
#include "pg_int.h"
#include "../output/out_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_FORMS 12            /* word forms added per word */

/* ------------------------------------------------------------ word forms */

/* Adds to forms the alternatives of the first word of each trigger of
 * the triggers.tsv of dir whose group holds w (lower case ASCII). */
static void
trigger_forms(const char *dir, const char *w, char **forms, int *n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/triggers.tsv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[2048];
	size_t wl = strlen(w);
	while (fgets(line, sizeof line, f) && *n < MAX_FORMS) {
		if (line[0] == '#' || !strchr(line, '\t'))
			continue;
		char *words = strchr(line, '\t') + 1;
		size_t glen = strcspn(words, " \t\r\n");
		/* is w one of the group's alternatives? */
		int hit = 0;
		for (const char *p = words; p < words + glen && !hit;) {
			size_t k = strcspn(p, "| \t\r\n");
			hit = k == wl && !strncmp(p, w, wl);
			p += k + (p[k] == '|');
		}
		for (const char *p = words; hit && p < words + glen && *n < MAX_FORMS;) {
			size_t k = strcspn(p, "| \t\r\n");
			int seen = k == wl && !strncmp(p, w, wl);
			for (int i = 0; i < *n && !seen; i++)
				seen = strlen(forms[i]) == k && !strncmp(forms[i], p, k);
			if (!seen && k)
				forms[(*n)++] = sr_strndup(p, k);
			p += k + (p[k] == '|');
		}
	}
	fclose(f);
}

static int
is_vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* The stem of an English word for a prefix search: common endings off
 * (withdrawal -> withdraw, attacks -> attack, seized -> seiz,
 * transferred -> transfer).  w is lower case ASCII; "" when the word is
 * too short to stem (then it is matched as typed). */
static void
stem(const char *w, char *out, size_t cap)
{
	static const char *const endings[] = {"ings", "ing", "ments", "ment", "als", "al", "ed",
		"es", "s"};
	size_t n = strlen(w);
	out[0] = 0;
	if (n < 4 || n + 1 > cap)
		return;
	memcpy(out, w, n + 1);
	for (size_t i = 0; i < SR_ARRAY_LEN(endings); i++) {
		size_t e = strlen(endings[i]);
		if (n >= e + 4 && !strcmp(out + n - e, endings[i])) {
			n -= e;
			out[n] = 0;
			/* transferr -> transfer, but not "pass" */
			if ((!strcmp(endings[i], "ed") || !strncmp(endings[i], "ing", 3)) && n >= 4 &&
			    out[n - 1] == out[n - 2] && !is_vowel(out[n - 1]) && out[n - 1] != 's' &&
			    out[n - 1] != 'l')
				out[--n] = 0;
			break;
		}
	}
	/* seize -> seiz (seizes, seized, seizing) */
	if (n >= 5 && out[n - 1] == 'e')
		out[--n] = 0;
}

/* ----------------------------------------------------------- the query */

typedef struct qb {
	sr_buf out;
	int last;               /* 0 start / operator / '(', 1 operand / ')' */
	int terms;
	const char *const *dirs;
	int ndirs;
	char *err;
	size_t errlen;
} qb;

static int
is_word_byte(unsigned char c)
{
	return c >= 0x80 || isalnum(c);
}

/* A quoted FTS5 string of s (n bytes). */
static void
quoted(sr_buf *b, const char *s, size_t n)
{
	sr_buf_addc(b, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			sr_buf_addc(b, '"');
		sr_buf_addc(b, s[i]);
	}
	sr_buf_addc(b, '"');
}

/* The parts of a word (runs of letters and digits) as one quoted phrase;
 * returns the number of parts. */
static int
phrase(sr_buf *b, const char *s, size_t n)
{
	sr_buf tmp = {0};
	int parts = 0;
	for (size_t i = 0; i < n;) {
		while (i < n && !is_word_byte((unsigned char)s[i]))
			i++;
		size_t j = i;
		while (j < n && is_word_byte((unsigned char)s[j]))
			j++;
		if (j > i) {
			if (parts++)
				sr_buf_addc(&tmp, ' ');
			sr_buf_add(&tmp, s + i, j - i);
		}
		i = j;
	}
	if (parts)
		quoted(b, tmp.ptr, tmp.len);
	sr_buf_free(&tmp);
	return parts;
}

static void
operand(qb *q)
{
	if (q->last)
		sr_buf_adds(&q->out, " AND ");
	q->last = 1;
}

static int
fail(qb *q, const char *why)
{
	snprintf(q->err, q->errlen, "%s", why);
	return SR_ERR_USAGE;
}

/* One word the user typed: its forms, a phrase of its parts or a prefix. */
static int
word(qb *q, const char *s, size_t n)
{
	if (++q->terms > SR_MAX_SEARCH_TERMS)
		return fail(q, "too many words (at most " SR_STR(SR_MAX_SEARCH_TERMS) ")");
	int prefix = n > 1 && s[n - 1] == '*';
	if (prefix)
		n--;
	int simple = 1, ascii = 1;
	for (size_t i = 0; i < n; i++) {
		simple &= is_word_byte((unsigned char)s[i]);
		ascii &= (unsigned char)s[i] < 0x80;
	}
	sr_buf ph = {0};
	if (!phrase(&ph, s, n)) {
		sr_buf_free(&ph);
		q->terms--;
		return SR_OK;   /* punctuation alone: nothing to find */
	}
	operand(q);
	if (prefix || !simple || !ascii || n > 64) {
		sr_buf_add(&q->out, ph.ptr, ph.len);
		if (prefix)
			sr_buf_addc(&q->out, '*');
		sr_buf_free(&ph);
		return SR_OK;
	}
	sr_buf_free(&ph);
	char w[72], st[72];
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = 0;
	char *forms[MAX_FORMS];
	int nf = 0;
	for (int i = 0; i < q->ndirs; i++)
		trigger_forms(q->dirs[i], w, forms, &nf);
	stem(w, st, sizeof st);
	sr_buf_addc(&q->out, '(');
	quoted(&q->out, w, n);
	if (st[0]) {
		sr_buf_adds(&q->out, " OR ");
		quoted(&q->out, st, strlen(st));
		sr_buf_addc(&q->out, '*');
	}
	for (int i = 0; i < nf; i++) {
		sr_buf_adds(&q->out, " OR ");
		phrase(&q->out, forms[i], strlen(forms[i]));
		free(forms[i]);
	}
	sr_buf_addc(&q->out, ')');
	return SR_OK;
}

/* Rewrites the user's query for FTS5 into out; SR_ERR_USAGE with a
 * message in err when it cannot be read.  dirs: the data folders whose
 * triggers.tsv give word forms. */
static int
rewrite(const char *user, const char *const *dirs, int ndirs, sr_buf *out, char *err,
	size_t errlen)
{
	qb q = {0};
	q.dirs = dirs;
	q.ndirs = ndirs;
	q.err = err;
	q.errlen = errlen;
	int depth = 0, rc = SR_OK;
	const char *p = user;
	while (*p && rc == SR_OK) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '"') {
			const char *e = strchr(p + 1, '"');
			if (!e) {
				rc = fail(&q, "a quote is not closed");
				break;
			}
			if (++q.terms > SR_MAX_SEARCH_TERMS) {
				rc = fail(&q, "too many words (at most " SR_STR(SR_MAX_SEARCH_TERMS) ")");
				break;
			}
			operand(&q);
			sr_buf_add(&q.out, p, (size_t)(e - p + 1));
			p = e + 1;
			if (*p == '*') {
				sr_buf_addc(&q.out, '*');
				p++;
			}
			continue;
		}
		if (*p == '(') {
			if (q.last)
				sr_buf_adds(&q.out, " AND ");
			sr_buf_addc(&q.out, '(');
			q.last = 0;
			depth++;
			p++;
			continue;
		}
		if (*p == ')') {
			if (!depth || !q.last) {
				rc = fail(&q, depth ? "empty parentheses or an operator before ')'"
					  : "a ')' without its '('");
				break;
			}
			sr_buf_addc(&q.out, ')');
			depth--;
			p++;
			continue;
		}
		const char *e = p;
		while (*e && !isspace((unsigned char)*e) && *e != '(' && *e != ')' && *e != '"')
			e++;
		size_t n = (size_t)(e - p);
		if ((n == 3 && (!strncmp(p, "AND", 3) || !strncmp(p, "NOT", 3))) ||
		    (n == 2 && !strncmp(p, "OR", 2))) {
			if (!q.last) {
				snprintf(err, errlen, "%.*s needs words on both sides", (int)n, p);
				rc = SR_ERR_USAGE;
				break;
			}
			sr_buf_addc(&q.out, ' ');
			sr_buf_add(&q.out, p, n);
			sr_buf_addc(&q.out, ' ');
			q.last = 0;
			p = e;
			continue;
		}
		if (n == 4 && !strncmp(p, "NEAR", 4) && *e == '(') {
			/* NEAR(a b, N): its words as single terms */
			const char *close = strchr(e, ')');
			if (!close) {
				rc = fail(&q, "NEAR( is not closed");
				break;
			}
			operand(&q);
			sr_buf_adds(&q.out, "NEAR(");
			const char *c = e + 1;
			int nw = 0;
			while (c < close && rc == SR_OK) {
				while (c < close && (isspace((unsigned char)*c)))
					c++;
				if (*c == ',') {
					sr_buf_addc(&q.out, ',');
					c++;
					while (c < close && isdigit((unsigned char)*c) == 0 &&
					       isspace((unsigned char)*c))
						c++;
					const char *d = c;
					while (d < close && isdigit((unsigned char)*d))
						d++;
					if (d == c || d - c > 6) {
						rc = fail(&q, "NEAR(a b, N) takes a number N");
						break;
					}
					sr_buf_addc(&q.out, ' ');
					sr_buf_add(&q.out, c, (size_t)(d - c));
					c = d;
					continue;
				}
				const char *d = c;
				while (d < close && !isspace((unsigned char)*d) && *d != ',')
					d++;
				if (d > c) {
					if (++q.terms > SR_MAX_SEARCH_TERMS) {
						rc = fail(&q, "too many words (at most "
							  SR_STR(SR_MAX_SEARCH_TERMS) ")");
						break;
					}
					if (nw++)
						sr_buf_addc(&q.out, ' ');
					if (!phrase(&q.out, c, (size_t)(d - c)))
						nw--;
				}
				c = d;
			}
			sr_buf_addc(&q.out, ')');
			p = close + 1;
			continue;
		}
		rc = word(&q, p, n);
		p = e;
	}
	if (rc == SR_OK && depth)
		rc = fail(&q, "a '(' is not closed");
	if (rc == SR_OK && !q.last)
		rc = fail(&q, q.out.len ? "the query ends with an operator" : "nothing to search for");
	if (rc == SR_OK)
		*out = q.out;
	else
		sr_buf_free(&q.out);
	return rc;
}

static const char search_hint[] =
	" (write words as they are: al-Tanf, Syria's, withdraw; \"a phrase\" in double"
	" quotes; AND, OR, NOT in capitals; withdr* for a prefix)";

static const char *
col(st_q *s, int i)
{
	return st_q_text(s, i);
}

/* ---------------------------------------------------------------- search */

/* The search's statements: PostgreSQL's, SQLite's, and SQLite's with the
 * sentences not in the store's index yet (index_pending_temp). */
/* (PostgreSQL's index holds runs of sentences, schema 15 in pg.c: the
 * runs that may match, by the query with its phrases as AND and its NOT
 * parts left out, every run when nothing is left; their sentences
 * checked newest first, run after run, until the window is full) */
#define PG_RUNQ "querytree(CAST(replace(?1, ' <-> ', ' & ') AS tsquery))"
#define PG_SEARCH \
	"WITH w AS MATERIALIZED (SELECT x.doc_id, x.n, x.span_start, x.span_end, x.r" \
	"  FROM (SELECT lo, hi FROM sentence_runs WHERE words @@ CAST(" PG_RUNQ " AS tsquery)" \
	"   AND " PG_RUNQ " <> 'T' UNION ALL SELECT lo, hi FROM sentence_runs" \
	"   WHERE " PG_RUNQ " = 'T' ORDER BY hi DESC) u, LATERAL" \
	"  (SELECT s.id, s.doc_id, s.n, s.span_start, s.span_end," \
	"   ts_rank(s.tsv, CAST(?1 AS tsquery), 1) AS r FROM sentences s" \
	"   WHERE s.id BETWEEN u.lo AND u.hi AND s.tsv @@ CAST(?1 AS tsquery)" \
	"   ORDER BY s.id DESC) x ORDER BY u.hi DESC, x.id DESC LIMIT ?3)," \
	/* the best ?2 by rank, then report key (the documents of the best \
	 * ?2 ranks and their equals only: a word's matches often tie), \
	 * chosen before any text is read: the sentence's text is cut from \
	 * its report's for these alone (a search of drone over a million \
	 * events read 1,364 reports' text to print 20 sentences) */ \
	" t AS MATERIALIZED (SELECT s.doc_id, s.n, s.span_start, s.span_end, s.r, d.key" \
	"  FROM w s JOIN documents d ON d.id = s.doc_id" \
	"  WHERE ?2 < 0 OR s.r >= coalesce((SELECT r FROM w ORDER BY r DESC LIMIT 1" \
	"   OFFSET greatest(?2, 1) - 1), -1)" \
	"  ORDER BY s.r DESC, d.key, s.n LIMIT ?2)" \
	" SELECT d.name, s.n, s.span_start, s.span_end," \
	" convert_from(substring(convert_to(d.text, 'UTF8') FROM s.span_start + 1" \
	"  FOR s.span_end - s.span_start), 'UTF8'), d.published, d.url" \
	" FROM t s JOIN documents d ON d.id = s.doc_id ORDER BY s.r DESC, s.key, s.n"
/* SQLite: the sentence ?1, [n, span_start, span_end] as a in the row of
 * its report (schema 14: the row with the greatest first at most ?1) */
#define SEARCH_SENT \
	"(SELECT doc_id, json_extract(sents, '$[' || (?1 - first) || ']') AS a" \
	" FROM (SELECT first, doc_id, sents FROM sent_rows WHERE first <= ?1" \
	" ORDER BY first DESC LIMIT 1)) s"

/* SQLite: a sentence the index found, as search prints it */
#define SEARCH_ROW \
	"SELECT d.name, json_extract(s.a, '$[0]'), json_extract(s.a, '$[1]')," \
	" json_extract(s.a, '$[2]'), CAST(substr(CAST(d.text AS BLOB)," \
	" json_extract(s.a, '$[1]') + 1, json_extract(s.a, '$[2]') - json_extract(s.a, '$[1]'))" \
	" AS TEXT), d.published, d.url, d.key FROM " SEARCH_SENT \
	" JOIN documents d ON d.id = s.doc_id WHERE s.a IS NOT NULL"

/* SQLite: what orders the sentences of equal rank (the report's key and
 * the sentence's number), without the report's text */
#define SEARCH_KEY \
	"SELECT d.key, json_extract(s.a, '$[0]') FROM " SEARCH_SENT \
	" JOIN documents d ON d.id = s.doc_id WHERE s.a IS NOT NULL"

/* One row of the output: the columns of PG_SEARCH and SEARCH_ROW. */
typedef struct srow {
	const char *col[8];
	char *mem;              /* owns the columns' text (SQLite's rows) */
	long long n, start, end;
	double rank;
} srow;

static int
srow_cmp(const void *a, const void *b)
{
	const srow *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	int c = strcmp(x->col[7] ? x->col[7] : "", y->col[7] ? y->col[7] : "");
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* SQLite's page cache while a search reads, in KB (SITREP_SEARCH_CACHE_KB
 * to try others): each page of postings is read once, and the rows of
 * the matches are pages apart, so a small cache costs nothing, while
 * each page of the connection's own (64 MB) was a new allocation, a
 * page fault when first written (a search of a million events read
 * 4,000 pages) */
#define SEARCH_CACHE_KB 256

/* A hit with what orders it among its equals */
typedef struct tie {
	st_fts_hit h;
	char *key;
	long long n;
} tie;

static int
tie_cmp(const void *a, const void *b)
{
	const tie *x = a, *y = b;
	if (x->h.rank != y->h.rank)
		return x->h.rank < y->h.rank ? -1 : 1;
	int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");
	return c ? c : (x->n > y->n) - (x->n < y->n);
}

/* The first limit of hits[0..*keep) in the order srow_cmp gives the
 * rows, into hits[0..*keep) (*keep becomes at most limit): sentences
 * not stored are left out, as sqlite_rows leaves them. */
static int
cut_ties(sr_store *st, st_fts_hit *hits, size_t *keep, long limit)
{
	sqlite3_stmt *s = st_prepare(st, SEARCH_KEY);
	if (!s)
		return SR_ERR_DB;
	tie *t = sr_malloc(*keep * sizeof *t);
	size_t n = 0;
	int rc = SR_OK;
	for (size_t i = 0; i < *keep && rc == SR_OK; i++) {
		sqlite3_bind_int64(s, 1, hits[i].sid);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(s, 0);
			t[n++] = (tie){hits[i], k ? sr_strdup(k) : NULL, sqlite3_column_int64(s, 1)};
		} else if (step != SQLITE_DONE) {
			rc = st_dberr(st, "search");
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	qsort(t, n, sizeof *t, tie_cmp);
	size_t m = n < (size_t)limit ? n : (size_t)limit;
	for (size_t i = 0; i < n; i++) {
		if (i < m)
			hits[i] = t[i].h;
		free(t[i].key);
	}
	free(t);
	*keep = m;
	return rc;
}

/* SQLite: the matches of the index (fts.c), the best limit ranks (with
 * a limit, of the ST_SEARCH_RANKED most recently stored matches), in the
 * order of rank, report key and sentence number, as the query over FTS5
 * gave them. */
static int sqlite_hits(sr_store *st, const char *fts, long limit, srow **rows, size_t *nrows,
		       char *why, size_t whylen);

static int
sqlite_rows(sr_store *st, const char *fts, long limit, srow **rows, size_t *nrows, char *why,
	    size_t whylen)
{
	*rows = NULL;
	*nrows = 0;
	/* the page cache made small for the search, then given back */
	long long cache = 0;
	int cached = 0;
	sqlite3_stmt *cs = st_prepare(st, "PRAGMA cache_size");
	if (cs && sqlite3_step(cs) == SQLITE_ROW) {
		char sql[64];
		const char *e = getenv("SITREP_SEARCH_CACHE_KB");
		cache = sqlite3_column_int64(cs, 0);
		snprintf(sql, sizeof sql, "PRAGMA cache_size = -%ld", e ? atol(e) : SEARCH_CACHE_KB);
		cached = sqlite3_exec(st->db, sql, NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_finalize(cs);
	int rc = sqlite_hits(st, fts, limit, rows, nrows, why, whylen);
	if (cached) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", cache);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	}
	return rc;
}

static int
sqlite_hits(sr_store *st, const char *fts, long limit, srow **rows, size_t *nrows, char *why,
	    size_t whylen)
{
	st_fts_hit *hits = NULL;
	size_t nh = 0;
	/* (SITREP_SEARCH_WINDOW: a smaller window, for tests of the counts
	 * read past it on a small store) */
	const char *ew = getenv("SITREP_SEARCH_WINDOW");
	long window = ew && atol(ew) > 0 ? atol(ew) : ST_SEARCH_RANKED;
	int rc = st_fts_search(st, fts, limit > 0 ? window : -1, &hits, &nh, why, whylen);
	if (rc != SR_OK)
		return rc;
	/* the best limit ranks and their equals */
	size_t keep = nh;
	if (limit > 0 && nh > (size_t)limit) {
		keep = (size_t)limit;
		while (keep < nh && hits[keep].rank == hits[limit - 1].rank)
			keep++;
	}
	/* more than limit of equal ranks (a search over a million events
	 * kept 1,940 for 20): their order decided by key and number alone,
	 * and only the first limit read whole (each read its report's
	 * text, a page fault or more per page) */
	if (limit > 0 && keep > (size_t)limit && (rc = cut_ties(st, hits, &keep, limit)) != SR_OK) {
		free(hits);
		return rc;
	}
	sqlite3_stmt *s = keep ? st_prepare(st, SEARCH_ROW) : NULL;
	if (keep && !s) {
		free(hits);
		return SR_ERR_DB;
	}
	srow *r = sr_calloc(keep ? keep : 1, sizeof *r);
	size_t n = 0;
	for (size_t i = 0; i < keep && rc == SR_OK; i++) {
		sqlite3_bind_int64(s, 1, hits[i].sid);
		int step = sqlite3_step(s);
		if (step == SQLITE_ROW) {
			size_t len = 0, at = 0;
			for (int c = 0; c < 8; c++)
				len += (size_t)sqlite3_column_bytes(s, c) + 1;
			r[n].mem = sr_malloc(len);
			for (int c = 0; c < 8; c++) {
				const char *t = (const char *)sqlite3_column_text(s, c);
				size_t k = (size_t)sqlite3_column_bytes(s, c);
				r[n].col[c] = NULL;
				if (t) {
					memcpy(r[n].mem + at, t, k);
					r[n].mem[at + k] = 0;
					r[n].col[c] = r[n].mem + at;
					at += k + 1;
				}
			}
			r[n].n = sqlite3_column_int64(s, 1);
			r[n].start = sqlite3_column_int64(s, 2);
			r[n].end = sqlite3_column_int64(s, 3);
			r[n].rank = hits[i].rank;
			n++;
		} else if (step != SQLITE_DONE) {
			rc = st_dberr(st, "search");
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	free(hits);
	qsort(r, n, sizeof *r, srow_cmp);
	if (limit > 0 && n > (size_t)limit) {
		for (size_t i = (size_t)limit; i < n; i++)
			free(r[i].mem);
		n = (size_t)limit;
	}
	*rows = r;
	*nrows = n;
	return rc;
}

static void
put_row(ow_sink *out, ow_row *r, int fmt, long n, const srow *x, int width, int color)
{
	const char *const *col = x->col;
	if (fmt == SR_FMT_JSONL || fmt == SR_FMT_JSON) {
		ow_row_reset(r);
		ov_str(r, r->tree, "doc", col[0]);
		ov_int(r, r->tree, "sentence", (int)x->n);
		ov *sp = ov_arr(r, r->tree, "span");
		ov_int(r, sp, NULL, (int)x->start);
		ov_int(r, sp, NULL, (int)x->end);
		ov_str(r, r->tree, "published", col[5]);
		ov_str(r, r->tree, "url", col[6]);
		ov_str(r, r->tree, "text", col[4]);
		if (fmt == SR_FMT_JSON && n)
			ow_puts(out, ",\n");
		ov_write_json(out, r->tree);
		if (fmt == SR_FMT_JSONL)
			ow_putc(out, '\n');
	} else {
		ow_printf(out, "%s%s#%d%s  %s\n", color ? "\x1b[1m" : "", col[0], (int)x->n,
			  color ? "\x1b[0m" : "", col[5] ? col[5] : "-");
		/* the sentence, wrapped, indented */
		ow_wrap(out, col[4] ? col[4] : "", width, "    ", "    ");
	}
}

int
sr_store_search_sink(sr_store *st, const char *query, const sr_filter *f, int fmt,
		     sr_sink_fn fn, void *ctx)
{
	if (!query || !*query) {
		snprintf(st->err, sizeof st->err, "empty search%s", search_hint);
		return SR_ERR_USAGE;
	}
	if (strlen(query) > SR_MAX_SEARCH_BYTES) {
		snprintf(st->err, sizeof st->err, "search too long: %zu bytes, at most %d",
			 strlen(query), SR_MAX_SEARCH_BYTES);
		return SR_ERR_USAGE;
	}
	const char *dirs[17];
	int ndirs = 0;
	for (int i = 0; st->lx && i < 16 && sr_lexicon_dir(st->lx, i); i++)
		dirs[ndirs++] = sr_lexicon_dir(st->lx, i);
	if (!ndirs)
		dirs[ndirs++] = sr_lexicon_default_dir();
	sr_buf fts = {0};
	char why[256];
	if (rewrite(query, dirs, ndirs, &fts, why, sizeof why) != SR_OK) {
		sr_buf m = {0};
		sr_buf_printf(&m, "cannot read the search '%.200s': %s%s", query, why, search_hint);
		snprintf(st->err, sizeof st->err, "%.*s", (int)sizeof st->err - 1, m.ptr);
		sr_buf_free(&m);
		return SR_ERR_USAGE;
	}
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	ow_row r = {0};
	long n = 0;
	int width = f && f->width > 0 ? f->width : 100;
	int color = f && f->color;
	long limit = f && f->limit > 0 ? f->limit : -1;
	int rc = SR_OK;
	long unindexed = 0;
	char why_left[200] = "";
	if (!st->pg) {
		/* SQLite: the index of fts.c, written by ingest */
		srow *rows = NULL;
		size_t nrows = 0;
		rc = sqlite_rows(st, fts.ptr, limit, &rows, &nrows, why, sizeof why);
		if (rc == SR_OK && fmt == SR_FMT_JSON)
			ow_putc(out, '[');
		for (size_t i = 0; i < nrows; i++) {
			if (rc == SR_OK)
				put_row(out, &r, fmt, n++, &rows[i], width, color);
			free(rows[i].mem);
		}
		free(rows);
		if (rc == SR_ERR_USAGE) {
			sr_buf m = {0};
			sr_buf_printf(&m, "cannot read the search '%.200s' (%.100s)%s", query, why,
				      search_hint);
			snprintf(st->err, sizeof st->err, "%.*s", (int)sizeof st->err - 1, m.ptr);
			sr_buf_free(&m);
		}
	} else {
		/* PostgreSQL: the same query as a tsquery over the sentences'
		 * tsvector (GIN), ranked by ts_rank divided by 1 + the log of
		 * the sentence's length (normalization 1): as bm25 does, more
		 * of the words and a shorter sentence rank higher, and the
		 * first 20 of ten searches over a million events came out the
		 * same on both engines (with 0, 9 of 20 in common).  The same
		 * window as SQLite's, the ST_SEARCH_RANKED newest matches when
		 * there is a limit: ts_rank reads each match's tsvector, and a
		 * word of every tenth sentence of a million events took 3.4 s */
		unindexed = pg_index_pending(st);
		if (unindexed < 0) {
			sr_buf_free(&fts);
			free(out);
			return SR_ERR_DB;
		}
		if (unindexed > 0)
			snprintf(why_left, sizeof why_left, "%.190s", st->err);
		sr_buf ts = {0};
		pg_tsquery(fts.ptr, &ts);
		/* the runs through their index: the planner, seeing a few
		 * hundred rows, would rather read them all, each run's words
		 * taken out of TOAST (90 ms over a million events, a common
		 * word in every run) */
		if (pg_cmd(st, "SET enable_seqscan = off") != SR_OK) {
			sr_buf_free(&ts);
			sr_buf_free(&fts);
			free(out);
			return SR_ERR_DB;
		}
		st_q *s = st_q_prep(st, PG_SEARCH);
		if (!s) {
			char keep[sizeof st->err];
			memcpy(keep, st->err, sizeof keep);
			pg_cmd(st, "RESET enable_seqscan");
			memcpy(st->err, keep, sizeof keep);
			sr_buf_free(&ts);
			sr_buf_free(&fts);
			free(out);
			return SR_ERR_DB;
		}
		st_q_bind_text(s, 1, ts.ptr);
		st_q_bind_int(s, 2, limit);
		st_q_bind_int(s, 3, limit > 0 ? ST_SEARCH_RANKED : -1);
		sr_buf_free(&ts);
		if (fmt == SR_FMT_JSON)
			ow_putc(out, '[');
		int step;
		while ((step = st_q_step(s)) == ST_ROW) {
			srow x = {{0}, NULL, st_q_int(s, 1), st_q_int(s, 2), st_q_int(s, 3), 0};
			for (int c = 0; c < 7; c++)
				x.col[c] = col(s, c);
			put_row(out, &r, fmt, n++, &x, width, color);
		}
		if (step != ST_DONE)
			rc = st_dberr(st, "search");
		st_q_free(s);
		if (pg_cmd(st, "RESET enable_seqscan") != SR_OK && rc == SR_OK)
			rc = SR_ERR_DB;
	}
	ow_row_free(&r);
	if (rc == SR_OK) {
		if (fmt == SR_FMT_JSON)
			ow_puts(out, "]\n");
		else if (fmt != SR_FMT_JSONL)
			ow_printf(out, "(%ld sentence%s)\n", n, n == 1 ? "" : "s");
		/* a note, not an error: every sentence was searched */
		st->err[0] = 0;
		if (unindexed > 0)
			snprintf(st->err, sizeof st->err, "%s: %ld sentence%s stored since the last"
				 " search %s not searched: this connection could not add them to the"
				 " full-text index (%s); a search by a user who may write the store"
				 " adds them", st->path, unindexed, unindexed == 1 ? "" : "s",
				 unindexed == 1 ? "was" : "were", why_left);
	}
	sr_buf_free(&fts);
	if (ow_flush(out) != SR_OK && rc == SR_OK) {
		snprintf(st->err, sizeof st->err, "write error");
		rc = SR_ERR_IO;
	}
	free(out);
	return rc;
}

int
sr_store_search(sr_store *st, const char *query, const sr_filter *f, int fmt, FILE *out)
{
	int rc = sr_store_search_sink(st, query, f, fmt, sr_sink_file, out);
	if (rc == SR_OK && fflush(out) != 0) {
		snprintf(st->err, sizeof st->err, "write error");
		return SR_ERR_IO;
	}
	return rc;
}
