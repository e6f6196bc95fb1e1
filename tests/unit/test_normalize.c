/*
 * test_normalize.c -- the normalized text (NFKC, folded quotes, dashes and
 * spaces, dropped zero-width characters, line breaks, repaired mojibake)
 * and the map from normalized bytes back to the original ones.
 */
#include "harness.h"

#include "sitrep.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* The normalized form of text (static buffer). */
static const char *
norm(const char *text)
{
	static char out[4096];
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	snprintf(out, sizeof out, "%s", d->norm);
	sr_doc_free(d);
	return out;
}

static size_t
mojibake_count(const char *text)
{
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	size_t n = d->mojibake;
	sr_doc_free(d);
	return n;
}

/* The original bytes of the span of normalized bytes [a, b) (static). */
static const char *
orig_of(const sr_doc *d, size_t a, size_t b)
{
	static char out[256];
	uint32_t s, e;
	sr_doc_span(d, a, b, &s, &e);
	snprintf(out, sizeof out, "%.*s", (int)(e - s), d->text + s);
	return out;
}

/* Offset of needle in the document's normalized text. */
static size_t
at(const sr_doc *d, const char *needle)
{
	const char *p = strstr(d->norm, needle);
	return p ? (size_t)(p - d->norm) : d->nlen;
}

SR_TEST(normalize_ascii_is_copied)
{
	CHECK_STR(norm("US troops left al-Tanf on 2026-02-12."),
		  "US troops left al-Tanf on 2026-02-12.");
	CHECK_STR(norm(""), "");
}

SR_TEST(normalize_nfkc)
{
	CHECK_STR(norm("\xef\xac\x81nal"), "final");                   /* U+FB01 ligature */
	CHECK_STR(norm("\xef\xbc\xa1\xef\xbc\xa2"), "AB");             /* full-width */
	CHECK_STR(norm("e\xcc\x81t\xc3\xa9"), "\xc3\xa9t\xc3\xa9");    /* e + U+0301 composed */
	CHECK_STR(norm("\xe2\x91\xa0"), "1");                          /* circled one */
	CHECK_STR(norm("x\xc2\xb2"), "x2");                            /* superscript two */
	CHECK_STR(norm("\xd8\xad\xd9\x84\xd8\xa8"), "\xd8\xad\xd9\x84\xd8\xa8"); /* Arabic kept */
}

SR_TEST(normalize_quotes_dashes_spaces_folded)
{
	CHECK_STR(norm("\xe2\x80\x98it\xe2\x80\x99s\xe2\x80\x99"), "'it's'");
	CHECK_STR(norm("\xe2\x80\x9cgo\xe2\x80\x9d \xc2\xabnon\xc2\xbb"), "\"go\" \"non\"");
	CHECK_STR(norm("a\xe2\x80\x93" "b\xe2\x80\x94" "c\xe2\x88\x92" "d\xe2\x80\x90" "e"),
		  "a-b-c-d-e");
	CHECK_STR(norm("a\xc2\xa0" "b\xe2\x80\x89" "c\xe2\x80\xaf" "d\xe3\x80\x80" "e"),
		  "a b c d e");
	CHECK_STR(norm("a\tb"), "a b");
}

SR_TEST(normalize_zero_width_and_controls)
{
	CHECK_STR(norm("a\xe2\x80\x8b" "b\xe2\x80\x8c" "c\xe2\x80\x8d" "d\xef\xbb\xbf" "e"), "abcde");
	CHECK_STR(norm("\xef\xbb\xbfStart"), "Start");                 /* BOM */
	CHECK_STR(norm("co\xc2\xad" "operate"), "cooperate");          /* soft hyphen */
	CHECK_STR(norm("a\x01" "b\x7f" "c"), "a b c");
	CHECK_STR(norm("a\xc2\x85" "b"), "a b");                       /* NEL */
}

SR_TEST(normalize_line_breaks)
{
	CHECK_STR(norm("one\r\ntwo\r\n\r\nthree"), "one\ntwo\n\nthree");
	CHECK_STR(norm("one\rtwo"), "one\ntwo");
	CHECK_STR(norm("one\xe2\x80\xa8two\xe2\x80\xa9three"), "one\ntwo\nthree");
}

