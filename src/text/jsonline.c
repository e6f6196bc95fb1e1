/*
 * jsonline.c -- the fast parser of JSON Lines records that reader.c tries
 * before jansson: a syntax check that keeps slices of the fields a
 * document needs (id, url, outlet, published, title, text), with SWAR and
 * SSE2 scans of strings, and hands anything doubtful back to jansson.
 * Also the same fields taken from a jansson object, and
 * sr_reader_fast_json() for the fuzz target and unit test.
 */
#include "jsonline_int.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------ JSON records */

static const char *const field_names[F_N] = {"id", "url", "outlet", "published", "title", "text"};

/* The fast path.  jansson builds a tree of every value of a record: a
 * quarter of the time of `sitrep sentences`.  This parser only checks the
 * syntax and keeps slices of the fields above.  It is deliberately
 * partial: whatever it is not sure jansson would read the same way (an
 * escape in a key, \u0000, a lone surrogate, a long number, deep
 * nesting, a missing or non-string "text"...) makes it give up, and
 * jansson parses the line and words the error.  The fuzz target
 * fuzz_reader checks both agree (sr_reader_fast_json). */
typedef struct {
	const char *p, *e;
	char *arena;            /* decoded strings: one buffer of line length */
	size_t used;
	int depth;
} jp;

#define JP_MAX_DEPTH 32

