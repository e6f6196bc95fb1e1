/*
 * times.c -- the time stage's driver and public API: walks a document's
 * sentences in order, lets the grammar (grammar.c) find expressions in
 * each, and resolves them against the publication date or the last date
 * the text has fixed so far (calendar.c does the arithmetic).
 *
 * Resolution is sequential on purpose: "two days later" and "that
 * month" mean something only after the text has named a date, so the
 * state (the last resolved date, the last quarter) flows through the
 * document in reading order.  Nothing here reads the clock: a document
 * without a publication date gets X placeholders for relative values.
 */
#include "time_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct tctx {
	int have_dct;
	tdate dct;          /* the publication day */
	int have_last;
	tdate last;         /* the last date the text resolved */
	int32_t last_idx;
	int have_lq;
	tdate lq;           /* the last quarter the text resolved */
	int32_t lq_idx;
	int last_was_q;     /* the last date was a quarter */
	tw *tw;
	size_t ntw, captw;
	uint32_t *may;      /* the tokens of the sentence the grammar is asked at */
	size_t capmay;
	sr_timex *out;
	size_t n, cap;
} tctx;

static const char *type_names[] = {"DATE", "TIME", "DURATION", "SET"};

const char *
sr_timex_type_name(int type)
{
	return type >= 0 && type < 4 ? type_names[type] : "DATE";
}

/* ------------------------------------------------------------- resolving */

/* The candidate among years ay-1..ay+1 for a year-less value t that the
 * direction (dir: -1 last, +1 next, 2 this, 0 tense) picks around day a. */
static tdate
pick_year(tdate t, long a, int ay, int dir, int tense)
{
	tdate c[3];
	long f[3], l[3];
	for (int k = 0; k < 3; k++) {
		c[k] = t;
		c[k].y = ay - 1 + k;
		if (c[k].g == G_DAY && c[k].d > tcal_mdays(c[k].y, c[k].m))
			c[k].d = tcal_mdays(c[k].y, c[k].m);
		tcal_bounds(&c[k], &f[k], &l[k]);
	}
	if (dir == 2)
		return c[1];
	if (dir < 0) {
		for (int k = 2; k >= 0; k--)
			if (l[k] < a)
				return c[k];
		return c[0];
	}
	if (dir > 0) {
		for (int k = 0; k < 3; k++)
			if (f[k] > a)
				return c[k];
		return c[2];
	}
	/* a quarter or half is this year's unless the past puts it before */
	if (t.g == G_QUARTER || t.g == G_HALF)
		return (tense == SR_TENSE_PAST && f[1] > a) ? c[0] : c[1];
	/* a day close to the anchor is this year's, whatever the tense; so is
	   the month after the anchor's (news seldom says "in March" for the
	   March eleven months ago) */
	if (t.g == G_DAY && labs(f[1] - a) <= 90)
		return c[1];
	if (t.g == G_MONTH && f[1] > a && f[1] - a <= 31)
		return c[1];
	if (tense == SR_TENSE_FUTURE) {
		for (int k = 0; k < 3; k++)
			if (l[k] >= a)
				return c[k];
		return c[2];
	}
	if (tense == SR_TENSE_PAST || tense == SR_TENSE_NONE) {
		for (int k = 2; k >= 0; k--)
			if (f[k] <= a)
				return c[k];
		return c[0];
	}
	/* present: the nearest */
	int best = 1;
	long bd = -1;
	for (int k = 0; k < 3; k++) {
		long dd = a < f[k] ? f[k] - a : a > l[k] ? a - l[k] : 0;
		if (bd < 0 || dd < bd) {
			bd = dd;
			best = k;
		}
	}
	return c[best];
}

/* The weekday wd nearest day a in direction dir (-1 strictly before, +1
 * strictly after, 0 by tense: the past allows a itself). */
static long
pick_wday(long a, int wd, int dir, int tense)
{
	int y, m, d;
	tcal_civil(a, &y, &m, &d);
	int aw = tcal_wday(y, m, d);
	int back = (aw - wd + 7) % 7, fwd = (wd - aw + 7) % 7;
	if (dir < 0)
		return a - (back ? back : 7);
	if (dir > 0)
		return a + (fwd ? fwd : 7);
	if (tense == SR_TENSE_FUTURE)
		return a + fwd;
	if (tense == SR_TENSE_PRESENT && fwd < back)
		return a + fwd; /* "the talks resume Monday": the nearer one */
	return a - back;
}

