/*
 * util.c -- allocation (with the one out-of-memory policy: a message and
 * exit status 2, see sr_oom()), the memory a report needs, the
 * per-document arena, growable buffers, UTF-8 helpers and small string
 * functions shared by every stage.
 */
#include "../sr_internal.h"

#include <ctype.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <threads.h>
#include <unistd.h>

/* The one out-of-memory policy: the program's handler (sr_set_oom_handler)
 * says what was under way and ends the process; by default a message and
 * exit status 2.  Never an abort: a core dump and status 134 told a user
 * nothing, and a memory limit (ulimit -v) is an ordinary condition. */
static sr_oom_fn oom_handler;

void
sr_set_oom_handler(sr_oom_fn fn)
{
	oom_handler = fn;
}

void
sr_oom(size_t n)
{
	if (oom_handler)
		oom_handler(n);
	fprintf(stderr, "sitrep: out of memory (asked for %zu bytes); stopped\n", n);
	exit(2);
}

/* ------------------------------------------------------- memory per report */

/* The address-space limit, read once per process: the check before each
 * report called getrlimit(2) every time, and that system call was 1.5%
 * of `sitrep extract` (13,000 reports of the 25 MB corpus).  sitrep never
 * changes its own limit; one set from outside (prlimit) applies to the
 * next run.  Written once under call_once, read-only after. */
static once_flag as_once = ONCE_FLAG_INIT;
static rlim_t as_limit = RLIM_INFINITY;

static void
as_limit_read(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_AS, &rl) == 0)
		as_limit = rl.rlim_cur;
}

size_t
sr_mem_left(size_t *limit_out)
{
	if (limit_out)
		*limit_out = SIZE_MAX;
	call_once(&as_once, as_limit_read);
	if (as_limit == RLIM_INFINITY)
		return SIZE_MAX;
	size_t used = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		unsigned long pages = 0;
		if (fscanf(f, "%lu", &pages) == 1)
			used = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
		fclose(f);
	}
	size_t limit = (size_t)as_limit;
	if (limit_out)
		*limit_out = limit;
	return limit > used ? limit - used : 0;
}

int
sr_doc_memory_check(const sr_doc *doc, char *err, size_t errlen)
{
	size_t limit;
	size_t left = sr_mem_left(&limit);
	size_t need = doc->len * SR_DOC_MEMORY_FACTOR;
	if (need > left) {
		/* what the last report freed may still be held by malloc */
		malloc_trim(0);
		left = sr_mem_left(&limit);
	}
	if (need <= left)
		return SR_OK;
	char line[32] = "";
	if (doc->line > 0)
		snprintf(line, sizeof line, ":%ld", doc->line);
	char part[80] = "";
	if (doc->id && strstr(doc->id, "/part"))
		snprintf(part, sizeof part, " (%.60s)", doc->id);
	snprintf(err, errlen, "%s%s%s: a report of %.1f MB needs about %zu MB to analyze"
		 " (%d times its size); the memory limit (ulimit -v %zu) leaves %zu MB: skipped",
		 doc->origin ? doc->origin : doc->id ? doc->id : "-", line, part,
		 (double)doc->len / 1048576.0, need >> 20, SR_DOC_MEMORY_FACTOR, limit >> 10,
		 left >> 20);
	return SR_ERR_LIMIT;
}

void *
sr_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		sr_oom(n);
	return p;
}

void *
sr_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		sr_oom(n * size);
	return p;
}

void *
sr_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		sr_oom(n);
	return q;
}

char *
sr_strndup(const char *s, size_t n)
{
	char *p = sr_malloc(n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

char *
sr_strdup(const char *s)
{
	return s ? sr_strndup(s, strlen(s)) : NULL;
}

void
sr_grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 8;
	while (c < need)
		c *= 2;
	*p = sr_realloc(*p, c * elem);
	*cap = c;
}

/* ----------------------------------------------------------------- arena */

struct sr_arena_block {
	sr_arena_block *next;
	size_t size;
	_Alignas(16) unsigned char data[];
};

#define ARENA_BLOCK ((size_t)64 << 10)

void *
sr_arena_alloc(sr_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!a->head || a->used + n > a->head->size) {
		size_t size = n > ARENA_BLOCK ? n : ARENA_BLOCK;
		sr_arena_block *b = sr_malloc(sizeof *b + size);
		b->size = size;
		b->next = a->head;
		a->head = b;
		a->used = 0;
	}
	void *p = a->head->data + a->used;
	a->used += n;
	return p;
}

