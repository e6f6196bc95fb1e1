/*
 * frames.c -- the triggers of a sentence and their frames (extract.c).
 *
 * Every trigger that starts at a word of the sentence is a candidate;
 * the best-scoring one that yields an event wins.  Its frame is applied:
 * the roles are filled (roles.c), the reading is tested (a re-mention, a
 * state, a demand, a condition, a threat), the constraints of the
 * trigger are checked (armed, security, a force, a site, a town) and
 * the events are made, one per name of a list.
 */
#include "extract_int.h"
#include "context_int.h"

#include <stdio.h>
#include <stdlib.h>

#define MAX_EVENTS_PER_SENTENCE 12


/* ------------------------------------------------------------ matching */

typedef struct {
	const ev_trigger *g;
	uint32_t t1, gap0, gap1;
	int score;
} cand_t;

#define MAX_CANDS 8

typedef struct {
	const ev_trigger *best;
	uint32_t t0, t1, gap0, gap1;
	int score;
	cand_t cand[MAX_CANDS];
	int ncand;
	frame_ctx *c;
	const sr_doc *doc;
	const sr_extractor *x;
	uint32_t i;
} match_ctx;

static bool
word_matches(const ev_trigger *g, int w, const sr_token *k)
{
	for (int a = 0; a < g->nalts[w]; a++)
		if (sr_eq_ci(k->s, k->len, g->alts[w][a]))
			return true;
	return false;
}

/* Is the trigger's whole word sequence at token i?  A verb's last word
 * that is a particle ("hand ... over") may come after up to four words. */
static bool
sequence_at(const match_ctx *m, const ev_trigger *g, uint32_t *t1, uint32_t *gap0,
	    uint32_t *gap1)
{
	const sr_token *k = m->doc->toks;
	uint32_t e = m->c->e;
	uint32_t j = m->i + 1;
	*gap0 = *gap1 = 0;
	for (int w = 1; w < g->nwords; w++) {
		if (j < e && word_matches(g, w, &k[j])) {
			j++;
			continue;
		}
		bool particle = !g->noun && w == g->nwords - 1 &&
				g->nalts[w] == 1 &&
				(!strcmp(g->alts[w][0], "over") || !strcmp(g->alts[w][0], "out") ||
				 !strcmp(g->alts[w][0], "back") || !strcmp(g->alts[w][0], "down"));
		if (!particle)
			return false;
		uint32_t p = j;
		/* (a count or an acronym too: "pulled 2,000 troops out",
		 * "handed IS detainees over": no "is" there) */
		while (p < e && p < j + 5 && !word_matches(g, w, &k[p]) &&
		       (ev_filler(m->c->tab, &k[p]) || k[p].cls == SR_TOK_NUMBER || (k[p].flags & SR_TF_ALLCAPS)))
			p++;
		if (p >= e || p >= j + 5 || !word_matches(g, w, &k[p]))
			return false;
		*gap0 = j;
		*gap1 = p;
		j = p + 1;
	}
	*t1 = j;
	return true;
}

/* Is the sentence [s, e) written in title case (most of its words of
 * four letters or more capitalized)? */
static bool
title_case(const sr_doc *doc, uint32_t s, uint32_t e)
{
	int words = 0, upper = 0;
	for (uint32_t i = s; i < e; i++)
		if (doc->toks[i].cls == SR_TOK_WORD && doc->toks[i].len >= 4) {
			words++;
			upper += (doc->toks[i].flags & SR_TF_UPPER1) != 0;
		}
	return words > 0 && upper * 10 >= words * 6;
}

/* Is the word a past form of a verb ("struck", "shelled"), which no noun
 * shares? */
static bool
past_form(const ev_tables *t, const sr_token *k)
{
	return (k->len > 3 && !memcmp(k->s + k->len - 2, "ed", 2)) ||
	       ev_in(t, k, ev_class(t, EVC_IRREGULAR_PARTICIPLES));
}

/* Is the word an -ing form ("evacuating")? */
static bool
gerund_form(const sr_token *k)
{
	return k->len > 4 && !memcmp(k->s + k->len - 3, "ing", 3);
}

static void
consider(const ev_trigger *g, void *vctx)
{
	match_ctx *m = vctx;
	uint32_t t1, gap0, gap1;
	if (!sequence_at(m, g, &t1, &gap0, &gap1))
		return;
	const sr_token *k = m->doc->toks;
	/* a capitalized word inside a sentence is part of a name ("the State
	 * Fire Marshal", "Operation Desert Storm"), unless the sentence is a
	 * headline in title case */
	if (m->i > m->c->s && (k[m->i].flags & SR_TF_UPPER1) && k[m->i - 1].cls == SR_TOK_WORD &&
	    !title_case(m->doc, m->c->s, m->c->e))
		return;
	/* a noun trigger is a noun: not right after "to" or a modal */
	if (g->noun && m->i > m->c->s &&
	    ev_in(m->c->tab, &k[m->i - 1], "to|will|would|could|may|might|can|should|must|did|not"))
		return;
	/* a verb trigger read as a noun ("the attack", "a strike") is left
	 * to the noun entry */
	if (!g->noun && m->i > m->c->s &&
	    (k[m->i - 1].cls == SR_TOK_NUMBER ||
	     ev_in(m->c->tab, &k[m->i - 1], "the|a|an|this|that|these|those|its|their|his|her|'s|of|such|under|"
				     "every|any|each|no|recent|latest|first|second|last|many|"
				     "several|some|repeated|frequent|more|further|new") ||
	     /* "rocket attacks", "air strikes", "terrorist attacks"; but a
	      * past form is no noun: "drones struck", "rockets targeted" */
	     (ev_in(m->c->tab, &k[m->i - 1], ev_class(m->c->tab, EVC_WEAPON_MODIFIERS)) &&
	      !past_form(m->c->tab, &k[m->i])) ||
	     ev_in(m->c->tab, &k[m->i - 1], ev_class(m->c->tab, EVC_HYPOTHETICAL_VERBS)) ||
	     /* "an increase in attacks"; but "after transporting" */
	     (ev_in(m->c->tab, &k[m->i - 1], "in|on|amid|after|following|despite|against") &&
	      !(k[m->i].len > 4 && !memcmp(k[m->i].s + k[m->i].len - 3, "ing", 3)))))
		return;
	/* "a carrier strike group", "attack helicopters", "attack drones":
	 * a kind of unit or weapon, not an event */
	if (g->type == EV_ATTACK && t1 < m->c->e &&
	    ev_in(m->c->tab, &k[t1], ev_class(m->c->tab, EVC_ATTACK_COMPOUNDS)))
		return;
	/* "massive fire strikes", "air raid": a verb form right before a
	 * nominal attack modifies it; the noun is the trigger */
	if (g->type == EV_ATTACK && !g->noun && t1 < m->c->e &&
	    ev_in(m->c->tab, &k[t1], ev_class(m->c->tab, EVC_ATTACK_NOUNS)))
		return;
	/* "struck a deal", "strikes a balance", "hit a note": an attack
	 * verb whose object is a bargain is none */
	if (g->type == EV_ATTACK && !g->noun) {
		for (uint32_t j = t1; j < m->c->e && j < t1 + 4; j++) {
			if (ev_in(m->c->tab, &k[j], ev_class(m->c->tab, EVC_BARGAIN_NOUNS)))
				return;
			if (k[j].cls != SR_TOK_WORD || ev_tok_in(&k[j], PREPS))
				break;
		}
	}
	/* "remain deployed", "still stationed": a state, not an event; but
	 * "are currently evacuating", "still pulling out" tell a move under
	 * way (holding a place, "still occupying", stays a state) */
	if (!g->noun && m->i > m->c->s &&
	    ev_in(m->c->tab, &k[m->i - 1], ev_class(m->c->tab, EVC_REMAIN_WORDS)) &&
	    !(g->type != EV_TAKE_CONTROL && gerund_form(&k[m->i]) && m->i > m->c->s + 1 &&
	      ev_in(m->c->tab, &k[m->i - 2], ev_class(m->c->tab, EVC_ASPECT_WORDS))))
		return;
	/* "took out the equipment", "took part", "took office": a verb
	 * of one word with a particle or a noun of its own is another verb */
	if (!g->noun && g->nwords == 1 && t1 < m->c->e &&
	    ev_in(m->c->tab, &k[t1], ev_class(m->c->tab, EVC_VERB_IDIOM_WORDS)))
		return;
	/* "leaving only X", "left behind": what remains, not a departure */
	if (!g->noun && t1 < m->c->e && ev_in(m->c->tab, &k[t1], ev_class(m->c->tab, EVC_LEFT_BEHIND_WORDS)))
		return;
	int score = (int)(t1 - m->i) * 4 + ((g->need & NEED_CUE) ? 2 : 0);
	if (m->ncand < MAX_CANDS) {
		/* keep the candidates sorted by score, table order for ties */
		int at = m->ncand++;
		while (at > 0 && m->cand[at - 1].score < score) {
			m->cand[at] = m->cand[at - 1];
			at--;
		}
		m->cand[at] = (cand_t){g, t1, gap0, gap1, score};
	}
	if (!m->best || score > m->score) {
		m->best = g;
		m->score = score;
		m->t0 = m->i;
		m->t1 = t1;
		m->gap0 = gap0;
		m->gap1 = gap1;
	}
}


