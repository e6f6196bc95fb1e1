/*
 * fuse_region.c -- fusion after an ingest, of only the region of time its
 * new reports reach (incremental fusion): which events that is, loading
 * them with the other members of their stored incidents, fusing them
 * type by type with sf_fuse_region, and numbering the incidents so that
 * those outside the region keep their numbers.  fuse.c falls back to a
 * fusion of all when the region cannot be proved to give what that
 * gives.
 */
#include "fusion_int.h"

#include <errno.h>
#include <stdlib.h>

/* A fusion after an ingest fuses again only the region of time its new
 * events reach: every event whose window reaches X0 or later, X0 a margin
 * before the earliest window of the new events (and of events whose
 * report gained a copy), with the other members of their stored
 * incidents.  sf_fuse_region keeps the events whose windows start before
 * X0 in their stored incidents and proves that nothing outside the
 * region could see an incident that changed; when it cannot, the margin
 * doubles, and after REGION_TRIES the whole store is fused.  The
 * incidents are numbered by date: those of the region that are exactly
 * a stored one numbered at or below every incident outside the region
 * keep their numbers; the others follow the last incident outside it, in
 * the timeline's order. */
#define REGION_MARGIN_DAYS 16
#define REGION_TRIES 4

/* A meta value as a number, -1 when it is not there. */
static long long
meta_num(sr_store *st, const char *key)
{
	char v[32] = "";
	st_meta_get(st, key, v, sizeof v);
	return v[0] ? strtoll(v, NULL, 10) : -1;
}

/* The earliest start of the windows of the events stored (or whose
 * report gained a copy) since the last fusion, which recorded the last
 * event and copy it saw (fe, fc); *n their number.  SR_OK. */
static int
dirty_start(sr_store *st, long long fe, long long fc, int32_t *lo, int32_t *hi, long long *n)
{
	/* (PostgreSQL's ingests number their rows in blocks, not in the
	 * order they commit: new there means in no incident yet) */
	if (st->pg)
		return pg_fu_dirty_start(st, fc, lo, hi, n);
	sqlite3_stmt *s = st_prepare(st,
		"SELECT e.date, e.date_approx, e.modality, d.published FROM events e"
		" JOIN documents d ON d.id = e.doc_id WHERE e.id > ?1"
		" UNION ALL SELECT e.date, e.date_approx, e.modality, d.published"
		" FROM doc_copies c JOIN events e ON e.doc_id = c.doc_id"
		" JOIN documents d ON d.id = c.doc_id WHERE c.id > ?2");
	if (!s)
		return SR_ERR_DB;
	sqlite3_bind_int64(s, 1, fe);
	sqlite3_bind_int64(s, 2, fc);
	*lo = INT32_MAX;
	*hi = INT32_MIN;
	*n = 0;
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		sf_event e;
		memset(&e, 0, sizeof e);
		e.date = (const char *)sqlite3_column_text(s, 0);
		e.approx = sqlite3_column_int(s, 1);
		e.modality = (const char *)sqlite3_column_text(s, 2);
		e.published = (const char *)sqlite3_column_text(s, 3);
		sf_event_window(&e);
		if (e.lo < *lo)
			*lo = e.lo;
		if (e.hi > *hi)
			*hi = e.hi;
		(*n)++;
	}
	sqlite3_finalize(s);
	return step == SQLITE_DONE ? SR_OK : st_dberr(st, "reading new events");
}

static void
region_free(region *r)
{
	free(r->ev);
	sr_arena_free(&r->a);
	memset(r, 0, sizeof *r);
}

/* Appends the rows of s (EVENT_COLS, then the stored incident). */
static int
region_rows(sr_store *st, fcommon *c, region *r, sqlite3_stmt *s)
{
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		SR_GROW(r->ev, r->cap, r->n + 1);
		sf_event *e = &r->ev[r->n++];
		st_fuse_read_event(c, &r->a, s, e);
		e->was = sqlite3_column_int64(s, 14);
	}
	return step == SQLITE_DONE ? SR_OK : st_dberr(st, "reading events");
}

static int
cmp_ll(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;
	return (x > y) - (x < y);
}

/* (st_uniq_ll, st_has_ll: fusion_int.h) */
size_t
st_uniq_ll(long long *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_ll);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

int
st_has_ll(const long long *v, size_t n, long long x)
{
	return bsearch(&x, v, n, sizeof *v, cmp_ll) != NULL;
}

typedef struct dockey {
	const char *key;
	long long id;
} dockey;

