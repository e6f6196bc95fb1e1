/*
 * test_reader.c -- reading reports: text files with and without the
 * " date YYYY-MM-DD" header, JSON Lines records, folders in sorted order,
 * and the bad records that are skipped with a message while reading goes
 * on.  Every fixture is written to a fresh temporary folder.
 */
#include "harness.h"

#include "sitrep.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A fresh temporary folder (static buffer). */
static const char *
tmpdir(void)
{
	static char dir[256];
	const char *base = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/sitrep-unit-XXXXXX", base && *base ? base : "/tmp");
	if (!mkdtemp(dir))
		abort();
	return dir;
}

/* Writes n bytes to dir/name and returns the path (static ring). */
static const char *
put(const char *dir, const char *name, const char *data, size_t n)
{
	static char paths[8][512];
	static int next;
	char *p = paths[next++ % 8];
	snprintf(p, 512, "%s/%s", dir, name);
	FILE *f = fopen(p, "wb");
	if (!f)
		abort();
	fwrite(data, 1, n, f);
	fclose(f);
	return p;
}

static const char *
puts_(const char *dir, const char *name, const char *data)
{
	return put(dir, name, data, strlen(data));
}

static void
rm_rf(const char *dir)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
}

/* The outcome of reading paths: each record as "id" or "!STATUS message"
 * joined by '\n'. */
typedef struct {
	char log[8192];
	sr_doc *docs[16];
	int ndocs;
	size_t skipped;
	char warn[1024];
} outcome;

static void
read_all(outcome *o, const char *const *paths, int npaths)
{
	memset(o, 0, sizeof *o);
	sr_reader *r = sr_reader_new();
	for (int i = 0; i < npaths; i++)
		sr_reader_add(r, paths[i]);
	sr_doc *d;
	int st;
	size_t len = 0;
	while ((st = sr_reader_next(r, &d)) != SR_END) {
		char line[2200];
		if (st == SR_OK) {
			snprintf(line, sizeof line, "%s\n", d->id);
			const char *w = sr_reader_warning(r);
			if (w && !o->warn[0])
				snprintf(o->warn, sizeof o->warn, "%s", w);
			if (o->ndocs < 16)
				o->docs[o->ndocs++] = d;
			else
				sr_doc_free(d);
		} else {
			CHECK(d == NULL);
			snprintf(line, sizeof line, "!%d %s\n", st, sr_reader_errmsg(r));
		}
		size_t l = strlen(line);
		if (len + l < sizeof o->log) {
			memcpy(o->log + len, line, l + 1);
			len += l;
		}
	}
	o->skipped = sr_reader_skipped(r);
	sr_reader_free(r);
}

static void
read_one(outcome *o, const char *path)
{
	read_all(o, &path, 1);
}

static void
done(outcome *o)
{
	for (int i = 0; i < o->ndocs; i++)
		sr_doc_free(o->docs[i]);
	o->ndocs = 0;
}

/* ---------------------------------------------------------- text files */

