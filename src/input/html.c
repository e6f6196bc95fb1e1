/*
 * html.c -- reads an HTML page: its metadata and its article.
 *
 * The bytes are first made UTF-8 (decode.c: the charset the caller knows
 * from HTTP, else the page's own <meta>, with the corrections browsers
 * make).  libxml2's HTML parser then reads them in SAX mode, recovering
 * from broken markup as browsers do; its events build a small tree of our
 * own (html_int.h) rather than libxml2's document: a third faster, and
 * scripts, styles and controls never enter it.  Meta tags, <title>,
 * <link rel=canonical>, <time datetime> and JSON-LD scripts are read as
 * they pass.  html_body.c then finds the article in the tree.
 *
 * Which class, id and meta names mean what is data: data/html/words.tsv,
 * generated into html_words.h by tools/gen-html-words.
 */
#include "html_int.h"
#include "html_words.h"

#include <ctype.h>
#include <jansson.h>
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <pthread.h>

#include "dyn.h"
#include <stdio.h>
#include <stdlib.h>

/* ------------------------------------------------------------ word lists */

static int
cmp_word(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

static bool
in_list(const char *w, const char *const *list, size_t n)
{
	return bsearch(w, list, n, sizeof *list, cmp_word) != NULL;
}

#define IN(kind, w) in_list((w), html_words_##kind, HTML_WORDS_##kind##_N)

bool
sr_html_junk_line(const char *s, size_t n)
{
	char w[48];
	while (n && (s[n - 1] == '.' || s[n - 1] == ':' || s[n - 1] == ' ' || s[n - 1] == '!' ||
		     s[n - 1] == '>' || (unsigned char)s[n - 1] == 0xBB))
		n--;
	while (n && (*s == ' ' || *s == '<'))
		s++, n--;
	if ((unsigned char)s[0] == 0xC2 && n > 1)   /* a leading <<, >> */
		s += 2, n -= 2;
	if (n == 0 || n >= sizeof w)
		return false;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)tolower((unsigned char)s[i]);
	w[n] = 0;
	return IN(line, w);
}

/* Flags from the words of a class or id value: "article-body",
 * "relatedLinks", "share_bar". */
static unsigned
class_flags(const char *v)
{
	unsigned f = 0;
	char w[40];
	const char *p = v;
	while (*p) {
		while (*p && !isalnum((unsigned char)*p))
			p++;
		size_t n = 0;
		bool long_word = false;
		while (*p && isalnum((unsigned char)*p)) {
			/* camelCase: a capital after a small letter starts a word */
			if (n > 0 && isupper((unsigned char)*p) && islower((unsigned char)p[-1]))
				break;
			if (n < sizeof w - 1)
				w[n++] = (char)tolower((unsigned char)*p);
			else
				long_word = true;
			p++;
		}
		if (n == 0 || long_word)
			continue;
		w[n] = 0;
		if (IN(strong, w)) {
			f |= NF_JUNK | NF_STRONG;
		} else if (IN(junk, w)) {
			f |= NF_JUNK;
		} else if (IN(body, w)) {
			f |= NF_BODYW;
		} else {
			for (size_t i = 0; i < HTML_WORDS_junkpre_N; i++) {
				const char *pre = html_words_junkpre[i];
				if (pre[0] == w[0] && !strncmp(w, pre, strlen(pre))) {
					f |= NF_JUNK | NF_STRONG;
					break;
				}
			}
		}
	}
	return f;
}

/* ------------------------------------------------------------------ tags */

enum { K_TREE = 0, K_SKIP, K_VOID, K_SCRIPT, K_TITLE, K_META, K_LINK, K_HEAD };

typedef struct tag_info {
	const char *name;
	uint8_t tag;            /* enum html_tag */
	uint8_t kind;           /* K_* */
	uint8_t flags;          /* NF_JUNK for boilerplate elements */
} tag_info;

