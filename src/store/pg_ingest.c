/*
 * pg_ingest.c -- documents, sentences and events into PostgreSQL.
 *
 * sr_store_add builds each document's rows in memory, as COPY text (the
 * rows of a batch are one COPY per table at the flush); the flush writes
 * them in one transaction:
 *
 *   documents   through a temporary table, INSERT ... ON CONFLICT (key)
 *               DO NOTHING: a report another process stored meanwhile is
 *               skipped with all its rows (and kept as a copy when it
 *               came from another outlet or URL), never stored twice
 *   sentences, events, quantities, event_sources   COPY straight into
 *               the tables (their documents are this transaction's own);
 *               each sentence with its tsvector, made here from the text
 *               at hand (until this session they went to
 *               sentences_pending and the first search cut them again
 *               from their reports' text: the same GIN work on the
 *               server, and 0.1 s more of client for 1,157 reports; the
 *               sentences an older sitrep left there are still moved by
 *               the next search, pg_index_pending at the end of this
 *               file)
 *
 * Ids come from the tables' sequences, taken in blocks, so a batch knows
 * its rows' ids before it sends them and the derived columns of the
 * events (the JSON the queries print, made by the output layer as
 * derive.c makes them for SQLite) are written with the rows.  Entities
 * and sources are shared rows: looked up by key, inserted with ON
 * CONFLICT DO NOTHING (then read again) and cached for the process.  A
 * flush that meets a deadlock or a serialization failure with another
 * writer is rolled back and run again from the same rows.
 */
#include "pg_int.h"

#include <ctype.h>
#include <stdlib.h>

#define ID_BLOCK 256            /* ids taken from a sequence at once */
#define SENT_ID_BLOCK 65536     /* sentence ids taken at once (a batch's
				 * sentences in one block: one run) */
#define FLUSH_TRIES 8

/* ------------------------------------------------------- the key caches */

typedef struct pmap {
	const char **key;
	long long *id;
	const char **name;
	size_t mask, used;
	sr_arena a;
} pmap;

static long long *
pmap_get(pmap *m, const char *key, const char **name)
{
	if (!m->key)
		return NULL;
	size_t k = sr_hash64(key, strlen(key)) & m->mask;
	while (m->key[k]) {
		if (!strcmp(m->key[k], key)) {
			if (name)
				*name = m->name[k];
			return &m->id[k];
		}
		k = (k + 1) & m->mask;
	}
	return NULL;
}

static void
pmap_put(pmap *m, const char *key, long long id, const char *name)
{
	if (!m->key || (m->used + 1) * 2 > m->mask + 1) {
		pmap o = *m;
		m->mask = o.key ? o.mask * 2 + 1 : 1023;
		m->key = sr_calloc(m->mask + 1, sizeof *m->key);
		m->id = sr_calloc(m->mask + 1, sizeof *m->id);
		m->name = sr_calloc(m->mask + 1, sizeof *m->name);
		m->used = 0;
		for (size_t i = 0; o.key && i <= o.mask; i++) {
			if (!o.key[i])
				continue;
			size_t k = sr_hash64(o.key[i], strlen(o.key[i])) & m->mask;
			while (m->key[k])
				k = (k + 1) & m->mask;
			m->key[k] = o.key[i];
			m->id[k] = o.id[i];
			m->name[k] = o.name[i];
			m->used++;
		}
		free(o.key);
		free(o.id);
		free(o.name);
	}
	size_t k = sr_hash64(key, strlen(key)) & m->mask;
	while (m->key[k])
		k = (k + 1) & m->mask;
	m->key[k] = sr_arena_strndup(&m->a, key, strlen(key));
	m->id[k] = id;
	m->name[k] = name ? sr_arena_strndup(&m->a, name, strlen(name)) : NULL;
	m->used++;
}

