/*
 * q.c -- a statement of either engine, for the queries (query.c,
 * report.c, filter.c): the same SQL text, the same bindings, the same
 * rows, whether the store is SQLite or PostgreSQL.  The row builders read
 * columns through st_q_text/int/double/null and never know the engine.
 *
 * The SQL is written in SQLite's dialect; for PostgreSQL it is carried
 * over once, when prepared, by these rules:
 *
 *   ?, ?N                 $N (SQLite's numbering: a bare ? is one more
 *                         than the largest number before it)
 *   LIMIT ?               LIMIT NULLIF($N, -1) (SQLite: negative = none)
 *   INDEXED BY name       dropped (PostgreSQL's planner picks)
 *   CROSS JOIN            JOIN (SQLite reads it as "this loop outside")
 *   WHERE 1               WHERE true
 *   IN (), NOT IN ()      = ANY('{}'), <> ALL('{}') (an empty list)
 *   lower(                ascii_lower( (SQLite's lower() folds ASCII only)
 *   group_concat(x, sep)  string_agg(x, sep) (the same, in C: the schema's
 *                         group_concat, in SQL, costs a call per row)
 *   ORDER BY a, b DESC    ORDER BY a NULLS FIRST, b DESC NULLS LAST
 *                         (SQLite's places for NULLs; not for ids and
 *                         numbers n, never NULL, whose indexes give order)
 *
 * and the functions SQLite has and PostgreSQL lacks (group_concat,
 * instr, ascii_lower) are made by the schema (pg.c).  Text compares byte
 * by byte on both (COLLATE "C" in pg.c), so ORDER BY gives one order.
 * PostgreSQL's rows are read a page at a time through a cursor, so a
 * full export holds one page in memory, as SQLite's stepping does.
 */
#include "pg_int.h"

#include <ctype.h>
#include <stdlib.h>

#define Q_MAXARGS 32
#define Q_FETCH 2000            /* rows a PostgreSQL cursor fetches at once */

struct st_q {
	sr_store *st;
	sqlite3_stmt *s;        /* SQLite */
	/* PostgreSQL */
	char *sql;              /* translated */
	char *args[Q_MAXARGS + 1];
	int nargs;
	PGresult *r;
	int row, nrows;
	int open;               /* 0 not run, 1 cursor open, 2 done */
	int own_tx;             /* the cursor's transaction is this statement's */
	unsigned long id;
};

/* ------------------------------------------------------- the translation */

static int
word_at(const char *p, const char *w)
{
	size_t n = strlen(w);
	return !strncasecmp(p, w, n) && !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

static int
ident_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '.';
}

/* Is the ORDER BY term (ASC or DESC) a row id or number, never NULL in
 * the schema ("i.id", "s.n DESC")?  Those keep PostgreSQL's default, so
 * that a primary key's index gives the order. */
static int
never_null(const char *t, size_t n)
{
	while (n && isspace((unsigned char)*t))
		t++, n--;
	if (n >= 5 && !strncasecmp(t + n - 5, " DESC", 5))
		n -= 5;
	else if (n >= 4 && !strncasecmp(t + n - 4, " ASC", 4))
		n -= 4;
	size_t k = n;
	while (k && ident_char(t[k - 1]) && t[k - 1] != '.')
		k--;
	for (size_t i = 0; i < k; i++)
		if (!ident_char(t[i]))
			return 0;
	return (n - k == 2 && !strncmp(t + k, "id", 2)) || (n - k == 1 && t[k] == 'n');
}

/* Appends NULLS FIRST/LAST to each term of the ORDER BY list starting at
 * *pp (after "ORDER BY"), copying it to out; stops at the list's end. */