SR_TEST(normalize_mojibake_windows_1252)
{
	/* UTF-8 read as Windows-1252 and saved again */
	CHECK_STR(norm("the base\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s gate"), "the base's gate");
	CHECK_STR(norm("\xc3\xa2\xe2\x82\xac\xc5\x93quoted\xc3\xa2\xe2\x82\xac\xc2\x9d"),
		  "\"quoted\"");
	CHECK_STR(norm("a \xc3\xa2\xe2\x82\xac\xe2\x80\x9c b"), "a - b");   /* en dash */
	CHECK_STR(norm("caf\xc3\x83\xc2\xa9"), "caf\xc3\xa9");               /* é */
	CHECK_INT(mojibake_count("the base\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s gate"), 1);
	CHECK_INT(mojibake_count("plain text, no repair"), 0);
	/* genuine Latin-1 letters are left alone */
	CHECK_STR(norm("\xc3\xa9t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich"), "\xc3\xa9t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich");
	CHECK_INT(mojibake_count("\xc3\xa9t\xc3\xa9 \xc3\xa0 Z\xc3\xbcrich"), 0);
}

SR_TEST(normalize_mojibake_windows_874)
{
	/* "IS" + U+0E42 + "s": IS's whose other bytes the code page dropped */
	CHECK_STR(norm("IS\xe0\xb9\x82s fighters"), "IS's fighters");
	CHECK_INT(mojibake_count("IS\xe0\xb9\x82s fighters"), 1);
	/* with the euro sign that survived */
	CHECK_STR(norm("IS\xe0\xb9\x82\xe2\x82\xacs men"), "IS's men");
	/* whole characters decoded back: U+0E23 U+0E09 are the bytes C3 A9
	 * (e acute); U+0E42 U+20AC U+201C are E2 80 93 (en dash) */
	CHECK_STR(norm("caf\xe0\xb8\xa3\xe0\xb8\x89"), "caf\xc3\xa9");
	CHECK_STR(norm("a \xe0\xb9\x82\xe2\x82\xac\xe2\x80\x9c b"), "a - b");
}

SR_TEST(normalize_map_points_to_original_bytes)
{
	const char *text = " date 2026-02-24\nThe \xef\xac\x81nal IS\xe0\xb9\x82s "
			   "base\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s \xe2\x80\x9cgate\xe2\x80\x9d\r\nend";
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	CHECK_STR(d->norm, "The final IS's base's \"gate\"\nend");
	CHECK_INT(d->nmap[0], d->body);
	CHECK_INT(d->nmap[d->nlen], d->len);
	/* the map never goes backwards and stays inside the body */
	for (size_t i = 0; i < d->nlen; i++) {
		CHECK(d->nmap[i] >= d->body);
		CHECK(d->nmap[i] <= d->nmap[i + 1]);
	}
	CHECK_STR(orig_of(d, at(d, "The"), at(d, "The") + 3), "The");
	/* an NFKC expansion: "final" comes from the ligature and "nal" */
	CHECK_STR(orig_of(d, at(d, "final"), at(d, "final") + 5), "\xef\xac\x81nal");
	CHECK_STR(orig_of(d, at(d, "final"), at(d, "final") + 1), "\xef\xac\x81");
	CHECK_STR(orig_of(d, at(d, "final") + 1, at(d, "final") + 2), "\xef\xac\x81");
	/* mojibake: the apostrophe's span is the three original characters */
	CHECK_STR(orig_of(d, at(d, "IS's"), at(d, "IS's") + 4), "IS\xe0\xb9\x82s");
	CHECK_STR(orig_of(d, at(d, "'s base"), at(d, "'s base") + 1), "\xe0\xb9\x82");
	CHECK_STR(orig_of(d, at(d, "base's"), at(d, "base's") + 6),
		  "base\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s");
	CHECK_STR(orig_of(d, at(d, "\"gate\""), at(d, "\"gate\"") + 6),
		  "\xe2\x80\x9cgate\xe2\x80\x9d");
	/* CRLF: one normalized line break spans both bytes */
	CHECK_STR(orig_of(d, at(d, "\nend"), at(d, "\nend") + 1), "\r\n");
	CHECK_STR(orig_of(d, at(d, "end"), d->nlen), "end");
	/* an empty span */
	uint32_t s, e;
	sr_doc_span(d, 3, 3, &s, &e);
	CHECK_INT(s, e);
	/* out of range is clamped */
	sr_doc_span(d, d->nlen + 5, d->nlen + 9, &s, &e);
	CHECK_INT(s, d->len);
	CHECK_INT(e, d->len);
	sr_doc_free(d);
}

