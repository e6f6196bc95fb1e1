/*
 * words.c -- a sentence of sitrep's tokens becomes UD words, and the
 * words get tags, lemmas and a tree.
 *
 * sitrep's tokenizer keeps a token whole where the treebank cuts it in
 * words: "didn't" is "did" + "n't", "I'm" is "I" + "'m", "al-Tanf" is
 * "al" "-" "Tanf" and "U.S.-led" is "U.S." "-" "led".  Rather than change
 * the tokens every other stage reads, this layer cuts a token into words
 * (sy_split_token), each a sub-span of its token, so the parser sees what
 * it was trained on and every word still maps back to the text.  Which
 * hyphenated words stay whole ("e-mail", "co-workers") is learned from
 * the treebank: the model lists the first parts it keeps.
 */
#include "syntax_int.h"

#include <stdlib.h>

struct sr_parser {
	const sr_syntax *m;
	sy_state st;
	int cap;                /* words the arrays hold */
	sy_wfeat *wf;
	uint16_t *tags;
	sr_word *words;
	char *lemmas;           /* rule-made lemmas of the current parse */
	size_t lcap;
	bool case_lemmas;       /* lemmas of case words only (sr_parser_case_lemmas) */
};

sr_parser *
sr_parser_new(const sr_syntax *m)
{
	sr_parser *p = sr_calloc(1, sizeof *p);
	p->m = m;
	return p;
}

const sr_syntax *
sy_parser_model(const sr_parser *p)
{
	return p->m;
}

void
sr_parser_free(sr_parser *p)
{
	if (!p)
		return;
	if (p->cap)
		sy_state_free(&p->st);
	free(p->wf);
	free(p->tags);
	free(p->words);
	free(p->lemmas);
	free(p);
}

void
sr_parser_case_lemmas(sr_parser *p, bool on)
{
	p->case_lemmas = on;
}

static void
reserve(sr_parser *p, size_t n)
{
	if (n > (size_t)p->cap) {
		size_t c = n < 64 ? 64 : n;
		if (p->cap)
			sy_state_free(&p->st);
		sy_state_alloc(&p->st, (int)(c < SR_MAX_PARSE_WORDS ? c : SR_MAX_PARSE_WORDS));
		p->wf = sr_realloc(p->wf, c * sizeof *p->wf);
		p->tags = sr_realloc(p->tags, c * sizeof *p->tags);
		p->words = sr_realloc(p->words, c * sizeof *p->words);
		p->cap = (int)c;
	}
}

/* ----------------------------------------------------------- splitting */

static inline bool
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

static inline bool
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Does the token end in a clitic the treebank writes as a word of its
 * own?  Returns the clitic's length, 0 if none. */
static size_t
clitic(const char *s, size_t n)
{
	static const char *const cl[] = {"n't", "'s", "'m", "'re", "'ve", "'ll", "'d"};
	for (size_t i = 0; i < SR_ARRAY_LEN(cl); i++) {
		size_t l = strlen(cl[i]);
		if (n > l && sr_eq_ci(s + n - l, l, cl[i]) && is_alnum((unsigned char)s[n - l - 1]))
			return l;
	}
	/* "cannot", "gonna", "wanna", "gotta" */
	static const char *const two[][2] = {{"cannot", "not"}, {"gonna", "na"}, {"wanna", "na"}, {"gotta", "ta"}};
	for (size_t i = 0; i < SR_ARRAY_LEN(two); i++)
		if (sr_eq_ci(s, n, two[i][0]))
			return strlen(two[i][1]);
	return 0;
}

/* The Arabic article in transliterated names ("al-Tanf", "el-Sisi",
 * "ash-Shaddadi"): the treebank, which has few such names, cuts them
 * ("al" "-" "Tanf") and then reads "the strategic al" as a noun phrase of
 * its own; whole, the name is one proper noun inside its phrase, as news
 * reports about the region need.  Kept whole before a capital letter. */