SR_TEST(reader_text_file_with_date_header)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "007_report.txt",
			      " date 2026-02-12 Troops left the base on Thursday.\n\nMore text.\n");
	outcome o;
	read_one(&o, p);
	CHECK_STR(o.log, "007_report.txt\n");
	CHECK_INT(o.ndocs, 1);
	if (o.ndocs == 1) {
		sr_doc *d = o.docs[0];
		CHECK_STR(d->published, "2026-02-12");
		CHECK_INT(d->body, 17);
		CHECK(!strncmp(d->text + d->body, "Troops left", 11));
		CHECK_STR(d->origin, p);
		CHECK_INT(d->line, 0);
		CHECK(d->url == NULL && d->outlet == NULL && d->title == NULL);
		CHECK_INT(d->len, strlen(d->text));
		sr_doc_analyze(d);
		/* spans point into the whole file, past the header */
		CHECK_INT(d->sents[0].start, 17);
	}
	done(&o);

	/* the header on a line of its own */
	p = puts_(dir, "b.txt", "date 2025-12-31\r\nBody here.");
	read_one(&o, p);
	CHECK_STR(o.docs[0]->published, "2025-12-31");
	CHECK_INT(o.docs[0]->body, 17);
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_text_file_without_date_header)
{
	const char *dir = tmpdir();
	const char *cases[] = {
		"Troops left the base.",
		" date 2026-02-30 an impossible date is no header",
		" date 2026-02-12x glued is no header",
		"the date 2026-02-12 inside a sentence",
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *p = puts_(dir, "r.txt", cases[i]);
		outcome o;
		read_one(&o, p);
		CHECK_INT(o.ndocs, 1);
		if (o.ndocs) {
			CHECK_STR(o.docs[0]->published, "");
			CHECK_INT(o.docs[0]->body, 0);
			CHECK_STR(o.docs[0]->text, cases[i]);
		}
		done(&o);
	}
	rm_rf(dir);
}

SR_TEST(reader_doc_from_text)
{
	const char *t = " date 2026-01-05\nText.";
	sr_doc *d = sr_doc_from_text(NULL, t, strlen(t));
	CHECK_STR(d->id, "-");
	CHECK_STR(d->published, "2026-01-05");
	CHECK_INT(d->body, 17);
	sr_doc_free(d);
	sr_doc_free(NULL);
}

/* --------------------------------------------------------- JSON Lines */

