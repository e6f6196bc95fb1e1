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
 *
 * This file holds the set-up, the document-level steps (the names of
 * the report, the force and country it is most about), the building of
 * an event record with its date, and the public entry point sr_extract;
 * frames.c finds the triggers of a sentence and applies their frames,
 * roles.c finds the names that fill their roles.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>

/* ------------------------------------------------------------- set-up */

static bool
file_exists(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

/* An extractor over lx; its syntax model is the default one loaded for
 * it (own) or model (shared, read-only, not owned; NULL: none). */
static sr_extractor *
extractor_make(const sr_lexicon *lx, bool own, const sr_syntax *model, char *err, size_t errlen)
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
		snprintf(path, sizeof path, "%s/arguments.tsv", dir);
		if (file_exists(path) && ev_tables_load_args(&x->tab, path, err, errlen) != SR_OK)
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
	if (own)
		ev_tree_open(x);
	else if (model)
		ev_tree_share(x, model);
	ev_tree_doc(x);
	const char *timing = getenv("SITREP_EXTRACT_TIMING");
	x->timing = timing && *timing && strcmp(timing, "0");
	return x;
fail:
	ev_tables_free(&x->tab);
	free(x);
	return NULL;
}

sr_extractor *
sr_extractor_new(const sr_lexicon *lx, char *err, size_t errlen)
{
	return extractor_make(lx, true, NULL, err, errlen);
}

sr_extractor *
sr_extractor_new_with_syntax(const sr_lexicon *lx, const sr_syntax *syntax, char *err,
			     size_t errlen)
{
	return extractor_make(lx, false, syntax, err, errlen);
}

int
sr_events_check(const char *dir, FILE *out)
{
	if (!dir)
		dir = sr_lexicon_default_dir();
	static const char *const files[] = {"triggers.tsv", "codes.tsv", "classes.tsv", "arguments.tsv"};
	ev_tables t;
	memset(&t, 0, sizeof t);
	int problems = 0, found = 0;
	char err[1024];
	for (int i = 0; i < 4; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		if (!file_exists(path))
			continue;
		found++;
		int st = i == 0 ? ev_tables_load_triggers(&t, path, err, sizeof err) :
			 i == 1 ? ev_tables_load_codes(&t, path, err, sizeof err) :
			 i == 2 ? ev_tables_load_classes(&t, path, err, sizeof err) :
				  ev_tables_load_args(&t, path, err, sizeof err);
		if (st != SR_OK) {
			fprintf(out, "%s\n", err);
			problems++;
		}
	}
	/* every class the rules of src/events name must have words: one
	 * line per class missing, at the end of classes.tsv where it goes */
	if (found >= 3 && !problems) {
		char path[4096];
		snprintf(path, sizeof path, "%s/classes.tsv", dir);
		int lines = 0;
		FILE *f = fopen(path, "r");
		for (int ch; f && (ch = getc(f)) != EOF;)
			lines += ch == '\n';
		if (f)
			fclose(f);
		for (int i = 0; i < EVC_NCLASSES; i++) {
			if (t.classes[i] && t.classes[i][0])
				continue;
			if (!ev_class_names[i]) {
				fprintf(out, "word class number %d of enum ev_class has no name in "
					"ev_class_names (src/events/triggers.c)\n", i);
				problems++;
				continue;
			}
			fprintf(out, "%s:%d: the word class '%s', which the event rules ask about, is defined by "
				"no file (add a line '%s<TAB>word|word')\n", path, lines + 1, ev_class_names[i],
				ev_class_names[i]);
			problems++;
		}
	}
	ev_tables_free(&t);
	return problems;
}

/* The CPU time of the calling thread, in seconds. */
double
ev_cpu_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SITREP_EXTRACT_TIMING: one line per step, with the MB/s of the
 * documents' bytes it would allow alone. */
