/*
 * test_tokenize.c -- tokens and sentences: abbreviations, numbers,
 * hyphenated names, possessives, quotes, URLs and handles, sentence
 * breaks, datelines, embedded posts, and the token and sentence limits.
 *
 * Texts are written for these tests, in the style of news copy.
 */
#include "harness.h"

#include "sitrep.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static sr_doc *
analyze(const char *text)
{
	sr_doc *d = sr_doc_from_text("t", text, strlen(text));
	sr_doc_analyze(d);
	return d;
}

/* The tokens of text joined by '|' (static buffer). */
static const char *
toks(const char *text)
{
	static char out[8192];
	sr_doc *d = analyze(text);
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < d->ntok && o + d->toks[i].len + 2 < sizeof out; i++) {
		if (i)
			out[o++] = '|';
		memcpy(out + o, d->toks[i].s, d->toks[i].len);
		o += d->toks[i].len;
	}
	out[o] = 0;
	sr_doc_free(d);
	return out;
}

/* The sentences of text (original spans) joined by " || ". */
static const char *
sents(const char *text)
{
	static char out[8192];
	sr_doc *d = analyze(text);
	size_t o = 0;
	out[0] = 0;
	for (size_t i = 0; i < d->nsent; i++) {
		const sr_sentence *s = &d->sents[i];
		size_t n = s->end - s->start;
		if (o + n + 5 >= sizeof out)
			break;
		if (i) {
			memcpy(out + o, " || ", 4);
			o += 4;
		}
		memcpy(out + o, d->text + s->start, n);
		o += n;
	}
	out[o] = 0;
	sr_doc_free(d);
	return out;
}

/* The class of the token whose text is w, or -1. */
static int
class_of(const char *text, const char *w)
{
	sr_doc *d = analyze(text);
	int cls = -1;
	for (size_t i = 0; i < d->ntok; i++)
		if (d->toks[i].len == strlen(w) && !memcmp(d->toks[i].s, w, d->toks[i].len))
			cls = d->toks[i].cls;
	sr_doc_free(d);
	return cls;
}

/* The flags of the token whose text is w, or -1. */
static int
flags_of(const char *text, const char *w)
{
	sr_doc *d = analyze(text);
	int f = -1;
	for (size_t i = 0; i < d->ntok && f < 0; i++)
		if (d->toks[i].len == strlen(w) && !memcmp(d->toks[i].s, w, d->toks[i].len))
			f = d->toks[i].flags;
	sr_doc_free(d);
	return f;
}

/* ------------------------------------------------------------ tokens */

SR_TEST(tokenize_abbreviations_keep_their_periods)
{
	CHECK_STR(toks("The U.S. and the U.N. met."), "The|U.S.|and|the|U.N.|met|.");
	CHECK_STR(toks("Gen. Hale and Col. Brand met Lt. Ortiz."),
		  "Gen.|Hale|and|Col.|Brand|met|Lt.|Ortiz|.");
	CHECK_STR(toks("on Dec. 12 at St. Mark"), "on|Dec.|12|at|St.|Mark");
	CHECK(flags_of("The U.S. army", "U.S.") & SR_TF_ABBREV);
	CHECK(flags_of("said Gen. Hale", "Gen.") & SR_TF_ABBREV);
}

SR_TEST(tokenize_no_is_an_abbreviation_only_before_a_number)
{
	CHECK_STR(toks("Unit No. 5 left."), "Unit|No.|5|left|.");
	CHECK_STR(toks("They said No. Then left."), "They|said|No|.|Then|left|.");
}

SR_TEST(tokenize_initials)
{
	CHECK_STR(toks("John F. Kennedy"), "John|F.|Kennedy");
}

SR_TEST(tokenize_numbers_keep_separators_and_decimals)
{
	CHECK_STR(toks("some 5,700 prisoners"), "some|5,700|prisoners");
	CHECK_STR(toks("1.75 million dollars"), "1.75|million|dollars");
	CHECK_STR(toks("on 2026-02-12, then"), "on|2026-02-12|,|then");
	CHECK_STR(toks("in 2026-02 only"), "in|2026-02|only");
	CHECK_STR(toks("the 23rd and 1980s"), "the|23rd|and|1980s");
	CHECK_STR(toks("count 12."), "count|12|.");
	CHECK_STR(toks("5,700, then"), "5,700|,|then");
	CHECK_INT(class_of("some 5,700 prisoners", "5,700"), SR_TOK_NUMBER);
	CHECK_INT(class_of("on 2026-02-12", "2026-02-12"), SR_TOK_NUMBER);
}

