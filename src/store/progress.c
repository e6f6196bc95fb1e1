/*
 * progress.c -- a hook into the queries of a store handle, so that a
 * caller (the server) can stop one that runs too long.  SQLite calls the
 * handler every N virtual machine steps; a nonzero return interrupts the
 * statement, which then fails as any store error does.
 */
#include "store_int.h"

/* steps between calls: about 0.1 ms of work, so a stop comes promptly */
#define ST_PROGRESS_STEPS 4000

void
sr_store_set_progress(sr_store *st, int (*fn)(void *arg), void *arg)
{
	sqlite3_progress_handler(st->db, fn ? ST_PROGRESS_STEPS : 0, fn, fn ? arg : NULL);
}
