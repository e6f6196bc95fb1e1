/*
 * finish.c -- what is done with a report's events once every sentence has
 * been read: the same event told twice becomes one record (its other
 * sentences listed in "also"), a take-over learns its previous holder from
 * a withdrawal at the same place, the report's counts go to the nearest
 * event, each event gets the source its sentence cites and its codes.
 */
#include "extract_int.h"

#include <utf8proc.h>

#include <stdlib.h>
#include <strings.h>

/* ------------------------------------------------------------ sources */


static const char *
source_kind(const ev_tables *T, const ev_ent *e, const sr_token *head)
{
	if (e) {
		if (!strcmp(e->kind, "media") || !strcmp(e->kind, "monitor"))
			return "outlet";
		if (!strcmp(e->kind, "state_military") || !strcmp(e->kind, "armed_group") ||
		    !strcmp(e->kind, "coalition"))
			return "military";
		return "official";
	}
	if (!head)
		return "anonymous";
	if (ev_in(T, head, ev_class(T, EVC_WITNESS_NOUNS)))
		return "witness";
	if (ev_in(T, head, ev_class(T, EVC_MILITARY_SOURCE_NOUNS)))
		return "military";
	if (ev_in(T, head, ev_class(T, EVC_OFFICIAL_NOUNS)))
		return "official";
	if (ev_in(T, head, ev_class(T, EVC_OUTLET_NOUNS)))
		return "outlet";
	return "anonymous";
}

/* Finds the attribution of sentence [s, e) and fills src; returns 1 if
 * one was found. */
static int
find_source(sr_extractor *x, const sr_doc *doc, uint32_t s, uint32_t e, sr_source *src)
{
	const sr_token *k = doc->toks;
	for (uint32_t i = s; i < e; i++) {
		if (k[i].cls == SR_TOK_HANDLE) {
			src->name = sr_arena_strndup(&x->arena, k[i].s, k[i].len);
			src->kind = "social_media";
			src->text = ev_arena_text(x, doc, i, 1);
			return 1;
		}
	}
	for (uint32_t i = s; i < e; i++) {
		if (!ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_SAY_VERBS)))
			continue;
		bool according = is(&k[i], "according");
		if (according && !(i + 1 < e && is(&k[i + 1], "to")))
			continue;
		/* the speaker: a name after "according to" / "citing" or
		 * right after the verb ("said X"), else before the verb */
		const ev_ent *who = NULL;
		uint32_t a0 = i, a1 = i + 1;
		uint32_t from = according ? i + 2 : i + 1;
		for (uint32_t j = from; j < e && j < from + 6; j++) {
			int32_t ei = x->ent_at[j];
			if (ei >= 0 && x->ents[ei].actor) {
				who = &x->ents[ei];
				a1 = who->tok + who->ntok;
				break;
			}
			if (!ev_filler(&x->tab, &k[j]) && !is(&k[j], "by") && !is(&k[j], "of"))
				break;
		}
		const sr_token *head = NULL;
		if (!who && !according) {
			for (uint32_t j = i; j > s && i - j < 7; j--) {
				uint32_t t = j - 1;
				int32_t ei = x->ent_at[t];
				if (ei >= 0 && x->ents[ei].actor) {
					who = &x->ents[ei];
					a0 = who->tok;
					/* "the Syrian defence ministry": take in the
					 * determiner before the name */
					if (a0 > s && ev_in(&x->tab, &k[a0 - 1], "the|a|an"))
						a0--;
					break;
				}
				if (k[t].cls != SR_TOK_WORD || ev_in(&x->tab, &k[t], SUBORD) ||
				    ev_in(&x->tab, &k[t], PREPS))
					break;
				if (!ev_in(&x->tab, &k[t], "has|have|had|was|were|is|are|also|later|"
							"previously|the|a|an|two|three|several|some"))
					head = head ? head : &k[t];
				a0 = t;
			}
		} else if (!who && according) {
			uint32_t j = i + 2;
			while (j < e && j < i + 10 && !is(&k[j], ",") && !is(&k[j], "."))
				j++;
			a1 = j;
			for (uint32_t m = i + 2; m < j; m++)
				if (k[m].cls == SR_TOK_WORD && !ev_in(&x->tab, &k[m], "the|a|an|of|by|in"))
					head = &k[m];
		}
		if (!who && !head)
			continue;
		if (who && who->actor_rank == 2 && !strcmp(who->kind, "armed_group"))
			continue;  /* "IS claimed": a claim of responsibility */
		src->name = who ? who->name : ev_arena_text(x, doc, a0, (i > a0 ? i : a1) - a0);
		src->kind = source_kind(&x->tab, who, head);
		if (a0 > i)
			a0 = i;
		src->text = ev_arena_text(x, doc, a0, (a1 > i + 1 ? a1 : i + 1) - a0);
		if (!src->name || !src->name[0])
			src->name = src->text;
		return 1;
	}
	return 0;
}