/* sorted by name */
static const tag_info tags[] = {
	{"a", T_A, K_TREE, 0},
	{"address", T_ADDRESS, K_TREE, NF_TAGJUNK},
	{"applet", T_INLINE, K_SKIP, 0},
	{"area", T_INLINE, K_VOID, 0},
	{"article", T_ARTICLE, K_TREE, 0},
	{"aside", T_ASIDE, K_TREE, NF_TAGJUNK},
	{"audio", T_INLINE, K_SKIP, 0},
	{"base", T_INLINE, K_VOID, 0},
	{"blockquote", T_QUOTE, K_TREE, 0},
	{"body", T_BODY, K_TREE, 0},
	{"br", T_BR, K_VOID, 0},
	{"button", T_INLINE, K_SKIP, 0},
	{"canvas", T_INLINE, K_SKIP, 0},
	{"caption", T_CAPTION, K_TREE, NF_TAGJUNK},
	{"center", T_DIV, K_TREE, 0},
	{"col", T_INLINE, K_VOID, 0},
	{"datalist", T_INLINE, K_SKIP, 0},
	{"dd", T_DD, K_TREE, 0},
	{"details", T_DIV, K_TREE, 0},
	{"dialog", T_DIV, K_SKIP, 0},
	{"dir", T_LIST, K_TREE, 0},
	{"div", T_DIV, K_TREE, 0},
	{"dl", T_DL, K_TREE, 0},
	{"dt", T_DT, K_TREE, 0},
	{"embed", T_INLINE, K_SKIP, 0},
	{"fieldset", T_DIV, K_TREE, 0},
	{"figcaption", T_FIGCAPTION, K_TREE, NF_TAGJUNK},
	{"figure", T_FIGURE, K_TREE, NF_TAGJUNK},
	{"footer", T_FOOTER, K_TREE, NF_TAGJUNK},
	{"form", T_FORM, K_TREE, 0},
	{"frame", T_INLINE, K_SKIP, 0},
	{"frameset", T_INLINE, K_SKIP, 0},
	{"h1", T_H1, K_TREE, 0},
	{"h2", T_HN, K_TREE, 0},
	{"h3", T_HN, K_TREE, 0},
	{"h4", T_HN, K_TREE, 0},
	{"h5", T_HN, K_TREE, 0},
	{"h6", T_HN, K_TREE, 0},
	{"head", T_INLINE, K_HEAD, 0},
	{"header", T_HEADER, K_TREE, NF_TAGJUNK},
	{"hr", T_BR, K_VOID, 0},
	{"iframe", T_INLINE, K_SKIP, 0},
	{"img", T_INLINE, K_VOID, 0},
	{"input", T_INLINE, K_VOID, 0},
	{"keygen", T_INLINE, K_VOID, 0},
	{"li", T_LI, K_TREE, 0},
	{"link", T_INLINE, K_LINK, 0},
	{"main", T_MAIN, K_TREE, 0},
	{"map", T_INLINE, K_SKIP, 0},
	{"math", T_INLINE, K_SKIP, 0},
	{"menu", T_LIST, K_TREE, NF_TAGJUNK},
	{"meta", T_INLINE, K_META, 0},
	{"nav", T_NAV, K_TREE, NF_TAGJUNK},
	{"noscript", T_INLINE, K_SKIP, 0},
	{"object", T_INLINE, K_SKIP, 0},
	{"ol", T_LIST, K_TREE, 0},
	{"optgroup", T_INLINE, K_SKIP, 0},
	{"option", T_INLINE, K_SKIP, 0},
	{"p", T_P, K_TREE, 0},
	{"param", T_INLINE, K_VOID, 0},
	{"picture", T_INLINE, K_SKIP, 0},
	{"pre", T_PRE, K_TREE, 0},
	{"script", T_INLINE, K_SCRIPT, 0},
	{"section", T_SECTION, K_TREE, 0},
	{"select", T_INLINE, K_SKIP, 0},
	{"source", T_INLINE, K_VOID, 0},
	{"style", T_INLINE, K_SKIP, 0},
	{"svg", T_INLINE, K_SKIP, 0},
	{"table", T_TABLE, K_TREE, 0},
	{"tbody", T_INLINE, K_TREE, 0},
	{"td", T_CELL, K_TREE, 0},
	{"template", T_INLINE, K_SKIP, 0},
	{"textarea", T_INLINE, K_SKIP, 0},
	{"tfoot", T_INLINE, K_TREE, 0},
	{"th", T_CELL, K_TREE, 0},
	{"thead", T_INLINE, K_TREE, 0},
	{"title", T_INLINE, K_TITLE, 0},
	{"tr", T_ROW, K_TREE, 0},
	{"track", T_INLINE, K_VOID, 0},
	{"ul", T_LIST, K_TREE, 0},
	{"video", T_INLINE, K_SKIP, 0},
	{"wbr", T_INLINE, K_VOID, 0},
};

