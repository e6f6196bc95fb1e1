/*
 * sr_internal.h -- helpers shared by the library's modules, never by its
 * clients (the CLI includes only sitrep.h).
 *
 * Out-of-memory policy: every allocation goes through sr_malloc & co.,
 * which call the program's handler (sr_set_oom_handler) or print a
 * message and exit with status 2 when no memory is left.  Nothing else in
 * the library checks for NULL from an allocation; a report too large for
 * the memory limit is turned away before analysis (sr_doc_memory_check).
 */
#ifndef SR_INTERNAL_H
#define SR_INTERNAL_H

#include "sitrep.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define SR_UNUSED(x) ((void)(x))
#define SR_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define SR_STR_(x) #x
#define SR_STR(x) SR_STR_(x)

/* ------------------------------------------------------------ allocation */

/* Does what an allocation that failed does (the handler, or a message
 * and exit 2), for memory not taken through sr_malloc (aligned_alloc). */
void sr_oom(size_t n);
void *sr_malloc(size_t n);
void *sr_calloc(size_t n, size_t size);
void *sr_realloc(void *p, size_t n);
char *sr_strdup(const char *s);
char *sr_strndup(const char *s, size_t n);
/* Grows *p (an array of *cap elements of size elem) to hold at least need
 * elements, doubling.  SR_GROW checks the room inline and calls it only
 * to grow. */
void sr_grow(void **p, size_t *cap, size_t need, size_t elem);
/* Bytes of address space the process may still map under its limit
 * (ulimit -v), SIZE_MAX when there is none; *limit (may be NULL) gets the
 * limit. */
size_t sr_mem_left(size_t *limit);
#define SR_GROW(arr, cap, need) \
	((size_t)(need) <= (cap) ? (void)0 : sr_grow((void **)&(arr), &(cap), (need), sizeof(*(arr))))

/* ----------------------------------------------------------------- arena */

/* A bump allocator for per-document scratch memory: allocate freely, then
 * sr_arena_reset once the document is done.  Memory is 16-byte aligned. */
typedef struct sr_arena_block sr_arena_block;
typedef struct sr_arena {
	sr_arena_block *head;
	size_t used;     /* in head */
} sr_arena;

void *sr_arena_alloc(sr_arena *a, size_t n);
char *sr_arena_strndup(sr_arena *a, const char *s, size_t n);
void sr_arena_reset(sr_arena *a);   /* keeps the first block */
void sr_arena_free(sr_arena *a);

/* ---------------------------------------------------------------- buffer */

/* A growable byte buffer, always NUL-terminated when ptr != NULL. */
typedef struct sr_buf {
	char *ptr;
	size_t len, cap;
} sr_buf;

void sr_buf_add(sr_buf *b, const void *p, size_t n);
void sr_buf_addc(sr_buf *b, char c);
void sr_buf_adds(sr_buf *b, const char *s);
/* Appends the decimal digits of v (printf's "%lld" without its cost). */
void sr_buf_addll(sr_buf *b, long long v);
/* v in decimal at the end of d[24]: its first character's index. */
static inline size_t
sr_ll_digits(char d[24], long long v)
{
	size_t k = 24;
	unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do {
		d[--k] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		d[--k] = '-';
	return k;
}
void sr_buf_printf(sr_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sr_buf_json_str(sr_buf *b, const char *s, size_t n);
/* Writes s (n bytes) as a JSON string, quotes included, into out, which
 * has room for n * 6 + 2 bytes; returns the bytes written.  The one JSON
 * string escaper of the project. */
size_t sr_json_escape(char *out, const char *s, size_t n);
void sr_buf_reset(sr_buf *b);
void sr_buf_free(sr_buf *b);

/* ------------------------------------------------------------------ utf8 */

/* Decodes one UTF-8 character at s (n bytes available).  Returns its
 * length (1..4) and stores the code point in *cp; returns 0 for an invalid
 * or truncated sequence (then *cp = 0xFFFD and one byte should be
 * skipped). */
int sr_utf8_decode(const unsigned char *s, size_t n, int32_t *cp);
/* Encodes cp into out (4 bytes room); returns the length. */
int sr_utf8_encode(int32_t cp, char *out);
/* Copies s replacing every invalid sequence with U+FFFD; returns a new
 * NUL-terminated string and stores its length and the number of
 * replacements. */
char *sr_utf8_repair(const char *s, size_t n, size_t *outlen, size_t *nbad);
/* Number of invalid sequences in s. */
size_t sr_utf8_count_invalid(const char *s, size_t n);

/* ----------------------------------------------------------------- misc */

/* 64-bit FNV-1a hash. */
uint64_t sr_hash64(const void *p, size_t n);
/* The lower case of an ASCII letter; any other byte as it is (what
 * tolower does in the C locale, which sitrep never leaves). */
static inline int
sr_ascii_lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* ASCII case-insensitive comparison of n bytes (inline: the rules and
 * the recognizer call it for most tokens). */
static inline int
sr_strncasecmp_ascii(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ca = sr_ascii_lower((unsigned char)a[i]);
		int cb = sr_ascii_lower((unsigned char)b[i]);
		if (ca != cb)
			return ca - cb;
		if (!ca)
			return 0;
	}
	return 0;
}

/* Does [s, s+n) hold exactly the NUL-terminated word w, ignoring ASCII
 * case?  (One pass, no strlen; inline, as the rules ask it of most
 * tokens with a literal word.) */
static inline bool
sr_eq_ci(const char *s, size_t n, const char *w)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char a = (unsigned char)s[i], b = (unsigned char)w[i];
		if (!b || (a != b && sr_ascii_lower(a) != sr_ascii_lower(b)))
			return false;
	}
	return w[n] == 0;
}
/* Is "YYYY-MM-DD" a valid calendar date (1000-2999)? */
bool sr_valid_date(const char *s);

