/*
 * fuse.c -- fusion and place status over the store: load the stored
 * events into an array, fuse them (sf_fuse, a pure function in
 * src/fuse), write the incidents and disagreements, then the places'
 * timelines (fuse_status.c), all in one write transaction.
 *
 * Nothing here depends on a lexicon or on how the store was opened: the
 * rules read only stored values (country, precision, coordinates), so a
 * refresh by a query gives the incidents an ingest gives.  A refresh
 * checks again, once it holds the write lock, whether another process
 * fused meanwhile.  The fusion of only the region of time new reports
 * reach is in fuse_region.c.
 */
#include "fusion_int.h"
#include "pg_int.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <time.h>

/* ---------------------------------------------------------------- load */

/* The process's peak resident memory so far, in MB. */
static long
peak_mb(void)
{
	struct rusage ru;
	return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss / 1024 : 0;
}

/* CPU seconds of the process (SITREP_FUSE_TIMING). */
double
st_fuse_cpu(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}



/* The hash of a string as strtab places it: FNV's low bits, which pick
 * the slot, mixed with its high ones. */
static uint64_t
tab_hash(const char *s, size_t n)
{
	uint64_t h = sr_hash64(s, n);
	h ^= h >> 29;
	h *= 0xbf58476d1ce4e5b9ull;
	return h ^ h >> 32;
}

/* Empty slots for mask + 1 strings (t->v and t->tag in one block). */
static void
tab_alloc(strtab *t, size_t mask)
{
	t->mask = mask;
	t->v = sr_calloc(mask + 1, sizeof *t->v + sizeof *t->tag);
	t->tag = (uint32_t *)(void *)(t->v + mask + 1);
}

const char *
st_intern(strtab *t, const char *s, size_t n)
{
	if (!s)
		return NULL;
	if (!t->v)
		tab_alloc(t, 4095);
	if ((t->used + 1) * 2 > t->mask + 1) {
		size_t omask = t->mask;
		const char **ov = t->v;
		uint32_t *otag = t->tag;
		tab_alloc(t, omask * 2 + 1);
		for (size_t i = 0; i <= omask; i++) {
			if (!ov[i])
				continue;
			size_t k = tab_hash(ov[i], strlen(ov[i])) & t->mask;
			while (t->v[k])
				k = (k + 1) & t->mask;
			t->v[k] = ov[i];
			t->tag[k] = otag[i];
		}
		free(ov);
	}
	uint64_t h = tab_hash(s, n);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t k = h & t->mask;
	while (t->v[k]) {
		if (t->tag[k] == tag && !strncmp(t->v[k], s, n) && t->v[k][n] == 0)
			return t->v[k];
		k = (k + 1) & t->mask;
	}
	t->used++;
	t->tag[k] = tag;
	return t->v[k] = sr_arena_strndup(t->a, s, n);
}

const char *
st_col_str(strtab *t, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return st_intern(t, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

const char *
st_col_dup(sr_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return sr_arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

static void
copy_cc(char out[3], sqlite3_stmt *s, int i)
{
	const unsigned char *cc = sqlite3_column_text(s, i);
	out[0] = 0;
	if (cc && strlen((const char *)cc) == 2)
		memcpy(out, cc, 3);
}

/* Fills e's actor, place and other from their entity ids (ai, pi, oi; 0 or
 * out of 1..nent: none) and the entities ent[1..nent]: names, keys,
 * ranks, countries and coordinates point into ent.  Both engines' fusion
 * read events this way. */
void
st_event_roles(struct sf_event *e, const lent *ent, long long nent, long long ai, long long pi,
	       long long oi)
{
	if (ai >= 1 && ai <= nent) {
		e->actor = ai;
		e->actor_key = ent[ai].key;
		e->actor_name = ent[ai].name;
	}
	e->prank = SF_RANK_NONE;
	if (pi >= 1 && pi <= nent) {
		const lent *p = &ent[pi];
		e->place = pi;
		e->prank = p->rank;
		memcpy(e->country, p->country, sizeof e->country);
		e->has_coord = p->has_coord;
		e->lat = p->lat;
		e->lon = p->lon;
		e->place_name = p->name;
	}
	e->orank = SF_RANK_NONE;
	if (oi >= 1 && oi <= nent) {
		const lent *o = &ent[oi];
		e->other = oi;
		e->other_name = o->name;
		e->orank = o->rank;
		memcpy(e->ocountry, o->country, sizeof e->ocountry);
		e->other_is_place = o->is_place;
	}
}


/* Rows of a small table by id (ids are row ids: dense from 1). */
static sqlite3_int64
max_id(sr_store *st, const char *table)
{
	char sql[80];
	snprintf(sql, sizeof sql, "SELECT coalesce(max(id), 0) FROM %s", table);
	long v = st_scalar(st, sql);
	return v < 0 ? 0 : v;
}


static void
fcommon_free(fcommon *c)
{
	free(c->ent);
	free(c->doc);
	free(c->src);
	for (size_t i = 0; i < c->npgt; i++)
		free(c->pgt[i].v);
	free(c->pgt);
	free(c->tab.v);
	sr_arena_free(&c->a);
}

/* Entities, sources and (with all_docs) documents, read once into
 * arrays by id, so the scans of the events join nothing.  Without
 * all_docs, load_docs reads the documents some events need. */
int
st_fuse_load_common(sr_store *st, fcommon *c, int all_docs)
{
	int step;
	sr_arena *a = &c->a;
	c->tab.a = a;
	if (st->pg)
		return pg_fu_load_common(st, c, all_docs);
	c->nent = max_id(st, "entities");
	c->ndoc = max_id(st, "documents");
	c->nsrc = max_id(st, "sources");
	c->ent = sr_calloc((size_t)c->nent + 1, sizeof *c->ent);
	c->doc = sr_calloc((size_t)c->ndoc + 1, sizeof *c->doc);
	c->src = sr_calloc((size_t)c->nsrc + 1, sizeof *c->src);

	sqlite3_stmt *s = st_prepare(st, "SELECT id, key, name, precision, country, lat, lon,"
				     " is_place FROM entities");
	if (!s)
		return SR_ERR_DB;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id < 1 || id > c->nent)
			continue;
		lent *e = &c->ent[id];
		e->key = st_col_dup(a, s, 1);
		e->name = st_col_dup(a, s, 2);
		e->rank = sf_place_rank((const char *)sqlite3_column_text(s, 3));
		copy_cc(e->country, s, 4);
		e->has_coord = sqlite3_column_type(s, 5) != SQLITE_NULL &&
			       sqlite3_column_type(s, 6) != SQLITE_NULL;
		e->lat = sqlite3_column_double(s, 5);
		e->lon = sqlite3_column_double(s, 6);
		e->is_place = sqlite3_column_int(s, 7);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "reading entities");
	s = st_prepare(st, "SELECT id, name FROM sources");
	if (!s)
		return SR_ERR_DB;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id >= 1 && id <= c->nsrc)
			c->src[id] = st_col_str(&c->tab, s, 1);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "reading sources");
	if (!all_docs)
		return SR_OK;
	s = st_prepare(st, "SELECT id, name, outlet, published FROM documents"
			   " INDEXED BY documents_fuse");
	if (!s)
		return SR_ERR_DB;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id < 1 || id > c->ndoc)
			continue;
		ldoc *d = &c->doc[id];
		d->name = st_col_dup(a, s, 1);
		d->outlet = st_col_str(&c->tab, s, 2);
		d->published = st_col_str(&c->tab, s, 3);
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "reading documents");
	/* each document's rank by key, from the index on the key: events
	 * compare by it, not by their keys' text, which is not kept */
	s = st_prepare(st, "SELECT id FROM documents ORDER BY key");
	if (!s)
		return SR_ERR_DB;
	long long ord = 0;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id >= 1 && id <= c->ndoc)
			c->doc[id].ord = ++ord;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "reading documents");
	/* the outlets of other copies of each report */
	s = st_prepare(st, "SELECT doc_id, outlet FROM doc_copies WHERE outlet IS NOT NULL"
			   " ORDER BY doc_id, outlet");
	if (!s)
		return SR_ERR_DB;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id < 1 || id > c->ndoc)
			continue;
		ldoc *d = &c->doc[id];
		const char **v = sr_arena_alloc(a, (size_t)(d->ncopies + 1) * sizeof *v);
		if (d->ncopies)
			memcpy(v, d->copies, (size_t)d->ncopies * sizeof *v);
		v[d->ncopies++] = st_col_str(&c->tab, s, 1);
		d->copies = v;
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE)
		return st_dberr(st, "reading copies");
	return SR_OK;
}