static void
print_timing(const sr_extractor *x)
{
	static const char *const names[EV_NSTAGES] = {
		"word tests (triggers and cue words, every report)",
		"entities (the recognizer and its test)",
		"time expressions (the time tagger)",
		"new places (names no lexicon entry holds)",
		"rules of the sentences, parse included",
		"  of which the parse (tagger, parser, lemmas)",
		"finish (merging, sources, quantities, codes)",
	};
	double mb = (double)x->nbytes / 1048576, all = 0;
	fprintf(stderr,
		"sitrep extract timing: %zu documents (%zu whose names were found, %zu read past the tests of words and names), %.1f MB, %zu sentences parsed (%zu words), %zu more tagged only\n",
		x->ndocs, x->nnamed, x->nread, mb, x->nparsed, x->nwords_parsed, x->ntagged);
	for (int i = 0; i < EV_NSTAGES; i++) {
		double s = x->stage_s[i];
		if (i != EV_ST_PARSE)
			all += s;
		fprintf(stderr, "  %-48s %7.3f s CPU  %8.1f MB/s\n", names[i], s, s > 0 ? mb / s : 0);
	}
	fprintf(stderr, "  %-48s %7.3f s CPU  %8.1f MB/s\n", "sr_extract after the analysis, in all", all,
		all > 0 ? mb / all : 0);
	/* which rule asked for each parse first, and how many of those
	 * sentences gave no event (the parses a pre-check might save) */
	for (int i = 0; i < x->nwhy; i++)
		fprintf(stderr, "sitrep extract parses: %6zu for %s, %zu of whose sentences gave no event\n",
			x->why[i].parsed, x->why[i].by, x->why[i].none);
}