static int
cmp_tag(const void *key, const void *elem)
{
	return strcmp((const char *)key, ((const tag_info *)elem)->name);
}

static const tag_info inline_tag = {"", T_INLINE, K_TREE, 0};

static const tag_info *
tag_lookup(const char *name)
{
	const tag_info *t = bsearch(name, tags, SR_ARRAY_LEN(tags), sizeof tags[0], cmp_tag);
	return t ? t : &inline_tag;
}

/* ----------------------------------------------------------- SAX state */

enum { META_DATE, META_TITLE, META_OUTLET, META_URL, META_LANG, META_N };

typedef struct open_el {
	const xmlChar *name;
	uint32_t node;          /* its node, or 0 when it made none */
	uint32_t block;         /* the block before it opened */
	uint8_t link;           /* it is an <a> */
	uint8_t skip;           /* it started a skipped part */
} open_el;

typedef struct hstate {
	htree *t;
	open_el *stack;
	size_t ns, caps;
	uint32_t cur;           /* the node new nodes go into */
	uint32_t block;         /* the block text counts for */
	int link;               /* <a> depth */
	int skip;               /* > 0: inside a skipped element */
	int capture;            /* 1: a JSON-LD script, 2: <title> */
	int head;               /* inside <head> */
	bool space;             /* the text buffer ends with a space */
	sr_buf ld;              /* JSON-LD scripts, NUL-separated */
	sr_buf title;
	char *meta[META_N];     /* the first value of each kind */
	char *time_dt;          /* the first <time datetime> */
	char *item_date;        /* itemprop="datePublished" */
	char *canonical;
	char *html_lang;
	bool debug;             /* SITREP_HTML_DEBUG=2: print the nodes */
	struct class_cache {
		char key[48];
		uint8_t flags;
		bool used;
	} ccache[256];
	const xmlChar *tkey[64];        /* tag names seen (libxml2 interns them) */
	const tag_info *tval[64];
} hstate;

static uint32_t
new_node(hstate *s, uint8_t tag)
{
	htree *t = s->t;
	SR_GROW(t->n, t->capn, t->nn + 1);
	uint32_t i = (uint32_t)t->nn++;
	hnode *n = &t->n[i];
	memset(n, 0, sizeof *n);
	n->tag = tag;
	n->parent = s->cur;
	hnode *p = &t->n[s->cur];
	n->depth = (uint16_t)(p->depth < UINT16_MAX ? p->depth + 1 : p->depth);
	if (p->last)
		t->n[p->last].next = i;
	else
		p->first = i;
	p->last = i;
	return i;
}

static const char *
attr(const xmlChar **atts, const char *name)
{
	if (!atts)
		return NULL;
	for (size_t i = 0; atts[i]; i += 2)
		if (!strcmp((const char *)atts[i], name))
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

static void
keep_first(char **slot, const char *v)
{
	if (!*slot && v && *v)
		*slot = sr_strdup(v);
}

static void
lower_copy(char *out, size_t cap, const char *v)
{
	size_t i = 0;
	for (; v[i] && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)v[i]);
	out[i] = 0;
}

static void
on_meta(hstate *s, const xmlChar **atts)
{
	const char *content = attr(atts, "content");
	if (!content || !*content)
		return;
	const char *keys[4] = {attr(atts, "property"), attr(atts, "name"), attr(atts, "itemprop"),
			       attr(atts, "http-equiv")};
	for (int k = 0; k < 4; k++) {
		if (!keys[k])
			continue;
		char key[64];
		lower_copy(key, sizeof key, keys[k]);
		if (IN(date, key))
			keep_first(&s->meta[META_DATE], content);
		else if (IN(title, key))
			keep_first(&s->meta[META_TITLE], content);
		else if (IN(outlet, key))
			keep_first(&s->meta[META_OUTLET], content);
		else if (IN(url, key))
			keep_first(&s->meta[META_URL], content);
		else if (IN(lang, key))
			keep_first(&s->meta[META_LANG], content);
	}
}

static bool
hidden_style(const char *st)
{
	if (!strstr(st, "none") && !strstr(st, "hidden"))
		return false;
	char b[256];
	size_t n = 0;
	for (const char *p = st; *p && n + 1 < sizeof b; p++)
		if (*p != ' ')
			b[n++] = (char)tolower((unsigned char)*p);
	b[n] = 0;
	return strstr(b, "display:none") || strstr(b, "visibility:hidden");
}

