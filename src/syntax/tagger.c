/*
 * tagger.c -- what a word looks like to the classifiers, and the
 * part-of-speech tagger: an averaged perceptron run left to right over
 * joint (UPOS, XPOS) classes, reading the word, its prefixes and
 * suffixes, its shape, its neighbours two words either side, the two
 * tags it just chose, and the word's ambiguity class (the set of tags
 * the treebank gives the word).  The words of the model's tag
 * dictionary (tools/train/tagdict.c: frequent words the treebank tags
 * one way nearly always, about 30% of running words) get their
 * class without being scored.
 *
 * A word's hashes are computed once (sy_word_features); a feature key is
 * then a mix of a template number and those hashes, one lookup each.
 */
#include "syntax_int.h"

/* Stand-ins for the words before the first and after the last. */
static const sy_wfeat bos = {
	.form = 0x1111, .lower = 0x1111, .shape = 0x1111,
	.pre = {0x1111, 0x1111, 0x1111}, .suf = {0x1111, 0x1111, 0x1111, 0x1111},
	.amb = 0xfffffff1u, .clu = 0xfffffff1u,
};
static const sy_wfeat eos = {
	.form = 0x2222, .lower = 0x2222, .shape = 0x2222,
	.pre = {0x2222, 0x2222, 0x2222}, .suf = {0x2222, 0x2222, 0x2222, 0x2222},
	.amb = 0xfffffff2u, .clu = 0xfffffff2u,
};

/* The lower-case form with every digit as 0: the key of a word in the
 * ambiguity map and its "lower" feature. */
static size_t
lower_form(const char *s, size_t n, char *out, size_t cap)
{
	if (n > cap)
		n = cap;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		else if (c >= '0' && c <= '9')
			c = '0';
		out[i] = (char)c;
	}
	return n;
}

uint64_t
sy_amb_key(const char *s, size_t n)
{
	char low[SR_MAX_TOKEN];
	low[0] = 0;
	size_t ln = lower_form(s, n, low, sizeof low);
	return sy_hash(low, ln) ^ (n > ln ? sy_mix(n) : 0);
}

void
sy_word_features(const sy_map *amb, const sy_map *clu, const char *s, size_t n,
		 sy_wfeat *f)
{
	char low[SR_MAX_TOKEN], shape[64];
	low[0] = shape[0] = 0;
	size_t ln = lower_form(s, n, low, sizeof low), sn = 0;
	uint32_t flags = 0;
	bool letter = false, upper_all = true;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char k;
		if (c >= 'A' && c <= 'Z') {
			k = 'X';
			letter = true;
			if (i == 0)
				flags |= SY_W_UPPER1;
		} else if (c >= 'a' && c <= 'z') {
			k = 'x';
			letter = true;
			upper_all = false;
		} else if (c >= '0' && c <= '9') {
			k = 'd';
			flags |= SY_W_DIGIT;
		} else if (c >= 0x80) {
			/* a non-ASCII letter or sign: one mark per character */
			if ((c & 0xc0) == 0x80)
				continue;
			k = 'u';
			letter = true;
		} else {
			k = (char)c;
			if (c == '-')
				flags |= SY_W_HYPHEN;
		}
		/* runs of one class shrink to two marks: "Xxxxx" -> "Xxx" */
		if (sn >= 2 && shape[sn - 1] == k && shape[sn - 2] == k)
			continue;
		if (sn < sizeof shape)
			shape[sn++] = k;
	}
	if (letter && upper_all)
		flags |= SY_W_ALLCAP;
	if (!letter && !(flags & SY_W_DIGIT))
		flags |= SY_W_PUNCT;
	f->form = sy_hash(s, n);
	f->lower = sy_hash(low, ln) ^ (n > ln ? sy_mix(n) : 0);
	f->shape = sy_hash(shape, sn);
	for (size_t k = 0; k < 3; k++)
		f->pre[k] = ln > k + 1 ? sy_hash(low, k + 1) : f->lower;
	for (size_t k = 0; k < 4; k++)
		f->suf[k] = ln > k + 1 ? sy_hash(low + ln - k - 1, k + 1) + 7 : f->lower;
	f->flags = flags;
	uint32_t a = 0;
	f->amb = amb && sy_map_get(amb, f->lower, &a) ? a : 0;
	f->clu = clu && sy_map_get(clu, f->lower, &a) ? a : 0;
}

