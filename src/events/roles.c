/*
 * roles.c -- the names that fill a trigger's roles (extract.c).
 *
 * The entities of the report and the last one of a kind before a token;
 * the argument search by the words around a trigger (the subject before
 * a verb, the name after it or after a preposition, a possessive or a
 * modifier before a noun) with "the base", "it" and "the troops" resolved
 * to a name told before; and the roles the dependency tree gives where
 * the words did not tell.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>

/* Is the entity a place of the kind a place argument wants?  Actors never;
 * a country place is a place. */
bool
ent_place(const ev_ent *e)
{
	return !e->actor;
}

bool
ent_actorlike(const ev_ent *e)
{
	return e->actor || e->country;
}

/* The entity starting at token i, or NULL. */
static const ev_ent *
ent_starting(const sr_extractor *x, uint32_t i)
{
	int32_t e = x->ent_at[i];
	if (e < 0 || x->ents[e].tok != i)
		return NULL;
	return &x->ents[e];
}

/* Does entity e satisfy want (1 actor-like with rank 2, 2 site, 3 any
 * place, 4 a force or a country, 5 a country)?  A dateline's name
 * ("MOSCOW (Sputnik) -": where the report was filed) never does. */
static bool
ent_wanted(const sr_extractor *x, const ev_ent *e, int want)
{
	if (x->doc_toks && (x->doc_toks[e->tok].flags & SR_TF_DATELINE))
		return false;
	switch (want) {
	case 1: return e->actor && e->actor_rank == 2;
	case 2: return e->site;
	case 3: return ent_place(e) && !e->country && !e->demonym;
	case 4: return e->actor ? e->actor_rank == 2 : e->country;
	case 5: return e->country && !e->demonym;
	default: return false;
	}
}

/* How many entities end at or before token t (the entities are sorted
 * and do not overlap): a binary search. */
