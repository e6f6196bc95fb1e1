/*
 * extract.c -- from an analyzed report to event records.
 *
 * Sentence by sentence, every trigger of data/triggers.tsv that starts at
 * a word is tried; its frame says where the actor, the place and the other
 * party sit (the subject before a verb, the name after it or after a
 * preposition, a possessive or a modifier before a noun), and the passive
 * voice moves the doer to "by X".  Names come from the recognizer (places
 * and actors of the lexicon); "the base", "it" and "the troops" resolve to
 * the last compatible name before them, and an agentless event takes the
 * armed force the report is most about.  Then, per event: the date from
 * the time expressions of its sentence, the modality from the words around
 * the trigger, the quantities of its sentence, the attribution of the
 * claim, and the codes of the crosswalk.  Last, the same event stated
 * twice in one report becomes one record whose other sentences are listed
 * in "also".
 *
 * Extraction of a document depends only on the document and the tables,
 * so it streams: the extractor keeps per-document scratch memory only.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define MAX_EVENTS_PER_SENTENCE 12

/* ------------------------------------------------------------- set-up */

static bool
file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

sr_extractor *
sr_extractor_new(const sr_lexicon *lx, char *err, size_t errlen)
{
	sr_extractor *x = sr_calloc(1, sizeof *x);
	x->lx = lx;
	const char *dir;
	bool have_triggers = false, have_codes = false;
	for (int i = 0; (dir = sr_lexicon_dir(lx, i)) != NULL; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/triggers.tsv", dir);
		if (file_exists(path)) {
			if (ev_tables_load_triggers(&x->tab, path, err, errlen) != SR_OK)
				goto fail;
			have_triggers = true;
		}
		snprintf(path, sizeof path, "%s/codes.tsv", dir);
		if (file_exists(path)) {
			if (ev_tables_load_codes(&x->tab, path, err, errlen) != SR_OK)
				goto fail;
			have_codes = true;
		}
		snprintf(path, sizeof path, "%s/classes.tsv", dir);
		if (file_exists(path) && ev_tables_load_classes(&x->tab, path, err, errlen) != SR_OK)
			goto fail;
	}
	if (have_triggers && have_codes && ev_tables_check_classes(&x->tab, err, errlen) != SR_OK)
		goto fail;
	if (!have_triggers || !have_codes) {
		snprintf(err, errlen, "%s: no %s found in the data folder (set SITREP_DATA?)",
			 sr_lexicon_dir(lx, 0) ? sr_lexicon_dir(lx, 0) : "?",
			 have_triggers ? "codes.tsv" : "triggers.tsv");
		goto fail;
	}
	ev_tables_index(&x->tab);
	x->rec = sr_recognizer_new(lx);
	ev_tree_open(x);
	ev_tree_doc(x);
	return x;
fail:
	ev_tables_free(&x->tab);
	free(x);
	return NULL;
}

int
sr_events_check(const char *dir, FILE *out)
{
	if (!dir)
		dir = sr_lexicon_default_dir();
	static const char *const files[] = {"triggers.tsv", "codes.tsv", "classes.tsv"};
	ev_tables t;
	memset(&t, 0, sizeof t);
	int problems = 0, found = 0;
	char err[1024];
	for (int i = 0; i < 3; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (!file_exists(path))
			continue;
		found++;
		int st = i == 0 ? ev_tables_load_triggers(&t, path, err, sizeof err) :
			 i == 1 ? ev_tables_load_codes(&t, path, err, sizeof err) :
				  ev_tables_load_classes(&t, path, err, sizeof err);
		if (st != SR_OK) {
			fprintf(out, "%s\n", err);
			problems++;
		}
	}
	if (found == 3 && !problems && ev_tables_check_classes(&t, err, sizeof err) != SR_OK) {
		fprintf(out, "%s/%s\n", dir, err);
		problems++;
	}
	ev_tables_free(&t);
	return problems;
}

void
sr_extractor_free(sr_extractor *x)
{
	if (!x)
		return;
	ev_tables_free(&x->tab);
	ev_tree_close(x);
	sr_recognizer_free(x->rec);
	sr_arena_free(&x->arena);
	free(x->ev);
	free(x->evtok);
	free(x->evweak);
	free(x->ents);
	free(x->ent_at);
	free(x->skip);
	free(x->lastw);
	sr_times_free(x->tx);
	free(x);
}

/* ----------------------------------------------------------- helpers */

const char PREPS[] =
	"from|to|with|against|by|at|in|on|into|toward|towards|for|near|between|"
	"over|across|through|around|inside|outside|within|via|during|under|"
	"along|of|off|onto|upon|beyond|behind";

const char SUBORD[] =
	"after|amid|as|when|while|because|before|following|since|although|"
	"though|which|whereas|once|until|but|where|who|that|said|says|say|"
	"told|according|if|unless";












/* Is the entity a place of the kind a place argument wants?  Actors never;
 * a country place is a place. */
static bool
ent_place(const ev_ent *e)
{
	return !e->actor;
}

static bool
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
static void
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

/* The determiner of a nominal trigger at t0, across up to two modifiers
 * ("the terrorist attacks", "such rocket attacks"): 1 for the, this,
 * that; 2 for these, those, such; 0 for none.  *np is set to the first
 * token of the noun phrase. */
static int
noun_determiner(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t *np)
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
static bool
hypothetical(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t np)
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
static bool
demanded(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0, uint32_t np)
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
static bool
stative(const ev_tables *T, const sr_doc *doc, uint32_t s, uint32_t t0)
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

/* ------------------------------------------------------ argument search */

typedef struct {
	int32_t ent;         /* index in x->ents, or -1 */
	uint32_t tok;        /* token where the words of the argument start */
	uint32_t ntok;
	int32_t more[6];     /* coordinated places ("Manbij and Tal Rifat") */
	int nmore;
	bool unnamed_site;   /* "a base in Syria": a site somewhere in ent */
} arg_t;

typedef struct {
	const sr_extractor *x;
	const ev_tables *tab;
	const sr_doc *doc;
	uint32_t s, e;       /* sentence tokens */
	uint32_t t0, t1;     /* trigger tokens */
	uint32_t gap0, gap1; /* tokens between a verb and its particle */
	uint32_t right;      /* end of the clause after the trigger */
	bool passive;
	bool noun;           /* the trigger is a noun */
} frame_ctx;

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
	if (ev_in(c->tab, &k[j], ev_class(c->tab, EVC_AREA_NOUNS)) && !is(&k[i], "a"))
		return last_before(c->x, i, 3);
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

