/*
 * ingest.c -- a document, its sentences and its events into the store.
 *
 * A document is keyed by a hash of its normalized text, so the same report
 * read twice (or from two files) is stored once.  Each document goes in
 * inside the open batch; one that fails has its rows deleted (undo_doc),
 * leaving nothing behind, and the batch goes on.  Entities (actors and places) and
 * sources are shared rows, looked up by key.  The words of a stored
 * document's sentences go to the batch's full-text index (fts.c), written
 * with the batch's commit.
 */
#include "store_int.h"
#include "pg_int.h"

#include <ctype.h>

/* sr_hash64's FNV-1a, 8 bytes a turn (its loop, a byte a turn, was 5% of
 * what storing cost: 14 M instructions for the bench's 2.2 MB). */
static uint64_t
doc_fnv(const char *p, size_t n)
{
	const unsigned char *s = (const unsigned char *)p;
	const uint64_t prime = 1099511628211ULL;
	uint64_t h = 1469598103934665603ULL;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		h = (h ^ s[i]) * prime;
		h = (h ^ s[i + 1]) * prime;
		h = (h ^ s[i + 2]) * prime;
		h = (h ^ s[i + 3]) * prime;
		h = (h ^ s[i + 4]) * prime;
		h = (h ^ s[i + 5]) * prime;
		h = (h ^ s[i + 6]) * prime;
		h = (h ^ s[i + 7]) * prime;
	}
	for (; i < n; i++)
		h = (h ^ s[i]) * prime;
	return h;
}

void
sr_store_doc_key(const sr_doc *doc, char out[17])
{
	const char *s = doc->norm ? doc->norm : doc->text + doc->body;
	size_t n = doc->norm ? doc->nlen : doc->len - doc->body;
	/* two FNV passes (forward over the bytes, then mixed with the length)
	 * spread the key; 64 bits keep collisions out of reach for any
	 * realistic number of reports */
	uint64_t h = doc_fnv(s, n);
	h ^= (uint64_t)n * 0x9E3779B97F4A7C15ull;
	h ^= h >> 29;
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

int
sr_store_has_doc(sr_store *st, const sr_doc *doc)
{
	if (st->pg)
		return pg_has_doc(st, doc);
	char key[17];
	sr_store_doc_key(doc, key);
	sqlite3_stmt *s = st_stmt(st, ST_DOC_HAS);
	if (!s)
		return 0;
	st_bind_str(s, 1, key);
	int has = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return has;
}

/* The key of an entity: its role, then its lexicon id, else its folded
 * name. */
static void
entity_key(const sr_ref *r, int is_place, sr_buf *b)
{
	sr_buf_reset(b);
	sr_buf_adds(b, is_place ? "P|" : "A|");
	if (r->id && *r->id) {
		sr_buf_adds(b, r->id);
		return;
	}
	const char *n = r->name && *r->name ? r->name : r->text ? r->text : "";
	sr_buf_addc(b, '~');
	for (; *n; n++)
		sr_buf_addc(b, (char)tolower((unsigned char)*n));
}

static int
ref_is_place(const sr_ref *r)
{
	return r->precision != NULL || r->has_coord;
}

/* The row id of the entity r (inserted when new), 0 when r is unset;
 * *name: the name of its row, copied into name (the queries show that
 * one), NULL when unset. */
static int
entity_id(sr_store *st, const sr_ref *r, int is_place, sr_buf *key, sqlite3_int64 *id,
	  sr_buf *name_buf, const char **name_out)
{
	*id = 0;
	*name_out = NULL;
	if (!r->set)
		return SR_OK;
	const char *name = r->name && *r->name ? r->name : r->text;
	if (!(r->id && *r->id) && !(name && *name))
		return SR_OK;
	entity_key(r, is_place, key);
	sqlite3_stmt *s = st_stmt(st, ST_ENT_GET);
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, key->ptr);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		const char *stored = (const char *)sqlite3_column_text(s, 1);
		sr_buf_reset(name_buf);
		sr_buf_adds(name_buf, stored ? stored : "");
		*name_out = name_buf->ptr ? name_buf->ptr : "";
		sqlite3_reset(s);
		return SR_OK;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "entity lookup");
	s = st_stmt(st, ST_ENT_INS);
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, key->ptr);
	sqlite3_bind_int(s, 2, is_place);
	st_bind_str(s, 3, r->id && *r->id ? r->id : NULL);
	st_bind_str(s, 4, name && *name ? name : r->id);
	st_bind_str(s, 5, r->kind);
	st_bind_str(s, 6, r->country && *r->country ? r->country : NULL);
	st_bind_str(s, 7, is_place ? r->precision : NULL);
	if (r->has_coord) {
		sqlite3_bind_double(s, 8, r->lat);
		sqlite3_bind_double(s, 9, r->lon);
	}
	if (sqlite3_step(s) != SQLITE_DONE)
		return st_dberr(st, "entity insert");
	*id = sqlite3_last_insert_rowid(st->db);
	if (!st->doc_first_entity)
		st->doc_first_entity = *id;
	sr_buf_reset(name_buf);
	sr_buf_adds(name_buf, name && *name ? name : r->id);
	*name_out = name_buf->ptr ? name_buf->ptr : "";
	return SR_OK;
}

