/*
 * pg_text.c -- the words of the PostgreSQL engine's full-text index, made
 * by the client: a sentence's words cut and folded as SQLite's FTS5 cuts
 * them (so that both engines find the same sentences), a search's FTS5
 * query as a tsquery, and COPY's binary format, in which the sentences'
 * tsvectors and the reports' rows of doc_words go to the server without
 * text to parse (tsvectorin cost 17% of its CPU).  Split from pg.c
 * (session 8), which keeps the connection, the schema and the queries.
 */
#include "pg_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <utf8proc.h>

/* ----------------------------------------------------------- full text */

/* The words of s as SQLite's FTS5 (unicode61, remove_diacritics) cuts
 * and folds them: runs of letters, digits and marks; case folded,
 * compatibility forms and diacritics removed (Ḩasakah: hasakah,
 * Syria’s: syria, s).  fn gets each word (valid during the call). */
void
pg_ts_words(const char *s, size_t n, void (*fn)(void *ctx, const char *w, size_t wn), void *ctx)
{
	char w[PG_MAX_LEXEME + 8];
	size_t wn = 0;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			/* ASCII, most of the text: a letter or digit (as isalnum
			 * in the C locale) folded to lower case, else the end of
			 * a word */
			unsigned lc = c | 0x20u;
			if (lc - 'a' < 26u || (unsigned)c - '0' < 10u) {
				if (wn < PG_MAX_LEXEME)
					w[wn++] = (char)(c >= 'A' && c <= 'Z' ? lc : c);
			} else if (wn) {
				fn(ctx, w, wn);
				wn = 0;
			}
			i++;
			continue;
		}
		int32_t cp = 0;
		int l = sr_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (l <= 0) {
			l = 1;
			cp = 0xFFFD;
		}
		utf8proc_category_t cat = utf8proc_category(cp);
		int word = (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO) ||
			   cat == UTF8PROC_CATEGORY_CO;
		if (!word) {
			if (wn)
				fn(ctx, w, wn);
			wn = 0;
		} else if (cp < 0x80) {
			if (wn < PG_MAX_LEXEME)
				w[wn++] = (char)tolower(cp);
		} else {
			utf8proc_int32_t buf[8];
			int last = 0;
			utf8proc_ssize_t k = utf8proc_decompose_char(cp, buf, 8, UTF8PROC_CASEFOLD |
				UTF8PROC_COMPAT | UTF8PROC_STRIPMARK | UTF8PROC_DECOMPOSE, &last);
			for (utf8proc_ssize_t j = 0; j >= 0 && j < k && k <= 8; j++) {
				char t[4];
				int tl = sr_utf8_encode(buf[j], t);
				if (wn + (size_t)tl <= PG_MAX_LEXEME) {
					memcpy(w + wn, t, (size_t)tl);
					wn += (size_t)tl;
				}
			}
		}
		i += (size_t)l;
	}
	if (wn)
		fn(ctx, w, wn);
}

/* A word as a quoted lexeme of tsvector and tsquery input. */
static void
lexeme(sr_buf *b, const char *w, size_t n)
{
	sr_buf_addc(b, '\'');
	for (size_t i = 0; i < n; i++) {
		if (w[i] == '\'' || w[i] == '\\')
			sr_buf_addc(b, '\\');
		sr_buf_addc(b, w[i]);
	}
	sr_buf_addc(b, '\'');
}

typedef struct tsv_ctx {
	sr_buf *b;
	int pos;
	int prefix_sep;         /* tsquery: " <-> " between words */
} tsv_ctx;

static void
tsv_word(void *ctx, const char *w, size_t n)
{
	tsv_ctx *c = ctx;
	if (c->prefix_sep) {
		if (c->pos++)
			sr_buf_adds(c->b, " <-> ");
		lexeme(c->b, w, n);
		return;
	}
	if (++c->pos > PG_MAX_POS)
		return;
	if (c->pos > 1)
		sr_buf_addc(c->b, ' ');
	lexeme(c->b, w, n);
	sr_buf_printf(c->b, ":%d", c->pos);
}

void
pg_tsvector(const char *s, size_t n, sr_buf *out)
{
	tsv_ctx c = {out, 0, 0};
	pg_ts_words(s, n, tsv_word, &c);
}

/* One FTS5 string ("al Tanf", its quotes doubled inside) as a tsquery
 * phrase of its words; prefix: the last word a prefix. */
