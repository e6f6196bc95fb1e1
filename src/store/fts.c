/*
 * fts.c -- SQLite's full-text index of the sentences, our own (schema 11, its
 * blocks split in two in 13).
 *
 * FTS5 cost a fifth of extraction by itself to index what ingest stores
 * (its tokenizer, then its segment b-trees and their merges, whatever the
 * options), so ingest now writes the index itself, at once, in the
 * batch's transaction:
 *
 *   fts_segs(seg, first, last, level)   one segment per batch of
 *                                       sentences first..last
 *   fts_post(id, seg, term, dir, data)  the terms of a segment in order,
 *                                       in blocks of about FTS_BLOCK
 *                                       bytes keyed by (seg, term), the
 *                                       block's first term (a row per
 *                                       term was most of what indexing
 *                                       cost); dir: per term its length
 *                                       and bytes, the number of its
 *                                       sentences, the last, and the
 *                                       length of its postings; data:
 *                                       the terms' postings one after
 *                                       the other: for each sentence
 *                                       the id (the first as is, then
 *                                       the difference), the number of
 *                                       its positions, the positions
 *                                       (first as is, then
 *                                       differences); varints.  (Schema
 *                                       13: a table with row ids and the
 *                                       postings apart from their
 *                                       directory, so that a search
 *                                       reads a term's counts without
 *                                       its postings and its postings
 *                                       without SQLite's copy, fts_query.c)
 *   fts_lens(seg, data)                 the number of words of each
 *                                       sentence (id difference, length)
 *   meta fts_rows, fts_tokens           sentences and words indexed
 *
 * The words are cut and folded by pg_ts_words, as FTS5 (unicode61,
 * remove_diacritics) cut them and as PostgreSQL's tsvector holds them,
 * so that both engines and the stores made before find the same.
 * Segments are merged FTS_MERGE at a time (the newest run of one level
 * into one of the next, up to FTS_MAX_LEVEL), so a search reads a few
 * rows per word and segment, and a segment's lists at most.
 *
 * Searching the index, in FTS5's syntax and by bm25 as FTS5 ranked, is
 * fts_query.c's.
 */
#include "fts_int.h"

#include <sys/mman.h>

#define FTS_MERGE 8             /* segments of a level merged into one */
#define FTS_MAX_LEVEL 3         /* segments of this level are not merged
				 * further: a segment holds at most 8^3
				 * batches (about 500,000 sentences), which
				 * bounds what a search holds and what one
				 * batch's merge rewrites, however large the
				 * store grows */
#define FTS_BLOCK 4000          /* bytes of a block of terms (fts_post row) */
#define FTS_BUILD_ROWS 65536    /* sentences per segment when building */

/* ------------------------------------------------------ large buffers */

/* Buffers of FTS_BIG bytes or more (a batch's held sentences, its
 * occurrences and their sorted copy: megabytes) are mapped in huge
 * pages where the system gives them: each 4 KB page malloc hands out is
 * a page fault of its own when first written, and a fault costs about
 * 15 us on this project's virtual machine (900 of them in an ingest of
 * the bench's 1,157 reports).  Smaller ones come from malloc. */
#define FTS_BIG (256u << 10)
#define FTS_HUGE (2u << 20)

static size_t
big_size(size_t n)
{
	return (n + FTS_HUGE - 1) & ~(size_t)(FTS_HUGE - 1);
}

/* p (old bytes, as it was allocated here) grown to n bytes, contents
 * kept. */
static void *
big_realloc(void *p, size_t old, size_t n)
{
	if (n < FTS_BIG)
		return sr_realloc(p, n);
	void *q;
	if (old >= FTS_BIG) {
		if (big_size(n) == big_size(old))
			return p;
		q = mremap(p, big_size(old), big_size(n), MREMAP_MAYMOVE);
	} else {
		q = mmap(NULL, big_size(n), PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
			 -1, 0);
	}
	if (q == MAP_FAILED)
		sr_oom(n);      /* (the program's one policy, as sr_realloc's) */
#ifdef MADV_HUGEPAGE
	madvise(q, big_size(n), MADV_HUGEPAGE);
#endif
	if (old < FTS_BIG) {
		if (p && old)
			memcpy(q, p, old);
		free(p);
	}
	return q;
}

