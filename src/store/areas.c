/*
 * areas.c -- the administrative areas of a place, for the exports an
 * analyst loads beside ACLED data: the country's name, ISO 3166-1 numeric
 * and alpha-3 codes (data/gen/countries.tsv, from iso-codes), and the
 * first-level area (admin1) by name; ACLED's event types and actor
 * categories (data/acled.tsv).
 *
 * admin1 comes from the lexicon's gazetteer: a town or region has its
 * GeoNames admin1 code, named by the ISO 3166-2 region with that code; a
 * site (a base, an airport) takes the code of the nearest populated place
 * of its country.  Without a lexicon admin1 is left empty.  Answers are
 * kept per place for the life of the lookup (one query).
 */
#include "store_int.h"
#include "../lexicon/lexicon_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct country {
	char a2[3], a3[4];
	int numeric;
	char *name;
} country;

typedef struct memo {
	char *key;
	char *admin1;
} memo;

typedef struct kv {
	char *key, *value, *abroad;
	int is_type;
} kv;

struct st_areas {
	const sr_lexicon *lx;
	country *c;
	size_t nc;
	memo *m;
	size_t nm, capm;
	kv *acled;              /* data/acled.tsv */
	size_t nacled;
};

/* data/acled.tsv: event types and actor categories. */
static void
load_acled(st_areas *a, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/acled.tsv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512];
	size_t cap = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		line[strcspn(line, "\r\n")] = 0;
		char *cols[4] = {0};
		char *p = line;
		for (int k = 0; k < 4 && p; k++) {
			cols[k] = p;
			p = strchr(p, '\t');
			if (p)
				*p++ = 0;
		}
		if (!cols[2] || (strcmp(cols[0], "event_type") && strcmp(cols[0], "inter")))
			continue;
		SR_GROW(a->acled, cap, a->nacled + 1);
		kv *x = &a->acled[a->nacled++];
		x->is_type = !strcmp(cols[0], "event_type");
		x->key = sr_strdup(cols[1]);
		x->value = sr_strdup(cols[2]);
		x->abroad = sr_strdup(cols[3] ? cols[3] : cols[2]);
	}
	fclose(f);
}

int
st_acled_type(const st_areas *a, const char *code, char *type, size_t tn, char *sub, size_t sn,
	      const char **disorder)
{
	type[0] = sub[0] = 0;
	*disorder = NULL;
	if (!code)
		return 0;
	size_t best = 0;
	for (size_t i = 0; a && i < a->nacled; i++) {
		const kv *x = &a->acled[i];
		size_t n = strlen(x->key);
		if (x->is_type && n > best && !strncmp(code, x->key, n) && (!code[n] || code[n] == '/')) {
			best = n;
			*disorder = x->value;
		}
	}
	if (!best)      /* an event type the table does not know: the first "/" */
		best = strcspn(code, "/");
	snprintf(type, tn, "%.*s", (int)best, code);
	snprintf(sub, sn, "%s", code[best] ? code + best + 1 : "");
	return 1;
}

int
st_inter(const st_areas *a, const char *kind, int abroad)
{
	for (size_t i = 0; a && kind && i < a->nacled; i++)
		if (!a->acled[i].is_type && !strcmp(a->acled[i].key, kind))
			return atoi(abroad ? a->acled[i].abroad : a->acled[i].value);
	return 0;
}

static void
load_countries(st_areas *a, const char *dir)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/gen/countries.tsv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[512];
	size_t cap = 0;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || !strncmp(line, "alpha2\t", 7))
			continue;
		char *cols[4];
		int k = 0;
		char *p = line;
		for (; k < 4; k++) {
			cols[k] = p;
			p = strpbrk(p, "\t\n");
			if (!p)
				break;
			char sep = *p;
			*p++ = 0;
			if (sep == '\n')
				break;
		}
		if (k < 3 || strlen(cols[0]) != 2 || strlen(cols[1]) != 3)
			continue;
		SR_GROW(a->c, cap, a->nc + 1);
		country *c = &a->c[a->nc++];
		memcpy(c->a2, cols[0], 3);
		memcpy(c->a3, cols[1], 4);
		c->numeric = atoi(cols[2]);
		c->name = sr_strdup(cols[3]);
	}
	fclose(f);
}