/* class_flags through a small cache: pages repeat their class names. */
static unsigned
class_flags_cached(hstate *s, const char *v)
{
	size_t n = strlen(v);
	if (n >= sizeof s->ccache[0].key)
		return class_flags(v);
	uint64_t h = sr_hash64(v, n);
	struct class_cache *c = &s->ccache[h % SR_ARRAY_LEN(s->ccache)];
	if (c->used && !strcmp(c->key, v))
		return c->flags;
	memcpy(c->key, v, n + 1);
	c->flags = (uint8_t)class_flags(v);
	c->used = true;
	return c->flags;
}

static unsigned
role_flags(const char *role)
{
	static const char *const junk[] = {"navigation", "banner", "contentinfo", "complementary",
					   "search", "dialog", "alert", "menu", "menubar", "toolbar"};
	if (!role)
		return 0;
	for (size_t i = 0; i < SR_ARRAY_LEN(junk); i++)
		if (!strcmp(role, junk[i]))
			return NF_JUNK;
	if (!strcmp(role, "main") || !strcmp(role, "article"))
		return NF_BODYW;
	return 0;
}

static void
push(hstate *s, const xmlChar *name, uint32_t node, bool link, bool skip)
{
	SR_GROW(s->stack, s->caps, s->ns + 1);
	open_el *e = &s->stack[s->ns++];
	e->name = name;
	e->node = node;
	e->block = s->block;
	e->link = link;
	e->skip = skip;
}

static void
sax_start(void *ctx, const xmlChar *xname, const xmlChar **atts)
{
	hstate *s = ctx;
	const char *name = (const char *)xname;
	if (s->skip) {
		push(s, xname, 0, false, true);
		s->skip++;
		return;
	}
	/* names come from libxml2's dictionary: one pointer per name */
	size_t th = ((uintptr_t)xname >> 3) % SR_ARRAY_LEN(s->tkey);
	const tag_info *ti;
	if (s->tkey[th] == xname) {
		ti = s->tval[th];
	} else {
		ti = tag_lookup(name);
		s->tkey[th] = xname;
		s->tval[th] = ti;
	}
	switch (ti->kind) {
	case K_VOID:
		if (ti->tag == T_BR && !s->head) {
			uint32_t n = new_node(s, T_BR);
			(void)n;
			s->space = true;
		}
		return;
	case K_META:
		on_meta(s, atts);
		return;
	case K_LINK: {
		const char *rel = attr(atts, "rel"), *href = attr(atts, "href");
		if (rel && href && !sr_strncasecmp_ascii(rel, "canonical", 9))
			keep_first(&s->canonical, href);
		return;
	}
	case K_HEAD:
		push(s, xname, 0, false, false);
		s->head++;
		return;
	case K_TITLE:
		push(s, xname, 0, false, true);
		s->skip++;
		if (s->head && !s->title.len)
			s->capture = 2;
		return;
	case K_SCRIPT: {
		const char *type = attr(atts, "type");
		push(s, xname, 0, false, true);
		s->skip++;
		if (type && strstr(type, "ld+json"))
			s->capture = 1;
		return;
	}
	case K_SKIP:
		push(s, xname, 0, false, true);
		s->skip++;
		return;
	default:
		break;
	}
	/* the attributes that matter, in one pass */
	const char *cls = NULL, *id = NULL, *role = NULL, *ip = NULL, *dt = NULL, *content = NULL;
	const char *lang = NULL, *style = NULL;
	bool hid = false;
	for (size_t i = 0; atts && atts[i]; i += 2) {
		const char *k = (const char *)atts[i];
		const char *v = atts[i + 1] ? (const char *)atts[i + 1] : "";
		switch (k[0]) {
		case 'c':
			if (!strcmp(k, "class"))
				cls = v;
			else if (!strcmp(k, "content"))
				content = v;
			break;
		case 'i':
			if (k[1] == 'd' && !k[2])
				id = v;
			else if (!strcmp(k, "itemprop"))
				ip = v;
			break;
		case 'r':
			if (!strcmp(k, "role"))
				role = v;
			break;
		case 'd':
			if (!strcmp(k, "datetime"))
				dt = v;
			break;
		case 'h':
			if (!strcmp(k, "hidden"))
				hid = true;
			break;
		case 'a':
			if (!strcmp(k, "aria-hidden") && !strcmp(v, "true"))
				hid = true;
			break;
		case 's':
			if (!strcmp(k, "style"))
				style = v;
			break;
		case 'l':
			if (!strcmp(k, "lang"))
				lang = v;
			break;
		case 'x':
			if (!strcmp(k, "xml:lang"))
				lang = v;
			break;
		default:
			break;
		}
	}
	if (lang && !strcmp(name, "html"))
		keep_first(&s->html_lang, lang);
	if (ip && !strcmp(ip, "datePublished")) {
		keep_first(&s->item_date, dt);
		keep_first(&s->item_date, content);
	}
	if (dt && !strcmp(name, "time"))
		keep_first(&s->time_dt, dt);
	uint32_t n = new_node(s, ti->tag);
	hnode *nd = &s->t->n[n];
	unsigned f = ti->flags;
	if (cls)
		f |= class_flags_cached(s, cls);
	if (id)
		f |= class_flags_cached(s, id);
	f |= role_flags(role);
	if (hid || (style && hidden_style(style)))
		f |= NF_HIDDEN;
	if (ip && !strcmp(ip, "articleBody"))
		f |= NF_ITEMBODY;
	nd->flags = (uint8_t)f;
	if (s->debug)
		fprintf(stderr, "node #%u <%s> depth %u class=\"%.80s\" id=\"%.40s\" flags %x\n", n, name,
			nd->depth, cls ? cls : "", id ? id : "", f);
	bool link = ti->tag == T_A;
	push(s, xname, n, link, false);
	s->cur = n;
	if (TAG_IS_BLOCK(ti->tag)) {
		s->block = n;
		s->space = true;
	}
	if (link)
		s->link++;
}

