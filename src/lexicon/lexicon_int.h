/*
 * lexicon_int.h -- the lexicon's private structures, shared by its loader
 * (load.c), its name folding (fold.c) and the recognizer (match.c).
 *
 * Every name (alias) of every entry is cut into tokens the way the
 * tokenizer cuts text, each token folded (fold.c) and the sequence hashed
 * (lx_seq).  One open-addressing table maps a sequence hash to the list of
 * entries bearing that name; the hashes of proper prefixes of longer names
 * are in the same table with LX_SLOT_PREFIX so that the recognizer can
 * stop extending a match as soon as no name continues it.  Names are
 * identified by their 64-bit hash alone (no string compare): with a few
 * hundred thousand names a false hit has a probability near 1e-14 per
 * lookup.
 */
#ifndef SR_LEXICON_INT_H
#define SR_LEXICON_INT_H

#include "../sr_internal.h"

#include <stdio.h>

#define LX_MAX_NAME_TOKENS 10   /* longest name, in tokens */
#define LX_MAX_KEY 128          /* longest folded token kept, in bytes */
#define LX_MAX_DIRS 17          /* the data folder + 16 --lexicon folders */
/* sizes of the first-token bit sets (bits, powers of two): every name
 * (~140,000 first tokens), names that may start in lower case (~100: a
 * small set stays in the L1 cache for the many lower-case words of a
 * text), shapes (~50) */
#define LX_FIRST_BITS (1u << 21)
#define LX_LOWER_BITS (1u << 15)
#define LX_SHAPE_BITS (1u << 12)
#define LX_WORD_BITS (1u << 15)   /* words.tsv (~800) */
#define LX_LOWER4_BITS (1u << 16) /* first 4 bytes of lower-case first words */
#define LX_SEQ_BITS (1u << 20)    /* keys of 2+ words of names (~45,000) */
/* sr_recognizer_may_find's sets: first tokens of the names that may name
 * an actor, a country, a site or a capital (~6,000), of those that may
 * name an armed force (~1,000), first words of force phrases and of site
 * shapes (~100 each) */
#define LX_WANT_BITS (1u << 17)
#define LX_WANT_SMALL_BITS (1u << 12)
#define LX_BIT_TEST(set, nbits, h) (((set)[((h) >> 6) & ((nbits) / 64 - 1)] >> ((h) & 63)) & 1u)
#define LX_BIT_SET(set, nbits, h) ((set)[((h) >> 6) & ((nbits) / 64 - 1)] |= 1ull << ((h) & 63))

/* where an entry comes from: the order is the order of preference */
enum lx_src {
	LX_SRC_CURATED = 0,     /* places.tsv, actors.tsv of a data folder */
	LX_SRC_COUNTRY,         /* countries of the gazetteer */
	LX_SRC_REGION,          /* regions and continents of the gazetteer */
	LX_SRC_TOWN,            /* populated places of the gazetteer */
	LX_SRC_DEMONYM,         /* "Syrian": an actor only before a force noun */
	LX_SRC_FORCE            /* a force noun phrase ("security forces") */
};

typedef struct lx_entry {
	const char *id;
	const char *name;
	const char *type;       /* base, town, country, state_military ... */
	const char *precision;  /* places: site, town, region, country */
	char admin1[8];         /* GeoNames admin1 code, zero-padded; "" if
				   unknown or longer than 7 bytes (none
				   is); in the entry: resolving reads it
				   often */
	char country[3];        /* ISO 3166-1 alpha-2, "" if none */
	uint8_t kind;           /* SR_ENT_PLACE | SR_ENT_ACTOR */
	uint8_t src;            /* enum lx_src */
	uint8_t has_coord;
	uint8_t feat;           /* town rank: 3 capital, 2 admin seat, 1 other;
				   a force phrase: 1 when it may name an armed
				   force (load.c mark_forces) */
	uint8_t metonym;        /* an actor that is also a place (Damascus) */
	float lat, lon;
	uint32_t pop;
	float base;             /* the score of the entry before context
				   (match.c score(); computed once at load) */
} lx_entry;