st_areas *
st_areas_new(const sr_lexicon *lx)
{
	st_areas *a = sr_calloc(1, sizeof *a);
	a->lx = lx;
	const char *dir = lx ? sr_lexicon_dir(lx, 0) : sr_lexicon_default_dir();
	load_countries(a, dir);
	load_acled(a, dir);
	return a;
}

void
st_areas_free(st_areas *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nc; i++)
		free(a->c[i].name);
	for (size_t i = 0; i < a->nm; i++) {
		free(a->m[i].key);
		free(a->m[i].admin1);
	}
	for (size_t i = 0; i < a->nacled; i++) {
		free(a->acled[i].key);
		free(a->acled[i].value);
		free(a->acled[i].abroad);
	}
	free(a->acled);
	free(a->c);
	free(a->m);
	free(a);
}

int
st_country(const st_areas *a, const char *cc, const char **name, const char **alpha3,
	   int *numeric)
{
	*name = *alpha3 = NULL;
	*numeric = 0;
	if (!a || !cc)
		return 0;
	size_t lo = 0, hi = a->nc;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int r = strcmp(a->c[mid].a2, cc);
		if (!r) {
			*name = a->c[mid].name;
			*alpha3 = a->c[mid].a3;
			*numeric = a->c[mid].numeric;
			return 1;
		}
		if (r < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The name of the region of country cc with admin1 code adm, or NULL. */
static const char *
region_name(const sr_lexicon *lx, const char *cc, const char *adm)
{
	for (size_t i = 0; i < lx->nentries; i++) {
		const lx_entry *e = &lx->entries[i];
		if (e->src == LX_SRC_REGION && !strcmp(e->country, cc) && !strcmp(e->admin1, adm) &&
		    e->precision && !strcmp(e->precision, "region"))
			return e->name;
	}
	return NULL;
}

/* The admin1 code of the populated place of cc nearest to (lat, lon). */
static const char *
nearest_admin1(const sr_lexicon *lx, const char *cc, double lat, double lon)
{
	const lx_entry *best = NULL;
	double bd = 1e18, k = cos(lat * 3.14159265358979323846 / 180);
	for (size_t i = 0; i < lx->nentries; i++) {
		const lx_entry *e = &lx->entries[i];
		if (e->src != LX_SRC_TOWN || !e->has_coord || !e->admin1[0] || strcmp(e->country, cc))
			continue;
		double dy = e->lat - lat, dx = (e->lon - lon) * k;
		double d = dx * dx + dy * dy;
		if (d < bd) {
			bd = d;
			best = e;
		}
	}
	return best ? best->admin1 : NULL;
}

const char *
st_admin1(st_areas *a, const char *lexicon_id, const char *precision, const char *cc,
	  int has_coord, double lat, double lon)
{
	if (!a || !a->lx || !cc || !precision || !strcmp(precision, "country"))
		return NULL;
	char key[160];
	snprintf(key, sizeof key, "%s|%s|%.4f|%.4f", lexicon_id ? lexicon_id : "", cc, lat, lon);
	for (size_t i = 0; i < a->nm; i++)
		if (!strcmp(a->m[i].key, key))
			return a->m[i].admin1;
	const lx_entry *e = lexicon_id ? lx_entry_by_id(a->lx, lexicon_id) : NULL;
	const char *adm = NULL, *name = NULL;
	if (e && !strcmp(precision, "region") && e->src == LX_SRC_REGION)
		name = e->name;
	else if (e && e->admin1[0] && !strcmp(e->country, cc))
		adm = e->admin1;
	else if (has_coord)
		adm = nearest_admin1(a->lx, cc, lat, lon);
	if (!name && adm)
		name = region_name(a->lx, cc, adm);
	SR_GROW(a->m, a->capm, a->nm + 1);
	a->m[a->nm].key = sr_strdup(key);
	a->m[a->nm].admin1 = name ? sr_strdup(name) : NULL;
	return a->m[a->nm++].admin1;
}
