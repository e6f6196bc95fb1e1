/*
 * normalize.c -- the normalized form of a report that every later stage
 * matches against, with a map back to the original bytes.
 *
 * One pass over the body of the document:
 *   - mojibake repaired: UTF-8 that was read as Windows-1252 ("â€™") or
 *     Windows-874 ("ISโs") and saved again as UTF-8 is decoded back;
 *   - curly quotes folded to ASCII ' and ", every dash to '-', odd and
 *     non-breaking spaces to ' ', CR and LS/PS to '\n', zero-width
 *     characters and soft hyphens dropped, other controls to ' ';
 *   - everything else put in Unicode NFKC (utf8proc).
 * ASCII, the bulk of English news, is copied as is.  For every byte of the
 * result, nmap holds the offset of the original character it came from, so
 * a span over normalized bytes maps back to the original text exactly.
 */
#include "../sr_internal.h"

#include <stdlib.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Windows-1252 bytes 0x80..0x9F as code points (0 = undefined). */
static const uint16_t cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

/* The Windows-1252 byte of a code point, or -1. */
static int
cp1252_byte(int32_t cp)
{
	if (cp >= 0xA0 && cp <= 0xFF)
		return (int)cp;
	if (cp >= 0x80 && cp <= 0x9F)  /* C1 controls: bytes read as Latin-1 */
		return (int)cp;
	for (int i = 0; i < 32; i++)
		if (cp1252_hi[i] && cp1252_hi[i] == cp)
			return 0x80 + i;
	return -1;
}

/* The Windows-874 (Thai) byte of a code point, or -1.  Bytes 0xA1..0xFB
 * map to U+0E01..U+0E5B; 0x80 is the euro sign, 0x85 the ellipsis and
 * 0x91..0x97 quotes and dashes. */
static int
cp874_byte(int32_t cp)
{
	if (cp >= 0x0E01 && cp <= 0x0E5B)
		return (int)(cp - 0x0E01 + 0xA1);
	switch (cp) {
	case 0x20AC: return 0x80;
	case 0x2026: return 0x85;
	case 0x2018: return 0x91;
	case 0x2019: return 0x92;
	case 0x201C: return 0x93;
	case 0x201D: return 0x94;
	case 0x2022: return 0x95;
	case 0x2013: return 0x96;
	case 0x2014: return 0x97;
	}
	return -1;
}

typedef int (*codepage_fn)(int32_t);

/* Tries to read the characters at s as UTF-8 bytes that went through a
 * single-byte code page.  On success returns the number of original bytes
 * consumed and the repaired code point. */
static size_t
undo_codepage(const unsigned char *s, size_t n, codepage_fn cpf, int32_t *out)
{
	unsigned char bytes[4];
	size_t used = 0;
	int need = 0;
	for (int k = 0; k < 4; k++) {
		int32_t cp;
		int l = sr_utf8_decode(s + used, n - used, &cp);
		if (!l)
			return 0;
		int b = cpf(cp);
		if (b < 0)
			return 0;
		if (k == 0) {
			if (b >= 0xC2 && b <= 0xDF) need = 2;
			else if (b >= 0xE0 && b <= 0xEF) need = 3;
			else if (b >= 0xF0 && b <= 0xF4) need = 4;
			else return 0;
		} else if ((b & 0xC0) != 0x80) {
			return 0;
		}
		bytes[k] = (unsigned char)b;
		used += (size_t)l;
		if (k + 1 == need)
			break;
	}
	int32_t cp;
	if (sr_utf8_decode(bytes, (size_t)need, &cp) != need || cp < 0x80)
		return 0;
	*out = cp;
	return used;
}

static bool
is_ascii_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Windows-874 mojibake where the code page dropped the bytes it lacks:
 * "IS" + U+0E42 + "s" is "IS's" whose 0x80 0x99 got lost.  A lone Thai
 * character between Latin letters is read as the apostrophe it was. */
static size_t
undo_cp874_apostrophe(const unsigned char *s, size_t n, size_t pos,
		      const unsigned char *text, int32_t *out)
{
	int32_t cp;
	int l = sr_utf8_decode(s, n, &cp);
	if (cp != 0x0E42 || pos == 0 || !is_ascii_alpha(text[pos - 1]))
		return 0;
	size_t used = (size_t)l;
	/* the euro sign (0x80) may have survived */
	int32_t c2;
	int l2 = sr_utf8_decode(s + used, n - used, &c2);
	if (l2 && c2 == 0x20AC)
		used += (size_t)l2;
	if (used < n && !(is_ascii_alpha(s[used]) || s[used] == ' ' || s[used] == '.' ||
			  s[used] == ',' || s[used] == '\n'))
		return 0;
	*out = 0x2019;
	return used;
}

