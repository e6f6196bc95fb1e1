/*
 * date.c -- publication dates as the web writes them.  JSON Lines records,
 * feeds, page metadata and WARC headers state a report's date in a handful
 * of shapes: RFC 3339 (and its ISO 8601 relatives), RFC 2822 (RSS), and
 * the day-month-year or month-day-year of people.  One parser reads them
 * all into "YYYY-MM-DD"; anything else is refused so that the caller can
 * warn instead of guessing.
 */
#include "input_int.h"

#include <ctype.h>

static const char *const months[12] = {"jan", "feb", "mar", "apr", "may", "jun",
				       "jul", "aug", "sep", "oct", "nov", "dec"};
static const char *const month_full[12] = {"january", "february", "march", "april", "may",
					   "june", "july", "august", "september", "october",
					   "november", "december"};

/* A month name at s (full, three letters, "Sept", with an optional
 * period): its number 1..12 and the length read, else 0. */
static int
month_at(const char *s, const char *e, size_t *used)
{
	size_t n = 0;
	while (s + n < e && isalpha((unsigned char)s[n]))
		n++;
	if (n < 3)
		return 0;
	char w[16];
	if (n >= sizeof w)
		return 0;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = 0;
	int m = 0;
	for (int i = 0; i < 12 && !m; i++)
		if (!strcmp(w, month_full[i]) || (n == 3 && !memcmp(w, months[i], 3)) ||
		    (i == 8 && !strcmp(w, "sept")))
			m = i + 1;
	if (!m)
		return 0;
	if (s + n < e && s[n] == '.')
		n++;
	*used = n;
	return m;
}

static int
digits_at(const char *s, const char *e, int maxn, int *val)
{
	int n = 0, v = 0;
	while (s + n < e && n < maxn && isdigit((unsigned char)s[n]))
		v = v * 10 + (s[n++] - '0');
	if (s + n < e && isdigit((unsigned char)s[n]))
		return 0;   /* too many digits */
	*val = v;
	return n;
}

static bool
emit(int y, int m, int d, char out[11])
{
	char b[16];
	if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > 31)
		return false;
	snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
	if (!sr_valid_date(b))
		return false;
	memcpy(out, b, 11);
	return true;
}

/* After a date: nothing, a time, a zone, or a weekday in parentheses.  The
 * rest is checked loosely: it must not start with a letter or digit that
 * would make the date part of something longer. */
static bool
tail_ok(const char *p, const char *e)
{
	if (p >= e)
		return true;
	return *p == 'T' || *p == 't' || *p == ' ' || *p == ',' || *p == '\t' || *p == 'Z' ||
	       *p == '+' || *p == '.' || *p == '(';
}

static const char *
skip_ws(const char *p, const char *e)
{
	while (p < e && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r' || *p == ','))
		p++;
	return p;
}

bool
sr_date_parse(const char *s, size_t n, char out[11])
{
	out[0] = 0;
	if (!s)
		return false;
	const char *p = s, *e = s + n;
	p = skip_ws(p, e);
	while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		e--;
	if (p >= e)
		return false;
	int y, m, d, k;
	/* ISO: 2026-02-20..., 2026/02/20, 20260220 */
	if ((k = digits_at(p, e, 8, &y)) == 4 && p + 4 < e && (p[4] == '-' || p[4] == '/')) {
		char sep = p[4];
		const char *q = p + 5;
		int km = digits_at(q, e, 2, &m);
		if (km < 1 || q + km >= e || q[km] != sep)
			return false;
		q += km + 1;
		int kd = digits_at(q, e, 2, &d);
		if (kd < 1 || !tail_ok(q + kd, e))
			return false;
		return emit(y, m, d, out);
	}
	if (k == 8) {
		int v = y;
		if (!tail_ok(p + 8, e))
			return false;
		return emit(v / 10000, v / 100 % 100, v % 100, out);
	}
	/* RFC 2822 and people: an optional weekday, then "20 Feb 2026" or
	 * "February 20, 2026" */
	size_t used;
	if (isalpha((unsigned char)*p) && !month_at(p, e, &used)) {
		while (p < e && isalpha((unsigned char)*p))
			p++;
		if (p < e && *p == '.')
			p++;
		p = skip_ws(p, e);
	}
	if (p < e && isdigit((unsigned char)*p)) {
		k = digits_at(p, e, 2, &d);
		if (!k)
			return false;
		p += k;
		if (p < e && (*p == '-' || *p == '/'))   /* 20-Feb-2026 */
			p++;
		p = skip_ws(p, e);
		m = month_at(p, e, &used);
		if (!m)
			return false;
		p += used;
		if (p < e && (*p == '-' || *p == '/'))
			p++;
		p = skip_ws(p, e);
	} else {
		m = month_at(p, e, &used);
		if (!m)
			return false;
		p = skip_ws(p + used, e);
		k = digits_at(p, e, 2, &d);
		if (!k)
			return false;
		p += k;
		/* 1st, 2nd, 20th */
		if (e - p >= 2 && isalpha((unsigned char)p[0]) && isalpha((unsigned char)p[1]))
			p += 2;
		p = skip_ws(p, e);
	}
	k = digits_at(p, e, 4, &y);
	if (k != 4 || !tail_ok(p + 4, e))
		return false;
	return emit(y, m, d, out);
}
