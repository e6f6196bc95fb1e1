/*
 * syntax_int.h -- what the files of the syntax stage share: the model's
 * tables as they lie in memory (and in the file), the per-word features
 * the tagger and the parser read, the transition system, and the entry
 * points of the training code (tools/train/train-syntax.c).
 *
 * Both classifiers are averaged perceptrons over hashed features: a
 * feature is a 64-bit key (a template number mixed with the values it
 * reads); the model maps it to a short row of (class, int16 weight)
 * pairs, the classes whose averaged weight survived quantization.
 */
#ifndef SR_SYNTAX_INT_H
#define SR_SYNTAX_INT_H

#include "../sr_internal.h"

/* The model file: "SRSYNTAX", a version, then blobs (4-byte tag, 4 bytes
 * zero, 8-byte size, the bytes, zero padding to 8). */
#define SY_MAGIC "SRSYNTAX"
/* Bumped whenever the features or their hashing change: a model keeps
 * only hashed keys, so an older one would load and answer nonsense. */
#define SY_VERSION 4u

/* The most tag classes (joint UPOS+XPOS pairs) and relation labels. */
#define SY_MAX_TAGS 128
#define SY_MAX_LABELS 64
/* The parser's classes: SHIFT, LEFT(label), RIGHT(label). */
#define SY_MAX_CLASSES (1 + 2 * SY_MAX_LABELS)
/* Features per decision (upper bounds of the templates below). */
#define SY_TAG_FEATS 48
#define SY_PARSE_FEATS 128

/* ------------------------------------------------------------ hashing */

static inline uint64_t
sy_mix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

/* A feature key from a template number and up to three values (word
 * hashes, which are well mixed already, or small numbers): three
 * independent multiplies and one final mix, cheap on the hot path. */
static inline uint64_t
sy_key(uint32_t tmpl, uint64_t a, uint64_t b, uint64_t c)
{
	uint64_t h = (a ^ ((uint64_t)tmpl << 48)) * 0x9e3779b97f4a7c15ULL;
	h ^= (b + 0x632be59bd9b4e019ULL) * 0xc2b2ae3d27d4eb4fULL;
	h += (c ^ 0x2545f4914f6cdd1dULL) * 0x94d049bb133111ebULL;
	h ^= h >> 31;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 29;
	return h | 1;   /* 0 is an empty slot */
}

/* 64-bit hash of a byte string (FNV-1a, then mixed). */
static inline uint64_t
sy_hash(const char *s, size_t n)
{
	return sy_mix(sr_hash64(s, n) + n) | 1;
}

/* --------------------------------------------------------------- tables */

/* An open-addressing map from a 64-bit key to a 32-bit value (linear
 * probing; key 0 = empty slot).  In the model it points into the loaded
 * file. */
typedef struct sy_map {
	const uint64_t *keys;
	const uint32_t *vals;
	uint64_t mask;          /* slots - 1 (a power of two), or 0 if empty */
} sy_map;

static inline bool
sy_map_get(const sy_map *m, uint64_t key, uint32_t *val)
{
	if (!m->keys)
		return false;
	for (uint64_t i = key & m->mask;; i = (i + 1) & m->mask) {
		uint64_t k = m->keys[i];
		if (k == key) {
			*val = m->vals[i];
			return true;
		}
		if (!k)
			return false;
	}
}

/* One weight of a row. */
typedef struct sy_ent {
	uint16_t cls;
	int16_t w;
} sy_ent;

/* Perceptron weights: slots of (32-bit fingerprint, row offset); a row
 * at off is ents[off].cls entries ents[off+1 .. off+n].  The file holds
 * only the fingerprints (in row order) and the rows; the slots are built
 * at load (sy_weights_build).  A feature's fingerprint is its key's high
 * 32 bits.  The slots come eight to a bucket of one cache line, the
 * bucket chosen from the fingerprint (sy_slot_of); a full bucket goes on
 * in the next.  A lookup reads one line and compares the eight
 * fingerprints at once, with no branch to mispredict. */
typedef struct sy_bucket {
	_Alignas(64) uint32_t fp[8];   /* 0 = empty; the empty ones last */
	uint32_t off[8];
} sy_bucket;