static void
pop_one(hstate *s)
{
	open_el *e = &s->stack[--s->ns];
	if (e->skip) {
		s->skip--;
		if (s->skip == 0) {
			if (s->capture == 1)
				sr_buf_addc(&s->ld, 0);
			s->capture = 0;
		}
		return;
	}
	if (!e->node) {
		if (tag_lookup((const char *)e->name)->kind == K_HEAD && s->head)
			s->head--;
		return;
	}
	if (e->link)
		s->link--;
	if (TAG_IS_BLOCK(s->t->n[e->node].tag))
		s->space = true;
	s->block = e->block;
	s->cur = s->t->n[e->node].parent;
}

static void
sax_end(void *ctx, const xmlChar *name)
{
	hstate *s = ctx;
	if (!s->ns)
		return;
	/* libxml2 balances its events; be safe anyway: close up to the
	 * innermost element of that name, or ignore a stray end */
	size_t i = s->ns;
	while (i > 0 && s->stack[i - 1].name != name &&
	       strcmp((const char *)s->stack[i - 1].name, (const char *)name) != 0)
		i--;
	if (i == 0)
		return;
	while (s->ns >= i)
		pop_one(s);
}

static inline bool
is_ws(unsigned char c)
{
	return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
}

static void
sax_text(void *ctx, const xmlChar *xs, int len)
{
	hstate *s = ctx;
	const char *p = (const char *)xs;
	if (s->skip) {
		if (s->capture == 1)
			sr_buf_add(&s->ld, p, (size_t)len);
		else if (s->capture == 2 && s->title.len < 4096)
			sr_buf_add(&s->title, p, (size_t)len);
		return;
	}
	if (s->head || len <= 0)
		return;
	htree *t = s->t;
	/* a text node, or the one just made when text comes in pieces */
	hnode *par = &t->n[s->cur];
	uint32_t tn;
	if (par->last && t->n[par->last].tag == T_TEXT &&
	    t->n[par->last].text + t->n[par->last].ntext == t->text.len) {
		tn = par->last;
	} else {
		bool only_ws = true;
		for (int i = 0; i < len && only_ws; i++)
			only_ws = is_ws((unsigned char)p[i]);
		if (only_ws) {
			s->space = true;
			return;
		}
		tn = new_node(s, T_TEXT);
		t->n[tn].text = (uint32_t)t->text.len;
	}
	/* collapse white space while copying; count visible bytes */
	uint32_t vis = 0, commas = 0;
	size_t start = t->text.len;
	SR_GROW(t->text.ptr, t->text.cap, t->text.len + (size_t)len + 2);
	char *o = t->text.ptr + t->text.len;
	for (int i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (is_ws(c)) {
			s->space = true;
			continue;
		}
		if (s->space) {
			*o++ = ' ';
			s->space = false;
		}
		*o++ = (char)c;
		vis++;
		commas += c == ',';
	}
	t->text.len = (size_t)(o - t->text.ptr);
	t->text.ptr[t->text.len] = 0;
	t->n[tn].ntext += (uint32_t)(t->text.len - start);
	hnode *b = &t->n[s->block];
	b->own += vis;
	b->commas += commas;
	if (s->link)
		b->ownlink += vis;
}

