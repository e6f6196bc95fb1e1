/*
 * fts_int.h -- what the two halves of SQLite's full-text index share:
 * fts.c writes and merges the segments, fts_query.c parses a query in
 * FTS5's syntax, finds its sentences and ranks them.  The layout of the
 * tables is described at the top of fts.c.
 */
#ifndef SR_STORE_FTS_INT_H
#define SR_STORE_FTS_INT_H

#include "store_int.h"
#include "pg_int.h"

#include <math.h>
#include <stdlib.h>

#define FTS_NEAR 10             /* NEAR's distance when the query gives none */
#define FTS_MAX_PHRASES 256     /* phrases in one query */

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

static inline int
bytes_cmp(const void *a, size_t an, const void *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	return c ? c : (an > bn) - (an < bn);
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

/* Steps r to the next term, reading the statement's next block when the
 * current one is done: 1, or 0 at the end or when a block is cut (then
 * r->bad is set). */
int st_fts_br_next(breader *r);

#endif