static size_t
ents_before(const sr_extractor *x, uint32_t t)
{
	size_t lo = 0, hi = x->nents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (x->ents[mid].tok + x->ents[mid].ntok <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Fills x->lastw: for each want and each i, the last of the first i
 * entities that satisfies it; one pass, so that last_before costs a
 * binary search, not a scan of the report (a long report stays linear). */
void
index_wants(sr_extractor *x)
{
	SR_GROW(x->lastw, x->caplastw, (x->nents + 1) * EV_NWANTS);
	for (int w = 1; w <= EV_NWANTS; w++) {
		int32_t *l = x->lastw + (size_t)(w - 1) * (x->nents + 1);
		l[0] = -1;
		for (size_t i = 0; i < x->nents; i++)
			l[i + 1] = ent_wanted(x, &x->ents[i], w) ? (int32_t)i : l[i];
	}
}

/* The last entity before token t that satisfies want (see ent_wanted),
 * or -1. */
static int32_t
last_before(const sr_extractor *x, uint32_t t, int want)
{
	if (want < 1 || want > EV_NWANTS)
		return -1;
	return x->lastw[(size_t)(want - 1) * (x->nents + 1) + ents_before(x, t)];
}

/* ------------------------------------------------------ argument search */

/* Words that can stand between a preposition or verb and its name:
 * determiners, adjectives, and the like. */
bool
ev_filler(const ev_tables *t, const sr_token *k)
{
	if (k->cls != SR_TOK_WORD)
		return k->cls == SR_TOK_PUNCT && (k->len == 1 && (k->s[0] == '"' || k->s[0] == '\''));
	return !ev_in(t, k, PREPS) && !ev_in(t, k, SUBORD) &&
	       !ev_in(t, k, "and|or|was|were|is|are|has|have|had|be|been|will|would");
}

/* The last place before token t whose name has the word w in it, or -1. */
static int32_t
last_named(const sr_extractor *x, uint32_t t, const sr_token *w)
{
	if (w->len < 4)
		return -1;
	size_t end = ents_before(x, t);
	size_t stop = end > EV_REF_WINDOW ? end - EV_REF_WINDOW : 0;
	for (size_t i = end; i > stop; i--) {
		const ev_ent *e = &x->ents[i - 1];
		if (e->tok + e->ntok > t || e->actor || e->country || !e->name)
			continue;
		size_t n = strlen(e->name);
		for (size_t o = 0; o + w->len <= n; o++)
			if ((o == 0 || e->name[o - 1] == ' ') &&
			    (o + w->len == n || e->name[o + w->len] == ' ') &&
			    !strncasecmp(e->name + o, w->s, w->len))
				return (int32_t)(i - 1);
	}
	return -1;
}

/* Is e named as a point of reference ("southeast of Kyiv", "north of
 * the capital")? */
static bool
reference_point(const frame_ctx *c, const ev_ent *e)
{
	const sr_token *k = c->doc->toks;
	return e->tok >= 2 && is(&k[e->tok - 1], "of") &&
	       ev_in(c->tab, &k[e->tok - 2], ev_class(c->tab, EVC_DIRECTION_WORDS));
}

/* Resolves "the base", "the facility" at token i to the last site named
 * before it; returns the entity or -1. */
static int32_t
anaphor_place(const frame_ctx *c, uint32_t i)
{
	const sr_token *k = c->doc->toks;
	if (i + 1 >= c->e || !ev_in(c->tab, &k[i], "the|this|that|its|their|a"))
		return -1;
	uint32_t j = i + 1;
	while (j < c->e && j < i + 3 && k[j].cls == SR_TOK_WORD && !ev_in(c->tab, &k[j], ev_class(c->tab, EVC_SITE_NOUNS)) &&
	       !ev_in(c->tab, &k[j], ev_class(c->tab, EVC_COUNTRY_NOUNS)) && !ev_in(c->tab, &k[j], ev_class(c->tab, EVC_AREA_NOUNS)) && ev_filler(c->tab, &k[j])) {
		if (c->x->ent_at[j] >= 0 && !c->x->ents[c->x->ent_at[j]].demonym)
			return -1;  /* "the Qasrak base" names its base; "the
				       African country" does not */
		j++;
	}
	if (j < c->e && c->x->ent_at[j] >= 0)
		return -1;
	if (j >= c->e || is(&k[i], "a"))
		return -1;  /* "a new base in Jordan": not an anaphor */
	if (ev_in(c->tab, &k[j], ev_class(c->tab, EVC_COUNTRY_NOUNS)))
		return c->x->main_country >= 0 ? c->x->main_country : last_before(c->x, i, 5);
	/* "its base in Gao", "the city of Palmyra": the name that follows
	 * says which */
	if (j + 2 < c->e && ev_in(c->tab, &k[j + 1], "in|at|near|of") && ent_starting(c->x, j + 2) &&
	    !c->x->ents[c->x->ent_at[j + 2]].actor)
		return -1;
	/* "the corridor", "the island", "the airfield": the last place whose
	 * name has that word */
	int32_t named = last_named(c->x, i, &k[j]);
	if (named >= 0)
		return named;
	if (ev_in(c->tab, &k[j], ev_class(c->tab, EVC_AREA_NOUNS)) && !is(&k[i], "a")) {
		int32_t r = ev_refer_area(c->x, i, &k[j]);  /* refer.c */
		if (r >= 0)
			return r;
		/* "550 km southeast of Kyiv": a point of reference is not
		 * what "the area" names */
		r = last_before(c->x, i, 3);
		while (r >= 0 && reference_point(c, &c->x->ents[r]))
			r = last_before(c->x, c->x->ents[r].tok, 3);
		return r;
	}
	if (!ev_in(c->tab, &k[j], ev_class(c->tab, EVC_SITE_NOUNS)))
		return -1;
	/* a place named earlier in the same sentence comes first ("the
	 * drawdown from Shaddadi and the transfer of the site") */
	int32_t near = last_before(c->x, i, 3);
	if (near >= 0 && c->x->ents[near].tok >= c->s)
		return near;
	return last_before(c->x, i, 2);
}

static bool wider_or_same(const ev_ent *e, const ev_ent *f);

/* "in southeast Lebanon", "in the east of the city", "near the border":
 * a locative phrase at token j that places the list item before it; the
 * token after it (a comma, "and", "as well as"), or 0 when j opens none. */
static uint32_t
skip_locative(const frame_ctx *c, uint32_t j)
{
	const sr_token *k = c->doc->toks;
	if (j >= c->e || !ev_tok_in(&k[j], "in|near|outside|inside|north|south|east|west|northeast|northwest|"
					  "southeast|southwest"))
		return 0;
	for (uint32_t q = j + 1; q < c->e && q < j + 9; q++) {
		if (is(&k[q], ",") || is(&k[q], "and") || (is(&k[q], "as") && q + 2 < c->e && is(&k[q + 1], "well")))
			return q > j + 1 ? q : 0;
		int32_t e = c->x->ent_at[q];
		if (e >= 0) {
			if (c->x->ents[e].actor)
				return 0;
			q = c->x->ents[e].tok + c->x->ents[e].ntok - 1;
			continue;
		}
		if (k[q].cls != SR_TOK_WORD || !(ev_filler(c->tab, &k[q]) || is(&k[q], "of")))
			return 0;
	}
	return 0;
}

/* A list item at token n: after "the", a few lower-case words and a
 * settlement noun's "of" ("the strategically important towns of Nubl"),
 * a place (*ent) or a name no lexicon entry holds, capitalized words
 * that may end in a place's name ("the Tal Hasil ... regions": *ent -1);
 * its tokens in *tok, *ntok; false if there is none. */
static bool
list_item(const frame_ctx *c, uint32_t n, int32_t *ent, uint32_t *tok, uint32_t *ntok)
{
	const sr_token *k = c->doc->toks;
	for (uint32_t q = n; q < c->e && q < n + 6; q++) {
		int32_t f = c->x->ent_at[q];
		if (f >= 0 && c->x->ents[f].tok == q) {
			*ent = f;
			*tok = q;
			*ntok = c->x->ents[f].ntok;
			return true;
		}
		if (k[q].cls == SR_TOK_WORD && (k[q].flags & SR_TF_UPPER1) && q > c->s && f < 0 &&
		    !ev_in(c->tab, &k[q], ev_class(c->tab, EVC_NOT_NAMES))) {
			/* capitalized words, a place's name among them */
			uint32_t r = q;
			while (r < c->e && r < q + 4 && k[r].cls == SR_TOK_WORD && (k[r].flags & SR_TF_UPPER1)) {
				int32_t g = c->x->ent_at[r];
				if (g >= 0 && (c->x->ents[g].actor || c->x->ents[g].demonym))
					return false;
				r = g >= 0 ? c->x->ents[g].tok + c->x->ents[g].ntok : r + 1;
			}
			*ent = -1;
			*tok = q;
			*ntok = r - q;
			return r - q <= 4;
		}
		if (k[q].cls != SR_TOK_WORD || (k[q].flags & SR_TF_UPPER1) || ev_in(c->tab, &k[q], SUBORD) ||
		    ev_tok_in(&k[q], "and|or|to|from|by|with|for|on|at|in|into|toward|towards"))
			return false;
		if (is(&k[q], "of") && !(q > n && ev_in(c->tab, &k[q - 1], ev_class(c->tab, EVC_AREA_NOUNS))))
			return false;
	}
	return false;
}

/* Collects places coordinated after a: "X, Y and Z", "X in southeast
 * Lebanon and Y", "X, the towns of Y and Z, as well as W"; names no
 * lexicon entry holds go to a->utok/untok (only in a list joined by
 * "and"); a->end is the token after the list. */
void
coordinate(const frame_ctx *c, arg_t *a)
{
	if (a->ent < 0)
		return;
	const sr_token *k = c->doc->toks;
	const ev_ent *e = &c->x->ents[a->ent];
	uint32_t j = e->tok + e->ntok;
	bool joined = false;  /* an "and" ends the list */
	bool placed = false;  /* a locative phrase was skipped */
	a->nu = 0;
	while (j + 1 < c->e && a->nmore < 6) {
		uint32_t after = skip_locative(c, j);
		if (after) {
			j = after;
			placed = true;
		}
		bool and = false;
		if (is(&k[j], ",") && j + 1 < c->e && (is(&k[j + 1], "and") || is(&k[j + 1], "as")))
			j++;
		if (is(&k[j], "and"))
			and = true;
		else if (is(&k[j], "as") && j + 2 < c->e && is(&k[j + 1], "well") && is(&k[j + 2], "as")) {
			and = true;
			j += 2;
		} else if (!is(&k[j], ","))
			break;
		int32_t fi;
		uint32_t ft, fn;
		if (!list_item(c, j + 1, &fi, &ft, &fn))
			break;
		if (fi >= 0) {
			const ev_ent *f = &c->x->ents[fi];
			/* "near the Jordanian and Iraqi borders": a demonym or a
			 * country is no item of a list of towns and sites */
			if (f->actor != e->actor || f->demonym || (f->country && !e->country))
				break;
			/* "Ogossagou, Bandiagara region, central Mali": an
			 * address that widens, not a list */
			if (!and && !placed && !wider_or_same(e, f))
				break;
			a->more[a->nmore++] = fi;
		} else if (a->nu < 4) {
			a->utok[a->nu] = ft;
			a->untok[a->nu++] = fn;
		}
		j = ft + fn;
		/* "the Tal Hasil and Tal Aran regions": the noun of the list */
		if (j < c->e && fi < 0 && ev_in(c->tab, &k[j], ev_class(c->tab, EVC_AREA_NOUNS)))
			j++;
		if (and)
			joined = true;
		/* "the towns of Nubl and Zahraa": the list goes on inside */
		if (and && !(j + 1 < c->e && (is(&k[j], "and") || is(&k[j], ",") || skip_locative(c, j))))
			break;
	}
	if (!joined) {
		a->nmore = 0;  /* "X, Y" without "and": an apposition */
		a->nu = 0;
	}
	a->end = j;
}

static int
precision_rank(const char *p)
{
	if (!p)
		return 1;
	return !strcmp(p, "site") ? 0 : !strcmp(p, "town") ? 1 : !strcmp(p, "region") ? 2 : 3;
}

/* Is the place f no wider than e (both may be items of one list)? */
static bool
wider_or_same(const ev_ent *e, const ev_ent *f)
{
	return precision_rank(f->precision) <= precision_rank(e->precision);
}

static bool
wanted(const ev_ent *e, int want)
{
	if (want == WANT_ACTOR)
		return ent_actorlike(e);
	if (want == WANT_PLACE)
		return ent_place(e) && !e->demonym;
	return true;
}

/* The first wanted name in [from, to), allowing only filler words before
 * it (at most maxfill). */
/* "... called the el-Tanf base", "known as Camp X": the site named
 * right after token i, or NULL. */
static const ev_ent *
called_site(const frame_ctx *c, uint32_t i, uint32_t to)
{
	const sr_token *k = c->doc->toks;
	if (i < to && is(&k[i], ","))
		i++;
	if (i + 1 < to && is(&k[i], "known") && is(&k[i + 1], "as"))
		i += 2;
	else if (i < to && ev_tok_in(&k[i], "called|named|dubbed"))
		i++;
	else
		return NULL;
	if (i < to && is(&k[i], "the"))
		i++;
	const ev_ent *e = i < to ? ent_starting(c->x, i) : NULL;
	return e && e->site ? e : NULL;
}

arg_t
name_after(const frame_ctx *c, uint32_t from, uint32_t to, int want, int maxfill)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	int fill = 0;
	/* "the Turkish Army base in northern Iraq", "a base housing US forces
	 * in Deir Ezzor": an unnamed site is where the place after it is; the
	 * argument's words then run from the site's words to that place */
	uint32_t site_from = UINT32_MAX;
	for (uint32_t i = from; i < to; i++) {
		if (k[i].flags & SR_TF_DATELINE)
			continue;
		const ev_ent *e = ent_starting(c->x, i);
		if (!e && want == WANT_PLACE && site_from == UINT32_MAX &&
		    (ev_in(c->tab, &k[i], ev_class(c->tab, EVC_SITE_NOUNS)) || ev_in(c->tab, &k[i], ev_class(c->tab, EVC_AREA_NOUNS)))) {
			site_from = from;
			while (site_from < i && ev_tok_in(&k[site_from], "a|an|the"))
				site_from++;
			maxfill += 3;
		}
		/* "the Palestinian side of the Rafah crossing", "the northern
		 * part of X": a part of a place is where that place is */
		if (!e && want == WANT_PLACE && i > from && ev_in(c->tab, &k[i], ev_class(c->tab, EVC_PART_NOUNS)) &&
		    i + 1 < to && is(&k[i + 1], "of"))
			maxfill += 3;
		if (e && wanted(e, want)) {
			/* "from Ukraine's Snake Island": the possessor's place is
			 * wider than the one named after it */
			uint32_t j = e->tok + e->ntok;
			if (want == WANT_PLACE && j + 1 < to && is(&k[j], "'s")) {
				for (uint32_t u = j + 1; u < to && u < j + 4; u++) {
					const ev_ent *f = ent_starting(c->x, u);
					if (f && wanted(f, want)) {
						e = f;
						break;
					}
					if (!ev_filler(c->tab, &k[u]))
						break;
				}
			}
			/* "another key base in eastern Syria called the el-Tanf
			 * base": the site the name after "called" gives */
			if (site_from < e->tok && !e->site && want == WANT_PLACE) {
				const ev_ent *n = called_site(c, e->tok + e->ntok, to);
				if (n)
					e = n;
			}
			a.ent = (int32_t)(e - c->x->ents);
			a.tok = site_from < e->tok ? site_from : e->tok;
			a.ntok = e->tok + e->ntok - a.tok;
			a.unnamed_site = site_from < e->tok && !e->site;
			return a;
		}
		if (e) {
			/* a name of the other kind: "the Syrian army's base" */
			i = e->tok + e->ntok - 1;
			if (++fill > maxfill)
				break;
			continue;
		}
		if (want == WANT_PLACE) {
			int32_t r = anaphor_place(c, i);
			/* "left it", "withdrew from it": the last site named */
			if (r < 0 && i == from && is(&k[i], "it"))
				r = last_before(c->x, i, 2);
			/* "withdrew from them": the places just named (refer.c) */
			int32_t them[7];
			int nthem = r < 0 && i == from && is(&k[i], "them") ?
				    ev_refer_them(c->x, c->doc, c->s, i, them, 7) : 0;
			if (nthem) {
				r = them[0];
				for (int q = 1; q < nthem; q++)
					a.more[a.nmore++] = them[q];
			}
			if (r >= 0) {
				a.ent = r;
				a.tok = i;
				a.ntok = is(&k[i], "it") || is(&k[i], "them") ? 1 : 2;
				return a;
			}
		}
		if (want == WANT_ACTOR && ev_in(c->tab, &k[i], "them|it")) {
			int32_t r = last_before(c->x, i, 1);
			if (r >= 0) {
				a.ent = r;
				a.tok = i;
				a.ntok = 1;
				return a;
			}
		}
		bool of_ok = want != WANT_ACTOR && ev_in(c->tab, &k[i], "of|in|at|near") && i > from &&
			     k[i - 1].cls == SR_TOK_WORD && !(k[i - 1].flags & SR_TF_UPPER1) &&
			     !ev_in(c->tab, &k[i - 1], PREPS);
		if ((!ev_filler(c->tab, &k[i]) && !of_ok) || ++fill > maxfill)
			break;
	}
	return a;
}

static bool
gerund(const sr_token *k)
{
	return k->len > 4 && !memcmp(k->s + k->len - 3, "ing", 3);
}

/* Are the tokens [a, b) only auxiliaries and adverbs (a verb group
 * before a trigger)? */
static bool
verb_group(const sr_token *k, uint32_t a, uint32_t b)
{
	for (uint32_t i = a; i < b; i++)
		if (!ev_tok_in(&k[i], "has|have|had|is|are|was|were|will|would|also|already|"
				      "reportedly|now|recently|previously|then|been|being|not|"
				      "officially|finally|just"))
			return false;
	return true;
}

/* Is e an armed group (not a state's force)? */
static bool
armed_group(const ev_ent *e)
{
	return e->actor && e->kind && !strcmp(e->kind, "armed_group");
}

/* The armed forces of the doer e: for a state, a government or an
 * official, the first armed force of the same country named in the
 * report; else e itself. */
static int32_t
forces_of(const sr_extractor *x, int32_t e)
{
	const ev_ent *f = &x->ents[e];
	if ((f->actor && f->actor_rank == 2) || !ev_state_kind(f->kind) || !f->country_code ||
	    !f->country_code[0])
		return e;
	for (size_t j = 0; j < x->nents; j++)
		if (x->ents[j].actor && x->ents[j].kind && !strcmp(x->ents[j].kind, "state_military") &&
		    x->ents[j].country_code && !strcmp(x->ents[j].country_code, f->country_code))
			return (int32_t)j;
	return e;
}

/* Is e a state or one of its bodies (a country, its armed forces, its
 * government or an official)? */
static bool
state_ent(const ev_ent *e)
{
	if (e->country)
		return e->country_code && e->country_code[0];
	return e->actor && ev_state_kind(e->kind) && e->country_code && e->country_code[0];
}

/* "government troops", "regime forces" with no country named: the
 * forces of the nearest state named before token t (in its sentence
 * first, then back through the report), or -1. */
static int32_t
government_forces(const frame_ctx *c, uint32_t t)
{
	size_t end = ents_before(c->x, t), stop = end > EV_REF_WINDOW ? end - EV_REF_WINDOW : 0;
	for (size_t i = end; i > stop; i--) {
		const ev_ent *e = &c->x->ents[i - 1];
		if (state_ent(e) && !(c->x->doc_toks && (c->x->doc_toks[e->tok].flags & SR_TF_DATELINE)) &&
		    !ev_locative(c->x, c->doc, c->s, e))
			return forces_of(c->x, (int32_t)(i - 1));
	}
	return -1;
}

/* The speaker of the sentence: the doer named as the subject of its
 * verb of saying ("the ministry said", "Abiy told state media") or right
 * after it ("said the army"); "the ministry", "the army" with no name
 * stand for the last doer whose name has that word.  -1 if none. */
/* "Tehran said it fired", "the coalition fighting ISIS in Iraq said
 * that they": for the pronoun at t right after a verb of saying (and
 * "that"), the first doer of the clause before that verb (the head of
 * its subject, not a name in the subject's modifiers), or -1. */
static int32_t
said_pronoun(const frame_ctx *c, uint32_t t)
{
	const sr_token *k = c->doc->toks;
	uint32_t v = t;
	if (v > c->s && is(&k[v - 1], "that"))
		v--;
	/* "said in a televised meeting they had": a short phrase of a
	 * preposition between the verb of saying and its clause */
	if (v > c->s && !ev_in(c->tab, &k[v - 1], ev_class(c->tab, EVC_SAY_VERBS))) {
		uint32_t q = v;
		while (q > c->s && v - q < 5 && k[q - 1].cls == SR_TOK_WORD &&
		       !ev_in(c->tab, &k[q - 1], ev_class(c->tab, EVC_SAY_VERBS)))
			q--;
		if (q > c->s && q < v && ev_in(c->tab, &k[q - 1], ev_class(c->tab, EVC_SAY_VERBS)) &&
		    ev_in(c->tab, &k[q], PREPS))
			v = q;
	}
	if (v <= c->s || !ev_in(c->tab, &k[v - 1], ev_class(c->tab, EVC_SAY_VERBS)) ||
	    ev_tok_in(&k[v - 1], "according|saying|citing"))
		return -1;
	v--;
	uint32_t from = v;
	while (from > c->s && !ev_tok_in(&k[from - 1], ";|:|\"|“|”") && !ev_in(c->tab, &k[from - 1], SUBORD) &&
	       !(is(&k[from - 1], ",") && from - 1 > c->s && is(&k[from - 2], "and")))
		from--;
	for (uint32_t j = from; j < v; j++) {
		int32_t ej = c->x->ent_at[j];
		if (ej < 0)
			continue;
		const ev_ent *e = &c->x->ents[ej];
		j = e->tok + e->ntok - 1;
		if (e->demonym && j + 1 < v && ev_in(c->tab, &k[j + 1], ev_class(c->tab, EVC_FORCE_NOUNS)))
			return ej;  /* "Iraqi officials said" */
		if (!ent_actorlike(e) || e->demonym || ev_locative(c->x, c->doc, c->s, e))
			return -1;
		return ej;
	}
	return -1;
}

static int32_t
sayer(const frame_ctx *c)
{
	const sr_token *k = c->doc->toks;
	for (uint32_t i = c->s; i < c->e; i++) {
		if (!ev_in(c->tab, &k[i], ev_class(c->tab, EVC_SAY_VERBS)) || is(&k[i], "according"))
			continue;
		for (uint32_t j = i + 1; j < c->e && j < i + 4; j++) {
			int32_t ej = c->x->ent_at[j];
			if (ej >= 0 && c->x->ents[ej].actor)
				return ej;
			if (!ev_filler(c->tab, &k[j]) || k[j].cls != SR_TOK_WORD)
				break;
		}
		for (uint32_t j = i; j > c->s && i - j < 5; j--) {
			uint32_t t = j - 1;
			int32_t ej = c->x->ent_at[t];
			if (ej >= 0)
				return c->x->ents[ej].actor ? ej : -1;
			if (k[t].cls != SR_TOK_WORD || ev_in(c->tab, &k[t], SUBORD) || ev_in(c->tab, &k[t], PREPS))
				break;
			/* "the ministry said": the last doer so named */
			if (t > c->s && ev_tok_in(&k[t - 1], "the|its") && k[t].len >= 4) {
				size_t end = ents_before(c->x, t), stop = end > EV_REF_WINDOW ? end - EV_REF_WINDOW : 0;
				for (size_t q = end; q > stop; q--) {
					const ev_ent *e = &c->x->ents[q - 1];
					if (!e->actor || !e->name)
						continue;
					size_t n = strlen(e->name);
					for (size_t o = 0; o + k[t].len <= n; o++)
						if ((o == 0 || e->name[o - 1] == ' ') &&
						    (o + k[t].len == n || e->name[o + k[t].len] == ' ') &&
						    !strncasecmp(e->name + o, k[t].s, k[t].len))
							return (int32_t)(q - 1);
				}
				return -1;
			}
		}
	}
	return -1;
}

/* "its 401st armored brigade", "their elite units": the owner word (of
 * owners) before a force noun at token t, across at most three
 * modifiers; "the" counts only right before ("the four soldiers killed"
 * are no force told before).  The owner's token, or 0 when there is none. */
static uint32_t
owner_before(const frame_ctx *c, uint32_t t, const char *owners)
{
	const sr_token *k = c->doc->toks;
	for (uint32_t j = t; j > c->s && t - j < 4; j--) {
		const sr_token *w = &k[j - 1];
		if (ev_in(c->tab, w, owners) && (j == t || !is(w, "the")))
			return j - 1;
		if (w->cls == SR_TOK_NUMBER)
			continue;
		if (w->cls != SR_TOK_WORD || (w->flags & SR_TF_UPPER1) || ev_in(c->tab, w, PREPS) ||
		    ev_in(c->tab, w, SUBORD) || ev_tok_in(w, "the|a|an|and|or|has|have|had|is|are|was|were|will|would|not"))
			return 0;
	}
	return 0;
}

/* Is token t the first word of its sentence (after opening quotes)? */
static bool
clause_first(const frame_ctx *c, uint32_t t)
{
	for (uint32_t j = c->s; j < t; j++)
		if (c->doc->toks[j].cls != SR_TOK_PUNCT)
			return false;
	return true;
}

/* The doer before a verb: the nearest actor-like name to the left in the
 * clause that is not the object of a preposition; a pronoun or "the
 * troops" resolves to the last armed force named. */
arg_t
subject(const frame_ctx *c, int want)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	uint32_t lim = c->t0 > c->s + 30 ? c->t0 - 30 : c->s;
	int depth = 0;          /* inside parentheses, read backwards */
	bool relative = false;  /* passed "who/which/that": take the name
				   right before it */
	bool skipped = false;   /* an apposition was skipped */
	for (uint32_t i = c->t0; i > lim; i--) {
		uint32_t t = i - 1;
		if (k[t].flags & SR_TF_DATELINE)
			break;
		if (k[t].cls == SR_TOK_PUNCT && k[t].len == 1) {
			if (k[t].s[0] == ';')
				break;
			if (k[t].s[0] == ')')
				depth++;
			else if (k[t].s[0] == '(' && depth > 0)
				depth--;
		}
		if (depth > 0)
			continue;
		/* "the SDF, consisting mainly of YPG fighters, have handed
		 * over": skip an apposition right before the verb group */
		if (!skipped && is(&k[t], ",") && verb_group(k, t + 1, c->t0)) {
			skipped = true;
			for (uint32_t q = t; q > lim + 1 && t - q < 25; q--)
				if (is(&k[q - 1], ",") || is(&k[q - 1], ";")) {
					if (is(&k[q - 1], ","))
						i = q;  /* next: the token before that comma */
					break;
				}
			continue;
		}
		int32_t ei = c->x->ent_at[t];
		if (ei >= 0) {
			const ev_ent *e = &c->x->ents[ei];
			i = e->tok + 1;  /* jump to the start of the name */
			bool after_prep = e->tok > c->s && ev_in(c->tab, &k[e->tok - 1], PREPS) &&
					  !is(&k[e->tok - 1], "of");
			/* "with Syrian forces moving in": the doer of an -ing verb
			 * after "with" */
			uint32_t after = e->tok + e->ntok;
			if (after_prep && is(&k[e->tok - 1], "with") && after < c->e &&
			    k[after].len > 4 && !memcmp(k[after].s + k[after].len - 3, "ing", 3))
				after_prep = false;
			/* "commented on United States troops leaving": the
			 * doer of the -ing trigger itself */
			if (after_prep && gerund(&k[c->t0]) && after <= c->t0) {
				uint32_t u = after;
				while (u < c->t0 && ev_in(c->tab, &k[u], ev_class(c->tab, EVC_FORCE_NOUNS)))
					u++;
				if (u == c->t0)
					after_prep = false;
			}
			/* "X's base": the possessor is not the subject */
			bool possessor = e->tok + e->ntok < c->t0 && is(&k[e->tok + e->ntok], "'s") &&
					 e->tok + e->ntok + 1 != c->t0;
			/* "the coalition to defeat the Islamic State": the object
			 * of an infinitive is no doer */
			uint32_t b = e->tok;
			if (b > c->s && is(&k[b - 1], "the"))
				b--;
			bool inf_obj = b >= c->s + 2 && is(&k[b - 2], "to") &&
				       k[b - 1].cls == SR_TOK_WORD && !(k[b - 1].flags & SR_TF_UPPER1) &&
				       /* "to help Iraqi forces wrestle control": the
					* doer of the bare verb after it */
				       !(e->tok + e->ntok == c->t0 && ev_in(c->tab, &k[b - 1], ev_class(c->tab, EVC_CAUSATIVE_VERBS)));
			if (wanted(e, want) && (!after_prep || relative) && !possessor && !inf_obj) {
				a.ent = ei;
				a.tok = e->tok;
				a.ntok = e->ntok;
				return a;
			}
			if (relative)
				break;
			continue;
		}
		/* "Syrian government troops who deployed": the force noun
		 * heads a name */
		if (relative && ev_in(c->tab, &k[t], ev_class(c->tab, EVC_FORCE_NOUNS)) && t > c->s && c->x->ent_at[t - 1] >= 0)
			continue;
		if (relative && !is(&k[t], ","))
			break;
		/* "the two countries agreed", "both sides signed": the
		 * last state or force named stands for them */
		if (want != WANT_PLACE && t >= c->s + 1 && ev_in(c->tab, &k[t], "countries|sides|parties") &&
		    ev_in(c->tab, &k[t - 1], "two|both|the")) {
			int32_t r = last_before(c->x, t, 4);
			if (r >= 0) {
				a.ent = r;
				a.tok = t >= c->s + 2 && is(&k[t - 2], "the") ? t - 2 : t - 1;
				a.ntok = t + 1 - a.tok;
				return a;
			}
		}
		bool force_noun = want != WANT_PLACE && ev_in(c->tab, &k[t], ev_class(c->tab, EVC_FORCE_NOUNS));
		/* "government troops": the forces of the state named before */
		if (force_noun && owner_before(c, t, ev_class(c->tab, EVC_REGIME_NOUNS)) && !(k[t].flags & SR_TF_UPPER1)) {
			int32_t r = government_forces(c, t);
			if (r >= 0) {
				a.ent = r;
				a.tok = t;
				a.ntok = 1;
				return a;
			}
		}
		/* "we", "our units", or a force noun that opens a reported
		 * clause ("Units of the 'Sever' group liberated ...," the
		 * ministry said): the speaker's forces */
		bool first = want != WANT_PLACE && (is(&k[t], "we") || (force_noun && owner_before(c, t, "our")));
		if (first || (force_noun && clause_first(c, t))) {
			/* only a speaker named in the sentence tells whose */
			int32_t r = sayer(c);
			if (r >= 0) {
				a.ent = forces_of(c->x, r);
				a.tok = t;
				a.ntok = 1;
				return a;
			}
		}
		/* a verb of saying before a clause of its own ("acknowledged
		 * government troops had left"): the sayer is not the doer */
		/* not "claims to have taken", "were reported to have seized":
		 * the subject of such a verb is the doer */
		if (t + 1 < c->t0 && ev_in(c->tab, &k[t], ev_class(c->tab, EVC_SAY_VERBS)) && !is(&k[t], "according") &&
		    !is(&k[t + 1], "to") &&
		    !(t > c->s && ev_tok_in(&k[t - 1], "is|are|was|were|been|being"))) {
			bool clause = false;
			for (uint32_t q = t + 1; q < c->t0 && !clause; q++)
				clause = ev_tok_in(&k[q], "has|have|had|is|are|was|were|will|would");
			if (clause)
				break;
		}
		if (want != WANT_PLACE && (ev_in(c->tab, &k[t], ev_class(c->tab, EVC_FORCE_PRONOUNS)) ||
					   (force_noun && t > c->s && !(k[t].flags & SR_TF_UPPER1) &&
					    owner_before(c, t, "the|its|their")))) {
			/* the nearest doer named before, in this sentence first;
			 * "its forces", "their troops": the forces of the nearest
			 * state, government or force, whatever its rank ("Russia's
			 * defence ministry confirmed its forces...") */
			uint32_t ow = force_noun ? owner_before(c, t, "its|their") : 0;
			bool owned = ow > 0 || ev_in(c->tab, &k[t], "it|they");
			/* "The coalition fighting ISIS in Iraq said it shot
			 * down": the pronoun a verb of saying opens stands for
			 * its sayer, the head of the clause's subject */
			int32_t sd = ev_in(c->tab, &k[t], "it|they") ? said_pronoun(c, t) : -1;
			if (sd >= 0) {
				a.ent = forces_of(c->x, sd);
				a.tok = t;
				a.ntok = 1;
				return a;
			}
			/* "the rebels", "the militants" stand for an armed group
			 * only, never a state's army */
			bool irregular = ev_in(c->tab, &k[t], ev_class(c->tab, EVC_IRREGULAR_NOUNS));
			int32_t r = -1;
			for (uint32_t j = ow ? ow : owned ? t - 1 : t; j > c->s && r < 0; j--) {
				int32_t ej = c->x->ent_at[j - 1];
				if (ej >= 0 && ent_actorlike(&c->x->ents[ej]) && !c->x->ents[ej].demonym &&
				    !ev_locative(c->x, c->doc, c->s, &c->x->ents[ej]) &&  /* refer.c */
				    (owned || !c->x->ents[ej].actor || c->x->ents[ej].actor_rank == 2) &&
				    (!irregular || armed_group(&c->x->ents[ej])))
					r = ej;
			}
			if (owned && r >= 0)
				r = forces_of(c->x, r);
			if (irregular && r < 0) {
				r = c->x->last_actor >= 0 && armed_group(&c->x->ents[c->x->last_actor]) ? c->x->last_actor : -1;
				for (size_t j = ents_before(c->x, t); r < 0 && j > 0; j--)
					if (armed_group(&c->x->ents[j - 1]))
						r = (int32_t)(j - 1);
				if (r < 0)
					break;  /* no group named: the tree's words may tell */
			}
			if (r < 0)
				r = c->x->last_actor;
			if (r < 0)
				r = last_before(c->x, t, 4);
			if (r >= 0) {
				a.ent = r;
				a.tok = t;
				a.ntok = 1;
				return a;
			}
		}
		if (want == WANT_PLACE) {
			int32_t r = anaphor_place(c, t);
			if (r >= 0) {
				a.ent = r;
				a.tok = t;
				a.ntok = 2;
				return a;
			}
		}
		if (ev_in(c->tab, &k[t], "who|which|that") && c->t0 - t <= 3) {
			relative = true;
			continue;
		}
		/* a subordinator ends the clause, once we are past the verb
		 * group right before the trigger */
		if (ev_in(c->tab, &k[t], SUBORD) && c->t0 - t > 1)
			break;
	}
	return a;
}

