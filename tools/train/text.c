/*
 * text.c -- the running text of the word classes (clusters.c), read and
 * cut into words by the trainer's own rules.
 *
 * The classes are part of the model, so the text they are learned from
 * must not change when sitrep's reader or tokenizer does (they did, and
 * the committed model could no longer be rebuilt).  These rules are fixed
 * and deliberately plain; change them only with a retrained model:
 *
 *   Files: a folder is read in byte order of its names (subfolders too,
 *   names starting with '.' skipped); a file is gunzipped if it is gzip.
 *   By name (after any ".gz"): ".jsonl" is JSON Lines whose "text" string
 *   is read (other fields ignored), ".html"/".htm" a page whose <p>
 *   elements are read (tags inside them become spaces; comments, <script>
 *   and <style> skipped; the entities &amp; &lt; &gt; &quot; &apos; &nbsp;
 *   &lsquo; &rsquo; &ldquo; &rdquo; &ndash; &mdash; &hellip; and numeric
 *   ones decoded), ".txt" plain text; any other file is skipped.
 *
 *   Blocks: a line of a JSON text or a plain text, or one <p>, is a block;
 *   no sentence crosses one.  Curly quotes fold to ' and ", dashes and the
 *   minus sign to '-', the ellipsis to "...", odd spaces and controls to a
 *   space; zero-width characters and soft hyphens are dropped.
 *
 *   Tokens: a word is a run of letters, digits and non-ASCII bytes, joined
 *   through '-', '\'', '.' or '&' between two such bytes and through ','
 *   ':' or '/' between two digits ("al-Tanf", "didn't", "5,700", "U.S",
 *   "AT&T"); it keeps a following period when it is letters separated by
 *   periods ("U.S.") or one of the abbreviations below ("Gen.").  Any other
 *   byte is a token, a run of one byte repeated ("...", "--") one token.
 *
 *   Sentences: end after a token of '.', '!' and '?' (and the quotes and
 *   closing brackets written right after it) when the next token starts
 *   with a capital, a digit, a non-ASCII byte or an opening quote or
 *   bracket.
 *
 *   Words: each word token is cut into UD words by the parser's own
 *   sy_split_token ("didn't" -> "did" "n't"), so the classes are keyed by
 *   the words the parser looks up.
 */
#include "syntax/syntax_int.h"
#include "text.h"

#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* Words that keep a following period. */
static const char *const abbrevs[] = {
	"Mr", "Mrs", "Ms", "Dr", "Prof", "Gen", "Col", "Lt", "Maj", "Capt",
	"Sgt", "Adm", "Gov", "Sen", "Rep", "Rev", "St", "Jr", "Sr", "Inc",
	"Corp", "Co", "Ltd", "Jan", "Feb", "Mar", "Apr", "Aug", "Sep", "Sept",
	"Oct", "Nov", "Dec", "No", "vs", "etc",
};

/* ------------------------------------------------------------ buffers */

typedef struct buf {
	char *p;
	size_t n, cap;
} buf;

static void
put(buf *b, const char *s, size_t n)
{
	SR_GROW(b->p, b->cap, b->n + n + 1);
	memcpy(b->p + b->n, s, n);
	b->n += n;
}

static void
putc1(buf *b, char c)
{
	put(b, &c, 1);
}

static void
put_cp(buf *b, uint32_t cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else if (cp < 0x110000) {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	} else {
		return;
	}
	put(b, u, n);
}

/* ------------------------------------------------------------ cutting */

typedef struct cutter {
	cl_text *t;
	tx_stats *st;
	buf fold;               /* the block folded */
	const char **forms;     /* the sentence's UD words */
	size_t *lens;
	size_t n, cap;
} cutter;

static bool
wordch(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

static bool
digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static void
end_sentence(cutter *c)
{
	if (!c->n)
		return;
	cl_add_sentence(c->t, c->forms, c->lens, c->n);
	if (c->st->dump)
		for (size_t i = 0; i < c->n; i++)
			fprintf(c->st->dump, "%.*s%c", (int)c->lens[i], c->forms[i], i + 1 < c->n ? ' ' : '\n');
	c->st->sentences++;
	c->st->words += c->n;
	c->n = 0;
}

static void
add_word(cutter *c, const char *s, size_t n)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 256;
		c->forms = sr_realloc(c->forms, c->cap * sizeof *c->forms);
		c->lens = sr_realloc(c->lens, c->cap * sizeof *c->lens);
	}
	c->forms[c->n] = s;
	c->lens[c->n++] = n;
}

