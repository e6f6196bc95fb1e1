/*
 * calendar.c -- proleptic Gregorian arithmetic for the time stage: days
 * since the epoch, weekdays, ISO weeks, shifting a value by units of its
 * own granularity, and printing TIMEX3 values.  Pure functions of their
 * arguments; nothing here reads the clock.
 */
#include "time_int.h"

#include <stdio.h>

/* Howard Hinnant's days_from_civil / civil_from_days. */
long
tcal_days(int y, int m, int d)
{
	long yy = (long)y - (m <= 2);
	long era = (yy >= 0 ? yy : yy - 399) / 400;
	long yoe = yy - era * 400;
	long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
tcal_civil(long z, int *y, int *m, int *d)
{
	z += 719468;
	long era = (z >= 0 ? z : z - 146096) / 146097;
	long doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long yy = yoe + era * 400;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yy + (*m <= 2));
}

int
tcal_wday(int y, int m, int d)
{
	long z = tcal_days(y, m, d);
	/* 1970-01-01 was a Thursday (4) */
	long w = ((z % 7) + 7 + 3) % 7; /* 0 = Monday */
	return (int)w + 1;
}

int
tcal_mdays(int y, int m)
{
	static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 31;
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

void
tcal_isoweek(int y, int m, int d, int *wy, int *w)
{
	long z = tcal_days(y, m, d);
	int wd = tcal_wday(y, m, d);
	long thu = z - wd + 4; /* the Thursday of this week */
	int ty, tm, td;
	tcal_civil(thu, &ty, &tm, &td);
	long jan1 = tcal_days(ty, 1, 1);
	*wy = ty;
	*w = (int)((thu - jan1) / 7 + 1);
}

void
tcal_add_days(int *y, int *m, int *d, long n)
{
	tcal_civil(tcal_days(*y, *m, *d) + n, y, m, d);
}

void
tcal_add_months(int *y, int *m, int n)
{
	long t = (long)*y * 12 + (*m - 1) + n;
	long yy = t >= 0 ? t / 12 : -((-t + 11) / 12);
	*y = (int)yy;
	*m = (int)(t - yy * 12) + 1;
}

bool
tcal_parse(const char *s, int *y, int *m, int *d)
{
	if (!s || !sr_valid_date(s))
		return false;
	*y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	*m = (s[5] - '0') * 10 + (s[6] - '0');
	*d = (s[8] - '0') * 10 + (s[9] - '0');
	return true;
}

tdate
tcal_day(int y, int m, int d)
{
	tdate t = {0};
	t.g = G_DAY;
	t.y = y;
	t.m = m;
	t.d = d;
	return t;
}

static int
month_season(int m)
{
	/* meteorological seasons, as TimeML annotators read them */
	if (m >= 3 && m <= 5)
		return SEAS_SP;
	if (m >= 6 && m <= 8)
		return SEAS_SU;
	if (m >= 9 && m <= 11)
		return SEAS_FA;
	return SEAS_WI;
}

tdate
tcal_coarsen(tdate t, int g)
{
	tdate r = {0};
	r.g = g;
	r.y = t.y;
	if (t.y == TY_UNKNOWN || t.g < G_MONTH || t.g == G_WEEK) {
		/* nothing finer to work from: keep what carries over */
		if (g <= t.g || t.g == G_WEEK) {
			r = t;
			if (g < t.g && g <= G_YEAR)
				r.g = g, r.m = r.d = r.w = r.q = r.h = r.s = 0;
			return r;
		}
		return t;
	}
	int m = t.m, d = t.d ? t.d : 1;
	switch (g) {
	case G_CENTURY: case G_DECADE: case G_YEAR:
		break;
	case G_HALF: r.h = m <= 6 ? 1 : 2; break;
	case G_QUARTER: r.q = (m - 1) / 3 + 1; break;
	case G_SEASON:
		r.s = month_season(m);
		if (m == 12)  /* December belongs to the next year's winter */
			r.y = t.y + 1;
		break;
	case G_MONTH: r.m = m; break;
	case G_WEEK:
		tcal_isoweek(t.y, m, d, &r.y, &r.w);
		break;
	default:
		r = t;
		r.g = g;
		break;
	}
	return r;
}

tdate
tcal_shift(tdate t, int n)
{
	if (t.y == TY_UNKNOWN)
		return t;
	switch (t.g) {
	case G_CENTURY: t.y += 100 * n; break;
	case G_DECADE: t.y += 10 * n; break;
	case G_YEAR: t.y += n; break;
	case G_HALF: {
		int k = t.y * 2 + (t.h - 1) + n;
		t.y = k >= 0 ? k / 2 : -((-k + 1) / 2);
		t.h = k - t.y * 2 + 1;
		break;
	}
	case G_QUARTER: {
		int k = t.y * 4 + (t.q - 1) + n;
		t.y = k >= 0 ? k / 4 : -((-k + 3) / 4);
		t.q = k - t.y * 4 + 1;
		break;
	}
	case G_SEASON: {
		/* seasons in order SP SU FA WI within a year */
		int k = t.y * 4 + (t.s - 1) + n;
		t.y = k >= 0 ? k / 4 : -((-k + 3) / 4);
		t.s = k - t.y * 4 + 1;
		break;
	}
	case G_MONTH: tcal_add_months(&t.y, &t.m, n); break;
	case G_WEEK: {
		/* Monday of ISO week w of year y */
		long jan4 = tcal_days(t.y, 1, 4);
		int wd = tcal_wday(t.y, 1, 4);
		long mon = jan4 - (wd - 1) + (long)(t.w - 1) * 7 + 7L * n;
		int y, m, d;
		tcal_civil(mon, &y, &m, &d);
		tcal_isoweek(y, m, d, &t.y, &t.w);
		break;
	}
	case G_DAY: case G_TIME:
		tcal_add_days(&t.y, &t.m, &t.d, n);
		break;
	default:
		break;
	}
	return t;
}

void
tcal_bounds(const tdate *t, long *first, long *last)
{
	int y = t->y;
	switch (t->g) {
	case G_CENTURY: *first = tcal_days(y / 100 * 100, 1, 1); *last = tcal_days(y / 100 * 100 + 99, 12, 31); break;
	case G_DECADE: *first = tcal_days(y / 10 * 10, 1, 1); *last = tcal_days(y / 10 * 10 + 9, 12, 31); break;
	case G_YEAR: *first = tcal_days(y, 1, 1); *last = tcal_days(y, 12, 31); break;
	case G_HALF: *first = tcal_days(y, t->h == 2 ? 7 : 1, 1); *last = tcal_days(y, t->h == 2 ? 12 : 6, t->h == 2 ? 31 : 30); break;
	case G_QUARTER: {
		int m0 = (t->q - 1) * 3 + 1;
		*first = tcal_days(y, m0, 1);
		*last = tcal_days(y, m0 + 2, tcal_mdays(y, m0 + 2));
		break;
	}
	case G_SEASON: {
		int m0 = t->s == SEAS_SP ? 3 : t->s == SEAS_SU ? 6 : t->s == SEAS_FA ? 9 : 12;
		int y0 = t->s == SEAS_WI ? y - 1 : y;
		*first = tcal_days(y0, m0, 1);
		int ey = y0, em = m0;
		tcal_add_months(&ey, &em, 2);
		*last = tcal_days(ey, em, tcal_mdays(ey, em));
		break;
	}
	case G_MONTH: *first = tcal_days(y, t->m, 1); *last = tcal_days(y, t->m, tcal_mdays(y, t->m)); break;
	case G_WEEK: {
		long jan4 = tcal_days(y, 1, 4);
		int wd = tcal_wday(y, 1, 4);
		*first = jan4 - (wd - 1) + (long)(t->w - 1) * 7;
		*last = *first + 6;
		break;
	}
	default:
		*first = *last = tcal_days(y, t->m ? t->m : 1, t->d ? t->d : 1);
		break;
	}
}

/* A small writer for tcal_format: snprintf per value was a tenth of
 * `sitrep times`. */
typedef struct vout {
	char *p;
	size_t n, cap;
} vout;

static void
v_str(vout *o, const char *s)
{
	while (*s && o->n + 1 < o->cap)
		o->p[o->n++] = *s++;
	o->p[o->n] = 0;
}

/* v in decimal, zero-padded to width digits (v >= 0). */
static void
v_num(vout *o, int v, int width)
{
	char tmp[12];
	int k = 0;
	if (v < 0)
		v = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v && k < 11);
	while (k < width && k < 11)
		tmp[k++] = '0';
	while (k > 0 && o->n + 1 < o->cap)
		o->p[o->n++] = tmp[--k];
	o->p[o->n] = 0;
}