static void
jp_ws(jp *j)
{
	while (j->p < j->e && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
		j->p++;
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* \uXXXX at p (p[0] == 'u'): the code unit, or -1. */
static long
jp_u4(const char *p, const char *e)
{
	if (e - p < 5)
		return -1;
	long v = 0;
	for (int k = 1; k <= 4; k++) {
		int h = hexval((unsigned char)p[k]);
		if (h < 0)
			return -1;
		v = v * 16 + h;
	}
	return v;
}

/* Bytes that stop the scan of a JSON string: '"', '\\' and controls. */
static const bool jstop[256] = {
	[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1,
	[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
	[16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,
	[24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
	['"'] = 1, ['\\'] = 1,
};

/* A string at j->p ('"').  Stores its raw contents in *raw, *rawn and
 * whether it holds escapes.  Returns false on anything doubtful. */
static bool
jp_string(jp *j, const char **raw, size_t *rawn, bool *esc)
{
	const char *p = j->p + 1, *e = j->e;
	*esc = false;
	for (;;) {
#ifdef __SSE2__
		/* sixteen bytes at a time to the next quote, backslash or
		   control character */
		const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
		const __m128i ctl = _mm_set1_epi8(0x1F);
		while (e - p >= 16) {
			__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
			__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
						 _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
			unsigned bits = (unsigned)_mm_movemask_epi8(m);
			if (bits) {
				p += __builtin_ctz(bits);
				break;
			}
			p += 16;
		}
#endif
		while (e - p >= 8) {
			uint64_t v;
			memcpy(&v, p, 8);
			if (swar_below(v, 0x20) | swar_equal(v, '"') | swar_equal(v, '\\'))
				break;
			p += 8;
		}
		while (p < e && !jstop[(unsigned char)*p])
			p++;
		if (p >= e || (unsigned char)*p < 0x20)
			return false;
		if (*p == '"')
			break;
		/* an escape */
		*esc = true;
		if (p + 1 >= e)
			return false;
		char c = p[1];
		if (c == 'u') {
			long u = jp_u4(p + 1, e);
			if (u <= 0 || (u >= 0xDC00 && u <= 0xDFFF))
				return false;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (e - p < 12 || p[6] != '\\' || p[7] != 'u')
					return false;
				long lo = jp_u4(p + 7, e);
				if (lo < 0xDC00 || lo > 0xDFFF)
					return false;
				p += 12;
			} else {
				p += 6;
			}
		} else if (strchr("\"\\/bfnrt", c) && c) {
			p += 2;
		} else {
			return false;
		}
	}
	*raw = j->p + 1;
	*rawn = (size_t)(p - (j->p + 1));
	j->p = p + 1;
	return true;
}

/* Decodes the escapes of a string checked by jp_string into the arena. */
static const char *
jp_decode(jp *j, const char *s, size_t n, size_t *outn)
{
	char *o = j->arena + j->used, *start = o;
	const char *e = s + n;
	while (s < e) {
		if (*s != '\\') {
			const char *bs = memchr(s, '\\', (size_t)(e - s));
			size_t run = bs ? (size_t)(bs - s) : (size_t)(e - s);
			memcpy(o, s, run);
			o += run;
			s += run;
			continue;
		}
		char c = s[1];
		if (c == 'u') {
			long u = jp_u4(s + 1, e);
			s += 6;
			if (u >= 0xD800 && u <= 0xDBFF) {
				long lo = jp_u4(s + 1, e);
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
				s += 6;
			}
			o += sr_utf8_encode((int32_t)u, o);
			continue;
		}
		switch (c) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		default: *o++ = c; break;   /* " \ / */
		}
		s += 2;
	}
	*outn = (size_t)(o - start);
	j->used += *outn;
	return start;
}

/* A number: JSON's grammar, at most 15 characters and no exponent, so
 * that jansson reads it without overflow.  *is_int when it has no
 * fraction. */
static bool
jp_number(jp *j, bool *is_int)
{
	const char *p = j->p, *e = j->e;
	*is_int = true;
	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return false;
	if (*p == '0') {
		p++;
	} else if (*p >= '1' && *p <= '9') {
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	} else {
		return false;
	}
	if (p < e && *p == '.') {
		*is_int = false;
		p++;
		if (p >= e || *p < '0' || *p > '9')
			return false;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E'))
		return false;
	if (p - j->p > 15)
		return false;
	j->p = p;
	return true;
}

static bool jp_value(jp *j);

static bool
jp_literal(jp *j, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(j->e - j->p) < n || memcmp(j->p, w, n) != 0)
		return false;
	j->p += n;
	return true;
}

/* An array or object at j->p, checked and skipped. */
static bool
jp_container(jp *j)
{
	char close = *j->p == '[' ? ']' : '}';
	bool obj = close == '}';
	if (++j->depth > JP_MAX_DEPTH)
		return false;
	j->p++;
	jp_ws(j);
	if (j->p < j->e && *j->p == close) {
		j->p++;
		j->depth--;
		return true;
	}
	for (;;) {
		if (obj) {
			const char *raw;
			size_t rawn;
			bool esc;
			if (j->p >= j->e || *j->p != '"' || !jp_string(j, &raw, &rawn, &esc))
				return false;
			jp_ws(j);
			if (j->p >= j->e || *j->p != ':')
				return false;
			j->p++;
			jp_ws(j);
		}
		if (!jp_value(j))
			return false;
		jp_ws(j);
		if (j->p < j->e && *j->p == ',') {
			j->p++;
			jp_ws(j);
			continue;
		}
		if (j->p < j->e && *j->p == close) {
			j->p++;
			j->depth--;
			return true;
		}
		return false;
	}
}

static bool
jp_value(jp *j)
{
	if (j->p >= j->e)
		return false;
	bool b;
	const char *raw;
	size_t rawn;
	switch (*j->p) {
	case '"': return jp_string(j, &raw, &rawn, &b);
	case '{':
	case '[': return jp_container(j);
	case 't': return jp_literal(j, "true");
	case 'f': return jp_literal(j, "false");
	case 'n': return jp_literal(j, "null");
	default: return jp_number(j, &b);
	}
}

/* Parses the record line[0..n) on the fast path: true with the fields
 * (decoded strings in arena, which must hold n bytes), false to leave the
 * line to jansson. */
bool
sr_fast_record(const char *line, size_t n, char *arena, rec_fields *f)
{
	jp j = {line, line + n, arena, 0, 1};
	memset(f, 0, sizeof *f);
	const char *raw[F_N] = {0};
	size_t rawn[F_N] = {0};
	bool esc[F_N] = {0}, present[F_N] = {0};
	jp_ws(&j);
	if (j.p >= j.e || *j.p != '{')
		return false;
	j.p++;
	jp_ws(&j);
	if (j.p < j.e && *j.p == '}') {
		return false;   /* no "text": jansson words it */
	}
	for (;;) {
		const char *key;
		size_t keyn;
		bool kesc;
		if (j.p >= j.e || *j.p != '"' || !jp_string(&j, &key, &keyn, &kesc) || kesc)
			return false;
		jp_ws(&j);
		if (j.p >= j.e || *j.p != ':')
			return false;
		j.p++;
		jp_ws(&j);
		int fi = -1;
		for (int k = 0; k < F_N; k++)
			if (strlen(field_names[k]) == keyn && !memcmp(field_names[k], key, keyn))
				fi = k;
		if (fi >= 0) {
			/* a later duplicate wins, as in jansson */
			present[fi] = true;
			raw[fi] = NULL;
			f->id_int = fi == F_ID ? false : f->id_int;
			if (fi == F_PUBLISHED)
				f->pub_other = j.p < j.e && *j.p != '"' && *j.p != 'n';
			if (j.p < j.e && *j.p == '"') {
				if (!jp_string(&j, &raw[fi], &rawn[fi], &esc[fi]))
					return false;
			} else if (fi == F_ID && j.p < j.e && (*j.p == '-' || (*j.p >= '0' && *j.p <= '9'))) {
				const char *num = j.p;
				bool is_int;
				if (!jp_number(&j, &is_int))
					return false;
				if (is_int) {
					/* at most 15 characters: no overflow, and
					 * no strtoll, which would read past the
					 * end of a line that is not a string */
					long long v = 0;
					for (const char *q = num + (*num == '-'); q < j.p; q++)
						v = v * 10 + (*q - '0');
					f->id_int = true;
					f->id_num = *num == '-' ? -v : v;
				}
			} else if (!jp_value(&j)) {
				return false;
			}
		} else if (!jp_value(&j)) {
			return false;
		}
		jp_ws(&j);
		if (j.p < j.e && *j.p == ',') {
			j.p++;
			jp_ws(&j);
			continue;
		}
		if (j.p < j.e && *j.p == '}') {
			j.p++;
			break;
		}
		return false;
	}
	jp_ws(&j);
	if (j.p != j.e || !raw[F_TEXT])
		return false;
	(void)present;
	for (int k = 0; k < F_N; k++) {
		if (!raw[k])
			continue;
		if (esc[k]) {
			f->s[k] = jp_decode(&j, raw[k], rawn[k], &f->n[k]);
		} else {
			f->s[k] = raw[k];
			f->n[k] = rawn[k];
		}
	}
	return true;
}

/* The same fields from a record parsed by jansson. */
void
sr_json_fields(json_t *obj, rec_fields *f)
{
	memset(f, 0, sizeof *f);
	for (int k = 0; k < F_N; k++) {
		json_t *v = json_object_get(obj, field_names[k]);
		if (json_is_string(v)) {
			f->s[k] = json_string_value(v);
			f->n[k] = json_string_length(v);
		} else if (k == F_ID && json_is_integer(v)) {
			f->id_int = true;
			f->id_num = (long long)json_integer_value(v);
		} else if (k == F_PUBLISHED && v && !json_is_null(v)) {
			f->pub_other = true;
		}
	}
}

/* Parses a line with the fast parser of jsonline.c; for the fuzz target and
 * the unit test that check it against jansson.  Returns 1 when the fast
 * path took the line, with the "text" field's value and the id the
 * document would get from the record ("id" as a string, or an integer
 * "id" in decimal; NULL when neither), new strings to free; else 0. */
int sr_reader_fast_json(const char *line, size_t n, char **text, size_t *textn, char **id);

int
sr_reader_fast_json(const char *line, size_t n, char **text, size_t *textn, char **id)
{
	char *arena = sr_malloc(n + 1);
	rec_fields f;
	int ok = sr_fast_record(line, n, arena, &f);
	if (ok) {
		*text = sr_strndup(f.s[F_TEXT], f.n[F_TEXT]);
		*textn = f.n[F_TEXT];
		*id = NULL;
		if (f.s[F_ID] && f.n[F_ID] > 0) {
			*id = sr_strndup(f.s[F_ID], f.n[F_ID]);
		} else if (f.id_int) {
			char b[32];
			snprintf(b, sizeof b, "%lld", f.id_num);
			*id = sr_strdup(b);
		}
	}
	free(arena);
	return ok;
}
