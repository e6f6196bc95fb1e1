/*
 * tokenize.c -- cuts the normalized text of a report into tokens and
 * sentences.
 *
 * Tokens are non-owning slices of doc->norm with their span in the
 * original text.  The rules are those of English news copy: abbreviations
 * keep their periods ("U.S.", "Gen."), numbers keep their separators
 * ("5,700", "1.75", "2026-02-12"), hyphenated names stay whole ("al-Tanf",
 * "Kurdish-led"), the possessive "'s" is its own token, and URLs, @handles,
 * #hashtags and e-mail addresses are single tokens of their own class.
 *
 * Sentences end at terminal punctuation followed by something that can
 * start a sentence, at paragraph breaks, at a line break unless the next
 * line plainly continues the sentence, and before an embedded post's
 * signature ("pic.twitter.com/... - Name (@handle) Date").  A dateline at
 * the start of a paragraph ("ERBIL (Kurdistan24) -") is flagged so later
 * stages can skip it.
 *
 * The abbreviation list is part of the tokenizer's grammar of English, so
 * it lives here rather than in data/: the tokenizer runs before, and
 * without, any lexicon.
 */
#include "../sr_internal.h"

#include <ctype.h>
#include <stdlib.h>
#include <threads.h>
#include <utf8proc.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

void sr_normalize(sr_doc *doc);

/* Words that keep a following period (compared case-sensitively after the
 * first letter's case is checked as given). */
static const char *const abbrevs[] = {
	"Adm", "Apr", "Aug", "Brig", "Capt", "Cdr", "Co", "Col", "Corp", "Cpl",
	"Dec", "Dept", "Dr", "Feb", "Fig", "Fr", "Ft", "Gen", "Gov", "Inc",
	"Jan", "Jr", "Jul", "Jun", "Lt", "Ltd", "Maj", "Mar", "Messrs", "Mr",
	"Mrs", "Ms", "Mt", "No", "Nov", "Oct", "Pfc", "Pres", "Prof", "Pvt",
	"Rep", "Rev", "Sen", "Sep", "Sept", "Sgt", "Sr", "St", "Supt", "etc",
	"vs", "approx", "est", "Ave", "Blvd", "Rd", "Gens", "Lt.Col", "Govt",
};

/* Abbreviations that often end a sentence; only a clear sentence opener
 * after them ends one. */
static const char *const openers[] = {
	"The", "A", "An", "He", "She", "It", "They", "We", "I", "But", "And",
	"In", "On", "At", "This", "That", "These", "Those", "However", "Its",
	"His", "Her", "Their", "There", "Some", "Many", "According", "After",
	"Earlier", "Meanwhile", "While", "When", "US", "U.S.",
};

/* A filter in front of each list: for each length, the bytes its words
 * of that length start with.  Most words asked about ("said.", "Iraq.")
 * match no such pair and are answered without a scan (the scan was a
 * measurable part of sentence splitting). */
#define FILTER_LEN 16
typedef struct list_filter {
	uint64_t first[FILTER_LEN][4];
	bool has_long;   /* a word of FILTER_LEN bytes or more: scanned */
} list_filter;

static list_filter abbrevs_filter, openers_filter;
static once_flag filters_once = ONCE_FLAG_INIT;

static void
filter_build(list_filter *f, const char *const *list, size_t nlist)
{
	for (size_t i = 0; i < nlist; i++) {
		unsigned char c = (unsigned char)list[i][0];
		size_t l = strlen(list[i]);
		if (l < FILTER_LEN)
			f->first[l][c >> 6] |= 1ULL << (c & 63);
		else
			f->has_long = true;
	}
}

static void
filters_init(void)
{
	filter_build(&abbrevs_filter, abbrevs, SR_ARRAY_LEN(abbrevs));
	filter_build(&openers_filter, openers, SR_ARRAY_LEN(openers));
}

static bool
in_list(const char *s, size_t n, const char *const *list, size_t nlist, const list_filter *f)
{
	call_once(&filters_once, filters_init);
	unsigned char c = (unsigned char)s[0];
	if (!n || (n >= FILTER_LEN ? !f->has_long : !((f->first[n][c >> 6] >> (c & 63)) & 1)))
		return false;
	for (size_t i = 0; i < nlist; i++)
		if (list[i][0] == s[0] && strlen(list[i]) == n && memcmp(list[i], s, n) == 0)
			return true;
	return false;
}

/* Character classes of the normalized text. */
enum { C_SPACE, C_NL, C_ALPHA, C_DIGIT, C_OTHER };

static int char_class_utf8(const unsigned char *s, size_t n, int *len, bool *upper,
			   bool *lower);

/* The class of the character at s, its length, and its case.  ASCII is
 * decided here, inline (the tokenizer asks for every byte, often twice);
 * the rest asks utf8proc. */
static inline int
char_class(const unsigned char *s, size_t n, int *len, bool *upper, bool *lower)
{
	*upper = *lower = false;
	unsigned c = s[0];
	if (c >= 0x80)
		return char_class_utf8(s, n, len, upper, lower);
	*len = 1;
	if (c >= 'a' && c <= 'z') {
		*lower = true;
		return C_ALPHA;
	}
	if (c >= 'A' && c <= 'Z') {
		*upper = true;
		return C_ALPHA;
	}
	if (c >= '0' && c <= '9')
		return C_DIGIT;
	if (c == ' ' || c == '\t')
		return C_SPACE;
	if (c == '\n')
		return C_NL;
	return C_OTHER;
}

static int
char_class_utf8(const unsigned char *s, size_t n, int *len, bool *upper, bool *lower)
{
	int32_t cp;
	int l = sr_utf8_decode(s, n, &cp);
	*len = l ? l : 1;
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LT:
		*upper = true;
		return C_ALPHA;
	case UTF8PROC_CATEGORY_LL:
		*lower = true;
		return C_ALPHA;
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_ALPHA;
	case UTF8PROC_CATEGORY_ND:
		return C_DIGIT;
	case UTF8PROC_CATEGORY_ZS:
		return C_SPACE;
	default:
		return C_OTHER;
	}
}

typedef struct {
	sr_doc *doc;
	const unsigned char *s;
	size_t n;
	size_t cap;
} tok_state;

