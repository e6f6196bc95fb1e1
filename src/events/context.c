/*
 * context.c -- what the words around a trigger say about its reading
 * (frames.c asks).
 *
 * The predicates of a trigger's context: the determiner and noun phrase
 * of a nominal trigger, a fear, demand, state or condition that makes
 * it no event, the end and voice of its clause, the armed or security
 * setting its type needs, and the places a reading borrows from its
 * sentence (an attack of a take-over, the setting of a departure, the
 * place of an event of the same type).  Split from frames.c, which
 * applies the frames; the predicates do not change a reading's state
 * beyond the roles they are handed.
 */
#include "context_int.h"

#include <stdio.h>
#include <stdlib.h>

/* The determiner of a nominal trigger at t0, across up to two modifiers
 * ("the terrorist attacks", "such rocket attacks"): 1 for the, this,
 * that; 2 for these, those, such; 0 for none.  *np is set to the first
 * token of the noun phrase. */
int
ev_noun_determiner(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t *np)
{
	uint32_t j = t0;
	*np = t0;
	for (int n = 0; j > s && n < 3; n++) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls != SR_TOK_WORD)
			return 0;
		if (ev_tok_in(k, "the|this|that")) {
			*np = j - 1;
			return 1;
		}
		if (ev_tok_in(k, "these|those|such")) {
			*np = j - 1;
			return 2;
		}
		/* a modifier: a lower-case word that is no function word and
		 * no verb form */
		if (k->len < 3 || !(k->s[0] >= 'a' && k->s[0] <= 'z') || ev_tok_in(k, PREPS) ||
		    ev_tok_in(k, SUBORD) || ev_in(T, k, ev_class(T, EVC_NOT_MODIFIERS)) ||
		    (k->len > 4 && (!memcmp(k->s + k->len - 2, "ed", 2) ||
				    !memcmp(k->s + k->len - 3, "ing", 3))))
			return 0;
		j--;
		*np = j;
	}
	return 0;
}

/* Is the noun phrase starting at np the object of a verb of fear,
 * threat or prevention, a few words before it ("threatening attacks",
 * "protect bases from rocket attacks")? */
bool
ev_hypothetical(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t np)
{
	for (uint32_t j = np; j > s && np - j < 4; j--) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls == SR_TOK_PUNCT)
			return false;
		if (ev_in(T, k, ev_class(T, EVC_HYPOTHETICAL_VERBS)))
			return true;
	}
	return false;
}

/* Is the trigger at t0 what someone demands rather than what happened:
 * "calling on foreign troops to withdraw", "protests calling for the
 * departure of the base"?  np is the first token of the trigger's
 * phrase. */
bool
ev_demanded(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t np)
{
	const sr_token *k = doc->toks;
	bool inf = t0 > s && is(&k[t0 - 1], "to");
	uint32_t from = inf ? t0 - 1 : np;
	for (uint32_t j = from; j > s && from - j < (inf ? 7u : 3u); j--) {
		if (k[j - 1].cls == SR_TOK_PUNCT)
			return false;
		if (ev_in(T, &k[j - 1], ev_class(T, EVC_DEMAND_VERBS)))
			return true;
	}
	return false;
}

/* "The US has about 900 troops deployed in the country": a participle
 * after a force noun held by "has", "with", "keeps" tells a state, not
 * an event. */
bool
ev_stative(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0)
{
	const sr_token *k = doc->toks;
	if (t0 < s + 2 || !ev_in(T, &k[t0 - 1], ev_class(T, EVC_FORCE_NOUNS)))
		return false;
	for (uint32_t j = t0 - 1; j > s && t0 - j < 7; j--) {
		if (ev_in(T, &k[j - 1], ev_class(T, EVC_STATE_VERBS)))
			return true;
		if (k[j - 1].cls == SR_TOK_PUNCT || ev_tok_in(&k[j - 1], PREPS) ||
		    ev_tok_in(&k[j - 1], SUBORD))
			return false;
	}
	return false;
}

