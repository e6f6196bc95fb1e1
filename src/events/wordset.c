/*
 * wordset.c -- "is this token one of these words?" as one hash probe.
 *
 * The rules of the event stage ask, for most tokens of a sentence and
 * several times per token, whether the token is one of a '|'-separated
 * list of words ("from|to|with|...").  Scanning the list each time was
 * the stage's main cost.  Here each list is compiled, the first time it
 * is asked about, into a small open-addressing set of the hashes of its
 * words, and found again by the list's address; a question is then the
 * hash of the token and a probe or two.  The vocabulary lists are the
 * word classes of data/classes.tsv (ev_class); the few lists still written
 * at a rule are grammar (articles, auxiliaries, prepositions, pronouns).
 *
 * The first EV_LIST_BITS lists compiled also get a bit each: every word
 * of any list is a word of one vocabulary, which holds for each word
 * the bits of the lists it is in, and each token of the document given
 * to ev_words_doc gets the bits of its word (one probe, when it is first
 * asked about; its hash is made then too: most tokens never are).  A question
 * about a token of that document is then a bit test; a list compiled in
 * the middle of a document sets its bit on that document's tokens at
 * once.  The answer is ev_tok_in's: words are told apart by their
 * length and their 64-bit hash, which is a bijection of the folded
 * bytes for words of up to 8 bytes (no two differ in it) and, for
 * longer ones, collides with a probability near 2^-64 per question (as
 * the lexicon's names, lexicon_int.h); comparing the words' bytes as
 * well cost a cache miss per question on the list's text.  The sets are a cache of one extractor, so they
 * are not shared between threads; they grow with the lists of the
 * program's text, never with the input.
 */
#include "ev.h"

#include <stdlib.h>

typedef struct {
	uint64_t h;
	const char *w;         /* into the list; NULL = empty slot */
	uint32_t n;
} set_slot;

/* a word of the vocabulary: its hash, length and number (0: empty) */
typedef struct {
	uint64_t h;
	uint32_t n;
	uint32_t id;
} voc_slot_t;

typedef struct {
	const char *list;      /* the key: the list's address; NULL = free */
	set_slot *slot;
	size_t mask;
	uint64_t lens;         /* bit n: a word of n bytes (63: 63 or more) */
	int bit;               /* its bit in the tokens' bits, or -1 */
} word_set;

/* Lists with a bit of their own (the rest are probed by hash). */
#define EV_LIST_WORDS EV_BIT_WORDS
#define EV_LIST_BITS (EV_LIST_WORDS * 64)

/* The vocabulary is found by hash; a filter of 2^16 bits, by the
 * hash's top 16 bits, says at once of most tokens that they are none
 * of its words. */
#define VOC_FILTER_WORDS 1024

struct ev_words {
	word_set *sets;        /* open addressing by list address */
	size_t setcap, nsets;
	int nbits;             /* list bits given so far */
	/* the vocabulary: the words of the lists with a bit */
	voc_slot_t *voc;       /* by hash; .id 0 = empty */
	size_t vocmask, nvoc;
	uint64_t *vb;          /* per word number: EV_LIST_WORDS words of
				  bits of its lists; number 0: none */
	size_t capvb;
	uint64_t filter[VOC_FILTER_WORDS];
	/* the document last given to ev_words_doc */
	const sr_token *toks;
	size_t ntok;
	const char *norm, *norm_end;   /* its text, and one past its NUL */
	const char *end;       /* the document's text may be read up to here
				  (fold_hash_in), or NULL: each token alone */
	uint64_t *th;          /* per token: ev_fold_hash of it, made when
				  first asked for (0: not yet; no hash is 0) */
	uint32_t *tv;          /* per token: its word's number, 0: none */
	size_t capth;
	ev_bitview view;       /* what ev_in reads */
};

/* Eight bytes with their ASCII capitals lower-cased, all at once. */
static inline uint64_t
fold8(uint64_t x)
{
	uint64_t low7 = x & 0x7f7f7f7f7f7f7f7fULL;
	uint64_t ge_a = low7 + 0x3f3f3f3f3f3f3f3fULL;   /* high bit: >= 'A' */
	uint64_t gt_z = low7 + 0x2525252525252525ULL;   /* high bit: > 'Z' */
	uint64_t upper = (ge_a ^ gt_z) & ~x & 0x8080808080808080ULL;
	return x | (upper >> 2);                        /* + 0x20 */
}

