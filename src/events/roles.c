/*
 * roles.c -- the names that fill a trigger's roles (extract.c).
 *
 * The entities of the report and the last one of a kind before a token;
 * the argument search by the words around a trigger (the subject before
 * a verb, the name after it or after a preposition, a possessive or a
 * modifier before a noun) with "the base", "it" and "the troops" resolved
 * to a name told before.  The roles the dependency tree gives where the
 * words did not tell are tree_roles.c's.
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
			if (!and && !placed && !ev_wider_or_same(e, f))
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
bool
ev_wider_or_same(const ev_ent *e, const ev_ent *f)
{
	return precision_rank(f->precision) <= precision_rank(e->precision);
}

/* Is the entity a name the role wants (WANT_ACTOR, WANT_PLACE or any)? */
bool
ev_wanted(const ev_ent *e, int want)
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
		if (e && ev_wanted(e, want)) {
			/* "from Ukraine's Snake Island": the possessor's place is
			 * wider than the one named after it */
			uint32_t j = e->tok + e->ntok;
			if (want == WANT_PLACE && j + 1 < to && is(&k[j], "'s")) {
				for (uint32_t u = j + 1; u < to && u < j + 4; u++) {
					const ev_ent *f = ent_starting(c->x, u);
					if (f && ev_wanted(f, want)) {
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
			if (ev_wanted(e, want) && (!after_prep || relative) && !possessor && !inf_obj) {
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
	if (ei >= 0 && ev_wanted(&c->x->ents[ei], want)) {
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
			if (ev_wanted(&c->x->ents[ei], want)) {
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
