/*
 * model.c -- the syntax model: names of the closed tag and relation sets,
 * loading the model file, and the one scoring loop both classifiers use.
 *
 * The file is read whole into one buffer and its tables are used where
 * they lie (no parsing, no copying), so loading costs one read.  Every
 * size and offset is checked against the file before use: a damaged
 * file gives an error, never a wild read.
 */
#include "syntax_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#ifdef __unix__
#include <sys/mman.h>
#endif

static const char *const upos_names[SR_UPOS_COUNT] = {
	"_", "ADJ", "ADP", "ADV", "AUX", "CCONJ", "DET", "INTJ", "NOUN", "NUM",
	"PART", "PRON", "PROPN", "PUNCT", "SCONJ", "SYM", "VERB", "X",
};

static const char *const deprel_names[SR_DEP_COUNT] = {
	"_", "acl", "advcl", "advmod", "amod", "appos", "aux", "case", "cc",
	"ccomp", "clf", "compound", "conj", "cop", "csubj", "dep", "det",
	"discourse", "dislocated", "expl", "fixed", "flat", "goeswith", "iobj",
	"list", "mark", "nmod", "nsubj", "nummod", "obj", "obl", "orphan",
	"parataxis", "punct", "reparandum", "root", "vocative", "xcomp",
	"acl:relcl", "advcl:relcl", "aux:pass", "cc:preconj", "compound:prt",
	"csubj:outer", "csubj:pass", "det:predet", "nmod:desc", "nmod:poss",
	"nmod:unmarked", "nsubj:outer", "nsubj:pass", "obl:agent",
	"obl:unmarked",
};

const char *
sr_upos_name(int upos)
{
	return upos > 0 && upos < SR_UPOS_COUNT ? upos_names[upos] : "_";
}

int
sr_upos_id(const char *name)
{
	for (int i = 1; i < SR_UPOS_COUNT; i++)
		if (!strcmp(name, upos_names[i]))
			return i;
	return SR_UPOS_NONE;
}

const char *
sr_deprel_name(int deprel)
{
	return deprel > 0 && deprel < SR_DEP_COUNT ? deprel_names[deprel] : "_";
}

int
sr_deprel_id(const char *name)
{
	for (int i = 1; i < SR_DEP_COUNT; i++)
		if (!strcmp(name, deprel_names[i]))
			return i;
	return SR_DEP_NONE;
}

/* The base relation of each relation, from the names ("nmod:poss" ->
 * "nmod"), made once: the event rules ask for it in loops over every
 * word of a tree. */
static uint8_t deprel_bases[SR_DEP_COUNT];
static pthread_once_t deprel_bases_once = PTHREAD_ONCE_INIT;

static void
deprel_bases_make(void)
{
	for (int d = 1; d < SR_DEP_COUNT; d++) {
		const char *s = deprel_names[d], *c = strchr(s, ':');
		deprel_bases[d] = (uint8_t)d;
		for (int i = 1; c && i < SR_DEP_COUNT; i++)
			if (!strncmp(deprel_names[i], s, (size_t)(c - s)) && !deprel_names[i][c - s]) {
				deprel_bases[d] = (uint8_t)i;
				break;
			}
	}
}

int
sr_deprel_base(int deprel)
{
	if (deprel <= 0 || deprel >= SR_DEP_COUNT)
		return SR_DEP_NONE;
	pthread_once(&deprel_bases_once, deprel_bases_make);
	return deprel_bases[deprel];
}

const char *
sr_syntax_default_path(void)
{
	static _Thread_local char path[4096];
	const char *env = getenv("SITREP_SYNTAX");
	if (env && *env)
		return env;
	snprintf(path, sizeof path, "%s/syntax.model", sr_lexicon_default_dir());
	return path;
}

const char *
sr_xpos_name(const sr_syntax *m, int xpos)
{
	if (!m || xpos < 0 || (uint32_t)xpos >= m->nxpos)
		return "_";
	return m->xpos_names[xpos];
}

/* Adds a dense row d (npad int16, a multiple of 16) to scores (npad
 * int32, 32-byte aligned): sixteen classes a step where the processor has
 * AVX2, eight with SSE2, one otherwise.  Rows of int16 take half the
 * memory of int32 ones, and memory, not arithmetic, is what scoring
 * waits for. */
#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
__attribute__((target("avx2"))) static void
add_dense_avx2(int32_t *scores, const int16_t *d, uint32_t npad)
{
	for (uint32_t c = 0; c < npad; c += 16) {
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(d + c));
		__m256i lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(x));
		__m256i hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256(x, 1));
		__m256i *s = (__m256i *)(void *)(scores + c);
		_mm256_store_si256(s, _mm256_add_epi32(_mm256_load_si256(s), lo));
		_mm256_store_si256(s + 1, _mm256_add_epi32(_mm256_load_si256(s + 1), hi));
	}
}

