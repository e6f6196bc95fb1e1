/*
 * reach.c -- what the dependency tree could still give a reading of a
 * trigger, asked before the sentence is parsed for it (frames.c).
 *
 * Parsing is the costly step of extraction.  A reading of a trigger
 * asks for the tree to fill the roles its words did not give, then
 * weighs them against what the trigger needs; most readings so parsed
 * in general news are rejected anyway.  The tree can only make roles
 * of the names of the sentence (and of a few things the report told
 * before), and only where its relations put them: an active verb's
 * object and the phrases with its prepositions after it, its subject
 * before it in its own clause.  So where no name stands where the tree
 * could find what the trigger needs, the reading is rejected before the
 * parse, as the steps after it would reject it; the events are the same
 * (byte for byte on dev, dev2, the seeds, examples/ and the 25 MB bench
 * corpus, by cmp).
 */
#include "context_int.h"

#include <string.h>

/* Is the word an -ing form ("evacuating")? */
static bool
ing_form(const sr_token *k)
{
	return k->len > 4 && !memcmp(k->s + k->len - 3, "ing", 3);
}

/* Is there a word of the sentence that may be the case word prep: a
 * token that is prep, or a hyphenated one, which the parser's words may
 * cut into parts ("door-to-door": syntax/words.c)? */
static bool
case_word_in(const sr_doc *doc, uint32_t s, uint32_t e, const char *prep)
{
	for (uint32_t t = s; t < e; t++) {
		const sr_token *k = &doc->toks[t];
		if (sr_eq_ci(k->s, k->len, prep) || (k->cls == SR_TOK_WORD && memchr(k->s, '-', k->len)))
			return true;
	}
	return false;
}

/* May the tree give the active verb trigger g of frame c a place at all?
 * Its place is the object or the subject where the frame has such a
 * slot; else only a phrase whose case word is one of the frame's
 * prepositions (tree_slot_word: "out of" by its last word), so the
 * sentence must hold that word. */
static bool
place_slot_may_fill(const sr_doc *doc, const ev_trigger *g, const frame_ctx *c)
{
	if (c->passive || ev_subj_slot(g->place, g->nplace) || ev_obj_slot(g->place, g->nplace))
		return true;
	for (int i = 0; i < g->nplace; i++) {
		if (g->place[i].kind != SL_PREP)
			continue;
		const char *prep = strrchr(g->place[i].prep, ' ');
		if (case_word_in(doc, c->s, c->e, prep ? prep + 1 : g->place[i].prep))
			return true;
	}
	return false;
}

/* Before which token may the words of a proper noun give the verb
 * trigger g of frame c a place no lexicon entry names (tree_roles:
 * tree_place_mention)?  Such a place fills a slot of the frame's
 * prepositions whose case word the sentence holds (place_slot_may_fill),
 * or its object slot (the passive's subject), but not an object after
 * punctuation right after the trigger (cut_off: "The army had already
 * left," says ...): the object's phrase then lies after that mark (the
 * tree is projective and the trigger heads it), so only words up to the
 * mark may give one.  No subject slot gives one.  c->e: any; c->s:
 * none. */
static uint32_t
mention_end(const sr_doc *doc, const ev_trigger *g, const frame_ctx *c)
{
	uint32_t end = c->s;
	for (int i = 0; i < g->nplace; i++) {
		if (g->place[i].kind == SL_OBJ) {
			const sr_token *n = c->t1 < c->e ? &doc->toks[c->t1] : NULL;
			if (c->passive || !n || n->cls != SR_TOK_PUNCT || is(n, "-"))
				return c->e;
			end = c->t1;
		} else if (g->place[i].kind == SL_PREP) {
			const char *prep = strrchr(g->place[i].prep, ' ');
			if (case_word_in(doc, c->s, c->e, prep ? prep + 1 : g->place[i].prep))
				return c->e;
		}
	}
	return end;
}

/* Where may the tree find a place for trigger g in frame c: at any token
 * (true), or only after the trigger (false)?  The tree's place of an
 * active verb is its object, or a phrase with one of the frame's
 * prepositions, or one of a verb of purpose it governs (tree_roles):
 * the parse is projective, so the phrase lies on one side of the verb,
 * after it but where the sentence fronts a phrase with such a
 * preposition ("From the base, ...").  A passive's subject, a subject
 * slot, and the "in" phrase of an object of unnamed ground ("captured
 * three villages", unnamed_ground) may stand before it. */
