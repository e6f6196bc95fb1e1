/*
 * html_body.c -- finds the article in a page tree (html_int.h) and writes
 * its text.
 *
 * A page is paragraphs among boilerplate.  Every block with text of its
 * own is a paragraph and weighs for the containers around it: a long one
 * with few links counts its length, a link list counts against, a short
 * line a little against.  Boilerplate (nav, aside, footer, figure, and
 * elements whose class or id says navigation, sharing, related links,
 * comments, captions, bylines...) counts nothing.  The article is the
 * container with the greatest sum: it holds the run of real paragraphs
 * and as little else as it can; when several containers tie, the
 * innermost.  Its text is then written block by block, without the
 * boilerplate inside it, link lists, the headline, and lines that are
 * only "Advertisement" or "Read more".  No site has a rule of its own.
 *
 * For whoever tunes this: SITREP_HTML_DEBUG=1 prints each block's weights
 * and the container chosen on stderr, SITREP_HTML_DEBUG=2 (html.c) each
 * element with its class, id and flags.
 */
#include "html_int.h"

#include <stdio.h>
#include <stdlib.h>

/* A paragraph of at least this many visible bytes with few links is
 * article text. */
#define GOOD_PARA 40
/* The most of a paragraph's text that may lie in links. */
#define GOOD_LINKS 0.34
/* A block with more of its text in links is a link list. */
#define LINK_LIST 0.5
/* Weight of a short line that is not a link list (against the sum). */
#define SHORT_WEIGHT 0.25
/* A page whose best container sums less holds no article. */
#define MIN_ARTICLE 60
/* Class or id words do not mark as boilerplate a container that holds
 * more than this share of the page's good text (a wrapper that says
 * "has-sidebar"). */
#define WRAPPER_SHARE 0.6
/* An itemprop="articleBody" weighing at least this share of the best
 * container is taken instead. */
#define ITEMBODY_SHARE 0.3
/* One <article> among several in the best container, weighing at least
 * this share of it, is taken instead. */
#define ARTICLE_SHARE 0.5

static double
para_weight(const hnode *n)
{
	if (!n->own)
		return 0;
	double ld = (double)n->ownlink / n->own;
	if (n->own >= GOOD_PARA)
		return (double)n->own * (1.0 - 2.0 * ld) + (ld < GOOD_LINKS ? 10.0 * n->commas : 0);
	return -SHORT_WEIGHT * n->own - (double)n->ownlink;
}

typedef struct walk {
	const htree *t;
	uint8_t *junk;          /* per node: left out with its subtree */
	uint32_t *blk;          /* per node: its nearest block (itself for blocks) */
	sr_buf *out;
	size_t para_start;      /* where the paragraph being written starts */
	int brk;                /* pending break: 1 line, 2 paragraph */
} walk;

/* Ends the paragraph being written: drops it when it is a boilerplate
 * line, and asks for a blank line before the next text. */
static void
end_para(walk *w, int brk)
{
	sr_buf *o = w->out;
	while (o->len > w->para_start && o->ptr[o->len - 1] == ' ')
		o->len--;
	if (o->len > w->para_start) {
		size_t s = w->para_start;
		while (s < o->len && (o->ptr[s] == '\n' || o->ptr[s] == ' '))
			s++;
		if (sr_html_junk_line(o->ptr + s, o->len - s))
			o->len = w->para_start;
	}
	if (o->ptr)
		o->ptr[o->len] = 0;
	if (brk > w->brk)
		w->brk = brk;
}

static void
add_text(walk *w, const char *s, size_t n)
{
	sr_buf *o = w->out;
	if (w->brk && o->len > 0) {
		while (o->len > 0 && o->ptr[o->len - 1] == ' ')
			o->len--;
		if (w->brk == 2) {
			sr_buf_add(o, "\n\n", 2);
			w->para_start = o->len;
		} else {
			sr_buf_addc(o, '\n');
		}
		while (n && *s == ' ')
			s++, n--;
	} else if (o->len == 0) {
		while (n && *s == ' ')
			s++, n--;
		w->para_start = 0;
	}
	w->brk = 0;
	sr_buf_add(o, s, n);
}

/* Writes the text of the subtree at root. */
static void
write_text(walk *w, uint32_t root)
{
	const htree *t = w->t;
	const hnode *N = t->n;
	uint32_t i = root;
	for (;;) {
		const hnode *n = &N[i];
		bool enter = !w->junk[i];
		if (enter && TAG_IS_BLOCK(n->tag))
			end_para(w, 2);
		if (enter && n->tag == T_TEXT) {
			const hnode *b = &N[w->blk[i]];
			bool linky = b->own && (double)b->ownlink / b->own >= LINK_LIST;
			if (!linky)
				add_text(w, t->text.ptr + n->text, n->ntext);
		} else if (enter && n->tag == T_BR) {
			if (w->out->len > w->para_start && !w->brk)
				w->brk = 1;
		}
		if (enter && n->first) {
			i = n->first;
			continue;
		}
		/* leave i and climb until a next sibling */
		for (;;) {
			if (TAG_IS_BLOCK(N[i].tag) && !w->junk[i])
				end_para(w, 2);
			if (i == root)
				return;
			if (N[i].next) {
				i = N[i].next;
				break;
			}
			i = N[i].parent;
		}
	}
}