void
sy_word_classes(const sy_map *amb, const sy_map *clu, sy_wfeat *w, size_t n)
{
	/* the maps (a few hundred KB) are out of the first-level caches
	   after the weights have been read: every word's slots are asked
	   for first, so that their misses overlap */
	for (size_t i = 0; i < n; i++) {
		uint64_t k = w[i].lower;
		if (amb->keys) {
			__builtin_prefetch(&amb->keys[k & amb->mask]);
			__builtin_prefetch(&amb->vals[k & amb->mask]);
		}
		if (clu->keys) {
			__builtin_prefetch(&clu->keys[k & clu->mask]);
			__builtin_prefetch(&clu->vals[k & clu->mask]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		uint32_t a = 0;
		w[i].amb = sy_map_get(amb, w[i].lower, &a) ? a : 0;
		w[i].clu = sy_map_get(clu, w[i].lower, &a) ? a : 0;
	}
}

/* Template numbers of the tagger (the parser's start at 100). */
enum {
	T_BIAS = 1, T_LOWER, T_FORM, T_SUF1, T_SUF2, T_SUF3, T_SUF4, T_PRE1,
	T_PRE2, T_PRE3, T_SHAPE, T_FLAGS, T_LM1, T_LM2, T_LP1, T_LP2,
	T_SUFM1, T_SUFP1, T_SHAPEM1, T_SHAPEP1, T_T1, T_T12, T_T1_LOWER,
	T_AMB, T_AMB_T1, T_AMBP1, T_AMBP2, T_L0_LP1, T_LM1_L0, T_T1_SUF3,
	T_AMB_AMBP1, T_LP1_T1, T_SHAPE_FLAGS_T1, T_AMB_SUF3, T_T2,
	T_LM1_T1_L0, T_AMB_LP1,
	T_CLU, T_CLUK, T_CLUM1, T_CLUP1, T_CLU_T1,
};

size_t
sy_tag_features(const sy_wfeat *w, size_t n, size_t i, const uint16_t *tags,
		uint64_t *keys)
{
	const sy_wfeat *w0 = &w[i];
	const sy_wfeat *m1 = i >= 1 ? &w[i - 1] : &bos;
	const sy_wfeat *m2 = i >= 2 ? &w[i - 2] : &bos;
	const sy_wfeat *p1 = i + 1 < n ? &w[i + 1] : &eos;
	const sy_wfeat *p2 = i + 2 < n ? &w[i + 2] : &eos;
	uint64_t t1 = i >= 1 ? tags[i - 1] : SY_MAX_TAGS;
	uint64_t t2 = i >= 2 ? tags[i - 2] : SY_MAX_TAGS;
	uint32_t fl = w0->flags | (i == 0 ? SY_W_FIRST : 0);
	size_t k = 0;
#define F(t, a, b, c) keys[k++] = sy_key((t), (a), (b), (c))
	F(T_BIAS, 0, 0, 0);
	F(T_LOWER, w0->lower, 0, 0);
	F(T_FORM, w0->form, 0, 0);
	F(T_SUF1, w0->suf[0], 0, 0);
	F(T_SUF2, w0->suf[1], 0, 0);
	F(T_SUF3, w0->suf[2], 0, 0);
	F(T_SUF4, w0->suf[3], 0, 0);
	F(T_PRE1, w0->pre[0], 0, 0);
	F(T_PRE2, w0->pre[1], 0, 0);
	F(T_PRE3, w0->pre[2], 0, 0);
	F(T_SHAPE, w0->shape, 0, 0);
	F(T_FLAGS, fl, 0, 0);
	F(T_LM1, m1->lower, 0, 0);
	F(T_LM2, m2->lower, 0, 0);
	F(T_LP1, p1->lower, 0, 0);
	F(T_LP2, p2->lower, 0, 0);
	F(T_SUFM1, m1->suf[2], 0, 0);
	F(T_SUFP1, p1->suf[2], 0, 0);
	F(T_SHAPEM1, m1->shape, 0, 0);
	F(T_SHAPEP1, p1->shape, 0, 0);
	F(T_T1, t1, 0, 0);
	F(T_T2, t2, 0, 0);
	F(T_T12, t1, t2, 0);
	F(T_T1_LOWER, t1, w0->lower, 0);
	F(T_AMB, w0->amb, 0, 0);
	F(T_AMB_T1, w0->amb, t1, 0);
	F(T_AMBP1, p1->amb, 0, 0);
	F(T_AMBP2, p2->amb, 0, 0);
	F(T_L0_LP1, w0->lower, p1->lower, 0);
	F(T_LM1_L0, m1->lower, w0->lower, 0);
	F(T_T1_SUF3, t1, w0->suf[2], 0);
	F(T_AMB_AMBP1, w0->amb, p1->amb, 0);
	F(T_LP1_T1, p1->lower, t1, 0);
	F(T_SHAPE_FLAGS_T1, w0->shape, fl, t1);
	F(T_AMB_SUF3, w0->amb, w0->suf[2], 0);
	F(T_LM1_T1_L0, m1->lower, t1, w0->lower);
	F(T_AMB_LP1, w0->amb, p1->lower, 0);
	/* word classes: what a rare word shares with frequent ones */
	F(T_CLU, w0->clu & 0xffff, 0, 0);
	F(T_CLUK, w0->clu >> 16, 0, 0);
	F(T_CLUM1, m1->clu & 0xffff, 0, 0);
	F(T_CLUP1, p1->clu & 0xffff, 0, 0);
	F(T_CLU_T1, w0->clu & 0xffff, t1, 0);
#undef F
	return k;
}

void
sy_tag(const sr_syntax *m, const sy_wfeat *w, size_t n, uint16_t *tags)
{
	uint64_t keys[SY_TAG_FEATS];
	_Alignas(64) int32_t scores[SY_SCORES];
	/* every tag class (ntags <= SY_MAX_TAGS = 128) */
	uint64_t all[2] = {0, 0};
	for (uint32_t c = 0; c < m->ntags; c++)
		all[c / 64] |= 1ULL << (c % 64);
	for (size_t i = 0; i < n; i++) {
		/* a word of the tag dictionary: its class, unscored */
		uint32_t d;
		if (sy_map_get(&m->tdict, w[i].form, &d)) {
			tags[i] = (uint16_t)(d - 1);
			continue;
		}
		size_t nf = sy_tag_features(w, n, i, tags, keys);
		sy_seg seg = {nf, scores, {NULL, NULL}};
		sy_score_segs(&m->tagw, keys, &seg, 1);
		int best = sy_argmax(&m->tagw, scores, all);
		tags[i] = (uint16_t)(best > 0 ? best : 0);
	}
}

/* ------------------------------------------------------------- lemmas */

uint64_t
sy_lemx_key(const char *s, size_t n, int tag)
{
	return sy_mix(sy_hash(s, n) + (uint64_t)tag * 0x9e3779b97f4a7c15ULL) | 1;
}

uint64_t
sy_lemr_key(int tag, const char *suf, size_t n)
{
	return sy_mix(sy_hash(suf, n) ^ ((uint64_t)tag << 56) ^ 0x5bd1e995ULL) | 1;
}

const char *
sy_lemma(const sr_syntax *m, const char *s, size_t n, int tag, char *buf,
	 size_t cap)
{
	uint32_t v;
	if (sy_map_get(&m->lemx, sy_lemx_key(s, n, tag), &v))
		return m->strs + v;
	/* the rule of the longest known suffix of the lower-case form
	   (the key of length 0 is the tag's default rule) */
	char low[SR_MAX_TOKEN];
	size_t ln = n < sizeof low ? n : sizeof low;
	bool upper = false;
	for (size_t i = 0; i < ln; i++) {
		upper |= s[i] >= 'A' && s[i] <= 'Z';
		low[i] = (s[i] >= 'A' && s[i] <= 'Z') ? (char)(s[i] + 32) : s[i];
	}
	/* "Her", "BETTER": the exception of the lower-case form */
	if (upper && ln == n && sy_map_get(&m->lemx, sy_lemx_key(low, ln, tag), &v))
		return m->strs + v;
	uint32_t rule = UINT32_MAX;
	for (size_t k = 0; k <= 6 && k <= ln; k++) {
		/* a suffix whose rule is its shorter suffix's is not stored */
		if (sy_map_get(&m->lemr, sy_lemr_key(tag, low + ln - k, k), &v))
			rule = m->rules[v];
	}
	if (rule == UINT32_MAX || cap == 0) {
		size_t c = n < cap ? n : cap - 1;
		memcpy(buf, s, c);
		buf[c] = 0;
		return buf;
	}
	/* rule: bit 23 lower-case first, bits 24.. bytes to strip, low
	   bits the string to append */
	uint32_t strip = rule >> 24, app = rule & 0x7fffff;
	bool lower = rule & 0x800000;
	const char *src = lower ? low : s;
	size_t keep = strip <= ln ? ln - strip : 0;
	while (keep > 0 && keep < ln && ((unsigned char)src[keep] & 0xc0) == 0x80)
		keep--;   /* never cut a character in two */
	const char *a = m->strs + app;
	size_t al = strlen(a);
	if (keep + al + 1 > cap)
		keep = al + 1 >= cap ? 0 : cap - al - 1;
	memcpy(buf, src, keep);
	memcpy(buf + keep, a, al < cap - keep - 1 ? al : cap - keep - 1);
	buf[keep + (al < cap - keep - 1 ? al : cap - keep - 1)] = 0;
	return buf;
}
