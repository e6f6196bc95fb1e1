/*
 * event_out.c -- the event record of DESIGN.md as one JSON line, and the
 * one-line-per-event TSV view for people who grep.
 */
#include "ev.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static void
str_or_null(sr_buf *b, const char *s)
{
	if (s)
		sr_buf_json_str(b, s, strlen(s));
	else
		sr_buf_adds(b, "null");
}

static void
ref_json(sr_buf *b, const sr_ref *r, bool place)
{
	if (!r->set) {
		sr_buf_adds(b, "null");
		return;
	}
	sr_buf_adds(b, "{\"id\":");
	str_or_null(b, r->id);
	sr_buf_adds(b, ",\"name\":");
	str_or_null(b, r->name);
	sr_buf_adds(b, ",\"text\":");
	str_or_null(b, r->text);
	sr_buf_adds(b, ",\"kind\":");
	str_or_null(b, r->kind);
	sr_buf_adds(b, ",\"country\":");
	str_or_null(b, r->country);
	if (place) {
		if (r->has_coord)
			sr_buf_printf(b, ",\"lat\":%.4f,\"lon\":%.4f", r->lat, r->lon);
		else
			sr_buf_adds(b, ",\"lat\":null,\"lon\":null");
		sr_buf_adds(b, ",\"precision\":");
		str_or_null(b, r->precision);
	}
	sr_buf_addc(b, '}');
}

/* Appends v in decimal, as printf's %lld would. */
static void
int_json(sr_buf *b, long long v)
{
	char tmp[24];
	char *p = tmp + sizeof tmp;
	unsigned long long u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	sr_buf_add(b, p, (size_t)(tmp + sizeof tmp - p));
}

static void
bool_json(sr_buf *b, bool v)
{
	sr_buf_adds(b, v ? "true" : "false");
}

static void
number_json(sr_buf *b, double v)
{
	if (!isfinite(v)) {
		sr_buf_adds(b, "null");
		return;
	}
	if (v < 1e15 && v > -1e15 && v == (double)(long long)v)
		int_json(b, (long long)v);
	else
		sr_buf_printf(b, "%.6g", v);
}

void sr_event_to_json(sr_buf *b, const sr_doc *doc, const sr_event *ev, size_t index);