/* The next event type after prev ("" for the first), by the index on
 * the type; 0 when there is none. */
static int
next_type(sr_store *st, const char *prev, char *out, size_t n)
{
	if (st->pg)
		return pg_fu_next_type(st, prev, out, n);
	sqlite3_stmt *s = st_prepare(st, "SELECT min(type) FROM events WHERE type > ?1");
	if (!s)
		return -1;
	st_bind_str(s, 1, prev);
	int rc = sqlite3_step(s);
	int found = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL;
	if (found)
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? found : -1;
}

/* An event's sources from its source ids ("3,12"), sorted by name. */
void
st_fuse_read_sources(fcommon *c, sr_arena *a, sf_event *e, const char *ids)
{
	if (!ids || !*ids)
		return;
	int n = 1;
	for (const char *p = ids; *p; p++)
		n += *p == ',';
	const char **v = sr_arena_alloc(a, (size_t)n * sizeof *v);
	int k = 0;
	for (const char *p = ids; *p;) {
		/* (digits read here: strtoll was 1% of the fusion of a million) */
		const char *end = p;
		long long si = 0;
		while (*end >= '0' && *end <= '9' && end - p < 18)
			si = si * 10 + (*end++ - '0');
		if (end == p || (*end && *end != ',')) {
			char *e2;
			si = strtoll(p, &e2, 10);
			if (e2 == p)
				break;
			end = e2;
		}
		p = *end == ',' ? end + 1 : end;
		if (si < 1 || si > c->nsrc || !c->src[si])
			continue;
		/* insert in name order (an event has a handful) */
		int j = k;
		while (j > 0 && strcmp(v[j - 1], c->src[si]) > 0) {
			v[j] = v[j - 1];
			j--;
		}
		v[j] = c->src[si];
		k++;
	}
	e->srcs = v;
	e->nsrc = k;
}

/* An event's quantities from "value unit approx;..." (in their order). */
void
st_fuse_read_quantities(fcommon *c, sr_arena *a, sf_event *e, const char *s)
{
	if (!s || !*s)
		return;
	int n = 1;
	for (const char *p = s; *p; p++)
		n += *p == ';';
	sf_qty *v = sr_arena_alloc(a, (size_t)n * sizeof *v);
	int k = 0;
	for (const char *p = s; *p;) {
		const char *semi = strchr(p, ';');
		const char *stop = semi ? semi : p + strlen(p);
		const char *sp1 = memchr(p, ' ', (size_t)(stop - p));
		const char *sp2 = stop;
		while (sp2 > p && sp2[-1] != ' ')
			sp2--;
		if (sp1 && sp2 > sp1 + 1) {
			/* a whole number (nearly all are) read here, the same
			 * double strtod gives (exact below 2^53); strtod was 2%
			 * of the fusion of a million events */
			const char *d = p;
			long long w = 0;
			while (d < sp1 && *d >= '0' && *d <= '9' && d - p < 15)
				w = w * 10 + (*d++ - '0');
			v[k].value = d == sp1 && d > p ? (double)w : strtod(p, NULL);
			v[k].unit = st_intern(&c->tab, sp1 + 1, (size_t)(sp2 - 1 - (sp1 + 1)));
			v[k].approx = *sp2 == '1';
			if (!v[k].unit || !*v[k].unit)
				v[k].unit = "other";
			k++;
		}
		p = semi ? semi + 1 : stop;
	}
	e->q = v;
	e->nq = k;
}


/* Reads the row of s (EVENT_COLS) into e; its document's fields come
 * with event_doc. */
/* Column i of s kept once (st_col_str), the last one of its slot first:
 * a type, a modality or a precision is nearly always the one of the row
 * before (hashing them was 3% of the fusion of a million events). */
static const char *
col_again(fcommon *c, int slot, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	size_t n = (size_t)sqlite3_column_bytes(s, i);
	const char *l = c->last[slot];
	if (l && !strncmp(l, (const char *)v, n) && l[n] == 0)
		return l;
	return c->last[slot] = st_intern(&c->tab, (const char *)v, n);
}