static bool
place_anywhere(const sr_extractor *x, const sr_doc *doc, const ev_trigger *g, const frame_ctx *c)
{
	if (c->passive || ev_subj_slot(g->place, g->nplace))
		return true;
	if (ev_obj_slot(g->place, g->nplace) && ev_class_in(x, doc, EVC_AREA_NOUNS, c->t0, c->e))
		return true;
	for (int i = 0; i < g->nplace; i++) {
		if (g->place[i].kind != SL_PREP)
			continue;
		const char *prep = strrchr(g->place[i].prep, ' ');
		prep = prep ? prep + 1 : g->place[i].prep;
		for (uint32_t t = c->s; t < c->t0; t++)
			if (is(&doc->toks[t], prep))
				return true;
	}
	return false;
}

/* The first token where the subject of the active verb trigger of c
 * may stand: after the word that opens the verb's clause ("said",
 * "when", "who": a subject before it belongs to another clause, and a
 * relative clause's subject is its pronoun), or the sentence's start
 * when a coordinator or a comma comes first (the verb may take the
 * subject of a verb before it: "captured A but lost B"). */
static uint32_t
subject_from(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t t = c->t0; t > c->s; t--) {
		const sr_token *k = &doc->toks[t - 1];
		if (k->cls == SR_TOK_PUNCT || ev_tok_in(k, "and|or|but|nor|then"))
			return c->s;
		if (ev_in(&x->tab, k, ev_class(&x->tab, EVC_CLAUSE_OPENERS)))
			return t;
	}
	return c->s;
}

/* Where may a later step find the doer of trigger g in frame c, from the
 * names of the sentence: at any token (true), or only before the
 * trigger (false)?  For an active verb the tree's doer is its subject,
 * or that of the verb it completes or is coordinated with (both before
 * it, the parse being projective), or of the verb an -ing clause
 * modifies (which may come after it: "Launching strikes, Russia...");
 * a withdrawal or deployment may take the force its object names
 * (force_moved_is_doer).  A passive's doer is its "by" phrase.  A
 * noun's doer is the subject of the light verb that holds it (or its
 * "by" phrase), that of the verb a nominal attack with a "with" party
 * hangs on (before it), or the maker of a relative clause after an
 * agreement ("that Israel reached"); none but these. */
static bool
doer_anywhere(const sr_extractor *x, const sr_doc *doc, const ev_trigger *g, const frame_ctx *c, bool *none)
{
	int type = g->type;
	*none = false;
	if (!g->noun)
		return c->passive || ing_form(&doc->toks[c->t0]) || type == EV_WITHDRAW || type == EV_DEPLOY;
	enum ev_class verbs = type == EV_AGREEMENT ? EVC_PACT_VERBS : EVC_LIGHT_VERBS;
	if (ev_class_in(x, doc, verbs, c->s, c->t0) ||
	    (type == EV_AGREEMENT && ev_class_in(x, doc, verbs, c->t1, c->right)) ||
	    (type == EV_AGREEMENT && c->t1 < c->right && ev_tok_in(&doc->toks[c->t1], "that|which")))
		return true;
	*none = !(type == EV_ATTACK && c->t1 < c->e && is(&doc->toks[c->t1], "with"));
	return false;
}

/* Is the doer x->ents[e] an armed force (rank 2)? */
static bool
armed_force(const sr_extractor *x, int32_t e)
{
	return e >= 0 && x->ents[e].actor && x->ents[e].actor_rank == 2;
}

/* Does the sentence of c name an armed force? */
static bool
armed_force_named(const sr_extractor *x, const frame_ctx *c)
{
	for (uint32_t t = c->s; t < c->e; t++) {
		int32_t e = x->ent_at[t];
		if (e >= 0 && x->ents[e].actor && x->ents[e].actor_rank == 2)
			return true;
	}
	return false;
}

