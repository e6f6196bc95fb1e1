/*
 * parser.c -- the transition system and the parser's features.
 *
 * Arc-hybrid (Kuhlmann, Gomez-Rodriguez and Satta 2011) with ROOT at the
 * bottom of the stack: every move is O(1), a sentence of n words takes
 * 2n moves, and the cost of a move against a gold tree is cheap to count
 * (Goldberg and Nivre 2013), which gives the dynamic oracle the training
 * uses.  The features are those of Zhang and Nivre (2011) fitted to the
 * arc-hybrid configuration: words and tags of three stack and three
 * buffer items, the two outermost children on each side of the stack's
 * top two items and of the buffer front, their labels, distances,
 * valencies and label sets.
 */
#include "syntax_int.h"

#include <stdlib.h>

void
sy_state_alloc(sy_state *st, int max)
{
	size_t m = (size_t)max + 1;
	st->stack = sr_malloc(m * sizeof *st->stack);
	st->head = sr_malloc(m * sizeof *st->head);
	st->label = sr_malloc(m);
	st->l1 = sr_malloc(m * sizeof *st->l1);
	st->l2 = sr_malloc(m * sizeof *st->l2);
	st->r1 = sr_malloc(m * sizeof *st->r1);
	st->r2 = sr_malloc(m * sizeof *st->r2);
	st->nl = sr_malloc(m);
	st->nr = sr_malloc(m);
	st->lset = sr_malloc(m * sizeof *st->lset);
	st->rset = sr_malloc(m * sizeof *st->rset);
	size_t gbytes = m * 4 * SY_SCORES * sizeof *st->gsum;
	st->gsum = aligned_alloc(64, (gbytes + 63) & ~(size_t)63);
	if (!st->gsum)
		sr_oom(gbytes);
	st->gok = sr_calloc(m, 1);
}

void
sy_state_free(sy_state *st)
{
	free(st->stack);
	free(st->head);
	free(st->label);
	free(st->l1);
	free(st->l2);
	free(st->r1);
	free(st->r2);
	free(st->nl);
	free(st->nr);
	free(st->lset);
	free(st->rset);
	free(st->gsum);
	free(st->gok);
}

void
sy_state_init(sy_state *st, int n)
{
	st->n = n;
	st->b = 0;
	st->sp = 1;
	st->stack[0] = (int16_t)n;
	size_t m = (size_t)n + 1;
	memset(st->head, 0xff, m * sizeof *st->head);
	memset(st->label, 0, m);
	memset(st->l1, 0xff, m * sizeof *st->l1);
	memset(st->l2, 0xff, m * sizeof *st->l2);
	memset(st->r1, 0xff, m * sizeof *st->r1);
	memset(st->r2, 0xff, m * sizeof *st->r2);
	memset(st->nl, 0, m);
	memset(st->nr, 0, m);
	memset(st->lset, 0, m * sizeof *st->lset);
	memset(st->rset, 0, m * sizeof *st->rset);
}

bool
sy_state_final(const sy_state *st)
{
	return st->b >= st->n && st->sp == 1;
}

bool
sy_valid(const sy_state *st, int move, int label)
{
	int n = st->n;
	switch (move) {
	case SY_SHIFT:
		return st->b < n;
	case SY_LEFT:
		return st->b < n && st->sp >= 2 && label != 0;
	default:
		if (st->sp < 2)
			return false;
		if (st->stack[st->sp - 2] == n)   /* onto ROOT: last, as root */
			return st->b >= n && st->sp == 2 && label == 0;
		return label != 0;
	}
}