void
st_fuse_read_event(fcommon *c, sr_arena *a, sqlite3_stmt *s, sf_event *e)
{
	memset(e, 0, sizeof *e);
	e->id = sqlite3_column_int64(s, 0);
	e->doc = sqlite3_column_int64(s, 1);
	e->type = col_again(c, 0, s, 2);
	e->modality = col_again(c, 1, s, 3);
	e->date = st_col_str(&c->tab, s, 4);
	e->dprec = col_again(c, 2, s, 5);
	e->approx = sqlite3_column_int(s, 6);
	e->n = sqlite3_column_int(s, 7);
	st_event_roles(e, c->ent, c->nent, sqlite3_column_int64(s, 8), sqlite3_column_int64(s, 9),
		       sqlite3_column_int64(s, 10));
	e->place_text = st_col_str(&c->tab, s, 11);
	st_fuse_read_sources(c, a, e, (const char *)sqlite3_column_text(s, 12));
	st_fuse_read_quantities(c, a, e, (const char *)sqlite3_column_text(s, 13));
}

/* The fields of e that come from its document (loaded in c). */
void
st_fuse_event_doc(const fcommon *c, sf_event *e)
{
	if (e->doc >= 1 && e->doc <= c->ndoc) {
		const ldoc *d = &c->doc[e->doc];
		e->docname = d->name;
		e->outlet = d->outlet;
		e->published = d->published;
		e->dord = d->ord;
		e->copies = d->copies;
		e->ncopies = d->ncopies;
	}
}

/* The array of a type's events (a fusion of all: one array for every
 * type) in huge pages: a million events' array is about 300 MB touched
 * for the first time, and its page faults, a 4 KB page each, were a
 * tenth of the fusion's time (about 20 us a fault on this machine). */
#define EV_HUGE ((size_t)2 << 20)

static size_t
ev_bytes(size_t n)
{
	return (n * sizeof(sf_event) + EV_HUGE - 1) & ~(EV_HUGE - 1);
}

void
st_ev_grow(sf_event **buf, size_t *cap, size_t need)
{
	if (need <= *cap)
		return;
	size_t c = *cap ? *cap : 4096;
	while (c < need)
		c *= 2;
	size_t nb = ev_bytes(c);
	void *p;
	if (*buf) {
		p = mremap(*buf, ev_bytes(*cap), nb, MREMAP_MAYMOVE);
	} else {
		/* aligned to a huge page: mapped one larger, the ends cut */
		p = mmap(NULL, nb + EV_HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1,
			 0);
		if (p != MAP_FAILED) {
			uintptr_t u = (uintptr_t)p, al = (u + EV_HUGE - 1) & ~(uintptr_t)(EV_HUGE - 1);
			if (al > u)
				munmap(p, al - u);
			munmap((char *)al + nb, EV_HUGE - (al - u));
			p = (void *)al;
		}
	}
	if (p == MAP_FAILED)
		sr_oom(nb);     /* (the program's one policy, as sr_realloc's) */
#ifdef MADV_HUGEPAGE
	madvise(p, nb, MADV_HUGEPAGE);
#endif
	*buf = p;
	*cap = nb / sizeof(sf_event);
}

void
st_ev_free(sf_event *buf, size_t cap)
{
	if (buf)
		munmap(buf, ev_bytes(cap));
}

/* The stored events of one type, by id, with their sources and
 * quantities.  Fusion never joins events of two types (every block is
 * keyed by type), so fusing type by type gives the incidents one
 * fusion of all events gives, with a type's events in memory at a
 * time.  Into *buf (capacity *cap, grown as needed: one array serves
 * every type, its pages touched once, not once per type); per-event
 * arrays live in a; strings in the common arena. */
static int
load_type(sr_store *st, fcommon *c, const char *type, sr_arena *a, sf_event **buf, size_t *cap,
	  size_t *nout)
{
	size_t n = 0;
	*nout = 0;
	if (st->pg)
		return pg_fu_load_type(st, c, type, a, buf, cap, nout);
	int step;
	sqlite3_stmt *s = st_prepare(st, "SELECT " EVENT_COLS " FROM events e WHERE e.type = ?1"
				     " ORDER BY e.id");
	if (!s)
		return SR_ERR_DB;
	st_bind_str(s, 1, type);
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		st_ev_grow(buf, cap, n + 1);
		sf_event *e = &(*buf)[n++];
		st_fuse_read_event(c, a, s, e);
		st_fuse_event_doc(c, e);
	}
	sqlite3_finalize(s);
	*nout = n;
	return step == SQLITE_DONE ? SR_OK : st_dberr(st, "reading events");
}




void
st_cincs_free(cincs *c)
{
	free(c->v);
	free(c->touched);
	if (c->f)
		fclose(c->f);
	sr_buf_free(&c->b);
	sr_arena_free(&c->a);
}

/* ---- a record: numbers as they are in memory, strings as a length
 * (0 for NULL, else length + 1) and their bytes */

static void
put_num(sr_buf *b, const void *p, size_t n)
{
	sr_buf_add(b, p, n);
}

static void
put_str(sr_buf *b, const char *s)
{
	uint32_t n = s ? (uint32_t)strlen(s) + 1 : 0;
	sr_buf_add(b, &n, sizeof n);
	if (n > 1)
		sr_buf_add(b, s, n - 1);
}

typedef struct rd {
	const char *p, *end;
	sr_arena *a;
} rd;

static void
get_num(rd *r, void *out, size_t n)
{
	if ((size_t)(r->end - r->p) < n) {
		memset(out, 0, n);
		r->p = r->end;
		return;
	}
	memcpy(out, r->p, n);
	r->p += n;
}

static char *
get_str(rd *r)
{
	uint32_t n = 0;
	get_num(r, &n, sizeof n);
	if (!n)
		return NULL;
	size_t len = n - 1;
	if ((size_t)(r->end - r->p) < len)
		len = (size_t)(r->end - r->p);
	char *s = sr_arena_strndup(r->a, r->p, len);
	r->p += len;
	return s;
}

#define PUT(b, v) put_num(b, &(v), sizeof(v))
#define GET(r, v) get_num(r, &(v), sizeof(v))