static int
cmp_dockey(const void *a, const void *b)
{
	return strcmp(((const dockey *)a)->key, ((const dockey *)b)->key);
}

/* The documents of the region's events into c (their ranks by key among
 * themselves: fusion only compares them), and each event's fields from
 * its document. */
static int
load_docs(sr_store *st, fcommon *c, region *r)
{
	long long *ids = sr_malloc((r->n + 1) * sizeof *ids);
	for (size_t i = 0; i < r->n; i++)
		ids[i] = r->ev[i].doc;
	size_t n = st_uniq_ll(ids, r->n);
	dockey *keys = sr_malloc((n + 1) * sizeof *keys);
	size_t nk = 0;
	int rc = SR_OK;
	sqlite3_stmt *s = st_prepare(st, "SELECT name, outlet, published, key FROM documents"
				     " WHERE id = ?1");
	sqlite3_stmt *cp = st_prepare(st, "SELECT outlet FROM doc_copies WHERE doc_id = ?1"
				      " AND outlet IS NOT NULL ORDER BY outlet");
	if (!s || !cp)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < n && rc == SR_OK; i++) {
		if (ids[i] < 1 || ids[i] > c->ndoc)
			continue;
		ldoc *d = &c->doc[ids[i]];
		sqlite3_reset(s);
		sqlite3_bind_int64(s, 1, ids[i]);
		if (sqlite3_step(s) != SQLITE_ROW) {
			rc = st_dberr(st, "reading documents");
			break;
		}
		d->name = st_col_dup(&c->a, s, 0);
		d->outlet = st_col_str(&c->tab, s, 1);
		d->published = st_col_str(&c->tab, s, 2);
		keys[nk].key = st_col_dup(&c->a, s, 3);
		keys[nk].id = ids[i];
		if (keys[nk].key)
			nk++;
		sqlite3_reset(cp);
		sqlite3_bind_int64(cp, 1, ids[i]);
		int step, k = 0;
		const char *v[64];
		while ((step = sqlite3_step(cp)) == SQLITE_ROW && k < (int)SR_ARRAY_LEN(v))
			v[k++] = st_col_str(&c->tab, cp, 0);
		if (step != SQLITE_ROW && step != SQLITE_DONE) {
			rc = st_dberr(st, "reading copies");
			break;
		}
		if (k) {
			const char **cv = sr_arena_alloc(&c->a, (size_t)k * sizeof *cv);
			memcpy(cv, v, (size_t)k * sizeof *cv);
			d->copies = cv;
			d->ncopies = k;
		}
	}
	sqlite3_finalize(s);
	sqlite3_finalize(cp);
	if (nk > 1)
		qsort(keys, nk, sizeof *keys, cmp_dockey);
	for (size_t i = 0; i < nk; i++)
		c->doc[keys[i].id].ord = (long long)i + 1;
	for (size_t i = 0; i < r->n; i++)
		st_fuse_event_doc(c, &r->ev[i]);
	free(keys);
	free(ids);
	return rc;
}

/* The events whose windows may reach x0 or later, with the other members
 * of their stored incidents; *was gets the stored incidents (sorted). */