/* Collects places coordinated after a: "X, Y and Z". */
static void
coordinate(const frame_ctx *c, arg_t *a)
{
	if (a->ent < 0)
		return;
	const sr_token *k = c->doc->toks;
	const ev_ent *e = &c->x->ents[a->ent];
	uint32_t j = e->tok + e->ntok;
	bool joined = false;  /* an "and" ends the list */
	while (j + 1 < c->e && a->nmore < 6) {
		bool and = false;
		if (is(&k[j], ",") && j + 1 < c->e && is(&k[j + 1], "and"))
			j++;
		if (is(&k[j], "and"))
			and = true;
		else if (!is(&k[j], ","))
			break;
		uint32_t n = j + 1;
		if (n < c->e && is(&k[n], "the"))
			n++;
		const ev_ent *f = n < c->e ? ent_starting(c->x, n) : NULL;
		if (!f || f->actor != e->actor)
			break;
		/* "Ogossagou, Bandiagara region, central Mali": an address
		 * that widens, not a list */
		if (!and && !wider_or_same(e, f))
			break;
		a->more[a->nmore++] = (int32_t)(f - c->x->ents);
		j = f->tok + f->ntok;
		if (and) {
			joined = true;
			break;
		}
	}
	if (!joined)
		a->nmore = 0;  /* "X, Y" without "and": an apposition */
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

enum { WANT_ACTOR, WANT_PLACE, WANT_ANY };

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
static arg_t
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
			if (r >= 0) {
				a.ent = r;
				a.tok = i;
				a.ntok = is(&k[i], "it") ? 1 : 2;
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

/* The doer before a verb: the nearest actor-like name to the left in the
 * clause that is not the object of a preposition; a pronoun or "the
 * troops" resolves to the last armed force named. */
static arg_t
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
				       !(e->tok + e->ntok == c->t0 && ev_in(c->tab, &k[b - 1], "help|let|make|allow"));
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
		if (want != WANT_PLACE && (ev_in(c->tab, &k[t], ev_class(c->tab, EVC_FORCE_PRONOUNS)) ||
					   (ev_in(c->tab, &k[t], ev_class(c->tab, EVC_FORCE_NOUNS)) && t > c->s &&
					    !(k[t].flags & SR_TF_UPPER1) &&
					    ev_in(c->tab, &k[t - 1], "the|its|their")))) {
			/* the nearest doer named before, in this sentence first;
			 * "its forces", "their troops": the forces of the nearest
			 * state, government or force, whatever its rank ("Russia's
			 * defence ministry confirmed its forces...") */
			bool owned = (t > c->s && ev_in(c->tab, &k[t - 1], "its|their")) ||
				     ev_in(c->tab, &k[t], "it|they");
			/* "the rebels", "the militants" stand for an armed group
			 * only, never a state's army */
			bool irregular = ev_in(c->tab, &k[t], ev_class(c->tab, EVC_IRREGULAR_NOUNS));
			int32_t r = -1;
			for (uint32_t j = owned ? t - 1 : t; j > c->s && r < 0; j--) {
				int32_t ej = c->x->ent_at[j - 1];
				if (ej >= 0 && ent_actorlike(&c->x->ents[ej]) && !c->x->ents[ej].demonym &&
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
static arg_t
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
static arg_t
possessive(const frame_ctx *c, int want)
{
	arg_t a = {.ent = -1};
	const sr_token *k = c->doc->toks;
	uint32_t i = c->t0;
	int adj = 0;
	while (i > c->s + 1 && adj < 3 && !is(&k[i - 1], "'s") && k[i - 1].cls == SR_TOK_WORD &&
	       ev_filler(c->tab, &k[i - 1])) {
		i--;
		adj++;
	}
	if (i <= c->s + 1 || !is(&k[i - 1], "'s"))
		return a;
	int32_t ei = c->x->ent_at[i - 2];
	if (ei >= 0 && wanted(&c->x->ents[ei], want)) {
		a.ent = ei;
		a.tok = c->x->ents[ei].tok;
		a.ntok = c->x->ents[ei].ntok;
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
		if (k[t].cls != SR_TOK_WORD || (k[t].flags & SR_TF_UPPER1) || !ev_filler(c->tab, &k[t]) ||
		    ev_in(c->tab, &k[t], "the|a|an"))
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
	if (j >= c->right || !ev_in(c->tab, &k[j], "sides|parties|countries|states|governments|rivals|foes"))
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
	for (uint32_t i = c->t1; i < c->right; i++) {
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
		if (!ev_tok_in(&k[j - 1], "which|that|where"))
			continue;
		uint32_t b = j - 1;
		if (b > c->s && is(&k[b - 1], ","))
			b--;
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
		if (c->passive)
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

static arg_t
fill_role(const frame_ctx *c, const ev_slotspec *slots, int n, int want, int nth)
{
	for (int i = 0; i < n; i++) {
		arg_t a = fill_slot(c, &slots[i], want, nth);
		if (a.ent >= 0)
			return a;
	}
	arg_t none = {.ent = -1};
	return none;
}

/* ------------------------------------------------------------ building */

const char *
ev_arena_text(sr_extractor *x, const sr_doc *doc, uint32_t tok, uint32_t ntok)
{
	if (!ntok)
		return NULL;
	uint32_t s = doc->toks[tok].start, e = doc->toks[tok + ntok - 1].end;
	return sr_arena_strndup(&x->arena, doc->text + s, e - s);
}

static void
set_ref(sr_extractor *x, const sr_doc *doc, sr_ref *r, const arg_t *a, int32_t ent)
{
	memset(r, 0, sizeof *r);
	if (ent < 0)
		return;
	const ev_ent *e = &x->ents[ent];
	r->set = 1;
	r->id = e->id;
	r->name = e->name;
	r->text = ev_arena_text(x, doc, a ? a->tok : e->tok, a ? a->ntok : e->ntok);
	r->kind = e->kind;
	r->country = e->country_code && e->country_code[0] ? e->country_code : NULL;
	if (!e->actor) {
		r->precision = e->precision;
		r->has_coord = e->has_coord;
		r->lat = e->lat;
		r->lon = e->lon;
	}
}

/* A country named as a doer ("Russia abandoned Kherson") stays the
 * country's reference: its id and name say which state acted. */

static sr_event *
new_event(sr_extractor *x, uint32_t trig)
{
	SR_GROW(x->ev, x->capev, x->nev + 1);
	SR_GROW(x->evtok, x->capevtok, x->nev + 1);
	SR_GROW(x->evweak, x->capevweak, x->nev + 1);
	sr_event *ev = &x->ev[x->nev];
	memset(ev, 0, sizeof *ev);
	x->evtok[x->nev] = trig;
	x->evweak[x->nev] = 0;
	x->nev++;
	return ev;
}

/* A date from the report's context for an event whose sentence has none,
 * as a careful reader would take it: the day named in the sentence before,
 * in the same paragraph ("...left on Monday. The convoy headed east");
 * or, for a lead sentence in the present perfect ("has begun
 * withdrawing", "has just handed over"), the publication day.  Both are
 * marked approximate. */
static void
context_date(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t, sr_event *ev)
{
	const sr_token *k = doc->toks;
	if (si > 0 && doc->sents[si - 1].para == doc->sents[si].para) {
		size_t first;
		size_t n = sr_times_in_sentence(x->tx, x->ntx, si - 1, &first);
		const sr_timex *pick = NULL;
		for (size_t i = first; i < first + n; i++) {
			if (x->tx[i].type == SR_TIMEX_DATE && x->tx[i].precision == SR_PREC_DAY) {
				if (pick)
					return;  /* two days named: no way to tell */
				pick = &x->tx[i];
			}
		}
		if (pick) {
			ev->date_precision = sr_timex_calendar(pick, ev->date);
			ev->date_approx = 1;
			ev->date_text = sr_arena_strndup(&x->arena, doc->text + pick->start,
							 pick->end - pick->start);
			return;
		}
	}
	/* an event told in the present perfect ("have retreated", "has
	 * captured") was just done: the publication day, approximate */
	if (!doc->published[0])
		return;
	const sr_sentence *s = &doc->sents[si];
	bool perfect = false;
	for (uint32_t i = t; i > s->tok && t - i < 4; i--)
		if (ev_tok_in(&k[i - 1], "has|have|just"))
			perfect = true;
	if (!perfect)
		return;
	memcpy(ev->date, doc->published, 11);
	ev->date_precision = "day";
	ev->date_approx = 1;
	ev->date_text = NULL;
}

/* The date of an event at trigger t in sentence si: the calendar date of
 * the nearest time expression of the sentence, nearer after the trigger
 * than before it; none when the sentence has none. */
static void
pick_date(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t, uint32_t right,
	  sr_event *ev)
{
	size_t first;
	size_t n = sr_times_in_sentence(x->tx, x->ntx, si, &first);
	long best = -1, bestd = 0;
	uint32_t tn = doc->toks[t].nstart;
	/* the clause of the trigger: from the subordinator before it to the
	 * end of the clause after it ("withdrew ... after X joined in
	 * November": November is not the withdrawal's) */
	const sr_sentence *sn = &doc->sents[si];
	uint32_t lo = doc->toks[sn->tok].nstart;
	for (uint32_t j = t; j > sn->tok && t - j < 25; j--)
		if (ev_in(&x->tab, &doc->toks[j - 1], "after|before|following|amid|while|since|because|"
						   "although|whereas|than") ||
		    (doc->toks[j - 1].len == 1 && doc->toks[j - 1].s[0] == ';')) {
			lo = doc->toks[j - 1].nstart;
			break;
		}
	uint32_t hi = right < sn->tok + sn->ntok ? doc->toks[right].nstart : UINT32_MAX;
	for (size_t i = first; i < first + n; i++) {
		char tmp[11];
		if (x->tx[i].type != SR_TIMEX_DATE && x->tx[i].type != SR_TIMEX_TIME)
			continue;
		if (x->tx[i].nstart < lo || x->tx[i].nstart >= hi)
			continue;
		if (!sr_timex_calendar(&x->tx[i], tmp))
			continue;
		long d = (long)x->tx[i].nstart - (long)tn;
		if (d < 0)
			d = -d * 2;  /* prefer what follows the trigger */
		if (best < 0 || d < bestd) {
			best = (long)i;
			bestd = d;
		}
	}
	if (best < 0) {
		context_date(x, doc, si, t, ev);
		return;
	}
	/* "On December 10, the same year": a finer date of the clause that
	 * agrees with the nearest one wins */
	char bv[11];
	sr_timex_calendar(&x->tx[best], bv);
	for (size_t i = first; i < first + n; i++) {
		char v[11];
		if ((long)i == best || (x->tx[i].type != SR_TIMEX_DATE && x->tx[i].type != SR_TIMEX_TIME) ||
		    x->tx[i].nstart < lo || x->tx[i].nstart >= hi || !sr_timex_calendar(&x->tx[i], v))
			continue;
		if (strlen(v) > strlen(bv) && !strncmp(v, bv, strlen(bv))) {
			best = (long)i;
			memcpy(bv, v, sizeof bv);
		}
	}
	const sr_timex *tx = &x->tx[best];
	ev->date_precision = sr_timex_calendar(tx, ev->date);
	ev->date_approx = tx->approx || tx->mod[0];
	ev->date_text = sr_arena_strndup(&x->arena, doc->text + tx->start, tx->end - tx->start);
}

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
		while (p < e && p < j + 5 && !word_matches(g, w, &k[p]) && ev_filler(m->c->tab, &k[p]))
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
	     ev_in(m->c->tab, &k[m->i - 1], "the|a|an|this|that|these|those|its|their|his|her|'s|of|such|"
				     "every|any|each|no|recent|latest|first|second|last|many|"
				     "several|some|repeated|frequent|more|further|new") ||
	     /* "rocket attacks", "air strikes", "terrorist attacks" */
	     ev_in(m->c->tab, &k[m->i - 1], ev_class(m->c->tab, EVC_WEAPON_MODIFIERS)) ||
	     ev_in(m->c->tab, &k[m->i - 1], ev_class(m->c->tab, EVC_HYPOTHETICAL_VERBS)) ||
	     /* "an increase in attacks"; but "after transporting" */
	     (ev_in(m->c->tab, &k[m->i - 1], "in|on|amid|after|following|despite|against") &&
	      !(k[m->i].len > 4 && !memcmp(k[m->i].s + k[m->i].len - 3, "ing", 3)))))
		return;
	/* "a carrier strike group", "attack helicopters", "attack drones":
	 * a kind of unit or weapon, not an event */
	if (g->type == EV_ATTACK && t1 < m->c->e &&
	    ev_in(m->c->tab, &k[t1], "group|groups|force|forces|package|capability|capabilities|"
			      "helicopter|helicopters|drone|drones|aircraft|jets|submarine|"
			      "submarines|team|teams|unit|units|dog|dogs|craft"))
		return;
	/* "remain deployed", "still stationed": a state, not an event */
	if (!g->noun && m->i > m->c->s &&
	    ev_in(m->c->tab, &k[m->i - 1], "remain|remains|remained|remaining|still|currently|already-"))
		return;
	/* "leaving only X", "left behind": what remains, not a departure */
	if (!g->noun && t1 < m->c->e && ev_in(m->c->tab, &k[t1], "only|behind|open|unclear|room"))
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

/* The end of the clause that follows the trigger: the sentence's end, a
 * semicolon, or a subordinator that starts another clause. */
static uint32_t
clause_end(const ev_tables *t, const sr_doc *doc, uint32_t t1, uint32_t e)
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

static bool
is_passive(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t t0)
{
	const sr_token *k = doc->toks;
	const sr_token *v = &k[t0];
	bool participle = (v->len > 2 && (!memcmp(v->s + v->len - 2, "ed", 2) ||
					  !memcmp(v->s + v->len - 2, "en", 2))) ||
			  ev_in(t, v, "left|taken|struck|shot|held|sent|built|set|drawn|hit|"
				       "withdrawn|seized|brought|fought|done|made");
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

/* The armed force a report is most about: the actor of rank 2 named most
 * often (the first named wins a tie). */
/* Two mentions of the same doer: the same id, or the armed forces and
 * government of one country. */
static bool
same_doer(const ev_ent *a, const ev_ent *b)
{
	if (!strcmp(a->id, b->id))
		return true;
	return a->country_code && b->country_code && a->country_code[0] &&
	       !strcmp(a->country_code, b->country_code) &&
	       (!strcmp(a->kind, "state_military") || !strcmp(a->kind, "government") || a->country) &&
	       (!strcmp(b->kind, "state_military") || !strcmp(b->kind, "government") || b->country);
}

/* At most this many distinct doers or countries are counted per report:
 * the counts stay linear in the number of mentions. */
#define MAX_TALLY 64

static int32_t
main_actor(const sr_extractor *x, const sr_doc *doc)
{
	/* the title and lead name what the report follows: their mentions
	 * count double */
	uint32_t lead_end = 0;
	if (doc->nsent)
		lead_end = doc->sents[doc->nsent > 1 ? 1 : 0].tok + doc->sents[doc->nsent > 1 ? 1 : 0].ntok;
	int32_t rep[MAX_TALLY];
	int count[MAX_TALLY];
	int n = 0;
	/* the armed forces named, each by its first mention, not named
	 * before as any doer of theirs */
	for (size_t j = 0; j < x->nents && n < MAX_TALLY; j++) {
		const ev_ent *e = &x->ents[j];
		if (!e->actor || e->actor_rank != 2)
			continue;
		bool seen = false;
		for (int r = 0; r < n && !seen; r++)
			seen = same_doer(e, &x->ents[rep[r]]);
		if (!seen) {
			rep[n] = (int32_t)j;
			count[n++] = 0;
		}
	}
	/* then every mention of a doer counts for each force it may be */
	for (size_t j = 0; j < x->nents; j++)
		if (x->ents[j].actor)
			for (int r = 0; r < n; r++)
				if (same_doer(&x->ents[j], &x->ents[rep[r]]))
					count[r] += x->ents[j].tok < lead_end ? 4 : 2;
	int32_t best = -1;
	int bestn = 0;
	for (int r = 0; r < n; r++) {
		/* armed groups are more often named as targets than as the
		 * force a report follows */
		int c = !strcmp(x->ents[rep[r]].kind, "armed_group") ? count[r] / 2 : count[r];
		if (c > bestn) {
			best = rep[r];
			bestn = c;
		}
	}
	return best;
}

/* The country most named as a place, other than the main doer's own. */
static int32_t
main_country(const sr_extractor *x, int32_t doer)
{
	const char *own = doer >= 0 ? x->ents[doer].country_code : NULL;
	int32_t rep[MAX_TALLY];
	int count[MAX_TALLY];
	int n = 0;
	for (size_t j = 0; j < x->nents; j++) {
		const ev_ent *e = &x->ents[j];
		if (!e->country || e->demonym || (own && e->country_code && !strcmp(own, e->country_code)))
			continue;
		int r = 0;
		while (r < n && strcmp(x->ents[rep[r]].id, e->id))
			r++;
		if (r < n)
			count[r]++;
		else if (n < MAX_TALLY) {
			rep[n] = (int32_t)j;
			count[n++] = 1;
		}
	}
	int32_t best = -1;
	int bestn = 0;
	for (int r = 0; r < n; r++)
		if (count[r] > bestn) {
			best = rep[r];
			bestn = count[r];
		}
	return best;
}

typedef struct {
	int32_t actor, place, other;
	arg_t aa, pa, oa;
	bool place_guess;    /* the place is the report's country, not named */
	bool definite;       /* a nominal trigger after the/this/that */
	const char *mention; /* a doer named by no lexicon entry, by its
				words ("the M23 rebel group"): arena text */
	const char *pmention; /* a place no lexicon entry names, by its words
				 ("Paletwa", "the town of Al-Urban") */
	const char *pmore[EV_MAX_CONJ]; /* those coordinated with it */
	int npmore;
} roles_t;

/* Does the trigger carry no tense of its own: a noun ("the withdrawal
 * will take 15 days") or a bare gerund ("with the SDF taking over")?  Its
 * modality then says less than a finite verb's. */
static bool
tenseless(const sr_doc *doc, const frame_ctx *c)
{
	const sr_token *k = &doc->toks[c->t0];
	if (c->passive)
		return false;
	if (k->len > 4 && !memcmp(k->s + k->len - 3, "ing", 3))
		return c->t0 == c->s ||
		       !ev_tok_in(k - 1, "is|are|was|were|be|been|am|begun|began|begin|begins|"
					 "start|started|starts|continue|continues|continued|keep|"
					 "kept|not|still|already|now");
	return c->noun;
}

static void
make_event(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int type,
	   const roles_t *r, const char *modality)
{
	/* a withdrawal, take-over, deployment, transfer or agreement is a
	 * force's or a state's: with no doer named or resolved, the event
	 * tells nobody who holds what (an attack may be unclaimed) */
	if (r->actor < 0 && !r->mention && type != EV_ATTACK)
		return;
	if (r->actor >= 0)
		x->last_actor = r->actor;
	sr_event *ev = new_event(x, c->t0);
	ev->type = ev_type_names[type];
	set_ref(x, doc, &ev->actor, r->aa.ent == r->actor ? &r->aa : NULL, r->actor);
	if (r->actor < 0 && r->mention) {
		ev->actor.set = 1;
		ev->actor.text = r->mention;
	}
	set_ref(x, doc, &ev->place, r->pa.ent == r->place ? &r->pa : NULL, r->place);
	set_ref(x, doc, &ev->other, r->oa.ent == r->other ? &r->oa : NULL, r->other);
	if (r->place < 0 && r->pmention) {
		ev->place.set = 1;
		ev->place.name = r->pmention;
		ev->place.text = r->pmention;
	}
	ev->modality = modality;
	ev->sentence = si;
	ev->start = doc->sents[si].start;
	ev->end = doc->sents[si].end;
	x->evweak[x->nev - 1] = (tenseless(doc, c) ? EV_WEAK_TENSE : 0) |
				(r->place_guess ? EV_WEAK_PLACE : 0) | (r->definite ? EV_WEAK_DEF : 0) |
				(r->pa.ent == r->place && r->pa.unnamed_site ? EV_WEAK_SITE : 0);
	ev->tstart = doc->toks[c->t0].start;
	ev->tend = doc->toks[c->t1 > c->t0 ? c->t1 - 1 : c->t0].end;
	pick_date(x, doc, si, c->t0, c->right, ev);
}

/* A state, its government, its armed forces and its leaders act as one. */
bool
ev_state_kind(const char *k)
{
	return k && (!strcmp(k, "country") || !strcmp(k, "state_military") ||
		     !strcmp(k, "government") || !strcmp(k, "official"));
}

/* Is the group e the one the detainees of the clause belong to: "50
 * ISIS detainees", "Daesh members"? */
static bool
detainees_of(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g,
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
static bool
class_in(const sr_extractor *x, const sr_doc *doc, enum ev_class cl, uint32_t a, uint32_t b)
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
static void
drop_pact_place(const sr_extractor *x, const sr_doc *doc, roles_t *r)
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

/* Is the event one of armed forces: its doer an armed force, coalition
 * or armed group, or its sentence about one (a word of class military)?
 * "He left his home", "deputies seized a meth lab", "began a hunger
 * strike" are not. */
static bool
armed_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r)
{
	if (r->actor >= 0 && x->ents[r->actor].actor && x->ents[r->actor].actor_rank == 2)
		return true;
	/* a doer that is neither a force nor a state (an agency, a media
	 * outlet, a monitor, a person): "the WHO deployed personnel" */
	if (r->actor >= 0 && x->ents[r->actor].actor && !ev_state_kind(x->ents[r->actor].kind))
		return false;
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
	/* the trigger's own words do not count ("a home invasion"), nor
	 * those of a clause after its own ("deploying a wall system that
	 * protects soldiers") */
	if (class_in(x, doc, EVC_MILITARY, c->s, c->t0))
		return true;
	uint32_t end = c->t1;
	while (end < c->e && !ev_tok_in(&doc->toks[end], "that|which|who|whose"))
		end++;
	return class_in(x, doc, EVC_MILITARY, c->t1, end);
}

/* Are the ones who move civilians: the object of the verb ("evacuated
 * hundreds of residents", "deployed a team of investigators") or, in the
 * passive, its subject ("22 people were evacuated")?  Their move is no
 * withdrawal, deployment or take-over by a force. */
static bool
moves_civilians(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	const sr_token *k = doc->toks;
	const char *list = ev_class(&x->tab, EVC_CIVILIANS);
	if (c->passive || c->noun) {
		/* the words right before the verb group or "of" after a noun */
		uint32_t j = c->t0;
		while (j > c->s && k[j - 1].cls == SR_TOK_WORD &&
		       ev_tok_in(&k[j - 1], "was|were|been|be|being|is|are|has|have|had|reportedly|also"))
			j--;
		if (c->passive)
			return j > c->s && ev_in(&x->tab, &k[j - 1], list);
		if (c->t1 + 1 < c->e && is(&k[c->t1], "of"))
			for (uint32_t i = c->t1 + 1; i < c->e && i < c->t1 + 6; i++) {
				if (ev_in(&x->tab, &k[i], list))
					return true;
				if (k[i].cls != SR_TOK_WORD || ev_in(&x->tab, &k[i], PREPS))
					break;
			}
		return false;
	}
	/* the object, across a count: "hundreds of thousands of people" */
	for (uint32_t i = c->t1; i < c->e && i < c->t1 + 8; i++) {
		if (ev_in(&x->tab, &k[i], list))
			return true;
		if (k[i].cls == SR_TOK_NUMBER || is(&k[i], ","))
			continue;
		if (k[i].cls != SR_TOK_WORD || (ev_in(&x->tab, &k[i], PREPS) && !is(&k[i], "of")))
			break;
	}
	/* the subject of an intransitive move: "two citizens arrived" */
	uint32_t j = c->t0;
	while (j > c->s && k[j - 1].cls == SR_TOK_WORD &&
	       ev_tok_in(&k[j - 1], "was|were|been|be|has|have|had|also|later|finally|safely|have"))
		j--;
	return j > c->s && ev_in(&x->tab, &k[j - 1], list);
}

/* Is an agreement about security (a word of class security in its
 * sentence) and not civil (no word of class civil among the words that
 * modify the trigger: "a free trade agreement", "the climate accord")? */
static bool
security_context(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const roles_t *r)
{
	uint32_t a = c->t0 > c->s + 4 ? c->t0 - 4 : c->s;
	uint32_t b = c->t1 + 3 < c->e ? c->t1 + 3 : c->e;
	if (class_in(x, doc, EVC_CIVIL, a, b))
		return false;
	/* a party that is an armed force: "signed an accord with the
	 * Taliban" */
	int32_t party[2] = {r->actor, r->other};
	for (int i = 0; i < 2; i++)
		if (party[i] >= 0 && x->ents[party[i]].actor && x->ents[party[i]].actor_rank == 2)
			return true;
	return class_in(x, doc, EVC_SECURITY, c->s, c->e);
}

/* Does a first-person pronoun (I, we, our) stand among the words of
 * the trigger's clause before it, or right after it ("withdraw our
 * units")? */
static bool
first_person(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
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
static bool
own_soldiers(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t i = c->t1; i + 2 < c->e && i < c->t1 + 8; i++) {
		if (!ev_tok_in(&doc->toks[i], "members|nationals|personnel") || !is(&doc->toks[i + 1], "of"))
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
static bool
conditional(const sr_doc *doc, const frame_ctx *c)
{
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 8; j--) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls == SR_TOK_PUNCT)
			break;
		if (ev_tok_in(k, "if|unless|whether"))
			return true;
	}
	return false;
}

/* "how it will deploy these technologies", "deploying a portable wall
 * system": the tree's object of an active deploy verb whose phrase has no
 * word of class military or force_nouns and no name is no force; the
 * deployment is not one of ours. */
static bool
deploys_no_force(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c)
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
		if ((int)i != o && p->w[i].head != o)
			continue;
		const sr_token *k = &doc->toks[p->w[i].tok];
		if (x->ent_at[p->w[i].tok] >= 0 || k->cls == SR_TOK_NUMBER ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_MILITARY)) ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_FORCE_NOUNS)))
			return false;
	}
	return true;
}