/* The name after a preposition in the clause after the trigger. */
arg_t
after_prep(const frame_ctx *c, const char *prep, int want)
{
	arg_t none = {.ent = -1};
	const sr_token *k = c->doc->toks;
	char p1[12], p2[12] = "";
	snprintf(p1, sizeof p1, "%s", prep);
	char *sp = strchr(p1, ' ');
	if (sp) {
		*sp = 0;
		snprintf(p2, sizeof p2, "%s", sp + 1);
	}
	for (uint32_t i = c->t1; i < c->right; i++) {
		/* "strikes on facilities used by militia groups": the agent
		 * of a participle or a relative clause after the trigger is
		 * not the trigger's */
		if (!strcmp(p1, "by") && i > c->t1 &&
		    ((k[i].len > 3 && k[i].cls == SR_TOK_WORD && !memcmp(k[i].s + k[i].len - 2, "ed", 2) &&
		      !ev_in(c->tab, &k[i], ev_class(c->tab, EVC_LIGHT_VERBS))) ||
		     ev_tok_in(&k[i], "who|which|that")))
			break;
		if (!is(&k[i], p1))
			continue;
		/* "withdrawal of X": only right after the noun */
		if (!strcmp(p1, "of") && i != c->t1)
			break;
		uint32_t n = i + 1;
		if (p2[0]) {
			if (n >= c->right || !is(&k[n], p2))
				continue;
			n++;
		}
		arg_t a = name_after(c, n, c->right, want, 4);
		if (a.ent >= 0)
			return a;
	}
	return none;
}