/* Frees p of n bytes allocated by big_realloc. */
static void
big_free(void *p, size_t n)
{
	if (n >= FTS_BIG)
		munmap(p, big_size(n));
	else
		free(p);
}

void *
st_fts_big_realloc(void *p, size_t old, size_t n)
{
	return big_realloc(p, old, n);
}

void
st_fts_big_free(void *p, size_t n)
{
	big_free(p, n);
}

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
	b->p = big_realloc(b->p, b->cap, cap);
	b->cap = cap;
}

static void
vb_free(vbuf *b)
{
	big_free(b->p, b->cap);
	b->p = NULL;
	b->n = b->cap = 0;
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

/* Appends the varint v where room was reserved. */
static inline void
vb_put_fast(vbuf *b, uint64_t v)
{
	while (v >= 0x80) {
		b->p[b->n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b->p[b->n++] = (unsigned char)v;
}

/* ------------------------------------------------------ the batch's words */

/* A term of the batch: its bytes and (at the flush) its occurrences. */
typedef struct fterm {
	char *w;
	uint64_t h;
	uint32_t wn, n;
} fterm;

/* A slot of the table of terms: the first 8 bytes, the length and 16
 * bits of the hash of its word beside its index, 16 bytes, so that a
 * word of up to 8 bytes (most are) is found from the slot alone (a
 * word holds no zero byte: its first 8 bytes, zero-padded, and its
 * length are the word). */
typedef struct fslot {
	uint64_t pre;
	uint32_t idx;           /* index + 1, 0 empty */
	uint16_t wn, h16;
} fslot;

/* An occurrence: the term, the sentence (from the batch's first) and
 * the word's position in it; kept in the order they come (sentence,
 * then position) and sorted by term at the flush. */
typedef struct focc {
	uint32_t term, sent, pos;
} focc;

/* A term to sort: its first 8 bytes as a number (big-endian, the bytes
 * past a shorter word 0) decide most comparisons without reading it. */
typedef struct tkey {
	uint64_t k;
	fterm *t;
} tkey;

struct st_fts {
	fterm *t;
	size_t n, cap;
	fslot *slot;
	size_t nslot;
	focc *occ;
	size_t nocc, capocc;
	char **wblk;            /* the terms' bytes, in blocks of FTS_WBLOCK */
	size_t nwblk, wcur, wused;
	vbuf lens;
	int64_t lfirst, llast;
	long rows;
	long long tokens;
	/* the flush's scratch, kept from one batch to the next (allocated
	 * and freed at each flush, its pages were faulted in again) */
	tkey *keys, *keys2;
	uint32_t *at;
	size_t capkeys;
	focc *by;
	size_t capby;
	vbuf post, blk, data, first;
	/* the batch's sentences not cut yet: per sentence its id (8 bytes),
	 * its length (4) and its bytes */
	vbuf pend;
};

/* Bytes of a block of the terms' bytes (kept from one batch to the next) */
#define FTS_WBLOCK 65536

/* Bytes of sentences held before they are cut (st_fts_add) */
#define FTS_PENDING (4u << 20)

/* A word's hash, over its folded bytes 8 at a time: w is followed by
 * zeros up to the next multiple of 8 (as cut_words and word_cb pad
 * it).  Only this process's table of terms uses it. */
static inline uint64_t
word_hash(const char *w, size_t wn)
{
	uint64_t h = 0x9E3779B97F4A7C15ull;
	for (size_t i = 0; i < wn; i += 8) {
		uint64_t v;
		memcpy(&v, w + i, 8);
		h = (h ^ v) * 0xff51afd7ed558ccdull;
		h ^= h >> 32;
	}
	h ^= wn;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 29);
}

/* The first 8 bytes of a padded word as a number. */
static inline uint64_t
word_pre(const char *w)
{
	uint64_t v;
	memcpy(&v, w, 8);
	return v;
}

static void
grow_slots(struct st_fts *f)
{
	size_t ns = f->nslot ? f->nslot * 2 : 4096;
	fslot *s = sr_calloc(ns, sizeof *s);
	for (size_t i = 0; i < f->n; i++) {
		size_t j = f->t[i].h & (ns - 1);
		while (s[j].idx)
			j = (j + 1) & (ns - 1);
		s[j] = (fslot){word_pre(f->t[i].w), (uint32_t)i + 1, (uint16_t)f->t[i].wn,
			       (uint16_t)(f->t[i].h >> 48)};
	}
	free(f->slot);
	f->slot = s;
	f->nslot = ns;
}

/* Adds the word w (folded, wn bytes, followed by zeros up to a multiple
 * of 8) at position pos of the sentence sent (from the batch's first). */
static void
add_word(struct st_fts *f, const char *w, size_t wn, uint32_t sent, uint32_t pos)
{
	if ((f->n + 1) * 2 > f->nslot)
		grow_slots(f);
	uint64_t h = word_hash(w, wn), pre = word_pre(w);
	uint16_t h16 = (uint16_t)(h >> 48);
	size_t j = h & (f->nslot - 1);
	uint32_t idx = 0;
	while (f->slot[j].idx) {
		const fslot *e = &f->slot[j];
		if (e->pre == pre && e->wn == wn &&
		    (wn <= 8 || (e->h16 == h16 && !memcmp(f->t[e->idx - 1].w + 8, w + 8, wn - 8)))) {
			idx = e->idx;
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
		/* (kept padded: grow_slots reads its first 8 bytes) */
		size_t pad = (wn + 8) & ~(size_t)7;
		if (!f->nwblk || f->wused + pad > FTS_WBLOCK) {
			if (f->nwblk)
				f->wcur++;
			if (f->wcur == f->nwblk) {
				f->wblk = sr_realloc(f->wblk, (f->nwblk + 1) * sizeof *f->wblk);
				f->wblk[f->nwblk++] = sr_malloc(FTS_WBLOCK);
			}
			f->wused = 0;
		}
		e->w = f->wblk[f->wcur] + f->wused;
		f->wused += pad;
		for (size_t k = 0; k < pad; k += 8)
			memcpy(e->w + k, w + k, 8);
		e->wn = (uint32_t)wn;
		e->h = h;
		e->n = 0;
		f->slot[j] = (fslot){pre, idx = (uint32_t)++f->n, (uint16_t)wn, h16};
	}
	if (f->nocc == f->capocc) {
		size_t cap = f->capocc ? f->capocc * 2 : 4096;
		f->occ = big_realloc(f->occ, f->capocc * sizeof *f->occ, cap * sizeof *f->occ);
		f->capocc = cap;
	}
	f->occ[f->nocc++] = (focc){idx - 1, sent, pos};
}

/* A run of text with characters past ASCII being cut (pg_ts_words'
 * callback) */
typedef struct cutting {
	struct st_fts *f;
	uint32_t sent, pos;
} cutting;

static void
word_cb(void *ctx, const char *w, size_t wn)
{
	cutting *c = ctx;
	char pad[PG_MAX_LEXEME + 16];
	if (wn > PG_MAX_LEXEME)
		wn = PG_MAX_LEXEME;
	memcpy(pad, w, wn);
	memset(pad + wn, 0, 8);
	add_word(c->f, pad, wn, c->sent, c->pos++);
}

/* A byte's class for cut_words: 0 an ASCII byte that is not a letter or
 * digit (it ends a word), 1 an ASCII letter or digit, 2 a byte past ASCII
 * (one may be a letter, a mark or a separator: pg_ts_words decides) */
#define CLS16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char byte_cls[256] = {
	CLS16(0), CLS16(0), CLS16(0),                           /* 0x00-0x2f */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,         /* 0-9 */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         /* A-O */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,         /* P-Z */
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,         /* a-o */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,         /* p-z */
	CLS16(2), CLS16(2), CLS16(2), CLS16(2), CLS16(2), CLS16(2), CLS16(2), CLS16(2),
};
#undef CLS16

/* The words of a sentence as pg_ts_words cuts and folds them, added as
 * the sentence sent; its number of words.  pg_ts_words ends a word at
 * every ASCII byte that is not a letter or digit and continues it over
 * every one that is, so the sentence is cut at those bytes into runs
 * and each run is a word of its own or, when it holds a character past
 * ASCII (which may be a letter, a mark or a separator), cut by
 * pg_ts_words alone: the same words, in the same order.  An ASCII run
 * is folded 8 bytes at a time (a letter or digit folds by setting bit
 * 0x20) and hashed likewise. */
static uint32_t
cut_words(struct st_fts *f, uint32_t sent, const char *s, size_t n)
{
	char w[PG_MAX_LEXEME + 16];
	cutting c = {f, sent, 0};
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		if (!byte_cls[u[i]]) {
			i++;
			continue;
		}
		size_t start = i;
		unsigned wide = 0, cl;
		while (i < n && (cl = byte_cls[u[i]]) != 0) {
			wide |= cl;
			i++;
		}
		if (wide & 2) {
			pg_ts_words(s + start, i - start, word_cb, &c);
			continue;
		}
		size_t wn = i - start < PG_MAX_LEXEME ? i - start : PG_MAX_LEXEME;
		/* (the bytes past the word are zeroed after) */
		pg_fold_ascii((unsigned char *)w, (const unsigned char *)s, start, wn, n);
		memset(w + wn, 0, 8);
		add_word(f, w, wn, sent, c.pos++);
	}
	return c.pos;
}

static void
fts_clear(struct st_fts *f)
{
	f->wcur = f->wused = 0;
	f->n = 0;
	f->nocc = 0;
	if (f->slot)
		memset(f->slot, 0, f->nslot * sizeof *f->slot);
	f->lens.n = 0;
	f->pend.n = 0;
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
	for (size_t i = 0; i < f->nwblk; i++)
		free(f->wblk[i]);
	free(f->wblk);
	free(f->t);
	free(f->slot);
	big_free(f->occ, f->capocc * sizeof *f->occ);
	vb_free(&f->lens);
	big_free(f->keys, f->capkeys * sizeof *f->keys);
	big_free(f->keys2, f->capkeys * sizeof *f->keys2);
	free(f->at);
	big_free(f->by, f->capby * sizeof *f->by);
	vb_free(&f->post);
	vb_free(&f->blk);
	vb_free(&f->data);
	vb_free(&f->first);
	vb_free(&f->pend);
	free(f);
	st->fts = NULL;
}

void
st_fts_drop(sr_store *st)
{
	if (st->fts)
		fts_clear(st->fts);
}

/* Cuts the sentence sid (s, n bytes) into the batch's words now. */
static void
add_now(struct st_fts *f, int64_t sid, const char *s, size_t n)
{
	if (!f->rows)
		f->lfirst = sid;
	uint32_t ntok = cut_words(f, (uint32_t)(sid - f->lfirst), s, n);
	vb_put(&f->lens, (uint64_t)(sid - f->llast));
	vb_put(&f->lens, ntok);
	f->llast = sid;
	f->rows++;
	f->tokens += (long long)ntok;
}

/* Cuts the sentences held by st_fts_add. */
static void
cut_pending(struct st_fts *f)
{
	if (!f->pend.n)
		return; /* nothing held, and pend.p may still be NULL */
	const unsigned char *p = f->pend.p, *e = p + f->pend.n;
	while (p < e) {
		int64_t sid;
		uint32_t n;
		memcpy(&sid, p, 8);
		memcpy(&n, p + 8, 4);
		add_now(f, sid, (const char *)p + 12, n);
		p += 12 + n;
	}
	f->pend.n = 0;
}

/* The sentence's bytes are copied and cut with the rest of the batch's
 * (at the flush, or once FTS_PENDING bytes are held): cut between two
 * reports' extraction, the table of terms and the extractor's tables
 * pushed each other out of the caches, and indexing cost twice what it
 * costs in one run (st_fts_build). */
void
st_fts_add(sr_store *st, int64_t sid, const char *s, size_t n)
{
	struct st_fts *f = st->fts;
	if (!f)
		f = st->fts = sr_calloc(1, sizeof *f);
	uint32_t len = (uint32_t)n;
	vb_reserve(&f->pend, 12 + n);
	memcpy(f->pend.p + f->pend.n, &sid, 8);
	memcpy(f->pend.p + f->pend.n + 8, &len, 4);
	memcpy(f->pend.p + f->pend.n + 12, s, n);
	f->pend.n += 12 + n;
	if (f->pend.n >= FTS_PENDING)
		cut_pending(f);
}

/* ------------------------------------------------------------- segments */

static int
tkey_cmp(const void *a, const void *b)
{
	const tkey *x = a, *y = b;
	if (x->k != y->k)
		return x->k < y->k ? -1 : 1;
	size_t n = x->t->wn < y->t->wn ? x->t->wn : y->t->wn;
	int c = memcmp(x->t->w, y->t->w, n);
	return c ? c : (x->t->wn > y->t->wn) - (x->t->wn < y->t->wn);
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

/* The blocks of a segment being written: terms in order, their
 * directory in blk, their postings in data. */
typedef struct bwriter {
	sr_store *st;
	int64_t seg;
	vbuf blk, data, first;
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
			/* (a zero-length blob, not NULL, for terms without
			 * postings) */
			sqlite3_bind_blob(s, 4, b->data.n ? (const void *)b->data.p : "",
					  (int)b->data.n, SQLITE_STATIC);
			b->rc = step_done(b->st, s, "full-text postings");
		}
	}
	b->blk.n = 0;
	b->data.n = 0;
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
	/* (one reserve for the entry: four varints of at most 10 bytes) */
	vb_reserve(&b->blk, wn + 40);
	vb_put_fast(&b->blk, wn);
	memcpy(b->blk.p + b->blk.n, w, wn);
	b->blk.n += wn;
	vb_put_fast(&b->blk, df);
	vb_put_fast(&b->blk, (uint64_t)last);
	vb_put_fast(&b->blk, pn);
	vb_add(&b->data, post, pn);
	if (b->blk.n + b->data.n >= FTS_BLOCK)
		bw_end(b);
}