/* Finds the packed rows (see sy_weights.packed) of the nf fingerprints
 * fps[] into rows[] (absent ones skipped), with one compare of the
 * bucket's eight fingerprints into a mask, and asks for each row's
 * first two lines; returns their number. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,popcnt"))) static size_t
find_packed_avx512(const sy_weights *w, const uint32_t *fps, size_t nf, uint32_t *rows)
{
	const uint32_t *packed = w->packed;
	size_t nr = 0;
	for (size_t f = 0; f < nf; f++) {
		__m256i want = _mm256_set1_epi32((int)fps[f]);
		uint64_t i = sy_slot_of(fps[f], w->mask);
		__m256i v = _mm256_load_si256((const __m256i *)(const void *)w->slots[i].fp);
		uint32_t m = _mm256_cmpeq_epi32_mask(v, want), e = _mm256_testn_epi32_mask(v, v);
		while (__builtin_expect(!(m | e), 0)) {
			i = (i + 1) & w->mask;
			v = _mm256_load_si256((const __m256i *)(const void *)w->slots[i].fp);
			m = _mm256_cmpeq_epi32_mask(v, want);
			e = _mm256_testn_epi32_mask(v, v);
		}
		rows[nr] = w->slots[i].off[__builtin_ctz(m | 0x100) & 7];
		const char *h = (const char *)(packed + (rows[nr] & SY_PACK_OFF_MASK));
		__builtin_prefetch(h);
		__builtin_prefetch(h + 64);
		nr += m != 0;
	}
	return nr;
}

/* Sets out (classes 0..127) to the sum of the bases seg->base[] and the
 * packed rows rows[0..nr) (from find_packed_avx512).  Each row's four
 * blocks of 32 classes are expanded from its packed int8 weights,
 * shifted left by the row's shift and added as 16-bit sums, which are
 * widened into the 32-bit scores before they could overflow: a row adds
 * at most 127 << shift to a class, and the 16-bit sums are flushed
 * whenever those bounds of the rows in them would pass 32767.  So the
 * sums are exact, the same as one class at a time, and the 128 scores
 * stay in registers. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,popcnt"))) static void
add_packed_avx512(const sy_weights *w, const uint32_t *rows, size_t nr, const sy_seg *seg)
{
	const uint32_t *packed = w->packed;
	__m512i a0 = _mm512_setzero_si512(), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
	for (int k = 0; k < 2; k++) {
		const int32_t *b = seg->base[k];
		if (!b)
			continue;
		a0 = _mm512_add_epi32(a0, _mm512_loadu_si512((const void *)(b + 0)));
		a1 = _mm512_add_epi32(a1, _mm512_loadu_si512((const void *)(b + 16)));
		a2 = _mm512_add_epi32(a2, _mm512_loadu_si512((const void *)(b + 32)));
		a3 = _mm512_add_epi32(a3, _mm512_loadu_si512((const void *)(b + 48)));
		a4 = _mm512_add_epi32(a4, _mm512_loadu_si512((const void *)(b + 64)));
		a5 = _mm512_add_epi32(a5, _mm512_loadu_si512((const void *)(b + 80)));
		a6 = _mm512_add_epi32(a6, _mm512_loadu_si512((const void *)(b + 96)));
		a7 = _mm512_add_epi32(a7, _mm512_loadu_si512((const void *)(b + 112)));
	}
	__m512i s0 = _mm512_setzero_si512(), s1 = s0, s2 = s0, s3 = s0;
	uint32_t bound = 0;
#define WIDEN(sb, lo, hi)                                                                     \
	do {                                                                                  \
		lo = _mm512_add_epi32(lo, _mm512_cvtepi16_epi32(_mm512_castsi512_si256(sb)));  \
		hi = _mm512_add_epi32(hi, _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(sb, 1))); \
		sb = _mm512_setzero_si512();                                                  \
	} while (0)
	for (size_t r = 0; r < nr; r++) {
		uint32_t sh = rows[r] >> SY_PACK_OFF_BITS, rb = 127u << sh;
		if (bound + rb > 32767) {
			WIDEN(s0, a0, a1);
			WIDEN(s1, a2, a3);
			WIDEN(s2, a4, a5);
			WIDEN(s3, a6, a7);
			bound = 0;
		}
		bound += rb;
		__m128i cnt = _mm_cvtsi32_si128((int)sh);
		const uint32_t *h = packed + (rows[r] & SY_PACK_OFF_MASK);
		const int8_t *p = (const int8_t *)(const void *)(h + 4);
		/* the block of classes 32 b .. 32 b + 31 */
#define BLOCK(b, sb)                                                                          \
		do {                                                                          \
			__m256i q = _mm256_maskz_expandloadu_epi8((__mmask32)h[b], p);        \
			sb = _mm512_add_epi16(sb, _mm512_sll_epi16(_mm512_cvtepi8_epi16(q), cnt)); \
			p += __builtin_popcount(h[b]);                                        \
		} while (0)
		BLOCK(0, s0);
		BLOCK(1, s1);
		BLOCK(2, s2);
		BLOCK(3, s3);