static int
load_region(sr_store *st, fcommon *c, int32_t x0, region *r, long long **was, size_t *nwas)
{
	/* a dated event's window ends at most 7 days after its date's end,
	 * an undated one at most SR_FUSE_UNDATED_DAYS after its report */
	if (st->pg)
		return pg_fu_load_region(st, c, x0, r, was, nwas);
	char c1[11], c2[11];
	st_date_str(x0 - 8, c1);
	st_date_str(x0 - SR_FUSE_UNDATED_DAYS - 1, c2);
	static const char *const sql[3] = {
		"SELECT " EVENT_COLS ", ie.incident_id FROM events e LEFT JOIN incident_events ie"
		" ON ie.event_id = e.id WHERE e.date_hi >= ?1",
		"SELECT " EVENT_COLS ", ie.incident_id FROM documents d JOIN events e"
		" ON e.doc_id = d.id LEFT JOIN incident_events ie ON ie.event_id = e.id"
		" WHERE d.published >= ?1 AND e.date_hi IS NULL",
		"SELECT " EVENT_COLS ", ie.incident_id FROM documents d JOIN events e"
		" ON e.doc_id = d.id LEFT JOIN incident_events ie ON ie.event_id = e.id"
		" WHERE d.published IS NULL AND e.date_hi IS NULL"};
	int rc = SR_OK;
	double t0 = st_fuse_cpu();
	for (int q = 0; q < 3 && rc == SR_OK; q++) {
		sqlite3_stmt *s = st_prepare(st, sql[q]);
		if (!s)
			return SR_ERR_DB;
		if (q < 2)
			st_bind_str(s, 1, q == 0 ? c1 : c2);
		rc = region_rows(st, c, r, s);
		sqlite3_finalize(s);
	}
	if (rc != SR_OK)
		return rc;
	double t1 = st_fuse_cpu();
	/* the other members of their stored incidents */
	long long *ids = sr_malloc((r->n + 1) * sizeof *ids);
	long long *w = sr_malloc((r->n + 1) * sizeof *w);
	size_t nw = 0;
	for (size_t i = 0; i < r->n; i++) {
		ids[i] = r->ev[i].id;
		if (r->ev[i].was)
			w[nw++] = r->ev[i].was;
	}
	size_t nids = st_uniq_ll(ids, r->n);
	nw = st_uniq_ll(w, nw);
	sqlite3_stmt *mem = st_prepare(st, "SELECT event_id FROM incident_events"
				       " WHERE incident_id = ?1");
	sqlite3_stmt *one = st_prepare(st, "SELECT " EVENT_COLS ", ie.incident_id FROM events e"
				       " LEFT JOIN incident_events ie ON ie.event_id = e.id"
				       " WHERE e.id = ?1");
	if (!mem || !one)
		rc = SR_ERR_DB;
	for (size_t i = 0; i < nw && rc == SR_OK; i++) {
		sqlite3_reset(mem);
		sqlite3_bind_int64(mem, 1, w[i]);
		int step;
		while (rc == SR_OK && (step = sqlite3_step(mem)) == SQLITE_ROW) {
			long long id = sqlite3_column_int64(mem, 0);
			if (st_has_ll(ids, nids, id))
				continue;
			sqlite3_reset(one);
			sqlite3_bind_int64(one, 1, id);
			rc = region_rows(st, c, r, one);
		}
		if (rc == SR_OK && step != SQLITE_DONE)
			rc = st_dberr(st, "reading incident members");
	}
	sqlite3_finalize(mem);
	sqlite3_finalize(one);
	free(ids);
	double t2 = st_fuse_cpu();
	if (rc == SR_OK)
		rc = load_docs(st, c, r);
	if (getenv("SITREP_FUSE_TIMING"))
		fprintf(stderr, "  region's load: events %.2f, members %.2f, documents %.2f (CPU s)\n",
			t1 - t0, t2 - t1, st_fuse_cpu() - t2);
	*was = w;
	*nwas = nw;
	return rc;
}

static int
cmp_ev_type(const void *pa, const void *pb)
{
	const sf_event *a = pa, *b = pb;
	int r = a->type == b->type ? 0 : strcmp(a->type ? a->type : "", b->type ? b->type : "");
	return r ? r : (a->id > b->id) - (a->id < b->id);
}

/* Fuses the region from x0 type by type into out; *ok = 0 when
 * sf_fuse_region cannot prove a type's result. */
static int
fuse_types(sr_store *st, region *r, cincs *out, int32_t x0, int *ok)
{
	*ok = 1;
	if (r->n > 1)
		qsort(r->ev, r->n, sizeof *r->ev, cmp_ev_type);
	for (size_t i = 0; i < r->n && *ok;) {
		size_t j = i + 1;
		const char *ti = r->ev[i].type ? r->ev[i].type : "";
		while (j < r->n && !strcmp(ti, r->ev[j].type ? r->ev[j].type : ""))
			j++;
		sf_fusion fu = {0};
		fu.each = 1;    /* summaries made one by one (st_fuse_keep) */
		fu.ev = r->ev + i;
		fu.nev = j - i;
		*ok = sf_fuse_region(&fu, x0);
		if (*ok && st_fuse_keep(&fu, out) != SR_OK) {
			sf_fusion_free(&fu);
			return st_fail(st, "%s: fusion: cannot write a temporary file: %s", st->path,
				       strerror(errno));
		}
		sf_fusion_free(&fu);
		i = j;
	}
	return SR_OK;
}

/* The region's incidents: those kept under their stored numbers first
 * (by number), then the others in the timeline's order. */
static int
cmp_region(const void *pa, const void *pb)
{
	const ckey *a = pa, *b = pb;
	int fa = a->id > 0, fb = b->id > 0;
	if (fa != fb)
		return fb - fa;
	if (fa)
		return (a->id > b->id) - (a->id < b->id);
	return st_cmp_ckey(a, b);
}