static void
attach(sy_state *st, int h, int d, int label)
{
	st->head[d] = (int16_t)h;
	st->label[d] = (uint8_t)label;
	if (d < h) {
		/* arc-hybrid adds left children from the nearest outwards */
		st->l2[h] = st->l1[h];
		st->l1[h] = (int16_t)d;
		if (st->nl[h] < 255)
			st->nl[h]++;
		st->lset[h] |= 1ULL << (label & 63);
	} else {
		/* and right children from the nearest outwards too */
		st->r2[h] = st->r1[h];
		st->r1[h] = (int16_t)d;
		if (st->nr[h] < 255)
			st->nr[h]++;
		st->rset[h] |= 1ULL << (label & 63);
	}
}

void
sy_apply(sy_state *st, int move, int label)
{
	switch (move) {
	case SY_SHIFT:
		st->stack[st->sp++] = (int16_t)st->b++;
		break;
	case SY_LEFT:
		attach(st, st->b, st->stack[--st->sp], label);
		break;
	default:
		st->sp--;
		attach(st, st->stack[st->sp - 1], st->stack[st->sp], label);
		break;
	}
}

int
sy_cost(const sy_state *st, int move, int label, const int16_t *gh,
	const uint8_t *gl)
{
	int n = st->n, b = st->b, c = 0;
	if (move == SY_SHIFT) {
		/* b0 loses a head deeper in the stack than s0, and the stack
		   words that wanted b0 as their head lose it */
		int s0 = st->stack[st->sp - 1];
		for (int j = 0; j < st->sp - 1; j++)
			c += gh[b] == st->stack[j];
		for (int j = 0; j < st->sp; j++) {
			int d = st->stack[j];
			if (d != n && gh[d] == b)
				c++;
		}
		(void)s0;
		return c;
	}
	int s0 = st->stack[st->sp - 1], s1 = st->stack[st->sp - 2];
	/* s0 leaves: its dependents still in the buffer are lost */
	for (int d = b; d < n; d++)
		c += gh[d] == s0;
	if (move == SY_LEFT) {
		if (gh[s0] == s1 || (gh[s0] > b && gh[s0] < n))
			c++;
		else if (gh[s0] == b && gl[s0] != label)
			c++;
	} else {
		if (gh[s0] >= b && gh[s0] < n)
			c++;
		else if (gh[s0] == s1 && gl[s0] != label)
			c++;
	}
	return c;
}

/* ------------------------------------------------------------ features */

/* Template numbers of the parser. */
enum {
	P_S0W = 100, P_S0T, P_S0WT, P_S1W, P_S1T, P_S1WT, P_B0W, P_B0T, P_B0WT,
	P_B1W, P_B1T, P_B1WT, P_B2W, P_B2T, P_S2W, P_S2T,
	P_S0WT_B0WT, P_S0WT_B0W, P_S0W_B0WT, P_S0WT_B0T, P_S0T_B0WT,
	P_S0W_B0W, P_S0T_B0T, P_B0T_B1T, P_S1WT_S0WT, P_S1T_S0T, P_S1W_S0W,
	P_S1T_S0W, P_S1W_S0T, P_B0W_B1W, P_B0WT_B1T,
	P_B0T_B1T_B2T, P_S0T_B0T_B1T, P_S1T_S0T_B0T, P_S0T_S0L1T_B0T,
	P_S0T_S0R1T_B0T, P_S0T_B0T_B0L1T, P_S1T_S0T_S0L1T, P_S1T_S1R1T_S0T,
	P_S1T_S0T_S0R1T, P_S2T_S1T_S0T, P_S1T_S1L1T_S0T,
	P_S0W_D, P_S0T_D, P_B0W_D, P_B0T_D, P_S0T_B0T_D, P_S0W_B0W_D,
	P_S1T_S0T_D2, P_S1W_S0W_D2, P_S0W_D2, P_S1W_D2,
	P_S0W_VR, P_S0T_VR, P_S0W_VL, P_S0T_VL, P_B0W_VL, P_B0T_VL, P_S1W_VR,
	P_S1T_VR, P_S1T_VL,
	P_S0L1W, P_S0L1T, P_S0L1L, P_S0R1W, P_S0R1T, P_S0R1L, P_B0L1W,
	P_B0L1T, P_B0L1L, P_S1R1W, P_S1R1T, P_S1R1L, P_S1L1T, P_S1L1L,
	P_S0L2W, P_S0L2T, P_S0L2L, P_S0R2W, P_S0R2T, P_S0R2L, P_B0L2W,
	P_B0L2T, P_B0L2L, P_S0T_S0L1T_S0L2T, P_S0T_S0R1T_S0R2T,
	P_B0T_B0L1T_B0L2T, P_S1T_S1R1T_S1R2T,
	P_S0W_SR, P_S0T_SR, P_S0W_SL, P_S0T_SL, P_B0W_SL, P_B0T_SL, P_S1T_SR,
	P_S0T_S0L1L_S0R1L, P_S1T_S1R1L_S0T, P_S0W_S0L1L, P_B0W_B0L1L,
	P_S0T_B0W_B1T, P_S1T_B0W, P_S1W_B0W, P_S1T_B0T, P_S1WT_B0WT,
	P_S0T_S1T_B0T_B1T, P_S0T_PUNCT_B0T,
	P_S0W_B0L1W, P_S0T_B0L1W_B0T, P_S1W_S0L1W, P_S1T_S0L1W_S0T,
	P_S0C, P_B0C, P_S1C, P_B1C, P_S0C_B0C, P_S0C_B0T, P_S0T_B0C,
	P_S1C_S0C, P_S1C_S0T, P_S1T_S0C, P_S0K_B0K_B1K, P_S1K_S0K_B0K,
};

