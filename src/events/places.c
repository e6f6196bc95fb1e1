/*
 * places.c -- places that no lexicon entry names, found by the words
 * around them, before the events of a report are read.
 *
 * The gazetteer holds the towns of more than a thousand people; the
 * villages, hamlets and front-line settlements that war reports are
 * about are often not there, or are spelled another way.  A capitalized
 * name is taken as a place when the text says it is one:
 *
 *   - a list after a noun of settlement and "of": "the villages of A,
 *     B and C", "the settlements of A and B";
 *   - a settlement noun after the name: "A town", "A city", "A
 *     Township" (the noun is part of the mention);
 *   - an apposition: "A, a town in the south";
 *   - a name after a locative word that is itself placed: "at A in
 *     northern B", "from A near B";
 *   - a name after a locative word that the gazetteer knows in another
 *     spelling, in the report's country: "forced to leave Mekelle"
 *     (GeoNames: Mekele).
 *
 * Its country is that of the place it is said to be in ("in the Tyre
 * district"), else the country the report names most.  Geocoded when
 * the lexicon knows the name in some spelling (sr_lexicon_find_place),
 * it takes that entry's id and coordinates; else it is a town of that
 * country without coordinates, id "new:CC:slug".  Every other mention
 * of the same words in the report is the same place.  The new names
 * join the recognizer's before the events are read, so that every rule
 * (roles from the tree, coordination, "the town") sees them.
 */
#include "extract_int.h"

#include <stdio.h>
#include <stdlib.h>

/* prepositions of place, before a name */
#define PLACE_PREPS "in|at|near|from|into|toward|towards|around|outside|inside"

/* At most this many new names per report: the cost stays linear. */
#define NP_MAX 64
/* An event restates one of at most this many events before it. */
#define EV_RESTATE_WINDOW 64
/* Longest unknown name, in tokens. */
#define NP_MAX_TOKENS 4

typedef struct {
	uint32_t tok, ntok;     /* the name's tokens, with its noun if any */
	uint32_t name_ntok;     /* the name alone */
	const char *cc;         /* its country, or NULL: the report's */
	bool geo;               /* the lexicon knows it (pattern 5) */
	bool region;            /* "A region", "A district": a region */
	const char *name;       /* its name when not its words, or NULL */
	sr_entity at;           /* that entry */
} np_cand;

typedef struct {
	sr_extractor *x;
	const sr_doc *doc;
	np_cand c[NP_MAX];
	int n;
	uint8_t *nw;            /* per token: name_word's answer + 1, 0 unknown */
	/* per token, one bit each (shapes(): made once per report, so that
	 * the steps below visit only the tokens where they may find
	 * something, instead of each reading every token):
	 * capb: a capital first letter, or an article word ("al-Shaab"),
	 *       which every name's word and a locative's name has;
	 * ofb:  the word "of" (lists) */
	uint64_t *capb, *ofb;
	uint8_t *title;         /* per sentence: title_case() */
	uint64_t not_name[EV_BIT_WORDS];  /* classes whose words start no name */
} np_ctx;

/* The first token from `from` on (before end) whose bit is set in b, or
 * end. */
static inline uint32_t
next_bit(const uint64_t *b, uint32_t from, uint32_t end)
{
	while (from < end) {
		uint64_t w = b[from >> 6] >> (from & 63);
		if (w) {
			uint32_t r = from + (uint32_t)__builtin_ctzll(w);
			return r < end ? r : end;
		}
		from = (from | 63u) + 1;
	}
	return end;
}

/* "al-Shaab", "el-Arish": an article in lower case, a hyphen, a capital */
static inline bool
article_word(const sr_token *k)
{
	/* asked of most words: a lower-case first letter first */
	if (k->len < 4 || !(k->s[0] >= 'a' && k->s[0] <= 'z'))
		return false;
	for (uint32_t i = 2; i <= 3 && i + 1 < k->len; i++)
		if (k->s[i] == '-')
			return k->s[0] >= 'a' && k->s[0] <= 'z' && k->s[i + 1] >= 'A' && k->s[i + 1] <= 'Z';
	return false;
}

static bool
in_class(const np_ctx *c, const sr_token *k, enum ev_class cl)
{
	return ev_in(&c->x->tab, k, ev_class(&c->x->tab, cl));
}

static bool name_word_now(const np_ctx *c, uint32_t t);

