/*
 * fts_query.c -- search in SQLite's full-text index of our own (fts.c
 * writes it; the tables are described there): a query in FTS5's syntax
 * (phrases in double quotes with an optional * for a prefix, AND, OR,
 * NOT, ( ), NEAR(...)) is parsed, its sentences found from the terms'
 * postings, and ranked by bm25 as FTS5 ranked them (k1 1.2, b 0.75,
 * every phrase weighed by its idf).
 */
#include "fts_int.h"

/* SQLite's page cache while a search reads the index, in KB: each page
 * of postings is read once, so a small cache costs nothing, and the
 * connection's own (64 MB) would hold every page a search read. */
#define FTS_SEARCH_CACHE_KB 2048

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
	size_t s0, s1;          /* the segments read: segs[s0..s1) */
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
	for (size_t i = q->s0; i < q->s1 && rc == SR_OK; i++) {
		/* the blocks from the one that may hold w to the last before hi */
		sqlite3_bind_int64(q->get, 1, q->segs[i]);
		sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
		if (open_end)
			sqlite3_bind_blob(q->get, 3, "\xff\xff\xff\xff\xff\xff\xff\xff", 8,
					  SQLITE_STATIC);
		else
			sqlite3_bind_blob(q->get, 3, hi, (int)hn, SQLITE_STATIC);
		breader r = {q->get, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
		while (st_fts_br_next(&r)) {
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

/* The number of sentences of segment i that hold the word w, from its
 * term's header (its postings are not decoded), added to *df. */
static int
word_df(fq *q, size_t i, const char *w, size_t wn, long long *df)
{
	unsigned char hi[PG_MAX_LEXEME + 8];
	memcpy(hi, w, wn);
	hi[wn] = 0;
	sqlite3_bind_int64(q->get, 1, q->segs[i]);
	sqlite3_bind_blob(q->get, 2, w, (int)wn, SQLITE_STATIC);
	sqlite3_bind_blob(q->get, 3, hi, (int)wn + 1, SQLITE_STATIC);
	breader r = {q->get, NULL, NULL, NULL, NULL, 0, 0, 0, 0, 0};
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
	sqlite3_stmt *s = st_prepare(q->st, "SELECT data FROM fts_lens WHERE seg = ?1");
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, q->segs[i]);
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *p = sqlite3_column_blob(s, 0);
		const unsigned char *e = p + sqlite3_column_bytes(s, 0);
		int64_t at = 0;
		uint64_t d, l;
		size_t k = 0;
		while (p < e && k < n && vb_get(&p, e, &d) && vb_get(&p, e, &l)) {
			at += (int64_t)d;
			while (k < n && sid[k] < at)
				k++;
			if (k < n && sid[k] == at)
				len[k++] = (uint32_t)l;
		}
	}
	sqlite3_finalize(s);
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
		rc = seg_lens(q, i, k->sid + k->n, take, k->len + k->n);
		k->n += take;
		for (int j = 0; j < ps->nph; j++)
			count[j] += (long long)ps->ph[j].l.n;
	}
	for (int j = 0; sets && j < ps->nn; j++)
		if (!sets[j].borrowed)
			free(sets[j].v);
	free(sets);
	for (int j = 0; j < ps->nph; j++)
		pl_free(&ps->ph[j].l);
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
		} else if (p->nw) {
			rc = phrase_list(q, p);
			count[j] += (long long)p->l.n;
			pl_free(&p->l);
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
	fq q = {st, NULL, 0, 0, 0, NULL, why, whylen};
	if (rc == SR_OK) {
		sqlite3_stmt *s = st_prepare(st, "SELECT seg FROM fts_segs ORDER BY first");
		size_t cap = 0;
		while (s && sqlite3_step(s) == SQLITE_ROW) {
			if (q.nsegs == cap) {
				cap = cap ? cap * 2 : 64;
				q.segs = sr_realloc(q.segs, cap * sizeof *q.segs);
			}
			q.segs[q.nsegs++] = sqlite3_column_int64(s, 0);
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
	/* the page cache made small for the search, then given back */
	long long cache = 0;
	int cached = 0;
	sqlite3_stmt *cs = rc == SR_OK ? st_prepare(st, "PRAGMA cache_size") : NULL;
	if (cs && sqlite3_step(cs) == SQLITE_ROW) {
		cache = sqlite3_column_int64(cs, 0);
		cached = sqlite3_exec(st->db, "PRAGMA cache_size = -" SR_STR(FTS_SEARCH_CACHE_KB),
				      NULL, NULL, NULL) == SQLITE_OK;
	}
	sqlite3_finalize(cs);
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
	if (cached) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA cache_size = %lld", cache);
		sqlite3_exec(st->db, sql, NULL, NULL, NULL);
	}
	free(k.sid);
	free(k.len);
	free(k.f);
	free(count);
	sqlite3_finalize(q.get);
	free(q.segs);
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
