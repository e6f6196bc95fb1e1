/*
 * filter.c -- what a --place or --actor filter names: the entities of
 * the store it matches, resolved as the recognizer resolves the words of
 * a report.
 *
 * A filter text T matches a stored entity when
 *   - T is its lexicon id ("site:al-tanf", "US.MIL"), or
 *   - the store has a lexicon (sr_store_set_lexicon) and the recognizer,
 *     reading T as a report, finds a place (an actor) with that id: so
 *     "SDF", "Hasakah", "el-Tanf" name what the lexicon knows them as, or
 *   - T folded as the recognizer folds names (case, diacritics, Arabic
 *     articles, transliteration endings: "hasakah" = "Al Ḩasakah") is
 *     part of the entity's name or report words folded alike, or
 *   - T is an acronym (2 to 6 capitals) of the name's capitalized words
 *     ("SDF" = "Syrian Democratic Forces"), when no lexicon says more.
 *
 * The match runs here over the entities (thousands, not events) and
 * gives the query a list of entity ids, so the events are still reached
 * through their indexes.
 */
#include "store_int.h"
#include "../lexicon/lexicon_int.h"

#include <stdlib.h>

/* The folded key of a name: its tokens folded (lx_fold) and joined by
 * one space, articles dropped. */
static void
fold_name(const char *s, sr_buf *out)
{
	uint32_t starts[64], lens[64];
	sr_buf_reset(out);
	if (!s)
		return;
	size_t n = strlen(s);
	if (n > 4096)
		n = 4096;
	int k = lx_split(s, n, starts, lens, 64);
	char key[LX_MAX_KEY + 8];
	for (int i = 0; i < k; i++) {
		size_t w = lx_fold(s + starts[i], lens[i], key);
		if (!w)
			continue;
		if (out->len)
			sr_buf_addc(out, ' ');
		sr_buf_add(out, key, w);
	}
}

/* Is t 2 to 6 ASCII capitals? */
static int
is_acronym(const char *t)
{
	size_t n = strlen(t);
	if (n < 2 || n > 6)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (t[i] < 'A' || t[i] > 'Z')
			return 0;
	return 1;
}

/* The initials of the capitalized words of a name. */
static void
initials(const char *name, char *out, size_t cap)
{
	size_t o = 0;
	int start = 1;
	for (const char *p = name; p && *p && o + 1 < cap; p++) {
		if (start && *p >= 'A' && *p <= 'Z')
			out[o++] = *p;
		start = *p == ' ' || *p == '-';
	}
	out[o] = 0;
}

/* The lexicon ids the recognizer finds in text, of the kind asked. */
static size_t
recognized(const sr_lexicon *lx, const char *text, int is_place, char ***ids)
{
	*ids = NULL;
	if (!lx)
		return 0;
	sr_recognizer *r = sr_recognizer_new(lx);
	sr_doc *d = sr_doc_from_text("filter", text, strlen(text));
	const sr_entity *ents;
	size_t n, k = 0;
	sr_recognize(r, d, &ents, &n);
	char **v = sr_calloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++)
		if (ents[i].kind == (is_place ? SR_ENT_PLACE : SR_ENT_ACTOR) && ents[i].id[0])
			v[k++] = sr_strdup(ents[i].id);
	sr_doc_free(d);
	sr_recognizer_free(r);
	*ids = v;
	return k;
}

/* One pass over the stored entities of the kind asked: the ids that
 * match text (ids: what the recognizer found in it, nids of them) into
 * out; *exact = 1 when one of them is named by text exactly (its lexicon
 * id, or its name or report words folded). */
static int
match_entities(sr_store *st, const char *text, int is_place, char **ids, size_t nids,
	       int acro, sr_buf *out, int *exact)
{
	sr_buf want = {0}, have = {0};
	fold_name(text, &want);
	*exact = 0;
	st_q *s = st_q_prep(st, is_place
		? "SELECT id, lexicon_id, name, NULL FROM entities WHERE is_place = 1"
		: "SELECT x.id, x.lexicon_id, x.name, (SELECT e.actor_text FROM events e"
		  " WHERE e.actor_id = x.id LIMIT 1) FROM entities x WHERE x.is_place = 0");
	int rc = SR_OK;
	sr_buf_reset(out);
	sr_buf_adds(out, "(");
	size_t nout = 0;
	if (!s) {
		rc = SR_ERR_DB;
	} else {
		int step;
		while ((step = st_q_step(s)) == ST_ROW) {
			const char *lid = st_q_text(s, 1);
			const char *name = st_q_text(s, 2);
			const char *words = st_q_text(s, 3);
			int hit = lid && !strcmp(lid, text);
			*exact |= hit;
			for (size_t i = 0; i < nids && !hit && lid; i++)
				hit = !strcmp(lid, ids[i]);
			if (!hit && want.len) {
				fold_name(name, &have);
				hit = have.ptr && strstr(have.ptr, want.ptr) != NULL;
				*exact |= hit && !strcmp(have.ptr, want.ptr);
				if (!hit && words) {
					fold_name(words, &have);
					hit = have.ptr && strstr(have.ptr, want.ptr) != NULL;
					*exact |= hit && !strcmp(have.ptr, want.ptr);
				}
			}
			if (!hit && acro && name) {
				char ini[16];
				initials(name, ini, sizeof ini);
				hit = !strcmp(ini, text);
			}
			if (hit)
				sr_buf_printf(out, "%s%lld", nout++ ? "," : "",
					      (long long)st_q_int(s, 0));
		}
		if (step != ST_DONE)
			rc = st_dberr(st, "reading entities");
		st_q_free(s);
	}
	sr_buf_adds(out, ")");
	sr_buf_free(&want);
	sr_buf_free(&have);
	return rc;
}

int
st_entity_ids(sr_store *st, const char *text, int is_place, sr_buf *out)
{
	/* the store's own entities first: a name they hold exactly needs no
	 * lexicon (loading it cost a query more than the rest) */
	int exact = 0, rc = SR_OK;
	if (!st->lx && st->lx_load) {
		rc = match_entities(st, text, is_place, NULL, 0, 0, out, &exact);
		if (rc != SR_OK || exact)
			return rc;
		st->lx = st->lx_load(st->lx_ctx);
		st->lx_load = NULL;
		if (!st->lx)
			return st_fail(st, "cannot read the lexicon to resolve '%s'", text);
	}
	char **ids;
	size_t nids = recognized(st->lx, text, is_place, &ids);
	int acro = is_acronym(text) && !nids;
	rc = match_entities(st, text, is_place, ids, nids, acro, out, &exact);
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	return rc;
}