static void
pmap_free(pmap *m)
{
	free(m->key);
	free(m->id);
	free(m->name);
	sr_arena_free(&m->a);
	memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------ the batch */

enum { B_DOCS, B_SENTS, B_EVENTS, B_QTY, B_EVSRC, B_EVNEW, B_N };

/* One document of the batch: where its rows are in each buffer. */
typedef struct pdoc {
	char key[17];
	long long id;
	const char *name, *url, *outlet, *published; /* in the batch's arena */
	size_t off[B_N][2];
	long long nevents;
	long long nsent;        /* its sentences */
	size_t nin;             /* the events sr_store_add was given */
	int dropped;            /* another process stored it first */
} pdoc;

/* A copy of a stored (or batched) report from another outlet or URL. */
typedef struct pcopy {
	char key[17];
	const char *name, *url, *outlet, *published;
} pcopy;

/* A block of ids taken from a sequence: lo..hi, next the next to use. */
typedef struct idpool {
	long long lo, hi, next;
	int block;              /* ids taken at once (0: ID_BLOCK) */
} idpool;

/* A run of the batch's sentences (schema 15, pg.c): ids lo..hi of one
 * block taken from the sequence, and their distinct words, each once in
 * bytes (a 2-byte length, then the word) found through an open-addressed
 * table of offsets + 1. */
typedef struct prun {
	long long block, lo, hi;
	sr_buf bytes;
	uint32_t *slot;
	size_t mask, nwords;
} prun;

struct pg_batch {
	prun *runs;
	size_t nruns, capruns;  /* (runs past nruns keep their memory) */
	sr_buf buf[B_N];
	pdoc *d;
	size_t n, cap;
	pcopy *cp;
	size_t ncp, capcp;
	sr_arena a;             /* the batch's strings */
	pmap ents, srcs;        /* for the process's life */
	idpool docids, evids, sentids;
	int staged;             /* the temporary tables exist */
};

static pg_batch *
batch_of(sr_store *st)
{
	if (!st->pg->batch)
	{
		st->pg->batch = sr_calloc(1, sizeof *st->pg->batch);
		st->pg->batch->sentids.block = SENT_ID_BLOCK;
	}
	return st->pg->batch;
}

/* A word of a sentence into the current run, once. */
static void
run_word(void *ctx, const char *w, size_t n)
{
	prun *r = ctx;
	if (n > 0xFFFF)
		return;
	if (!r->slot || (r->nwords + 1) * 2 > r->mask + 1) {
		size_t mask = r->slot ? r->mask * 2 + 1 : 4095;
		uint32_t *slot = sr_calloc(mask + 1, sizeof *slot);
		for (size_t i = 0; r->slot && i <= r->mask; i++) {
			if (!r->slot[i])
				continue;
			const unsigned char *e = (const unsigned char *)r->bytes.ptr + r->slot[i] - 1;
			size_t k = sr_hash64(e + 2, (size_t)(e[0] << 8 | e[1])) & mask;
			while (slot[k])
				k = (k + 1) & mask;
			slot[k] = r->slot[i];
		}
		free(r->slot);
		r->slot = slot;
		r->mask = mask;
	}
	size_t k = sr_hash64(w, n) & r->mask;
	while (r->slot[k]) {
		const unsigned char *e = (const unsigned char *)r->bytes.ptr + r->slot[k] - 1;
		if ((size_t)(e[0] << 8 | e[1]) == n && !memcmp(e + 2, w, n))
			return;
		k = (k + 1) & r->mask;
	}
	r->slot[k] = (uint32_t)r->bytes.len + 1;
	sr_buf_addc(&r->bytes, (char)(n >> 8));
	sr_buf_addc(&r->bytes, (char)(n & 0xFF));
	sr_buf_add(&r->bytes, w, n);
	r->nwords++;
}

/* The run that sentence id (of the block starting at block) goes in. */
static prun *
run_for(pg_batch *b, long long block, long long id)
{
	prun *r = b->nruns ? &b->runs[b->nruns - 1] : NULL;
	if (!r || r->block != block) {
		if (b->nruns == b->capruns) {
			size_t cap = b->capruns ? b->capruns * 2 : 4;
			b->runs = sr_realloc(b->runs, cap * sizeof *b->runs);
			memset(b->runs + b->capruns, 0, (cap - b->capruns) * sizeof *b->runs);
			b->capruns = cap;
		}
		r = &b->runs[b->nruns++];
		r->block = block;
		r->lo = id;
	}
	r->hi = id;
	return r;
}

/* A word of a run to sort: its first 8 bytes big-endian (zero after
 * its end), its entry in the run's bytes. */
typedef struct rword {
	uint64_t head;
	uint32_t slot;
} rword;

static const char *run_bytes;   /* (for cmp_word: qsort has no context) */

/* tsvector's order of lexemes: bytes, then the shorter first (the
 * heads give it, words holding no NUL, unless both words are 8 bytes
 * or longer and begin alike) */
static int
cmp_word(const void *a, const void *b)
{
	const rword *p = a, *q = b;
	if (p->head != q->head)
		return p->head < q->head ? -1 : 1;
	const unsigned char *x = (const unsigned char *)run_bytes + p->slot - 1;
	const unsigned char *y = (const unsigned char *)run_bytes + q->slot - 1;
	size_t nx = (size_t)(x[0] << 8 | x[1]), ny = (size_t)(y[0] << 8 | y[1]);
	int c = memcmp(x + 2, y + 2, nx < ny ? nx : ny);
	return c ? c : (nx > ny) - (nx < ny);
}

static void
put32b(sr_buf *o, uint32_t v)
{
	char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	sr_buf_add(o, c, 4);
}

/* The batch's runs as COPY's binary rows of sentence_runs(lo, hi,
 * words): the words sorted, each without positions. */
static void
run_rows(pg_batch *b, sr_buf *out)
{
	sr_buf_reset(out);
	for (size_t i = 0; i < b->nruns; i++) {
		prun *r = &b->runs[i];
		rword *w = sr_malloc((r->nwords ? r->nwords : 1) * sizeof *w);
		size_t n = 0;
		for (size_t k = 0; r->slot && k <= r->mask; k++) {
			if (!r->slot[k])
				continue;
			const unsigned char *e = (const unsigned char *)r->bytes.ptr + r->slot[k] - 1;
			size_t len = (size_t)(e[0] << 8 | e[1]);
			uint64_t h = 0;
			for (size_t j = 0; j < 8; j++)
				h = h << 8 | (j < len ? e[2 + j] : 0);
			w[n].head = h;
			w[n++].slot = r->slot[k];
		}
		run_bytes = r->bytes.ptr;
		if (n > 1)
			qsort(w, n, sizeof *w, cmp_word);
		pg_bin_row(out, 3);
		pg_bin_int8(out, r->lo);
		pg_bin_int8(out, r->hi);
		size_t at = out->len;
		put32b(out, 0);
		put32b(out, (uint32_t)n);
		for (size_t k = 0; k < n; k++) {
			const unsigned char *e = (const unsigned char *)r->bytes.ptr + w[k].slot - 1;
			sr_buf_add(out, (const char *)e + 2, (size_t)(e[0] << 8 | e[1]));
			sr_buf_add(out, "\0\0\0", 3);        /* NUL, no positions */
		}
		uint32_t len = (uint32_t)(out->len - at - 4);
		unsigned char *p = (unsigned char *)out->ptr + at;
		p[0] = (unsigned char)(len >> 24);
		p[1] = (unsigned char)(len >> 16);
		p[2] = (unsigned char)(len >> 8);
		p[3] = (unsigned char)len;
		free(w);
	}
}

static void
batch_reset(pg_batch *b)
{
	for (size_t i = 0; i < b->nruns; i++) {
		prun *r = &b->runs[i];
		sr_buf_reset(&r->bytes);
		if (r->slot)
			memset(r->slot, 0, (r->mask + 1) * sizeof *r->slot);
		r->nwords = 0;
	}
	b->nruns = 0;
	for (int i = 0; i < B_N; i++)
		sr_buf_reset(&b->buf[i]);
	b->n = 0;
	b->ncp = 0;
	sr_arena_reset(&b->a);
}

/* The ids of p not used, back to seq when no other handle took ids
 * since (the sequence's last value is still the pool's last). */
static void
return_ids(sr_store *st, const idpool *p, const char *seq)
{
	if (!p->hi || p->next > p->hi || PQstatus(st->pg->conn) != CONNECTION_OK)
		return;
	char sql[320];
	snprintf(sql, sizeof sql, "WITH l AS (SELECT pg_advisory_xact_lock(%ld))"
		 " SELECT setval('%s', %lld, false) FROM l WHERE (SELECT last_value FROM %s) = %lld",
		 PG_LOCK_IDS, seq, p->next, seq, p->hi);
	PQclear(PQexec(st->pg->conn, sql));
}

void
pg_batch_free(sr_store *st)
{
	pg_batch *b = st->pg ? st->pg->batch : NULL;
	if (!b)
		return;
	return_ids(st, &b->docids, "documents_id_seq");
	return_ids(st, &b->evids, "events_id_seq");
	return_ids(st, &b->sentids, "sentences_id_seq");
	for (size_t i = 0; i < b->capruns; i++) {
		sr_buf_free(&b->runs[i].bytes);
		free(b->runs[i].slot);
	}
	free(b->runs);
	for (int i = 0; i < B_N; i++)
		sr_buf_free(&b->buf[i]);
	free(b->d);
	free(b->cp);
	sr_arena_free(&b->a);
	pmap_free(&b->ents);
	pmap_free(&b->srcs);
	free(b);
	st->pg->batch = NULL;
}

/* The next id of a sequence, taken a block at a time (ID_BLOCK, or the
 * pool's block) under an advisory lock, in one step (the sequence moved
 * past the block with setval: every taker holds the lock), so that the
 * ids left over when the handle closes go back to the sequence
 * (return_ids) when nobody took any after them: one ingest after
 * another numbers its rows on from the last, as SQLite does. */
static int
next_id(sr_store *st, idpool *p, const char *seq, long long *id)
{
	if (!p->hi || p->next > p->hi) {
		int k = p->block > 0 ? p->block : ID_BLOCK;
		char sql[260];
		snprintf(sql, sizeof sql, "WITH l AS (SELECT pg_advisory_xact_lock(%ld))"
			 " SELECT setval('%s', nextval('%s') + %d) FROM l", PG_LOCK_IDS, seq, seq,
			 k - 1);
		long long last = -1;
		PGresult *r = pg_exec(st, sql, 0, NULL);
		if (!r)
			return SR_ERR_DB;
		if (PQntuples(r) == 1)
			last = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		if (last < k)
			return pg_fail(st, "taking ids", NULL);
		p->lo = last - k + 1;
		p->hi = last;
		p->next = p->lo;
	}
	*id = p->next++;
	return SR_OK;
}

static const char *
strdup_a(pg_batch *b, const char *s)
{
	return s ? sr_arena_strndup(&b->a, s, strlen(s)) : NULL;
}

/* --------------------------------------------------- entities, sources */

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

/* Looks key up, else inserts it (ON CONFLICT DO NOTHING) and looks again:
 * *id and *name (the stored name, which the first writer chose). */
static int
shared_row(sr_store *st, pmap *cache, const char *key, int get, const char *get_sql, int ngp,
	   const char *const *gp, int ins, const char *ins_sql, int nip, const char *const *ip,
	   long long *id, const char **name)
{
	long long *hit = pmap_get(cache, key, name);
	if (hit) {
		*id = *hit;
		return SR_OK;
	}
	for (int pass = 0; pass < 3; pass++) {
		PGresult *r = pg_exec_named(st, pass == 1 ? ins : get, pass == 1 ? ins_sql : get_sql,
					    pass == 1 ? nip : ngp, pass == 1 ? ip : gp);
		if (!r)
			return SR_ERR_DB;
		if (PQntuples(r) > 0) {
			*id = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			pmap_put(cache, key, *id, PQnfields(r) > 1 ? PQgetvalue(r, 0, 1) : NULL);
			PQclear(r);
			pmap_get(cache, key, name);
			return SR_OK;
		}
		PQclear(r);
	}
	return st_fail(st, "%s: %s could not be stored", st->path, key);
}

static int
entity_id(sr_store *st, const sr_ref *r, int is_place, sr_buf *key, long long *id,
	  const char **stored_name)
{
	*id = 0;
	*stored_name = NULL;
	if (!r->set)
		return SR_OK;
	const char *name = r->name && *r->name ? r->name : r->text;
	if (!(r->id && *r->id) && !(name && *name))
		return SR_OK;
	entity_key(r, is_place, key);
	char lat[40], lon[40];
	snprintf(lat, sizeof lat, "%.17g", r->lat);
	snprintf(lon, sizeof lon, "%.17g", r->lon);
	const char *gp[1] = {key->ptr};
	const char *ip[9] = {key->ptr, is_place ? "1" : "0", r->id && *r->id ? r->id : NULL,
		name && *name ? name : r->id, r->kind, r->country && *r->country ? r->country : NULL,
		is_place ? r->precision : NULL, r->has_coord ? lat : NULL, r->has_coord ? lon : NULL};
	return shared_row(st, &batch_of(st)->ents, key->ptr, PG_ENT_GET,
			  "SELECT id, name FROM entities WHERE key = $1", 1, gp, PG_ENT_INS,
			  "INSERT INTO entities(key, is_place, lexicon_id, name, kind, country,"
			  " precision, lat, lon) VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9)"
			  " ON CONFLICT (key) DO NOTHING RETURNING id, name", 9, ip, id, stored_name);
}

static int
source_id(sr_store *st, const sr_source *src, sr_buf *key, long long *id)
{
	*id = 0;
	const char *name = src->name && *src->name ? src->name : src->text;
	if (!name || !*name)
		return SR_OK;
	const char *kind = src->kind ? src->kind : "";
	sr_buf_reset(key);
	sr_buf_printf(key, "%s\x1f%s", name, kind);
	const char *p[2] = {name, kind};
	const char *dummy;
	return shared_row(st, &batch_of(st)->srcs, key->ptr, PG_SRC_GET,
			  "SELECT id FROM sources WHERE name = $1 AND kind = $2", 2, p, PG_SRC_INS,
			  "INSERT INTO sources(name, kind) VALUES($1, $2)"
			  " ON CONFLICT (name, kind) DO NOTHING RETURNING id", 2, p, id, &dummy);
}

/* ------------------------------------------------------------ the rows */

static void
span_field(sr_buf *b, const sr_doc *doc, uint32_t start, uint32_t end)
{
	if (start <= end && end <= doc->len)
		pg_field(b, doc->text + start, end - start);
	else
		pg_field_null(b);
}

static int
add_event(sr_store *st, pg_batch *b, const sr_doc *doc, long long doc_id, const char *doc_key,
	  const sr_event *ev, int n, sr_buf *key)
{
	long long actor, place, other, id;
	const char *aname, *pname, *oname;
	int rc;
	int other_place = ev->other.precision != NULL || ev->other.has_coord;
	if ((rc = entity_id(st, &ev->actor, 0, key, &actor, &aname)) != SR_OK ||
	    (rc = entity_id(st, &ev->place, 1, key, &place, &pname)) != SR_OK ||
	    (rc = entity_id(st, &ev->other, other_place, key, &other, &oname)) != SR_OK ||
	    (rc = next_id(st, &b->evids, "events_id_seq", &id)) != SR_OK)
		return rc;
	/* (not fused yet: the next fusion starts from it, schema 12) */
	pg_field_int(&b->buf[B_EVNEW], id);
	pg_row_end(&b->buf[B_EVNEW]);
	/* the sources: one per (name, kind), the first words kept, as
	 * SQLite's INSERT OR IGNORE does; sorted as the derived columns
	 * list them; their ids and the quantities also in the row, for
	 * fusion (fuse_src, fuse_qty, as SQLite's ingest.c writes them) */
	sr_buf fs = {0}, fq = {0};
	st_esrc srcs[SR_MAX_SOURCES];
	int ns = 0;
	int nsrc = ev->nsources < 0 ? 0 : ev->nsources > SR_MAX_SOURCES ? SR_MAX_SOURCES
		: ev->nsources;
	for (int i = 0; i < nsrc; i++) {
		long long sid;
		if ((rc = source_id(st, &ev->sources[i], key, &sid)) != SR_OK) {
			sr_buf_free(&fs);
			return rc;
		}
		int seen = !sid;
		for (int k = 0; k < ns && !seen; k++)
			seen = srcs[k].id == sid;
		if (seen)
			continue;
		if (fs.len)
			sr_buf_addc(&fs, ',');
		sr_buf_addll(&fs, sid);
		const sr_source *s = &ev->sources[i];
		srcs[ns].id = sid;
		srcs[ns].name = s->name && *s->name ? s->name : s->text;
		srcs[ns].kind = s->kind ? s->kind : "";
		srcs[ns].text = s->text;
		ns++;
	}
	int nq = ev->nquantities < 0 ? 0 : ev->nquantities > SR_MAX_QUANTITIES ? SR_MAX_QUANTITIES
		: ev->nquantities;
	for (int i = 0; i < nq; i++) {
		const sr_quantity *q = &ev->quantities[i];
		sr_buf_printf(&fq, "%s%.17g %s %d", i ? ";" : "", q->value == q->value ? q->value : 0,
			      q->unit ? q->unit : "other", q->approx ? 1 : 0);
	}
	int32_t lo = 0, hi = 0;
	int dated = st_date_range(ev->date, &lo, &hi);
	if (dated && hi - lo > st->batch_window)
		st->batch_window = (int)(hi - lo);      /* (meta's window_days: query.c) */
	/* the derived columns, as SQLite's ingest makes them (derive.c) */
	st_derived dv;
	st_derive_event(&dv, doc, ev, id, aname, pname, srcs, ns);

	sr_buf *e = &b->buf[B_EVENTS];
	pg_field_int(e, id);
	pg_field_int(e, doc_id);
	pg_field_int(e, n);
	pg_field_str(e, ev->type);
	actor ? pg_field_int(e, actor) : pg_field_null(e);
	pg_field_str(e, ev->actor.set ? ev->actor.text : NULL);
	place ? pg_field_int(e, place) : pg_field_null(e);
	pg_field_str(e, ev->place.set ? ev->place.text : NULL);
	other ? pg_field_int(e, other) : pg_field_null(e);
	pg_field_str(e, ev->other.set ? ev->other.text : NULL);
	pg_field_str(e, dated ? ev->date : NULL);
	pg_field_str(e, dated ? ev->date_precision : NULL);
	pg_field_str(e, ev->date_text);
	pg_field_str(e, ev->modality ? ev->modality : "asserted");
	pg_field_str(e, ev->cameo);
	pg_field_str(e, ev->plover);
	pg_field_str(e, ev->acled);
	pg_field_int(e, ev->sentence);
	pg_field_int(e, ev->start);
	pg_field_int(e, ev->end);
	span_field(e, doc, ev->start, ev->end);
	pg_field_int(e, ev->date_approx ? 1 : 0);
	char dlo[11], dhi[11];
	if (dated) {
		st_date_str(lo, dlo);
		st_date_str(hi, dhi);
	}
	pg_field_str(e, dated ? dlo : NULL);
	pg_field_str(e, dated ? dhi : NULL);
	pg_field_str(e, doc_key);
	pg_field(e, dv.quantities.data ? dv.quantities.data : "", dv.quantities.len);
	pg_field(e, dv.sources.data ? dv.sources.data : "", dv.sources.len);
	pg_field_str(e, dv.source_names.ptr);
	dv.has_killed ? pg_field_dbl(e, dv.killed) : pg_field_null(e);
	pg_field(e, dv.report.data ? dv.report.data : "", dv.report.len);
	pg_field(e, dv.source_search.ptr, dv.source_search.len);
	fs.len ? pg_field(e, fs.ptr, fs.len) : pg_field_null(e);
	fq.len ? pg_field(e, fq.ptr, fq.len) : pg_field_null(e);
	pg_row_end(e);
	sr_buf_free(&fs);
	sr_buf_free(&fq);
	st_derived_free(&dv);

	for (int i = 0; i < nq; i++) {
		const sr_quantity *q = &ev->quantities[i];
		sr_buf *x = &b->buf[B_QTY];
		pg_field_int(x, id);
		pg_field_int(x, i);
		pg_field_dbl(x, q->value == q->value ? q->value : 0);
		pg_field_str(x, q->unit ? q->unit : "other");
		pg_field_int(x, q->approx ? 1 : 0);
		pg_field_str(x, q->text);
		pg_row_end(x);
	}
	for (int i = 0; i < ns; i++) {
		sr_buf *x = &b->buf[B_EVSRC];
		pg_field_int(x, id);
		pg_field_int(x, srcs[i].id);
		pg_field_str(x, srcs[i].text);
		pg_row_end(x);
	}
	return SR_OK;
}

/* The rows of a new document (id taken) into the batch's buffers. */
static int
add_doc(sr_store *st, pg_batch *b, pdoc *pd, const sr_doc *doc, const sr_event *events,
	size_t n)
{
	for (int i = 0; i < B_N; i++)
		pd->off[i][0] = b->buf[i].len;
	size_t nev = 0;
	for (size_t i = 0; i < n; i++)
		nev += events[i].type != NULL;
	pd->nevents = (long long)nev;
	/* (binary rows, as the sentences': a report's text goes as it is,
	 * neither escaped here nor parsed by the server) */
	sr_buf *d = &b->buf[B_DOCS];
	const char *pub = sr_valid_date(doc->published) ? doc->published : NULL;
	const char *name = doc->id ? doc->id : "-";
	pg_bin_row(d, 11);
	pg_bin_int8(d, pd->id);
	pg_bin_text(d, pd->key, strlen(pd->key));
	pg_bin_text(d, name, strlen(name));
	pg_bin_text(d, doc->url, doc->url ? strlen(doc->url) : 0);
	pg_bin_text(d, doc->outlet, doc->outlet ? strlen(doc->outlet) : 0);
	pg_bin_text(d, doc->title, doc->title ? strlen(doc->title) : 0);
	pg_bin_text(d, pub, pub ? strlen(pub) : 0);
	pg_bin_text(d, doc->origin, doc->origin ? strlen(doc->origin) : 0);
	pg_bin_int8(d, doc->line);
	pg_bin_text(d, doc->text ? doc->text : "", doc->text ? doc->len : 0);
	pg_bin_int4(d, (long)nev);
	/* the sentences with their tsvector (in COPY's binary form: the
	 * server neither cuts the words, nor parses tsvector text); ids
	 * from a block of the sequence */
	int rc = SR_OK, k = 0;
	pd->nsent = 0;
	for (size_t i = 0; i < doc->nsent && rc == SR_OK; i++) {
		const sr_sentence *se = &doc->sents[i];
		if (se->start > se->end || se->end > doc->len)
			continue;
		long long sid;
		if ((rc = next_id(st, &b->sentids, "sentences_id_seq", &sid)) != SR_OK)
			break;
		pd->nsent++;
		sr_buf *s = &b->buf[B_SENTS];  /* binary rows (copy_sql) */
		pg_bin_row(s, 6);
		pg_bin_int8(s, sid);
		pg_bin_int8(s, pd->id);
		pg_bin_int4(s, (long)i);
		pg_bin_int4(s, (long)se->start);
		pg_bin_int4(s, (long)se->end);
		prun *run = run_for(b, b->sentids.lo, sid);
		pg_bin_tsvector_each(doc->text + se->start, se->end - se->start, s, run_word, run);
	}
	sr_buf key = {0};
	for (size_t i = 0; i < n && rc == SR_OK; i++)
		if (events[i].type)
			rc = add_event(st, b, doc, pd->id, pd->key, &events[i], k++, &key);
	sr_buf_free(&key);
	for (int i = 0; i < B_N; i++)
		pd->off[i][1] = b->buf[i].len;
	return rc;
}

/* ------------------------------------------------------------- copies */

/* Records doc (whose text is stored under key) as a copy when it comes
 * from another outlet or URL than the stored document and its copies.
 * Returns 1 when a row was added, 0 when not, -1 on error. */
static int
record_copy(sr_store *st, const pcopy *c)
{
	if (!c->url && !c->outlet)
		return 0;
	const char *p[5] = {c->key, c->name, c->url, c->outlet, c->published};
	PGresult *r = pg_exec(st,
		"INSERT INTO doc_copies(doc_id, name, url, outlet, published)"
		" SELECT d.id, $2, $3, $4, $5 FROM documents d WHERE d.key = $1"
		" AND NOT (d.url IS NOT DISTINCT FROM $3 AND d.outlet IS NOT DISTINCT FROM $4)"
		" ON CONFLICT DO NOTHING RETURNING id", 5, p);
	if (!r)
		return -1;
	int added = PQntuples(r) > 0;
	PQclear(r);
	return added;
}

static void
queue_copy(pg_batch *b, const char *key, const sr_doc *doc)
{
	SR_GROW(b->cp, b->capcp, b->ncp + 1);
	pcopy *c = &b->cp[b->ncp++];
	memcpy(c->key, key, 17);
	c->name = strdup_a(b, doc->id ? doc->id : "-");
	c->url = strdup_a(b, doc->url);
	c->outlet = strdup_a(b, doc->outlet);
	c->published = strdup_a(b, doc->published[0] ? doc->published : NULL);
}

static int
same_str(const char *a, const char *b)
{
	return a ? b && !strcmp(a, b) : !b;
}

/* ---------------------------------------------------------------- add */

/* Is the document of key stored?  1, 0, or -1 on error.  The answer is
 * kept for the next call with the same key (the CLI asks has_doc, then
 * add). */
static int
stored(sr_store *st, const char *key)
{
	if (!strcmp(st->pg->last_key, key))
		return st->pg->last_has;
	const char *p[1] = {key};
	PGresult *r = pg_exec_named(st, PG_DOC_HAS, "SELECT 1 FROM documents WHERE key = $1", 1, p);
	if (!r)
		return -1;
	int has = PQntuples(r) > 0;
	PQclear(r);
	memcpy(st->pg->last_key, key, 17);
	st->pg->last_has = has;
	return has;
}

int
pg_has_doc(sr_store *st, const sr_doc *doc)
{
	char key[17];
	sr_store_doc_key(doc, key);
	pg_batch *b = batch_of(st);
	for (size_t i = 0; i < b->n; i++)
		if (!strcmp(b->d[i].key, key))
			return 1;
	return stored(st, key);
}

int
pg_add(sr_store *st, const sr_doc *doc, const sr_event *events, size_t n, int *added)
{
	if (added)
		*added = 0;
	if (st->flags & (SR_STORE_READONLY | SR_STORE_QUERY))
		return st_fail(st, "%s: opened read-only", st->path);
	pg_batch *b = batch_of(st);
	char key[17];
	sr_store_doc_key(doc, key);
	/* already in this batch: a copy, recorded once the batch is stored */
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->d[i].key, key))
			continue;
		int other = (doc->url || doc->outlet) &&
			    !(same_str(doc->url, b->d[i].url) && same_str(doc->outlet, b->d[i].outlet));
		if (other) {
			queue_copy(b, key, doc);
			if (added)
				*added = 2;
		}
		return SR_OK;
	}
	int has = stored(st, key);
	if (has < 0)
		return SR_ERR_DB;
	if (has) {
		/* a copy of a stored report: its row goes in now, and the next
		 * commit marks the events changed (one more source) */
		pcopy c = {.name = doc->id ? doc->id : "-", .url = doc->url, .outlet = doc->outlet,
			   .published = doc->published[0] ? doc->published : NULL};
		memcpy(c.key, key, 17);
		int k = record_copy(st, &c);
		if (k < 0)
			return SR_ERR_DB;
		if (k && added)
			*added = 2;
		if (k && pg_cmd(st, "UPDATE meta SET value = (value::bigint + 1)::text"
				" WHERE key = 'events_gen'") != SR_OK)
			return SR_ERR_DB;
		return SR_OK;
	}
	st->pg->last_key[0] = 0;        /* it is about to be stored */
	SR_GROW(b->d, b->cap, b->n + 1);
	pdoc *pd = &b->d[b->n];
	memset(pd, 0, sizeof *pd);
	memcpy(pd->key, key, 17);
	pd->name = strdup_a(b, doc->id ? doc->id : "-");
	pd->url = strdup_a(b, doc->url);
	pd->outlet = strdup_a(b, doc->outlet);
	pd->published = strdup_a(b, doc->published[0] ? doc->published : NULL);
	pd->nin = n;
	int rc = next_id(st, &b->docids, "documents_id_seq", &pd->id);
	if (rc == SR_OK)
		rc = add_doc(st, b, pd, doc, events, n);
	if (rc != SR_OK) {
		/* its rows leave the buffers */
		for (int i = 0; i < B_N; i++)
			b->buf[i].len = pd->off[i][0];
		char keep[sizeof st->err];
		memcpy(keep, st->err, sizeof keep);
		snprintf(st->err, sizeof st->err, "document %.80s not stored: %.380s",
			 doc->id ? doc->id : "-", keep);
		return rc;
	}
	b->n++;
	if (added)
		*added = 1;
	if (b->n >= st->batch)
		return pg_flush(st);
	return SR_OK;
}