void
sr_extractor_free(sr_extractor *x)
{
	if (!x)
		return;
	if (x->timing)
		print_timing(x);
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

/* Does a token of the sentence begin with "has" or "have" (the tree's
 * words are parts of tokens: "hasn't")?  Without one, no word of its
 * tree is such an auxiliary, and the sentence need not be parsed to
 * look for it. */
static bool
has_have(const sr_doc *doc, const sr_sentence *s)
{
	for (uint32_t i = s->tok; i < s->tok + s->ntok; i++) {
		const sr_token *k = &doc->toks[i];
		if ((k->len >= 3 && !sr_strncasecmp_ascii(k->s, "has", 3)) ||
		    (k->len >= 4 && !sr_strncasecmp_ascii(k->s, "have", 4)))
			return true;
	}
	return false;
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
	/* "Army units began deploying in the south, the command said last
	 * night. 'Units began deploying in the villages of ...', said the
	 * statement": an event of the same type told in the sentence before
	 * with a day of its own is the one this sentence details */
	for (size_t i = x->nev; si > 0 && i > 1; i--) {
		const sr_event *w = &x->ev[i - 2];
		if (w->sentence + 1 < si)
			break;
		if (w->sentence + 1 == si && w->type == ev->type && w->date[0] && w->date_precision &&
		    !strcmp(w->date_precision, "day") && w->date_text) {
			memcpy(ev->date, w->date, sizeof ev->date);
			ev->date_precision = w->date_precision;
			ev->date_approx = 1;
			ev->date_text = w->date_text;
			return;
		}
	}
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
	/* "have announced a temporary troop withdrawal": the tense of the
	 * verb whose object the nominal trigger is (the tree) */
	if (!perfect && t > s->tok && !is(&k[t - 1], "to") && has_have(doc, s)) {
		const sr_parse *p = ev_tree_parse(x, doc, si);
		int w = p ? ev_tree_word(p, t) : -1;
		if (w >= 0 && p->w[w].upos == SR_UPOS_NOUN && sr_deprel_base(p->w[w].deprel) == SR_DEP_OBJ &&
		    p->w[w].head >= 0) {
			int v = p->w[w].head;
			for (size_t i = 0; i < p->n && !perfect; i++)
				perfect = p->w[i].head == v && sr_deprel_base(p->w[i].deprel) == SR_DEP_AUX &&
					  sr_eq_ci(p->w[i].form, p->w[i].flen, "has") + sr_eq_ci(p->w[i].form, p->w[i].flen, "have");
		}
	}
	if (!perfect)
		return;
	memcpy(ev->date, doc->published, 11);
	ev->date_precision = "day";
	ev->date_approx = 1;
	ev->date_text = NULL;
}

/* The calendar date a time expression gives ("Monday", "last week", "in
 * March"), into v; NULL when it gives none (a duration, a time of day
 * with no date). */
static const char *
tx_date(const sr_timex *t, char v[11])
{
	if (t->type != SR_TIMEX_DATE && t->type != SR_TIMEX_TIME)
		return NULL;
	return sr_timex_calendar(t, v);
}

/* What word w of the tree is to the time of the words above it. */
enum {
	TB_NONE,    /* in the clause of its head */
	TB_CLAUSE,  /* it opens a clause of its own (a conjunct only when it
		       is a verb or has a subject, not in "troops and
		       tanks"), or is the root */
	TB_AFTER,   /* "after" or "following" opens its clause or phrase: it
		       happened just before its head */
	TB_SUBORD,  /* another time subordinator opens it ("before",
		       "since", "while") */
};

static int
time_boundary(const ev_tables *T, const sr_doc *doc, const sr_parse *p, int w)
{
	for (size_t i = 0; i < p->n; i++) {
		int d = sr_deprel_base(p->w[i].deprel);
		if (p->w[i].head != w || (d != SR_DEP_MARK && d != SR_DEP_CASE))
			continue;
		const sr_token *k = &doc->toks[p->w[i].tok];
		if (ev_in(T, k, ev_class(T, EVC_AFTER_WORDS)))
			return TB_AFTER;
		if (ev_in(T, k, ev_class(T, EVC_TIME_SUBORDINATORS)))
			return TB_SUBORD;
	}
	int b = sr_deprel_base(p->w[w].deprel);
	if (p->w[w].head < 0)
		return TB_CLAUSE;
	if (b != SR_DEP_CONJ && b != SR_DEP_ACL && b != SR_DEP_ADVCL && b != SR_DEP_CCOMP &&
	    b != SR_DEP_PARATAXIS && b != SR_DEP_CSUBJ && b != SR_DEP_LIST)
		return TB_NONE;
	if (p->w[w].upos == SR_UPOS_VERB || p->w[w].upos == SR_UPOS_AUX)
		return TB_CLAUSE;
	/* "and the US forces are set to leave": a predicate with a subject
	 * or a copula of its own; a conjunct without is a phrase ("troops
	 * and tanks"), and so is a noun the parser made a clause without
	 * either in a complement or adverbial clause ("said it shot down
	 * Friday an armed drone", "drone" a complement clause: "Friday"
	 * stays the shooting's; a list or a parenthetical may be a phrase
	 * of its own: "BRUSSELS (Sputnik - 06th June, 2023) NATO ...") */
	for (size_t i = 0; i < p->n; i++) {
		int d = sr_deprel_base(p->w[i].deprel);
		if (p->w[i].head == w && (d == SR_DEP_NSUBJ || d == SR_DEP_COP))
			return TB_CLAUSE;
	}
	bool nominal = p->w[w].upos == SR_UPOS_NOUN || p->w[w].upos == SR_UPOS_PROPN;
	return b == SR_DEP_CONJ || (nominal && (b == SR_DEP_CCOMP || b == SR_DEP_CSUBJ || b == SR_DEP_ADVCL)) ? TB_NONE
														    : TB_CLAUSE;
}

/* The head word of the clause word w belongs to: w itself or the first
 * word above it that opens a clause (xcomp does not: "began pulling out
 * on Monday" is one clause). */
static int
clause_of(const ev_tables *T, const sr_doc *doc, const sr_parse *p, int w)
{
	for (size_t n = 0; n < p->n && time_boundary(T, doc, p, w) == TB_NONE; n++)
		w = p->w[w].head;
	return w;
}

/* Is word a at or below word b of the tree? */
static bool
under(const sr_parse *p, int a, int b)
{
	for (size_t n = 0; a >= 0 && n <= p->n; n++, a = p->w[a].head)
		if (a == b)
			return true;
	return false;
}

/* The first and the last word of the subtree of word w. */
static size_t
first_under(const sr_parse *p, int w)
{
	size_t first = (size_t)w;
	for (size_t i = 0; i < (size_t)w; i++)
		if (under(p, (int)i, w))
			return i;
	return first;
}

static size_t
last_under(const sr_parse *p, int w)
{
	size_t last = (size_t)w;
	for (size_t i = (size_t)w + 1; i < p->n; i++)
		if (under(p, (int)i, w))
			last = i;
	return last;
}

/* Where a time expression sits in the tree. */
typedef struct {
	int at;      /* the word it modifies (the root: its own word); -1
			when the tree has no word of it */
	int cl;      /* the clause of that word */
	bool poss;   /* "last month's referendum": it dates a noun */
	bool loose;  /* it modifies a noun, not a verb ("Kunduz, situated in
			Afghanistan, on 8 August": the parser's guess of a
			clause, not a fact) */
} tx_pos;

static tx_pos
tx_place(const ev_tables *T, const sr_doc *doc, const sr_parse *p, const sr_timex *t)
{
	tx_pos q = {.at = -1, .cl = -1};
	for (size_t i = 0; i < p->n; i++) {
		if (p->w[i].start < t->start || p->w[i].end > t->end)
			continue;
		int h = p->w[i].head;
		if (h >= 0 && p->w[h].start >= t->start && p->w[h].end <= t->end)
			continue;
		int d = p->w[i].deprel;
		q.at = h >= 0 ? h : (int)i;
		/* "comes after the withdrawal of French soldiers at the end
		 * of 2023": a date right after a phrase a time subordinator
		 * opens is that phrase's, wherever the parser hung it */
		for (size_t j = 0; j < i; j++) {
			int tb = p->w[j].head == q.at ? time_boundary(T, doc, p, (int)j) : TB_NONE;
			if ((tb == TB_AFTER || tb == TB_SUBORD) && last_under(p, (int)j) + 1 == first_under(p, (int)i))
				q.at = (int)j;
		}
		q.cl = clause_of(T, doc, p, q.at);
		q.poss = d == SR_DEP_NMOD_POSS;
		q.loose = sr_deprel_base(d) == SR_DEP_NMOD;
		break;
	}
	return q;
}

/* Of the dated time expressions first..first+n-1 that ok marks (all when
 * ok is NULL), the one that dates the trigger at token t: the first after
 * the trigger, else the last before it; then a finer date of those fine
 * marks (none when NULL) that agrees with it ("On December 10 of that same
 * year", "attacks last month, with a Sept. 13 strike").  Returns its
 * index or -1. */
static long
choose_date(const sr_extractor *x, const sr_doc *doc, const bool *ok, const bool *fine, size_t first, size_t n,
	    uint32_t t)
{
	long best = -1;
	uint32_t tn = doc->toks[t].nstart;
	char v[11], bv[11];
	for (size_t i = first; i < first + n; i++) {
		if ((ok && !ok[i - first]) || !tx_date(&x->tx[i], v))
			continue;
		bool after = x->tx[i].nstart > tn;
		if (best < 0 || (after && x->tx[best].nstart < tn) || (!after && x->tx[best].nstart < x->tx[i].nstart))
			best = (long)i;
	}
	if (best < 0)
		return -1;
	tx_date(&x->tx[best], bv);
	for (size_t i = first; fine && i < first + n; i++) {
		if ((long)i == best || !fine[i - first] || !tx_date(&x->tx[i], v))
			continue;
		if (strlen(v) > strlen(bv) && !strncmp(v, bv, strlen(bv))) {
			best = (long)i;
			memcpy(bv, v, sizeof bv);
		}
	}
	return best;
}

/* At most this many time expressions of a sentence are placed in its
 * tree; a sentence with more is dated as without a tree. */
#define MAX_SENT_TIMEX 32

/* The index of the time expression that dates the trigger at word w of
 * the tree p (token t), or -1; *approx is set when it is the date of the
 * clause an after-clause of the trigger's depends on. */
static long
tree_date(sr_extractor *x, const sr_doc *doc, const sr_parse *p, int w, size_t first, size_t n, uint32_t t,
	  bool expected, bool *approx)
{
	const ev_tables *T = &x->tab;
	tx_pos q[MAX_SENT_TIMEX] = {{0}};
	bool ok[MAX_SENT_TIMEX] = {0};
	for (size_t i = 0; i < n; i++)
		q[i] = tx_place(T, doc, p, &x->tx[first + i]);
	int cl = clause_of(T, doc, p, w);
	/* 1. the trigger's clause: a date of the trigger or of a word
	 * between it and the clause's head first ("seized control on
	 * Monday"), then one of another word of the clause, not a
	 * possessor ("last month's referendum"); for a noun, a clause that
	 * modifies it ("the attack, which took place on Sunday") */
	bool own[MAX_SENT_TIMEX] = {0};
	for (size_t i = 0; i < n; i++) {
		ok[i] = q[i].cl == cl && q[i].at >= 0 && under(p, w, q[i].at);
		own[i] = (q[i].cl == cl && !(q[i].poss && q[i].at != w)) ||
			 (q[i].cl >= 0 && p->w[q[i].cl].head == w &&
			  sr_deprel_base(p->w[q[i].cl].deprel) == SR_DEP_ACL);
	}
	long best = choose_date(x, doc, ok, own, first, n, t);
	if (best < 0)
		best = choose_date(x, doc, own, own, first, n, t);
	/* 2. the clauses above it, up to one that another time subordinator
	 * than "after" opens; for an event to come, up to the verb of
	 * saying that tells it ("plans to withdraw, Esper said on
	 * Wednesday": the day it was said, not the day it will be) */
	int fence = -1;  /* the clause of such a subordinator */
	for (size_t step = 0; best < 0 && step < p->n && p->w[cl].head >= 0; step++) {
		int tb = time_boundary(T, doc, p, cl);
		if (tb == TB_SUBORD) {
			fence = cl;
			break;
		}
		*approx |= tb == TB_AFTER;
		cl = clause_of(T, doc, p, p->w[cl].head);
		if (expected && ev_in(T, &doc->toks[p->w[cl].tok], ev_class(T, EVC_SAY_VERBS)))
			break;
		for (size_t i = 0; i < n; i++)
			ok[i] = q[i].cl == cl && !(q[i].poss && q[i].at != w);
		best = choose_date(x, doc, ok, NULL, first, n, t);
	}
	if (best >= 0)
		return best;
	/* 3. the sentence's: any date but one of a clause below the
	 * trigger's ("withdrew after the SDF joined in November"; not a
	 * source's "..., the ministry said on Monday", which the parser may
	 * put there), of a clause a time subordinator opens, or, for a
	 * trigger in such a clause ("While the size of the deployment has
	 * fluctuated, ..."), outside it */
	*approx = false;
	int tcl = clause_of(T, doc, p, w);
	for (size_t i = 0; i < n; i++) {
		int c = q[i].cl;
		int tb = c >= 0 ? time_boundary(T, doc, p, c) : TB_NONE;
		bool says = c >= 0 && ev_in(T, &doc->toks[p->w[c].tok], ev_class(T, EVC_SAY_VERBS));
		ok[i] = c >= 0 && tb != TB_AFTER && tb != TB_SUBORD && !(expected && says) &&
			(fence < 0 || under(p, q[i].at, fence)) &&
			!(!q[i].loose && c != tcl && under(p, c, tcl) && !says);
	}
	return choose_date(x, doc, ok, NULL, first, n, t);
}

/* The date of an event at trigger t in sentence si, from the tree: the
 * time expression of the trigger's clause ("withdrew on Monday", "began
 * pulling out last week"), or of a clause that modifies a nominal
 * trigger ("the attack, which took place in March"); else that of a
 * clause above it (the first conjunct's: "left on Sunday and moved into
 * the town"; the main clause of an after-clause, approximate: "seized
 * the city on Friday after attacking it"), up to a clause another time
 * subordinator opens ("before", "since", "while"); else the sentence's,
 * but for a date of a clause below the trigger ("withdrew after the SDF
 * joined in November").  Else the report's context.  Without a tree (no
 * model) every date of the sentence counts as the trigger's clause's. */
static void
pick_date(sr_extractor *x, const sr_doc *doc, uint32_t si, uint32_t t, sr_event *ev)
{
	size_t first;
	size_t n = sr_times_in_sentence(x->tx, x->ntx, si, &first);
	char v[11];
	bool dated = false;
	for (size_t i = first; i < first + n && !dated; i++)
		dated = tx_date(&x->tx[i], v) != NULL;
	const sr_parse *p = dated ? ev_tree_parse(x, doc, si) : NULL;
	int w = p ? ev_tree_word(p, t) : -1;
	long best = -1;
	bool approx = false;
	if (dated && (w < 0 || n > MAX_SENT_TIMEX))
		best = choose_date(x, doc, NULL, NULL, first, n, t);
	else if (dated)
		best = tree_date(x, doc, p, w, first, n, t, ev->modality && !strcmp(ev->modality, "expected"),
				 &approx);
	if (best < 0) {
		context_date(x, doc, si, t, ev);
		return;
	}
	const sr_timex *tx = &x->tx[best];
	ev->date_precision = sr_timex_calendar(tx, ev->date);
	ev->date_approx = tx->approx || tx->mod[0] || approx;
	ev->date_text = sr_arena_strndup(&x->arena, doc->text + tx->start, tx->end - tx->start);
}

/* The armed force a report is most about: the actor of rank 2 named most
 * often (the first named wins a tie). */
/* Two mentions of the same doer: the same id, or the armed forces and
 * government of one country. */
bool
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

/* "the 2006 war", "Israel's 1978 invasion": a year that modifies a
 * nominal trigger (at most two words before it, no comma between) is
 * the event's, where no time expression of the sentence dates it. */
static void
noun_year(sr_extractor *x, const sr_doc *doc, const frame_ctx *c, sr_event *ev)
{
	for (uint32_t j = c->t0; j > c->s && c->t0 - j < 3; j--) {
		const sr_token *k = &doc->toks[j - 1];
		if (k->cls == SR_TOK_NUMBER && k->len == 4) {
			int y = 0;
			for (int i = 0; i < 4; i++)
				y = y * 10 + (k->s[i] >= '0' && k->s[i] <= '9' ? k->s[i] - '0' : -10000);
			if (y < 1900 || y > 2100)
				return;
			memcpy(ev->date, k->s, 4);
			ev->date[4] = 0;
			ev->date_precision = "year";
			ev->date_approx = 0;
			ev->date_text = sr_arena_strndup(&x->arena, doc->text + k->start, k->end - k->start);
			return;
		}
		if (k->cls != SR_TOK_WORD)
			return;
	}
}

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
		       !ev_in(c->tab, k - 1, ev_class(c->tab, EVC_ASPECT_WORDS));
	return c->noun;
}

