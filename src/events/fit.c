/*
 * fit.c -- do an event's arguments fit its type (frames.c asks)?
 *
 * A trigger word alone states no event.  data/arguments.tsv says, for
 * each event type, what its doer may be and what the verb may act on:
 * "seized drugs" and "taken into custody" take no place, "relocated
 * their families" moves no force, "repatriating refugees" moves no
 * detainees.  The tests are the recognizer's kind of a name, its being a
 * place, and the word class (data/classes.tsv) of the argument's head
 * noun in the sentence's dependency tree.  And "attacks" with no doer
 * tells a series, not one event ("a string of attacks").
 */
#include "extract_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool
ev_plural(const sr_token *k)
{
	if (k->cls != SR_TOK_WORD || k->len < 4 || (k->s[k->len - 1] != 's' && k->s[k->len - 1] != 'S'))
		return false;
	/* "ss" (press), "us" (status), "is" (crisis) end no plural */
	char c = (char)(k->s[k->len - 2] | 0x20);
	return c != 's' && c != 'u' && c != 'i';
}

static const char *const role_names[EV_NROLES] = {"actor", "theme", "mover", "goal", "agent"};

static void
free_tests(ev_argtest *a, int n)
{
	for (int i = 0; i < n; i++)
		free(a[i].kind);
	free(a);
}

void
ev_tables_free_args(ev_tables *t)
{
	for (size_t i = 0; i < t->nargs; i++) {
		free_tests(t->args[i].fits, t->args[i].nfits);
		free_tests(t->args[i].fails, t->args[i].nfails);
	}
	free(t->args);
	t->args = NULL;
	t->nargs = t->capargs = 0;
}

/* Reads a '|'-separated list of tests ("place|kind:police|class:civilians",
 * "-" for none) into *out; on an unknown test writes what into err. */
static bool
parse_tests(const char *s, ev_argtest **out, int *n, char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	if (!strcmp(s, "-"))
		return true;
	size_t cap = 0;
	while (*s) {
		size_t len = strcspn(s, "|");
		char w[64];
		if (len == 0 || len >= sizeof w) {
			snprintf(err, errlen, "an empty or overlong test in '%s'", s);
			return false;
		}
		memcpy(w, s, len);
		w[len] = 0;
		ev_argtest a = {0};
		if (!strcmp(w, "place")) {
			a.what = EV_ARG_PLACE;
		} else if (!strcmp(w, "actor")) {
			a.what = EV_ARG_ACTOR;
		} else if (!strncmp(w, "kind:", 5) && w[5]) {
			a.what = EV_ARG_KIND;
			a.kind = sr_strdup(w + 5);
		} else if (!strncmp(w, "class:", 6)) {
			a.what = EV_ARG_CLASS;
			a.cls = -1;
			for (int c = 0; c < EVC_NCLASSES; c++)
				if (ev_class_names[c] && !strcmp(w + 6, ev_class_names[c]))
					a.cls = c;
			if (a.cls < 0) {
				snprintf(err, errlen, "unknown word class '%s' (see data/classes.tsv)", w + 6);
				return false;
			}
		} else {
			snprintf(err, errlen, "unknown test '%s' (known: place, actor, kind:KIND, class:CLASS, or -)", w);
			return false;
		}
		SR_GROW(*out, cap, (size_t)*n + 1);
		(*out)[(*n)++] = a;
		s += len + (s[len] == '|');
	}
	return true;
}

