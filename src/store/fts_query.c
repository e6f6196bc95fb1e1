/*
 * fts_query.c -- search in SQLite's full-text index of our own (fts.c
 * writes it; the tables are described there): a query in FTS5's syntax
 * (phrases in double quotes with an optional * for a prefix, AND, OR,
 * NOT, ( ), NEAR(...)) is parsed, its sentences found from the terms'
 * postings, and ranked by bm25 as FTS5 ranked them (k1 1.2, b 0.75,
 * every phrase weighed by its idf).
 */
#include "fts_query_int.h"

/* ------------------------------------------------------------ the query */

/* (the lists' arrays are allocated by st_fts_big_realloc: those of
 * megabytes in huge pages, a page fault per 2 MB rather than per 4 KB) */
static void
pl_grow(plist *l, size_t cap, size_t cappos)
{
	if (cap > l->cap) {
		l->sid = st_fts_big_realloc(l->sid, l->cap * sizeof *l->sid, cap * sizeof *l->sid);
		l->off = st_fts_big_realloc(l->off, l->cap * sizeof *l->off, cap * sizeof *l->off);
		l->cnt = st_fts_big_realloc(l->cnt, l->cap * sizeof *l->cnt, cap * sizeof *l->cnt);
		l->cap = cap;
	}
	if (cappos > l->cappos) {
		l->pos = st_fts_big_realloc(l->pos, l->cappos * sizeof *l->pos,
					    cappos * sizeof *l->pos);
		l->cappos = cappos;
	}
}

