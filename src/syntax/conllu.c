/*
 * conllu.c -- CoNLL-U in and out: the reader the training tool and
 * `sitrep parse --conllu` share, the writer of `sitrep parse`, and the
 * re-annotation of a CoNLL-U file with gold words (for scoring).
 */
#include "syntax_int.h"

#include <stdio.h>
#include <stdlib.h>

static void
clear(sy_conllu_sent *s)
{
	for (size_t i = 0; i < s->nlines; i++)
		free(s->lines[i]);
	s->nlines = 0;
	s->n = 0;
	s->err[0] = 0;
}

void
sy_conllu_free(sy_conllu_sent *s)
{
	clear(s);
	free(s->lines);
	free(s->w);
	free(s->wline);
	sr_buf_free(&s->buf);
	memset(s, 0, sizeof *s);
}

static bool
is_word_id(const char *id)
{
	if (!*id)
		return false;
	for (const char *p = id; *p; p++)
		if (*p < '0' || *p > '9')
			return false;
	return true;
}

int
sy_conllu_next(FILE *in, sy_conllu_sent *s, long *line)
{
	clear(s);
	char *l = NULL;
	size_t cap = 0;
	ssize_t len;
	while ((len = getline(&l, &cap, in)) >= 0) {
		(*line)++;
		while (len > 0 && (l[len - 1] == '\n' || l[len - 1] == '\r'))
			l[--len] = 0;
		if (len == 0) {
			if (s->nlines)
				break;
			continue;
		}
		if (!s->nlines)
			s->first_line = *line;
		SR_GROW(s->lines, s->caplines, s->nlines + 1);
		char *copy = sr_strndup(l, (size_t)len);
		s->lines[s->nlines++] = copy;
		if (copy[0] == '#')
			continue;
		char *col[10];
		size_t nc = 0;
		for (char *p = copy;; ) {
			if (nc < 10)
				col[nc] = p;
			nc++;
			char *tab = strchr(p, '\t');
			if (!tab)
				break;
			*tab = 0;
			p = tab + 1;
		}
		if (nc != 10) {
			if (!s->err[0])
				snprintf(s->err, sizeof s->err, "%ld: expected 10 tab-separated columns, got %zu", *line, nc);
			continue;
		}
		if (!is_word_id(col[0]))
			continue;   /* a multiword range "3-4" or an empty node "8.1" */
		if (strtol(col[0], NULL, 10) != (long)s->n + 1 && !s->err[0])
			snprintf(s->err, sizeof s->err, "%ld: word id %s out of sequence", *line, col[0]);
		if (s->n >= 0xffff) {
			if (!s->err[0])
				snprintf(s->err, sizeof s->err, "%ld: sentence longer than 65535 words", *line);
			continue;
		}
		size_t wc = s->cap;
		SR_GROW(s->w, s->cap, s->n + 1);
		if (s->cap != wc)
			s->wline = sr_realloc(s->wline, s->cap * sizeof *s->wline);
		memcpy(s->w[s->n].col, col, sizeof col);
		s->wline[s->n++] = (int)(s->nlines - 1);
	}
	free(l);
	return s->nlines > 0;
}

/* Writes s, escaping nothing but turning tabs and line breaks into
 * spaces (a CoNLL-U field holds neither). */
static void
put_field(FILE *f, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		fputc(c == '\t' || c == '\n' || c == '\r' ? ' ' : c, f);
	}
}

void
sr_write_conllu(FILE *f, const sr_doc *doc, size_t sentence,
		const sr_syntax *m, const sr_parse *parse)
{
	if (sentence >= doc->nsent)
		return;
	const sr_sentence *s = &doc->sents[sentence];
	fprintf(f, "# sent_id = %s#%zu\n# text = ", doc->id ? doc->id : "-", sentence);
	put_field(f, doc->text + s->start, s->end - s->start);
	fprintf(f, "\n# span = %u %u\n", s->start, s->end);
	for (size_t i = 0; i < parse->n; i++) {
		const sr_word *w = &parse->w[i];
		fprintf(f, "%zu\t", i + 1);
		put_field(f, w->form, w->flen);
		fputc('\t', f);
		fputs(w->lemma && *w->lemma ? w->lemma : "_", f);
		fprintf(f, "\t%s\t%s\t_\t", sr_upos_name(w->upos), sr_xpos_name(m, w->xpos));
		if (w->deprel)
			fprintf(f, "%d\t%s", w->head + 1, sr_deprel_name(w->deprel));
		else
			fputs("_\t_", f);   /* tags only (sr_tag_sentence) */
		fprintf(f, "\t_\tSpan=%u:%u", w->start, w->end);
		if (i + 1 < parse->n && parse->w[i + 1].start == w->end)
			fputs("|SpaceAfter=No", f);
		fputc('\n', f);
	}
	fputc('\n', f);
}

int
sr_parse_conllu(sr_parser *p, FILE *in, const char *name, FILE *out,
		char *err, size_t errlen)
{
	const sr_syntax *m = sy_parser_model(p);
	sy_conllu_sent s = {0};
	long line = 0;
	int st = SR_OK;
	const char **forms = NULL;
	uint32_t *lens = NULL;
	size_t cap = 0;
	if (errlen)
		err[0] = 0;
	while (sy_conllu_next(in, &s, &line)) {
		if (s.err[0]) {
			if (st == SR_OK)
				snprintf(err, errlen, "%s:%s (sentence skipped)", name, s.err);
			st = SR_ERR_FORMAT;
			continue;
		}
		if (s.n > cap) {
			cap = s.n;
			forms = sr_realloc(forms, cap * sizeof *forms);
			lens = sr_realloc(lens, cap * sizeof *lens);
		}
		for (size_t i = 0; i < s.n; i++) {
			forms[i] = s.w[i].col[1];
			lens[i] = (uint32_t)strlen(s.w[i].col[1]);
		}
		sr_parse parse;
		sr_parse_words(p, forms, lens, s.n, &parse);
		size_t wi = 0;
		for (size_t i = 0; i < s.nlines; i++) {
			if (wi < s.n && s.wline[wi] == (int)i) {
				const sr_word *w = &parse.w[wi];
				char **c = s.w[wi].col;
				fprintf(out, "%s\t%s\t%s\t%s\t%s\t_\t%d\t%s\t_\t%s\n", c[0], c[1],
					w->lemma && *w->lemma ? w->lemma : "_", sr_upos_name(w->upos),
					sr_xpos_name(m, w->xpos), w->head + 1, sr_deprel_name(w->deprel), c[9]);
				wi++;
				continue;
			}
			const char *l = s.lines[i];
			if (l[0] == '#') {
				fprintf(out, "%s\n", l);
				continue;
			}
			/* a range line: its columns were cut at the tabs */
			const char *id = l;
			if (strchr(id, '.'))
				continue;   /* an empty node: no word of the parse */
			fputs(id, out);
			const char *q = id + strlen(id) + 1;
			for (int c = 1; c < 10; c++) {
				fputc('\t', out);
				fputs(q, out);
				q += strlen(q) + 1;
			}
			fputc('\n', out);
		}
		fputc('\n', out);
	}
	sy_conllu_free(&s);
	free(forms);
	free(lens);
	return st;
}