static inline uint64_t
mix(uint64_t h)
{
	h ^= h >> 31;
	h *= 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 29);
}

/* ev_fold_hash of [s, s+n), where the bytes up to end may be read: the
 * last 1 to 7 bytes are one 8-byte load when there is room for it. */
static inline uint64_t
fold_hash_in(const char *s, size_t n, const char *end)
{
	uint64_t h = mix(n + 1);
	for (; n >= 8; s += 8, n -= 8) {
		uint64_t x;
		memcpy(&x, s, 8);
		h = mix(h ^ fold8(x));
	}
	if (n) {
		uint64_t x;
		bool room = end - s >= 8;
#if !(defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__)
		room = false;   /* the mask keeps the first n bytes on little-endian only */
#endif
		if (room) {
			memcpy(&x, s, 8);
			x &= ~0ULL >> (64 - 8 * n);
		} else {
			unsigned char b[8] = {0};
			memcpy(b, s, n);
			memcpy(&x, b, 8);
		}
		h = mix(h ^ fold8(x));
	}
	return h ? h : 1;   /* 0 marks an empty slot of the trigger index */
}

uint64_t
ev_fold_hash(const char *s, size_t n)
{
	return fold_hash_in(s, n, s + n);
}

ev_words *
ev_words_new(void)
{
	ev_words *w = sr_calloc(1, sizeof *w);
	w->setcap = 128;
	w->sets = sr_calloc(w->setcap, sizeof *w->sets);
	w->vocmask = 1023;
	w->voc = sr_calloc(w->vocmask + 1, sizeof *w->voc);
	w->capvb = 512;
	w->vb = sr_calloc(w->capvb * EV_LIST_WORDS, sizeof *w->vb);
	w->view.vb = w->vb;
	w->view.words = w;
	return w;
}

void
ev_words_free(ev_words *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->setcap; i++)
		free(w->sets[i].slot);
	free(w->sets);
	free(w->voc);
	free(w->vb);
	free(w->th);
	free(w->tv);
	free(w);
}

/* The vocabulary slot of the word of hash h and length n: its own, or
 * the empty one where it would go. */
static inline size_t
voc_slot(const ev_words *w, uint64_t h, size_t n)
{
	size_t i = h & w->vocmask;
	for (; w->voc[i].id; i = (i + 1) & w->vocmask)
		if (w->voc[i].h == h && w->voc[i].n == n)
			break;
	return i;
}

static void
voc_grow(ev_words *w)
{
	voc_slot_t *old = w->voc;
	size_t oldcap = w->vocmask + 1;
	w->vocmask = oldcap * 2 - 1;
	w->voc = sr_calloc(oldcap * 2, sizeof *w->voc);
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].id)
			continue;
		w->voc[voc_slot(w, old[i].h, old[i].n)] = old[i];
	}
	free(old);
}

/* The number of the word of hash h and length n; 0 if it is none. */
static inline uint32_t
voc_id(const ev_words *w, uint64_t h, size_t n)
{
	if (!(w->filter[h >> 54] >> (h >> 48 & 63) & 1))
		return 0;
	return w->voc[voc_slot(w, h, n)].id;
}

/* The number of the word of slot e, given now if it has none. */
static uint32_t
voc_add(ev_words *w, const set_slot *e)
{
	if ((w->nvoc + 1) * 2 > w->vocmask + 1)
		voc_grow(w);
	size_t j = voc_slot(w, e->h, e->n);
	if (w->voc[j].id)
		return w->voc[j].id;
	w->voc[j] = (voc_slot_t){e->h, e->n, (uint32_t)++w->nvoc};
	w->filter[e->h >> 54] |= 1ULL << (e->h >> 48 & 63);
	if (w->nvoc + 1 > w->capvb) {
		size_t cap = w->capvb * 2;
		w->vb = sr_realloc(w->vb, cap * EV_LIST_WORDS * sizeof *w->vb);
		memset(w->vb + w->capvb * EV_LIST_WORDS, 0, (cap - w->capvb) * EV_LIST_WORDS * sizeof *w->vb);
		w->capvb = cap;
		w->view.vb = w->vb;
	}
	return w->voc[j].id;
}