SR_TEST(reader_jsonl_all_fields)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "feed.jsonl",
		"{\"id\": \"r1\", \"url\": \"https://example.org/a\", \"outlet\": \"Example News\", "
		"\"published\": \"2026-02-12\", \"title\": \"Troops leave\", "
		"\"text\": \"Troops left the base.\\nMore.\"}\n"
		"{\"text\": \"Second.\", \"id\": 42, \"published\": \"2026-02-13T08:30:00Z\", "
		"\"extra\": {\"nested\": [1, 2, {\"x\": null}]}, \"lang\": \"en\"}\n"
		"\n"
		"   \n"
		"{\"text\": \"Third, no id.\", \"published\": null, \"title\": 7}\r\n"
		"{\"text\": \" date 2026-03-01 header in the text\", \"id\": \"\"}");
	outcome o;
	read_one(&o, p);
	CHECK_STR(o.log, "r1\n42\nfeed.jsonl:5\nfeed.jsonl:6\n");
	CHECK_INT(o.skipped, 0);
	CHECK_INT(o.ndocs, 4);
	if (o.ndocs == 4) {
		sr_doc *d = o.docs[0];
		CHECK_STR(d->url, "https://example.org/a");
		CHECK_STR(d->outlet, "Example News");
		CHECK_STR(d->title, "Troops leave");
		CHECK_STR(d->published, "2026-02-12");
		CHECK_STR(d->text, "Troops left the base.\nMore.");
		CHECK_INT(d->body, 0);
		CHECK_INT(d->line, 1);
		CHECK_STR(d->origin, p);
		d = o.docs[1];
		CHECK_STR(d->published, "2026-02-13");
		CHECK(d->url == NULL && d->title == NULL);
		CHECK_INT(d->line, 2);
		d = o.docs[2];
		CHECK_STR(d->published, "");
		CHECK(d->title == NULL);
		CHECK_STR(d->text, "Third, no id.");
		d = o.docs[3];
		/* no "published": the text's own header is read */
		CHECK_STR(d->published, "2026-03-01");
		CHECK_INT(d->body, 17);
	}
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_jsonl_published_forms)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "p.jsonl",
		"{\"id\":\"a\",\"text\":\"x\",\"published\":\"2026-02-12T23:59:59+03:00\"}\n"
		"{\"id\":\"b\",\"text\":\"x\",\"published\":\"2026-02-12 10:00\"}\n"
		"{\"id\":\"c\",\"text\":\"x\",\"published\":\"12 February 2026\"}\n"
		"{\"id\":\"d\",\"text\":\"x\",\"published\":\"2026-13-01\"}\n"
		"{\"id\":\"e\",\"text\":\"x\",\"published\":20260212}\n"
		"{\"id\":\"f\",\"text\":\"x\",\"published\":\"2026\"}\n");
	outcome o;
	read_one(&o, p);
	CHECK_INT(o.ndocs, 6);
	if (o.ndocs == 6) {
		CHECK_STR(o.docs[0]->published, "2026-02-12");
		CHECK_STR(o.docs[1]->published, "2026-02-12");
		/* the day-month-year of people is read (issue 16 item 13);
		 * the rest is left out with a warning */
		CHECK_STR(o.docs[2]->published, "2026-02-12");
		CHECK_STR(o.docs[3]->published, "");
		CHECK_STR(o.docs[4]->published, "");
		CHECK_STR(o.docs[5]->published, "");
	}
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_jsonl_unicode_escapes)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "u.jsonl",
		"{\"id\":\"u\",\"text\":\"al-Tanf \\u2014 Iraq\\u2019s \\ud83d\\ude00 caf\xc3\xa9\"}\n");
	outcome o;
	read_one(&o, p);
	CHECK_INT(o.ndocs, 1);
	if (o.ndocs)
		CHECK_STR(o.docs[0]->text,
			  "al-Tanf \xe2\x80\x94 Iraq\xe2\x80\x99s \xf0\x9f\x98\x80 caf\xc3\xa9");
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_jsonl_bad_records_are_skipped_and_reading_goes_on)
{
	const char *dir = tmpdir();
	const char data[] =
		"{\"id\":\"ok1\",\"text\":\"Fine.\"}\n"
		"{\"id\":\"broken\",\"text\":\"no end\n"
		"{\"id\":\"notext\"}\n"
		"{\"id\":\"num\",\"text\":5}\n"
		"[1,2]\n"
		"{\"id\":\"nul\",\"text\":\"a\\u0000b\"}\n"
		"{\"id\":\"raw\",\"text\":\"a\0b\"}\n"
		"{\"id\":\"bad8\",\"text\":\"caf\xff\"}\n"
		"{\"id\":\"ok2\",\"text\":\"Also fine.\"}\n"
		"{\"id\":\"trunc\",\"text\":\"cut of";
	const char *p = put(dir, "bad.jsonl", data, sizeof data - 1);
	outcome o;
	read_one(&o, p);
	/* each bad line names the file and its line */
	char want[16][64];
	int n = 0;
	const char *lines[] = {":2: invalid JSON", ":3: record has no \"text\"",
			       ":4: \"text\" is a number", ":5: record is an array",
			       ":6: ", ":7: NUL byte", ":10: invalid JSON"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		snprintf(want[n++], sizeof want[0], "bad.jsonl%s", lines[i]);
	for (int i = 0; i < n; i++) {
		CHECK(strstr(o.log, want[i]) != NULL);
		if (!strstr(o.log, want[i]))
			fprintf(stderr, "    missing '%s' in:\n%s", want[i], o.log);
	}
	CHECK_INT(o.skipped, 7);
	CHECK_INT(o.ndocs, 3);
	if (o.ndocs == 3) {
		CHECK_STR(o.docs[0]->id, "ok1");
		CHECK_STR(o.docs[1]->id, "bad8");
		CHECK_INT(o.docs[1]->bad_utf8, 1);
		CHECK_STR(o.docs[1]->text, "caf\xef\xbf\xbd");
		CHECK_INT(o.docs[1]->line, 8);
		CHECK_STR(o.docs[2]->id, "ok2");
		CHECK_INT(o.docs[2]->line, 9);
	}
	CHECK(strstr(o.warn, "bad.jsonl:8") != NULL);
	CHECK(strstr(o.warn, "1 invalid UTF-8 sequence") != NULL);
	/* the escaped NUL (line 6) is refused as such */
	CHECK(strstr(o.log, "bad.jsonl:6: ") && strstr(strstr(o.log, "bad.jsonl:6: "), "NUL"));
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_empty_and_blank_files)
{
	const char *dir = tmpdir();
	const char *paths[] = {
		put(dir, "empty.txt", "", 0),
		puts_(dir, "blank.txt", " \n\n\t\r\n"),
		put(dir, "empty.jsonl", "", 0),
		puts_(dir, "blank.jsonl", "\n\n  \n"),
	};
	outcome o;
	read_all(&o, paths, 4);
	CHECK_INT(o.ndocs, 0);
	CHECK_INT(o.skipped, 4);
	CHECK(strstr(o.log, "empty.txt: empty") != NULL);
	CHECK(strstr(o.log, "blank.txt: empty") != NULL);
	CHECK(strstr(o.log, "empty.jsonl: empty") != NULL);
	CHECK(strstr(o.log, "blank.jsonl: empty") != NULL);
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_binary_and_nul_text_files)
{
	const char *dir = tmpdir();
	const char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0";
	const char *paths[] = {
		put(dir, "a.bin", bin, sizeof bin - 1),
		put(dir, "b.txt", "Text with a\0NUL.", 16),
		puts_(dir, "c.txt", "Good text after them."),
	};
	outcome o;
	read_all(&o, paths, 3);
	CHECK_INT(o.skipped, 2);
	CHECK(strstr(o.log, "a.bin: NUL byte") != NULL);
	CHECK(strstr(o.log, "b.txt: NUL byte at offset 11") != NULL);
	CHECK_INT(o.ndocs, 1);
	CHECK_STR(o.ndocs ? o.docs[0]->id : "", "c.txt");
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_invalid_utf8_text_file_is_repaired_with_a_warning)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "latin1.txt", "Troops left Qamishl\xed on Monday.");
	outcome o;
	read_one(&o, p);
	CHECK_INT(o.ndocs, 1);
	CHECK_INT(o.skipped, 0);
	if (o.ndocs) {
		CHECK_INT(o.docs[0]->bad_utf8, 1);
		CHECK_STR(o.docs[0]->text, "Troops left Qamishl\xef\xbf\xbd on Monday.");
	}
	CHECK(strstr(o.warn, "latin1.txt: 1 invalid UTF-8 sequence replaced") != NULL);
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_missing_path_and_folder_errors)
{
	const char *dir = tmpdir();
	char missing[600];
	snprintf(missing, sizeof missing, "%s/no-such-file.txt", dir);
	const char *paths[] = {missing, puts_(dir, "ok.txt", "Fine.")};
	outcome o;
	read_all(&o, paths, 2);
	CHECK_INT(o.skipped, 1);
	CHECK(strstr(o.log, "no-such-file.txt: cannot read: No such file") != NULL);
	CHECK_INT(o.ndocs, 1);
	done(&o);
	rm_rf(dir);
}