/* Does a frame's slot list have the subject? */
static bool
subj_slot(const ev_slotspec *sp, int n)
{
	for (int i = 0; i < n; i++)
		if (sp[i].kind == SL_SUBJ)
			return true;
	return false;
}

/* ------------------------------------------------- roles from the tree */

static bool
wanted_cb(const ev_ent *e, int want)
{
	return wanted(e, want);
}

/* Is the sentence worth a parse for this trigger: may its event pass
 * the trigger's constraints at all (for 'armed', a word of class
 * military or an armed force named in the sentence)?  Parsing is the
 * costly step of extraction: most sentences of general news that hold a
 * trigger word ("left", "strike") are never parsed. */
static bool
tree_worth(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g, int type)
{
	/* a verb that states no event is dropped later anyway */
	if (stative(&x->tab, doc, c->s, c->t0) || demanded(&x->tab, doc, c->s, c->t0, c->t0) ||
	    conditional(doc, c) || (type == EV_AGREEMENT && c->t1 < c->e && is(&doc->toks[c->t1], "to")) ||
	    (c->t0 > c->s && ev_tok_in(&doc->toks[c->t0 - 1], "to|from") &&
	     hypothetical(&x->tab, doc, c->s, c->t0 - 1)))
		return false;
	if (!(g->need & (NEED_ARMED | NEED_FORCE)))
		return true;
	if (class_in(x, doc, EVC_MILITARY, c->s, c->e))
		return true;
	for (uint32_t i = c->s; i < c->e; i++) {
		int32_t e = x->ent_at[i];
		if (e >= 0 && x->ents[e].actor && x->ents[e].actor_rank == 2)
			return true;
	}
	return false;
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

/* A place the lexicon does not know, by its words: the proper noun the
 * tree puts where the frame wants a place ("captured Paletwa", "from
 * Gogra"), or the one a place noun introduces ("the town of Al-Urban",
 * "the villages of Melovoy"): capitalized words with no name of the
 * lexicon, no date, no force word, at most four.  Arena text or NULL. */
static const char *
tree_place_mention(sr_extractor *x, const sr_doc *doc, const sr_parse *p, int d, int *word)
{
	if (p->w[d].upos != SR_UPOS_PROPN) {
		if (!ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_AREA_NOUNS)))
			return NULL;
		d = ev_tree_child(p, d, SR_DEP_NMOD, "of");
		if (d < 0 || p->w[d].upos != SR_UPOS_PROPN)
			return NULL;
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
	for (uint32_t t = a; t <= b; t++) {
		const sr_token *k = &doc->toks[t];
		if (x->ent_at[t] >= 0 || x->skip[t] || k->cls != SR_TOK_WORD || !(k->flags & SR_TF_UPPER1) ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_MILITARY)) ||
		    ev_in(&x->tab, k, ev_class(&x->tab, EVC_FORCE_NOUNS)))
			return NULL;
	}
	return ev_arena_text(x, doc, a, b + 1 - a);
}

