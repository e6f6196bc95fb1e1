/*
 * test_spans.c -- the sentence spans of sr_doc_sentence_spans (the fast
 * path of `sitrep times`, which tokenizes only what can end a sentence)
 * against sr_doc_analyze's sentences: the same cuts, for texts written
 * to hit every rule (terminal punctuation, closers, abbreviations,
 * openers, line and paragraph breaks, posts' links, the token limit,
 * normalized groups) and for random mixes of those pieces.
 */
#include "harness.h"

#include "sitrep.h"

#include <stdlib.h>
#include <string.h>

size_t sr_doc_sentence_spans(sr_doc *doc, uint32_t **spans);

/* 1 if both ways cut text the same. */
static int
same_cuts(const char *text, size_t len)
{
	sr_doc *a = sr_doc_from_text("t", text, len);
	sr_doc *b = sr_doc_from_text("t", text, len);
	sr_doc_analyze(a);
	uint32_t *sp;
	size_t n = sr_doc_sentence_spans(b, &sp);
	int ok = n == a->nsent;
	for (size_t k = 0; ok && k < n; k++) {
		const sr_sentence *st = &a->sents[k];
		const sr_token *f = &a->toks[st->tok], *l = &a->toks[st->tok + st->ntok - 1];
		ok = sp[2 * k] == f->nstart && sp[2 * k + 1] == l->nstart + l->len;
	}
	free(sp);
	sr_doc_free(a);
	sr_doc_free(b);
	return ok;
}

#define SAME(s) CHECK(same_cuts((s), strlen(s)))

SR_TEST(spans_follow_the_sentence_rules)
{
	SAME("");
	SAME("   \n\n  ");
	SAME("One. Two! Three? four.");
	SAME("He said \"go.\" Then he left. (It rained.) [Done.] 'Yes.' no");
	SAME("Gen. Smith met Mr. Jones. The U.S. Army left. He went to the U.S. The end.");
	SAME("It costs $3.5 million... and more... Then it fell.");
	SAME("Rates rose 3.5 percent. A $1.2 billion deal. Version 1.2.3 shipped. It was 3.5. "
	     "Next 2.5.6. Then 7.x and x7.5 and 4.5.A and 1.5\n2.5 Mr. 3.5 The end 0.5% x.");
	SAME("Line one\nline two\nLine three\n\nPara two ends here. ok");
	SAME("A.B. Smith and John F. Kennedy met No. 5 at etc. The talks");
	SAME("Watch pic.twitter.com/abc - Name (@handle) February 3, 2026 Next x.com/y t.co/z");
	SAME("Mail a@b.com or see http://x.org/a. Then www.y.com. #tag @user ok.");
	SAME("4WD. 3 trucks... 4WD left. \"(Quote.)\" ) ] Fine");
	SAME("caf\xc3\xa9. Na\xc3\xafve \xe2\x80\x9cquoted.\xe2\x80\x9d It\xe2\x80\x99s \xef\xac\x81ne. \xc2\xa8 x");
}

SR_TEST(spans_count_tokens_past_the_limit)
{
	char buf[20000];
	size_t n = 0;
	for (int i = 0; i < 1000; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "w%s", i % 7 ? " " : ", ");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "end. ");
	for (int i = 0; i < 900; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "((");
	n += (size_t)snprintf(buf + n, sizeof buf - n, " x, y. ");
	for (int i = 0; i < 399; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "z ");
	n += (size_t)snprintf(buf + n, sizeof buf - n, "q. r");
	CHECK(same_cuts(buf, n));
}

SR_TEST(spans_random_mixes)
{
	static const char *const piece[] = {
		"a", "The", "U.S.", ".", "!", "?", "\"", "'", ")", "(", "]", "[", " ", "  ", "\n",
		"\n\n", "Gen.", "...", "pic.twitter.com/x", "http://a.com/b", "x@y.com", "@h", "#t",
		"3.5", "$1.2", "1.2.3", "3.5.", "4WD", "\xc3\xa9", "\xe2\x80\x9c", "\xef\xac\x81", "-", "word", "He", "said",
		"No.", "5", "A.", "etc.", ",", "\xc2\xa8", "x", "ab", "2026-02-12", "it's",
	};
	unsigned seed = 12345;
	char buf[8192];
	for (int it = 0; it < 2000; it++) {
		size_t n = 0;
		seed = seed * 1103515245u + 12345u;
		int len = (int)((seed >> 16) % 700);
		for (int k = 0; k < len; k++) {
			seed = seed * 1103515245u + 12345u;
			const char *w = piece[(seed >> 16) % (sizeof piece / sizeof piece[0])];
			size_t l = strlen(w);
			if (n + l >= sizeof buf)
				break;
			memcpy(buf + n, w, l);
			n += l;
		}
		CHECK(same_cuts(buf, n));
	}
}