static bool
is_alnum_at(const tok_state *t, size_t i)
{
	if (i >= t->n)
		return false;
	int len;
	bool up, lo;
	int c = char_class(t->s + i, t->n - i, &len, &up, &lo);
	return c == C_ALPHA || c == C_DIGIT;
}

static bool
is_alpha_at(const tok_state *t, size_t i)
{
	if (i >= t->n)
		return false;
	int len;
	bool up, lo;
	return char_class(t->s + i, t->n - i, &len, &up, &lo) == C_ALPHA;
}

static bool
is_digit_at(const tok_state *t, size_t i)
{
	return i < t->n && t->s[i] >= '0' && t->s[i] <= '9';
}

/* A URL or e-mail address is looked for within this many bytes: enough
 * to see past the token limit, and it keeps a long run of punctuation
 * from being rescanned at each of its tokens (which was quadratic). */
#define RUN_MAX (2 * SR_MAX_TOKEN)

/* Length of the run of non-space bytes at i, at most RUN_MAX. */
static size_t
nonspace_run(const tok_state *t, size_t i)
{
	size_t j = i;
	size_t lim = t->n - i > RUN_MAX ? i + RUN_MAX : t->n;
	while (j < lim && t->s[j] != ' ' && t->s[j] != '\n' && t->s[j] != '\t')
		j++;
	return j - i;
}

/* Trailing punctuation that is not part of a URL or address. */
static size_t
trim_trailing(const unsigned char *s, size_t n)
{
	while (n > 0 && strchr(".,;:!?)]}\"'>", s[n - 1]))
		n--;
	return n;
}

static const char *const tlds[] = {
	".com/", ".org/", ".net/", ".gov/", ".co/", ".io/", ".ly/", ".me/",
	".tv/", ".uk/", ".int/", ".edu/", ".mil/", ".info/", ".news/",
};

/* Is the run at i a URL?  Returns its length (trailing punctuation
 * trimmed) or 0. */
static size_t
url_len(const tok_state *t, size_t i)
{
	unsigned char c0 = t->s[i];
	if (!(c0 == 'h' || c0 == 'H' || c0 == 'w' || c0 == 'W') && !is_alnum_at(t, i))
		return 0;
	size_t n = nonspace_run(t, i);
	const char *p = (const char *)t->s + i;
	bool url = false;
	if (n <= 4 || !memchr(p, c0 == 'w' || c0 == 'W' ? '.' : '/', n))
		return 0;   /* all three forms below need one of these */
	if ((n > 7 && !sr_strncasecmp_ascii(p, "http://", 7)) ||
	    (n > 8 && !sr_strncasecmp_ascii(p, "https://", 8)) ||
	    (n > 4 && !sr_strncasecmp_ascii(p, "www.", 4)))
		url = true;
	if (!url && is_alnum_at(t, i)) {
		/* a bare domain with a path: pic.twitter.com/abc, t.co/xyz */
		size_t slash = 0;
		for (size_t k = 0; k < n; k++)
			if (p[k] == '/') {
				slash = k;
				break;
			}
		if (slash > 3) {
			for (size_t k = 0; k < SR_ARRAY_LEN(tlds) && !url; k++) {
				size_t tl = strlen(tlds[k]);
				if (slash + 1 >= tl && !memcmp(p + slash + 1 - tl, tlds[k], tl))
					url = true;
			}
		}
	}
	if (!url)
		return 0;
	return trim_trailing(t->s + i, n);
}

/* Is the run at i an e-mail address?  Returns its length or 0. */
static size_t
email_len(const tok_state *t, size_t i)
{
	size_t n = nonspace_run(t, i);
	const unsigned char *p = t->s + i;
	size_t at = 0;
	for (size_t k = 1; k < n; k++)
		if (p[k] == '@') {
			at = k;
			break;
		}
	if (!at)
		return 0;
	n = trim_trailing(p, n);
	bool dot = false;
	for (size_t k = at + 1; k < n; k++)
		if (p[k] == '.' && k + 1 < n)
			dot = true;
	for (size_t k = 0; k < at; k++)
		if (!(isalnum(p[k]) || strchr("._%+-", p[k])))
			return 0;
	return dot ? n : 0;
}

/* The end of a token that would end at e, moved off the inside of a
 * group of normalized bytes that came from one original character (an
 * NFKC expansion such as "(1)" from U+2474, a base and its combining
 * marks): tokens cut inside a group would have overlapping spans.  The
 * whole group goes with the token or, past the token limit, none of it. */
static size_t group_end_slow(const tok_state *t, size_t start, size_t e);

/* inline: asked for every token, and almost every token ends where its
 * last character does */
static inline size_t
group_end(const tok_state *t, size_t start, size_t e)
{
	const uint32_t *m = t->doc->nmap;
	if (e >= t->n || e <= start || m[e] != m[e - 1])
		return e;
	return group_end_slow(t, start, e);
}

static size_t
group_end_slow(const tok_state *t, size_t start, size_t e)
{
	const uint32_t *m = t->doc->nmap;
	size_t x = e;
	while (x < t->n && m[x] == m[e - 1])
		x++;
	if (x - start <= SR_MAX_TOKEN)
		return x;
	size_t b = e - 1;
	while (b > start && m[b - 1] == m[e - 1])
		b--;
	return b > start ? b : x;
}

/* Appends the token [start, start + len) with its flags. */
static inline void
push_token(tok_state *t, size_t start, size_t len, int cls, unsigned flags)
{
	sr_doc *doc = t->doc;
	if (doc->ntok + 1 > t->cap)
		SR_GROW(doc->toks, t->cap, doc->ntok + 1);
	sr_token *k = &doc->toks[doc->ntok++];
	k->s = doc->norm + start;
	k->len = (uint32_t)len;
	k->nstart = (uint32_t)start;
	const uint32_t *m = doc->nmap;
	size_t end = start + len;
	if (m[end] > m[end - 1]) {   /* the usual case of sr_doc_span */
		k->start = m[start];
		k->end = m[end];
	} else {
		sr_doc_span(doc, start, end, &k->start, &k->end);
	}
	k->cls = (uint8_t)cls;
	k->flags = (uint8_t)flags;
}

/* A word of ASCII letters [start, start + len), lower: whether it has a
 * lower-case one: add_token with the case flags found on the way. */