static void
ts_phrase(const char *s, size_t n, int prefix, sr_buf *out)
{
	sr_buf_addc(out, '(');
	tsv_ctx c = {out, 0, 1};
	pg_ts_words(s, n, tsv_word, &c);
	if (!c.pos)
		sr_buf_adds(out, "'-'");        /* no word: a lexeme no text has */
	else if (prefix)
		sr_buf_adds(out, ":*");
	sr_buf_addc(out, ')');
}

void
pg_tsquery(const char *q, sr_buf *out)
{
	const char *p = q;
	int last = 0;           /* an operand before: side by side is AND */
	while (*p) {
		if (isspace((unsigned char)*p)) {
			p++;
			continue;
		}
		if (*p == '"') {
			sr_buf tmp = {0};
			const char *c = p + 1;
			for (; *c; c++) {
				if (*c == '"' && c[1] == '"') {
					sr_buf_addc(&tmp, '"');
					c++;
				} else if (*c == '"') {
					break;
				} else {
					sr_buf_addc(&tmp, *c);
				}
			}
			p = *c ? c + 1 : c;
			int prefix = *p == '*';
			p += prefix;
			if (last)
				sr_buf_adds(out, " & ");
			ts_phrase(tmp.ptr ? tmp.ptr : "", tmp.len, prefix, out);
			sr_buf_free(&tmp);
			last = 1;
			continue;
		}
		if (!strncmp(p, "AND ", 4) || !strncmp(p, "OR ", 3) || !strncmp(p, "NOT ", 4)) {
			sr_buf_adds(out, *p == 'A' ? " & " : *p == 'O' ? " | " : " & !");
			p += *p == 'O' ? 3 : 4;
			last = 0;
			continue;
		}
		if (!strncmp(p, "NEAR(", 5)) {
			/* NEAR(a b, N): all of them (PostgreSQL's <N> means exactly N apart) */
			const char *close = strchr(p, ')');
			const char *comma = memchr(p, ',', close ? (size_t)(close - p) : strlen(p));
			const char *end = comma ? comma : close ? close : p + strlen(p);
			if (last)
				sr_buf_adds(out, " & ");
			sr_buf_addc(out, '(');
			int k = 0;
			for (const char *c = p + 5; c < end;) {
				while (c < end && *c != '"')
					c++;
				if (c >= end)
					break;
				const char *e = strchr(c + 1, '"');
				if (!e || e > end)
					break;
				if (k++)
					sr_buf_adds(out, " & ");
				ts_phrase(c + 1, (size_t)(e - c - 1), 0, out);
				c = e + 1;
			}
			if (!k)
				sr_buf_adds(out, "''");
			sr_buf_addc(out, ')');
			p = close ? close + 1 : p + strlen(p);
			last = 1;
			continue;
		}
		if (*p == '(') {
			if (last)
				sr_buf_adds(out, " & ");
			sr_buf_addc(out, '(');
			last = 0;
			p++;
			continue;
		}
		if (*p == ')') {
			sr_buf_addc(out, ')');
			last = 1;
			p++;
			continue;
		}
		p++;    /* nothing else comes out of search.c's rewrite */
	}
}

/* ------------------------------------------- binary COPY of sentences */

/* Each word of a sentence with its position, collected for the binary
 * tsvector. */
typedef struct bin_word {
	uint64_t key;           /* its first 8 bytes, big-endian, 0-padded */
	uint32_t off;           /* in the collected bytes */
	uint16_t len, pos;
} bin_word;

typedef struct bin_ctx {
	char *bytes;            /* the words' bytes, one after the other */
	size_t nbytes, capbytes;
	bin_word *w;
	size_t n, cap;
	int pos;
	int heap;               /* bytes and w were allocated (else the
				   caller's arrays on its stack) */
} bin_ctx;

static void
bin_collect(void *ctx, const char *w, size_t n)
{
	bin_ctx *c = ctx;
	if (++c->pos > PG_MAX_POS)
		return;
	if (c->n == c->cap || c->nbytes + n > c->capbytes) {
		/* past the stack's arrays: on the heap, doubled */
		size_t cap = c->cap * 2, capb = c->capbytes * 2 + n;
		bin_word *nw = sr_malloc(cap * sizeof *nw);
		char *nb = sr_malloc(capb);
		memcpy(nw, c->w, c->n * sizeof *nw);
		memcpy(nb, c->bytes, c->nbytes);
		if (c->heap) {
			free(c->w);
			free(c->bytes);
		}
		c->w = nw;
		c->bytes = nb;
		c->cap = cap;
		c->capbytes = capb;
		c->heap = 1;
	}
	bin_word *x = &c->w[c->n++];
	size_t m = n < 8 ? n : 8;       /* (a word has a byte at least) */
	uint64_t key = 0;
	for (size_t i = 0; i < m; i++)
		key = key << 8 | (unsigned char)w[i];
	x->key = key << (8 * (8 - m));
	x->off = (uint32_t)c->nbytes;
	x->len = (uint16_t)n;
	x->pos = (uint16_t)c->pos;
	memcpy(c->bytes + c->nbytes, w, n);
	c->nbytes += n;
}

