/*
 * ev.h -- what the files of the event stage share: the trigger and code
 * tables read from data/, the per-document view of names and times the
 * rules work on, and the cue tests (modality, attribution, quantities).
 */
#ifndef SR_EV_H
#define SR_EV_H

#include "../sr_internal.h"

enum ev_type {
	EV_WITHDRAW = 0,
	EV_TAKE_CONTROL,
	EV_DEPLOY,
	EV_ATTACK,
	EV_TRANSFER,
	EV_AGREEMENT,
	EV_HANDOVER,    /* a trigger type only: gives withdraw + take_control */
	EV_NTYPES
};

extern const char *const ev_type_names[EV_NTYPES];
/* The type named s ("withdraw"), or -1. */
int ev_type_of(const char *s);
/* Splits line at tabs into at most max fields (in place); returns how many. */
int ev_split_tabs(char *line, char **f, int max);

/* Argument slots of a frame. */
enum ev_slot {
	SL_SUBJ = 0, SL_OBJ, SL_POSS, SL_PRE, SL_BETWEEN, SL_PREP
};

typedef struct ev_slotspec {
	uint8_t kind;          /* enum ev_slot */
	char prep[12];         /* SL_PREP: the preposition ("from", "out of") */
} ev_slotspec;

#define EV_MAX_SLOTS 8
#define EV_MAX_WORDS 5
#define EV_MAX_ALTS 16

/* need flags */
#define NEED_PLACE 0x01u
#define NEED_ACTOR 0x02u
#define NEED_OTHER 0x04u
#define NEED_ANY   0x08u
#define NEED_CUE   0x10u
#define NEED_SITE  0x20u
#define NEED_FUT   0x40u
#define NEED_TOWN  0x80u
#define NEED_ARMED 0x100u     /* the doer is an armed force, or the
				 sentence speaks of one (class military) */
#define NEED_FORCE 0x400u     /* the doer is an armed force, coalition or
				 armed group (not a state, a person) */
#define NEED_SECURITY 0x200u  /* the sentence is about security (class
				 security), not trade, climate or money */