/* ------------------------------------------------------------ applying */

/* One reading of a trigger on its way to events: what the steps of
 * apply share.  The steps fill c and r in turn; a step that returns
 * true rejects the reading. */
typedef struct {
	const ev_trigger *g;
	int type;
	frame_ctx c;
	roles_t r;
	const char *modality; /* static string: "asserted", "expected"... */
	int det;              /* noun_determiner's answer (0 when a verb) */
	uint32_t np;          /* first token of the trigger's noun phrase */
	int32_t fallback;     /* the report's main force, or -1 */
	bool giver_named;     /* the sentence names a handover's giver */
	bool parties_told;    /* an agreement's parties named before ("the
				 parties agreed", recall.c) */
} reading_t;

/* The clause of the trigger at m: its tokens, where the clause after it
 * ends, whether it is passive. */
static void
start_reading(sr_extractor *x, const sr_doc *doc, const match_ctx *m, int32_t fallback, reading_t *a)
{
	*a = (reading_t){.g = m->best, .type = m->best->type, .c = *m->c, .fallback = fallback};
	frame_ctx *c = &a->c;
	c->t0 = m->t0;
	c->t1 = m->t1;
	c->gap0 = m->gap0;
	c->gap1 = m->gap1;
	c->right = ev_clause_end(&x->tab, doc, c->t1, c->e);
	c->passive = !a->g->noun && ev_is_passive(&x->tab, doc, c->s, c->t0);
	c->noun = a->g->noun;
	a->r = (roles_t){.actor = -1, .place = -1, .other = -1};
}

/* The trigger needs cue words near it and none is there. */
static bool
cue_missing(const sr_doc *doc, const reading_t *a)
{
	const ev_trigger *g = a->g;
	const frame_ctx *c = &a->c;
	if (!(g->need & NEED_CUE))
		return false;
	uint32_t from = c->t0 > c->s + 8 ? c->t0 - 8 : c->s;
	for (uint32_t i = from; i < c->right && i < c->t1 + 10; i++)
		for (int q = 0; q < g->ncues; q++)
			if (sr_eq_ci(doc->toks[i].s, doc->toks[i].len, g->cues[q]))
				return false;
	return true;
}

/* "came under fire": a noun that is an attack only so governed
 * (need=under) and is not (recall.c). */
static bool
not_under_attack(const sr_extractor *x, const sr_doc *doc, const reading_t *a)
{
	return (a->g->need & NEED_UNDER) && !ev_under_attack(x, doc, &a->c, a->g);
}

/* "massive fire strikes": a verb form that the tree gives a determiner
 * or a modifier of a noun is a noun; the noun entry reads it.  A past
 * form ("struck", "captured") is no noun, and the sentence is not parsed
 * to ask. */
static bool
verb_read_as_noun(sr_extractor *x, const sr_doc *doc, uint32_t si, const reading_t *a)
{
	return !a->g->noun && !past_form(&x->tab, &doc->toks[a->c.t0]) && ev_tree_worth(x, doc, &a->c, a->g, a->type) &&
	       ev_nominal_verb(x, doc, si, a->c.t0);
}

/* The roles the trigger's slots find in the words near it. */
static void
roles_near_trigger(reading_t *a)
{
	const ev_trigger *g = a->g;
	int type = a->type;
	roles_t *r = &a->r;
	r->aa = fill_role(&a->c, g->actor, g->nactor, WANT_ACTOR, 0);
	r->pa = fill_role(&a->c, g->place, g->nplace, WANT_PLACE, 0);
	/* "between X and Y" gives the actor X and the other party Y */
	bool other_between = false;
	for (int i = 0; i < g->nother; i++)
		other_between |= g->other[i].kind == SL_BETWEEN;
	/* the other party: a destination for departures and transfers, a
	 * force for take-overs, attacks and agreements */
	int want_other = type == EV_WITHDRAW ? WANT_PLACE :
			 (type == EV_TAKE_CONTROL || type == EV_AGREEMENT || type == EV_HANDOVER) ? WANT_ACTOR :
			 WANT_ANY;
	r->oa = fill_role(&a->c, g->other, g->nother, want_other, other_between ? 1 : 0);
}

/* "A ceasefire, brokered by ..., went into effect on Nov. 27, aiming to
 * halt 14 months of fighting between Israel and Hezbollah": a nominal
 * agreement with no party near it is made by the two its sentence names
 * after "between". */
static void
agreement_between(reading_t *a)
{
	roles_t *r = &a->r;
	if (a->type != EV_AGREEMENT || !a->g->noun || r->aa.ent >= 0 || a->c.right >= a->c.e)
		return;
	frame_ctx wide = a->c;
	wide.right = a->c.e;
	ev_slotspec b = {.kind = SL_BETWEEN};
	r->aa = fill_role(&wide, &b, 1, WANT_ACTOR, 0);
	if (r->aa.ent >= 0 && r->oa.ent < 0)
		r->oa = fill_role(&wide, &b, 1, WANT_ACTOR, 1);
}

/* Has the sentence si made an agreement already? */
static bool
agreement_told(const sr_extractor *x, uint32_t si)
{
	for (size_t i = x->nev; i > 0 && x->ev[i - 1].sentence == si; i--)
		if (!strcmp(x->ev[i - 1].type, ev_type_names[EV_AGREEMENT]))
			return true;
	return false;
}

/* The tree, where the words near the trigger did not tell: its roles, a
 * doer that is only in a noun's phrase, the subject of a light verb,
 * the places of a list after an area noun. */
