/*
 * test_input.c -- the helpers of the web readers (src/input): dates as
 * the web writes them, character sets, gzip, boilerplate lines, HTML
 * reduced to its article, and feeds parsed from memory.
 */
#include "harness.h"

#include "../../src/input/html_int.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

static const char *
date_of(const char *s)
{
	static char out[11];
	if (!sr_date_parse(s, strlen(s), out))
		return "";
	return out;
}

SR_TEST(input_dates_in_the_web_formats)
{
	CHECK_STR(date_of("2026-02-20"), "2026-02-20");
	CHECK_STR(date_of("2026-02-20T10:30:00+01:00"), "2026-02-20");
	CHECK_STR(date_of(" 2026-02-20T10:30:00Z "), "2026-02-20");
	CHECK_STR(date_of("2026-02-20 10:30"), "2026-02-20");
	CHECK_STR(date_of("2026/02/20"), "2026-02-20");
	CHECK_STR(date_of("20260220"), "2026-02-20");
	CHECK_STR(date_of("Fri, 20 Feb 2026 10:30:00 +0000"), "2026-02-20");
	CHECK_STR(date_of("Fri, 20 Feb 2026 10:30:00 GMT"), "2026-02-20");
	CHECK_STR(date_of("20 Feb 2026"), "2026-02-20");
	CHECK_STR(date_of("20 February 2026"), "2026-02-20");
	CHECK_STR(date_of("20-Feb-2026"), "2026-02-20");
	CHECK_STR(date_of("February 20, 2026"), "2026-02-20");
	CHECK_STR(date_of("Feb. 20, 2026"), "2026-02-20");
	CHECK_STR(date_of("Sept. 3, 2025"), "2025-09-03");
	CHECK_STR(date_of("Friday, February 20th, 2026"), "2026-02-20");
	/* refused: the caller warns */
	CHECK_STR(date_of("yesterday"), "");
	CHECK_STR(date_of("2026-13-45"), "");
	CHECK_STR(date_of("2026-02-30"), "");
	CHECK_STR(date_of("2026"), "");
	CHECK_STR(date_of("2026-02"), "");
	CHECK_STR(date_of("20 Foo 2026"), "");
	CHECK_STR(date_of("0001-01-01T00:00:00Z"), "");
	CHECK_STR(date_of(""), "");
	CHECK_STR(date_of("1580000000"), "");
}

SR_TEST(input_charsets)
{
	size_t n;
	bool unknown;
	/* Latin-1 is read as Windows-1252: 0x93 0x94 are quotes */
	char *s = sr_to_utf8("caf\xe9 \x93x\x94", 8, "iso-8859-1", &n, &unknown);
	CHECK_STR(s, "caf\xc3\xa9 \xe2\x80\x9cx\xe2\x80\x9d");
	CHECK(!unknown);
	free(s);
	/* a page that says Latin-1 but is UTF-8 */
	s = sr_to_utf8("caf\xc3\xa9", 5, "iso-8859-1", &n, NULL);
	CHECK_STR(s, "caf\xc3\xa9");
	free(s);
	/* no charset: valid UTF-8 stays, anything else is Windows-1252 */
	s = sr_to_utf8("caf\xe9", 4, NULL, &n, NULL);
	CHECK_STR(s, "caf\xc3\xa9");
	free(s);
	/* a BOM is dropped */
	s = sr_to_utf8("\xef\xbb\xbfhi", 5, NULL, &n, NULL);
	CHECK_STR(s, "hi");
	free(s);
	/* an unknown set is read as UTF-8, and said so */
	s = sr_to_utf8("hi", 2, "x-no-such-set", &n, &unknown);
	CHECK_STR(s, "hi");
	CHECK(unknown);
	free(s);
	char cs[40];
	const char *page = "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
			   "charset=Windows-1251\"></head>";
	sr_sniff_charset(page, strlen(page), false, cs);
	CHECK_STR(cs, "windows-1251");
	sr_sniff_charset("<meta charset='koi8-r'>", 23, false, cs);
	CHECK_STR(cs, "koi8-r");
	sr_sniff_charset("<?xml version=\"1.0\" encoding=\"ISO-8859-15\"?><rss>", 49, true, cs);
	CHECK_STR(cs, "iso-8859-15");
	sr_content_type_charset("text/html; charset=\"UTF-8\"", cs);
	CHECK_STR(cs, "utf-8");
}

