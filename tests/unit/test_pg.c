/*
 * test_pg.c -- what the PostgreSQL engine does without a server: the SQL
 * of the queries carried over from SQLite's dialect (each rule of
 * src/store/q.c), full-text words cut and folded as FTS5 cuts them, the
 * FTS5 queries of search.c as tsqueries, and which --db values are
 * connection strings.  The engine against a real server: tests/store/pg.
 */
#include "harness.h"
#include "../../src/store/pg_int.h"

#include <stdlib.h>

static void
check_sql(const char *sqlite, const char *want, int want_args)
{
	int n = -1;
	char *got = st_q_pg_sql(sqlite, &n);
	CHECK_STR(got, want);
	CHECK(n == want_args);
	free(got);
}

SR_TEST(pg_sql_parameters_and_limit)
{
	check_sql("SELECT a FROM t WHERE x = ?1 AND y = ?2 LIMIT ?3",
		  "SELECT a FROM t WHERE x = $1 AND y = $2 LIMIT NULLIF($3::bigint, -1)", 3);
	/* a bare ? is one more than the largest before it, as in SQLite */
	check_sql("SELECT a FROM t WHERE x = ? AND y = ?4 AND z = ?", "SELECT a FROM t WHERE"
		  " x = $1 AND y = $4 AND z = $5", 5);
	/* in a string, a ? is text */
	check_sql("SELECT 'a?b' FROM t WHERE x = ?", "SELECT 'a?b' FROM t WHERE x = $1", 1);
	check_sql("SELECT 'it''s ?' FROM t", "SELECT 'it''s ?' FROM t", 0);
}

SR_TEST(pg_sql_sqlite_words)
{
	check_sql("SELECT e.id FROM events e INDEXED BY events_order WHERE 1 AND e.n = 2",
		  "SELECT e.id FROM events e  WHERE true AND e.n = 2", 0);
	check_sql("SELECT 1 FROM k CROSS JOIN incidents i ON i.id = k.id",
		  "SELECT 1 FROM k JOIN incidents i ON i.id = k.id", 0);
	check_sql("SELECT lower(p.name), tolower FROM p WHERE 1.5 > 0",
		  "SELECT ascii_lower(p.name), tolower FROM p WHERE 1.5 > 0", 0);
}

SR_TEST(pg_sql_empty_lists_and_group_concat)
{
	/* SQLite takes an empty list (a filter that matched nothing) */
	check_sql("SELECT 1 FROM t WHERE p.id IN () AND q.id NOT IN ( ) AND r.id IN (?)",
		  "SELECT 1 FROM t WHERE p.id = ANY('{}') AND q.id <> ALL('{}') AND r.id IN ($1)", 1);
	check_sql("SELECT 1 FROM t WHERE NOT (a IN (SELECT b FROM u))",
		  "SELECT 1 FROM t WHERE NOT (a IN (SELECT b FROM u))", 0);
	/* two arguments: PostgreSQL's string_agg; one: the schema's */
	check_sql("SELECT group_concat(u, ' '), group_concat(f(a, b)), group_concat(x || ',', ',')"
		  " FROM t", "SELECT string_agg(u, ' '), group_concat(f(a, b)),"
		  " string_agg(x || ',', ',') FROM t", 0);
	check_sql("SELECT group_concat(')', 'x')", "SELECT string_agg(')', 'x')", 0);
}

SR_TEST(pg_sql_nulls_in_order_by)
{
	/* SQLite puts NULLs first going up and last going down; ids and
	 * numbers are never NULL and keep the default (their index) */
	check_sql("SELECT a FROM t ORDER BY a, b DESC, t.id, s.n DESC LIMIT 5",
		  "SELECT a FROM t ORDER BY a NULLS FIRST, b DESC NULLS LAST, t.id, s.n DESC"
		  " LIMIT 5", 0);
	check_sql("SELECT a FROM t ORDER BY coalesce(a, b) DESC NULLS LAST, f(x, y)",
		  "SELECT a FROM t ORDER BY coalesce(a, b) DESC NULLS LAST, f(x, y) NULLS FIRST", 0);
	check_sql("SELECT (SELECT x FROM u ORDER BY 1) FROM t ORDER BY e.date_lo IS NULL",
		  "SELECT (SELECT x FROM u ORDER BY 1 NULLS FIRST) FROM t ORDER BY"
		  " e.date_lo IS NULL NULLS FIRST", 0);
}