void
st_fu_cinc_put(sr_buf *b, const cinc *x)
{
	sr_buf_reset(b);
	uint64_t len = 0;
	PUT(b, len);    /* filled in below */
	PUT(b, x->first);
	put_str(b, x->type);
	PUT(b, x->n);
	PUT(b, x->place);
	PUT(b, x->actor);
	PUT(b, x->other);
	put_str(b, x->date);
	put_str(b, x->dprec);
	PUT(b, x->dated);
	PUT(b, x->dlo);
	PUT(b, x->dhi);
	PUT(b, x->when);
	PUT(b, x->mod);
	PUT(b, x->nmem);
	PUT(b, x->ndocs);
	PUT(b, x->nsources);
	PUT(b, x->ndis);
	for (size_t i = 0; i < x->nsources; i++)
		put_str(b, x->sources[i]);
	put_str(b, x->sources_json);
	put_str(b, x->quantities_json);
	put_str(b, x->docs);
	put_str(b, x->modalities);
	put_str(b, x->first_published);
	PUT(b, x->days);
	for (size_t i = 0; i < x->ndis; i++) {
		put_str(b, x->dis[i].field);
		put_str(b, x->dis[i].value);
		put_str(b, x->dis[i].events);
		put_str(b, x->dis[i].docs);
		put_str(b, x->dis[i].sources);
	}
	put_num(b, x->mem, x->nmem * sizeof *x->mem);
	put_str(b, x->actor_key);
	put_str(b, x->other_name);
	PUT(b, x->other_is_place);
	put_str(b, x->places);
	len = b->len;
	memcpy(b->ptr, &len, sizeof len);
}

/* Reads record k of c into x (strings in c->a, until the next read). */
static int
cinc_get(cincs *c, size_t k, cinc *x)
{
	memset(x, 0, sizeof *x);
	sr_arena_reset(&c->a);
	uint64_t len = 0;
	if (fseek(c->f, c->v[k].off, SEEK_SET) != 0 || fread(&len, sizeof len, 1, c->f) != 1 ||
	    len < sizeof len)
		return SR_ERR_IO;
	sr_buf_reset(&c->b);
	sr_buf_add(&c->b, &len, sizeof len);
	size_t rest = (size_t)len - sizeof len;
	char *tmp = sr_arena_alloc(&c->a, rest + 1);
	if (fread(tmp, 1, rest, c->f) != rest)
		return SR_ERR_IO;
	rd r = {tmp, tmp + rest, &c->a};
	GET(&r, x->first);
	x->type = get_str(&r);
	GET(&r, x->n);
	GET(&r, x->place);
	GET(&r, x->actor);
	GET(&r, x->other);
	x->date = get_str(&r);
	x->dprec = get_str(&r);
	GET(&r, x->dated);
	GET(&r, x->dlo);
	GET(&r, x->dhi);
	GET(&r, x->when);
	GET(&r, x->mod);
	GET(&r, x->nmem);
	GET(&r, x->ndocs);
	GET(&r, x->nsources);
	GET(&r, x->ndis);
	if (x->nsources > rest || x->ndis > rest || x->nmem > rest)
		return SR_ERR_IO;
	const char **srcs = sr_arena_alloc(&c->a, (x->nsources + 1) * sizeof *srcs);
	for (size_t i = 0; i < x->nsources; i++)
		srcs[i] = get_str(&r);
	x->sources = srcs;
	x->sources_json = get_str(&r);
	x->quantities_json = get_str(&r);
	x->docs = get_str(&r);
	x->modalities = get_str(&r);
	x->first_published = get_str(&r);
	GET(&r, x->days);
	x->dis = sr_arena_alloc(&c->a, (x->ndis + 1) * sizeof *x->dis);
	for (size_t i = 0; i < x->ndis; i++) {
		x->dis[i].field = get_str(&r);
		x->dis[i].value = get_str(&r);
		x->dis[i].events = get_str(&r);
		x->dis[i].docs = get_str(&r);
		x->dis[i].sources = get_str(&r);
	}
	x->mem = sr_arena_alloc(&c->a, (x->nmem + 1) * sizeof *x->mem);
	get_num(&r, x->mem, x->nmem * sizeof *x->mem);
	x->actor_key = get_str(&r);
	x->other_name = get_str(&r);
	GET(&r, x->other_is_place);
	x->places = get_str(&r);
	x->id = c->v[k].id;
	return r.p == r.end ? SR_OK : SR_ERR_IO;
}

/* A digest of everything written for incident I (its row, members and
 * disagreements): an incident whose digest is stored unchanged is not
 * written again.  Its text is appended here, not by sr_buf_add (a call
 * per field, 3% of the fusion of a million events): room is made when
 * short, else the bytes are copied (b->len counts them; no terminator
 * until the end). */
static inline void
dg_put(sr_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t len = b->len;
		sr_buf_add(b, s, n);    /* (grows it) */
		b->len = len + n;
		return;
	}
	memcpy(b->ptr + b->len, s, n);
	b->len += n;
}

static inline void
dg_str(sr_buf *b, const char *s, char sep)
{
	if (s)
		dg_put(b, s, strlen(s));
	dg_put(b, &sep, 1);
}

static inline void
dg_ll(sr_buf *b, long long v)
{
	char d[24];
	size_t k = sr_ll_digits(d, v);
	dg_put(b, d + k, sizeof d - k);
}

static inline void
dg_num(sr_buf *b, long long v, char sep)
{
	dg_ll(b, v);
	dg_put(b, &sep, 1);
}

/* The hash of a digest's text, eight bytes a step (FNV-1a, a byte a
 * step, took 4% of the fusion of a million events; digests stored
 * before schema 8 differ: their incidents are written once again). */
static uint64_t
dg_hash(const char *p, size_t n)
{
	uint64_t h = 0x243F6A8885A308D3ull ^ (uint64_t)n;
	uint64_t w;
	for (; n >= 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, n);
	h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	return h ^ h >> 32;
}

/* The digest of what is written for I but its id (digest_id adds it):
 * made when the incident is kept, so that writing reads back from the
 * temporary file only the incidents that changed.  (The text hashed is
 * what one snprintf of the fields, '|' between them, gave; appended field
 * by field it costs a fifth.) */