SR_TEST(normalize_dropped_characters_do_not_break_spans)
{
	const char *text = "ab\xe2\x80\x8b" "cd \xe2\x80\x8b";
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	CHECK_STR(d->norm, "abcd ");
	CHECK_INT(d->ntok, 1);
	CHECK_STR(orig_of(d, 0, 4), "ab\xe2\x80\x8b" "cd");
	CHECK_INT(d->nmap[d->nlen], d->len);
	sr_doc_free(d);
}

SR_TEST(normalize_invalid_utf8_is_replaced_when_read)
{
	const char *text = "bad \xff byte and \xe2\x80 cut";
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	CHECK_INT(d->bad_utf8, 2);
	CHECK_STR(d->text, "bad \xef\xbf\xbd byte and \xef\xbf\xbd cut");
	sr_doc_analyze(d);
	CHECK_STR(d->norm, "bad \xef\xbf\xbd byte and \xef\xbf\xbd cut");
	sr_doc_free(d);
}

SR_TEST(normalize_is_idempotent_on_its_output)
{
	const char *samples[] = {
		"The \xef\xac\x81nal IS\xe0\xb9\x82s base\xc3\xa2\xe2\x82\xac\xe2\x84\xa2s",
		("\xe2\x80\x9cgo\xe2\x80\x9d \xe2\x80\x94 a\xc2\xa0" "b\r\nc"),
		"e\xcc\x81\xcc\xa3 \xef\xbc\xa1 \xe2\x91\xa0",
	};
	for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
		char once[512];
		snprintf(once, sizeof once, "%s", norm(samples[i]));
		CHECK_STR(norm(once), once);
	}
}

SR_TEST(utf8_decode_rejects_overlong_and_surrogates)
{
	/* through the public path: each is one replacement */
	const char *bad[] = {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80",
			     "\xf8\x88\x80\x80\x80", "\x80", "\xc3"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		sr_doc *d = sr_doc_from_text("t", bad[i], strlen(bad[i]));
		CHECK(d->bad_utf8 >= 1);
		CHECK(strstr(d->text, "\xef\xbf\xbd") != NULL);
		sr_doc_free(d);
	}
	const char *good = "\xf0\x9f\x98\x80 \xe2\x82\xac \xc2\xa9";
	sr_doc *d = sr_doc_from_text("t", good, strlen(good));
	CHECK_INT(d->bad_utf8, 0);
	CHECK_STR(d->text, good);
	sr_doc_free(d);
}

/* An ASCII letter followed by a combining mark ("e" U+0301, text in
 * NFD) was copied as ASCII and the mark normalized alone: no
 * composition, so "e\u0301" never matched "\u00e9". */
SR_TEST(regression_ascii_letter_with_combining_mark_is_composed)
{
	CHECK_STR(norm("Dara\xcc\x80" "a"), "Dar\xc3\xa0" "a");
	CHECK_STR(norm("e\xcc\x81"), "\xc3\xa9");
	CHECK_STR(norm("x e\xcc\x81\xcc\xa3 y"), "x \xe1\xba\xb9\xcc\x81 y");
	const char *text = "Caf" "e\xcc\x81 bar";
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	CHECK_INT(d->ntok, 2);
	CHECK_INT(d->toks[0].start, 0);
	CHECK_INT(d->toks[0].end, 6);
	CHECK_INT(d->toks[1].start, 7);
	sr_doc_free(d);
}