SR_TEST(input_gunzip_members)
{
	/* two gzip members one after the other, as servers and CC-NEWS
	 * write them */
	unsigned char z[256];
	size_t nz = 0;
	const char *parts[2] = {"first part, ", "second part"};
	for (int i = 0; i < 2; i++) {
		z_stream s;
		memset(&s, 0, sizeof s);
		deflateInit2(&s, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
		s.next_in = (unsigned char *)(uintptr_t)parts[i];
		s.avail_in = (unsigned)strlen(parts[i]);
		s.next_out = z + nz;
		s.avail_out = (unsigned)(sizeof z - nz);
		deflate(&s, Z_FINISH);
		nz = sizeof z - s.avail_out;
		deflateEnd(&s);
	}
	CHECK(sr_is_gzip((const char *)z, nz));
	sr_buf b = {0};
	CHECK(sr_gunzip((const char *)z, nz, 1 << 20, &b) == SR_OK);
	CHECK_STR(b.ptr, "first part, second part");
	sr_buf_free(&b);
	/* a limit: SR_ERR_LIMIT */
	CHECK(sr_gunzip((const char *)z, nz, 5, &b) == SR_ERR_LIMIT);
	sr_buf_free(&b);
	/* truncated: an error, what came out kept */
	CHECK(sr_gunzip((const char *)z, nz / 2, 1 << 20, &b) == SR_ERR_FORMAT);
	sr_buf_free(&b);
}

SR_TEST(input_boilerplate_lines)
{
	CHECK(sr_html_junk_line("Advertisement", 13));
	CHECK(sr_html_junk_line("READ MORE:", 10));
	CHECK(sr_html_junk_line("Story continues below advertisement", 35));
	CHECK(!sr_html_junk_line("Troops left the base.", 21));
	CHECK(!sr_html_junk_line("", 0));
}

SR_TEST(input_html_article_and_metadata)
{
	const char *page =
		"<html lang=\"en-GB\"><head><title>T - Site</title>"
		"<meta property=\"og:site_name\" content=\"Site\">"
		"<meta name=\"pubdate\" content=\"Fri, 20 Feb 2026 10:00:00 +0000\">"
		"<script>var x = '<p>no</p>';</script></head><body>"
		"<div class=\"nav\"><a href=\"/\">Home</a> <a href=\"/a\">News</a></div>"
		"<div class=\"article-body\"><p>The first paragraph of the article is long enough to "
		"count as one, with a comma.</p><p>A second paragraph follows it, also long enough "
		"to count.</p></div><div class=\"comments\"><p>A comment that is long enough to be "
		"a paragraph of its own, too.</p></div></body></html>";
	sr_html_page pg;
	sr_html_read(page, strlen(page), NULL, &pg);
	CHECK_STR(pg.text, "The first paragraph of the article is long enough to count as one, with a "
			   "comma.\n\nA second paragraph follows it, also long enough to count.");
	CHECK_STR(pg.title, "T - Site");
	CHECK_STR(pg.outlet, "Site");
	CHECK_STR(pg.published, "2026-02-20");
	CHECK_STR(pg.lang, "en-GB");
	sr_html_page_clear(&pg);
	/* no article */
	const char *index = "<html><body><ul><li><a href=\"/1\">One</a></li><li><a href=\"/2\">Two</a>"
			    "</li></ul></body></html>";
	sr_html_read(index, strlen(index), NULL, &pg);
	CHECK_STR(pg.text, "");
	sr_html_page_clear(&pg);
	/* nothing at all */
	sr_html_read("", 0, NULL, &pg);
	CHECK_STR(pg.text, "");
	sr_html_page_clear(&pg);
}

SR_TEST(input_feed_kinds)
{
	CHECK(sr_looks_feed("<?xml version=\"1.0\"?>\n<rss version=\"2.0\">", 40));
	CHECK(sr_looks_feed("<feed xmlns=\"http://www.w3.org/2005/Atom\">", 42));
	CHECK(sr_looks_feed("<!-- c --><rdf:RDF>", 19));
	CHECK(!sr_looks_feed("<html><body>", 12));
	CHECK(!sr_looks_feed("<feedback>", 10));
	CHECK(sr_looks_html("<!DOCTYPE html><html>", 21));
	CHECK(sr_looks_html("\n  <div>hello</div>", 19));
	CHECK(!sr_looks_html("plain text", 10));
	CHECK(sr_looks_warc("WARC/1.0\r\n", 10));
	CHECK(!sr_looks_warc("WARC/2", 6));
}