/* "X's withdrawal": the name right before a possessive before the
 * trigger (adjectives may stand between). */
/* Is token i the mark of a possessive: "'s", or a bare "'" after a word
 * ending in s ("V Corps' presence", "the forces' withdrawal")? */
static bool
poss_mark(const sr_token *k, uint32_t i)
{
	if (is(&k[i], "'s"))
		return true;
	return i > 0 && is(&k[i], "'") && k[i - 1].cls == SR_TOK_WORD && k[i - 1].len > 1 &&
	       (k[i - 1].s[k[i - 1].len - 1] == 's' || k[i - 1].s[k[i - 1].len - 1] == 'S') &&
	       k[i - 1].s + k[i - 1].len == k[i].s;
}

static arg_t
possessive(const frame_ctx *c, int want)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	uint32_t i = c->t0;
	int adj = 0;
	/* "Israel's 1978 invasion": a year may stand between */
	while (i > c->s + 1 && adj < 3 && !poss_mark(k, i - 1) &&
	       ((k[i - 1].cls == SR_TOK_WORD && ev_filler(c->tab, &k[i - 1])) ||
		(k[i - 1].cls == SR_TOK_NUMBER && k[i - 1].len == 4))) {
		i--;
		adj++;
	}
	if (i <= c->s + 1 || !poss_mark(k, i - 1))
		return a;
	int32_t ei = c->x->ent_at[i - 2];
	if (ei >= 0 && wanted(&c->x->ents[ei], want)) {
		a.ent = ei;
		a.tok = c->x->ents[ei].tok;
		a.ntok = c->x->ents[ei].ntok;
	}
	/* "his army's capture", "its forces' withdrawal": the forces of the
	 * nearest state, official or force named before in the sentence */
	if (ei < 0 && want != WANT_PLACE && i >= c->s + 3 &&
	    ev_in(c->tab, &k[i - 2], ev_class(c->tab, EVC_FORCE_NOUNS)) &&
	    ev_tok_in(&k[i - 3], "its|his|her|their")) {
		for (uint32_t j = i - 3; j > c->s; j--) {
			int32_t ej = c->x->ent_at[j - 1];
			if (ej >= 0 && ent_actorlike(&c->x->ents[ej]) && !c->x->ents[ej].demonym &&
			    !ev_locative(c->x, c->doc, c->s, &c->x->ents[ej])) {
				a.ent = forces_of(c->x, ej);
				a.tok = i - 3;
				a.ntok = 2;
				break;
			}
		}
	}
	return a;
}

