/*
 * vfs.c -- the write-ahead log's frames written a transaction at a time.
 *
 * SQLite writes each frame of its log with two pwrite calls (the frame's
 * 24-byte header, then the page), and a system call costs several
 * microseconds on this project's virtual machine: an ingest of the
 * bench's 1,157 reports made 5,153 writes, 3,000 of them frames.  This
 * VFS passes everything to the system's default VFS, except that the
 * frames written to a log one after the other are gathered in a buffer
 * and written by one call: when a frame's header says it ends a
 * transaction (its "database size after commit" is not zero), once its
 * page is in, the buffer is written and that write's result is the
 * page's, so a failed write (a full disk) fails the commit as before.
 * Anything else done to the log (a read, a sync, a truncation, a write
 * elsewhere) and the database's shared-memory barrier, which SQLite
 * passes before it publishes new frames to readers, write what is held
 * first; an error at the barrier (which returns nothing) is returned by
 * the log's next call, which fails the transaction those frames were
 * part of.
 * Frames held when the process dies were not committed: the log's
 * recovery ignores them, as it ignores a torn write.
 *
 * A checkpoint's pages, written to the database in the order of their
 * numbers, are held likewise and written before anything else is done
 * to the database file: before the sync that ends a checkpoint (the
 * store's writers run with synchronous = NORMAL, which syncs it), so a
 * page that could not be written fails the checkpoint, and the log
 * keeps its frames until one succeeds; before the lock calls after
 * which readers may read those pages from the database.
 */
#include "store_int.h"

#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define VFS_NAME "sitrep-wal"
#define VFS_HOLD (1u << 20)     /* bytes of frames held at most */
#define VFS_PIECE (64u << 10)   /* bytes written by one call */
#define WAL_FRAME_HDR 24

typedef struct vfile vfile;
struct vfile {
	sqlite3_file base;
	sqlite3_file *real;     /* the default VFS's file, right after this */
	vfile *wal;             /* a database: its log's file, while open */
	vfile *db;              /* a log: its database's file */
	int is_wal;
	int hold;               /* writes are held: a log with its database,
				 * a database */
	int commit;             /* the last write was a commit frame's header */
	int err;                /* a write of held frames that failed, not
				 * returned yet */
	unsigned char *buf;
	int buf_mapped;         /* buf is a chunk of a region (hold_alloc) */
	size_t n;
	sqlite3_int64 off;      /* where buf[0] goes */
};

/* The buffers that hold frames, VFS_HOLD bytes each, come in pairs (a
 * log's and its database's) from regions of one huge page, kept in a
 * list when their file closes and handed out again: a buffer of
 * malloc's was 256 page faults of 4 KB when first written (and one
 * for a checkpoint's pages as many again), and such a fault costs
 * about 16 us on this project's virtual machine, where a huge page's
 * costs 0.15 to 2 ms (ingest of the bench's 1,157 reports: 370 faults
 * of the store's 830).  Where huge pages are not given, the region is
 * still one mapping, faulted a page at a time as before. */
#define VFS_REGION (2u << 20)

typedef struct hold_chunk {
	struct hold_chunk *next;
} hold_chunk;

static pthread_mutex_t hold_mu = PTHREAD_MUTEX_INITIALIZER;
static hold_chunk *hold_free;

/* A buffer of VFS_HOLD bytes; *mapped: whether it is a chunk of a
 * region (else malloc's, when no region could be mapped). */
static unsigned char *
hold_alloc(int *mapped)
{
	*mapped = 0;
	pthread_mutex_lock(&hold_mu);
	if (!hold_free) {
		char *p = mmap(NULL, 2 * (size_t)VFS_REGION, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			pthread_mutex_unlock(&hold_mu);
			return sr_malloc(VFS_HOLD);
		}
		/* one region aligned on a huge page inside the mapping;
		 * the rest given back */
		char *a = (char *)(((uintptr_t)p + VFS_REGION - 1) & ~(uintptr_t)(VFS_REGION - 1));
		if (a > p)
			munmap(p, (size_t)(a - p));
		if (a + VFS_REGION < p + 2 * (size_t)VFS_REGION)
			munmap(a + VFS_REGION, (size_t)(p + 2 * (size_t)VFS_REGION - (a + VFS_REGION)));
#ifdef MADV_HUGEPAGE
		madvise(a, VFS_REGION, MADV_HUGEPAGE);
#endif
		for (size_t o = 0; o + VFS_HOLD <= VFS_REGION; o += VFS_HOLD) {
			hold_chunk *c = (hold_chunk *)(void *)(a + o);
			c->next = hold_free;
			hold_free = c;
		}
	}
	hold_chunk *c = hold_free;
	hold_free = c->next;
	pthread_mutex_unlock(&hold_mu);
	*mapped = 1;
	return (unsigned char *)c;
}