/* Values that stand for "no word here" and for ROOT. */
#define NONE_W 0x3333ULL
#define ROOT_W 0x4444ULL
#define NONE_T (SY_MAX_TAGS + 1)
#define ROOT_T (SY_MAX_TAGS + 2)

static inline uint64_t
wv(const sy_state *st, const sy_wfeat *w, int i)
{
	return i < 0 ? NONE_W : i == st->n ? ROOT_W : w[i].lower;
}

static inline uint64_t
tv(const sy_state *st, const uint16_t *t, int i)
{
	return i < 0 ? NONE_T : i == st->n ? ROOT_T : t[i];
}

/* The word's fine (coarse: k) class, see sy_wfeat.clu. */
static inline uint64_t
cv(const sy_state *st, const sy_wfeat *w, int i, int k)
{
	return i < 0 ? 0x5555 : i == st->n ? 0x6666 : k ? w[i].clu >> 16 : w[i].clu & 0xffff;
}

static inline uint64_t
lv(const sy_state *st, int i)
{
	return i < 0 || i == st->n ? 255 : st->label[i];
}

static inline uint64_t
dist(int a, int b)
{
	int d = b - a;
	if (d < 0)
		d = -d;
	return d <= 5 ? (uint64_t)d : d <= 9 ? 6 : d <= 15 ? 7 : 8;
}

/* The parser's features fall in groups by what they read, so that a
 * group's summed class scores can be kept while what it reads stays the
 * same (sy_parse):
 *   G_A  the words of the stack under and at s0 (s0, s1, s2) and the
 *        children that cannot change while s0 stays on the stack: its
 *        left children (only the buffer front takes left children) and
 *        every child of s1 (s1 takes a right child only when s0 leaves);
 *   G_D  s0's right children (they come while s0 is s1, by RIGHT);
 *   G_B  the words of the buffer (b0, b1, b2);
 *   G_E  b0's left children (they come by LEFT);
 *   G_C  what joins the stack and the buffer (new at every move).
 * Every feature is in one group; sy_parse_features gives them all. */
enum { G_A = 1, G_D = 2, G_B = 4, G_E = 8, G_C = 16, G_ALL = 31 };

