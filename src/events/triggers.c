/*
 * triggers.c -- reads the trigger table (data/triggers.tsv) and the code
 * crosswalk (data/codes.tsv), and finds the triggers that start at a word.
 *
 * Both files are plain TSV with a header and # comments, so that a user
 * who follows another conflict adds words without rebuilding; see the
 * comments at the top of each file for the columns.
 */
#include "extract_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

const char *const ev_type_names[EV_NTYPES] = {
	"withdraw", "take_control", "deploy", "attack", "transfer_detainees",
	"agreement", "handover",
};

int
ev_type_of(const char *s)
{
	for (int i = 0; i < EV_NTYPES; i++)
		if (!strcmp(s, ev_type_names[i]))
			return i;
	return -1;
}

int
ev_split_tabs(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;
	while (n < max) {
		f[n++] = p;
		char *t = strchr(p, '\t');
		if (!t)
			break;
		*t = 0;
		p = t + 1;
	}
	return n;
}

static void
lower_ascii(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* Splits s at '|' into a new array of new strings. */
static char **
split_bars(const char *s, int *n)
{
	char **out = NULL;
	size_t cap = 0;
	*n = 0;
	while (*s) {
		const char *b = strchr(s, '|');
		size_t len = b ? (size_t)(b - s) : strlen(s);
		if (len) {
			SR_GROW(out, cap, (size_t)*n + 1);
			out[*n] = sr_strndup(s, len);
			lower_ascii(out[*n]);
			(*n)++;
		}
		s += len + (b ? 1 : 0);
	}
	return out;
}

/* Is w (n bytes) one of the '|'-separated words of list? */
static bool
in_bars(const char *w, size_t n, const char *list)
{
	while (*list) {
		size_t m = strcspn(list, "|");
		if (m == n && !strncmp(list, w, n))
			return true;
		list += m + (list[m] == '|');
	}
	return false;
}

static bool
parse_slots(const char *list, ev_slotspec *out, uint8_t *n)
{
	*n = 0;
	const char *s = list;
	while (*s) {
		const char *c = strchr(s, ',');
		size_t len = c ? (size_t)(c - s) : strlen(s);
		if (*n >= EV_MAX_SLOTS || len == 0 || len >= sizeof out->prep)
			return false;
		ev_slotspec *sp = &out[(*n)++];
		memset(sp, 0, sizeof *sp);
		char w[16];
		memcpy(w, s, len);
		w[len] = 0;
		if (!strcmp(w, "subj"))
			sp->kind = SL_SUBJ;
		else if (!strcmp(w, "obj"))
			sp->kind = SL_OBJ;
		else if (!strcmp(w, "poss"))
			sp->kind = SL_POSS;
		else if (!strcmp(w, "pre"))
			sp->kind = SL_PRE;
		else if (!strcmp(w, "between"))
			sp->kind = SL_BETWEEN;
		else {
			/* a preposition ("from", "out_of") or a verb form that
			 * introduces the name ("targeting"); any other word is a
			 * misspelling, an error */
			sp->kind = SL_PREP;
			for (size_t i = 0; i < len; i++)
				sp->prep[i] = w[i] == '_' ? ' ' : w[i];
			bool ing = len > 4 && !strcmp(w + len - 3, "ing");
			if (!ing && strcmp(w, "out_of") != 0 && !in_bars(w, len, PREPS))
				return false;
		}
		s += len + (c ? 1 : 0);
	}
	return true;
}

/* Reads a need column ("place+cue", "-") into *need; false on a word
 * that is no requirement. */
static void free_strs(char **s, int n);

static bool
parse_need(const char *nd, unsigned *need)
{
	static const struct { const char *w; unsigned f; } known[] = {
		{"place", NEED_PLACE}, {"actor", NEED_ACTOR}, {"other", NEED_OTHER},
		{"any", NEED_ANY}, {"cue", NEED_CUE}, {"site", NEED_SITE},
		{"fut", NEED_FUT}, {"town", NEED_TOWN}, {"armed", NEED_ARMED},
		{"security", NEED_SECURITY}, {"force", NEED_FORCE},
		{"under", NEED_UNDER}, {"clause", NEED_CLAUSE},
	};
	*need = 0;
	if (!strcmp(nd, "-") || !nd[0])
		return true;
	while (*nd) {
		size_t n = strcspn(nd, "+");
		bool ok = false;
		for (size_t i = 0; i < sizeof known / sizeof known[0] && !ok; i++)
			if (strlen(known[i].w) == n && !strncmp(known[i].w, nd, n)) {
				*need |= known[i].f;
				ok = true;
			}
		if (!ok)
			return false;
		nd += n + (nd[n] == '+');
	}
	return true;
}

static FILE *
open_table(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
	return f;
}

int
ev_tables_load_triggers(ev_tables *t, const char *path, char *err, size_t errlen)
{
	FILE *f = open_table(path, err, errlen);
	if (!f)
		return SR_ERR_DATA;
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, st = SR_OK;
	bool header = true;
	while (getline(&line, &cap, f) > 0) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#')
			continue;
		if (header) {
			header = false;
			if (!strncmp(line, "type\t", 5))
				continue;
		}
		char *fl[8];
		int nf = ev_split_tabs(line, fl, 8);
		if (nf < 5) {
			snprintf(err, errlen, "%s:%d: expected 6 tab-separated columns, found %d", path, ln, nf);
			st = SR_ERR_DATA;
			break;
		}
		int type = ev_type_of(fl[0]);
		if (type < 0) {
			snprintf(err, errlen, "%s:%d: unknown event type '%s'", path, ln, fl[0]);
			st = SR_ERR_DATA;
			break;
		}
		SR_GROW(t->trig, t->captrig, t->ntrig + 1);
		ev_trigger *g = &t->trig[t->ntrig];
		memset(g, 0, sizeof *g);
		g->type = (uint8_t)type;
		g->line = ln;
		if (strcmp(fl[2], "noun") != 0 && strcmp(fl[2], "verb") != 0) {
			snprintf(err, errlen, "%s:%d: part of speech '%s' is neither verb nor noun", path, ln, fl[2]);
			st = SR_ERR_DATA;
			break;
		}
		g->noun = !strcmp(fl[2], "noun");
		/* words */
		char *w = fl[1];
		while (*w && g->nwords < EV_MAX_WORDS) {
			char *sp = strchr(w, ' ');
			if (sp)
				*sp = 0;
			int na;
			char **alts = split_bars(w, &na);
			if (na > EV_MAX_ALTS) {
				/* too many forms for one word: an error, not a
				 * silent cut */
				free_strs(alts, na);
				snprintf(err, errlen, "%s:%d: more than %d alternatives for one word "
					 "(split the line)", path, ln, EV_MAX_ALTS);
				st = SR_ERR_DATA;
				break;
			}
			for (int i = 0; i < na; i++)
				g->alts[g->nwords][i] = alts[i];
			free(alts);
			g->nalts[g->nwords++] = (uint8_t)na;
			if (!sp)
				break;
			w = sp + 1;
		}
		if (st != SR_OK) {
			t->ntrig++;  /* freed with the tables */
			break;
		}
		/* frame */
		bool ok = true;
		char frame_text[256];
		snprintf(frame_text, sizeof frame_text, "%s", fl[3]);
		char *fr = fl[3];
		while (*fr && ok) {
			char *sp = strchr(fr, ' ');
			if (sp)
				*sp = 0;
			char *eq = strchr(fr, '=');
			if (!eq)
				ok = false;
			else {
				*eq = 0;
				if (!strcmp(fr, "actor"))
					ok = parse_slots(eq + 1, g->actor, &g->nactor);
				else if (!strcmp(fr, "place"))
					ok = parse_slots(eq + 1, g->place, &g->nplace);
				else if (!strcmp(fr, "other"))
					ok = parse_slots(eq + 1, g->other, &g->nother);
				else
					ok = false;
			}
			if (!sp)
				break;
			fr = sp + 1;
		}
		if (!ok || g->nwords == 0) {
			snprintf(err, errlen, "%s:%d: cannot read the words or frame '%s' (roles actor=, "
				 "place=, other=; slots subj, obj, poss, pre, between, a preposition such "
				 "as from or out_of, or an -ing verb)", path, ln, frame_text);
			st = SR_ERR_DATA;
			t->ntrig++;
			break;
		}
		/* need: '+'-separated requirements, each one of a known set (a
		 * misspelled one is an error, not a silent no-op) */
		if (!parse_need(fl[4], &g->need)) {
			snprintf(err, errlen, "%s:%d: unknown requirement in '%s' (known: place, actor, "
				 "other, any, cue, site, town, fut, armed, force, security, under, clause, or -)", path, ln, fl[4]);
			st = SR_ERR_DATA;
			t->ntrig++;
			break;
		}
		if ((g->need & (NEED_CUE | NEED_UNDER)) && (nf < 6 || !strcmp(fl[5], "-"))) {
			snprintf(err, errlen, "%s:%d: need=cue or need=under but the cue column is empty", path, ln);
			st = SR_ERR_DATA;
			t->ntrig++;
			break;
		}
		if (nf >= 6 && strcmp(fl[5], "-") != 0)
			g->cues = split_bars(fl[5], &g->ncues);
		t->ntrig++;
	}
	free(line);
	fclose(f);
	return st;
}