static void
roles_from_tree(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	const ev_trigger *g = a->g;
	int type = a->type;
	frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if ((!g->noun || ev_subj_slot(g->place, g->nplace)) && (r->aa.ent < 0 || r->pa.ent < 0) &&
	    ev_tree_worth(x, doc, c, g, type) && ev_tree_roles_may_fill(x, doc, si, g, c, r))
		tree_roles(x, doc, si, c, g, r);
	/* "airstrikes on northern areas of Syria and Iraq, targeting
	 * Kurdish groups": a place in a phrase of a noun before the verb is
	 * no doer of it */
	if (!g->noun && r->aa.ent >= 0 && r->aa.tok == x->ents[r->aa.ent].tok && ev_tree_worth(x, doc, c, g, type) &&
	    (tree_doer_in_phrase(x, doc, si, c, r->aa.ent) ||
	     /* "a sniper targeting American personnel killed": the object
	      * of a reduced clause is the target (recall.c) */
	     (type == EV_ATTACK && ev_doer_in_reduced_clause(x, doc, si, c, r->aa.ent))))
		r->aa.ent = -1;
	/* "Israel launched a ground incursion", "completed the first phase
	 * of its withdrawal": the subject of the light verb whose object
	 * holds the noun is its doer (the tree), before the constraints
	 * weigh it */
	/* (an agreement's verb that is a trigger of its own, "signed a
	 * deal", has made the sentence's agreement already) */
	enum ev_class verbs = type == EV_AGREEMENT ? EVC_PACT_VERBS : EVC_LIGHT_VERBS;
	/* ("a truce was reached": the pact verb after the noun) */
	if (g->noun && r->aa.ent < 0 &&
	    (ev_class_in(x, doc, verbs, c->s, c->t0) ||
	     (type == EV_AGREEMENT && ev_class_in(x, doc, verbs, c->t1, c->right))) &&
	    !(type == EV_AGREEMENT && agreement_told(x, si)) &&
	    ev_tree_worth(x, doc, c, g, type) && ev_light_doer_may_be(x, doc, c, r) &&
	    /* (the holding verb is one the tree makes a verb) */
	    ev_tree_verb_of_class(x, doc, si, ev_class(&x->tab, verbs))) {
		int32_t d = tree_light_doer(x, doc, si, c, verbs);
		if (d >= 0 && d != r->pa.ent && d != r->oa.ent) {
			r->aa.ent = d;
			r->aa.tok = x->ents[d].tok;
			r->aa.ntok = x->ents[d].ntok;
		}
	}
	/* "the villages of A, B and C in the Tyre district": A, B and C */
	if (type != EV_ATTACK && r->pa.ent >= 0 && ev_area_of_after(x, doc, c) && ev_tree_worth(x, doc, c, g, type))
		tree_area_list(x, doc, si, c, g, r);
}

/* "Israel's much-touted plan to invade Rafah", "Russia's decision to
 * withdraw": the doer of an infinitive a noun governs is the noun's
 * possessor. */
static void
doer_of_infinitive(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (r->aa.ent >= 0 || a->g->noun || c->passive || c->t0 <= c->s + 3 || !is(&doc->toks[c->t0 - 1], "to"))
		return;
	uint32_t j = c->t0 - 2;  /* the noun */
	for (int n = 0; j > c->s + 1 && n < 3 && !is(&doc->toks[j - 1], "'s"); n++)
		j--;
	int32_t ej = j > c->s + 1 && is(&doc->toks[j - 1], "'s") && doc->toks[c->t0 - 2].cls == SR_TOK_WORD &&
		     !(doc->toks[c->t0 - 2].flags & SR_TF_UPPER1) ? x->ent_at[j - 2] : -1;
	if (ej >= 0 && ent_actorlike(&x->ents[ej]) && !x->ents[ej].demonym && ej != r->pa.ent) {
		r->aa.ent = ej;
		r->aa.tok = x->ents[ej].tok;
		r->aa.ntok = x->ents[ej].ntok;
	}
}

/* "3,500 troops will be withdrawn": the forces moved are the doer. */
static void
doer_of_passive_move(reading_t *a)
{
	if (a->r.aa.ent >= 0 || !a->c.passive || (a->type != EV_WITHDRAW && a->type != EV_DEPLOY))
		return;
	frame_ctx active = a->c;
	active.passive = false;
	a->r.aa = subject(&active, WANT_ACTOR);
}

/* "Trump withdrew US troops from Syria": the forces moved are the doer,
 * not the leader or government who moved them; and so are they when no
 * doer is named ("We plan on rotating the lead element of the V Corps
 * headquarters to Poland"). */
static void
force_moved_is_doer(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (a->g->noun || c->passive || (a->type != EV_WITHDRAW && a->type != EV_DEPLOY) ||
	    !(r->aa.ent < 0 || !x->ents[r->aa.ent].actor || strcmp(x->ents[r->aa.ent].kind, "state_military")))
		return;
	arg_t f = name_after(c, c->t1, c->right, WANT_ACTOR, 2);
	/* the force the object names, across "the lead element of" */
	for (uint32_t i = c->t1; r->aa.ent < 0 && f.ent < 0 && i < c->right && i < c->t1 + 10; i++) {
		int32_t ei = x->ent_at[i];
		if (ei >= 0 && x->ents[ei].actor && x->ents[ei].actor_rank == 2) {
			f.ent = ei;
			f.tok = x->ents[ei].tok;
			f.ntok = x->ents[ei].ntok;
		}
		if (ei >= 0 || doc->toks[i].cls == SR_TOK_PUNCT || ev_tok_in(&doc->toks[i], "to|from|into|in|at"))
			break;
	}
	if (f.ent >= 0 && x->ents[f.ent].actor && x->ents[f.ent].actor_rank == 2 && f.ent != r->pa.ent)
		r->aa = f;
}

/* "the parties agreed", "the two NATO members have yet to agree": the
 * two parties named before; "Israel and Hamas agreed": the first the
 * doer, the second the other party (recall.c). */
static void
parties_of_agreement(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	int32_t p1, p2;
	if (a->type != EV_AGREEMENT || a->g->noun || c->passive)
		return;
	if (ev_two_parties(x, doc, c->s, c->t0, &p1, &p2)) {
		a->parties_told = true;
		r->aa = (arg_t){.ent = p1, .tok = x->ents[p1].tok, .ntok = x->ents[p1].ntok};
		if (r->oa.ent < 0 || r->oa.ent == p1)
			r->oa = (arg_t){.ent = p2, .tok = x->ents[p2].tok, .ntok = x->ents[p2].ntok};
	} else if (r->aa.ent >= 0 && r->oa.ent < 0 && x->ents[r->aa.ent].tok < c->t0 &&
		   (p1 = ev_coordinated_party(x, doc, c->s, r->aa.ent)) >= 0) {
		r->oa = r->aa;
		r->aa = (arg_t){.ent = p1, .tok = x->ents[p1].tok, .ntok = x->ents[p1].ntok};
	}
}

/* "captured the town amid deadly clashes with the SDF": the doer of the
 * verb the clashes hang on (recall.c). */
static void
doer_of_governing_verb(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	roles_t *r = &a->r;
	int32_t d;
	if (a->type == EV_ATTACK && a->g->noun && r->aa.ent < 0 && ev_tree_worth(x, doc, &a->c, a->g, a->type) &&
	    (d = ev_governing_doer(x, doc, si, &a->c)) >= 0 && d != r->pa.ent && d != r->oa.ent &&
	    (r->oa.ent < 0 || !same_doer(&x->ents[d], &x->ents[r->oa.ent])))
		r->aa = (arg_t){.ent = d, .tok = x->ents[d].tok, .ntok = x->ents[d].ntok};
}

/* "The group fired rockets": the armed group named before (recall.c). */
static void
group_doer(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	roles_t *r = &a->r;
	int32_t d;
	if (a->type == EV_ATTACK && !a->g->noun && !a->c.passive && r->aa.ent < 0 &&
	    (d = ev_group_doer(x, doc, &a->c)) >= 0 && d != r->pa.ent && d != r->oa.ent)
		r->aa = (arg_t){.ent = d, .tok = x->ents[d].tok, .ntok = x->ents[d].ntok};
}

/* The arguments found become the roles: one name fills one role; an
 * attack's target that is no armed force is its place. */
static void
settle_roles(const sr_extractor *x, reading_t *a)
{
	roles_t *r = &a->r;
	r->actor = r->aa.ent;
	r->place = r->pa.ent;
	r->other = r->oa.ent;
	/* one name cannot fill two roles */
	if (r->other >= 0 && (r->other == r->actor || r->other == r->place))
		r->other = -1;
	if (r->place >= 0 && r->place == r->actor)
		r->place = -1;
	/* attack: a target that is an armed force is the other party; a
	 * country is a place */
	if (a->type == EV_ATTACK && r->other >= 0 && !x->ents[r->other].actor && r->place < 0) {
		r->place = r->other;
		r->pa = r->oa;
		r->other = -1;
	}
}

