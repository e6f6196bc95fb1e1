/*
 * times_out.c -- the time expressions of a document as JSON Lines, the
 * output of `sitrep times`.  A document's lines are built in one buffer
 * (its id escaped once) and written at once: fputs/fwrite per field and
 * an allocation per escaped string were a tenth of the command's time.
 */
#include "time_int.h"

#include <stdlib.h>

/* Appends v in decimal. */
static void
add_uint(sr_buf *b, uint32_t v)
{
	char tmp[16];
	int n = 0;
	do {
		tmp[sizeof tmp - 1 - n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sr_buf_add(b, tmp + sizeof tmp - n, (size_t)n);
}

void
sr_write_times(FILE *f, const sr_doc *doc, const sr_timex *t, size_t n, int with_text)
{
	if (!n)
		return;
	sr_buf head = {0}, b = {0};
	sr_buf_adds(&head, "{\"doc\":");
	sr_buf_json_str(&head, doc->id, strlen(doc->id));
	sr_buf_adds(&head, ",\"span\":[");
	for (size_t i = 0; i < n; i++) {
		sr_buf_add(&b, head.ptr, head.len);
		add_uint(&b, t[i].start);
		sr_buf_addc(&b, ',');
		add_uint(&b, t[i].end);
		sr_buf_addc(&b, ']');
		if (with_text) {
			sr_buf_adds(&b, ",\"text\":");
			sr_buf_json_str(&b, doc->text + t[i].start, t[i].end - t[i].start);
		}
		sr_buf_adds(&b, ",\"type\":\"");
		sr_buf_adds(&b, sr_timex_type_name(t[i].type));
		sr_buf_adds(&b, "\",\"value\":");
		sr_buf_json_str(&b, t[i].value, strlen(t[i].value));
		sr_buf_adds(&b, ",\"anchor\":");
		if (t[i].anchor == SR_ANCHOR_PUBLISHED) {
			sr_buf_json_str(&b, doc->published, strlen(doc->published));
		} else if (t[i].anchor == SR_ANCHOR_TEXT && t[i].anchor_timex >= 0 &&
			   (size_t)t[i].anchor_timex < n) {
			const sr_timex *a = &t[t[i].anchor_timex];
			sr_buf_json_str(&b, doc->text + a->start, a->end - a->start);
		} else {
			sr_buf_adds(&b, "null");
		}
		sr_buf_adds(&b, ",\"sentence\":");
		add_uint(&b, t[i].sentence);
		if (t[i].mod[0]) {
			sr_buf_adds(&b, ",\"mod\":\"");
			sr_buf_adds(&b, t[i].mod);
			sr_buf_addc(&b, '"');
		}
		sr_buf_adds(&b, "}\n");
	}
	fwrite(b.ptr, 1, b.len, f);
	sr_buf_free(&head);
	sr_buf_free(&b);
}
