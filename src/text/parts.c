/*
 * parts.c -- a report too large to analyze at once, cut into parts.
 *
 * Analysis and extraction take about 29 bytes of memory per byte of a
 * report (tokens, the normalized text's map, the recognizer's and the
 * extractor's per-token arrays), so a 60 MB record took 1.7 GB.  A news
 * report is a few kilobytes; a record of megabytes is a feed, a book or
 * a dump.  Cutting it at paragraph breaks into parts of at most
 * SR_DOC_PART_MAX bytes, each analyzed, extracted and stored as a report
 * of its own, bounds the memory to the record itself plus one part's
 * working set, and loses nothing: every byte of the body is in exactly
 * one part, in order.
 */
#include "../sr_internal.h"

#include <stdio.h>
#include <stdlib.h>

/* Where to end a part that starts at from and may run to limit: after
 * the last paragraph break (a blank line), else the last line break,
 * else the last sentence end (". "), else the last space, else limit,
 * never inside a UTF-8 sequence.  Only breaks in the second half of the
 * window count, so that parts stay large. */
static size_t
cut_at(const char *t, size_t from, size_t limit)
{
	size_t half = from + (limit - from) / 2;
	static const char *const seps[] = {"\n\n", "\n", ". ", " "};
	for (size_t k = 0; k < SR_ARRAY_LEN(seps); k++) {
		size_t n = strlen(seps[k]);
		for (size_t i = limit; i >= half + n; i--)
			if (!memcmp(t + i - n, seps[k], n))
				return i;
	}
	size_t i = limit;
	while (i > from + 1 && ((unsigned char)t[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static char *
dup_or_null(const char *s)
{
	return s ? sr_strdup(s) : NULL;
}

sr_doc *
sr_doc_next_part(const sr_doc *doc, size_t *pos, int *k)
{
	size_t body = doc->body <= doc->len ? doc->body : doc->len;
	size_t total = doc->len - body;
	if (total <= SR_DOC_PART_MAX || *pos >= total)
		return NULL;
	size_t from = body + *pos;
	size_t limit = from + SR_DOC_PART_MAX;
	size_t end = limit >= doc->len ? doc->len : cut_at(doc->text, from, limit);
	sr_doc *p = sr_calloc(1, sizeof *p);
	char id[64];
	int nparts = (int)((total + SR_DOC_PART_MAX - 1) / SR_DOC_PART_MAX);
	++*k;
	snprintf(id, sizeof id, "/part%d", *k);
	size_t idlen = strlen(doc->id ? doc->id : "-");
	p->id = sr_malloc(idlen + strlen(id) + 1);
	memcpy(p->id, doc->id ? doc->id : "-", idlen);
	memcpy(p->id + idlen, id, strlen(id) + 1);
	p->url = dup_or_null(doc->url);
	p->outlet = dup_or_null(doc->outlet);
	p->title = dup_or_null(doc->title);
	memcpy(p->published, doc->published, sizeof p->published);
	p->origin = dup_or_null(doc->origin);
	p->line = doc->line;
	p->text = sr_strndup(doc->text + from, end - from);
	p->len = end - from;
	*pos = end - body;
	(void)nparts;
	return p;
}