static void
add_token(cutter *c, const char *s, size_t n)
{
	if (!wordch((unsigned char)s[0]) || n > 0xffff) {
		add_word(c, s, n > 0xffff ? 0xffff : n);
		return;
	}
	uint16_t st[8], ln[8];
	size_t m = sy_split_token(s, n, st, ln, 8);
	for (size_t j = 0; j < m; j++)
		add_word(c, s + st[j], ln[j]);
}

/* Whether s[0..n) (a word token) keeps a period after it. */
static bool
keeps_period(const char *s, size_t n)
{
	bool dotted = n >= 3;
	for (size_t i = 0; i < n && dotted; i++)
		dotted = i % 2 ? s[i] == '.' : ((s[i] | 0x20) >= 'a' && (s[i] | 0x20) <= 'z');
	if (dotted && n % 2)
		return true;
	for (size_t i = 0; i < SR_ARRAY_LEN(abbrevs); i++)
		if (strlen(abbrevs[i]) == n && !memcmp(abbrevs[i], s, n))
			return true;
	return false;
}

/* Cuts the folded block c->fold into sentences of UD words. */
static void
cut_block(cutter *c)
{
	const char *s = c->fold.p;
	size_t n = c->fold.n, i = 0;
	bool terminal = false;  /* the last token ended a sentence but for what follows */
	size_t last_end = 0;
	while (i < n) {
		unsigned char ch = (unsigned char)s[i];
		if (ch <= ' ') {
			i++;
			continue;
		}
		size_t j = i + 1;
		if (wordch(ch)) {
			for (;;) {
				while (j < n && wordch((unsigned char)s[j]))
					j++;
				if (j + 1 >= n || !wordch((unsigned char)s[j + 1]))
					break;
				char k = s[j];
				if (k == '-' || k == '\'' || k == '.' || k == '&' ||
				    ((k == ',' || k == ':' || k == '/') && digit((unsigned char)s[j - 1]) &&
				     digit((unsigned char)s[j + 1])))
					j++;
				else
					break;
			}
			if (j < n && s[j] == '.' && keeps_period(s + i, j - i))
				j++;
		} else {
			while (j < n && s[j] == s[i])
				j++;
		}
		if (terminal) {
			bool closing = i == last_end && (ch == '"' || ch == '\'' || ch == ')' || ch == ']');
			if (!closing) {
				if (ch >= 0x80 || digit(ch) || (ch >= 'A' && ch <= 'Z') || ch == '"' ||
				    ch == '\'' || ch == '(' || ch == '[')
					end_sentence(c);
				terminal = false;
			}
		}
		add_token(c, s + i, j - i);
		if (!wordch(ch)) {
			bool term = true;
			for (size_t k = i; k < j && term; k++)
				term = s[k] == '.' || s[k] == '!' || s[k] == '?';
			if (term)
				terminal = true;
		}
		last_end = j;
		i = j;
	}
	end_sentence(c);
}

/* Folds s[0..n) (one block) into c->fold and cuts it. */
static void
block(cutter *c, const char *s, size_t n)
{
	buf *b = &c->fold;
	b->n = 0;
	for (size_t i = 0; i < n;) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 0x80) {
			putc1(b, ch < ' ' || ch == 0x7f ? ' ' : (char)ch);
			i++;
			continue;
		}
		uint32_t cp = 0;
		size_t k = 0;
		if (ch >= 0xc2 && ch < 0xe0 && i + 1 < n)
			cp = ch & 0x1f, k = 2;
		else if (ch >= 0xe0 && ch < 0xf0 && i + 2 < n)
			cp = ch & 0x0f, k = 3;
		for (size_t m = 1; m < k; m++) {
			unsigned char cc = (unsigned char)s[i + m];
			if ((cc & 0xc0) != 0x80) {
				k = 0;
				break;
			}
			cp = cp << 6 | (cc & 0x3f);
		}
		if (!k) {
			putc1(b, (char)ch);
			i++;
			continue;
		}
		if (cp == 0x2018 || cp == 0x2019 || cp == 0x201a || cp == 0x201b || cp == 0x2032)
			putc1(b, '\'');
		else if (cp == 0x201c || cp == 0x201d || cp == 0x201e || cp == 0x201f || cp == 0x2033)
			putc1(b, '"');
		else if ((cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212)
			putc1(b, '-');
		else if (cp == 0x2026)
			put(b, "...", 3);
		else if (cp == 0xa0 || (cp >= 0x2000 && cp <= 0x200a) || cp == 0x202f || cp == 0x205f ||
			 cp == 0x3000 || (cp >= 0x80 && cp < 0xa0))
			putc1(b, ' ');
		else if ((cp >= 0x200b && cp <= 0x200d) || cp == 0x2060 || cp == 0xfeff || cp == 0xad)
			;
		else
			put(b, s + i, k);
		i += k;
	}
	cut_block(c);
}