char *
sr_arena_strndup(sr_arena *a, const char *s, size_t n)
{
	char *p = sr_arena_alloc(a, n + 1);
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

void
sr_arena_reset(sr_arena *a)
{
	if (!a->head)
		return;
	sr_arena_block *b = a->head->next;
	while (b) {
		sr_arena_block *n = b->next;
		free(b);
		b = n;
	}
	/* keep the newest block only if it is the ordinary size */
	if (a->head->size != ARENA_BLOCK) {
		free(a->head);
		a->head = NULL;
	} else {
		a->head->next = NULL;
	}
	a->used = 0;
}

void
sr_arena_free(sr_arena *a)
{
	sr_arena_block *b = a->head;
	while (b) {
		sr_arena_block *n = b->next;
		free(b);
		b = n;
	}
	a->head = NULL;
	a->used = 0;
}

/* ---------------------------------------------------------------- buffer */

void
sr_buf_add(sr_buf *b, const void *p, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t c = b->cap ? b->cap : 64;
		while (c < b->len + n + 1)
			c *= 2;
		b->ptr = sr_realloc(b->ptr, c);
		b->cap = c;
	}
	if (n)
		memcpy(b->ptr + b->len, p, n);
	b->len += n;
	b->ptr[b->len] = 0;
}

void
sr_buf_addc(sr_buf *b, char c)
{
	sr_buf_add(b, &c, 1);
}

void
sr_buf_adds(sr_buf *b, const char *s)
{
	sr_buf_add(b, s, strlen(s));
}

void
sr_buf_addll(sr_buf *b, long long v)
{
	char d[24];
	size_t k = sr_ll_digits(d, v);
	sr_buf_add(b, d + k, sizeof d - k);
}

void
sr_buf_printf(sr_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof tmp) {
		sr_buf_add(b, tmp, (size_t)n);
		return;
	}
	char *big = sr_malloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sr_buf_add(b, big, (size_t)n);
	free(big);
}

/* The one JSON string escaper of the project: every JSON string sitrep
 * writes goes through here (sr_buf_json_str, the output layer's sinks,
 * the recognizer's writer). */
size_t
sr_json_escape(char *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	/* bytes written as an escape: controls, '"', '\\', DEL */
	static const bool esc[256] = {
		[0] = 1, [1] = 1, [2] = 1, [3] = 1, [4] = 1, [5] = 1, [6] = 1, [7] = 1,
		[8] = 1, [9] = 1, [10] = 1, [11] = 1, [12] = 1, [13] = 1, [14] = 1, [15] = 1,
		[16] = 1, [17] = 1, [18] = 1, [19] = 1, [20] = 1, [21] = 1, [22] = 1, [23] = 1,
		[24] = 1, [25] = 1, [26] = 1, [27] = 1, [28] = 1, [29] = 1, [30] = 1, [31] = 1,
		['"'] = 1, ['\\'] = 1, [0x7f] = 1,
	};
	char *o = out;
	*o++ = '"';
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (i + 8 <= n) {
			uint64_t v;
			memcpy(&v, s + i, 8);
			if (!(swar_below(v, 0x20) | swar_equal(v, '"') | swar_equal(v, '\\') |
			      swar_equal(v, 0x7f))) {
				i += 7;
				continue;
			}
		}
		unsigned char c = (unsigned char)s[i];
		if (!esc[c])
			continue;
		memcpy(o, s + run, i - run);
		o += i - run;
		run = i + 1;
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	memcpy(o, s + run, n - run);
	o += n - run;
	*o++ = '"';
	return (size_t)(o - out);
}