/* ---------------------------------------------------------------- flush */

/* The rows of buffer i of the documents not dropped. */
static void
kept_rows(const pg_batch *b, int i, sr_buf *out)
{
	sr_buf_reset(out);
	for (size_t k = 0; k < b->n; k++)
		if (!b->d[k].dropped)
			sr_buf_add(out, b->buf[i].ptr + b->d[k].off[i][0],
				   b->d[k].off[i][1] - b->d[k].off[i][0]);
}

static const char *const copy_sql[B_N] = {
	[B_DOCS] = "COPY doc_stage(id, key, name, url, outlet, title, published, origin, line,"
		   " text, nevents) FROM STDIN (FORMAT binary)",
	[B_SENTS] = "COPY sentences(id, doc_id, n, span_start, span_end, tsv) FROM STDIN"
		    " (FORMAT binary)",
	[B_EVENTS] = "COPY events(id, doc_id, n, type, actor_id, actor_text, place_id, place_text,"
		     " other_id, other_text, date, date_precision, date_text, modality, cameo,"
		     " plover, acled, sentence, span_start, span_end, evidence, date_approx,"
		     " date_lo, date_hi, doc_key, quantities, sources, source_names, killed,"
		     " report, source_search, fuse_src, fuse_qty) FROM STDIN",
	[B_QTY] = "COPY quantities(event_id, n, value, unit, approx, text) FROM STDIN",
	[B_EVSRC] = "COPY event_sources(event_id, source_id, text) FROM STDIN",
	[B_EVNEW] = "COPY events_new(event_id) FROM STDIN",
};