static uint64_t
incident_digest(const cinc *I, sr_buf *b)
{
	sr_buf_reset(b);
	dg_str(b, I->type, '|');
	dg_num(b, I->place, '|');
	dg_num(b, I->actor, '|');
	dg_num(b, I->other, '|');
	dg_str(b, I->dated ? I->date : "", '|');
	dg_str(b, I->dated && I->dprec ? I->dprec : "", '|');
	dg_num(b, I->dated ? I->dlo : 0, '|');
	dg_num(b, I->dated ? I->dhi : 0, '|');
	dg_str(b, sr_modality_name(I->mod), '|');
	dg_num(b, (long long)I->nmem, '|');
	dg_num(b, (long long)I->ndocs, '|');
	dg_num(b, (long long)I->nsources, '|');
	dg_str(b, I->sources_json, '|');
	dg_str(b, I->quantities_json, '|');
	dg_str(b, I->docs, '|');
	dg_str(b, I->modalities, '|');
	dg_str(b, I->first_published, '|');
	dg_ll(b, (long long)I->ndis);
	for (size_t k = 0; k < I->nmem; k++) {
		dg_put(b, ",", 1);
		dg_ll(b, I->mem[k]);
	}
	for (size_t k = 0; k < I->ndis; k++) {
		const sf_dis *g = &I->dis[k];
		dg_put(b, "\x1f", 1);
		dg_str(b, g->field, '\x1e');
		dg_str(b, g->value, '\x1e');
		dg_str(b, g->events, '\x1e');
		dg_str(b, g->docs, '\x1e');
		if (g->sources)
			dg_put(b, g->sources, strlen(g->sources));
	}
	if (b->ptr)
		b->ptr[b->len] = 0;
	return dg_hash(b->ptr ? b->ptr : "", b->len);
}

/* The stored digest of an incident: h (incident_digest) with its id. */
static sqlite3_int64
digest_id(uint64_t h, long long id)
{
	h ^= (uint64_t)id * 0x9E3779B97F4A7C15ull;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (sqlite3_int64)(h >> 1);
}

/* Keeps the incidents of fu: their keys in out, the rest in its file
 * (with fu->each, each incident's summary is made here and dropped once
 * its record is made: a type's summaries, a few hundred megabytes of
 * strings at a million events, were all in memory at once, each page
 * of them a fault).
 * The records go to the file a megabyte at a time, each one's offset
 * counted here: an ftell per record was an lseek (32,165 of them for
 * 100,000 events), and the stream's own buffer a write every 4 KB. */
#define KEEP_CHUNK (1 << 20)

static int
keep_flush(cincs *out, sr_buf *chunk)
{
	int bad = chunk->len && fwrite(chunk->ptr, 1, chunk->len, out->f) != chunk->len;
	sr_buf_reset(chunk);
	return bad ? SR_ERR_IO : SR_OK;
}

int
st_fuse_keep(sf_fusion *fu, cincs *out)
{
	SR_GROW(out->v, out->cap, out->n + fu->ninc);
	long long *mem = NULL;
	size_t capmem = 0;
	sr_buf dg = {0}, chunk = {0};
	long off = ftell(out->f);
	int rc = off < 0 ? SR_ERR_IO : SR_OK;
	for (size_t i = 0; i < fu->ninc && rc == SR_OK; i++) {
		sf_incident *I = &fu->inc[i];
		if (fu->each)
			sf_summarize(fu, I);
		const sf_event *an = I->an;
		const sf_event *d = I->dated_ev >= 0 ? &fu->ev[I->dated_ev] : NULL;
		cinc x;
		memset(&x, 0, sizeof x);
		x.first = I->first;
		x.type = an->type;
		x.n = an->n;
		x.place = an->place;
		x.actor = I->actor;
		x.other = I->other;
		if (d) {
			x.dated = 1;
			x.date = d->date;
			x.dprec = d->dprec;
			x.when = d->dlo;
		}
		x.dlo = I->dlo;
		x.dhi = I->dhi;
		x.mod = I->mod;
		x.nmem = I->nmem;
		x.ndocs = I->ndocs;
		x.nsources = I->nsources;
		x.sources = I->sources;
		x.sources_json = I->sources_json;
		x.quantities_json = I->quantities_json;
		x.docs = I->docs;
		x.modalities = I->modalities;
		x.first_published = I->first_published;
		x.days = I->days;
		x.dis = I->dis;
		x.ndis = I->ndis;
		SR_GROW(mem, capmem, I->nmem + 1);
		for (size_t k = 0; k < I->nmem; k++)
			mem[k] = fu->ev[I->mem[k]].id;
		x.mem = mem;
		x.actor_key = I->actor_ev >= 0 ? fu->ev[I->actor_ev].actor_key : NULL;
		const sf_event *o = I->other_ev >= 0 ? &fu->ev[I->other_ev] : NULL;
		x.other_name = o ? o->other_name : NULL;
		x.other_is_place = o ? o->other_is_place : 0;
		long long pl[SF_MAX_PLACES];
		char ptext[SF_MAX_PLACES * 21 + 1];
		int npl = sf_incident_places(fu, I, pl);
		sf_places_text(pl, npl, ptext, sizeof ptext);
		x.places = npl ? ptext : NULL;
		ckey *k = &out->v[out->n++];
		k->first = x.first;
		k->type = x.type;
		k->dord = an->dord;
		k->n = x.n;
		k->dis = x.ndis > 0;
		k->id = 0;
		k->was = I->changed ? 0 : fu->ev[I->mem[0]].was;
		k->off = off;
		k->dig = incident_digest(&x, &dg);
		k->same = st_fu_known_get(out->known, k->dig);
		if (k->same) {
			k->off = -1;    /* as stored: no record (fuse_known.c) */
		} else {
			st_fu_cinc_put(&out->b, &x);
			sr_buf_add(&chunk, out->b.ptr, out->b.len);
			off += (long)out->b.len;
		}
		if (chunk.len >= KEEP_CHUNK)
			rc = keep_flush(out, &chunk);
		if (fu->each)
			sf_summary_drop(fu, I);
	}
	if (rc == SR_OK)
		rc = keep_flush(out, &chunk);
	free(mem);
	sr_buf_free(&dg);
	sr_buf_free(&chunk);
	return rc;
}

/* The order of the timeline, as sf_fuse numbers one fusion's incidents
 * (cmp_incidents there): date, type, the anchor's document (by its
 * key's rank) and index. */
int
st_cmp_ckey(const void *pa, const void *pb)
{
	const ckey *a = pa, *b = pb;
	if (a->first != b->first)
		return a->first < b->first ? -1 : 1;
	int r = a->type == b->type ? 0 : strcmp(a->type, b->type);
	if (r)
		return r;
	if (a->dord != b->dord)
		return a->dord < b->dord ? -1 : 1;
	return a->n - b->n;
}

/* Fuses the stored events type by type into out, numbered 1.. in the
 * timeline's order. */