/* The end of the clause that follows the trigger: the sentence's end, a
 * semicolon, or a subordinator that starts another clause. */
uint32_t
ev_clause_end(const ev_tables *t, const sr_doc *doc, uint32_t t1, uint32_t e)
{
	const sr_token *k = doc->toks;
	for (uint32_t i = t1; i < e; i++) {
		if (k[i].cls == SR_TOK_PUNCT && k[i].len == 1 && k[i].s[0] == ';')
			return i;
		if (i > t1 + 1 && ev_in(t, &k[i], "but|while|whereas|although|because|which|who|"
							"after|amid|following|when|said|says|"
							"according"))
			return i;
		if (i > t1 + 18)
			return i;
	}
	return e;
}

bool
ev_is_passive(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t t0)
{
	const sr_token *k = doc->toks;
	const sr_token *v = &k[t0];
	bool participle = (v->len > 2 && (!memcmp(v->s + v->len - 2, "ed", 2) ||
					  !memcmp(v->s + v->len - 2, "en", 2))) ||
			  ev_in(t, v, ev_class(t, EVC_IRREGULAR_PARTICIPLES));
	if (!participle)
		return false;
	for (uint32_t i = t0; i > s && t0 - i < 4; i--) {
		const sr_token *b = &k[i - 1];
		if (ev_in(t, b, "was|were|is|are|be|been|being|get|got|gets"))
			return true;
		if (!(b->cls == SR_TOK_WORD && b->len > 2 && !memcmp(b->s + b->len - 2, "ly", 2)) &&
		    !ev_in(t, b, "not|also|already|reportedly|then|later|now|all|officially|"
				  "formally|just|recently|previously|repeatedly"))
			return false;
	}
	return false;
}

/* Is the group e the one the detainees of the clause belong to: "50
 * ISIS detainees", "Daesh members"? */
bool
ev_detainees_of(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g,
		int32_t e)
{
	uint32_t a = c->t0 > c->s + 8 ? c->t0 - 8 : c->s;
	for (uint32_t i = a + 1; i < c->right && i < c->t1 + 10; i++) {
		int32_t before = x->ent_at[i - 1];
		if (before < 0 || x->ents[before].id != x->ents[e].id)
			continue;
		for (int q = 0; q < g->ncues; q++)
			if (sr_eq_ci(doc->toks[i].s, doc->toks[i].len, g->cues[q]))
				return true;
	}
	return false;
}

/* ------------------------------------------- argument constraints */

/* Does a word of class cl lie in tokens [a, b)? */
bool
ev_class_in(const sr_extractor *x, const sr_doc *doc, enum ev_class cl, uint32_t a, uint32_t b)
{
	const char *list = ev_class(&x->tab, cl);
	for (uint32_t i = a; i < b; i++)
		if (doc->toks[i].cls == SR_TOK_WORD && ev_in(&x->tab, &doc->toks[i], list))
			return true;
	return false;
}

/* "withdraw from the Paris agreement", "under the Minsk accords": a
 * place named right before a noun of class pact names the pact, and is
 * no place of the event. */
void
ev_drop_pact_place(const sr_extractor *x, const sr_doc *doc, roles_t *r)
{
	if (r->place < 0)
		return;
	const ev_ent *e = &x->ents[r->place];
	uint32_t j = e->tok + e->ntok;
	/* one modifier may stand between: "the Paris climate agreement" */
	for (uint32_t k = j; k < j + 2 && k < doc->ntok; k++) {
		if (doc->toks[k].cls != SR_TOK_WORD)
			return;
		if (ev_in(&x->tab, &doc->toks[k], ev_class(&x->tab, EVC_PACT))) {
			r->place = -1;
			r->pa.ent = -1;
			return;
		}
	}
}

