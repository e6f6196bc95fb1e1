/*
 * extract_int.h -- what extract.c (set-up, the document-level steps and
 * the making of an event), frames.c (the triggers of a sentence and their
 * frames), roles.c and tree_roles.c (the names that fill the roles), tree.c and finish.c
 * (merging, sources, quantities and codes per report) share: the
 * extractor's per-document state, the argument and frame of a trigger,
 * and a few word tests.
 */
#ifndef SR_EXTRACT_INT_H
#define SR_EXTRACT_INT_H

#include "ev.h"

/* The steps of sr_extract that SITREP_EXTRACT_TIMING times. */
enum { EV_ST_WORDS, EV_ST_ENTITIES, EV_ST_TIMES, EV_ST_PLACES, EV_ST_RULES, EV_ST_PARSE, EV_ST_FINISH,
       EV_NSTAGES };
/* At most this many rules are told apart in the record of the parses. */
#define EV_MAX_WHY 32

struct sr_extractor {
	const sr_lexicon *lx;
	sr_recognizer *rec;
	ev_tables tab;
	sr_arena arena;
	sr_event *ev;
	size_t nev, capev;
	uint32_t *evtok;        /* trigger token of each event */
	size_t capevtok;
	uint8_t *evweak;        /* per event: EV_WEAK_* */
	const sr_token *doc_toks;  /* the tokens of the document at hand */
	size_t capevweak;
	ev_ent *ents;
	size_t nents, capents;
	int32_t *ent_at;        /* per token: index in ents, or -1 */
	uint8_t *skip;          /* per token: inside a time expression */
	size_t captok;
	sr_timex *tx;
	size_t ntx;
	int32_t *lastw;         /* index_wants: EV_NWANTS rows of nents+1 */
	size_t caplastw;
	int32_t last_receiver;  /* the receiver of the last handover */
	int32_t last_giver;     /* and its giver */
	int32_t main_country;   /* the country the report is most about */
	int32_t top_country;    /* the country most named as a place, the
				   main doer's own included */
	int32_t last_actor;     /* the doer of the last event made */
	const sr_syntax *syn;   /* the parser's model, or NULL (tree.c) */
	sr_syntax *syn_owned;   /* syn when this extractor loaded it (freed
				   with it), NULL when shared */
	sr_parser *parser;
	sr_parse tree;          /* the parse of sentence tree_si, or only
				   its tags while !tree_parsed (tree.c) */
	sr_word *tree_fix;      /* its words when tree.c repaired them
				   (owned; tree.w then points here) */
	size_t captree_fix;
	uint32_t tree_si;
	bool tree_parsed;       /* tree holds the tree, not only the tags */
	uint32_t tree_asked;    /* the last sentence a rule would have
				   parsed but for the tags (ev_tree_may_be):
				   tree_mention reads its tree */
	size_t nparsed;         /* sentences parsed (for the record) */
	/* SITREP_EXTRACT_TIMING: the sentences parsed by the rule (function)
	 * that first asked for each one's tree, and how many of those gave
	 * no event (printed with the timing) */
	struct { const char *by; size_t parsed, none; } why[EV_MAX_WHY];
	int nwhy;
	int tree_why;           /* why[] of the parse of tree_si, or -1 */
	size_t ntagged;         /* sentences tagged and found to need no
				   tree (for the record) */
	/* SITREP_EXTRACT_TIMING set: the CPU time of each step of
	 * sr_extract, summed over the documents and printed on stderr when
	 * the extractor is freed (bench/extract-stages.sh reads it) */
	bool timing;
	double stage_s[EV_NSTAGES];
	size_t ndocs, nbytes, nwords_parsed;
	size_t nnamed;          /* documents whose names were found */
	size_t nread;           /* documents read past the word tests */
};

/* The kinds of entity last_before finds (roles.c). */
#define EV_NWANTS 5
/* A name is looked for at most this many names back ("the airfield":
 * the last place whose name has that word), so that the cost of a
 * report stays linear in its size. */
#define EV_REF_WINDOW 256
/* At most this many names coordinated with an argument ("A, B and C")
 * make events of their own. */
#define EV_MAX_CONJ 6

/* What is only guessed about an event: its trigger has no tense (a noun,
 * a bare gerund) so its modality says little; its place is the report's
 * country, not named in the sentence. */
#define EV_WEAK_TENSE 1u
#define EV_WEAK_PLACE 2u
#define EV_WEAK_DEF   4u   /* "the attack": names an event told before */
#define EV_WEAK_SITE  8u   /* the place is an unnamed site in a wider place */
#define EV_WEAK_GIVER 16u  /* the giver's withdrawal read from a handover:
			      a "left" of the report may tell it too */
#define EV_WEAK_RESTATED 64u /* its date was taken from an event it restates
				(ev_restated_date): it holds to the month */