/* Each line of s[0..n) a block. */
static void
lines(cutter *c, const char *s, size_t n)
{
	size_t from = 0;
	for (size_t i = 0; i <= n; i++)
		if (i == n || s[i] == '\n' || s[i] == '\r') {
			if (i > from)
				block(c, s + from, i - from);
			from = i + 1;
		}
}

/* --------------------------------------------------------------- HTML */

static bool
starts(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	if (i + k > n)
		return false;
	for (size_t m = 0; m < k; m++)
		if ((s[i + m] | 0x20) != w[m])
			return false;
	return true;
}

/* Whether a tag name w starts at s[i] and ends there. */
static bool
tag_is(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	if (!starts(s, n, i, w))
		return false;
	if (i + k == n)
		return true;
	char e = s[i + k];
	return e == '>' || e == '/' || e == ' ' || e == '\t' || e == '\n' || e == '\r';
}

static size_t
skip_past(const char *s, size_t n, size_t i, const char *w)
{
	size_t k = strlen(w);
	while (i < n && !starts(s, n, i, w))
		i++;
	return i + k < n ? i + k : n;
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{"amp", '&'}, {"lt", '<'}, {"gt", '>'}, {"quot", '"'}, {"apos", '\''},
	{"nbsp", 0xa0}, {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201c},
	{"rdquo", 0x201d}, {"ndash", 0x2013}, {"mdash", 0x2014}, {"hellip", 0x2026},
};

/* Decodes the entity at s[i] ('&') into b; returns the bytes read. */
static size_t
entity(buf *b, const char *s, size_t n, size_t i)
{
	size_t j = i + 1;
	while (j < n && j - i < 12 && s[j] != ';' && s[j] != '&' && s[j] > ' ')
		j++;
	if (j >= n || s[j] != ';') {
		putc1(b, '&');
		return 1;
	}
	const char *e = s + i + 1;
	size_t k = j - i - 1;
	if (k >= 2 && e[0] == '#') {
		uint32_t cp = 0;
		bool hex = e[1] == 'x' || e[1] == 'X', ok = k > (hex ? 2u : 1u);
		for (size_t m = hex ? 2 : 1; m < k && ok; m++) {
			char d = e[m];
			int v = d >= '0' && d <= '9' ? d - '0'
				: hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f' ? (d | 0x20) - 'a' + 10 : -1;
			ok = v >= 0 && cp < 0x110000;
			cp = cp * (hex ? 16 : 10) + (uint32_t)(v < 0 ? 0 : v);
		}
		if (ok && cp && cp < 0x110000 && (cp < 0xd800 || cp > 0xdfff)) {
			put_cp(b, cp);
			return j + 1 - i;
		}
	} else {
		for (size_t m = 0; m < SR_ARRAY_LEN(entities); m++)
			if (strlen(entities[m].name) == k && !memcmp(entities[m].name, e, k)) {
				put_cp(b, entities[m].cp);
				return j + 1 - i;
			}
	}
	putc1(b, '&');
	return 1;
}

static void
html(cutter *c, const char *s, size_t n)
{
	buf p = {0};
	bool in_p = false;
	for (size_t i = 0; i < n;) {
		if (s[i] == '<') {
			if (starts(s, n, i, "<!--")) {
				i = skip_past(s, n, i + 4, "-->");
			} else if (tag_is(s, n, i + 1, "script")) {
				i = skip_past(s, n, skip_past(s, n, i, "</script"), ">");
			} else if (tag_is(s, n, i + 1, "style")) {
				i = skip_past(s, n, skip_past(s, n, i, "</style"), ">");
			} else {
				bool open = tag_is(s, n, i + 1, "p"), close = tag_is(s, n, i + 1, "/p");
				if ((open || close) && in_p)
					block(c, p.p, p.n);
				else if (in_p) {
					putc1(&p, ' ');
				}
				if (open)
					in_p = true, p.n = 0;
				else if (close)
					in_p = false;
				i = skip_past(s, n, i, ">");
			}
			continue;
		}
		if (!in_p) {
			i++;
		} else if (s[i] == '&') {
			i += entity(&p, s, n, i);
		} else {
			putc1(&p, s[i] == '\n' || s[i] == '\r' || s[i] == '\t' ? ' ' : s[i]);
			i++;
		}
	}
	if (in_p)
		block(c, p.p, p.n);
	free(p.p);
}