/* ------------------------------------------------------------- codes */

static bool
sentence_has(const sr_doc *doc, const sr_sentence *s, char *const *cues, int n)
{
	for (uint32_t i = s->tok; i < s->tok + s->ntok; i++)
		for (int c = 0; c < n; c++)
			if (sr_eq_ci(doc->toks[i].s, doc->toks[i].len, cues[c]))
				return true;
	return false;
}

static void
set_codes(sr_extractor *x, const sr_doc *doc, sr_event *ev)
{
	int type = -1;
	for (int i = 0; i < EV_NTYPES; i++)
		if (!strcmp(ev->type, ev_type_names[i]))
			type = i;
	for (size_t i = 0; i < x->tab.ncodes; i++) {
		const ev_code *c = &x->tab.codes[i];
		if (c->type != type)
			continue;
		if (c->modality[0] && strcmp(c->modality, ev->modality))
			continue;
		if (c->ncues && !sentence_has(doc, &doc->sents[ev->sentence], c->cues, c->ncues))
			continue;
		ev->cameo = c->cameo;
		ev->plover = c->plover;
		ev->acled = c->acled;
		return;
	}
}

/* -------------------------------------------------- merging, per doc */

static bool
demonym_kind(const char *k)
{
	return k && !strcmp(k, "demonym");
}

static bool
ref_compatible(const sr_ref *a, const sr_ref *b)
{
	if (!a->set || !b->set)
		return true;
	if (a->id && b->id && !strcmp(a->id, b->id))
		return true;
	/* names no lexicon entry has: the same words */
	if (!a->id && !b->id && a->name && b->name && !strcmp(a->name, b->name))
		return true;
	/* a state, its government and its armed forces act as one; so
	 * does its demonym ("transferred to Iraqi control") */
	return a->country && b->country && !strcmp(a->country, b->country) &&
	       (ev_state_kind(a->kind) || demonym_kind(a->kind)) && (ev_state_kind(b->kind) || demonym_kind(b->kind));
}

static bool
expected(const sr_event *e)
{
	return !strcmp(e->modality, "expected");
}

/* "the deal we will sign today" and "signed the deal on Saturday": what
 * was expected and what was done on one named day are one event. */
static bool
same_day(const sr_event *a, const sr_event *b)
{
	/* "the agreement that we will sign" and "signed the deal on
	 * Saturday": a pact to be made and one made, one of them undated */
	if ((!a->date[0] || !b->date[0]) && !strcmp(a->type, "agreement"))
		return a->date[0] || b->date[0];
	return strlen(a->date) == 10 && !strcmp(a->date, b->date);
}

/* "al-Shaddadi" and "al-Shaddadi base": a town and its base. */
static bool
town_and_site(const sr_ref *a, const sr_ref *b)
{
	if (!a->name || !b->name || !a->precision || !b->precision)
		return false;
	if (!((!strcmp(a->precision, "site") && !strcmp(b->precision, "town")) ||
	      (!strcmp(b->precision, "site") && !strcmp(a->precision, "town"))))
		return false;
	const char *site = !strcmp(a->precision, "site") ? a->name : b->name;
	const char *town = site == a->name ? b->name : a->name;
	size_t n = strlen(town);
	return !strncasecmp(site, town, n) && site[n] == ' ';
}

/* Does every word of name a (case aside) stand in name b? */
static bool
words_within(const char *a, const char *b)
{
	while (*a) {
		while (*a == ' ')
			a++;
		size_t n = strcspn(a, " ");
		if (!n)
			break;
		bool found = false;
		for (const char *q = b; *q && !found; ) {
			while (*q == ' ')
				q++;
			size_t m = strcspn(q, " ");
			found = m == n && !strncasecmp(q, a, n);
			q += m;
		}
		if (!found)
			return false;
		a += n;
	}
	return true;
}