int
ev_tables_load_args(ev_tables *t, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		return SR_ERR_DATA;
	}
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, st = SR_OK;
	while (getline(&line, &cap, f) > 0) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#' || !strncmp(line, "type\t", 5))
			continue;
		char *fl[6];
		int nf = ev_split_tabs(line, fl, 6);
		if (nf != 4) {
			snprintf(err, errlen, "%s:%d: expected 4 tab-separated columns (type, role, fits, "
				 "fails), found %d", path, ln, nf);
			st = SR_ERR_DATA;
			break;
		}
		int type = ev_type_of(fl[0]), role = -1;
		for (int i = 0; i < EV_NROLES; i++)
			if (!strcmp(fl[1], role_names[i]))
				role = i;
		if (type < 0 || role < 0) {
			snprintf(err, errlen, "%s:%d: unknown %s '%s' (roles: actor, theme, mover, goal, agent)", path, ln,
				 type < 0 ? "event type" : "role", type < 0 ? fl[0] : fl[1]);
			st = SR_ERR_DATA;
			break;
		}
		ev_argrule r = {.type = (uint8_t)type, .role = (uint8_t)role, .line = ln};
		char why[160];
		if (!parse_tests(fl[2], &r.fits, &r.nfits, why, sizeof why) ||
		    !parse_tests(fl[3], &r.fails, &r.nfails, why, sizeof why)) {
			free_tests(r.fits, r.nfits);
			free_tests(r.fails, r.nfails);
			snprintf(err, errlen, "%s:%d: %s", path, ln, why);
			st = SR_ERR_DATA;
			break;
		}
		SR_GROW(t->args, t->capargs, t->nargs + 1);
		t->args[t->nargs++] = r;
	}
	free(line);
	fclose(f);
	return st;
}

/* Is word i of the parse, or the noun of its "of" phrase ("hundreds of
 * residents", "a number of villages"), or with mods one of its noun or
 * adjective modifiers, of word class cls? */
static bool
head_in(const sr_extractor *x, const sr_doc *doc, const sr_parse *p, int i, int cls, bool mods)
{
	const char *list = ev_class(&x->tab, (enum ev_class)cls);
	if (ev_in(&x->tab, &doc->toks[p->w[i].tok], list))
		return true;
	/* a doer's modifiers tell what it is too: "the armed rebel groups" */
	for (size_t j = 0; mods && j < p->n; j++)
		if (p->w[j].head == i && (p->w[j].deprel == SR_DEP_COMPOUND || p->w[j].deprel == SR_DEP_AMOD) &&
		    ev_in(&x->tab, &doc->toks[p->w[j].tok], list))
			return true;
	/* across counts: "hundreds of thousands of people" */
	for (int o = ev_tree_child(p, i, SR_DEP_NMOD, "of"), n = 0; o >= 0 && n < 3;
	     o = ev_tree_child(p, o, SR_DEP_NMOD, "of"), n++)
		if (ev_in(&x->tab, &doc->toks[p->w[o].tok], list))
			return true;
	return false;
}

static bool
actor_cb(const ev_ent *e, int want)
{
	(void)want;
	return ent_actorlike(e);
}

/* Does argument word i (of the parse; -1: the actor entity a) pass test? */
static bool
passes(const sr_extractor *x, const sr_doc *doc, const sr_parse *p, int i, const roles_t *r, int role,
       const ev_argtest *test)
{
	int32_t a = r->actor;
	switch (test->what) {
	case EV_ARG_PLACE:
		if (i < 0)
			return a >= 0 && !x->ents[a].actor;
		/* a name at the head, down its "of" phrases ("the city of
		 * Kherson") or among its compounds ("Paletwa Town") */
		for (int o = i, n = 0; o >= 0 && n < 3; o = ev_tree_child(p, o, SR_DEP_NMOD, "of"), n++) {
			int32_t e = x->ent_at[p->w[o].tok];
			if (e >= 0 && !x->ents[e].actor)
				return true;
			for (size_t j = 0; j < p->n; j++)
				if (p->w[j].head == o && (p->w[j].deprel == SR_DEP_COMPOUND || p->w[j].deprel == SR_DEP_FLAT) &&
				    (e = x->ent_at[p->w[j].tok]) >= 0 && !x->ents[e].actor)
					return true;
		}
		/* a place the lexicon does not know, that the event takes as
		 * its place ("Bunyakiri was handed to ...") */
		return r->pmention && p->w[i].upos == SR_UPOS_PROPN &&
		       memmem(r->pmention, strlen(r->pmention), p->w[i].form, p->w[i].flen) != NULL;
	case EV_ARG_ACTOR:
		if (i < 0)
			return a >= 0;
		return ev_tree_ent(x, p, i, actor_cb, 0) >= 0;
	case EV_ARG_KIND:
		if (i < 0)
			return a >= 0 && x->ents[a].kind && !strcmp(x->ents[a].kind, test->kind);
		{
			int32_t e = x->ent_at[p->w[i].tok];
			return e >= 0 && x->ents[e].kind && !strcmp(x->ents[e].kind, test->kind);
		}
	default:
		if (i >= 0)
			return head_in(x, doc, p, i, test->cls, role == EV_ROLE_AGENT);
		/* the doer's head noun: the last word of its mention ("Lebanon
		 * Police") */
		return a >= 0 && x->ents[a].ntok > 0 &&
		       ev_in(&x->tab, &doc->toks[x->ents[a].tok + x->ents[a].ntok - 1],
			     ev_class(&x->tab, (enum ev_class)test->cls));
	}
}