/* "a strike on an army base near the Polish border", "close to the
 * border with Syria": a country named by its border after "near" or
 * "close to" is a point of reference; the event is not in it. */
void
ev_drop_border_point(const sr_extractor *x, const sr_doc *doc, roles_t *r)
{
	if (r->place < 0 || r->pa.ent != r->place)
		return;
	const ev_ent *e = &x->ents[r->place];
	if (!(e->country || e->demonym))
		return;
	const sr_token *k = doc->toks;
	uint32_t a = e->tok, b = e->tok + e->ntok;
	uint32_t j = a;
	/* "the Polish border", "the border with Poland" */
	if (b < doc->ntok && ev_in(&x->tab, &k[b], ev_class(&x->tab, EVC_BORDER_NOUNS))) {
		j = a;
	} else if (a >= 2 && ev_tok_in(&k[a - 1], "with") &&
		   ev_in(&x->tab, &k[a - 2], ev_class(&x->tab, EVC_BORDER_NOUNS))) {
		j = a - 2;
	} else
		return;
	if (j > 0 && ev_tok_in(&k[j - 1], "the|its|their"))
		j--;
	bool near = j > 0 && ev_tok_in(&k[j - 1], "near|toward|towards|outside");
	near |= j > 1 && is(&k[j - 1], "to") && ev_tok_in(&k[j - 2], "close|near|next");
	if (near) {
		r->place = -1;
		r->pa.ent = -1;
	}
}

/* Is the event one of armed forces: its doer an armed force, coalition
 * or armed group, or its sentence about one (a word of class military)?
 * "He left his home", "deputies seized a meth lab", "began a hunger
 * strike" are not. */
bool
ev_armed_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r)
{
	if (r->actor >= 0 && x->ents[r->actor].actor && x->ents[r->actor].actor_rank == 2)
		return true;
	/* a doer that is neither a force nor a state (an agency, a media
	 * outlet, a monitor, a person): "the WHO deployed personnel" */
	if (r->actor >= 0 && x->ents[r->actor].actor && !ev_state_kind(x->ents[r->actor].kind)) {
		/* but "the UN peacekeeping mission", "AU troops": an agency
		 * named before a word of class military heads a force */
		const ev_ent *a = &x->ents[r->actor];
		for (uint32_t j = a->tok + a->ntok; j < c->e && j < a->tok + a->ntok + 2; j++)
			if (ev_in(&x->tab, &doc->toks[j], ev_class(&x->tab, EVC_MILITARY)))
				return true;
		return false;
	}
	/* a military site: "handed over the Qayyarah West Airfield" */
	if (r->place >= 0 && x->ents[r->place].site && x->ents[r->place].kind &&
	    (!strcmp(x->ents[r->place].kind, "base") || !strcmp(x->ents[r->place].kind, "airport")))
		return true;
	/* a state acting on another state's ground: "a US pullout from
	 * Syria", "Israel captured the Golan Heights" */
	if (r->actor >= 0 && r->place >= 0 && x->ents[r->place].tok >= c->s && x->ents[r->place].tok < c->e) {
		const ev_ent *a = &x->ents[r->actor], *p = &x->ents[r->place];
		if ((a->country || ev_state_kind(a->kind)) && a->country_code && p->country_code &&
		    a->country_code[0] && p->country_code[0] && strcmp(a->country_code, p->country_code))
			return true;
	}
	return ev_armed_words(x, doc, c);
}

/* ev_armed_context's test of words: a word of class military in the
 * trigger's sentence, but the trigger's own words do not count ("a home
 * invasion"), nor those of a clause after its own ("deploying a wall
 * system that protects soldiers"). */
bool
ev_armed_words(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	if (ev_class_in(x, doc, EVC_MILITARY, c->s, c->t0))
		return true;
	uint32_t end = c->t1;
	while (end < c->e && !ev_in(&x->tab, &doc->toks[end], "that|which|who|whose"))
		end++;
	return ev_class_in(x, doc, EVC_MILITARY, c->t1, end);
}