/* A handover with no receiver named: the receiver of the report's last
 * handover ("...to Iraqi forces. The U.S. previously handed over
 * al-Qaim..."); likewise its giver. */
static void
handover_memory(sr_extractor *x, reading_t *a)
{
	roles_t *r = &a->r;
	a->giver_named = r->actor >= 0;
	if (a->type != EV_HANDOVER)
		return;
	if (r->other >= 0 && ent_actorlike(&x->ents[r->other]))
		x->last_receiver = r->other;
	else if (r->other < 0 && x->last_receiver >= 0)
		r->other = x->last_receiver;
	if (r->actor >= 0)
		x->last_giver = r->actor;
	else if (x->last_giver >= 0)
		r->actor = x->last_giver;
	else if (a->fallback >= 0 && r->other >= 0 && same_doer(&x->ents[a->fallback], &x->ents[r->other]))
		a->fallback = -1;  /* the receiver does not hand over to itself */
}

/* "US troops departed from Al-Tanf, with Syrian forces moving in": a
 * take-over with no place named takes the place just left, and the
 * force that left it; "Izyum was liberated": taken from the other
 * side. */
static void
takeover_of_left_place(const sr_extractor *x, uint32_t si, reading_t *a)
{
	roles_t *r = &a->r;
	if (a->type != EV_TAKE_CONTROL)
		return;
	for (size_t i = x->nev; i > 0 && r->place < 0 && !r->pmention; i--) {
		const sr_event *w = &x->ev[i - 1];
		if (w->sentence != si)
			break;
		/* not a place only guessed from the report's country */
		if (strcmp(w->type, "withdraw") || !w->place.set || (x->evweak[i - 1] & EV_WEAK_PLACE))
			continue;
		for (size_t j = 0; j < x->nents; j++)
			if (x->ents[j].id == w->place.id) {
				r->place = (int32_t)j;
				r->pa.ent = -1;
				break;
			}
		if (r->other < 0 && w->actor.set)
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].id == w->actor.id) {
					r->other = (int32_t)j;
					r->oa.ent = -1;
					break;
				}
		break;
	}
	if (a->c.passive && r->actor < 0 && r->place >= 0)
		r->actor = ev_other_side(x, r->place);
}

/* "The US has about 900 troops deployed": a verb that tells a state. */
static bool
state_not_event(const sr_extractor *x, const sr_doc *doc, const reading_t *a)
{
	return !a->g->noun && ev_stative(&x->tab, doc, a->c.s, a->c.t0);
}

/* A nominal trigger: "these attacks", "such rocket attacks" are a
 * re-mention; "the attack", "following the attack" one too, unless the
 * phrase itself names where or by whom.  "threatening attacks",
 * "fearing an assault", "protect bases from rocket attacks": an attack
 * that did not happen; other events so governed are at most expected
 * ("fears of a pullout"). */
static bool
remention_or_feared(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	a->np = c->t0;
	if (!a->g->noun)
		return false;
	a->det = ev_noun_determiner(&x->tab, doc, c->s, c->t0, &a->np);
	/* 2: bare of any word of its own ("the pullout"; fit.c) */
	r->definite = a->det == 1 ? 1 + ev_bare_mention(x, doc, c, a->np) : 0;
	if (a->det == 2 || (a->det == 1 && r->actor < 0 && r->place < 0 && r->other < 0))
		return true;
	if (ev_hypothetical(&x->tab, doc, c->s, a->np)) {
		if (a->type == EV_ATTACK)
			return true;
		a->modality = "expected";
	}
	return false;
}

/* "calling on foreign troops to withdraw": what someone demands; also
 * further off, where the tree hangs a verb trigger on a verb of demand or
 * wish through complements ("would have preferred to see many of the
 * prisoners \"relocated\""). */
static bool
demand_not_event(sr_extractor *x, const sr_doc *doc, uint32_t si, const reading_t *a)
{
	if (ev_demanded(&x->tab, doc, a->c.s, a->c.t0, a->np))
		return true;
	if (a->g->noun)
		return false;
	const char *demand = ev_class(&x->tab, EVC_DEMAND_VERBS);
	bool before = false;   /* no demand word before: no parse asked */
	for (uint32_t j = a->c.s; j < a->c.t0 && !before; j++)
		before = ev_in(&x->tab, &doc->toks[j], demand);
	/* (the walk ends only at a demand word the tree makes a verb: the
	 * tags tell where none can be) */
	const sr_parse *p = before && ev_tree_verb_of_class(x, doc, si, demand) ? ev_tree_parse(x, doc, si) : NULL;
	int w = p ? ev_tree_word(p, a->c.t0) : -1;
	for (int hops = 0; w >= 0 && hops < 3; hops++) {
		int b = sr_deprel_base(p->w[w].deprel), h = p->w[w].head;
		/* an infinitive the parser made adverbial ("preferred to see") */
		bool to = false;
		for (size_t i = 0; b == SR_DEP_ADVCL && i < p->n && !to; i++)
			to = p->w[i].head == w && p->w[i].deprel == SR_DEP_MARK && is(&doc->toks[p->w[i].tok], "to");
		if (h < 0 || (b != SR_DEP_XCOMP && b != SR_DEP_CCOMP && !to))
			return false;
		if (p->w[h].upos == SR_UPOS_VERB && ev_in(&x->tab, &doc->toks[p->w[h].tok], demand))
			return true;
		w = h;
	}
	return false;
}

/* "agreed to continue using the base": the verb is the modal of the
 * clause after it, no agreement of its own; "agreed to a truce" is one
 * (recall.c). */
static bool
agreed_to_verb(const sr_extractor *x, const sr_doc *doc, const reading_t *a)
{
	return a->type == EV_AGREEMENT && !a->g->noun && ev_agree_to_verb(x, doc, &a->c);
}

/* "threatened to bomb the dam", "blocked protesters from entering the
 * plaza": a verb governed by one of fear, threat, prevention or intent
 * did not happen (an attack, or after "from") or is expected. */
static bool
threatened_verb(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	if (a->g->noun || c->t0 <= c->s || !ev_tok_in(&doc->toks[c->t0 - 1], "to|from") ||
	    !ev_hypothetical(&x->tab, doc, c->s, c->t0 - 1))
		return false;
	if (a->type == EV_ATTACK || is(&doc->toks[c->t0 - 1], "from"))
		return true;
	a->modality = "expected";
	return false;
}

/* "appear close to completely pushing Ukrainian forces out", "on the
 * verge of taking the town": an -ing trigger after "to" or "of" (and
 * adverbs in -ly) that a word of class approach_words governs is not
 * done yet: no event. */
static bool
not_yet(const sr_extractor *x, const sr_doc *doc, const reading_t *a)
{
	const frame_ctx *c = &a->c;
	const sr_token *k = doc->toks;
	if (a->g->noun || !gerund_form(&k[c->t0]))
		return false;
	uint32_t j = c->t0;
	while (j > c->s && c->t0 - j < 2 && k[j - 1].len > 3 && !memcmp(k[j - 1].s + k[j - 1].len - 2, "ly", 2))
		j--;
	if (j < c->s + 2 || !(is(&k[j - 1], "to") || is(&k[j - 1], "of")))
		return false;
	return ev_in(&x->tab, &k[j - 2], ev_class(&x->tab, EVC_APPROACH_WORDS));
}

/* "the ceasefire agreement that Israel reached with Hamas": the maker is
 * the doer of the relative clause, its partner after "with". */
