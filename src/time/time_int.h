/*
 * time_int.h -- what the files of the time stage share: calendar
 * arithmetic (calendar.c), the tagger's micro-tokens and word table
 * (lex.c), the grammar that recognizes expressions (grammar.c) and the
 * driver that resolves them in document order (times.c).
 */
#ifndef SR_TIME_INT_H
#define SR_TIME_INT_H

#include "../sr_internal.h"

/* ------------------------------------------------------------- calendar */

/* Granularities, coarse to fine (same order as enum sr_timex_precision). */
enum {
	G_NONE = 0, G_CENTURY, G_DECADE, G_YEAR, G_HALF, G_QUARTER, G_SEASON,
	G_MONTH, G_WEEK, G_DAY, G_TIME
};

/* Parts of the day ("TMO"...) and seasons ("SP"...). */
enum { POD_NONE = 0, POD_MO, POD_MI, POD_AF, POD_EV, POD_NI, POD_DT };
enum { SEAS_NONE = 0, SEAS_SP, SEAS_SU, SEAS_FA, SEAS_WI };

#define TY_UNKNOWN (-100000)

/* A calendar value at some granularity.  Unset fields are 0 (month, day,
 * ...); y == TY_UNKNOWN prints as XXXX. */
typedef struct tdate {
	int g;          /* G_* */
	int y, m, d;    /* year; month 1-12; day 1-31 */
	int w;          /* ISO week (G_WEEK; y is then the ISO year) */
	int q, h, s;    /* quarter 1-4, half 1-2, season SEAS_* */
	int we;         /* G_WEEK: the weekend of that week */
	int pod;        /* POD_* (G_DAY with a part of day) */
	int hh, mi;     /* G_TIME */
	int wd;         /* unresolved weekday 1-7 (y unknown): XXXX-WXX-n */
	int xm;         /* month unknown too (XXXX-XX, XXXX-XX-XX) */
} tdate;

long tcal_days(int y, int m, int d);             /* days since 1970-01-01 */
void tcal_civil(long days, int *y, int *m, int *d);
int tcal_wday(int y, int m, int d);              /* ISO: 1 Monday .. 7 */
int tcal_mdays(int y, int m);
void tcal_isoweek(int y, int m, int d, int *wy, int *w);
void tcal_add_days(int *y, int *m, int *d, long n);
void tcal_add_months(int *y, int *m, int n);
/* Parses "YYYY-MM-DD"; returns false if not a valid date. */
bool tcal_parse(const char *s, int *y, int *m, int *d);
/* Formats a tdate as a TIMEX3 value into out (cap >= 32). */
void tcal_format(const tdate *t, char *out, size_t cap);
/* A day-granular tdate. */
tdate tcal_day(int y, int m, int d);
/* Coarsens a day-granular date to granularity g (week, month, ...). */
tdate tcal_coarsen(tdate t, int g);
/* Shifts t by n units of its own granularity. */
tdate tcal_shift(tdate t, int n);
/* First and last day of t (any granularity >= G_YEAR..G_DAY). */
void tcal_bounds(const tdate *t, long *first, long *last);

/* ------------------------------------------------------------ micro-tokens */

enum { TW_ALPHA = 1, TW_NUM, TW_PUNCT };
enum { SFX_NONE = 0, SFX_ORD, SFX_S, SFX_AM, SFX_PM, SFX_OTHER };

typedef struct tw {
	uint32_t s, e;      /* span in the normalized text */
	uint8_t k;          /* TW_* */
	uint8_t sp;         /* whitespace before */
	uint8_t up;         /* first letter upper case */
	uint8_t caps;       /* all letters upper case, >= 2 letters */
	uint8_t nd;         /* NUM: digits in the leading run */
	uint8_t sfx;        /* NUM: SFX_* */
	uint8_t apos;       /* NUM: written '80s / '98 */
	uint8_t comma;      /* NUM: had thousands separators or decimals */
	int32_t v;          /* NUM: value of the digits (-1 if > 9 digits) */
	uint16_t id;        /* word id (W_*), 0 if none */
	uint8_t cls;        /* word class (C_*) */
	int16_t lv;         /* class value: month 1-12, weekday 1-7, number */
	char w[24];         /* lower-cased text, truncated */
} tw;

/* An index of the word table (open addressing on an FNV-1a hash), built
 * once per document by the caller, so the library keeps no global
 * mutable state. */
#define TLEX_SLOTS 1024
typedef struct tlex_index {
	int16_t slot[TLEX_SLOTS];
} tlex_index;
void tlex_index_build(tlex_index *ix);

/* Splits norm[s, e) into micro-tokens appended to *v (count *n, capacity
 * *cap). */
void tlex_split(const tlex_index *ix, const char *norm, size_t s, size_t e,
		tw **v, size_t *n, size_t *cap);

/* Word classes. */
enum {
	C_NONE = 0, C_MONTH, C_MONABBR, C_WDAY, C_WDABBR, C_NUM, C_ORD,
	C_UNIT, C_SEASON, C_POD, C_FUNC, C_TENSE
};

/* Units (lv of C_UNIT words; plural adds 100). */
enum {
	U_NONE = 0, U_SECOND, U_MINUTE, U_HOUR, U_DAY, U_NIGHT, U_WEEK,
	U_WEEKEND, U_FORTNIGHT, U_MONTH, U_QUARTER, U_HALF, U_YEAR, U_DECADE,
	U_CENTURY, U_MILLENNIUM, U_SEASON
};