/* Folds one code point; returns the replacement (an ASCII byte), 0 to drop
 * it, or -1 to keep it for NFKC. */
static int
fold(int32_t cp)
{
	switch (cp) {
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032:
	case 0x2035: case 0x00B4: case 0x02BC: case 0x02BB: case 0xFF07:
		return '\'';
	case 0x201C: case 0x201D: case 0x201E: case 0x201F: case 0x2033:
	case 0x00AB: case 0x00BB: case 0x2036: case 0xFF02:
		return '"';
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014:
	case 0x2015: case 0x2212: case 0xFE58: case 0xFE63: case 0xFF0D:
		return '-';
	case 0x00A0: case 0x1680: case 0x202F: case 0x205F: case 0x3000:
	case 0x0085:
		return ' ';
	case 0x2028: case 0x2029:
		return '\n';
	case 0x200B: case 0x200C: case 0x200D: case 0x2060: case 0xFEFF:
	case 0x00AD: case 0x200E: case 0x200F:
		return 0;
	}
	if (cp >= 0x2000 && cp <= 0x200A)
		return ' ';
	if (cp >= 0x80 && cp <= 0x9F)
		return ' ';
	return -1;
}

/* Length of the run of printable ASCII (0x20..0x7e) at s. */
static size_t
printable_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if ((v & SWAR_HIGH) | swar_below(v, 0x20) | swar_equal(v, 0x7f))
			break;
		i += 8;
	}
	while (i < n && s[i] >= 0x20 && s[i] < 0x7f)
		i++;
	return i;
}

/* m[k] = first + k for k < n: the map of bytes copied as they are. */
static void
fill_offsets(uint32_t *m, uint32_t first, size_t n)
{
	size_t k = 0;
#ifdef __SSE2__
	__m128i v = _mm_add_epi32(_mm_set1_epi32((int)first), _mm_setr_epi32(0, 1, 2, 3));
	const __m128i four = _mm_set1_epi32(4);
	for (; k + 4 <= n; k += 4) {
		_mm_storeu_si128((__m128i *)(void *)(m + k), v);
		v = _mm_add_epi32(v, four);
	}
#endif
	for (; k < n; k++)
		m[k] = first + (uint32_t)k;
}

/* The most combining marks normalized together with their base. */
#define MAX_MARKS 16

/* Does a combining mark start at s? */
static bool
combining_at(const unsigned char *s, size_t n)
{
	int32_t cp;
	return sr_utf8_decode(s, n, &cp) > 0 && utf8proc_get_property(cp)->combining_class != 0;
}

typedef struct {
	sr_buf out;
	uint32_t *map;
	size_t mapcap;
} norm_state;

static void
emit(norm_state *ns, const char *p, size_t n, uint32_t orig)
{
	SR_GROW(ns->map, ns->mapcap, ns->out.len + n + 1);
	for (size_t i = 0; i < n; i++)
		ns->map[ns->out.len + i] = orig;
	sr_buf_add(&ns->out, p, n);
}