/* Gives the buffer b of hold_alloc back to the list (one of malloc's
 * is freed). */
static void
hold_release(unsigned char *b, int mapped)
{
	if (!b)
		return;
	if (!mapped) {
		free(b);
		return;
	}
	pthread_mutex_lock(&hold_mu);
	hold_chunk *c = (hold_chunk *)(void *)b;
	c->next = hold_free;
	hold_free = c;
	pthread_mutex_unlock(&hold_mu);
}

/* sizeof, a multiple of 16 so that the real file after it is aligned */
#define VFILE_SIZE ((sizeof(vfile) + 15) & ~(size_t)15)

static sqlite3_vfs vfs;
static sqlite3_vfs *base_vfs;
static int registered;

/* Writes the frames held (dropped if that fails); the error of this
 * write or of one at the barrier before, SQLITE_OK if none. */
static int
hold_flush(vfile *f)
{
	int rc = f->err;
	f->err = SQLITE_OK;
	/* (in pieces: the unix VFS writes less than 128 KB a call) */
	for (size_t o = 0; o < f->n && rc == SQLITE_OK; o += VFS_PIECE) {
		size_t k = f->n - o < VFS_PIECE ? f->n - o : VFS_PIECE;
		rc = f->real->pMethods->xWrite(f->real, f->buf + o, (int)k,
					       f->off + (sqlite3_int64)o);
	}
	f->n = 0;
	return rc;
}

#define REAL(f) (((vfile *)(f))->real)
#define FLUSHED(f) (((vfile *)(f))->hold ? hold_flush((vfile *)(f)) : SQLITE_OK)

static int
v_close(sqlite3_file *pf)
{
	vfile *f = (vfile *)pf;
	if (f->hold)
		hold_flush(f);
	if (f->is_wal && f->db)
		f->db->wal = NULL;
	if (!f->is_wal && f->wal)
		f->wal->db = NULL;
	hold_release(f->buf, f->buf_mapped);
	f->buf = NULL;
	return f->real->pMethods->xClose(f->real);
}

static int
v_read(sqlite3_file *pf, void *p, int amt, sqlite3_int64 off)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xRead(REAL(pf), p, amt, off);
}

static int
v_write(sqlite3_file *pf, const void *p, int amt, sqlite3_int64 off)
{
	vfile *f = (vfile *)pf;
	if (!f->hold)
		return f->real->pMethods->xWrite(f->real, p, amt, off);
	int commit = f->commit;
	f->commit = 0;
	int rc = f->err;
	f->err = SQLITE_OK;
	if (rc == SQLITE_OK && f->n &&
	    (off != f->off + (sqlite3_int64)f->n || f->n + (size_t)amt > VFS_HOLD))
		rc = hold_flush(f);
	if (rc != SQLITE_OK) {
		f->n = 0;
		return rc;
	}
	if ((size_t)amt > VFS_PIECE) {
		if ((rc = hold_flush(f)) != SQLITE_OK)
			return rc;
		return f->real->pMethods->xWrite(f->real, p, amt, off);
	}
	if (!f->buf)
		f->buf = hold_alloc(&f->buf_mapped);
	if (!f->n)
		f->off = off;
	memcpy(f->buf + f->n, p, (size_t)amt);
	f->n += (size_t)amt;
	if (commit || !f->is_wal)
		return commit ? hold_flush(f) : SQLITE_OK;
	/* a frame's header: bytes 4..7, the database's size after a
	 * commit, are not zero for a transaction's last frame */
	const unsigned char *h = p;
	if (amt == WAL_FRAME_HDR && (h[4] | h[5] | h[6] | h[7]))
		f->commit = 1;
	return SQLITE_OK;
}