/* ------------------------------------------------------------- folders */

SR_TEST(reader_folders_recursive_sorted)
{
	const char *dir = tmpdir();
	char sub[600], deeper[700];
	snprintf(sub, sizeof sub, "%s/a", dir);
	snprintf(deeper, sizeof deeper, "%s/a/z", dir);
	mkdir(sub, 0700);
	mkdir(deeper, 0700);
	puts_(dir, "b.txt", "B.");
	puts_(dir, "a.jsonl", "{\"id\":\"a1\",\"text\":\"A1.\"}\n{\"id\":\"a2\",\"text\":\"A2.\"}\n");
	puts_(dir, "a/y.txt", "Y.");
	puts_(dir, "a/x", "X without extension.");
	puts_(dir, "a/z/w.ndjson", "{\"id\":\"w\",\"text\":\"W.\"}");
	puts_(dir, "C.txt", "Capital C sorts first.");
	puts_(dir, "notes.md", "not a report");
	puts_(dir, "image.png", "not a report");
	puts_(dir, ".hidden.txt", "hidden");
	const char *paths[] = {dir};
	outcome o;
	read_all(&o, paths, 1);
	/* entries sort by name: "a" before "a.jsonl" */
	CHECK_STR(o.log, "C.txt\nx\ny.txt\nw\na1\na2\nb.txt\n");
	CHECK_INT(o.skipped, 0);
	done(&o);

	/* several paths keep the order given */
	char bpath[600];
	snprintf(bpath, sizeof bpath, "%s/b.txt", dir);
	const char *two[] = {bpath, sub};
	read_all(&o, two, 2);
	CHECK_STR(o.log, "b.txt\nx\ny.txt\nw\n");
	done(&o);

	/* a trailing slash does not double */
	char slash[600];
	snprintf(slash, sizeof slash, "%s/a/z/", dir);
	read_one(&o, slash);
	CHECK_STR(o.log, "w\n");
	CHECK(o.ndocs == 1 && !strstr(o.docs[0]->origin, "//"));
	done(&o);
	rm_rf(dir);
}

