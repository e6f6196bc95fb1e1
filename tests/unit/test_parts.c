/*
 * test_parts.c -- a report larger than SR_DOC_PART_MAX cut into parts
 * (sr_doc_next_part): every byte of the body in exactly one part, in
 * order; no part over the limit; cuts at paragraph breaks and never
 * inside a UTF-8 sequence; the report's fields on every part; a small
 * report is not cut.  And the memory check under no limit.
 */
#include "harness.h"
#include "sitrep.h"

#include <stdlib.h>

/* A text of about n bytes: paragraphs of sentences with Arabic names (two
 * bytes a letter), so a cut could fall inside a character. */
static char *
make_text(size_t n, size_t *len)
{
	static const char para[] = "Troops left the base near \xd8\xad\xd9\x84\xd8\xa8 on Monday, "
				   "officials said. They moved north.\n\n";
	size_t k = sizeof para - 1;
	char *t = malloc(n + k + 32);
	memcpy(t, " date 2026-02-20\n", 17);
	size_t at = 17;
	while (at < n) {
		memcpy(t + at, para, k);
		at += k;
	}
	t[at] = 0;
	*len = at;
	return t;
}

SR_TEST(parts_cover_the_body_once_at_paragraph_breaks)
{
	size_t len;
	char *t = make_text(SR_DOC_PART_MAX * 3 + 12345, &len);
	sr_doc *d = sr_doc_from_text("big", t, len);
	CHECK(d->body == 17);
	size_t pos = 0, joined = 0;
	int k = 0, n = 0;
	char *all = malloc(len + 1);
	sr_doc *p;
	while ((p = sr_doc_next_part(d, &pos, &k)) != NULL) {
		n++;
		CHECK(p->len <= SR_DOC_PART_MAX);
		CHECK(p->len >= SR_DOC_PART_MAX / 2 || pos == d->len - d->body);
		CHECK(!strcmp(p->published, "2026-02-20"));
		char id[32];
		snprintf(id, sizeof id, "big/part%d", n);
		CHECK_STR(p->id, id);
		/* a part ends at a paragraph break, except the last */
		if (pos < d->len - d->body)
			CHECK(p->len >= 2 && p->text[p->len - 1] == '\n' && p->text[p->len - 2] == '\n');
		CHECK(((unsigned char)p->text[0] & 0xC0) != 0x80);
		memcpy(all + joined, p->text, p->len);
		joined += p->len;
		sr_doc_free(p);
	}
	CHECK(n == 4);
	CHECK(k == 4);
	CHECK(joined == d->len - d->body);
	CHECK(joined == d->len - d->body && !memcmp(all, d->text + d->body, joined));
	free(all);
	sr_doc_free(d);
	free(t);
}

SR_TEST(parts_a_small_report_is_not_cut)
{
	sr_doc *d = sr_doc_from_text("small", "US forces left Raqqa.", 21);
	size_t pos = 0;
	int k = 0;
	CHECK(sr_doc_next_part(d, &pos, &k) == NULL);
	CHECK(k == 0);
	char err[256];
	CHECK(sr_doc_memory_check(d, err, sizeof err) == SR_OK);
	sr_doc_free(d);
}

SR_TEST(parts_one_long_line_is_cut_between_characters)
{
	size_t n = SR_DOC_PART_MAX + 1000;
	char *t = malloc(n + 1);
	for (size_t i = 0; i + 1 < n; i += 2) {
		t[i] = (char)0xd8;
		t[i + 1] = (char)0xad;
	}
	t[n - 1] = 'x';
	t[n] = 0;
	sr_doc *d = sr_doc_from_text("line", t, n);
	size_t pos = 0, total = 0;
	int k = 0;
	sr_doc *p;
	while ((p = sr_doc_next_part(d, &pos, &k)) != NULL) {
		CHECK(((unsigned char)p->text[0] & 0xC0) != 0x80);
		total += p->len;
		sr_doc_free(p);
	}
	CHECK(k == 2);
	CHECK(total == d->len - d->body);
	sr_doc_free(d);
	free(t);
}