static bool
arabic_article(const char *s, size_t n, unsigned char next)
{
	static const char *const art[] = {"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "Al", "El"};
	if (next < 'A' || next > 'Z')
		return false;
	for (size_t i = 0; i < SR_ARRAY_LEN(art); i++)
		if (strlen(art[i]) == n && !memcmp(art[i], s, n))
			return true;
	return false;
}

static size_t
split_hyphens(const sy_map *keep, const char *s, size_t n, uint16_t *start,
	      uint16_t *len, size_t max, uint16_t base)
{
	size_t k = 0, from = 0;
	for (size_t i = 1; i + 1 < n && k + 3 < max; i++) {
		/* a letter or digit (or an abbreviation's period: "U.S.-led")
		   before the hyphen, a letter or digit after it */
		bool before = is_alnum((unsigned char)s[i - 1]) ||
			      (s[i - 1] == '.' && i >= 2 && is_alnum((unsigned char)s[i - 2]));
		if (s[i] != '-' || !before || !is_alnum((unsigned char)s[i + 1]))
			continue;
		/* numbers joined by hyphens (phone numbers, dates) stay whole */
		if (is_digit((unsigned char)s[i - 1]) && is_digit((unsigned char)s[i + 1]))
			continue;
		if (from == 0 && arabic_article(s, i, (unsigned char)s[i + 1]))
			continue;
		/* a first part the treebank keeps joined: "e-mail", "co-op" */
		if (from == 0 && keep) {
			uint32_t v;
			if (sy_map_get(keep, sy_amb_key(s, i), &v))
				continue;
		}
		start[k] = (uint16_t)(base + from);
		len[k++] = (uint16_t)(i - from);
		start[k] = (uint16_t)(base + i);
		len[k++] = 1;
		from = i + 1;
	}
	start[k] = (uint16_t)(base + from);
	len[k++] = (uint16_t)(n - from);
	return k;
}

static size_t
split_token(const sy_map *keep, const char *s, size_t n, uint16_t *start,
	    uint16_t *len, size_t max)
{
	if (max < 2 || n > 0xffff) {
		start[0] = 0;
		len[0] = (uint16_t)(n > 0xffff ? 0xffff : n);
		return 1;
	}
	size_t c = clitic(s, n);
	size_t k = split_hyphens(keep, s, n - c, start, len, max - 1, 0);
	if (c) {
		start[k] = (uint16_t)(n - c);
		len[k++] = (uint16_t)c;
	}
	return k;
}

size_t
sy_split_token(const char *s, size_t n, uint16_t *start, uint16_t *len, size_t max)
{
	return split_token(NULL, s, n, start, len, max);
}

/* -------------------------------------------------------------- parsing */

/* Tags, lemmatizes and parses words p->words[0..n) whose form and flen
 * are set. */
static void
analyze(sr_parser *p, size_t n, bool tree)
{
	const sr_syntax *m = p->m;
	for (size_t i = 0; i < n; i++)
		sy_word_features(NULL, NULL, p->words[i].form, p->words[i].flen, &p->wf[i]);
	sy_word_classes(&m->amb, &m->clu, p->wf, n);
	sy_tag(m, p->wf, n, p->tags);
	size_t used = 0, need = 0;
	for (size_t i = 0; i < n; i++)
		need += p->words[i].flen + 17;
	if (need > p->lcap) {
		p->lcap = need < 4096 ? 4096 : need;
		p->lemmas = sr_realloc(p->lemmas, p->lcap);
	}
	/* the lemmas: of every word, or after the parse of its case words
	   alone (NULL for the others) */
	bool all = !tree || !p->case_lemmas;
	for (size_t i = 0; i < n; i++) {
		sr_word *w = &p->words[i];
		w->upos = m->tag_upos[p->tags[i]];
		w->xpos = m->tag_xpos[p->tags[i]];
		w->lemma = NULL;
		if (!all)
			continue;
		size_t room = w->flen + 16;
		w->lemma = sy_lemma(m, w->form, w->flen, w->xpos, p->lemmas + used, room);
		if (w->lemma == p->lemmas + used)
			used += strlen(w->lemma) + 1;
	}
	if (!tree) {
		for (size_t i = 0; i < n; i++) {
			p->words[i].head = -1;
			p->words[i].deprel = SR_DEP_NONE;
		}
		return;
	}
	/* parse in pieces of at most SR_MAX_PARSE_WORDS; the root of each
	   later piece hangs off the first piece's root */
	int first_root = -1;
	for (size_t from = 0; from < n; from += SR_MAX_PARSE_WORDS) {
		int len = (int)(n - from < SR_MAX_PARSE_WORDS ? n - from : SR_MAX_PARSE_WORDS);
		sy_parse(m, &p->st, p->wf + from, p->tags + from, len);
		for (int i = 0; i < len; i++) {
			sr_word *w = &p->words[from + (size_t)i];
			int h = p->st.head[i];
			if (h == len || h < 0) {
				if (first_root < 0) {
					first_root = (int)from + i;
					w->head = -1;
					w->deprel = SR_DEP_ROOT;
				} else {
					w->head = (int16_t)first_root;
					w->deprel = SR_DEP_PARATAXIS;
				}
			} else {
				w->head = (int16_t)(from + (size_t)h);
				w->deprel = m->labels[p->st.label[i]];
			}
		}
	}
	if (all)
		return;
	for (size_t i = 0; i < n; i++) {
		sr_word *w = &p->words[i];
		if (sr_deprel_base(w->deprel) != SR_DEP_CASE)
			continue;
		size_t room = w->flen + 16;
		w->lemma = sy_lemma(m, w->form, w->flen, w->xpos, p->lemmas + used, room);
		if (w->lemma == p->lemmas + used)
			used += strlen(w->lemma) + 1;
	}
}

static int
sentence_words(sr_parser *p, const sr_doc *doc, size_t sentence, sr_parse *out,
	       bool tree)
{
	out->w = NULL;
	out->n = 0;
	if (!doc || sentence >= doc->nsent)
		return SR_ERR_USAGE;
	const sr_sentence *s = &doc->sents[sentence];
	/* at most 8 words a token (longer hyphen chains stay joined at the
	   end) */
	enum { PER_TOKEN = 8 };
	reserve(p, (size_t)s->ntok * PER_TOKEN);
	size_t n = 0;
	for (uint32_t t = 0; t < s->ntok; t++) {
		const sr_token *tk = &doc->toks[s->tok + t];
		uint16_t st[PER_TOKEN], ln[PER_TOKEN];
		size_t k = 1;
		st[0] = 0;
		ln[0] = (uint16_t)(tk->len > 0xffff ? 0xffff : tk->len);
		if (tk->cls == SR_TOK_WORD || tk->cls == SR_TOK_NUMBER)
			k = split_token(&p->m->hyph, tk->s, tk->len, st, ln, PER_TOKEN);
		for (size_t j = 0; j < k; j++) {
			sr_word *w = &p->words[n++];
			memset(w, 0, sizeof *w);
			w->form = tk->s + st[j];
			w->flen = ln[j];
			w->tok = s->tok + t;
			if (k == 1) {
				w->start = tk->start;
				w->end = tk->end;
			} else {
				sr_doc_span(doc, tk->nstart + st[j], tk->nstart + st[j] + ln[j],
					    &w->start, &w->end);
			}
		}
	}
	analyze(p, n, tree);
	out->w = p->words;
	out->n = n;
	return SR_OK;
}

int
sr_parse_sentence(sr_parser *p, const sr_doc *doc, size_t sentence, sr_parse *out)
{
	return sentence_words(p, doc, sentence, out, true);
}

int
sr_tag_sentence(sr_parser *p, const sr_doc *doc, size_t sentence, sr_parse *out)
{
	return sentence_words(p, doc, sentence, out, false);
}

int
sr_parse_words(sr_parser *p, const char *const *forms, const uint32_t *lens,
	       size_t n, sr_parse *out)
{
	reserve(p, n ? n : 1);
	uint32_t off = 0;
	for (size_t i = 0; i < n; i++) {
		sr_word *w = &p->words[i];
		memset(w, 0, sizeof *w);
		w->form = forms[i];
		w->flen = lens[i];
		w->tok = (uint32_t)i;
		w->start = off;
		w->end = off + lens[i];
		off += lens[i] + 1;
	}
	analyze(p, n, true);
	out->w = p->words;
	out->n = n;
	return SR_OK;
}