/* Can the reading still find the roles its trigger needs (need=place,
 * actor, any), whatever the tree says?  Asked after the words near the
 * trigger have been read and before the sentence is parsed for it: a
 * reading that cannot is rejected now, as needs_unmet would reject it
 * after the parse.  What the later steps may still find:
 *   - a place: for a verb, a name of the sentence that may be one, or
 *     the words of a place no lexicon entry holds (ev_place_word), after
 *     the trigger unless place_anywhere; a town or site named before a
 *     departure (ev_left_place); an attack's target owned by a named
 *     force (ev_attack_target); for a noun, only the subject of the
 *     nominal predicate when its frame has that slot;
 *   - a doer: a name of the sentence that may be one, where
 *     doer_anywhere says; for a noun held by a light verb whose subject
 *     is a pronoun, the report's last doer (tree_light_doer); the
 *     parties named before an agreement verb (parties_of_agreement), the
 *     armed group before "the group" (group_doer), the other side of a
 *     passive take-over (takeover_of_left_place);
 *   - anything, from an event the sentence told already.
 * A handover is always read on: its reading keeps the memory of its
 * parties (handover_memory) even when rejected. */
bool
ev_roles_out_of_reach(const sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g, const frame_ctx *c,
		      const roles_t *r)
{
	int type = g->type;
	if (!(g->need & (NEED_PLACE | NEED_ACTOR | NEED_ANY | NEED_FORCE)) || type == EV_HANDOVER)
		return false;
	if (x->nev > 0 && x->ev[x->nev - 1].sentence == si)
		return false;
	/* need=site (needs_unmet): the place must be a name that is a site.
	 * Before needs_unmet a reading other than an attack's takes its
	 * place only from the words' or the tree's names, which are the
	 * sentence's (or the one the words found by reference, r->pa), or
	 * from an event its sentence told (none yet, see above); the new
	 * places of places.c are no sites, and a place by its words alone
	 * (pmention) is none.  So a sentence that names no site cannot meet
	 * it, whatever the tree. */
	if ((g->need & NEED_SITE) && type != EV_ATTACK && !(r->pa.ent >= 0 && x->ents[r->pa.ent].site)) {
		bool site = false;
		for (uint32_t t = c->s; t < c->e && !site; t++)
			site = x->ent_at[t] >= 0 && x->ents[x->ent_at[t]].site;
		if (!site)
			return true;
	}
	/* from which token on a name may be the tree's place */
	uint32_t from = c->e;
	if (!g->noun)
		from = !place_slot_may_fill(doc, g, c) ? c->e : place_anywhere(x, doc, g, c) ? c->s : c->t0 + 1;
	else if (ev_subj_slot(g->place, g->nplace))
		from = c->s;
	/* and before which one a name may be a doer */
	bool no_doer;
	uint32_t before = doer_anywhere(x, doc, g, c, &no_doer) ? c->e : c->t0;
	uint32_t since = before == c->t0 ? subject_from(x, doc, c) : c->s;
	if (no_doer)
		before = c->s;
	uint32_t first = c->s;
	while (first < c->e && doc->toks[first].cls != SR_TOK_WORD)
		first++;
	bool place = r->pa.ent >= 0, doer = r->aa.ent >= 0, force = false, pronoun = false;
	uint32_t mention = !g->noun && from < c->e ? mention_end(doc, g, c) : c->s;
	for (uint32_t t = c->s; t < c->e; t++) {
		int32_t e = x->ent_at[t];
		if (e >= 0) {
			const ev_ent *f = &x->ents[e];
			place |= t >= from && ent_place(f) && !f->demonym;
			/* (ev_left_place) */
			place |= type == EV_WITHDRAW && !g->noun && t < c->t0 && !f->actor && !f->country && f->precision &&
				 (!strcmp(f->precision, "town") || !strcmp(f->precision, "site"));
			doer |= t >= since && t < before && ent_actorlike(f);
			force |= f->actor;
		} else {
			/* (tree_roles gives a noun no place by such words) */
			place |= t < mention && t >= from && (t != first || c->passive) && ev_place_word(x, doc, t);
			pronoun |= ev_in(&x->tab, &doc->toks[t], ev_class(&x->tab, EVC_FORCE_PRONOUNS));
		}
	}
	bool verb = !g->noun && !c->passive;
	/* need=force (needs_unmet): the doer must be an armed force.  An
	 * active verb's doer is the one its words gave (a pronoun or "its
	 * forces" may stand for a force named before: subject), or else a
	 * name of its sentence (the tree's subject, the force it moves,
	 * "X's decision to"); a passive's may come from the report
	 * (doer_of_passive_move, takeover_of_left_place) */
	if ((g->need & NEED_FORCE) && verb && !armed_force(x, r->aa.ent) && !armed_force_named(x, c))
		return true;
	place |= type == EV_ATTACK && force;
	doer |= (g->noun && !no_doer && pronoun && x->last_actor >= 0) || (type == EV_AGREEMENT && verb) ||
		(type == EV_ATTACK && verb && ev_group_doer(x, doc, c) >= 0) ||
		(type == EV_TAKE_CONTROL && c->passive);
	bool other = r->oa.ent >= 0 || (type == EV_AGREEMENT && verb) || (type == EV_ATTACK && force);
	return ((g->need & NEED_PLACE) && !place) || ((g->need & NEED_ACTOR) && !doer) ||
	       ((g->need & NEED_ANY) && !place && !doer && !other);
}