static bool same_folded(const char *pa, const char *na, const char *pb, const char *nb);

/* Two names of the lexicon for one place: "Sinjar" and "Sinjar district"
 * (a town and the district named after it), "Zaporizhzhia nuclear plant"
 * and "Zaporizhzhia nuclear power plant" (two entries of one site): the
 * same first word, and every word of one in the other. */
static bool
same_named(const sr_ref *a, const sr_ref *b)
{
	if (!a->set || !b->set || !a->name || !b->name || !a->precision || !b->precision ||
	    (a->country && b->country && strcmp(a->country, b->country) != 0))
		return false;
	/* "Sinjār" and "Sinjar": compared without accents or case */
	const utf8proc_option_t fold = UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
				       UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
	utf8proc_uint8_t *fa_ = NULL, *fb_ = NULL;
	bool same = utf8proc_map((const utf8proc_uint8_t *)a->name, 0, &fa_, fold) >= 0 &&
		    utf8proc_map((const utf8proc_uint8_t *)b->name, 0, &fb_, fold) >= 0 &&
		    same_folded(a->precision, (const char *)fa_, b->precision, (const char *)fb_);
	free(fa_);
	free(fb_);
	return same;
}

static bool
same_folded(const char *pa, const char *na, const char *pb, const char *nb)
{
	bool sites = !strcmp(pa, "site") && !strcmp(pb, "site");
	bool town_area = (!strcmp(pa, "town") && !strcmp(pb, "region")) || (!strcmp(pa, "region") && !strcmp(pb, "town"));
	if (!sites && !town_area)
		return false;
	size_t fa = strcspn(na, " "), fb = strcspn(nb, " ");
	if (fa != fb || strncmp(na, nb, fa) != 0)
		return false;
	return words_within(na, nb) || words_within(nb, na);
}

/* Can b be folded into a (the same event stated again)? */
/* Places that may be one: the same id, or a country and a place in it. */
static bool
place_compatible(const sr_ref *a, const sr_ref *b)
{
	if (ref_compatible(a, b) || same_named(a, b))
		return true;
	if (town_and_site(a, b))
		return true;
	bool ca = a->precision && !strcmp(a->precision, "country");
	bool cb = b->precision && !strcmp(b->precision, "country");
	return (ca != cb) && a->country && b->country && !strcmp(a->country, b->country);
}

static bool
same_event(const sr_event *a, const sr_event *b, unsigned weak)
{
	if (strcmp(a->type, b->type))
		return false;
	/* modalities must agree, unless one mention has no tense of its own */
	if (!(weak & EV_WEAK_TENSE) && ((expected(a) != expected(b) && !same_day(a, b)) ||
		      !strcmp(a->modality, "denied") != !strcmp(b->modality, "denied")))
		return false;
	/* the other party: one, or a destination and a place in it ("to
	 * Iraq", "to the Kurdistan Region of Iraq") */
	if (!ref_compatible(&a->actor, &b->actor) ||
	    !(ref_compatible(&a->other, &b->other) ||
	      (a->other.precision && b->other.precision && place_compatible(&a->other, &b->other))))
		return false;
	/* a country and a place in it are one event's places only when one
	 * sentence says so, or for attacks; "the withdrawal from Chad" and
	 * "the handover of the base in N'Djamena" are two events */
	if (!(weak & EV_WEAK_PLACE) &&
	    !(a->sentence == b->sentence || !strcmp(a->type, "attack") || (weak & EV_WEAK_SITE) ?
	      place_compatible(&a->place, &b->place) :
	      (ref_compatible(&a->place, &b->place) || town_and_site(&a->place, &b->place) ||
	       same_named(&a->place, &b->place))))
		return false;
	/* two events are known to be one when they share a sentence, or
	 * name the same specific place (a country is too wide to tell two
	 * attacks apart: then the doer must be named in both, too) */
	if (a->sentence != b->sentence && !(weak & EV_WEAK_DEF)) {
		bool places = a->place.set && b->place.set, actors = a->actor.set && b->actor.set;
		bool others = a->other.set && b->other.set && a->other.id && b->other.id &&
			      !strcmp(a->other.id, b->other.id);
		if (!places && !actors && !others)
			return false;
		bool wide = places && ((a->place.precision && !strcmp(a->place.precision, "country")) ||
				       (b->place.precision && !strcmp(b->place.precision, "country")));
		/* (but a headline and the lead under it tell one attack:
		 * "Rockets fired at Turkish base in Iraq", then "five rockets
		 * were fired at the Turkish base in northern Iraq") */
		bool headline = places && a->sentence + b->sentence == 1;
		if (!strcmp(a->type, "attack") && (!places || wide) && !actors && !headline)
			return false;
	}
	/* dates must agree as far as both go: 2023-03 and 2023-03-12 can be
	 * one event, 2023-03 and 2023-04-10 cannot */
	/* "left today, after the handover of the base the day before": the
	 * withdrawal a handover implies is the one the report tells with
	 * its own verb, whatever day each is put on */
	/* "the evacuation of the base first began on Sunday": a definite
	 * mention of a departure, take-over or deployment told before
	 * restates it, with the day it began or was seen */
	if (a->date[0] && b->date[0] && !(weak & EV_WEAK_GIVER) && !((weak & EV_WEAK_DEF) && strcmp(a->type, "attack"))) {
		size_t la = strlen(a->date), lb = strlen(b->date), n = la < lb ? la : lb;
		/* a day taken from another mention holds to its month: "200
		 * soldiers remain at the base to withdraw", dated by the
		 * evacuation told before, is the withdrawal from that base */
		if ((weak & EV_WEAK_RESTATED) && n > 7)
			n = 7;
		if (strncmp(a->date, b->date, n) != 0)
			return false;
	}
	return true;
}

