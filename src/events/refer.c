/*
 * refer.c -- what a definite description or a pronoun of place names:
 * "the town", "the city", "the region", "them".
 *
 * A report names a place once and then refers to it by its kind: "TPLF
 * forces took the city", "the seizure of the front-line town", "had not
 * withdrawn from the region", "after the Israeli forces withdrew from
 * them".  The head noun says which kind of place is meant (a settlement
 * noun: a town; a region noun: a first-level area), and the nearest
 * earlier name of that kind, the headline counting as the first
 * sentence, is the one.  A country never answers "the town" nor "the
 * region": "the country" has its own rule (roles.c).  The search looks
 * at most EV_REF_WINDOW names back, so that a report's cost stays linear.
 */
#include "extract_int.h"

/* What kind of place a head noun asks for: "town", "region" or NULL. */
static const char *
noun_kind(const ev_tables *t, const sr_token *noun)
{
	if (ev_in(t, noun, ev_class(t, EVC_SETTLEMENT_NOUNS)))
		return "town";
	if (ev_in(t, noun, ev_class(t, EVC_REGION_NOUNS)))
		return "region";
	return NULL;
}

static bool
dateline(const sr_extractor *x, const ev_ent *e)
{
	return x->doc_toks && (x->doc_toks[e->tok].flags & SR_TF_DATELINE);
}

/* How many entities start before token t (they are in token order): a
 * binary search, so that a long report stays linear. */
static size_t
first_after(const sr_extractor *x, uint32_t t)
{
	size_t lo = 0, hi = x->nents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->ents[mid].tok < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* "Mosul's Sinjar district": a place named as the possessor of the
 * place that follows is where that place lies, not what the report
 * goes on about */
static bool
possessor(const sr_extractor *x, size_t i, uint32_t t)
{
	const ev_ent *e = &x->ents[i];
	uint32_t j = e->tok + e->ntok;
	if (!x->doc_toks || j >= t || !is(&x->doc_toks[j], "'s"))
		return false;
	/* "Kyiv's forces entering the city": a capital whose forces are
	 * named stands for its state, it is not the city */
	if (j + 1 < t && ev_in(&x->tab, &x->doc_toks[j + 1], ev_class(&x->tab, EVC_FORCE_NOUNS)))
		return true;
	if (i + 1 >= x->nents)
		return false;
	const ev_ent *f = &x->ents[i + 1];
	return !f->actor && f->tok > j && f->tok <= j + 3;
}

int32_t
ev_refer_area(const sr_extractor *x, uint32_t t, const sr_token *noun)
{
	const char *kind = noun_kind(&x->tab, noun);
	if (!kind)
		return -1;
	size_t end = first_after(x, t), stop = end > EV_REF_WINDOW ? end - EV_REF_WINDOW : 0;
	for (size_t i = end; i-- > stop;) {
		const ev_ent *e = &x->ents[i];
		if (e->tok + e->ntok > t)
			continue;
		if (e->actor || e->country || e->demonym || !e->precision || dateline(x, e) ||
		    possessor(x, i, t))
			continue;
		if (!strcmp(e->precision, kind))
			return (int32_t)i;
	}
	return -1;
}

int
ev_refer_them(const sr_extractor *x, const sr_doc *doc, uint32_t stok, uint32_t t, int32_t *out, int max)
{
	/* the sentence that starts at token stok */
	uint32_t lo = 0, hi = doc->nsent;
	while (lo + 1 < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (doc->sents[mid].tok <= stok)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t si = lo;
	if (si >= doc->nsent)
		return 0;
	/* the places of the sentence before t; else of the sentence before */
	for (uint32_t s = si + 1; s-- > 0 && s + 2 > si;) {
		uint32_t a = doc->sents[s].tok, b = s == si ? t : a + doc->sents[s].ntok;
		int n = 0;
		for (size_t i = first_after(x, a); i < x->nents && x->ents[i].tok < b && n < max; i++) {
			const ev_ent *e = &x->ents[i];
			if (e->tok + e->ntok > b)
				continue;
			if (e->actor || e->country || e->demonym || !e->precision || dateline(x, e) ||
			    (strcmp(e->precision, "town") && strcmp(e->precision, "site")))
				continue;
			out[n++] = (int32_t)i;
		}
		/* one place is "it"; "them" are two or more */
		if (n >= 2)
			return n;
	}
	return 0;
}

bool
ev_locative(const sr_extractor *x, const sr_doc *doc, uint32_t stok, const ev_ent *e)
{
	if (e->actor && !e->country)
		return false;
	/* back over "the", "eastern", "northern": lower-case words */
	uint32_t j = e->tok;
	while (j > stok && j + 3 > e->tok && doc->toks[j - 1].cls == SR_TOK_WORD &&
	       !(doc->toks[j - 1].flags & SR_TF_UPPER1) &&
	       !ev_in(&x->tab, &doc->toks[j - 1], ev_class(&x->tab, EVC_PLACE_CUES)))
		j--;
	return j > stok && ev_in(&x->tab, &doc->toks[j - 1], "in|at|near|inside|across|throughout");
}