int
ev_tables_load_codes(ev_tables *t, const char *path, char *err, size_t errlen)
{
	FILE *f = open_table(path, err, errlen);
	if (!f)
		return SR_ERR_DATA;
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, st = SR_OK;
	while (getline(&line, &cap, f) > 0) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#' || !strncmp(line, "type\t", 5))
			continue;
		char *fl[8];
		int nf = ev_split_tabs(line, fl, 8);
		int type = nf >= 6 ? ev_type_of(fl[0]) : -1;
		if (nf < 6) {
			snprintf(err, errlen, "%s:%d: expected 6 tab-separated columns (type, modality, cue, "
				 "cameo, plover, acled), found %d", path, ln, nf);
			st = SR_ERR_DATA;
			break;
		}
		if (type < 0) {
			snprintf(err, errlen, "%s:%d: unknown event type '%s'", path, ln, fl[0]);
			st = SR_ERR_DATA;
			break;
		}
		if (strcmp(fl[1], "-") != 0 && strcmp(fl[1], "asserted") != 0 && strcmp(fl[1], "expected") != 0 &&
		    strcmp(fl[1], "denied") != 0 && strcmp(fl[1], "reported_unconfirmed") != 0) {
			snprintf(err, errlen, "%s:%d: unknown modality '%s' (asserted, expected, denied, "
				 "reported_unconfirmed, or -)", path, ln, fl[1]);
			st = SR_ERR_DATA;
			break;
		}
		SR_GROW(t->codes, t->capcodes, t->ncodes + 1);
		ev_code *c = &t->codes[t->ncodes++];
		memset(c, 0, sizeof *c);
		c->type = (uint8_t)type;
		if (strcmp(fl[1], "-"))
			snprintf(c->modality, sizeof c->modality, "%s", fl[1]);
		if (strcmp(fl[2], "-"))
			c->cues = split_bars(fl[2], &c->ncues);
		c->cameo = strcmp(fl[3], "-") ? sr_strdup(fl[3]) : NULL;
		c->plover = strcmp(fl[4], "-") ? sr_strdup(fl[4]) : NULL;
		c->acled = strcmp(fl[5], "-") ? sr_strdup(fl[5]) : NULL;
	}
	free(line);
	fclose(f);
	return st;
}