/* Can the reading still meet its trigger's need=armed or need=security,
 * whatever the tree says?  Like ev_roles_out_of_reach, before the parse:
 * the tree can only make doers of the sentence's names (or of the
 * report's last doer, for a pronoun that holds a noun), so where no word
 * of class military stands where ev_armed_context reads it, and no name
 * of the sentence can make the event armed (a force, an agency before a
 * word of class military, a base or airport, a state with a place of
 * another country), no reading of the tree can; an agreement is about
 * security only with a word of class security or a force among its
 * parties, never with a word of class civil by its trigger
 * (ev_security_context), unless its parties were named before
 * (parties_of_agreement). */
bool
ev_context_out_of_reach(const sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g, const frame_ctx *c,
			const roles_t *r)
{
	int type = g->type;
	if (!(g->need & (NEED_ARMED | NEED_SECURITY)) || type == EV_HANDOVER ||
	    (type == EV_TAKE_CONTROL && c->passive) || (x->nev > 0 && x->ev[x->nev - 1].sentence == si) ||
	    armed_force(x, r->aa.ent) || armed_force(x, r->oa.ent) ||
	    (r->aa.ent >= 0 && x->ents[r->aa.ent].actor && !ev_state_kind(x->ents[r->aa.ent].kind)))
		return false;
	/* the words' roles may name what another sentence told ("left the
	 * site": the base named before) */
	const ev_ent *da = r->aa.ent >= 0 ? &x->ents[r->aa.ent] : NULL, *pa = r->pa.ent >= 0 ? &x->ents[r->pa.ent] : NULL;
	bool pronoun = false, force = false, agency = false,
	     site = pa && pa->site && pa->kind && (!strcmp(pa->kind, "base") || !strcmp(pa->kind, "airport")),
	     state = da && (da->country || (da->actor && ev_state_kind(da->kind))), place = false;
	for (uint32_t t = c->s; t < c->e; t++) {
		int32_t e = x->ent_at[t];
		if (e < 0) {
			pronoun |= ev_in(&x->tab, &doc->toks[t], ev_class(&x->tab, EVC_FORCE_PRONOUNS));
			continue;
		}
		const ev_ent *f = &x->ents[e];
		force |= armed_force(x, e);
		agency |= f->actor && !ev_state_kind(f->kind);
		site |= f->site && f->kind && (!strcmp(f->kind, "base") || !strcmp(f->kind, "airport"));
		state |= (f->country || (f->actor && ev_state_kind(f->kind))) && f->country_code && f->country_code[0];
		place |= ent_place(f) && f->country_code && f->country_code[0];
	}
	if (force || (g->noun && pronoun && x->last_actor >= 0))
		return false;
	if (g->need & NEED_SECURITY) {
		int32_t p1, p2;
		if (type == EV_AGREEMENT && !g->noun && !c->passive && ev_two_parties(x, doc, c->s, c->t0, &p1, &p2))
			return false;
		uint32_t from = c->t0 > c->s + 4 ? c->t0 - 4 : c->s, to = c->t1 + 3 < c->e ? c->t1 + 3 : c->e;
		if (ev_class_in(x, doc, EVC_CIVIL, from, to))
			return true;
		if (ev_class_in(x, doc, EVC_SECURITY, c->s, c->e))
			return false;
	}
	if (g->need & NEED_ARMED) {
		if ((type == EV_ATTACK && !g->noun && !c->passive && ev_group_doer(x, doc, c) >= 0) ||
		    (agency && ev_class_in(x, doc, EVC_MILITARY, c->s, c->e)) || site || (state && place) ||
		    ev_class_in(x, doc, EVC_MILITARY, c->s, c->t0))
			return false;
		uint32_t end = c->t1;
		while (end < c->e && !ev_in(&x->tab, &doc->toks[end], "that|which|who|whose"))
			end++;
		if (ev_class_in(x, doc, EVC_MILITARY, c->t1, end))
			return false;
	}
	return true;
}