#define NEED_UNDER 0x800u     /* a nominal attack governed by "under"
				 after a verb of the cue column ("came
				 under fire"): the subject is the target */
#define NEED_CLAUSE 0x1000u   /* the verb heads a clause of its own, no
				 bare participle that modifies a noun
				 ("troops stationed there left") */

typedef struct ev_trigger {
	uint8_t type;                  /* enum ev_type */
	bool noun;
	uint8_t nwords;
	uint8_t nalts[EV_MAX_WORDS];
	char *alts[EV_MAX_WORDS][EV_MAX_ALTS];   /* lower case */
	ev_slotspec actor[EV_MAX_SLOTS], place[EV_MAX_SLOTS], other[EV_MAX_SLOTS];
	uint8_t nactor, nplace, nother;
	unsigned need;
	char **cues;
	int ncues;
	int line;
} ev_trigger;

typedef struct ev_code {
	uint8_t type;
	char modality[24];             /* "" = any */
	char **cues;
	int ncues;
	char *cameo, *plover, *acled;  /* NULL for "-" */
} ev_code;

/* Word sets (wordset.c): the '|'-separated word lists of the rules, each
 * compiled on first use into a hash set found again by the list's
 * address, so a list must live as long as the handle (a literal does);
 * and the hash of each token of the current document, made once.  A
 * cache of one extractor: not for sharing between threads. */
typedef struct ev_words ev_words;

/* The list bits of the tokens of the document last given to
 * ev_words_doc (bit c: class c): token i's word has number tv[i], and
 * the bits of word number v are the EV_BIT_WORDS words at
 * vb[v * EV_BIT_WORDS] (number 0: in no list). */
#define EV_BIT_WORDS 4
#define EV_TV_UNKNOWN UINT32_MAX   /* tv[i]: not yet looked up */
typedef struct ev_bitview {
	const sr_token *toks;
	size_t ntok;
	uint32_t *tv;          /* a cache: filled as asked (ev_bit_tv) */
	const uint64_t *vb;
	ev_words *words;
} ev_bitview;
/* Looks up the number of token i's word, keeps it in v->tv[i], returns it. */
uint32_t ev_words_tv(const ev_bitview *v, size_t i);
/* The number of token i's word. */
static inline uint32_t
ev_bit_tv(const ev_bitview *v, size_t i)
{
	uint32_t n = v->tv[i];
	return n != EV_TV_UNKNOWN ? n : ev_words_tv(v, i);
}

/* A new, empty handle; free with ev_words_free (accepts NULL). */
ev_words *ev_words_new(void);
void ev_words_free(ev_words *w);
/* Makes doc the document the next questions are about (its tokens'
 * hashes are made when first asked for); doc must outlive them (the
 * hashes are found by token address). */
void ev_words_doc(ev_words *w, const sr_doc *doc);
/* ev_fold_hash of token k: the one made by ev_words_doc if k is a token
 * of that document, else computed now. */
uint64_t ev_words_hash(const ev_words *w, const sr_token *k);
/* Is token k one of the words of list?  Always ev_tok_in(k, list). */
bool ev_words_has(ev_words *w, const sr_token *k, const char *list);
/* Compiles list now with list bit `bit` (< EV_BIT_WORDS * 64, not given
 * before); lists compiled later take the bits after the highest so
 * given.  Before any document. */
void ev_words_fix(ev_words *w, const char *list, int bit);
/* w's view of the list bits; lives as long as w. */
const ev_bitview *ev_words_view(const ev_words *w);
/* A hash of [s, s+n) with ASCII letters lower-cased; never 0. */
uint64_t ev_fold_hash(const char *s, size_t n);

/* Word classes (data/classes.tsv) the rules ask about, by name.  A class
 * the file names that is not here is an error (a misspelling), and so is
 * one of these that no file fills. */
enum ev_class {
	EVC_MILITARY = 0,  /* words that tell an armed conflict or force */
	EVC_SECURITY,      /* what an agreement of ours is about */
	EVC_CIVIL,         /* what makes an agreement or a withdrawal civil:
			      trade, climate, money */
	EVC_PACT,          /* nouns a name before them makes a pact's name:
			      "the Paris agreement" is no place */
	EVC_CIVILIANS,     /* people who are no force: "evacuated residents" */
	EVC_SITE_NOUNS,    /* "the base": a site told before */
	EVC_COUNTRY_NOUNS, /* "the country" */
	EVC_AREA_NOUNS,    /* "the town", "the corridor" */
	EVC_FORCE_PRONOUNS,
	EVC_LIGHT_VERBS,   /* "launched an attack", "completed its withdrawal" */
	EVC_NOT_MODIFIERS, /* words that cannot modify a nominal trigger */
	EVC_WEAPON_MODIFIERS, /* "rocket attacks": the verb form is a noun */
	EVC_HYPOTHETICAL_VERBS, /* "threatened to attack", "fear of an assault" */
	EVC_DEMAND_VERBS,  /* "called for the withdrawal": not what happened */
	EVC_STATE_VERBS,   /* "has 900 troops deployed": a state, no event */
	EVC_FORCE_NOUNS,   /* "the troops": an armed force told before */
	EVC_IRREGULAR_NOUNS, /* "the rebels": an armed group told before */
	/* places.c: names no lexicon entry holds */
	EVC_SETTLEMENT_NOUNS, /* "the villages of X and Y", "X town" */
	EVC_PLACE_CUES,    /* "in X", "left X": a place may follow */
	EVC_NOT_NAMES,     /* capitalized words that start no place name */
	EVC_REGION_NOUNS,  /* refer.c: "the region", "the province" */
	/* fit.c and data/arguments.tsv: what an argument's head noun is */
	EVC_DETAINEES,     /* prisoners, detainees, hostages */
	EVC_GROUND_NOUNS,  /* what a force takes besides sites and towns:
			      hills, bridges, plants, roads */
	EVC_TIME_NOUNS,    /* "hours later": a time, no argument */
	EVC_KILLED_WORDS,  /* cues.c: "two soldiers were killed" */
	EVC_INJURED_WORDS, /* cues.c: "57 wounded" */
	EVC_RESULT_VERBS,  /* fit.c: "left 20 villagers injured" is a result,
			      no departure */
	EVC_ARRIVAL_VERBS, /* fit.c: "left the base and arrived in Mopti" */
	EVC_TIME_SUBORDINATORS, /* extract.c: "before the attack": a clause
				   whose time is not its head's */
	EVC_AFTER_WORDS,   /* "after", "following": just before its head */
	EVC_UNDOING_WORDS, /* fit.c: "the end of the agreement", "violated the
			      truce": an agreement undone, none made */
	EVC_MEASURE_NOUNS, /* fit.c: "the size of the US deployment": a state */
	EVC_UPKEEP_VERBS,  /* fit.c: "to observe a cease-fire": a pact made
			      before, kept, none made */
	EVC_TRUCE_NOUNS,   /* roles.c: nouns that name a pact of their own:
			      "agreements ... to observe a cease-fire between
			      A and B": A and B are the truce's parties */
	EVC_PARTY_NOUNS,   /* recall.c: "the two sides", "both countries",
			      "the two NATO members": the parties of an
			      agreement, named before */
	EVC_TARGET_NOUNS,  /* recall.c: "Houthi targets", "positions of the
			      PKK": what an attack hits, named by its owner */
	EVC_ATTACK_COMPOUNDS, /* frames.c: "attack helicopters": a kind of unit or weapon */
	EVC_ATTACK_NOUNS, /* frames.c: "air raid": the noun after a verb form is the trigger */
	EVC_BARGAIN_NOUNS, /* frames.c: "struck a deal": no attack */
	EVC_REMAIN_WORDS, /* frames.c: "remain deployed": a state */
	EVC_VERB_IDIOM_WORDS, /* frames.c: "took part", "took office": another verb */
	EVC_LEFT_BEHIND_WORDS, /* frames.c: "left behind", "leaving only": no departure */
	EVC_IRREGULAR_PARTICIPLES, /* frames.c: "taken", "held": for the passive */
	EVC_MEMBER_NOUNS, /* frames.c: "members of the armed forces": no detainees */
	EVC_PACT_VERBS, /* frames.c: "the truce that X reached": its maker */
	EVC_INTERNAL_WORDS, /* frames.c: "civil war": fought within a state */
	EVC_ARMED_GROUP_NOUNS, /* frames.c: "a militant attack": its doer by that word */
	EVC_DENIAL_VERBS, /* cues.c: "denied withdrawing" */
	EVC_PLAN_WORDS, /* cues.c: "plans to withdraw": expected */
	EVC_NOUN_FUTURE_WORDS, /* cues.c: "the withdrawal will take": expected */
	EVC_NOUN_PAST_WORDS, /* cues.c: "the withdrawal began": not a plan */
	EVC_COMING_UNITS, /* cues.c: "in the coming days" */
	EVC_CLAIM_VERBS, /* cues.c: "X claimed that": hedged */
	EVC_CUSTODY_WORDS, /* cues.c: a count of detainees */
	EVC_HELD_WORDS, /* cues.c: "suspected fighters": detainees */
	EVC_DISTANCE_UNITS, /* cues.c: "40 km" */
	EVC_FUTURE_WORDS, /* cues.c: "will withdraw": expected */
	EVC_NEGATION_WORDS, /* cues.c: "did not withdraw": denied */
	EVC_HEDGE_WORDS, /* cues.c: "reportedly": reported_unconfirmed */
	EVC_UNIT_DETAINEES, /* cues.c: a count of detainees */
	EVC_UNIT_PERSONNEL, /* cues.c: a count of personnel */
	EVC_UNIT_VEHICLES, /* cues.c: a count of vehicles */
	EVC_UNIT_AIRCRAFT, /* cues.c: a count of aircraft */
	EVC_UNIT_BASES, /* cues.c: a count of bases */
	EVC_UNIT_DAYS, /* cues.c: a count of days */
	EVC_UNIT_INJURED, /* cues.c: a count of injured */
	EVC_UNIT_KILLED, /* cues.c: a count of killed */
	EVC_WITNESS_NOUNS, /* finish.c: a source that is a witness */
	EVC_MILITARY_SOURCE_NOUNS, /* finish.c: a military source */
	EVC_OFFICIAL_NOUNS, /* finish.c: an official source */
	EVC_OUTLET_NOUNS, /* finish.c: a source that is an outlet */
	EVC_FIRE_ATTACK_WORDS, /* finish.c: an attack by fire from afar */
	EVC_GROUND_ATTACK_WORDS, /* finish.c: an attack on the ground */
	EVC_SPEAK_VERBS, /* finish.c: "speaking to Reuters" */
	EVC_TOLD_VERBS, /* finish.c: "told Reuters" */
	EVC_DIRECTION_WORDS, /* roles.c: "north of X" */
	EVC_PART_NOUNS, /* roles.c: "the eastern part of X" */
	EVC_CAUSATIVE_VERBS, /* roles.c: "let X leave" */
	EVC_PAIR_NOUNS, /* roles.c: "the two sides" */
	EVC_GROUP_NOUNS, /* roles.c: "the rebel group" */
	EVC_GROUND_OF_STATE, /* extract.c: "Lebanese territory": the country */
	EVC_ASPECT_WORDS, /* extract.c: "began withdrawing" */
	EVC_BORDER_NOUNS, /* places.c: "the Syria-Turkey border" */
	EVC_CEASEFIRE_NOUNS, /* recall.c: "a truce" */
	EVC_GROUP_DOER_NOUNS, /* recall.c: "the group" as a doer */
	EVC_SAY_VERBS, /* verbs of saying: a source's words */
	EVC_SPAN_UNITS, /* cues.c: "two weeks": no count */
	EVC_HELD_GROUP_NOUNS, /* cues.c: "suspected fighters" */
	EVC_LINK_WORDS, /* frames.c: "Related: ...": a link line */
	EVC_REGIME_NOUNS, /* roles.c: "regime forces" */
	EVC_SHARE_NOUNS, /* roles.c: "elements of the 3rd Brigade": the
			    of-phrase says whose they are */
	EVC_HABITUAL_WORDS, /* context.c: "withdrawals have typically been
			       accompanied by": how things go, no event */
	EVC_APPROACH_WORDS, /* frames.c: "close to pushing them out": not
			       yet done, no event */
	EVC_CLAUSE_OPENERS, /* frames.c: "said", "when", "who": a subject
			       before one is another clause's */
	EVC_NCLASSES
};
extern const char *const ev_class_names[EVC_NCLASSES];

/* Argument constraints (data/arguments.tsv, fit.c): what a role of an
 * event type may be and may not be, by the recognizer's kind of its name,
 * by its being a place, or by the word class of its head noun. */
enum ev_role {
	EV_ROLE_ACTOR = 0, /* the doer */
	EV_ROLE_THEME,     /* what the verb acts on: its object, or its
			      subject in the passive */
	EV_ROLE_MOVER,     /* what moves: the theme, else the subject of a
			      verb with no object ("their families relocated") */
	EV_ROLE_GOAL,      /* where the verb puts it: its "into" phrase
			      ("taken into custody") */
	EV_ROLE_AGENT,     /* the tree's doer of a verb: its subject, the
			      passive's "by" phrase, or the noun an -ing
			      clause modifies ("a drone entering the base") */
	EV_NROLES
};
typedef struct ev_argtest {
	uint8_t what;      /* EV_ARG_PLACE, EV_ARG_ACTOR, EV_ARG_KIND, EV_ARG_CLASS */
	int cls;           /* EV_ARG_CLASS: enum ev_class */
	char *kind;        /* EV_ARG_KIND: an actor kind, owned */
} ev_argtest;
enum { EV_ARG_PLACE = 0, EV_ARG_ACTOR, EV_ARG_KIND, EV_ARG_CLASS };
typedef struct ev_argrule {
	uint8_t type, role;          /* enum ev_type, enum ev_role */
	ev_argtest *fits, *fails;    /* owned; nfits 0: anything fits */
	int nfits, nfails;
	int line;
} ev_argrule;

#define EV_START_PRE_BITS (1u << 14)
typedef struct ev_tables {
	char *classes[EVC_NCLASSES];  /* '|'-separated words, owned */
	ev_argrule *args;             /* argument constraints, owned */
	size_t nargs, capargs;

	ev_trigger *trig;
	size_t ntrig, captrig;
	ev_code *codes;
	size_t ncodes, capcodes;
	/* first-word index: open addressing over (ev_fold_hash, trigger) */
	/* (the word's length: a hit is a word of the same hash and length,
	 * as in wordset.c) */
	struct { uint64_t h; uint32_t trig; uint32_t len; } *index;
	size_t indexcap;
	uint64_t *startbits;   /* bit (hash >> 48) set: a first word may have it */
	/* bit ev_start_key(length, first and last byte, ASCII lower-cased)
	 * set for every first word: a token that misses it starts no
	 * trigger, known without hashing it */
	uint64_t startpre[EV_START_PRE_BITS / 64];
	ev_words *words;       /* the rules' word lists (ev_in) */
	/* after ev_tables_index, the words of every class in one buffer,
	 * each class's string right after a byte holding its number: a list
	 * inside [cbuf, cbuf_end) is a class, and that byte its bit below */
	char *cbuf;
	const char *cbuf_end;
	const ev_bitview *view;  /* of words: the tokens' list bits */
} ev_tables;

/* Reads a triggers.tsv / codes.tsv file into t; on a problem writes
 * "FILE:LINE: what" into err and returns SR_ERR_DATA. */
int ev_tables_load_triggers(ev_tables *t, const char *path, char *err, size_t errlen);
int ev_tables_load_codes(ev_tables *t, const char *path, char *err, size_t errlen);
/* Reads a classes.tsv file (class, words) into t; lines of one class add
 * up, and a later file adds to an earlier one. */
int ev_tables_load_classes(ev_tables *t, const char *path, char *err, size_t errlen);
/* Reads an arguments.tsv file (type, role, fits, fails) into t (fit.c);
 * an unknown type, role, class or test is an error naming FILE:LINE. */
int ev_tables_load_args(ev_tables *t, const char *path, char *err, size_t errlen);
void ev_tables_free_args(ev_tables *t);
/* Checks that every class the rules ask about has words; else writes
 * which into err and returns SR_ERR_DATA. */
int ev_tables_check_classes(const ev_tables *t, char *err, size_t errlen);
/* The words of class c, '|'-separated (for ev_in); "" when empty. */
static inline const char *
ev_class(const ev_tables *t, enum ev_class c)
{
	return t->classes[c] ? t->classes[c] : "";
}
/* Indexes the triggers by first word; makes t->words. */
void ev_tables_index(ev_tables *t);
/* Starts the work on doc: ev_words_doc on t->words. */
void ev_tables_doc(const ev_tables *t, const sr_doc *doc);
void ev_tables_free(ev_tables *t);
/* Calls fn for each trigger whose first word is token k (its first 63
 * bytes), in table order. */
void ev_tables_lookup(const ev_tables *t, const sr_token *k,
		      void (*fn)(const ev_trigger *, void *), void *ctx);
/* May a trigger start at token k?  False means ev_tables_lookup would
 * call fn for none; a quick test by hash. */
bool ev_tables_may_start(const ev_tables *t, const sr_token *k);

/* A name found in the document (place or actor), as the rules see it. */
typedef struct ev_ent {
	uint32_t tok, ntok;       /* token range */
	bool actor;               /* actor, else place */
	bool country;             /* a place that is a country (may act) */
	bool demonym;             /* "Iranian": a country's adjective */
	bool site;                /* a base, airport, crossing, prison, camp */
	const char *id, *name, *kind, *country_code, *precision;
	double lat, lon;
	int has_coord;
	uint8_t actor_rank;       /* 2 armed force/coalition/group, 1 other */
} ev_ent;

/* Lower-cases a token into buf (at most cap-1 bytes, ASCII folding).
 * Returns the length. */
size_t ev_lower(const sr_token *k, char *buf, size_t cap);
/* Is token k (case-insensitively) one of the words of the '|'-separated
 * list? */
bool ev_tok_in(const sr_token *k, const char *list);
/* The same answer as ev_tok_in, from the word sets of t (a hash probe
 * instead of a scan of the list). */
bool ev_in_sets(const ev_tables *t, const sr_token *k, const char *list);
/* The same again: a bit test for a class's list and a token of the
 * current document (ev_tables_doc), else ev_in_sets. */
static inline bool
ev_in(const ev_tables *t, const sr_token *k, const char *list)
{
	uintptr_t l = (uintptr_t)list;
	if (l >= (uintptr_t)t->cbuf && l < (uintptr_t)t->cbuf_end) {
		const ev_bitview *v = t->view;
		uintptr_t p = (uintptr_t)k, b = (uintptr_t)v->toks;
		if (p - b < v->ntok * sizeof *k) {
			unsigned c = (unsigned char)t->cbuf[l - (uintptr_t)t->cbuf - 1];
			return v->vb[(size_t)ev_bit_tv(v, (size_t)(k - v->toks)) * EV_BIT_WORDS + (c >> 6)] >> (c & 63) & 1;
		}
	}
	return ev_in_sets(t, k, list);
}

/* Is token k a word of any of the classes whose bits are set in mask
 * (bit c: class c, EV_BIT_WORDS words)?  The answer of ev_in for each
 * of them, or'ed: for a token of the current document one look at its
 * word's row of bits, else ev_in class by class. */
static inline bool
ev_in_mask(const ev_tables *t, const sr_token *k, const uint64_t mask[EV_BIT_WORDS])
{
	const ev_bitview *v = t->view;
	if (v && t->cbuf) {
		uintptr_t p = (uintptr_t)k, b = (uintptr_t)v->toks;
		if (p - b < v->ntok * sizeof *k) {
			const uint64_t *row = v->vb + (size_t)ev_bit_tv(v, (size_t)(k - v->toks)) * EV_BIT_WORDS;
			uint64_t any = 0;
			for (int w = 0; w < EV_BIT_WORDS; w++)
				any |= row[w] & mask[w];
			return any != 0;
		}
	}
	for (int c = 0; c < EVC_NCLASSES; c++)
		if ((mask[c >> 6] >> (c & 63) & 1) && ev_in(t, k, ev_class(t, (enum ev_class)c)))
			return true;
	return false;
}

/* Sets class c's bit in mask (EV_BIT_WORDS words), for ev_in_mask. */
static inline void
ev_mask_add(uint64_t mask[EV_BIT_WORDS], enum ev_class c)
{
	mask[c >> 6] |= 1ULL << (c & 63);
}

/* Quantities of a sentence: fills q (at most max) with the counts found in
 * tokens [s, e) and returns how many.  Tokens inside time expressions are
 * marked in skip[]. */
int ev_quantities(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t e, const uint8_t *skip,
		  sr_quantity *q, uint32_t *qtok, int max, sr_arena *a);

/* Modality of an event whose trigger is at tokens [t0, t1) in the
 * sentence [s, e). */
const char *ev_modality(const ev_tables *t, const sr_doc *doc, uint32_t s, uint32_t e, uint32_t t0,
			uint32_t t1, bool noun);

#endif