typedef struct words {
	char buf[256];
	size_t n;
} words;

static void
collect(void *ctx, const char *w, size_t n)
{
	words *c = ctx;
	if (c->n + n + 2 < sizeof c->buf) {
		if (c->n)
			c->buf[c->n++] = '|';
		memcpy(c->buf + c->n, w, n);
		c->n += n;
		c->buf[c->n] = 0;
	}
}

static void
check_words(const char *text, const char *want)
{
	words c = {{0}, 0};
	pg_ts_words(text, strlen(text), collect, &c);
	CHECK_STR(c.buf, want);
}

SR_TEST(pg_fulltext_words_as_fts5)
{
	check_words("US forces left al-Tanf.", "us|forces|left|al|tanf");
	check_words("Syria’s army, Syria's army", "syria|s|army|syria|s|army");
	check_words("Al Ḩasakah and CAFÉ 5,700", "al|hasakah|and|cafe|5|700");
	check_words("", "");
	sr_buf b = {0};
	pg_tsvector("It's the base", 13, &b);
	CHECK_STR(b.ptr, "'it':1 's':2 'the':3 'base':4");
	sr_buf_free(&b);
	pg_tsvector("o'\\x", 4, &b);
	CHECK_STR(b.ptr, "'o':1 'x':2");
	sr_buf_free(&b);
}

SR_TEST(pg_fulltext_binary_tsvector)
{
	/* tsvectorrecv's form: the field's length, the number of lexemes,
	 * then each lexeme once (bytes, then length, order), NUL, its number
	 * of positions and the positions, big-endian */
	sr_buf b = {0};
	pg_bin_tsvector("b a b ab", 8, &b);
	static const unsigned char want[] = {
		0, 0, 0, 25,                    /* the field's length */
		0, 0, 0, 3,                     /* lexemes */
		'a', 0, 0, 1, 0, 2,             /* a at 2 */
		'a', 'b', 0, 0, 1, 0, 4,        /* ab at 4 */
		'b', 0, 0, 2, 0, 1, 0, 3};      /* b at 1 and 3 */
	CHECK(b.len == sizeof want);
	CHECK(b.len == sizeof want && !memcmp(b.ptr, want, sizeof want));
	sr_buf_reset(&b);
	pg_bin_tsvector("...", 3, &b);
	static const unsigned char none[] = {0, 0, 0, 4, 0, 0, 0, 0};
	CHECK(b.len == sizeof none && !memcmp(b.ptr, none, sizeof none));
	sr_buf_free(&b);
}

/* The lexemes of a tsvector of many words, as pg_bin_tsvector orders
 * them (its sort compares the first 8 bytes as a number, then the rest):
 * words alike in their first 8 bytes, prefixes of each other, more than
 * a run of 16 so that runs are merged. */
SR_TEST(pg_fulltext_binary_tsvector_order)
{
	const char *text = "internationally international internationalize interna inter"
			   " internationale zeta alpha internationally b a ab abc internal"
			   " intern internment interval internationa z y x w v u t s";
	const char *want[] = {"a", "ab", "abc", "alpha", "b", "inter", "intern", "interna",
			      "internal", "internationa", "international", "internationale",
			      "internationalize", "internationally", "internment", "interval",
			      "s", "t", "u", "v", "w", "x", "y", "z", "zeta"};
	/* (tsCompareString: bytes over the shorter length, then length) */
	sr_buf b = {0};
	pg_bin_tsvector(text, strlen(text), &b);
	const unsigned char *p = (const unsigned char *)b.ptr + 8;
	const unsigned char *end = (const unsigned char *)b.ptr + b.len;
	CHECK(b.len > 8 && (p[-4] << 8 | p[-3]) == 0 && (p[-2] << 8 | p[-1]) == 25);
	const char *prev = NULL;
	size_t n = 0;
	while (p < end) {
		const char *w = (const char *)p;
		size_t l = strlen(w);
		if (prev) {
			size_t pl = strlen(prev), m = pl < l ? pl : l;
			int c = memcmp(prev, w, m);
			CHECK(c < 0 || (c == 0 && pl < l));
		}
		CHECK(n < 25 && !strcmp(w, want[n]));
		prev = w;
		p += l + 1;
		unsigned np = (unsigned)(p[0] << 8 | p[1]);
		p += 2 + 2 * np;
		n++;
	}
	CHECK_INT((long)n, 25);
	sr_buf_free(&b);
}