#undef BLOCK
	}
	WIDEN(s0, a0, a1);
	WIDEN(s1, a2, a3);
	WIDEN(s2, a4, a5);
	WIDEN(s3, a6, a7);
#undef WIDEN
	int32_t *out = seg->out;
	_mm512_storeu_si512((void *)(out + 0), a0);
	_mm512_storeu_si512((void *)(out + 16), a1);
	_mm512_storeu_si512((void *)(out + 32), a2);
	_mm512_storeu_si512((void *)(out + 48), a3);
	_mm512_storeu_si512((void *)(out + 64), a4);
	_mm512_storeu_si512((void *)(out + 80), a5);
	_mm512_storeu_si512((void *)(out + 96), a6);
	_mm512_storeu_si512((void *)(out + 112), a7);
}

/* sy_argmax where the processor has AVX-512: the largest allowed
 * score, then the first allowed class that has it. */
__attribute__((target("avx512f,avx512bw,avx512vl,avx512vbmi2,popcnt"))) static int
argmax_avx512(const int32_t *scores, const uint64_t allowed[2])
{
	__m512i lo = _mm512_set1_epi32(INT32_MIN), best = lo, v[8];
	__mmask16 ok[8];
	for (int k = 0; k < 8; k++) {
		ok[k] = (__mmask16)(allowed[k / 4] >> (16 * (k % 4)));
		v[k] = _mm512_mask_loadu_epi32(lo, ok[k], scores + 16 * k);
		best = _mm512_max_epi32(best, v[k]);
	}
	if (!(allowed[0] | allowed[1]))
		return -1;
	__m512i top = _mm512_set1_epi32(_mm512_reduce_max_epi32(best));
	for (int k = 0; k < 8; k++) {
		uint32_t eq = _mm512_mask_cmpeq_epi32_mask(ok[k], v[k], top);
		if (eq)
			return 16 * k + __builtin_ctz(eq);
	}
	return -1;
}

/* sy_argmax where the processor has AVX2 but not what the packed rows
 * need (and under valgrind, which lacks AVX-512): the same answer, the
 * first allowed class of the largest allowed score, eight classes a
 * step instead of one. */
__attribute__((target("avx2"))) static int
argmax_avx2(const int32_t *scores, const uint64_t allowed[2])
{
	if (!(allowed[0] | allowed[1]))
		return -1;
	const __m256i bit = _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128);
	const __m256i lo = _mm256_set1_epi32(INT32_MIN);
	__m256i best = lo, v[16];
	for (int k = 0; k < 16; k++) {
		int b = (int)(allowed[k / 8] >> (8 * (k % 8)) & 0xff);
		__m256i ok = _mm256_cmpeq_epi32(_mm256_and_si256(_mm256_set1_epi32(b), bit), bit);
		__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)(scores + 8 * k));
		v[k] = _mm256_blendv_epi8(lo, x, ok);
		best = _mm256_max_epi32(best, v[k]);
	}
	/* the largest in every lane, then the first allowed class with it */
	best = _mm256_max_epi32(best, _mm256_permute2x128_si256(best, best, 1));
	best = _mm256_max_epi32(best, _mm256_shuffle_epi32(best, 0x4e));
	best = _mm256_max_epi32(best, _mm256_shuffle_epi32(best, 0xb1));
	for (int k = 0; k < 16; k++) {
		uint32_t eq = (uint32_t)_mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(v[k], best)));
		eq &= (uint32_t)(allowed[k / 8] >> (8 * (k % 8))) & 0xff;
		if (eq)
			return 8 * k + __builtin_ctz(eq);
	}
	return -1;
}

/* Does the processor run add_packed_avx512? */
static bool
packed_ok(void)
{
	const char *no = getenv("SITREP_NO_AVX512");
	if (no && *no && strcmp(no, "0"))
		return false;   /* the portable path, for tests */
	__builtin_cpu_init();
	return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
	       __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vbmi2");
}
#else
static bool
packed_ok(void)
{
	return false;
}
#endif

static void
add_dense(int32_t *scores, const int16_t *d, uint32_t npad, bool avx2)
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (avx2) {
		add_dense_avx2(scores, d, npad);
		return;
	}
#else
	(void)avx2;
#endif
#ifdef __SSE2__
	for (uint32_t c = 0; c < npad; c += 8) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(d + c));
		/* sign-extend: each int16 into the high half, shifted down */
		__m128i lo = _mm_srai_epi32(_mm_unpacklo_epi16(x, x), 16);
		__m128i hi = _mm_srai_epi32(_mm_unpackhi_epi16(x, x), 16);
		__m128i *s = (__m128i *)(void *)(scores + c);
		_mm_store_si128(s, _mm_add_epi32(_mm_load_si128(s), lo));
		_mm_store_si128(s + 1, _mm_add_epi32(_mm_load_si128(s + 1), hi));
	}