static size_t
add_ascii_word(tok_state *t, size_t start, size_t len, bool lower, unsigned flags)
{
	if (group_end(t, start, start + len) != start + len)
		return 0;
	if (t->s[start] <= 'Z')
		flags |= SR_TF_UPPER1;
	if (!lower)
		flags |= SR_TF_ALLCAPS;
	push_token(t, start, len, SR_TOK_WORD, flags);
	return len;
}

/* Adds the token [start, start + len), or a little longer or shorter so
 * as not to end inside a group (group_end); returns its length. */
static size_t
add_token(tok_state *t, size_t start, size_t len, int cls, unsigned flags)
{
	len = group_end(t, start, start + len) - start;
	unsigned f = flags;
	/* case flags */
	bool any = false, all = true, first = true;
	for (size_t i = start; i < start + len;) {
		unsigned char b = t->s[i];
		if (b < 0x80) {   /* the same as below, for ASCII */
			if (b >= 'a' && b <= 'z') {
				all = false;
				any = true;
				first = false;
			} else if (b >= 'A' && b <= 'Z') {
				if (first)
					f |= SR_TF_UPPER1;
				any = true;
				first = false;
			} else if (b >= '0' && b <= '9' && cls == SR_TOK_WORD) {
				first = false;
			}
			i++;
			continue;
		}
		int l;
		bool up, lo;
		int c = char_class(t->s + i, t->n - i, &l, &up, &lo);
		if (c == C_ALPHA) {
			if (first && up)
				f |= SR_TF_UPPER1;
			if (lo)
				all = false;
			if (up || lo)
				any = true;
			first = false;
		} else if (c == C_DIGIT && first && cls == SR_TOK_WORD) {
			first = false;
		}
		i += (size_t)l;
	}
	if (any && all)
		f |= SR_TF_ALLCAPS;
	push_token(t, start, len, cls, f);
	return len;
}

/* A token of one byte of ASCII punctuation: add_token without its look
 * at the letters' case (such a byte has none). */
static inline size_t
add_punct1(tok_state *t, size_t start, unsigned flags)
{
	if (group_end(t, start, start + 1) != start + 1)
		return add_token(t, start, 1, SR_TOK_PUNCT, flags);
	push_token(t, start, 1, SR_TOK_PUNCT, flags);
	return 1;
}