void
sr_buf_json_str(sr_buf *b, const char *s, size_t n)
{
	/* room for the worst case at once */
	if (b->len + n * 6 + 3 > b->cap) {
		size_t c = b->cap ? b->cap : 64;
		while (c < b->len + n * 6 + 3)
			c *= 2;
		b->ptr = sr_realloc(b->ptr, c);
		b->cap = c;
	}
	b->len += sr_json_escape(b->ptr + b->len, s, n);
	b->ptr[b->len] = 0;
}

void
sr_buf_reset(sr_buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = 0;
}

void
sr_buf_free(sr_buf *b)
{
	free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

/* ------------------------------------------------------------------ utf8 */

int
sr_utf8_decode(const unsigned char *s, size_t n, int32_t *cp)
{
	*cp = 0xFFFD;
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = (int32_t)c;
		return 1;
	}
	int len;
	int32_t v, min;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2; v = c & 0x1F; min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3; v = c & 0x0F; min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4; v = c & 0x07; min = 0x10000;
	} else {
		return 0;
	}
	if ((size_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

int
sr_utf8_encode(int32_t cp, char *out)
{
	unsigned char *o = (unsigned char *)out;
	if (cp < 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	if (cp < 0x80) {
		o[0] = (unsigned char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (unsigned char)(0xC0 | (cp >> 6));
		o[1] = (unsigned char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (unsigned char)(0xE0 | (cp >> 12));
		o[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (unsigned char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (unsigned char)(0xF0 | (cp >> 18));
	o[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (unsigned char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Length of the run of ASCII bytes at s (n available), eight at a time. */
static size_t
ascii_run(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t v;
		memcpy(&v, s + i, 8);
		if (v & 0x8080808080808080ULL)
			break;
		i += 8;
	}
	while (i < n && s[i] < 0x80)
		i++;
	return i;
}

size_t
sr_utf8_count_invalid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t bad = 0, i = 0;
	while (i < n) {
		if (u[i] < 0x80) {
			i += ascii_run(u + i, n - i);
			continue;
		}
		int32_t cp;
		int l = sr_utf8_decode(u + i, n - i, &cp);
		if (l == 0) {
			bad++;
			i++;
		} else {
			i += (size_t)l;
		}
	}
	return bad;
}

char *
sr_utf8_repair(const char *s, size_t n, size_t *outlen, size_t *nbad)
{
	const unsigned char *u = (const unsigned char *)s;
	sr_buf b = {0};
	size_t bad = 0, i = 0, run = 0;
	while (i < n) {
		if (u[i] < 0x80) {
			i += ascii_run(u + i, n - i);
			continue;
		}
		int32_t cp;
		int l = sr_utf8_decode(u + i, n - i, &cp);
		if (l) {
			i += (size_t)l;
			continue;
		}
		sr_buf_add(&b, s + run, i - run);
		sr_buf_add(&b, "\xEF\xBF\xBD", 3);
		bad++;
		i++;
		/* swallow the continuation bytes of the same broken sequence */
		while (i < n && (u[i] & 0xC0) == 0x80)
			i++;
		run = i;
	}
	sr_buf_add(&b, s + run, n - run);
	*outlen = b.len;
	*nbad = bad;
	return b.ptr;
}

/* ----------------------------------------------------------------- misc */

uint64_t
sr_hash64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

/* sr_strncasecmp_ascii and sr_eq_ci are inline, in sr_internal.h: the
 * rules call them for most tokens, often with a literal word. */

bool
sr_valid_date(const char *s)
{
	for (int i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			if (s[i] != '-')
				return false;
		} else if (s[i] < '0' || s[i] > '9') {
			return false;
		}
	}
	if (s[10] != 0)
		return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (y < 1000 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return false;
	if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return false;
	return true;
}

const char *
sr_strstatus(int status)
{
	switch (status) {
	case SR_OK: return "ok";
	case SR_END: return "end of input";
	case SR_ERR_IO: return "i/o error";
	case SR_ERR_FORMAT: return "malformed record";
	case SR_ERR_LIMIT: return "over a limit";
	case SR_ERR_USAGE: return "usage error";
	case SR_ERR_DATA: return "bad data file";
	case SR_ERR_DB: return "database error";
	}
	return "unknown status";
}

const char *
sr_version(void)
{
	return SR_VERSION;
}