/* PostgreSQL's order of lexemes (tsCompareString: bytes, then length),
 * then positions; the first 8 bytes compared as one number (a lexeme
 * holds no NUL, so the padding puts a prefix first) */
static inline int
bin_less(const bin_word *x, const bin_word *y, const char *base)
{
	if (x->key != y->key)
		return x->key < y->key;
	if (x->len > 8 && y->len > 8) {
		size_t m = x->len < y->len ? x->len : y->len;
		int c = memcmp(base + x->off + 8, base + y->off + 8, m - 8);
		if (c)
			return c < 0;
	}
	if (x->len != y->len)
		return x->len < y->len;
	return x->pos < y->pos;
}

/* Sorts c's words: runs of 16 by insertion, then merged, the comparison
 * inlined (qsort's calls through a pointer were most of what making the
 * tsvectors cost the client). */
static void
bin_sort(bin_ctx *c)
{
	size_t n = c->n;
	const char *base = c->bytes;
	bin_word *a = c->w;
	for (size_t lo = 0; lo < n; lo += 16) {
		size_t hi = lo + 16 < n ? lo + 16 : n;
		for (size_t i = lo + 1; i < hi; i++) {
			bin_word t = a[i];
			size_t j = i;
			while (j > lo && bin_less(&t, &a[j - 1], base)) {
				a[j] = a[j - 1];
				j--;
			}
			a[j] = t;
		}
	}
	if (n <= 16)
		return;
	bin_word *tmp = sr_malloc(n * sizeof *tmp), *src = a, *dst = tmp;
	for (size_t w = 16; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t i = lo, j = mid, k = lo;
			while (i < mid && j < hi)
				dst[k++] = bin_less(&src[j], &src[i], base) ? src[j++] : src[i++];
			while (i < mid)
				dst[k++] = src[i++];
			while (j < hi)
				dst[k++] = src[j++];
		}
		bin_word *t = src;
		src = dst;
		dst = t;
	}
	if (src != a)
		memcpy(a, src, n * sizeof *a);
	free(tmp);
}

static void
put16(sr_buf *b, unsigned v)
{
	char t[2] = {(char)(v >> 8), (char)v};
	sr_buf_add(b, t, 2);
}