/* "US withdrawal", "a Turkish military offensive": a name ending at most
 * two words before a nominal trigger. */
static arg_t
premodifier(const frame_ctx *c, int want)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	for (uint32_t back = 1; back <= 3 && c->t0 >= c->s + back; back++) {
		uint32_t t = c->t0 - back;
		int32_t ei = c->x->ent_at[t];
		if (ei >= 0) {
			if (wanted(&c->x->ents[ei], want)) {
				a.ent = ei;
				a.tok = c->x->ents[ei].tok;
				a.ntok = c->x->ents[ei].ntok;
			}
			return a;
		}
		/* "Moscow's attacks": a possessor is the possessive's */
		if (k[t].cls != SR_TOK_WORD || (k[t].flags & SR_TF_UPPER1) || !ev_filler(c->tab, &k[t]) ||
		    ev_in(c->tab, &k[t], "the|a|an|'s"))
			return a;
	}
	return a;
}

/* "between the sides", "between the two countries": the two last
 * parties named before, distinct (nth 0 the earlier, 1 the later). */
static arg_t
the_sides(const frame_ctx *c, uint32_t i, int nth)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	uint32_t j = i;
	if (j < c->right && ev_in(c->tab, &k[j], "the|both"))
		j++;
	if (j < c->right && is(&k[j], "two"))
		j++;
	if (j >= c->right || !ev_in(c->tab, &k[j], ev_class(c->tab, EVC_PAIR_NOUNS)))
		return a;
	int32_t found[2] = {-1, -1};
	int n = 0;
	size_t end = ents_before(c->x, i);
	size_t stop = end > EV_REF_WINDOW ? end - EV_REF_WINDOW : 0;
	for (size_t e = end; e > stop && n < 2; e--) {
		const ev_ent *f = &c->x->ents[e - 1];
		if (f->tok >= i || !ent_actorlike(f) || f->demonym ||
		    (n == 1 && c->x->ents[found[0]].id && f->id && !strcmp(c->x->ents[found[0]].id, f->id)))
			continue;
		found[n++] = (int32_t)(e - 1);
	}
	if (n < 2)
		return a;
	a.ent = found[nth == 0 ? 1 : 0];
	a.tok = i;
	a.ntok = j + 1 - i;
	return a;
}

/* "between X and Y": the first and second names. */
static arg_t
between(const frame_ctx *c, int nth, int want)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	bool with = false;
	for (uint32_t i = c->t1; i < c->right; i++) {
		/* "agreements with Russia to observe a cease-fire between A
		 * and B": past its other party, a pact of its own (class
		 * truce_nouns) has its own parties */
		with |= is(&k[i], "with");
		if (with && ev_in(c->tab, &k[i], ev_class(c->tab, EVC_TRUCE_NOUNS)))
			break;
		if (!is(&k[i], "between"))
			continue;
		arg_t first = name_after(c, i + 1, c->right, want, 3);
		if (first.ent < 0 && want != WANT_PLACE)
			return the_sides(c, i + 1, nth);
		if (first.ent < 0 || nth == 0)
			return first;
		uint32_t j = first.tok + first.ntok;
		if (j < c->right && is(&k[j], "and"))
			return name_after(c, j + 1, c->right, want, 3);
		return a;
	}
	return a;
}

/* "the Tal Beydar base, which American troops vacated": the object of a
 * verb in a relative clause is the place the clause hangs on. */
static arg_t
relative_object(const frame_ctx *c)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 8; j--) {
		if (!ev_in(c->tab, &k[j - 1], "which|that|where"))
			continue;
		/* "a ceremony in Doha that will see America withdraw its
		 * troops": a pronoun an auxiliary follows is the clause's
		 * subject, not the object of its verb */
		if (j < c->t0 && !is(&k[j - 1], "where") &&
		    ev_tok_in(&k[j], "will|would|has|have|had|is|are|was|were|can|could|may|might|shall|should|must"))
			break;
		uint32_t b = j - 1;
		if (b > c->s && is(&k[b - 1], ","))
			b--;
		/* "the first airfield where US forces were stationed", "the
		 * base that the troops left": a site told before */
		if (b > c->s && c->x->ent_at[b - 1] < 0 && ev_in(c->tab, &k[b - 1], ev_class(c->tab, EVC_SITE_NOUNS))) {
			for (uint32_t d = b - 1; d > c->s && b - 1 - d < 3; d--)
				if (ev_tok_in(&k[d - 1], "the|this|that|its|their")) {
					a.ent = anaphor_place(c, d - 1);
					break;
				}
			if (a.ent >= 0) {
				a.tok = b - 1;
				a.ntok = 1;
			}
			break;
		}
		if (b > c->s) {
			int32_t ei = c->x->ent_at[b - 1];
			if (ei >= 0 && !c->x->ents[ei].actor && !c->x->ents[ei].demonym) {
				/* "Manbij and Tal Rifat, where ...": from the first
				 * of the places coordinated */
				uint32_t t = c->x->ents[ei].tok;
				while (t > c->s + 1 && ev_tok_in(&k[t - 1], "and|,")) {
					int32_t ep = c->x->ent_at[t - 2];
					if (ep < 0 || c->x->ents[ep].actor || c->x->ents[ep].demonym)
						break;
					ei = ep;
					t = c->x->ents[ep].tok;
				}
				a.ent = ei;
				a.tok = c->x->ents[ei].tok;
				a.ntok = c->x->ents[ei].ntok;
			}
		}
		break;
	}
	return a;
}