/* Fills the doer and the place the words near a verb trigger did not
 * give from the sentence's dependency tree: the doer is the subject
 * (obl:agent in the passive, inherited through xcomp and conj: "began
 * pulling out", "left and moved in"); the place is the object (the
 * passive subject), or the oblique whose case word is one of the frame's
 * prepositions, or the subject where the frame says so ("Wad Madani has
 * fallen to the RSF"). */
static void
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
			/* "seized control of the side of the crossing": the
			 * phrase hangs on the trigger's last word */
			int h = ev_tree_word(p, c->t1 - 1);
			if (d < 0 && h >= 0 && h != w)
				d = ev_tree_child(p, h, SR_DEP_NMOD, prep);
		}
		if (d < 0)
			continue;
		/* "withdrew 30,000 troops across the river": the forces moved
		 * are no place */
		if (sp->kind == SL_OBJ && ev_in(&x->tab, &doc->toks[p->w[d].tok], ev_class(&x->tab, EVC_FORCE_NOUNS)))
			continue;
		arg_t a = tree_arg(x, p, d, WANT_PLACE);
		if (a.ent >= 0 && a.ent != r->aa.ent)
			r->pa = a;
		else if (a.ent < 0 && !r->pmention && sp->kind != SL_SUBJ) {
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
	}
}

