/*
 * lemmas.c -- what the syntax trainer learns of words beside their tags:
 * the lemma rules (per XPOS tag, the rule of the longest telling suffix)
 * and exceptions the rules miss, and the first parts of hyphenated words
 * the treebank keeps whole.  Moved out of train-syntax.c unchanged.
 */
#include "lemmas.h"

uint32_t
str_add(strpool *p, const char *s)
{
	size_t n = strlen(s);
	uint64_t h = sy_hash(s, n);
	bool fresh;
	uint32_t *v = umap_put(&p->idx, h, &fresh);
	if (fresh) {
		if (!p->b.len)
			sr_buf_addc(&p->b, 0);   /* offset 0: "" */
		*v = (uint32_t)p->b.len;
		sr_buf_add(&p->b, s, n);
		sr_buf_addc(&p->b, 0);
	}
	return *v;
}

/* A rule as the model stores it: bit 23 lower-case first, strip << 24,
 * the appended string's offset below. */
static uint32_t
lemma_rule(strpool *p, const char *form, const char *lemma)
{
	size_t n = strlen(form), ln = strlen(lemma);
	char low[SR_MAX_TOKEN];
	size_t m = n < sizeof low ? n : sizeof low;
	for (size_t i = 0; i < m; i++)
		low[i] = (form[i] >= 'A' && form[i] <= 'Z') ? (char)(form[i] + 32) : form[i];
	size_t best_cp = 0;
	int best_lower = 0;
	for (int lower = 0; lower < 2; lower++) {
		const char *src = lower ? low : form;
		size_t cp = 0;
		while (cp < m && cp < ln && src[cp] == lemma[cp])
			cp++;
		/* ties go to the lower-case rule: "Risk" -> "risk" */
		if (cp > best_cp || (lower == 1 && cp == best_cp)) {
			best_cp = cp;
			best_lower = lower;
		}
	}
	size_t strip = m - best_cp;
	if (strip > 255)
		strip = 255;
	uint32_t app = str_add(p, lemma + best_cp);
	return (uint32_t)strip << 24 | (best_lower ? 0x800000u : 0) | app;
}

static uint32_t
rule_index(lemmas *L, uint32_t rule)
{
	bool fresh;
	uint32_t *v = umap_put(&L->rule_idx, (uint64_t)rule + 1, &fresh);
	if (fresh) {
		SR_GROW(L->rules, L->caprules, L->nrules + 1);
		L->rules[L->nrules] = rule;
		*v = (uint32_t)L->nrules++;
	}
	return *v;
}

