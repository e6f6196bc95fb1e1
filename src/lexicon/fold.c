/*
 * fold.c -- how names are compared: one function folds a token of text or
 * of a lexicon name into its matching key, so that "al-Tanf", "el-Tanf",
 * "At Tanf" and "Tanf" meet, as do "Hasakah", "Hasakeh" and "Al Ḩasakah",
 * "U.S." and "US".
 *
 * ASCII (almost every byte of English news) takes a table-driven fast
 * path; other characters go through utf8proc (case folding, compatibility
 * decomposition, marks stripped) one code point at a time, with no
 * allocation.  The same function folds the lexicon at load time and the
 * text at match time, which is what makes them agree.
 */
#include "lexicon_int.h"

#include <utf8proc.h>

/* the articles; lx_is_article (lexicon_int.h) tests the same list
 * unrolled, and the unit tests check that they agree */
static const struct {
	const char *s;
	size_t n;
} articles[] = {
	{"al", 2}, {"el", 2}, {"ar", 2}, {"as", 2}, {"ash", 3}, {"at", 2}, {"ad", 2},
	{"adh", 3}, {"an", 2}, {"az", 2}, {"ath", 3}, {"ed", 2}, {"en", 2}, {"er", 2},
	{"es", 2}, {"et", 2}, {"ez", 2}, {"ul", 2},
};

static bool
maybe_article(const char *s, size_t n)
{
	/* every article starts with a, e or u and has 2 or 3 letters */
	unsigned char c = (unsigned char)(s[0] | 32);
	return n >= 2 && (c == 'a' || c == 'e' || c == 'u');
}

size_t
lx_article_prefix(const char *s, size_t n)
{
	if (n < 6 || !maybe_article(s, n) || (s[2] != '-' && s[3] != '-'))
		return 0;
	for (size_t i = 0; i < SR_ARRAY_LEN(articles); i++) {
		size_t l = articles[i].n;
		/* the rest must be a word of 3+ bytes: "al-Tanf", not "at-a" */
		if (n >= l + 4 && s[l] == '-' && !sr_strncasecmp_ascii(s, articles[i].s, l) &&
		    s[l + 1] != '-')
			return l + 1;
	}
	return 0;
}

static size_t
fold_cp(int32_t cp, char *out, size_t room)
{
	utf8proc_int32_t buf[8];
	int last = 0;
	utf8proc_ssize_t k = utf8proc_decompose_char(cp, buf, 8,
		UTF8PROC_CASEFOLD | UTF8PROC_COMPAT | UTF8PROC_STRIPMARK |
		UTF8PROC_DECOMPOSE, &last);
	size_t w = 0;
	if (k < 0 || k > 8)
		return 0;
	for (utf8proc_ssize_t i = 0; i < k; i++) {
		char tmp[4];
		int32_t c = buf[i];
		if (c == '\'' || c == '.' || c == 0x2BB || c == 0x2BC || c == 0x2BF ||
		    c == 0x2BE || c == 0x2018 || c == 0x2019)
			continue;
		int l = sr_utf8_encode(c, tmp);
		if (w + (size_t)l > room)
			break;
		memcpy(out + w, tmp, (size_t)l);
		w += (size_t)l;
	}
	return w;
}

size_t
lx_fold(const char *s, size_t n, char *out)
{
	if (n && s[0] == '#') {     /* hashtags: the word after '#' */
		s++;
		n--;
	}
	if (lx_is_article(s, n))
		return 0;
	size_t p = lx_article_prefix(s, n);
	s += p;
	n -= p;
	size_t w = 0;
	for (size_t i = 0; i < n && w < LX_MAX_KEY;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (c >= 'A' && c <= 'Z')
				out[w++] = (char)(c + 32);
			else if (c != '.' && c != '\'')
				out[w++] = (char)c;
			i++;
			continue;
		}
		int32_t cp;
		int l = sr_utf8_decode((const unsigned char *)s + i, n - i, &cp);
		if (l <= 0)
			l = 1;
		w += fold_cp(cp, out + w, LX_MAX_KEY - w);
		i += (size_t)l;
	}
	/* transliteration endings: Hasakah = Hasakeh = Hasaka */
	if (w >= 5 && out[w - 1] == 'h' && (out[w - 2] == 'a' || out[w - 2] == 'e')) {
		w--;
		out[w - 1] = 'a';
	}
	return w;
}

/* 1 for a byte of a word: an ASCII letter or digit, or any byte of a
 * multibyte character (a table: lx_split asks it of every byte of the
 * gazetteer's 200,000 names at start-up) */
static const unsigned char word_byte[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

static inline bool
is_word_byte(unsigned char c)
{
	return word_byte[c];
}

int
lx_split(const char *s, size_t n, uint32_t *starts, uint32_t *lens, int max)
{
	int k = 0;
	size_t i = 0;
	while (i < n && k < max) {
		unsigned char c = (unsigned char)s[i];
		if (c == '#' && i + 1 < n && is_word_byte((unsigned char)s[i + 1])) {
			/* a hashtag is one token */
		} else if (!is_word_byte(c)) {
			if (c == ' ' || c == '\t' || c == '-' || c == '.' || c == '\'') {
				i++;
				continue;
			}
			/* other punctuation: a token of its own */
			starts[k] = (uint32_t)i;
			lens[k++] = 1;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n) {
			unsigned char d = (unsigned char)s[j];
			if (is_word_byte(d)) {
				j++;
			} else if ((d == '-' || d == '.' || d == '\'') && j + 1 < n &&
				   is_word_byte((unsigned char)s[j + 1])) {
				/* "'s" at the end is a possessive of its own */
				if (d == '\'' && (s[j + 1] == 's' || s[j + 1] == 'S') &&
				    (j + 2 >= n || !is_word_byte((unsigned char)s[j + 2])))
					break;
				j++;
			} else if (d == '.' && j > i && j - i <= 3 && (j + 1 >= n || s[j + 1] == ' ')) {
				/* the final period of "U.S." or "St." */
				j++;
				break;
			} else {
				break;
			}
		}
		starts[k] = (uint32_t)i;
		lens[k++] = (uint32_t)(j - i);
		i = j;
	}
	return k;
}
