/*
 * fuzz_common.h -- invariants every fuzz target checks on an analyzed
 * document.  A broken invariant aborts, which libFuzzer reports as a
 * crash with the input that caused it.
 */
#ifndef SR_FUZZ_COMMON_H
#define SR_FUZZ_COMMON_H

#include "sitrep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FUZZ_ASSERT(cond)                                                      \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			abort();                                               \
		}                                                              \
	} while (0)

/* Is s[0..n) valid UTF-8 (no overlongs, surrogates or truncations)? */
static inline int
fuzz_valid_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		size_t len;
		unsigned min, v;
		if (c < 0x80) { i++; continue; }
		if (c >= 0xC2 && c <= 0xDF) { len = 2; v = c & 0x1F; min = 0x80; }
		else if (c >= 0xE0 && c <= 0xEF) { len = 3; v = c & 0x0F; min = 0x800; }
		else if (c >= 0xF0 && c <= 0xF4) { len = 4; v = c & 0x07; min = 0x10000; }
		else return 0;
		if (i + len > n) return 0;
		for (size_t k = 1; k < len; k++) {
			if ((s[i + k] & 0xC0) != 0x80) return 0;
			v = (v << 6) | (s[i + k] & 0x3F);
		}
		if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
		i += len;
	}
	return 1;
}

/* The original text, the normalized text and its map back. */
static inline void
fuzz_check_norm(const sr_doc *d)
{
	FUZZ_ASSERT(d->text && d->text[d->len] == 0);
	FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)d->text, d->len));
	FUZZ_ASSERT(d->body <= d->len);
	FUZZ_ASSERT(d->norm && d->norm[d->nlen] == 0);
	FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)d->norm, d->nlen));
	FUZZ_ASSERT(memchr(d->norm, 0, d->nlen) == NULL);
	FUZZ_ASSERT(d->nmap[d->nlen] == d->len);
	for (size_t i = 0; i < d->nlen; i++) {
		FUZZ_ASSERT(d->nmap[i] >= d->body && d->nmap[i] < d->len);
		FUZZ_ASSERT(d->nmap[i] <= d->nmap[i + 1]);
		/* every mapped offset starts a character of the original */
		FUZZ_ASSERT(((unsigned char)d->text[d->nmap[i]] & 0xC0) != 0x80);
	}
}

/* Tokens and sentences: in order, inside the text, within the limits,
 * covering each other exactly. */
static inline void
fuzz_check_tokens(const sr_doc *d)
{
	uint32_t prev_end = (uint32_t)d->body;
	for (size_t i = 0; i < d->ntok; i++) {
		const sr_token *k = &d->toks[i];
		FUZZ_ASSERT(k->len > 0 && k->len <= SR_MAX_TOKEN);
		FUZZ_ASSERT(k->s == d->norm + k->nstart);
		FUZZ_ASSERT((size_t)k->nstart + k->len <= d->nlen);
		FUZZ_ASSERT(((unsigned char)k->s[0] & 0xC0) != 0x80);
		FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)k->s, k->len));
		FUZZ_ASSERT(k->start < k->end && k->end <= d->len);
		FUZZ_ASSERT(k->start >= prev_end);
		FUZZ_ASSERT(k->cls <= SR_TOK_EMAIL);
		FUZZ_ASSERT(fuzz_valid_utf8((const unsigned char *)d->text + k->start,
					    k->end - k->start));
		/* a token whose original bytes are plain ASCII is those bytes */
		int ascii = 1;
		for (uint32_t j = k->start; j < k->end && ascii; j++)
			if ((unsigned char)d->text[j] >= 0x80)
				ascii = 0;
		if (ascii) {
			FUZZ_ASSERT(k->len == k->end - k->start);
			FUZZ_ASSERT(!memcmp(k->s, d->text + k->start, k->len));
		}
		prev_end = k->end;
	}
	size_t next = 0;
	uint32_t para = 0;
	for (size_t i = 0; i < d->nsent; i++) {
		const sr_sentence *s = &d->sents[i];
		FUZZ_ASSERT(s->tok == next);
		FUZZ_ASSERT(s->ntok > 0 && s->ntok <= SR_MAX_SENTENCE_TOKENS);
		FUZZ_ASSERT(s->start == d->toks[s->tok].start);
		FUZZ_ASSERT(s->end == d->toks[s->tok + s->ntok - 1].end);
		FUZZ_ASSERT(s->para >= para);
		para = s->para;
		next += s->ntok;
	}
	FUZZ_ASSERT(next == d->ntok);
}

#endif