SR_TEST(reader_jsonl_detected_by_first_byte)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "feed", "\n  {\"id\":\"q\",\"text\":\"Q.\"}\n");
	outcome o;
	read_one(&o, p);
	CHECK_STR(o.log, "q\n");
	CHECK_INT(o.ndocs ? o.docs[0]->line : 0, 2);
	done(&o);
	rm_rf(dir);
}

/* --------------------------------------------------------------- limits */

/* Writes a file of `size` bytes: a JSON record (jsonl) or plain words. */
static bool
write_big(const char *path, size_t size, bool jsonl)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	static char chunk[1 << 16];
	for (size_t i = 0; i < sizeof chunk; i++)
		chunk[i] = (i % 8 == 7) ? ' ' : 'a' + (char)(i % 5);
	size_t left = size;
	if (jsonl) {
		fputs("{\"id\":\"big\",\"text\":\"", f);
		left -= 21;
	}
	while (left > (jsonl ? 3 : 0)) {
		size_t k = left - (jsonl ? 3 : 0);
		if (k > sizeof chunk)
			k = sizeof chunk;
		fwrite(chunk, 1, k, f);
		left -= k;
	}
	if (jsonl)
		fputs("\"}\n", f);
	fclose(f);
	return true;
}

SR_TEST(limit_record_over_max_is_skipped)
{
	const char *dir = tmpdir();
	char big_jsonl[600], big_txt[600];
	snprintf(big_jsonl, sizeof big_jsonl, "%s/big.jsonl", dir);
	snprintf(big_txt, sizeof big_txt, "%s/big.txt", dir);
	/* a record over the limit between two good ones */
	CHECK(write_big(big_jsonl, SR_MAX_RECORD + 100, true));
	FILE *f = fopen(big_jsonl, "r+b");
	fseek(f, 0, SEEK_END);
	fputs("{\"id\":\"after\",\"text\":\"After.\"}\n", f);
	fclose(f);
	CHECK(write_big(big_txt, SR_MAX_RECORD + 1, false));
	const char *paths[] = {big_jsonl, big_txt, puts_(dir, "ok.txt", "Fine.")};
	outcome o;
	read_all(&o, paths, 3);
	CHECK_INT(o.skipped, 2);
	CHECK(strstr(o.log, "big.jsonl:1: record larger than the 64 MB limit") != NULL);
	CHECK(strstr(o.log, "big.txt: file larger than the 64 MB limit") != NULL);
	/* in order: the big record, the one after it, the big file, ok.txt */
	CHECK(!strncmp(o.log, "!4 ", 3));
	CHECK(strstr(o.log, "\nafter\n!4 ") != NULL);
	CHECK(strstr(o.log, "\nok.txt\n") != NULL);
	CHECK_INT(o.ndocs, 2);
	if (o.ndocs == 2)
		CHECK_INT(o.docs[0]->line, 2);
	done(&o);
	unlink(big_jsonl);
	unlink(big_txt);

	/* exactly at the limit is read */
	CHECK(write_big(big_txt, SR_MAX_RECORD, false));
	read_one(&o, big_txt);
	CHECK_INT(o.skipped, 0);
	CHECK_INT(o.ndocs, 1);
	if (o.ndocs)
		CHECK_INT(o.docs[0]->len, SR_MAX_RECORD);
	done(&o);
	unlink(big_txt);
	rm_rf(dir);
}