void
sr_html_body(htree *t, sr_buf *out, bool whole)
{
	size_t nn = t->nn;
	hnode *N = t->n;
	uint8_t *junk = sr_calloc(nn, 1);
	uint32_t *blk = sr_malloc(nn * sizeof *blk);
	double *good = sr_calloc(nn, sizeof *good);

	/* good text per subtree, boilerplate or not (children come after
	 * their parent: one backward pass sums a subtree) */
	for (size_t i = nn; i-- > 1;) {
		double w = para_weight(&N[i]);
		good[i] += w > 0 ? w : 0;
		good[N[i].parent] += good[i];
	}
	double page_good = good[0];
	/* containers of an itemprop="articleBody" are never boilerplate */
	uint8_t *holds_body = sr_calloc(nn, 1);
	for (size_t i = nn; i-- > 1;) {
		if (N[i].flags & NF_ITEMBODY)
			holds_body[i] = 1;
		if (holds_body[i])
			holds_body[N[i].parent] = 1;
	}

	/* boilerplate and nearest blocks, top down */
	blk[0] = 0;
	for (size_t i = 1; i < nn; i++) {
		hnode *n = &N[i];
		uint32_t p = n->parent;
		blk[i] = TAG_IS_BLOCK(n->tag) ? (uint32_t)i : blk[p];
		bool j = junk[p] || (n->flags & NF_HIDDEN) || n->tag == T_H1;
		/* boilerplate by class or id words, unless words of an
		 * article body are there too ("post tag-review") */
		bool by_class = ((n->flags & NF_JUNK) && !(n->flags & (NF_BODYW | NF_ITEMBODY))) ||
				((n->flags & NF_STRONG) && !(n->flags & NF_ITEMBODY));
		bool by_tag = (n->flags & NF_TAGJUNK) && !(n->flags & NF_ITEMBODY);
		if (!j && (by_class || by_tag) && !holds_body[i]) {
			/* figures and captions always; the others not on a
			 * wrapper of most of the page (an unclosed <nav>) */
			bool hard = n->tag == T_FIGURE || n->tag == T_FIGCAPTION ||
				    n->tag == T_ADDRESS || n->tag == T_CAPTION;
			j = hard || good[i] < WRAPPER_SHARE * page_good;
		}
		junk[i] = j;
	}

	/* the sum of paragraph weights per container, boilerplate left out */
	for (size_t i = 0; i < nn; i++)
		N[i].score = junk[i] ? 0 : para_weight(&N[i]);
	for (size_t i = nn; i-- > 1;)
		if (!junk[i])
			N[N[i].parent].score += N[i].score;

	uint32_t best = 0;
	double bs = -1e300;
	int bdepth = -1;
	for (size_t i = 0; i < nn; i++) {
		if (junk[i] || !(TAG_IS_BLOCK(N[i].tag) || i == 0))
			continue;
		double s = N[i].score;
		if (s > bs || (s == bs && N[i].depth > bdepth)) {
			bs = s;
			best = (uint32_t)i;
			bdepth = N[i].depth;
		}
	}
	/* the page's own word: an itemprop="articleBody" holding a fair
	 * share of the best container's weight is the article */
	uint32_t ib = 0;
	for (size_t i = 1; i < nn; i++)
		if ((N[i].flags & NF_ITEMBODY) && !junk[i] && (!ib || N[i].score > N[ib].score))
			ib = (uint32_t)i;
	if (ib && ib != best && N[ib].score >= ITEMBODY_SHARE * bs && N[ib].score >= MIN_ARTICLE) {
		best = ib;
		bs = N[ib].score;
	}
	/* and an <article> holding most of it, when the best container
	 * holds several (the story among teasers of others) */
	uint32_t art = 0;
	size_t narticles = 0;
	uint8_t *nested = sr_calloc(nn, 1);   /* holds another <article> */
	for (size_t i = nn; i-- > 1;)
		if (N[i].tag == T_ARTICLE || nested[i])
			nested[N[i].parent] = 1;
	for (size_t i = best + 1; i < nn && N[i].depth > N[best].depth; i++)
		if (N[i].tag == T_ARTICLE && !junk[i] && !nested[i]) {
			narticles++;
			if (!art || N[i].score > N[art].score)
				art = (uint32_t)i;
		}
	free(nested);
	if (art && narticles > 1 && N[art].score >= ARTICLE_SHARE * bs) {
		best = art;
		bs = N[art].score;
	}
	if (getenv("SITREP_HTML_DEBUG")) {
		for (size_t i = 0; i < nn; i++)
			if (TAG_IS_BLOCK(N[i].tag) && (N[i].own || N[i].score > 50 || junk[i] != junk[N[i].parent]))
				fprintf(stderr, "%*s#%zu tag %d flags %x junk %d own %u link %u score %.0f%s\n",
					N[i].depth, "", i, N[i].tag, N[i].flags, junk[i], N[i].own, N[i].ownlink,
					N[i].score, i == best ? "  <== BEST" : "");
	}
	if (whole) {
		memset(junk, 0, nn);
		best = 0;
		bs = MIN_ARTICLE;
	}
	sr_buf_reset(out);
	if (bs >= MIN_ARTICLE) {
		walk w = {t, junk, blk, out, 0, 0};
		write_text(&w, best);
		end_para(&w, 0);
		while (out->len > 0 && (out->ptr[out->len - 1] == '\n' || out->ptr[out->len - 1] == ' '))
			out->len--;
		if (out->ptr)
			out->ptr[out->len] = 0;
	}
	free(junk);
	free(holds_body);
	free(blk);
	free(good);
}
