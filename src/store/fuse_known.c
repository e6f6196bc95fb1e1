/*
 * fuse_known.c -- the incidents a fusion of all events finds exactly as
 * they are stored, known before they are numbered, so that their records
 * are not written to fusion's temporary file (SQLite).
 *
 * An incident's record (st_fuse_keep) is read back only when the
 * incident is written: when its digest under its new number is not the
 * one stored under that number.  Fusing a million events again, nearly
 * every incident is as stored, and their records (420 MB of the
 * synthetic million: every disagreement's members, documents and
 * sources as JSON) were written for nothing, a fifth of the fusion's
 * time in the kernel's copies.  The number is known only once every
 * type is fused, but the content is known when the incident is kept:
 * the stored digest is made from the content's hash and the number by
 * steps that can be undone (digest_id in fuse.c), so each stored digest
 * gives back the hash of its incident's content (two candidates: the
 * last step drops a bit).  An incident whose hash is one of them is
 * stored incident X with the same content: its record is left out.
 * Once numbered, an incident left out whose number is not X (an earlier
 * incident came or went) is written from X's stored rows, which are its
 * very content (st_fu_known_records, before anything is deleted).
 */
#include "fusion_int.h"

#include <stdlib.h>

struct fknown {
	uint64_t *h;            /* content hashes (0: an empty slot) */
	long long *id;          /* the stored incident of each */
	size_t mask;
};

/* The modular inverse of digest_id's multiplier (fuse.c). */
static uint64_t
inverse(uint64_t a)
{
	uint64_t x = a;         /* Newton's iteration: 5 steps for 64 bits */
	for (int i = 0; i < 5; i++)
		x *= 2 - a * x;
	return x;
}

static void
known_put(fknown *k, uint64_t h, long long id)
{
	h |= h == 0;    /* (a hash of 0 is looked up as 1: a miss at worst) */
	size_t i = (size_t)(h ^ h >> 31) & k->mask;
	while (k->h[i] && k->h[i] != h)
		i = (i + 1) & k->mask;
	if (!k->h[i]) {
		k->h[i] = h;
		k->id[i] = id;
	}
}

long long
st_fu_known_get(const fknown *k, uint64_t h)
{
	if (!k)
		return 0;
	h |= h == 0;
	size_t i = (size_t)(h ^ h >> 31) & k->mask;
	while (k->h[i]) {
		if (k->h[i] == h)
			return k->id[i];
		i = (i + 1) & k->mask;
	}
	return 0;
}