/* ---------------------------------------------------------- regressions */

/* A symbolic link to a parent folder made the reader read the same files
 * again at every level, until the path got too long (41 copies). */
SR_TEST(regression_symlink_loop_reads_each_folder_once)
{
	const char *dir = tmpdir();
	puts_(dir, "a.txt", "Text.");
	char link[600];
	snprintf(link, sizeof link, "%s/loop", dir);
	CHECK(symlink(".", link) == 0);
	const char *paths[] = {dir};
	outcome o;
	read_all(&o, paths, 1);
	CHECK_INT(o.ndocs, 1);
	CHECK_INT(o.skipped, 1);
	CHECK(strstr(o.log, "loop: folder already read") != NULL);
	done(&o);
	rm_rf(dir);
}

/* Reading stdin dropped the blank space before the first character (read
 * to tell JSON Lines from text): spans were shifted against the same
 * file read by name, a " date" header was found where the file had none,
 * and JSON Lines line numbers were short by the blank lines. */
SR_TEST(regression_stdin_keeps_leading_blank_space)
{
	const char *dir = tmpdir();
	const char *p = puts_(dir, "in.txt", "\n\n  date 2026-01-01 Text.");
	CHECK(freopen(p, "rb", stdin) != NULL);
	const char *dash[] = {"-"};
	outcome o;
	read_all(&o, dash, 1);
	CHECK_INT(o.ndocs, 1);
	if (o.ndocs) {
		CHECK_STR(o.docs[0]->id, "-");
		CHECK_STR(o.docs[0]->text, "\n\n  date 2026-01-01 Text.");
		CHECK_STR(o.docs[0]->published, "");
	}
	done(&o);

	p = puts_(dir, "in.jsonl", "\n\n{\"text\":\"x\"}\n{\"text\":");
	CHECK(freopen(p, "rb", stdin) != NULL);
	read_all(&o, dash, 1);
	CHECK_INT(o.ndocs, 1);
	CHECK_INT(o.ndocs ? o.docs[0]->line : 0, 3);
	CHECK(strstr(o.log, "<stdin>:4: invalid JSON") != NULL);
	done(&o);
	CHECK(freopen("/dev/null", "rb", stdin) != NULL);
	rm_rf(dir);
}

/* The fast JSON parser read an integer "id" with strtoll, which goes on
 * reading past the end of the record when what follows is not a NUL
 * (found by fuzzing, as a heap overflow): the id must be the number in
 * the record, whatever bytes come after it. */
int sr_reader_fast_json(const char *line, size_t n, char **text, size_t *textn, char **id);

SR_TEST(regression_fast_json_integer_id_stops_at_the_record_end)
{
	const char buf[] = "{\"text\":\"x\",\"id\":42}9999";
	char *text = NULL, *id = NULL;
	size_t textn = 0;
	CHECK_INT(sr_reader_fast_json(buf, sizeof buf - 1 - 4, &text, &textn, &id), 1);
	CHECK_STR(text, "x");
	CHECK_STR(id, "42");
	free(text);
	free(id);
	/* and the parser leaves what it doubts to jansson */
	const char *doubtful[] = {"{\"text\":\"a\\u0000b\"}", "{\"text\":\"\\ud800\"}",
				  "{\"t\\u0065xt\":\"x\"}", "{\"text\":\"x\",\"n\":1e999}",
				  "{\"text\":5}", "{}", "[1]", "{\"text\":\"x\"} 1"};
	for (size_t i = 0; i < sizeof doubtful / sizeof doubtful[0]; i++)
		CHECK_INT(sr_reader_fast_json(doubtful[i], strlen(doubtful[i]), &text, &textn, &id), 0);
}

