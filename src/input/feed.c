/*
 * feed.c -- RSS 2.0, RSS 1.0 (RDF) and Atom feeds.  A feed is small and
 * whole, so libxml2's XML parser reads it into a tree (recovering from
 * the broken feeds the web serves; no network, no external entities).
 * Each item gives its link, title, date and the fullest text it carries
 * (content:encoded or Atom content before description or summary),
 * reduced from HTML to plain text by the HTML reader.
 */
#include "html_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>

#include "dyn.h"

static const char *
local_name(const xmlNode *n)
{
	return (const char *)n->name;
}

static bool
is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp(local_name(n), name);
}

static bool
ns_is(const xmlNode *n, const char *prefix_uri_part)
{
	return n->ns && n->ns->href && strstr((const char *)n->ns->href, prefix_uri_part);
}

static char *
content(const xmlNode *n)
{
	xmlChar *c = xmlNodeGetContent(n);
	if (!c)
		return NULL;
	char *s = sr_strdup((const char *)c);
	xmlFree(c);
	return s;
}

/* The visible text of an HTML fragment (or of plain text). */
static char *
html_to_text(const char *s)
{
	size_t n = strlen(s);
	if (!memchr(s, '<', n) && !memchr(s, '&', n)) {
		sr_buf b = {0};
		bool sp = false;
		for (const char *p = s; *p; p++) {
			bool ws = *p == ' ' || *p == '\t' || *p == '\r' || *p == '\n';
			if (ws) {
				sp = b.len > 0;
				continue;
			}
			if (sp)
				sr_buf_addc(&b, ' ');
			sp = false;
			sr_buf_addc(&b, *p);
		}
		if (!b.ptr)
			sr_buf_add(&b, "", 0);
		return b.ptr;
	}
	sr_buf b = {0};
	sr_html_text(s, n, &b);
	if (!b.ptr)
		sr_buf_add(&b, "", 0);
	return b.ptr;
}

