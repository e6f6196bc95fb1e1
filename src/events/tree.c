/*
 * tree.c -- the dependency tree of a sentence for the event rules, parsed
 * on demand (only a sentence that holds a trigger whose arguments the
 * rules did not find is parsed, so extraction stays fast), and the
 * questions the rules ask of it: the word of a token, the subject of a
 * verb (inherited through xcomp and conj: "began pulling out", "left and
 * moved in"), its object or the noun after a given preposition, the
 * words coordinated with a word, and the name that heads a subtree.
 */
#include "extract_int.h"

#include <stdlib.h>
#include <string.h>

void
ev_tree_open(sr_extractor *x)
{
	char err[512];
	const char *path = sr_syntax_default_path();
	FILE *f = path ? fopen(path, "rb") : NULL;
	if (!f)
		return;  /* no model: the rules work without the tree */
	fclose(f);
	x->syn = x->syn_owned = sr_syntax_load(path, err, sizeof err);
	if (x->syn) {
		x->parser = sr_parser_new(x->syn);
		sr_parser_case_lemmas(x->parser, true);   /* the only ones read (ev_tree_child) */
	}
}

void
ev_tree_share(sr_extractor *x, const sr_syntax *m)
{
	x->syn = m;
	x->syn_owned = NULL;
	x->parser = sr_parser_new(m);
	sr_parser_case_lemmas(x->parser, true);   /* the only ones read (ev_tree_child) */
}

void
ev_tree_close(sr_extractor *x)
{
	sr_parser_free(x->parser);
	sr_syntax_free(x->syn_owned);
	free(x->tree_fix);
	x->tree_fix = NULL;
	x->captree_fix = 0;
	x->parser = NULL;
	x->syn = x->syn_owned = NULL;
}

void
ev_tree_doc(sr_extractor *x)
{
	x->tree_si = UINT32_MAX;
	x->tree_parsed = false;
	x->tree_asked = UINT32_MAX;
	x->tree_why = -1;
}

/* Does word w of p have a child of relation rel (its base)? */
static bool
has_child(const sr_parse *p, int w, int rel)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].head == w && sr_deprel_base(p->w[i].deprel) == rel)
			return true;
	return false;
}

/* Is the word a past form that finite_participle may make a finite verb
 * (-ed, or of class irregular_participles)? */
static bool
finite_past(const sr_extractor *x, const sr_token *k)
{
	return (k->len > 3 && !memcmp(k->s + k->len - 2, "ed", 2)) ||
	       ev_in(&x->tab, k, ev_class(&x->tab, EVC_IRREGULAR_PARTICIPLES));
}

/* "Russian troops mounted an attack", "Russian missiles struck Kyiv": the
 * tagger, trained on other genres, reads the finite verb after a plural
 * noun as a participle modifying it, and the sentence is left with a
 * noun for its root and no verb.  A sentence whose root is a noun with
 * no subject and no copula, and whose verb is a past form (-ed, or of
 * class irregular_participles) in an acl of that root (or an amod after
 * it, where English puts no adjective) with no auxiliary
 * and no subject of its own, coming right after the noun's phrase, is
 * read as the clause it is: the verb becomes the root and the noun its
 * subject, and the root's dependents after the verb move to it.  The
 * parse is copied into x->tree_fix first (the parser's words are
 * read-only). */