/* ------------------------------------------------------------- JSON-LD */

typedef struct ld_found {
	const char *headline, *date, *body, *publisher, *url;
	const char *any_date;   /* datePublished of an object of another type */
	int article;            /* the object is an article type */
} ld_found;

static bool
article_type(json_t *type)
{
	static const char *const types[] = {"NewsArticle", "Article", "ReportageNewsArticle",
					    "BlogPosting", "AnalysisNewsArticle", "OpinionNewsArticle",
					    "BackgroundNewsArticle", "LiveBlogPosting", "Report",
					    "ScholarlyArticle", "TechArticle", "SocialMediaPosting",
					    "AskPublicNewsArticle", "ReviewNewsArticle", "WebPage"};
	if (json_is_array(type)) {
		size_t i;
		json_t *v;
		json_array_foreach(type, i, v)
			if (article_type(v))
				return true;
		return false;
	}
	if (!json_is_string(type))
		return false;
	for (size_t i = 0; i < SR_ARRAY_LEN(types); i++)
		if (!strcmp(json_string_value(type), types[i]))
			return true;
	return false;
}

static const char *
jstr(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (json_is_array(v) && json_array_size(v) > 0)
		v = json_array_get(v, 0);
	return json_is_string(v) && json_string_length(v) > 0 ? json_string_value(v) : NULL;
}

static void
ld_walk(json_t *v, ld_found *f, int depth)
{
	if (depth > 8)
		return;
	if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			ld_walk(e, f, depth + 1);
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *graph = json_object_get(v, "@graph");
	if (graph)
		ld_walk(graph, f, depth + 1);
	if (!article_type(json_object_get(v, "@type"))) {
		/* a ClaimReview, VideoObject... still dates the page */
		if (!f->any_date)
			f->any_date = jstr(v, "datePublished");
		return;
	}
	bool webpage = json_is_string(json_object_get(v, "@type")) &&
		       !strcmp(json_string_value(json_object_get(v, "@type")), "WebPage");
	/* an article's fields win over a web page's */
	if (!webpage && !f->article) {
		f->article = 1;
		f->headline = f->date = f->body = f->publisher = NULL;
	} else if (webpage && f->article) {
		return;
	}
	if (!f->headline)
		f->headline = jstr(v, "headline");
	if (!f->date)
		f->date = jstr(v, "datePublished");
	if (!f->date)
		f->date = jstr(v, "dateCreated");
	if (!f->body)
		f->body = jstr(v, "articleBody");
	if (!f->url)
		f->url = jstr(v, "url");
	json_t *pub = json_object_get(v, "publisher");
	if (json_is_array(pub))
		pub = json_array_get(pub, 0);
	if (!f->publisher && json_is_object(pub))
		f->publisher = jstr(pub, "name");
}

/* -------------------------------------------------------------- reading */

static void
sax_silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static char *
dup_clean(const char *s)
{
	/* collapse white space, trim */
	if (!s)
		return NULL;
	sr_buf b = {0};
	bool sp = false;
	for (const char *p = s; *p; p++) {
		if (is_ws((unsigned char)*p)) {
			sp = b.len > 0;
			continue;
		}
		if (sp)
			sr_buf_addc(&b, ' ');
		sp = false;
		sr_buf_addc(&b, *p);
	}
	if (!b.ptr)
		return NULL;
	return b.ptr;
}

/* A plausible JSON-LD articleBody: long enough, and not markup. */
static bool
ld_body_plausible(const char *body, size_t dom_len)
{
	size_t n = strlen(body);
	if (n < 400)
		return false;
	if (memchr(body, '<', n) && (strstr(body, "<p") || strstr(body, "<div") || strstr(body, "<br")))
		return false;
	/* about the size of what the page shows: a teaser or a truncated
	 * body is much shorter, and one much longer holds more than the
	 * article (other stories, captions) */
	return (double)n >= 0.6 * (double)dom_len && (double)n <= 1.3 * (double)dom_len;
}