/* One try at writing the batch; *retry set when another writer's lock
 * order made it fail (deadlock, serialization). */
static int
flush_once(sr_store *st, pg_batch *b, int *retry)
{
	*retry = 0;
	int rc = pg_cmd(st, "BEGIN");
	for (size_t k = 0; k < b->n; k++)
		b->d[k].dropped = 0;
	size_t dropped = 0;
	sr_buf rows = {0};
	if (rc == SR_OK && b->n) {
		rc = pg_copy_in_binary(st, copy_sql[B_DOCS], b->buf[B_DOCS].ptr,
					       b->buf[B_DOCS].len);
		PGresult *r = rc == SR_OK ? pg_exec(st,
			"INSERT INTO documents SELECT * FROM doc_stage ORDER BY id"
			" ON CONFLICT (key) DO NOTHING RETURNING id", 0, NULL) : NULL;
		if (rc == SR_OK && !r)
			rc = SR_ERR_DB;
		if (r) {
			/* which documents went in (ids of this batch only) */
			size_t nin = (size_t)PQntuples(r);
			for (size_t k = 0; k < b->n; k++)
				b->d[k].dropped = 1;
			for (size_t i = 0; i < nin; i++) {
				long long id = strtoll(PQgetvalue(r, (int)i, 0), NULL, 10);
				for (size_t k = 0; k < b->n; k++)
					if (b->d[k].id == id)
						b->d[k].dropped = 0;
			}
			dropped = b->n - nin;
			PQclear(r);
		}
		for (int i = B_SENTS; i < B_N && rc == SR_OK; i++) {
			const char *data = b->buf[i].ptr;
			size_t len = b->buf[i].len;
			if (dropped) {
				kept_rows(b, i, &rows);
				data = rows.ptr;
				len = rows.len;
			}
			if (len && i == B_SENTS) {
				rc = pg_copy_in_binary(st, copy_sql[i], data, len);
				/* their runs' words (schema 15) */
				sr_buf runb = {0};
				run_rows(b, &runb);
				if (rc == SR_OK && runb.len)
					rc = pg_copy_in_binary(st, "COPY sentence_runs(lo, hi, words)"
							       " FROM STDIN (FORMAT binary)", runb.ptr,
							       runb.len);
				sr_buf_free(&runb);
			}
			else if (len)
				rc = pg_copy_in(st, copy_sql[i], data, len);
		}
	}
	/* the copies waiting, and the documents another writer stored first
	 * (kept as copies when they came from elsewhere) */
	for (size_t i = 0; i < b->ncp && rc == SR_OK; i++)
		rc = record_copy(st, &b->cp[i]) < 0 ? SR_ERR_DB : SR_OK;
	sr_buf_free(&rows);
	if (rc == SR_OK) {
		/* the events changed (fusion is due), and the counts */
		long long ndocs = 0, nev = 0, nsent = 0;
		for (size_t k = 0; k < b->n; k++)
			if (!b->d[k].dropped) {
				ndocs++;
				nev += b->d[k].nevents;
				nsent += b->d[k].nsent;
			}
		char sql[400];
		snprintf(sql, sizeof sql, "UPDATE meta SET value = (value::bigint + CASE key"
			 " WHEN 'events_gen' THEN 1 WHEN 'ndocuments' THEN %lld WHEN 'nsentences'"
			 " THEN %lld ELSE %lld END)::text"
			 " WHERE key IN ('events_gen', 'ndocuments', 'nsentences', 'nevents')", ndocs,
			 nsent, nev);
		rc = pg_cmd(st, sql);
		/* the widest date window of an event (schema 9), when this
		 * batch's is wider than any before */
		snprintf(sql, sizeof sql, "UPDATE meta SET value = %d::text WHERE key = 'window_days'"
			 " AND value::bigint < %d", st->batch_window, st->batch_window);
		if (rc == SR_OK && st->batch_window > 0)
			rc = pg_cmd(st, sql);
	}
	if (rc == SR_OK)
		rc = pg_cmd(st, "COMMIT");
	if (rc == SR_OK)
		st->batch_window = 0;
	if (rc != SR_OK) {
		*retry = strstr(st->err, "deadlock") || strstr(st->err, "could not serialize");
		PGresult *r = PQexec(st->pg->conn, "ROLLBACK");
		PQclear(r);
	}
	return rc;
}