/* A doer the lexicon does not know, by its words: the subject of the
 * verb trigger when the tree's subject is headed by a word of class
 * force_nouns ("The M23 rebel group seized Goma", "Army units began
 * deploying") and holds no name.  Only a sentence parsed already for
 * this trigger is read.  Returns arena text or NULL. */
static const char *
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
	bool group = ev_tok_in(head, "group|groups|organisation|organization|movement");
	if (!group && !ev_in(&x->tab, head, ev_class(&x->tab, EVC_FORCE_NOUNS)))
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
static int
tree_conj(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e, bool named, int want,
	  int32_t *out, int max)
{
	if (e < 0 || !named || x->ents[e].tok < c->s || x->ents[e].tok >= c->e)
		return 0;
	/* only a name right before "and" or a comma that an "and" follows
	 * opens a list ("A and B", "A, B and C") */
	uint32_t after = x->ents[e].tok + x->ents[e].ntok, before = x->ents[e].tok;
	bool last = before > c->s && is(&doc->toks[before - 1], "and");  /* "X and Y": Y */
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

/* Tries the trigger found at m and makes its events; returns how many. */
static size_t
apply(sr_extractor *x, const sr_doc *doc, uint32_t si, match_ctx *m, int32_t fallback)
{
	size_t before = x->nev;
	const ev_trigger *g = m->best;
	frame_ctx c = *m->c;
	c.t0 = m->t0;
	c.t1 = m->t1;
	c.gap0 = m->gap0;
	c.gap1 = m->gap1;
	c.right = clause_end(&x->tab, doc, c.t1, c.e);
	c.passive = !g->noun && is_passive(&x->tab, doc, c.s, c.t0);
	c.noun = g->noun;

	/* the cue words a trigger needs, near it */
	if (g->need & NEED_CUE) {
		bool found = false;
		uint32_t a = c.t0 > c.s + 8 ? c.t0 - 8 : c.s;
		for (uint32_t i = a; i < c.right && i < c.t1 + 10 && !found; i++)
			for (int q = 0; q < g->ncues; q++)
				if (sr_eq_ci(doc->toks[i].s, doc->toks[i].len, g->cues[q]))
					found = true;
		if (!found)
			return 0;
	}
	int type = g->type;
	roles_t r = {.actor = -1, .place = -1, .other = -1};
	r.aa = fill_role(&c, g->actor, g->nactor, WANT_ACTOR, 0);
	r.pa = fill_role(&c, g->place, g->nplace, WANT_PLACE, 0);
	/* "between X and Y" gives the actor X and the other party Y */
	bool other_between = false;
	for (int i = 0; i < g->nother; i++)
		other_between |= g->other[i].kind == SL_BETWEEN;
	/* the other party: a destination for departures and transfers, a
	 * force for take-overs, attacks and agreements */
	int want_other = type == EV_WITHDRAW ? WANT_PLACE :
			 (type == EV_TAKE_CONTROL || type == EV_AGREEMENT || type == EV_HANDOVER) ? WANT_ACTOR :
			 WANT_ANY;
	r.oa = fill_role(&c, g->other, g->nother, want_other, other_between ? 1 : 0);
	/* the tree, where the words near the trigger did not tell */
	if ((!g->noun || subj_slot(g->place, g->nplace)) && (r.aa.ent < 0 || r.pa.ent < 0) &&
	    tree_worth(x, doc, &c, g, type))
		tree_roles(x, doc, si, &c, g, &r);
	/* "3,500 troops will be withdrawn": the forces moved are the doer */
	if (r.aa.ent < 0 && c.passive && (type == EV_WITHDRAW || type == EV_DEPLOY)) {
		frame_ctx active = c;
		active.passive = false;
		r.aa = subject(&active, WANT_ACTOR);
	}
	/* "Trump withdrew US troops from Syria": the forces moved are the
	 * doer, not the leader or government who moved them */
	if (!g->noun && !c.passive && (type == EV_WITHDRAW || type == EV_DEPLOY) && r.aa.ent >= 0 &&
	    (!x->ents[r.aa.ent].actor || strcmp(x->ents[r.aa.ent].kind, "state_military"))) {
		arg_t f = name_after(&c, c.t1, c.right, WANT_ACTOR, 2);
		if (f.ent >= 0 && x->ents[f.ent].actor && x->ents[f.ent].actor_rank == 2 &&
		    f.ent != r.pa.ent)
			r.aa = f;
	}
	r.actor = r.aa.ent;
	r.place = r.pa.ent;
	r.other = r.oa.ent;
	/* one name cannot fill two roles */
	if (r.other >= 0 && (r.other == r.actor || r.other == r.place))
		r.other = -1;
	if (r.place >= 0 && r.place == r.actor)
		r.place = -1;
	/* attack: a target that is an armed force is the other party; a
	 * country is a place */
	if (type == EV_ATTACK && r.other >= 0 && !x->ents[r.other].actor && r.place < 0) {
		r.place = r.other;
		r.pa = r.oa;
		r.other = -1;
	}
	/* a handover with no receiver named: the receiver of the report's
	 * last handover ("...to Iraqi forces. The U.S. previously handed
	 * over al-Qaim...") */
	bool giver_named = r.actor >= 0;
	if (type == EV_HANDOVER) {
		if (r.other >= 0 && ent_actorlike(&x->ents[r.other]))
			x->last_receiver = r.other;
		else if (r.other < 0 && x->last_receiver >= 0)
			r.other = x->last_receiver;
		if (r.actor >= 0)
			x->last_giver = r.actor;
		else if (x->last_giver >= 0)
			r.actor = x->last_giver;
		else if (fallback >= 0 && r.other >= 0 && same_doer(&x->ents[fallback], &x->ents[r.other]))
			fallback = -1;  /* the receiver does not hand over to itself */
	}
	/* "US troops departed from Al-Tanf, with Syrian forces moving in":
	 * a take-over with no place named takes the place just left, and
	 * the force that left it */
	if (type == EV_TAKE_CONTROL && r.place < 0 && !r.pmention) {
		for (size_t i = x->nev; i > 0; i--) {
			const sr_event *w = &x->ev[i - 1];
			if (w->sentence != si)
				break;
			if (strcmp(w->type, "withdraw") || !w->place.set)
				continue;
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].id == w->place.id) {
					r.place = (int32_t)j;
					r.pa.ent = -1;
					break;
				}
			if (r.other < 0 && w->actor.set)
				for (size_t j = 0; j < x->nents; j++)
					if (x->ents[j].id == w->actor.id) {
						r.other = (int32_t)j;
						r.oa.ent = -1;
						break;
					}
			break;
		}
	}
	const char *modality = ev_modality(&x->tab, doc, c.s, c.e, c.t0, c.t1, g->noun);
	uint32_t np = c.t0;
	int det = 0;
	if (!g->noun && stative(&x->tab, doc, c.s, c.t0))
		return 0;
	if (g->noun) {
		/* "these attacks", "such rocket attacks": a re-mention; "the
		 * attack", "following the attack": one too, unless the phrase
		 * itself names where or by whom */
		det = noun_determiner(&x->tab, doc, c.s, c.t0, &np);
		r.definite = det == 1;
		if (det == 2 || (det == 1 && r.actor < 0 && r.place < 0 && r.other < 0))
			return 0;
		/* "threatening attacks", "fearing an assault", "protect bases
		 * from rocket attacks": an attack that did not happen; other
		 * events so governed are at most expected ("fears of a
		 * pullout") */
		if (hypothetical(&x->tab, doc, c.s, np)) {
			if (type == EV_ATTACK)
				return 0;
			modality = "expected";
		}
	}
	if (demanded(&x->tab, doc, c.s, c.t0, np))
		return 0;
	/* "agreed to continue using the base": the verb is the modal of the
	 * clause after it, no agreement of its own */
	if (type == EV_AGREEMENT && !g->noun && c.t1 < c.e && is(&doc->toks[c.t1], "to"))
		return 0;
	if (conditional(doc, &c))
		return 0;
	/* "threatened to bomb the dam", "blocked protesters from entering
	 * the plaza": a verb governed by one of fear, threat, prevention or
	 * intent did not happen */
	if (!g->noun && c.t0 > c.s && ev_tok_in(&doc->toks[c.t0 - 1], "to|from") &&
	    hypothetical(&x->tab, doc, c.s, c.t0 - 1)) {
		if (type == EV_ATTACK || is(&doc->toks[c.t0 - 1], "from"))
			return 0;
		modality = "expected";
	}

	/* "the ceasefire agreement that Israel reached with Hamas": the
	 * maker is the doer of the relative clause */
	if (r.actor < 0 && g->noun && type == EV_AGREEMENT && c.t1 + 2 < c.right &&
	    ev_tok_in(&doc->toks[c.t1], "that|which")) {
		int32_t ej = x->ent_at[c.t1 + 1];
		if (ej >= 0 && ent_actorlike(&x->ents[ej]) && !x->ents[ej].demonym) {
			uint32_t v = x->ents[ej].tok + x->ents[ej].ntok;
			if (v < c.right && ev_tok_in(&doc->toks[v], "reached|signed|struck|brokered|"
								    "agreed|concluded|made|sealed")) {
				r.actor = ej;
				r.aa.ent = -1;
				if (r.other < 0) {
					frame_ctx rel = c;
					rel.t0 = rel.t1 = v + 1;
					arg_t o = after_prep(&rel, "with", WANT_ACTOR);
					if (o.ent >= 0 && o.ent != ej) {
						r.other = o.ent;
						r.oa = o;
					}
				}
			}
		}
	}
	drop_pact_place(x, doc, &r);
	if ((g->need & NEED_PLACE) && r.place < 0 && !r.pmention)
		return 0;
	if ((g->need & NEED_ARMED) && !armed_context(x, doc, &c, &r))
		return 0;
	if ((g->need & NEED_SECURITY) && !security_context(x, doc, &c, &r))
		return 0;
	if ((g->need & NEED_FORCE) && (r.actor < 0 || !x->ents[r.actor].actor || x->ents[r.actor].actor_rank != 2))
		return 0;
	if (type != EV_ATTACK && type != EV_AGREEMENT && type != EV_TRANSFER && moves_civilians(x, doc, &c))
		return 0;
	if (type == EV_DEPLOY && !g->noun && !c.passive && deploys_no_force(x, doc, si, &c))
		return 0;
	if (type == EV_TRANSFER && own_soldiers(x, doc, &c))
		return 0;
	if ((g->need & NEED_SITE) && (r.place < 0 || !x->ents[r.place].site))
		return 0;
	if ((g->need & NEED_TOWN) && (r.place < 0 ? !r.pmention : x->ents[r.place].country))
		return 0;
	if ((g->need & NEED_ACTOR) && r.actor < 0)
		return 0;
	if ((g->need & NEED_OTHER) && r.other < 0)
		return 0;
	if ((g->need & NEED_FUT) && strcmp(modality, "expected"))
		return 0;
	if ((g->need & NEED_ANY) && r.actor < 0 && r.place < 0 && r.other < 0 && !r.pmention)
		return 0;
	/* a doer that is an armed group's name used as a place, or a doer
	 * that is a media outlet, is no doer */
	if (r.actor >= 0 && x->ents[r.actor].actor &&
	    (!strcmp(x->ents[r.actor].kind, "media") || !strcmp(x->ents[r.actor].kind, "monitor")))
		r.actor = -1;
	/* "its withdrawal", "their pullout": the nearest doer before */
	if (r.actor < 0 && g->noun && c.t0 > c.s && ev_tok_in(&doc->toks[c.t0 - 1], "its|their|his|her")) {
		for (uint32_t j = c.t0 - 1; j > c.s; j--) {
			int32_t ej = x->ent_at[j - 1];
			if (ej >= 0 && ent_actorlike(&x->ents[ej]) && !x->ents[ej].demonym &&
			    ej != r.place && ej != r.other) {
				r.actor = ej;
				break;
			}
		}
		if (r.actor < 0 && x->last_actor >= 0)
			r.actor = x->last_actor;
	}
	/* "Turkey launched an offensive", "the US carried out strikes": the
	 * subject of a light verb is the doer of the noun */
	if (r.actor < 0 && g->noun) {
		uint32_t j = c.t0;
		while (j > c.s && c.t0 - j < 5 && doc->toks[j - 1].cls == SR_TOK_WORD &&
		       !ev_in(&x->tab, &doc->toks[j - 1], ev_class(&x->tab, EVC_LIGHT_VERBS)) && ev_filler(&x->tab, &doc->toks[j - 1]))
			j--;
		if (j > c.s && ev_in(&x->tab, &doc->toks[j - 1], ev_class(&x->tab, EVC_LIGHT_VERBS))) {
			frame_ctx lv = c;
			lv.t0 = j - 1;
			lv.passive = false;
			arg_t a = subject(&lv, WANT_ACTOR);
			if (a.ent >= 0 && a.ent != r.place && a.ent != r.other) {
				r.aa = a;
				r.actor = a.ent;
			}
		}
	}
	/* a nominal event with no doer: the armed force named just before
	 * it in the sentence ("US forces ... their withdrawal"); not for "the
	 * withdrawal", which names an event told before (merging finds its
	 * doer) */
	if (r.actor < 0 && g->noun && type != EV_ATTACK && det != 1) {
		for (uint32_t j = c.t0; j > c.s && c.t0 - j < 12; j--) {
			int32_t ej = x->ent_at[j - 1];
			if (ej >= 0 && ent_actorlike(&x->ents[ej]) &&
			    (!x->ents[ej].actor || x->ents[ej].actor_rank == 2) &&
			    ej != r.place && ej != r.other) {
				r.actor = ej;
				break;
			}
		}
	}
	/* a place with nothing more specific in the sentence: the nearest
	 * place after the trigger for attacks ("an attack in Palmyra") */
	if (type == EV_ATTACK && r.place < 0 && !r.pmention) {
		arg_t p = name_after(&c, c.t1, c.right, WANT_PLACE, 8);
		for (uint32_t j = c.t0; p.ent < 0 && j > c.s && c.t0 - j < 12; j--) {
			int32_t ej = x->ent_at[j - 1];
			if (ej >= 0 && !x->ents[ej].actor && !x->ents[ej].demonym && ej != r.actor &&
			    !(doc->toks[j - 1].flags & SR_TF_DATELINE)) {
				p.ent = ej;
				p.tok = x->ents[ej].tok;
				p.ntok = x->ents[ej].ntok;
			}
		}
		if (p.ent >= 0) {
			r.place = p.ent;
			r.pa = p;
		}
	}
	/* detainees' own group never moves them ("ISIS detainees") */
	if (type == EV_TRANSFER && fallback >= 0 && detainees_of(x, doc, &c, g, fallback))
		fallback = -1;
	/* an agentless withdrawal or deployment is the main force's; not one
	 * whose doer speaks ("I decided to withdraw our units": the speaker's
	 * side, which the report's main force need not be) */
	if (r.actor < 0 && fallback >= 0 && !first_person(x, doc, &c) &&
	    (type == EV_WITHDRAW || type == EV_DEPLOY || type == EV_TRANSFER || type == EV_HANDOVER)) {
		r.actor = fallback;
		r.aa.ent = -1;
	}

	/* a withdrawal with no place named leaves the country the report is
	 * about ("the withdrawal of German soldiers" in a report on Niger) */
	if (r.place < 0 && !r.pmention && type == EV_WITHDRAW && x->main_country >= 0 &&
	    x->main_country != r.actor && x->main_country != r.other &&
	    !(r.actor >= 0 && same_doer(&x->ents[r.actor], &x->ents[x->main_country]))) {
		r.place = x->main_country;
		r.pa.ent = -1;
		r.place_guess = true;
	}
	/* detainees handed over to another country leave the giver's: "the
	 * SDF handed over 150 members to Iraq" (from Syria) */
	if (type == EV_TRANSFER && r.place < 0 && !r.pmention && r.actor >= 0 && r.other >= 0 &&
	    x->ents[r.actor].actor && !ev_state_kind(x->ents[r.actor].kind)) {
		const char *from = x->ents[r.actor].country_code, *to = x->ents[r.other].country_code;
		if (from && from[0] && to && strcmp(from, to) != 0) {
			for (size_t j = 0; j < x->nents; j++)
				if (x->ents[j].country && !x->ents[j].demonym && x->ents[j].country_code &&
				    !strcmp(x->ents[j].country_code, from)) {
					r.place = (int32_t)j;
					r.pa.ent = -1;
					r.place_guess = true;
					break;
				}
		}
	}
	if (r.actor < 0 && !g->noun)
		r.mention = tree_mention(x, doc, si, &c);
	if (type != EV_ATTACK && r.place >= 0 && r.pa.ent == r.place && !x->ents[r.place].country)
		coordinate(&c, &r.pa);
	/* the tree's coordination: "the villages of A, B and C", "Russia and
	 * Ukraine exchanged prisoners" */
	int32_t actors[1 + EV_MAX_CONJ];
	int nactors = 1;
	actors[0] = r.actor;
	/* only a doer named before its verb, as its subject ("Russia and
	 * Ukraine exchanged"), spreads over a list */
	if (type != EV_AGREEMENT && type != EV_HANDOVER && !g->noun && r.actor >= 0 &&
	    x->ents[r.actor].tok < c.t0)
		nactors += tree_conj(x, doc, si, &c, r.actor, r.aa.ent == r.actor, WANT_ACTOR, actors + 1,
				     EV_MAX_CONJ);
	if (r.pa.nmore == 0 && r.place >= 0 && r.pa.ent == r.place) {
		int32_t more[EV_MAX_CONJ];
		int n = tree_conj(x, doc, si, &c, r.place, true, WANT_PLACE, more, EV_MAX_CONJ);
		for (int i = 0; i < n && r.pa.nmore < 6; i++)
			r.pa.more[r.pa.nmore++] = more[i];
	}
	int nplaces = 1 + r.pa.nmore;
	for (int ai = 0; ai < nactors; ai++)
	for (int pi = 0; pi < nplaces + r.npmore; pi++) {
		roles_t rr = r;
		if (ai > 0) {
			rr.actor = actors[ai];
			rr.aa.ent = -1;
		}
		if (pi >= nplaces) {
			/* a place of the list the lexicon does not know */
			rr.place = -1;
			rr.pa.ent = -1;
			rr.pmention = r.pmore[pi - nplaces];
		} else if (pi > 0) {
			rr.place = r.pa.more[pi - 1];
			rr.pa.ent = -1;
			rr.place_guess = false;
		}
		if (type == EV_HANDOVER) {
			roles_t w = rr;
			w.other = -1;
			/* the giver's withdrawal only when the sentence names the
			 * giver ("will be transferred to SDF control" says who
			 * takes over, not who leaves) */
			if (giver_named || strcmp(modality, "expected"))
				make_event(x, doc, si, &c, EV_WITHDRAW, &w, modality);
			if (rr.other >= 0) {
				roles_t t = rr;
				t.actor = rr.other;
				t.aa = rr.oa;
				t.other = rr.actor;
				t.oa = rr.aa;
				make_event(x, doc, si, &c, EV_TAKE_CONTROL, &t, modality);
			}
		} else {
			make_event(x, doc, si, &c, type, &rr, modality);
		}
	}
	return x->nev - before;
}

