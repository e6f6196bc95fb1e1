/*
 * serve_hooks.c -- what the server needs of a store handle beyond the
 * queries: a hook to stop a query that runs too long, and a generation
 * that changes whenever the store's content does (the server's response
 * cache is keyed by it).
 *
 * The hook is SQLite's progress handler: called every N virtual machine
 * steps, a nonzero return interrupts the statement, which then fails as
 * any store error does.  The generation reads the meta table (every
 * committed batch of an ingest bumps its event generation, every fusion
 * its fused generation) and the last document's row, in one statement.
 */
#include "store_int.h"
#include "pg_int.h"

/* steps between calls: about 0.1 ms of work, so a stop comes promptly */
#define ST_PROGRESS_STEPS 4000

void
sr_store_set_progress(sr_store *st, int (*fn)(void *arg), void *arg)
{
	if (st->pg)     /* PostgreSQL: bounded by statement_timeout (pg.c) */
		return;
	sqlite3_progress_handler(st->db, fn ? ST_PROGRESS_STEPS : 0, fn, fn ? arg : NULL);
}

int
sr_store_generation(sr_store *st, char *out, size_t n)
{
	if (st->pg)
		return pg_generation(st, out, n);
	out[0] = 0;
	sqlite3_stmt *s = st_prepare(st,
		"SELECT (SELECT group_concat(key || '=' || value, ';') FROM meta) || '/' ||"
		" coalesce((SELECT max(id) FROM documents), 0)");
	if (!s)
		return SR_ERR_DB;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW && sqlite3_column_text(s, 0))
		snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? SR_OK : st_dberr(st, "reading the store's generation");
}