#else
	for (uint32_t c = 0; c < npad; c++)
		scores[c] += d[c];
#endif
}

/* The bucket of fingerprint fp and where in it fp is: *m has bit j set
 * where slot j holds fp, *e where slot j is empty. */
static inline void
bucket_match(const sy_bucket *b, uint32_t fp, uint32_t *m, uint32_t *e)
{
#ifdef __SSE2__
	__m128i f = _mm_set1_epi32((int)fp), z = _mm_setzero_si128();
	__m128i lo = _mm_load_si128((const __m128i *)(const void *)b->fp);
	__m128i hi = _mm_load_si128((const __m128i *)(const void *)(b->fp + 4));
	*m = (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, f))) |
	     (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, f))) << 4;
	*e = (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, z))) |
	     (uint32_t)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, z))) << 4;
#else
	uint32_t mm = 0, ee = 0;
	for (int j = 0; j < 8; j++) {
		mm |= (uint32_t)(b->fp[j] == fp) << j;
		ee |= (uint32_t)(b->fp[j] == 0) << j;
	}
	*m = mm;
	*e = ee;
#endif
}

/* Finds the rows of the nf fingerprints fps[] (in order; absent ones
 * skipped) into rows[]; returns their number.  The common case, the
 * fingerprint's bucket holding it or an empty slot, takes no branch. */
static size_t
find_rows(const sy_weights *w, const uint32_t *fps, size_t nf, uint32_t *rows)
{
	size_t nr = 0;
	for (size_t f = 0; f < nf; f++) {
		uint32_t fp = fps[f], m, e;
		uint64_t i = sy_slot_of(fp, w->mask);
		bucket_match(&w->slots[i], fp, &m, &e);
		while (__builtin_expect(!(m | e), 0)) {
			i = (i + 1) & w->mask;
			bucket_match(&w->slots[i], fp, &m, &e);
		}
		rows[nr] = w->slots[i].off[__builtin_ctz(m | 0x100) & 7];
		nr += m != 0;
	}
	return nr;
}

/* Adds the rows rows[0..nr) (from find_rows) to scores. */
static void
add_rows(const sy_weights *w, const uint32_t *rows, size_t nr, int32_t *scores)
{
	for (size_t r = 0; r < nr; r++) {
		if (rows[r] & SY_DENSE) {
			add_dense(scores, w->dense + (size_t)(rows[r] & ~SY_DENSE) * w->npad,
				  w->npad, w->avx2);
			continue;
		}
		const sy_ent *e = &w->ents[rows[r]];
		uint32_t n = e->cls;
		for (uint32_t j = 1; j <= n; j++)
			scores[e[j].cls] += e[j].w;
	}
}

void
sy_score_segs(const sy_weights *w, const uint64_t *keys, const sy_seg *segs, size_t nseg)
{
	if (!nseg)
		return;
	/* find every row first (the buckets are spread over a table larger
	   than the caches: asking for all of them before reading lets the
	   misses overlap), then add the rows of each segment */
	size_t nf = w->slots ? segs[nseg - 1].end : 0;
	uint32_t rows[SY_SEG_KEYS], fps[SY_SEG_KEYS];
	uint16_t rend[SY_SEG_KEYS];
	if (nf > SY_SEG_KEYS)
		nf = SY_SEG_KEYS;   /* callers stay within; never read past */
	if (nseg > SY_SEG_KEYS)
		nseg = SY_SEG_KEYS;
	for (size_t f = 0; f < nf; f++) {
		fps[f] = sy_fp(keys[f]);
		__builtin_prefetch(&w->slots[sy_slot_of(fps[f], w->mask)]);
	}
	size_t nr = 0, from = 0;
	for (size_t sg = 0; sg < nseg; sg++) {
		size_t to = segs[sg].end < nf ? segs[sg].end : nf;
		if (to < from)
			to = from;
#if defined(__x86_64__) && defined(__GNUC__)
		if (w->packed)
			nr += find_packed_avx512(w, fps + from, to - from, rows + nr);
		else
#endif
			nr += find_rows(w, fps + from, to - from, rows + nr);
		rend[sg] = (uint16_t)nr;
		from = to;
	}
	if (!w->packed)
		for (size_t r = 0; r < nr; r++)
			if (!(rows[r] & SY_DENSE))
				__builtin_prefetch(&w->ents[rows[r]]);
	size_t r0 = 0;
	for (size_t sg = 0; sg < nseg; sg++) {
		const sy_seg *g = &segs[sg];
#if defined(__x86_64__) && defined(__GNUC__)
		if (w->packed) {
			add_packed_avx512(w, rows + r0, rend[sg] - r0, g);
			r0 = rend[sg];
			continue;
		}
#endif
		int32_t *out = g->out;
		const int32_t *b0 = g->base[0], *b1 = g->base[1];
		if (b0 && b1) {
			for (size_t c = 0; c < SY_SCORES; c++)
				out[c] = b0[c] + b1[c];
		} else if (b0 || b1) {
			if ((b0 ? b0 : b1) != out)
				memcpy(out, b0 ? b0 : b1, SY_SCORES * sizeof *out);
		} else {
			memset(out, 0, SY_SCORES * sizeof *out);
		}
		add_rows(w, rows + r0, rend[sg] - r0, out);
		r0 = rend[sg];
	}
}