static void
finite_participle(sr_extractor *x, const sr_doc *doc)
{
	const sr_parse *p = &x->tree;
	int r = -1;
	for (size_t i = 0; i < p->n && r < 0; i++)
		if (p->w[i].head < 0)
			r = (int)i;
	if (r < 0 || (p->w[r].upos != SR_UPOS_NOUN && p->w[r].upos != SR_UPOS_PROPN) ||
	    has_child(p, r, SR_DEP_NSUBJ) || has_child(p, r, SR_DEP_COP))
		return;
	int a = -1;
	for (size_t i = (size_t)r + 1; i < p->n; i++) {
		if (p->w[i].head != r)
			continue;
		/* (an amod after its noun is no adjective English puts there:
		 * "Rebel groups advanced toward the centre") */
		if (p->w[i].deprel == SR_DEP_ACL || p->w[i].deprel == SR_DEP_AMOD)
			a = (int)i;
		break;  /* the verb must be the noun's first dependent after it */
	}
	if (a < 0 || (p->w[a].upos != SR_UPOS_VERB && p->w[a].upos != SR_UPOS_ADJ) || has_child(p, a, SR_DEP_AUX) ||
	    has_child(p, a, SR_DEP_NSUBJ) ||
	    has_child(p, a, SR_DEP_MARK))
		return;
	if (!finite_past(x, &doc->toks[p->w[a].tok]))
		return;
	/* the words between the noun and the verb belong to the noun */
	for (int i = r + 1; i < a; i++) {
		int u = i;
		for (int hops = 0; u >= 0 && u != r && hops < 8; hops++)
			u = p->w[u].head;
		if (u != r)
			return;
	}
	SR_GROW(x->tree_fix, x->captree_fix, p->n);
	memcpy(x->tree_fix, p->w, p->n * sizeof *p->w);
	sr_word *w = x->tree_fix;
	w[a].head = -1;
	w[a].deprel = SR_DEP_ROOT;
	w[a].upos = SR_UPOS_VERB;
	w[r].head = (int16_t)a;
	w[r].deprel = SR_DEP_NSUBJ;
	/* (a noun's relations become a verb's: acl -> advcl, nmod -> obl) */
	for (size_t i = (size_t)a + 1; i < p->n; i++)
		if (w[i].head == r) {
			w[i].head = (int16_t)a;
			if (sr_deprel_base(w[i].deprel) == SR_DEP_ACL)
				w[i].deprel = SR_DEP_ADVCL;
			else if (w[i].deprel == SR_DEP_NMOD)
				w[i].deprel = SR_DEP_OBL;
		}
	x->tree.w = w;
}

/* The record of why[] for the rule by (the last one when they are too
 * many to tell apart). */
static int
why_of(sr_extractor *x, const char *by)
{
	for (int i = 0; i < x->nwhy; i++)
		if (x->why[i].by == by || !strcmp(x->why[i].by, by))
			return i;
	if (x->nwhy == EV_MAX_WHY) {
		x->why[EV_MAX_WHY - 1].by = "(others)";
		return EV_MAX_WHY - 1;
	}
	x->why[x->nwhy].by = by;
	return x->nwhy++;
}

const sr_parse *
ev_tree_parse_by(sr_extractor *x, const sr_doc *doc, uint32_t si, const char *by)
{
	if (!x->parser || si >= doc->nsent)
		return NULL;
	if (x->tree_si != si || !x->tree_parsed) {
		double t0 = x->timing ? ev_cpu_seconds() : 0;
		/* the tags of the sentence may be there already
		 * (ev_tree_may_be): the parse goes on from them */
		int rc = x->tree_si == si ? sr_parser_finish(x->parser, &x->tree) :
			 sr_parse_sentence(x->parser, doc, si, &x->tree);
		if (rc != SR_OK) {
			x->tree_si = UINT32_MAX;
			x->tree_parsed = false;
			return NULL;
		}
		if (x->tree_si == si)
			x->ntagged--;
		x->tree_si = si;
		x->tree_parsed = true;
		finite_participle(x, doc);
		x->nparsed++;
		x->nwords_parsed += x->tree.n;
		if (x->timing) {
			x->stage_s[EV_ST_PARSE] += ev_cpu_seconds() - t0;
			x->tree_why = why_of(x, by);
			x->why[x->tree_why].parsed++;
		}
	}
	return &x->tree;
}

/* The tags of sentence si in x->tree (or its tree, when parsed), and
 * the record that a rule asked for it (tree_mention reads it); false
 * without a model or when the tagger fails. */
