/*
 * match.c -- the recognizer: finds the places and actors a document names.
 *
 * Three passes over the tokens of one document:
 *   1. find: at each token, the longest name of the lexicon that starts
 *      there (folded keys, exact case for acronyms, capitals for proper
 *      names), a site shape ("Camp X", "X air base", "X province") or a
 *      demonym/country followed by a force noun ("Iraqi security
 *      forces");
 *   2. context: the countries and first-level areas the document names
 *      unambiguously, and the names that are people's ("Mr. Clinton");
 *   3. resolve: for each ambiguous name, the candidate with the best score
 *      (curated > country > region > town; population; the document's
 *      countries and areas; "Paris, Texas").
 * All scratch memory is the recognizer's arena, reset per document.
 */
#include "lexicon_int.h"
#include "../fuse/fuse_int.h"

#include <math.h>
#include <stdlib.h>

typedef struct mention {
	uint32_t tok, ntok;     /* token range, as in the text */
	uint32_t key_tok;       /* first token of the name proper */
	uint32_t first, count;  /* candidates: into cand */
	int chosen;             /* index into cand or -1 */
	int drop;
	sr_entity ent;          /* for synthesized mentions (force, shape) */
	int synth;
	const lx_entry *shape;  /* "X County": a shape located at X, once X
				   is resolved */
	unsigned srcs;          /* resolve(): 1 << src of each candidate,
				   and M_BIG */
} mention;

#define M_BIG 0x100u            /* a candidate is a capital or a large town */

struct sr_recognizer {
	const sr_lexicon *lx;
	sr_arena arena;
	sr_entity *out;
	size_t nout, capout;
	mention *m;
	size_t nm, capm;
	uint32_t *cand;
	size_t ncand, capcand;
	/* per-token scratch, grown to the longest document seen (a long
	 * document would otherwise take fresh blocks of the arena each time) */
	struct tokinfo *ti;
	uint32_t *sent_start;
	bool *claimed;
	size_t captok;
};

sr_recognizer *
sr_recognizer_new(const sr_lexicon *lx)
{
	sr_recognizer *r = sr_calloc(1, sizeof *r);
	r->lx = lx;
	return r;
}

void
sr_recognizer_free(sr_recognizer *r)
{
	if (!r)
		return;
	sr_arena_free(&r->arena);
	free(r->out);
	free(r->m);
	free(r->cand);
	free(r->ti);
	free(r->sent_start);
	free(r->claimed);
	free(r);
}

/* ------------------------------------------------------------ tokens */

#define TK_CAP     0x01u  /* capitalized (after an article prefix) */
#define TK_ART     0x02u  /* a bare article */
#define TK_MATCH   0x04u  /* may take part in a name */
#define TK_LOWEROK 0x08u  /* an inner word allowed in lower case */
#define TK_FIRST   0x10u  /* may start a name (first-token bit sets) */
#define TK_LAZY    0x20u  /* a lower-case word that starts no name: its
			     hash, word class and TK_LOWEROK are not
			     computed yet (tok() does it when asked) */

typedef struct tokinfo {
	uint64_t hash;
	uint8_t flags;
	uint8_t word;          /* LX_WORD_* of the folded token */
} tokinfo;

typedef struct ctx {
	sr_recognizer *r;
	const sr_lexicon *lx;
	const sr_doc *doc;
	tokinfo *ti;
	size_t ntok;
	uint32_t *sent_start;   /* per token: is it the first of a sentence */
} ctx;

static bool
tok_is(const sr_token *t, const char *w)
{
	size_t n = strlen(w);
	return t->len == n && !memcmp(t->s, w, n);
}

/* Folds token t for matching (lx_fold, with its ASCII case inline) and
 * returns the key's length. */
static inline size_t
fold_token(const sr_token *t, char *key)
{
	const char *s = t->s;
	size_t n = t->len;
	if (n > LX_MAX_KEY)
		return lx_fold(s, n, key);
	if (n && s[0] == '#') {
		s++;
		n--;
	}
	if (lx_is_article(s, n))
		return 0;
	if (n >= 6 && (s[2] == '-' || s[3] == '-'))
		return lx_fold(t->s, t->len, key);     /* maybe "al-X" */
	size_t w = 0;
	unsigned char any = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		any |= c;
		key[w] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		w += c != '.' && c != '\'';
	}
	if (any & 0x80)
		return lx_fold(t->s, t->len, key);
	if (w >= 5 && key[w - 1] == 'h' && (key[w - 2] == 'a' || key[w - 2] == 'e')) {
		w--;
		key[w - 1] = 'a';
	}
	return w;
}

#define ONES  0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
#define HAS_ZERO(x) (((x) - ONES) & ~(x) & HIGHS)

/* v with the bytes in [A-Z] in lower case (every byte below 0x80) */
static inline uint64_t
swar_lower(uint64_t v)
{
	uint64_t ge_a = v + 0x3f * ONES, gt_z = v + 0x25 * ONES;
	return v | ((ge_a & ~gt_z & HIGHS) >> 2);
}

/* No byte of v is non-ASCII, a period or an apostrophe. */
static inline bool
swar_plain(uint64_t v)
{
	return !(v & HIGHS) && !HAS_ZERO(v ^ ('.' * ONES)) && !HAS_ZERO(v ^ ('\'' * ONES));
}

/* Folds token t for matching as lx_fold does and sets *hash to the key's
 * lx_tok_hash; returns the key's length (0: an article).  This runs on
 * every word of the text: an ASCII word of up to 16 bytes without periods
 * or apostrophes (almost every word) is folded and hashed as two 64-bit
 * words; others are folded a byte at a time, and non-ASCII ones by
 * lx_fold. */
static inline size_t
fold_hash(const sr_doc *doc, const sr_token *t, uint64_t *hash)
{
	const unsigned char *u = (const unsigned char *)t->s;
	size_t n = t->len;
	if (n && n <= 16 && t->nstart + 16 <= doc->nlen + 1 && u[0] != '#' &&
	    !(n >= 6 && (u[2] == '-' || u[3] == '-'))) {
		uint64_t w[2] = {lx_load8(u), lx_load8(u + 8)};
		if (n < 8) {
			w[0] &= (1ull << (8 * n)) - 1;
			w[1] = 0;
		} else if (n < 16) {
			w[1] &= (1ull << (8 * (n - 8))) - 1;
		}
		if (swar_plain(w[0]) && swar_plain(w[1])) {
			if (n <= 3 && lx_is_article(t->s, n))
				return 0;
			w[0] = swar_lower(w[0]);
			w[1] = swar_lower(w[1]);
#define BYTE_AT(i) ((unsigned)(w[(i) >> 3] >> (8 * ((i) & 7))) & 0xffu)
			if (n >= 5 && BYTE_AT(n - 1) == 'h' &&
			    (BYTE_AT(n - 2) == 'a' || BYTE_AT(n - 2) == 'e')) {
				/* Hasakah = Hasaka */
				size_t a = n - 2, l = n - 1;
				w[l >> 3] &= ~(0xffull << (8 * (l & 7)));
				w[a >> 3] = (w[a >> 3] & ~(0xffull << (8 * (a & 7)))) |
					    (uint64_t)'a' << (8 * (a & 7));
				n--;
			}
#undef BYTE_AT
			if (n <= 8)
				*hash = lx_tok_hash8(w[0], n);
			else
				*hash = lx_hash_end(lx_hash_step(lx_hash_step(LX_HASH_SEED(n), w[0]), w[1]));
			return n;
		}
	}
	char key[LX_MAX_KEY + 8];
	size_t kl = fold_token(t, key);
	*hash = kl ? lx_tok_hash(key, kl) : 0;
	return kl;
}