/* ------------------------------------------------------- deferred pages */

/* Frees what an unread page (sr_doc.page, SR_READ_DEFER) holds; accepts
 * NULL (src/text/reader.c). */
void sr_doc_page_free(struct sr_doc_page *pg);

/* ------------------------------------------------ lexicon: before finding */

/* The kinds of names sr_recognizer_may_find is asked about. */
enum {
	SR_MAY_FORCE = 1u,      /* an armed force: an actor of type
				   state_military, coalition or armed_group */
	SR_MAY_ARMED = 2u       /* an actor, a place of type country or
				   demonym, a place of precision site, or a
				   name of type state_military, government or
				   official */
};

/* May sr_recognize find in doc (analyzed) a name of one of the kinds
 * `want` says?  False only when it cannot: no word of the report starts
 * a name of the lexicon that may be one, a force phrase after a country
 * or a demonym, a site's shape, or a capital (read as its government),
 * whatever the case, capitals and context that the recognizer then
 * weighs.  Much cheaper than finding the names: most words are tested
 * against small bit sets only. */
bool sr_recognizer_may_find(const sr_recognizer *r, const sr_doc *doc, unsigned want);

/* ------------------------------------------------ lexicon: spelling lookup */

/* The place of the lexicon that the name [s, s+n) names, as written or
 * in a common spelling variant ("Tarhouna" for Tarhuna, "Mekelle" for
 * Mekele), in country cc (NULL or "": any country, then only a country
 * or a town of at least 100,000 people), of that precision (site, town,
 * region, country; NULL: any).  Fills out (strings owned by the lexicon)
 * and returns SR_OK, else SR_END. */
int sr_lexicon_find_place(const sr_lexicon *lx, const char *s, size_t n, const char *cc, const char *precision,
			  sr_entity *out);

/* -------------------------------------------------- syntax: lemmas */

/* With on, sr_parse_sentence gives lemmas to the words whose relation is
 * case (or a subtype) only, and NULL to the others: the event rules read
 * no other lemma, and the others are a cost of every parse.  Tagging
 * alone (sr_tag_sentence) still gives every lemma.  Off by default
 * (src/syntax/words.c). */
void sr_parser_case_lemmas(sr_parser *p, bool on);

/* The parse of a sentence in two steps, for a caller that may decide
 * from the tags alone that it needs no tree: sr_parser_tag tags sentence
 * `sentence` (upos and xpos; no lemma, every head -1 and deprel
 * SR_DEP_NONE), and sr_parser_finish then gives the same words the
 * tree and lemmas: *out is then what sr_parse_sentence would give, word
 * for word.  Words owned by the parser as for sr_parse_sentence.
 * sr_parser_finish returns SR_ERR_USAGE (out untouched) unless the last
 * call on p was sr_parser_tag. */
int sr_parser_tag(sr_parser *p, const sr_doc *doc, size_t sentence, sr_parse *out);
int sr_parser_finish(sr_parser *p, sr_parse *out);

/* Eight bytes at a time (util.c, normalize.c, jsonline.c): 0x80 in each
 * byte of the result that is below lim (lim <= 0x80) or equal to c
 * (exact as a yes/no test, which is all it is used for; the byte loop
 * after it decides). */
#define SWAR_ONES 0x0101010101010101ULL
#define SWAR_HIGH 0x8080808080808080ULL
static inline uint64_t
swar_below(uint64_t v, unsigned lim)
{
	return (v - SWAR_ONES * lim) & ~v & SWAR_HIGH;
}
static inline uint64_t
swar_equal(uint64_t v, unsigned c)
{
	uint64_t x = v ^ (SWAR_ONES * c);
	return (x - SWAR_ONES) & ~x & SWAR_HIGH;
}

#endif /* SR_INTERNAL_H */