int
pg_flush(sr_store *st)
{
	pg_batch *b = st->pg->batch;
	if (!b || (!b->n && !b->ncp))
		return SR_OK;
	int rc = SR_OK;
	if (!b->staged) {
		rc = pg_cmd(st, "CREATE TEMP TABLE IF NOT EXISTS doc_stage"
			    " (LIKE documents INCLUDING DEFAULTS) ON COMMIT DELETE ROWS;"
			    /* the text is compressed once, in documents */
			    "ALTER TABLE doc_stage ALTER text SET STORAGE EXTERNAL");
		b->staged = rc == SR_OK;
	}
	/* another writer's lock order may deadlock with this one: the
	 * server aborts one of the two, which runs again */
	int retry = 1;
	for (int t = 0; rc == SR_OK && retry; t++) {
		rc = flush_once(st, b, &retry);
		if (rc != SR_OK && retry && t + 1 < FLUSH_TRIES)
			rc = SR_OK;
		else
			break;
	}
	/* the documents another writer stored first: as copies, when they
	 * came from another outlet or URL (after the commit, so that the
	 * other writer's row is there) */
	for (size_t k = 0; rc == SR_OK && k < b->n; k++)
		if (b->d[k].dropped) {
			st->pg->taken_docs++;
			st->pg->taken_events += (long)b->d[k].nin;
		}
	if (rc == SR_OK)
		for (size_t k = 0; k < b->n; k++)
			if (b->d[k].dropped && (b->d[k].url || b->d[k].outlet)) {
				pcopy c = {.name = b->d[k].name, .url = b->d[k].url,
					   .outlet = b->d[k].outlet, .published = b->d[k].published};
				memcpy(c.key, b->d[k].key, 17);
				if (record_copy(st, &c) < 0)
					rc = SR_ERR_DB;
			}
	batch_reset(b);
	return rc;
}

