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
 * block's directory and whose second is its postings, or its row id
 * when ids), one at a time: w, df, last and the place of the postings
 * of the current one (post, or off in the row's data when ids), valid
 * until the next br_next. */
typedef struct breader {
	sqlite3_stmt *s;
	int ids;                /* column 1 is the row id, not the postings */
	const unsigned char *p, *e;     /* the block's directory */
	const unsigned char *d; /* its postings (dn bytes) unless ids */
	size_t dn;
	int64_t id;             /* its row id when ids */
	size_t off;             /* where the current term's postings start */
	size_t next;            /* where the next term's start */
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

/* p (old bytes, as it was allocated here) grown to n bytes, contents
 * kept: buffers of megabytes in huge pages (fts.c's big_realloc); freed
 * by st_fts_big_free(p, n). */
void *st_fts_big_realloc(void *p, size_t old, size_t n);
void st_fts_big_free(void *p, size_t n);

#endif