/* May token t be a word of an unknown name?  (Asked of each token
 * several times: the answer is kept.) */
static bool
name_word(const np_ctx *c, uint32_t t)
{
	if (!c->nw[t])
		c->nw[t] = (uint8_t)(1 + name_word_now(c, t));
	return c->nw[t] == 2;
}

static bool
name_word_now(const np_ctx *c, uint32_t t)
{
	const sr_token *k = &c->doc->toks[t];
	if (k->cls != SR_TOK_WORD || c->x->skip[t] || (k->flags & SR_TF_DATELINE) ||
	    !((k->flags & SR_TF_UPPER1) || article_word(k)) || ((k->flags & SR_TF_ALLCAPS) && k->len > 1 && k->len < 5))
		return false;
	/* "Russian-occupied", "Ossetian-controlled": an adjective */
	for (uint32_t i = 1; i + 1 < k->len; i++)
		if (k->s[i] == '-' && k->s[i + 1] >= 'a' && k->s[i + 1] <= 'z')
			return false;
	int32_t e = c->x->ent_at[t];
	if (e >= 0) {
		const ev_ent *en = &c->x->ents[e];
		if (en->actor || en->country || en->demonym || !en->precision || strcmp(en->precision, "town"))
			return false;
	}
	/* none of the classes NOT_NAMES, MILITARY, FORCE_NOUNS,
	 * SETTLEMENT_NOUNS, SITE_NOUNS, AREA_NOUNS (c->not_name): one look */
	return !ev_in_mask(&c->x->tab, k, c->not_name);
}

/* run_end for a token t that may be a name's word. */
static uint32_t
run_end_from(const np_ctx *c, uint32_t t, uint32_t end)
{
	uint32_t u = t + 1;
	while (u < end && u - t < NP_MAX_TOKENS && name_word(c, u))
		u++;
	/* a known town cut by the run's edge, or the whole run */
	const sr_extractor *x = c->x;
	int32_t first = x->ent_at[t], last = x->ent_at[u - 1];
	if (first >= 0 && x->ents[first].tok < t)
		return t;
	if (last >= 0 && x->ents[last].tok + x->ents[last].ntok > u)
		return t;
	if (first >= 0 && first == last && x->ents[first].tok == t && x->ents[first].ntok == u - t)
		return t;
	return u;
}

/* The end (exclusive) of the unknown name that starts at t, before end;
 * t itself when none does.  A name made only of a known town's words is
 * that town, no unknown name.  (Asked of most tokens: the common answer,
 * no name's word here, inline.) */
static inline uint32_t
run_end(const np_ctx *c, uint32_t t, uint32_t end)
{
	if (t >= end || !name_word(c, t))
		return t;
	return run_end_from(c, t, end);
}

static void
add(np_ctx *c, uint32_t tok, uint32_t name_ntok, uint32_t ntok, const char *cc)
{
	for (int i = 0; i < c->n; i++)
		if (tok < c->c[i].tok + c->c[i].ntok && c->c[i].tok < tok + ntok)
			return;         /* the first reading of these words stands */
	if (c->n >= NP_MAX)
		return;
	np_cand *p = &c->c[c->n++];
	memset(p, 0, sizeof *p);
	p->tok = tok;
	p->name_ntok = name_ntok;
	p->ntok = ntok;
	p->cc = cc;
}

/* The country of a known place among tokens [t, t + 5) after "in" or
 * "near" at t - 1 ("in the Tyre district", "near Tarhouna"), or NULL. */
static const char *
placed_in(const np_ctx *c, uint32_t t, uint32_t end)
{
	if (t >= end || !ev_in(&c->x->tab, &c->doc->toks[t], "in|near|outside|inside"))
		return NULL;
	for (uint32_t u = t + 1; u < end && u < t + 6; u++) {
		int32_t e = c->x->ent_at[u];
		if (e >= 0) {
			const ev_ent *en = &c->x->ents[e];
			return !en->actor && en->country_code && en->country_code[0] ? en->country_code : NULL;
		}
		const sr_token *k = &c->doc->toks[u];
		if (k->cls != SR_TOK_WORD || (k->flags & SR_TF_UPPER1))
			return NULL;
	}
	return NULL;
}