void
sr_html_page_clear(sr_html_page *p)
{
	free(p->text);
	free(p->title);
	free(p->url);
	free(p->outlet);
	free(p->lang);
	free(p->published_raw);
	memset(p, 0, sizeof *p);
}

bool
sr_looks_html(const char *buf, size_t len)
{
	static const char *const marks[] = {"<!doctype html", "<html", "<head", "<body", "<meta",
					    "<title", "<div", "<p>", "<p ", "<article", "<!--"};
	size_t i = 0;
	if (len >= 3 && !memcmp(buf, "\xEF\xBB\xBF", 3))
		i = 3;
	while (i < len && is_ws((unsigned char)buf[i]))
		i++;
	if (i >= len || buf[i] != '<')
		return false;
	size_t lim = len < 2048 ? len : 2048;
	for (size_t k = 0; k < SR_ARRAY_LEN(marks); k++) {
		size_t m = strlen(marks[k]);
		for (size_t j = i; j + m <= lim; j++)
			if (buf[j] == '<' && !sr_strncasecmp_ascii(buf + j, marks[k], m))
				return true;
	}
	return false;
}

/* Finds "</name" (any case) in [p, e); NULL when absent. */
static char *
find_end_tag(char *p, char *e, const char *name, size_t n)
{
	while (p < e) {
		char *lt = memchr(p, '<', (size_t)(e - p));
		if (!lt || e - lt < (ptrdiff_t)n + 2)
			return NULL;
		if (lt[1] == '/' && !sr_strncasecmp_ascii(lt + 2, name, n))
			return lt;
		p = lt + 1;
	}
	return NULL;
}

/* Empties the scripts (but JSON-LD) and styles of a page in place and
 * returns its new length.  They are most of a modern page's bytes, and
 * libxml2 reads them a character at a time only for us to drop them.
 * Their end is found as the parser finds it: at "</script" or
 * "</style". */
static size_t
strip_scripts(char *u, size_t n)
{
	char *r = u, *w = u, *e = u + n;
	while (r < e) {
		char *lt = memchr(r, '<', (size_t)(e - r));
		if (!lt)
			break;
		const char *name = NULL;
		size_t nl = 0;
		if (e - lt > 7 && !sr_strncasecmp_ascii(lt + 1, "script", 6) &&
		    (lt[7] == '>' || lt[7] == ' ' || lt[7] == '\t' || lt[7] == '\n' || lt[7] == '\r'))
			name = "script", nl = 6;
		else if (e - lt > 6 && !sr_strncasecmp_ascii(lt + 1, "style", 5) &&
			 (lt[6] == '>' || lt[6] == ' ' || lt[6] == '\t' || lt[6] == '\n' || lt[6] == '\r'))
			name = "style", nl = 5;
		if (!name) {
			size_t k = (size_t)(lt + 1 - r);
			memmove(w, r, k);
			w += k;
			r = lt + 1;
			continue;
		}
		char *gt = memchr(lt, '>', (size_t)(e - lt));
		char *end = gt ? find_end_tag(gt + 1, e, name, nl) : NULL;
		if (!end) {
			break;   /* an unclosed script: leave the rest to the parser */
		}
		bool keep = false;
		for (char *q = lt; q + 7 <= gt && !keep; q++)
			keep = (*q == 'l' || *q == 'L') && !sr_strncasecmp_ascii(q, "ld+json", 7);
		char *upto = keep ? end : gt + 1;
		size_t k = (size_t)(upto - r);
		memmove(w, r, k);
		w += k;
		r = end;
	}
	size_t k = (size_t)(e - r);
	memmove(w, r, k);
	w += k;
	*w = 0;
	return (size_t)(w - u);
}