static int
v_truncate(sqlite3_file *pf, sqlite3_int64 size)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xTruncate(REAL(pf), size);
}

static int
v_sync(sqlite3_file *pf, int flags)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xSync(REAL(pf), flags);
}

static int
v_size(sqlite3_file *pf, sqlite3_int64 *size)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xFileSize(REAL(pf), size);
}

static int
v_lock(sqlite3_file *pf, int lock)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xLock(REAL(pf), lock);
}

static int
v_unlock(sqlite3_file *pf, int lock)
{
	if (((vfile *)pf)->n) {
		int rc = hold_flush((vfile *)pf);
		if (rc != SQLITE_OK)
			((vfile *)pf)->err = rc;
	}
	return REAL(pf)->pMethods->xUnlock(REAL(pf), lock);
}

static int
v_reserved(sqlite3_file *pf, int *out)
{
	return REAL(pf)->pMethods->xCheckReservedLock(REAL(pf), out);
}

static int
v_fcntl(sqlite3_file *pf, int op, void *arg)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xFileControl(REAL(pf), op, arg);
}

static int
v_sector(sqlite3_file *pf)
{
	return REAL(pf)->pMethods->xSectorSize(REAL(pf));
}

static int
v_devchar(sqlite3_file *pf)
{
	return REAL(pf)->pMethods->xDeviceCharacteristics(REAL(pf));
}

/* The database's shared memory: its log's held frames are written
 * before SQLite publishes frames (the barrier) or takes or lets go of a
 * lock of the log's readers and writers. */
static void
db_flush_wal(sqlite3_file *pf)
{
	vfile *f = (vfile *)pf;
	if (f->wal && f->wal->n) {
		int rc = hold_flush(f->wal);
		if (rc != SQLITE_OK)
			f->wal->err = rc;
	}
	if (f->n) {
		int rc = hold_flush(f);
		if (rc != SQLITE_OK)
			f->err = rc;
	}
}

static int
v_shm_map(sqlite3_file *pf, int region, int size, int extend, void volatile **p)
{
	return REAL(pf)->pMethods->xShmMap(REAL(pf), region, size, extend, p);
}

static int
v_shm_lock(sqlite3_file *pf, int offset, int n, int flags)
{
	db_flush_wal(pf);
	return REAL(pf)->pMethods->xShmLock(REAL(pf), offset, n, flags);
}

static void
v_shm_barrier(sqlite3_file *pf)
{
	db_flush_wal(pf);
	REAL(pf)->pMethods->xShmBarrier(REAL(pf));
}

static int
v_shm_unmap(sqlite3_file *pf, int del)
{
	db_flush_wal(pf);
	return REAL(pf)->pMethods->xShmUnmap(REAL(pf), del);
}

static int
v_fetch(sqlite3_file *pf, sqlite3_int64 off, int amt, void **pp)
{
	int rc = FLUSHED(pf);
	return rc ? rc : REAL(pf)->pMethods->xFetch(REAL(pf), off, amt, pp);
}

static int
v_unfetch(sqlite3_file *pf, sqlite3_int64 off, void *p)
{
	return REAL(pf)->pMethods->xUnfetch(REAL(pf), off, p);
}

static const sqlite3_io_methods methods = {
	3, v_close, v_read, v_write, v_truncate, v_sync, v_size, v_lock, v_unlock,
	v_reserved, v_fcntl, v_sector, v_devchar, v_shm_map, v_shm_lock, v_shm_barrier,
	v_shm_unmap, v_fetch, v_unfetch,
};