/* "the villages of A, B and C [in D]" */
static void
lists(np_ctx *c, uint32_t s, uint32_t e)
{
	const sr_token *k = c->doc->toks;
	/* t + 2 < e: "of" at t + 1 < e - 1 (c->ofb) */
	uint32_t lim = e > 0 ? e - 1 : 0;
	for (uint32_t t = s;; t++) {
		uint32_t of = next_bit(c->ofb, t + 1, lim);
		if (of >= lim)
			break;
		t = of - 1;
		if (!in_class(c, &k[t], EVC_SETTLEMENT_NOUNS))
			continue;
		uint32_t starts[EV_MAX_CONJ + 2], ends[EV_MAX_CONJ + 2];
		int n = 0;
		uint32_t p = t + 2;
		while (p < e && n < EV_MAX_CONJ + 2) {
			uint32_t r = run_end(c, p, e);
			bool known = r == p && c->x->ent_at[p] >= 0 && !c->x->ents[c->x->ent_at[p]].actor;
			if (r == p && !known)
				break;
			if (known)      /* a known town in the list: skip it */
				r = c->x->ents[c->x->ent_at[p]].tok + c->x->ents[c->x->ent_at[p]].ntok;
			else {
				starts[n] = p;
				ends[n++] = r;
			}
			p = r;
			/* "A in southeast Lebanon and B": the list goes on
			 * after the place its item lies in */
			if (p < e && placed_in(c, p, e)) {
				uint32_t u = p + 1;
				while (u < e && u < p + 6 && c->x->ent_at[u] < 0)
					u++;
				int32_t in = u < e ? c->x->ent_at[u] : -1;
				uint32_t past = in >= 0 ? c->x->ents[in].tok + c->x->ents[in].ntok : e;
				if (past + 1 < e && is(&k[past], "and") && name_word(c, past + 1))
					p = r = past;
			}
			if (p < e && is(&k[p], ","))
				p++;
			if (p < e && (is(&k[p], "and") || is(&k[p], "or")))
				p++;
			if (p >= e || p == r)
				break;
		}
		const char *cc = placed_in(c, p, e);
		for (int i = 0; i < n; i++)
			add(c, starts[i], ends[i] - starts[i], ends[i] - starts[i], cc);
		t = p > t ? p - 1 : t;
	}
}

/* "along the Syrian-Iraqi-Jordanian border", "the Lebanese-Israeli
 * frontier": the border of the states named by one hyphenated word of
 * capitalized parts (a closing quote may stand between) is a region */
static void
borders(np_ctx *c, uint32_t s, uint32_t e)
{
	const sr_token *k = c->doc->toks;
	/* t + 1 < e, and a capital at t (c->capb) */
	uint32_t lim = e > 0 ? e - 1 : 0;
	for (uint32_t t = next_bit(c->capb, s, lim); t < lim; t = next_bit(c->capb, t + 1, lim)) {
		if (k[t].cls != SR_TOK_WORD || !(k[t].flags & SR_TF_UPPER1) || c->x->ent_at[t] >= 0)
			continue;
		int parts = 1;
		bool caps = true;
		for (uint32_t i = 0; i + 1 < k[t].len; i++)
			if (k[t].s[i] == '-') {
				parts++;
				caps &= k[t].s[i + 1] >= 'A' && k[t].s[i + 1] <= 'Z';
			}
		if (parts < 2 || !caps)
			continue;
		uint32_t b = t + 1;
		if (b + 1 < e && k[b].cls == SR_TOK_PUNCT && k[b].len <= 3 && !is(&k[b], ","))
			b++;
		if (!ev_in(&c->x->tab, &k[b], ev_class(&c->x->tab, EVC_BORDER_NOUNS)))
			continue;
		int before = c->n;
		add(c, t, b + 1 - t, b + 1 - t, NULL);
		if (c->n == before)
			continue;  /* the words had another reading */
		np_cand *p = &c->c[c->n - 1];
		p->region = true;
		char name[160];
		snprintf(name, sizeof name, "%.*s %.*s", (int)k[t].len, k[t].s, (int)k[b].len, k[b].s);
		p->name = sr_arena_strndup(&c->x->arena, name, strlen(name));
	}
}

/* "towns", "villages": a list's noun, not one name's */
static bool
plural(const sr_token *k)
{
	return k->len > 3 && (k->s[k->len - 1] | 32) == 's';
}