void
learn_lemmas(const corpus *c, strpool *p, lemmas *L)
{
	enum { MAXSUF = 6 };
	/* counts of (xpos, suffix, rule) */
	umap cnt = {0};
	typedef struct rc { uint64_t suffix_key; uint32_t rule; uint32_t n; uint8_t tag, k; } rc;
	rc *rcs = NULL;
	size_t nrc = 0, caprc = 0;
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			const tword *w = &c->s[s].w[i];
			if (!strcmp(w->lemma, "_"))
				continue;
			uint32_t rule = lemma_rule(p, w->form, w->lemma);
			size_t n = strlen(w->form);
			char low[SR_MAX_TOKEN];
			size_t m = n < sizeof low ? n : sizeof low;
			for (size_t j = 0; j < m; j++)
				low[j] = (w->form[j] >= 'A' && w->form[j] <= 'Z') ? (char)(w->form[j] + 32) : w->form[j];
			for (size_t k = 0; k <= MAXSUF && k <= m; k++) {
				uint64_t sk = sy_lemr_key(w->xpos, low + m - k, k);
				uint64_t key = sy_mix(sk ^ ((uint64_t)rule * 0x9e3779b97f4a7c15ULL)) | 1;
				bool fresh;
				uint32_t *v = umap_put(&cnt, key, &fresh);
				if (fresh) {
					SR_GROW(rcs, caprc, nrc + 1);
					rcs[nrc] = (rc){sk, rule, 0, w->xpos, (uint8_t)k};
					*v = (uint32_t)nrc++;
				}
				rcs[*v].n++;
			}
		}
	/* best rule per suffix key (ties: the rule seen first) */
	umap best = {0};
	typedef struct bs { uint64_t sk; uint32_t rule, n; uint8_t tag, k; } bs;
	bs *bss = NULL;
	size_t nbs = 0, capbs = 0;
	for (size_t i = 0; i < nrc; i++) {
		bool fresh;
		uint32_t *v = umap_put(&best, rcs[i].suffix_key, &fresh);
		if (fresh) {
			SR_GROW(bss, capbs, nbs + 1);
			bss[nbs] = (bs){rcs[i].suffix_key, rcs[i].rule, rcs[i].n, rcs[i].tag, rcs[i].k};
			*v = (uint32_t)nbs++;
		} else if (rcs[i].n > bss[*v].n) {
			bss[*v].rule = rcs[i].rule;
			bss[*v].n = rcs[i].n;
		}
	}
	/* keep a suffix's rule when it differs from the rule its shorter
	   suffix gives (the lookup takes the longest stored suffix); needs
	   the parent: recompute it from any training word with the suffix */
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			const tword *w = &c->s[s].w[i];
			size_t n = strlen(w->form);
			char low[SR_MAX_TOKEN];
			size_t m = n < sizeof low ? n : sizeof low;
			for (size_t j = 0; j < m; j++)
				low[j] = (w->form[j] >= 'A' && w->form[j] <= 'Z') ? (char)(w->form[j] + 32) : w->form[j];
			uint32_t parent = UINT32_MAX;
			for (size_t k = 0; k <= MAXSUF && k <= m; k++) {
				uint64_t sk = sy_lemr_key(w->xpos, low + m - k, k);
				uint32_t *v = umap_find(&best, sk);
				if (!v)
					break;
				bs *b = &bss[*v];
				/* a suffix seen once says little */
				if (k > 0 && b->n < 2)
					break;
				if (b->rule != parent) {
					bool fresh;
					*umap_put(&L->lemr, sk, &fresh) = rule_index(L, b->rule);
				}
				parent = b->rule;
			}
		}
	/* exceptions: (form, xpos) whose commonest lemma the rules miss */
	umap fl = {0};
	typedef struct fle { const char *form, *lemma; uint8_t tag; uint32_t n; } fle;
	fle *fls = NULL;
	size_t nfl = 0, capfl = 0;
	for (size_t s = 0; s < c->n; s++)
		for (int i = 0; i < c->s[s].n; i++) {
			const tword *w = &c->s[s].w[i];
			if (!strcmp(w->lemma, "_"))
				continue;
			uint64_t k = sy_mix(sy_lemx_key(w->form, strlen(w->form), w->xpos) ^ sy_hash(w->lemma, strlen(w->lemma))) | 1;
			bool fresh;
			uint32_t *v = umap_put(&fl, k, &fresh);
			if (fresh) {
				SR_GROW(fls, capfl, nfl + 1);
				fls[nfl] = (fle){w->form, w->lemma, w->xpos, 0};
				*v = (uint32_t)nfl++;
			}
			fls[*v].n++;
		}
	umap bestfl = {0};
	size_t *pick = sr_malloc((nfl ? nfl : 1) * sizeof *pick), npick = 0;
	for (size_t i = 0; i < nfl; i++) {
		bool fresh;
		uint32_t *v = umap_put(&bestfl, sy_lemx_key(fls[i].form, strlen(fls[i].form), fls[i].tag), &fresh);
		if (fresh) {
			*v = (uint32_t)npick;
			pick[npick++] = i;
		} else if (fls[i].n > fls[pick[*v]].n) {
			pick[*v] = i;
		}
	}
	sr_syntax tmp = {0};
	for (size_t j = 0; j < npick; j++) {
		const fle *e = &fls[pick[j]];
		/* what the rules give */
		tmp.lemr = (sy_map){L->lemr.keys, L->lemr.vals, L->lemr.cap - 1};
		tmp.rules = L->rules;
		tmp.strs = p->b.ptr;
		char buf[SR_MAX_TOKEN + 64];
		const char *got = sy_lemma(&tmp, e->form, strlen(e->form), e->tag, buf, sizeof buf);
		if (strcmp(got, e->lemma)) {
			bool fresh;
			*umap_put(&L->lemx, sy_lemx_key(e->form, strlen(e->form), e->tag), &fresh) = str_add(p, e->lemma);
		}
	}
	free(pick);
	free(fls);
	umap_free(&fl);
	umap_free(&bestfl);
	free(bss);
	umap_free(&best);
	free(rcs);
	umap_free(&cnt);
}

/* --------------------------------------------------- hyphenated words */

/* First parts of hyphenated words the treebank keeps whole more often
 * than it splits them ("e-mail", "co-workers", "non-profit"). */
void
learn_hyphens(const corpus *c, umap *keep)
{
	umap kept = {0}, split = {0};
	uint64_t *order = NULL;
	size_t norder = 0, caporder = 0;
	for (size_t s = 0; s < c->n; s++) {
		const tsent *t = &c->s[s];
		for (int i = 0; i < t->n; i++) {
			const char *f = t->w[i].form;
			size_t n = strlen(f);
			for (size_t j = 1; j + 1 < n; j++)
				if (f[j] == '-' && f[j - 1] != '-' && f[j + 1] != '-' &&
				    !(f[j - 1] >= '0' && f[j - 1] <= '9' && f[j + 1] >= '0' && f[j + 1] <= '9')) {
					bool fresh;
					uint64_t k = sy_amb_key(f, j);
					(*umap_put(&kept, k, &fresh))++;
					if (fresh) {
						SR_GROW(order, caporder, norder + 1);
						order[norder++] = k;
					}
					break;
				}
			if (i + 2 < t->n && !t->w[i].space_after && !t->w[i + 1].space_after &&
			    !strcmp(t->w[i + 1].form, "-")) {
				bool fresh;
				(*umap_put(&split, sy_amb_key(f, n), &fresh))++;
			}
		}
	}
	for (size_t i = 0; i < norder; i++) {
		uint32_t k = *umap_find(&kept, order[i]);
		uint32_t *sp = umap_find(&split, order[i]);
		if (k > (sp ? *sp : 0)) {
			bool fresh;
			*umap_put(keep, order[i], &fresh) = 1;
		}
	}
	free(order);
	umap_free(&kept);
	umap_free(&split);
}