static tdate
from_days(long z)
{
	int y, m, d;
	tcal_civil(z, &y, &m, &d);
	return tcal_day(y, m, d);
}

static void
add_time(tdate *t, const tspec *sp)
{
	if (t->g != G_DAY && t->g != G_TIME)
		return;
	if (sp->hh >= 0) {
		t->g = G_TIME;
		t->hh = sp->hh;
		t->mi = sp->mi;
		t->pod = 0;
	} else if (sp->pod) {
		t->pod = sp->pod;
	}
}

/* Resolves one spec; writes the value, returns the anchor kind. */
static int
resolve(tctx *c, const tspec *sp, int tense, tdate *res, int32_t *aidx, int *dated)
{
	*aidx = -1;
	*dated = 0;
	tdate t = sp->t;
	switch (sp->rel) {
	case R_ABS:
		add_time(&t, sp);
		*res = t;
		*dated = 1;
		return SR_ANCHOR_NONE;
	case R_NOYEAR: {
		int an = SR_ANCHOR_PUBLISHED;
		if (!c->have_dct) {
			if (t.d < 0)
				t.d = 0;
			add_time(&t, sp);
			*res = t;
			return SR_ANCHOR_UNRESOLVED;
		}
		long a = tcal_days(c->dct.y, c->dct.m, c->dct.d);
		if (sp->dir == 2 && sp->n != 0) {
			t.y = c->dct.y + sp->n;
		} else {
			t = pick_year(t, a, c->dct.y, sp->dir, tense);
			/* a weekday given with the date picks among nearby years */
			if (sp->wd && t.g == G_DAY && tcal_wday(t.y, t.m, t.d) != sp->wd) {
				for (int k = -1; k <= 1; k += 2)
					if (t.d <= tcal_mdays(t.y + k, t.m) && tcal_wday(t.y + k, t.m, t.d) == sp->wd) {
						t.y += k;
						break;
					}
			}
		}
		if (t.g == G_DAY && t.d < 0) {
			/* the n-th Thursday of the month (Thanksgiving) */
			int w1 = tcal_wday(t.y, t.m, 1);
			t.d = 1 + (4 - w1 + 7) % 7 + 7 * (-t.d - 1);
		}
		add_time(&t, sp);
		*res = t;
		*dated = 1;
		return an;
	}
	case R_WDAY: {
		tdate base;
		int an;
		if (sp->text_ref && c->have_last && c->last.g >= G_DAY) {
			base = c->last;
			an = SR_ANCHOR_TEXT;
			*aidx = c->last_idx;
		} else if (c->have_dct) {
			base = c->dct;
			an = SR_ANCHOR_PUBLISHED;
		} else {
			tdate u = {0};
			u.g = sp->t.we ? G_WEEK : G_DAY;
			u.y = TY_UNKNOWN;
			u.wd = sp->wd;
			u.we = sp->t.we;
			u.pod = sp->pod;
			if (sp->hh >= 0) {
				u.g = G_TIME;
				u.hh = sp->hh;
				u.mi = sp->mi;
			}
			*res = u;
			return SR_ANCHOR_UNRESOLVED;
		}
		long a = tcal_days(base.y, base.m, base.d);
		long z = pick_wday(a, sp->wd, sp->dir, tense);
		t = from_days(z);
		if (sp->t.we) {
			t = tcal_coarsen(t, G_WEEK);
			t.we = 1;
		}
		add_time(&t, sp);
		*res = t;
		*dated = 1;
		return an;
	}
	case R_OFFSET: {
		tdate base;
		int an;
		if (sp->quarterish == 3) {
			/* "the 1988 period": the reporting quarter of 1988 */
			tdate q = {0};
			if (c->have_lq)
				q = c->lq;
			else if (c->have_dct)
				q = tcal_shift(tcal_coarsen(c->dct, G_QUARTER), -1);
			else
				q.g = G_QUARTER;
			q.g = G_QUARTER;
			q.y = sp->t.y;
			*res = q;
			*dated = 1;
			return q.q ? SR_ANCHOR_PUBLISHED : SR_ANCHOR_NONE;
		}
		if (sp->quarterish == 2) {
			/* the reporting quarter: the last quarter the text named,
			   else the one before the publication date's */
			if (c->have_lq) {
				base = c->lq;
				*aidx = c->lq_idx;
				an = SR_ANCHOR_TEXT;
			} else if (c->have_dct) {
				base = tcal_shift(tcal_coarsen(c->dct, G_QUARTER), -1);
				an = SR_ANCHOR_PUBLISHED;
			} else {
				tdate u = {0};
				u.g = G_QUARTER;
				u.y = TY_UNKNOWN;
				*res = u;
				return SR_ANCHOR_UNRESOLVED;
			}
			*res = tcal_shift(base, sp->n);
			*dated = 1;
			return an;
		}
		if (sp->quarterish == 1 && sp->text_ref == 0 && c->have_lq && c->last_was_q && sp->n == -1) {
			/* "a year ago" in a text about quarters: that quarter */
			*res = tcal_shift(c->lq, -4);
			*aidx = c->lq_idx;
			*dated = 1;
			return SR_ANCHOR_TEXT;
		}
		if (sp->quarterish == 1 && sp->text_ref && c->have_lq && c->last_was_q && sp->n == -1) {
			*res = tcal_shift(c->lq, -4);
			*aidx = c->lq_idx;
			*dated = 1;
			return SR_ANCHOR_TEXT;
		}
		if (sp->text_ref && c->have_last) {
			base = c->last;
			an = SR_ANCHOR_TEXT;
			*aidx = c->last_idx;
		} else if (c->have_dct) {
			base = c->dct;
			an = SR_ANCHOR_PUBLISHED;
		} else {
			tdate u = {0};
			u.g = sp->unit;
			u.y = TY_UNKNOWN;
			u.xm = 1;
			if (sp->unit == G_WEEK)
				u.we = 0;
			add_time(&u, sp);
			*res = u;
			return SR_ANCHOR_UNRESOLVED;
		}
		int g = sp->unit;
		if (base.g < g && !(base.g == G_WEEK && g == G_DAY && 0)) {
			/* anchored to something coarser than the step: keep the
			   anchor ("in 2014 ... two days later" is some day of 2014) */
			if (base.g == G_WEEK || base.g < G_YEAR || base.g == G_SEASON || base.g == G_QUARTER ||
			    base.g == G_HALF || base.g == G_MONTH) {
				t = base;
				if (g >= G_DAY && base.g >= G_YEAR)
					t = tcal_shift(base, 0);
				*res = t;
				*dated = 1;
				return an;
			}
		}
		if (base.g == G_WEEK && g >= G_DAY) {
			*res = base;
			*dated = 1;
			return an;
		}
		if (g == G_DAY || g == G_TIME) {
			if (base.g < G_DAY) {
				*res = base;
				return an;
			}
			tdate b = tcal_day(base.y, base.m, base.d);
			t = tcal_shift(b, sp->n);
		} else {
			tdate b = base.g >= G_MONTH && base.g != G_WEEK ? tcal_coarsen(tcal_day(base.y, base.m, base.d ? base.d : 1), g)
								       : tcal_coarsen(base, g);
			if (base.g == G_QUARTER && g == G_YEAR) {
				b.g = G_YEAR;
			}
			t = tcal_shift(b, sp->n);
		}
		add_time(&t, sp);
		*res = t;
		*dated = 1;
		return an;
	}
	case R_ANAPH: {
		tdate base;
		int an;
		int g = sp->unit;
		if (c->have_last && (g < G_DAY || c->last.g >= G_DAY)) {
			base = c->last;
			an = SR_ANCHOR_TEXT;
			*aidx = c->last_idx;
		} else if (c->have_dct) {
			base = c->dct;
			an = SR_ANCHOR_PUBLISHED;
		} else {
			tdate u = {0};
			u.g = g;
			u.y = TY_UNKNOWN;
			u.xm = 1;
			add_time(&u, sp);
			*res = u;
			return SR_ANCHOR_UNRESOLVED;
		}
		if (base.g >= G_MONTH && base.g != G_WEEK && g != G_WEEK && g <= base.g)
			t = tcal_coarsen(tcal_day(base.y, base.m, base.d ? base.d : 1), g);
		else if (base.g >= G_DAY && g == G_WEEK)
			t = tcal_coarsen(tcal_day(base.y, base.m, base.d), G_WEEK);
		else if (g < base.g && g <= G_YEAR)
			t = tcal_coarsen(base, g);
		else
			t = base;
		if (t.g == G_TIME && sp->hh >= 0)
			t.g = G_DAY;
		if (sp->t.we && t.g == G_WEEK)
			t.we = 1;
		add_time(&t, sp);
		*res = t;
		*dated = 1;
		return an;
	}
	default:
		break;
	}
	return SR_ANCHOR_NONE;
}