static void
order_list(const char **pp, sr_buf *out, sr_buf *term, int *maxarg, int depth0)
{
	const char *p = *pp;
	int depth = 0;
	sr_buf_reset(term);
	for (;;) {
		char c = *p;
		int end_list = !c || (depth == 0 && (c == ')' || word_at(p, "LIMIT") ||
						     word_at(p, "OFFSET")));
		if (end_list || (depth == 0 && c == ',')) {
			/* the term: DESC at its end?  NULLS already? */
			size_t n = term->len;
			while (n && isspace((unsigned char)term->ptr[n - 1]))
				n--;
			int has_nulls = 0, desc = 0;
			for (size_t i = 0; i + 5 <= n && !has_nulls; i++)
				has_nulls = !strncasecmp(term->ptr + i, "NULLS", 5);
			desc = n >= 4 && !strncasecmp(term->ptr + n - 4, "DESC", 4);
			sr_buf_add(out, term->ptr, n);
			if (!has_nulls && n && !never_null(term->ptr, n))
				sr_buf_adds(out, desc ? " NULLS LAST" : " NULLS FIRST");
			sr_buf_add(out, term->ptr + n, term->len - n);
			sr_buf_reset(term);
			if (end_list)
				break;
			sr_buf_addc(out, ',');
			p++;
			continue;
		}
		if (c == '(')
			depth++;
		else if (c == ')')
			depth--;
		if (c == '?') {
			/* a parameter inside ORDER BY: numbered as elsewhere */
			p++;
			int num = 0;
			while (isdigit((unsigned char)*p))
				num = num * 10 + (*p++ - '0');
			if (!num)
				num = *maxarg + 1;
			if (num > *maxarg)
				*maxarg = num;
			sr_buf_printf(term, "$%d", num);
			continue;
		}
		sr_buf_addc(term, c);
		p++;
	}
	(void)depth0;
	*pp = p;
}

/* Has the call whose arguments start at p (after its "(") two of them
 * (a comma outside parentheses and strings before its ")")? */
static int
two_args(const char *p)
{
	int depth = 0;
	for (; *p; p++) {
		if (*p == '\'') {
			for (p++; *p && !(*p == '\'' && p[1] != '\''); p += *p == '\'' ? 2 : 1)
				;
			if (!*p)
				return 0;
		} else if (*p == '(') {
			depth++;
		} else if (*p == ')') {
			if (!depth--)
				return 0;
		} else if (*p == ',' && !depth) {
			return 1;
		}
	}
	return 0;
}

/* SQLite's SQL text in PostgreSQL's terms (see the top of the file). */
char *
st_q_pg_sql(const char *sql, int *nargs)
{
	sr_buf out = {0}, term = {0};
	int maxarg = 0;
	const char *p = sql;
	while (*p) {
		char c = *p;
		if (c == '\'') {        /* a string literal, as it is */
			const char *q = p + 1;
			while (*q && !(*q == '\'' && q[1] != '\''))
				q += *q == '\'' ? 2 : 1;
			if (*q)
				q++;
			sr_buf_add(&out, p, (size_t)(q - p));
			p = q;
			continue;
		}
		int at_word = p == sql || !ident_char(p[-1]);
		if (c == '?') {
			p++;
			int num = 0;
			while (isdigit((unsigned char)*p))
				num = num * 10 + (*p++ - '0');
			if (!num)
				num = maxarg + 1;
			if (num > maxarg)
				maxarg = num;
			sr_buf_printf(&out, "$%d", num);
			continue;
		}
		if (at_word && word_at(p, "LIMIT")) {
			const char *q = p + 5;
			while (*q == ' ')
				q++;
			if (*q == '?') {
				q++;
				int num = 0;
				while (isdigit((unsigned char)*q))
					num = num * 10 + (*q++ - '0');
				if (!num)
					num = maxarg + 1;
				if (num > maxarg)
					maxarg = num;
				sr_buf_printf(&out, "LIMIT NULLIF($%d::bigint, -1)", num);
				p = q;
				continue;
			}
		}
		if (at_word && word_at(p, "INDEXED")) {
			const char *q = p + 7;
			while (*q == ' ')
				q++;
			if (word_at(q, "BY")) {
				q += 2;
				while (*q == ' ')
					q++;
				while (ident_char(*q))
					q++;
				p = q;
				continue;
			}
		}
		if (at_word && word_at(p, "CROSS")) {
			const char *q = p + 5;
			while (*q == ' ')
				q++;
			if (word_at(q, "JOIN")) {
				sr_buf_adds(&out, "JOIN");
				p = q + 4;
				continue;
			}
		}
		if (at_word && word_at(p, "WHERE")) {
			const char *q = p + 5;
			while (*q == ' ')
				q++;
			if (q[0] == '1' && !isalnum((unsigned char)q[1]) && q[1] != '.') {
				sr_buf_adds(&out, "WHERE true");
				p = q + 1;
				continue;
			}
		}
		if (at_word && (word_at(p, "IN") || word_at(p, "NOT"))) {
			/* an empty list, which SQLite takes and PostgreSQL not:
			 * IN () is false, NOT IN () true */
			int neg = word_at(p, "NOT");
			const char *q = p + (neg ? 3 : 2);
			while (*q == ' ')
				q++;
			int in = !neg;
			if (neg && word_at(q, "IN"))
				for (q += 2, in = 1; *q == ' ';)
					q++;
			if (in && q[0] == '(') {
				const char *e = q + 1;
				while (*e == ' ')
					e++;
				if (*e == ')') {
					sr_buf_adds(&out, neg ? "<> ALL('{}')" : "= ANY('{}')");
					p = e + 1;
					continue;
				}
			}
		}
		if (at_word && !strncasecmp(p, "group_concat(", 13) && two_args(p + 13)) {
			sr_buf_adds(&out, "string_agg(");
			p += 13;
			continue;
		}
		if (at_word && !strncasecmp(p, "lower(", 6)) {
			sr_buf_adds(&out, "ascii_lower(");
			p += 6;
			continue;
		}
		if (at_word && word_at(p, "ORDER")) {
			const char *q = p + 5;
			while (*q == ' ')
				q++;
			if (word_at(q, "BY")) {
				sr_buf_adds(&out, "ORDER BY");
				q += 2;
				order_list(&q, &out, &term, &maxarg, 0);
				p = q;
				continue;
			}
		}
		sr_buf_addc(&out, c);
		p++;
	}
	sr_buf_free(&term);
	*nargs = maxarg;
	char *s = sr_strdup(out.ptr ? out.ptr : "");
	sr_buf_free(&out);
	return s;
}

