/*
 * fts.c -- SQLite's full-text index of the sentences, our own (schema 11).
 *
 * FTS5 cost a fifth of extraction by itself to index what ingest stores
 * (its tokenizer, then its segment b-trees and their merges, whatever the
 * options), so ingest now writes the index itself, at once, in the
 * batch's transaction:
 *
 *   fts_segs(seg, first, last, level)   one segment per batch of
 *                                       sentences first..last
 *   fts_post(seg, term, data)           the terms of a segment in order,
 *                                       in blocks of about FTS_BLOCK
 *                                       bytes keyed by their first term
 *                                       (a row per term was most of what
 *                                       indexing cost): per term its
 *                                       length and bytes, the number of
 *                                       its sentences, the last, and its
 *                                       postings: for each sentence the
 *                                       id (the first as is, then the
 *                                       difference), the number of its
 *                                       positions, the positions (first
 *                                       as is, then differences); varints
 *   fts_lens(seg, data)                 the number of words of each
 *                                       sentence (id difference, length)
 *   meta fts_rows, fts_tokens           sentences and words indexed
 *
 * The words are cut and folded by pg_ts_words, as FTS5 (unicode61,
 * remove_diacritics) cut them and as PostgreSQL's tsvector holds them,
 * so that both engines and the stores made before find the same.
 * Segments are merged FTS_MERGE at a time (the newest run of one level
 * into one of the next), so a search reads a few rows per word whatever
 * the number of batches.
 *
 * A search takes the query search.c wrote in FTS5's syntax (phrases in
 * double quotes with an optional * for a prefix, AND, OR, NOT, ( ),
 * NEAR(...)), finds the sentences that match and ranks them by bm25 as
 * FTS5 ranked them (the same formula over the same counts: k1 1.2, b
 * 0.75, every phrase of the query weighed by its idf).
 */
#include "store_int.h"
#include "pg_int.h"

#include <math.h>
#include <stdlib.h>

#define FTS_MERGE 8             /* segments of a level merged into one */
#define FTS_BLOCK 4000          /* bytes of a block of terms (fts_post row) */
#define FTS_BUILD_ROWS 65536    /* sentences per segment when building */
#define FTS_NEAR 10             /* NEAR's distance when the query gives none */
#define FTS_MAX_PHRASES 256     /* phrases in one query */

/* ---------------------------------------------------------------- varints */

typedef struct vbuf {
	unsigned char *p;
	size_t n, cap;
} vbuf;

static void
vb_reserve(vbuf *b, size_t more)
{
	if (b->n + more <= b->cap)
		return;
	size_t cap = b->cap ? b->cap * 2 : 64;
	while (cap < b->n + more)
		cap *= 2;
	b->p = sr_realloc(b->p, cap);
	b->cap = cap;
}

static inline void
vb_put(vbuf *b, uint64_t v)
{
	vb_reserve(b, 10);
	while (v >= 0x80) {
		b->p[b->n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->p[b->n++] = (unsigned char)v;
}

static void
vb_add(vbuf *b, const void *p, size_t n)
{
	vb_reserve(b, n);
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

/* Reads a varint at *p (before e); 0 when the data ends or is cut. */
static inline int
vb_get(const unsigned char **p, const unsigned char *e, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; *p < e && shift < 64; shift += 7) {
		unsigned char c = *(*p)++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return 1;
		}
	}
	return 0;
}

/* ------------------------------------------------------ the batch's words */

typedef struct fterm {
	char *w;
	uint32_t wn, cnt, prevpos, df;
	uint64_t h;
	int64_t first, last, cur;
	vbuf post;
} fterm;

struct st_fts {
	fterm *t;
	size_t n, cap;
	uint32_t *slot;         /* open addressing: index + 1, 0 empty */
	size_t nslot;
	uint32_t *tok;          /* the sentence's words as term indexes */
	size_t ntok, captok;
	sr_arena words;         /* the terms' bytes */
	vbuf lens;
	int64_t lfirst, llast;
	long rows;
	long long tokens;
};

#define HASH_SEED 0x9E3779B97F4A7C15ull
#define HASH_STEP(h, c) (((h) ^ (unsigned char)(c)) * 0x100000001B3ull)
#define HASH_END(h, n) (((h) ^ (n)) ^ (((h) ^ (n)) >> 31))

static uint64_t
word_hash(const char *w, size_t n)
{
	uint64_t h = HASH_SEED;
	for (size_t i = 0; i < n; i++)
		h = HASH_STEP(h, w[i]);
	return HASH_END(h, n);
}

static void
grow_slots(struct st_fts *f)
{
	size_t ns = f->nslot ? f->nslot * 2 : 4096;
	uint32_t *s = sr_calloc(ns, sizeof *s);
	for (size_t i = 0; i < f->n; i++) {
		size_t j = f->t[i].h & (ns - 1);
		while (s[j])
			j = (j + 1) & (ns - 1);
		s[j] = (uint32_t)i + 1;
	}
	free(f->slot);
	f->slot = s;
	f->nslot = ns;
}

/* Adds the word w (folded, wn bytes, hash h) to the sentence's. */
static void
add_word(struct st_fts *f, const char *w, size_t wn, uint64_t h)
{
	if ((f->n + 1) * 2 > f->nslot)
		grow_slots(f);
	size_t j = h & (f->nslot - 1);
	uint32_t idx = 0;
	while (f->slot[j]) {
		fterm *e = &f->t[f->slot[j] - 1];
		if (e->h == h && e->wn == wn && !memcmp(e->w, w, wn)) {
			idx = f->slot[j];
			break;
		}
		j = (j + 1) & (f->nslot - 1);
	}
	if (!idx) {
		if (f->n == f->cap) {
			f->cap = f->cap ? f->cap * 2 : 1024;
			f->t = sr_realloc(f->t, f->cap * sizeof *f->t);
		}
		fterm *e = &f->t[f->n];
		memset(e, 0, sizeof *e);
		e->w = sr_arena_strndup(&f->words, w, wn);
		e->wn = (uint32_t)wn;
		e->h = h;
		f->slot[j] = idx = (uint32_t)++f->n;
	}
	if (f->ntok == f->captok) {
		f->captok = f->captok ? f->captok * 2 : 256;
		f->tok = sr_realloc(f->tok, f->captok * sizeof *f->tok);
	}
	f->tok[f->ntok++] = idx - 1;
}

static void
word_cb(void *ctx, const char *w, size_t wn)
{
	add_word(ctx, w, wn, word_hash(w, wn));
}

/* ASCII letters and digits folded, 0 for any other byte below 0x80 */
static const unsigned char ascii_word[128] = {
	['0'] = '0', ['1'] = '1', ['2'] = '2', ['3'] = '3', ['4'] = '4', ['5'] = '5',
	['6'] = '6', ['7'] = '7', ['8'] = '8', ['9'] = '9',
	['a'] = 'a', ['b'] = 'b', ['c'] = 'c', ['d'] = 'd', ['e'] = 'e', ['f'] = 'f',
	['g'] = 'g', ['h'] = 'h', ['i'] = 'i', ['j'] = 'j', ['k'] = 'k', ['l'] = 'l',
	['m'] = 'm', ['n'] = 'n', ['o'] = 'o', ['p'] = 'p', ['q'] = 'q', ['r'] = 'r',
	['s'] = 's', ['t'] = 't', ['u'] = 'u', ['v'] = 'v', ['w'] = 'w', ['x'] = 'x',
	['y'] = 'y', ['z'] = 'z',
	['A'] = 'a', ['B'] = 'b', ['C'] = 'c', ['D'] = 'd', ['E'] = 'e', ['F'] = 'f',
	['G'] = 'g', ['H'] = 'h', ['I'] = 'i', ['J'] = 'j', ['K'] = 'k', ['L'] = 'l',
	['M'] = 'm', ['N'] = 'n', ['O'] = 'o', ['P'] = 'p', ['Q'] = 'q', ['R'] = 'r',
	['S'] = 's', ['T'] = 't', ['U'] = 'u', ['V'] = 'v', ['W'] = 'w', ['X'] = 'x',
	['Y'] = 'y', ['Z'] = 'z',
};

/* The words of a sentence as pg_ts_words cuts and folds them; an ASCII
 * sentence (most are) by a table, folded and hashed in one pass. */
static void
cut_words(struct st_fts *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80) {
			pg_ts_words(s, n, word_cb, f);
			return;
		}
	char w[PG_MAX_LEXEME];
	for (size_t i = 0; i < n;) {
		while (i < n && !ascii_word[(unsigned char)s[i]])
			i++;
		if (i == n)
			break;
		size_t wn = 0;
		uint64_t h = HASH_SEED;
		for (; i < n && ascii_word[(unsigned char)s[i]]; i++)
			if (wn < PG_MAX_LEXEME) {
				w[wn] = (char)ascii_word[(unsigned char)s[i]];
				h = HASH_STEP(h, w[wn]);
				wn++;
			}
		add_word(f, w, wn, HASH_END(h, wn));
	}
}