/* The word the role names in the parse, or -1: the theme of verb w is
 * its object (the passive's subject), of a noun its "of" phrase; the
 * mover is the theme, else the subject of a verb with no object. */
static int
nearest_child(const sr_extractor *x, const sr_parse *p, int w, int deprel)
{
	int best = -1;
	for (size_t i = 0; i < p->n; i++) {
		/* "Twenty years after ..., Bunyakiri has been handed": a time
		 * is no argument */
		if (p->w[i].head != w || p->w[i].deprel != deprel || x->skip[p->w[i].tok])
			continue;
		if (best < 0 || abs((int)i - w) < abs(best - w))
			best = (int)i;
	}
	return best;
}

static int
role_word(const sr_extractor *x, const sr_doc *doc, const sr_parse *p, int w, const frame_ctx *c, int role)
{
	int o = -1;
	if (role == EV_ROLE_GOAL) {
		/* "taken into custody", "moved into the town" */
		o = ev_tree_child(p, w, SR_DEP_OBL, "into");
	} else if (role == EV_ROLE_AGENT) {
		/* the tree's doer: the subject (obl:agent in the passive), or
		 * the noun an -ing clause modifies ("a drone entering the
		 * base") */
		if (c->noun)
			return -1;
		o = nearest_child(x, p, w, c->passive ? SR_DEP_OBL_AGENT : SR_DEP_NSUBJ);
		if (o < 0 && !c->passive && sr_deprel_base(p->w[w].deprel) == SR_DEP_ACL && p->w[w].head >= 0 &&
		    p->w[w].flen > 4 && !memcmp(p->w[w].form + p->w[w].flen - 3, "ing", 3))
			o = p->w[w].head;
		if (o >= 0 && p->w[o].deprel == SR_DEP_NSUBJ_PASS)
			o = -1;
	} else if (c->noun) {
		/* "the evacuation of residents" */
		o = ev_tree_child(p, w, SR_DEP_NMOD, "of");
	} else {
		o = nearest_child(x, p, w, c->passive ? SR_DEP_NSUBJ_PASS : SR_DEP_OBJ);
		if (o < 0 && role == EV_ROLE_MOVER && !c->passive)
			o = nearest_child(x, p, w, SR_DEP_NSUBJ);
		/* a reduced clause: "the base, vacated by U.S. forces", "the
		 * prisoners and their families relocated to other areas": the
		 * noun it modifies */
		if (o < 0 && p->w[w].deprel == SR_DEP_ACL && p->w[w].head >= 0 &&
		    p->w[w].upos == SR_UPOS_VERB && p->w[w].flen > 2 &&
		    !memcmp(p->w[w].form + p->w[w].flen - 2, "ed", 2))
			o = p->w[w].head;
	}
	/* "captured the city hours later", parsed as one phrase: the noun
	 * before the time word */
	if (o >= 0 && ev_in(&x->tab, &doc->toks[p->w[o].tok], ev_class(&x->tab, EVC_TIME_NOUNS))) {
		int n = -1;
		for (size_t j = 0; j < p->n; j++)
			if (p->w[j].head == o && p->w[j].deprel == SR_DEP_COMPOUND)
				n = (int)j;
		o = n;
	}
	/* a word of the trigger itself ("take control") is no argument */
	if (o >= 0 && p->w[o].tok >= c->t0 && p->w[o].tok < c->t1)
		return -1;
	return o;
}