static void
agreement_relative_maker(sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (r->actor >= 0 || !a->g->noun || a->type != EV_AGREEMENT || c->t1 + 2 >= c->right ||
	    !ev_tok_in(&doc->toks[c->t1], "that|which"))
		return;
	int32_t ej = x->ent_at[c->t1 + 1];
	if (ej < 0 || !ent_actorlike(&x->ents[ej]) || x->ents[ej].demonym)
		return;
	uint32_t v = x->ents[ej].tok + x->ents[ej].ntok;
	if (v >= c->right || !ev_in(&x->tab, &doc->toks[v], ev_class(&x->tab, EVC_PACT_VERBS)))
		return;
	r->actor = ej;
	r->aa.ent = -1;
	if (r->other < 0) {
		frame_ctx rel = *c;
		rel.t0 = rel.t1 = v + 1;
		arg_t o = after_prep(&rel, "with", WANT_ACTOR);
		if (o.ent >= 0 && o.ent != ej) {
			r->other = o.ent;
			r->oa = o;
		}
	}
}

/* "Syria's civil war", "the country's internal conflict": a war within a
 * state is fought there, its possessor waged none. */
static void
civil_war(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (a->type != EV_ATTACK || !a->g->noun || c->t0 <= c->s ||
	    !ev_in(&x->tab, &doc->toks[c->t0 - 1], ev_class(&x->tab, EVC_INTERNAL_WORDS)))
		return;
	if (r->place < 0 && r->actor >= 0 && !x->ents[r->actor].actor) {
		r->place = r->actor;
		r->pa = r->aa;
	}
	r->actor = -1;
	r->aa.ent = -1;
}

/* An event that names no place: the place of an event told before it
 * in its sentence (the take-over an attack was fought for, the one of
 * its type) or the setting of a departure. */
static void
place_from_sentence(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	int type = a->type;
	roles_t *r = &a->r;
	if (type == EV_ATTACK && r->place < 0 && !r->pmention)
		ev_attack_of_takeover(x, si, &a->c, r);
	if (type == EV_ATTACK)
		ev_attack_target(x, doc, &a->c, r);  /* "struck Houthi targets" */
	if (type == EV_WITHDRAW && !a->g->noun && r->place < 0 && !r->pmention)
		ev_left_place(x, doc, &a->c, r);
	if ((type == EV_DEPLOY || type == EV_WITHDRAW) && !a->g->noun && r->place < 0 && !r->pmention)
		ev_same_place(x, si, type, r);
}

/* "take back all Iraqi Daesh members": detainees of an armed group
 * make a transfer one of armed conflict, whoever moves them. */
static bool
armed_detainees(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g)
{
	for (uint32_t i = c->s; i < c->e; i++) {
		int32_t e = x->ent_at[i];
		if (e >= 0 && x->ents[e].tok == i && x->ents[e].actor && x->ents[e].actor_rank == 2 &&
		    ev_detainees_of(x, doc, c, g, e))
			return true;
	}
	return false;
}

/* The constraints of the trigger (need flags of data/triggers) and of
 * its type: a role it must have, an armed or security context, a force
 * that moves. */
static bool
needs_unmet(sr_extractor *x, const sr_doc *doc, uint32_t si, const reading_t *a)
{
	const ev_trigger *g = a->g;
	int type = a->type;
	const frame_ctx *c = &a->c;
	const roles_t *r = &a->r;
	if ((g->need & NEED_PLACE) && r->place < 0 && !r->pmention)
		return true;
	/* an attack on an armed force or group is armed: "targeted Houthi
	 * positions", "struck the PKK" */
	if ((g->need & NEED_ARMED) && !ev_armed_context(x, doc, c, r) &&
	    !(type == EV_ATTACK && r->other >= 0 && x->ents[r->other].actor && x->ents[r->other].actor_rank == 2) &&
	    !(type == EV_TRANSFER && armed_detainees(x, doc, c, g)))
		return true;
	/* parties named before: their sentences tell what it is about */
	if ((g->need & NEED_SECURITY) && !ev_security_context(x, doc, c, r) &&
	    !(a->parties_told && ev_security_before(x, doc, si)))
		return true;
	if ((g->need & NEED_FORCE) && (r->actor < 0 || !x->ents[r->actor].actor || x->ents[r->actor].actor_rank != 2))
		return true;
	if (type == EV_TRANSFER && ev_own_soldiers(x, doc, c))
		return true;
	if ((g->need & NEED_SITE) && (r->place < 0 || !x->ents[r->place].site))
		return true;
	if ((g->need & NEED_TOWN) && (r->place < 0 ? !r->pmention : x->ents[r->place].country))
		return true;
	if ((g->need & NEED_ACTOR) && r->actor < 0)
		return true;
	if ((g->need & NEED_OTHER) && r->other < 0)
		return true;
	if ((g->need & NEED_FUT) && strcmp(a->modality, "expected"))
		return true;
	if ((g->need & NEED_ANY) && r->actor < 0 && r->place < 0 && r->other < 0 && !r->pmention)
		return true;
	/* the tests that read the tree come last: a sentence is not parsed
	 * for a reading that a test of its words rejects anyway */
	if ((g->need & NEED_CLAUSE) && ev_reduced_participle(x, doc, si, c))
		return true;
	if (type == EV_DEPLOY && !g->noun && !c->passive && ev_deploys_no_force(x, doc, si, c))
		return true;
	/* "move the front line away from Donetsk": a departure whose frame
	 * takes no object for its place moves what its object names, and
	 * that must be a force */
	if (type == EV_WITHDRAW && !g->noun && !c->passive && !ev_obj_slot(g->place, g->nplace) &&
	    ev_deploys_no_force(x, doc, si, c))
		return true;
	return false;
}

/* What the doer and the thing acted on may be (data/arguments.tsv); an
 * "as" clause, a resultative, an arrival read as a departure. */
static bool
args_misfit(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	return ev_as_clause(doc, &a->c) || ev_resultative(x, doc, &a->c) ||
	       !ev_args_fit(x, doc, si, &a->c, a->g, a->type, &a->r) ||
	       ev_arrival_of_departure(x, doc, si, &a->c, a->type, &a->r);
}

/* A doer that is a media outlet or a monitor is no doer. */
static void
drop_media_doer(const sr_extractor *x, reading_t *a)
{
	roles_t *r = &a->r;
	if (r->actor >= 0 && x->ents[r->actor].actor &&
	    (!strcmp(x->ents[r->actor].kind, "media") || !strcmp(x->ents[r->actor].kind, "monitor")))
		r->actor = -1;
}

/* "its withdrawal", "their pullout": the nearest doer before, else the
 * report's last one. */
static void
doer_of_possessive(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (r->actor >= 0 || !a->g->noun || c->t0 <= c->s || !ev_tok_in(&doc->toks[c->t0 - 1], "its|their|his|her"))
		return;
	for (uint32_t j = c->t0 - 1; j > c->s; j--) {
		int32_t ej = x->ent_at[j - 1];
		if (ej >= 0 && ent_actorlike(&x->ents[ej]) && !x->ents[ej].demonym && ej != r->place &&
		    ej != r->other) {
			r->actor = ej;
			break;
		}
	}
	if (r->actor < 0 && x->last_actor >= 0)
		r->actor = x->last_actor;
}

/* A nominal event with no doer: the armed force named just before it
 * in the sentence ("US forces ... their withdrawal"); not for "the
 * withdrawal", which names an event told before (merging finds its
 * doer). */
static void
doer_named_before(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (r->actor >= 0 || !a->g->noun || a->type == EV_ATTACK || a->det == 1)
		return;
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 12; j--) {
		int32_t ej = x->ent_at[j - 1];
		if (ej >= 0 && ent_actorlike(&x->ents[ej]) && (!x->ents[ej].actor || x->ents[ej].actor_rank == 2) &&
		    ej != r->place && ej != r->other && !ev_governed_place(x, doc, c->s, ej)) {
			r->actor = ej;
			break;
		}
	}
}

/* "a string of attacks", "47 attacks in Iraq", "fierce battles": a
 * plural nominal trigger with no doer tells a series, not one event. */
static bool
series_not_event(const sr_doc *doc, const reading_t *a)
{
	return a->g->noun && a->r.actor < 0 && ev_plural(&doc->toks[a->c.t1 - 1]);
}