SR_TEST(tokenize_hyphenated_names_stay_whole)
{
	CHECK_STR(toks("the al-Tanf garrison"), "the|al-Tanf|garrison");
	CHECK_STR(toks("the Syrian-Iraqi-Jordanian border"), "the|Syrian-Iraqi-Jordanian|border");
	CHECK_STR(toks("Kurdish-led forces"), "Kurdish-led|forces");
	CHECK_STR(toks("a well - known"), "a|well|-|known");
	CHECK_STR(toks("pre- and post-war"), "pre|-|and|post-war");
	CHECK_INT(class_of("the al-Tanf garrison", "al-Tanf"), SR_TOK_WORD);
}

SR_TEST(tokenize_possessive_s_is_its_own_token)
{
	CHECK_STR(toks("Iraq's north"), "Iraq|'s|north");
	CHECK_STR(toks("the IS's fighters"), "the|IS|'s|fighters");
	CHECK_STR(toks("Iraq\xe2\x80\x99s north"), "Iraq|'s|north");
	CHECK_STR(toks("don't go"), "don't|go");
	CHECK_STR(toks("O'Neill said"), "O'Neill|said");
}

SR_TEST(tokenize_quotes_are_punctuation)
{
	CHECK_STR(toks("\"We left,\" he said."), "\"|We|left|,|\"|he|said|.");
	CHECK_STR(toks("\xe2\x80\x9cWe left\xe2\x80\x9d"), "\"|We|left|\"");
	CHECK_STR(toks("the 'base' itself"), "the|'|base|'|itself");
	CHECK_INT(class_of("\"We left\"", "\""), SR_TOK_PUNCT);
}

SR_TEST(tokenize_urls_handles_hashtags_emails)
{
	CHECK_STR(toks("see https://example.org/a?b=1. Then"),
		  "see|https://example.org/a?b=1|.|Then");
	CHECK_INT(class_of("see https://example.org/a?b=1.", "https://example.org/a?b=1"),
		  SR_TOK_URL);
	CHECK_INT(class_of("at www.example.com today", "www.example.com"), SR_TOK_URL);
	CHECK_INT(class_of("pic.twitter.com/AbC123 x", "pic.twitter.com/AbC123"), SR_TOK_URL);
	CHECK_INT(class_of("by @some_user:", "@some_user"), SR_TOK_HANDLE);
	CHECK_INT(class_of("on #Syria today", "#Syria"), SR_TOK_HASHTAG);
	CHECK_INT(class_of("mail desk@example.com.", "desk@example.com"), SR_TOK_EMAIL);
	CHECK_STR(toks("(@handle)"), "(|@handle|)");
	CHECK_STR(toks("a @ b # c"), "a|@|b|#|c");
}

SR_TEST(tokenize_case_and_space_flags)
{
	CHECK(flags_of("The SDF left", "SDF") & SR_TF_ALLCAPS);
	CHECK(flags_of("The SDF left", "SDF") & SR_TF_UPPER1);
	CHECK(!(flags_of("The SDF left", "left") & SR_TF_UPPER1));
	CHECK(flags_of("The SDF left", "left") & SR_TF_SPACE);
	CHECK(!(flags_of("The SDF left", "The") & SR_TF_SPACE));
	CHECK(flags_of("One.\nTwo", "Two") & SR_TF_NEWLINE);
	CHECK(!(flags_of("One.\nTwo", "Two") & SR_TF_PARA));
	CHECK(flags_of("One.\n\nTwo", "Two") & SR_TF_PARA);
	CHECK(flags_of("One.\n \nTwo", "Two") & SR_TF_PARA);
	CHECK(flags_of("\xc3\x89tat major", "\xc3\x89tat") & SR_TF_UPPER1);
}

