/*
 * recall.c -- constructions of attacks and agreements that the frames of
 * data/triggers.tsv cannot state alone (issue 14, recall where it was
 * weakest).
 *
 * - "Sevastopol came under Ukrainian missile attacks", "troops came under
 *   fire from artillery": a nominal attack governed by "under" after a
 *   verb of the trigger's cue column (need=under) turns the roles round:
 *   the subject is the target, the doer the noun's modifier or its
 *   "from" phrase.
 * - "pushing Ukrainian forces out of the region": an attack that names
 *   no place takes the one a definite area noun of its clause refers to
 *   (refer.c).
 * - "the two NATO members have yet to agree", "the parties agreed": an
 *   agreement whose parties are named by a number or a plural noun of
 *   parties takes the last two distinct states or forces named before.
 *
 * Each is a small named test or search over the sentence's words and the
 * report's names; the vocabulary is in data/ (the trigger rows, classes).
 */
#include "extract_int.h"

/* Is the nominal trigger of c governed by "under" after one of the words
 * of g's cue column ("came under heavy Russian attack", "were under
 * fire")?  Between "under" and the noun only modifiers stand: numbers,
 * adjectives, demonyms and weapon words. */
bool
ev_under_attack(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g)
{
	const sr_token *k = doc->toks;
	uint32_t j = c->t0;
	for (int n = 0; j > c->s && n < 5; n++) {
		const sr_token *b = &k[j - 1];
		if (is(b, "under"))
			break;
		if (b->cls == SR_TOK_NUMBER || (x->ent_at[j - 1] >= 0 && x->ents[x->ent_at[j - 1]].demonym) ||
		    (b->cls == SR_TOK_WORD && ev_filler(&x->tab, b) && !ev_tok_in(b, "the|this|that|its|their"))) {
			j--;
			continue;
		}
		return false;
	}
	if (j <= c->s + 1 || !is(&k[j - 1], "under"))
		return false;
	/* the verb, across an adverb ("came repeatedly under fire") */
	uint32_t v = j - 1;
	if (v > c->s + 1 && k[v - 1].len > 4 && !memcmp(k[v - 1].s + k[v - 1].len - 2, "ly", 2))
		v--;
	for (int q = 0; q < g->ncues; q++)
		if (sr_eq_ci(k[v - 1].s, k[v - 1].len, g->cues[q]))
			return true;
	return false;
}

/* A place for an attack that names none: "the region", "the town" of the
 * clause after the trigger, as refer.c resolves it; -1 if none. */
int32_t
ev_attack_area(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	const sr_token *k = doc->toks;
	for (uint32_t i = c->t1; i + 1 < c->right; i++) {
		if (!is(&k[i], "the"))
			continue;
		int32_t e = ev_refer_area(x, i, &k[i + 1]);
		if (e >= 0)
			return e;
	}
	return -1;
}

/* "the two NATO members", "both countries", "the parties" at tokens
 * ending before t: the two last distinct states, governments or forces
 * named before the phrase (*first the earlier, *second the later);
 * false when the words before t are no such phrase or two such names
 * are not found.  The nouns are class party_nouns of data/classes.tsv. */