static void
fts_clear(struct st_fts *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->t[i].post.p);
	sr_arena_reset(&f->words);
	f->n = 0;
	if (f->slot)
		memset(f->slot, 0, f->nslot * sizeof *f->slot);
	f->lens.n = 0;
	f->lfirst = f->llast = 0;
	f->rows = 0;
	f->tokens = 0;
}

void
st_fts_free(sr_store *st)
{
	struct st_fts *f = st->fts;
	if (!f)
		return;
	fts_clear(f);
	sr_arena_free(&f->words);
	free(f->t);
	free(f->slot);
	free(f->tok);
	free(f->lens.p);
	free(f);
	st->fts = NULL;
}

void
st_fts_drop(sr_store *st)
{
	if (st->fts)
		fts_clear(st->fts);
}

void
st_fts_add(sr_store *st, int64_t sid, const char *s, size_t n)
{
	struct st_fts *f = st->fts;
	if (!f)
		f = st->fts = sr_calloc(1, sizeof *f);
	f->ntok = 0;
	cut_words(f, s, n);
	for (size_t i = 0; i < f->ntok; i++)
		f->t[f->tok[i]].cnt++;
	for (size_t i = 0; i < f->ntok; i++) {
		fterm *e = &f->t[f->tok[i]];
		if (e->cur != sid) {
			if (!e->df)
				e->first = sid;
			vb_put(&e->post, (uint64_t)(sid - e->last));
			vb_put(&e->post, e->cnt);
			e->df++;
			e->last = e->cur = sid;
			e->cnt = 0;
			e->prevpos = 0;
		}
		vb_put(&e->post, (uint32_t)i - e->prevpos);
		e->prevpos = (uint32_t)i;
	}
	if (!f->rows)
		f->lfirst = sid;
	vb_put(&f->lens, (uint64_t)(sid - f->llast));
	vb_put(&f->lens, f->ntok);
	f->llast = sid;
	f->rows++;
	f->tokens += (long long)f->ntok;
}

/* ------------------------------------------------------------- segments */

static int
term_cmp(const void *a, const void *b)
{
	const fterm *x = *(const fterm *const *)a, *y = *(const fterm *const *)b;
	size_t n = x->wn < y->wn ? x->wn : y->wn;
	int c = memcmp(x->w, y->w, n);
	return c ? c : (x->wn > y->wn) - (x->wn < y->wn);
}

static int
step_done(sr_store *st, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? SR_OK : st_dberr(st, what);
}

/* A new segment of level, first..last: its row id in *seg. */
static int
new_seg(sr_store *st, int64_t first, int64_t last, int level, int64_t *seg)
{
	sqlite3_stmt *s = st_stmt(st, ST_FTS_SEG);
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, first);
	sqlite3_bind_int64(s, 2, last);
	sqlite3_bind_int(s, 3, level);
	if (step_done(st, s, "full-text segment") != SR_OK)
		return SR_ERR_DB;
	*seg = sqlite3_last_insert_rowid(st->db);
	return SR_OK;
}

/* The blocks of a segment being written: terms in order. */
typedef struct bwriter {
	sr_store *st;
	int64_t seg;
	vbuf blk, first;
	int rc;
} bwriter;

static int
bw_end(bwriter *b)
{
	if (b->blk.n && b->rc == SR_OK) {
		sqlite3_stmt *s = st_stmt(b->st, ST_FTS_POST);
		if (!s) {
			b->rc = SR_ERR_DB;
		} else {
			sqlite3_bind_int64(s, 1, b->seg);
			sqlite3_bind_blob(s, 2, b->first.p, (int)b->first.n, SQLITE_STATIC);
			sqlite3_bind_blob(s, 3, b->blk.p, (int)b->blk.n, SQLITE_STATIC);
			b->rc = step_done(b->st, s, "full-text postings");
		}
	}
	b->blk.n = 0;
	return b->rc;
}

static void
bw_add(bwriter *b, const void *w, size_t wn, uint64_t df, int64_t last, const void *post,
       size_t pn)
{
	if (!b->blk.n) {
		b->first.n = 0;
		vb_add(&b->first, w, wn);
	}
	vb_put(&b->blk, wn);
	vb_add(&b->blk, w, wn);
	vb_put(&b->blk, df);
	vb_put(&b->blk, (uint64_t)last);
	vb_put(&b->blk, pn);
	vb_add(&b->blk, post, pn);
	if (b->blk.n >= FTS_BLOCK)
		bw_end(b);
}

static void
bw_free(bwriter *b)
{
	free(b->blk.p);
	free(b->first.p);
}

/* The terms of blocks read in order (a statement whose first column is a
 * block), one at a time: w, df, last and the postings of the current
 * one, valid until the next br_next. */
typedef struct breader {
	sqlite3_stmt *s;
	const unsigned char *p, *e;
	const unsigned char *w, *post;
	size_t wn, pn;
	uint64_t df;
	int64_t last;
	int bad;                /* a block could not be read */
} breader;

