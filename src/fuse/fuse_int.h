/*
 * fuse_int.h -- fusion and place status as pure functions over arrays.
 *
 * The store loads events into an array of sf_event, calls sf_fuse, writes
 * the incidents it returns, builds an array of sf_sinc from them and
 * calls sf_status for the timelines of the places.  Nothing here reads
 * or writes a database, a lexicon or a clock: the same arrays give the
 * same result, whatever the engine behind them (SQLite today, PostgreSQL
 * tomorrow), and the unit tests call these functions on arrays made by
 * hand.
 *
 *   rules.c    the one rule for "place A contains place B", actor
 *              compatibility, ranks and date windows
 *   fuse.c     events -> incidents
 *   summary.c  an incident's summary and disagreements
 *   status.c   incidents -> per place, intervals of who held it
 */
#ifndef SR_FUSE_INT_H
#define SR_FUSE_INT_H

#include "../sr_internal.h"

/* Place precision, finest first. */
enum { SF_RANK_SITE, SF_RANK_TOWN, SF_RANK_REGION, SF_RANK_COUNTRY, SF_RANK_NONE };

/* A place as containment sees it. */
typedef struct sf_place {
	long long id;           /* stored id (or any id: equal ids are one place) */
	int rank;               /* SF_RANK_* */
	char country[3];        /* ISO alpha-2, "" if unknown */
	int has_coord;
	double lat, lon;
} sf_place;

/* The rank of a precision name ("site", "town", "region", "country";
 * NULL or unknown: site, an exact place). */
int sf_place_rank(const char *precision);

/* The one rule of containment, for fusion and sr_place_contains alike:
 * does outer contain inner?  Yes when they are the same place; else
 * outer must be coarser than inner and in the same country, and it
 * contains inner when it is the country, when it is a region within
 * SR_FUSE_REGION_KM of inner, or when it is a town and inner a site
 * within SR_FUSE_TOWN_KM. */
int sf_place_contains(const sf_place *outer, const sf_place *inner);

/* Formats a number the way reports write counts: 5700 -> "5,700". */
void sf_fmt_count(double v, char *out, size_t n);

/* Great-circle distance in km. */
double sf_km(double lat1, double lon1, double lat2, double lon2);

/* Are two actor keys ("A|US.MIL") compatible: equal, lexicon ids one a
 * dotted prefix of the other, two state bodies of one country, a country
 * and its state bodies?  NULL fits all. */
int sf_actors_compatible(const char *a, const char *b);

/* ---------------------------------------------------------------- fusion */

typedef struct sf_qty {
	double value;
	const char *unit;
	int approx;
} sf_qty;

/* One stored event, as fusion reads it.  The caller fills the fields
 * marked "in" (strings live as long as the fusion); sf_fuse fills the
 * rest.  Ids are the store's (0 = none). */
typedef struct sf_event {
	/* in */
	long long id, doc, actor, place, other;
	const char *type, *modality, *date, *dprec, *published;
	const char *dockey, *docname, *outlet;
	long long dord;         /* the rank of dockey among all documents (equal
				   keys, equal ranks), 0 if unknown: then the
				   keys themselves are compared */
	const char *actor_key, *actor_name;
	const char *place_name, *place_text;
	const char *other_name;
	double lat, lon;
	const char **srcs;      /* attributed sources, sorted */
	const char **copies;    /* outlets of other copies of its report */
	const sf_qty *q;
	long long was;          /* the stored incident it belonged to (0: new),
				   for sf_fuse_region */
	/* (the fields of 4 bytes and less together: no padding between
	 * fields of 8, 16 bytes an event of a million held) */
	int other_is_place;
	int n, approx;
	int prank;              /* SF_RANK_*, SF_RANK_NONE without a place */
	int has_coord;
	int orank;              /* the other party's precision */
	int nsrc;
	int ncopies;
	int nq;
	int force;              /* join the incident of was, not the best one
				   (sf_fuse_region sets it) */
	char country[3];        /* the place's */
	char ocountry[3];
	/* out */
	int mod;                /* enum sr_modality */
	int drank;              /* 0 day, 1 month, 2 year, 3 undated */
	int dated;
	int32_t lo, hi;         /* the window it may have happened in */
	int32_t dlo, dhi;       /* the stated date's own range */
	int inc;                /* its incident, an index into sf_fusion.inc */
	int pix, aix;           /* its place's and actor's rank among the
				   distinct ones of the fusion, -1 for none */
	uint64_t th;            /* a hash of its type, for the blocks' keys */
} sf_event;