int
sy_argmax(const sy_weights *w, const int32_t *scores, const uint64_t allowed[2])
{
#if defined(__x86_64__) && defined(__GNUC__)
	if (w->packed)
		return argmax_avx512(scores, allowed);
	if (w->avx2)
		return argmax_avx2(scores, allowed);
#else
	(void)w;
#endif
	int best = -1;
	for (int c = 0; c < 128; c++)
		if ((allowed[c / 64] >> (c % 64) & 1) && (best < 0 || scores[c] > scores[best]))
			best = c;
	return best;
}

void
sy_score(const sy_weights *w, const uint64_t *keys, size_t nf, int32_t *scores)
{
	sy_seg seg = {nf, scores, {scores, NULL}};
	sy_score_segs(w, keys, &seg, 1);
}

/* ------------------------------------------------------------- loading */

typedef struct blob {
	const uint8_t *p;
	uint64_t size;
} blob;

enum { B_CONF, B_TAGS, B_XPOS, B_LABS, B_AMBK, B_AMBV, B_TAGS_SLOTS, B_TAGS_ENTS,
       B_PAR_SLOTS, B_PAR_ENTS, B_LEMXK, B_LEMXV, B_LEMRK, B_LEMRV, B_RULES,
       B_STRS, B_HYK, B_HYV, B_CLK, B_CLV, B_TDK, B_TDV, B_COUNT };
static const char blob_tags[B_COUNT][5] = {
	"CONF", "TAGS", "XPOS", "LABS", "AMBK", "AMBV", "TGFP", "TGEN",
	"PAFP", "PAEN", "LXKY", "LXVL", "LRKY", "LRVL", "RULE", "STRS",
	"HYKY", "HYVL", "CLKY", "CLVL", "TDKY", "TDVL",
};

static int
fail(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "%s: %s", path, what);
	return -1;
}

static bool
map_from(sy_map *m, const blob *k, const blob *v)
{
	uint64_t n = k->size / 8;
	if (!n) {
		m->keys = NULL;
		m->mask = 0;
		return v->size == 0;
	}
	if ((n & (n - 1)) || v->size != n * 4)
		return false;
	m->keys = (const uint64_t *)k->p;
	m->vals = (const uint32_t *)v->p;
	m->mask = n - 1;
	/* a table without an empty slot would make a lookup loop forever */
	for (uint64_t i = 0; i < n; i++)
		if (!m->keys[i])
			return true;
	return false;
}

/* A large table read at random (weights, their slots): aligned to 2 MB
 * and, on Linux, asked to live in huge pages, so that a lookup does not
 * also miss the TLB (a 4 KB page per lookup over 20 MB of tables costs
 * about as much as the lookup itself).  Freed with free(). */
static void *
big_alloc(size_t size)
{
	enum { HUGE = 2u << 20 };
	size_t align = size >= HUGE ? HUGE : 64;
	void *p = aligned_alloc(align, (size + align - 1) & ~(align - 1));
	if (!p)
		sr_oom(size);   /* the project's out-of-memory message, not abort() */
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	if (align == HUGE)
		(void)madvise(p, (size + align - 1) & ~(align - 1), MADV_HUGEPAGE);
#endif
	return p;
}

/* The shift of a row of weights of largest magnitude big: the least
 * that brings it within int8 (7 bits and a sign). */
static uint32_t
row_shift(uint32_t big)
{
	uint32_t sh = 0;
	while (sh < 8 && (big + (1u << sh >> 1)) >> sh > 127)
		sh++;
	return sh;   /* 127 << 8 still fits int16 */
}

/* Rounds the weights of the row e (e->cls entries after it) to int8
 * shifted left by the row's shift (the nearest, ties away from zero);
 * returns the shift.  Both scoring paths read the rounded rows, so they
 * give the same scores. */
static uint32_t
round_row(sy_ent *e)
{
	uint32_t big = 0;
	for (uint32_t j = 1; j <= e->cls; j++) {
		uint32_t v = (uint32_t)abs(e[j].w);
		big = v > big ? v : big;
	}
	uint32_t sh = row_shift(big);
	for (uint32_t j = 1; j <= e->cls && sh; j++) {
		int v = e[j].w, half = 1 << (sh - 1);
		int q = (v >= 0 ? v + half : v - half) / (1 << sh);
		q = q > 127 ? 127 : q < -127 ? -127 : q;
		e[j].w = (int16_t)(q * (1 << sh));
	}
	return sh;
}