/* Is an agreement about security (a word of class security in its
 * sentence) and not civil (no word of class civil among the words that
 * modify the trigger: "a free trade agreement", "the climate accord")? */
bool
ev_security_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r)
{
	int w = ev_security_words(x, doc, c);
	if (w < 0)
		return false;
	/* a party that is an armed force: "signed an accord with the
	 * Taliban" */
	int32_t party[2] = {r->actor, r->other};
	for (int i = 0; i < 2; i++)
		if (party[i] >= 0 && x->ents[party[i]].actor && x->ents[party[i]].actor_rank == 2)
			return true;
	return w > 0;
}

/* ev_security_context's tests of words: -1 when a word of class civil
 * modifies the trigger (no security, whatever the parties), 1 when a
 * word of class security is in its sentence, 0 when neither (the
 * parties decide). */
int
ev_security_words(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	uint32_t a = c->t0 > c->s + 4 ? c->t0 - 4 : c->s;
	uint32_t b = c->t1 + 3 < c->e ? c->t1 + 3 : c->e;
	if (ev_class_in(x, doc, EVC_CIVIL, a, b))
		return -1;
	return ev_class_in(x, doc, EVC_SECURITY, c->s, c->e) ? 1 : 0;
}

/* Does a first-person pronoun (I, we, our) stand among the words of
 * the trigger's clause before it, or right after it ("withdraw our
 * units")? */
bool
ev_first_person(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	(void)x;
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 6; j--) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls == SR_TOK_PUNCT)
			break;
		if (ev_tok_in(k, "i|we|our"))
			return true;
	}
	return c->t1 < c->e && ev_tok_in(&doc->toks[c->t1], "our");
}

/* "return 60 members of the German armed forces to Germany": members of
 * a state's armed force moved home are no detainees. */
bool
ev_own_soldiers(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t i = c->t1; i + 2 < c->e && i < c->t1 + 8; i++) {
		if (!ev_in(&x->tab, &doc->toks[i], ev_class(&x->tab, EVC_MEMBER_NOUNS)) || !is(&doc->toks[i + 1], "of"))
			continue;
		uint32_t j = i + 2;
		if (j < c->e && ev_tok_in(&doc->toks[j], "the|its|their"))
			j++;
		int32_t e = j < c->e ? x->ent_at[j] : -1;
		return e >= 0 && x->ents[e].actor && x->ents[e].kind && !strcmp(x->ents[e].kind, "state_military");
	}
	return false;
}

/* "if Israel released the prisoners": a condition, not an event. */
bool
ev_conditional(const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 8; j--) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls == SR_TOK_PUNCT)
			break;
		if (ev_in(c->tab, k, "if|unless|whether"))
			return true;
	}
	return false;
}

/* "how it will deploy these technologies", "deploying a portable wall
 * system": the tree's object of an active deploy verb whose phrase has no
 * word of class military or force_nouns and no name is no force; the
 * deployment is not one of ours. */
bool
ev_deploys_no_force(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return false;
	int w = ev_tree_word(p, c->t0);
	int o = w >= 0 ? ev_tree_child(p, w, SR_DEP_OBJ, NULL) : -1;
	/* "deploy and develop these technologies": the object shared with
	 * the verb coordinated after it */
	if (w >= 0 && o < 0) {
		int cj[2];
		if (ev_tree_conj(p, w, cj, 2) > 0 && p->w[cj[0]].upos == SR_UPOS_VERB)
			o = ev_tree_child(p, cj[0], SR_DEP_OBJ, NULL);
	}
	/* an object comes after its active verb (a word before it that the
	 * parser calls one, "Thousands more troops will deploy", is not) */
	if (o < 0 || p->w[o].tok < c->t1)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		/* the object's words and those of a phrase it heads ("the
		 * lead element of the V Corps headquarters") */
		int h = p->w[i].head;
		if ((int)i != o && h != o && !(h >= 0 && p->w[h].head == o))
			continue;
		const sr_token *k = &doc->toks[p->w[i].tok];
		if (x->ent_at[p->w[i].tok] >= 0 || k->cls == SR_TOK_NUMBER ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_MILITARY)) ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_FORCE_NOUNS)))
			return false;
	}
	return true;
}