/* May the rule reject a word the tree gives its role, whatever word
 * that is?  Not when it asks for no fit and each of its fails is a word
 * class none of whose words is in the sentence (head_in reads the
 * sentence's words only): then the sentence need not be parsed for it. */
static bool
rule_may_reject(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_argrule *rule)
{
	if (rule->nfits > 0)
		return true;
	for (int f = 0; f < rule->nfails; f++) {
		if (rule->fails[f].what != EV_ARG_CLASS)
			return true;
		const char *list = ev_class(&x->tab, (enum ev_class)rule->fails[f].cls);
		for (uint32_t t = c->s; t < c->e; t++)
			if (ev_in(&x->tab, &doc->toks[t], list))
				return true;
	}
	return false;
}

bool
ev_args_fit(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g, int type,
	    const roles_t *r)
{
	/* "the full completion targeted by September 2026": a verb whose
	 * "by" names a time sets a goal, it strikes nothing */
	if (type == EV_ATTACK && !c->noun && c->t1 + 1 < c->e && is(&doc->toks[c->t1], "by") && x->skip[c->t1 + 1])
		return false;
	if ((type == EV_AGREEMENT && ev_undone(x, doc, c)) || ev_feared(x, doc, c) ||
	    (type == EV_DEPLOY && ev_measured(x, doc, c)))
		return false;
	const sr_parse *p = NULL;
	int w = -1;
	bool parsed = false;
	for (size_t k = 0; k < x->tab.nargs; k++) {
		const ev_argrule *rule = &x->tab.args[k];
		if (rule->type != type)
			continue;
		int i = -1;
		if (rule->role == EV_ROLE_ACTOR) {
			if (r->actor < 0)
				continue;
		} else {
			/* the subject is the doer only in a frame that takes it
			 * so ("the city had fallen to the militia": not) */
			if (rule->role == EV_ROLE_AGENT && (g->nactor == 0 || g->actor[0].kind != SL_SUBJ))
				continue;
			if (!rule_may_reject(x, doc, c, rule))
				continue;
			/* what the trigger acts on, from the tree */
			if (!parsed) {
				parsed = true;
				p = ev_tree_parse(x, doc, si);
				w = p ? ev_tree_word(p, c->t0) : -1;
			}
			if (w < 0 || (i = role_word(x, doc, p, w, c, rule->role)) < 0)
				continue;
			/* a pronoun or a number says nothing of what it stands
			 * for, unless an "of" phrase does ("some of the
			 * refugees", "many of them") */
			int u = p->w[i].upos;
			if (u == SR_UPOS_PRON || u == SR_UPOS_NUM || u == SR_UPOS_DET) {
				i = ev_tree_child(p, i, SR_DEP_NMOD, "of");
				if (i < 0 || p->w[i].upos == SR_UPOS_PRON)
					continue;
			}
		}
		for (int f = 0; f < rule->nfails; f++)
			if (passes(x, doc, p, i, r, rule->role, &rule->fails[f]))
				return false;
		bool fits = rule->nfits == 0;
		for (int f = 0; f < rule->nfits && !fits; f++)
			fits = passes(x, doc, p, i, r, rule->role, &rule->fits[f]);
		/* a coordinated doer fits by any of its conjuncts ("the
		 * garrison and Syrian units moved into it") */
		int cj[EV_MAX_CONJ];
		int ncj = !fits && rule->role == EV_ROLE_AGENT && i >= 0 ? ev_tree_conj(p, i, cj, EV_MAX_CONJ) : 0;
		for (int q = 0; q < ncj && !fits; q++)
			for (int f = 0; f < rule->nfits && !fits; f++)
				fits = passes(x, doc, p, cj[q], r, rule->role, &rule->fits[f]);
		if (!fits)
			return false;
	}
	return true;
}

bool
ev_as_clause(const sr_doc *doc, const frame_ctx *c)
{
	if (c->noun || c->t0 <= c->s)
		return false;
	const sr_token *k = &doc->toks[c->t0 - 1];
	return is(k, "as") && c->t0 - 1 > c->s && doc->toks[c->t0 - 2].cls == SR_TOK_PUNCT;
}

