/*
 * lookup.c -- a place of the lexicon by a name that the text spells its
 * own way.
 *
 * Reports transliterate the names of small towns as they please:
 * "Tarhouna" for GeoNames' "Tarhuna", "Mekelle" for "Mekele".  The
 * recognizer matches names exactly (after folding); this lookup serves
 * the event rules that have already decided, from the sentence, that a
 * name they do not know is a place: it tries the name as written and a
 * few spelling variants that English news writing makes of Arabic,
 * Amharic, Slavic and other names (a doubled letter written once, "ou"
 * for "u", "ee" for "i", "kh" for "h"...), and takes a place only in the
 * country the caller expects.
 */
#include "lexicon_int.h"

#include <string.h>

/* The spelling variants of one folded word; each rule rewrites every
 * occurrence of its first string with its second. */
static const char *const RULES[][2] = {
	{"ou", "u"}, {"oo", "u"}, {"ee", "i"}, {"ie", "i"}, {"kh", "h"},
	{"w", "u"}, {"y", "i"}, {"q", "k"}, {"dj", "j"}, {"j", "y"},
};
#define NRULES (sizeof RULES / sizeof RULES[0])

/* Writes into out (room cap) key with every doubled letter written once;
 * returns the length. */
static size_t
single_letters(const char *key, size_t n, char *out, size_t cap)
{
	size_t m = 0;
	for (size_t i = 0; i < n && m + 1 < cap; i++)
		if (!m || key[i] != out[m - 1] || !((unsigned char)key[i] >= 'a' && (unsigned char)key[i] <= 'z'))
			out[m++] = key[i];
	return m;
}

static size_t
rewrite(const char *key, size_t n, const char *from, const char *to, char *out, size_t cap)
{
	size_t fl = strlen(from), tl = strlen(to), m = 0;
	for (size_t i = 0; i < n;) {
		if (i + fl <= n && !memcmp(key + i, from, fl)) {
			if (m + tl >= cap)
				return 0;
			memcpy(out + m, to, tl);
			m += tl;
			i += fl;
		} else {
			if (m + 1 >= cap)
				return 0;
			out[m++] = key[i++];
		}
	}
	return m;
}

/* A candidate better than best for country cc? */
static bool
better(const lx_entry *e, const lx_entry *best)
{
	if (!best)
		return true;
	if (e->src != best->src)
		return e->src < best->src;
	return e->pop > best->pop;
}

/* The best place entry of the name whose folded words are keys[0..n),
 * in country cc ("" or NULL: any country, then only a town of at least
 * min_pop), or NULL. */
static const lx_entry *
probe(const sr_lexicon *lx, char keys[][LX_MAX_KEY + 8], const size_t *lens, int n, const char *cc,
      uint32_t min_pop, const char *precision)
{
	uint64_t h = LX_SEQ_START;
	for (int i = 0; i < n; i++)
		h = lx_seq(h, lx_tok_hash(keys[i], lens[i]));
	const lx_slot *s = lx_table_get(&lx->names, h);
	if (!s)
		return NULL;
	const lx_entry *best = NULL;
	for (uint32_t r = 0; r < s->count; r++) {
		const lx_ref *ref = &lx->refs[s->first + r];
		if (ref->flags & LX_REF_CS)
			continue;
		const lx_entry *e = &lx->entries[ref->entry];
		if (e->kind != SR_ENT_PLACE || e->src == LX_SRC_DEMONYM ||
		    (precision && (!e->precision || strcmp(e->precision, precision))))
			continue;
		if (cc && *cc ? strcmp(e->country, cc) != 0 : (e->src != LX_SRC_COUNTRY && e->pop < min_pop))
			continue;
		if (better(e, best))
			best = e;
	}
	return best;
}

int
sr_lexicon_find_place(const sr_lexicon *lx, const char *s, size_t n, const char *cc, const char *precision,
		      sr_entity *out)
{
	uint32_t st[LX_MAX_NAME_TOKENS], ln[LX_MAX_NAME_TOKENS];
	int k = lx_split(s, n, st, ln, LX_MAX_NAME_TOKENS);
	char keys[LX_MAX_NAME_TOKENS][LX_MAX_KEY + 8], var[LX_MAX_NAME_TOKENS][LX_MAX_KEY + 8];
	size_t lens[LX_MAX_NAME_TOKENS], vlens[LX_MAX_NAME_TOKENS];
	int used = 0;
	for (int i = 0; i < k; i++) {
		size_t kl = lx_fold(s + st[i], ln[i], keys[used]);
		if (kl)
			lens[used++] = kl;
	}
	memset(out, 0, sizeof *out);
	if (!used)
		return SR_END;
	/* a town of another country only when it is a large one: the
	 * spelling variants of a village name land anywhere */
	const lx_entry *e = probe(lx, keys, lens, used, cc, 100000, precision);
	/* variants: each word's doubled letters written once, then each
	 * rule on that (one rule at a time: a dozen probes at most).  A
	 * rule whose string no word holds gives the first variant again,
	 * whose probe found nothing: it is not probed again. */
	for (int v = 0; !e && v <= (int)NRULES; v++) {
		bool changed = false, ok = true;
		if (v) {
			bool any = false;
			for (int i = 0; i < used && !any; i++)
				any = memmem(keys[i], lens[i], RULES[v - 1][0], strlen(RULES[v - 1][0])) != NULL;
			if (!any)
				continue;
		}
		for (int i = 0; i < used && ok; i++) {
			char a[LX_MAX_KEY + 8], b[LX_MAX_KEY + 8];
			size_t al = single_letters(keys[i], lens[i], a, sizeof a);
			if (v) {
				al = rewrite(a, al, RULES[v - 1][0], RULES[v - 1][1], b, sizeof b);
				memcpy(a, b, al);
			}
			ok = al > 0;
			memcpy(var[i], a, al);
			vlens[i] = al;
			changed |= al != lens[i] || memcmp(a, keys[i], al);
		}
		if (ok && changed)
			e = probe(lx, var, vlens, used, cc, 100000, precision);
	}
	if (!e)
		return SR_END;
	out->kind = e->kind;
	out->type = e->type;
	out->id = e->id;
	out->name = e->name;
	out->country = e->country;
	out->precision = e->precision;
	out->has_coord = e->has_coord;
	out->lat = e->lat;
	out->lon = e->lon;
	return SR_OK;
}