/* Numbers the region's incidents (see above): *ok = 0 when the stored
 * order of those kept as they were is not the timeline's. */
static int
number_region(sr_store *st, cincs *ci, const long long *was, size_t nwas, int *ok)
{
	long v = st_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents");
	if (v < 0)
		return SR_ERR_DB;
	long long p = v;        /* the last incident outside the region */
	while (p > 0 && st_has_ll(was, nwas, p))
		p--;
	size_t nfixed = 0;
	for (size_t i = 0; i < ci->n; i++) {
		ckey *k = &ci->v[i];
		k->id = k->was && k->was <= p ? k->was : 0;
		nfixed += k->id > 0;
	}
	if (ci->n > 1)
		qsort(ci->v, ci->n, sizeof *ci->v, cmp_region);
	/* a stored incident of the region that changed comes after every
	 * incident outside it (its events' windows all start at or after x0) */
	long long *kept = sr_malloc((ci->n + 1) * sizeof *kept);
	size_t nk = 0;
	for (size_t i = 0; i < ci->n; i++)
		if (ci->v[i].was)
			kept[nk++] = ci->v[i].was;
	nk = st_uniq_ll(kept, nk);
	*ok = 1;
	for (size_t i = 0; i < nwas && *ok; i++)
		*ok = was[i] > p || st_has_ll(kept, nk, was[i]);
	free(kept);
	long long last = 0;
	for (size_t i = nfixed; i < ci->n; i++) {
		ckey *k = &ci->v[i];
		if (k->was) {
			*ok &= k->was > last;
			last = k->was;
		}
		k->id = p + 1 + (long long)(i - nfixed);
	}
	return SR_OK;
}

/* Fuses again only the region the events stored since the last fusion
 * reach, into out (numbered); *done = 0 when it cannot (no record of the
 * last fusion, too many new events, or no proof after REGION_TRIES):
 * then the caller fuses all. */
int
st_fuse_region(sr_store *st, fcommon *cm, cincs *out, int *done, double *tload, double *tfuse)
{
	*done = 0;
	long long fe = meta_num(st, "fused_events"), fc = meta_num(st, "fused_copies");
	if (fe < 0 || fc < 0)
		return SR_OK;
	int32_t lo, hi;
	long long ndirty;
	double t0 = st_fuse_cpu();
	int rc = dirty_start(st, fe, fc, &lo, &hi, &ndirty);
	long total = st_scalar(st, "SELECT count(*) FROM events");
	/* nothing new (a full fusion costs no more), a quarter of the store
	 * new, or an event without a window: all */
	if (rc != SR_OK || ndirty == 0 || total < 0 || ndirty * 4 > total ||
	    lo < INT32_MIN / 8 || hi > INT32_MAX / 8)
		return rc;
	rc = st_fuse_load_common(st, cm, 0);
	*tload += st_fuse_cpu() - t0;
	for (int t = 0; t < REGION_TRIES && rc == SR_OK && !*done; t++) {
		int32_t x0 = lo - (REGION_MARGIN_DAYS << t);
		region r = {0};
		long long *was = NULL;
		size_t nwas = 0;
		t0 = st_fuse_cpu();
		rc = load_region(st, cm, x0, &r, &was, &nwas);
		double t1 = st_fuse_cpu();
		*tload += t1 - t0;
		st_cincs_free(out);
		memset(out, 0, sizeof *out);
		out->f = tmpfile();
		if (rc == SR_OK && !out->f)
			rc = st_fail(st, "%s: fusion: cannot make a temporary file: %s", st->path,
				     strerror(errno));
		int ok = 0;
		if (rc == SR_OK)
			rc = fuse_types(st, &r, out, x0, &ok);
		if (rc == SR_OK && ok)
			rc = number_region(st, out, was, nwas, &ok);
		if (rc == SR_OK && ok && fflush(out->f) != 0)
			rc = st_fail(st, "%s: fusion: cannot write a temporary file: %s", st->path,
				     strerror(errno));
		*tfuse += st_fuse_cpu() - t1;
		if (getenv("SITREP_FUSE_TIMING")) {
			char d[11];
			st_date_str(x0, d);
			fprintf(stderr, "  region from %s: %zu of %ld events (%lld new), %zu incidents,"
				" %s\n", d, r.n, total, ndirty, out->n, ok ? "proved" : "not proved");
		}
		*done = rc == SR_OK && ok;
		region_free(&r);
		free(was);
	}
	return rc;
}