/* one name of one entry */
#define LX_REF_CS     0x01u   /* matches only in exactly this case */
#define LX_REF_CAP    0x02u   /* the text must be capitalized */
/* copies of the entry's source, so that the recognizer tests a name
 * without reading its entry (a cache miss) */
#define LX_REF_CURATED 0x04u  /* entry src LX_SRC_CURATED */
#define LX_REF_NOTAG   0x08u  /* a town or demonym: never a hashtag */
#define LX_REF_NATION  0x10u  /* a demonym or a country: maybe a force */
typedef struct lx_ref {
	uint32_t entry;
	uint8_t flags;
	/* LX_REF_CAP: bit k set when the name writes its token k (bare
	 * articles not counted) in lower case ("Iraq's Kurdish region":
	 * "s" and "region"); the text may then do the same */
	uint16_t lower;
	const char *exact;      /* LX_REF_CS: the alias as written */
} lx_ref;

#define LX_SLOT_USED   0x01u
#define LX_SLOT_PREFIX 0x02u
typedef struct lx_slot {
	uint64_t key;
	uint32_t first;         /* into refs */
	uint16_t count;
	uint16_t flags;
} lx_slot;

typedef struct lx_table {
	lx_slot *slots;
	size_t mask;            /* capacity - 1, a power of two */
	size_t used;
} lx_table;

struct sr_lexicon {
	sr_arena pool;          /* strings and entries' text */
	lx_entry *entries;
	size_t nentries, capentries;
	lx_ref *refs;
	size_t nrefs;
	lx_table names;         /* places, actors, demonyms */
	lx_table forces;        /* force noun phrases */
	lx_table shapes;        /* site and region nouns (shapes.tsv) */
	lx_table words;         /* single folded words: words.tsv */
	lx_table ids;           /* id hash -> entry (first) */
	char *gazbuf;           /* the gazetteer file: its strings */
	size_t gaz_first, ngaz; /* its entries, sorted by id */
	/* quick rejection: bit (hash of a name's first folded token) set in
	 * first_any for every name, in first_lower for names that may start
	 * in lower case.  Most tokens of a text start no name. */
	uint64_t *first_any;
	/* bit (sequence hash) set for every key of two or more tokens of
	 * names: most words after the first word of a name continue no
	 * name, and this set (in the L2 cache) says so without a miss in
	 * the large table */
	uint64_t *seq_bits;
	uint64_t first_lower[LX_LOWER_BITS / 64];
	/* bit lx_lower4(first 4 bytes of the folded key) set for the first
	 * word of every name that may start in lower case: a lower-case
	 * word of the text that misses it starts no name, known without
	 * hashing it (8 KB: stays in the L1 cache) */
	uint64_t lower4[LX_LOWER4_BITS / 64];
	uint64_t shape_first[LX_SHAPE_BITS / 64];  /* the same for shapes */
	uint64_t word_bits[LX_WORD_BITS / 64];     /* and for words */
	/* sr_recognizer_may_find: bit (hash of a name's first folded token)
	 * set in want_armed for every name of an entry that is an actor, a
	 * country, a demonym, a site, of a state's kind or a capital; in
	 * want_force for every name of an armed force (state military,
	 * coalition, armed group); in force_first for the first word of every
	 * force phrase, in site_first for that of every site shape; want4
	 * has the bit lx_lower4 of the first 4 bytes of those two kinds of
	 * words (lower case, so the recognizer leaves them lazy) */
	uint64_t want_armed[LX_WANT_BITS / 64];
	uint64_t want_force[LX_WANT_BITS / 64];
	uint64_t force_first[LX_WANT_SMALL_BITS / 64];
	uint64_t site_first[LX_WANT_SMALL_BITS / 64];
	uint64_t want4[LX_LOWER4_BITS / 64];
	/* some state's government ("CC.GOV", which a capital may name:
	 * match.c capital_actor) is an armed force */
	bool gov_force;
	char *dirs[LX_MAX_DIRS];
	int ndirs;
	/* image.c: the file the arrays above point into when the lexicon
	 * was read from its image (then they are not freed one by one) */
	void *image;
	size_t image_len;
};