/* The 32-bit words of a packed row of n entries. */
static size_t
packed_words(size_t n)
{
	return 4 + (n + 3) / 4;
}

/* Writes the rounded row e (e->cls entries after it, shift sh) packed
 * at h, which is zero (see sy_weights.packed); returns the 32-bit words
 * it takes, 0 if the row names a class twice. */
static size_t
pack_row(uint32_t *h, const sy_ent *e, uint32_t sh)
{
	uint32_t n = e->cls;
	if (n > SY_PACK_CLASSES)
		return 0;
	/* the row in class order (the file's rows need not be): an
	   insertion sort, rows are short */
	sy_ent row[SY_PACK_CLASSES];
	for (uint32_t j = 0; j < n; j++) {
		sy_ent v = e[j + 1];
		uint32_t i = j;
		for (; i > 0 && row[i - 1].cls > v.cls; i--)
			row[i] = row[i - 1];
		row[i] = v;
	}
	int8_t *p = (int8_t *)(void *)(h + 4);
	for (uint32_t j = 0; j < n; j++) {
		uint32_t c = row[j].cls;
		if (j > 0 && row[j - 1].cls == c)
			return 0;
		h[c / 32] |= 1u << (c % 32);
		p[j] = (int8_t)(row[j].w / (1 << sh));
	}
	return packed_words(n);
}

/* Where a packed row of k 32-bit words goes when the next free word is
 * at: there, unless it would then cross more cache lines than it must,
 * else at the start of the next line (a lookup reads the row's lines,
 * and a line read is what a lookup waits for). */
static size_t
row_at(size_t at, size_t k)
{
	size_t in = at % 16, lines = (in + k + 15) / 16, least = (k + 15) / 16;
	return lines > least ? at + 16 - in : at;
}

bool
sy_weights_build(sy_weights *w, const uint32_t *fps, size_t nrows,
		 const sy_ent *ents, size_t nents, uint32_t ncls)
{
	memset(w, 0, sizeof *w);
	if (ncls > SY_MAX_CLASSES)
		return false;
	size_t nb = 2;
	while (nb * 5 < nrows * 2)   /* at most 2.5 rows a bucket of eight: few overflow */
		nb *= 2;
	w->slots = big_alloc(nb * sizeof *w->slots);
	memset(w->slots, 0, nb * sizeof *w->slots);
	w->mask = nb - 1;
	w->ents = ents;
	w->ncls = ncls;
	w->nrows = (uint32_t)nrows;
	w->npad = (ncls + 15) & ~15u;
#if defined(__x86_64__) && defined(__GNUC__)
	w->avx2 = __builtin_cpu_supports("avx2");
#endif
	/* packed rows where the processor adds them (then no dense
	   rows); else the dense rows: counted, then filled as the slots
	   are */
	bool pack = ncls <= SY_PACK_CLASSES && packed_ok();
	size_t ndense = 0, off = 0, words = 0;
	for (size_t r = 0; r < nrows && off < nents; r++) {
		if (ents[off].cls >= SY_DENSE_MIN)
			ndense++;
		words = row_at(words, packed_words(ents[off].cls)) + packed_words(ents[off].cls);
		off += 1 + (size_t)ents[off].cls;
	}
	if (words > SY_PACK_OFF_MASK)
		pack = false;
	/* every row rounded to 8 significant bits (round_row): a packed
	   row as it is packed, else a copy of all of them */
	if (!pack) {
		w->qents = sr_malloc((nents ? nents : 1) * sizeof *w->qents);
		memcpy(w->qents, ents, nents * sizeof *ents);
		for (size_t o = 0; o < nents; o += 1 + (size_t)w->qents[o].cls) {
			if (o + 1 + (size_t)w->qents[o].cls > nents)
				return false;
			round_row(&w->qents[o]);
		}
		w->ents = ents = w->qents;
	}
	if (pack) {
		w->packed = big_alloc(words * sizeof *w->packed + 64);
		memset(w->packed, 0, words * sizeof *w->packed + 64);
		ndense = 0;
	}
	size_t dbytes = (ndense ? ndense : 1) * w->npad * sizeof *w->dense;
	w->dense = big_alloc(dbytes);
	memset(w->dense, 0, dbytes);
	ndense = 0;
	off = 0;
	size_t at = 0;
	for (size_t r = 0; r < nrows; r++) {
		if (off >= nents || off + 1 + (size_t)ents[off].cls > nents || !fps[r])
			return false;
		for (uint32_t j = 1; j <= ents[off].cls; j++)
			if (ents[off + j].cls >= ncls)
				return false;
		/* the bucket of a row further on, asked for now: the
		   buckets are written at random */
		if (r + 16 < nrows)
			__builtin_prefetch(&w->slots[sy_slot_of(fps[r + 16], w->mask)], 1);
		uint32_t m, e;
		uint64_t i = sy_slot_of(fps[r], w->mask);
		for (;; i = (i + 1) & w->mask) {
			bucket_match(&w->slots[i], fps[r], &m, &e);
			if (m)
				return false;   /* a fingerprint twice */
			if (e)
				break;
		}
		uint32_t o = (uint32_t)off;
		if (pack) {
			if (ents[off].cls > SY_PACK_CLASSES)
				return false;
			sy_ent row[1 + SY_PACK_CLASSES];
			memcpy(row, &ents[off], (1 + (size_t)ents[off].cls) * sizeof *row);
			uint32_t sh = round_row(row);
			at = row_at(at, packed_words(row[0].cls));
			size_t k = pack_row(w->packed + at, row, sh);
			if (!k)
				return false;
			/* the row's shift in the top bits */
			o = (uint32_t)at | sh << SY_PACK_OFF_BITS;
			at += k;
		} else if (ents[off].cls >= SY_DENSE_MIN) {
			int16_t *d = w->dense + ndense * w->npad;
			for (uint32_t j = 1; j <= ents[off].cls; j++)
				d[ents[off + j].cls] = ents[off + j].w;
			o = SY_DENSE | (uint32_t)ndense++;
		}
		int j = __builtin_ctz(e);
		w->slots[i].fp[j] = fps[r];
		w->slots[i].off[j] = o;
		off += 1 + (size_t)ents[off].cls;
	}
	if (pack)
		w->ents = NULL;   /* the packed rows are all that is read */
	return off == nents && off < SY_DENSE;
}

