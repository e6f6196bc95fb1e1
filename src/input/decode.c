/*
 * decode.c -- bytes to UTF-8 text: gzip (zlib, every member of a file,
 * as CC-NEWS and servers concatenate them) and character sets (iconv,
 * with the corrections browsers make: Latin-1 read as Windows-1252, and a
 * declared single-byte set on what is plainly UTF-8 read as UTF-8).
 */
#include "input_int.h"

#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <zlib.h>

bool
sr_is_gzip(const char *buf, size_t len)
{
	return len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b;
}

int
sr_gunzip(const char *buf, size_t len, size_t limit, sr_buf *out)
{
	z_stream z;
	memset(&z, 0, sizeof z);
	if (inflateInit2(&z, 15 + 32) != Z_OK)
		return SR_ERR_FORMAT;
	z.next_in = (Bytef *)(uintptr_t)buf;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	int st = SR_OK;
	char chunk[65536];
	for (;;) {
		z.next_out = (Bytef *)chunk;
		z.avail_out = sizeof chunk;
		int zr = inflate(&z, Z_NO_FLUSH);
		size_t got = sizeof chunk - z.avail_out;
		if (out->len + got > limit) {
			st = SR_ERR_LIMIT;
			break;
		}
		sr_buf_add(out, chunk, got);
		if (zr == Z_STREAM_END) {
			/* another member may follow */
			if (z.avail_in == 0 || !sr_is_gzip((const char *)z.next_in, z.avail_in))
				break;
			if (inflateReset(&z) != Z_OK) {
				st = SR_ERR_FORMAT;
				break;
			}
			continue;
		}
		if (zr != Z_OK) {
			st = SR_ERR_FORMAT;
			break;
		}
		if (z.avail_in == 0 && got == 0) {
			st = SR_ERR_FORMAT;   /* truncated */
			break;
		}
	}
	inflateEnd(&z);
	if (!out->ptr)
		sr_buf_add(out, "", 0);
	return st;
}

/* Copies a charset name (letters, digits, - _ . :) lower-cased. */
static void
copy_name(const char *p, const char *e, char out[40])
{
	size_t n = 0;
	while (p < e && (*p == ' ' || *p == '"' || *p == '\''))
		p++;
	while (p < e && n < 39 && (isalnum((unsigned char)*p) || *p == '-' || *p == '_' ||
				   *p == '.' || *p == ':'))
		out[n++] = (char)tolower((unsigned char)*p++);
	out[n] = 0;
}

static const char *
find_ci(const char *p, const char *e, const char *w)
{
	size_t n = strlen(w);
	for (; p + n <= e; p++)
		if (tolower((unsigned char)*p) == w[0] && sr_strncasecmp_ascii(p, w, n) == 0)
			return p;
	return NULL;
}

void
sr_sniff_charset(const char *buf, size_t len, bool xml, char out[40])
{
	out[0] = 0;
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		strcpy(out, "utf-8");
		return;
	}
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		strcpy(out, u[0] == 0xFF ? "utf-16le" : "utf-16be");
		return;
	}
	const char *e = buf + (len < 4096 ? len : 4096);
	if (xml || (len > 5 && !memcmp(buf, "<?xml", 5))) {
		const char *gt = memchr(buf, '>', (size_t)(e - buf));
		const char *enc = gt ? find_ci(buf, gt, "encoding=") : NULL;
		if (enc) {
			copy_name(enc + 9, gt, out);
			if (out[0] || xml)
				return;
		}
		if (xml)
			return;
	}
	/* <meta charset="x"> and <meta http-equiv=... content="...; charset=x"> */
	for (const char *p = buf; (p = find_ci(p, e, "<meta")); p += 5) {
		const char *gt = memchr(p, '>', (size_t)(e - p));
		if (!gt)
			break;
		const char *cs = find_ci(p, gt, "charset");
		if (cs) {
			cs += 7;
			while (cs < gt && (*cs == ' ' || *cs == '='))
				cs++;
			copy_name(cs, gt, out);
			if (out[0])
				return;
		}
	}
}