/* ASCII letters: 1 upper case, 2 lower case, 0 anything else. */
static const unsigned char letter_case[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
	0, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2,
	2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static inline bool
is_ascii_letter(unsigned c)
{
	return (unsigned)((c | 0x20) - 'a') < 26u;
}

/* Length of letters joined by periods at i ("U.S.", "a.m."), or 0. */
static size_t
dotted_len(const tok_state *t, size_t i)
{
	size_t j = i;
	int count = 0;
	while (j + 1 < t->n && j + 2 - i <= SR_MAX_TOKEN && is_ascii_letter(t->s[j]) &&
	       t->s[j + 1] == '.') {
		j += 2;
		count++;
	}
	if (count < 2 || is_alnum_at(t, j))
		return 0;
	return j - i;
}

/* Length of a word at i: letters and digits, joined by inner hyphens,
 * the periods of abbreviations, and apostrophes that are not possessive. */
static size_t
word_len(const tok_state *t, size_t i, bool *abbrev)
{
	*abbrev = false;
	size_t d = dotted_len(t, i);
	if (d) {
		*abbrev = true;
		return d;
	}
	size_t j = i;
	for (;;) {
		while (j < t->n && j - i < SR_MAX_TOKEN) {
			int l;
			bool up, lo;
			int c = char_class(t->s + j, t->n - j, &l, &up, &lo);
			if ((c != C_ALPHA && c != C_DIGIT) || j + (size_t)l - i > SR_MAX_TOKEN)
				break;
			j += (size_t)l;
		}
		if (j >= t->n || j - i >= SR_MAX_TOKEN)
			break;
		unsigned char c = t->s[j];
		if (c == '-' && is_alnum_at(t, j + 1)) {
			j++;
			continue;
		}
		if (c == '\'' && is_alpha_at(t, j + 1)) {
			/* "'s" + non-letter is a possessive: stop before it */
			if ((t->s[j + 1] == 's' || t->s[j + 1] == 'S') && !is_alnum_at(t, j + 2))
				break;
			j++;
			continue;
		}
		if (c == '.') {
			size_t ws = j;
			while (ws > i && t->s[ws - 1] != '-')
				ws--;
			size_t wl = j - ws;
			if (wl == 1 && t->s[ws] >= 'A' && t->s[ws] <= 'Z') {
				/* an initial: "John F. Kennedy" */
				j++;
				*abbrev = true;
			} else if (in_list((const char *)t->s + ws, wl, abbrevs, SR_ARRAY_LEN(abbrevs), &abbrevs_filter)) {
				/* "No." only before a number */
				if (!(wl == 2 && !memcmp(t->s + ws, "No", 2)) ||
				    (j + 2 < t->n && t->s[j + 1] == ' ' && is_digit_at(t, j + 2))) {
					j++;
					*abbrev = true;
				}
			}
		}
		break;
	}
	return j - i;
}

/* Length of a number at i: digits with separators and decimals, an ISO
 * date, and letters glued after (23rd, 1980s, 4km). */
static size_t
number_len(const tok_state *t, size_t i)
{
	size_t j = i;
	if (!is_digit_at(t, i)) {
		/* digits of another script (Arabic-Indic...): their run.  The
		 * rules below are for ASCII digits, and a length of 0 here
		 * once made the tokenizer loop for ever. */
		while (j < t->n) {
			int l;
			bool up, lo;
			if (char_class(t->s + j, t->n - j, &l, &up, &lo) != C_DIGIT ||
			    j + (size_t)l - i > SR_MAX_TOKEN)
				break;
			j += (size_t)l;
		}
		return j - i;
	}
	while (j - i < SR_MAX_TOKEN && is_digit_at(t, j))
		j++;
	for (;;) {
		if (j + 2 - i <= SR_MAX_TOKEN && j + 1 < t->n && (t->s[j] == ',' || t->s[j] == '.') &&
		    is_digit_at(t, j + 1)) {
			j++;
			while (j - i < SR_MAX_TOKEN && is_digit_at(t, j))
				j++;
			continue;
		}
		break;
	}
	/* ISO dates 2026-02-12 and 2026-02 */
	if (j - i == 4 && j + 2 < t->n && t->s[j] == '-' && is_digit_at(t, j + 1) &&
	    is_digit_at(t, j + 2) && !is_alnum_at(t, j + 3)) {
		j += 3;
		if (j + 2 < t->n && t->s[j] == '-' && is_digit_at(t, j + 1) &&
		    is_digit_at(t, j + 2) && !is_alnum_at(t, j + 3))
			j += 3;
	}
	while (j < t->n && is_alpha_at(t, j)) {
		int l;
		bool up, lo;
		char_class(t->s + j, t->n - j, &l, &up, &lo);
		if (j + (size_t)l - i > SR_MAX_TOKEN)
			break;
		j += (size_t)l;
	}
	return j - i;
}

/* Cuts norm[i, end) into tokens appended to t->doc->toks; pending holds
 * the flags of the whitespace before i.  end is t->n or a whitespace byte
 * (tokens never cross one). */
static void
tokenize_range(tok_state *tp, size_t i, size_t end, unsigned pending)
{
	tok_state t = *tp;
	int newlines = 0;
	while (i < end) {
		/* the commonest bytes first, as the branches below would take
		 * them: a space, and a period that starts no ellipsis (the
		 * end of most sentences; no URL starts with one) */
		if (t.s[i] == ' ') {
			pending |= SR_TF_SPACE;
			i++;
			continue;
		}
		if (t.s[i] == '.' && !(i + 2 < t.n && t.s[i + 1] == '.' && t.s[i + 2] == '.')) {
			newlines = 0;
			i += add_punct1(&t, i, pending);
			pending = 0;
			continue;
		}
		int l = 1, c;
		bool up, lo;
		if ((unsigned)((t.s[i] | 0x20) - 'a') < 26u)
			c = C_ALPHA;    /* an ASCII letter: what char_class says */
		else
			c = char_class(t.s + i, t.n - i, &l, &up, &lo);
		if (c == C_SPACE || c == C_NL) {
			pending |= SR_TF_SPACE;
			if (c == C_NL) {
				pending |= SR_TF_NEWLINE;
				if (++newlines >= 2)
					pending |= SR_TF_PARA;
			}
			i += (size_t)l;
			continue;
		}
		newlines = 0;
		/* a byte of ASCII punctuation that no rule below joins to more
		 * (all but '@', '#', the apostrophe and the period): the token
		 * the last branch makes, without the look at its run (most
		 * tokens after words are such) */
		if (c == C_OTHER && t.s[i] < 0x80 && t.s[i] != '@' && t.s[i] != '#' && t.s[i] != '\'' &&
		    t.s[i] != '.') {
			i += add_punct1(&t, i, pending);
			pending = 0;
			continue;
		}
		size_t n;
		bool abbrev;
		/* one look at the run of non-space bytes here: a URL needs a
		 * '/' (or "www."), an address an '@'.  Most runs are a plain
		 * word, perhaps with punctuation after it: ASCII letters that
		 * nothing can join to more (a '-', '\'', '.', digit or
		 * non-ASCII byte could) are the token word_len() would find. */
		unsigned seen = 0;
		bool w = t.s[i] == 'w' || t.s[i] == 'W';
		size_t lim = t.n - i > RUN_MAX ? i + RUN_MAX : t.n;
		size_t r = i;
		unsigned lcase = 0;   /* 2 if a lower-case letter was seen */
		bool stopped = false; /* the letters' end found 8 bytes at a time */
		/* eight bytes at a time while they are all ASCII letters (the
		 * first byte is the lowest on little-endian machines) */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
		while (r + 8 <= lim) {
			uint64_t x;
			memcpy(&x, t.s + r, 8);
			uint64_t y = (x | 0x2020202020202020ULL) & 0x7F7F7F7F7F7F7F7FULL;
			uint64_t letter = (y + 0x1F1F1F1F1F1F1F1FULL) & ~(y + 0x0505050505050505ULL) &
					  ~x & 0x8080808080808080ULL;   /* high bit: a letter */
			uint64_t stop = ~letter & 0x8080808080808080ULL;
			unsigned k = stop ? (unsigned)__builtin_ctzll(stop) >> 3 : 8;
			uint64_t keep = k < 8 ? (1ULL << (8 * k)) - 1 : ~0ULL;
			if (x & (letter >> 2) & keep)
				lcase = 2;   /* a letter with 0x20 set: lower case */
			r += k;
			if (k < 8) {
				stopped = true;
				break;
			}
		}
#endif
		/* (after a stop above, at a byte that is no ASCII letter, this
		 * loop would stop at once) */
		while (!stopped && r < lim && letter_case[t.s[r]]) {
			lcase |= letter_case[t.s[r]];
			r++;
		}
		size_t letters = r - i;
		for (; r < lim; r++) {
			unsigned char b = t.s[r];
			if (b == ' ' || b == '\n' || b == '\t')
				break;
			if (b == '/' || (b == '.' && w))
				seen |= 1;
			else if (b == '@' && r > i)
				seen |= 2;
		}
		unsigned char after = i + letters < t.n ? t.s[i + letters] : ' ';
		if (!seen && letters > 0 && letters < SR_MAX_TOKEN && after != '-' &&
		    after != '\'' && after != '.' && !(after >= '0' && after <= '9') && after < 0x80) {
			size_t got = add_ascii_word(&t, i, letters, lcase & 2, pending);
			i += got ? got : add_token(&t, i, letters, SR_TOK_WORD, pending);
		} else if ((seen & 1) && (n = url_len(&t, i)) > 0) {
			if (n > SR_MAX_TOKEN) {
				/* cut at the limit, on a character boundary */
				n = SR_MAX_TOKEN;
				while (n > 1 && (t.s[i + n] & 0xC0) == 0x80)
					n--;
			}
			i += add_token(&t, i, n, SR_TOK_URL, pending);
		} else if (c != C_OTHER && (seen & 2) && (n = email_len(&t, i)) > 0 &&
			   n <= SR_MAX_TOKEN) {
			i += add_token(&t, i, n, SR_TOK_EMAIL, pending);
		} else if ((t.s[i] == '@' || t.s[i] == '#') && i + 1 < t.n &&
			   (is_alnum_at(&t, i + 1) || t.s[i + 1] == '_')) {
			size_t j = i + 1;
			while (j < t.n && (is_alnum_at(&t, j) || t.s[j] == '_')) {
				int l2;
				bool u2, l3;
				char_class(t.s + j, t.n - j, &l2, &u2, &l3);
				if (j + (size_t)l2 - i > SR_MAX_TOKEN)
					break;
				j += (size_t)l2;
			}
			i += add_token(&t, i, j - i, t.s[i] == '@' ? SR_TOK_HANDLE : SR_TOK_HASHTAG,
				       pending);
		} else if (c == C_DIGIT) {
			n = number_len(&t, i);
			i += add_token(&t, i, n, SR_TOK_NUMBER, pending);
		} else if (c == C_ALPHA) {
			n = word_len(&t, i, &abbrev);
			if (n == 0)
				n = (size_t)l;
			i += add_token(&t, i, n, SR_TOK_WORD, pending | (abbrev ? SR_TF_ABBREV : 0));
		} else if (t.s[i] == '\'' && i + 1 < t.n && (t.s[i + 1] == 's' || t.s[i + 1] == 'S') &&
			   !is_alnum_at(&t, i + 2) && i > 0 && is_alnum_at(&t, i - 1)) {
			i += add_token(&t, i, 2, SR_TOK_WORD, pending);  /* possessive 's */
		} else if (t.s[i] == '.' && i + 2 < t.n && t.s[i + 1] == '.' && t.s[i + 2] == '.') {
			size_t j = i;
			while (j < t.n && t.s[j] == '.' && j - i < SR_MAX_TOKEN)
				j++;
			i += add_token(&t, i, j - i, SR_TOK_PUNCT, pending);
		} else {
			i += add_token(&t, i, (size_t)l, SR_TOK_PUNCT, pending);
		}
		pending = 0;
	}
	tp->cap = t.cap;
}

static void
tokenize(sr_doc *doc)
{
	tok_state t = {doc, (const unsigned char *)doc->norm, doc->nlen, 0};
	if (!doc->toks && !doc->ntok) {
		/* news text has a token every 5 or 6 bytes: room for one every
		 * 4 at once, instead of growing from 8 by doubling (a copy of
		 * the tokens at each step) */
		t.cap = doc->nlen / 4 + 16;
		doc->toks = sr_malloc(t.cap * sizeof *doc->toks);
	}
	tokenize_range(&t, 0, t.n, 0);
}

/* ---------------------------------------------------------- sentences */

static inline bool
tok_is(const sr_token *k, const char *s)
{
	size_t n = strlen(s);   /* a literal: folded once inlined */
	return k->len == n && memcmp(k->s, s, n) == 0;
}

static bool
is_terminal(const sr_token *k)
{
	return k->cls == SR_TOK_PUNCT && k->len <= 3 &&
	       (tok_is(k, ".") || tok_is(k, "!") || tok_is(k, "?") || tok_is(k, "...") ||
		tok_is(k, "!?") || tok_is(k, "?!"));
}

static bool
is_closer(const sr_token *k)
{
	return k->cls == SR_TOK_PUNCT && k->len == 1 && (tok_is(k, "\"") || tok_is(k, "'") || tok_is(k, ")") ||
					  tok_is(k, "]"));
}

/* Can k start a sentence? */
static bool
can_start(const sr_token *k)
{
	if (k->flags & SR_TF_UPPER1)
		return true;
	if (k->cls == SR_TOK_NUMBER || k->cls == SR_TOK_URL || k->cls == SR_TOK_HANDLE ||
	    k->cls == SR_TOK_HASHTAG)
		return true;
	if (k->cls == SR_TOK_PUNCT && (tok_is(k, "\"") || tok_is(k, "'") || tok_is(k, "(") ||
				       tok_is(k, "[") || tok_is(k, "-")))
		return true;
	return false;
}

static bool
starts_lower(const sr_token *k)
{
	return k->cls == SR_TOK_WORD && !(k->flags & SR_TF_UPPER1) && k->len &&
	       !(k->s[0] >= '0' && k->s[0] <= '9');
}

/* An embedded post's link: its signature starts a sentence of its own. */
static bool
is_post_link(const sr_token *k)
{
	if (k->cls != SR_TOK_URL)
		return false;
	const char *needles[] = {"pic.twitter.com", "t.co/", "twitter.com/", "x.com/"};
	for (size_t i = 0; i < SR_ARRAY_LEN(needles); i++) {
		size_t nl = strlen(needles[i]);
		for (size_t j = 0; j + nl <= k->len; j++)
			if (!memcmp(k->s + j, needles[i], nl))
				return true;
	}
	return false;
}

/* Marks a dateline at tokens [b, e): an all-caps place, an optional
 * ", Region" and "(Outlet)", then a dash. */
static void
mark_dateline(sr_doc *doc, size_t b, size_t e)
{
	sr_token *k = doc->toks;
	if (b >= e || k[b].cls != SR_TOK_WORD || !(k[b].flags & SR_TF_ALLCAPS) || k[b].len < 3)
		return;
	size_t lim = b + 14 < e ? b + 14 : e;
	for (size_t i = b + 1; i < lim; i++) {
		if (k[i].cls == SR_TOK_PUNCT && tok_is(&k[i], "-") && (k[i].flags & SR_TF_SPACE)) {
			if (i + 1 >= e)
				return;
			for (size_t j = b; j <= i; j++)
				k[j].flags |= SR_TF_DATELINE;
			return;
		}
		if (is_terminal(&k[i]) || tok_is(&k[i], "\""))
			return;
	}
}

static void
split_sentences(sr_doc *doc)
{
	size_t cap = 0;
	sr_token *k = doc->toks;
	size_t n = doc->ntok;
	size_t start = 0;
	uint32_t para = 0;
	for (size_t i = 0; i <= n; i++) {
		bool brk = false;
		if (i == n) {
			brk = true;
		} else if (i > start) {
			const sr_token *prev = &k[i - 1];
			const sr_token *cur = &k[i];
			/* most tokens: after a word (no closer, no terminal, no
			 * abbreviation), on the same line, not a link, below the
			 * limit: no rule below breaks there */
			if (prev->cls != SR_TOK_PUNCT && !(prev->flags & SR_TF_ABBREV) &&
			    !(cur->flags & (SR_TF_PARA | SR_TF_NEWLINE)) && cur->cls != SR_TOK_URL &&
			    i - start < SR_MAX_SENTENCE_TOKENS)
				continue;
			/* the terminal punctuation before any closers */
			size_t p = i - 1;
			while (p > start && is_closer(&k[p]))
				p--;
			bool term = is_terminal(&k[p]);
			bool abbrev_end = (k[p].flags & SR_TF_ABBREV) && p == i - 1;
			if (cur->flags & SR_TF_PARA)
				brk = true;
			else if (cur->flags & SR_TF_NEWLINE)
				brk = !(starts_lower(cur) && !term);
			else if (term && can_start(cur) && (cur->flags & SR_TF_SPACE))
				brk = !(tok_is(&k[p], "...") && !(cur->flags & SR_TF_UPPER1));
			else if (abbrev_end && (cur->flags & SR_TF_SPACE) &&
				 in_list(cur->s, cur->len, openers, SR_ARRAY_LEN(openers), &openers_filter) &&
				 !tok_is(prev, "U.S.") && prev->len > 2)
				brk = true;
			else if (cur->cls == SR_TOK_URL && is_post_link(cur) && !is_post_link(prev))
				brk = true;
			/* the limit holds whatever the rules above decided */
			if (i - start >= SR_MAX_SENTENCE_TOKENS)
				brk = true;
		}
		if (!brk)
			continue;
		if (i > start) {
			SR_GROW(doc->sents, cap, doc->nsent + 1);
			sr_sentence *s = &doc->sents[doc->nsent++];
			s->tok = (uint32_t)start;
			s->ntok = (uint32_t)(i - start);
			s->start = k[start].start;
			s->end = k[i - 1].end;
			if (start == 0 || (k[start].flags & SR_TF_NEWLINE))
				mark_dateline(doc, start, i);
			s->para = para;
		}
		if (i < n && (k[i].flags & (SR_TF_PARA | SR_TF_NEWLINE)))
			para++;
		start = i;
	}
}

/* ------------------------------------------------ sentence spans only */

/* What the sentence rules of split_sentences look at in a token that has
 * gone by. */
enum { TP_TERM = 1, TP_DOTS3 = 2, TP_ABBREV = 4, TP_USDOT = 8, TP_POSTLINK = 16,
       TP_LONG = 32 /* more than 2 bytes */ };
typedef unsigned tprops;   /* TP_*: 0 for any token of a plain run */

/* The state of split_sentences, kept as it goes along a stream of tokens
 * instead of an array: the open sentence's span, its token count, its
 * last token (k[i - 1]) and its last token that is not a closer (k[p]). */
typedef struct {
	sr_doc scratch;      /* the document, its toks a scratch buffer */
	tok_state t;
	bool open;           /* a sentence is open */
	bool counted;        /* cnt is exact (else the span is < SR_MAX_SENTENCE_TOKENS bytes) */
	bool midrun;         /* it opened inside a run: always tokenized */
	uint32_t ns, ne;     /* its span in norm */
	size_t cnt;          /* its tokens (if counted) */
	tprops last, p;
	uint32_t *spans;     /* out: pairs ns, ne */
	size_t nspans, cap;
} lite_state;

static tprops
props_of(const sr_token *k)
{
	return (is_terminal(k) ? TP_TERM : 0) | (tok_is(k, "...") ? TP_DOTS3 : 0) |
	       ((k->flags & SR_TF_ABBREV) ? TP_ABBREV : 0) | (tok_is(k, "U.S.") ? TP_USDOT : 0) |
	       (is_post_link(k) ? TP_POSTLINK : 0) | (k->len > 2 ? TP_LONG : 0);
}

static void
lite_close(lite_state *L)
{
	if (!L->open)
		return;
	SR_GROW(L->spans, L->cap, 2 * L->nspans + 2);
	L->spans[2 * L->nspans] = L->ns;
	L->spans[2 * L->nspans + 1] = L->ne;
	L->nspans++;
	L->open = false;
}

static void
lite_open(lite_state *L, uint32_t ns, uint32_t ne, bool counted, bool midrun, tprops pr)
{
	L->open = true;
	L->counted = counted;
	L->midrun = midrun;
	L->ns = ns;
	L->ne = ne;
	L->cnt = 1;
	L->last = L->p = pr;
}

/* One token of an exactly tokenized run: split_sentences' decision at it
 * (the same rules, in the same order), then the token joins the open
 * sentence or opens the next.  runstart: the token starts its run. */
static void
lite_token(lite_state *L, const sr_token *cur, bool runstart)
{
	tprops pr = props_of(cur);
	uint32_t end = cur->nstart + cur->len;
	if (!L->open) {
		lite_open(L, cur->nstart, end, true, !runstart, pr);
		return;
	}
	bool term = L->p & TP_TERM, brk = false;
	if (cur->flags & SR_TF_PARA)
		brk = true;
	else if (cur->flags & SR_TF_NEWLINE)
		brk = !(starts_lower(cur) && !term);
	else if (term && can_start(cur) && (cur->flags & SR_TF_SPACE))
		brk = !((L->p & TP_DOTS3) && !(cur->flags & SR_TF_UPPER1));
	else if ((L->last & TP_ABBREV) && (cur->flags & SR_TF_SPACE) &&
		 in_list(cur->s, cur->len, openers, SR_ARRAY_LEN(openers), &openers_filter) && !(L->last & TP_USDOT) &&
		 (L->last & TP_LONG))
		brk = true;
	else if (cur->cls == SR_TOK_URL && (pr & TP_POSTLINK) && !(L->last & TP_POSTLINK))
		brk = true;
	if (L->counted && L->cnt >= SR_MAX_SENTENCE_TOKENS)
		brk = true;
	if (brk) {
		lite_close(L);
		lite_open(L, cur->nstart, end, true, !runstart, pr);
		return;
	}
	L->cnt++;
	L->ne = end;
	L->last = pr;
	if (!is_closer(cur))
		L->p = pr;
}

/* Tokenizes norm[a, b) exactly and feeds its tokens to the splitter. */
static void
lite_exact(lite_state *L, size_t a, size_t b, unsigned pending)
{
	L->scratch.ntok = 0;
	tokenize_range(&L->t, a, b, pending);
	for (size_t k = 0; k < L->scratch.ntok; k++)
		lite_token(L, &L->scratch.toks[k], k == 0);
}

/* Bytes of the normalized text for the run scanner: 0 a byte that leaves
 * a run plain, 1 whitespace, 2 a byte that needs the tokenizer (the end
 * of a sentence, a closer, a URL, an address, an abbreviation, anything
 * not ASCII). */
#define H16 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2
static const unsigned char run_byte[256] = {
	[' '] = 1, ['\n'] = 1, ['\t'] = 1,
	['.'] = 2, ['!'] = 2, ['?'] = 2, ['/'] = 2, ['@'] = 2, ['#'] = 2, ['"'] = 2,
	['\''] = 2, [')'] = 2, [']'] = 2,
	[0x80] = H16, H16, H16, H16, H16, H16, H16, H16,
};
#undef H16

/* Is run [a, b) (b - a >= 3, ending in '.') ASCII letters or digits
 * and then a full stop the tokenizer leaves alone: no abbreviation from
 * the list, no initial (one letter), no dotted letters, no decimals? */
static bool
plain_stop(const unsigned char *s, size_t a, size_t b)
{
	size_t l = b - 1 - a;
	if (s[a] >= '0' && s[a] <= '9') {
		for (size_t k = a; k < b - 1; k++)
			if (!(s[k] >= '0' && s[k] <= '9'))
				return false;
		return true;
	}
	for (size_t k = a; k < b - 1; k++)
		if (!is_ascii_letter(s[k]))
			return false;
	return !in_list((const char *)s + a, l, abbrevs, SR_ARRAY_LEN(abbrevs), &abbrevs_filter);
}

/* The first byte at or after i that is a newline or needs the tokenizer
 * (run_byte 2), or n.  Sixteen bytes at a time where SSE2 is there (all
 * x86-64). */
static size_t
next_event(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	/* the bytes "\n.!?/@#\"')]", as constants the loop keeps in
	   registers (a loop over a string of them was rebuilt per block) */
	const __m128i e0 = _mm_set1_epi8('\n'), e1 = _mm_set1_epi8('.'), e2 = _mm_set1_epi8('!');
	const __m128i e3 = _mm_set1_epi8('?'), e4 = _mm_set1_epi8('/'), e5 = _mm_set1_epi8('@');
	const __m128i e6 = _mm_set1_epi8('#'), e7 = _mm_set1_epi8('"'), e8 = _mm_set1_epi8('\'');
	const __m128i e9 = _mm_set1_epi8(')'), e10 = _mm_set1_epi8(']');
	while (i + 16 <= n) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i a = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e0), _mm_cmpeq_epi8(v, e1)),
					 _mm_or_si128(_mm_cmpeq_epi8(v, e2), _mm_cmpeq_epi8(v, e3)));
		__m128i b = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e4), _mm_cmpeq_epi8(v, e5)),
					 _mm_or_si128(_mm_cmpeq_epi8(v, e6), _mm_cmpeq_epi8(v, e7)));
		__m128i c = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e8), _mm_cmpeq_epi8(v, e9)),
					 _mm_cmpeq_epi8(v, e10));
		__m128i m = _mm_or_si128(_mm_or_si128(a, b), c);
		unsigned bits = (unsigned)_mm_movemask_epi8(m) | (unsigned)_mm_movemask_epi8(v);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
		i += 16;
	}