/* An attack with no place yet: the nearest place after the trigger
 * ("an attack in Palmyra"), else the nearest before it that is no
 * possessor ("Moscow's attacks": who attacks, not where). */
static void
attack_place_near(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (a->type != EV_ATTACK || r->place >= 0 || r->pmention)
		return;
	arg_t p = name_after(c, c->t1, c->right, WANT_PLACE, 8);
	for (uint32_t j = c->t0; p.ent < 0 && j > c->s && c->t0 - j < 12; j--) {
		int32_t ej = x->ent_at[j - 1];
		const ev_ent *pe = ej >= 0 ? &x->ents[ej] : NULL;
		bool possessor = pe && pe->tok + pe->ntok + 1 <= c->t0 && is(&doc->toks[pe->tok + pe->ntok], "'s");
		for (uint32_t q = pe ? pe->tok + pe->ntok + 1 : c->t0; possessor && q < c->t0; q++)
			possessor = ev_filler(&x->tab, &doc->toks[q]);
		if (ej >= 0 && !x->ents[ej].actor && !x->ents[ej].demonym && ej != r->actor && !possessor &&
		    !(doc->toks[j - 1].flags & SR_TF_DATELINE)) {
			p.ent = ej;
			p.tok = x->ents[ej].tok;
			p.ntok = x->ents[ej].ntok;
		}
	}
	if (p.ent >= 0) {
		r->place = p.ent;
		r->pa = p;
	}
	/* "pushing Ukrainian forces out of the region" (recall.c) */
	if (p.ent < 0 && r->actor >= 0)
		r->place = ev_attack_area(x, doc, c);
	/* "since the start of Russia's invasion": a state's nominal attack
	 * that names no place is on the country the report is about, when
	 * that is another state's */
	if (r->place < 0 && r->actor >= 0 && a->g->noun && (r->place = ev_attack_country(x, r->actor)) >= 0)
		r->place_guess = true;
}

/* Detainees' own group never moves them ("ISIS detainees",
 * "Palestinian prisoners released"): not as the doer found, nor as the
 * report's main force. */
static void
drop_detainees_group(sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	if (a->type != EV_TRANSFER)
		return;
	/* a state named as such that takes back its own nationals stays
	 * the doer: "Iraq took back 2,000 Iraqi detainees" (not "Palestinian
	 * prisoners released", whose demonym only says whose they are) */
	if (a->r.actor >= 0 && !x->ents[a->r.actor].demonym &&
	    (x->ents[a->r.actor].country || ev_state_kind(x->ents[a->r.actor].kind)))
		return;
	if (a->r.actor >= 0 && ev_detainees_of(x, doc, &a->c, a->g, a->r.actor)) {
		a->r.actor = -1;
		a->r.aa.ent = -1;
	}
	if (a->fallback >= 0 && ev_detainees_of(x, doc, &a->c, a->g, a->fallback))
		a->fallback = -1;
}

/* An agentless withdrawal, deployment, transfer or handover is the main
 * force's; not one whose doer speaks ("I decided to withdraw our
 * units": the speaker's side, which the report's main force need not
 * be). */
static void
doer_from_report(sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	int type = a->type;
	if (a->r.actor < 0 && a->fallback >= 0 && !ev_first_person(x, doc, &a->c) &&
	    (type == EV_WITHDRAW || type == EV_DEPLOY || type == EV_TRANSFER || type == EV_HANDOVER)) {
		a->r.actor = a->fallback;
		a->r.aa.ent = -1;
	}
}

/* A withdrawal with no place named leaves the country the report is
 * about ("the withdrawal of German soldiers" in a report on Niger);
 * detainees handed over to another country leave the giver's ("the SDF
 * handed over 150 members to Iraq", from Syria). */
static void
place_from_report(const sr_extractor *x, reading_t *a)
{
	int type = a->type;
	roles_t *r = &a->r;
	int32_t mc = x->main_country;
	/* "the withdrawal of US and coalition forces" in a report on the
	 * Taliban in Afghanistan: the country most named, where the main
	 * doer's country is no other than the one most named */
	if (r->actor >= 0 && (mc < 0 || same_doer(&x->ents[r->actor], &x->ents[mc])))
		mc = x->top_country;
	if (r->place < 0 && !r->pmention && type == EV_WITHDRAW && mc >= 0 && mc != r->actor && mc != r->other &&
	    !(r->actor >= 0 && same_doer(&x->ents[r->actor], &x->ents[mc]))) {
		r->place = mc;
		r->pa.ent = -1;
		r->place_guess = true;
	}
	if (type != EV_TRANSFER || r->place >= 0 || r->pmention || r->actor < 0 || r->other < 0 ||
	    !x->ents[r->actor].actor || ev_state_kind(x->ents[r->actor].kind))
		return;
	const char *from = x->ents[r->actor].country_code, *to = x->ents[r->other].country_code;
	if (!from || !from[0] || !to || !strcmp(from, to))
		return;
	for (size_t j = 0; j < x->nents; j++)
		if (x->ents[j].country && !x->ents[j].demonym && x->ents[j].country_code &&
		    !strcmp(x->ents[j].country_code, from)) {
			r->place = (int32_t)j;
			r->pa.ent = -1;
			r->place_guess = true;
			break;
		}
}

/* A doer no lexicon entry names, by its words: the tree's subject of a
 * verb; "a militant attack", "rebel assaults": the noun of an armed
 * group before a nominal attack. */
static void
doer_by_words(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	/* an event other than an attack is made only with a doer: where
	 * none is named, the tree may give its words ("Rebel groups
	 * advanced, capturing Saraqib"), so parse the sentence if that has
	 * not been done */
	if (r->actor < 0 && !a->g->noun && a->type != EV_ATTACK && ev_class_in(x, doc, EVC_IRREGULAR_NOUNS, c->s, c->t0))
		(void)ev_tree_parse(x, doc, si);
	/* (the sentence of a verb worth the tree is read: verb_read_as_noun
	 * has parsed it, but for a past form) */
	if (r->actor < 0 && !a->g->noun && past_form(&x->tab, &doc->toks[c->t0]) && ev_tree_worth(x, doc, c, a->g, a->type))
		(void)ev_tree_parse(x, doc, si);
	if (r->actor < 0 && !a->g->noun)
		r->mention = tree_mention(x, doc, si, c);
	if (r->actor < 0 && !r->mention && a->g->noun && a->type == EV_ATTACK && c->t0 > c->s &&
	    ev_in(&x->tab, &doc->toks[c->t0 - 1], ev_class(&x->tab, EVC_ARMED_GROUP_NOUNS)))
		r->mention = ev_arena_text(x, doc, c->t0 - 1, 1);
}

/* The places coordinated with a named one that the lexicon does not
 * know, by their words. */
static void
place_list_words(sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	roles_t *r = &a->r;
	if (a->type == EV_ATTACK || r->place < 0 || r->pa.ent != r->place || x->ents[r->place].country)
		return;
	coordinate(&a->c, &r->pa);
	for (int i = 0; i < r->pa.nu && r->npmore < EV_MAX_CONJ; i++)
		r->pmore[r->npmore++] = ev_arena_text(x, doc, r->pa.utok[i], r->pa.untok[i]);
}

/* "handed over A in ..., B and C, as well as D, to the YPG": the
 * receiver after a list longer than the clause the words read. */
static void
receiver_after_list(const sr_extractor *x, const sr_doc *doc, reading_t *a)
{
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	if (a->type != EV_HANDOVER || r->other >= 0 || r->pa.nmore + r->pa.nu <= 0)
		return;
	uint32_t q = r->pa.end + (r->pa.end < c->e && is(&doc->toks[r->pa.end], ","));
	arg_t o = q + 1 < c->e && is(&doc->toks[q], "to") ? name_after(c, q + 1, c->e, WANT_ACTOR, 3) :
		  (arg_t){.ent = -1};
	if (o.ent >= 0 && o.ent != r->actor && ent_actorlike(&x->ents[o.ent])) {
		r->other = o.ent;
		r->oa = o;
	}
}