/* "A town", "A, a village near B" */
static void
nouns(np_ctx *c, uint32_t s, uint32_t e)
{
	const sr_token *k = c->doc->toks;
	/* a name starts at a capital (c->capb): at any other token the
	 * steps below find nothing */
	for (uint32_t t = next_bit(c->capb, s, e); t < e; t = next_bit(c->capb, t + 1, e)) {
		if (t > s && name_word(c, t - 1))
			continue;       /* not inside a name */
		uint32_t r = run_end(c, t, e);
		if (r == t)
			continue;
		/* "A town" (not "A town council": a capitalized word after) */
		if (r < e && in_class(c, &k[r], EVC_SETTLEMENT_NOUNS) && !plural(&k[r]) &&
		    !(r + 1 < e && k[r + 1].cls == SR_TOK_WORD && (k[r + 1].flags & SR_TF_UPPER1) &&
		      c->x->ent_at[r + 1] < 0) &&
		    !(r + 1 < e && is(&k[r + 1], "of"))) {
			add(c, t, r - t, r + 1 - t, placed_in(c, r + 1, e));
			t = r;
			continue;
		}
		/* "the Hakurk region", "the Gazakh District": a region ("A
		 * State" is left out: "Islamic State") */
		if (r < e && !plural(&k[r]) && !is(&k[r], "state") &&
		    (in_class(c, &k[r], EVC_REGION_NOUNS) || is(&k[r], "district")) &&
		    !(r + 1 < e && k[r + 1].cls == SR_TOK_WORD && (k[r + 1].flags & SR_TF_UPPER1)) &&
		    !(r + 1 < e && is(&k[r + 1], "of"))) {
			int before = c->n;
			add(c, t, r - t, r + 1 - t, placed_in(c, r + 1, e));
			if (c->n > before)
				c->c[c->n - 1].region = true;
			t = r;
			continue;
		}
		/* "A, a town in the south" */
		if (r + 2 < e && is(&k[r], ",") && ev_in(&c->x->tab, &k[r + 1], "a|an|the")) {
			uint32_t u = r + 2;
			while (u < e && u < r + 5 && k[u].cls == SR_TOK_WORD && !(k[u].flags & SR_TF_UPPER1) &&
			       !in_class(c, &k[u], EVC_SETTLEMENT_NOUNS))
				u++;
			if (u < e && in_class(c, &k[u], EVC_SETTLEMENT_NOUNS) && !(k[u].flags & SR_TF_UPPER1)) {
				add(c, t, r - t, r - t, placed_in(c, u + 1, e));
				t = r;
				continue;
			}
		}
		t = r - 1;
	}
}

/* "at A in northern B"; "leave A" where A is a town of the report's
 * country in another spelling */
static void
locatives(np_ctx *c, uint32_t s, uint32_t e, const char *report_cc)
{
	const sr_token *k = c->doc->toks;
	/* most words are followed by no capital: t + 1 < e is a capital
	 * (c->capb) */
	for (uint32_t a1 = next_bit(c->capb, s + 1, e); a1 < e; a1 = next_bit(c->capb, a1 + 1, e)) {
		uint32_t t = a1 - 1;
		if (!in_class(c, &k[t], EVC_PLACE_CUES))
			continue;
		uint32_t a = t + 1;
		uint32_t r = run_end(c, a, e);
		if (r == a)
			continue;
		bool prep = ev_in(&c->x->tab, &k[t], PLACE_PREPS);
		const char *cc = prep ? placed_in(c, r, e) : NULL;
		if (cc) {
			add(c, a, r - a, r - a, cc);
			continue;
		}
		/* a run that continues with a capitalized word or a name is
		 * part of something larger ("in Abiy's government") */
		if (r < e && (k[r].cls == SR_TOK_WORD && ((k[r].flags & SR_TF_UPPER1) || c->x->ent_at[r] >= 0)))
			continue;
		if (!report_cc || (r < e && k[r].cls == SR_TOK_PUNCT && k[r].len == 1 && k[r].s[0] == '\''))
			continue;
		if (c->x->ent_at[a] >= 0)
			continue;       /* a known town already */
		sr_entity at;
		const sr_token *ka = &k[a], *kb = &k[r - 1];
		if (sr_lexicon_find_place(c->x->lx, ka->s, (size_t)(kb->s + kb->len - ka->s), report_cc, "town",
					  &at) != SR_OK)
			continue;
		int before = c->n;
		add(c, a, r - a, r - a, at.country);
		if (c->n > before) {
			c->c[c->n - 1].geo = true;
			c->c[c->n - 1].at = at;
		}
	}
}