#endif
	while (i < n && run_byte[s[i]] != 2 && s[i] != '\n')
		i++;
	return i;
}

size_t sr_doc_sentence_spans(sr_doc *doc, uint32_t **spans);

/* The sentences of the document as split_sentences cuts them, without
 * tokenizing all of it: pairs (start, end) of normalized offsets in
 * *spans (malloc'd, owned by the caller), one pair a sentence; returns
 * how many.  Normalizes the document if needed.
 *
 * Sentences break only at a line break, after terminal punctuation or
 * an abbreviation, at a post's link, or at the token limit.  A run of
 * non-space bytes without any of those ('.', '!', '?', quotes, closers,
 * '/', '@', '#', non-ASCII) is "plain": its first token's class and
 * case follow from its first byte, no rule can break inside it, and it
 * leaves nothing a later rule looks at.  Plain runs are skipped; other
 * runs, and every run after terminal punctuation or an abbreviation, go
 * through the tokenizer and the rules of split_sentences one token at a
 * time.  Token counts are needed only for a sentence that could reach
 * SR_MAX_SENTENCE_TOKENS (one whose span reaches as many bytes): it is
 * then counted exactly from its start. */
size_t
sr_doc_sentence_spans(sr_doc *doc, uint32_t **spans)
{
	*spans = NULL;
	if (!doc->norm)
		sr_normalize(doc);
	lite_state L;
	memset(&L, 0, sizeof L);
	L.scratch = *doc;
	L.scratch.toks = NULL;
	L.scratch.ntok = 0;
	L.t = (tok_state){&L.scratch, (const unsigned char *)doc->norm, doc->nlen, 0};
	const unsigned char *s = L.t.s;
	const uint32_t *m = doc->nmap;
	size_t n = doc->nlen, i = 0;
	unsigned pending = 0;
	while (i < n) {
		/* whitespace: the flags of the next token */
		if (run_byte[s[i]] == 1) {
			int nl = 0;
			while (i < n && run_byte[s[i]] == 1)
				nl += s[i++] == '\n';
			pending = SR_TF_SPACE | (nl ? SR_TF_NEWLINE : 0) | (nl >= 2 ? SR_TF_PARA : 0);
			continue;
		}
		if (L.open && !L.midrun && !(L.p & TP_TERM) && !(L.last & TP_ABBREV) &&
		    !(pending & SR_TF_NEWLINE)) {
			/* plain runs up to the next newline or special byte
			   cannot end the sentence (short of the token limit):
			   skip them */
			size_t x = next_event(s, i, n), rs = x;
			if (x < n && s[x] != '\n')
				while (rs > i && run_byte[s[rs - 1]] != 1)
					rs--;
			size_t le = rs;   /* the end of the last run skipped */
			while (le > i && run_byte[s[le - 1]] == 1)
				le--;
			if (le > i && le - L.ns < SR_MAX_SENTENCE_TOKENS) {
				L.ne = (uint32_t)le;
				L.last = L.p = 0;
				L.counted = false;
				i = rs;
				pending = SR_TF_SPACE;
				if (i >= n || run_byte[s[i]] == 1)
					continue;
			}
		}
		size_t a = i;
		for (;;) {
			while (i < n && !run_byte[s[i]])
				i++;
			/* an apostrophe between ASCII letters ("it's", "don't")
			   is inside a word or starts a possessive "'s": neither
			   matters to the sentence rules */
			if (i + 1 < n && s[i] == '\'' && i > a && is_ascii_letter(s[i - 1]) &&
			    is_ascii_letter(s[i + 1])) {
				i++;
				continue;
			}
			/* nor is a point between digits ("3.5", "$1.2"): inside
			   a number, or between numbers with no space to break
			   at; no token ending the run can end a sentence */
			if (i + 1 < n && s[i] == '.' && i > a && s[i - 1] >= '0' && s[i - 1] <= '9' &&
			    s[i + 1] >= '0' && s[i + 1] <= '9') {
				i++;
				continue;
			}
			break;
		}
		bool plain = i >= n || run_byte[s[i]] == 1;
		while (i < n && run_byte[s[i]] != 1)
			i++;
		size_t b = i;
		/* a normalized group (one original character) reaching over
		   the whitespace around the run would join tokens across it */
		if ((a > 0 && m[a] == m[a - 1]) || (b < n && m[b] == m[b - 1]) ||
		    (b + 1 < n && m[b + 1] == m[b]))
			goto whole;
		/* "word." and "1998.": a word (no abbreviation, no initial)
		   or a number, then a full stop that is a token of its own */
		bool stop = !plain && b - a >= 3 && s[b - 1] == '.' && m[b - 1] != m[b - 2] &&
			    plain_stop(s, a, b);
		unsigned c0 = s[a];
		bool exact = !(plain || stop) || (L.open && ((L.last & TP_ABBREV) || L.midrun ||
							    (L.p & TP_DOTS3)));
		bool brk = false;
		if (!exact && L.open) {
			/* split_sentences' rules at the run's first token,
			   whose class and case its first byte gives */
			bool term = L.p & TP_TERM;
			if (pending & SR_TF_PARA)
				brk = true;
			else if (pending & SR_TF_NEWLINE)
				brk = !(c0 >= 'a' && c0 <= 'z' && !term);
			else if (term)   /* can_start */
				brk = (c0 >= 'A' && c0 <= 'Z') || (c0 >= '0' && c0 <= '9') || c0 == '(' ||
				      c0 == '[' || c0 == '-';
			if (!brk && b - L.ns >= SR_MAX_SENTENCE_TOKENS)
				exact = true;
		}
		if (exact || (brk && b - a >= SR_MAX_SENTENCE_TOKENS)) {
			if (L.open && !L.counted && b - L.ns >= SR_MAX_SENTENCE_TOKENS) {
				/* count the open sentence's tokens so far */
				size_t ne = L.ne, cnt = 0;
				L.scratch.ntok = 0;
				tokenize_range(&L.t, L.ns, a, 0);
				for (size_t k = 0; k < L.scratch.ntok && L.scratch.toks[k].nstart < ne; k++)
					cnt++;
				L.cnt = cnt;
				L.counted = true;
			}
			lite_exact(&L, a, b, pending);
			pending = 0;
			continue;
		}
		/* a plain run, or one ending in a full stop: only its first
		   token can end a sentence, and nothing in it but that stop
		   matters to the rules after it */
		if (!L.open || brk) {
			lite_close(&L);
			lite_open(&L, (uint32_t)a, (uint32_t)b, false, false, 0);
		} else {
			L.counted = false;
			L.ne = (uint32_t)b;
		}
		L.last = L.p = stop ? TP_TERM : 0;
		pending = 0;
	}
	lite_close(&L);
	free(L.scratch.toks);
	*spans = L.spans;
	return L.nspans;
whole:
	/* the general way: tokenize everything */
	free(L.scratch.toks);
	free(L.spans);
	L.scratch.toks = NULL;
	L.scratch.ntok = 0;
	L.scratch.sents = NULL;
	L.scratch.nsent = 0;
	tokenize(&L.scratch);
	split_sentences(&L.scratch);
	uint32_t *sp = L.scratch.nsent ? sr_malloc(2 * L.scratch.nsent * sizeof *sp) : NULL;
	for (size_t k = 0; k < L.scratch.nsent; k++) {
		const sr_sentence *st = &L.scratch.sents[k];
		const sr_token *f = &L.scratch.toks[st->tok], *l = &L.scratch.toks[st->tok + st->ntok - 1];
		sp[2 * k] = f->nstart;
		sp[2 * k + 1] = l->nstart + l->len;
	}
	free(L.scratch.toks);
	free(L.scratch.sents);
	*spans = sp;
	return L.scratch.nsent;
}

void
sr_doc_analyze(sr_doc *doc)
{
	if (doc->norm && doc->toks)
		return;
	if (!doc->norm)
		sr_normalize(doc);   /* else normalized by sr_doc_sentence_spans */
	tokenize(doc);
	split_sentences(doc);
	/* the arrays grew by doubling: give the slack back before the
	   recognizer and the extractor add theirs (a large report's tokens
	   and map are most of its memory; see issue 16) */
	if (doc->ntok > 4096)
		doc->toks = sr_realloc(doc->toks, doc->ntok * sizeof *doc->toks);
	if (doc->nlen > 65536)
		doc->nmap = sr_realloc(doc->nmap, (doc->nlen + 1) * sizeof *doc->nmap);
}

void
sr_doc_free(sr_doc *doc)
{
	if (!doc)
		return;
	free(doc->id);
	free(doc->url);
	free(doc->outlet);
	free(doc->title);
	free(doc->origin);
	free(doc->lang);
	free(doc->text);
	free(doc->norm);
	free(doc->nmap);
	free(doc->toks);
	free(doc->sents);
	sr_doc_page_free(doc->page);
	free(doc);
}