/* Is buf valid UTF-8 with at least one character beyond ASCII? */
static bool
plainly_utf8(const char *buf, size_t len)
{
	bool multi = false;
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)buf[i] >= 0x80) {
			multi = true;
			break;
		}
	return multi && sr_utf8_count_invalid(buf, len) == 0;
}

static bool
is_utf8_name(const char *cs)
{
	return !strcmp(cs, "utf-8") || !strcmp(cs, "utf8") || !strcmp(cs, "unicode-1-1-utf-8");
}

static bool
single_byte(const char *cs)
{
	return !strncmp(cs, "iso-8859", 8) || !strncmp(cs, "iso8859", 7) ||
	       !strncmp(cs, "windows-125", 11) || !strncmp(cs, "cp125", 5) ||
	       !strcmp(cs, "latin1") || !strcmp(cs, "latin-1") || !strcmp(cs, "us-ascii") ||
	       !strcmp(cs, "ascii") || !strncmp(cs, "koi8", 4);
}

char *
sr_to_utf8(const char *buf, size_t len, const char *charset, size_t *outlen, bool *unknown)
{
	if (unknown)
		*unknown = false;
	const unsigned char *u = (const unsigned char *)buf;
	char cs[40];
	snprintf(cs, sizeof cs, "%s", charset ? charset : "");
	for (char *c = cs; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		buf += 3;
		len -= 3;
		strcpy(cs, "utf-8");
	} else if (len >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		strcpy(cs, "utf-16le");
	} else if (len >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		strcpy(cs, "utf-16be");
	}
	if (!cs[0])
		strcpy(cs, sr_utf8_count_invalid(buf, len) ? "windows-1252" : "utf-8");
	else if (single_byte(cs) && plainly_utf8(buf, len))
		strcpy(cs, "utf-8");
	if (!strcmp(cs, "iso-8859-1") || !strcmp(cs, "latin1") || !strcmp(cs, "latin-1") ||
	    !strcmp(cs, "us-ascii") || !strcmp(cs, "ascii") || !strcmp(cs, "iso8859-1"))
		strcpy(cs, "windows-1252");
	if (is_utf8_name(cs)) {
		size_t nbad;
		return sr_utf8_repair(buf, len, outlen, &nbad);
	}
	iconv_t cd = iconv_open("UTF-8", cs);
	if (cd == (iconv_t)-1) {
		if (unknown)
			*unknown = true;
		size_t nbad;
		return sr_utf8_repair(buf, len, outlen, &nbad);
	}
	sr_buf b = {0};
	char chunk[16384];
	char *in = (char *)(uintptr_t)buf;
	size_t inleft = len;
	while (inleft > 0) {
		char *o = chunk;
		size_t oleft = sizeof chunk;
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		sr_buf_add(&b, chunk, sizeof chunk - oleft);
		if (r == (size_t)-1) {
			if (errno == E2BIG)
				continue;
			/* a byte the set does not define, or a truncated
			 * sequence: U+FFFD, and on */
			sr_buf_add(&b, "\xEF\xBF\xBD", 3);
			in++;
			inleft--;
		}
	}
	iconv_close(cd);
	if (!b.ptr)
		sr_buf_add(&b, "", 0);
	/* iconv's output is UTF-8, but be sure */
	size_t nbad;
	char *s = sr_utf8_repair(b.ptr, b.len, outlen, &nbad);
	sr_buf_free(&b);
	return s;
}

void
sr_content_type_charset(const char *ct, char out[40])
{
	out[0] = 0;
	if (!ct)
		return;
	const char *cs = find_ci(ct, ct + strlen(ct), "charset=");
	if (cs)
		copy_name(cs + 8, ct + strlen(ct), out);
}