/* ", A in B has been handed over": a name between a comma and "in" a
 * known place */
static void
commas(np_ctx *c, uint32_t s, uint32_t e)
{
	const sr_token *k = c->doc->toks;
	/* a name after the comma starts with a capital (c->capb) */
	for (uint32_t a1 = next_bit(c->capb, s + 1, e); a1 < e; a1 = next_bit(c->capb, a1 + 1, e)) {
		uint32_t t = a1 - 1;
		if (!is(&k[t], ","))
			continue;
		uint32_t r = run_end(c, t + 1, e);
		const char *cc = r > t + 1 ? placed_in(c, r, e) : NULL;
		if (cc)
			add(c, t + 1, r - t - 1, r - t - 1, cc);
	}
}

/* One look at every token of the report: c->capb, c->ofb, and for each
 * sentence whether it is written in title case ("Rebels Seize Key
 * Town"): its capitals then tell no names. */
static void
shapes(np_ctx *c)
{
	const sr_doc *doc = c->doc;
	for (uint32_t si = 0; si < doc->nsent; si++) {
		uint32_t s = doc->sents[si].tok, e = s + doc->sents[si].ntok;
		int words = 0, caps = 0;
		for (uint32_t t = s; t < e; t++) {
			const sr_token *k = &doc->toks[t];
			if ((k->flags & SR_TF_UPPER1) || article_word(k))
				c->capb[t >> 6] |= 1ULL << (t & 63);
			if (k->len == 2 && (k->s[0] | 32) == 'o' && (k->s[1] | 32) == 'f')
				c->ofb[t >> 6] |= 1ULL << (t & 63);
			if (k->cls != SR_TOK_WORD || k->len < 4)
				continue;
			words++;
			caps += (k->flags & SR_TF_UPPER1) != 0;
		}
		/* a headline in title case has (almost) no lower-case word of
		 * four letters or more; a sentence full of names still has its
		 * verbs */
		c->title[si] = words >= 3 && (words - caps) * 10 <= words;
	}
}

/* Do tokens [a, a+n) and [b, b+n) hold the same words? */
static bool
same_words(const sr_doc *doc, uint32_t a, uint32_t b, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		const sr_token *p = &doc->toks[a + i], *q = &doc->toks[b + i];
		if (p->len != q->len || sr_strncasecmp_ascii(p->s, q->s, p->len))
			return false;
	}
	return true;
}

/* Every other mention of a new name is the same place. */
static void
spread(np_ctx *c)
{
	int n0 = c->n;
	const sr_doc *doc = c->doc;
	for (uint32_t si = 0; si < doc->nsent; si++) {
		uint32_t s = doc->sents[si].tok, e = s + doc->sents[si].ntok;
		for (uint32_t t = next_bit(c->capb, s, e); t < e; t = next_bit(c->capb, t + 1, e)) {
			if (t > s && name_word(c, t - 1))
				continue;
			uint32_t r = run_end(c, t, e);
			if (r == t)
				continue;
			for (int i = 0; i < n0; i++) {
				np_cand *p = &c->c[i];
				if (p->name_ntok != r - t || p->tok == t || !same_words(doc, p->tok, t, r - t))
					continue;
				/* with its noun when it has one here too */
				uint32_t n = r - t;
				if (r < e && in_class(c, &doc->toks[r], EVC_SETTLEMENT_NOUNS))
					n++;
				int before = c->n;
				add(c, t, r - t, n, p->cc);
				if (c->n > before) {
					c->c[c->n - 1].geo = p->geo;
					c->c[c->n - 1].at = p->at;
					c->c[c->n - 1].region = p->region;
				}
				break;
			}
			t = r - 1;
		}
	}
}

/* The country the report names most: its places (its own name most),
 * then its forces; or NULL. */
static const char *
report_country(const sr_extractor *x)
{
	const char *cc[64];
	int count[64], n = 0, best = -1;
	for (size_t j = 0; j < x->nents; j++) {
		const ev_ent *e = &x->ents[j];
		if (!e->country_code || !e->country_code[0])
			continue;
		int i = 0;
		while (i < n && strcmp(cc[i], e->country_code))
			i++;
		if (i == n) {
			if (n == 64)
				continue;
			cc[n] = e->country_code;
			count[n++] = 0;
		}
		/* a place counts more than a force of the country */
		count[i] += e->actor ? 1 : e->country && !e->demonym ? 3 : 2;
		if (best < 0 || count[i] > count[best])
			best = i;
	}
	return best >= 0 ? cc[best] : NULL;
}