#define EV_WEAK_BARE  32u  /* "the pullout": a definite mention with no
			      word of its own on who or where */

static inline bool
is(const sr_token *k, const char *w)
{
	return sr_eq_ci(k->s, k->len, w);
}

/* An argument of a trigger, the frame it is read in, and its roles
 * (roles.c fills them, frames.c applies them, extract.c makes events). */
typedef struct {
	int32_t ent;         /* index in x->ents, or -1 */
	uint32_t tok;        /* token where the words of the argument start */
	uint32_t ntok;
	int32_t more[6];     /* coordinated places ("Manbij and Tal Rifat") */
	int nmore;
	uint32_t end;        /* coordinate(): the token after the list */
	uint32_t utok[4], untok[4]; /* and the names of it no lexicon holds */
	int nu;
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

typedef struct {
	int32_t actor, place, other;
	arg_t aa, pa, oa;
	bool place_guess;    /* the place is the report's country, not named */
	uint8_t definite;    /* a nominal trigger after the/this/that: 1; 2
				when nothing else is in its phrase ("the
				pullout", "this withdrawal") */
	const char *mention; /* a doer named by no lexicon entry, by its
				words ("the M23 rebel group"): arena text */
	const char *pmention; /* a place no lexicon entry names, by its words
				 ("Paletwa", "the town of Al-Urban") */
	const char *pmore[EV_MAX_CONJ]; /* those coordinated with it */
	int npmore;
} roles_t;

/* What an argument search wants (roles.c). */
enum { WANT_ACTOR, WANT_PLACE, WANT_ANY };

/* extract.c */
extern const char PREPS[];     /* prepositions, '|'-separated (ev_in) */
extern const char SUBORD[];    /* words that open a clause */
const char *ev_arena_text(sr_extractor *x, const sr_doc *doc, uint32_t tok, uint32_t ntok);
bool ev_state_kind(const char *k);
bool same_doer(const ev_ent *a, const ev_ent *b);
void make_event(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int type,
		const roles_t *r, const char *modality);

/* roles.c */
bool ev_filler(const ev_tables *t, const sr_token *k);
void index_wants(sr_extractor *x);
bool ent_actorlike(const ev_ent *e);
arg_t name_after(const frame_ctx *c, uint32_t from, uint32_t to, int want, int maxfill);
arg_t subject(const frame_ctx *c, int want);
arg_t after_prep(const frame_ctx *c, const char *prep, int want);
void coordinate(const frame_ctx *c, arg_t *a);
arg_t fill_role(const frame_ctx *c, const ev_slotspec *slots, int n, int want, int nth);
/* tree_roles.c */
void tree_roles(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g,
		roles_t *r);
int32_t tree_light_doer(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, enum ev_class verbs);
bool tree_area_list(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g,
		    roles_t *r);
bool tree_doer_in_phrase(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e);
const char *tree_mention(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c);
int tree_conj(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e, bool named, int want,
	      int32_t *out, int max);

/* tree_roles.c: may token t be a word of a place no lexicon entry names, as
 * the tree reads one ("captured Paletwa"): a word written as a name, in
 * no name of the lexicon nor a time expression, no word of class
 * military or force_nouns? */
bool ev_place_word(const sr_extractor *x, const sr_doc *doc, uint32_t t);
/* roles.c: may the name e fill a place? */
bool ent_place(const ev_ent *e);
/* roles.c: is e a name the role want (WANT_ACTOR, WANT_PLACE, any) wants? */
bool ev_wanted(const ev_ent *e, int want);
/* roles.c: is the place f no wider than e (site < town < region < country)? */
bool ev_wider_or_same(const ev_ent *e, const ev_ent *f);

/* fit.c: does token k end as an English plural noun (attacks, clashes)? */
bool ev_plural(const sr_token *k);
/* fit.c: "the pullout", "this withdrawal": is the nominal trigger of c,
 * whose determiner is at np, bare of any modifier or phrase of its own? */
bool ev_bare_mention(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, uint32_t np);
/* fit.c: "the end of the cooperation agreement", "violated the truce",
 * "to observe a cease-fire": is the nominal trigger of c the object of a
 * word of class undoing_words or upkeep_verbs?  An agreement undone or
 * kept is no agreement made. */
bool ev_undone(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
/* fit.c: "fears of an abrupt pullout", "the threat of an attack": is the
 * nominal trigger of c the "of" phrase of a word of class
 * hypothetical_verbs?  What is feared did not happen. */
bool ev_feared(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
/* fit.c: "the size of the US deployment": is the nominal trigger of c
 * the "of" phrase of a word of class measure_nouns?  A deployment so
 * measured is a state, no event. */
bool ev_measured(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
/* fit.c: ", as agreed upon,": a participle after "as" refers to an event
 * told elsewhere; it states none */
bool ev_as_clause(const sr_doc *doc, const frame_ctx *c);
/* fit.c: "have left 20 villagers injured", "leaving two dead": a verb of
 * class result_verbs followed in its clause by a casualty word tells a
 * result, not a departure */
bool ev_resultative(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
/* fit.c: "left the base and safely arrived in Mopti": an arrival (class
 * arrival_verbs) by the doer of a withdrawal of the same sentence is where
 * that withdrawal went (its other, when it has none), no deployment */
bool ev_arrival_of_departure(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int type,
			     const roles_t *r);
/* fit.c: do the arguments of an event of this type, read in frame c of
 * sentence si for trigger g, fit the constraints of data/arguments.tsv? */
bool ev_args_fit(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, const ev_trigger *g, int type,
		 const roles_t *r);
/* "Izyum was liberated": the doer of an agentless take-over of place,
 * when the report has had it held or left by a force of one country:
 * the last armed force of another country the report made a doer; -1
 * when the report tells neither (roles.c) */
int32_t ev_other_side(const sr_extractor *x, int32_t place);

/* frames.c: the events of sentence si (fallback: the report's main
 * force, or -1) */
void sentence_events(sr_extractor *x, const sr_doc *doc, uint32_t si, int32_t fallback);
/* frames.c: may sentence si yield an event?  0: no reading of a trigger
 * passes its cue words; 1: some do, and the tests of their words drop
 * them all or they need names (*want |= EV_WANT_*); 2: one may yield
 * one (tokens only: no names, no tree) */
enum { EV_WANT_FORCE = 1u, EV_WANT_ARMED = 2u };
int ev_sentence_may_hold(sr_extractor *x, const sr_doc *doc, uint32_t si, unsigned *want);
/* frames.c: may the report's names meet those needs? */
bool ev_names_may_meet(const sr_extractor *x, unsigned want);

/* tree.c: the dependency tree of a sentence, parsed on demand */
/* Loads the syntax model (sr_syntax_default_path: $SITREP_SYNTAX, else
 * data/syntax.model); without one the rules work without the tree. */
void ev_tree_open(sr_extractor *x);
/* Uses m, loaded by another extractor, which must outlive x. */
void ev_tree_share(sr_extractor *x, const sr_syntax *m);
void ev_tree_close(sr_extractor *x);
/* Forgets the parse of the last document. */
void ev_tree_doc(sr_extractor *x);
/* The parse of sentence si (parsed now unless it is the last one asked),
 * or NULL without a model.  Owned by x, valid until the next sentence is
 * asked. */
const sr_parse *ev_tree_parse_by(sr_extractor *x, const sr_doc *doc, uint32_t si, const char *by);
/* (by: the rule asking, for SITREP_EXTRACT_TIMING's record) */
#define ev_tree_parse(x, doc, si) ev_tree_parse_by((x), (doc), (si), __func__)
/* The CPU time of the calling thread, in seconds (SITREP_EXTRACT_TIMING). */
double ev_cpu_seconds(void);
/* The word of token tok, or -1. */
int ev_tree_word(const sr_parse *p, uint32_t tok);

/* May the tree of sentence si give the word at token t the part of
 * speech upos (SR_UPOS_VERB, SR_UPOS_NOUN: the token's first word, which
 * the rules read; SR_UPOS_PROPN: any of its words)?  Decided from the
 * tagger's tags alone when the sentence is not parsed yet (tagging is a
 * fifth of a parse, and a later ev_tree_parse goes on from the tags):
 * a tree keeps each word's tag but for the past form finite_participle
 * makes a verb (tagged VERB or ADJ, never the sentence's first word), so
 * VERB is also allowed by AUX and by ADJ on such a form.  False also when no word of the sentence is at t.  True when the
 * sentence is parsed already (the caller then reads the tree). */
bool ev_tree_may_be(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t, int upos);
/* May the tree of sentence si make a word of a token of class cls (an
 * ev_class string) a verb (VERB or AUX)?  From the tags alone, as
 * ev_tree_may_be, over every word of such a token; true when the
 * sentence is parsed already.  A rule that asks for a verb of a class
 * in the tree ("wanted to see ... relocated", "launched an attack")
 * need not parse a sentence where this is false. */
bool ev_tree_verb_of_class(sr_extractor *x, const sr_doc *doc, uint32_t si, const char *cls);
/* The first dependent of w by relation deprel (its base relation also
 * matches: SR_DEP_NSUBJ finds nsubj:pass; SR_DEP_NONE: any) whose case
 * word is prep (NULL: any); with deprel SR_DEP_CASE, the case word of w
 * that is prep itself; -1 if none. */
int ev_tree_child(const sr_parse *p, int w, int deprel, const char *prep);
/* The subject of verb w: obl:agent in the passive, else nsubj, taken
 * from the verb w completes or is coordinated with when it has none. */
int ev_tree_subject(const sr_parse *p, int w, bool passive);
/* The words coordinated with w (its conj dependents), at most max. */
int ev_tree_conj(const sr_parse *p, int w, int *out, int max);
/* The name in w's phrase (not in a clause below it) nearest to w for
 * which ok(entity, want) holds, or -1.  want 0 asks for a doer: then no
 * name in a modifier other than "of" counts ("a drone attack in Syria"). */
int32_t ev_tree_ent(const sr_extractor *x, const sr_parse *p, int w, bool (*ok)(const ev_ent *, int), int want);

/* places.c: names no lexicon entry holds that the words around them
 * make places ("the villages of A and B", "A town", "left Mekelle"),
 * added to x->ents (in token order, ent_at rebuilt) */
void ev_new_places(sr_extractor *x, const sr_doc *doc);
/* An undated event that restates an earlier dated one of the report
 * (same type, same doer: the lead's "began deploying last night", then
 * the statement's details) takes its date, approximate. */
void ev_restated_date(sr_extractor *x, sr_event *ev);

/* refer.c: "the town", "the city", "the region": the nearest place of
 * the kind the head noun asks for before token t (a town, a first-level
 * region), or -1 when the noun asks for none of these kinds or no such
 * place was named */
int32_t ev_refer_area(const sr_extractor *x, uint32_t t, const sr_token *noun);
/* "them" at token t of the sentence starting at token stok: the towns and sites named before it
 * in the sentence (else in the sentence before), when two or more; fills
 * out (at most max) and returns how many, or 0 */
int ev_refer_them(const sr_extractor *x, const sr_doc *doc, uint32_t stok, uint32_t t, int32_t *out, int max);

/* refer.c: is e named as where something is ("rebel forces in eastern
 * DR Congo said they ...": the country is no antecedent of "they"), after
 * a preposition of place within sentence tokens from stok? */
bool ev_locative(const sr_extractor *x, const sr_doc *doc, uint32_t stok, const ev_ent *e);

/* recall.c: is the nominal trigger of c governed by "under" after a verb
 * of g's cue column ("came under heavy attack")? */
bool ev_under_attack(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c, const ev_trigger *g);
/* recall.c: the place a definite area noun of the clause after the
 * trigger refers to ("out of the region"), or -1 */
int32_t ev_attack_area(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);
/* recall.c: "the two NATO members", "both sides" ending right before
 * token t (sentence from token s): the two last distinct states or
 * forces named before, the earlier in *first; false if none */
bool ev_two_parties(const sr_extractor *x, const sr_doc *doc, uint32_t s, uint32_t t, int32_t *first,
		    int32_t *second);

/* recall.c: "agreed to withdraw": an agreement verb that governs an
 * infinitive or a thing no pact (not "agreed to a truce"), no agreement
 * of its own */
bool ev_agree_to_verb(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);

/* recall.c: "Israel and Hamas agreed": the party named before "and"
 * right before the doer e, or -1 */
int32_t ev_coordinated_party(const sr_extractor *x, const sr_doc *doc, uint32_t s, int32_t e);

/* recall.c: the country the report is about as the place of an attack
 * by the state a that names none, when it is another state's; or -1 */
int32_t ev_attack_country(const sr_extractor *x, int32_t a);

/* recall.c: "targeted Houthi locations", "strikes against positions of
 * the PKK": the target phrase as the attack's place words, its owner
 * as the other party, when r has no place */
void ev_attack_target(sr_extractor *x, const sr_doc *doc, const frame_ctx *c, roles_t *r);

/* recall.c: "a sniper targeting American personnel killed": is the name
 * e before the verb trigger the object of a reduced clause, no doer? */
bool ev_doer_in_reduced_clause(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c, int32_t e);

/* recall.c: is a word of class security in one of the two sentences
 * before si (an agreement of parties named there)? */
bool ev_security_before(const sr_extractor *x, const sr_doc *doc, uint32_t si);

/* recall.c: "The group fired rockets": the armed group named last
 * before "the group" subject of the verb trigger of c, or -1 */
int32_t ev_group_doer(const sr_extractor *x, const sr_doc *doc, const frame_ctx *c);

/* recall.c: "captured the town amid clashes with the SDF": the subject
 * of the verb a nominal attack with a "with" party hangs on, or -1 */
int32_t ev_governing_doer(sr_extractor *x, const sr_doc *doc, uint32_t si, const frame_ctx *c);

/* finish.c: one record per event told twice, previous holders, the
 * report's counts, sources and codes */
void ev_finish(sr_extractor *x, const sr_doc *doc);

#endif