static int
fuse_all(sr_store *st, fcommon *cm, cincs *out, double *tload, double *tfuse)
{
	out->f = tmpfile();
	if (!out->f)
		return st_fail(st, "%s: fusion: cannot make a temporary file: %s", st->path,
			       strerror(errno));
	double t0 = st_fuse_cpu();
	int rc = st_fuse_load_common(st, cm, 1);
	/* the stored incidents by content: the records of those found as
	 * they are stored are left out (fuse_known.c; SQLite's writer reads
	 * the others back, PostgreSQL's every record it writes) */
	fknown *known = NULL;
	if (rc == SR_OK && !st->pg)
		rc = st_fu_known_load(st, &known);
	out->known = known;
	*tload += st_fuse_cpu() - t0;
	if (getenv("SITREP_FUSE_TIMING"))
		fprintf(stderr, "  common: peak %ld MB\n", peak_mb());
	char type[64] = "";
	int more;
	sf_event *evbuf = NULL;
	size_t evcap = 0;
	while (rc == SR_OK && (more = next_type(st, type, type, sizeof type)) != 0) {
		if (more < 0) {
			rc = st_dberr(st, "reading event types");
			break;
		}
		sr_arena a = {0};
		sf_fusion fu = {0};
		fu.each = 1;    /* summaries made and dropped one by one (st_fuse_keep) */
		t0 = st_fuse_cpu();
		fu.ev = evbuf;
		rc = load_type(st, cm, type, &a, &evbuf, &evcap, &fu.nev);
		fu.ev = evbuf;
		double t1 = st_fuse_cpu();
		*tload += t1 - t0;
		if (rc == SR_OK) {
			sf_fuse(&fu);
			if (st_fuse_keep(&fu, out) != SR_OK)
				rc = st_fail(st, "%s: fusion: cannot write a temporary file: %s", st->path,
					     strerror(errno));
		}
		if (getenv("SITREP_FUSE_TIMING"))
			fprintf(stderr, "  %s: %zu events, peak %ld MB\n", type, fu.nev, peak_mb());
		sf_fusion_free(&fu);
		sr_arena_free(&a);
		*tfuse += st_fuse_cpu() - t1;
	}
	st_ev_free(evbuf, evcap);
	out->known = NULL;
	st_fu_known_free(known);
	if (rc == SR_OK && out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, st_cmp_ckey);
	for (size_t i = 0; i < out->n; i++)
		out->v[i].id = (long long)i + 1;
	if (rc == SR_OK && fflush(out->f) != 0)
		rc = st_fail(st, "%s: fusion: cannot write a temporary file: %s", st->path,
			     strerror(errno));
	return rc;
}

/* --------------------------------------------------------------- write */

typedef struct inc_stmts {
	sqlite3_stmt *ins, *mem, *dis;
} inc_stmts;

static int
insert_incident(sr_store *st, const cinc *I, sqlite3_int64 digest, inc_stmts *x)
{
	sqlite3_stmt *ins = x->ins;
	int rc = SR_OK;
	sqlite3_reset(ins);
	sqlite3_clear_bindings(ins);
	sqlite3_bind_int64(ins, 1, I->id);
	st_bind_str(ins, 2, I->type);
	if (I->place)
		sqlite3_bind_int64(ins, 3, I->place);
	if (I->actor)
		sqlite3_bind_int64(ins, 4, I->actor);
	if (I->other)
		sqlite3_bind_int64(ins, 5, I->other);
	char dlo[11], dhi[11];
	if (I->dated) {
		st_bind_str(ins, 6, I->date);
		st_bind_str(ins, 7, I->dprec);
		st_date_str(I->dlo, dlo);
		st_date_str(I->dhi, dhi);
		st_bind_str(ins, 8, dlo);
		st_bind_str(ins, 9, dhi);
	}
	st_bind_str(ins, 10, sr_modality_name(I->mod));
	sqlite3_bind_int64(ins, 11, (sqlite3_int64)I->nmem);
	sqlite3_bind_int64(ins, 12, (sqlite3_int64)I->ndocs);
	sqlite3_bind_int64(ins, 13, (sqlite3_int64)I->nsources);
	st_bind_str(ins, 14, I->sources_json);
	st_bind_str(ins, 15, I->quantities_json);
	st_bind_str(ins, 16, I->docs);
	st_bind_str(ins, 17, I->modalities);
	st_bind_str(ins, 18, I->first_published);
	sqlite3_bind_int64(ins, 19, (sqlite3_int64)I->ndis);
	sqlite3_bind_int64(ins, 20, digest);
	st_bind_str(ins, 21, I->places);
	if (sqlite3_step(ins) != SQLITE_DONE)
		rc = st_dberr(st, "incident insert");
	for (size_t k = 0; k < I->nmem && rc == SR_OK; k++) {
		sqlite3_reset(x->mem);
		sqlite3_bind_int64(x->mem, 1, I->id);
		sqlite3_bind_int64(x->mem, 2, I->mem[k]);
		if (sqlite3_step(x->mem) != SQLITE_DONE)
			rc = st_dberr(st, "incident member insert");
	}
	for (size_t k = 0; k < I->ndis && rc == SR_OK; k++) {
		const sf_dis *g = &I->dis[k];
		sqlite3_reset(x->dis);
		sqlite3_bind_int64(x->dis, 1, I->id);
		st_bind_str(x->dis, 2, g->field);
		st_bind_str(x->dis, 3, g->value);
		st_bind_str(x->dis, 4, g->events);
		st_bind_str(x->dis, 5, g->docs);
		st_bind_str(x->dis, 6, g->sources);
		if (sqlite3_step(x->dis) != SQLITE_DONE)
			rc = st_dberr(st, "disagreement insert");
	}
	return rc;
}

/* Deletes incident id with its members and disagreements. */
/* Adds place and the places of a "12,40" list to ci's touched places. */
void
st_fu_touch_places(cincs *ci, long long place, const char *places)
{
	long long pl[SF_MAX_PLACES + 1];
	int n = places ? sf_places_parse(places, pl) : 0;
	pl[n++] = place;
	for (int k = 0; k < n; k++) {
		if (!pl[k])
			continue;
		SR_GROW(ci->touched, ci->captouched, ci->ntouched + 1);
		ci->touched[ci->ntouched++] = pl[k];
	}
}