/* The name of each class in data/classes.tsv, keyed by its enum so
 * that the order of ev.h cannot drift from it. */
const char *const ev_class_names[EVC_NCLASSES] = {
	[EVC_MILITARY] = "military",
	[EVC_SECURITY] = "security",
	[EVC_CIVIL] = "civil",
	[EVC_PACT] = "pact",
	[EVC_CIVILIANS] = "civilians",
	[EVC_SITE_NOUNS] = "site_nouns",
	[EVC_COUNTRY_NOUNS] = "country_nouns",
	[EVC_AREA_NOUNS] = "area_nouns",
	[EVC_FORCE_PRONOUNS] = "force_pronouns",
	[EVC_LIGHT_VERBS] = "light_verbs",
	[EVC_NOT_MODIFIERS] = "not_modifiers",
	[EVC_WEAPON_MODIFIERS] = "weapon_modifiers",
	[EVC_HYPOTHETICAL_VERBS] = "hypothetical_verbs",
	[EVC_DEMAND_VERBS] = "demand_verbs",
	[EVC_STATE_VERBS] = "state_verbs",
	[EVC_FORCE_NOUNS] = "force_nouns",
	[EVC_IRREGULAR_NOUNS] = "irregular_nouns",
	[EVC_SETTLEMENT_NOUNS] = "settlement_nouns",
	[EVC_PLACE_CUES] = "place_cues",
	[EVC_NOT_NAMES] = "not_names",
	[EVC_REGION_NOUNS] = "region_nouns",
	[EVC_DETAINEES] = "detainees",
	[EVC_GROUND_NOUNS] = "ground_nouns",
	[EVC_TIME_NOUNS] = "time_nouns",
	[EVC_KILLED_WORDS] = "killed_words",
	[EVC_INJURED_WORDS] = "injured_words",
	[EVC_RESULT_VERBS] = "result_verbs",
	[EVC_ARRIVAL_VERBS] = "arrival_verbs",
	[EVC_TIME_SUBORDINATORS] = "time_subordinators",
	[EVC_AFTER_WORDS] = "after_words",
	[EVC_UNDOING_WORDS] = "undoing_words",
	[EVC_MEASURE_NOUNS] = "measure_nouns",
	[EVC_UPKEEP_VERBS] = "upkeep_verbs",
	[EVC_TRUCE_NOUNS] = "truce_nouns",
	[EVC_PARTY_NOUNS] = "party_nouns",
	[EVC_TARGET_NOUNS] = "target_nouns",
	[EVC_ATTACK_COMPOUNDS] = "attack_compounds",
	[EVC_ATTACK_NOUNS] = "attack_nouns",
	[EVC_BARGAIN_NOUNS] = "bargain_nouns",
	[EVC_REMAIN_WORDS] = "remain_words",
	[EVC_VERB_IDIOM_WORDS] = "verb_idiom_words",
	[EVC_LEFT_BEHIND_WORDS] = "left_behind_words",
	[EVC_IRREGULAR_PARTICIPLES] = "irregular_participles",
	[EVC_MEMBER_NOUNS] = "member_nouns",
	[EVC_PACT_VERBS] = "pact_verbs",
	[EVC_INTERNAL_WORDS] = "internal_words",
	[EVC_ARMED_GROUP_NOUNS] = "armed_group_nouns",
	[EVC_DENIAL_VERBS] = "denial_verbs",
	[EVC_PLAN_WORDS] = "plan_words",
	[EVC_NOUN_FUTURE_WORDS] = "noun_future_words",
	[EVC_NOUN_PAST_WORDS] = "noun_past_words",
	[EVC_COMING_UNITS] = "coming_units",
	[EVC_CLAIM_VERBS] = "claim_verbs",
	[EVC_CUSTODY_WORDS] = "custody_words",
	[EVC_HELD_WORDS] = "held_words",
	[EVC_DISTANCE_UNITS] = "distance_units",
	[EVC_FUTURE_WORDS] = "future_words",
	[EVC_NEGATION_WORDS] = "negation_words",
	[EVC_HEDGE_WORDS] = "hedge_words",
	[EVC_UNIT_DETAINEES] = "unit_detainees",
	[EVC_UNIT_PERSONNEL] = "unit_personnel",
	[EVC_UNIT_VEHICLES] = "unit_vehicles",
	[EVC_UNIT_AIRCRAFT] = "unit_aircraft",
	[EVC_UNIT_BASES] = "unit_bases",
	[EVC_UNIT_DAYS] = "unit_days",
	[EVC_UNIT_INJURED] = "unit_injured",
	[EVC_UNIT_KILLED] = "unit_killed",
	[EVC_WITNESS_NOUNS] = "witness_nouns",
	[EVC_MILITARY_SOURCE_NOUNS] = "military_source_nouns",
	[EVC_OFFICIAL_NOUNS] = "official_nouns",
	[EVC_OUTLET_NOUNS] = "outlet_nouns",
	[EVC_FIRE_ATTACK_WORDS] = "fire_attack_words",
	[EVC_GROUND_ATTACK_WORDS] = "ground_attack_words",
	[EVC_SPEAK_VERBS] = "speak_verbs",
	[EVC_TOLD_VERBS] = "told_verbs",
	[EVC_DIRECTION_WORDS] = "direction_words",
	[EVC_PART_NOUNS] = "part_nouns",
	[EVC_CAUSATIVE_VERBS] = "causative_verbs",
	[EVC_PAIR_NOUNS] = "pair_nouns",
	[EVC_GROUP_NOUNS] = "group_nouns",
	[EVC_GROUND_OF_STATE] = "ground_of_state",
	[EVC_ASPECT_WORDS] = "aspect_words",
	[EVC_BORDER_NOUNS] = "border_nouns",
	[EVC_CEASEFIRE_NOUNS] = "ceasefire_nouns",
	[EVC_GROUP_DOER_NOUNS] = "group_doer_nouns",
	[EVC_APPROACH_WORDS] = "approach_words",
	[EVC_SAY_VERBS] = "say_verbs",
	[EVC_CLAUSE_OPENERS] = "clause_openers",
	[EVC_SPAN_UNITS] = "span_units",
	[EVC_HELD_GROUP_NOUNS] = "held_group_nouns",
	[EVC_LINK_WORDS] = "link_words",
	[EVC_REGIME_NOUNS] = "regime_nouns",
	[EVC_SHARE_NOUNS] = "share_nouns",
	[EVC_HABITUAL_WORDS] = "habitual_words",
};