void
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
				(r->definite == 2 ? EV_WEAK_BARE : 0) |
				(r->pa.ent == r->place && r->pa.unnamed_site ? EV_WEAK_SITE : 0);
	ev->tstart = doc->toks[c->t0].start;
	ev->tend = doc->toks[c->t1 > c->t0 ? c->t1 - 1 : c->t0].end;
	pick_date(x, doc, si, c->t0, ev);
	if (!ev->date[0] && c->noun)
		noun_year(x, doc, c, ev);
	if (!ev->date[0]) {
		ev_restated_date(x, ev);
		if (ev->date[0])
			x->evweak[x->nev - 1] |= EV_WEAK_RESTATED;
	}
}

/* A state, its government, its armed forces and its leaders act as one. */
bool
ev_state_kind(const char *k)
{
	return k && (!strcmp(k, "country") || !strcmp(k, "state_military") ||
		     !strcmp(k, "government") || !strcmp(k, "official"));
}

/* ------------------------------------------------------------- driver */

/* The recognizer's names of the report, in x->ents and x->ent_at. */
static void
load_names(sr_extractor *x, sr_doc *doc)
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
		/* "Lebanese territory", "Ukrainian soil": a demonym before a
		 * word of the state's ground names the country */
		if (e->demonym && s->tok + s->ntok < doc->ntok &&
		    ev_in(&x->tab, &doc->toks[s->tok + s->ntok], ev_class(&x->tab, EVC_GROUND_OF_STATE)) &&
		    (i + 1 >= n || ents[i + 1].tok != s->tok + s->ntok)) {
			e->demonym = false;
			e->kind = "country";
			e->ntok++;
		}
		if (e->actor)
			e->actor_rank = (!strcmp(s->type, "state_military") || !strcmp(s->type, "coalition") ||
					 !strcmp(s->type, "armed_group")) ? 2 : 1;
		for (uint32_t t = e->tok; t < e->tok + e->ntok; t++)
			x->ent_at[t] = (int32_t)x->nents;
		x->nents++;
	}
}

