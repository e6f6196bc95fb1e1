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

/* Appends v in decimal. */
static void
add_uint(sr_buf *b, size_t v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sr_buf_add(b, tmp + sizeof tmp - n, (size_t)n);
}

/* The lines of a document are built in one buffer (its id escaped once)
 * and written in blocks: printf and a write per sentence were a tenth of
 * the time of `sitrep sentences`. */
void
sr_write_sentences(FILE *f, const sr_doc *doc)
{
	sr_buf head = {0}, b = {0};
	sr_buf_adds(&head, "{\"doc\":");
	sr_buf_json_str(&head, doc->id, strlen(doc->id));
	sr_buf_adds(&head, ",\"n\":");
	for (size_t i = 0; i < doc->nsent; i++) {
		const sr_sentence *s = &doc->sents[i];
		if (b.len > ((size_t)64 << 10)) {
			fwrite(b.ptr, 1, b.len, f);
			sr_buf_reset(&b);
		}
		sr_buf_add(&b, head.ptr, head.len);
		add_uint(&b, i);
		sr_buf_add(&b, ",\"span\":[", 9);
		add_uint(&b, s->start);
		sr_buf_addc(&b, ',');
		add_uint(&b, s->end);
		sr_buf_add(&b, "],\"text\":", 9);
		sr_buf_json_str(&b, doc->text + s->start, s->end - s->start);
		sr_buf_add(&b, "}\n", 2);
	}
	if (b.len)
		fwrite(b.ptr, 1, b.len, f);
	sr_buf_free(&head);
	sr_buf_free(&b);
}
