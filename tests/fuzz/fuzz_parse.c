/*
 * fuzz_parse.c -- libFuzzer target for the syntax stage: any bytes become
 * a document whose sentences are all tagged and parsed (every word's span
 * lies in its token, every head is in the sentence, one root a parsed
 * sentence), and the same bytes are read as CoNLL-U by sr_parse_conllu.
 * The model is the default one (data/syntax.model).
 */
#include "fuzz_common.h"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *devnull;
static sr_syntax *model;
static sr_parser *parser;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!model) {
		char err[512];
		model = sr_syntax_load(NULL, err, sizeof err);
		if (!model) {
			fprintf(stderr, "fuzz_parse: %s\n", err);
			abort();
		}
		parser = sr_parser_new(model);
		devnull = fopen("/dev/null", "w");
	}
	sr_doc *d = sr_doc_from_text("fuzz", (const char *)data, size);
	sr_doc_analyze(d);
	for (size_t s = 0; s < d->nsent; s++) {
		sr_parse p;
		FUZZ_ASSERT(sr_parse_sentence(parser, d, s, &p) == SR_OK);
		size_t roots = 0;
		for (size_t i = 0; i < p.n; i++) {
			const sr_word *w = &p.w[i];
			const sr_token *t = &d->toks[w->tok];
			FUZZ_ASSERT(w->start >= t->start && w->end <= t->end && w->start <= w->end);
			FUZZ_ASSERT(w->head >= -1 && w->head < (int)p.n && w->head != (int)i);
			FUZZ_ASSERT(w->lemma != NULL);
			roots += w->head == -1;
		}
		FUZZ_ASSERT(p.n == 0 || roots == 1);
		sr_write_conllu(devnull, d, s, model, &p);
	}
	sr_doc_free(d);
	FILE *in = fmemopen((void *)(uintptr_t)data, size, "r");
	if (in) {
		char err[256];
		sr_parse_conllu(parser, in, "fuzz", devnull, err, sizeof err);
		fclose(in);
	}
	return 0;
}