bool
ev_two_parties(const sr_extractor *x, const sr_doc *doc, uint32_t s, uint32_t t, int32_t *first, int32_t *second)
{
	const sr_token *k = doc->toks;
	/* the noun, right before t (across a verb group's auxiliaries) */
	uint32_t n = t;
	while (n > s && ev_tok_in(&k[n - 1], "have|has|had|will|would|also|then|later|now|finally|jointly|yet|to|not|never"))
		n--;
	if (n <= s + 1 || !ev_in(&x->tab, &k[n - 1], ev_class(&x->tab, EVC_PARTY_NOUNS)))
		return false;
	/* "the two NATO members", "both sides", "the parties": a determiner
	 * or a number, with at most one name or modifier between */
	uint32_t d = n - 1;
	bool counted = false;
	for (int q = 0; d > s && q < 3; q++) {
		const sr_token *b = &k[d - 1];
		if (ev_tok_in(b, "two|both")) {
			counted = true;
			d--;
			break;
		}
		if (is(b, "the")) {
			d--;
			break;
		}
		if (x->ent_at[d - 1] >= 0 || (b->cls == SR_TOK_WORD && ev_filler(&x->tab, b)))
			d--;
		else
			return false;
	}
	if (!counted && !(d < n - 1 && is(&k[d], "the") && ev_tok_in(&k[n - 1], "parties|sides")))
		return false;
	int32_t found[2] = {-1, -1};
	int nf = 0;
	for (uint32_t j = d; j > 0 && nf < 2 && d - j < 400; j--) {
		int32_t e = x->ent_at[j - 1];
		if (e < 0)
			continue;
		const ev_ent *f = &x->ents[e];
		j = f->tok + 1;
		if ((x->doc_toks[f->tok].flags & SR_TF_DATELINE) || !ent_actorlike(f) ||
		    (f->actor && !ev_state_kind(f->kind) && f->actor_rank != 2))
			continue;
		if (nf == 1 && (same_doer(&x->ents[found[0]], f) ||
				(f->country_code && x->ents[found[0]].country_code &&
				 !strcmp(f->country_code, x->ents[found[0]].country_code))))
			continue;
		found[nf++] = e;
	}
	if (nf < 2)
		return false;
	*first = found[1];
	*second = found[0];
	return true;
}

/* "agreed to withdraw", "agreed to continue using the base", "would
 * agree to a police presence": an agreement verb followed by "to" is the
 * modal of what follows, no agreement of its own, unless what follows is
 * a pact: "agreed to a ceasefire", "agrees to the Defense Cooperation
 * Agreement" (a noun of class pact, or ceasefire, truce, armistice, within
 * the noun phrase after "to"). */
bool
ev_agree_to_verb(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	const sr_token *k = doc->toks;
	if (c->t1 >= c->e || !is(&k[c->t1], "to"))
		return false;
	for (uint32_t i = c->t1 + 1; i < c->e && i < c->t1 + 7; i++) {
		if (k[i].cls == SR_TOK_PUNCT || (i > c->t1 + 1 && ev_tok_in(&k[i], PREPS)))
			break;
		if (ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_PACT)) ||
		    ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_CEASEFIRE_NOUNS)))
			return false;
	}
	return true;
}

/* "Israel and Hamas agreed", "Russia and Ukraine signed": the party
 * coordinated right before the doer e of an agreement verb (a state,
 * government or force), or -1.  The earlier one is the doer, e the other
 * party. */
int32_t
ev_coordinated_party(const sr_extractor *x, const sr_doc *doc, uint32_t s, int32_t e)
{
	const sr_token *k = doc->toks;
	uint32_t j = x->ents[e].tok;
	if (j > s && is(&k[j - 1], "the"))
		j--;
	if (j < s + 2 || !is(&k[j - 1], "and"))
		return -1;
	int32_t f = x->ent_at[j - 2];
	if (f < 0 || f == e || !ent_actorlike(&x->ents[f]) || same_doer(&x->ents[f], &x->ents[e]))
		return -1;
	/* "the military of Sudan and the RSF": the name must stand alone,
	 * not as the object of a preposition */
	uint32_t b = x->ents[f].tok;
	if (b > s && is(&k[b - 1], "the"))
		b--;
	if (b > s && ev_tok_in(&k[b - 1], PREPS))
		return -1;
	return f;
}

/* The country the report is about (its main country, else the one most
 * named) as the place of an attack by the state or state force a that
 * names none, when it is another state's; -1 otherwise. */
int32_t
ev_attack_country(const sr_extractor *x, int32_t a)
{
	const ev_ent *d = &x->ents[a];
	if (!d->country && !(d->actor && ev_state_kind(d->kind)))
		return -1;
	int32_t mc = x->main_country;
	if (mc < 0 || same_doer(d, &x->ents[mc]))
		mc = x->top_country;
	if (mc < 0 || mc == a || same_doer(d, &x->ents[mc]))
		return -1;
	const char *cc = x->ents[mc].country_code;
	if (!cc || !cc[0] || !d->country_code || !d->country_code[0] || !strcmp(cc, d->country_code))
		return -1;
	return mc;
}