/* The events of the reading, one per doer and place of the tree's
 * coordination ("the villages of A, B and C", "Russia and Ukraine
 * exchanged prisoners"); a handover is the giver's withdrawal and the
 * receiver's take-over. */
static void
emit_events(sr_extractor *x, const sr_doc *doc, uint32_t si, reading_t *a)
{
	int type = a->type;
	const frame_ctx *c = &a->c;
	roles_t *r = &a->r;
	const char *modality = a->modality;
	int32_t actors[1 + EV_MAX_CONJ];
	int nactors = 1;
	actors[0] = r->actor;
	/* only a doer named before its verb, as its subject ("Russia and
	 * Ukraine exchanged"), spreads over a list */
	if (type != EV_AGREEMENT && type != EV_HANDOVER && !a->g->noun && r->actor >= 0 &&
	    x->ents[r->actor].tok < c->t0)
		nactors += tree_conj(x, doc, si, c, r->actor, r->aa.ent == r->actor, WANT_ACTOR, actors + 1,
				     EV_MAX_CONJ);
	if (r->pa.nmore == 0 && r->place >= 0 && r->pa.ent == r->place) {
		int32_t more[EV_MAX_CONJ];
		int n = tree_conj(x, doc, si, c, r->place, true, WANT_PLACE, more, EV_MAX_CONJ);
		for (int i = 0; i < n && r->pa.nmore < 6; i++)
			r->pa.more[r->pa.nmore++] = more[i];
	}
	int nplaces = 1 + r->pa.nmore;
	for (int ai = 0; ai < nactors; ai++)
	for (int pi = 0; pi < nplaces + r->npmore; pi++) {
		roles_t rr = *r;
		if (ai > 0) {
			rr.actor = actors[ai];
			rr.aa.ent = -1;
		}
		if (pi >= nplaces) {
			/* a place of the list the lexicon does not know */
			rr.place = -1;
			rr.pa.ent = -1;
			rr.pmention = r->pmore[pi - nplaces];
		} else if (pi > 0) {
			rr.place = r->pa.more[pi - 1];
			rr.pa.ent = -1;
			rr.place_guess = false;
			/* "between Russia and Georgia": the doer is no place of
			 * its own event */
			if (rr.actor >= 0 && (rr.place == rr.actor || same_doer(&x->ents[rr.place], &x->ents[rr.actor])))
				continue;
		}
		if (type == EV_HANDOVER) {
			roles_t w = rr;
			w.other = -1;
			/* the giver's withdrawal only when the sentence names the
			 * giver ("will be transferred to SDF control" says who
			 * takes over, not who leaves); a handover denied ("have
			 * not officially handed over the base") denies the
			 * transfer, not a departure */
			if ((a->giver_named || strcmp(modality, "expected")) && strcmp(modality, "denied")) {
				size_t n0 = x->nev;
				make_event(x, doc, si, c, EV_WITHDRAW, &w, modality);
				if (x->nev > n0)
					x->evweak[x->nev - 1] |= EV_WEAK_GIVER;
			}
			if (rr.other >= 0) {
				roles_t t = rr;
				t.actor = rr.other;
				t.aa = rr.oa;
				t.other = rr.actor;
				t.oa = rr.aa;
				make_event(x, doc, si, c, EV_TAKE_CONTROL, &t, modality);
			}
		} else {
			make_event(x, doc, si, c, type, &rr, modality);
		}
	}
}

/* A reading rejected after handover_memory: its memory of the
 * handover's giver and receiver stays, as it would have had the reading
 * been told a verb before (verb_read_as_noun) -- unless the tree reads
 * the verb as a noun.  Returns 0 (no event). */
static size_t
keep_memory(sr_extractor *x, const sr_doc *doc, uint32_t si, const reading_t *a, int32_t receiver0,
	    int32_t giver0)
{
	if ((x->last_receiver != receiver0 || x->last_giver != giver0) && verb_read_as_noun(x, doc, si, a)) {
		x->last_receiver = receiver0;
		x->last_giver = giver0;
	}
	return 0;
}

/* Tries the trigger found at m and makes its events; returns how many.
 * The steps, in order: each fills roles or rejects the reading. */
static size_t
apply(sr_extractor *x, const sr_doc *doc, uint32_t si, match_ctx *m, int32_t fallback)
{
	size_t before = x->nev;
	reading_t a;
	start_reading(x, doc, m, fallback, &a);
	if (cue_missing(doc, &a) || not_under_attack(x, doc, &a))
		return 0;
	/* verb_read_as_noun needs the tree: it is asked only once the
	 * checks that need none have let the reading through (the steps
	 * between change nothing outside the reading but the handover
	 * memory, which is put back when it rejects) */
	int32_t receiver0 = x->last_receiver, giver0 = x->last_giver;
	/* the roles */
	roles_near_trigger(&a);
	agreement_between(&a);
	if (ev_roles_out_of_reach(x, doc, si, a.g, &a.c, &a.r) || ev_context_out_of_reach(x, doc, si, a.g, &a.c, &a.r))
		return 0;
	roles_from_tree(x, doc, si, &a);
	doer_of_infinitive(x, doc, &a);
	doer_of_passive_move(&a);
	force_moved_is_doer(x, doc, &a);
	parties_of_agreement(x, doc, &a);
	group_doer(x, doc, &a);
	doer_of_governing_verb(x, doc, si, &a);
	settle_roles(x, &a);
	handover_memory(x, &a);
	takeover_of_left_place(x, si, &a);
	/* did it happen? */
	a.modality = ev_modality(&x->tab, doc, a.c.s, a.c.e, a.c.t0, a.c.t1, a.g->noun);
	if (state_not_event(x, doc, &a) || remention_or_feared(x, doc, &a) || demand_not_event(x, doc, si, &a) ||
	    agreed_to_verb(x, doc, &a) || ev_conditional(doc, &a.c) || threatened_verb(x, doc, &a) || not_yet(x, doc, &a) ||
	    ev_habitual(x, doc, si, &a.c))
		return keep_memory(x, doc, si, &a, receiver0, giver0);
	/* more roles, then the constraints */
	agreement_relative_maker(x, doc, &a);
	civil_war(x, doc, &a);
	ev_drop_pact_place(x, doc, &a.r);
	ev_drop_border_point(x, doc, &a.r);
	place_from_sentence(x, doc, si, &a);
	if (needs_unmet(x, doc, si, &a) || args_misfit(x, doc, si, &a))
		return keep_memory(x, doc, si, &a, receiver0, giver0);
	if (verb_read_as_noun(x, doc, si, &a)) {
		x->last_receiver = receiver0;
		x->last_giver = giver0;
		return 0;
	}
	/* the roles still empty, from the sentence and the report */
	drop_media_doer(x, &a);
	doer_of_possessive(x, doc, &a);
	doer_named_before(x, doc, &a);
	if (series_not_event(doc, &a))
		return 0;
	attack_place_near(x, doc, &a);
	drop_detainees_group(x, doc, &a);
	doer_from_report(x, doc, &a);
	place_from_report(x, &a);
	doer_by_words(x, doc, si, &a);
	place_list_words(x, doc, &a);
	receiver_after_list(x, doc, &a);
	emit_events(x, doc, si, &a);
	return x->nev - before;
}

/* "transferred to SDF control": a take_control by the actor before
 * "control" in a handover's "to" phrase is already covered by the frame;
 * nothing else to do here. */

/* "Related: ...", "Read more: ...": a link to another report, whose
 * events are not this one's. */
static bool
link_line(const ev_tables *T, const sr_doc *doc, const sr_sentence *s)
{
	const sr_token *k = &doc->toks[s->tok];
	uint32_t n = s->ntok;
	if (n >= 2 && ev_in(T, &k[0], ev_class(T, EVC_LINK_WORDS)) && is(&k[1], ":"))
		return true;
	return n >= 3 && ((ev_in(T, &k[0], "read|see") && ev_in(T, &k[1], "more|also")) ||
			  (is(&k[0], "also") && is(&k[1], "read"))) && is(&k[2], ":");
}