/* The places of stored incident id, before it goes. */
static int
touch_stored(sr_store *st, cincs *ci, sqlite3_stmt *get, sqlite3_int64 id)
{
	sqlite3_reset(get);
	sqlite3_bind_int64(get, 1, id);
	int rc = sqlite3_step(get);
	if (rc == SQLITE_ROW)
		st_fu_touch_places(ci, sqlite3_column_int64(get, 0),
			     (const char *)sqlite3_column_text(get, 1));
	sqlite3_reset(get);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? SR_OK : st_dberr(st, "incident places");
}

static int
delete_incident(sr_store *st, sqlite3_stmt *const del[3], sqlite3_int64 id)
{
	for (int k = 0; k < 3; k++) {
		sqlite3_reset(del[k]);
		sqlite3_bind_int64(del[k], 1, id);
		if (sqlite3_step(del[k]) != SQLITE_DONE)
			return st_dberr(st, "incident delete");
	}
	return SR_OK;
}

/* Writes the incidents of ci, each under its id; stored incidents
 * numbered above the largest of those ids go.  Incidents are numbered by
 * date, so new reports about recent days leave the older incidents as
 * they were: only those whose digest changed (and those that no longer
 * exist) are deleted and written again.  When ci holds every incident
 * (all) and most changed, all are rewritten at once (the tables
 * truncated first). */
static int
write_incidents(sr_store *st, cincs *ci, int all)
{
	if (st->pg)
		return pg_fu_write_incidents(st, ci, all);
	int rc = SR_OK;
	size_t ninc = ci->n;
	sqlite3_int64 *dig = sr_malloc((ninc + 1) * sizeof *dig);
	cinc x1;
	for (size_t i = 0; i < ninc; i++)
		dig[i] = digest_id(ci->v[i].dig, ci->v[i].id);

	/* the stored digests by id (NULL for rows older than the column) */
	sqlite3_int64 nold = 0;
	{
		long v = st_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents");
		nold = v > 0 ? v : 0;
	}
	sqlite3_int64 *old = sr_calloc((size_t)nold + 1, sizeof *old);
	unsigned char *has = sr_calloc((size_t)nold + 1, 1);
	sqlite3_stmt *s = st_prepare(st, "SELECT id, digest FROM incidents WHERE digest IS NOT NULL");
	if (!s)
		rc = SR_ERR_DB;
	while (rc == SR_OK && sqlite3_step(s) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(s, 0);
		if (id >= 1 && id <= nold) {
			old[id] = sqlite3_column_int64(s, 1);
			has[id] = 1;
		}
	}
	sqlite3_finalize(s);
	size_t changed = 0;
	sqlite3_int64 top = 0;  /* the largest id written */
	for (size_t i = 0; i < ninc; i++) {
		sqlite3_int64 id = ci->v[i].id;
		changed += !(id <= nold && has[id] && old[id] == dig[i]);
		if (id > top)
			top = id;
	}
	for (sqlite3_int64 id = top + 1; id <= nold; id++)
		changed++;
	int whole = all && changed * 2 > ninc;
	ci->changed = changed;
	ci->touch_all = whole;
	ci->ntouched = 0;
	/* the records to be read whose incident was found as stored (left
	 * out of the file): from the stored rows, before any goes */
	unsigned char *need = sr_malloc(ninc + 1);
	for (size_t i = 0; i < ninc; i++) {
		sqlite3_int64 id = ci->v[i].id;
		need[i] = whole || !(id <= nold && has[id] && old[id] == dig[i]);
	}
	if (rc == SR_OK)
		rc = st_fu_known_records(st, ci, need);
	free(need);
	sqlite3_stmt *get = whole ? NULL : st_prepare(st, "SELECT place_id, places FROM incidents"
						     " WHERE id = ?1 AND place_id IS NOT NULL");
	if (!whole && !get)
		rc = SR_ERR_DB;

	inc_stmts x = {0};
	sqlite3_stmt *del[3] = {NULL, NULL, NULL};
	if (rc == SR_OK && whole)
		rc = st_exec(st, "DELETE FROM disagreements; DELETE FROM incident_events;"
			     " DELETE FROM incidents");
	if (rc == SR_OK) {
		x.ins = st_prepare(st,
			"INSERT INTO incidents(id, type, place_id, actor_id, other_id, date,"
			" date_precision, date_lo, date_hi, modality, nevents, ndocs, nsources,"
			" sources, quantities, docs, modalities, first_published, ndisagreements,"
			" digest, places) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
			"?16,?17,?18,?19,?20,?21)");
		x.mem = st_prepare(st, "INSERT INTO incident_events(incident_id, event_id)"
				   " VALUES(?1, ?2)");
		x.dis = st_prepare(st, "INSERT INTO disagreements(incident_id, field, value,"
				   " events, docs, sources) VALUES(?1,?2,?3,?4,?5,?6)");
		del[0] = st_prepare(st, "DELETE FROM incident_events WHERE incident_id = ?1");
		del[1] = st_prepare(st, "DELETE FROM disagreements WHERE incident_id = ?1");
		del[2] = st_prepare(st, "DELETE FROM incidents WHERE id = ?1");
		if (!x.ins || !x.mem || !x.dis || !del[0] || !del[1] || !del[2])
			rc = SR_ERR_DB;
	}
	/* first every delete (an event may move between incidents: its old
	 * membership goes before the new one comes) */
	if (!whole) {
		for (size_t i = 0; i < ninc && rc == SR_OK; i++) {
			sqlite3_int64 id = ci->v[i].id;
			if (id <= nold && !(has[id] && old[id] == dig[i]) &&
			    (rc = touch_stored(st, ci, get, id)) == SR_OK)
				rc = delete_incident(st, del, id);
		}
		for (sqlite3_int64 id = top + 1; id <= nold && rc == SR_OK; id++)
			if ((rc = touch_stored(st, ci, get, id)) == SR_OK)
				rc = delete_incident(st, del, id);
	}
	for (size_t i = 0; i < ninc && rc == SR_OK; i++) {
		sqlite3_int64 id = ci->v[i].id;
		if (whole || !(id <= nold && has[id] && old[id] == dig[i])) {
			if (cinc_get(ci, i, &x1) != SR_OK) {
				rc = st_fail(st, "%s: fusion: cannot read its temporary file", st->path);
			} else {
				rc = insert_incident(st, &x1, dig[i], &x);
				if (!whole && x1.place)
					st_fu_touch_places(ci, x1.place, x1.places);
			}
		}
	}
	sqlite3_finalize(x.ins);
	sqlite3_finalize(x.mem);
	sqlite3_finalize(x.dis);
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(del[k]);
	sqlite3_finalize(get);
	free(dig);
	free(old);
	free(has);
	return rc;
}