SR_TEST(tokenize_every_token_spans_its_original_bytes)
{
	const char *text = " date 2026-02-12\nThe U.S.-backed SDF\xe2\x80\x99s 5,700 "
			   "\xe2\x80\x9c" "fighters\xe2\x80\x9d left al-Tanf \xe2\x80\x94 "
			   "see https://t.co/x @a_b #c.\r\n\r\nISโs end.";
	sr_doc *d = analyze(text);
	CHECK(d->ntok > 10);
	uint32_t prev_end = (uint32_t)d->body;
	for (size_t i = 0; i < d->ntok; i++) {
		const sr_token *k = &d->toks[i];
		CHECK(k->start >= prev_end);
		CHECK(k->end > k->start);
		CHECK(k->end <= d->len);
		CHECK(k->s == d->norm + k->nstart);
		/* a token whose original bytes are ASCII is those bytes */
		bool ascii = true;
		for (uint32_t j = k->start; j < k->end; j++)
			if ((unsigned char)d->text[j] >= 0x80)
				ascii = false;
		if (ascii) {
			CHECK_INT(k->len, k->end - k->start);
			CHECK(!memcmp(k->s, d->text + k->start, k->len));
		}
		prev_end = k->end;
	}
	sr_doc_free(d);
}

/* --------------------------------------------------------- sentences */

SR_TEST(sentences_split_at_terminal_punctuation)
{
	CHECK_STR(sents("Troops left. Others stayed! Why? Nobody knows."),
		  "Troops left. || Others stayed! || Why? || Nobody knows.");
	CHECK_STR(sents("\"We are leaving.\" The unit then left."),
		  "\"We are leaving.\" || The unit then left.");
	CHECK_STR(sents("It ended (finally). Then it rained."),
		  "It ended (finally). || Then it rained.");
}

SR_TEST(sentences_abbreviations_do_not_split)
{
	CHECK_STR(sents("The U.S. Army left. U.N. staff stayed."),
		  "The U.S. Army left. || U.N. staff stayed.");
	CHECK_STR(sents("Gen. Hale met Col. Brand and Lt. Ortiz on Dec. 12 in St. Paul."),
		  "Gen. Hale met Col. Brand and Lt. Ortiz on Dec. 12 in St. Paul.");
	CHECK_STR(sents("Convoy No. 5 left. It was late."), "Convoy No. 5 left. || It was late.");
	CHECK_STR(sents("It cost 1.75 million. Then 5,700 left."),
		  "It cost 1.75 million. || Then 5,700 left.");
	CHECK_STR(sents("They left the U.S. The base closed."),
		  "They left the U.S. The base closed.");
	CHECK_STR(sents("Talks ended on Dec. The base closed."),
		  "Talks ended on Dec. || The base closed.");
}

SR_TEST(sentences_paragraph_breaks_split)
{
	CHECK_STR(sents("A headline without a stop\n\nThe text begins here."),
		  "A headline without a stop || The text begins here.");
	CHECK_STR(sents("First line\nSecond line"), "First line || Second line");
	CHECK_STR(sents("a sentence that goes on\nover a line break."),
		  "a sentence that goes on\nover a line break.");
	sr_doc *d = analyze("One.\n\nTwo. Three.\n\nFour.");
	CHECK_INT(d->nsent, 4);
	CHECK_INT(d->sents[0].para, 0);
	CHECK_INT(d->sents[1].para, 1);
	CHECK_INT(d->sents[2].para, 1);
	CHECK_INT(d->sents[3].para, 2);
	sr_doc_free(d);
}

SR_TEST(sentences_dateline_is_flagged)
{
	sr_doc *d = analyze("ERBIL (Kurdistan24) - Coalition troops left a base on Monday.");
	CHECK(d->ntok > 6);
	CHECK_INT(d->nsent, 1);
	/* ERBIL ( Kurdistan24 ) - are the dateline, Coalition is not */
	for (size_t i = 0; i < 5 && i < d->ntok; i++)
		CHECK(d->toks[i].flags & SR_TF_DATELINE);
	CHECK(!(d->toks[5].flags & SR_TF_DATELINE));
	sr_doc_free(d);

	d = analyze("DAMASCUS, Syria \xe2\x80\x94 The army entered the town.");
	CHECK(d->toks[0].flags & SR_TF_DATELINE);
	CHECK(!(d->toks[4].flags & SR_TF_DATELINE));   /* The */
	sr_doc_free(d);

	/* not a dateline: no dash, or not capitals */
	d = analyze("NATO said the troops left.");
	CHECK(!(d->toks[0].flags & SR_TF_DATELINE));
	sr_doc_free(d);
	d = analyze("Erbil (Kurdistan24) - Troops left.");
	CHECK(!(d->toks[0].flags & SR_TF_DATELINE));
	sr_doc_free(d);
}