/* Fills k for token t: its key's hash, TK_ART, TK_CAP, TK_LOWEROK and
 * its word class (all but TK_FIRST). */
static void
tok_info(const sr_lexicon *lx, const sr_doc *doc, const sr_token *t, tokinfo *k)
{
	k->flags = TK_MATCH;
	k->word = 0;
	k->hash = 0;            /* an article keeps 0 */
	size_t kl = fold_hash(doc, t, &k->hash);
	if (!kl) {
		k->flags |= TK_ART;
		return;
	}
	if (LX_BIT_TEST(lx->word_bits, LX_WORD_BITS, k->hash)) {
		const lx_slot *w = lx_table_get(&lx->words, k->hash);
		if (w)
			k->word = (uint8_t)w->count;
	}
	if (t->flags & (SR_TF_UPPER1 | SR_TF_ALLCAPS)) {
		k->flags |= TK_CAP;
	} else {
		size_t p = t->cls == SR_TOK_HASHTAG ? 1 :
			   t->len >= 6 && (t->s[2] == '-' || t->s[3] == '-') ?
			   lx_article_prefix(t->s, t->len) : 0;
		unsigned char c0 = p < t->len ? (unsigned char)t->s[p] : 0;
		if (c0 >= 'A' && c0 <= 'Z')
			k->flags |= TK_CAP;
	}
	if (t->cls == SR_TOK_NUMBER || (k->word & LX_WORD_LOWER))
		k->flags |= TK_LOWEROK;
}

/* Token i's information, completed now if prepare() left it for later. */
static inline const tokinfo *
tok(const ctx *c, size_t i)
{
	tokinfo *k = &c->ti[i];
	if (k->flags & TK_LAZY)
		tok_info(c->lx, c->doc, &c->doc->toks[i], k);
	return k;
}

/* May word t be left lazy: a lower-case word (no article, no hashtag)
 * whose folded key cannot begin a name that may start in lower case?
 * Its first four bytes, plain ASCII, are the first four bytes of its key
 * (folding only lowers them, drops periods, apostrophes and article
 * prefixes, and rewrites a final "ah", which reaches the fourth byte in
 * a word of five), and lx->lower4 has every such beginning.  The
 * possessive "'s" is the key "s".  Most words of a text are such words,
 * and most of them are never looked at again, so their hashing and
 * word-class lookup are skipped. */
