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
#define EV_MAX_ALTS 8

/* need flags */
#define NEED_PLACE 0x01u
#define NEED_ACTOR 0x02u
#define NEED_OTHER 0x04u
#define NEED_ANY   0x08u
#define NEED_CUE   0x10u
#define NEED_SITE  0x20u
#define NEED_FUT   0x40u
#define NEED_TOWN  0x80u

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

typedef struct ev_tables {
	ev_trigger *trig;
	size_t ntrig, captrig;
	ev_code *codes;
	size_t ncodes, capcodes;
	/* first-word index: open addressing over (hash, trigger index) */
	struct { uint64_t h; uint32_t trig; } *index;
	size_t indexcap;
} ev_tables;

/* Reads a triggers.tsv / codes.tsv file into t; on a problem writes
 * "FILE:LINE: what" into err and returns SR_ERR_DATA. */
int ev_tables_load_triggers(ev_tables *t, const char *path, char *err, size_t errlen);
int ev_tables_load_codes(ev_tables *t, const char *path, char *err, size_t errlen);
void ev_tables_index(ev_tables *t);
void ev_tables_free(ev_tables *t);
/* Calls fn for each trigger whose first word is the lower-cased word w. */
void ev_tables_lookup(const ev_tables *t, const char *w, size_t n,
		      void (*fn)(const ev_trigger *, void *), void *ctx);

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

/* Quantities of a sentence: fills q (at most max) with the counts found in
 * tokens [s, e) and returns how many.  Tokens inside time expressions are
 * marked in skip[]. */
int ev_quantities(const sr_doc *doc, uint32_t s, uint32_t e, const uint8_t *skip,
		  sr_quantity *q, uint32_t *qtok, int max, sr_arena *a);

/* Modality of an event whose trigger is at tokens [t0, t1) in the
 * sentence [s, e). */
const char *ev_modality(const sr_doc *doc, uint32_t s, uint32_t e, uint32_t t0,
			uint32_t t1, bool noun);

#endif