/* ------------------------------------------------- deferred pages */

/* With SR_READ_DEFER a page comes out unread (its id and origin only)
 * and sr_doc_read_page makes it the document the reader gives without
 * the flag, with the same warning; a page with no article gives the
 * reader's error; a text file and a feed are read at once as before. */
SR_TEST(reader_defer_pages_read_later_the_same)
{
	const char *dir = tmpdir();
	const char *page = puts_(dir, "a.html",
		"<html lang=\"en\"><head><title>Base left - Example News</title>"
		"<meta property=\"article:published_time\" content=\"sometime\"></head><body>"
		"<nav><a href=\"/\">Home</a></nav><article><h1>Base left</h1>"
		"<p>Foreign troops left the base near the river on Monday, officials said.</p>"
		"<p>The handover took place without incident, a spokesman added.</p>"
		"</article></body></html>");
	const char *index = puts_(dir, "b.html",
		"<html><body><ul><li><a href=\"/1\">One</a></li></ul></body></html>");
	const char *text = puts_(dir, "c.txt", "Troops left the base.\n");
	const char *paths[] = {page, index, text};
	/* without the flag */
	outcome plain;
	read_all(&plain, paths, 3);
	CHECK_INT(plain.ndocs, 2);
	/* with it */
	sr_reader *r = sr_reader_new();
	sr_reader_set_flags(r, SR_READ_DEFER);
	for (int i = 0; i < 3; i++)
		sr_reader_add(r, paths[i]);
	sr_doc *d[3] = {NULL, NULL, NULL};
	for (int i = 0; i < 3; i++) {
		CHECK_INT(sr_reader_next(r, &d[i]), SR_OK);
		CHECK(sr_reader_warning(r) == NULL);
	}
	sr_doc *end = NULL;
	CHECK_INT(sr_reader_next(r, &end), SR_END);
	CHECK_INT(sr_reader_skipped(r), 0);
	sr_reader_free(r);
	if (d[0] && d[1] && d[2] && plain.ndocs == 2) {
		CHECK(d[0]->page != NULL && d[1]->page != NULL && d[2]->page == NULL);
		CHECK_STR(d[0]->id, "a.html");
		CHECK_STR(d[0]->origin, page);
		char err[2048], warn[1400];
		CHECK_INT(sr_doc_read_page(d[0], err, sizeof err, warn, sizeof warn), SR_OK);
		CHECK(d[0]->page == NULL);
		sr_doc *p = plain.docs[0];
		CHECK_STR(d[0]->text, p->text);
		CHECK_INT(d[0]->len, p->len);
		CHECK_STR(d[0]->title ? d[0]->title : "-", p->title ? p->title : "-");
		CHECK_STR(d[0]->lang ? d[0]->lang : "-", p->lang ? p->lang : "-");
		CHECK_STR(d[0]->origin, p->origin);
		CHECK_STR(d[0]->published, p->published);
		CHECK_STR(warn, plain.warn);
		CHECK(strstr(warn, "is not a date sitrep reads") != NULL);
		CHECK(sr_doc_read_page(d[1], err, sizeof err, warn, sizeof warn) != SR_OK);
		CHECK(strstr(plain.log, err) != NULL);
		CHECK(strstr(err, "b.html: no article text found") != NULL);
		/* nothing to read: nothing done */
		CHECK_INT(sr_doc_read_page(d[2], err, sizeof err, warn, sizeof warn), SR_OK);
		CHECK_STR(warn, "");
		CHECK_STR(d[2]->text, plain.docs[1]->text);
	}
	for (int i = 0; i < 3; i++)
		sr_doc_free(d[i]);
	done(&plain);
	rm_rf(dir);
}
