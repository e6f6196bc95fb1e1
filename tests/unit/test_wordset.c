/*
 * test_wordset.c -- the word sets of the event stage (src/events/wordset.c)
 * answer exactly as the list scan ev_tok_in does, on the tokens of a
 * document and on tokens made by hand: case, lists with empty or
 * capitalised words, long tokens, tokens of another document, and the
 * trigger pre-test.
 */
#include "harness.h"
#include "../../src/events/ev.h"

#include <stdlib.h>

static const char *const lists[] = {
	"from|to|with|against|by|at|in|on|into",
	"the|a|an",
	"US|us|Said",              /* capitalised words never match in ev_tok_in */
	"||and||or|",              /* empty words */
	"n't|'s|'ll|~|approx.|,|.",
	"x",
	"",
	"thirty-four|fighter-jets|service-members|already-",
	"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

/* Every token of text, against every list, both ways. */
static void
same_answers(ev_words *w, const char *text)
{
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	ev_words_doc(w, d);
	for (size_t i = 0; i < d->ntok; i++)
		for (size_t l = 0; l < SR_ARRAY_LEN(lists); l++)
			CHECK(ev_words_has(w, &d->toks[i], lists[l]) == ev_tok_in(&d->toks[i], lists[l]));
	sr_doc_free(d);
}

SR_TEST(wordset_same_answers_as_the_list_scan)
{
	ev_words *w = ev_words_new();
	same_answers(w, "US forces WITHDREW From the base, and THE troops didn't go; "
		     "they'll say US said ~30 approx. Thirty-four fighter-jets and "
		     "service-members already-gone. Or AND from FROM fRoM x X.");
	same_answers(w, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
		     "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA "
		     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.");
	/* a token that is not of the current document is hashed on the spot */
	sr_token k = {.s = "WITH", .len = 4, .cls = SR_TOK_WORD};
	CHECK(ev_words_has(w, &k, lists[0]));
	k.len = 3;
	CHECK(!ev_words_has(w, &k, lists[0]));
	sr_token e = {.s = "", .len = 0};
	CHECK(!ev_words_has(w, &e, lists[3]));
	ev_words_free(w);
	ev_words_free(NULL);
}

/* The plain reading of ev_tok_in: each word of the list in turn. */
static bool
scan_in(const sr_token *k, const char *list)
{
	size_t n = k->len;
	if (!n)
		return false;
	for (const char *s = list; *s;) {
		const char *w = s;
		while (*s && *s != '|')
			s++;
		if ((size_t)(s - w) == n && !(w[0] >= 'A' && w[0] <= 'Z') &&
		    sr_strncasecmp_ascii(w, k->s, n) == 0)
			return true;
		if (*s)
			s++;
	}
	return false;
}

SR_TEST(tok_in_same_answers_as_a_plain_scan)
{
	/* ev_tok_in finds the candidates by strchr: words inside words,
	 * separators, empty words, a token holding a '|', a capital first
	 * letter in the list */
	static const char *const more[] = {
		"from|to|with|against|by|at|in|on|into", "tot|to|t", "oto|to", "a|b", "a||b|", "|to|",
		"To|to", "TO", "x|y|zz|z", "aa|a", "a", "", "“|”|\"", "withdraw|with|draw",
	};
	const char *text = "To to TO tot t oto a b a|b |to| x zz z aa A “ ” \" with draw "
			   "withdraw WITH http://x.com/a|b ' - from From FROM fro";
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	for (size_t i = 0; i < d->ntok; i++) {
		for (size_t l = 0; l < SR_ARRAY_LEN(more); l++)
			CHECK(ev_tok_in(&d->toks[i], more[l]) == scan_in(&d->toks[i], more[l]));
		for (size_t l = 0; l < SR_ARRAY_LEN(lists); l++)
			CHECK(ev_tok_in(&d->toks[i], lists[l]) == scan_in(&d->toks[i], lists[l]));
	}
	sr_doc_free(d);
	static const char *const toks[] = {"a|b", "|", "to|", "|to", "to", "t", "zz", "To"};
	for (size_t t = 0; t < SR_ARRAY_LEN(toks); t++) {
		sr_token k = {.s = toks[t], .len = (uint32_t)strlen(toks[t])};
		for (size_t l = 0; l < SR_ARRAY_LEN(more); l++)
			CHECK(ev_tok_in(&k, more[l]) == scan_in(&k, more[l]));
	}
	sr_token nul = {.s = "\0a", .len = 2};
	CHECK(!ev_tok_in(&nul, "a|b"));
	CHECK(ev_tok_in(&(sr_token){.s = "with", .len = 4}, "withdraw|with|draw"));
	CHECK(!ev_tok_in(&(sr_token){.s = "a|b", .len = 3}, "a|b"));
}

SR_TEST(wordset_many_lists)
{
	/* more lists than the first table holds: it grows and keeps them */
	ev_words *w = ev_words_new();
	enum { N = 600 };
	char *ls[N];
	for (int i = 0; i < N; i++) {
		ls[i] = malloc(32);
		snprintf(ls[i], 32, "w%d|v%d", i, i);
	}
	char word[16];
	for (int round = 0; round < 2; round++)
		for (int i = 0; i < N; i++) {
			snprintf(word, sizeof word, "W%d", i);
			sr_token k = {.s = word, .len = (uint32_t)strlen(word)};
			CHECK(ev_words_has(w, &k, ls[i]));
			CHECK(!ev_words_has(w, &k, ls[(i + 1) % N]));
		}
	ev_words_free(w);
	for (int i = 0; i < N; i++)
		free(ls[i]);
}

SR_TEST(wordset_fold_hash_ignores_ascii_case_only)
{
	CHECK(ev_fold_hash("Withdrew", 8) == ev_fold_hash("wITHDREW", 8));
	CHECK(ev_fold_hash("withdrew", 8) != ev_fold_hash("withdraw", 8));
	CHECK(ev_fold_hash("[", 1) != ev_fold_hash("{", 1));   /* not letters */
	CHECK(ev_fold_hash("@", 1) != ev_fold_hash("`", 1));
	CHECK(ev_fold_hash("\xc3\x89", 2) != ev_fold_hash("\xc3\xa9", 2));
	CHECK(ev_fold_hash("", 0) != 0);
	for (size_t n = 0; n <= 17; n++)
		CHECK(ev_fold_hash("ABCDEFGHIJKLMNOPQ", n) == ev_fold_hash("abcdefghijklmnopq", n));
}