static arg_t
fill_slot(const frame_ctx *c, const ev_slotspec *sp, int want, int nth)
{
	arg_t none = {.ent = -1};
	switch (sp->kind) {
	case SL_SUBJ:
		if (c->passive)
			return after_prep(c, "by", want);
		return subject(c, want);
	case SL_OBJ:
		/* the passive's subject, unless the trigger ends in its
		 * preposition ("were moved out of Sevastopol") */
		if (c->passive && !(c->t1 > c->t0 + 1 && ev_in(c->tab, &c->doc->toks[c->t1 - 1], PREPS)))
			return subject(c, want);
		if (c->gap1 > c->gap0) {
			arg_t g = name_after(c, c->gap0, c->gap1, want, 4);
			if (g.ent >= 0)
				return g;
		}
		{
			arg_t o = name_after(c, c->t1, c->right, want, 5);
			if (o.ent < 0 && want == WANT_PLACE)
				o = relative_object(c);
			return o;
		}
	case SL_POSS:
		return possessive(c, want);
	case SL_PRE:
		return premodifier(c, want);
	case SL_BETWEEN:
		return between(c, nth, want);
	case SL_PREP:
		return after_prep(c, sp->prep, want);
	}
	return none;
}

arg_t
fill_role(const frame_ctx *c, const ev_slotspec *slots, int n, int want, int nth)
{
	bool prep = false;
	for (int i = 0; i < n; i++) {
		arg_t a = fill_slot(c, &slots[i], want, nth);
		if (a.ent >= 0)
			return a;
		prep |= slots[i].kind == SL_PREP;
	}
	/* "the town where the troops withdrew": "where" stands for the
	 * place a preposition would name */
	if (want == WANT_PLACE && prep && nth == 0) {
		arg_t w = relative_object(c);
		if (w.ent >= 0 && w.tok < c->t0) {
			const sr_token *k = c->doc->toks;
			for (uint32_t j = w.tok + w.ntok; j < c->t0 && j < w.tok + w.ntok + 3; j++)
				if (is(&k[j], "where"))
					return w;
		}
	}
	arg_t none = {.ent = -1};
	return none;
}

/* ------------------------------------------------- roles from the tree */

static bool
wanted_cb(const ev_ent *e, int want)
{
	return wanted(e, want);
}

/* An argument from the name heading the tree's word w. */
static arg_t
tree_arg(const sr_extractor *x, const sr_parse *p, int w, int want)
{
	arg_t a = {.ent = -1};
	int32_t e = ev_tree_ent(x, p, w, wanted_cb, want);
	if (e >= 0) {
		a.ent = e;
		a.tok = x->ents[e].tok;
		a.ntok = x->ents[e].ntok;
	}
	return a;
}

/* Is the word written as part of a name: capitalized, or an Arabic
 * article before a capital ("al-Naqoura", "ash-Shaab")? */
static bool
name_word(const sr_token *k)
{
	if (k->flags & SR_TF_UPPER1)
		return true;
	for (uint32_t i = 1; i < 4 && i + 1 < k->len; i++)
		if (k->s[i] == '-')
			return k->s[i + 1] >= 'A' && k->s[i + 1] <= 'Z';
	return false;
}

/* "The army had already left," Christian Bigebika ... told: a name that
 * a comma or a quote parts from the verb is no object of it. */
static bool
cut_off(const sr_doc *doc, const frame_ctx *c, int d, const sr_parse *p)
{
	uint32_t t = c->t1;
	return t < p->w[d].tok && t < c->e && doc->toks[t].cls == SR_TOK_PUNCT && !is(&doc->toks[t], "-");
}

/* A place the lexicon does not know, by its words: the proper noun the
 * tree puts where the frame wants a place ("captured Paletwa", "from
 * Gogra"), or the one a place noun introduces ("the town of Al-Urban",
 * "the villages of Melovoy"): capitalized words with no name of the
 * lexicon, no date, no force word, at most four.  Arena text or NULL. */
static const char *
tree_place_mention(sr_extractor *x, const sr_doc *doc, const sr_parse *p, int d, int *word)
{
	if (p->w[d].upos != SR_UPOS_PROPN || ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_AREA_NOUNS))) {
		if (!ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_AREA_NOUNS)))
			return NULL;
		/* "the villages of X", "the regional capital, X", "X Town",
		 * "the X river valley" */
		int n = ev_tree_child(p, d, SR_DEP_NMOD, "of");
		if (n < 0 || p->w[n].upos != SR_UPOS_PROPN)
			n = ev_tree_child(p, d, SR_DEP_APPOS, NULL);
		if (n < 0 || p->w[n].upos != SR_UPOS_PROPN) {
			/* the compound nearest to the head written as a name,
			 * across a lower-case one ("the Galwan river valley") */
			n = -1;
			for (int h = d, depth = 0; n < 0 && h >= 0 && depth < 2; depth++) {
				int next = -1;
				for (size_t i = 0; i < p->n; i++)
					if (p->w[i].head == h && sr_deprel_base(p->w[i].deprel) == SR_DEP_COMPOUND &&
					    p->w[i].upos == SR_UPOS_PROPN) {
						if (name_word(&doc->toks[p->w[i].tok]))
							n = (int)i;
						else
							next = (int)i;
					}
				h = next;
			}
		}
		if (n < 0)
			return NULL;
		d = n;
	}
	uint32_t a = p->w[d].tok, b = a;
	for (size_t i = 0; i < p->n; i++) {
		if (p->w[i].head != d)
			continue;
		int r = sr_deprel_base(p->w[i].deprel);
		if ((r == SR_DEP_COMPOUND || r == SR_DEP_FLAT) && p->w[i].upos == SR_UPOS_PROPN) {
			if (p->w[i].tok < a)
				a = p->w[i].tok;
			if (p->w[i].tok > b)
				b = p->w[i].tok;
		}
	}
	if (b - a >= 4)
		return NULL;
	if (word)
		*word = d;
	for (uint32_t t = a; t <= b; t++)
		if (!ev_place_word(x, doc, t))
			return NULL;
	return ev_arena_text(x, doc, a, b + 1 - a);
}

bool
ev_place_word(const sr_extractor *x, const sr_doc *doc, uint32_t t)
{
	const sr_token *k = &doc->toks[t];
	return x->ent_at[t] < 0 && !x->skip[t] && k->cls == SR_TOK_WORD && name_word(k) &&
	       !ev_in(&x->tab, k, ev_class(&x->tab, EVC_MILITARY)) &&
	       !ev_in(&x->tab, k, ev_class(&x->tab, EVC_FORCE_NOUNS));
}

/* The tree's word that heads the phrase of a frame's place slot sp for
 * the verb trigger w: the object (the passive subject), the subject, or
 * the oblique whose case word is the slot's preposition; -1 if none. */
static int
tree_slot_word(const sr_parse *p, int w, const frame_ctx *c, const ev_slotspec *sp)
{
	int d = -1;
	if (sp->kind == SL_OBJ)
		d = c->passive ? ev_tree_child(p, w, SR_DEP_NSUBJ_PASS, NULL) : ev_tree_child(p, w, SR_DEP_OBJ, NULL);
	else if (sp->kind == SL_SUBJ && !c->passive)
		d = ev_tree_child(p, w, SR_DEP_NSUBJ, NULL);
	else if (sp->kind == SL_PREP) {
		/* "out of": the last word is the case word the tree marks */
		const char *prep = strrchr(sp->prep, ' ');
		prep = prep ? prep + 1 : sp->prep;
		d = ev_tree_child(p, w, SR_DEP_OBL, prep);
		/* "seized control of the side of the crossing": the phrase
		 * hangs on the trigger's last word */
		int h = ev_tree_word(p, c->t1 - 1);
		if (d < 0 && h >= 0 && h != w)
			d = ev_tree_child(p, h, SR_DEP_NMOD, prep);
		/* "began deploying to take up positions in X": the verb of
		 * purpose the trigger governs */
		int v = d < 0 ? ev_tree_child(p, w, SR_DEP_XCOMP, NULL) : -1;
		if (v >= 0 && p->w[v].upos == SR_UPOS_VERB)
			d = ev_tree_child(p, v, SR_DEP_OBL, prep);
	}
	return d;
}

/* Is the tree's word d a stretch of ground with no name: an area noun,
 * or a measure "of" one ("1,300 square kilometres of land")? */
static bool
unnamed_ground(const sr_extractor *x, const sr_doc *doc, const sr_parse *p, int d)
{
	if (ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_AREA_NOUNS)))
		return true;
	int of = ev_tree_child(p, d, SR_DEP_NMOD, "of");
	return of >= 0 && ev_in(&x->tab, &doc->toks[p->w[of].tok], ev_class(&x->tab, EVC_AREA_NOUNS));
}

/* Fills the doer and the place the words near a verb trigger did not
 * give from the sentence's dependency tree: the doer is the subject
 * (obl:agent in the passive, inherited through xcomp and conj: "began
 * pulling out", "left and moved in"); the place is the object (the
 * passive subject), or the oblique whose case word is one of the frame's
 * prepositions, or the subject where the frame says so ("Wad Madani has
 * fallen to the RSF"). */