void
sy_weights_free(sy_weights *w)
{
	free(w->slots);
	free(w->dense);
	free(w->packed);
	free(w->qents);
	w->qents = NULL;
	w->slots = NULL;
	w->dense = NULL;
	w->packed = NULL;
}

static bool
weights_from(sy_weights *w, const blob *f, const blob *e, uint32_t ncls)
{
	if (f->size % 4 || e->size % 4)
		return false;
	return sy_weights_build(w, (const uint32_t *)f->p, f->size / 4,
				(const sy_ent *)e->p, e->size / 4, ncls);
}

static int
model_from(sr_syntax *m, const char *path, char *err, size_t errlen)
{
	const uint8_t *p = m->file, *end = p + m->size;
	if (m->size < 16 || memcmp(p, SY_MAGIC, 8))
		return fail(err, errlen, path, "not a sitrep syntax model (retrain with 'make model')");
	uint32_t ver;
	memcpy(&ver, p + 8, 4);
	if (ver != SY_VERSION)
		return fail(err, errlen, path, "a syntax model of another version (retrain with 'make model')");
	blob b[B_COUNT] = {{0}};
	for (p += 16; p < end;) {
		if (end - p < 16)
			return fail(err, errlen, path, "truncated model file");
		uint64_t size;
		memcpy(&size, p + 8, 8);
		const uint8_t *data = p + 16;
		if (size > (uint64_t)(end - data))
			return fail(err, errlen, path, "truncated model file");
		for (int i = 0; i < B_COUNT; i++)
			if (!memcmp(p, blob_tags[i], 4))
				b[i] = (blob){data, size};
		p = data + ((size + 7) & ~(uint64_t)7);
	}
	/* every table but the tag dictionary, which a model may lack (then
	   every word is scored) */
	for (int i = 0; i < B_TDK; i++)
		if (!b[i].p)
			return fail(err, errlen, path, "model file lacks a table (retrain with 'make model')");
	if (b[B_CONF].size < 16)
		return fail(err, errlen, path, "bad CONF table");
	uint32_t conf[4];
	memcpy(conf, b[B_CONF].p, 16);
	m->ntags = conf[0];
	m->nxpos = conf[1];
	m->nlabels = conf[2];
	if (!m->ntags || m->ntags > SY_MAX_TAGS || b[B_TAGS].size != 2 * m->ntags ||
	    !m->nlabels || m->nlabels > SY_MAX_LABELS || b[B_LABS].size != m->nlabels ||
	    1 + 2 * m->nlabels > 128)   /* the parser's classes fit sy_argmax's 128 */
		return fail(err, errlen, path, "bad tag or label table");
	m->tag_upos = b[B_TAGS].p;
	m->tag_xpos = b[B_TAGS].p + m->ntags;
	m->labels = b[B_LABS].p;
	for (uint32_t i = 0; i < m->ntags; i++)
		if (m->tag_upos[i] >= SR_UPOS_COUNT || m->tag_xpos[i] >= m->nxpos)
			return fail(err, errlen, path, "bad tag table");
	for (uint32_t i = 0; i < m->nlabels; i++)
		if (m->labels[i] >= SR_DEP_COUNT)
			return fail(err, errlen, path, "bad label table");
	/* XPOS names: nxpos NUL-terminated strings */
	m->xpos_names = sr_calloc(m->nxpos ? m->nxpos : 1, sizeof *m->xpos_names);
	const char *s = (const char *)b[B_XPOS].p, *se = s + b[B_XPOS].size;
	for (uint32_t i = 0; i < m->nxpos; i++) {
		const char *z = memchr(s, 0, (size_t)(se - s));
		if (!z)
			return fail(err, errlen, path, "bad XPOS table");
		m->xpos_names[i] = s;
		s = z + 1;
	}
	m->strs = (const char *)b[B_STRS].p;
	m->nstrs = (uint32_t)b[B_STRS].size;
	if (!m->nstrs || m->strs[m->nstrs - 1])
		return fail(err, errlen, path, "bad string table");
	if (!map_from(&m->amb, &b[B_AMBK], &b[B_AMBV]) ||
	    !map_from(&m->lemx, &b[B_LEMXK], &b[B_LEMXV]) ||
	    !map_from(&m->lemr, &b[B_LEMRK], &b[B_LEMRV]) ||
	    !map_from(&m->hyph, &b[B_HYK], &b[B_HYV]) ||
	    !map_from(&m->clu, &b[B_CLK], &b[B_CLV]) ||
	    !map_from(&m->tdict, &b[B_TDK], &b[B_TDV]))
		return fail(err, errlen, path, "bad word table");
	for (uint64_t i = 0; i <= m->tdict.mask && m->tdict.keys; i++)
		if (m->tdict.keys[i] && (m->tdict.vals[i] == 0 || m->tdict.vals[i] > m->ntags))
			return fail(err, errlen, path, "bad tag dictionary");
	m->rules = (const uint32_t *)b[B_RULES].p;
	uint64_t nrules = b[B_RULES].size / 4;
	for (uint64_t i = 0; i <= m->lemr.mask && m->lemr.keys; i++)
		if (m->lemr.keys[i] && m->lemr.vals[i] >= nrules)
			return fail(err, errlen, path, "bad lemma rule table");
	for (uint64_t i = 0; i < nrules; i++)
		if ((m->rules[i] & 0x7fffff) >= m->nstrs)
			return fail(err, errlen, path, "bad lemma rule table");
	for (uint64_t i = 0; i <= m->lemx.mask && m->lemx.keys; i++)
		if (m->lemx.keys[i] && m->lemx.vals[i] >= m->nstrs)
			return fail(err, errlen, path, "bad lemma table");
	if (!weights_from(&m->tagw, &b[B_TAGS_SLOTS], &b[B_TAGS_ENTS], m->ntags) ||
	    !weights_from(&m->parw, &b[B_PAR_SLOTS], &b[B_PAR_ENTS], 1 + 2 * m->nlabels))
		return fail(err, errlen, path, "bad weight table");
	return 0;
}