static int
br_next(breader *r)
{
	while (r->p == r->e) {
		if (sqlite3_step(r->s) != SQLITE_ROW)
			return 0;
		r->p = sqlite3_column_blob(r->s, 0);
		r->e = r->p + sqlite3_column_bytes(r->s, 0);
	}
	uint64_t wn, last, pn;
	if (!vb_get(&r->p, r->e, &wn) || wn > (uint64_t)(r->e - r->p)) {
		r->bad = 1;
		return 0;
	}
	r->w = r->p;
	r->wn = (size_t)wn;
	r->p += wn;
	if (!vb_get(&r->p, r->e, &r->df) || !vb_get(&r->p, r->e, &last) ||
	    !vb_get(&r->p, r->e, &pn) || pn > (uint64_t)(r->e - r->p)) {
		r->bad = 1;
		return 0;
	}
	r->last = (int64_t)last;
	r->post = r->p;
	r->pn = (size_t)pn;
	r->p += pn;
	return 1;
}

static int
bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
}

static int
put_lens(sr_store *st, int64_t seg, const void *data, size_t dn)
{
	sqlite3_stmt *s = st_stmt(st, ST_FTS_LENS);
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, seg);
	sqlite3_bind_blob(s, 2, data, (int)dn, SQLITE_STATIC);
	return step_done(st, s, "full-text lengths");
}

/* Appends the postings (or lengths) of a later part to out, whose last
 * sentence is *last: its first id made a difference. */
static int
append_part(vbuf *out, int64_t *last, const unsigned char *p, size_t n, int64_t part_last)
{
	const unsigned char *e = p + n;
	uint64_t first;
	if (!vb_get(&p, e, &first))
		return 0;
	vb_put(out, first - (uint64_t)*last);
	vb_add(out, p, (size_t)(e - p));
	*last = part_last;
	return 1;
}

/* Merges the segments ids[0..k) (in order of their sentences) into one of
 * level: each term's postings joined in order, the lengths likewise. */
static int
merge(sr_store *st, const int64_t *ids, const int64_t *firsts, const int64_t *lasts, int k,
      int level)
{
	int64_t seg;
	if (new_seg(st, firsts[0], lasts[k - 1], level, &seg) != SR_OK)
		return SR_ERR_DB;
	breader cur[FTS_MERGE];
	int live[FTS_MERGE];
	int rc = SR_OK;
	memset(cur, 0, sizeof cur);
	for (int i = 0; i < k; i++) {
		cur[i].s = st_prepare(st, "SELECT data FROM fts_post WHERE seg = ?1 ORDER BY term");
		if (!cur[i].s) {
			for (int j = 0; j < i; j++)
				sqlite3_finalize(cur[j].s);
			return SR_ERR_DB;
		}
		sqlite3_bind_int64(cur[i].s, 1, ids[i]);
		live[i] = br_next(&cur[i]);
	}
	bwriter bw = {st, seg, {0}, {0}, SR_OK};
	vbuf out = {0}, w = {0};
	for (;;) {
		/* the smallest term among the parts (the oldest part on ties) */
		int lo = -1;
		for (int i = 0; i < k; i++)
			if (live[i] && (lo < 0 || bytes_cmp(cur[i].w, cur[i].wn, cur[lo].w,
							    cur[lo].wn) < 0))
				lo = i;
		if (lo < 0)
			break;
		w.n = 0;
		vb_add(&w, cur[lo].w, cur[lo].wn);
		out.n = 0;
		uint64_t df = 0;
		int64_t last = 0;
		int bad = 0;
		for (int i = lo; i < k && !bad; i++) {
			if (!live[i] || bytes_cmp(cur[i].w, cur[i].wn, w.p, w.n))
				continue;
			df += cur[i].df;
			if (!append_part(&out, &last, cur[i].post, cur[i].pn, cur[i].last))
				bad = cur[i].bad = 1;
			else
				live[i] = br_next(&cur[i]);
		}
		if (bad)
			break;
		bw_add(&bw, w.p, w.n, df, last, out.p, out.n);
		if (bw.rc != SR_OK)
			break;
	}
	rc = bw_end(&bw);
	bw_free(&bw);
	for (int i = 0; i < k; i++) {
		if (cur[i].bad && rc == SR_OK)
			rc = st_fail(st, "%s: full-text postings of segment %lld unreadable", st->path,
				     (long long)ids[i]);
		sqlite3_finalize(cur[i].s);
	}
	/* the lengths */
	out.n = 0;
	int64_t last = 0;
	for (int i = 0; i < k && rc == SR_OK; i++) {
		sqlite3_stmt *s = st_prepare(st, "SELECT data FROM fts_lens WHERE seg = ?1");
		if (!s) {
			rc = SR_ERR_DB;
			break;
		}
		sqlite3_bind_int64(s, 1, ids[i]);
		if (sqlite3_step(s) == SQLITE_ROW &&
		    !append_part(&out, &last, sqlite3_column_blob(s, 0),
				 (size_t)sqlite3_column_bytes(s, 0), lasts[i]))
			rc = st_fail(st, "%s: full-text lengths of segment %lld unreadable", st->path,
				     (long long)ids[i]);
		sqlite3_finalize(s);
	}
	if (rc == SR_OK)
		rc = put_lens(st, seg, out.p ? (void *)out.p : "", out.n);
	free(out.p);
	free(w.p);
	for (int i = 0; i < k && rc == SR_OK; i++) {
		char sql[160];
		snprintf(sql, sizeof sql, "DELETE FROM fts_post WHERE seg = %lld;"
			 " DELETE FROM fts_lens WHERE seg = %lld; DELETE FROM fts_segs WHERE seg = %lld",
			 (long long)ids[i], (long long)ids[i], (long long)ids[i]);
		rc = st_exec(st, sql);
	}
	return rc;
}

/* While the newest FTS_MERGE segments are of one level, merges them. */
static int
merge_tail(sr_store *st)
{
	for (;;) {
		sqlite3_stmt *s = st_prepare(st, "SELECT seg, first, last, level FROM fts_segs"
					     " ORDER BY first DESC LIMIT " SR_STR(FTS_MERGE));
		if (!s)
			return SR_ERR_DB;
		int64_t ids[FTS_MERGE], firsts[FTS_MERGE], lasts[FTS_MERGE];
		int k = 0, level = -1, same = 1;
		while (sqlite3_step(s) == SQLITE_ROW && k < FTS_MERGE) {
			int lv = sqlite3_column_int(s, 3);
			if (level >= 0 && lv != level)
				same = 0;
			level = lv;
			/* (newest first: kept oldest first) */
			ids[FTS_MERGE - 1 - k] = sqlite3_column_int64(s, 0);
			firsts[FTS_MERGE - 1 - k] = sqlite3_column_int64(s, 1);
			lasts[FTS_MERGE - 1 - k] = sqlite3_column_int64(s, 2);
			k++;
		}
		sqlite3_finalize(s);
		if (k < FTS_MERGE || !same)
			return SR_OK;
		if (merge(st, ids, firsts, lasts, k, level + 1) != SR_OK)
			return SR_ERR_DB;
	}
}

