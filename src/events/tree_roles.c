/*
 * tree_roles.c -- the roles the dependency tree gives where the words
 * near a trigger did not tell (roles.c finds those): the subject, the
 * object or the phrase of a preposition of a verb trigger, the doer of
 * a light verb, the places an area noun lists, a doer known only by its
 * words, the names coordinated with a role's name, and the side a place
 * was taken from.  Split from roles.c, which had grown past STYLE's
 * 1,500 lines; the code is the same.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>

static bool
wanted_cb(const ev_ent *e, int want)
{
	return ev_wanted(e, want);
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
	/* (a verb trigger the tree makes no verb gets nothing: the tags
	 * tell before the parse) */
	if (!g->noun && !ev_tree_may_be(x, doc, si, c->t0, SR_UPOS_VERB))
		return;
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
	if (r->pa.ent < 0 || r->pmention || g->noun || !ev_tree_may_be(x, doc, si, c->t0, SR_UPOS_VERB))
		return false;
	/* the words of the places are those of a proper noun no lexicon
	 * entry holds (tree_place_mention: its word tagged PROPN, which the
	 * tree keeps), before the name the words found when that is in the
	 * sentence: without one, the sentence is not parsed to look */
	uint32_t before = x->ents[r->pa.ent].tok >= c->s ? x->ents[r->pa.ent].tok : c->e;
	bool words = false;
	for (uint32_t t = c->s; t < before && !words; t++)
		words = ev_place_word(x, doc, t) && ev_tree_may_be(x, doc, si, t, SR_UPOS_PROPN);
	if (!words)
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
 * this trigger (or a trigger before it) is read.  Returns arena text or NULL. */
const char *
tree_mention(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
{
	/* (or one a rule asked for and did not parse as the tags told it
	 * the tree would not answer: ev_tree_may_be) */
	if ((x->tree_si != si || !x->tree_parsed) && x->tree_asked != si)
		return NULL;
	const sr_parse *p = ev_tree_parse(x, doc, si);
	if (!p)
		return NULL;
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
		if (in >= 0 && (x->ents[in].actor || !ev_wider_or_same(&x->ents[in], &x->ents[e]) ||
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