static void
emit_cp(norm_state *ns, int32_t cp, uint32_t orig)
{
	int f = fold(cp);
	if (f == 0)
		return;
	if (f > 0) {
		char c = (char)f;
		emit(ns, &c, 1, orig);
		return;
	}
	char enc[4];
	int l = sr_utf8_encode(cp, enc);
	utf8proc_uint8_t *res = NULL;
	utf8proc_ssize_t rl = utf8proc_map((const utf8proc_uint8_t *)enc, l, &res,
					   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
	if (rl > 0 && res)
		emit(ns, (const char *)res, (size_t)rl, orig);
	else
		emit(ns, enc, (size_t)l, orig);
	free(res);
}

void sr_normalize(sr_doc *doc);

/* Fills doc->norm, nlen, nmap and mojibake from doc->text[body..len]. */
void
sr_normalize(sr_doc *doc)
{
	const unsigned char *t = (const unsigned char *)doc->text;
	size_t n = doc->len;
	norm_state ns = {0};
	size_t mojibake = 0;
	size_t i = doc->body;
	/* room for the usual case, output as long as input, at once */
	sr_buf_add(&ns.out, "", 0);
	SR_GROW(ns.out.ptr, ns.out.cap, n - i + 64);
	SR_GROW(ns.map, ns.mapcap, n - i + 64);
	while (i < n) {
		unsigned char c = t[i];
		if (c < 0x80) {
			/* ASCII run */
			size_t j = i + printable_run(t + i, n - i);
			/* a letter followed by combining marks ("e" U+0301) goes
			 * to NFKC with them, below, to be composed */
			if (j > i && j < n && t[j] >= 0x80 && combining_at(t + j, n - j))
				j--;
			if (j > i) {
				if (ns.out.len + (j - i) + 1 > ns.mapcap)
					SR_GROW(ns.map, ns.mapcap, ns.out.len + (j - i) + 1);
				fill_offsets(ns.map + ns.out.len, (uint32_t)i, j - i);
				sr_buf_add(&ns.out, t + i, j - i);
				i = j;
				continue;
			}
			if (c < 0x20 || c == 0x7f) {
				char o = ' ';
				if (c == '\n' || c == '\r')
					o = '\n';
				emit(&ns, &o, 1, (uint32_t)i);
				/* CRLF: one line break, mapped to the CR */
				i += (c == '\r' && i + 1 < n && t[i + 1] == '\n') ? 2 : 1;
				continue;
			}
		}
		int32_t cp;
		size_t used = undo_codepage(t + i, n - i, cp1252_byte, &cp);
		if (!used)
			used = undo_codepage(t + i, n - i, cp874_byte, &cp);
		if (!used)
			used = undo_cp874_apostrophe(t + i, n - i, i, t, &cp);
		if (used) {
			mojibake++;
			emit_cp(&ns, cp, (uint32_t)i);
			i += used;
			continue;
		}
		int l = sr_utf8_decode(t + i, n - i, &cp);
		if (!l) {  /* cannot happen: text was repaired when read */
			l = 1;
			cp = 0xFFFD;
		}
		/* keep a base character and its combining marks together for
		 * NFKC; at most MAX_MARKS of them (the stream-safe format of
		 * UAX #15 allows 30), so that the normalized bytes of one
		 * original offset stay well under a token's length */
		size_t j = i + (size_t)l;
		int32_t next;
		int nl, marks = 0;
		while (j < n && marks < MAX_MARKS && (nl = sr_utf8_decode(t + j, n - j, &next)) > 0 &&
		       utf8proc_get_property(next)->combining_class != 0) {
			j += (size_t)nl;
			marks++;
		}
		if (j > i + (size_t)l && fold(cp) < 0) {
			utf8proc_uint8_t *res = NULL;
			utf8proc_ssize_t rl = utf8proc_map(t + i, (utf8proc_ssize_t)(j - i), &res,
							   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT);
			if (rl > 0)
				emit(&ns, (const char *)res, (size_t)rl, (uint32_t)i);
			free(res);
			i = j;
			continue;
		}
		emit_cp(&ns, cp, (uint32_t)i);
		i += (size_t)l;
	}
	if (!ns.out.ptr)
		sr_buf_add(&ns.out, "", 0);
	SR_GROW(ns.map, ns.mapcap, ns.out.len + 1);
	ns.map[ns.out.len] = (uint32_t)n;
	doc->norm = ns.out.ptr;
	doc->nlen = ns.out.len;
	doc->nmap = ns.map;
	doc->mojibake = mojibake;
}

void
sr_doc_span(const sr_doc *doc, size_t nstart, size_t nend, uint32_t *start, uint32_t *end)
{
	if (nstart > doc->nlen)
		nstart = doc->nlen;
	if (nend > doc->nlen)
		nend = doc->nlen;
	if (nend < nstart)
		nend = nstart;
	*start = doc->nmap[nstart];
	if (nend == nstart) {
		*end = *start;
		return;
	}
	/* the end is where the next original character starts: skip the
	 * normalized bytes that came from the same original character */
	uint32_t last = doc->nmap[nend - 1];
	size_t j = nend;
	while (j < doc->nlen && doc->nmap[j] == last)
		j++;
	uint32_t e = doc->nmap[j];
	if (e <= last) {
		/* the original character of last ends where UTF-8 says */
		const unsigned char *t = (const unsigned char *)doc->text;
		int32_t cp;
		int l = sr_utf8_decode(t + last, doc->len - last, &cp);
		e = last + (uint32_t)(l ? l : 1);
	}
	*end = e;
}