SR_TEST(sentences_embedded_post_is_its_own_sentence)
{
	CHECK_STR(sents("Reports say the troops may leave within a month. "
			"pic.twitter.com/AbCd12 \xe2\x80\x94 Some Outlet (@some_outlet) "
			"February 24, 2026\n\nA soldier said 200 remain."),
		  "Reports say the troops may leave within a month. || "
		  "pic.twitter.com/AbCd12 \xe2\x80\x94 Some Outlet (@some_outlet) February 24, 2026 || "
		  "A soldier said 200 remain.");
	/* the post's own text need not end in a stop */
	CHECK_STR(sents("Trucks seen leaving the base #Syria pic.twitter.com/x1 "
			"\xe2\x80\x94 A Name (@aname) February 24, 2026\n\nNext."),
		  "Trucks seen leaving the base #Syria || "
		  "pic.twitter.com/x1 \xe2\x80\x94 A Name (@aname) February 24, 2026 || Next.");
}

/* --------------------------------------------------------------- limits */

SR_TEST(limit_token_longer_than_max_is_cut)
{
	size_t n = SR_MAX_TOKEN * 4 + 7;
	const char *units[] = {"a", "7", "a.", "1,", "a-", "!", "\xc3\xa9"};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		size_t ul = strlen(units[u]);
		char *s = malloc(n * ul + 1);
		for (size_t i = 0; i < n; i++)
			memcpy(s + i * ul, units[u], ul);
		s[n * ul] = 0;
		sr_doc *d = analyze(s);
		CHECK(d->ntok >= 2);
		size_t total = 0;
		for (size_t i = 0; i < d->ntok; i++) {
			CHECK(d->toks[i].len <= SR_MAX_TOKEN);
			total += d->toks[i].len;
		}
		CHECK_INT(total, n * ul);
		sr_doc_free(d);
		free(s);
	}
}

SR_TEST(limit_sentence_longer_than_max_is_cut)
{
	size_t words = SR_MAX_SENTENCE_TOKENS * 3 + 11;
	char *s = malloc(words * 5 + 2);
	size_t o = 0;
	for (size_t i = 0; i < words; i++) {
		memcpy(s + o, "word ", 5);
		o += 5;
	}
	s[o++] = '.';
	s[o] = 0;
	sr_doc *d = analyze(s);
	CHECK_INT(d->ntok, words + 1);
	CHECK(d->nsent >= 4);
	size_t total = 0;
	for (size_t i = 0; i < d->nsent; i++) {
		CHECK(d->sents[i].ntok <= SR_MAX_SENTENCE_TOKENS);
		CHECK_INT(d->sents[i].tok, total);
		total += d->sents[i].ntok;
	}
	CHECK_INT(total, d->ntok);
	sr_doc_free(d);
	free(s);
}

SR_TEST(tokenize_empty_and_blank_text)
{
	CHECK_STR(toks(""), "");
	CHECK_STR(sents(""), "");
	CHECK_STR(sents(" \n\n\t "), "");
	sr_doc *d = analyze(" date 2026-02-12\n");
	CHECK_INT(d->ntok, 0);
	CHECK_INT(d->nsent, 0);
	sr_doc_free(d);
}

/* ---------------------------------------------------------- regressions */

/* number_len and dotted_len had no length limit: a run of "1,1,1,..." or
 * "a.b.c...." became one token of any length. */
SR_TEST(regression_long_number_and_dotted_runs_obey_token_limit)
{
	char s[4001];
	for (int u = 0; u < 3; u++) {
		const char *unit = u == 0 ? "1," : u == 1 ? "a." : "9";
		size_t ul = strlen(unit);
		size_t n = (sizeof s - 1) / ul;
		for (size_t i = 0; i < n; i++)
			memcpy(s + i * ul, unit, ul);
		s[n * ul] = 0;
		sr_doc *d = analyze(s);
		for (size_t i = 0; i < d->ntok; i++)
			CHECK(d->toks[i].len <= SR_MAX_TOKEN);
		sr_doc_free(d);
	}
}

/* A URL longer than the limit was cut at byte SR_MAX_TOKEN even inside a
 * UTF-8 character, leaving a token of half a character whose span
 * overlapped the next one. */
SR_TEST(regression_long_url_is_cut_on_a_character_boundary)
{
	char s[2048] = "see https://example.org/";
	size_t o = strlen(s);
	while (o + 2 < 1500) {
		memcpy(s + o, "\xc3\xa9", 2);
		o += 2;
	}
	s[o] = 0;
	sr_doc *d = analyze(s);
	CHECK(d->ntok >= 3);
	uint32_t prev_end = 0;
	for (size_t i = 0; i < d->ntok; i++) {
		const sr_token *k = &d->toks[i];
		CHECK(k->len <= SR_MAX_TOKEN);
		CHECK(k->start >= prev_end);
		CHECK(((unsigned char)k->s[0] & 0xC0) != 0x80);
		prev_end = k->end;
	}
	sr_doc_free(d);
}