/* Does a frame's slot list have the object? */
bool
ev_obj_slot(const ev_slotspec *sp, int n)
{
	for (int i = 0; i < n; i++)
		if (sp[i].kind == SL_OBJ)
			return true;
	return false;
}

/* Does a frame's slot list have the subject? */
bool
ev_subj_slot(const ev_slotspec *sp, int n)
{
	for (int i = 0; i < n; i++)
		if (sp[i].kind == SL_SUBJ)
			return true;
	return false;
}

/* Is the sentence worth a parse for this trigger: may its event pass
 * the trigger's constraints at all (for 'armed', a word of class
 * military or an armed force named in the sentence)?  Parsing is the
 * costly step of extraction: most sentences of general news that hold a
 * trigger word ("left", "strike") are never parsed. */
bool
ev_tree_worth(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g, int type)
{
	/* a verb that states no event is dropped later anyway */
	if (ev_stative(&x->tab, doc, c->s, c->t0) || ev_demanded(&x->tab, doc, c->s, c->t0, c->t0) ||
	    ev_conditional(doc, c) || (type == EV_AGREEMENT && ev_agree_to_verb(x, doc, c)) ||
	    (c->t0 > c->s && ev_tok_in(&doc->toks[c->t0 - 1], "to|from") &&
	     ev_hypothetical(&x->tab, doc, c->s, c->t0 - 1)))
		return false;
	if (!(g->need & (NEED_ARMED | NEED_FORCE)))
		return true;
	if (ev_class_in(x, doc, EVC_MILITARY, c->s, c->e))
		return true;
	for (uint32_t i = c->s; i < c->e; i++) {
		int32_t e = x->ent_at[i];
		if (e >= 0 && x->ents[e].actor && x->ents[e].actor_rank == 2)
			return true;
	}
	return false;
}

/* Does an area noun stand after the trigger in its clause ("in the
 * villages of ...", "Paletwa Town")?  Only then is the tree asked for
 * the places it introduces. */
bool
ev_area_of_after(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	return ev_class_in(x, doc, EVC_AREA_NOUNS, c->t1, c->right);
}

/* "Russian troops seized control of Izyum after a weeks-long battle",
 * "seized land in the Kursk region after launching a ground offensive":
 * an attack that names no place, told in an after-clause of a take-over
 * of its sentence, is the fight for the place taken; its doer, when it
 * names none, is the one who took it. */
void
ev_attack_of_takeover(sr_extractor *x, uint32_t si, const frame_ctx *c, roles_t *r)
{
	const sr_token *k = x->doc_toks;
	for (size_t i = x->nev; i > 0; i--) {
		const sr_event *w = &x->ev[i - 1];
		if (w->sentence != si)
			return;
		uint32_t t = x->evtok[i - 1];
		if (strcmp(w->type, "take_control") || !w->place.set || t >= c->t0)
			continue;
		/* "after" or "following" between the two triggers, nothing
		 * that closes the clause */
		bool after = false;
		for (uint32_t j = t + 1; j < c->t0 && !after; j++) {
			if (k[j].cls == SR_TOK_PUNCT && k[j].len == 1 && (k[j].s[0] == ';' || k[j].s[0] == '.'))
				return;
			after = ev_tok_in(&k[j], "after|following");
		}
		if (!after)
			return;
		r->pa.ent = -1;
		if (w->place.id) {
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].id == w->place.id) {
					r->place = (int32_t)j;
					break;
				}
		} else if (w->place.name)
			r->pmention = w->place.name;
		if (r->actor < 0 && w->actor.set) {
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].id == w->actor.id) {
					r->actor = (int32_t)j;
					r->aa.ent = -1;
					break;
				}
			if (r->actor < 0 && !w->actor.id)
				r->mention = w->actor.text;
		}
		return;
	}
}