/* A hash-table value for lx_table words: what a word is. */
#define LX_WORD_NOTPLACE  0x01u   /* a common word, never a town alone */
#define LX_WORD_TITLE     0x02u   /* a title before a person's name */
#define LX_WORD_SAYS      0x04u   /* a verb after a person's name */
#define LX_WORD_LOWER     0x08u   /* an inner word allowed in lower case */
#define LX_WORD_ACTVERB   0x10u   /* a verb that makes a metonym an actor */

/* What an entry may give sr_recognizer_may_find's questions: an armed
 * force (a state's military, a coalition, an armed group: the actors of
 * rank 2 of the events); an actor, a country, a demonym, a site, a place
 * of a state's kind, or a capital (a capital may be read as its
 * government: match.c capital_actor). */
#define LX_WANTS_FORCE 1u
#define LX_WANTS_ARMED 2u
#define LX_WANTS_NATION 4u      /* a country or a demonym: before a force
				   phrase, a force (match.c try_force) */
#define LX_WANTS_CAPITAL 8u     /* a capital: its government "CC.GOV" */
static inline unsigned
lx_entry_wants(const lx_entry *e)
{
	const char *t = e->type ? e->type : "";
	unsigned w = 0;
	if (e->kind == SR_ENT_ACTOR &&
	    (!strcmp(t, "state_military") || !strcmp(t, "coalition") || !strcmp(t, "armed_group")))
		w |= LX_WANTS_FORCE;
	if (e->src == LX_SRC_COUNTRY || e->src == LX_SRC_DEMONYM)
		w |= LX_WANTS_NATION;
	if (e->kind == SR_ENT_ACTOR || (w & LX_WANTS_NATION) ||
	    (e->precision && !strcmp(e->precision, "site")) || !strcmp(t, "country") ||
	    !strcmp(t, "state_military") || !strcmp(t, "government") || !strcmp(t, "official") ||
	    (e->src == LX_SRC_TOWN && e->feat == 3))
		w |= LX_WANTS_ARMED;
	if (e->src == LX_SRC_TOWN && e->feat == 3)
		w |= LX_WANTS_CAPITAL;
	return w;
}

/* ---- fold.c */

/* Folds one token for matching: case folding, marks stripped, periods and
 * apostrophes dropped, an Arabic article prefix (al-, el-, ash- ...)
 * removed, a final "ah"/"eh" written "a".  Writes at most LX_MAX_KEY
 * bytes to out and returns the length; 0 means the token is a bare
 * article ("al", "El") or holds nothing to match. */
size_t lx_fold(const char *s, size_t n, char *out);

/* Is the token [s, s+n) a bare Arabic article (al, el, ar, as-...)?
 * Inline: it runs on every short token of the text.  (c | 32) folds an
 * ASCII capital and maps no other byte to a lower-case letter. */
static inline bool
lx_is_article(const char *s, size_t n)
{
	if (n < 2 || n > 3)
		return false;
	unsigned a = (unsigned char)s[0] | 32u, b = (unsigned char)s[1] | 32u;
	if (n == 3)     /* ash, adh, ath */
		return a == 'a' && ((unsigned char)s[2] | 32u) == 'h' &&
		       (b == 's' || b == 'd' || b == 't');
	switch (a) {
	case 'a':       /* al ar as at ad an az */
		return b == 'l' || b == 'r' || b == 's' || b == 't' || b == 'd' || b == 'n' ||
		       b == 'z';
	case 'e':       /* el ed en er es et ez */
		return b == 'l' || b == 'd' || b == 'n' || b == 'r' || b == 's' || b == 't' ||
		       b == 'z';
	case 'u':       /* ul */
		return b == 'l';
	default:
		return false;
	}
}

/* Length of an Arabic article prefix ("al-", "Ash-") at s, or 0. */
size_t lx_article_prefix(const char *s, size_t n);