static bool
tag_sentence(sr_extractor *x, const sr_doc *doc, uint32_t si)
{
	if (!x->parser || si >= doc->nsent)
		return false;
	x->tree_asked = si;
	if (x->tree_si == si)
		return true;
	double t0 = x->timing ? ev_cpu_seconds() : 0;
	if (sr_parser_tag(x->parser, doc, si, &x->tree) != SR_OK) {
		x->tree_si = UINT32_MAX;
		return false;
	}
	x->tree_si = si;
	x->tree_parsed = false;
	x->ntagged++;
	if (x->timing)
		x->stage_s[EV_ST_PARSE] += ev_cpu_seconds() - t0;
	return true;
}

bool
ev_tree_may_be(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t, int upos)
{
	if (!tag_sentence(x, doc, si))
		return false;
	if (x->tree_parsed)
		return true;
	const sr_parse *p = &x->tree;
	int w = ev_tree_word(p, t);
	if (w < 0)
		return false;
	/* a proper noun: any word of the token (tree_place_mention reads the
	 * word the tree makes a phrase's head) */
	for (size_t i = (size_t)w; upos == SR_UPOS_PROPN && i < p->n && p->w[i].tok == t; i++)
		if (p->w[i].upos == SR_UPOS_PROPN)
			return true;
	int u = p->w[w].upos;
	/* (an adjective becomes a verb only in finite_participle: a past
	 * form after the noun that roots the sentence, so never its first
	 * word) */
	return u == upos || (upos == SR_UPOS_VERB && (u == SR_UPOS_AUX || (u == SR_UPOS_ADJ && w > 0 &&
									     finite_past(x, &doc->toks[t]))));
}

bool
ev_tree_verb_of_class(sr_extractor *x, const sr_doc *doc, uint32_t si, const char *cls)
{
	if (si >= doc->nsent)
		return false;
	const sr_sentence *s = &doc->sents[si];
	for (uint32_t t = s->tok; t < s->tok + s->ntok; t++) {
		if (!ev_in(&x->tab, &doc->toks[t], cls))
			continue;
		if (!tag_sentence(x, doc, si))
			return false;
		if (x->tree_parsed)
			return true;
		const sr_parse *p = &x->tree;
		int w = ev_tree_word(p, t);
		/* any word of the token: the rules read the word the tree
		 * makes the verb, which need not be its first */
		for (size_t i = w < 0 ? p->n : (size_t)w; i < p->n && p->w[i].tok == t; i++) {
			int u = p->w[i].upos;
			if (u == SR_UPOS_VERB || u == SR_UPOS_AUX ||
			    (u == SR_UPOS_ADJ && i > 0 && finite_past(x, &doc->toks[t])))
				return true;
		}
	}
	return false;
}

int
ev_tree_word(const sr_parse *p, uint32_t tok)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->w[i].tok == tok)
			return (int)i;
	return -1;
}

/* Is the relation one that opens a clause of its own (whose words are
 * not part of the phrase above it)? */
static bool
clause_rel(int d)
{
	int b = sr_deprel_base(d);
	return b == SR_DEP_ACL || b == SR_DEP_ADVCL || b == SR_DEP_CCOMP || b == SR_DEP_CONJ ||
	       b == SR_DEP_PARATAXIS || b == SR_DEP_XCOMP || b == SR_DEP_CSUBJ || b == SR_DEP_PUNCT ||
	       b == SR_DEP_LIST || b == SR_DEP_DEP;
}

