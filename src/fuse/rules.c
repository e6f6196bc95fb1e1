/*
 * rules.c -- the small rules fusion and status share: the rank of a
 * place's precision, the one rule of containment (also behind
 * sr_place_contains), distances, and whether two actors can be one.
 */
#include "fuse_int.h"

#include <math.h>
#include <stdio.h>

int
sf_place_rank(const char *prec)
{
	if (!prec)
		return SF_RANK_SITE;   /* a place without precision: treat as exact */
	if (!strcmp(prec, "town"))
		return SF_RANK_TOWN;
	if (!strcmp(prec, "region"))
		return SF_RANK_REGION;
	if (!strcmp(prec, "country"))
		return SF_RANK_COUNTRY;
	return SF_RANK_SITE;
}

double
sf_km(double lat1, double lon1, double lat2, double lon2)
{
	const double r = 6371.0088, d2r = 3.14159265358979323846 / 180.0;
	double a = sin((lat2 - lat1) * d2r / 2), b = sin((lon2 - lon1) * d2r / 2);
	double h = a * a + cos(lat1 * d2r) * cos(lat2 * d2r) * b * b;
	return 2 * r * asin(sqrt(h < 1 ? h : 1));
}

int
sf_place_contains(const sf_place *outer, const sf_place *inner)
{
	if (!outer || !inner)
		return 0;
	if (outer->id && outer->id == inner->id)
		return 1;
	if (outer->rank <= inner->rank || outer->rank == SF_RANK_NONE)
		return 0;
	if (!outer->country[0] || strcmp(outer->country, inner->country) != 0)
		return 0;
	if (outer->rank == SF_RANK_COUNTRY)
		return 1;
	if (!outer->has_coord || !inner->has_coord)
		return 0;
	double d = sf_km(outer->lat, outer->lon, inner->lat, inner->lon);
	if (outer->rank == SF_RANK_REGION)
		return d <= SR_FUSE_REGION_KM;
	return inner->rank == SF_RANK_SITE && d <= SR_FUSE_TOWN_KM;
}

/* Is the lexicon id (after "A|") a state body: CC.MIL, CC.SEC, CC.GOV,
 * CC.MOD (the entries demonyms resolve to, see data/actors.tsv)? */
static int
state_body(const char *k)
{
	return strlen(k) == 8 && k[4] == '.' &&
	       (!strcmp(k + 5, "MIL") || !strcmp(k + 5, "SEC") || !strcmp(k + 5, "GOV") ||
		!strcmp(k + 5, "MOD"));
}

int
sf_actors_compatible(const char *a, const char *b)
{
	if (!a || !b)
		return 1;
	if (!strcmp(a, b))
		return 1;
	if (a[2] == '~' || b[2] == '~')
		return 0;
	if (state_body(a) && state_body(b) && !strncmp(a + 2, b + 2, 2))
		return 1;
	/* a country named as the actor ("the United States", "cc:US") is its
	 * state */
	if (state_body(a) && !strncmp(b + 2, "cc:", 3) && !strncmp(a + 2, b + 5, 2) && !b[7])
		return 1;
	if (state_body(b) && !strncmp(a + 2, "cc:", 3) && !strncmp(b + 2, a + 5, 2) && !a[7])
		return 1;
	size_t na = strlen(a), nb = strlen(b);
	if (na > nb) {
		const char *t = a;
		a = b;
		b = t;
		size_t tn = na;
		na = nb;
		nb = tn;
	}
	return !strncmp(a, b, na) && b[na] == '.';
}

void
sf_fmt_count(double v, char *out, size_t n)
{
	if (!isfinite(v)) {
		snprintf(out, n, "?");
		return;
	}
	if (v != floor(v) || fabs(v) >= 1e15) {
		snprintf(out, n, "%g", v);
		return;
	}
	/* a whole number below 1e15 converts exactly (printf cost more than
	 * the rest of a summary) */
	char digits[32];
	unsigned long long u = (unsigned long long)fabs(v);
	size_t len = 0;
	do {
		digits[len++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	for (size_t i = 0; i < len / 2; i++) {
		char t = digits[i];
		digits[i] = digits[len - 1 - i];
		digits[len - 1 - i] = t;
	}
	size_t o = 0;
	if (v < 0 && o + 1 < n)
		out[o++] = '-';
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = 0;
}