void
sr_store_taken_elsewhere(const sr_store *st, long *documents, long *events)
{
	*documents = st && st->pg ? st->pg->taken_docs : 0;
	*events = st && st->pg ? st->pg->taken_events : 0;
}

/* ------------------------------------------------ the full-text index */

#define FTS_CHUNK 20000          /* sentences moved a transaction */

/* The texts of a chunk's documents, by id. */
typedef struct ftdoc {
	long long id;
	char *text;
	size_t len;
} ftdoc;

typedef struct ftdocs {
	ftdoc *v;
	size_t n, cap;
} ftdocs;

static int
fts_doc_row(void *ctx, char **f, int n)
{
	ftdocs *d = ctx;
	if (n < 2 || !f[0])
		return 0;
	SR_GROW(d->v, d->cap, d->n + 1);
	ftdoc *x = &d->v[d->n++];
	x->id = strtoll(f[0], NULL, 10);
	x->len = f[1] ? strlen(f[1]) : 0;
	x->text = sr_strndup(f[1] ? f[1] : "", x->len);
	return 0;
}

static int
cmp_ftdoc(const void *a, const void *b)
{
	long long x = ((const ftdoc *)a)->id, y = ((const ftdoc *)b)->id;
	return (x > y) - (x < y);
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* One transaction: up to FTS_CHUNK sentences taken from
 * sentences_pending and inserted into sentences with their tsvector,
 * cut from their documents' text here by their byte spans.  *done set
 * when none was left. */
static int
index_chunk(sr_store *st, int *done)
{
	*done = 0;
	char sql[200];
	snprintf(sql, sizeof sql, "BEGIN READ WRITE; SELECT pg_advisory_xact_lock(%ld)",
		 PG_LOCK_FTS);
	int rc = pg_cmd(st, sql);
	PGresult *r = NULL;
	if (rc == SR_OK) {
		snprintf(sql, sizeof sql, "DELETE FROM sentences_pending WHERE ctid = ANY(ARRAY("
			 "SELECT ctid FROM sentences_pending LIMIT %d))"
			 " RETURNING id, doc_id, n, span_start, span_end", FTS_CHUNK);
		r = pg_exec(st, sql, 0, NULL);
		rc = r ? SR_OK : SR_ERR_DB;
	}
	int nr = r ? PQntuples(r) : 0;
	if (rc == SR_OK && nr == 0)
		*done = 1;
	ftdocs docs = {0};
	sr_buf q = {0}, rows = {0};
	if (rc == SR_OK && nr) {
		/* their documents' text, each once */
		long long *ids = sr_malloc((size_t)nr * sizeof *ids);
		for (int i = 0; i < nr; i++)
			ids[i] = strtoll(PQgetvalue(r, i, 1), NULL, 10);
		qsort(ids, (size_t)nr, sizeof *ids, cmp_ll);
		sr_buf_adds(&q, "SELECT id, text FROM documents WHERE id = ANY('{");
		for (int i = 0, k = 0; i < nr; i++)
			if (!i || ids[i] != ids[i - 1])
				sr_buf_printf(&q, "%s%lld", k++ ? "," : "", ids[i]);
		sr_buf_adds(&q, "}'::bigint[])");
		free(ids);
		rc = pg_copy_out(st, q.ptr, fts_doc_row, &docs);
		if (docs.n > 1)
			qsort(docs.v, docs.n, sizeof *docs.v, cmp_ftdoc);
		for (int i = 0; rc == SR_OK && i < nr; i++) {
			ftdoc key = {.id = strtoll(PQgetvalue(r, i, 1), NULL, 10)};
			const ftdoc *d = docs.n ? bsearch(&key, docs.v, docs.n, sizeof *docs.v,
							  cmp_ftdoc) : NULL;
			long a = strtol(PQgetvalue(r, i, 3), NULL, 10);
			long b = strtol(PQgetvalue(r, i, 4), NULL, 10);
			int inside = d && a >= 0 && a <= b && (size_t)b <= d->len;
			pg_bin_row(&rows, 6);
			pg_bin_int8(&rows, strtoll(PQgetvalue(r, i, 0), NULL, 10));
			pg_bin_int8(&rows, key.id);
			pg_bin_int4(&rows, strtol(PQgetvalue(r, i, 2), NULL, 10));
			pg_bin_int4(&rows, a);
			pg_bin_int4(&rows, b);
			pg_bin_tsvector(inside ? d->text + a : "", inside ? (size_t)(b - a) : 0, &rows);
		}
		if (rc == SR_OK)
			rc = pg_copy_in_binary(st, "COPY sentences(id, doc_id, n, span_start, span_end,"
					       " tsv) FROM STDIN (FORMAT binary)", rows.ptr, rows.len);
		/* their run (schema 15), with the runs it overlaps */
		long long lo = 0, hi = 0;
		for (int i = 0; i < nr; i++) {
			long long id = strtoll(PQgetvalue(r, i, 0), NULL, 10);
			if (!i || id < lo)
				lo = id;
			if (!i || id > hi)
				hi = id;
		}
		char a[24], z[24];
		snprintf(a, sizeof a, "%lld", lo);
		snprintf(z, sizeof z, "%lld", hi);
		const char *p[2] = {a, z};
		PGresult *x = rc == SR_OK ? pg_exec(st, pg_run_rebuild_sql, 2, p) : NULL;
		if (rc == SR_OK && !x)
			rc = SR_ERR_DB;
		PQclear(x);
	}
	PQclear(r);
	for (size_t i = 0; i < docs.n; i++)
		free(docs.v[i].text);
	free(docs.v);
	sr_buf_free(&q);
	sr_buf_free(&rows);
	if (rc == SR_OK)
		rc = pg_cmd(st, "COMMIT");
	if (rc != SR_OK)
		PQclear(PQexec(st->pg->conn, "ROLLBACK"));
	return rc;
}

long
pg_index_pending(sr_store *st)
{
	long long n = pg_scalar(st, "SELECT count(*) FROM (SELECT 1 FROM sentences_pending"
				" LIMIT 1) x");
	if (n <= 0)
		return n < 0 ? -1 : 0;
	int done = 0, rc = SR_OK;
	while (rc == SR_OK && !done)
		rc = index_chunk(st, &done);
	if (rc == SR_OK)
		return 0;
	/* (this connection may not write: the sentences stay for a search
	 * that may; the message names why) */
	char keep[sizeof st->err];
	memcpy(keep, st->err, sizeof keep);
	long long left = pg_scalar(st, "SELECT count(*) FROM sentences_pending");
	memcpy(st->err, keep, sizeof keep);
	return left < 0 ? -1 : (long)left;
}