/* Appends the record to b (no newline). */
void
sr_event_to_json(sr_buf *b, const sr_doc *doc, const sr_event *ev, size_t index)
{
	sr_buf_adds(b, "{\"doc\":");
	str_or_null(b, doc->id);
	sr_buf_adds(b, ",\"id\":");
	char id[1100];
	snprintf(id, sizeof id, "%s#%zu", doc->id, index);
	str_or_null(b, id);
	sr_buf_adds(b, ",\"type\":");
	str_or_null(b, ev->type);
	sr_buf_adds(b, ",\"actor\":");
	ref_json(b, &ev->actor, false);
	sr_buf_adds(b, ",\"place\":");
	ref_json(b, &ev->place, true);
	sr_buf_adds(b, ",\"other\":");
	ref_json(b, &ev->other, false);
	sr_buf_adds(b, ",\"date\":");
	if (ev->date[0]) {
		sr_buf_adds(b, "{\"value\":");
		str_or_null(b, ev->date);
		sr_buf_adds(b, ",\"precision\":");
		str_or_null(b, ev->date_precision);
		sr_buf_adds(b, ",\"approx\":");
		bool_json(b, ev->date_approx);
		sr_buf_adds(b, ",\"text\":");
		str_or_null(b, ev->date_text);
		sr_buf_addc(b, '}');
	} else {
		sr_buf_adds(b, "null");
	}
	sr_buf_adds(b, ",\"quantities\":[");
	for (int i = 0; i < ev->nquantities; i++) {
		const sr_quantity *q = &ev->quantities[i];
		sr_buf_adds(b, i ? ",{\"value\":" : "{\"value\":");
		number_json(b, q->value);
		sr_buf_adds(b, ",\"unit\":");
		str_or_null(b, q->unit);
		sr_buf_adds(b, ",\"approx\":");
		bool_json(b, q->approx);
		sr_buf_adds(b, ",\"text\":");
		str_or_null(b, q->text);
		sr_buf_addc(b, '}');
	}
	sr_buf_adds(b, "],\"modality\":");
	str_or_null(b, ev->modality);
	sr_buf_adds(b, ",\"sources\":[");
	for (int i = 0; i < ev->nsources; i++) {
		const sr_source *s = &ev->sources[i];
		sr_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		str_or_null(b, s->name);
		sr_buf_adds(b, ",\"kind\":");
		str_or_null(b, s->kind);
		sr_buf_adds(b, ",\"text\":");
		str_or_null(b, s->text);
		sr_buf_addc(b, '}');
	}
	sr_buf_adds(b, "],\"codes\":{\"cameo\":");
	str_or_null(b, ev->cameo);
	sr_buf_adds(b, ",\"plover\":");
	str_or_null(b, ev->plover);
	sr_buf_adds(b, ",\"acled\":");
	str_or_null(b, ev->acled);
	sr_buf_adds(b, "},\"sentence\":");
	int_json(b, ev->sentence);
	sr_buf_adds(b, ",\"span\":[");
	int_json(b, ev->start);
	sr_buf_addc(b, ',');
	int_json(b, ev->end);
	sr_buf_adds(b, "],\"evidence\":");
	sr_buf_json_str(b, doc->text + ev->start, ev->end - ev->start);
	sr_buf_adds(b, ",\"trigger\":{\"text\":");
	sr_buf_json_str(b, doc->text + ev->tstart, ev->tend - ev->tstart);
	sr_buf_printf(b, ",\"span\":[%u,%u]}", ev->tstart, ev->tend);
	sr_buf_adds(b, ",\"also\":[");
	for (int i = 0; i < ev->nalso; i++) {
		const sr_sentence *s = &doc->sents[ev->also[i]];
		sr_buf_adds(b, i ? ",[" : "[");
		int_json(b, s->start);
		sr_buf_addc(b, ',');
		int_json(b, s->end);
		sr_buf_addc(b, ']');
	}
	sr_buf_adds(b, "]}");
}

void
sr_event_write_json(FILE *f, const sr_doc *doc, const sr_event *ev, size_t index)
{
	/* one allocation that holds most records, not a doubling from 64 */
	sr_buf b = {.ptr = sr_malloc(4096), .cap = 4096};
	b.ptr[0] = 0;
	sr_event_to_json(&b, doc, ev, index);
	fwrite(b.ptr, 1, b.len, f);
	sr_buf_free(&b);
}

static void
tsv_field(FILE *f, const char *s)
{
	if (!s) {
		fputs("-", f);
		return;
	}
	for (; *s; s++)
		fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

void
sr_event_write_tsv(FILE *f, const sr_doc *doc, const sr_event *ev, size_t index)
{
	fprintf(f, "%s#%zu\t%s\t", doc->id, index, ev->type);
	tsv_field(f, ev->date[0] ? ev->date : NULL);
	fputc('\t', f);
	tsv_field(f, ev->actor.set ? ev->actor.name : NULL);
	fputc('\t', f);
	tsv_field(f, ev->place.set ? ev->place.name : NULL);
	fputc('\t', f);
	tsv_field(f, ev->other.set ? ev->other.name : NULL);
	fprintf(f, "\t%s\t", ev->modality);
	if (ev->nquantities) {
		for (int i = 0; i < ev->nquantities; i++)
			fprintf(f, "%s%s%g %s", i ? "," : "", ev->quantities[i].approx ? "~" : "",
				ev->quantities[i].value, ev->quantities[i].unit);
	} else {
		fputs("-", f);
	}
	fputc('\t', f);
	tsv_field(f, ev->nsources ? ev->sources[0].name : NULL);
	fputc('\t', f);
	char *ev_text = sr_strndup(doc->text + ev->start, ev->end - ev->start);
	tsv_field(f, ev_text);
	free(ev_text);
	fputc('\n', f);
}