static inline __attribute__((always_inline)) size_t
parse_keys(const sy_state *st, const sy_wfeat *w, const uint16_t *t, unsigned g,
	   uint64_t *keys)
{
	int n = st->n, sp = st->sp;
	int s0 = sp >= 1 ? st->stack[sp - 1] : -1;
	int s1 = sp >= 2 ? st->stack[sp - 2] : -1;
	int s2 = sp >= 3 ? st->stack[sp - 3] : -1;
	int b0 = st->b < n ? st->b : -1;
	int b1 = st->b + 1 < n ? st->b + 1 : -1;
	int b2 = st->b + 2 < n ? st->b + 2 : -1;
	/* ROOT has no children of interest: its only one comes last */
	bool s0w = s0 >= 0 && s0 < n, s1w = s1 >= 0 && s1 < n;
	int s0l1 = s0w ? st->l1[s0] : -1, s0l2 = s0w ? st->l2[s0] : -1;
	int s0r1 = s0w ? st->r1[s0] : -1, s0r2 = s0w ? st->r2[s0] : -1;
	int s1l1 = s1w ? st->l1[s1] : -1;
	int s1r1 = s1w ? st->r1[s1] : -1, s1r2 = s1w ? st->r2[s1] : -1;
	int b0l1 = b0 >= 0 ? st->l1[b0] : -1, b0l2 = b0 >= 0 ? st->l2[b0] : -1;

	uint64_t S0w = wv(st, w, s0), S0t = tv(st, t, s0);
	uint64_t S1w = wv(st, w, s1), S1t = tv(st, t, s1);
	uint64_t S2t = tv(st, t, s2);
	uint64_t B0w = wv(st, w, b0), B0t = tv(st, t, b0);
	uint64_t B1w = wv(st, w, b1), B1t = tv(st, t, b1);
	uint64_t B2w = wv(st, w, b2), B2t = tv(st, t, b2);
	uint64_t S0wt = S0w * 131 + S0t, S1wt = S1w * 131 + S1t;
	uint64_t B0wt = B0w * 131 + B0t, B1wt = B1w * 131 + B1t;
	(void)S1wt;
	uint64_t S0L1t = tv(st, t, s0l1), S0R1t = tv(st, t, s0r1);
	uint64_t S0L2t = tv(st, t, s0l2), S0R2t = tv(st, t, s0r2);
	uint64_t S1L1t = tv(st, t, s1l1), S1R1t = tv(st, t, s1r1), S1R2t = tv(st, t, s1r2);
	uint64_t B0L1t = tv(st, t, b0l1), B0L2t = tv(st, t, b0l2);
	uint64_t d = s0 >= 0 && b0 >= 0 && s0 != n ? dist(s0, b0) : 15;
	uint64_t d2 = s0w && s1w ? dist(s1, s0) : 15;
	uint64_t vl0 = s0w ? st->nl[s0] : 255, vr0 = s0w ? st->nr[s0] : 255;
	uint64_t vlb = b0 >= 0 ? st->nl[b0] : 255;
	uint64_t vl1 = s1w ? st->nl[s1] : 255, vr1 = s1w ? st->nr[s1] : 255;
	uint64_t sl0 = s0w ? st->lset[s0] : 1, sr0 = s0w ? st->rset[s0] : 1;
	uint64_t slb = b0 >= 0 ? st->lset[b0] : 1, sr1 = s1w ? st->rset[s1] : 1;
	/* punctuation between s0 and b0 */
	uint64_t punct = 0;
	if ((g & G_C) && s0w && b0 >= 0)
		for (int i = s0 + 1; i < b0 && !punct; i++)
			punct = (w[i].flags & SY_W_PUNCT) != 0;

	size_t k = 0;
#define F(grp, tm, a, b, c)                                        \
	do {                                                       \
		if (g & (grp))                                     \
			keys[k++] = sy_key((tm), (a), (b), (c));   \
	} while (0)
	F(G_A, P_S0W, S0w, 0, 0);
	F(G_A, P_S0T, S0t, 0, 0);
	F(G_A, P_S0WT, S0wt, 0, 0);
	F(G_A, P_S1W, S1w, 0, 0);
	F(G_A, P_S1T, S1t, 0, 0);
	F(G_A, P_S1WT, S1wt, 0, 0);
	F(G_B, P_B0W, B0w, 0, 0);
	F(G_B, P_B0T, B0t, 0, 0);
	F(G_B, P_B0WT, B0wt, 0, 0);
	F(G_B, P_B1W, B1w, 0, 0);
	F(G_B, P_B1T, B1t, 0, 0);
	F(G_B, P_B1WT, B1wt, 0, 0);
	F(G_B, P_B2W, B2w, 0, 0);
	F(G_B, P_B2T, B2t, 0, 0);
	F(G_A, P_S2T, S2t, 0, 0);

	F(G_C, P_S0WT_B0WT, S0wt, B0wt, 0);
	F(G_C, P_S0WT_B0W, S0wt, B0w, 0);
	F(G_C, P_S0W_B0WT, S0w, B0wt, 0);
	F(G_C, P_S0WT_B0T, S0wt, B0t, 0);
	F(G_C, P_S0T_B0WT, S0t, B0wt, 0);
	F(G_C, P_S0W_B0W, S0w, B0w, 0);
	F(G_C, P_S0T_B0T, S0t, B0t, 0);
	F(G_B, P_B0T_B1T, B0t, B1t, 0);
	F(G_A, P_S1WT_S0WT, S1wt, S0wt, 0);
	F(G_A, P_S1T_S0T, S1t, S0t, 0);
	F(G_A, P_S1W_S0W, S1w, S0w, 0);
	F(G_A, P_S1T_S0W, S1t, S0w, 0);
	F(G_A, P_S1W_S0T, S1w, S0t, 0);
	F(G_B, P_B0W_B1W, B0w, B1w, 0);
	F(G_B, P_B0WT_B1T, B0wt, B1t, 0);

	F(G_B, P_B0T_B1T_B2T, B0t, B1t, B2t);
	F(G_C, P_S0T_B0T_B1T, S0t, B0t, B1t);
	F(G_C, P_S1T_S0T_B0T, S1t, S0t, B0t);
	F(G_C, P_S0T_S0L1T_B0T, S0t, S0L1t, B0t);
	F(G_C, P_S0T_S0R1T_B0T, S0t, S0R1t, B0t);
	F(G_C, P_S0T_B0T_B0L1T, S0t, B0t, B0L1t);
	F(G_A, P_S1T_S0T_S0L1T, S1t, S0t, S0L1t);
	F(G_A, P_S1T_S1R1T_S0T, S1t, S1R1t, S0t);
	F(G_D, P_S1T_S0T_S0R1T, S1t, S0t, S0R1t);
	F(G_A, P_S2T_S1T_S0T, S2t, S1t, S0t);
	F(G_A, P_S1T_S1L1T_S0T, S1t, S1L1t, S0t);

	F(G_C, P_S0W_D, S0w, d, 0);
	F(G_C, P_S0T_D, S0t, d, 0);
	F(G_C, P_B0W_D, B0w, d, 0);
	F(G_C, P_B0T_D, B0t, d, 0);
	F(G_C, P_S0T_B0T_D, S0t, B0t, d);
	F(G_C, P_S0W_B0W_D, S0w, B0w, d);
	F(G_A, P_S1T_S0T_D2, S1t, S0t, d2);
	F(G_A, P_S1W_S0W_D2, S1w, S0w, d2);

	F(G_D, P_S0W_VR, S0w, vr0, 0);
	F(G_D, P_S0T_VR, S0t, vr0, 0);
	F(G_A, P_S0W_VL, S0w, vl0, 0);
	F(G_A, P_S0T_VL, S0t, vl0, 0);
	F(G_E, P_B0W_VL, B0w, vlb, 0);
	F(G_E, P_B0T_VL, B0t, vlb, 0);
	F(G_A, P_S1W_VR, S1w, vr1, 0);
	F(G_A, P_S1T_VR, S1t, vr1, 0);
	F(G_A, P_S1T_VL, S1t, vl1, 0);

	F(G_A, P_S0L1W, wv(st, w, s0l1), 0, 0);
	F(G_A, P_S0L1T, S0L1t, 0, 0);
	F(G_A, P_S0L1L, lv(st, s0l1), 0, 0);
	F(G_D, P_S0R1W, wv(st, w, s0r1), 0, 0);
	F(G_D, P_S0R1T, S0R1t, 0, 0);
	F(G_D, P_S0R1L, lv(st, s0r1), 0, 0);
	F(G_E, P_B0L1W, wv(st, w, b0l1), 0, 0);
	F(G_E, P_B0L1T, B0L1t, 0, 0);
	F(G_E, P_B0L1L, lv(st, b0l1), 0, 0);
	F(G_A, P_S1R1W, wv(st, w, s1r1), 0, 0);
	F(G_A, P_S1R1T, S1R1t, 0, 0);
	F(G_A, P_S1R1L, lv(st, s1r1), 0, 0);
	F(G_A, P_S1L1T, S1L1t, 0, 0);
	F(G_A, P_S1L1L, lv(st, s1l1), 0, 0);

	F(G_A, P_S0L2W, wv(st, w, s0l2), 0, 0);
	F(G_A, P_S0L2T, S0L2t, 0, 0);
	F(G_A, P_S0L2L, lv(st, s0l2), 0, 0);
	F(G_D, P_S0R2W, wv(st, w, s0r2), 0, 0);
	F(G_D, P_S0R2T, S0R2t, 0, 0);
	F(G_D, P_S0R2L, lv(st, s0r2), 0, 0);
	F(G_E, P_B0L2W, wv(st, w, b0l2), 0, 0);
	F(G_E, P_B0L2T, B0L2t, 0, 0);
	F(G_E, P_B0L2L, lv(st, b0l2), 0, 0);
	F(G_A, P_S0T_S0L1T_S0L2T, S0t, S0L1t, S0L2t);
	F(G_D, P_S0T_S0R1T_S0R2T, S0t, S0R1t, S0R2t);
	F(G_E, P_B0T_B0L1T_B0L2T, B0t, B0L1t, B0L2t);
	F(G_A, P_S1T_S1R1T_S1R2T, S1t, S1R1t, S1R2t);

	F(G_D, P_S0W_SR, S0w, sr0, 0);
	F(G_D, P_S0T_SR, S0t, sr0, 0);
	F(G_A, P_S0W_SL, S0w, sl0, 0);
	F(G_A, P_S0T_SL, S0t, sl0, 0);
	F(G_E, P_B0W_SL, B0w, slb, 0);
	F(G_E, P_B0T_SL, B0t, slb, 0);
	F(G_A, P_S1T_SR, S1t, sr1, 0);

	F(G_D, P_S0T_S0L1L_S0R1L, S0t, lv(st, s0l1), lv(st, s0r1));
	F(G_A, P_S1T_S1R1L_S0T, S1t, lv(st, s1r1), S0t);
	F(G_A, P_S0W_S0L1L, S0w, lv(st, s0l1), 0);
	F(G_E, P_B0W_B0L1L, B0w, lv(st, b0l1), 0);
	F(G_C, P_S0T_B0W_B1T, S0t, B0w, B1t);
	F(G_C, P_S1T_B0T, S1t, B0t, 0);
	F(G_C, P_S0T_S1T_B0T_B1T, S0t * 1000 + S1t, B0t, B1t);
	F(G_C, P_S0T_PUNCT_B0T, S0t, punct, B0t);
	/* the word a preposition attaches to: "control ... of", the head
	   candidate with the first word of the dependent's phrase */
	F(G_C, P_S0W_B0L1W, S0w, wv(st, w, b0l1), 0);
	F(G_C, P_S0T_B0L1W_B0T, S0t, wv(st, w, b0l1), B0t);
	F(G_A, P_S1W_S0L1W, S1w, wv(st, w, s0l1), 0);
	F(G_A, P_S1T_S0L1W_S0T, S1t, wv(st, w, s0l1), S0t);
	/* word classes learned from running text (tools/train/clusters.c) */
	uint64_t S0c = cv(st, w, s0, 0), B0c = cv(st, w, b0, 0);
	uint64_t S1c = cv(st, w, s1, 0), B1c = cv(st, w, b1, 0);
	uint64_t S0k = cv(st, w, s0, 1), B0k = cv(st, w, b0, 1);
	uint64_t S1k = cv(st, w, s1, 1), B1k = cv(st, w, b1, 1);
	F(G_A, P_S0C, S0c, 0, 0);
	F(G_B, P_B0C, B0c, 0, 0);
	F(G_A, P_S1C, S1c, 0, 0);
	F(G_B, P_B1C, B1c, 0, 0);
	F(G_C, P_S0C_B0C, S0c, B0c, 0);
	F(G_C, P_S0C_B0T, S0c, B0t, 0);
	F(G_C, P_S0T_B0C, S0t, B0c, 0);
	F(G_A, P_S1C_S0C, S1c, S0c, 0);
	F(G_A, P_S1C_S0T, S1c, S0t, 0);
	F(G_A, P_S1T_S0C, S1t, S0c, 0);
	F(G_C, P_S0K_B0K_B1K, S0k, B0k, B1k);
	F(G_C, P_S1K_S0K_B0K, S1k, S0k, B0k);
#undef F
	return k;
}