/* Hash of one folded token, and of a sequence extended by one token.
 * lx_tok_hash runs on every word of the text: it takes 8 bytes a step
 * (a byte-at-a-time FNV was a tenth of the recognizer's time).  Keys of
 * the same length up to 8 bytes never collide (every step is a
 * bijection); the murmur3 finalizer spreads the rest. */
static inline uint64_t
lx_load8(const unsigned char *p)     /* 8 bytes, little-endian */
{
	return (uint64_t)p[0] | (uint64_t)p[1] << 8 | (uint64_t)p[2] << 16 |
	       (uint64_t)p[3] << 24 | (uint64_t)p[4] << 32 | (uint64_t)p[5] << 40 |
	       (uint64_t)p[6] << 48 | (uint64_t)p[7] << 56;
}

static inline uint64_t
lx_hash_step(uint64_t h, uint64_t v)
{
	h = (h ^ v) * 0xff51afd7ed558ccdull;
	return h ^ (h >> 29);
}

static inline uint64_t
lx_hash_end(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ull;
	return h ^ (h >> 33);
}

#define LX_HASH_SEED(n) (0x9E3779B97F4A7C15ull ^ ((uint64_t)(n) * 0xC2B2AE3D27D4EB4Full))

/* lx_tok_hash of a key of 1 to 8 bytes given as one little-endian word
 * (zero above the key) */
static inline uint64_t
lx_tok_hash8(uint64_t v, size_t n)
{
	return lx_hash_end(lx_hash_step(LX_HASH_SEED(n), v));
}

static inline uint64_t
lx_tok_hash(const char *key, size_t n)
{
	const unsigned char *p = (const unsigned char *)key;
	uint64_t h = LX_HASH_SEED(n);
	for (; n >= 8; p += 8, n -= 8)
		h = lx_hash_step(h, lx_load8(p));
	if (n) {
		uint64_t v = 0;
		for (size_t i = 0; i < n; i++)
			v |= (uint64_t)p[i] << (8 * i);
		h = lx_hash_step(h, v);
	}
	return lx_hash_end(h);
}
#define LX_SEQ_START 0x5157u
static inline uint64_t
lx_seq(uint64_t h, uint64_t tok)
{
	uint64_t z = h * 0x9E3779B97F4A7C15ull + tok + 0x632BE59BD9B4E019ull;
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* The bit of lx->lower4 for a folded key whose first 4 bytes are the low
 * bytes of w (zero past the key's end). */
static inline uint32_t
lx_lower4(uint64_t w)
{
	return (uint32_t)((uint32_t)w * 2654435761u) >> 16;
}

/* Cuts a name into tokens as the tokenizer would (spaces, and punctuation
 * other than inner hyphens, periods and apostrophes); stores up to max
 * [start, len) pairs and returns the count. */
int lx_split(const char *s, size_t n, uint32_t *starts, uint32_t *lens, int max);

/* ---- tables (built by load.c) */

/* Spreads the bits of a hash (FNV keys of short ids cluster). */
static inline uint64_t
lx_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

/* The slot of key in t, or NULL.  Inline: the recognizer's inner loop. */
static inline const lx_slot *
lx_table_get(const lx_table *t, uint64_t key)
{
	if (!t->slots)
		return NULL;
	size_t i = (size_t)lx_mix(key) & t->mask;
	while (t->slots[i].flags & LX_SLOT_USED) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		i = (i + 1) & t->mask;
	}
	return NULL;
}

/* Starts loading the slot of key in t into the cache. */
static inline void
lx_table_prefetch(const lx_table *t, uint64_t key)
{
	if (t->slots)
		__builtin_prefetch(&t->slots[(size_t)lx_mix(key) & t->mask]);
}

/* ---- image.c */

/* Reads the image of the main data folder dir (gen/lexicon.img) into lx
 * (as built: no entries yet), mapped, when it is there, current and whole; returns
 * false, lx untouched, otherwise (the caller builds from the text). */
bool lx_image_load(sr_lexicon *lx, const char *dir);

/* The entry with this id, or NULL. */
const lx_entry *lx_entry_by_id(const sr_lexicon *lx, const char *id);

#endif
