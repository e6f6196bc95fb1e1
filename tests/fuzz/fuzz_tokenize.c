/*
 * fuzz_tokenize.c -- libFuzzer target for the tokenizer and sentence
 * splitter: any bytes become a document that is analyzed in full; tokens
 * and sentences must hold their invariants (fuzz_common.h) and the
 * sentences are written out as `sitrep sentences` would.
 */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
	sr_write_sentences(devnull, d);
	sr_doc_free(d);
	return 0;
}