size_t
sy_parse_features(const sy_state *st, const sy_wfeat *w, const uint16_t *t,
		  uint64_t *keys)
{
	return parse_keys(st, w, t, G_ALL, keys);
}

/* Which kept sums of a word are up to date (sy_state.gok). */
enum { GK_A = 1, GK_AD = 2, GK_B = 4, GK_BE = 8 };

/* The class scores of the move in state st: the kept sums of the stack
 * top's groups (G_A + G_D) and of the buffer front's (G_B + G_E), made
 * when first needed or after a move changed what they read, plus the
 * features of G_C, every key looked up in one pass.  Integer sums, so
 * the same scores as every feature added at once (sy_parse_features). */
static void
move_scores(const sr_syntax *m, sy_state *st, const sy_wfeat *w,
	    const uint16_t *t, int32_t *scores)
{
	uint64_t keys[SY_PARSE_FEATS];
	sy_seg segs[4];
	size_t nseg = 0, nf = 0;
	int j = st->stack[st->sp - 1], b = st->b < st->n ? st->b : st->n;
	int32_t *ga = st->gsum + (size_t)(4 * j) * SY_SCORES, *gad = ga + SY_SCORES;
	int32_t *gb = st->gsum + (size_t)(4 * b + 2) * SY_SCORES, *gbe = gb + SY_SCORES;
	if (!(st->gok[j] & GK_A)) {
		nf += parse_keys(st, w, t, G_A, keys + nf);
		segs[nseg++] = (sy_seg){nf, ga, {NULL, NULL}};
	}
	if (!(st->gok[j] & GK_AD)) {
		nf += parse_keys(st, w, t, G_D, keys + nf);
		segs[nseg++] = (sy_seg){nf, gad, {ga, NULL}};
	}
	if (!(st->gok[b] & GK_BE)) {
		nf += parse_keys(st, w, t, G_E, keys + nf);
		segs[nseg++] = (sy_seg){nf, gbe, {gb, NULL}};
	}
	nf += parse_keys(st, w, t, G_C, keys + nf);
	segs[nseg++] = (sy_seg){nf, scores, {gad, gbe}};
	sy_score_segs(&m->parw, keys, segs, nseg);
	st->gok[j] |= GK_A | GK_AD;
	st->gok[b] |= GK_BE;
}