/* Does one of apply()'s tests of "did it happen?" that read only the
 * words reject reading a, whatever its roles, names, times and tree?
 * The tests are apply()'s own, on the same frame: start_reading() reads
 * the tokens only, and no step between it and those tests changes the
 * frame, the trigger or its type; they are joined by ||, so one true is
 * a rejection (remention_or_feared's first use: "these attacks", a
 * feared attack; its other test reads the roles and is left out, as
 * ev_habitual, which reads the tree).  Side effects are left out: the
 * answer alone is wanted. */
static bool
words_reject(const sr_extractor *x, const sr_doc *doc, const reading_t *a)
{
	const ev_trigger *g = a->g;
	const frame_ctx *c = &a->c;
	if (state_not_event(x, doc, a))
		return true;
	uint32_t np = c->t0;
	if (g->noun) {
		int det = ev_noun_determiner(&x->tab, doc, c->s, c->t0, &np);
		if (det == 2 || (a->type == EV_ATTACK && ev_hypothetical(&x->tab, doc, c->s, np)))
			return true;
	}
	if (ev_demanded(&x->tab, doc, c->s, c->t0, np) || agreed_to_verb(x, doc, a) || ev_conditional(doc, c))
		return true;
	/* threatened_verb and not_yet: their answers, without the
	 * modality threatened_verb sets when it answers no */
	if (!g->noun && c->t0 > c->s && ev_tok_in(&doc->toks[c->t0 - 1], "to|from") &&
	    ev_hypothetical(&x->tab, doc, c->s, c->t0 - 1) && (a->type == EV_ATTACK || is(&doc->toks[c->t0 - 1], "from")))
		return true;
	return not_yet(x, doc, a);
}

/* not_under_attack's answer where it needs no name: ev_under_attack
 * looks back from the trigger across at most five modifiers for
 * "under", so a need=under reading with no "under" among the six tokens
 * before its trigger is rejected whatever the names. */
static bool
under_near(const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 6; j--)
		if (is(&doc->toks[j - 1], "under"))
			return true;
	return false;
}

/* Can the names of the report (the recognizer's, before the new places
 * of places.c, which only add places that are neither sites nor
 * countries and take names away) meet the needs *want of
 * ev_sentence_may_hold?  need=force (needs_unmet) wants a doer that is
 * an actor of rank 2.  need=armed without its words (ev_armed_context,
 * and needs_unmet's exceptions: an attack on a force, detainees of
 * one) wants a doer that is an actor, a military site for a place, or
 * a doer that is a country or a state's actor: an actor, a country, a
 * site or a name of a state's kind among the names. */
bool
ev_names_may_meet(const sr_extractor *x, unsigned want)
{
	for (size_t i = 0; i < x->nents; i++) {
		const ev_ent *e = &x->ents[i];
		if ((want & EV_WANT_FORCE) && e->actor && e->actor_rank == 2)
			return true;
		if ((want & EV_WANT_ARMED) && (e->actor || e->country || e->site || ev_state_kind(e->kind)))
			return true;
	}
	return false;
}

/* May sentence si yield an event?  0 when no trigger's word sequence
 * passes consider() at any of its words with its cue words near
 * (cue_missing): then sentence_events tries no reading past that test
 * and changes nothing.  1 when some do, but apply() drops each of them
 * by its words alone (words_reject), or each needs names to pass
 * needs_unmet, which *want then says (EV_WANT_FORCE, EV_WANT_ARMED:
 * ev_names_may_meet).  Such a sentence makes no event without those
 * names, whatever the times and tree, though its readings may leave
 * their marks on the report's memory (the handover's parties) for the
 * sentences after it.  2 otherwise.  sentence_events tries the same
 * readings, fewer (none inside a name).  Reads the tokens only, so it
 * may run before the costlier steps. */
int
ev_sentence_may_hold(sr_extractor *x, const sr_doc *doc, uint32_t si, unsigned *want)
{
	int level = 0;
	const sr_sentence *s = &doc->sents[si];
	frame_ctx c = {.x = x, .tab = &x->tab, .doc = doc, .s = s->tok, .e = s->tok + s->ntok};
	for (uint32_t i = c.s; i < c.e; i++) {
		const sr_token *k = &doc->toks[i];
		if (k->cls != SR_TOK_WORD || (k->flags & SR_TF_DATELINE))
			continue;
		if (!ev_tables_may_start(&x->tab, k))
			continue;
		match_ctx m = {.c = &c, .doc = doc, .x = x, .i = i};
		ev_tables_lookup(&x->tab, k, consider, &m);
		for (int ci = 0; ci < m.ncand; ci++) {
			/* the reading as sentence_events gives it to apply() */
			m.best = m.cand[ci].g;
			m.t0 = i;
			m.t1 = m.cand[ci].t1;
			m.gap0 = m.cand[ci].gap0;
			m.gap1 = m.cand[ci].gap1;
			reading_t a;
			start_reading(x, doc, &m, -1, &a);
			if (cue_missing(doc, &a))
				continue;
			level = 1;
			if (words_reject(x, doc, &a) || ((a.g->need & NEED_UNDER) && !under_near(doc, &a.c)))
				continue;
			/* needs_unmet: need=force wants a doer that is an armed
			 * force; need=security, when no word of class security
			 * is in the sentence or the two before it
			 * (ev_security_before, for parties told before), a
			 * party that is one, and no word of class civil by the
			 * trigger; need=armed one of ev_armed_context's names
			 * unless its words are there */
			unsigned need = (a.g->need & NEED_FORCE) ? EV_WANT_FORCE : 0;
			if ((a.g->need & NEED_SECURITY) && !ev_security_before(x, doc, si)) {
				int w = ev_security_words(x, doc, &a.c);
				if (w < 0)
					continue;
				if (w == 0)
					need = EV_WANT_FORCE;
			}
			if (!need && (a.g->need & NEED_ARMED) && !ev_armed_words(x, doc, &a.c))
				need = EV_WANT_ARMED;
			if (!need)
				return 2;
			*want |= need;
		}
	}
	return level;
}

void
sentence_events(sr_extractor *x, const sr_doc *doc, uint32_t si, int32_t fallback)
{
	const sr_sentence *s = &doc->sents[si];
	frame_ctx c = {.x = x, .tab = &x->tab, .doc = doc, .s = s->tok, .e = s->tok + s->ntok};
	size_t before = x->nev;
	if (link_line(&x->tab, doc, s))
		return;
	for (uint32_t i = c.s; i < c.e; i++) {
		const sr_token *k = &doc->toks[i];
		if (k->cls != SR_TOK_WORD || (k->flags & SR_TF_DATELINE))
			continue;
		if (x->ent_at[i] >= 0)
			continue;  /* inside a name: "Operation Inherent Resolve" */
		if (!ev_tables_may_start(&x->tab, k))
			continue;  /* no trigger starts with this word */
		match_ctx m = {.c = &c, .doc = doc, .x = x, .i = i};
		ev_tables_lookup(&x->tab, k, consider, &m);
		if (!m.best)
			continue;
		if (x->nev - before >= MAX_EVENTS_PER_SENTENCE)
			break;
		/* the best-scoring reading that yields an event wins */
		for (int ci = 0; ci < m.ncand; ci++) {
			m.best = m.cand[ci].g;
			m.t0 = i;
			m.t1 = m.cand[ci].t1;
			m.gap0 = m.cand[ci].gap0;
			m.gap1 = m.cand[ci].gap1;
			if (apply(x, doc, si, &m, fallback) > 0) {
				i = m.t1 - 1;
				break;
			}
		}
	}
	/* (the record: a sentence parsed for nothing) */
	if (x->timing && x->nev == before && x->tree_si == si && x->tree_parsed && x->tree_why >= 0)
		x->why[x->tree_why].none++;
}