static void
pl_push(plist *l, int64_t sid, const uint32_t *pos, uint32_t n)
{
	if (l->n == l->cap)
		pl_grow(l, l->cap ? l->cap * 2 : 64, 0);
	if (l->npos + n > l->cappos) {
		size_t cp = l->cappos ? l->cappos : 256;
		while (l->npos + n > cp)
			cp *= 2;
		pl_grow(l, 0, cp);
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
	pl_grow(l, l->n + n, l->npos + np);
}

static void
pl_free(plist *l)
{
	st_fts_big_free(l->sid, l->cap * sizeof *l->sid);
	st_fts_big_free(l->off, l->cap * sizeof *l->off);
	st_fts_big_free(l->cnt, l->cap * sizeof *l->cnt);
	st_fts_big_free(l->pos, l->cappos * sizeof *l->pos);
	memset(l, 0, sizeof *l);
}

/* Emptied, its arrays kept for the next segment's */
static void
pl_clear(plist *l)
{
	l->n = l->npos = 0;
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

/* A buffer of postings, kept for the whole search */
typedef struct pbuf {
	unsigned char *p;
	size_t cap;
} pbuf;

typedef struct fq {
	sr_store *st;
	int64_t *segs, *first, *last;   /* each segment's sentences first..last */
	size_t nsegs;
	size_t s0, s1;          /* the segments read: segs[s0..s1) */
	sqlite3_stmt *get;
	/* the postings of one term at a time, read from the row's data by
	 * an incremental blob (the value SQLite would copy for a column is
	 * a new allocation of up to megabytes each time, its pages faulted
	 * in again), into a buffer kept for the whole search */
	sqlite3_blob *blob, *lblob;     /* (lblob: fts_lens's, seg_lens) */
	int64_t blob_id;
	pbuf buf;
	pbuf *wbuf;             /* a phrase's words' (phrase_count) */
	int nwbuf;
	uint64_t *bits;         /* a segment's sentences (prefix_count) */
	size_t capbits;
	char *err;
	size_t errlen;
} fq;

/* The postings of the term r is at (r->pn bytes) into b (q->buf when
 * NULL), or NULL (r->bad set) when they cannot be read. */
static const unsigned char *
post_read(fq *q, breader *r, pbuf *b)
{
	if (!b)
		b = &q->buf;
	if (!r->pn)
		return (const unsigned char *)"";
	if (r->pn > b->cap) {
		size_t cap = b->cap ? b->cap : 65536;
		while (cap < r->pn)
			cap *= 2;
		/* (nothing to keep: freed and made again) */
		st_fts_big_free(b->p, b->cap);
		b->p = st_fts_big_realloc(NULL, 0, cap);
		b->cap = cap;
	}
	int rc = SQLITE_OK;
	if (!q->blob)
		rc = sqlite3_blob_open(q->st->db, "main", "fts_post", "data", r->id, 0, &q->blob);
	else if (q->blob_id != r->id)
		rc = sqlite3_blob_reopen(q->blob, r->id);
	if (rc == SQLITE_OK) {
		q->blob_id = r->id;
		rc = sqlite3_blob_read(q->blob, b->p, (int)r->pn, (int)r->off);
	}
	if (rc != SQLITE_OK) {
		/* (a handle that failed is of no further use) */
		sqlite3_blob_close(q->blob);
		q->blob = NULL;
		r->bad = 1;
		return NULL;
	}
	return b->p;
}

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
	for (size_t i = q->s0; i < q->s1 && rc == SR_OK; i++) {
		/* the blocks from the one that may hold w to the last before hi */
		sqlite3_bind_int64(q->get, 1, q->segs[i]);
		sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
		if (open_end)
			sqlite3_bind_blob(q->get, 3, "\xff\xff\xff\xff\xff\xff\xff\xff", 8,
					  SQLITE_STATIC);
		else
			sqlite3_bind_blob(q->get, 3, hi, (int)hn, SQLITE_STATIC);
		breader r = {.s = q->get, .ids = 1};
		while (st_fts_br_next(&r)) {
			if (bytes_cmp(r.w, r.wn, w, wn) < 0)
				continue;
			if (!open_end && bytes_cmp(r.w, r.wn, hi, hn) >= 0)
				break;
			/* (a term's sentences and positions, at most one
			 * position per byte of its postings) */
			if (!prefix)
				pl_reserve(out, (size_t)r.df, need_pos ? r.pn : 0);
			const unsigned char *post = post_read(q, &r, NULL);
			if (!post || !(prefix ? decode_row(post, r.pn, need_pos, &o, &no, &cap)
					      : decode_list(post, r.pn, need_pos, out))) {
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
	pl_clear(&p->l);
	if (p->nw == 1)         /* (into the phrase's list, its arrays kept) */
		return word_list(q, p->w[0], p->wn[0], p->prefix, p->near, &p->l);
	plist *w = sr_calloc((size_t)p->nw, sizeof *w);
	int rc = SR_OK;
	for (int i = 0; i < p->nw && rc == SR_OK; i++)
		rc = word_list(q, p->w[i], p->wn[i], p->prefix && i == p->nw - 1,
			       p->nw > 1 || p->near, &w[i]);
	if (rc == SR_OK) {
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

/* ------------------------------------------------------------ evaluation */

typedef struct idset {
	int64_t *v;
	size_t n;
	int borrowed;           /* v is a phrase list's: not given back */
	size_t cap;             /* v's room (from pool_get) */
} idset;

/* Room for n ids: the smallest buffer of the pool that holds them, or a
 * new one (a power of two, from st_fts_big_realloc); *cap its room.  A
 * union of a million events' lists is megabytes, each new one its
 * pages faulted in again, segment after segment. */
static int64_t *
pool_get(parser *ps, size_t n, size_t *cap)
{
	int best = -1;
	for (int i = 0; i < ps->npool; i++)
		if (ps->poolcap[i] >= n && (best < 0 || ps->poolcap[i] < ps->poolcap[best]))
			best = i;
	if (best < 0) {
		size_t c = 512;
		while (c < n)
			c *= 2;
		*cap = c;
		return st_fts_big_realloc(NULL, 0, c * sizeof(int64_t));
	}
	int64_t *v = ps->pool[best];
	*cap = ps->poolcap[best];
	ps->npool--;
	ps->pool[best] = ps->pool[ps->npool];
	ps->poolcap[best] = ps->poolcap[ps->npool];
	return v;
}

/* Gives s's buffer back to the pool (unless borrowed). */
static void
pool_put(parser *ps, idset *s)
{
	if (s->borrowed || !s->v)
		return;
	if (ps->npool == ps->cappool) {
		ps->cappool = ps->cappool ? ps->cappool * 2 : 16;
		ps->pool = sr_realloc(ps->pool, (size_t)ps->cappool * sizeof *ps->pool);
		ps->poolcap = sr_realloc(ps->poolcap, (size_t)ps->cappool * sizeof *ps->poolcap);
	}
	ps->pool[ps->npool] = s->v;
	ps->poolcap[ps->npool++] = s->cap;
	s->v = NULL;
}

static idset
set_op(parser *ps, idset a, idset b, int kind)
{
	idset r = {NULL, 0, 0, 0};
	r.v = pool_get(ps, a.n + b.n + 1, &r.cap);
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
		r.v = pool_get(ps, ph[0].l.n + 1, &r.cap);
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
				sets[k] = (idset){NULL, 0, 1, 0};       /* (freqs needs none) */
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
				idset u = set_op(ps, leaf[i], leaf[i + 1], N_OR);
				pool_put(ps, &leaf[i]);
				pool_put(ps, &leaf[i + 1]);
				leaf[out++] = u;
			}
			if (nl % 2)
				leaf[out++] = leaf[nl - 1];
			nl = out;
		}
		r = leaf[0];
		if (r.borrowed) {       /* one operand: a copy of its own */
			size_t cap;
			int64_t *v = pool_get(ps, r.n + 1, &cap);
			memcpy(v, r.v, r.n * sizeof *v);
			r = (idset){v, r.n, 0, cap};
		}
		free(leaf);
	} else {
		eval(ps, x->a, sets);
		eval(ps, x->b, sets);
		r = set_op(ps, sets[x->a], sets[x->b], x->kind);
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

/* Binds q->get to the blocks of segment i from the term w on (hi: the
 * caller's room for the bound past w, which must outlive the reading). */
static void
term_seek(fq *q, size_t i, const char *w, size_t wn, unsigned char *hi)
{
	memcpy(hi, w, wn);
	hi[wn] = 0;
	sqlite3_bind_int64(q->get, 1, q->segs[i]);
	sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
	sqlite3_bind_blob(q->get, 3, hi, (int)wn + 1, SQLITE_STATIC);
}

/* The term w of segment i: 1 with its place in *t (its postings not
 * read), 0 when the segment lacks it, -1 on error. */
static int
term_find(fq *q, size_t i, const char *w, size_t wn, breader *t)
{
	unsigned char hi[PG_MAX_LEXEME + 8];
	term_seek(q, i, w, wn, hi);
	breader r = {.s = q->get, .ids = 1};
	int found = 0;
	while (st_fts_br_next(&r)) {
		int c = bytes_cmp(r.w, r.wn, w, wn);
		if (c < 0)
			continue;
		if (!c) {
			found = 1;
			*t = r;
			t->s = NULL;
			t->w = NULL;    /* (the block's bytes are gone at the reset) */
			t->p = t->e = NULL;
		}
		break;
	}
	sqlite3_reset(q->get);
	if (r.bad) {
		st_fail(q->st, "%s: full-text postings unreadable (segment %lld)", q->st->path,
			(long long)q->segs[i]);
		return -1;
	}
	return found;
}

/* A term's postings read one sentence at a time: sid, the number of its
 * positions c and where they start (pos); positions skipped unless
 * read. */
typedef struct pcur {
	const unsigned char *p, *e, *pos;
	int64_t sid;
	uint64_t c;
	int bad;
} pcur;

/* The next sentence of c: 1, or 0 at the end (bad set if cut). */
static int
pc_next(pcur *c)
{
	if (c->pos) {
		const unsigned char *p = c->pos;
		for (uint64_t m = 0; m < c->c && p < c->e; p++)
			m += !(*p & 0x80);
		c->p = p;
	}
	uint64_t d;
	if (c->p >= c->e) {
		c->pos = NULL;
		return 0;
	}
	if (!vb_get(&c->p, c->e, &d) || !vb_get(&c->p, c->e, &c->c)) {
		c->bad = 1;
		c->pos = NULL;
		return 0;
	}
	c->sid += (int64_t)d;
	c->pos = c->p;
	return 1;
}

/* The positions of c's sentence into *a (grown, *cap), their number. */
static uint32_t
pc_pos(pcur *c, uint32_t **a, size_t *cap)
{
	if (c->c > *cap) {
		*cap = (size_t)c->c * 2;
		*a = sr_realloc(*a, *cap * sizeof **a);
	}
	const unsigned char *p = c->pos;
	uint64_t dp;
	uint32_t at = 0, n = 0;
	for (; n < c->c && vb_get(&p, c->e, &dp); n++) {
		at += (uint32_t)dp;
		(*a)[n] = at;
	}
	if (n < c->c)
		c->bad = 1;
	return n;
}

/* The number of sentences of segment i that hold the phrase p (of
 * several words, none a prefix), added to *count: its words' postings
 * read side by side, sentence by sentence from the rarest word's, and
 * the positions of a sentence decoded only where every word is, never
 * a list. */
static int
phrase_count(fq *q, size_t i, const phrase *p, long long *count)
{
	int nw = p->nw;
	if (q->nwbuf < nw) {
		q->wbuf = sr_realloc(q->wbuf, (size_t)nw * sizeof *q->wbuf);
		memset(q->wbuf + q->nwbuf, 0, (size_t)(nw - q->nwbuf) * sizeof *q->wbuf);
		q->nwbuf = nw;
	}
	pcur *c = sr_calloc((size_t)nw, sizeof *c);
	uint32_t **pos = sr_calloc((size_t)nw, sizeof *pos);
	size_t *cap = sr_calloc((size_t)nw, sizeof *cap);
	uint32_t *npos = sr_calloc((size_t)nw, sizeof *npos);
	int lead = 0, rc = SR_OK, all = 1;
	uint64_t least = UINT64_MAX;
	for (int k = 0; k < nw && all && rc == SR_OK; k++) {
		breader t;
		int f = term_find(q, i, p->w[k], p->wn[k], &t);
		if (f < 0) {
			rc = SR_ERR_DB;
			break;
		}
		all = f;
		const unsigned char *b = f ? post_read(q, &t, &q->wbuf[k]) : NULL;
		if (f && !b) {
			rc = st_fail(q->st, "%s: full-text postings unreadable (segment %lld)",
				     q->st->path, (long long)q->segs[i]);
			break;
		}
		if (f) {
			c[k] = (pcur){b, b + t.pn, NULL, 0, 0, 0};
			if (t.df < least) {
				least = t.df;
				lead = k;
			}
		}
	}
	long long n = 0;
	int bad = 0;
	if (rc == SR_OK && all) {
		for (int k = 0; k < nw; k++)
			if (k != lead && !pc_next(&c[k]))
				all = 0;
		while (all && pc_next(&c[lead])) {
			int64_t sid = c[lead].sid;
			int here = 1;
			for (int k = 0; k < nw && all; k++) {
				if (k == lead)
					continue;
				while (c[k].sid < sid && (all = pc_next(&c[k])))
					;
				here &= all && c[k].sid == sid;
			}
			if (!all || !here)
				continue;
			for (int k = 0; k < nw; k++)
				npos[k] = pc_pos(&c[k], &pos[k], &cap[k]);
			/* a start of the first word with each next word one
			 * further */
			int hit = 0;
			for (uint32_t j = 0; j < npos[0] && !hit; j++) {
				hit = 1;
				for (int k = 1; k < nw && hit; k++)
					hit = has_pos(pos[k], npos[k], pos[0][j] + (uint32_t)k);
			}
			n += hit;
		}
		for (int k = 0; k < nw; k++)
			bad |= c[k].bad;
	}
	if (rc == SR_OK && bad)
		rc = st_fail(q->st, "%s: full-text postings unreadable (segment %lld)", q->st->path,
			     (long long)q->segs[i]);
	if (rc == SR_OK)
		*count += n;
	for (int k = 0; k < nw; k++)
		free(pos[k]);
	free(pos);
	free(cap);
	free(npos);
	free(c);
	return rc;
}

/* The number of sentences of segment i that hold the word w, from its
 * term's header (its postings are not decoded), added to *df. */
static int
word_df(fq *q, size_t i, const char *w, size_t wn, long long *df)
{
	unsigned char hi[PG_MAX_LEXEME + 8];
	term_seek(q, i, w, wn, hi);
	breader r = {.s = q->get, .ids = 1};
	while (st_fts_br_next(&r)) {
		int c = bytes_cmp(r.w, r.wn, w, wn);
		if (c < 0)
			continue;
		if (!c)
			*df += (long long)r.df;
		break;
	}
	sqlite3_reset(q->get);
	if (r.bad)
		return st_fail(q->st, "%s: full-text postings unreadable (segment %lld)",
			       q->st->path, (long long)q->segs[i]);
	return SR_OK;
}

/* The number of sentences of segment i that hold a word w begins (w is
 * a prefix), added to *df: the one word's count from its header, or
 * the sentences of them all marked in a bitmap of the segment's (their
 * positions skipped), never a list. */
static int
prefix_count(fq *q, size_t i, const char *w, size_t wn, long long *df)
{
	unsigned char hi[PG_MAX_LEXEME + 8];
	size_t hn = wn;
	memcpy(hi, w, wn);
	while (hn && hi[hn - 1] == 0xff)
		hn--;
	int open_end = !hn;
	if (hn)
		hi[hn - 1]++;
	sqlite3_bind_int64(q->get, 1, q->segs[i]);
	sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
	if (open_end)
		sqlite3_bind_blob(q->get, 3, "\xff\xff\xff\xff\xff\xff\xff\xff", 8, SQLITE_STATIC);
	else
		sqlite3_bind_blob(q->get, 3, hi, (int)hn, SQLITE_STATIC);
	breader r = {.s = q->get, .ids = 1};
	breader one = {0};
	long long n = 0;
	int terms = 0;
	int64_t lo = q->first[i];
	size_t nbits = (size_t)(q->last[i] - lo + 1);
	while (!r.bad && st_fts_br_next(&r)) {
		if (bytes_cmp(r.w, r.wn, w, wn) < 0)
			continue;
		if (!open_end && bytes_cmp(r.w, r.wn, hi, hn) >= 0)
			break;
		if (!terms++) {
			one = r;        /* (its postings only if another word comes) */
			continue;
		}
		if (terms == 2) {
			size_t words = (nbits + 63) / 64;
			if (words > q->capbits) {
				st_fts_big_free(q->bits, q->capbits * sizeof *q->bits);
				q->bits = st_fts_big_realloc(NULL, 0, words * sizeof *q->bits);
				q->capbits = words;
			}
			memset(q->bits, 0, words * sizeof *q->bits);
		}
		for (int k = terms == 2 ? 0 : 1; k < 2 && !r.bad; k++) {
			breader *t = k ? &r : &one;
			const unsigned char *p = post_read(q, t, NULL);
			const unsigned char *e = p ? p + t->pn : NULL;
			int64_t sid = 0;
			uint64_t d, c;
			while (p && p < e) {
				if (!vb_get(&p, e, &d) || !vb_get(&p, e, &c))
					break;
				sid += (int64_t)d;
				if (sid < lo || sid - lo >= (int64_t)nbits)
					break;
				uint64_t bit = 1ull << ((uint64_t)(sid - lo) & 63);
				uint64_t *b = &q->bits[(uint64_t)(sid - lo) >> 6];
				n += !(*b & bit);
				*b |= bit;
				/* the positions skipped: c varints */
				for (uint64_t m = 0; m < c && p < e; p++)
					m += !(*p & 0x80);
			}
			if (p != e)
				r.bad = 1;
		}
	}
	sqlite3_reset(q->get);
	if (r.bad)
		return st_fail(q->st, "%s: full-text postings unreadable (segment %lld)",
			       q->st->path, (long long)q->segs[i]);
	*df += terms == 1 ? (long long)one.df : n;
	return SR_OK;
}

/* The number of words of the sentences sid[0..n) (in order, all of
 * segment i) into len: its lengths read in one pass, none kept (0 for a
 * sentence it does not list). */
static int
seg_lens(fq *q, size_t i, const int64_t *sid, size_t n, uint32_t *len)
{
	for (size_t k = 0; k < n; k++)
		len[k] = 0;
	if (!n)
		return SR_OK;
	/* read a piece at a time by an incremental blob (the value of a
	 * column was a new allocation of up to a megabyte and a half per
	 * segment, its pages faulted in each time); no row, no lengths */
	int rc = q->lblob ? sqlite3_blob_reopen(q->lblob, q->segs[i])
		: sqlite3_blob_open(q->st->db, "main", "fts_lens", "data", q->segs[i], 0, &q->lblob);
	if (rc != SQLITE_OK) {
		sqlite3_blob_close(q->lblob);
		q->lblob = NULL;
		return SR_OK;
	}
	unsigned char buf[16384];
	size_t have = 0, k = 0;
	int total = sqlite3_blob_bytes(q->lblob), off = 0;
	int64_t at = 0;
	while (k < n) {
		int get = total - off;
		if (get > (int)(sizeof buf - have))
			get = (int)(sizeof buf - have);
		if (get > 0 && sqlite3_blob_read(q->lblob, buf + have, get, off) != SQLITE_OK)
			break;
		off += get;
		have += (size_t)get;
		const unsigned char *p = buf, *e = buf + have;
		int end = off == total;
		/* whole pairs (of at most 20 bytes) unless the data ends here */
		while (k < n && p < e && (end || e - p >= 20)) {
			uint64_t d, l;
			if (!vb_get(&p, e, &d) || !vb_get(&p, e, &l)) {
				end = 1;
				break;
			}
			at += (int64_t)d;
			while (k < n && sid[k] < at)
				k++;
			if (k < n && sid[k] == at)
				len[k++] = (uint32_t)l;
		}
		if (end)
			break;
		have = (size_t)(e - p);
		memmove(buf, p, have);
	}
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

/* The matches kept for ranking: each one's sentence, length and the
 * instances of each phrase bm25 counts in it (f[k * nph + j]). */
typedef struct kept {
	int64_t *sid;
	uint32_t *len;
	double *f;
	size_t n, cap;
} kept;

/* Segment i's matches (the newest of them, up to window - k->n when
 * window > 0) into k, and the sentences of each phrase in it into
 * count.  The phrases' lists hold this segment's only: the segments
 * cover ranges of sentences apart, so each is evaluated on its own. */
static int
seg_matches(fq *q, parser *ps, int root, size_t i, long window, kept *k, long long *count)
{
	int rc = SR_OK;
	q->s0 = i;
	q->s1 = i + 1;
	for (int j = 0; j < ps->nph && rc == SR_OK; j++)
		rc = phrase_list(q, &ps->ph[j]);
	idset *sets = rc == SR_OK ? sr_calloc((size_t)ps->nn, sizeof *sets) : NULL;
	if (rc == SR_OK) {
		eval(ps, root, sets);
		idset m = sets[root];
		size_t take = m.n, nph = (size_t)ps->nph;
		if (window > 0 && take > (size_t)window - k->n)
			take = (size_t)window - k->n;
		if (k->n + take > k->cap) {
			k->cap = (k->n + take) * 2;
			k->sid = sr_realloc(k->sid, k->cap * sizeof *k->sid);
			k->len = sr_realloc(k->len, k->cap * sizeof *k->len);
			k->f = sr_realloc(k->f, k->cap * nph * sizeof *k->f);
		}
		for (size_t a = m.n - take, h = k->n; a < m.n; a++, h++) {
			double *f = k->f + h * nph;
			for (size_t j = 0; j < nph; j++)
				f[j] = 0.0;
			k->sid[h] = m.v[a];
			freqs(ps, sets, root, m.v[a], f);
		}
		if (take)       /* (no arrays yet before the first match) */
			rc = seg_lens(q, i, k->sid + k->n, take, k->len + k->n);
		k->n += take;
		for (int j = 0; j < ps->nph; j++)
			count[j] += (long long)ps->ph[j].l.n;
	}
	for (int j = 0; sets && j < ps->nn; j++)
		pool_put(ps, &sets[j]);
	free(sets);
	for (int j = 0; j < ps->nph; j++)
		pl_clear(&ps->ph[j].l);
	return rc;
}

/* Once the window is full: the sentences of each phrase in segment i,
 * for its idf (a word's from its header). */
static int
seg_counts(fq *q, parser *ps, size_t i, long long *count)
{
	int rc = SR_OK;
	q->s0 = i;
	q->s1 = i + 1;
	for (int j = 0; j < ps->nph && rc == SR_OK; j++) {
		phrase *p = &ps->ph[j];
		if (p->nw == 1 && !p->prefix) {
			rc = word_df(q, i, p->w[0], p->wn[0], &count[j]);
		} else if (p->nw == 1) {
			rc = prefix_count(q, i, p->w[0], p->wn[0], &count[j]);
		} else if (p->nw && !p->prefix) {
			rc = phrase_count(q, i, p, &count[j]);
		} else if (p->nw) {
			rc = phrase_list(q, p);
			count[j] += (long long)p->l.n;
			pl_clear(&p->l);
		}
	}
	return rc;
}

/* Searches the index: the matches of query (the newest window of them
 * when window > 0), ranked by bm25 as FTS5 ranked them.  Segments are
 * read newest first, one at a time, so that what a search holds is a
 * segment's lists and the window, not every match of the store; the
 * idf of a phrase still counts its sentences in every segment (a
 * word's from its headers). */
int
st_fts_search(sr_store *st, const char *query, long window, st_fts_hit **hits, size_t *nhits,
	      char *why, size_t whylen)
{
	*hits = NULL;
	*nhits = 0;
	parser ps = {.p = query};
	int root = st_fts_parse(&ps);
	int rc = SR_OK;
	if (root < 0) {
		snprintf(why, whylen, "%s at '%.40s'", ps.why ? ps.why : "syntax error", ps.p);
		rc = SR_ERR_USAGE;
	}
	fq q = {.st = st, .err = why, .errlen = whylen};
	if (rc == SR_OK) {
		sqlite3_stmt *s = st_prepare(st, "SELECT seg, first, last FROM fts_segs"
					     " ORDER BY first");
		size_t cap = 0;
		while (s && sqlite3_step(s) == SQLITE_ROW) {
			if (q.nsegs == cap) {
				cap = cap ? cap * 2 : 64;
				q.segs = sr_realloc(q.segs, cap * sizeof *q.segs);
				q.first = sr_realloc(q.first, cap * sizeof *q.first);
				q.last = sr_realloc(q.last, cap * sizeof *q.last);
			}
			q.segs[q.nsegs] = sqlite3_column_int64(s, 0);
			q.first[q.nsegs] = sqlite3_column_int64(s, 1);
			q.last[q.nsegs++] = sqlite3_column_int64(s, 2);
		}
		if (!s)
			rc = SR_ERR_DB;
		sqlite3_finalize(s);
	}
	if (rc == SR_OK) {
		q.get = st_prepare(st, "SELECT dir, id FROM fts_post WHERE seg = ?1 AND term >="
				   " coalesce((SELECT max(term) FROM fts_post WHERE seg = ?1"
				   " AND term <= ?2), x'') AND term < ?3 ORDER BY term");
		if (!q.get)
			rc = SR_ERR_DB;
	}
	kept k = {NULL, NULL, NULL, 0, 0};
	long long *count = sr_calloc((size_t)ps.nph + 1, sizeof *count);
	for (size_t i = q.nsegs; i-- > 0 && rc == SR_OK;)
		rc = window <= 0 || k.n < (size_t)window
			? seg_matches(&q, &ps, root, i, window, &k, count)
			: seg_counts(&q, &ps, i, count);
	if (rc == SR_OK && k.n) {
		char num[32];
		st_meta_get(st, "fts_rows", num, sizeof num);
		long long nrow = atoll(num);
		st_meta_get(st, "fts_tokens", num, sizeof num);
		long long ntok = atoll(num);
		double avgdl = nrow > 0 ? (double)ntok / (double)nrow : 1.0;
		double *idf = sr_malloc((size_t)(ps.nph + 1) * sizeof *idf);
		for (int i = 0; i < ps.nph; i++) {
			long long hit = count[i];
			idf[i] = log(((double)(nrow - hit) + 0.5) / ((double)hit + 0.5));
			if (idf[i] <= 0.0)
				idf[i] = 1e-6;
		}
		*hits = sr_malloc(k.n * sizeof **hits);
		const double k1 = 1.2, b = 0.75;
		for (size_t i = 0; i < k.n; i++) {
			double d = (double)k.len[i], score = 0;
			const double *f = k.f + i * (size_t)ps.nph;
			for (int j = 0; j < ps.nph; j++)
				score += idf[j] * ((f[j] * (k1 + 1.0)) /
						   (f[j] + k1 * (1 - b + b * d / avgdl)));
			(*hits)[(*nhits)++] = (st_fts_hit){k.sid[i], -1.0 * score};
		}
		free(idf);
		qsort(*hits, *nhits, sizeof **hits, hit_cmp);
	}
	free(k.sid);
	free(k.len);
	free(k.f);
	free(count);
	sqlite3_finalize(q.get);
	sqlite3_blob_close(q.blob);
	sqlite3_blob_close(q.lblob);
	st_fts_big_free(q.buf.p, q.buf.cap);
	for (int i = 0; i < q.nwbuf; i++)
		st_fts_big_free(q.wbuf[i].p, q.wbuf[i].cap);
	free(q.wbuf);
	st_fts_big_free(q.bits, q.capbits * sizeof *q.bits);
	free(q.segs);
	free(q.first);
	free(q.last);
	for (int i = 0; i < ps.nph; i++) {
		for (int j = 0; j < ps.ph[i].nw; j++)
			free(ps.ph[i].w[j]);
		free(ps.ph[i].w);
		free(ps.ph[i].wn);
		pl_free(&ps.ph[i].l);
	}
	free(ps.ph);
	free(ps.nodes);
	for (int i = 0; i < ps.npool; i++)
		st_fts_big_free(ps.pool[i], ps.poolcap[i] * sizeof **ps.pool);
	free(ps.pool);
	free(ps.poolcap);
	if (rc != SR_OK) {
		free(*hits);
		*hits = NULL;
		*nhits = 0;
	}
	return rc;
}