static void
put32(sr_buf *b, uint32_t v)
{
	char t[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	sr_buf_add(b, t, 4);
}

void
pg_bin_int8(sr_buf *b, long long v)
{
	put32(b, 8);
	put32(b, (uint32_t)((unsigned long long)v >> 32));
	put32(b, (uint32_t)v);
}

void
pg_bin_int4(sr_buf *b, long v)
{
	put32(b, 4);
	put32(b, (uint32_t)v);
}

void
pg_bin_text(sr_buf *b, const char *s, size_t n)
{
	if (!s) {
		put32(b, 0xFFFFFFFFu);  /* -1: NULL */
		return;
	}
	put32(b, (uint32_t)n);
	sr_buf_add(b, s, n);
}

void
pg_bin_row(sr_buf *b, int nfields)
{
	put16(b, (unsigned)nfields);
}

static unsigned char *
put16p(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
	return p + 2;
}

static unsigned char *
put32p(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
	return p + 4;
}

/* One word into acc (its sort key and bytes as bin_collect makes them). */
static void
words_push(pg_words *acc, const bin_word *x, const char *bytes)
{
	if (acc->n == acc->cap) {
		acc->cap = acc->cap ? acc->cap * 2 : 1024;
		acc->w = sr_realloc(acc->w, acc->cap * sizeof *acc->w);
	}
	if (acc->nbytes + x->len > acc->capbytes) {
		acc->capbytes = acc->capbytes * 2 + x->len + 8192;
		acc->bytes = sr_realloc(acc->bytes, acc->capbytes);
	}
	bin_word *y = &acc->w[acc->n++];
	*y = *x;
	y->off = (uint32_t)acc->nbytes;
	y->pos = 0;
	memcpy(acc->bytes + acc->nbytes, bytes + x->off, x->len);
	acc->nbytes += x->len;
}

void
pg_bin_tsvector(const char *s, size_t n, sr_buf *out, pg_words *acc)
{
	/* a sentence's words on the stack when they fit (most do) */
	bin_word ws[256];
	char bs[2048];
	bin_ctx c = {.bytes = bs, .capbytes = sizeof bs, .w = ws, .cap = 256};
	pg_ts_words(s, n, bin_collect, &c);
	if (c.n > 1)
		bin_sort(&c);
	/* the field: its length, then the lexemes, each once with its
	 * positions (tsvectorrecv's format; at most 256 positions a lexeme,
	 * the first ones, as tsvectorin keeps), written into room made
	 * once: at most 8 bytes of head, and per word its bytes, a NUL, a
	 * count and a position */
	size_t most = 8 + c.nbytes + 5 * c.n;
	if (out->len + most + 1 > out->cap) {
		size_t cap = out->cap ? out->cap : 64;
		while (cap < out->len + most + 1)
			cap *= 2;
		out->ptr = sr_realloc(out->ptr, cap);
		out->cap = cap;
	}
	unsigned char *base = (unsigned char *)out->ptr + out->len;
	unsigned char *p = base + 8;
	uint32_t nlex = 0;
	for (size_t i = 0; i < c.n;) {
		size_t j = i + 1;
		while (j < c.n && c.w[j].len == c.w[i].len &&
		       !memcmp(c.bytes + c.w[j].off, c.bytes + c.w[i].off, c.w[i].len))
			j++;
		size_t np = j - i > 256 ? 256 : j - i;
		if (acc)
			words_push(acc, &c.w[i], c.bytes);
		memcpy(p, c.bytes + c.w[i].off, c.w[i].len);
		p += c.w[i].len;
		*p++ = 0;
		p = put16p(p, (unsigned)np);
		for (size_t k = 0; k < np; k++)
			p = put16p(p, c.w[i + k].pos);
		nlex++;
		i = j;
	}
	put32p(base, (uint32_t)(p - base - 4));
	put32p(base + 4, nlex);
	out->len += (size_t)(p - base);
	out->ptr[out->len] = 0;
	if (c.heap) {
		free(c.w);
		free(c.bytes);
	}
}

void
pg_bin_words(pg_words *acc, sr_buf *out)
{
	bin_ctx c = {.bytes = acc->bytes, .nbytes = acc->nbytes, .capbytes = acc->capbytes,
		     .w = acc->w, .n = acc->n, .cap = acc->cap};
	if (c.n > 1)
		bin_sort(&c);
	size_t most = 8 + c.nbytes + 3 * c.n;
	if (out->len + most + 1 > out->cap) {
		size_t cap = out->cap ? out->cap : 64;
		while (cap < out->len + most + 1)
			cap *= 2;
		out->ptr = sr_realloc(out->ptr, cap);
		out->cap = cap;
	}
	unsigned char *base = (unsigned char *)out->ptr + out->len;
	unsigned char *p = base + 8;
	uint32_t nlex = 0;
	for (size_t i = 0; i < c.n;) {
		size_t j = i + 1;
		while (j < c.n && c.w[j].len == c.w[i].len &&
		       !memcmp(c.bytes + c.w[j].off, c.bytes + c.w[i].off, c.w[i].len))
			j++;
		memcpy(p, c.bytes + c.w[i].off, c.w[i].len);
		p += c.w[i].len;
		*p++ = 0;
		p = put16p(p, 0);
		nlex++;
		i = j;
	}
	put32p(base, (uint32_t)(p - base - 4));
	put32p(base + 4, nlex);
	out->len += (size_t)(p - base);
	out->ptr[out->len] = 0;
	acc->n = 0;
	acc->nbytes = 0;
}

void
pg_words_free(pg_words *acc)
{
	free(acc->w);
	free(acc->bytes);
	memset(acc, 0, sizeof *acc);
}

int
pg_copy_in_binary(sr_store *st, const char *copy_sql, const char *rows, size_t len)
{
	sr_buf b = {0};
	sr_buf_add(&b, "PGCOPY\n\377\r\n", 11);
	put32(&b, 0);   /* flags */
	put32(&b, 0);   /* header extension */
	sr_buf_add(&b, rows, len);
	put16(&b, 0xFFFF);
	int rc = pg_copy_in(st, copy_sql, b.ptr, b.len);
	sr_buf_free(&b);
	return rc;
}