static void
bw_free(bwriter *b)
{
	vb_free(&b->blk);
	vb_free(&b->data);
	vb_free(&b->first);
}

int
st_fts_br_next(breader *r)
{
	while (r->p == r->e) {
		if (sqlite3_step(r->s) != SQLITE_ROW)
			return 0;
		r->p = sqlite3_column_blob(r->s, 0);
		r->e = r->p + sqlite3_column_bytes(r->s, 0);
		if (r->ids) {
			r->id = sqlite3_column_int64(r->s, 1);
		} else {
			r->d = sqlite3_column_blob(r->s, 1);
			r->dn = (size_t)sqlite3_column_bytes(r->s, 1);
		}
		r->next = 0;
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
	    !vb_get(&r->p, r->e, &pn) || (!r->ids && pn > (uint64_t)(r->dn - r->next)) ||
	    pn > (uint64_t)INT32_MAX) {
		r->bad = 1;
		return 0;
	}
	r->last = (int64_t)last;
	r->off = r->next;
	r->pn = (size_t)pn;
	r->post = r->ids ? NULL : r->d + r->off;
	r->next += r->pn;
	return 1;
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
		cur[i].s = st_prepare(st, "SELECT dir, data FROM fts_post WHERE seg = ?1"
				      " ORDER BY term");
		if (!cur[i].s) {
			for (int j = 0; j < i; j++)
				sqlite3_finalize(cur[j].s);
			return SR_ERR_DB;
		}
		sqlite3_bind_int64(cur[i].s, 1, ids[i]);
		live[i] = st_fts_br_next(&cur[i]);
	}
	bwriter bw = {st, seg, {0}, {0}, {0}, SR_OK};
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
				live[i] = st_fts_br_next(&cur[i]);
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
	vb_free(&out);
	vb_free(&w);
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
		if (k < FTS_MERGE || !same || level >= FTS_MAX_LEVEL)
			return SR_OK;
		if (merge(st, ids, firsts, lasts, k, level + 1) != SR_OK)
			return SR_ERR_DB;
	}
}