/* "targeted nearly 30 Houthi locations", "strikes against IS positions",
 * "shelled positions of the PKK": an attack whose object (or "on",
 * "against", "at" phrase) right after the trigger is a noun of class
 * target_nouns owned by a named force: the target is that phrase (the
 * place, by its words) and the force the other party.  Fills r when it
 * has neither place nor place words. */
void
ev_attack_target(sr_extractor *x, const sr_doc *doc, const frame_ctx *c, roles_t *r)
{
	if (r->place >= 0 || r->pmention)
		return;
	const sr_token *k = doc->toks;
	uint32_t i = c->t1;
	if (i < c->right && ev_tok_in(&k[i], "on|against|at"))
		i++;
	uint32_t from = i;
	int32_t owner = -1;
	uint32_t otok = 0;
	for (int n = 0; i < c->right && n < 6; n++, i++) {
		int32_t e = x->ent_at[i];
		if (e >= 0) {
			const ev_ent *f = &x->ents[e];
			if (!f->actor || owner >= 0)
				return;
			owner = e;
			otok = f->tok;
			i = f->tok + f->ntok - 1;
			continue;
		}
		if (ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_TARGET_NOUNS)))
			break;
		/* "just under 30", "more than a dozen": a count */
		if (k[i].cls != SR_TOK_NUMBER && !(k[i].cls == SR_TOK_WORD && ev_filler(&x->tab, &k[i])) &&
		    !ev_tok_in(&k[i], "under|over|than|about|around|up|to"))
			return;
	}
	if (i >= c->right || !ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_TARGET_NOUNS)))
		return;
	uint32_t end = i + 1;
	/* "positions of the PKK" */
	if (owner < 0 && end + 1 < c->right && is(&k[end], "of")) {
		uint32_t j = end + 1;
		if (j < c->right && is(&k[j], "the"))
			j++;
		int32_t e = j < c->right ? x->ent_at[j] : -1;
		if (e >= 0 && x->ents[e].actor && x->ents[e].tok == j) {
			owner = e;
			end = j + x->ents[e].ntok;
		}
	}
	if (owner < 0 || owner == r->actor)
		return;
	uint32_t start = otok < i ? otok : from;
	r->pmention = ev_arena_text(x, doc, start, end - start);
	r->pa.ent = -1;
	if (r->other < 0) {
		r->other = owner;
		r->oa.ent = -1;
	}
}

/* "a sniper targeting American personnel killed two soldiers": is the
 * name e, found before a verb trigger, in the object or oblique of a
 * reduced clause (a participle the tree makes an acl of a noun) that
 * stands between it and the trigger?  Then it is what that clause acts
 * on, not the trigger's doer (the noun the clause modifies is). */
bool
ev_doer_in_reduced_clause(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e)
{
	if (e < 0 || x->ents[e].tok >= c->t0 || x->ents[e].tok < c->s)
		return false;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return false;
	int v = ev_tree_word(p, c->t0);
	int w = ev_tree_word(p, x->ents[e].tok + x->ents[e].ntok - 1);
	while (w >= 0 && p->w[w].head >= 0 && x->ent_at[p->w[p->w[w].head].tok] == e)
		w = p->w[w].head;
	if (w < 0 || v < 0)
		return false;
	for (int hops = 0; w >= 0 && hops < 6 && w != v; hops++) {
		int h = p->w[w].head, b = sr_deprel_base(p->w[w].deprel);
		if (h < 0)
			return false;
		if ((b == SR_DEP_OBJ || b == SR_DEP_OBL) && h != v && p->w[h].upos == SR_UPOS_VERB &&
		    p->w[h].deprel == SR_DEP_ACL && p->w[h].tok < c->t0)
			return true;
		w = h;
	}
	return false;
}

/* "The parties agreed and signed the document": an agreement whose
 * parties are named in the sentences before is about what those
 * sentences are about; is a word of class security in one of the two
 * sentences before si? */
bool
ev_security_before(const sr_extractor *x, const sr_doc *doc, uint32_t si)
{
	const char *list = ev_class(&x->tab, EVC_SECURITY);
	for (uint32_t s = si; s > 0 && si - s < 2; s--) {
		const sr_sentence *st = &doc->sents[s - 1];
		for (uint32_t i = st->tok; i < st->tok + st->ntok; i++)
			if (doc->toks[i].cls == SR_TOK_WORD && ev_in(&x->tab, &doc->toks[i], list))
				return true;
	}
	return false;
}