void
ev_words_doc(ev_words *w, const sr_doc *doc)
{
	if (doc->ntok > w->capth) {
		w->capth = doc->ntok;
		free(w->th);
		free(w->tv);
		w->th = sr_malloc(w->capth * sizeof *w->th);
		w->tv = sr_malloc(w->capth * sizeof *w->tv);
	}
	w->toks = doc->toks;
	w->ntok = doc->ntok;
	w->view.toks = doc->toks;
	w->view.ntok = doc->ntok;
	w->view.tv = w->tv;
	/* tokens are slices of doc->norm, which is read up to its NUL, in
	 * text order (sr_doc_analyze): the first and the last say so of
	 * all, once a report instead of a test a token */
	const char *lo = doc->norm, *end = doc->norm ? doc->norm + doc->nlen + 1 : NULL;
	const sr_token *last = doc->ntok ? &doc->toks[doc->ntok - 1] : NULL;
	w->end = lo && last && doc->toks[0].s >= lo && last->s + last->len < end ? end : NULL;
	w->norm = lo;
	w->norm_end = end;
	/* the hashes and the words' numbers are made when first asked for
	 * (token_hash, ev_bit_tv): most tokens never are (the first words
	 * of triggers are asked about after a test of their letters,
	 * ev_tables_may_start) */
	memset(w->th, 0, doc->ntok * sizeof *w->th);
	memset(w->tv, 0xFF, doc->ntok * sizeof *w->tv);
}

/* The hash of token i of the current document, made now if not yet. */
static inline uint64_t
tok_hash_at(const ev_words *w, size_t i)
{
	uint64_t h = w->th[i];
	if (h)
		return h;
	const sr_token *k = &w->toks[i];
	const char *end = w->end;
	if (!end) {
		bool inside = w->norm && k->s >= w->norm && k->s + k->len < w->norm_end;
		end = inside ? w->norm_end : k->s + k->len;
	}
	return w->th[i] = fold_hash_in(k->s, k->len, end);
}

uint32_t
ev_words_tv(const ev_bitview *v, size_t i)
{
	ev_words *w = v->words;
	const sr_token *k = &w->toks[i];
	return w->tv[i] = voc_id(w, tok_hash_at(w, i), k->len);
}

static inline uint64_t
token_hash(const ev_words *w, const sr_token *k)
{
	uintptr_t p = (uintptr_t)k, b = (uintptr_t)w->toks;
	if (w->toks && p >= b && p < b + w->ntok * sizeof *k)
		return tok_hash_at(w, (size_t)(k - w->toks));
	return ev_fold_hash(k->s, k->len);
}

/* Can the list word [s, s+n) match a token?  ev_tok_in compares the
 * folded first byte of the token with the word's first byte as written,
 * so a word written with a capital first letter never matches; an empty
 * word never does. */
static bool
word_usable(const char *s, size_t n)
{
	return n > 0 && !(s[0] >= 'A' && s[0] <= 'Z');
}

/* Calls put(st, word, n) for each usable word of list; returns how many. */
static size_t
each_word(const char *list, word_set *st, void (*put)(word_set *, const char *, size_t))
{
	size_t count = 0;
	for (const char *s = list; *s;) {
		const char *b = s;
		while (*s && *s != '|')
			s++;
		if (word_usable(b, (size_t)(s - b))) {
			count++;
			if (put)
				put(st, b, (size_t)(s - b));
		}
		if (*s)
			s++;
	}
	return count;
}

static void
set_put(word_set *st, const char *s, size_t n)
{
	uint64_t h = ev_fold_hash(s, n);
	st->lens |= 1ULL << (n < 63 ? n : 63);
	size_t i = h & st->mask;
	while (st->slot[i].w)
		i = (i + 1) & st->mask;
	st->slot[i] = (set_slot){h, s, (uint32_t)n};
}

static void
set_build(word_set *st, const char *list)
{
	size_t n = each_word(list, NULL, NULL);
	size_t cap = 8;
	while (cap < n * 2 + 2)
		cap *= 2;
	st->list = list;
	st->mask = cap - 1;
	st->bit = -1;
	st->slot = sr_calloc(cap, sizeof *st->slot);
	each_word(list, st, set_put);
}

static bool set_has(const word_set *st, uint64_t h, const sr_token *k);

/* Gives the new set st a list bit, if any is left: its words join the
 * vocabulary with that bit, and the tokens of the current document
 * that are its words get it. */