typedef struct sy_weights {
	sy_bucket *slots;       /* owned by the model */
	uint64_t mask;          /* buckets - 1 */
	const sy_ent *ents;
	uint32_t ncls;
	uint32_t nrows;
	/* rows with SY_DENSE_MIN entries or more (the frequent features)
	   are also kept whole, npad int16 each, added eight or sixteen
	   classes at a time; their slot's off is SY_DENSE | index */
	int16_t *dense;         /* owned */
	uint32_t npad;
	bool avx2;              /* the processor has AVX2 */
	/* where the processor can expand packed bytes (AVX-512 VBMI2) and
	   there are at most SY_PACK_CLASSES classes, every row is kept
	   instead as four 32-bit masks of the classes it holds followed by
	   their weights in class order as int8, each to be shifted left by
	   the row's shift (padded to 4 bytes); a slot's off is the row's
	   index in 32-bit units (the low SY_PACK_OFF_BITS) and the shift
	   (the bits above) */
	uint32_t *packed;       /* owned, or NULL */
	/* the rows as used (ents points here): the file's int16 weights
	   rounded, row by row, to 8 significant bits (sy_weights_build) */
	sy_ent *qents;          /* owned */
} sy_weights;

#define SY_PACK_CLASSES 128
#define SY_PACK_OFF_BITS 22
#define SY_PACK_OFF_MASK ((1u << SY_PACK_OFF_BITS) - 1)

#define SY_DENSE_MIN 40
#define SY_DENSE 0x80000000u
/* Score arrays: room for every class, rounded up to whole vectors. */
#define SY_SCORES ((SY_MAX_CLASSES + 15) & ~15)

static inline uint32_t
sy_fp(uint64_t key)
{
	uint32_t fp = (uint32_t)(key >> 32);
	return fp ? fp : 1;
}

static inline uint64_t
sy_slot_of(uint32_t fp, uint64_t mask)
{
	return ((uint64_t)fp * 0x9e3779b97f4a7c15ULL >> 24) & mask;
}

/* Builds the slots of nrows rows (fingerprints fps[], rows at ents[0..
 * nents)) into w.  Returns false when the rows do not fit the sizes or
 * name a class >= ncls, or a fingerprint repeats. */
bool sy_weights_build(sy_weights *w, const uint32_t *fps, size_t nrows,
		      const sy_ent *ents, size_t nents, uint32_t ncls);
/* Frees what sy_weights_build allocated. */
void sy_weights_free(sy_weights *w);

/* Adds the rows of the nf features keys[] to scores[0..ncls); scores
 * has SY_SCORES entries, 32-byte aligned; nf <= SY_SEG_KEYS. */
void sy_score(const sy_weights *w, const uint64_t *keys, size_t nf, int32_t *scores);

/* The first class of the largest score among the classes < 128 whose
 * bit is set in allowed (bit c % 64 of allowed[c / 64]), -1 if none. */
int sy_argmax(const sy_weights *w, const int32_t *scores, const uint64_t allowed[2]);

/* The most keys of one sy_score_segs call. */
#define SY_SEG_KEYS 512

/* A segment of the keys of one sy_score_segs call: its scores are the
 * sum of the bases and the rows of keys[end of the segment before (0)
 * .. end). */
typedef struct sy_seg {
	size_t end;
	int32_t *out;             /* SY_SCORES int32, 64-byte aligned */
	const int32_t *base[2];   /* NULL: none; may be out itself, or the
				     out of an earlier segment */
} sy_seg;

/* Scores the nseg segments in order, every key looked up in one pass
 * so that the memory they wait for overlaps; the last end and nseg <=
 * SY_SEG_KEYS.  Classes >= ncls of out are left undefined. */
void sy_score_segs(const sy_weights *w, const uint64_t *keys, const sy_seg *segs, size_t nseg);

/* --------------------------------------------------------------- model */