/* ------------------------------------------------------------ statements */

st_q *
st_q_prep(sr_store *st, const char *sql)
{
	st_q *q = sr_calloc(1, sizeof *q);
	q->st = st;
	if (!st->pg) {
		q->s = st_prepare(st, sql);
		if (!q->s) {
			free(q);
			return NULL;
		}
		return q;
	}
	q->sql = st_q_pg_sql(sql, &q->nargs);
	if (q->nargs > Q_MAXARGS) {
		st_fail(st, "%s: a query with %d parameters (at most %d)", st->path, q->nargs,
			Q_MAXARGS);
		free(q->sql);
		free(q);
		return NULL;
	}
	if (getenv("SITREP_PG_SQL"))
		fprintf(stderr, "pg: %s\n", q->sql);
	return q;
}

void
st_q_bind_text(st_q *q, int i, const char *v)
{
	if (q->s) {
		st_bind_str(q->s, i, v);
		return;
	}
	if (i < 1 || i > q->nargs)      /* as SQLite: a parameter the SQL lacks */
		return;
	free(q->args[i]);
	q->args[i] = v ? sr_strdup(v) : NULL;
}

void
st_q_bind_int(st_q *q, int i, long long v)
{
	if (q->s) {
		sqlite3_bind_int64(q->s, i, v);
		return;
	}
	char t[32];
	snprintf(t, sizeof t, "%lld", v);
	st_q_bind_text(q, i, t);
}

/* The cursor's name: one per statement of the connection. */
static void
cursor_name(const st_q *q, char *out, size_t n)
{
	snprintf(out, n, "sitrep_q%lx", q->id);
}