/* Sorts keys[0..n) by term: by their 8-byte numbers, least significant
 * byte first (a pass whose byte is the same for all is skipped), through
 * tmp; then each run of equal numbers (words longer than 8 bytes that
 * share them) by the whole word.  The order of qsort with tkey_cmp. */
static void
sort_terms(tkey *keys, tkey *tmp, size_t n)
{
	tkey *src = keys, *dst = tmp;
	for (int shift = 0; shift < 64; shift += 8) {
		size_t count[256] = {0};
		for (size_t i = 0; i < n; i++)
			count[src[i].k >> shift & 0xff]++;
		if (n && count[src[0].k >> shift & 0xff] == n)
			continue;
		size_t o = 0;
		for (int d = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = o;
			o += c;
		}
		for (size_t i = 0; i < n; i++)
			dst[count[src[i].k >> shift & 0xff]++] = src[i];
		tkey *x = src;
		src = dst;
		dst = x;
	}
	if (src != keys)
		memcpy(keys, src, n * sizeof *keys);
	for (size_t i = 0; i < n;) {
		size_t j = i + 1;
		while (j < n && keys[j].k == keys[i].k)
			j++;
		if (j - i > 1)
			qsort(keys + i, j - i, sizeof *keys, tkey_cmp);
		i = j;
	}
}