struct sr_syntax {
	void *file;             /* the whole file, owned: mapped (mapped) or
				   read into memory of our own */
	size_t size;
	bool mapped;
	uint32_t ntags;         /* tag classes */
	const uint8_t *tag_upos;    /* [ntags] */
	const uint8_t *tag_xpos;    /* [ntags] */
	uint32_t nxpos;
	const char **xpos_names;    /* [nxpos], into file; owned array */
	uint32_t nlabels;
	const uint8_t *labels;      /* [nlabels] deprel ids; labels[0] = root */
	sy_map amb;             /* lower-case word -> ambiguity class */
	sy_map hyph;            /* first parts of hyphenated words kept whole */
	sy_map clu;             /* lower-case word -> word classes (sy_wfeat.clu) */
	sy_map tdict;           /* word as written (sy_wfeat.form) -> tag class
				   + 1: the tag dictionary, words sy_tag gives
				   their class without scoring */
	sy_weights tagw, parw;
	sy_map lemx;            /* hash(form, xpos) -> string offset */
	sy_map lemr;            /* hash(xpos, suffix) -> rule index */
	const uint32_t *rules;  /* [n]: strip << 24 | append string offset */
	const char *strs;       /* string pool */
	uint32_t nstrs;
};

/* -------------------------------------------------------- word features */

/* What the classifiers read of one word, computed once. */
typedef struct sy_wfeat {
	uint64_t form;          /* the word as written */
	uint64_t lower;         /* lower case, digits as 0 */
	uint64_t shape;         /* Xxxx -> Xx, 1,000 -> d,d */
	uint64_t pre[3];        /* first 1..3 bytes (lower) */
	uint64_t suf[4];        /* last 1..4 bytes (lower) */
	uint32_t amb;           /* ambiguity class (0 = unknown word) */
	uint32_t clu;           /* word class learned from running text: fine
				   class + 1 in the low 16 bits, coarse + 1 in
				   the high 16 (0 = a word too rare to have one) */
	uint32_t flags;         /* SY_W_* */
} sy_wfeat;

#define SY_W_DIGIT  0x01u
#define SY_W_HYPHEN 0x02u
#define SY_W_UPPER1 0x04u
#define SY_W_ALLCAP 0x08u
#define SY_W_PUNCT  0x10u   /* no letter, no digit */
#define SY_W_FIRST  0x20u   /* the sentence's first word */

/* Fills f from the word s (n bytes); amb and clu looked up in the
 * model's ambiguity and word class maps (NULL or a map without the word:
 * 0). */
void sy_word_features(const sy_map *amb, const sy_map *clu, const char *s, size_t n,
		      sy_wfeat *f);

/* Sets amb and clu of the n words w[] (made by sy_word_features with
 * NULL maps) as sy_word_features would with the maps amb and clu, all
 * words' lookups at once. */
void sy_word_classes(const sy_map *amb, const sy_map *clu, sy_wfeat *w, size_t n);

/* The ambiguity map key of a word's lower-case form. */
uint64_t sy_amb_key(const char *s, size_t n);

/* The tagger's feature keys of word i given the tags of words < i;
 * returns their number (<= SY_TAG_FEATS). */
size_t sy_tag_features(const sy_wfeat *w, size_t n, size_t i,
		       const uint16_t *tags, uint64_t *keys);

/* Tags n words (tags[i]: a tag class) with model weights. */
void sy_tag(const sr_syntax *m, const sy_wfeat *w, size_t n, uint16_t *tags);

/* ---------------------------------------------------- transition system */

/* Arc-hybrid: a stack (ROOT, index n, at the bottom) and a buffer (the
 * words b..n-1).  SHIFT pushes b; LEFT(l) makes b the head of the stack
 * top and pops it; RIGHT(l) makes the word under the top its head and
 * pops it.  ROOT takes a dependent only when the buffer is empty, so a
 * tree has one root. */
enum { SY_SHIFT = 0, SY_LEFT = 1, SY_RIGHT = 2 };

typedef struct sy_state {
	int n;                  /* words; n is ROOT */
	int b;                  /* buffer front */
	int sp;                 /* stack depth (stack[0] = ROOT) */
	int16_t *stack;         /* [n + 1] */
	int16_t *head;          /* [n + 1], -1 = none yet */
	uint8_t *label;         /* [n + 1] label index */
	int16_t *l1, *l2, *r1, *r2; /* two leftmost / rightmost children, -1 */
	uint8_t *nl, *nr;       /* valencies */
	uint64_t *lset, *rset;  /* label sets of left / right children */
	/* sy_parse's kept sums of feature groups (parser.c): four rows of
	   SY_SCORES int32 a word (n for an empty buffer), which of them
	   are up to date in gok */
	int32_t *gsum;          /* [4 (n + 1) SY_SCORES], 64-byte aligned */
	uint8_t *gok;           /* [n + 1] */
} sy_state;