/* The serialized children of an element (Atom type="xhtml" content). */
static char *
inner_xml(xmlNode *n)
{
	xmlBufferPtr xb = xmlBufferCreate();
	for (xmlNode *c = n->children; c; c = c->next)
		xmlNodeDump(xb, n->doc, c, 0, 0);
	char *s = sr_strdup((const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
	return s;
}

static void
set_text(char **slot, int *rank, int r, char *v)
{
	if (!v)
		return;
	if (*slot && *rank >= r) {
		free(v);
		return;
	}
	free(*slot);
	*slot = v;
	*rank = r;
}

static void
read_item(xmlNode *item, bool atom, sr_feed_item *it, size_t index, const char *name)
{
	memset(it, 0, sizeof *it);
	char *guid = NULL, *date = NULL, *body = NULL;
	int body_rank = 0, date_rank = 0;
	if (atom) {
		for (xmlNode *c = item->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (is(c, "title") && !it->title) {
				it->title = content(c);
			} else if (is(c, "link")) {
				xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
				xmlChar *href = xmlGetProp(c, (const xmlChar *)"href");
				if (href && (!rel || !strcmp((const char *)rel, "alternate")) && !it->link)
					it->link = sr_strdup((const char *)href);
				xmlFree(rel);
				xmlFree(href);
			} else if (is(c, "id") && !guid) {
				guid = content(c);
			} else if (is(c, "published")) {
				set_text(&date, &date_rank, 3, content(c));
			} else if (is(c, "updated")) {
				set_text(&date, &date_rank, 1, content(c));
			} else if (is(c, "content")) {
				xmlChar *type = xmlGetProp(c, (const xmlChar *)"type");
				bool xhtml = type && strstr((const char *)type, "xhtml");
				xmlFree(type);
				set_text(&body, &body_rank, 3, xhtml ? inner_xml(c) : content(c));
			} else if (is(c, "summary")) {
				set_text(&body, &body_rank, 2, content(c));
			}
		}
	} else {
		xmlChar *about = xmlGetProp(item, (const xmlChar *)"about");
		if (about)
			guid = sr_strdup((const char *)about);
		xmlFree(about);
		for (xmlNode *c = item->children; c; c = c->next) {
			if (c->type != XML_ELEMENT_NODE)
				continue;
			if (is(c, "title") && !it->title)
				it->title = content(c);
			else if (is(c, "link") && !it->link && (!c->ns || ns_is(c, "purl.org/rss")))
				it->link = content(c);
			else if (is(c, "guid") && !guid)
				guid = content(c);
			else if (is(c, "pubDate"))
				set_text(&date, &date_rank, 3, content(c));
			else if (is(c, "date") && ns_is(c, "purl.org/dc"))
				set_text(&date, &date_rank, 2, content(c));
			else if (is(c, "encoded") && ns_is(c, "content"))
				set_text(&body, &body_rank, 3, content(c));
			else if (is(c, "description"))
				set_text(&body, &body_rank, 2, content(c));
		}
	}
	if (it->link) {
		char *t = it->link;
		it->link = html_to_text(t);   /* trims white space */
		free(t);
		if (!*it->link) {
			free(it->link);
			it->link = NULL;
		}
	}
	if (it->title) {
		char *t = it->title;
		it->title = html_to_text(t);
		free(t);
	}
	if (it->link)
		it->id = sr_strdup(it->link);
	else if (guid && *guid)
		it->id = sr_strdup(guid);
	else {
		sr_buf b = {0};
		sr_buf_printf(&b, "%s#%zu", name, index + 1);
		it->id = b.ptr;
	}
	if (date && !sr_date_parse(date, strlen(date), it->published))
		it->published_raw = sr_strdup(date);
	if (body)
		it->text = html_to_text(body);
	free(guid);
	free(date);
	free(body);
}

static xmlNode *
feed_root(xmlDoc *doc, bool *atom, bool *rdf)
{
	xmlNode *root = xmlDocGetRootElement(doc);
	*atom = *rdf = false;
	if (!root)
		return NULL;
	if (is(root, "feed")) {
		*atom = true;
		return root;
	}
	if (is(root, "RDF")) {
		*rdf = true;
		return root;
	}
	if (is(root, "rss")) {
		for (xmlNode *c = root->children; c; c = c->next)
			if (is(c, "channel"))
				return c;
	}
	return NULL;
}

bool
sr_looks_feed(const char *buf, size_t len)
{
	size_t lim = len < 4096 ? len : 4096;
	/* the first element that is not a declaration, comment or
	 * processing instruction */
	for (size_t i = 0; i + 1 < lim; i++) {
		if (buf[i] != '<')
			continue;
		char c = buf[i + 1];
		if (c == '?' || c == '!')
			continue;
		const char *p = buf + i + 1;
		size_t left = lim - i - 1;
		return (left >= 3 && !memcmp(p, "rss", 3)) || (left >= 7 && !memcmp(p, "rdf:RDF", 7)) ||
		       (left >= 4 && !memcmp(p, "feed", 4) && left > 4 &&
			(p[4] == ' ' || p[4] == '>' || p[4] == '\n' || p[4] == '\r' || p[4] == '\t'));
	}
	return false;
}

int
sr_feed_parse(const char *buf, size_t len, const char *name, sr_feed_item **items, size_t *n,
	      char **feed_title, char *err, size_t errlen)
{
	*items = NULL;
	*n = 0;
	if (feed_title)
		*feed_title = NULL;
	if (len > INT32_MAX) {
		snprintf(err, errlen, "%s: feed too large", name);
		return SR_ERR_LIMIT;
	}
	if (!sr_xml_api()) {
		snprintf(err, errlen, "%s: %s", name, sr_dyn_error());
		return SR_ERR_FORMAT;
	}
	xmlDoc *doc = xmlReadMemory(buf, (int)len, NULL, NULL,
				    XML_PARSE_RECOVER | XML_PARSE_NONET | XML_PARSE_NOERROR |
					    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	bool atom, rdf;
	xmlNode *root = doc ? feed_root(doc, &atom, &rdf) : NULL;
	if (!root) {
		snprintf(err, errlen, "%s: not an RSS or Atom feed (no <rss><channel>, <rdf:RDF> or "
				      "<feed> root), skipped", name);
		xmlFreeDoc(doc);
		return SR_ERR_FORMAT;
	}
	size_t cap = 0;
	sr_feed_item *out = NULL;
	/* the channel's title names the outlet */
	xmlNode *chan = root;
	if (rdf)
		for (xmlNode *c = root->children; c; c = c->next)
			if (is(c, "channel"))
				chan = c;
	for (xmlNode *c = chan->children; c && feed_title; c = c->next)
		if (is(c, "title") && !*feed_title) {
			char *t = content(c);
			*feed_title = html_to_text(t);
			free(t);
		}
	for (xmlNode *c = root->children; c; c = c->next) {
		if (!(atom ? is(c, "entry") : is(c, "item")))
			continue;
		SR_GROW(out, cap, *n + 1);
		read_item(c, atom, &out[*n], *n, name);
		(*n)++;
	}
	xmlFreeDoc(doc);
	*items = out;
	return SR_OK;
}

void
sr_feed_free(sr_feed_item *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].id);
		free(items[i].link);
		free(items[i].title);
		free(items[i].published_raw);
		free(items[i].text);
	}
	free(items);
}