static int
source_id(sr_store *st, const sr_source *src, sqlite3_int64 *id)
{
	*id = 0;
	const char *name = src->name && *src->name ? src->name : src->text;
	if (!name || !*name)
		return SR_OK;
	const char *kind = src->kind ? src->kind : "";
	sqlite3_stmt *s = st_stmt(st, ST_SRC_GET);
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, name);
	st_bind_str(s, 2, kind);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		sqlite3_reset(s);
		return SR_OK;
	}
	sqlite3_reset(s);
	s = st_stmt(st, ST_SRC_INS);
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, name);
	st_bind_str(s, 2, kind);
	if (sqlite3_step(s) != SQLITE_DONE)
		return st_dberr(st, "source insert");
	*id = sqlite3_last_insert_rowid(st->db);
	if (!st->doc_first_source)
		st->doc_first_source = *id;
	return SR_OK;
}

static void
bind_span(sqlite3_stmt *s, int i, const sr_doc *doc, uint32_t start, uint32_t end)
{
	if (start <= end && end <= doc->len)
		sqlite3_bind_text(s, i, doc->text + start, (int)(end - start), SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

/* The row id the next event takes: max(id) + 1, as SQLite gives an
 * INTEGER PRIMARY KEY, read once per batch (its report names it, so it
 * is chosen before the row is written). */
static int
next_event_id(sr_store *st, sqlite3_int64 *id)
{
	if (!st->last_event) {
		sqlite3_stmt *s = st_stmt(st, ST_EV_LAST);
		if (!s)
			return SR_ERR_DB;
		int rc = sqlite3_step(s);
		sqlite3_int64 last = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
		sqlite3_reset(s);
		if (last < 0)
			return st_dberr(st, "event numbering");
		st->last_event = last;
	}
	*id = ++st->last_event;
	return SR_OK;
}

/* Writes the digits of v at p (sr_ll_digits); returns the end. */
static char *
put_digits(char *p, sqlite3_int64 v)
{
	char d[24];
	size_t k = sr_ll_digits(d, v);
	memcpy(p, d + k, sizeof d - k);
	return p + (sizeof d - k);
}

/* Adds the sentence [n, start, end] (none below 0) to the JSON array in
 * b, its text written here at once (sr_buf's calls, one per piece, cost
 * 580 instructions a sentence). */
static void
sent_json(sr_buf *b, sqlite3_int64 n, sqlite3_int64 start, sqlite3_int64 end)
{
	char tmp[3 * 24 + 8], *p = tmp;
	*p++ = b->len ? ',' : '[';
	*p++ = '[';
	p = put_digits(p, n);
	*p++ = ',';
	p = put_digits(p, start);
	*p++ = ',';
	p = put_digits(p, end);
	*p++ = ']';
	sr_buf_add(b, tmp, (size_t)(p - tmp));
}

/* The id of the next document's first sentence: after the last row's,
 * read once per batch (another writer may have added some between two). */
static int
next_sentence_id(sr_store *st, sqlite3_int64 *id)
{
	if (!st->next_sent) {
		sqlite3_stmt *s = st_stmt(st, ST_SENT_NEXT);
		if (!s)
			return SR_ERR_DB;
		int rc = sqlite3_step(s);
		sqlite3_int64 next = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
		sqlite3_reset(s);
		if (next < 1)
			return st_dberr(st, "sentence numbering");
		st->next_sent = next;
	}
	*id = st->next_sent;
	return SR_OK;
}

static int
add_event(sr_store *st, const sr_doc *doc, sqlite3_int64 doc_id, const char *doc_key,
	  const sr_event *ev, int n, sr_buf *key)
{
	sqlite3_int64 actor, place, other, ev_id = 0;
	sr_buf an = {0}, pn = {0}, on = {0};
	const char *aname, *pname, *oname;
	int rc;
	if ((rc = entity_id(st, &ev->actor, 0, key, &actor, &an, &aname)) != SR_OK ||
	    (rc = entity_id(st, &ev->place, 1, key, &place, &pn, &pname)) != SR_OK ||
	    (rc = entity_id(st, &ev->other, ref_is_place(&ev->other), key, &other, &on,
			    &oname)) != SR_OK ||
	    (rc = next_event_id(st, &ev_id)) != SR_OK) {
		sr_buf_free(&an);
		sr_buf_free(&pn);
		sr_buf_free(&on);
		return rc;
	}
	/* its sources first: the event row carries their ids and its
	 * quantities for fusion (fuse_src, fuse_qty: schema 7), which reads
	 * them with the event from one index instead of joining two tables */
	int ns = ev->nsources < 0 ? 0 : ev->nsources > SR_MAX_SOURCES ? SR_MAX_SOURCES : ev->nsources;
	sqlite3_int64 sid[SR_MAX_SOURCES > 0 ? SR_MAX_SOURCES : 1];
	st_esrc srcs[SR_MAX_SOURCES > 0 ? SR_MAX_SOURCES : 1];
	int nd = 0;
	int nq = ev->nquantities < 0 ? 0 : ev->nquantities > SR_MAX_QUANTITIES ? SR_MAX_QUANTITIES
		: ev->nquantities;
	sr_buf fs = {0}, fq = {0};
	for (int i = 0; i < ns && rc == SR_OK; i++) {
		if ((rc = source_id(st, &ev->sources[i], &sid[i])) != SR_OK)
			break;
		int seen = !sid[i];
		for (int j = 0; j < i && !seen; j++)
			seen = sid[j] == sid[i];
		if (seen)
			continue;
		if (fs.len)
			sr_buf_addc(&fs, ',');
		sr_buf_addll(&fs, sid[i]);
		/* as its row names it (source_id) and as INSERT OR IGNORE
		 * keeps the first words of a source named twice */
		const sr_source *src = &ev->sources[i];
		srcs[nd].id = sid[i];
		srcs[nd].name = src->name && *src->name ? src->name : src->text;
		srcs[nd].kind = src->kind ? src->kind : "";
		srcs[nd].text = src->text;
		nd++;
	}
	for (int i = 0; i < nq; i++) {
		const sr_quantity *q = &ev->quantities[i];
		sr_buf_printf(&fq, "%s%.17g %s %d", i ? ";" : "", q->value == q->value ? q->value : 0,
			      q->unit ? q->unit : "other", q->approx ? 1 : 0);
	}
	st_derived dv;
	st_derive_event(&dv, doc, ev, ev_id, aname, pname, srcs, nd);
	sqlite3_stmt *s = rc == SR_OK ? st_stmt(st, ST_EV_INS) : NULL;
	int step = SQLITE_ERROR;
	if (s) {
		st_bind_str(s, 25, fs.ptr);
		st_bind_str(s, 26, fq.ptr);
		sqlite3_bind_int64(s, 1, doc_id);
		sqlite3_bind_int(s, 2, n);
		st_bind_str(s, 3, ev->type);
		if (actor)
			sqlite3_bind_int64(s, 4, actor);
		st_bind_str(s, 5, ev->actor.set ? ev->actor.text : NULL);
		if (place)
			sqlite3_bind_int64(s, 6, place);
		st_bind_str(s, 7, ev->place.set ? ev->place.text : NULL);
		if (other)
			sqlite3_bind_int64(s, 8, other);
		st_bind_str(s, 9, ev->other.set ? ev->other.text : NULL);
		int32_t lo = 0, hi = 0;
		int dated = st_date_range(ev->date, &lo, &hi);
		st_bind_str(s, 10, dated ? ev->date : NULL);
		st_bind_str(s, 11, dated ? ev->date_precision : NULL);
		st_bind_str(s, 12, ev->date_text);
		st_bind_str(s, 13, ev->modality ? ev->modality : "asserted");
		st_bind_str(s, 14, ev->cameo);
		st_bind_str(s, 15, ev->plover);
		st_bind_str(s, 16, ev->acled);
		sqlite3_bind_int64(s, 17, ev->sentence);
		sqlite3_bind_int64(s, 18, ev->start);
		sqlite3_bind_int64(s, 19, ev->end);
		bind_span(s, 20, doc, ev->start, ev->end);
		sqlite3_bind_int(s, 21, ev->date_approx ? 1 : 0);
		char dlo[11], dhi[11];
		if (dated && hi - lo > st->batch_window)
			st->batch_window = (int)(hi - lo);
		if (dated) {
			st_date_str(lo, dlo);
			st_date_str(hi, dhi);
			sqlite3_bind_text(s, 22, dlo, -1, SQLITE_STATIC);
			sqlite3_bind_text(s, 23, dhi, -1, SQLITE_STATIC);
		}
		st_bind_str(s, 24, doc_key);
		sqlite3_bind_int64(s, 27, ev_id);
		sqlite3_bind_text(s, 28, dv.quantities.data ? dv.quantities.data : "",
				  (int)dv.quantities.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 29, dv.sources.data ? dv.sources.data : "",
				  (int)dv.sources.len, SQLITE_STATIC);
		st_bind_str(s, 30, dv.source_names.ptr);
		if (dv.has_killed)
			sqlite3_bind_double(s, 31, dv.killed);
		sqlite3_bind_text(s, 32, dv.report.data ? dv.report.data : "",
				  (int)dv.report.len, SQLITE_STATIC);
		sqlite3_bind_text(s, 33, dv.source_search.ptr ? dv.source_search.ptr : "",
				  (int)dv.source_search.len, SQLITE_STATIC);
		step = sqlite3_step(s);
		sqlite3_reset(s);
	}
	st_derived_free(&dv);
	sr_buf_free(&fs);
	sr_buf_free(&fq);
	sr_buf_free(&an);
	sr_buf_free(&pn);
	sr_buf_free(&on);
	if (rc != SR_OK)
		return rc;
	if (!s)
		return SR_ERR_DB;
	if (step != SQLITE_DONE)
		return st_dberr(st, "event insert");
	st->batch_events++;

	for (int i = 0; i < nq; i++) {
		const sr_quantity *q = &ev->quantities[i];
		s = st_stmt(st, ST_QTY_INS);
		if (!s)
			return SR_ERR_DB;
		sqlite3_bind_int64(s, 1, ev_id);
		sqlite3_bind_int(s, 2, i);
		sqlite3_bind_double(s, 3, q->value == q->value ? q->value : 0);
		st_bind_str(s, 4, q->unit ? q->unit : "other");
		sqlite3_bind_int(s, 5, q->approx ? 1 : 0);
		st_bind_str(s, 6, q->text);
		if (sqlite3_step(s) != SQLITE_DONE)
			return st_dberr(st, "quantity insert");
	}
	for (int i = 0; i < ns; i++) {
		sqlite3_int64 src = sid[i];
		if (!src)
			continue;
		s = st_stmt(st, ST_EVSRC_INS);
		if (!s)
			return SR_ERR_DB;
		sqlite3_bind_int64(s, 1, ev_id);
		sqlite3_bind_int64(s, 2, src);
		st_bind_str(s, 3, ev->sources[i].text);
		if (sqlite3_step(s) != SQLITE_DONE)
			return st_dberr(st, "event source insert");
	}
	return SR_OK;
}

static int
add_doc(sr_store *st, const sr_doc *doc, const char *key, const sr_event *events, size_t n)
{
	sqlite3_stmt *s = st_stmt(st, ST_DOC_INS);
	if (!s)
		return SR_ERR_DB;
	size_t nev = 0;
	for (size_t i = 0; i < n; i++)
		nev += events[i].type != NULL;
	st_bind_str(s, 1, key);
	st_bind_str(s, 2, doc->id ? doc->id : "-");
	st_bind_str(s, 3, doc->url);
	st_bind_str(s, 4, doc->outlet);
	st_bind_str(s, 5, doc->title);
	st_bind_str(s, 6, sr_valid_date(doc->published) ? doc->published : NULL);
	st_bind_str(s, 7, doc->origin);
	sqlite3_bind_int64(s, 8, doc->line);
	sqlite3_bind_text(s, 9, doc->text ? doc->text : "", doc->text ? (int)doc->len : 0,
			  SQLITE_STATIC);
	sqlite3_bind_int64(s, 10, (sqlite3_int64)nev);
	if (sqlite3_step(s) != SQLITE_DONE)
		return st_dberr(st, "document insert");
	sqlite3_int64 doc_id = sqlite3_last_insert_rowid(st->db);
	st->doc_row = doc_id;
	st->batch_docs++;

	/* the sentences, one row (schema 14): [n, span_start, span_end] of
	 * each; a span outside the text (none is) is left out */
	sr_buf js = {0};
	size_t nk = 0;
	for (size_t i = 0; i < doc->nsent; i++) {
		const sr_sentence *se = &doc->sents[i];
		if (se->start > se->end || se->end > doc->len)
			continue;
		sent_json(&js, (sqlite3_int64)i, se->start, se->end);
		nk++;
	}
	if (nk) {
		sr_buf_addc(&js, ']');
		sqlite3_int64 first = 0;
		int rc = next_sentence_id(st, &first);
		s = rc == SR_OK ? st_stmt(st, ST_SENT_INS) : NULL;
		if (s) {
			sqlite3_bind_int64(s, 1, first);
			sqlite3_bind_int64(s, 2, doc_id);
			sqlite3_bind_text(s, 3, js.ptr, (int)js.len, SQLITE_STATIC);
			rc = sqlite3_step(s) == SQLITE_DONE ? SR_OK : st_dberr(st, "sentence insert");
			sqlite3_reset(s);
		} else {
			rc = SR_ERR_DB;
		}
		sr_buf_free(&js);
		if (rc != SR_OK)
			return rc;
		st->doc_first_sentence = first;
		st->next_sent = first + (sqlite3_int64)nk;
	}

	sr_buf kb = {0};
	int rc = SR_OK;
	int k = 0;
	for (size_t i = 0; i < n && rc == SR_OK; i++)
		if (events[i].type)
			rc = add_event(st, doc, doc_id, key, &events[i], k++, &kb);
	sr_buf_free(&kb);
	return rc;
}

/* Deletes the rows of the document that failed half-way (st->doc_*:
 * the first of each that it inserted; nothing else writes inside the
 * batch's transaction, so every row from there on is its own): what a
 * savepoint per document did, without the cost of one for every
 * document that does not fail (it was a tenth of ingest's own CPU).
 * SR_OK, or SR_ERR_DB when the rows could not be deleted: then the
 * caller rolls the whole batch back. */
static int
undo_doc(sr_store *st)
{
	static const char *const sql[] = {
		"DELETE FROM quantities WHERE event_id IN (SELECT id FROM events WHERE doc_id = ?1)",
		"DELETE FROM event_sources WHERE event_id IN (SELECT id FROM events WHERE doc_id = ?1)",
		"DELETE FROM events WHERE doc_id = ?1",
		"DELETE FROM sent_rows WHERE first >= ?2",
		"DELETE FROM documents WHERE id = ?1",
		"DELETE FROM entities WHERE id >= ?3",
		"DELETE FROM sources WHERE id >= ?4",
	};
	sqlite3_int64 marks[4] = {st->doc_row, st->doc_first_sentence, st->doc_first_entity,
				  st->doc_first_source};
	for (size_t i = 0; i < SR_ARRAY_LEN(sql); i++) {
		/* (sentences, entities, sources: only when it added some) */
		if ((i == 3 && !marks[1]) || (i == 5 && !marks[2]) || (i == 6 && !marks[3]) ||
		    (i != 3 && i < 5 && !marks[0]))
			continue;
		sqlite3_stmt *s = st_prepare(st, sql[i]);
		if (!s)
			return SR_ERR_DB;
		for (int k = 0; k < 4; k++)
			if (sqlite3_bind_parameter_index(s, k == 0 ? "?1" : k == 1 ? "?2" : k == 2 ? "?3"
							 : "?4"))
				sqlite3_bind_int64(s, k + 1, marks[k]);
		int rc = sqlite3_step(s);
		sqlite3_finalize(s);
		if (rc != SQLITE_DONE)
			return st_dberr(st, "undoing a document");
	}
	return SR_OK;
}

/* The text of doc is stored as document id: when doc comes from another
 * outlet or URL than that document and its copies, it is recorded as a
 * copy (*added = 2). */
static int
add_copy(sr_store *st, const sr_doc *doc, sqlite3_int64 id, int *added)
{
	sqlite3_stmt *s = st_prepare(st,
		"SELECT (SELECT count(*) FROM documents WHERE id = ?1 AND url IS ?2 AND outlet IS ?3)"
		" + (SELECT count(*) FROM doc_copies WHERE doc_id = ?1 AND url IS ?2 AND outlet IS ?3)");
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	st_bind_str(s, 2, doc->url);
	st_bind_str(s, 3, doc->outlet);
	int rc = sqlite3_step(s);
	long seen = rc == SQLITE_ROW ? (long)sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (rc != SQLITE_ROW)
		return st_dberr(st, "document lookup");
	if (seen || (!doc->url && !doc->outlet))
		return SR_OK;
	s = st_prepare(st, "INSERT OR IGNORE INTO doc_copies(doc_id, name, url, outlet, published)"
			   " VALUES(?1, ?2, ?3, ?4, ?5)");
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, id);
	st_bind_str(s, 2, doc->id ? doc->id : "-");
	st_bind_str(s, 3, doc->url);
	st_bind_str(s, 4, doc->outlet);
	st_bind_str(s, 5, doc->published[0] ? doc->published : NULL);
	rc = sqlite3_step(s);
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "copy insert");
	if (added)
		*added = 2;
	/* its events have one more source: fusion must run again (the
	 * batch's commit bumps the event generation) */
	if (++st->pending >= st->batch)
		return st_flush(st);
	return SR_OK;
}

