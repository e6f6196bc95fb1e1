/*
 * search.c -- full-text search of the stored sentences, as the user types
 * it (`sitrep search al-Tanf`, `sitrep search withdraw Tanf`).
 *
 * The query is read here and rewritten for FTS5, never passed raw:
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
#include <unistd.h>

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
#define PG_SEARCH \
	"WITH w AS MATERIALIZED (SELECT doc_id, n, span_start, span_end," \
	"  ts_rank(tsv, CAST(?1 AS tsquery), 1) AS r FROM sentences" \
	"  WHERE tsv @@ CAST(?1 AS tsquery) ORDER BY id DESC LIMIT ?3)" \
	" SELECT d.name, s.n, s.span_start, s.span_end," \
	" convert_from(substring(convert_to(d.text, 'UTF8') FROM s.span_start + 1" \
	"  FOR s.span_end - s.span_start), 'UTF8'), d.published, d.url" \
	" FROM w s JOIN documents d ON d.id = s.doc_id" \
	/* (the documents of the best ?2 ranks and their equals only) */ \
	" WHERE ?2 < 0 OR s.r >= coalesce((SELECT r FROM w ORDER BY r DESC LIMIT 1" \
	"  OFFSET greatest(?2, 1) - 1), -1)" \
	" ORDER BY s.r DESC, d.key, s.n LIMIT ?2"
/* SQLite: the sentences of w (the matches, id and rank) as search prints
 * them, the best ?2 ranks and their equals */
#define SEARCH_ROWS \
	" SELECT d.name, s.n, s.span_start, s.span_end," \
	" CAST(substr(CAST(d.text AS BLOB), s.span_start + 1, s.span_end - s.span_start) AS TEXT)," \
	" d.published, d.url" \
	" FROM w f JOIN sentences s ON s.id = f.id JOIN documents d ON d.id = s.doc_id" \
	" WHERE ?2 < 0 OR f.r <= coalesce((SELECT r FROM w ORDER BY r LIMIT 1" \
	"  OFFSET max(?2, 1) - 1), f.r)" \
	" ORDER BY f.r, d.key, s.n LIMIT ?2"
#define SEARCH \
	"WITH w AS MATERIALIZED (SELECT rowid AS id, rank AS r FROM sentence_fts" \
	"  WHERE sentence_fts MATCH ?1 ORDER BY rowid DESC LIMIT ?3)" \
	SEARCH_ROWS
#define SEARCH_PENDING \
	"WITH w AS MATERIALIZED (SELECT id, r FROM (SELECT rowid AS id, rank AS r" \
	"  FROM sentence_fts WHERE sentence_fts MATCH ?1 UNION ALL SELECT rowid, rank" \
	"  FROM temp.pending_fts WHERE pending_fts MATCH ?1) ORDER BY id DESC LIMIT ?3)" \
	SEARCH_ROWS

/* SQLite: ingest leaves the full-text index to the first search after it
 * (indexing cost more than the rest of what ingest does in SQLite), so a
 * search brings the index up to date first: through st when it may
 * write, else through a writable connection of its own when the file may
 * be written, waiting at most SR_STORE_QUERY_WAIT for another writer.
 * Returns the number of sentences it could not index (index_pending_temp
 * indexes them for the search alone): a read-only file, or an ingest
 * holding the store. */
static long
index_for_search(sr_store *st)
{
	long behind = st_index_behind(st);
	if (!behind)
		return 0;
	char keep[sizeof st->err];
	memcpy(keep, st->err, sizeof keep);
	if (!(st->flags & (SR_STORE_READONLY | SR_STORE_QUERY))) {
		if (!st->in_tx && st_index_pending(st, NULL) == SR_OK)
			behind = 0;
		memcpy(st->err, keep, sizeof keep);
		return behind;
	}
	if (access(st->path, W_OK) != 0)
		return behind;
	char err[512];
	sr_store *w = sr_store_open(st->path, 0, err, sizeof err);
	if (!w)
		return behind;
	sr_store_set_wait(w, SR_STORE_QUERY_WAIT, NULL, NULL);
	if (st_index_pending(w, NULL) == SR_OK)
		behind = st_index_behind(st);
	sr_store_close(w);
	return behind;
}

/* The sentences index_for_search could not add, indexed in a temporary
 * table of st's connection (a read-only file allows one), which the
 * search reads beside the store's index: a store that cannot be written
 * is searched whole, only more slowly.  Made again at each such search
 * (a handle that lives on, as the server's, would keep an old one). */