bool
ev_resultative(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	if (c->noun || !ev_in(&x->tab, &doc->toks[c->t0], ev_class(&x->tab, EVC_RESULT_VERBS)))
		return false;
	for (uint32_t i = c->t1; i < c->e && i < c->t1 + 6; i++) {
		const sr_token *k = &doc->toks[i];
		if (k->cls == SR_TOK_PUNCT)
			break;
		if (ev_in(&x->tab, k, ev_class(&x->tab, EVC_KILLED_WORDS)) ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_INJURED_WORDS)))
			return true;
	}
	return false;
}

bool
ev_arrival_of_departure(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int type,
			const roles_t *r)
{
	if (type != EV_DEPLOY || c->noun || r->actor < 0 ||
	    !ev_in(&x->tab, &doc->toks[c->t0], ev_class(&x->tab, EVC_ARRIVAL_VERBS)))
		return false;
	const ev_ent *a = &x->ents[r->actor];
	for (size_t i = x->nev; i > 0; i--) {
		sr_event *w = &x->ev[i - 1];
		if (w->sentence != si)
			break;
		if (strcmp(w->type, "withdraw") != 0 || !w->actor.set || !w->actor.id || strcmp(w->actor.id, a->id) != 0)
			continue;
		/* the place reached is where the withdrawal went */
		if (!w->other.set && r->place >= 0 && r->place != r->actor) {
			const ev_ent *p = &x->ents[r->place];
			w->other.set = 1;
			w->other.id = p->id;
			w->other.name = p->name;
			w->other.text = ev_arena_text(x, doc, p->tok, p->ntok);
			w->other.kind = p->kind;
			w->other.country = p->country_code;
			w->other.precision = p->precision;
			w->other.has_coord = p->has_coord;
			w->other.lat = p->lat;
			w->other.lon = p->lon;
		}
		return true;
	}
	return false;
}

bool
ev_bare_mention(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, uint32_t np)
{
	if (!c->noun || np + 1 != c->t0)
		return false;
	if (c->t1 >= c->e)
		return true;
	const sr_token *k = &doc->toks[c->t1];
	return x->ent_at[c->t1] < 0 && !ev_tok_in(k, PREPS) && !is(k, "'s");
}

/* Is the nominal trigger of c governed by a word of class cls: "the end
 * of the cooperation agreement", "fears of an abrupt U.S. pullout" (the
 * word, then "of", then the trigger's noun phrase), or with verb, "violated
 * the truce" (the word right before the phrase)? */
static bool
governed_by(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, enum ev_class cls, bool verb)
{
	if (!c->noun)
		return false;
	const char *list = ev_class(&x->tab, cls);
	const sr_token *k = doc->toks;
	/* back over the noun phrase: determiners, modifiers, names, "and" */
	for (uint32_t j = c->t0, n = 0; j > c->s && n < 8; j--, n++) {
		const sr_token *t = &k[j - 1];
		if (verb && ev_in(&x->tab, t, list))
			return true;
		if (is(t, "of"))
			return j - 1 > c->s && ev_in(&x->tab, &k[j - 2], list);
		if (t->cls == SR_TOK_PUNCT && t->len == 1 && t->s[0] == '.' && j - 1 > c->s && k[j - 2].cls == SR_TOK_WORD)
			continue;  /* "U.S." */
		if (t->cls != SR_TOK_WORD || ev_tok_in(t, PREPS) || ev_tok_in(t, SUBORD) ||
		    (t->len > 4 && (!memcmp(t->s + t->len - 2, "ed", 2) || !memcmp(t->s + t->len - 3, "ing", 3))))
			return false;
	}
	return false;
}

bool
ev_undone(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	return governed_by(x, doc, c, EVC_UNDOING_WORDS, true) || governed_by(x, doc, c, EVC_UPKEEP_VERBS, true);
}

bool
ev_feared(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	return governed_by(x, doc, c, EVC_HYPOTHETICAL_VERBS, false);
}

bool
ev_measured(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	return governed_by(x, doc, c, EVC_MEASURE_NOUNS, false);
}
