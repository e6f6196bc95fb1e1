/*
 * extract_int.h -- what extract.c (finding events sentence by sentence)
 * and finish.c (merging, sources, quantities and codes per report) share:
 * the extractor's per-document state and a few word tests.
 */
#ifndef SR_EXTRACT_INT_H
#define SR_EXTRACT_INT_H

#include "ev.h"

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
	int32_t last_actor;     /* the doer of the last event made */
	sr_syntax *syn;         /* the parser's model, or NULL (tree.c) */
	sr_parser *parser;
	sr_parse tree;          /* the parse of sentence tree_si */
	uint32_t tree_si;
	size_t nparsed;         /* sentences parsed (for the record) */
};

/* The kinds of entity last_before finds (extract.c). */
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

static inline bool
is(const sr_token *k, const char *w)
{
	return sr_eq_ci(k->s, k->len, w);
}

/* extract.c */
extern const char PREPS[];     /* prepositions, '|'-separated (ev_in) */
extern const char SUBORD[];    /* words that open a clause */
bool ev_filler(const ev_tables *t, const sr_token *k);
const char *ev_arena_text(sr_extractor *x, const sr_doc *doc, uint32_t tok, uint32_t ntok);
bool ev_state_kind(const char *k);

/* tree.c: the dependency tree of a sentence, parsed on demand */
/* Loads the syntax model (sr_syntax_default_path: $SITREP_SYNTAX, else
 * data/syntax.model); without one the rules work without the tree. */
void ev_tree_open(sr_extractor *x);
void ev_tree_close(sr_extractor *x);
/* Forgets the parse of the last document. */
void ev_tree_doc(sr_extractor *x);
/* The parse of sentence si (parsed now unless it is the last one asked),
 * or NULL without a model.  Owned by x, valid until the next sentence is
 * asked. */
const sr_parse *ev_tree_parse(sr_extractor *x, const sr_doc *doc, uint32_t si);
/* The word of token tok, or -1. */
int ev_tree_word(const sr_parse *p, uint32_t tok);
/* The first dependent of w by relation deprel (its base relation also
 * matches: SR_DEP_NSUBJ finds nsubj:pass; SR_DEP_NONE: any) whose case
 * word is prep (NULL: any); -1 if none. */
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

/* finish.c: one record per event told twice, previous holders, the
 * report's counts, sources and codes */
void ev_finish(sr_extractor *x, const sr_doc *doc);

#endif
