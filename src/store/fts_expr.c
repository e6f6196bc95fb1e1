/*
 * fts_expr.c -- the query language of the full-text search (FTS5's:
 * phrases in double quotes with an optional * for a prefix, AND, OR,
 * NOT, ( ), NEAR(...)) read into an expression over phrases, whose
 * words are cut and folded as the index's (pg_ts_words); fts_query.c
 * evaluates it.
 */
#include "fts_query_int.h"

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


int
st_fts_parse(parser *ps)
{
	int root = parse_or(ps);
	skip_sp(ps);
	if (root >= 0 && *ps->p) {
		ps->why = *ps->p == ')' ? "a ')' without its '('" : "cannot read it from here";
		root = -1;
	}
	return root;
}