int
st_fu_known_load(sr_store *st, fknown **out)
{
	*out = NULL;
	/* (sized by the largest id, found in the table's B-tree at once: a
	 * count would read the whole table once more) */
	long n = st_scalar(st, "SELECT coalesce(max(id), 0) FROM incidents");
	if (n < 0)
		return SR_ERR_DB;
	if (n == 0)
		return SR_OK;
	fknown *k = sr_calloc(1, sizeof *k);
	size_t cap = 64;
	while (cap < (size_t)n * 4)
		cap *= 2;
	k->mask = cap - 1;
	k->h = sr_calloc(cap, sizeof *k->h);
	k->id = sr_calloc(cap, sizeof *k->id);
	sqlite3_stmt *s = st_prepare(st, "SELECT id, digest FROM incidents WHERE digest IS NOT NULL");
	if (!s) {
		st_fu_known_free(k);
		return SR_ERR_DB;
	}
	const uint64_t mul = 0xff51afd7ed558ccdull, inv = inverse(mul);
	int step;
	while ((step = sqlite3_step(s)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(s, 0);
		uint64_t v = (uint64_t)sqlite3_column_int64(s, 1);
		/* digest_id's steps undone: >> 1 (two candidates for the bit
		 * it dropped), h ^= h >> 33, h *= mul, h ^= id * K */
		for (uint64_t b = 0; b < 2; b++) {
			uint64_t y = v << 1 | b;
			y ^= y >> 33;
			y *= inv;
			y ^= (uint64_t)id * 0x9E3779B97F4A7C15ull;
			known_put(k, y, id);
		}
	}
	sqlite3_finalize(s);
	if (step != SQLITE_DONE) {
		st_fu_known_free(k);
		return st_dberr(st, "reading incident digests");
	}
	*out = k;
	return SR_OK;
}

void
st_fu_known_free(fknown *k)
{
	if (!k)
		return;
	free(k->h);
	free(k->id);
	free(k);
}

/* Column i of s copied into a; NULL for NULL. */
static char *
dup_col(sr_arena *a, sqlite3_stmt *s, int i)
{
	const unsigned char *v = sqlite3_column_text(s, i);
	if (!v)
		return NULL;
	return sr_arena_strndup(a, (const char *)v, (size_t)sqlite3_column_bytes(s, i));
}

/* Stored incident id's rows as the record fusion would have kept for
 * it, into x (strings in a and t). */
static int
stored_cinc(sr_store *st, sqlite3_stmt *const q[3], long long id, sr_arena *a, strtab *t, cinc *x)
{
	for (int k = 0; k < 3; k++) {
		sqlite3_reset(q[k]);
		sqlite3_bind_int64(q[k], 1, id);
	}
	sqlite3_stmt *s = q[0];
	if (sqlite3_step(s) != SQLITE_ROW)
		return st_fail(st, "%s: fusion: stored incident %lld is gone", st->path, id);
	x->type = st_col_str(t, s, 0);
	x->place = sqlite3_column_int64(s, 1);
	x->actor = sqlite3_column_int64(s, 2);
	x->other = sqlite3_column_int64(s, 3);
	x->date = st_col_dup(a, s, 4);
	x->dated = x->date != NULL;
	x->dprec = st_col_str(t, s, 5);
	int32_t lo, hi;
	if (x->dated && st_date_range((const char *)sqlite3_column_text(s, 6), &lo, &hi))
		x->dlo = lo;
	if (x->dated && st_date_range((const char *)sqlite3_column_text(s, 7), &lo, &hi))
		x->dhi = lo;
	int m = sr_modality_parse((const char *)sqlite3_column_text(s, 8));
	x->mod = m > 0 ? m : SR_MOD_ASSERTED;
	x->nmem = (size_t)sqlite3_column_int64(s, 9);
	x->ndocs = (size_t)sqlite3_column_int64(s, 10);
	x->sources_json = dup_col(a, s, 12);
	x->quantities_json = dup_col(a, s, 13);
	x->docs = dup_col(a, s, 14);
	x->modalities = dup_col(a, s, 15);
	x->first_published = st_col_str(t, s, 16);
	x->ndis = (size_t)sqlite3_column_int64(s, 17);
	x->places = st_col_dup(a, s, 18);
	x->actor_key = st_col_dup(a, s, 19);
	x->other_name = st_col_dup(a, s, 20);
	x->other_is_place = sqlite3_column_int(s, 21);
	const char *const *names;
	x->nsources = st_fu_json_names(t, x->sources_json, &names);
	const char **srcs = sr_arena_alloc(a, (x->nsources + 1) * sizeof *srcs);
	for (size_t k = 0; k < x->nsources; k++)
		srcs[k] = names[k];
	x->sources = srcs;
	x->days = st_fu_json_days(x->quantities_json);
	long long *mem = sr_arena_alloc(a, (x->nmem + 1) * sizeof *mem);
	size_t nm = 0;
	int step;
	while ((step = sqlite3_step(q[1])) == SQLITE_ROW && nm < x->nmem)
		mem[nm++] = sqlite3_column_int64(q[1], 0);
	x->mem = mem;
	sf_dis *dis = sr_arena_alloc(a, (x->ndis + 1) * sizeof *dis);
	size_t nd = 0;
	while ((step = sqlite3_step(q[2])) == SQLITE_ROW && nd < x->ndis) {
		dis[nd].field = st_col_str(t, q[2], 0);
		dis[nd].value = dup_col(a, q[2], 1);
		dis[nd].events = dup_col(a, q[2], 2);
		dis[nd].docs = dup_col(a, q[2], 3);
		dis[nd].sources = dup_col(a, q[2], 4);
		nd++;
	}
	x->dis = dis;
	if (nm != x->nmem || nd != x->ndis)
		return st_fail(st, "%s: fusion: stored incident %lld has %zu of its %zu members and"
			       " %zu of its %zu disagreements", st->path, id, nm, x->nmem, nd, x->ndis);
	return SR_OK;
}

int
st_fu_known_records(sr_store *st, cincs *ci, const unsigned char *need)
{
	static const char *const sql[3] = {
		("SELECT i.type, i.place_id, i.actor_id, i.other_id, i.date, i.date_precision,"
		 " i.date_lo, i.date_hi, i.modality, i.nevents, i.ndocs, i.nsources, i.sources,"
		 " i.quantities, i.docs, i.modalities, i.first_published, i.ndisagreements,"
		 " i.places, a.key, o.name, o.is_place FROM incidents i"
		 " LEFT JOIN entities a ON a.id = i.actor_id LEFT JOIN entities o ON o.id = i.other_id"
		 " WHERE i.id = ?1"),
		"SELECT event_id FROM incident_events WHERE incident_id = ?1 ORDER BY rowid",
		("SELECT field, value, events, docs, sources FROM disagreements WHERE incident_id = ?1"
		 " ORDER BY id")};
	size_t todo = 0;
	for (size_t i = 0; i < ci->n; i++)
		todo += need[i] && ci->v[i].off < 0;
	if (!todo)
		return SR_OK;
	sqlite3_stmt *q[3] = {NULL, NULL, NULL};
	int rc = SR_OK;
	for (int k = 0; k < 3 && rc == SR_OK; k++)
		if (!(q[k] = st_prepare(st, sql[k])))
			rc = SR_ERR_DB;
	sr_arena a = {0};
	strtab t = {.a = &a};
	long off = 0;
	if (rc == SR_OK && (fseek(ci->f, 0, SEEK_END) != 0 || (off = ftell(ci->f)) < 0))
		rc = st_fail(st, "%s: fusion: cannot write a temporary file", st->path);
	for (size_t i = 0; i < ci->n && rc == SR_OK; i++) {
		ckey *k = &ci->v[i];
		if (!need[i] || k->off >= 0)
			continue;
		cinc x;
		memset(&x, 0, sizeof x);
		x.first = k->first;
		x.n = k->n;
		rc = stored_cinc(st, q, k->same, &a, &t, &x);
		if (rc != SR_OK)
			break;
		if (!x.type || strcmp(x.type, k->type) != 0) {
			rc = st_fail(st, "%s: fusion: stored incident %lld is not the one its digest"
				     " says", st->path, k->same);
			break;
		}
		st_fu_cinc_put(&ci->b, &x);
		if (fwrite(ci->b.ptr, 1, ci->b.len, ci->f) != ci->b.len) {
			rc = st_fail(st, "%s: fusion: cannot write a temporary file", st->path);
			break;
		}
		k->off = off;
		off += (long)ci->b.len;
		ci->restored++;
		sr_arena_reset(&a);
		free(t.v);
		t.v = NULL;
		t.used = 0;
	}
	if (rc == SR_OK && fflush(ci->f) != 0)
		rc = st_fail(st, "%s: fusion: cannot write a temporary file", st->path);
	for (int k = 0; k < 3; k++)
		sqlite3_finalize(q[k]);
	free(t.v);
	sr_arena_free(&a);
	return rc;
}