/* Parses UTF-8 HTML into t, with what passes in s. */
static void
parse(const char *u, size_t ulen, htree *t, hstate *s)
{
	s->t = t;
	SR_GROW(t->n, t->capn, 1024);
	memset(&t->n[0], 0, sizeof t->n[0]);
	t->nn = 1;
	sr_buf_add(&t->text, "", 0);
	htmlSAXHandler h;
	memset(&h, 0, sizeof h);
	h.startElement = sax_start;
	h.endElement = sax_end;
	h.characters = sax_text;
	h.ignorableWhitespace = sax_text;
	h.cdataBlock = sax_text;
	h.warning = sax_silent;
	h.error = sax_silent;
	h.initialized = 1;
	if (ulen == 0 || ulen > INT32_MAX || !sr_xml_api())
		return;
	htmlParserCtxtPtr ctxt = htmlCreateMemoryParserCtxt(u, (int)ulen);
	if (!ctxt)
		return;
	memcpy(ctxt->sax, &h, sizeof h);
	ctxt->userData = s;
	htmlCtxtUseOptions(ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING |
					 HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC);
	xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8);
	htmlParseDocument(ctxt);
	if (ctxt->myDoc)
		xmlFreeDoc(ctxt->myDoc);
	htmlFreeParserCtxt(ctxt);
}

static void
state_free(hstate *s, htree *t)
{
	for (int i = 0; i < META_N; i++)
		free(s->meta[i]);
	free(s->time_dt);
	free(s->item_date);
	free(s->canonical);
	free(s->html_lang);
	free(s->stack);
	sr_buf_free(&s->ld);
	sr_buf_free(&s->title);
	free(t->n);
	sr_buf_free(&t->text);
}

void
sr_html_text(const char *buf, size_t len, sr_buf *out)
{
	size_t ulen;
	char *u = sr_to_utf8(buf, len, "utf-8", &ulen, NULL);
	htree t = {0};
	hstate s = {0};
	parse(u, ulen, &t, &s);
	free(u);
	sr_html_body(&t, out, true);
	state_free(&s, &t);
}

void
sr_html_read(const char *buf, size_t len, const char *charset, sr_html_page *out)
{
	memset(out, 0, sizeof *out);
	char cs[40] = "";
	if (charset && *charset)
		snprintf(cs, sizeof cs, "%s", charset);
	else
		sr_sniff_charset(buf, len, false, cs);
	size_t ulen;
	char *u = sr_to_utf8(buf, len, cs, &ulen, NULL);
	ulen = strip_scripts(u, ulen);
	htree t = {0};
	hstate s = {0};
	const char *dbg = getenv("SITREP_HTML_DEBUG");
	s.debug = dbg && !strcmp(dbg, "2");
	parse(u, ulen, &t, &s);
	free(u);

	/* JSON-LD */
	ld_found ld = {0};
	json_t *roots[16];
	size_t nroots = 0;
	for (size_t off = 0; off < s.ld.len && nroots < SR_ARRAY_LEN(roots);) {
		const char *blob = s.ld.ptr + off;
		size_t n = strlen(blob);
		json_t *j = json_loadb(blob, n, 0, NULL);
		if (j) {
			roots[nroots++] = j;
			ld_walk(j, &ld, 0);
		}
		off += n + 1;
	}

	sr_buf body = {0};
	sr_html_body(&t, &body, false);
	if (ld.body && ld_body_plausible(ld.body, body.len)) {
		char *b = dup_clean(ld.body);
		if (b) {
			sr_buf_reset(&body);
			sr_buf_adds(&body, b);
			free(b);
		}
	}
	if (!body.ptr)
		sr_buf_add(&body, "", 0);
	out->text = body.ptr;
	out->len = body.len;

	out->title = dup_clean(ld.headline ? ld.headline : s.meta[META_TITLE]);
	if (!out->title && s.title.len)
		out->title = dup_clean(s.title.ptr);
	out->outlet = dup_clean(s.meta[META_OUTLET] ? s.meta[META_OUTLET] : ld.publisher);
	out->url = dup_clean(s.canonical ? s.canonical : s.meta[META_URL] ? s.meta[META_URL] : ld.url);
	out->lang = dup_clean(s.html_lang ? s.html_lang : s.meta[META_LANG]);
	const char *dates[] = {ld.date, s.meta[META_DATE], s.item_date, ld.any_date, s.time_dt};
	for (size_t i = 0; i < SR_ARRAY_LEN(dates); i++) {
		if (!dates[i])
			continue;
		if (sr_date_parse(dates[i], strlen(dates[i]), out->published))
			break;
		if (!out->published_raw)
			out->published_raw = dup_clean(dates[i]);
	}
	if (out->published[0]) {
		free(out->published_raw);
		out->published_raw = NULL;
	}

	for (size_t i = 0; i < nroots; i++)
		json_decref(roots[i]);
	state_free(&s, &t);
}