int
ev_tables_load_classes(ev_tables *t, const char *path, char *err, size_t errlen)
{
	FILE *f = open_table(path, err, errlen);
	if (!f)
		return SR_ERR_DATA;
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, st = SR_OK;
	while (getline(&line, &cap, f) > 0) {
		ln++;
		line[strcspn(line, "\r\n")] = 0;
		if (!line[0] || line[0] == '#' || !strncmp(line, "class\t", 6))
			continue;
		char *fl[4];
		int nf = ev_split_tabs(line, fl, 4);
		int c = -1;
		for (int i = 0; nf >= 2 && i < EVC_NCLASSES && c < 0; i++)
			if (ev_class_names[i] && !strcmp(fl[0], ev_class_names[i]))
				c = i;
		if (nf < 2 || !fl[1][0]) {
			snprintf(err, errlen, "%s:%d: expected class and words, tab-separated", path, ln);
			st = SR_ERR_DATA;
			break;
		}
		if (c < 0) {
			snprintf(err, errlen, "%s:%d: unknown word class '%s' (see the classes "
				 "named in data/classes.tsv)", path, ln, fl[0]);
			st = SR_ERR_DATA;
			break;
		}
		for (const char *w = fl[1]; *w; w++)
			if (*w == ' ' || (*w == '|' && (w[1] == '|' || w[1] == 0 || w == fl[1]))) {
				snprintf(err, errlen, "%s:%d: class '%s': empty word or a space "
					 "(words are '|'-separated single words)", path, ln, fl[0]);
				st = SR_ERR_DATA;
				break;
			}
		if (st != SR_OK)
			break;
		size_t old = t->classes[c] ? strlen(t->classes[c]) : 0, add = strlen(fl[1]);
		t->classes[c] = sr_realloc(t->classes[c], old + add + 2);
		if (old)
			t->classes[c][old++] = '|';
		memcpy(t->classes[c] + old, fl[1], add + 1);
	}
	free(line);
	fclose(f);
	return st;
}

