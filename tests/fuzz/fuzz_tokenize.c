/*
 * fuzz_tokenize.c -- libFuzzer target for the tokenizer and sentence
 * splitter: any bytes become a document that is analyzed in full; tokens
 * and sentences must hold their invariants (fuzz_common.h) and the
 * sentences are written out as `sitrep sentences` would.  The fast
 * path of `sitrep times` must agree: sr_doc_sentence_spans cuts the same
 * sentences, and sr_times_scan finds the same expressions as
 * sr_times_find on the analyzed document.
 */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
size_t sr_doc_sentence_spans(sr_doc *doc, uint32_t **spans);

/* The fast path on a fresh copy of the text agrees with d (analyzed). */
static void
check_fast_path(const sr_doc *d, const uint8_t *data, size_t size)
{
	sr_doc *f = sr_doc_from_text("fuzz", (const char *)data, size);
	uint32_t *sp;
	size_t n = sr_doc_sentence_spans(f, &sp);
	FUZZ_ASSERT(n == d->nsent);
	for (size_t k = 0; k < n; k++) {
		const sr_sentence *st = &d->sents[k];
		const sr_token *a = &d->toks[st->tok], *z = &d->toks[st->tok + st->ntok - 1];
		FUZZ_ASSERT(sp[2 * k] == a->nstart && sp[2 * k + 1] == z->nstart + z->len);
	}
	free(sp);
	sr_timex *t1, *t2;
	size_t n1 = sr_times_find(d, &t1), n2 = sr_times_scan(f, &t2);
	FUZZ_ASSERT(n1 == n2);
	for (size_t k = 0; k < n1; k++)
		FUZZ_ASSERT(!memcmp(&t1[k], &t2[k], sizeof t1[k]));
	sr_times_free(t1);
	sr_times_free(t2);
	sr_doc_free(f);
}

static FILE *devnull;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!devnull)
		devnull = fopen("/dev/null", "w");
	sr_doc *d = sr_doc_from_text("fuzz", (const char *)data, size);
	sr_doc_analyze(d);
	fuzz_check_norm(d);
	fuzz_check_tokens(d);
	/* analyzing twice changes nothing */
	size_t ntok = d->ntok, nsent = d->nsent;
	sr_doc_analyze(d);
	FUZZ_ASSERT(d->ntok == ntok && d->nsent == nsent);
	check_fast_path(d, data, size);
	sr_write_sentences(devnull, d);
	sr_doc_free(d);
	return 0;
}