int
st_fts_flush(sr_store *st)
{
	struct st_fts *f = st->fts;
	if (!f || !f->rows)
		return SR_OK;
	int64_t seg;
	int rc = new_seg(st, f->lfirst, f->llast, 0, &seg);
	fterm **order = rc == SR_OK ? sr_malloc((f->n ? f->n : 1) * sizeof *order) : NULL;
	for (size_t i = 0; order && i < f->n; i++)
		order[i] = &f->t[i];
	if (order)
		qsort(order, f->n, sizeof *order, term_cmp);
	bwriter bw = {st, seg, {0}, {0}, rc};
	for (size_t i = 0; order && i < f->n && bw.rc == SR_OK; i++)
		bw_add(&bw, order[i]->w, order[i]->wn, order[i]->df, order[i]->last,
		       order[i]->post.p, order[i]->post.n);
	rc = bw_end(&bw);
	bw_free(&bw);
	free(order);
	if (rc == SR_OK)
		rc = put_lens(st, seg, f->lens.p, f->lens.n);
	if (rc == SR_OK) {
		char sql[200];
		snprintf(sql, sizeof sql, "UPDATE meta SET value = CAST(value AS INTEGER) + CASE key"
			 " WHEN 'fts_rows' THEN %ld ELSE %lld END WHERE key IN ('fts_rows',"
			 " 'fts_tokens')", f->rows, f->tokens);
		rc = st_exec(st, sql);
	}
	fts_clear(f);
	if (rc == SR_OK)
		rc = merge_tail(st);
	return rc;
}

int
st_fts_build(sr_store *st)
{
	sqlite3_stmt *s = st_prepare(st, "SELECT s.id, CAST(substr(CAST(d.text AS BLOB),"
		" s.span_start + 1, s.span_end - s.span_start) AS BLOB) FROM sentences s"
		" JOIN documents d ON d.id = s.doc_id"
		" WHERE s.id > coalesce((SELECT max(last) FROM fts_segs), 0) ORDER BY s.id");
	if (!s)
		return SR_ERR_DB;
	int rc = SR_OK, step;
	long k = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		st_fts_add(st, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1),
			   (size_t)sqlite3_column_bytes(s, 1));
		if (++k % FTS_BUILD_ROWS == 0 && (rc = st_fts_flush(st)) != SR_OK)
			break;
	}
	if (rc == SR_OK && step != SQLITE_DONE)
		rc = st_dberr(st, "reading the sentences to index");
	sqlite3_finalize(s);
	if (rc == SR_OK)
		rc = st_fts_flush(st);
	else
		st_fts_drop(st);
	return rc;
}

/* ------------------------------------------------------------ the query */

/* The occurrences of a word or phrase: sentences in order, each with its
 * positions in pos[off[i] .. off[i] + cnt[i]). */
typedef struct plist {
	int64_t *sid;
	uint32_t *off, *cnt;
	size_t n, cap;
	uint32_t *pos;
	size_t npos, cappos;
} plist;

static void
pl_push(plist *l, int64_t sid, const uint32_t *pos, uint32_t n)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->sid = sr_realloc(l->sid, l->cap * sizeof *l->sid);
		l->off = sr_realloc(l->off, l->cap * sizeof *l->off);
		l->cnt = sr_realloc(l->cnt, l->cap * sizeof *l->cnt);
	}
	if (l->npos + n > l->cappos) {
		while (l->npos + n > l->cappos)
			l->cappos = l->cappos ? l->cappos * 2 : 256;
		l->pos = sr_realloc(l->pos, l->cappos * sizeof *l->pos);
	}
	l->sid[l->n] = sid;
	l->off[l->n] = (uint32_t)l->npos;
	l->cnt[l->n] = n;
	if (n)
		memcpy(l->pos + l->npos, pos, n * sizeof *pos);
	l->npos += n;
	l->n++;
}

/* Room for n more sentences and np more positions. */
static void
pl_reserve(plist *l, size_t n, size_t np)
{
	if (l->n + n > l->cap) {
		l->cap = l->n + n;
		l->sid = sr_realloc(l->sid, l->cap * sizeof *l->sid);
		l->off = sr_realloc(l->off, l->cap * sizeof *l->off);
		l->cnt = sr_realloc(l->cnt, l->cap * sizeof *l->cnt);
	}
	if (l->npos + np > l->cappos) {
		l->cappos = l->npos + np;
		l->pos = sr_realloc(l->pos, l->cappos * sizeof *l->pos);
	}
}

static void
pl_free(plist *l)
{
	free(l->sid);
	free(l->off);
	free(l->cnt);
	free(l->pos);
	memset(l, 0, sizeof *l);
}

/* The index of sid in l, or -1. */
static long
pl_find(const plist *l, int64_t sid)
{
	size_t lo = 0, hi = l->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (l->sid[mid] < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->sid[lo] == sid ? (long)lo : -1;
}

typedef struct occ {
	int64_t sid;
	uint32_t pos;
} occ;

static int
occ_cmp(const void *a, const void *b)
{
	const occ *x = a, *y = b;
	if (x->sid != y->sid)
		return x->sid < y->sid ? -1 : 1;
	return (x->pos > y->pos) - (x->pos < y->pos);
}

/* Decodes one postings row into occurrences. */
static int
decode_row(const unsigned char *p, size_t n, int need_pos, occ **o, size_t *no, size_t *cap)
{
	const unsigned char *e = p + n;
	int64_t sid = 0;
	uint64_t d, c, dp;
	while (p < e) {
		if (!vb_get(&p, e, &d) || !vb_get(&p, e, &c))
			return 0;
		sid += (int64_t)d;
		uint32_t pos = 0;
		if (!need_pos) {
			/* the count alone, as the occurrence's position */
			for (uint64_t i = 0; i < c; i++)
				if (!vb_get(&p, e, &dp))
					return 0;
			if (*no == *cap) {
				*cap = *cap ? *cap * 2 : 1024;
				*o = sr_realloc(*o, *cap * sizeof **o);
			}
			(*o)[(*no)++] = (occ){sid, (uint32_t)c};
			continue;
		}
		for (uint64_t i = 0; i < c; i++) {
			if (!vb_get(&p, e, &dp))
				return 0;
			pos += (uint32_t)dp;
			if (*no == *cap) {
				*cap = *cap ? *cap * 2 : 1024;
				*o = sr_realloc(*o, *cap * sizeof **o);
			}
			(*o)[(*no)++] = (occ){sid, pos};
		}
	}
	return 1;
}

/* Decodes one term's postings straight into a list (its sentences come
 * after those already there). */
static int
decode_list(const unsigned char *p, size_t n, int need_pos, plist *l)
{
	const unsigned char *e = p + n;
	int64_t sid = 0;
	uint64_t d, c, dp = 0;
	uint32_t buf[256], *pos = buf;
	size_t cap = 256;
	int ok = 1;
	while (p < e && ok) {
		if (!vb_get(&p, e, &d) || !vb_get(&p, e, &c)) {
			ok = 0;
			break;
		}
		sid += (int64_t)d;
		if (c > cap) {
			while (c > cap)
				cap *= 2;
			pos = pos == buf ? sr_malloc(cap * sizeof *pos) : sr_realloc(pos, cap * sizeof *pos);
		}
		uint32_t at = 0;
		for (uint64_t i = 0; i < c && ok; i++) {
			ok = vb_get(&p, e, &dp);
			at += (uint32_t)dp;
			pos[i] = at;
		}
		if (ok)
			pl_push(l, sid, pos, need_pos ? (uint32_t)c : 0);
		if (ok && !need_pos)
			l->cnt[l->n - 1] = (uint32_t)c;     /* (the count alone) */
	}
	if (pos != buf)
		free(pos);
	return ok;
}

/* Sorts the occurrences of one segment by sentence and position: by
 * counting over the sentences' range (the words of a prefix each bring
 * theirs in order; a sort of them all was most of a search), then each
 * sentence's few positions in place. */
static void
occ_sort(occ *o, size_t n)
{
	if (n < 2)
		return;
	int64_t lo = o[0].sid, hi = o[0].sid;
	for (size_t i = 1; i < n; i++) {
		if (o[i].sid < lo)
			lo = o[i].sid;
		if (o[i].sid > hi)
			hi = o[i].sid;
	}
	size_t range = (size_t)(hi - lo) + 1;
	if (range > 8 * n + 4096) {
		qsort(o, n, sizeof *o, occ_cmp);
		return;
	}
	uint32_t *cnt = sr_calloc(range + 1, sizeof *cnt);
	occ *tmp = sr_malloc(n * sizeof *tmp);
	for (size_t i = 0; i < n; i++)
		cnt[o[i].sid - lo + 1]++;
	for (size_t i = 1; i <= range; i++)
		cnt[i] += cnt[i - 1];
	for (size_t i = 0; i < n; i++)
		tmp[cnt[o[i].sid - lo]++] = o[i];
	memcpy(o, tmp, n * sizeof *o);
	free(tmp);
	free(cnt);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && o[j].sid == o[i].sid)
			j++;
		for (size_t a = i + 1; a < j; a++) {
			occ x = o[a];
			size_t b = a;
			while (b > i && o[b - 1].pos > x.pos) {
				o[b] = o[b - 1];
				b--;
			}
			o[b] = x;
		}
		i = j;
	}
}