/* "There were similar scenes in Shire on Wednesday, after Eritrean
 * troops had left", "patrol around Manbij after the Kurds withdraw": a
 * departure that names no place of its own (no object, no "from") is
 * from the town or site its sentence names, the one nearest to it. */
void
ev_left_place(sr_extractor *x, const sr_doc *doc, const frame_ctx *c, roles_t *r)
{
	/* an object after the verb is a place the rules could not name:
	 * "left the area", "pulled back its troops" */
	/* (an adverb in -ly is none: "and withdraw accordingly") */
	const sr_token *n = c->t1 < c->e ? &doc->toks[c->t1] : NULL;
	if (n && n->cls == SR_TOK_WORD &&
	    !ev_tok_in(n, "and|but|on|in|at|after|before|when|as|last|early|late|this|"
			  "yesterday|today|overnight|already|also|too") &&
	    !(n->len > 4 && !memcmp(n->s + n->len - 2, "ly", 2)))
		return;
	int32_t best = -1;
	uint32_t bestd = UINT32_MAX;
	for (uint32_t i = c->s; i < c->e; i++) {
		int32_t e = x->ent_at[i];
		if (e < 0 || x->ents[e].tok != i || x->ents[e].actor || x->ents[e].country || x->ents[e].demonym ||
		    !x->ents[e].precision || (strcmp(x->ents[e].precision, "town") && strcmp(x->ents[e].precision, "site")) ||
		    e == r->actor || (doc->toks[i].flags & SR_TF_DATELINE))
			continue;
		/* a place of the sentence's setting: after "in", "at",
		 * "around" ("around Syria's Manbij"), before the departure */
		if (i > c->t0)
			continue;
		bool set = false;
		for (uint32_t j = i; j > c->s && i - j < 4 && !set; j--) {
			const sr_token *b = &doc->toks[j - 1];
			if (ev_tok_in(b, "in|at|around|near|inside|outside"))
				set = true;
			else if (!is(b, "'s") && x->ent_at[j - 1] < 0 && !ev_filler(&x->tab, b))
				break;
		}
		if (!set)
			continue;
		uint32_t d = c->t0 - i;
		if (d < bestd) {
			best = e;
			bestd = d;
		}
	}
	if (best >= 0) {
		r->place = best;
		r->pa.ent = -1;
	}
}

/* Is the country e a place a preposition governs, alone or as an item
 * of a list ("redeployed to Belgium and Italy")?  It does no deed. */
bool
ev_governed_place(const sr_extractor *x, const sr_doc *doc, uint32_t s, int32_t e)
{
	if (x->ents[e].actor)
		return false;
	uint32_t j = x->ents[e].tok;
	while (j > s) {
		const sr_token *b = &doc->toks[j - 1];
		if (ev_tok_in(b, "and|,|or|the")) {
			j--;
			continue;
		}
		int32_t f = x->ent_at[j - 1];
		if (f >= 0 && !x->ents[f].actor) {
			j = x->ents[f].tok;
			continue;
		}
		return ev_tok_in(b, PREPS);
	}
	return false;
}

/* "the troops stationed at the outpost left", "units deployed there
 * since 2019": is the verb trigger of c a bare participle that modifies
 * a noun (acl or amod in the tree, no auxiliary of its own), or a
 * passive gerund with no finite verb of its own?  It tells
 * what the noun is, not an event.  A relative clause ("which was
 * stationed in ...") and a finite verb are no such participle. */