/* Word ids of the function words the grammar tests. */
enum {
	W_NONE = 0,
	W_THE, W_A, W_AN, W_THIS, W_THAT, W_THESE, W_THOSE, W_LAST, W_NEXT,
	W_PAST, W_COMING, W_PREVIOUS, W_FOLLOWING, W_CURRENT, W_UPCOMING,
	W_RECENT, W_RECENTLY, W_SAME, W_EARLIER, W_LATER, W_EARLY, W_LATE,
	W_MID, W_MIDDLE, W_END, W_BEGINNING, W_START, W_OF, W_AGO, W_BEFORE,
	W_AFTER, W_FROM, W_NOW, W_HENCE, W_SINCE, W_IN, W_ON, W_AT, W_BY,
	W_UNTIL, W_TILL, W_THROUGH, W_DURING, W_WITHIN, W_FOR, W_OVER,
	W_ABOUT, W_AROUND, W_APPROXIMATELY, W_NEARLY, W_ALMOST, W_ROUGHLY,
	W_SOME, W_MORE, W_THAN, W_LESS, W_LEAST, W_UP, W_TO, W_UNDER, W_AND,
	W_OR, W_FISCAL, W_TODAY, W_YESTERDAY, W_TOMORROW, W_TONIGHT,
	W_OVERNIGHT, W_NOON, W_MIDNIGHT, W_SEVERAL, W_FEW, W_COUPLE, W_MANY,
	W_DOZEN, W_DOZENS, W_EVERY, W_EACH, W_PER, W_DAILY, W_WEEKLY,
	W_MONTHLY, W_YEARLY, W_ANNUALLY, W_HOURLY, W_NIGHTLY, W_QUARTERLY,
	W_CURRENTLY, W_PRESENTLY, W_FORMERLY, W_PREVIOUSLY, W_SOON, W_FUTURE,
	W_LATELY, W_NOWADAYS, W_PRESENT, W_MOMENT, W_TIME, W_PERIOD, W_ENDED,
	W_ENDING, W_LATEST, W_FINAL, W_OTHER, W_AHEAD, W_PRIOR, W_THEN,
	W_YEARS, W_AM, W_PM, W_OCLOCK, W_GMT, W_TZ, W_FIRST, W_SECOND,
	W_HALF, W_ANOTHER, W_JUST, W_ONLY, W_WHOLE, W_ENTIRE, W_FULL,
	W_AGE, W_YEAR_ERA, W_LONG, W_ONCE, W_ALREADY, W_ANNUAL, W_YEARLONG,
	W_DAYS, W_NEARLY_ALIAS, W_EXACTLY, W_COMPARABLE, W_WEEKS, W_MONTHS,
	W_TWICE, W_THRICE, W_TIMES, W_ALL, W_HISTORICALLY, W_EVE, W_DAWN,
	W_DUSK, W_CHRISTMAS, W_EASTER, W_NEW, W_THANKSGIVING, W_DAY_HOL,
	W_INDEPENDENCE, W_HALLOWEEN, W_RAMADAN, W_ALONE, W_MIDAFTERNOON,
	W_LATER_ON, W_STILL, W_TIL, W_AROUND_ALIAS, W_BETWEEN, W_FEWER,
	W_HALFWAY, W_INTO, W_ONE, W_PLUS, W_NOT, W_NO, W_YET,
	W__COUNT
};

/* Tense cue ids (cls C_TENSE, lv): */
enum { T_FUT = 1, T_PAST, T_PRES, T_PERF, T_MODAL_FUT, T_INF_FUT,
       T_PASTV,     /* an irregular past form ("left", "withdrew") */
       T_FUTV,      /* future when "to" follows ("expected to") */
       T_NOTV,      /* looks like a past (-ed) but is no verb here */
       T_BE         /* be/being/been before a participle: passive */
};

/* ------------------------------------------------------------- grammar */

/* Relative kinds of a parsed expression. */
enum {
	R_ABS = 0,      /* fully given (year known) */
	R_NOYEAR,       /* month/day/season/quarter without year: tense picks */
	R_OFFSET,       /* anchor + n units ("last week", "two days ago") */
	R_WDAY,         /* a weekday (dir: 0 tense, -1 last, +1 next) */
	R_REF,          /* PRESENT_REF, PAST_REF, FUTURE_REF (in dur) */
	R_DUR,          /* a duration value (in dur) */
	R_SET,          /* a set value (in dur) */
	R_ANAPH         /* "that day", "the same month": the anchor itself */
};

/* What the grammar found at one place; times.c resolves it. */
typedef struct tspec {
	int type;       /* SR_TIMEX_* */
	int rel;        /* R_* */
	tdate t;        /* R_ABS / R_NOYEAR: the value (y may be unknown) */
	int unit;       /* R_OFFSET/R_ANAPH: granularity G_* */
	int n;          /* R_OFFSET: units to add */
	int dayn;       /* R_OFFSET of weeks in days ("two weeks ago") */
	int text_ref;   /* anchored to the last date of the text */
	int dir;        /* R_WDAY / R_NOYEAR: -1, 0, +1 */
	int wd;         /* R_WDAY: 1-7 */
	int pod;        /* part of day to add */
	int hh, mi;     /* time of day to add (hh >= 0) */
	int quarterish; /* "a year ago" in a text about quarters */
	char dur[32];   /* R_REF / R_DUR / R_SET value */
	char mod[16];
} tspec;

/* The grammar's view of a sentence. */
typedef struct tsent {
	const tw *t;
	size_t n;
} tsent;

/* Tries to recognize an expression starting at token i; returns the
 * index one past its last token (> i) and fills *sp, or returns 0. */
size_t tgram_match(const tsent *s, size_t i, tspec *sp);

/* The tense of the clause around tokens [i, j) (enum sr_tense). */
int tgram_tense(const tsent *s, size_t i, size_t j);

#endif