/* May tree_roles fill a role the words left empty: is there a name of
 * the sentence (or the words of an unknown place) where the tree could
 * find it?  The doer of an active verb is its subject, before it (but
 * for an -ing clause, see doer_anywhere), a passive's is its "by"
 * phrase; the place is where place_anywhere says, for a noun only a
 * name that is the subject of its predicate.  When there is none, the
 * sentence is not parsed for tree_roles. */
bool
ev_tree_roles_may_fill(sr_extractor *x, const sr_doc *doc, uint32_t si, const ev_trigger *g, const frame_ctx *c,
		       const roles_t *r)
{
	bool want_place = r->pa.ent < 0 && (g->noun ? ev_subj_slot(g->place, g->nplace) : place_slot_may_fill(doc, g, c));
	bool want_doer = !g->noun && r->aa.ent < 0 && ev_subj_slot(g->actor, g->nactor);
	if (!want_place && !want_doer)
		return false;
	uint32_t from = !g->noun && !place_anywhere(x, doc, g, c) ? c->t0 + 1 : c->s;
	uint32_t before = !c->passive && !ing_form(&doc->toks[c->t0]) ? c->t0 : c->e;
	uint32_t since = before == c->t0 ? subject_from(x, doc, c) : c->s;
	uint32_t first = c->s;
	while (first < c->e && doc->toks[first].cls != SR_TOK_WORD)
		first++;
	uint32_t words = c->e;  /* the first word of a place no entry holds */
	uint32_t mention = want_place && !g->noun ? mention_end(doc, g, c) : c->s;
	for (uint32_t t = c->s; t < c->e; t++) {
		int32_t e = x->ent_at[t];
		/* (tree_roles keeps no doer that is the words' place, nor a
		 * place that is the words' doer) */
		if (e >= 0 && ((want_place && t >= from && ent_place(&x->ents[e]) && !x->ents[e].demonym &&
				e != r->aa.ent) ||
			       (want_doer && t >= since && t < before && ent_actorlike(&x->ents[e]) && e != r->pa.ent)))
			return true;
		if (e < 0 && words == c->e && t < mention && t >= from && (t != first || c->passive) &&
		    ev_place_word(x, doc, t))
			words = t;
	}
	/* such words give a place only as a proper noun the tree puts in
	 * the place's slot (tree_place_mention): the tags tell which are
	 * none, before the parse */
	for (uint32_t t = words; t < mention; t++)
		if (x->ent_at[t] < 0 && (t != first || c->passive) && ev_place_word(x, doc, t) &&
		    ev_tree_may_be(x, doc, si, t, SR_UPOS_PROPN))
			return true;
	return false;
}

/* tree_light_doer's doer is a name of the sentence under the subject of
 * the light verb (tree_arg: ev_wanted for a doer), or, for a force
 * pronoun there other than "we", the report's last doer; roles_from_tree
 * keeps it only when it is neither the place nor the other party the
 * words gave.  So a sentence with no such name and no such pronoun is
 * not parsed for it: the answer would be -1, or a role already held. */
bool
ev_light_doer_may_be(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r)
{
	for (uint32_t t = c->s; t < c->e; t++) {
		int32_t e = x->ent_at[t];
		if (e >= 0 ? e != r->pa.ent && e != r->oa.ent && ent_actorlike(&x->ents[e]) :
			     x->last_actor >= 0 && x->last_actor != r->pa.ent && x->last_actor != r->oa.ent &&
				     ev_in(&x->tab, &doc->toks[t], ev_class(&x->tab, EVC_FORCE_PRONOUNS)) &&
				     !is(&doc->toks[t], "we"))
			return true;
	}
	return false;
}