int
st_fts_flush(sr_store *st)
{
	struct st_fts *f = st->fts;
	if (f)
		cut_pending(f);
	if (!f || !f->rows)
		return SR_OK;
	int64_t seg;
	int rc = new_seg(st, f->lfirst, f->llast, 0, &seg);
	if (rc == SR_OK) {
		if (f->n > f->capkeys) {
			big_free(f->keys, f->capkeys * sizeof *f->keys);
			big_free(f->keys2, f->capkeys * sizeof *f->keys2);
			free(f->at);
			f->capkeys = f->n * 2;
			f->keys = big_realloc(NULL, 0, f->capkeys * sizeof *f->keys);
			f->keys2 = big_realloc(NULL, 0, f->capkeys * sizeof *f->keys2);
			f->at = sr_malloc(f->capkeys * sizeof *f->at);
		}
		if (f->nocc > f->capby) {
			big_free(f->by, f->capby * sizeof *f->by);
			f->capby = f->nocc * 2;
			f->by = big_realloc(NULL, 0, f->capby * sizeof *f->by);
		}
		for (size_t i = 0; i < f->n; i++)
			f->t[i].n = 0;
		for (size_t k = 0; k < f->nocc; k++)
			f->t[f->occ[k].term].n++;
		for (size_t i = 0; i < f->n; i++) {
			uint64_t k = 0;
			for (uint32_t j = 0; j < 8; j++)
				k = k << 8 | (j < f->t[i].wn ? (unsigned char)f->t[i].w[j] : 0u);
			f->keys[i] = (tkey){k, &f->t[i]};
		}
		sort_terms(f->keys, f->keys2, f->n);
		/* the occurrences by term in that order, each term's in the
		 * order they came (a stable scatter): sentence, then
		 * position */
		uint32_t o = 0;
		for (size_t i = 0; i < f->n; i++) {
			f->at[f->keys[i].t - f->t] = o;
			o += f->keys[i].t->n;
		}
		for (size_t k = 0; k < f->nocc; k++)
			f->by[f->at[f->occ[k].term]++] = f->occ[k];
	}
	const focc *by = f->by;
	bwriter bw = {st, seg, f->blk, f->data, f->first, rc};
	bw.blk.n = 0;
	bw.data.n = 0;
	vbuf *post = &f->post;
	for (size_t i = 0, k = 0; rc == SR_OK && i < f->n && bw.rc == SR_OK; i++) {
		/* per sentence: the id (the first as is, then the
		 * difference), the count, the positions (differences) */
		const fterm *t = f->keys[i].t;
		size_t end = k + t->n;
		uint64_t df = 0;
		int64_t last = 0;
		post->n = 0;
		/* (each occurrence takes at most three varints of 10 bytes) */
		vb_reserve(post, 30 * (size_t)t->n);
		while (k < end) {
			size_t m = k;
			while (m < end && by[m].sent == by[k].sent)
				m++;
			int64_t sid = f->lfirst + by[k].sent;
			vb_put_fast(post, (uint64_t)(sid - last));
			vb_put_fast(post, m - k);
			for (uint32_t prev = 0; k < m; k++) {
				vb_put_fast(post, by[k].pos - prev);
				prev = by[k].pos;
			}
			df++;
			last = sid;
		}
		bw_add(&bw, t->w, t->wn, df, last, post->p, post->n);
	}
	int brc = bw_end(&bw);
	if (rc == SR_OK)
		rc = brc;
	/* (the block buffers are kept for the next batch) */
	f->blk = bw.blk;
	f->data = bw.data;
	f->first = bw.first;
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

/* Schema 13: the blocks of schema 11 (per term its length and bytes, the
 * number of its sentences, the last, the length of its postings and the
 * postings, all in one value), which the migration left in
 * fts_post_v12, split into their directory and their postings, block
 * for block; fts_post_v12 dropped after. */
int
st_fts_relayout(sr_store *st)
{
	/* (a file of 13 marked older, by hand or by a test: its blocks
	 * are split already) */
	sqlite3_stmt *s = st_prepare(st, "SELECT count(*) FROM pragma_table_info('fts_post_v12')"
				     " WHERE name = 'dir'");
	int split = s && sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0) > 0;
	sqlite3_finalize(s);
	if (split)
		return st_exec(st, "INSERT INTO fts_post(seg, term, dir, data) SELECT seg, term, dir,"
			       " data FROM fts_post_v12 ORDER BY seg, term; DROP TABLE fts_post_v12");
	s = st_prepare(st, "SELECT seg, term, data FROM fts_post_v12 ORDER BY seg, term");
	if (!s)
		return SR_ERR_DB;
	bwriter bw = {st, 0, {0}, {0}, {0}, SR_OK};
	int step = SQLITE_DONE, bad = 0;
	while (bw.rc == SR_OK && !bad && (step = sqlite3_step(s)) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 2);
		const unsigned char *e = p + sqlite3_column_bytes(s, 2);
		bw.seg = sqlite3_column_int64(s, 0);
		while (p < e && !bad) {
			uint64_t wn, df, last, pn;
			if (!vb_get(&p, e, &wn) || wn > (uint64_t)(e - p)) {
				bad = 1;
				break;
			}
			const unsigned char *w = p;
			p += wn;
			if (!vb_get(&p, e, &df) || !vb_get(&p, e, &last) || !vb_get(&p, e, &pn) ||
			    pn > (uint64_t)(e - p)) {
				bad = 1;
				break;
			}
			vb_put(&bw.blk, wn);
			vb_add(&bw.blk, w, (size_t)wn);
			vb_put(&bw.blk, df);
			vb_put(&bw.blk, last);
			vb_put(&bw.blk, pn);
			vb_add(&bw.data, p, (size_t)pn);
			p += pn;
		}
		/* (the block keeps its key) */
		bw.first.n = 0;
		vb_add(&bw.first, sqlite3_column_blob(s, 1), (size_t)sqlite3_column_bytes(s, 1));
		if (!bad)
			bw_end(&bw);
	}
	int rc = bw.rc;
	if (rc == SR_OK && bad)
		rc = st_fail(st, "%s: full-text postings of segment %lld unreadable", st->path,
			     (long long)bw.seg);
	else if (rc == SR_OK && step != SQLITE_DONE)
		rc = st_dberr(st, "reading the full-text postings");
	sqlite3_finalize(s);
	bw_free(&bw);
	if (rc == SR_OK)
		rc = st_exec(st, "DROP TABLE fts_post_v12");
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
	if (!st->fts)
		st->fts = sr_calloc(1, sizeof *st->fts);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		/* (cut at once: the rows come one after the other) */
		add_now(st->fts, sqlite3_column_int64(s, 0), sqlite3_column_blob(s, 1),
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