static inline bool
lazy_ok(const sr_lexicon *lx, const sr_doc *doc, const sr_token *t)
{
	const unsigned char *u = (const unsigned char *)t->s;
	size_t n = t->len;
	if (!n || t->nstart + 5 > doc->nlen + 1)
		return false;
	/* the first 5 bytes (the text ends with a NUL) and the first 4 */
	uint64_t v = (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
		     (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32;
	if (n == 2 && u[0] == '\'' && (u[1] | 32) == 's')
		v = 's';        /* "'s" */
	else if ((n <= 3 && lx_is_article(t->s, n)) || (unsigned)(u[0] - 'A') < 26u ||
		 (n >= 6 && (u[2] == '-' || u[3] == '-')) ||
		 (n == 5 && (u[4] | 32) == 'h' && ((u[3] | 32) == 'a' || (u[3] | 32) == 'e')))
		return false;
	uint64_t w = v & (n >= 4 ? 0xFFFFFFFFull : (1ull << (8 * n)) - 1);
	if (!swar_plain(w) || HAS_ZERO(w ^ ('#' * ONES)))
		return false;
	return !LX_BIT_TEST(lx->lower4, LX_LOWER4_BITS, lx_lower4(swar_lower(w)));
}

static void
prepare(ctx *c)
{
	const sr_doc *doc = c->doc;
	sr_recognizer *r = c->r;
	if (doc->ntok + 1 > r->captok) {
		size_t cap = r->captok ? r->captok : 1024;
		while (cap < doc->ntok + 1)
			cap *= 2;
		free(r->ti);
		free(r->sent_start);
		free(r->claimed);
		r->ti = sr_malloc(cap * sizeof *r->ti);
		r->sent_start = sr_malloc(cap * sizeof *r->sent_start);
		r->claimed = sr_malloc(cap * sizeof *r->claimed);
		r->captok = cap;
	}
	c->ti = r->ti;
	const sr_lexicon *lx = c->lx;
	for (size_t i = 0; i < doc->ntok; i++) {
		const sr_token *t = &doc->toks[i];
		tokinfo *k = &c->ti[i];
		if (t->cls != SR_TOK_WORD && t->cls != SR_TOK_NUMBER && t->cls != SR_TOK_HASHTAG) {
			k->flags = 0;
			k->word = 0;
			k->hash = 0;
			continue;
		}
		if (t->cls == SR_TOK_WORD && !(t->flags & (SR_TF_UPPER1 | SR_TF_ALLCAPS)) &&
		    lazy_ok(lx, doc, t)) {
			k->flags = TK_MATCH | TK_LAZY;
			k->word = 0;
			k->hash = 0;
			continue;
		}
		tok_info(lx, doc, t, k);
		if (k->flags & TK_ART)
			continue;
		/* tested here, not in find(): the cache misses of the large set
		 * then overlap with the folding of the next words */
		if ((k->flags & TK_CAP) ? LX_BIT_TEST(lx->first_any, LX_FIRST_BITS, k->hash)
					: LX_BIT_TEST(lx->first_lower, LX_LOWER_BITS, k->hash)) {
			k->flags |= TK_FIRST;
			lx_table_prefetch(&lx->names, lx_seq(LX_SEQ_START, k->hash));
		}
	}
	c->sent_start = r->sent_start;
	memset(c->sent_start, 0, (doc->ntok + 1) * sizeof(uint32_t));
	for (size_t s = 0; s < doc->nsent; s++)
		if (doc->sents[s].tok < doc->ntok)
			c->sent_start[doc->sents[s].tok] = 1;
	if (doc->ntok)
		c->sent_start[0] = 1;
}

/* Is token i a bare article that may sit inside a name here?  "al" and
 * "el" always; "Ar", "As", "At", "An"... only capitalized, before a
 * capitalized word and not opening a sentence. */
static bool
article_ok(const ctx *c, size_t i)
{
	const sr_token *t = &c->doc->toks[i];
	if (i + 1 >= c->ntok || !(c->ti[i + 1].flags & TK_CAP))
		return false;
	if (t->len == 2 && ((t->s[0] | 32) == 'a' || (t->s[0] | 32) == 'e') && (t->s[1] | 32) == 'l')
		return true;
	return (t->flags & SR_TF_UPPER1) && !c->sent_start[i];
}

/* Does the exact-case name e equal tokens [i, j]? */
static bool
exact_eq(const ctx *c, const char *e, size_t i, size_t j)
{
	for (size_t k = i; k <= j; k++) {
		const sr_token *t = &c->doc->toks[k];
		const char *ts = t->s;
		size_t tl = t->len;
		if (t->cls == SR_TOK_HASHTAG && tl) {     /* #AFP names AFP */
			ts++;
			tl--;
		}
		while (*e == ' ')
			e++;
		if (strncmp(e, ts, tl))
			return false;
		e += tl;
	}
	while (*e == ' ')
		e++;
	return *e == '\0';
}

/* Does ref fit tokens [i, j] (capitals, exact case, hashtags)? */
static bool
ref_ok(const ctx *c, const lx_ref *ref, size_t i, size_t j, size_t first)
{
	if (ref->flags & LX_REF_CS)
		return exact_eq(c, ref->exact, i, j);
	if ((ref->flags & LX_REF_NOTAG) && c->doc->toks[i].cls == SR_TOK_HASHTAG)
		return false;
	if (!(ref->flags & LX_REF_CAP))
		return true;
	if (!(c->ti[first].flags & TK_CAP))
		return false;
	if (ref->flags & LX_REF_CURATED)
		return true;
	/* the inner words in capitals too, unless the name itself writes
	 * them in lower case ("Iraq's Kurdish region") */
	unsigned idx = 0;
	for (size_t k = first + 1; k <= j; k++) {
		const tokinfo *t = tok(c, k);
		if (t->flags & TK_ART)
			continue;
		idx++;
		if (idx < 16 && ((ref->lower >> idx) & 1u))
			continue;
		if (!(t->flags & (TK_CAP | TK_LOWEROK)))
			return false;
	}
	return true;
}

/* Longest match of table t starting at token i: returns the last token
 * (or -1) and the slot; *first is the first non-article token.  The
 * references of the slots met on the way are checked at the end, longest
 * first: their lines (one random line each) load while the table is
 * probed for the next words. */
static long
longest(const ctx *c, const lx_table *t, size_t i, const lx_slot **slot, size_t *first,
	bool check_refs)
{
	uint64_t h = LX_SEQ_START;
	*first = i;
	bool started = false;
	const lx_slot *found[2 * LX_MAX_NAME_TOKENS];  /* slots that hold names */
	size_t at[2 * LX_MAX_NAME_TOKENS];             /* and their last tokens */
	int nfound = 0;
	for (size_t j = i; j < c->ntok && j - i < 2 * LX_MAX_NAME_TOKENS; j++) {
		const tokinfo *k = tok(c, j);
		if (!(k->flags & TK_MATCH))
			break;
		if (c->doc->toks[j].cls == SR_TOK_HASHTAG && j > i)
			break;
		if (k->flags & TK_ART) {
			if (!article_ok(c, j))
				break;
			continue;
		}
		if (!started) {
			*first = j;
			started = true;
		}
		h = lx_seq(h, k->hash);
		if (j > *first && t == &c->lx->names && !LX_BIT_TEST(c->lx->seq_bits, LX_SEQ_BITS, h))
			break;  /* no name goes on so: spares a miss in the table */
		const lx_slot *s = lx_table_get(t, h);
		if (!s)
			break;
		if (s->count) {
			if (check_refs)
				__builtin_prefetch(&c->lx->refs[s->first]);
			found[nfound] = s;
			at[nfound++] = j;
		}
		if (!(s->flags & LX_SLOT_PREFIX))
			break;
	}
	while (nfound-- > 0) {
		const lx_slot *s = found[nfound];
		bool ok = !check_refs;
		for (uint32_t r = 0; r < s->count && !ok; r++)
			ok = ref_ok(c, &c->lx->refs[s->first + r], i, at[nfound], *first);
		if (ok) {
			*slot = s;
			return (long)at[nfound];
		}
	}
	return -1;
}

static mention *
new_mention(ctx *c, size_t i, size_t j, size_t first)
{
	sr_recognizer *r = c->r;
	SR_GROW(r->m, r->capm, r->nm + 1);
	mention *m = &r->m[r->nm++];
	memset(m, 0, sizeof *m);
	m->tok = (uint32_t)i;
	m->ntok = (uint32_t)(j - i + 1);
	m->key_tok = (uint32_t)first;
	m->first = (uint32_t)r->ncand;
	m->chosen = -1;
	return m;
}

static void
add_cand(ctx *c, mention *m, uint32_t entry)
{
	sr_recognizer *r = c->r;
	for (uint32_t k = m->first; k < m->first + m->count; k++)
		if (r->cand[k] == entry)
			return;
	SR_GROW(r->cand, r->capcand, r->ncand + 1);
	r->cand[r->ncand++] = entry;
	m->count++;
	/* resolve() reads it: start loading it now, with the others */
	__builtin_prefetch(&c->lx->entries[entry]);
}

static const lx_entry *
entry_by_id(const sr_lexicon *lx, const char *id)
{
	return lx_entry_by_id(lx, id);
}

static char *
arena_printf(sr_arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static char *
arena_printf(sr_arena *a, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof buf)
		n = sizeof buf - 1;
	return sr_arena_strndup(a, buf, (size_t)n);
}

/* Name of country cc ("Syria"), or cc. */
static const char *
country_name(const sr_lexicon *lx, const char *cc)
{
	char id[8];
	snprintf(id, sizeof id, "cc:%s", cc);
	const lx_entry *e = entry_by_id(lx, id);
	return e ? e->name : cc;
}

/* Makes m a synthesized actor with the given id: the lexicon's entry
 * when it has one (returns true), else only the id, copied into the
 * reader's arena (returns false: the caller names it). */
static bool
make_actor(ctx *c, mention *m, const char *id)
{
	const lx_entry *known = entry_by_id(c->lx, id);
	sr_entity *ent = &m->ent;
	memset(ent, 0, sizeof *ent);
	ent->kind = SR_ENT_ACTOR;
	ent->precision = "";
	m->synth = 1;
	if (known) {
		ent->id = known->id;
		ent->name = known->name;
		ent->type = known->type;
		ent->country = known->country;
		return true;
	}
	ent->id = sr_arena_strndup(&c->r->arena, id, strlen(id));
	return false;
}

/* A force phrase after a demonym or a country at token j+1 ("forces",
 * "'s security forces"): makes m an actor.  Returns the new last token or
 * -1. */
static long
try_force(ctx *c, mention *m, size_t j, const char *cc, bool country)
{
	size_t k = j + 1;
	if (country && k < c->ntok && tok_is(&c->doc->toks[k], "'s"))
		k++;
	if (k >= c->ntok)
		return -1;
	const lx_slot *s;
	size_t first;
	long e = longest(c, &c->lx->forces, k, &s, &first, false);
	if (e < 0)
		return -1;
	const lx_entry *f = &c->lx->entries[c->lx->refs[s->first].entry];
	char id[64];
	snprintf(id, sizeof id, "%s.%s", cc, f->id);
	if (!make_actor(c, m, id)) {
		sr_entity *ent = &m->ent;
		const char *tpl = f->name, *at = strstr(tpl, "{country}");
		ent->name = arena_printf(&c->r->arena, "%.*s%s%s", (int)(at - tpl), tpl,
					 country_name(c->lx, cc), at + 9);
		ent->type = f->type;
		ent->country = sr_arena_strndup(&c->r->arena, cc, 2);
	}
	return e;
}

/* The shape table's match at token i with position pos ("before" or
 * "after"); returns the last token or -1 and the shape entry. */
static long
shape_at(const ctx *c, size_t i, char pos, const lx_entry **shape)
{
	if (i >= c->ntok)
		return -1;
	/* no shape starts with most words */
	const tokinfo *k = tok(c, i);
	if ((k->flags & (TK_MATCH | TK_ART)) == TK_MATCH &&
	    !LX_BIT_TEST(c->lx->shape_first, LX_SHAPE_BITS, k->hash))
		return -1;
	const lx_slot *s;
	size_t first;
	long e = longest(c, &c->lx->shapes, i, &s, &first, false);
	if (e < 0)
		return -1;
	for (uint32_t r = 0; r < s->count; r++) {
		const lx_entry *x = &c->lx->entries[c->lx->refs[s->first + r].entry];
		if (x->id[0] == pos) {
			*shape = x;
			return e;
		}
	}
	return -1;
}

/* A run of capitalized words at i that could be the unknown name of a
 * site: not common words, not a demonym.  Returns its last token or -1. */
static long
cap_run(const ctx *c, size_t i, size_t max)
{
	long last = -1;
	for (size_t k = i; k < c->ntok && k - i < max; k++) {
		/* not tok(): a lazy word is lower case and ends the run */
		const tokinfo *t = &c->ti[k];
		const sr_token *tk = &c->doc->toks[k];
		if (tk->cls == SR_TOK_NUMBER && last >= 0) {
			last = (long)k;
			continue;
		}
		if (tk->cls != SR_TOK_WORD || !(t->flags & TK_CAP) || (t->flags & TK_ART) ||
		    (t->word & (LX_WORD_NOTPLACE | LX_WORD_LOWER | LX_WORD_TITLE)) ||
		    (tk->flags & SR_TF_ABBREV))
			break;
		last = (long)k;
	}
	return last;
}

static char *
slug(sr_arena *a, const char *prefix, const char *s)
{
	char buf[256];
	size_t n = strlen(prefix);
	memcpy(buf, prefix, n);
	bool dash = false;
	for (; *s && n < sizeof buf - 2; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80) {
			buf[n++] = (char)ch;
			dash = false;
		} else if (ch >= 'A' && ch <= 'Z') {
			buf[n++] = (char)(ch + 32);
			dash = false;
		} else if (!dash && n > strlen(prefix)) {
			buf[n++] = '-';
			dash = true;
		}
	}
	while (n > strlen(prefix) && buf[n - 1] == '-')
		n--;
	return sr_arena_strndup(a, buf, n);
}

/* The text of tokens [i, j] as written in the normalized text. */
static char *
tok_text(ctx *c, size_t i, size_t j)
{
	const sr_token *a = &c->doc->toks[i], *b = &c->doc->toks[j];
	return sr_arena_strndup(&c->r->arena, a->s, (size_t)(b->nstart + b->len - a->nstart));
}

/* Makes m a site of the given shape named by tokens [i, j], located at
 * the place entry at (or nowhere). */
static void
make_shape(ctx *c, mention *m, size_t i, size_t j, const lx_entry *shape, const lx_entry *at)
{
	sr_entity *e = &m->ent;
	memset(e, 0, sizeof *e);
	e->kind = SR_ENT_PLACE;
	e->type = shape->type;
	e->name = tok_text(c, i, j);
	e->id = slug(&c->r->arena, "shape:", e->name);
	e->country = at ? at->country : "";
	e->shape = 1;
	if (at && at->has_coord) {
		e->has_coord = 1;
		e->lat = at->lat;
		e->lon = at->lon;
		e->precision = !strcmp(shape->precision, "region") ? "region" : "town";
	} else {
		e->precision = shape->precision;
	}
	m->synth = 1;
}

/* ------------------------------------------------------------ pass 1 */

static bool
has_src(ctx *c, const mention *m, int src)
{
	for (uint32_t k = m->first; k < m->first + m->count; k++)
		if (c->lx->entries[c->r->cand[k]].src == src)
			return true;
	return false;
}

/* Best place candidate of m for a shape: a curated site, a town, a region. */
static const lx_entry *
place_cand(ctx *c, const mention *m, bool region)
{
	const lx_entry *best = NULL;
	for (uint32_t k = m->first; k < m->first + m->count; k++) {
		const lx_entry *e = &c->lx->entries[c->r->cand[k]];
		if (e->kind != SR_ENT_PLACE || e->src == LX_SRC_COUNTRY)
			continue;
		if (region && e->src == LX_SRC_REGION)
			return e;
		if (!best || (e->src < best->src) || (e->src == best->src && e->pop > best->pop))
			best = e;
	}
	return best;
}

static size_t
find(ctx *c, size_t i)
{
	const sr_lexicon *lx = c->lx;
	const lx_slot *slot = NULL;
	size_t first;
	const lx_entry *shape;
	const tokinfo *ti = &c->ti[i];
	if (!(ti->flags & TK_MATCH))
		return i + 1;
	/* most tokens start no name: two bit tests spare the table lookups */
	bool cap = ti->flags & TK_CAP;
	long j = -1;
	if (ti->flags & (TK_ART | TK_FIRST))
		j = longest(c, &lx->names, i, &slot, &first, true);
	else if (!cap)
		return i + 1;

	/* "Camp X", "Forward Operating Base X" */
	long sb = cap ? shape_at(c, i, 'b', &shape) : -1;
	if (sb >= 0 && (size_t)sb + 1 < c->ntok) {
		long xe = cap_run(c, (size_t)sb + 1, 3);
		if (xe >= 0 && (j < 0 || xe > j)) {
			/* is X a known place? */
			const lx_slot *xs = NULL;
			size_t xf;
			long xj = longest(c, &lx->names, (size_t)sb + 1, &xs, &xf, true);
			const lx_entry *at = NULL;
			if (xj >= 0) {
				mention tmp = {0};
				size_t save = c->r->ncand;
				tmp.first = (uint32_t)save;
				for (uint32_t r = 0; r < xs->count; r++)
					if (ref_ok(c, &lx->refs[xs->first + r], (size_t)sb + 1, (size_t)xj, xf))
						add_cand(c, &tmp, lx->refs[xs->first + r].entry);
				at = place_cand(c, &tmp, false);
				c->r->ncand = save;
				if (xj > xe)
					xe = xj;
			}
			mention *m = new_mention(c, i, (size_t)xe, i);
			make_shape(c, m, i, (size_t)xe, shape, at);
			return (size_t)xe + 1;
		}
	}

	if (j < 0) {
		/* an unknown name before a site noun: "Sarrin base" */
		long xe = cap_run(c, i, 3);
		if (xe >= 0 && !c->sent_start[i]) {
			long se = shape_at(c, (size_t)xe + 1, 'a', &shape);
			if (se >= 0 && strcmp(shape->precision, "region")) {
				mention *m = new_mention(c, i, (size_t)se, i);
				make_shape(c, m, i, (size_t)se, shape, NULL);
				return (size_t)se + 1;
			}
		}
		return i + 1;
	}

	mention *m = new_mention(c, i, (size_t)j, first);
	unsigned refs = 0;      /* LX_REF_* of the names that fit */
	for (uint32_t r = 0; r < slot->count; r++) {
		const lx_ref *ref = &lx->refs[slot->first + r];
		if (ref_ok(c, ref, i, (size_t)j, first)) {
			add_cand(c, m, ref->entry);
			refs |= ref->flags;
		}
	}

	/* a lone common word that names only towns ("We", "Police") */
	if (j == (long)first && (tok(c, first)->word & LX_WORD_NOTPLACE)) {
		bool towns = true;
		for (uint32_t k = m->first; k < m->first + m->count; k++)
			if (lx->entries[c->r->cand[k]].src != LX_SRC_TOWN)
				towns = false;
		if (towns) {
			m->drop = 1;
			return (size_t)j + 1;
		}
	}

	/* demonym or country + force noun: the country's armed forces */
	bool demonym = false, country = false;
	const char *cc = NULL;
	for (uint32_t k = m->first; (refs & LX_REF_NATION) && k < m->first + m->count; k++) {
		const lx_entry *e = &lx->entries[c->r->cand[k]];
		if (e->src == LX_SRC_DEMONYM) {
			demonym = true;
			cc = e->country;
		} else if (e->src == LX_SRC_COUNTRY && !cc) {
			country = true;
			cc = e->country;
		}
	}
	if (cc) {
		long fe = try_force(c, m, (size_t)j, cc, country && !demonym);
		if (fe >= 0) {
			m->ntok = (uint32_t)((size_t)fe - i + 1);
			return (size_t)fe + 1;
		}
		if (demonym && m->count == 1) {
			/* a bare demonym ("Syrian soil", "Russians") names the
			 * country: a place of type "demonym" */
			char id[8];
			snprintf(id, sizeof id, "cc:%s", cc);
			const lx_entry *ce = entry_by_id(lx, id);
			if (!ce) {
				m->drop = 1;
				return (size_t)j + 1;
			}
			sr_entity *e = &m->ent;
			memset(e, 0, sizeof *e);
			e->kind = SR_ENT_PLACE;
			e->type = "demonym";
			e->id = ce->id;
			e->name = ce->name;
			e->country = ce->country;
			e->precision = "country";
			e->has_coord = ce->has_coord;
			e->lat = ce->lat;
			e->lon = ce->lon;
			m->synth = 1;
			return (size_t)j + 1;
		}
	}

	/* a known place before a site noun: "Qasrak base", "Taji air base",
	 * "Hasakah province" */
	long se = shape_at(c, (size_t)j + 1, 'a', &shape);
	if (se >= 0 && !has_src(c, m, LX_SRC_COUNTRY)) {
		bool region = !strcmp(shape->precision, "region");
		const lx_entry *at = place_cand(c, m, region);
		if (at && region && at->src == LX_SRC_REGION) {
			m->ntok = (uint32_t)((size_t)se - i + 1);
			m->count = 0;
			c->r->ncand = m->first;     /* m is the last mention */
			add_cand(c, m, (uint32_t)(at - lx->entries));
		} else if (at && !region && at->src == LX_SRC_CURATED &&
			   strcmp(at->precision, "town") && strcmp(at->precision, "region")) {
			m->ntok = (uint32_t)((size_t)se - i + 1);     /* the site itself */
		} else if (at && !(region && at->src == LX_SRC_CURATED && !strcmp(at->precision, "site"))) {
			/* located at X once the context has chosen which X */
			m->ntok = (uint32_t)((size_t)se - i + 1);
			m->shape = shape;
		}
		return (size_t)i + m->ntok;
	}
	return (size_t)j + 1;
}

/* ------------------------------------------------------- pass 2 and 3 */

/* A weight of the document's context: a country (cc: its two letters as
 * one number, country codes having at most two) or a first-level area of
 * it (adm, "" for the country, zero-padded like lx_entry.admin1: the
 * lexicon keeps codes of at most 7 bytes). */
typedef struct ccw {
	uint16_t cc;
	char adm[8];
	float w;
} ccw;

static inline uint16_t
cc_code(const char *cc)
{
	return cc[0] ? (uint16_t)((unsigned char)cc[0] | (unsigned char)cc[1] << 8) : 0;
}

static float
weight_of(const ccw *w, size_t n, const char *cc, const char *adm)
{
	float v = 0;
	uint16_t code = cc_code(cc);
	for (size_t i = 0; i < n; i++)
		if (w[i].cc == code && (!adm || !strcmp(w[i].adm, adm)))
			v += w[i].w;
	return v;
}

/* The weight of town e's first-level area in context w. */
static float
area_weight(const ccw *w, size_t n, const lx_entry *e)
{
	float v = 0;
	uint16_t code = cc_code(e->country);
	for (size_t i = 0; i < n; i++)
		if (w[i].cc == code && w[i].adm[0] && !memcmp(w[i].adm, e->admin1, sizeof w[i].adm))
			v += w[i].w;
	return v;
}

static void
add_weight(ccw *w, size_t *n, size_t cap, const char *cc, const char *adm, float v)
{
	uint16_t code = cc_code(cc);
	for (size_t i = 0; i < *n; i++)
		if (w[i].cc == code && w[i].adm[0] == adm[0] && (!adm[0] || !strcmp(w[i].adm, adm))) {
			w[i].w += v;
			return;
		}
	if (*n >= cap)
		return;
	size_t l = strnlen(adm, sizeof w[*n].adm - 1);
	w[*n].cc = code;
	memset(w[*n].adm, 0, sizeof w[*n].adm);     /* compared whole (area_weight) */
	memcpy(w[*n].adm, adm, l);
	w[*n].w = v;
	(*n)++;
}

/* Is the single-token town name at m a person's name here?  A title
 * before it ("Mr.", "Gov."), a first name before it, or "said" after. */
static bool
looks_person(ctx *c, const mention *m, const bool *claimed)
{
	size_t i = m->tok;
	if (m->ntok != 1)
		return false;
	if (i > 0) {
		const tokinfo *p = tok(c, i - 1);
		const sr_token *pt = &c->doc->toks[i - 1];
		if (p->word & LX_WORD_TITLE)
			return true;
		if (pt->cls == SR_TOK_WORD && (p->flags & TK_CAP) && !(pt->flags & SR_TF_ALLCAPS) &&
		    !(p->word & (LX_WORD_NOTPLACE | LX_WORD_LOWER)) && !claimed[i - 1] &&
		    !(pt->flags & SR_TF_ABBREV) && !c->sent_start[i - 1])
			return true;
	}
	if (i + 1 < c->ntok && (tok(c, i + 1)->word & LX_WORD_SAYS))
		return true;
	/* a first name: "David Smith", "Paris Hilton" */
	if (i + 1 < c->ntok && !claimed[i + 1]) {
		const tokinfo *n = tok(c, i + 1);
		const sr_token *nt = &c->doc->toks[i + 1];
		if (nt->cls == SR_TOK_WORD && (nt->flags & SR_TF_UPPER1) && !(nt->flags & SR_TF_ALLCAPS) &&
		    !(n->word & (LX_WORD_NOTPLACE | LX_WORD_LOWER | LX_WORD_SAYS)) &&
		    !(c->doc->toks[i].flags & SR_TF_ALLCAPS))
			return true;
	}
	return false;
}

/* The token of the verb after a name at token k, across up to three
 * auxiliaries and adverbs ("Tehran has periodically carried out"). */
static size_t
verb_after(const ctx *c, size_t k)
{
	static const char *const aux[] = {"has", "have", "had", "will", "would", "also", "then",
					  "again", "later", "reportedly", "allegedly", "already"};
	for (int n = 0; n < 3 && k < c->ntok; n++) {
		const sr_token *t = &c->doc->toks[k];
		bool skip = t->len > 4 && t->s[0] >= 'a' && t->s[0] <= 'z' && !memcmp(t->s + t->len - 2, "ly", 2);
		for (size_t q = 0; !skip && q < sizeof aux / sizeof *aux; q++)
			skip = tok_is(t, aux[q]);
		if (!skip)
			break;
		k++;
	}
	return k;
}

/* Does a preposition of place come right before mention m ("officials
 * in Kinshasa said": where they are, not who speaks)? */
static bool
placed(const ctx *c, const mention *m)
{
	static const char *const preps[] = {"in", "at", "from", "near", "to", "into", "of", "outside",
					   "around", "toward", "towards", "across", "for", "by", "via",
					   "over", "under", "inside", "within"};
	for (size_t q = 0; m->tok > 0 && q < sizeof preps / sizeof *preps; q++)
		if (tok_is(&c->doc->toks[m->tok - 1], preps[q]))
			return true;
	return false;
}

/* also_place: one of m's candidates is a place */
static float
score(ctx *c, const lx_entry *e, const ccw *w, size_t nw, float wsum, const mention *m,
      bool also_place)
{
	float s = e->base;
	if (e->metonym && also_place) {
		/* Damascus, Washington: an actor only before "said", "agreed"... */
		size_t k = m->tok + m->ntok;
		if (k < c->ntok && tok_is(&c->doc->toks[k], "'s"))
			k++;
		else
			k = verb_after(c, k);
		if (!(k < c->ntok && (tok(c, k)->word & (LX_WORD_ACTVERB | LX_WORD_SAYS))) || placed(c, m))
			return -1000;
	}
	if (e->kind == SR_ENT_PLACE && e->country[0] && wsum > 0) {
		float share = weight_of(w, nw, e->country, NULL) / wsum;
		if (e->src == LX_SRC_TOWN)
			s += 15.0f * share;
		else if (e->src == LX_SRC_REGION)
			s += 45.0f * share;
		else if (e->src == LX_SRC_COUNTRY)
			s += 10.0f * share;
		if (e->src == LX_SRC_TOWN && area_weight(w, nw, e) > 0)
			s += 12;
	}
	/* "Paris, Texas": the next mention after a comma contains it */
	size_t k = m->tok + m->ntok;
	if (e->src == LX_SRC_TOWN && k + 1 < c->ntok && tok_is(&c->doc->toks[k], ",")) {
		const mention *n = m + 1;
		if (n < c->r->m + c->r->nm && n->tok == k + 1) {
			for (uint32_t q = n->first; q < n->first + n->count; q++) {
				const lx_entry *o = &c->lx->entries[c->r->cand[q]];
				if (o->src == LX_SRC_REGION && !strcmp(o->country, e->country) &&
				    o->admin1[0] && !strcmp(o->admin1, e->admin1))
					s += 40;
				else if (o->src == LX_SRC_COUNTRY && !strcmp(o->country, e->country))
					s += 30;
			}
		}
	}
	return s;
}

/* Picks m's best candidate under context w; none (chosen -1) when every
 * candidate is ruled out. */
static void
choose(ctx *c, mention *m, const ccw *w, size_t nw, float wsum)
{
	float best = -1e9f;
	m->chosen = -1;
	if (m->count == 1) {
		/* one candidate (most names): it wins unless it is a demonym
		 * or a place that may be an actor; no score to compute */
		const lx_entry *e = &c->lx->entries[c->r->cand[m->first]];
		if (e->src == LX_SRC_DEMONYM)
			return;
		if (!(e->metonym && e->kind == SR_ENT_PLACE)) {
			m->chosen = (int)m->first;
			return;
		}
	}
	bool also_place = false;
	for (uint32_t q = m->first; q < m->first + m->count; q++)
		if (c->lx->entries[c->r->cand[q]].kind == SR_ENT_PLACE)
			also_place = true;
	for (uint32_t k = m->first; k < m->first + m->count; k++) {
		const lx_entry *e = &c->lx->entries[c->r->cand[k]];
		if (e->src == LX_SRC_DEMONYM)
			continue;
		float s = score(c, e, w, nw, wsum, m, also_place);
		if (s > best && s > -1000) {
			best = s;
			m->chosen = (int)k;
		}
	}
}

/* A capital (GeoNames PPLC) named right before a verb of saying or
 * deciding ("Kiev claims", "Addis Ababa said") stands for its state:
 * makes m the government of the capital's country (the lexicon's entry
 * CC.GOV when there is one, else "<country> government") and returns
 * true; a place otherwise (false). */
static bool
capital_actor(ctx *c, mention *m)
{
	const lx_entry *e = &c->lx->entries[c->r->cand[m->chosen]];
	if (e->kind != SR_ENT_PLACE || e->src == LX_SRC_COUNTRY)
		return false;
	/* the capital among the mention's candidates ("Kinshasa": the
	 * city-province and the city) */
	if (e->src != LX_SRC_TOWN || e->feat != 3) {
		const lx_entry *cap = NULL;
		for (uint32_t q = m->first; q < m->first + m->count && !cap; q++) {
			const lx_entry *o = &c->lx->entries[c->r->cand[q]];
			if (o->kind == SR_ENT_PLACE && o->src == LX_SRC_TOWN && o->feat == 3 &&
			    !strcmp(o->country, e->country))
				cap = o;
		}
		if (!cap)
			return false;
		e = cap;
	}
	if (!e->country[0])
		return false;
	size_t k = m->tok + m->ntok;
	if (k < c->ntok && tok_is(&c->doc->toks[k], "'s"))
		return false;  /* "Kyiv's mayor said": the city's */
	if (placed(c, m))
		return false;
	k = verb_after(c, k);
	if (!(k < c->ntok && (tok(c, k)->word & (LX_WORD_ACTVERB | LX_WORD_SAYS))))
		return false;
	char id[8];
	snprintf(id, sizeof id, "%s.GOV", e->country);
	if (!make_actor(c, m, id)) {
		sr_entity *ent = &m->ent;
		ent->name = arena_printf(&c->r->arena, "%s government", country_name(c->lx, e->country));
		ent->type = "government";
		ent->country = e->country;
	}
	return true;
}

static void
resolve(ctx *c)
{
	sr_recognizer *r = c->r;
	const sr_lexicon *lx = c->lx;
	ccw w[64];
	size_t nw = 0;
	float wsum = 0;
	/* context: countries and areas named without ambiguity */
	for (size_t i = 0; i < r->nm; i++) {
		mention *m = &r->m[i];
		if (m->drop)
			continue;
		if (m->synth) {
			if (m->ent.country[0] && m->ent.kind == SR_ENT_PLACE)
				add_weight(w, &nw, 64, m->ent.country, "", 1);
			continue;
		}
		const char *cc = NULL;
		bool same = true;
		m->srcs = 0;    /* the candidates' sources, in the same pass */
		for (uint32_t k = m->first; k < m->first + m->count; k++) {
			const lx_entry *e = &lx->entries[r->cand[k]];
			m->srcs |= 1u << e->src;
			if (e->src == LX_SRC_TOWN && (e->feat == 3 || e->pop >= 100000))
				m->srcs |= M_BIG;
			if (e->kind != SR_ENT_PLACE)
				continue;
			if (!cc)
				cc = e->country;
			else if (cc_code(cc) != cc_code(e->country))
				same = false;
		}
		if (cc && *cc && same) {
			const lx_entry *e = &lx->entries[r->cand[m->first]];
			add_weight(w, &nw, 64, cc, "", 1);
			if (m->count == 1 && e->src == LX_SRC_REGION && e->admin1[0])
				add_weight(w, &nw, 64, cc, e->admin1, 1);
		}
	}
	for (size_t i = 0; i < nw; i++)
		wsum += w[i].w;
	/* people: tokens claimed by a mention, then names that read as people */
	bool *claimed = r->claimed;
	memset(claimed, 0, (c->ntok + 1) * sizeof(bool));
	for (size_t i = 0; i < r->nm; i++)
		for (uint32_t k = 0; k < r->m[i].ntok; k++)
			claimed[r->m[i].tok + k] = true;
	uint64_t people[32];
	size_t npeople = 0;
	for (size_t i = 0; i < r->nm; i++) {
		mention *m = &r->m[i];
		if (m->drop || m->synth ||
		    (m->srcs & (1u << LX_SRC_CURATED | 1u << LX_SRC_COUNTRY | 1u << LX_SRC_REGION)))
			continue;
		/* a capital or a large town is not taken for a person */
		if (!(m->srcs & M_BIG) && looks_person(c, m, claimed)) {
			m->drop = 1;
			if (npeople < 32)
				people[npeople++] = tok(c, m->key_tok)->hash;
		}
	}
	for (size_t i = 0; i < r->nm; i++) {
		mention *m = &r->m[i];
		if (m->drop || m->synth)
			continue;
		if (m->ntok == 1 && !(m->srcs & (1u << LX_SRC_CURATED | 1u << LX_SRC_COUNTRY)))
			for (size_t p = 0; p < npeople; p++)
				if (people[p] == tok(c, m->key_tok)->hash)
					m->drop = 1;
		if (!m->drop)
			choose(c, m, w, nw, wsum);
	}
	/* second round: the places chosen so far are context for the others
	 * ("Dublin" near "Columbus" and "Ohio" is Dublin, Ohio) */
	ccw w2[64];
	size_t nw2 = 0;
	float wsum2 = 0;
	for (size_t i = 0; i < r->nm; i++) {
		const mention *m = &r->m[i];
		if (m->drop || m->synth || m->chosen < 0)
			continue;
		const lx_entry *e = &lx->entries[r->cand[m->chosen]];
		if (e->kind != SR_ENT_PLACE || !e->country[0])
			continue;
		add_weight(w2, &nw2, 64, e->country, "", 1);
		if (e->admin1[0] && e->src != LX_SRC_COUNTRY)
			add_weight(w2, &nw2, 64, e->country, e->admin1, 1);
		wsum2 += 1;
	}
	for (size_t i = 0; i < r->nm; i++) {
		mention *m = &r->m[i];
		if (m->drop || m->synth || m->chosen < 0 || m->count < 2)
			continue;
		const lx_entry *e = &lx->entries[r->cand[m->chosen]];
		bool own = e->kind == SR_ENT_PLACE && e->country[0];
		if (own) {      /* leave the mention's own vote out */
			add_weight(w2, &nw2, 64, e->country, "", -1);
			if (e->admin1[0] && e->src != LX_SRC_COUNTRY)
				add_weight(w2, &nw2, 64, e->country, e->admin1, -1);
		}
		choose(c, m, w2, nw2, wsum2 - (own ? 1 : 0));
		if (own) {
			add_weight(w2, &nw2, 64, e->country, "", 1);
			if (e->admin1[0] && e->src != LX_SRC_COUNTRY)
				add_weight(w2, &nw2, 64, e->country, e->admin1, 1);
		}
	}
	for (size_t i = 0; i < r->nm; i++) {
		mention *m = &r->m[i];
		if (m->drop || m->synth)
			continue;
		if (m->chosen < 0) {
			m->drop = 1;
		} else if (capital_actor(c, m)) {
			/* "Kiev claims", "Addis Ababa said": the state's
			 * government (made by capital_actor) */
		} else if (m->shape) {
			const lx_entry *at = &lx->entries[r->cand[m->chosen]];
			if (at->kind != SR_ENT_PLACE || at->src == LX_SRC_COUNTRY)
				at = place_cand(c, m, false);
			make_shape(c, m, m->tok, m->tok + m->ntok - 1, m->shape, at);
		} else if (m->ntok == 1 && (tok(c, m->key_tok)->word & LX_WORD_NOTPLACE) &&
			   lx->entries[r->cand[m->chosen]].src == LX_SRC_TOWN) {
			/* a lone common word that names only towns is not a place */
			m->drop = 1;
		}
	}
}

/* ------------------------------------------------------------ output */

static void
fill(const sr_lexicon *lx, const lx_entry *e, sr_entity *out)
{
	memset(out, 0, sizeof *out);    /* shape: no stale flag of an earlier mention */
	out->kind = e->kind;
	out->type = e->type;
	out->id = e->id;
	out->name = e->name;
	out->country = e->country;
	out->precision = e->precision;
	out->has_coord = e->has_coord;
	out->lat = e->lat;
	out->lon = e->lon;
	SR_UNUSED(lx);
}

void
sr_recognize(sr_recognizer *r, sr_doc *doc, const sr_entity **out, size_t *n)
{
	sr_doc_analyze(doc);
	sr_arena_reset(&r->arena);
	r->nout = r->nm = r->ncand = 0;
	ctx c = {.r = r, .lx = r->lx, .doc = doc, .ntok = doc->ntok};
	prepare(&c);
	for (size_t i = 0; i < doc->ntok;) {
		/* most tokens start nothing (find() would say so at once) */
		unsigned f = c.ti[i].flags;
		if ((f & (TK_MATCH | TK_ART | TK_FIRST | TK_CAP)) <= TK_MATCH)
			i++;
		else
			i = find(&c, i);
	}
	resolve(&c);
	for (size_t i = 0; i < r->nm; i++) {
		const mention *m = &r->m[i];
		if (m->drop || (!m->synth && m->chosen < 0))
			continue;
		SR_GROW(r->out, r->capout, r->nout + 1);
		sr_entity *e = &r->out[r->nout++];
		if (m->synth) {
			*e = m->ent;
		} else {
			fill(r->lx, &r->lx->entries[r->cand[m->chosen]], e);
			/* the caller writes them out next: load them now, with
			 * the other mentions' */
			__builtin_prefetch(e->id);
			__builtin_prefetch(e->name);
		}
		e->tok = m->tok;
		e->ntok = m->ntok;
		e->start = doc->toks[m->tok].start;
		e->end = doc->toks[m->tok + m->ntok - 1].end;
	}
	*out = r->out;
	*n = r->nout;
}

/* ------------------------------------------- may_find: before finding */

/* The folded hash of the next token from *j that is no bare article, as
 * longest() steps (at most 2 * LX_MAX_NAME_TOKENS tokens past i): its
 * key's length, with *j past it; 0 when a token that no name holds (not
 * a word, number or hashtag) or the end comes first. */
static size_t
next_key(const sr_doc *doc, size_t i, size_t *j, uint64_t *th)
{
	size_t kl = 0;
	for (; *j < doc->ntok && *j - i < 2 * LX_MAX_NAME_TOKENS && !kl; (*j)++) {
		const sr_token *t = &doc->toks[*j];
		if (t->cls != SR_TOK_WORD && t->cls != SR_TOK_NUMBER && t->cls != SR_TOK_HASHTAG)
			return 0;
		kl = fold_hash(doc, t, th);
	}
	return kl;
}

/* What the names whose key starts at token i may give (LX_WANTS_*): the
 * names table walked from i as longest() walks it, every name met on the
 * way (whatever its case and capitals, and past any article: more than
 * the recognizer may take, never less). */
static unsigned
walk_wants(const sr_lexicon *lx, const sr_doc *doc, size_t i, uint64_t first)
{
	unsigned w = 0;
	uint64_t h = lx_seq(LX_SEQ_START, first);
	size_t j = i + 1;
	for (;;) {
		const lx_slot *s = lx_table_get(&lx->names, h);
		if (!s)
			break;
		for (uint32_t r = 0; r < s->count; r++)
			w |= lx_entry_wants(&lx->entries[lx->refs[s->first + r].entry]);
		if (!(s->flags & LX_SLOT_PREFIX))
			break;
		/* the next token that is no bare article */
		uint64_t th = 0;
		if (!next_key(doc, i, &j, &th))
			break;
		h = lx_seq(h, th);
		if (!LX_BIT_TEST(lx->seq_bits, LX_SEQ_BITS, h))
			break;
	}
	return w;
}

/* Does a phrase of table t (forces or shapes) whose entry passes ok
 * start at token i (of folded hash first)?  As longest() walks it, past
 * any article. */
static bool
walk_phrase(const sr_lexicon *lx, const lx_table *t, const sr_doc *doc, size_t i, uint64_t first,
	    bool (*ok)(const lx_entry *))
{
	uint64_t h = lx_seq(LX_SEQ_START, first);
	size_t j = i + 1;
	for (;;) {
		const lx_slot *s = lx_table_get(t, h);
		if (!s)
			return false;
		for (uint32_t r = 0; r < s->count; r++)
			if (ok(&lx->entries[lx->refs[s->first + r].entry]))
				return true;
		if (!(s->flags & LX_SLOT_PREFIX))
			return false;
		uint64_t th = 0;
		if (!next_key(doc, i, &j, &th))
			return false;
		h = lx_seq(h, th);
	}
}

static bool
force_ok(const lx_entry *e)
{
	return e->feat == 1;
}

static bool
site_ok(const lx_entry *e)
{
	return (lx_entry_wants(e) & LX_WANTS_ARMED) != 0;
}

/* lazy_ok's test of token t before its last step: 1 when t is a plain
 * lower-case word whose folded key begins with the 4 bytes *w (as
 * lx_lower4 reads them), 0 when it is none (it is then hashed). */
static inline bool
plain_lower(const sr_doc *doc, const sr_token *t, uint64_t *w)
{
	const unsigned char *u = (const unsigned char *)t->s;
	size_t n = t->len;
	if (!n || t->nstart + 5 > doc->nlen + 1)
		return false;
	uint64_t v = (uint64_t)u[0] | (uint64_t)u[1] << 8 | (uint64_t)u[2] << 16 |
		     (uint64_t)u[3] << 24 | (uint64_t)u[4] << 32;
	if (n == 2 && u[0] == '\'' && (u[1] | 32) == 's')
		v = 's';
	else if ((n <= 3 && lx_is_article(t->s, n)) || (unsigned)(u[0] - 'A') < 26u ||
		 (n >= 6 && (u[2] == '-' || u[3] == '-')) ||
		 (n == 5 && (u[4] | 32) == 'h' && ((u[3] | 32) == 'a' || (u[3] | 32) == 'e')))
		return false;
	*w = v & (n >= 4 ? 0xFFFFFFFFull : (1ull << (8 * n)) - 1);
	if (!swar_plain(*w) || HAS_ZERO(*w ^ ('#' * ONES)))
		return false;
	*w = swar_lower(*w);
	return true;
}

bool
sr_recognizer_may_find(const sr_recognizer *r, const sr_doc *doc, unsigned want)
{
	const sr_lexicon *lx = r->lx;
	bool nation = false, force_phrase = false;
	bool art = false;       /* the token before is a bare article */
	for (size_t i = 0; i < doc->ntok; i++) {
		const sr_token *t = &doc->toks[i];
		bool after_art = art;
		art = false;
		if (t->cls != SR_TOK_WORD && t->cls != SR_TOK_NUMBER && t->cls != SR_TOK_HASHTAG)
			continue;
		/* a word prepare() leaves lazy starts no name (unless after
		 * an article, where longest() may begin: "al" + an exact-case
		 * name in lower case): it matters only as the first word of
		 * a force phrase or a site shape */
		uint64_t w4;
		bool lazy = false;
		if (!after_art && t->cls == SR_TOK_WORD && !(t->flags & (SR_TF_UPPER1 | SR_TF_ALLCAPS)) &&
		    plain_lower(doc, t, &w4)) {
			uint32_t b = lx_lower4(w4);
			lazy = !LX_BIT_TEST(lx->lower4, LX_LOWER4_BITS, b);
			if (lazy && !LX_BIT_TEST(lx->want4, LX_LOWER4_BITS, b))
				continue;
		}
		uint64_t h;
		if (!fold_hash(doc, t, &h)) {
			art = true;     /* a bare article */
			continue;
		}
		if ((want & SR_MAY_ARMED) && LX_BIT_TEST(lx->site_first, LX_WANT_SMALL_BITS, h) &&
		    walk_phrase(lx, &lx->shapes, doc, i, h, site_ok))
			return true;    /* a site's shape */
		if ((want & SR_MAY_FORCE) && !force_phrase && LX_BIT_TEST(lx->force_first, LX_WANT_SMALL_BITS, h) &&
		    walk_phrase(lx, &lx->forces, doc, i, h, force_ok)) {
			force_phrase = true;
			if (nation)
				return true;
		}
		if (lazy)
			continue;
		bool armed = LX_BIT_TEST(lx->want_armed, LX_WANT_BITS, h);
		bool force = (want & SR_MAY_FORCE) &&
			     (LX_BIT_TEST(lx->want_force, LX_WANT_BITS, h) || lx->gov_force);
		if (!armed && !force)
			continue;
		unsigned got = walk_wants(lx, doc, i, h);
		if (lx->gov_force && (got & LX_WANTS_CAPITAL))
			got |= LX_WANTS_FORCE;
		if (((want & SR_MAY_FORCE) && (got & LX_WANTS_FORCE)) ||
		    ((want & SR_MAY_ARMED) && (got & LX_WANTS_ARMED)))
			return true;
		if (got & LX_WANTS_NATION) {
			nation = true;
			if (force_phrase)
				return true;
		}
	}
	return false;
}