/* "transferred to SDF control": a take_control by the actor before
 * "control" in a handover's "to" phrase is already covered by the frame;
 * nothing else to do here. */

/* "Related: ...", "Read more: ...": a link to another report, whose
 * events are not this one's. */
static bool
link_line(const sr_doc *doc, const sr_sentence *s)
{
	const sr_token *k = &doc->toks[s->tok];
	uint32_t n = s->ntok;
	if (n >= 2 && ev_tok_in(&k[0], "related|watch|listen|advertisement") && is(&k[1], ":"))
		return true;
	return n >= 3 && ((ev_tok_in(&k[0], "read|see") && ev_tok_in(&k[1], "more|also")) ||
			  (is(&k[0], "also") && is(&k[1], "read"))) && is(&k[2], ":");
}

static void
sentence_events(sr_extractor *x, const sr_doc *doc, uint32_t si, int32_t fallback)
{
	const sr_sentence *s = &doc->sents[si];
	frame_ctx c = {.x = x, .tab = &x->tab, .doc = doc, .s = s->tok, .e = s->tok + s->ntok};
	size_t before = x->nev;
	if (link_line(doc, s))
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
}

/* ------------------------------------------------------------- driver */

static void
load_entities(sr_extractor *x, sr_doc *doc)
{
	const sr_entity *ents;
	size_t n;
	sr_recognize(x->rec, doc, &ents, &n);
	SR_GROW(x->ents, x->capents, n + 1);
	x->nents = 0;
	if (doc->ntok + 1 > x->captok) {
		x->captok = doc->ntok + 1;
		x->ent_at = sr_realloc(x->ent_at, x->captok * sizeof *x->ent_at);
		x->skip = sr_realloc(x->skip, x->captok);
	}
	for (size_t i = 0; i < doc->ntok; i++)
		x->ent_at[i] = -1;
	memset(x->skip, 0, doc->ntok + 1);
	for (size_t i = 0; i < n; i++) {
		const sr_entity *s = &ents[i];
		if (s->ntok == 0 || s->tok + s->ntok > doc->ntok)
			continue;
		ev_ent *e = &x->ents[x->nents];
		memset(e, 0, sizeof *e);
		e->tok = s->tok;
		e->ntok = s->ntok;
		e->actor = s->kind == SR_ENT_ACTOR;
		e->demonym = !e->actor && !strcmp(s->type, "demonym");
		e->country = !e->actor && (!strcmp(s->type, "country") || e->demonym);
		e->site = !e->actor && s->precision && !strcmp(s->precision, "site");
		e->id = s->id;
		e->name = s->name;
		e->kind = s->type;
		e->country_code = s->country;
		e->precision = s->precision && s->precision[0] ? s->precision : NULL;
		e->has_coord = s->has_coord;
		e->lat = s->lat;
		e->lon = s->lon;
		if (e->actor)
			e->actor_rank = (!strcmp(s->type, "state_military") || !strcmp(s->type, "coalition") ||
					 !strcmp(s->type, "armed_group")) ? 2 : 1;
		for (uint32_t t = s->tok; t < s->tok + s->ntok; t++)
			x->ent_at[t] = (int32_t)x->nents;
		x->nents++;
	}
	sr_times_free(x->tx);
	x->tx = NULL;
	x->ntx = sr_times_find(doc, &x->tx);
	/* tokens inside dates and times are no counts (durations are:
	 * "15 days") */
	size_t t = 0;
	for (size_t i = 0; i < x->ntx; i++) {
		if (x->tx[i].type == SR_TIMEX_DURATION)
			continue;
		while (t < doc->ntok && doc->toks[t].nstart < x->tx[i].nstart)
			t++;
		for (size_t u = t; u < doc->ntok && doc->toks[u].nstart < x->tx[i].nend; u++)
			x->skip[u] = 1;
	}
}

void
sr_extract(sr_extractor *x, sr_doc *doc, const sr_event **events, size_t *n)
{
	sr_arena_reset(&x->arena);
	x->nev = 0;
	sr_doc_analyze(doc);
	ev_tables_doc(&x->tab, doc);
	x->doc_toks = doc->toks;
	load_entities(x, doc);
	index_wants(x);
	ev_tree_doc(x);
	int32_t fallback = main_actor(x, doc);
	x->last_receiver = -1;
	x->last_giver = -1;
	x->main_country = main_country(x, fallback);
	x->last_actor = -1;
	for (uint32_t si = 0; si < doc->nsent; si++)
		sentence_events(x, doc, si, fallback);
	ev_finish(x, doc);
	*events = x->ev;
	*n = x->nev;
}
