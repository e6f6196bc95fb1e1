/*
 * html_int.h -- the page tree shared by html.c (which builds it from
 * libxml2's SAX events and reads the metadata) and html_body.c (which
 * finds the article in it).  The tree is a flat array of nodes in
 * document order (a parent always comes before its children), linked by
 * index; text lives in one buffer.  Only what extraction needs is kept:
 * scripts, styles, forms' controls and the like never enter it.
 */
#ifndef SR_HTML_INT_H
#define SR_HTML_INT_H

#include "input_int.h"

enum html_tag {
	T_ROOT = 0, T_TEXT, T_INLINE, T_A, T_BR,
	/* blocks from here */
	T_BLOCK, T_P, T_DIV, T_H1, T_HN, T_LI, T_LIST, T_QUOTE, T_PRE, T_TABLE,
	T_ROW, T_CELL, T_ARTICLE, T_MAIN, T_SECTION, T_NAV, T_ASIDE, T_FOOTER,
	T_HEADER, T_FIGURE, T_FIGCAPTION, T_FORM, T_BODY, T_DL, T_DT, T_DD,
	T_ADDRESS, T_CAPTION
};

#define TAG_IS_BLOCK(t) ((t) >= T_BLOCK)

/* Node flags. */
#define NF_JUNK    0x01u  /* class, id, tag or role says boilerplate */
#define NF_BODYW   0x02u  /* class or id says article body */
#define NF_HIDDEN  0x04u  /* hidden, aria-hidden, display:none */
#define NF_ITEMBODY 0x08u /* itemprop="articleBody" */
#define NF_TAGJUNK 0x20u  /* the element is boilerplate by its tag (nav...) */
#define NF_STRONG  0x40u  /* by a class or id word no body word overrides */

typedef struct hnode {
	uint32_t parent, first, last, next;   /* 0 = none (0 is the root) */
	uint32_t text, ntext;                 /* T_TEXT: bytes in the text buffer */
	uint8_t tag;                          /* enum html_tag */
	uint8_t flags;                        /* NF_* */
	uint16_t depth;
	/* blocks: visible characters of the text directly in the block (in
	 * inline children too, not in nested blocks), and of those inside
	 * links; counted while the tree is built */
	uint32_t own, ownlink;
	uint32_t commas;                      /* commas in that text */
	/* set by html_body.c */
	double score;                         /* the sum of paragraph weights */
} hnode;

typedef struct htree {
	hnode *n;
	size_t nn, capn;
	sr_buf text;
} htree;

/* Finds the article in the tree and writes its text into *out (paragraphs
 * separated by blank lines); whole: the text of the whole tree instead
 * (a feed item's HTML), boilerplate lines left out. */
void sr_html_body(htree *t, sr_buf *out, bool whole);

/* Is the text of a paragraph (already whitespace-collapsed) a boilerplate
 * line ("Advertisement", "Read more")? */
bool sr_html_junk_line(const char *s, size_t n);

#endif