int
ev_tables_check_classes(const ev_tables *t, char *err, size_t errlen)
{
	for (int i = 0; i < EVC_NCLASSES; i++)
		if (!ev_class_names[i]) {
			/* a class added to enum ev_class without its name */
			snprintf(err, errlen, "word class number %d of enum ev_class has no name in "
				 "ev_class_names (src/events/triggers.c)", i);
			return SR_ERR_DATA;
		}
	for (int i = 0; i < EVC_NCLASSES; i++)
		if (!t->classes[i] || !t->classes[i][0]) {
			snprintf(err, errlen, "classes.tsv: the word class '%s', which the event rules ask about, "
				 "is defined by no file (add a line '%s<TAB>word|word')", ev_class_names[i],
				 ev_class_names[i]);
			return SR_ERR_DATA;
		}
	return SR_OK;
}

/* The bit of ev_tables.startpre for a word of n bytes (n > 0) whose
 * first and last bytes are a and z: what ev_fold_hash tells apart (the
 * length, the bytes with their ASCII capitals lower-cased), mixed. */
static inline uint32_t
start_key(size_t n, unsigned char a, unsigned char z)
{
	uint32_t v = (uint32_t)n << 16 | (uint32_t)sr_ascii_lower(a) << 8 | sr_ascii_lower(z);
	return (v * 2654435761u) >> (32 - 14);
}
_Static_assert(EV_START_PRE_BITS == 1u << 14, "start_key gives 14 bits");