static int
cmp_ent(const void *a, const void *b)
{
	const ev_ent *p = a, *q = b;
	return p->tok < q->tok ? -1 : p->tok > q->tok;
}

/* Makes the entity of candidate p. */
static void
make_ent(np_ctx *c, const np_cand *p, const char *report_cc, ev_ent *e)
{
	sr_extractor *x = c->x;
	const sr_doc *doc = c->doc;
	memset(e, 0, sizeof *e);
	e->tok = p->tok;
	e->ntok = p->ntok;
	const char *cc = p->cc ? p->cc : report_cc;
	const char *text = p->name ? p->name : ev_arena_text(x, doc, p->tok, p->name_ntok);
	sr_entity at = p->at;
	bool geo = p->geo;
	if (!geo && cc && !p->name) {
		const sr_token *a = &doc->toks[p->tok], *b = &doc->toks[p->tok + p->name_ntok - 1];
		geo = sr_lexicon_find_place(x->lx, a->s, (size_t)(b->s + b->len - a->s), cc,
					    p->region ? "region" : "town", &at) == SR_OK;
	}
	if (geo) {
		e->id = at.id;
		e->name = at.name;
		e->kind = at.type;
		e->country_code = at.country;
		e->precision = at.precision;
		e->has_coord = at.has_coord;
		e->lat = at.lat;
		e->lon = at.lon;
		return;
	}
	char id[160];
	size_t n = (size_t)snprintf(id, sizeof id, "new:%s:", cc ? cc : "");
	for (const char *s = text; *s && n + 2 < sizeof id; s++) {
		unsigned char ch = (unsigned char)*s;
		if ((ch >= 'A' && ch <= 'Z'))
			id[n++] = (char)(ch + 32);
		else if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch >= 0x80)
			id[n++] = (char)ch;
		else if (id[n - 1] != '-' && id[n - 1] != ':')
			id[n++] = '-';
	}
	id[n] = 0;
	e->id = sr_arena_strndup(&x->arena, id, n);
	e->name = text;
	e->kind = p->region ? "region" : "town";
	e->country_code = cc ? cc : "";
	e->precision = p->region ? "region" : "town";
}

/* "the city of Kirkuk", "Kirkuk city": a name the recognizer took for a
 * region that a settlement noun says is the town of that name */
static void
towns_not_regions(np_ctx *c)
{
	sr_extractor *x = c->x;
	const sr_token *k = c->doc->toks;
	for (size_t j = 0; j < x->nents; j++) {
		ev_ent *e = &x->ents[j];
		if (e->actor || e->country || !e->precision || strcmp(e->precision, "region") ||
		    !e->country_code || !e->country_code[0])
			continue;
		uint32_t a = e->tok, b = e->tok + e->ntok;
		bool town = (a >= 2 && is(&k[a - 1], "of") && in_class(c, &k[a - 2], EVC_SETTLEMENT_NOUNS) &&
			     !plural(&k[a - 2])) ||
			    (b < c->doc->ntok && in_class(c, &k[b], EVC_SETTLEMENT_NOUNS) && !plural(&k[b]));
		sr_entity at;
		if (!town || sr_lexicon_find_place(x->lx, k[a].s, (size_t)(k[b - 1].s + k[b - 1].len - k[a].s),
						   e->country_code, "town", &at) != SR_OK)
			continue;
		e->id = at.id;
		e->name = at.name;
		e->kind = at.type;
		e->precision = at.precision;
		e->has_coord = at.has_coord;
		e->lat = at.lat;
		e->lon = at.lon;
	}
}