void
tree_roles(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g,
	   roles_t *r)
{
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return;
	int w = ev_tree_word(p, c->t0);
	if (w < 0)
		return;
	if (g->noun) {
		/* "Mariupol, which ..., is under the control of the Russian
		 * army": the subject of the nominal predicate (the trigger's
		 * last word heads it) */
		int h = ev_tree_word(p, c->t1 - 1);
		int s = h >= 0 ? ev_tree_child(p, h, SR_DEP_NSUBJ, NULL) : -1;
		if (r->pa.ent < 0 && s >= 0) {
			arg_t a = tree_arg(x, p, s, WANT_PLACE);
			if (a.ent >= 0 && a.ent != r->aa.ent)
				r->pa = a;
		}
		return;
	}
	if (p->w[w].upos != SR_UPOS_VERB && p->w[w].upos != SR_UPOS_AUX)
		return;
	if (r->aa.ent < 0) {
		bool subj_slot = false;
		for (int i = 0; i < g->nactor; i++)
			subj_slot |= g->actor[i].kind == SL_SUBJ;
		if (subj_slot) {
			arg_t a = tree_arg(x, p, ev_tree_subject(p, w, c->passive), WANT_ACTOR);
			if (a.ent >= 0 && a.ent != r->pa.ent)
				r->aa = a;
		}
	}
	for (int i = 0; r->pa.ent < 0 && i < g->nplace; i++) {
		const ev_slotspec *sp = &g->place[i];
		int d = tree_slot_word(p, w, c, sp);
		if (d < 0)
			continue;
		/* "withdrew 30,000 troops across the river": the forces moved
		 * are no place */
		if (sp->kind == SL_OBJ && ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_FORCE_NOUNS)))
			continue;
		arg_t a = tree_arg(x, p, d, WANT_PLACE);
		if (a.ent >= 0 && a.ent != r->aa.ent)
			r->pa = a;
		else if (a.ent < 0 && !r->pmention && sp->kind != SL_SUBJ && !(sp->kind == SL_OBJ && cut_off(doc, c, d, p))) {
			int mw = -1;
			r->pmention = tree_place_mention(x, doc, p, d, &mw);
			/* "the settlements of Melovoy, Podol and Sudzha" */
			int cj[EV_MAX_CONJ];
			int n = r->pmention ? ev_tree_conj(p, mw, cj, EV_MAX_CONJ) : 0;
			for (int q = 0; q < n && r->npmore < EV_MAX_CONJ; q++) {
				const char *m = tree_place_mention(x, doc, p, cj[q], NULL);
				if (m && p->w[cj[q]].upos == SR_UPOS_PROPN)
					r->pmore[r->npmore++] = m;
			}
		}
		/* "seized 1,300 square kilometres of land in the Kursk
		 * region", "captured three villages in Donetsk": an object of
		 * unnamed ground is where the verb's "in" says */
		if (r->pa.ent < 0 && !r->pmention && sp->kind == SL_OBJ && unnamed_ground(x, doc, p, d)) {
			int in = ev_tree_child(p, w, SR_DEP_OBL, "in");
			arg_t b = in >= 0 ? tree_arg(x, p, in, WANT_PLACE) : (arg_t){.ent = -1};
			if (b.ent >= 0 && b.ent != r->aa.ent)
				r->pa = b;
		}
	}
}

/* The doer of a nominal trigger held by a light verb, from the tree:
 * the noun (or the noun whose "of" phrase holds it: "the first phase
 * of the withdrawal") is the object of a verb of class light_verbs
 * ("Israel launched a ground incursion", "ATMIS completed the first
 * phase of its withdrawal", "strikes were carried out by the air
 * force"); the doer is that verb's subject (its obl:agent in the
 * passive).  verbs is the class of the holding verb: light_verbs, or
 * pact_verbs for an agreement ("Israel and Hamas reached a truce").  -1
 * when the tree does not tell. */
int32_t
tree_light_doer(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, enum ev_class verbs)
{
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return -1;
	int w = ev_tree_word(p, c->t1 - 1);
	for (int hops = 0; w >= 0 && hops < 3; hops++) {
		int h = p->w[w].head;
		if (h < 0)
			return -1;
		int d = p->w[w].deprel, b = sr_deprel_base(d);
		if (b == SR_DEP_NMOD && ev_tree_child(p, w, SR_DEP_CASE, "of") >= 0) {
			w = h;  /* "the first phase of the withdrawal" */
			continue;
		}
		bool pass = d == SR_DEP_NSUBJ_PASS;
		if ((b != SR_DEP_OBJ && !pass) || p->w[h].upos != SR_UPOS_VERB ||
		    !ev_in(&x->tab, &doc->toks[p->w[h].tok], ev_class(&x->tab, verbs)))
			return -1;
		int s = ev_tree_subject(p, h, pass);
		/* "Erdogan says a deal has been reached with Russia": a pact
		 * made in the passive with no agent, in the clause a speaker
		 * says, is the speaker's (the partner is after "with") */
		if (s < 0 && pass && verbs == EVC_PACT_VERBS && sr_deprel_base(p->w[h].deprel) == SR_DEP_CCOMP &&
		    p->w[h].head >= 0 &&
		    ev_in(&x->tab, &doc->toks[p->w[p->w[h].head].tok], ev_class(&x->tab, EVC_SAY_VERBS)))
			s = ev_tree_subject(p, p->w[h].head, false);
		if (s < 0)
			return -1;
		int32_t e = tree_arg(x, p, s, WANT_ACTOR).ent;
		/* "They have since carried out strikes": a pronoun is the doer
		 * of the report's last event */
		if (e < 0 && ev_in(&x->tab, &doc->toks[p->w[s].tok], ev_class(&x->tab, EVC_FORCE_PRONOUNS)) &&
		    !is(&doc->toks[p->w[s].tok], "we"))
			e = x->last_actor;
		return e;
	}
	return -1;
}

/* "deployed in the villages of A, B and C in the Tyre district": where
 * the tree's phrase of the first place slot of a verb trigger holds no
 * name of the lexicon but proper nouns that an area noun introduces by
 * "of" (or a proper noun alone), and the words found a place after
 * them (the district they lie in), those proper nouns are the places:
 * their words go to r->pmention and r->pmore, and the wider place is
 * dropped.  Returns whether it did. */
bool
tree_area_list(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g,
	       roles_t *r)
{
	if (r->pa.ent < 0 || r->pmention || g->noun)
		return false;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return false;
	int w = ev_tree_word(p, c->t0);
	if (w < 0 || p->w[w].upos != SR_UPOS_VERB)
		return false;
	for (int i = 0; i < g->nplace; i++) {
		int d = tree_slot_word(p, w, c, &g->place[i]);
		if (d < 0)
			continue;
		int mw = -1;
		const char *m = tree_place_mention(x, doc, p, d, &mw);
		int32_t e = tree_arg(x, p, d, WANT_PLACE).ent;
		if (!m && e < 0)
			continue;  /* "deploying to position themselves in" */
		/* a name of the lexicon first in the phrase is the place */
		if (!m || (p->w[mw].tok >= x->ents[r->pa.ent].tok && x->ents[r->pa.ent].tok >= c->s) ||
		    (e >= 0 && x->ents[e].tok < p->w[mw].tok))
			return false;
		r->pmention = m;
		r->npmore = 0;
		int cj[EV_MAX_CONJ];
		int n = ev_tree_conj(p, mw, cj, EV_MAX_CONJ);
		for (int q = 0; q < n && r->npmore < EV_MAX_CONJ; q++) {
			const char *more = tree_place_mention(x, doc, p, cj[q], NULL);
			if (more && p->w[cj[q]].upos == SR_UPOS_PROPN)
				r->pmore[r->npmore++] = more;
		}
		r->pa.ent = -1;
		return true;
	}
	return false;
}

/* Is the doer the words found before a verb trigger a place named in
 * a prepositional phrase of the sentence ("on northern areas of Syria
 * and Iraq, targeting ..."), by the tree: a country or town, not an
 * actor of the lexicon, whose head word the tree makes a nominal or
 * oblique modifier of a noun, and that is no subject of the trigger? */
bool
tree_doer_in_phrase(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e)
{
	if (e < 0 || x->ents[e].actor || x->ents[e].tok >= c->t0 || x->ents[e].tok < c->s)
		return false;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return false;
	int w = ev_tree_word(p, x->ents[e].tok + x->ents[e].ntok - 1);
	while (w >= 0 && p->w[w].head >= 0 && x->ent_at[p->w[p->w[w].head].tok] == e)
		w = p->w[w].head;
	int v = ev_tree_word(p, c->t0);
	if (w < 0 || v < 0 || ev_tree_subject(p, v, c->passive) == w)
		return false;
	/* the first of a list stands for it ("Syria and Iraq") */
	while (sr_deprel_base(p->w[w].deprel) == SR_DEP_CONJ && p->w[w].head >= 0)
		w = p->w[w].head;
	int b = sr_deprel_base(p->w[w].deprel);
	if (b != SR_DEP_NMOD || p->w[w].deprel == SR_DEP_NMOD_POSS)
		return false;
	int h = p->w[w].head;
	return h >= 0 && p->w[h].upos == SR_UPOS_NOUN && ev_tree_child(p, w, SR_DEP_CASE, NULL) >= 0;
}

/* A doer the lexicon does not know, by its words: the subject of the
 * verb trigger when the tree's subject is headed by a word of class
 * force_nouns ("The M23 rebel group seized Goma", "Army units began
 * deploying") and holds no name.  Only a sentence parsed already for
 * this trigger is read.  Returns arena text or NULL. */