static void
merge_into(sr_event *a, const sr_event *b)
{
	/* the target of an attack is not its doer: "a sniper targeting
	 * American personnel killed two soldiers" read twice */
	if (!a->actor.set && b->actor.set && !(a->other.set && a->other.id && b->actor.id &&
					      !strcmp(a->other.id, b->actor.id)))
		a->actor = b->actor;
	if (b->place.set && (!a->place.set ||
			     (a->place.precision && !strcmp(a->place.precision, "country") &&
			      !(b->place.precision && !strcmp(b->place.precision, "country")))))
		a->place = b->place;  /* keep the more specific place */
	if (b->other.set && (!a->other.set || (a->other.precision && b->other.precision &&
					       !strcmp(a->other.precision, "country") &&
					       strcmp(b->other.precision, "country"))))
		a->other = b->other;  /* and the more specific destination */
	if (!a->date[0] && b->date[0]) {
		memcpy(a->date, b->date, sizeof a->date);
		a->date_precision = b->date_precision;
		a->date_approx = b->date_approx;
		a->date_text = b->date_text;
	}
	for (int i = 0; i < b->nquantities && a->nquantities < SR_MAX_QUANTITIES; i++)
		a->quantities[a->nquantities++] = b->quantities[i];
	if (b->sentence != a->sentence) {
		bool have = false;
		for (int i = 0; i < a->nalso; i++)
			if (a->also[i] == b->sentence)
				have = true;
		if (!have && a->nalso < 4)
			a->also[a->nalso++] = b->sentence;
	}
}

/* The kind of an attack by its trigger's word: 1 by fire from afar
 * (strikes, shelling, bombing), 2 on the ground (incursion, offensive,
 * raid), 0 either ("attack").  "Israeli strikes in Lebanon" and "a ground
 * incursion into southern Lebanon" are two attacks. */
static int
attack_kind(const sr_extractor *x, size_t i)
{
	if (strcmp(x->ev[i].type, "attack") || !x->doc_toks)
		return 0;
	const sr_token *k = &x->doc_toks[x->evtok[i]];
	if (ev_in(&x->tab, k, ev_class(&x->tab, EVC_FIRE_ATTACK_WORDS)))
		return 1;
	if (ev_in(&x->tab, k, ev_class(&x->tab, EVC_GROUND_ATTACK_WORDS)))
		return 2;
	return 0;
}

/* May events j and i be one by the kinds of their attacks? */
static bool
kinds_agree(const sr_extractor *x, size_t j, size_t i)
{
	int a = attack_kind(x, j), b = attack_kind(x, i);
	return !a || !b || a == b;
}

/* Has the report told an event of event i's type among the first n kept,
 * in an earlier sentence? */
