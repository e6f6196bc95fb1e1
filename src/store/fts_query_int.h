/*
 * fts_query_int.h -- what the search in sitrep's own full-text index
 * (fts_query.c) shares with the reader of its query language
 * (fts_expr.c): the lists of occurrences, the query's phrases and the
 * expression tree over them.
 */
#ifndef SR_FTS_QUERY_INT_H
#define SR_FTS_QUERY_INT_H

#include "fts_int.h"

/* The occurrences of a word or phrase: sentences in order, each with its
 * positions in pos[off[i] .. off[i] + cnt[i]). */
typedef struct plist {
	int64_t *sid;
	uint32_t *off, *cnt;
	size_t n, cap;
	uint32_t *pos;
	size_t npos, cappos;
} plist;

/* A phrase of the query: its words, the last a prefix when prefix. */
typedef struct phrase {
	char **w;
	size_t *wn;
	int nw, prefix;
	int near;               /* in a NEAR group: its positions are needed */
	plist l;                /* its occurrences: start positions */
} phrase;

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
	/* the evaluation's buffers of sentence ids, kept from one segment
	 * to the next (pool_get) */
	int64_t **pool;
	size_t *poolcap;
	int npool, cappool;
} parser;

/* Reads the whole query at ps->p into ps->nodes and ps->ph; the root
 * node's index, or -1 with ps->p where reading stopped and ps->why what
 * was wrong there (NULL: a syntax error). */
int st_fts_parse(parser *ps);

#endif