/* ---------------------------------------------------------------- driver */

/* Copies the string src into dst of cap bytes (a snprintf "%s" was a
 * measurable part of `sitrep times`). */
static void
copy_str(char *dst, size_t cap, const char *src)
{
	size_t l = strnlen(src, cap - 1);
	memcpy(dst, src, l);
	dst[l] = 0;
}

static void
tag_sentence(tctx *c, const char *norm, size_t nlen, size_t ns, size_t ne, uint32_t sent, const sr_doc *doc)
{
	c->ntw = 0;
	if (!tlex_may_hold(norm, nlen, ns, ne))
		return; /* no anchor: nothing to split */
	if (!tlex_split(norm, ns, ne, &c->tw, &c->ntw, &c->captw))
		return; /* nothing can start an expression here */
	tsent s = {c->tw, c->ntw};
	/* the grammar's own gate (may_start in grammar.c) for every token
	   in one backward pass: a token with start flags, or a function
	   word with a temporal token among the next four; and an anchor
	   ahead that no plain word stands before (every expression holds
	   an anchor, and the grammar reads no plain word on its way there:
	   "the 25 soldiers" is skipped, "the last two or three years" is
	   not).  The grammar is asked only there: the tokens that pass are
	   listed last first, without a branch per token (a coin toss each,
	   which the branch predictor lost). */
	SR_GROW(c->may, c->capmay, s.n);
	size_t nt = SIZE_MAX;   /* the next temporal token */
	unsigned reach = 0;     /* an anchor ahead, no plain word between */
	size_t m = 0;
	for (size_t k = s.n; k-- > 0;) {
		unsigned tf = s.t[k].tf;
		unsigned anchor = (tf & TF_ANCHOR) != 0, plain = (tf & TF_PLAIN) != 0;
		unsigned start = (tf & TF_START) != 0, weak = (tf & TF_WEAK) != 0;
		reach = (reach & (plain ^ 1u)) | anchor;
		c->may[m] = (uint32_t)k;
		m += reach & (start | (weak & (nt < k + 5)));
		nt = (tf & TF_TEMPORAL) ? k : nt;
	}
	size_t i = 0;   /* tokens before i are in an expression found */
	while (m > 0) {
		size_t k = c->may[--m];
		if (k < i)
			continue;
		i = k;
		tspec sp;
		size_t e = tgram_match(&s, i, &sp);
		if (!e) {
			i++;
			continue;
		}
		SR_GROW(c->out, c->cap, c->n + 1);
		sr_timex *x = &c->out[c->n];
		memset(x, 0, sizeof *x);
		x->nstart = s.t[i].s;
		x->nend = s.t[e - 1].e;
		if (doc)
			sr_doc_span(doc, x->nstart, x->nend, &x->start, &x->end);
		else
			x->start = x->nstart, x->end = x->nend;
		x->sentence = sent;
		x->type = (uint8_t)sp.type;
		x->anchor_timex = -1;
		copy_str(x->mod, sizeof x->mod, sp.mod);
		x->approx = sp.mod[0] != 0;
		if (sp.rel == R_REF || sp.rel == R_DUR || sp.rel == R_SET) {
			copy_str(x->value, sizeof x->value, sp.dur);
			x->anchor = SR_ANCHOR_NONE;
			x->precision = SR_PREC_NONE;
		} else {
			/* the tense of the clause picks the direction of a
			   weekday or a bare month; durations need none */
			int tense = tgram_tense(&s, i, e);
			tdate r;
			int32_t aidx;
			int dated;
			x->anchor = (uint8_t)resolve(c, &sp, tense, &r, &aidx, &dated);
			x->anchor_timex = aidx;
			tcal_format(&r, x->value, sizeof x->value);
			x->precision = (uint8_t)(r.g <= G_TIME ? r.g : 0);
			/* what later expressions may anchor to: not the shifted
			   comparisons ("a year earlier", "the year-ago quarter") */
			int shifted = sp.rel == R_OFFSET && (sp.quarterish || sp.n != 0) && sp.text_ref;
			shifted |= sp.rel == R_OFFSET && sp.quarterish && sp.n != 0;
			if (dated && r.y != TY_UNKNOWN && r.g >= G_YEAR && !shifted) {
				c->have_last = 1;
				c->last = r;
				c->last_idx = (int32_t)c->n;
				c->last_was_q = r.g == G_QUARTER;
				if (r.g == G_QUARTER) {
					c->have_lq = 1;
					c->lq = r;
					c->lq_idx = (int32_t)c->n;
				}
			}
		}
		c->n++;
		i = e;
	}
}