/* One value of a disagreement: its label and the members that give it,
 * as JSON arrays (event ids, documents, sources). */
typedef struct sf_dis {
	const char *field;      /* "date", "count:personnel", "place", "actor", "other" */
	char *value;
	char *events, *docs, *sources;
} sf_dis;

/* An incident: members and what it says. */
typedef struct sf_incident {
	long long id;           /* 1.. in a stable order: first, type, anchor */
	int anchor;             /* the member with the incident's place */
	const struct sf_event *an;      /* ev + anchor */
	int *mem;               /* members, indexes into sf_fusion.ev */
	size_t nmem, cap;
	int32_t lo, hi;         /* the intersection of the members' windows */
	int32_t first;          /* earliest stated date, else earliest
				   publication, else INT32_MIN: the order */
	int actors[8];          /* members with distinct actors (first 8) */
	int nactors, overflow;
	/* the summary (sf_fuse fills it) */
	long long actor, other; /* first actor named; other party kept */
	int actor_ev, other_ev; /* the members that name them, -1 if none */
	int dated_ev;           /* the member with the most precise date, -1 */
	int32_t dlo, dhi;       /* the span of the stated dates */
	int mod;                /* the firmest modality (enum sr_modality) */
	size_t ndocs, nsources;
	const char **sources;   /* distinct sorted source names */
	char *sources_json, *quantities_json;
	char *docs, *modalities;        /* comma lists in member id order */
	const char *first_published;
	double days;            /* the largest stated duration in days, 0 */
	sf_dis *dis;
	size_t ndis;
	int changed;            /* sf_fuse_region: its members are not exactly
				   those of one stored incident */
} sf_incident;

typedef struct sf_blocks sf_blocks;

typedef struct sf_fusion {
	sf_event *ev;           /* the caller's array (sorted by sf_fuse) */
	size_t nev;
	sf_incident *inc;
	size_t ninc;
	sr_arena a;             /* strings of the result */
	sf_blocks *blocks;
	struct sf_folds *folds; /* places' words folded, by string (summary.c) */
	struct sf_jsets *jsets; /* JSON arrays of strings made, by pointers (summary.c) */
	int each;               /* set by the caller: sf_fuse leaves the summaries
				   out, the caller makes each in turn (sf_summarize)
				   and drops it once used (sf_summary_drop), so
				   that one incident's strings are in memory at a
				   time, not a whole type's */
	sr_arena ia;            /* with each: the strings of that incident */
} sf_fusion;

/* Fuses fu->ev[0..nev) into fu->inc (see sr_store_fuse in sitrep.h for the
 * rules), numbered 1.. in a stable order, each with its summary and
 * disagreements (unless fu->each: then without).  The events are sorted in place (most specific first);
 * the result does not depend on their order on entry. */
void sf_fuse(sf_fusion *fu);

/* The derived fields of one event (modality, date rank, the window
 * [lo, hi] it may have happened in); sf_fuse does it for each. */
void sf_event_window(sf_event *e);

/* Fusion again of a region of time: fu->ev holds every event of one type
 * whose window reaches x0 or later (hi >= x0), each with the stored
 * incident it belonged to (was; 0 for an event never fused), and every
 * other member of those incidents.  Events whose window starts before x0
 * keep their stored incident (force); the others are fused as sf_fuse
 * does.  Returns 1 when the result is provably what sf_fuse over every
 * stored event gives: no event kept by force, nor any event outside the
 * region, could see an incident that changed (the windows of every
 * member of a changed incident, old or new, start at or after the end
 * of every forced event's window: fusion's decisions depend only on
 * incidents whose windows overlap the event's); then fu->inc[i].changed
 * says which incidents are not exactly a stored one.  Returns 0 when
 * the region is too small to say so (or holds an event without a
 * window): fuse a larger one, or all. */
int sf_fuse_region(sf_fusion *fu, int32_t x0);