/* Each word of a text as pg_ts_words gives it, by position (from 1). */
typedef struct refwords {
	char w[1000][PG_MAX_LEXEME + 1];
	int n;
} refwords;

static void
ref_collect(void *ctx, const char *w, size_t n)
{
	refwords *r = ctx;
	if (r->n < 1000) {
		memcpy(r->w[r->n], w, n);
		r->w[r->n][n] = 0;
	}
	r->n++;
}

/* pg_bin_tsvector cuts runs of ASCII itself, 8 bytes at a time (and
 * leaves the others to pg_ts_words): every word at its position as
 * pg_ts_words gives it, over more words and bytes than its arrays on the
 * stack hold, words longer than a lexeme keeps, letters past ASCII
 * inside and beside ASCII ones, and short words at the text's end (where
 * 8 bytes cannot be read). */
SR_TEST(pg_fulltext_binary_tsvector_same_words)
{
	static const char *const pieces[] = {"ABCdefGHIjk", "x", "Al", "\xe1\xb8\xa8" "asakah",
		"CAF\xc3\x89", "5,700", "na\xc3\xafve", "Syria\xe2\x80\x99s", "drone-strike",
		"U.S.", "abcdefgh", "abcdefghi", "\xef\xac\x81nance", "Stra\xc3\x9f" "e9", "tab\tX"};
	static char text[8192];
	size_t n = 0;
	for (int i = 0; i < 330; i++) {
		const char *w = pieces[(i * 7) % 15];
		if (i == 100)
			for (int k = 0; k < 250; k++)
				text[n++] = 'Q';        /* past PG_MAX_LEXEME */
		n += (size_t)snprintf(text + n, sizeof text - n, "%s%s", i ? " " : "", w);
	}
	memcpy(text + n, " Ab", 3);
	n += 3;
	refwords *ref = calloc(1, sizeof *ref);
	pg_ts_words(text, n, ref_collect, ref);
	CHECK(ref->n > 256 && ref->n < 1000 && n > 2048);
	sr_buf b = {0};
	pg_bin_tsvector(text, n, &b);
	const unsigned char *p = (const unsigned char *)b.ptr + 8;
	const unsigned char *end = (const unsigned char *)b.ptr + b.len;
	int npos = 0, bad = 0;
	while (p < end) {
		const char *w = (const char *)p;
		p += strlen(w) + 1;
		unsigned np = (unsigned)(p[0] << 8 | p[1]);
		for (unsigned k = 0; k < np; k++) {
			int pos = p[2 + 2 * k] << 8 | p[3 + 2 * k];
			bad += pos < 1 || pos > ref->n || strcmp(ref->w[pos - 1], w);
			npos++;
		}
		p += 2 + 2 * np;
	}
	CHECK_INT(bad, 0);
	CHECK_INT(npos, ref->n);
	CHECK_STR(ref->w[ref->n - 1], "ab");
	sr_buf_free(&b);
	free(ref);
}

static void
check_tsquery(const char *fts5, const char *want)
{
	sr_buf b = {0};
	pg_tsquery(fts5, &b);
	CHECK_STR(b.ptr, want);
	sr_buf_free(&b);
}

SR_TEST(pg_search_queries)
{
	/* what search.c's rewrite makes of: withdraw al-Tanf */
	check_tsquery("(\"withdraw\" OR \"withdraw\"* OR \"withdrew\") AND \"al Tanf\"",
		      "(('withdraw') | ('withdraw':*) | ('withdrew')) & ('al' <-> 'tanf')");
	check_tsquery("\"Syria s\" NOT \"Iraq\"", "('syria' <-> 's') & !('iraq')");
	check_tsquery("\"a \"\"b\"\"\"", "('a' <-> 'b')");
	check_tsquery("NEAR(\"drone\" \"base\", 5)", "(('drone') & ('base'))");
	check_tsquery("\"...\"", "('-')");
}

SR_TEST(pg_connection_strings)
{
	CHECK(pg_is_conninfo("postgresql://me@host/db"));
	CHECK(pg_is_conninfo("postgres://host/db"));
	CHECK(pg_is_conninfo("host=/tmp dbname=x"));
	CHECK(pg_is_conninfo("dbname=x"));
	CHECK(!pg_is_conninfo("sitrep.db"));
	CHECK(!pg_is_conninfo("build/host=x.db"));
	CHECK(!pg_is_conninfo("postgresql.db"));
}