static int add_sqlite(sr_store *st, const sr_doc *doc, const sr_event *events, size_t n,
		      int *added);

int
sr_store_add(sr_store *st, const sr_doc *doc, const sr_event *events, size_t n, int *added)
{
	if (st->pg)
		return pg_add(st, doc, events, n, added);
	double t0 = st_clock(st);
	double f0 = st->cpu_flush;
	int rc = add_sqlite(st, doc, events, n, added);
	/* (a batch's commit inside it is counted apart) */
	st->cpu_add += st_clock(st) - t0 - (st->cpu_flush - f0);
	return rc;
}

static int
add_sqlite(sr_store *st, const sr_doc *doc, const sr_event *events, size_t n, int *added)
{
	if (added)
		*added = 0;
	if (st->flags & (SR_STORE_READONLY | SR_STORE_QUERY))
		return st_fail(st, "%s: opened read-only", st->path);
	if (!st->in_tx) {
		/* the batches' rows go in with foreign keys unchecked, from
		 * the first batch until the connection is flushed from
		 * outside (sr_store_flush: ingest's end, or fusion's start,
		 * which also writes without them), where they are switched
		 * on again: every id this file writes into a row was just
		 * read or inserted in the same transaction, and a failed
		 * document's rows are deleted child first (undo_doc), not
		 * by the cascades.  The checks were a tenth of the
		 * instructions storing cost: 29 M of 330 M for the bench's
		 * 1,157 reports (a lookup of the document per sentence row,
		 * four per event).  Switched once, not per batch: SQLite
		 * prepares every statement again after the pragma */
		if (!st->fk_off) {
			if (st_exec(st, "PRAGMA foreign_keys = OFF") != SR_OK)
				return SR_ERR_DB;
			st->fk_off = 1;
		}
		if (st_begin(st) != SR_OK)
			return SR_ERR_DB;
		st->in_tx = 1;
		st->pending = 0;
	}
	char key[17];
	sr_store_doc_key(doc, key);
	sqlite3_stmt *s = st_stmt(st, ST_DOC_HAS);
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, key);
	int rc = sqlite3_step(s);
	sqlite3_int64 have = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return add_copy(st, doc, have, added);
	if (rc != SQLITE_DONE)
		return st_dberr(st, "document lookup");

	long ndocs = st->batch_docs, nevents = st->batch_events;
	st->doc_row = st->doc_first_sentence = st->doc_first_entity = st->doc_first_source = 0;
	rc = add_doc(st, doc, key, events, n);
	if (rc != SR_OK) {
		st->batch_docs = ndocs;
		st->batch_events = nevents;
		st->last_event = 0;     /* its rows are deleted */
		st->next_sent = 0;
		char keep[sizeof st->err];
		memcpy(keep, st->err, sizeof keep);
		if (undo_doc(st) != SR_OK) {
			/* the batch's transaction as a whole, then: its
			 * documents are not stored either (nothing committed
			 * before it is lost) */
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
			st_fts_drop(st);
			snprintf(st->err, sizeof st->err, "%s: document %s not stored, nor the %zu"
				 " before it in its batch: %s", st->path, doc->id ? doc->id : "-",
				 st->pending, keep);
			st->in_tx = 0;
			st->pending = 0;
			st->batch_docs = st->batch_events = 0;
			st->batch_window = 0;
			return rc;
		}
		snprintf(st->err, sizeof st->err, "%s: document %s not stored: %s", st->path,
			 doc->id ? doc->id : "-", keep);
		return rc;
	}
	/* its sentences' words, as add_doc stored them (the valid spans,
	 * row ids from the first on) */
	sqlite3_int64 sid = st->doc_first_sentence;
	double t0 = st_clock(st);
	for (size_t i = 0; sid && i < doc->nsent; i++) {
		const sr_sentence *se = &doc->sents[i];
		if (se->start <= se->end && se->end <= doc->len)
			st_fts_add(st, sid++, doc->text + se->start, se->end - se->start);
	}
	st->cpu_index += st_clock(st) - t0;
	if (added)
		*added = 1;
	if (++st->pending >= st->batch)
		return st_flush(st);
	return SR_OK;
}