bool
ev_reduced_participle(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	if (c->noun)
		return false;
	if (c->passive) {
		/* "led to US forces primarily being stationed at the base": a
		 * passive gerund with no finite "is" or "was" before it names
		 * a state the clause leads to, no event */
		const sr_token *k = doc->toks;
		uint32_t j = c->t0;
		while (j > c->s && k[j - 1].len > 2 && !memcmp(k[j - 1].s + k[j - 1].len - 2, "ly", 2))
			j--;
		if (j == c->s || !is(&k[j - 1], "being"))
			return false;
		j--;
		while (j > c->s && k[j - 1].len > 2 && !memcmp(k[j - 1].s + k[j - 1].len - 2, "ly", 2))
			j--;
		return j == c->s || !ev_tok_in(&k[j - 1], "is|are|was|were|am|'s|'re");
	}
	const sr_parse *p = ev_tree_parse(x, doc, si);
	int w = p ? ev_tree_word(p, c->t0) : -1;
	if (w < 0 || (p->w[w].deprel != SR_DEP_ACL && p->w[w].deprel != SR_DEP_AMOD))
		return false;
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].head == w && sr_deprel_base(p->w[i].deprel) == SR_DEP_AUX)
			return false;
	return true;
}

/* "US withdrawals have typically been accompanied by talks", "troops
 * usually withdraw before winter": an adverb of habit (class
 * habitual_words) on the trigger's verb, or on the verb whose subject
 * or object the nominal trigger is, makes a generic statement. */
bool
ev_habitual(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	if (!ev_class_in(x, doc, EVC_HABITUAL_WORDS, c->s, c->e))
		return false;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	int w = p ? ev_tree_word(p, c->t0) : -1;
	if (w < 0)
		return false;
	int verbs[2] = {w, -1};
	int b = sr_deprel_base(p->w[w].deprel);
	if (c->noun && p->w[w].head >= 0 && (b == SR_DEP_NSUBJ || b == SR_DEP_OBJ))
		verbs[1] = p->w[w].head;
	for (size_t i = 0; i < p->n; i++)
		if ((p->w[i].head == verbs[0] || (verbs[1] >= 0 && p->w[i].head == verbs[1])) &&
		    sr_deprel_base(p->w[i].deprel) == SR_DEP_ADVMOD &&
		    ev_in(&x->tab, &doc->toks[p->w[i].tok], ev_class(&x->tab, EVC_HABITUAL_WORDS)))
			return true;
	return false;
}

/* Does the tree give the word at token t a determiner or an adjective
 * or compound modifier, as a noun has ("massive fire strikes")? */
bool
ev_nominal_verb(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t)
{
	if (!ev_tree_may_be(x, doc, si, t, SR_UPOS_NOUN))
		return false;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	int w = p ? ev_tree_word(p, t) : -1;
	if (w < 0 || p->w[w].upos != SR_UPOS_NOUN)
		return false;
	for (size_t i = 0; i < p->n; i++) {
		int b = sr_deprel_base(p->w[i].deprel);
		if (p->w[i].head == w && (int)i < w && (b == SR_DEP_DET || b == SR_DEP_AMOD))
			return true;
	}
	return false;
}

/* "Army units had begun deploying along the border, while border guards
 * would be deployed in the coming days": a deployment or withdrawal that
 * names no place is where the one of its type just told in its sentence
 * is (a place named, not guessed). */
void
ev_same_place(sr_extractor *x, uint32_t si, int type, roles_t *r)
{
	for (size_t i = x->nev; i > 0; i--) {
		const sr_event *w = &x->ev[i - 1];
		if (w->sentence != si)
			return;
		if (strcmp(w->type, ev_type_names[type]) || !w->place.set || (x->evweak[i - 1] & EV_WEAK_PLACE))
			continue;
		if (w->place.id) {
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].id == w->place.id) {
					r->place = (int32_t)j;
					r->pa.ent = -1;
					break;
				}
		} else if (w->place.name)
			r->pmention = w->place.name;
		return;
	}
}