void
ev_new_places(sr_extractor *x, const sr_doc *doc)
{
	/* the candidates are read up to c->n only: not cleared (a calloc of
	 * them was a tenth of this step) */
	np_ctx *c = sr_malloc(sizeof *c);
	c->x = x;
	c->doc = doc;
	c->n = 0;
	size_t nbw = doc->ntok / 64 + 1;
	/* one block: nw, then capb and ofb, then title */
	size_t nwb = (doc->ntok + 1 + 7) & ~(size_t)7;
	c->nw = sr_calloc(nwb + 2 * nbw * sizeof(uint64_t) + doc->nsent + 1, 1);
	c->capb = (uint64_t *)(void *)(c->nw + nwb);
	c->ofb = c->capb + nbw;
	c->title = (uint8_t *)(c->ofb + nbw);
	memset(c->not_name, 0, sizeof c->not_name);
	ev_mask_add(c->not_name, EVC_NOT_NAMES);
	ev_mask_add(c->not_name, EVC_MILITARY);
	ev_mask_add(c->not_name, EVC_FORCE_NOUNS);
	ev_mask_add(c->not_name, EVC_SETTLEMENT_NOUNS);
	ev_mask_add(c->not_name, EVC_SITE_NOUNS);
	ev_mask_add(c->not_name, EVC_AREA_NOUNS);
	shapes(c);
	const char *report_cc = report_country(x);
	/* sites found by their shape alone ("Sarrin base") are in the
	 * report's country */
	for (size_t j = 0; j < x->nents && report_cc; j++) {
		ev_ent *e = &x->ents[j];
		if (!e->actor && e->site && (!e->country_code || !e->country_code[0]))
			e->country_code = report_cc;
	}
	towns_not_regions(c);
	for (uint32_t si = 0; si < doc->nsent; si++) {
		uint32_t s = doc->sents[si].tok, e = s + doc->sents[si].ntok;
		if (c->title[si])
			continue;
		lists(c, s, e);
		borders(c, s, e);
		nouns(c, s, e);
		locatives(c, s, e, report_cc);
		commas(c, s, e);
	}
	if (c->n)
		spread(c);
	if (!c->n) {
		free(c->nw);
		free(c);
		return;
	}
	/* the old names the new ones cover go ("Alma" of "Alma al-Shaab") */
	size_t m = 0;
	for (size_t j = 0; j < x->nents; j++) {
		const ev_ent *e = &x->ents[j];
		bool covered = false;
		for (int i = 0; i < c->n && !covered; i++)
			covered = e->tok < c->c[i].tok + c->c[i].ntok && c->c[i].tok < e->tok + e->ntok;
		if (!covered)
			x->ents[m++] = *e;
	}
	SR_GROW(x->ents, x->capents, m + (size_t)c->n + 1);
	for (int i = 0; i < c->n; i++)
		make_ent(c, &c->c[i], report_cc, &x->ents[m++]);
	x->nents = m;
#ifdef SR_DEBUG_PLACES
	for (int i = 0; i < c->n; i++)
			fprintf(stderr, "new place %s: %s [%s] %s\n", doc->id ? doc->id : "", ev_arena_text(x, doc, c->c[i].tok, c->c[i].ntok), x->ents[m - (size_t)c->n + (size_t)i].id, x->ents[m - (size_t)c->n + (size_t)i].country_code);
#endif
	qsort(x->ents, x->nents, sizeof *x->ents, cmp_ent);
	for (size_t i = 0; i < doc->ntok; i++)
		x->ent_at[i] = -1;
	for (size_t j = 0; j < x->nents; j++)
		for (uint32_t t = x->ents[j].tok; t < x->ents[j].tok + x->ents[j].ntok; t++)
			x->ent_at[t] = (int32_t)j;
	free(c->nw);
	free(c);
}

void
ev_restated_date(sr_extractor *x, sr_event *ev)
{
	if (!ev->actor.set || !ev->actor.id || x->nev < 2)
		return;
	/* the last events only: a report's cost stays linear */
	size_t stop = x->nev > 1 + EV_RESTATE_WINDOW ? x->nev - 1 - EV_RESTATE_WINDOW : 0;
	for (size_t i = x->nev - 1; i-- > stop;) {
		const sr_event *p = &x->ev[i];
		if (p->sentence == ev->sentence || strcmp(p->type, ev->type) || !p->date[0] || p->date_approx ||
		    !p->actor.set || !p->actor.id || strcmp(p->actor.id, ev->actor.id) ||
		    strcmp(p->modality, ev->modality))
			continue;
		memcpy(ev->date, p->date, sizeof ev->date);
		ev->date_precision = p->date_precision;
		ev->date_approx = 1;
		ev->date_text = NULL;
		return;
	}
}