int
ev_tree_child(const sr_parse *p, int w, int deprel, const char *prep)
{
	for (size_t i = 0; i < p->n; i++) {
		if (p->w[i].head != w)
			continue;
		if (deprel != SR_DEP_NONE && p->w[i].deprel != deprel &&
		    sr_deprel_base(p->w[i].deprel) != deprel)
			continue;
		/* a case word asked for by its own form ("does u have the case
		 * word 'with'?") */
		if (prep && deprel == SR_DEP_CASE) {
			if (!sr_eq_ci(p->w[i].form, p->w[i].flen, prep))
				continue;
			return (int)i;
		}
		if (prep) {
			/* the case word of the dependent: "from", "out of" */
			bool ok = false;
			for (size_t c = 0; c < p->n && !ok; c++)
				if (p->w[c].head == (int)i && sr_deprel_base(p->w[c].deprel) == SR_DEP_CASE &&
				    p->w[c].lemma[0] && sr_eq_ci(p->w[c].form, p->w[c].flen, prep))
					ok = true;
			if (!ok)
				continue;
		}
		return (int)i;
	}
	return -1;
}

int
ev_tree_subject(const sr_parse *p, int w, bool passive)
{
	for (int hops = 0; w >= 0 && hops < 4; hops++) {
		int s = passive ? ev_tree_child(p, w, SR_DEP_OBL_AGENT, NULL) : ev_tree_child(p, w, SR_DEP_NSUBJ, NULL);
		/* a passive subject is the doer only of a verb it raises ("the
		 * rebels were reported to have taken") */
		if (s >= 0 && !(!passive && hops == 0 && p->w[s].deprel == SR_DEP_NSUBJ_PASS))
			return s;
		/* "began pulling out", "left and moved in": the subject of the
		 * verb this one completes or is coordinated with */
		int b = sr_deprel_base(p->w[w].deprel);
		/* "... by launching massive strikes", "after capturing the
		 * town": a clause of an -ing verb has the subject of the verb
		 * it modifies */
		bool nonfinite = b == SR_DEP_ADVCL && p->w[w].upos == SR_UPOS_VERB && p->w[w].flen > 4 &&
				 !memcmp(p->w[w].form + p->w[w].flen - 3, "ing", 3) && p->w[w].head >= 0 &&
				 p->w[p->w[w].head].upos == SR_UPOS_VERB;
		if (b != SR_DEP_XCOMP && b != SR_DEP_CONJ && !nonfinite)
			return -1;
		w = p->w[w].head;
		passive = false;
	}
	return -1;
}

int
ev_tree_conj(const sr_parse *p, int w, int *out, int max)
{
	int n = 0;
	for (size_t i = 0; i < p->n && n < max; i++)
		if (p->w[i].head == w && sr_deprel_base(p->w[i].deprel) == SR_DEP_CONJ)
			out[n++] = (int)i;
	return n;
}

int32_t
ev_tree_ent(const sr_extractor *x, const sr_parse *p, int w, bool (*ok)(const ev_ent *, int), int want)
{
	if (w < 0)
		return -1;
	int32_t best = -1;
	int bestdepth = 99;
	for (size_t i = 0; i < p->n; i++) {
		/* the depth of word i below w, through phrase relations only */
		int d = 0, u = (int)i;
		while (u >= 0 && u != w && d < 6) {
			if (clause_rel(p->w[u].deprel))
				break;
			/* a doer is no name in a modifier of place or time ("a
			 * drone attack in Syria killed"); "units of the Sever
			 * group", "Russia's forces" are */
			if (want == 0 && p->w[u].deprel == SR_DEP_NMOD && ev_tree_child(p, u, SR_DEP_CASE, "of") < 0)
				break;
			/* a place: "the villages of X", "a base in X", not "villages
			 * on the border with Armenia" */
			if (want != 0 && p->w[u].deprel == SR_DEP_NMOD && (ev_tree_child(p, u, SR_DEP_CASE, "with") >= 0 ||
			    ev_tree_child(p, u, SR_DEP_CASE, "on") >= 0))
				break;
			u = p->w[u].head;
			d++;
		}
		if (u != w)
			continue;
		int32_t e = x->ent_at[p->w[i].tok];
		if (e < 0 || !ok(&x->ents[e], want))
			continue;
		if (d < bestdepth) {
			best = e;
			bestdepth = d;
		}
	}
	return best;
}