sr_syntax *
sr_syntax_load(const char *path, char *err, size_t errlen)
{
	if (!path)
		path = sr_syntax_default_path();
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open the syntax model: %s (build it with 'make model')",
			 path, strerror(errno));
		return NULL;
	}
	sr_syntax *m = sr_calloc(1, sizeof *m);
	if (fseek(f, 0, SEEK_END) || (long)(m->size = (size_t)ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fclose(f);
		free(m);
		snprintf(err, errlen, "%s: cannot read the syntax model", path);
		return NULL;
	}
	size_t got = 0;
#if defined(__unix__) && defined(MAP_POPULATE)
	/* mapped, read-only, its pages read in one go: no copy of the 16 MB
	   into memory of our own (the tables are used where they lie) */
	if (m->size >= 16) {
		void *p = mmap(NULL, m->size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fileno(f), 0);
		if (p != MAP_FAILED) {
			m->file = p;
			m->mapped = true;
			got = m->size;
		}
	}
#endif
	if (!m->file) {
		m->file = big_alloc(m->size ? m->size : 1);
		got = fread(m->file, 1, m->size, f);
	}
	fclose(f);
	if (got != m->size) {
		snprintf(err, errlen, "%s: cannot read the syntax model", path);
		sr_syntax_free(m);
		return NULL;
	}
	if (model_from(m, path, err, errlen)) {
		sr_syntax_free(m);
		return NULL;
	}
	return m;
}

void
sr_syntax_free(sr_syntax *m)
{
	if (!m)
		return;
#if defined(__unix__) && defined(MAP_POPULATE)
	if (m->mapped)
		munmap(m->file, m->size);
	else
#endif
		free(m->file);
	free(m->xpos_names);
	sy_weights_free(&m->tagw);
	sy_weights_free(&m->parw);
	free(m);
}