/* Fuses under the write lock; with only_if_stale, first checks again
 * (holding the lock) that the events changed since the last fusion; with
 * all, fuses every event again, else only the region the new ones reach
 * when that can be proved to give the same incidents. */
static int
fuse_locked(sr_store *st, int only_if_stale, int all)
{
	if (st->flags & SR_STORE_READONLY)
		return st_fail(st, "%s: opened read-only: cannot fuse", st->path);
	int rc = sr_store_flush(st);
	if (rc != SR_OK)
		return rc;
	/* what fusion writes is whole by construction: no foreign-key check
	 * per row, and the old incidents go by truncation, not row by row
	 * (SQLite ignores the pragma inside a transaction: set it first) */
	if ((rc = st_exec(st, "PRAGMA foreign_keys = OFF")) != SR_OK)
		return rc;
	if ((rc = st_exec(st, "BEGIN IMMEDIATE")) != SR_OK) {
		st_exec(st, "PRAGMA foreign_keys = ON");
		return rc;
	}
	if (only_if_stale && st_fused(st)) {
		rc = st_exec(st, "COMMIT");
		st_exec(st, "PRAGMA foreign_keys = ON");
		return rc;
	}
	/* fusion reads the tables once, in order: a small page cache does
	 * (the memory goes to the events instead) */
	sqlite3_exec(st->db, "PRAGMA cache_size = -8192", NULL, NULL, NULL);
	rc = st_fu_run(st, all);
	if (rc == SR_OK)
		rc = st_exec(st, "COMMIT");
	if (rc != SR_OK)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(st->db, "PRAGMA foreign_keys = ON", NULL, NULL, NULL);
	st_size_cache(st);
	return rc;
}

/* ------------------------------------------------- for both engines */

/* (st_fu_*: fusion_int.h) */
int
st_fu_run(sr_store *st, int all)
{
	int rc = SR_OK;
	fcommon cm = {0};
	cincs ci = {0};
	double tload = 0, tfuse = 0, t2 = 0, t3 = 0;
	long rss_t2 = 0;
	int part = 0;
	if (!all)
		rc = st_fuse_region(st, &cm, &ci, &part, &tload, &tfuse);
	if (rc == SR_OK && !part) {
		st_cincs_free(&ci);
		fcommon_free(&cm);
		memset(&ci, 0, sizeof ci);
		memset(&cm, 0, sizeof cm);
		rc = fuse_all(st, &cm, &ci, &tload, &tfuse);
	}
	if (rc == SR_OK) {
		t2 = st_fuse_cpu();
		rss_t2 = peak_mb();
		rc = write_incidents(st, &ci, !part);
		t3 = st_fuse_cpu();
	}
	if (rc == SR_OK)
		rc = st_fu_write_status(st, part ? &ci : NULL);
	if (getenv("SITREP_FUSE_TIMING")) {
		char sp[64] = "every place's status";
		if (st->status_places >= 0)
			snprintf(sp, sizeof sp, "the status of %ld places", st->status_places);
		fprintf(stderr, "load %.2f fuse %.2f incidents %.2f status %.2f (CPU s); %s, %zu"
			" incidents written or deleted (%zu from their stored rows), %s; peak memory"
			" after fusion %ld MB\n", tload, tfuse, t3 - t2, st_fuse_cpu() - t3,
			part ? "a region" : "all events", ci.changed, ci.restored, sp, rss_t2);
	}
	if (rc == SR_OK) {
		char gen[32];
		st_meta_get(st, "events_gen", gen, sizeof gen);
		rc = st_meta_set(st, "fused_gen", gen);
	}
	if (rc == SR_OK) {
		/* what the next fusion counts as new */
		char v[32];
		long n = st_scalar(st, "SELECT count(*) FROM incidents WHERE ndisagreements > 0");
		snprintf(v, sizeof v, "%ld", n);
		rc = n < 0 ? SR_ERR_DB : st_meta_set(st, "disagreeing", v);
		n = st_scalar(st, "SELECT coalesce(max(id), 0) FROM events");
		snprintf(v, sizeof v, "%ld", n);
		if (rc == SR_OK)
			rc = n < 0 ? SR_ERR_DB : st_meta_set(st, "fused_events", v);
		n = st_scalar(st, "SELECT coalesce(max(id), 0) FROM doc_copies");
		snprintf(v, sizeof v, "%ld", n);
		if (rc == SR_OK)
			rc = n < 0 ? SR_ERR_DB : st_meta_set(st, "fused_copies", v);
		/* the number of incidents, which the statistics read (both
		 * engines: counted by each query, it walked an index of all of
		 * them, 571,279 at ten million events; count(*) reads a whole
		 * table on PostgreSQL, where the numbers, dense from 1, give
		 * it) */
		n = st_scalar(st, st->pg ? "SELECT coalesce(max(id), 0) FROM incidents"
			      : "SELECT count(*) FROM incidents");
		snprintf(v, sizeof v, "%ld", n);
		if (rc == SR_OK)
			rc = n < 0 ? SR_ERR_DB : st_meta_set(st, "nincidents", v);
	}
	st_cincs_free(&ci);
	fcommon_free(&cm);
	return rc;
}

int
st_fu_cinc_get(cincs *c, size_t k, cinc *x)
{
	return cinc_get(c, k, x);
}

long long
st_fu_digest(const cinc *I, sr_buf *scratch)
{
	return digest_id(incident_digest(I, scratch), I->id);
}

long long
st_fu_key_digest(const ckey *k)
{
	return digest_id(k->dig, k->id);
}

int
sr_store_fuse(sr_store *st)
{
	if (st->pg)
		return pg_fuse(st, 0, 0);
	return fuse_locked(st, 0, 0);
}

int
sr_store_fused(sr_store *st)
{
	return st_fused(st);
}

int
sr_store_fuse_all(sr_store *st)
{
	if (st->pg)
		return pg_fuse(st, 0, 1);
	return fuse_locked(st, 0, 1);
}

int
st_fuse_if_stale(sr_store *st)
{
	if (st->pg)
		return pg_fuse(st, 1, 0);
	return fuse_locked(st, 1, 0);
}