/* The token and gate buffers, kept from one document to the next (a
 * malloc, a growth and a free of each per document were a measurable
 * part of `sitrep times`), unless a huge sentence made them big. */
static _Thread_local struct {
	tw *tw;
	size_t captw;
	uint32_t *may;
	size_t capmay;
} scratch;

#define SCRATCH_KEEP (1u << 16)   /* tokens */

/* A thread that ends (a worker of `extract --jobs`) frees the buffers it
 * kept: a key whose destructor runs at its exit. */
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void
scratch_free(void *unused)
{
	(void)unused;
	free(scratch.tw);
	free(scratch.may);
	memset(&scratch, 0, sizeof scratch);
}

static void
scratch_key_init(void)
{
	pthread_key_create(&scratch_key, scratch_free);
}

static void
scratch_take(tctx *c)
{
	c->tw = scratch.tw;
	c->captw = scratch.captw;
	c->may = scratch.may;
	c->capmay = scratch.capmay;
	memset(&scratch, 0, sizeof scratch);
}

static void
scratch_give(tctx *c)
{
	if (c->captw > SCRATCH_KEEP || c->capmay > SCRATCH_KEEP) {
		free(c->tw);
		free(c->may);
		return;
	}
	scratch.tw = c->tw;
	scratch.captw = c->captw;
	scratch.may = c->may;
	scratch.capmay = c->capmay;
	pthread_once(&scratch_once, scratch_key_init);
	pthread_setspecific(scratch_key, &scratch);
}