/* The summary of incident I of fu (its members known, fu->ev[m].inc
 * set): I's actor, other party, dates, modality, documents, sources,
 * quantities and disagreements, strings in fu->a (summary.c). */
void sf_summarize(sf_fusion *fu, sf_incident *I);

/* Frees what sf_summarize made for I (with fu->each, empties fu->ia:
 * one incident's summary lives until the next is made). */
void sf_summary_drop(sf_fusion *fu, sf_incident *I);

/* Frees the folded words of places and the JSON arrays sf_summarize
 * kept in fu. */
void sf_folds_free(sf_fusion *fu);

/* Frees what sf_fuse made (not fu->ev). */
void sf_fusion_free(sf_fusion *fu);

/* ---------------------------------------------------------------- status */

/* An incident as place status reads it. */
typedef struct sf_sinc {
	long long id, place, actor, other;
	const char *type, *actor_key, *date, *dprec, *modality, *other_name;
	int other_is_place;
	int32_t when;           /* its date, else its first report's, else INT32_MAX */
	int dated;
	double days;            /* a stated duration, 0 if none */
	const char *const *sources;
	size_t nsources;
} sf_sinc;

/* One interval of a place's timeline. */
typedef struct sf_interval {
	long long place, actor;
	const char *actor_key;
	const char *role;       /* held, present, withdrawing, expected_control,
				   expected_withdrawal, expected_deployment */
	char start[11], start_prec[8];
	char end[11], end_prec[8];
	int has_start, has_end, end_expected, open;
	char note[160];
	long long incs[64];
	int ninc;
	/* filled at the end */
	char *incidents_json;   /* [ids] */
	char *sources_json;     /* distinct sorted names */
	int nsources;
} sf_interval;

typedef struct sf_status_out {
	sf_interval *iv;
	size_t n, cap;
	sr_arena a;
} sf_status_out;

/* Derives the timelines of the places from the incidents in[0..n) (sorted
 * here by place, date, type), as sr_store_fuse documents: take_control
 * starts a holding and ends the previous holder's, withdraw ends a
 * presence (or, with a stated duration that ends after as_of, is under
 * way), deploy adds a presence, expected events are expected intervals
 * until an asserted one fulfils them, denied ones change nothing.
 * as_of: the latest publication ("YYYY-MM-DD", NULL if none).  Intervals
 * come out grouped by place, in the order they were opened. */
void sf_status(sf_sinc *in, size_t n, const char *as_of, sf_status_out *out);
/* The same intervals, in the same order, each passed to emit as it is
 * made instead of kept: the interval lives until emit returns; its
 * JSON in a (kept), or when a is NULL only until the next place's
 * intervals (the memory of a store's status is then one place's, not
 * every place's). */
void sf_status_each(sf_sinc *in, size_t n, const char *as_of, sr_arena *a,
		    void (*emit)(void *ctx, const sf_interval *v), void *ctx);

void sf_status_free(sf_status_out *out);

/* The other places of an incident's events, as status counts them: the
 * distinct places of I's members other than the incident's own and other
 * than countries, in the order of the members' event ids, at most
 * SF_MAX_PLACES ("withdrew from Khan Younis ... the division left the
 * Gaza Strip" fuse into one withdrawal at Khan Younis, yet the Gaza Strip
 * was left too).  Fusion keeps them in the incident's row (column
 * places, sf_places_text) so that status reads only incidents.  Their
 * number, into out. */
#define SF_MAX_PLACES 8
int sf_incident_places(const sf_fusion *fu, const sf_incident *I, long long out[SF_MAX_PLACES]);

/* places[0..n) as the column keeps them: ids joined by ',' ("" for none),
 * into out (at least SF_MAX_PLACES * 21 bytes). */
void sf_places_text(const long long *places, int n, char *out, size_t cap);

/* The ids of a places column ("12,40"; NULL or "" none), at most
 * SF_MAX_PLACES, into out; their number. */
int sf_places_parse(const char *s, long long out[SF_MAX_PLACES]);

/* ---- dates (days since 1970-01-01), shared with the store (store.c) */
int st_date_range(const char *s, int32_t *lo, int32_t *hi);
void st_date_str(int32_t days, char out[11]);

#endif