static bool
earlier_of_type(const sr_extractor *x, size_t n, size_t i)
{
	for (size_t j = 0; j < n; j++)
		if (!strcmp(x->ev[j].type, x->ev[i].type) && x->ev[j].sentence < x->ev[i].sentence)
			return true;
	return false;
}

static void
merge_events(sr_extractor *x)
{
	/* "its base in Gao": an unnamed site in a town is as specific as
	 * the town; only one in a country or region ("a base in Syria")
	 * may be a named site told elsewhere */
	for (size_t i = 0; i < x->nev; i++) {
		const char *pr = x->ev[i].place.precision;
		if (pr && (!strcmp(pr, "town") || !strcmp(pr, "site")))
			x->evweak[i] &= (uint8_t)~EV_WEAK_SITE;
	}
	size_t out = 0;
	for (size_t i = 0; i < x->nev; i++) {
		size_t j;
		if (x->evweak[i] & EV_WEAK_DEF) {
			/* "the attack": the latest event it can name */
			for (j = out; j > 0; j--)
				if (same_event(&x->ev[j - 1], &x->ev[i], x->evweak[j - 1] | x->evweak[i]) &&
				    kinds_agree(x, j - 1, i))
					break;
			j = j ? j - 1 : out;
			/* "commented on the pullout", "this withdrawal is no
			 * farewell": a bare definite mention that names none
			 * of the events of its type told before restates one
			 * of them in other words; it is no new event */
			if (j == out && (x->evweak[i] & EV_WEAK_BARE) && earlier_of_type(x, out, i))
				continue;
		} else {
			for (j = 0; j < out; j++)
				if (same_event(&x->ev[j], &x->ev[i],
					       (x->evweak[j] | x->evweak[i]) & ~EV_WEAK_DEF) &&
				    kinds_agree(x, j, i))
					break;
		}
		if (j < out) {
			/* a finite verb's modality outweighs a noun's; a place
			 * named outweighs a guessed one */
			if ((x->evweak[j] & EV_WEAK_TENSE) && !(x->evweak[i] & EV_WEAK_TENSE)) {
				x->ev[j].modality = x->ev[i].modality;
				x->evweak[j] &= ~EV_WEAK_TENSE;
			}
			if ((x->evweak[j] & EV_WEAK_PLACE) && x->ev[i].place.set &&
			    !(x->evweak[i] & EV_WEAK_PLACE)) {
				x->ev[j].place = x->ev[i].place;
				x->evweak[j] &= ~EV_WEAK_PLACE;
			}
			merge_into(&x->ev[j], &x->ev[i]);
			continue;
		}
		x->ev[out] = x->ev[i];
		x->evtok[out] = x->evtok[i];
		x->evweak[out] = x->evweak[i];
		out++;
	}
	x->nev = out;
}

/* A take-over with no previous holder named: the force the report says
 * left the same place ("Syrian forces took control of al-Tanf ... amid the
 * withdrawal of US troops"). */
static void
previous_holders(sr_extractor *x)
{
	for (size_t i = 0; i < x->nev; i++) {
		sr_event *t = &x->ev[i];
		if (strcmp(t->type, "take_control") || t->other.set || !t->place.set)
			continue;
		for (size_t j = 0; j < x->nev; j++) {
			const sr_event *w = &x->ev[j];
			if (strcmp(w->type, "withdraw") || !w->actor.set || !w->place.set ||
			    !place_compatible(&w->place, &t->place) ||
			    (t->actor.set && ref_compatible(&w->actor, &t->actor)))
				continue;
			t->other = w->actor;
			break;
		}
	}
}

static void
add_quantity(sr_event *ev, const sr_quantity *q)
{
	for (int i = 0; i < ev->nquantities; i++)
		if (ev->quantities[i].value == q->value && !strcmp(ev->quantities[i].unit, q->unit))
			return;
	if (ev->nquantities < SR_MAX_QUANTITIES)
		ev->quantities[ev->nquantities++] = *q;
}

/* Ties each count of the document to the nearest event: in its sentence
 * when there is one, else the nearest sentence with an event. */