/* Writes the row of sent_rows of document doc (its sentences in b). */
static int
sent_row_put(sr_store *st, sqlite3_stmt *ins, sqlite3_int64 first, sqlite3_int64 doc, sr_buf *b)
{
	sr_buf_addc(b, ']');
	sqlite3_reset(ins);
	sqlite3_bind_int64(ins, 1, first);
	sqlite3_bind_int64(ins, 2, doc);
	sqlite3_bind_text(ins, 3, b->ptr, (int)b->len, SQLITE_STATIC);
	int rc = sqlite3_step(ins) == SQLITE_DONE ? SR_OK : st_dberr(st, "moving the sentences");
	sr_buf_reset(b);
	return rc;
}

int
st_sent_relayout(sr_store *st, int *rebuilt)
{
	*rebuilt = 0;
	/* the ids kept when each report's follow each other and no two
	 * reports' interleave (every store ingest wrote); else numbered
	 * again, report by report, and the index made again from them */
	long mixed = st_scalar(st, "SELECT count(*) FROM (SELECT a, b, c,"
			       " lag(b) OVER (ORDER BY a) AS pb FROM (SELECT min(id) AS a,"
			       " max(id) AS b, count(*) AS c FROM sentences GROUP BY doc_id))"
			       " WHERE b - a + 1 <> c OR pb >= a");
	if (mixed < 0)
		return SR_ERR_DB;
	sqlite3_stmt *s = st_prepare(st, mixed ? "SELECT doc_id, id, n, span_start, span_end"
				     " FROM sentences ORDER BY doc_id, n, id"
				     : "SELECT doc_id, id, n, span_start, span_end FROM sentences"
				     " ORDER BY id");
	sqlite3_stmt *ins = s ? st_prepare(st, "INSERT INTO sent_rows(first, doc_id, sents)"
					   " VALUES(?1, ?2, ?3)") : NULL;
	if (!ins) {
		sqlite3_finalize(s);
		return SR_ERR_DB;
	}
	sr_buf b = {0};
	sqlite3_int64 doc = 0, first = 0, next = 1;
	int rc = SR_OK, step;
	while (rc == SR_OK && (step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 d = sqlite3_column_int64(s, 0);
		sqlite3_int64 id = mixed ? next : sqlite3_column_int64(s, 1);
		if (b.len && d != doc)
			rc = sent_row_put(st, ins, first, doc, &b);
		if (!b.len) {
			doc = d;
			first = id;
		}
		sent_json(&b, sqlite3_column_int64(s, 2), sqlite3_column_int64(s, 3),
			  sqlite3_column_int64(s, 4));
		next = id + 1;
	}
	if (rc == SR_OK && step != SQLITE_DONE)
		rc = st_dberr(st, "reading the sentences");
	if (rc == SR_OK && b.len)
		rc = sent_row_put(st, ins, first, doc, &b);
	sqlite3_finalize(s);
	sqlite3_finalize(ins);
	sr_buf_free(&b);
	if (rc == SR_OK)
		rc = st_exec(st, "DROP TABLE sentences;" SENT_VIEW_SQL);
	if (rc == SR_OK && mixed) {
		rc = st_exec(st, "DELETE FROM fts_post; DELETE FROM fts_lens; DELETE FROM fts_segs;"
			     " UPDATE meta SET value = '0' WHERE key IN ('fts_rows', 'fts_tokens')");
		*rebuilt = 1;
	}
	return rc;
}