static void
ctx_init(tctx *c, const char *published)
{
	memset(c, 0, sizeof *c);
	int y, m, d;
	if (published && tcal_parse(published, &y, &m, &d)) {
		c->have_dct = 1;
		c->dct = tcal_day(y, m, d);
	}
}

size_t
sr_times_find(const sr_doc *doc, sr_timex **out)
{
	*out = NULL;
	if (!doc || !doc->norm || !doc->toks)
		return 0;
	tctx c;
	ctx_init(&c, doc->published);
	scratch_take(&c);
	for (size_t k = 0; k < doc->nsent; k++) {
		const sr_sentence *st = &doc->sents[k];
		if (!st->ntok || st->tok >= doc->ntok)
			continue;
		size_t last = st->tok + st->ntok - 1;
		if (last >= doc->ntok)
			last = doc->ntok - 1;
		size_t ns = doc->toks[st->tok].nstart;
		size_t ne = doc->toks[last].nstart + doc->toks[last].len;
		if (ne > doc->nlen)
			ne = doc->nlen;
		if (ns >= ne)
			continue;
		tag_sentence(&c, doc->norm, doc->nlen, ns, ne, (uint32_t)k, doc);
	}
	scratch_give(&c);
	if (!c.n) {
		free(c.out);
		return 0;
	}
	*out = c.out;
	return c.n;
}

size_t
sr_times_scan(sr_doc *doc, sr_timex **out)
{
	*out = NULL;
	if (!doc)
		return 0;
	if (doc->toks)
		return sr_times_find(doc, out);
	uint32_t *sp;
	size_t ns = sr_doc_sentence_spans(doc, &sp);
	tctx c;
	ctx_init(&c, doc->published);
	scratch_take(&c);
	for (size_t k = 0; k < ns; k++) {
		size_t s = sp[2 * k], e = sp[2 * k + 1];
		if (e > doc->nlen)
			e = doc->nlen;
		if (s < e)
			tag_sentence(&c, doc->norm, doc->nlen, s, e, (uint32_t)k, doc);
	}
	free(sp);
	scratch_give(&c);
	if (!c.n) {
		free(c.out);
		return 0;
	}
	*out = c.out;
	return c.n;
}