const char *
tree_mention(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	if (x->tree_si != si)
		return NULL;
	const sr_parse *p = &x->tree;
	int w = ev_tree_word(p, c->t0);
	if (w < 0)
		return NULL;
	int s = ev_tree_subject(p, w, c->passive);
	if (s < 0)
		return NULL;
	const sr_token *head = &doc->toks[p->w[s].tok];
	/* "Elements of the 3rd Brigade", "troops from the 47th Brigade": a
	 * share of a force, named by its of-phrase */
	if (ev_in(&x->tab, head, ev_class(&x->tab, EVC_SHARE_NOUNS))) {
		for (size_t i = 0; i < p->n; i++) {
			if (p->w[i].head != s || sr_deprel_base(p->w[i].deprel) != SR_DEP_NMOD ||
			    p->w[i].tok <= p->w[s].tok)
				continue;
			int cs = ev_tree_child(p, (int)i, SR_DEP_CASE, NULL);
			const sr_token *k = &doc->toks[p->w[i].tok];
			if (cs >= 0 && ev_tok_in(&doc->toks[p->w[cs].tok], "of|from") &&
			    (ev_in(&x->tab, k, ev_class(&x->tab, EVC_FORCE_NOUNS)) ||
			     ev_in(&x->tab, k, ev_class(&x->tab, EVC_IRREGULAR_NOUNS)) ||
			     ev_in(&x->tab, k, ev_class(&x->tab, EVC_GROUP_NOUNS)))) {
				s = (int)i;
				head = k;
			}
			break;
		}
	}
	bool group = ev_in(&x->tab, head, ev_class(&x->tab, EVC_GROUP_NOUNS));
	if (!group && !ev_in(&x->tab, head, ev_class(&x->tab, EVC_FORCE_NOUNS)) &&
	    !ev_in(&x->tab, head, ev_class(&x->tab, EVC_IRREGULAR_NOUNS)))
		return NULL;
	/* the words of the phrase: s and the words below it by determiner,
	 * modifier and compound relations */
	uint32_t a = p->w[s].tok, b = p->w[s].tok;
	for (size_t i = 0; i < p->n; i++) {
		if (p->w[i].head != s)
			continue;
		int d = sr_deprel_base(p->w[i].deprel);
		if (d != SR_DEP_DET && d != SR_DEP_AMOD && d != SR_DEP_COMPOUND && d != SR_DEP_NUMMOD &&
		    d != SR_DEP_FLAT)
			continue;
		if (p->w[i].tok < a)
			a = p->w[i].tok;
		if (p->w[i].tok > b)
			b = p->w[i].tok;
	}
	/* a bare "units", "the troops" says nothing of whose: a word must
	 * modify the head ("Russian units", "the M23 rebel group") */
	bool modified = false;
	for (uint32_t t = a; t <= b; t++)
		modified |= t != p->w[s].tok && !ev_tok_in(&doc->toks[t], "the|a|an|these|those|some");
	if (!modified && !ev_in(&x->tab, head, ev_class(&x->tab, EVC_IRREGULAR_NOUNS)))
		return NULL;
	bool armed = !group;
	for (uint32_t t = a; t <= b; t++) {
		if (x->ent_at[t] >= 0)
			return NULL;  /* a name: the rules had their chance */
		/* "the armed rebel groups", not "the group" */
		armed |= t != p->w[s].tok && ev_in(&x->tab, &doc->toks[t], ev_class(&x->tab, EVC_MILITARY));
	}
	if (!armed)
		return NULL;
	return ev_arena_text(x, doc, a, b + 1 - a);
}

/* The names coordinated in the tree with the name e of the sentence
 * ("A, B and C": B and C for A), of the kind want, into out (at most
 * max); how many.  Only a name of the sentence whose words the rules
 * found (named) is followed, and only a sentence with "and" is parsed
 * for it. */
int
tree_conj(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e, bool named, int want,
	  int32_t *out, int max)
{
	if (e < 0 || !named || x->ents[e].tok < c->s || x->ents[e].tok >= c->e)
		return 0;
	/* only a name right before "and" or a comma that an "and" follows
	 * opens a list ("A and B", "A, B and C") */
	uint32_t after = x->ents[e].tok + x->ents[e].ntok, before = x->ents[e].tok;
	bool last = before > c->s && is(&doc->toks[before - 1], "and");  /* "X and Y": Y */
	/* "Khiam in southeast Lebanon and Naqoura": the list goes on after
	 * the wider place its first item lies in */
	int32_t in = -1;
	if (!last && want == WANT_PLACE && after + 1 < c->e && is(&doc->toks[after], "in")) {
		uint32_t u = after + 1;
		while (u < c->e && u < after + 4 && x->ent_at[u] < 0)
			u++;
		in = u < c->e ? x->ent_at[u] : -1;
		if (in >= 0 && (x->ents[in].actor || !wider_or_same(&x->ents[in], &x->ents[e]) ||
				x->ents[in].tok + x->ents[in].ntok >= c->e ||
				!is(&doc->toks[x->ents[in].tok + x->ents[in].ntok], "and")))
			in = -1;
		if (in >= 0)
			after = x->ents[in].tok + x->ents[in].ntok;
	}
	if (!last && (after >= c->e || !ev_tok_in(&doc->toks[after], "and|,")))
		return 0;
	bool and = last;
	for (uint32_t i = after; i < c->e && i < after + 12 && !and; i++)
		and = is(&doc->toks[i], "and");
	if (!and)
		return 0;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return 0;
	/* the word of the name's head: its last token's word */
	int w = ev_tree_word(p, x->ents[e].tok + x->ents[e].ntok - 1);
	while (w >= 0 && p->w[w].head >= 0 && x->ent_at[p->w[p->w[w].head].tok] == e)
		w = p->w[w].head;
	if (w < 0)
		return 0;
	int n = 0, queue[EV_MAX_CONJ + 2], nq = 0;
	/* the last of a list hangs on the first: start there ("Russia and
	 * Ukraine": Russia, for Ukraine) */
	if (sr_deprel_base(p->w[w].deprel) == SR_DEP_CONJ && p->w[w].head >= 0) {
		int h = p->w[w].head;
		int32_t f = ev_tree_ent(x, p, h, wanted_cb, want);
		if (f >= 0 && f != e && x->ents[f].actor == x->ents[e].actor &&
		    (want != WANT_PLACE || x->ents[f].country == x->ents[e].country))
			out[n++] = f;
		w = h;
	}
	queue[nq++] = w;
	/* the parser hangs "and Naqoura" on the wider place "in Lebanon" */
	if (in >= 0) {
		int iw = ev_tree_word(p, x->ents[in].tok + x->ents[in].ntok - 1);
		while (iw >= 0 && p->w[iw].head >= 0 && x->ent_at[p->w[p->w[iw].head].tok] == in)
			iw = p->w[iw].head;
		if (iw >= 0 && p->w[iw].head == w)
			queue[nq++] = iw;
	}
	/* "from Izyum, a key stronghold, and Balakliya": the list goes on
	 * after an apposition (or the noun the parser puts beside the name
	 * in its place, right after its comma) */
	for (size_t i = 0; i < p->n && nq < EV_MAX_CONJ + 2; i++) {
		if (p->w[i].upos != SR_UPOS_NOUN || (int)i == w)
			continue;
		bool appos = p->w[i].head == w && sr_deprel_base(p->w[i].deprel) == SR_DEP_APPOS;
		int r = sr_deprel_base(p->w[i].deprel);
		bool beside = p->w[w].head >= 0 && p->w[i].head == p->w[w].head &&
			      (r == SR_DEP_OBL || r == SR_DEP_OBJ || r == SR_DEP_NMOD || r == SR_DEP_APPOS || r == SR_DEP_CONJ) &&
			      (int)i > w && after < c->e && is(&doc->toks[after], ",") && p->w[i].tok > after &&
			      p->w[i].tok < after + 6 && x->ent_at[p->w[i].tok] < 0;
		if (appos || beside)
			queue[nq++] = (int)i;
	}
	for (int q = 0; q < nq && n < max; q++) {
		int cj[EV_MAX_CONJ];
		int k = ev_tree_conj(p, queue[q], cj, EV_MAX_CONJ);
		for (int i = 0; i < k && n < max; i++) {
			int32_t f = ev_tree_ent(x, p, cj[i], wanted_cb, want);
			if (f < 0 || f == e || n >= max)
				continue;
			bool dup = false;
			for (int j = 0; j < n; j++)
				dup |= out[j] == f;
			if (dup)
				continue;
			/* a place and a doer do not mix; nor do a country and
			 * the towns in it ("Khiam in Lebanon and Naqoura") */
			if (x->ents[f].actor != x->ents[e].actor ||
			    (want == WANT_PLACE && x->ents[f].country != x->ents[e].country))
				continue;
			out[n++] = f;
			if (nq <= EV_MAX_CONJ)
				queue[nq++] = cj[i];
		}
	}
	return n;
}

/* The entity whose lexicon id is id, or -1. */
static int32_t
ent_by_id(const sr_extractor *x, const char *id)
{
	for (size_t j = 0; id && j < x->nents; j++)
		if (x->ents[j].id == id)
			return (int32_t)j;
	return -1;
}

int32_t
ev_other_side(const sr_extractor *x, int32_t place)
{
	if (place < 0 || !x->ents[place].id)
		return -1;
	/* who the report last had hold or leave the place */
	const char *held = NULL;
	for (size_t i = x->nev; i > 0 && !held; i--) {
		const sr_event *w = &x->ev[i - 1];
		if (w->place.set && w->place.id == x->ents[place].id && w->actor.set && w->actor.country &&
		    w->actor.country[0] && (!strcmp(w->type, "withdraw") || !strcmp(w->type, "take_control")))
			held = w->actor.country;
	}
	if (!held)
		return -1;
	/* the last armed force of another country the report made a doer */
	for (size_t i = x->nev; i > 0; i--) {
		const sr_event *w = &x->ev[i - 1];
		if (!w->actor.set || !w->actor.country || !w->actor.country[0] || !strcmp(w->actor.country, held))
			continue;
		int32_t e = ent_by_id(x, w->actor.id);
		if (e >= 0 && x->ents[e].actor && x->ents[e].actor_rank == 2)
			return e;
	}
	return -1;
}