static void
attach_quantities(sr_extractor *x, const sr_doc *doc)
{
	if (!x->nev)
		return;
	for (uint32_t si = 0; si < doc->nsent; si++) {
		const sr_sentence *s = &doc->sents[si];
		sr_quantity q[16];
		uint32_t qt[16];
		int nq = ev_quantities(&x->tab, doc, s->tok, s->tok + s->ntok, x->skip, q, qt, 16, &x->arena);
		for (int i = 0; i < nq; i++) {
			long best = -1, bestd = 0;
			for (size_t e = 0; e < x->nev; e++) {
				long d;
				if (x->ev[e].sentence == si)
					d = labs((long)x->evtok[e] - (long)qt[i]);
				else
					d = 100000L * labs((long)x->ev[e].sentence - (long)si) +
					    (x->ev[e].sentence > si ? 50000 : 0);
				if (best < 0 || d < bestd) {
					best = (long)e;
					bestd = d;
				}
			}
			add_quantity(&x->ev[best], &q[i]);
		}
	}
}

/* The outlet that unnamed sources of the report spoke to ("two military
 * sources speaking to AFP", "officials told Reuters"), in sentences up to
 * sentence si; -1 if none. */
static int32_t
outlet_told(const sr_extractor *x, const sr_doc *doc, uint32_t si)
{
	const sr_token *k = doc->toks;
	uint32_t end = doc->sents[si].tok + doc->sents[si].ntok;
	for (uint32_t i = 0; i + 1 < end; i++) {
		uint32_t j = i + 1;
		if (ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_SPEAK_VERBS)) && is(&k[j], "to"))
			j++;
		else if (!ev_in(&x->tab, &k[i], ev_class(&x->tab, EVC_TOLD_VERBS)))
			continue;
		if (j < end && is(&k[j], "the"))
			j++;
		if (j < end) {
			int32_t ei = x->ent_at[j];
			if (ei >= 0 && x->ents[ei].actor && (!strcmp(x->ents[ei].kind, "media") ||
							     !strcmp(x->ents[ei].kind, "monitor")))
				return ei;
		}
	}
	return -1;
}

/* "The withdrawal will take about 15 days": a duration stated for a
 * planned or ongoing withdrawal also belongs to the withdrawal the report
 * says is under way at that place. */
static void
share_durations(sr_extractor *x)
{
	for (size_t i = 0; i < x->nev; i++) {
		const sr_event *p = &x->ev[i];
		if (strcmp(p->type, "withdraw") || strcmp(p->modality, "expected"))
			continue;
		for (int q = 0; q < p->nquantities; q++) {
			if (strcmp(p->quantities[q].unit, "days"))
				continue;
			for (size_t j = 0; j < x->nev; j++) {
				sr_event *a = &x->ev[j];
				if (j == i || strcmp(a->type, "withdraw") || strcmp(a->modality, "asserted") ||
				    !a->place.set || !p->place.set || !ref_compatible(&a->place, &p->place) ||
				    !ref_compatible(&a->actor, &p->actor))
					continue;
				add_quantity(a, &p->quantities[q]);
			}
		}
	}
}

static void
attach_sources(sr_extractor *x, const sr_doc *doc)
{
	for (size_t i = 0; i < x->nev; i++) {
		sr_event *ev = &x->ev[i];
		const sr_sentence *s = &doc->sents[ev->sentence];
		if (find_source(x, doc, s->tok, s->tok + s->ntok, &ev->sources[0]))
			ev->nsources = 1;
		/* unnamed sources speak through an outlet the report names */
		if (ev->nsources == 1 && !strcmp(ev->sources[0].kind, "anonymous")) {
			int32_t o = outlet_told(x, doc, ev->sentence);
			if (o >= 0) {
				sr_source *src = &ev->sources[ev->nsources++];
				src->name = x->ents[o].name;
				src->kind = "outlet";
				src->text = NULL;
			}
		}
		if (doc->outlet && doc->outlet[0] && ev->nsources < SR_MAX_SOURCES) {
			bool dup = ev->nsources && !strcmp(ev->sources[0].name, doc->outlet);
			if (!dup) {
				sr_source *src = &ev->sources[ev->nsources++];
				src->name = doc->outlet;
				src->kind = "outlet";
				src->text = NULL;
			}
		}
		set_codes(x, doc, ev);
	}
}

void
ev_finish(sr_extractor *x, const sr_doc *doc)
{
	merge_events(x);
	previous_holders(x);
	attach_quantities(x, doc);
	share_durations(x);
	attach_sources(x, doc);
}