/* The sums of G_B (the buffer's words) of every buffer position b in
 * 0..n (n: the buffer empty), made before the first move: they read
 * no tree, so all of them are looked up in a few passes. */
static void
buffer_sums(const sr_syntax *m, sy_state *st, const sy_wfeat *w,
	    const uint16_t *t)
{
	/* room for a pass's keys and one position's more (every position
	   has as many keys of G_B) */
	enum { MAXSEG = 64 };
	uint64_t keys[SY_SEG_KEYS + SY_PARSE_FEATS];
	sy_seg segs[MAXSEG];
	int n = st->n, b0 = st->b;
	for (int from = 0; from <= n;) {
		size_t nseg = 0, nf = 0;
		for (; from <= n && nseg < MAXSEG; from++) {
			st->b = from;
			size_t per = parse_keys(st, w, t, G_B, keys + nf);
			if (nf + per > SY_SEG_KEYS)
				break;   /* this position starts the next pass */
			nf += per;
			segs[nseg++] = (sy_seg){nf, st->gsum + (size_t)(4 * from + 2) * SY_SCORES, {NULL, NULL}};
			st->gok[from] |= GK_B;
		}
		sy_score_segs(&m->parw, keys, segs, nseg);
	}
	st->b = b0;
}

/* The classes of moves that read the buffer's front (SHIFT, LEFT(l) for
 * labels 1..) and of RIGHT(l) for labels 1.. as sy_argmax takes them
 * (nl <= SY_MAX_LABELS: every class is below 128). */
