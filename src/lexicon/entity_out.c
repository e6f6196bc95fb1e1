/*
 * entity_out.c -- the recognizer's mentions written out: one entity as a
 * JSON object (sitrep entities), and whether one place mention contains
 * another.  Apart from match.c, which finds them.
 */
#include "lexicon_int.h"
#include "../fuse/fuse_int.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* JSON output goes through a small buffer on the stack, written with one
 * fwrite per mention: printf and a heap buffer per string were a third
 * of the recognizer's time. */
typedef struct jw {
	FILE *f;
	size_t n;
	char buf[2048];
} jw;

static void
jw_flush(jw *w)
{
	if (w->n)
		fwrite(w->buf, 1, w->n, w->f);
	w->n = 0;
}

/* inline: most calls copy a few bytes of known size (JW_LIT), which the
 * compiler then does without a call to memcpy */
static inline __attribute__((always_inline)) void
jw_put(jw *w, const char *s, size_t n)
{
	if (w->n + n > sizeof w->buf) {
		jw_flush(w);
		if (n > sizeof w->buf) {
			fwrite(s, 1, n, w->f);
			return;
		}
	}
	memcpy(w->buf + w->n, s, n);
	w->n += n;
}

#define JW_LIT(w, lit) jw_put((w), (lit), sizeof(lit) - 1)

/* A JSON string, through the project's one escaper (sr_json_escape),
 * straight into the buffer. */
static void
jw_str(jw *w, const char *s, size_t n)
{
	if (n * 6 + 2 > sizeof w->buf) {
		char *tmp = sr_malloc(n * 6 + 2);
		size_t k = sr_json_escape(tmp, s, n);
		jw_put(w, tmp, k);
		free(tmp);
		return;
	}
	if (w->n + n * 6 + 2 > sizeof w->buf)
		jw_flush(w);
	w->n += sr_json_escape(w->buf + w->n, s, n);
}

static void
jw_u64(jw *w, uint64_t v)
{
	char tmp[24];
	size_t i = sizeof tmp;
	do {
		tmp[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	jw_put(w, tmp + i, sizeof tmp - i);
}

/* v as printf's "%.4f" would write it.  Coordinates come from floats: for
 * a double that is exactly a float below 2^23 the value is m * 2^-s with
 * a 24-bit m, so v * 10^4 = m * 10^4 / 2^s is rounded exactly (to even on
 * a tie, as glibc does) in 64-bit integers; anything else goes to
 * snprintf. */
static void
jw_fixed4(jw *w, double v)
{
	float f = (float)v;
	uint32_t bits;
	memcpy(&bits, &f, sizeof bits);
	int ex = (int)((bits >> 23) & 0xff);
	uint32_t mant = bits & 0x7fffffu;
	if ((double)f != v || ex >= 150) {      /* not a float, >= 2^23, inf, NaN */
		char tmp[64];
		int k = snprintf(tmp, sizeof tmp, "%.4f", v);
		if (k > 0)
			jw_put(w, tmp, (size_t)k < sizeof tmp ? (size_t)k : sizeof tmp - 1);
		return;
	}
	uint64_t m = ex ? (mant | 0x800000u) : mant;
	int sh = ex ? 150 - ex : 149;           /* v = m * 2^-sh, sh >= 1 */
	uint64_t num = m * 10000u, q;
	if (sh >= 64) {
		q = 0;                          /* below 2^-26: rounds to 0 */
	} else {
		q = num >> sh;
		uint64_t rem = num & ((1ull << sh) - 1), half = 1ull << (sh - 1);
		if (rem > half || (rem == half && (q & 1)))
			q++;
	}
	char tmp[32];
	size_t i = sizeof tmp;
	for (int d = 0; d < 4; d++) {
		tmp[--i] = (char)('0' + q % 10);
		q /= 10;
	}
	tmp[--i] = '.';
	do {
		tmp[--i] = (char)('0' + q % 10);
		q /= 10;
	} while (q);
	if (bits >> 31)
		tmp[--i] = '-';
	jw_put(w, tmp + i, sizeof tmp - i);
}

void
sr_entity_write_json(FILE *f, const sr_doc *doc, const sr_entity *e)
{
	jw w;
	w.f = f;
	w.n = 0;
	const char *id = doc->id ? doc->id : "-";
	JW_LIT(&w, "{\"doc\":");
	jw_str(&w, id, strlen(id));
	JW_LIT(&w, ",\"span\":[");
	jw_u64(&w, e->start);
	JW_LIT(&w, ",");
	jw_u64(&w, e->end);
	JW_LIT(&w, "],\"text\":");
	jw_str(&w, doc->text + e->start, e->end - e->start);
	if (e->kind == SR_ENT_PLACE)
		JW_LIT(&w, ",\"kind\":\"place\",\"type\":");
	else
		JW_LIT(&w, ",\"kind\":\"actor\",\"type\":");
	size_t tl = strlen(e->type);
	jw_str(&w, e->type, tl);
	JW_LIT(&w, ",\"id\":");
	jw_str(&w, e->id, strlen(e->id));
	if (!strncmp(e->id, "gn:", 3)) {
		JW_LIT(&w, ",\"geonameid\":");
		jw_put(&w, e->id + 3, strlen(e->id + 3));
	}
	JW_LIT(&w, ",\"name\":");
	jw_str(&w, e->name, strlen(e->name));
	JW_LIT(&w, ",\"country\":");
	if (e->country[0])
		jw_str(&w, e->country, strlen(e->country));
	else
		JW_LIT(&w, "null");
	if (e->kind == SR_ENT_PLACE) {
		JW_LIT(&w, ",\"place_kind\":");
		jw_str(&w, e->type, tl);
		if (e->has_coord) {
			JW_LIT(&w, ",\"lat\":");
			jw_fixed4(&w, e->lat);
			JW_LIT(&w, ",\"lon\":");
			jw_fixed4(&w, e->lon);
		} else {
			JW_LIT(&w, ",\"lat\":null,\"lon\":null");
		}
		JW_LIT(&w, ",\"precision\":");
		jw_str(&w, e->precision, strlen(e->precision));
		if (e->shape)
			JW_LIT(&w, ",\"shape\":true");
	}
	JW_LIT(&w, "}");
	jw_flush(&w);
}

/* ------------------------------------------------------ containment */

/* The one rule of containment is fusion's (sf_place_contains in
 * src/fuse/rules.c); here it is asked about two lexicon entries. */
static void
entity_place(const sr_entity *e, sf_place *p)
{
	memset(p, 0, sizeof *p);
	p->rank = sf_place_rank(e->precision);
	snprintf(p->country, sizeof p->country, "%s", e->country ? e->country : "");
	p->has_coord = e->has_coord;
	p->lat = e->lat;
	p->lon = e->lon;
}

int
sr_place_contains(const sr_entity *outer, const sr_entity *inner)
{
	if (!outer || !inner || outer->kind != SR_ENT_PLACE || inner->kind != SR_ENT_PLACE)
		return 0;
	if (!strcmp(outer->id, inner->id))
		return 1;
	sf_place o, i;
	entity_place(outer, &o);
	entity_place(inner, &i);
	return sf_place_contains(&o, &i);
}
