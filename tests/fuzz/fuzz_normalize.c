/*
 * fuzz_normalize.c -- libFuzzer target for the normalizer: any bytes
 * become a document (invalid UTF-8 repaired), are normalized, and the
 * normalized text and its map back to the original must hold their
 * invariants (fuzz_common.h).
 */
#include "fuzz_common.h"

#include <stdint.h>

/* the normalizer alone (tokenize.c calls it from sr_doc_analyze) */
void sr_normalize(sr_doc *doc);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sr_doc *d = sr_doc_from_text("fuzz", (const char *)data, size);
	sr_normalize(d);
	fuzz_check_norm(d);
	/* every span of normalized bytes maps to a span of the original */
	for (size_t a = 0; a < d->nlen; a += 1 + a / 7) {
		uint32_t s, e;
		size_t b = a + 1 + (a % 13);
		sr_doc_span(d, a, b, &s, &e);
		FUZZ_ASSERT(s <= e && e <= d->len && s >= d->body);
		FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)d->text + s, e - s));
	}
	sr_doc_free(d);
	return 0;
}