static int
index_pending_temp(sr_store *st)
{
	int rc = st_exec(st, "DROP TABLE IF EXISTS temp.pending_fts;"
			 " CREATE VIRTUAL TABLE temp.pending_fts USING fts5(text, content='',"
			 " tokenize='unicode61 remove_diacritics 2')");
	if (rc != SR_OK)
		return rc;
	return st_exec(st, "INSERT INTO temp.pending_fts(rowid, text) SELECT s.id,"
		       " CAST(substr(CAST(d.text AS BLOB), s.span_start + 1,"
		       "  s.span_end - s.span_start) AS TEXT)"
		       " FROM main.sentences s JOIN main.documents d ON d.id = s.doc_id"
		       " WHERE s.id > coalesce((SELECT rowid FROM main.sentence_fts"
		       "  ORDER BY rowid DESC LIMIT 1), 0) ORDER BY s.id");
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
	/* SQLite: ranking (bm25) costs a few microseconds per matching
	 * sentence: a word of every tenth sentence of a million events took
	 * 2 s.  With a limit, only the ST_SEARCH_RANKED most recently stored
	 * matches are ranked (the FTS index walks them newest first and
	 * stops), in one pass over the index (a word and its stem's prefix
	 * merge long lists: walked twice, once to find where the window
	 * starts, they were most of a search of a million events), and only
	 * the best ranks (with their equals) are joined to their reports */
	long unindexed = st->pg ? pg_index_pending(st) : index_for_search(st);
	if (unindexed < 0) {
		sr_buf_free(&fts);
		return SR_ERR_DB;
	}
	char why_left[200] = "";
	if (st->pg && unindexed > 0)
		snprintf(why_left, sizeof why_left, "%.190s", st->err);
	if (!st->pg && unindexed > 0 && index_pending_temp(st) != SR_OK) {
		sr_buf_free(&fts);
		return SR_ERR_DB;
	}
	if (st->pg) {
		/* PostgreSQL: the same query as a tsquery over the sentences'
		 * tsvector (GIN), ranked by ts_rank divided by 1 + the log of
		 * the sentence's length (normalization 1): as bm25 does, more
		 * of the words and a shorter sentence rank higher, and the
		 * first 20 of ten searches over a million events came out the
		 * same on both engines (with 0, 9 of 20 in common) */
		sr_buf ts = {0};
		pg_tsquery(fts.ptr, &ts);
		sr_buf_free(&fts);
		fts = ts;
	}
	/* (PostgreSQL: the same window, the ST_SEARCH_RANKED newest matches
	 * when there is a limit: ts_rank reads each match's tsvector, and a
	 * word of every tenth sentence of a million events took 3.4 s) */
	st_q *s = st_q_prep(st, st->pg
		? PG_SEARCH : unindexed > 0 ? SEARCH_PENDING : SEARCH);
	if (!s) {
		sr_buf_free(&fts);
		return SR_ERR_DB;
	}
	st_q_bind_text(s, 1, fts.ptr);
	st_q_bind_int(s, 2, f && f->limit > 0 ? f->limit : -1);
	st_q_bind_int(s, 3, f && f->limit > 0 ? ST_SEARCH_RANKED : -1);
	ow_sink *out = sr_malloc(sizeof *out);
	ow_sink_init(out, fn, ctx);
	ow_row r = {0};
	int step;
	long n = 0;
	int width = f && f->width > 0 ? f->width : 100;
	int color = f && f->color;
	if (fmt == SR_FMT_JSON)
		ow_putc(out, '[');
	while ((step = st_q_step(s)) == ST_ROW) {
		if (fmt == SR_FMT_JSONL || fmt == SR_FMT_JSON) {
			ow_row_reset(&r);
			ov_str(&r, r.tree, "doc", col(s, 0));
			ov_int(&r, r.tree, "sentence", (int)st_q_int(s, 1));
			ov *sp = ov_arr(&r, r.tree, "span");
			ov_int(&r, sp, NULL, (int)st_q_int(s, 2));
			ov_int(&r, sp, NULL, (int)st_q_int(s, 3));
			ov_str(&r, r.tree, "published", col(s, 5));
			ov_str(&r, r.tree, "url", col(s, 6));
			ov_str(&r, r.tree, "text", col(s, 4));
			if (fmt == SR_FMT_JSON && n)
				ow_puts(out, ",\n");
			ov_write_json(out, r.tree);
			if (fmt == SR_FMT_JSONL)
				ow_putc(out, '\n');
		} else {
			ow_printf(out, "%s%s#%d%s  %s\n", color ? "\x1b[1m" : "", col(s, 0),
				  (int)st_q_int(s, 1), color ? "\x1b[0m" : "",
				  col(s, 5) ? col(s, 5) : "-");
			/* the sentence, wrapped, indented */
			ow_wrap(out, col(s, 4) ? col(s, 4) : "", width, "    ", "    ");
		}
		n++;
	}
	ow_row_free(&r);
	int rc = SR_OK;
	if (step != ST_DONE && n == 0 && !st->pg &&
	    (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_ERROR) {
		sr_buf m = {0};
		sr_buf_printf(&m, "cannot read the search '%.200s' (%.100s)%s", query,
			      sqlite3_errmsg(st->db), search_hint);
		snprintf(st->err, sizeof st->err, "%.*s", (int)sizeof st->err - 1, m.ptr);
		sr_buf_free(&m);
		rc = SR_ERR_USAGE;
	} else if (step != ST_DONE) {
		rc = st_dberr(st, "search");
	}
	if (rc == SR_OK) {
		if (fmt == SR_FMT_JSON)
			ow_puts(out, "]\n");
		else if (fmt != SR_FMT_JSONL)
			ow_printf(out, "(%ld sentence%s)\n", n, n == 1 ? "" : "s");
		/* a note, not an error: every sentence was searched */
		st->err[0] = 0;
		if (unindexed > 0 && st->pg)
			snprintf(st->err, sizeof st->err, "%s: %ld sentence%s stored since the last"
				 " search %s not searched: this connection could not add them to the"
				 " full-text index (%s); a search by a user who may write the store"
				 " adds them", st->path, unindexed, unindexed == 1 ? "" : "s",
				 unindexed == 1 ? "was" : "were", why_left);
		else if (unindexed > 0)
			snprintf(st->err, sizeof st->err, "%s: %ld sentence%s stored since the last"
				 " search %s indexed for this search alone: the store could not be"
				 " written to keep them in its index (read-only, or another process"
				 " writing it)", st->path, unindexed, unindexed == 1 ? "" : "s",
				 unindexed == 1 ? "was" : "were");
	}
	st_q_free(s);
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