static void
set_give_bit(ev_words *w, word_set *st, int fixed)
{
	int b = fixed;
	if (b < 0) {
		if (w->nbits >= EV_LIST_BITS)
			return;
		b = w->nbits++;
	} else if (b >= w->nbits) {
		w->nbits = b + 1;
	}
	st->bit = b;
	for (size_t i = 0; i <= st->mask; i++) {
		if (!st->slot[i].w)
			continue;
		uint32_t id = voc_add(w, &st->slot[i]);
		w->vb[(size_t)id * EV_LIST_WORDS + (b >> 6)] |= 1ULL << (b & 63);
	}
	/* the tokens of the current document that are words just added */
	for (size_t i = 0; i < w->ntok; i++)
		if (!w->tv[i] && set_has(st, tok_hash_at(w, i), &w->toks[i]))
			w->tv[i] = voc_id(w, tok_hash_at(w, i), w->toks[i].len);
	/* (numbers not yet found, EV_TV_UNKNOWN, will be found with it) */
}

static size_t
set_home(const char *list, size_t mask)
{
	uint64_t p = (uint64_t)(uintptr_t)list;
	return (size_t)((p * 0x9E3779B97F4A7C15ULL) >> 32) & mask;
}

static void
sets_grow(ev_words *w)
{
	word_set *old = w->sets;
	size_t oldcap = w->setcap;
	w->setcap *= 2;
	w->sets = sr_calloc(w->setcap, sizeof *w->sets);
	for (size_t i = 0; i < oldcap; i++) {
		if (!old[i].list)
			continue;
		size_t j = set_home(old[i].list, w->setcap - 1);
		while (w->sets[j].list)
			j = (j + 1) & (w->setcap - 1);
		w->sets[j] = old[i];
	}
	free(old);
}

/* The set of list, compiled now if it is new (with list bit fixed, if
 * >= 0 and the list is new). */
static inline const word_set *
set_of_bit(ev_words *w, const char *list, int fixed)
{
	size_t mask = w->setcap - 1;
	size_t i = set_home(list, mask);
	while (w->sets[i].list) {
		if (w->sets[i].list == list)
			return &w->sets[i];
		i = (i + 1) & mask;
	}
	if ((w->nsets + 1) * 2 > w->setcap) {
		sets_grow(w);
		return set_of_bit(w, list, fixed);
	}
	set_build(&w->sets[i], list);
	set_give_bit(w, &w->sets[i], fixed);
	w->nsets++;
	return &w->sets[i];
}

static inline const word_set *
set_of(ev_words *w, const char *list)
{
	return set_of_bit(w, list, -1);
}

void
ev_words_fix(ev_words *w, const char *list, int bit)
{
	set_of_bit(w, list, bit);
}

const ev_bitview *
ev_words_view(const ev_words *w)
{
	return &w->view;
}

/* Is token k, of hash h, a word of set st?  By the set's hashes. */
static bool
set_has(const word_set *st, uint64_t h, const sr_token *k)
{
	if (!(st->lens >> (k->len < 63 ? k->len : 63) & 1))
		return false;   /* no word of its length (nor an empty token) */
	for (size_t i = h & st->mask; st->slot[i].w; i = (i + 1) & st->mask)
		if (st->slot[i].h == h && st->slot[i].n == k->len)
			return true;    /* the same word (see the top) */
	return false;
}

static inline __attribute__((always_inline)) bool
words_has(ev_words *w, const sr_token *k, const char *list)
{
	const word_set *st = set_of(w, list);
	/* no word of the list has the token's length (most questions
	 * about a literal list: "dozens|hundreds|thousands"): no need of
	 * its word's number */
	if (!(st->lens >> (k->len < 63 ? k->len : 63) & 1))
		return false;
	uintptr_t p = (uintptr_t)k, b = (uintptr_t)w->toks;
	if (st->bit >= 0 && w->toks && p >= b && p < b + w->ntok * sizeof *k)
		return w->vb[(size_t)ev_bit_tv(&w->view, (size_t)(k - w->toks)) * EV_LIST_WORDS + (st->bit >> 6)] >>
		       (st->bit & 63) & 1;
	return set_has(st, token_hash(w, k), k);
}

uint64_t
ev_words_hash(const ev_words *w, const sr_token *k)
{
	return token_hash(w, k);
}

bool
ev_words_has(ev_words *w, const sr_token *k, const char *list)
{
	return words_has(w, k, list);
}

bool
ev_in_sets(const ev_tables *t, const sr_token *k, const char *list)
{
	return t->words ? words_has(t->words, k, list) : ev_tok_in(k, list);
}