static void
index_put(ev_tables *t, const char *w, uint32_t trig)
{
	size_t len = strlen(w);
	uint64_t h = ev_fold_hash(w, len);
	uint32_t b = len ? start_key(len, (unsigned char)w[0], (unsigned char)w[len - 1]) : start_key(0, 0, 0);
	t->startpre[b >> 6] |= 1ULL << (b & 63);
	size_t mask = t->indexcap - 1;
	size_t i = h & mask;
	while (t->index[i].h) {
		if (t->index[i].h == h && t->index[i].trig == trig)
			return;
		i = (i + 1) & mask;
	}
	t->index[i].h = h;
	t->index[i].trig = trig;
	t->index[i].len = len < UINT32_MAX ? (uint32_t)len : UINT32_MAX;
	t->startbits[h >> 54] |= 1ULL << (h >> 48 & 63);
}

void
ev_tables_index(ev_tables *t)
{
	size_t n = 0;
	for (size_t i = 0; i < t->ntrig; i++)
		n += t->trig[i].nalts[0];
	free(t->index);
	t->indexcap = 64;
	while (t->indexcap < n * 2 + 1)
		t->indexcap *= 2;
	t->index = sr_calloc(t->indexcap, sizeof *t->index);
	free(t->startbits);
	t->startbits = sr_calloc(1024, sizeof *t->startbits);
	memset(t->startpre, 0, sizeof t->startpre);
	for (size_t i = 0; i < t->ntrig; i++)
		for (int a = 0; a < t->trig[i].nalts[0]; a++)
			index_put(t, t->trig[i].alts[0][a], (uint32_t)i);
	if (!t->words)
		t->words = ev_words_new();
	t->view = ev_words_view(t->words);
	/* the classes into one buffer, each after its number: ev_in knows a
	 * class's list by its address and tests the class's bit (bit c for
	 * class c) */
	if (!t->cbuf) {
		size_t len = 0;
		for (int c = 0; c < EVC_NCLASSES; c++)
			if (t->classes[c])
				len += strlen(t->classes[c]) + 2;
		t->cbuf = sr_malloc(len + 1);
		size_t at = 0;
		for (int c = 0; c < EVC_NCLASSES; c++) {
			if (!t->classes[c])
				continue;
			size_t cl = strlen(t->classes[c]);
			t->cbuf[at++] = (char)c;
			memcpy(t->cbuf + at, t->classes[c], cl + 1);
			free(t->classes[c]);
			t->classes[c] = t->cbuf + at;
			at += cl + 1;
		}
		t->cbuf_end = t->cbuf + at;
		_Static_assert(EVC_NCLASSES <= 64 * EV_BIT_WORDS && EVC_NCLASSES <= 256,
			       "a class's number is its bit, in a byte");
	}
	for (int c = 0; c < EVC_NCLASSES; c++)
		if (t->classes[c])
			ev_words_fix(t->words, t->classes[c], c);
}

/* The hash a trigger's first word is indexed by, of token k: its first
 * 63 bytes, lower-cased. */
static uint64_t
start_hash(const ev_tables *t, const sr_token *k, size_t *n)
{
	*n = k->len < 63 ? k->len : 63;
	if (t->words && k->len < 63)
		return ev_words_hash(t->words, k);
	return ev_fold_hash(k->s, *n);
}

void
ev_tables_doc(const ev_tables *t, const sr_doc *doc)
{
	if (!t->words)
		return;
	ev_words_doc(t->words, doc);
}

bool
ev_tables_may_start(const ev_tables *t, const sr_token *k)
{
	if (!t->indexcap)
		return false;
	/* a word's hash is its length and its lower-cased bytes: no first
	 * word of the same length begins and ends as this token (most
	 * tokens), no need of its hash */
	size_t m = k->len < 63 ? k->len : 63;
	uint32_t b = m ? start_key(m, (unsigned char)k->s[0], (unsigned char)k->s[m - 1]) : start_key(0, 0, 0);
	if (!(t->startpre[b >> 6] >> (b & 63) & 1))
		return false;
	size_t n;
	uint64_t h = start_hash(t, k, &n);
	if (!(t->startbits[h >> 54] >> (h >> 48 & 63) & 1))
		return false;   /* most words: no first word has a hash this close */
	size_t mask = t->indexcap - 1;
	for (size_t i = h & mask; t->index[i].h; i = (i + 1) & mask)
		if (t->index[i].h == h && t->index[i].len == n)
			return true;
	return false;
}