/* Occurrences (sorted by sentence and position) into a list. */
static void
occ_to_list(const occ *o, size_t n, plist *l)
{
	uint32_t buf[256], *pos = buf;
	size_t cap = 256;
	for (size_t i = 0; i < n;) {
		size_t j = i, k = 0;
		for (; j < n && o[j].sid == o[i].sid; j++) {
			if (k && pos[k - 1] == o[j].pos)
				continue;
			if (k == cap) {
				cap *= 2;
				pos = pos == buf ? memcpy(sr_malloc(cap * sizeof *pos), buf, sizeof buf)
					: sr_realloc(pos, cap * sizeof *pos);
			}
			pos[k++] = o[j].pos;
		}
		pl_push(l, o[i].sid, pos, (uint32_t)k);
		i = j;
	}
	if (pos != buf)
		free(pos);
}

typedef struct fq {
	sr_store *st;
	int64_t *segs;
	size_t nsegs;
	sqlite3_stmt *get;
	char *err;
	size_t errlen;
} fq;

/* The occurrences of one word, or of every word it begins when prefix. */
static int
word_list(fq *q, const char *w, size_t wn, int prefix, int need_pos, plist *out)
{
	/* [w, hi): hi is w with its last byte below 0xff raised (prefix) or
	 * w followed by a zero byte (the word alone) */
	unsigned char hi[PG_MAX_LEXEME + 8];
	size_t hn = wn;
	int open_end = 0;
	memcpy(hi, w, wn);
	if (!prefix) {
		hi[hn++] = 0;
	} else {
		while (hn && hi[hn - 1] == 0xff)
			hn--;
		if (hn)
			hi[hn - 1]++;
		else
			open_end = 1;
	}
	occ *o = NULL;
	size_t no = 0, cap = 0;
	int rc = SR_OK;
	for (size_t i = 0; i < q->nsegs && rc == SR_OK; i++) {
		/* the blocks from the one that may hold w to the last before hi */
		sqlite3_bind_int64(q->get, 1, q->segs[i]);
		sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
		if (open_end)
			sqlite3_bind_blob(q->get, 3, "\xff\xff\xff\xff\xff\xff\xff\xff", 8,
					  SQLITE_STATIC);
		else
			sqlite3_bind_blob(q->get, 3, hi, (int)hn, SQLITE_STATIC);
		breader r = {q->get, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
		while (br_next(&r)) {
			if (bytes_cmp(r.w, r.wn, w, wn) < 0)
				continue;
			if (!open_end && bytes_cmp(r.w, r.wn, hi, hn) >= 0)
				break;
			/* (a term's sentences and positions, at most one
			 * position per byte of its postings) */
			if (!prefix)
				pl_reserve(out, (size_t)r.df, need_pos ? r.pn : 0);
			if (!(prefix ? decode_row(r.post, r.pn, need_pos, &o, &no, &cap)
				     : decode_list(r.post, r.pn, need_pos, out))) {
				r.bad = 1;
				break;
			}
		}
		if (r.bad)
			rc = st_fail(q->st, "%s: full-text postings unreadable (segment %lld)",
				     q->st->path, (long long)q->segs[i]);
		sqlite3_reset(q->get);
		/* a prefix's words, merged segment by segment (the segments
		 * follow one another in sentence order) */
		if (prefix && rc == SR_OK) {
			occ_sort(o, no);
			if (need_pos) {
				occ_to_list(o, no, out);
			} else {
				/* the counts of the words of a sentence summed */
				for (size_t a = 0; a < no;) {
					size_t b = a;
					uint32_t c = 0;
					for (; b < no && o[b].sid == o[a].sid; b++)
						c += o[b].pos;
					pl_push(out, o[a].sid, NULL, 0);
					out->cnt[out->n - 1] = c;
					a = b;
				}
			}
		}
		no = 0;
	}
	free(o);
	return rc;
}

/* A phrase of the query: its words, the last a prefix when prefix. */
typedef struct phrase {
	char **w;
	size_t *wn;
	int nw, prefix;
	int near;               /* in a NEAR group: its positions are needed */
	plist l;                /* its occurrences: start positions */
} phrase;

static void
word_collect(void *ctx, const char *w, size_t n)
{
	phrase *p = ctx;
	p->w = sr_realloc(p->w, (size_t)(p->nw + 1) * sizeof *p->w);
	p->wn = sr_realloc(p->wn, (size_t)(p->nw + 1) * sizeof *p->wn);
	p->w[p->nw] = sr_strndup(w, n);
	p->wn[p->nw] = n;
	p->nw++;
}

/* Does sorted a[0..n) hold v? */
static int
has_pos(const uint32_t *a, uint32_t n, uint32_t v)
{
	uint32_t lo = 0, hi = n;
	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		if (a[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && a[lo] == v;
}

static int
phrase_list(fq *q, phrase *p)
{
	if (!p->nw)
		return SR_OK;   /* no word: matches nothing */
	plist *w = sr_calloc((size_t)p->nw, sizeof *w);
	int rc = SR_OK;
	for (int i = 0; i < p->nw && rc == SR_OK; i++)
		rc = word_list(q, p->w[i], p->wn[i], p->prefix && i == p->nw - 1,
			       p->nw > 1 || p->near, &w[i]);
	if (rc == SR_OK && p->nw == 1) {
		p->l = w[0];
		memset(&w[0], 0, sizeof w[0]);
	} else if (rc == SR_OK) {
		size_t *at = sr_calloc((size_t)p->nw, sizeof *at);
		uint32_t buf[64], *starts = buf;
		size_t cap = 64;
		for (size_t a = 0; a < w[0].n; a++) {
			int64_t sid = w[0].sid[a];
			int all = 1;
			for (int i = 1; i < p->nw && all; i++) {
				while (at[i] < w[i].n && w[i].sid[at[i]] < sid)
					at[i]++;
				all = at[i] < w[i].n && w[i].sid[at[i]] == sid;
			}
			if (!all)
				continue;
			size_t k = 0;
			const uint32_t *p0 = w[0].pos + w[0].off[a];
			for (uint32_t j = 0; j < w[0].cnt[a]; j++) {
				int ok = 1;
				for (int i = 1; i < p->nw && ok; i++)
					ok = has_pos(w[i].pos + w[i].off[at[i]], w[i].cnt[at[i]],
						     p0[j] + (uint32_t)i);
				if (!ok)
					continue;
				if (k == cap) {
					cap *= 2;
					starts = starts == buf
						? memcpy(sr_malloc(cap * sizeof *starts), buf, sizeof buf)
						: sr_realloc(starts, cap * sizeof *starts);
				}
				starts[k++] = p0[j];
			}
			if (k)
				pl_push(&p->l, sid, starts, (uint32_t)k);
		}
		if (starts != buf)
			free(starts);
		free(at);
	}
	for (int i = 0; i < p->nw; i++)
		pl_free(&w[i]);
	free(w);
	return rc;
}

/* The expression: phrases, NEAR groups and the operators. */
enum { N_PHRASE, N_NEAR, N_AND, N_OR, N_NOT };

typedef struct node {
	int kind, a, b;         /* operands (node indexes) */
	int ph, nph, near;      /* phrases ph..ph+nph; NEAR's distance */
} node;

typedef struct parser {
	const char *p;
	node *nodes;
	int nn;
	phrase *ph;
	int nph;
	const char *why;
} parser;

static int
new_node(parser *ps, int kind)
{
	ps->nodes = sr_realloc(ps->nodes, (size_t)(ps->nn + 1) * sizeof *ps->nodes);
	memset(&ps->nodes[ps->nn], 0, sizeof *ps->nodes);
	ps->nodes[ps->nn].kind = kind;
	return ps->nn++;
}

static void
skip_sp(parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

static int
keyword(parser *ps, const char *k)
{
	skip_sp(ps);
	size_t n = strlen(k);
	if (strncmp(ps->p, k, n))
		return 0;
	char c = ps->p[n];
	if (c && c != ' ' && c != '(' && c != '"' && c != '\t' && c != '\n')
		return 0;
	ps->p += n;
	return 1;
}

/* One phrase: "..." (quotes doubled inside) or a bare word, then an
 * optional *; its index, or -1. */
static int
parse_phrase(parser *ps)
{
	skip_sp(ps);
	sr_buf text = {0};
	if (*ps->p == '"') {
		const char *c = ps->p + 1;
		for (;; c++) {
			if (!*c) {
				ps->why = "a quote is not closed";
				sr_buf_free(&text);
				return -1;
			}
			if (*c == '"' && c[1] == '"') {
				sr_buf_addc(&text, '"');
				c++;
			} else if (*c == '"') {
				break;
			} else {
				sr_buf_addc(&text, *c);
			}
		}
		ps->p = c + 1;
	} else {
		const char *c = ps->p;
		while (*c && *c != ' ' && *c != '(' && *c != ')' && *c != '"' && *c != '*' &&
		       *c != ',')
			c++;
		if (c == ps->p) {
			ps->why = "a word or a phrase expected";
			return -1;
		}
		sr_buf_add(&text, ps->p, (size_t)(c - ps->p));
		ps->p = c;
	}
	if (ps->nph >= FTS_MAX_PHRASES) {
		ps->why = "too many phrases";
		sr_buf_free(&text);
		return -1;
	}
	ps->ph = sr_realloc(ps->ph, (size_t)(ps->nph + 1) * sizeof *ps->ph);
	phrase *p = &ps->ph[ps->nph];
	memset(p, 0, sizeof *p);
	if (*ps->p == '*') {
		p->prefix = 1;
		ps->p++;
	}
	pg_ts_words(text.ptr ? text.ptr : "", text.len, word_collect, p);
	sr_buf_free(&text);
	return ps->nph++;
}

static int parse_or(parser *ps);

static int
parse_primary(parser *ps)
{
	skip_sp(ps);
	if (*ps->p == '(') {
		ps->p++;
		int n = parse_or(ps);
		skip_sp(ps);
		if (n < 0)
			return -1;
		if (*ps->p != ')') {
			ps->why = "a '(' is not closed";
			return -1;
		}
		ps->p++;
		return n;
	}
	if (!strncmp(ps->p, "NEAR", 4) && ps->p[4] == '(') {
		ps->p += 5;
		int n = new_node(ps, N_NEAR);
		ps->nodes[n].ph = ps->nph;
		ps->nodes[n].near = FTS_NEAR;
		for (;;) {
			skip_sp(ps);
			if (*ps->p == ')' || *ps->p == ',')
				break;
			if (parse_phrase(ps) < 0)
				return -1;
			ps->ph[ps->nph - 1].near = 1;
			ps->nodes[n].nph++;
		}
		if (*ps->p == ',') {
			ps->p++;
			skip_sp(ps);
			char *e;
			long d = strtol(ps->p, &e, 10);
			if (e == ps->p || d < 0) {
				ps->why = "NEAR(a b, N) takes a number N";
				return -1;
			}
			ps->nodes[n].near = (int)(d > 1000000 ? 1000000 : d);
			ps->p = e;
			skip_sp(ps);
		}
		if (*ps->p != ')' || !ps->nodes[n].nph) {
			ps->why = "NEAR( is not closed or holds no phrase";
			return -1;
		}
		ps->p++;
		return n;
	}
	int ph = parse_phrase(ps);
	if (ph < 0)
		return -1;
	int n = new_node(ps, N_PHRASE);
	ps->nodes[n].ph = ph;
	ps->nodes[n].nph = 1;
	return n;
}

static int
binary(parser *ps, int kind, int a, int b)
{
	int n = new_node(ps, kind);
	ps->nodes[n].a = a;
	ps->nodes[n].b = b;
	return n;
}

/* FTS5's precedence: NOT binds tightest, then AND, then OR */
static int
parse_not(parser *ps)
{
	int a = parse_primary(ps);
	while (a >= 0 && keyword(ps, "NOT")) {
		int b = parse_primary(ps);
		a = b < 0 ? -1 : binary(ps, N_NOT, a, b);
	}
	return a;
}

static int
parse_and(parser *ps)
{
	int a = parse_not(ps);
	for (;;) {
		if (a < 0)
			return -1;
		if (keyword(ps, "AND")) {
			int b = parse_not(ps);
			a = b < 0 ? -1 : binary(ps, N_AND, a, b);
			continue;
		}
		skip_sp(ps);
		/* side by side: AND */
		if (*ps->p && *ps->p != ')' && strncmp(ps->p, "OR", 2) &&
		    strncmp(ps->p, "NOT", 3)) {
			int b = parse_not(ps);
			a = b < 0 ? -1 : binary(ps, N_AND, a, b);
			continue;
		}
		return a;
	}
}

static int
parse_or(parser *ps)
{
	int a = parse_and(ps);
	while (a >= 0 && keyword(ps, "OR")) {
		int b = parse_and(ps);
		a = b < 0 ? -1 : binary(ps, N_OR, a, b);
	}
	return a;
}

/* ------------------------------------------------------------ evaluation */

typedef struct idset {
	int64_t *v;
	size_t n;
	int borrowed;           /* v is a phrase list's: not freed */
} idset;

static idset
set_op(idset a, idset b, int kind)
{
	idset r = {sr_malloc((a.n + b.n + 1) * sizeof *r.v), 0, 0};
	size_t i = 0, j = 0;
	while (i < a.n || j < b.n) {
		if (j == b.n || (i < a.n && a.v[i] < b.v[j])) {
			if (kind != N_AND)
				r.v[r.n++] = a.v[i];
			i++;
		} else if (i == a.n || b.v[j] < a.v[i]) {
			if (kind == N_OR)
				r.v[r.n++] = b.v[j];
			j++;
		} else {
			if (kind != N_NOT)
				r.v[r.n++] = a.v[i];
			i++;
			j++;
		}
	}
	return r;
}

/* The clumps of a NEAR group in one sentence (at[i]: its index in
 * phrase i's list), counted as FTS5 counts them: readers over each
 * phrase's positions, the last position M and each phrase's within its
 * length plus near words before M; at each clump every phrase gets one
 * instance (so each phrase's count in bm25 is the number of clumps) and
 * the reader whose next position is nearest moves on.  0: no match. */
static uint32_t
near_count(const phrase *ph, int nph, const size_t *at, int near)
{
	size_t idx[FTS_MAX_PHRASES];
	const int64_t eof = (int64_t)1 << 62;
	uint32_t clumps = 0;
	for (int i = 0; i < nph; i++)
		idx[i] = 0;
#define NPOS(i, k) ((k) < ph[i].l.cnt[at[i]] ? (int64_t)ph[i].l.pos[ph[i].l.off[at[i]] + (k)] : eof)
	for (;;) {
		int64_t top = NPOS(0, idx[0]);
		int match;
		do {
			match = 1;
			for (int i = 0; i < nph; i++) {
				int64_t lo = top - ph[i].nw - near;
				int64_t p = NPOS(i, idx[i]);
				if (p < lo || p > top) {
					match = 0;
					while (p < lo) {
						if (++idx[i] >= ph[i].l.cnt[at[i]])
							return clumps;
						p = NPOS(i, idx[i]);
					}
					if (p > top)
						top = p;
				}
			}
		} while (!match);
		clumps++;
		int adv = 0;
		int64_t least = NPOS(0, idx[0] + 1);
		for (int i = 1; i < nph; i++)
			if (NPOS(i, idx[i] + 1) < least) {
				least = NPOS(i, idx[i] + 1);
				adv = i;
			}
		if (++idx[adv] >= ph[adv].l.cnt[at[adv]])
			return clumps;
	}
#undef NPOS
}

/* The index in each phrase's list of NEAR node x's phrases at sid; 0
 * when one lacks it. */
static int
near_at(const phrase *ph, int nph, int64_t sid, size_t *at)
{
	for (int i = 0; i < nph; i++) {
		long k = pl_find(&ph[i].l, sid);
		if (k < 0)
			return 0;
		at[i] = (size_t)k;
	}
	return 1;
}

/* The sentences each node matches, into sets[n] (owned by the caller). */
static void
eval(parser *ps, int n, idset *sets)
{
	node *x = &ps->nodes[n];
	idset r = {0};
	if (x->kind == N_PHRASE) {
		r.v = ps->ph[x->ph].l.sid;
		r.n = ps->ph[x->ph].l.n;
		r.borrowed = 1;
	} else if (x->kind == N_NEAR) {
		phrase *ph = ps->ph + x->ph;
		size_t at[FTS_MAX_PHRASES];
		r.v = sr_malloc((ph[0].l.n + 1) * sizeof *r.v);
		for (size_t a = 0; a < ph[0].l.n; a++)
			if (near_at(ph, x->nph, ph[0].l.sid[a], at) &&
			    near_count(ph, x->nph, at, x->near))
				r.v[r.n++] = ph[0].l.sid[a];
	} else if (x->kind == N_OR) {
		/* a chain of ORs (a word's forms) as one union, merged in
		 * pairs by rounds: one after the other, each union copied
		 * the growing result again */
		int stack[FTS_MAX_PHRASES * 2], ns = 0, nl = 0;
		idset *leaf = sr_malloc(sizeof *leaf * (size_t)(ps->nn + 1));
		stack[ns++] = n;
		while (ns) {
			int k = stack[--ns];
			if (ps->nodes[k].kind == N_OR && ns + 2 <= (int)SR_ARRAY_LEN(stack)) {
				sets[k] = (idset){NULL, 0, 1};  /* (freqs needs none) */
				stack[ns++] = ps->nodes[k].b;
				stack[ns++] = ps->nodes[k].a;
				continue;
			}
			eval(ps, k, sets);
			leaf[nl] = sets[k];
			leaf[nl++].borrowed = 1;
		}
		while (nl > 1) {
			int out = 0;
			for (int i = 0; i + 1 < nl; i += 2) {
				idset u = set_op(leaf[i], leaf[i + 1], N_OR);
				if (!leaf[i].borrowed)
					free(leaf[i].v);
				if (!leaf[i + 1].borrowed)
					free(leaf[i + 1].v);
				leaf[out++] = u;
			}
			if (nl % 2)
				leaf[out++] = leaf[nl - 1];
			nl = out;
		}
		r = leaf[0];
		if (r.borrowed) {       /* one operand: a copy of its own */
			int64_t *v = sr_malloc((r.n + 1) * sizeof *v);
			memcpy(v, r.v, r.n * sizeof *v);
			r = (idset){v, r.n, 0};
		}
		free(leaf);
	} else {
		eval(ps, x->a, sets);
		eval(ps, x->b, sets);
		r = set_op(sets[x->a], sets[x->b], x->kind);
	}
	sets[n] = r;
}

static int
in_set(const idset *s, int64_t v)
{
	size_t lo = 0, hi = s->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->v[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->n && s->v[lo] == v;
}

/* The instances of each phrase in sentence sid that bm25 counts, as FTS5
 * counts them: those of the phrases whose every enclosing node matches
 * the sentence (the other side of an OR that does not, the right of a
 * NOT, count nothing); a NEAR group's phrases its clumps. */
static void
freqs(parser *ps, const idset *sets, int n, int64_t sid, double *f)
{
	node *x = &ps->nodes[n];
	/* (an OR matches where one of its operands does: they test it) */
	if (x->kind != N_OR && !in_set(&sets[n], sid))
		return;
	if (x->kind == N_PHRASE) {
		long at = pl_find(&ps->ph[x->ph].l, sid);
		f[x->ph] = at < 0 ? 0.0 : (double)ps->ph[x->ph].l.cnt[at];
	} else if (x->kind == N_NEAR) {
		size_t at[FTS_MAX_PHRASES] = {0};
		uint32_t c = near_at(ps->ph + x->ph, x->nph, sid, at)
			? near_count(ps->ph + x->ph, x->nph, at, x->near) : 0;
		for (int i = 0; i < x->nph; i++)
			f[x->ph + i] = (double)c;
	} else {
		freqs(ps, sets, x->a, sid, f);
		freqs(ps, sets, x->b, sid, f);
	}
}

/* ------------------------------------------------------------- ranking */

/* The lengths of the segment holding sid, decoded (cached by segment). */
typedef struct lens_cache {
	int64_t seg;
	int64_t *sid;
	uint32_t *len;
	size_t n;
} lens_cache;

static int
sentence_len(fq *q, lens_cache *c, const int64_t *firsts, int64_t sid, uint32_t *len)
{
	/* the segment: the last whose first <= sid */
	size_t lo = 0, hi = q->nsegs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (firsts[mid] <= sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*len = 0;
	if (!lo)
		return SR_OK;
	int64_t seg = q->segs[lo - 1];
	if (c->seg != seg) {
		c->n = 0;
		c->seg = seg;
		sqlite3_stmt *s = st_prepare(q->st, "SELECT data FROM fts_lens WHERE seg = ?1");
		if (!s)
			return SR_ERR_DB;
		sqlite3_bind_int64(s, 1, seg);
		if (sqlite3_step(s) == SQLITE_ROW) {
			const unsigned char *p = sqlite3_column_blob(s, 0);
			const unsigned char *e = p + sqlite3_column_bytes(s, 0);
			size_t cap = 0;
			int64_t at = 0;
			uint64_t d, l;
			while (p < e && vb_get(&p, e, &d) && vb_get(&p, e, &l)) {
				if (c->n == cap) {
					cap = cap ? cap * 2 : 4096;
					c->sid = sr_realloc(c->sid, cap * sizeof *c->sid);
					c->len = sr_realloc(c->len, cap * sizeof *c->len);
				}
				at += (int64_t)d;
				c->sid[c->n] = at;
				c->len[c->n++] = (uint32_t)l;
			}
		}
		sqlite3_finalize(s);
	}
	lo = 0;
	hi = c->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->sid[mid] < sid)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < c->n && c->sid[lo] == sid)
		*len = c->len[lo];
	return SR_OK;
}

static int
hit_cmp(const void *a, const void *b)
{
	const st_fts_hit *x = a, *y = b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->sid < y->sid) - (x->sid > y->sid);
}

int
st_fts_search(sr_store *st, const char *query, long window, st_fts_hit **hits, size_t *nhits,
	      char *why, size_t whylen)
{
	*hits = NULL;
	*nhits = 0;
	parser ps = {query, NULL, 0, NULL, 0, NULL};
	int root = parse_or(&ps);
	skip_sp(&ps);
	if (root >= 0 && *ps.p) {
		ps.why = *ps.p == ')' ? "a ')' without its '('" : "cannot read it from here";
		root = -1;
	}
	int rc = SR_OK;
	if (root < 0) {
		snprintf(why, whylen, "%s at '%.40s'", ps.why ? ps.why : "syntax error", ps.p);
		rc = SR_ERR_USAGE;
	}
	fq q = {st, NULL, 0, NULL, why, whylen};
	int64_t *firsts = NULL;
	if (rc == SR_OK) {
		sqlite3_stmt *s = st_prepare(st, "SELECT seg, first FROM fts_segs ORDER BY first");
		size_t cap = 0;
		while (s && sqlite3_step(s) == SQLITE_ROW) {
			if (q.nsegs == cap) {
				cap = cap ? cap * 2 : 64;
				q.segs = sr_realloc(q.segs, cap * sizeof *q.segs);
				firsts = sr_realloc(firsts, cap * sizeof *firsts);
			}
			q.segs[q.nsegs] = sqlite3_column_int64(s, 0);
			firsts[q.nsegs++] = sqlite3_column_int64(s, 1);
		}
		if (!s)
			rc = SR_ERR_DB;
		sqlite3_finalize(s);
	}
	if (rc == SR_OK) {
		q.get = st_prepare(st, "SELECT data FROM fts_post WHERE seg = ?1 AND term >="
				   " coalesce((SELECT max(term) FROM fts_post WHERE seg = ?1"
				   " AND term <= ?2), x'') AND term < ?3 ORDER BY term");
		if (!q.get)
			rc = SR_ERR_DB;
	}
	for (int i = 0; i < ps.nph && rc == SR_OK; i++)
		rc = phrase_list(&q, &ps.ph[i]);
	idset m = {0};
	idset *sets = rc == SR_OK ? sr_calloc((size_t)ps.nn, sizeof *sets) : NULL;
	if (rc == SR_OK) {
		eval(&ps, root, sets);
		m = sets[root];
	}
	if (rc == SR_OK && m.n) {
		/* the newest window matches, ranked */
		size_t from = window > 0 && m.n > (size_t)window ? m.n - (size_t)window : 0;
		char num[32];
		st_meta_get(st, "fts_rows", num, sizeof num);
		long long nrow = atoll(num);
		st_meta_get(st, "fts_tokens", num, sizeof num);
		long long ntok = atoll(num);
		double avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
		double *idf = sr_malloc((size_t)(ps.nph + 1) * sizeof *idf);
		double *f = sr_malloc((size_t)(ps.nph + 1) * sizeof *f);
		for (int i = 0; i < ps.nph; i++) {
			long long hit = (long long)ps.ph[i].l.n;
			idf[i] = log(((double)(nrow - hit) + 0.5) / ((double)hit + 0.5));
			if (idf[i] <= 0.0)
				idf[i] = 1e-6;
		}
		*hits = sr_malloc((m.n - from) * sizeof **hits);
		lens_cache lc = {-1, NULL, NULL, 0};
		const double k1 = 1.2, b = 0.75;
		for (size_t i = from; i < m.n && rc == SR_OK; i++) {
			uint32_t len = 0;
			rc = sentence_len(&q, &lc, firsts, m.v[i], &len);
			double d = (double)len, score = 0;
			for (int j = 0; j < ps.nph; j++)
				f[j] = 0.0;
			freqs(&ps, sets, root, m.v[i], f);
			for (int j = 0; j < ps.nph; j++)
				score += idf[j] * ((f[j] * (k1 + 1.0)) /
						   (f[j] + k1 * (1 - b + b * d / avgdl)));
			(*hits)[(*nhits)++] = (st_fts_hit){m.v[i], -1.0 * score};
		}
		free(lc.sid);
		free(lc.len);
		free(idf);
		free(f);
		qsort(*hits, *nhits, sizeof **hits, hit_cmp);
	}
	for (int i = 0; sets && i < ps.nn; i++)
		if (!sets[i].borrowed)
			free(sets[i].v);
	free(sets);
	sqlite3_finalize(q.get);
	free(q.segs);
	free(firsts);
	for (int i = 0; i < ps.nph; i++) {
		for (int j = 0; j < ps.ph[i].nw; j++)
			free(ps.ph[i].w[j]);
		free(ps.ph[i].w);
		free(ps.ph[i].wn);
		pl_free(&ps.ph[i].l);
	}
	free(ps.ph);
	free(ps.nodes);
	if (rc != SR_OK) {
		free(*hits);
		*hits = NULL;
		*nhits = 0;
	}
	return rc;
}