void
tcal_format(const tdate *t, char *out, size_t cap)
{
	static const char *pods[] = {"", "MO", "MI", "AF", "EV", "NI", "DT"};
	static const char *seas[] = {"", "SP", "SU", "FA", "WI"};
	vout o = {out, 0, cap};
	if (!cap)
		return;
	out[0] = 0;
	int unknown = t->y == TY_UNKNOWN;
	int yy = t->y < 0 ? 0 : t->y > 9999 ? 9999 : t->y;
	/* the year, as every value but centuries and decades starts */
#define YEAR() (unknown ? v_str(&o, "XXXX") : v_num(&o, yy, 4))
	switch (t->g) {
	case G_CENTURY:
		if (unknown) v_str(&o, "XX");
		else v_num(&o, yy / 100, 2);
		break;
	case G_DECADE:
		if (unknown) v_str(&o, "XXX");
		else v_num(&o, yy / 10, 3);
		break;
	case G_YEAR:
		YEAR();
		break;
	case G_HALF:
		YEAR();
		v_str(&o, "-H");
		v_num(&o, t->h, 1);
		break;
	case G_QUARTER:
		YEAR();
		if (t->q) {
			v_str(&o, "-Q");
			v_num(&o, t->q, 1);
		} else {
			v_str(&o, "-QX");
		}
		break;
	case G_SEASON:
		YEAR();
		v_str(&o, "-");
		v_str(&o, seas[t->s > 0 && t->s <= 4 ? t->s : 0]);
		break;
	case G_MONTH:
		YEAR();
		if (t->xm || !t->m) {
			v_str(&o, "-XX");
		} else {
			v_str(&o, "-");
			v_num(&o, t->m, 2);
		}
		break;
	case G_WEEK:
		YEAR();
		if (unknown || !t->w) {
			v_str(&o, "-WXX");
		} else {
			v_str(&o, "-W");
			v_num(&o, t->w, 2);
		}
		if (t->we)
			v_str(&o, "-WE");
		break;
	case G_DAY:
	case G_TIME:
		if (t->wd && (unknown || !t->m)) {
			v_str(&o, "XXXX-WXX-");
			v_num(&o, t->wd, 1);
		} else {
			YEAR();
			if (t->xm || !t->m) {
				v_str(&o, "-XX-XX");
			} else {
				v_str(&o, "-");
				v_num(&o, t->m, 2);
				if (!t->d) {
					v_str(&o, "-XX");
				} else {
					v_str(&o, "-");
					v_num(&o, t->d, 2);
				}
			}
		}
		if (t->g == G_TIME && t->hh >= 0) {
			v_str(&o, "T");
			v_num(&o, t->hh, 2);
			v_str(&o, ":");
			v_num(&o, t->mi, 2);
		} else if (t->pod > 0 && t->pod < 7) {
			v_str(&o, "T");
			v_str(&o, pods[t->pod]);
		}
		break;
	default:
		v_str(&o, "XXXX");
		break;
	}
#undef YEAR
}