void
ev_tables_lookup(const ev_tables *t, const sr_token *k,
		 void (*fn)(const ev_trigger *, void *), void *ctx)
{
	if (!t->indexcap)
		return;
	size_t n;
	uint64_t h = start_hash(t, k, &n);
	size_t mask = t->indexcap - 1;
	/* entries are kept in table order: collect, then call in order */
	uint32_t found[64];
	int nf = 0;
	for (size_t i = h & mask; t->index[i].h; i = (i + 1) & mask) {
		/* one of the trigger's first words: the same word when of the
		 * same hash and length (wordset.c), without reading it */
		if (t->index[i].h != h || t->index[i].len != n)
			continue;
		if (nf < 64)
			found[nf++] = t->index[i].trig;
	}
	/* insertion sort by index: table order decides ties */
	for (int i = 1; i < nf; i++)
		for (int j = i; j > 0 && found[j - 1] > found[j]; j--) {
			uint32_t x = found[j];
			found[j] = found[j - 1];
			found[j - 1] = x;
		}
	for (int i = 0; i < nf; i++)
		fn(&t->trig[found[i]], ctx);
}

static void
free_strs(char **s, int n)
{
	for (int i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

void
ev_tables_free(ev_tables *t)
{
	for (size_t i = 0; i < t->ntrig; i++) {
		ev_trigger *g = &t->trig[i];
		for (int w = 0; w < g->nwords; w++)
			for (int a = 0; a < g->nalts[w]; a++)
				free(g->alts[w][a]);
		free_strs(g->cues, g->ncues);
	}
	free(t->trig);
	if (t->cbuf)
		free(t->cbuf);   /* the classes live in it */
	else
		for (int i = 0; i < EVC_NCLASSES; i++)
			free(t->classes[i]);
	for (size_t i = 0; i < t->ncodes; i++) {
		free_strs(t->codes[i].cues, t->codes[i].ncues);
		free(t->codes[i].cameo);
		free(t->codes[i].plover);
		free(t->codes[i].acled);
	}
	free(t->codes);
	ev_tables_free_args(t);
	free(t->index);
	free(t->startbits);
	ev_words_free(t->words);
	memset(t, 0, sizeof *t);
}

size_t
ev_lower(const sr_token *k, char *buf, size_t cap)
{
	size_t n = k->len < cap - 1 ? k->len : cap - 1;
	for (size_t i = 0; i < n; i++) {
		char c = k->s[i];
		buf[i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	buf[n] = 0;
	return n;
}

bool
ev_tok_in(const sr_token *k, const char *list)
{
	/* this runs for most tokens of every sentence, often with the long
	 * lists of prepositions: the places where the token's first letter
	 * (folded; a word of the list is compared as written there, so one
	 * with a capital first letter never matches) stands in the list are
	 * found by strchr, and only a word that starts at one of them is
	 * compared */
	size_t n = k->len;
	if (!n)
		return false;
	unsigned char c0 = (unsigned char)k->s[0];
	if (c0 >= 'A' && c0 <= 'Z')
		c0 = (unsigned char)(c0 - 'A' + 'a');
	if (c0 == '|' || c0 == '\0')
		return false;   /* no word of a list holds its separator or a NUL */
	for (const char *w = strchr(list, c0); w; w = strchr(w + 1, c0)) {
		if (w > list && w[-1] != '|')
			continue;   /* inside a word */
		/* the word at w: n bytes equal to the token's (ASCII case
		 * aside), none of them the end of the word, then its end */
		size_t i = 1;
		while (i < n && w[i] && w[i] != '|' &&
		       sr_ascii_lower((unsigned char)w[i]) == sr_ascii_lower((unsigned char)k->s[i]))
			i++;
		if (i == n && (w[n] == '|' || w[n] == '\0'))
			return true;
	}
	return false;
}