static int
pg_start(st_q *q)
{
	sr_store *st = q->st;
	q->id = ++st->pg->ncursors;    /* a name per statement of the connection */
	q->own_tx = PQtransactionStatus(st->pg->conn) == PQTRANS_IDLE;
	if (q->own_tx && pg_cmd(st, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") != SR_OK)
		return -1;
	char name[40];
	cursor_name(q, name, sizeof name);
	sr_buf sql = {0};
	sr_buf_printf(&sql, "DECLARE %s NO SCROLL CURSOR FOR %s", name, q->sql);
	const char *args[Q_MAXARGS];
	for (int i = 0; i < q->nargs; i++)
		args[i] = q->args[i + 1];
	PGresult *r = pg_exec(st, sql.ptr, q->nargs, args);
	sr_buf_free(&sql);
	if (!r) {
		if (q->own_tx)
			PQclear(PQexec(st->pg->conn, "ROLLBACK"));
		q->own_tx = 0;
		return -1;
	}
	PQclear(r);
	q->open = 1;
	return 0;
}

static void
pg_end(st_q *q)
{
	/* one round trip: CLOSE and COMMIT together (a query's wall time
	 * under load is mostly its round trips) */
	char sql[80] = "";
	if (q->open == 1) {
		memcpy(sql, "CLOSE ", 6);
		cursor_name(q, sql + 6, sizeof sql - 6);
	}
	if (q->own_tx)
		snprintf(sql + strlen(sql), sizeof sql - strlen(sql), "%sCOMMIT", sql[0] ? "; " : "");
	if (sql[0])
		PQclear(PQexec(q->st->pg->conn, sql));
	q->own_tx = 0;
	q->open = 2;
}

int
st_q_step(st_q *q)
{
	if (q->s) {
		int rc = sqlite3_step(q->s);
		return rc == SQLITE_ROW ? ST_ROW : rc == SQLITE_DONE ? ST_DONE : -1;
	}
	if (q->r && ++q->row < q->nrows)
		return ST_ROW;
	if (q->open == 2)
		return ST_DONE;
	if (!q->open && pg_start(q) != 0)
		return -1;
	PQclear(q->r);
	q->r = NULL;
	char sql[80];
	int k = snprintf(sql, sizeof sql, "FETCH %d FROM ", Q_FETCH);
	cursor_name(q, sql + k, sizeof sql - (size_t)k);
	q->r = pg_exec(q->st, sql, 0, NULL);
	if (!q->r) {
		pg_end(q);
		return -1;
	}
	q->nrows = PQntuples(q->r);
	q->row = 0;
	/* a short page is the last: the cursor closes now, no FETCH more */
	if (q->nrows < Q_FETCH)
		pg_end(q);
	return q->nrows ? ST_ROW : ST_DONE;
}

void
st_q_reset(st_q *q)
{
	if (q->s) {
		sqlite3_reset(q->s);
		return;
	}
	if (q->open == 1)
		pg_end(q);
	PQclear(q->r);
	q->r = NULL;
	q->open = 0;
	q->row = q->nrows = 0;
}

void
st_q_free(st_q *q)
{
	if (!q)
		return;
	if (q->s)
		sqlite3_finalize(q->s);
	else
		st_q_reset(q);
	for (int i = 0; i <= Q_MAXARGS; i++)
		free(q->args[i]);
	free(q->sql);
	free(q);
}

int
st_q_null(st_q *q, int i)
{
	if (q->s)
		return sqlite3_column_type(q->s, i) == SQLITE_NULL;
	return !q->r || PQgetisnull(q->r, q->row, i);
}

const char *
st_q_text(st_q *q, int i)
{
	if (q->s)
		return (const char *)sqlite3_column_text(q->s, i);
	return st_q_null(q, i) ? NULL : PQgetvalue(q->r, q->row, i);
}

int
st_q_bytes(st_q *q, int i)
{
	if (q->s)
		return sqlite3_column_bytes(q->s, i);
	return st_q_null(q, i) ? 0 : PQgetlength(q->r, q->row, i);
}

long long
st_q_int(st_q *q, int i)
{
	if (q->s)
		return sqlite3_column_int64(q->s, i);
	const char *v = st_q_text(q, i);
	if (!v)
		return 0;
	if (v[0] == 't' && !v[1])      /* a boolean, as SQLite's 1 and 0 */
		return 1;
	return strtoll(v, NULL, 10);
}

double
st_q_double(st_q *q, int i)
{
	if (q->s)
		return sqlite3_column_double(q->s, i);
	const char *v = st_q_text(q, i);
	return v ? strtod(v, NULL) : 0;
}