/* "The group fired rockets", "the group had attacked": "the group" (or
 * "the movement", "the organisation") as the subject right before a verb
 * trigger is the armed group named last before it, within the window of
 * names a reference looks back; -1 if none or no such subject. */
int32_t
ev_group_doer(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	const sr_token *k = doc->toks;
	uint32_t j = c->t0;
	while (j > c->s && ev_tok_in(&k[j - 1], "has|have|had|was|were|is|are|will|would|also|then|later|"
						"reportedly|allegedly|again|twice|repeatedly"))
		j--;
	if (j < c->s + 2 || !ev_in(&x->tab, &k[j - 1], ev_class(&x->tab, EVC_GROUP_DOER_NOUNS)) ||
	    !is(&k[j - 2], "the"))
		return -1;
	for (uint32_t i = j - 2, n = 0; i > 0 && n < EV_REF_WINDOW; i--) {
		int32_t e = x->ent_at[i - 1];
		if (e < 0)
			continue;
		n++;
		const ev_ent *f = &x->ents[e];
		i = f->tok + 1;
		if (f->actor && f->kind && !strcmp(f->kind, "armed_group"))
			return e;
	}
	return -1;
}

/* Is word w of the tree a phrase "amid" opens? */
static bool
amid_phrase(const sr_extractor *x, const sr_doc *doc, const sr_parse *p, int w)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].head == w && sr_deprel_base(p->w[i].deprel) == SR_DEP_CASE)
			return ev_in(&x->tab, &doc->toks[p->w[i].tok], "amid");
	return false;
}

/* "Syrian forces captured large areas, amid deadly clashes with the
 * SDF": a nominal attack with a "with" party and no doer of its own,
 * that the tree hangs on a verb as an oblique or a modifier, is fought
 * by that verb's subject; -1 when the tree does not tell. */
int32_t
ev_governing_doer(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	if (c->t1 >= c->e || !is(&doc->toks[c->t1], "with"))
		return -1;
	/* the doer is a name that may be one before the trigger: with none
	 * there, the sentence is not parsed to ask */
	bool named = false;
	for (uint32_t t = c->s; t < c->t0 && !named; t++)
		named = x->ent_at[t] >= 0 && ent_actorlike(&x->ents[x->ent_at[t]]);
	if (!named)
		return -1;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return -1;
	int w = ev_tree_word(p, c->t1 - 1);
	if (w < 0)
		return -1;
	int b = sr_deprel_base(p->w[w].deprel), h = p->w[w].head;
	/* "captured two villages near Raqqa amid clashes": the parser may
	 * hang the amid-phrase on the verb's object, but "amid" tells the
	 * circumstances of an act, not of a thing */
	if (b == SR_DEP_NMOD && h >= 0 && p->w[h].head >= 0 && amid_phrase(x, doc, p, w) &&
	    (sr_deprel_base(p->w[h].deprel) == SR_DEP_OBJ || sr_deprel_base(p->w[h].deprel) == SR_DEP_OBL)) {
		b = SR_DEP_OBL;
		h = p->w[h].head;
	}
	if ((b != SR_DEP_OBL && b != SR_DEP_NMOD && b != SR_DEP_ADVCL) || h < 0 || p->w[h].upos != SR_UPOS_VERB)
		return -1;
	int s = ev_tree_subject(p, h, false);
	if (s < 0 || p->w[s].deprel == SR_DEP_NSUBJ_PASS)
		return -1;
	int32_t e = x->ent_at[p->w[s].tok];
	/* the name of the subject's phrase: "Syrian government forces" */
	for (size_t i = 0; e < 0 && i < p->n; i++)
		if (p->w[i].head == s && x->ent_at[p->w[i].tok] >= 0 &&
		    sr_deprel_base(p->w[i].deprel) != SR_DEP_NMOD && sr_deprel_base(p->w[i].deprel) != SR_DEP_ACL)
			e = x->ent_at[p->w[i].tok];
	if (e < 0 || !ent_actorlike(&x->ents[e]) || x->ents[e].tok >= c->t0)
		return -1;
	return e;
}