static void
move_classes(int nl, uint64_t front[2], uint64_t right[2])
{
	front[0] = 1;   /* SHIFT */
	front[1] = right[0] = right[1] = 0;
	for (int l = 1; l < nl; l++) {
		front[(1 + l) / 64] |= 1ULL << ((1 + l) % 64);
		right[(1 + nl + l) / 64] |= 1ULL << ((1 + nl + l) % 64);
	}
}

void
sy_parse(const sr_syntax *m, sy_state *st, const sy_wfeat *w,
	 const uint16_t *t, int n)
{
	_Alignas(64) int32_t scores[SY_SCORES];
	int nl = (int)m->nlabels;
	uint64_t fr[2], rt[2];
	move_classes(nl, fr, rt);
	sy_state_init(st, n);
	memset(st->gok, 0, (size_t)n + 1);
	buffer_sums(m, st, w, t);
	while (!sy_state_final(st)) {
		/* a forced move needs no scores: SHIFT onto a stack of ROOT
		   alone, RIGHT(root) when ROOT and one word are left */
		if (st->sp < 2) {
			sy_apply(st, SY_SHIFT, 0);
			continue;
		}
		if (st->b >= n && st->sp == 2) {
			sy_apply(st, SY_RIGHT, 0);
			continue;
		}
		move_scores(m, st, w, t, scores);
		/* the best allowed class (see sy_valid): SHIFT and LEFT while
		   the buffer holds a word, RIGHT unless onto ROOT (forced,
		   above) */
		bool front = st->b < n, onto_root = st->stack[st->sp - 2] == n;
		uint64_t allowed[2] = {(front ? fr[0] : 0) | (onto_root ? 0 : rt[0]),
				       (front ? fr[1] : 0) | (onto_root ? 0 : rt[1])};
		int best = sy_argmax(&m->parw, scores, allowed);
		int move = sy_cls_move(best, nl);
		sy_apply(st, move, sy_cls_label(best, nl));
		/* what the move changed: b0 took a left child, or the new s0
		   a right one */
		if (move == SY_LEFT)
			st->gok[st->b] &= (uint8_t)~GK_BE;
		else if (move == SY_RIGHT)
			st->gok[st->stack[st->sp - 1]] &= (uint8_t)~GK_AD;
	}
}