/* The time expressions of the report, and the tokens inside dates and
 * times, which are no counts. */
static void
load_times(sr_extractor *x, sr_doc *doc)
{
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

/* The end of sr_extract for a report that makes no event: its word
 * tests began at t0 and its names at tn (0: none were looked for). */
static void
no_events(sr_extractor *x, const sr_doc *doc, double t0, double tn, const sr_event **events, size_t *n)
{
	if (x->timing) {
		x->stage_s[tn ? EV_ST_ENTITIES : EV_ST_WORDS] += ev_cpu_seconds() - (tn ? tn : t0);
		if (tn)
			x->stage_s[EV_ST_WORDS] += tn - t0;
		x->ndocs++;
		x->nbytes += doc->len;
	}
	*events = x->ev;
	*n = 0;
}

void
sr_extract(sr_extractor *x, sr_doc *doc, const sr_event **events, size_t *n)
{
	sr_arena_reset(&x->arena);
	x->nev = 0;
	sr_doc_analyze(doc);
	double t0 = x->timing ? ev_cpu_seconds() : 0, tn = 0, tt = 0, t1 = 0, t2 = 0, t3 = 0;
	ev_tables_doc(&x->tab, doc);
	x->doc_toks = doc->toks;
	/* most reports hold no reading of a trigger that passes the tests
	 * of its words, or none that the report's names could let pass:
	 * they yield no event whatever their times, new places and trees,
	 * so none of those is made (the output is the same) */
	bool may_hold = false;
	unsigned want = 0;            /* names a reading needs */
	uint32_t first = UINT32_MAX;  /* the first sentence that tries a
					 reading past its cue words */
	for (uint32_t si = 0; si < doc->nsent && !may_hold; si++) {
		int level = ev_sentence_may_hold(x, doc, si, &want);
		if (level > 0 && first == UINT32_MAX)
			first = si;
		may_hold = level == 2;
	}
	if (!may_hold && !want) {
		no_events(x, doc, t0, 0, events, n);
		return;
	}
	if (x->timing)
		tn = ev_cpu_seconds();
	/* the names a reading needs cannot be there: no name is looked
	 * for (ev_names_may_meet would say no) */
	if (!may_hold && !sr_recognizer_may_find(x->rec, doc, ((want & EV_WANT_FORCE) ? SR_MAY_FORCE : 0u) |
							       ((want & EV_WANT_ARMED) ? SR_MAY_ARMED : 0u))) {
		no_events(x, doc, t0, tn, events, n);
		return;
	}
	x->nnamed++;
	load_names(x, doc);
	if (!may_hold && !ev_names_may_meet(x, want)) {
		no_events(x, doc, t0, tn, events, n);
		return;
	}
	x->nread++;
	if (x->timing)
		tt = ev_cpu_seconds();
	load_times(x, doc);
	if (x->timing)
		t1 = ev_cpu_seconds();
	ev_new_places(x, doc);
	if (x->timing)
		t2 = ev_cpu_seconds();
	index_wants(x);
	ev_tree_doc(x);
	int32_t fallback = main_actor(x, doc);
	x->last_receiver = -1;
	x->last_giver = -1;
	x->main_country = main_country(x, fallback);
	x->top_country = main_country(x, -1);
	x->last_actor = -1;
	/* the sentences before the first that may hold an event try no
	 * reading past its cue words: nothing to do there */
	for (uint32_t si = first; si < doc->nsent; si++)
		sentence_events(x, doc, si, fallback);
	if (x->timing)
		t3 = ev_cpu_seconds();
	ev_finish(x, doc);
	if (x->timing) {
		x->stage_s[EV_ST_WORDS] += tn - t0;
		x->stage_s[EV_ST_ENTITIES] += tt - tn;
		x->stage_s[EV_ST_TIMES] += t1 - tt;
		x->stage_s[EV_ST_PLACES] += t2 - t1;
		x->stage_s[EV_ST_RULES] += t3 - t2;   /* the parse included */
		x->stage_s[EV_ST_FINISH] += ev_cpu_seconds() - t3;
		x->ndocs++;
		x->nbytes += doc->len;
	}
	*events = x->ev;
	*n = x->nev;
}