/* Class numbers: 0 SHIFT, 1 + l LEFT(l), 1 + L + l RIGHT(l). */
static inline int sy_cls_move(int cls, int nl) { return cls == 0 ? SY_SHIFT : cls <= nl ? SY_LEFT : SY_RIGHT; }
static inline int sy_cls_label(int cls, int nl) { return cls == 0 ? 0 : cls <= nl ? cls - 1 : cls - 1 - nl; }

/* Sets st up for n words over memory from sy_state_alloc. */
void sy_state_init(sy_state *st, int n);
/* Allocates the arrays of a state for up to max words (free with
 * sy_state_free). */
void sy_state_alloc(sy_state *st, int max);
void sy_state_free(sy_state *st);
bool sy_state_final(const sy_state *st);
/* Is the move allowed? (label 0, "root", only for ROOT's dependent) */
bool sy_valid(const sy_state *st, int move, int label);
void sy_apply(sy_state *st, int move, int label);

/* The cost of a move (arcs of the gold tree gh/gl it makes unreachable;
 * a wrong label on a gold arc counts one).  gh[i] is the gold head (n for
 * ROOT), gl[i] its label index. */
int sy_cost(const sy_state *st, int move, int label, const int16_t *gh,
	    const uint8_t *gl);

/* The parser's feature keys in state st over words w with tags t;
 * returns their number (<= SY_PARSE_FEATS). */
size_t sy_parse_features(const sy_state *st, const sy_wfeat *w,
			 const uint16_t *t, uint64_t *keys);

/* Parses n words tagged t with model weights into heads (n = ROOT) and
 * label indexes. */
void sy_parse(const sr_syntax *m, sy_state *st, const sy_wfeat *w,
	      const uint16_t *t, int n);

/* ------------------------------------------------------------- lemmas */

/* The lemma of a word (NUL-terminated) of XPOS tag `tag`: from the
 * model's exceptions (the form as written, else in lower case), or by the
 * suffix rule of its tag, written into buf (cap bytes) when it is built.
 * Returns a pointer to the model's string pool or to buf. */
const char *sy_lemma(const sr_syntax *m, const char *s, size_t n, int tag,
		     char *buf, size_t cap);

/* The key of an exception (form, XPOS) and of a suffix rule. */
uint64_t sy_lemx_key(const char *s, size_t n, int tag);
uint64_t sy_lemr_key(int tag, const char *suf, size_t n);

/* ------------------------------------------------------------- CoNLL-U */

/* One sentence of a CoNLL-U file, as read: its lines (owned buffer),
 * the word lines' columns split in place. */
typedef struct sy_conllu_word {
	char *col[10];
} sy_conllu_word;

typedef struct sy_conllu_sent {
	char **lines;           /* every line (comments, ranges, words) */
	size_t nlines, caplines;
	sy_conllu_word *w;      /* the word lines (no ranges, no empty nodes) */
	int *wline;             /* w[i]'s line in lines */
	size_t n, cap;
	sr_buf buf;
	long first_line;        /* in the file */
	char err[160];          /* a problem with the sentence, "" if none */
} sy_conllu_sent;

/* Reads the next sentence; returns 0 at the end of the file.  *line
 * counts the file's lines. */
int sy_conllu_next(FILE *in, sy_conllu_sent *s, long *line);
void sy_conllu_free(sy_conllu_sent *s);

/* The model a parser reads. */
const sr_syntax *sy_parser_model(const sr_parser *p);

/* ----------------------------------------------------------- word split */

/* Cuts a token into UD words: writes up to max (start, length) pairs of
 * byte offsets within the token and returns their number (>= 1). */
size_t sy_split_token(const char *s, size_t n, uint16_t *start, uint16_t *len, size_t max);

#endif /* SR_SYNTAX_INT_H */