void
sr_times_free(sr_timex *t)
{
	free(t);
}

size_t
sr_times_in_sentence(const sr_timex *t, size_t n, uint32_t sentence, size_t *first)
{
	/* binary search for the first timex of the sentence */
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[mid].sentence < sentence)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	size_t k = lo;
	while (k < n && t[k].sentence == sentence)
		k++;
	return k - lo;
}

int
sr_time_normalize(const char *phrase, size_t len, const char *published, int tense, sr_timex *out)
{
	memset(out, 0, sizeof *out);
	if (!phrase)
		return 0;
	tctx c;
	ctx_init(&c, published);
	c.ntw = 0;
	tlex_split(phrase, 0, len, &c.tw, &c.ntw, &c.captw);
	tsent s = {c.tw, c.ntw};
	int found = 0;
	for (size_t i = 0; i < s.n && !found; i++) {
		tspec sp;
		size_t e = tgram_match(&s, i, &sp);
		if (!e)
			continue;
		int te = tense ? tense : tgram_tense(&s, i, e);
		out->nstart = out->start = s.t[i].s;
		out->nend = out->end = s.t[e - 1].e;
		out->type = (uint8_t)sp.type;
		out->anchor_timex = -1;
		snprintf(out->mod, sizeof out->mod, "%s", sp.mod);
		out->approx = sp.mod[0] != 0;
		if (sp.rel == R_REF || sp.rel == R_DUR || sp.rel == R_SET) {
			snprintf(out->value, sizeof out->value, "%s", sp.dur);
		} else {
			tdate r;
			int32_t aidx;
			int dated;
			out->anchor = (uint8_t)resolve(&c, &sp, te, &r, &aidx, &dated);
			tcal_format(&r, out->value, sizeof out->value);
			out->precision = (uint8_t)(r.g <= G_TIME ? r.g : 0);
		}
		found = 1;
	}
	free(c.tw);
	free(c.may);
	free(c.out);
	return found;
}

const char *
sr_timex_calendar(const sr_timex *t, char out[11])
{
	out[0] = 0;
	if (!t || (t->type != SR_TIMEX_DATE && t->type != SR_TIMEX_TIME))
		return NULL;
	const char *v = t->value;
	size_t l = strlen(v);
	for (int k = 0; k < 4; k++)
		if (l < 4 || v[k] < '0' || v[k] > '9')
			return NULL;
	int y = atoi(v);
	if (l == 4) {
		snprintf(out, 11, "%04d", y);
		return "year";
	}
	if (v[4] != '-')
		return NULL;
	if (v[5] >= '0' && v[5] <= '9') {
		if (l >= 10 && v[7] == '-' && v[8] >= '0' && v[8] <= '9') {
			memcpy(out, v, 10);
			out[10] = 0;
			return "day";
		}
		if (l >= 7 && v[6] >= '0' && v[6] <= '9') {
			memcpy(out, v, 7);
			out[7] = 0;
			return "month";
		}
		snprintf(out, 11, "%04d", y);
		return "year";
	}
	if (v[5] == 'W' && v[6] >= '0' && v[6] <= '9') {
		/* a week: its month if the whole week lies in one */
		tdate w = {0};
		w.g = G_WEEK;
		w.y = y;
		w.w = atoi(v + 6);
		long f, la;
		tcal_bounds(&w, &f, &la);
		int y1, m1, d1, y2, m2, d2;
		tcal_civil(f, &y1, &m1, &d1);
		tcal_civil(la, &y2, &m2, &d2);
		if (y1 == y2 && m1 == m2) {
			snprintf(out, 11, "%04d-%02d", y1, m1);
			return "month";
		}
		if (y1 == y2) {
			snprintf(out, 11, "%04d", y1);
			return "year";
		}
		return NULL;
	}
	if (v[5] == 'X')
		return NULL;
	/* quarters, halves, seasons: their year (winter straddles two) */
	if (!strcmp(v + 4, "-WI"))
		return NULL;
	snprintf(out, 11, "%04d", y);
	return "year";
}