/* Each token of a long run without spaces rescanned the rest of the run
 * looking for a URL or an e-mail address: 100 KB of "!!!" took seconds,
 * a 50 MB line would never end. */
SR_TEST(regression_long_punctuation_run_is_linear)
{
	size_t n = 400000;
	char *s = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = "!\"x@."[i % 5 == 0 ? 0 : i % 7 == 0 ? 1 : 0];
	s[n] = 0;
	clock_t t0 = clock();
	sr_doc *d = analyze(s);
	double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
	CHECK(d->ntok >= n / 2);
	CHECK(secs < 3.0);
	sr_doc_free(d);
	free(s);
}

/* Tokens are never cut inside the normalized bytes of one original
 * character.  The fuzzer found U+FFFD followed by a combining mark: NFKC
 * keeps them together (one original offset), the tokenizer made a
 * punctuation token and a word of them, and both had the same span. */
static void
check_no_overlap(const char *text)
{
	sr_doc *d = analyze(text);
	uint32_t prev_end = 0;
	for (size_t i = 0; i < d->ntok; i++) {
		CHECK(d->toks[i].start >= prev_end);
		CHECK(d->toks[i].end > d->toks[i].start);
		CHECK(d->toks[i].len <= SR_MAX_TOKEN);
		prev_end = d->toks[i].end;
	}
	sr_doc_free(d);
}

SR_TEST(regression_token_never_splits_one_original_character)
{
	check_no_overlap("a \xef\xbf\xbd\xcd\x99 b");          /* U+FFFD + combining */
	check_no_overlap("x \xe2\x91\xb4 y");                 /* U+2474 -> "(1)" */
	check_no_overlap("x \xc2\xbd y");                     /* 1/2 -> "1" U+2044 "2" */
	check_no_overlap("\xc2\xa8" "a");                     /* diaeresis -> space + mark */
	CHECK_STR(toks("x \xe2\x91\xb4 y"), "x|(1)|y");
	CHECK_STR(toks("a \xef\xbf\xbd\xcd\x99 b"), "a|\xef\xbf\xbd\xcd\x99|b");
	/* a long run of marks is cut into groups that fit in a token */
	char s[2000] = "a";
	size_t o = 1;
	while (o + 2 < sizeof s - 1) {
		memcpy(s + o, "\xcc\x81", 2);
		o += 2;
	}
	s[o] = 0;
	check_no_overlap(s);
}

/* A digit of another script (Arabic-Indic U+0662...) is a number to the
 * character classes but number_len() only knew ASCII digits: it returned
 * 0 and the tokenizer added empty tokens for ever (found by fuzzing). */
SR_TEST(regression_non_ascii_digits_do_not_hang_the_tokenizer)
{
	CHECK_STR(toks("year \xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6 and \xe0\xa5\xa9."),
		  "year|\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6|and|\xe0\xa5\xa9|.");
	CHECK_INT(class_of("year \xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6 and", "\xd9\xa2\xd9\xa0\xd9\xa2\xd9\xa6"),
		  SR_TOK_NUMBER);
	check_no_overlap("\xd9\xa2" "5" "\xd9\xa2" "x");
}

/* The sentence limit was the last of a chain of rules: a token on a new
 * line that continues the sentence in lower case (or one after "...")
 * matched an earlier rule that decided not to break, and the limit was
 * never looked at, so such a sentence grew without end (found by
 * fuzzing). */
SR_TEST(regression_sentence_limit_holds_across_line_breaks)
{
	const char *units[] = {"word\n", "so... ", "a\nb... "};
	for (size_t u = 0; u < sizeof units / sizeof units[0]; u++) {
		size_t ul = strlen(units[u]), n = SR_MAX_SENTENCE_TOKENS * 3;
		char *s = malloc(n * ul + 1);
		for (size_t i = 0; i < n; i++)
			memcpy(s + i * ul, units[u], ul);
		s[n * ul] = 0;
		sr_doc *d = analyze(s);
		CHECK(d->nsent >= 2);
		for (size_t i = 0; i < d->nsent; i++)
			CHECK(d->sents[i].ntok <= SR_MAX_SENTENCE_TOKENS);
		sr_doc_free(d);
		free(s);
	}
}
