/*
 * sentences_out.c -- the JSON Lines view of a document's sentences that
 * `sitrep sentences` prints, the debugging view of every later stage.
 */
#include "../sr_internal.h"

#include <stdlib.h>

void
sr_json_str(FILE *f, const char *s, size_t len)
{
	sr_buf b = {0};
	sr_buf_json_str(&b, s, len);
	fwrite(b.ptr, 1, b.len, f);
	sr_buf_free(&b);
}

void
sr_write_sentences(FILE *f, const sr_doc *doc)
{
	sr_buf b = {0};
	for (size_t i = 0; i < doc->nsent; i++) {
		const sr_sentence *s = &doc->sents[i];
		sr_buf_reset(&b);
		sr_buf_adds(&b, "{\"doc\":");
		sr_buf_json_str(&b, doc->id, strlen(doc->id));
		sr_buf_printf(&b, ",\"n\":%zu,\"span\":[%u,%u],\"text\":", i, s->start, s->end);
		sr_buf_json_str(&b, doc->text + s->start, s->end - s->start);
		sr_buf_adds(&b, "}\n");
		fwrite(b.ptr, 1, b.len, f);
	}
	sr_buf_free(&b);
}