static int
v_open(sqlite3_vfs *pv, sqlite3_filename name, sqlite3_file *pf, int flags, int *out)
{
	(void)pv;
	vfile *f = (vfile *)pf;
	memset(f, 0, sizeof *f);
	f->real = (sqlite3_file *)((char *)pf + VFILE_SIZE);
	int rc = base_vfs->xOpen(base_vfs, name, f->real, flags, out);
	if (rc != SQLITE_OK || !f->real->pMethods || f->real->pMethods->iVersion < 3) {
		/* (a file without shared memory: its own methods, as is) */
		if (rc == SQLITE_OK && f->real->pMethods)
			f->real->pMethods->xClose(f->real);
		f->base.pMethods = NULL;
		return rc == SQLITE_OK ? SQLITE_CANTOPEN : rc;
	}
	f->base.pMethods = &methods;
	f->hold = (flags & SQLITE_OPEN_MAIN_DB) != 0;
	if ((flags & SQLITE_OPEN_WAL) && name) {
		sqlite3_file *db = sqlite3_database_file_object(name);
		if (db && db->pMethods == &methods) {
			f->is_wal = f->hold = 1;
			f->db = (vfile *)db;
			f->db->wal = f;
		}
	}
	return SQLITE_OK;
}

static int
v_delete(sqlite3_vfs *pv, const char *name, int sync)
{
	(void)pv;
	return base_vfs->xDelete(base_vfs, name, sync);
}

static int
v_access(sqlite3_vfs *pv, const char *name, int flags, int *out)
{
	(void)pv;
	return base_vfs->xAccess(base_vfs, name, flags, out);
}

static int
v_fullpath(sqlite3_vfs *pv, const char *name, int n, char *out)
{
	(void)pv;
	return base_vfs->xFullPathname(base_vfs, name, n, out);
}

static void *
v_dlopen(sqlite3_vfs *pv, const char *name)
{
	(void)pv;
	return base_vfs->xDlOpen(base_vfs, name);
}

static void
v_dlerror(sqlite3_vfs *pv, int n, char *msg)
{
	(void)pv;
	base_vfs->xDlError(base_vfs, n, msg);
}

static void (*v_dlsym(sqlite3_vfs *pv, void *h, const char *sym))(void)
{
	(void)pv;
	return base_vfs->xDlSym(base_vfs, h, sym);
}

static void
v_dlclose(sqlite3_vfs *pv, void *h)
{
	(void)pv;
	base_vfs->xDlClose(base_vfs, h);
}

static int
v_random(sqlite3_vfs *pv, int n, char *out)
{
	(void)pv;
	return base_vfs->xRandomness(base_vfs, n, out);
}

static int
v_sleep(sqlite3_vfs *pv, int us)
{
	(void)pv;
	return base_vfs->xSleep(base_vfs, us);
}

static int
v_time(sqlite3_vfs *pv, double *out)
{
	(void)pv;
	return base_vfs->xCurrentTime(base_vfs, out);
}

static int
v_lasterr(sqlite3_vfs *pv, int n, char *out)
{
	(void)pv;
	return base_vfs->xGetLastError ? base_vfs->xGetLastError(base_vfs, n, out) : 0;
}

static int
v_time64(sqlite3_vfs *pv, sqlite3_int64 *out)
{
	(void)pv;
	return base_vfs->xCurrentTimeInt64(base_vfs, out);
}

static void
vfs_register(void)
{
	base_vfs = sqlite3_vfs_find(NULL);
	if (!base_vfs || base_vfs->iVersion < 2 || !base_vfs->xCurrentTimeInt64)
		return;
	vfs = (sqlite3_vfs){
		.iVersion = 2,
		.szOsFile = (int)VFILE_SIZE + base_vfs->szOsFile,
		.mxPathname = base_vfs->mxPathname,
		.zName = VFS_NAME,
		.xOpen = v_open,
		.xDelete = v_delete,
		.xAccess = v_access,
		.xFullPathname = v_fullpath,
		.xDlOpen = v_dlopen,
		.xDlError = v_dlerror,
		.xDlSym = v_dlsym,
		.xDlClose = v_dlclose,
		.xRandomness = v_random,
		.xSleep = v_sleep,
		.xCurrentTime = v_time,
		.xGetLastError = v_lasterr,
		.xCurrentTimeInt64 = v_time64,
	};
	registered = sqlite3_vfs_register(&vfs, 0) == SQLITE_OK;
}

const char *
st_vfs(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	if (getenv("SITREP_NO_WAL_HOLD"))
		return NULL;
	pthread_once(&once, vfs_register);
	return registered ? VFS_NAME : NULL;
}