/* -------------------------------------------------------------- files */

static bool
ends(const char *s, size_t n, const char *w)
{
	size_t k = strlen(w);
	return n >= k && !strcmp(s + n - k, w);
}

/* The whole file, gunzipped if it is gzip; -1 when it cannot be read. */
static int
slurp(const char *path, buf *b)
{
	gzFile f = gzopen(path, "rb");
	if (!f) {
		fprintf(stderr, "train-syntax: %s: %s\n", path, strerror(errno));
		return -1;
	}
	b->n = 0;
	for (;;) {
		SR_GROW(b->p, b->cap, b->n + 65536 + 1);
		int k = gzread(f, b->p + b->n, 65536);
		if (k < 0) {
			int e;
			fprintf(stderr, "train-syntax: %s: %s\n", path, gzerror(f, &e));
			gzclose(f);
			return -1;
		}
		if (!k)
			break;
		b->n += (size_t)k;
	}
	gzclose(f);
	b->p[b->n] = 0;
	return 0;
}

static int
add_file(cutter *c, const char *path)
{
	size_t k = strlen(path);
	if (ends(path, k, ".gz"))
		k -= 3;
	char name[16] = {0};
	size_t dot = k;
	while (dot > 0 && path[dot - 1] != '.' && path[dot - 1] != '/' && k - dot < 8)
		dot--;
	if (dot > 0 && path[dot - 1] == '.' && k - dot < sizeof name)
		memcpy(name, path + dot, k - dot);
	int kind = !strcmp(name, "jsonl") ? 1
		: !strcmp(name, "html") || !strcmp(name, "htm") ? 2
		: !strcmp(name, "txt") ? 3 : 0;
	if (!kind) {
		c->st->skipped++;
		return 0;
	}
	buf b = {0};
	if (slurp(path, &b) < 0) {
		free(b.p);
		return -1;
	}
	c->st->files++;
	int rc = 0;
	if (kind == 1) {
		size_t from = 0;
		long line = 0;
		for (size_t i = 0; i <= b.n && !rc; i++) {
			if (i < b.n && b.p[i] != '\n')
				continue;
			line++;
			size_t a = from;
			from = i + 1;
			while (a < i && (b.p[a] == ' ' || b.p[a] == '\t' || b.p[a] == '\r'))
				a++;
			if (a == i)
				continue;
			json_error_t err;
			json_t *o = json_loadb(b.p + a, i - a, 0, &err);
			if (!o) {
				fprintf(stderr, "train-syntax: %s:%ld: %s\n", path, line, err.text);
				rc = -1;
				break;
			}
			json_t *t = json_object_get(o, "text");
			if (json_is_string(t)) {
				lines(c, json_string_value(t), json_string_length(t));
				c->st->reports++;
			}
			json_decref(o);
		}
	} else if (kind == 2) {
		html(c, b.p, b.n);
		c->st->reports++;
	} else {
		lines(c, b.p, b.n);
		c->st->reports++;
	}
	free(b.p);
	return rc;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
add_any(cutter *c, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0) {
		fprintf(stderr, "train-syntax: %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode))
		return add_file(c, path);
	DIR *d = opendir(path);
	if (!d) {
		fprintf(stderr, "train-syntax: %s: %s\n", path, strerror(errno));
		return -1;
	}
	char **names = NULL;
	size_t nn = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		SR_GROW(names, cap, nn + 1);
		size_t k = strlen(path) + strlen(e->d_name) + 2;
		names[nn] = sr_malloc(k);
		snprintf(names[nn++], k, "%s/%s", path, e->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof *names, by_name);
	int rc = 0;
	for (size_t i = 0; i < nn; i++) {
		if (!rc)
			rc = add_any(c, names[i]);
		free(names[i]);
	}
	free(names);
	return rc;
}

int
tx_add_path(cl_text *t, const char *path, tx_stats *st)
{
	cutter c = {.t = t, .st = st};
	int rc = add_any(&c, path);
	free(c.fold.p);
	free(c.forms);
	free(c.lens);
	return rc;
}
