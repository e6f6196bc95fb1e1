/*
 * image.c -- the lexicon as built, written to one file and read back.
 *
 * Building the lexicon from its text files (the 10 MB gazetteer and the
 * curated TSVs: every name cut, folded and hashed, the tables filled) is
 * most of the start-up of every command, about 420 M instructions.  `make`
 * writes what the build produces to data/gen/lexicon.img (`sitrep lexicon
 * compile`), and sr_lexicon_load reads it back (image_read) when it is
 * current: the entries, the names' references, the hash tables and the
 * bit sets byte for byte as built, and the strings the entries point to.
 *
 * In the file a string pointer is its offset into the string section plus
 * one (0: NULL); reading turns it back into a pointer.  Two fields that
 * pointed to the same string still do (strings are kept once per address,
 * not per content), so what compares pointers compares the same.
 *
 * The image is current when each source file of the main data folder has
 * the size and modification time the image recorded, and the program's
 * layout of the structures (sizes, version) is the one that wrote it; else,
 * or when it is damaged, the text files are read as before.  An image is
 * never used with --lexicon folders: their names are added while building.
 */
#include "lexicon_int.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMG_MAGIC "SRLXIMG1"
#define IMG_VERSION 2u
#define IMG_ALIGN 64u

/* the files of the main data folder that the lexicon is built from */
static const char *const img_sources[] = {
	"gen/gazetteer.tsv", "countries_extra.tsv", "places.tsv", "actors.tsv",
	"forces.tsv", "shapes.tsv", "words.tsv",
};
#define IMG_NSRC (sizeof img_sources / sizeof img_sources[0])

typedef struct {
	uint64_t size;
	int64_t sec, nsec;      /* modification time */
	uint64_t present;
} img_stamp;

typedef struct {
	uint64_t mask, used, off;       /* off 0: no slots */
} img_table;

enum { T_NAMES, T_FORCES, T_SHAPES, T_WORDS, T_IDS, T_COUNT };

typedef struct {
	char magic[8];
	uint32_t version, order;        /* order: 0x01020304 as written */
	uint32_t sz_entry, sz_ref, sz_slot, sz_ptr;
	uint32_t bits[6];               /* the bit-set sizes of lexicon_int.h */
	img_stamp src[IMG_NSRC];
	uint64_t nentries, nrefs, gaz_first, ngaz;
	img_table tab[T_COUNT];
	uint64_t off_entries, off_refs, off_first_any, off_seq_bits, off_small;
	uint64_t off_strings, len_strings;
	uint64_t total;
} img_header;

/* the small bit sets that live inside struct sr_lexicon */
typedef struct {
	uint64_t first_lower[LX_LOWER_BITS / 64];
	uint64_t lower4[LX_LOWER4_BITS / 64];
	uint64_t shape_first[LX_SHAPE_BITS / 64];
	uint64_t word_bits[LX_WORD_BITS / 64];
	uint64_t want_armed[LX_WANT_BITS / 64];
	uint64_t want_force[LX_WANT_BITS / 64];
	uint64_t force_first[LX_WANT_SMALL_BITS / 64];
	uint64_t site_first[LX_WANT_SMALL_BITS / 64];
	uint64_t want4[LX_LOWER4_BITS / 64];
	uint64_t gov_force;
} img_small;

static void
header_layout(img_header *h)
{
	memcpy(h->magic, IMG_MAGIC, 8);
	h->version = IMG_VERSION;
	h->order = 0x01020304u;
	h->sz_entry = (uint32_t)sizeof(lx_entry);
	h->sz_ref = (uint32_t)sizeof(lx_ref);
	h->sz_slot = (uint32_t)sizeof(lx_slot);
	h->sz_ptr = (uint32_t)sizeof(void *);
	h->bits[0] = LX_FIRST_BITS;
	h->bits[1] = LX_LOWER_BITS;
	h->bits[2] = LX_SHAPE_BITS;
	h->bits[3] = LX_WORD_BITS;
	h->bits[4] = LX_LOWER4_BITS;
	h->bits[5] = LX_SEQ_BITS;
}

static void
stamp_sources(const char *dir, img_stamp *st)
{
	char path[4200];
	for (size_t i = 0; i < IMG_NSRC; i++) {
		struct stat s;
		memset(&st[i], 0, sizeof st[i]);
		snprintf(path, sizeof path, "%s/%s", dir, img_sources[i]);
		if (stat(path, &s) != 0)
			continue;
		st[i].present = 1;
		st[i].size = (uint64_t)s.st_size;
		st[i].sec = (int64_t)s.st_mtim.tv_sec;
		st[i].nsec = (int64_t)s.st_mtim.tv_nsec;
	}
}

/* ------------------------------------------------------------ writing */

/* strings by address: where each one went in the string section */
typedef struct {
	const char **key;
	uint64_t *off;
	size_t mask, used;
	sr_buf text;
} strmap;

static uint64_t
str_off(strmap *m, const char *s)
{
	if (!s)
		return 0;
	if (2 * (m->used + 1) > m->mask + 1) {
		strmap big = {0};
		big.mask = m->mask ? 2 * m->mask + 1 : 4095;
		big.key = sr_calloc(big.mask + 1, sizeof *big.key);
		big.off = sr_calloc(big.mask + 1, sizeof *big.off);
		for (size_t i = 0; m->key && i <= m->mask; i++) {
			if (!m->key[i])
				continue;
			size_t j = (size_t)lx_mix((uint64_t)(uintptr_t)m->key[i]) & big.mask;
			while (big.key[j])
				j = (j + 1) & big.mask;
			big.key[j] = m->key[i];
			big.off[j] = m->off[i];
		}
		free(m->key);
		free(m->off);
		m->key = big.key;
		m->off = big.off;
		m->mask = big.mask;
	}
	size_t j = (size_t)lx_mix((uint64_t)(uintptr_t)s) & m->mask;
	while (m->key[j]) {
		if (m->key[j] == s)
			return m->off[j];
		j = (j + 1) & m->mask;
	}
	m->key[j] = s;
	m->off[j] = m->text.len + 1;
	m->used++;
	sr_buf_add(&m->text, s, strlen(s) + 1);
	return m->off[j];
}

static const char *
as_ptr(uint64_t off)
{
	return (const char *)(uintptr_t)off;
}

/* appends n bytes at the next multiple of IMG_ALIGN; returns where */
static uint64_t
put(sr_buf *b, const void *p, size_t n)
{
	static const char zero[IMG_ALIGN];
	size_t pad = (IMG_ALIGN - b->len % IMG_ALIGN) % IMG_ALIGN;
	sr_buf_add(b, zero, pad);
	uint64_t at = b->len;
	if (n)
		sr_buf_add(b, p, n);
	return at;
}

int
sr_lexicon_save_image(const sr_lexicon *lx, const char *path, char *err, size_t errlen)
{
	if (lx->ndirs != 1) {
		snprintf(err, errlen, "an image holds the main data folder alone (no --lexicon)");
		return SR_ERR_USAGE;
	}
	img_header h;
	memset(&h, 0, sizeof h);
	header_layout(&h);
	stamp_sources(lx->dirs[0], h.src);
	h.nentries = lx->nentries;
	h.nrefs = lx->nrefs;
	h.gaz_first = lx->gaz_first;
	h.ngaz = lx->ngaz;

	strmap sm = {0};
	lx_entry *ents = sr_malloc((lx->nentries ? lx->nentries : 1) * sizeof *ents);
	for (size_t i = 0; i < lx->nentries; i++) {
		ents[i] = lx->entries[i];
		ents[i].id = as_ptr(str_off(&sm, lx->entries[i].id));
		ents[i].name = as_ptr(str_off(&sm, lx->entries[i].name));
		ents[i].type = as_ptr(str_off(&sm, lx->entries[i].type));
		ents[i].precision = as_ptr(str_off(&sm, lx->entries[i].precision));
	}
	/* zeroed and filled member by member: a struct's copy may carry the
	 * source's padding bytes, and the image must be the same bytes for
	 * the same lexicon */
	lx_ref *refs = sr_calloc(lx->nrefs ? lx->nrefs : 1, sizeof *refs);
	for (size_t i = 0; i < lx->nrefs; i++) {
		refs[i].entry = lx->refs[i].entry;
		refs[i].flags = lx->refs[i].flags;
		refs[i].lower = lx->refs[i].lower;
		refs[i].exact = as_ptr(str_off(&sm, lx->refs[i].exact));
	}

	sr_buf b = {0};
	sr_buf_add(&b, (const char *)&h, sizeof h);     /* rewritten at the end */
	h.off_entries = put(&b, ents, lx->nentries * sizeof *ents);
	h.off_refs = put(&b, refs, lx->nrefs * sizeof *refs);
	const lx_table *tabs[T_COUNT] = {&lx->names, &lx->forces, &lx->shapes, &lx->words, &lx->ids};
	for (int t = 0; t < T_COUNT; t++) {
		h.tab[t].mask = tabs[t]->mask;
		h.tab[t].used = tabs[t]->used;
		if (tabs[t]->slots)
			h.tab[t].off = put(&b, tabs[t]->slots, (tabs[t]->mask + 1) * sizeof(lx_slot));
	}
	h.off_first_any = put(&b, lx->first_any, LX_FIRST_BITS / 8);
	h.off_seq_bits = put(&b, lx->seq_bits, LX_SEQ_BITS / 8);
	img_small sb;
	memcpy(sb.first_lower, lx->first_lower, sizeof sb.first_lower);
	memcpy(sb.lower4, lx->lower4, sizeof sb.lower4);
	memcpy(sb.shape_first, lx->shape_first, sizeof sb.shape_first);
	memcpy(sb.word_bits, lx->word_bits, sizeof sb.word_bits);
	memcpy(sb.want_armed, lx->want_armed, sizeof sb.want_armed);
	memcpy(sb.want_force, lx->want_force, sizeof sb.want_force);
	memcpy(sb.force_first, lx->force_first, sizeof sb.force_first);
	memcpy(sb.site_first, lx->site_first, sizeof sb.site_first);
	memcpy(sb.want4, lx->want4, sizeof sb.want4);
	sb.gov_force = lx->gov_force;
	h.off_small = put(&b, &sb, sizeof sb);
	sr_buf_add(&sm.text, "", 1);    /* the section ends with a NUL */
	h.len_strings = sm.text.len;
	h.off_strings = put(&b, sm.text.ptr, sm.text.len);
	h.total = b.len;
	memcpy(b.ptr, &h, sizeof h);
	free(ents);
	free(refs);
	free(sm.key);
	free(sm.off);
	free(sm.text.ptr);

	/* written beside (a name of this process's), then renamed: a reader
	 * never sees half a file, two writers never share one */
	char tmp[4200];
	snprintf(tmp, sizeof tmp, "%s.%ld.tmp", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	int rc = SR_OK;
	if (!f || fwrite(b.ptr, 1, b.len, f) != b.len || fflush(f) != 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = SR_ERR_IO;
	}
	if (f && fclose(f) != 0 && rc == SR_OK) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		rc = SR_ERR_IO;
	}
	if (rc == SR_OK && rename(tmp, path) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		rc = SR_ERR_IO;
	}
	if (rc != SR_OK)
		remove(tmp);
	free(b.ptr);
	return rc;
}

/* ------------------------------------------------------------ reading */

/* The string at file offset+1 off, or *bad set when it is out of the
 * section. */
static const char *
str_at(const char *strings, uint64_t len, const char *p, bool *bad)
{
	uint64_t off = (uint64_t)(uintptr_t)p;
	if (!off)
		return NULL;
	if (off - 1 >= len) {
		*bad = true;
		return NULL;
	}
	return strings + off - 1;
}

static bool
section_ok(const img_header *h, uint64_t off, uint64_t n)
{
	return off % IMG_ALIGN == 0 && off >= sizeof *h && off <= h->total && n <= h->total - off;
}

/* The whole file f (n bytes) in memory of its own, or NULL.  Read into
 * anonymous memory aligned to 2 MB and, on Linux, asked to live in huge
 * pages, rather than mapped from the page cache: the recognizer probes
 * the names table and the bit sets (some 20 MB) at random, a few times
 * per word, and with 4 KB pages most probes also missed the TLB.  (The
 * relocation below wrote to most pages of a private mapping anyway.)
 * The memory is one mapping of n bytes, unmapped by sr_lexicon_free. */
static char *
image_read(FILE *f, size_t n)
{
	enum { HUGE = 2u << 20 };
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t len = (n + page - 1) / page * page;
	char *m = mmap(NULL, len + HUGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return NULL;
	/* keep the len bytes from the first 2 MB boundary, unmap the rest */
	char *img = (char *)(((uintptr_t)m + HUGE - 1) & ~(uintptr_t)(HUGE - 1));
	if (img > m)
		munmap(m, (size_t)(img - m));
	if (m + len + HUGE > img + len)
		munmap(img + len, (size_t)(m + len + HUGE - (img + len)));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
	(void)madvise(img, len, MADV_HUGEPAGE);
#endif
	size_t got = 0;
	while (got < n) {
		ssize_t r = pread(fileno(f), img + got, n - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			munmap(img, len);
			return NULL;
		}
		got += (size_t)r;
	}
	return img;
}

/* Reads the image of the main data folder dir into lx when it is there,
 * current and whole; returns false (lx untouched) otherwise. */
bool
lx_image_load(sr_lexicon *lx, const char *dir)
{
	const char *env = getenv("SITREP_LEXICON_IMAGE");
	if (env && !strcmp(env, "0"))
		return false;
	char path[4200];
	snprintf(path, sizeof path, "%s/gen/lexicon.img", dir);
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	img_header h, want;
	struct stat st;
	bool ok = fread(&h, sizeof h, 1, f) == 1 && fstat(fileno(f), &st) == 0;
	memset(&want, 0, sizeof want);
	header_layout(&want);
	stamp_sources(dir, want.src);
	ok = ok && !memcmp(&h, &want, offsetof(img_header, nentries)) &&
	     (uint64_t)st.st_size == h.total && h.total >= sizeof h;
	char *img = ok ? image_read(f, (size_t)h.total) : NULL;
	ok = ok && img;
	fclose(f);
	/* every section inside the file, every index inside its array */
	ok = ok && h.nentries < UINT32_MAX && h.nrefs < UINT32_MAX &&
	     section_ok(&h, h.off_entries, h.nentries * sizeof(lx_entry)) &&
	     section_ok(&h, h.off_refs, h.nrefs * sizeof(lx_ref)) &&
	     section_ok(&h, h.off_first_any, LX_FIRST_BITS / 8) &&
	     section_ok(&h, h.off_seq_bits, LX_SEQ_BITS / 8) &&
	     section_ok(&h, h.off_small, sizeof(img_small)) &&
	     section_ok(&h, h.off_strings, h.len_strings) && h.len_strings > 0 &&
	     h.gaz_first + h.ngaz <= h.nentries && img[h.off_strings + h.len_strings - 1] == '\0';
	lx_table tabs[T_COUNT];
	for (int t = 0; ok && t < T_COUNT; t++) {
		tabs[t].mask = (size_t)h.tab[t].mask;
		tabs[t].used = (size_t)h.tab[t].used;
		tabs[t].slots = NULL;
		if (!h.tab[t].off)
			continue;
		ok = (h.tab[t].mask & (h.tab[t].mask + 1)) == 0 && h.tab[t].mask < (1ull << 40) &&
		     section_ok(&h, h.tab[t].off, (h.tab[t].mask + 1) * sizeof(lx_slot));
		if (!ok)
			break;
		tabs[t].slots = (lx_slot *)(void *)(img + h.tab[t].off);
		/* names, forces, shapes: refs; ids: an entry; words: a value */
		for (size_t i = 0; ok && t != T_WORDS && i <= tabs[t].mask; i++) {
			const lx_slot *s = &tabs[t].slots[i];
			if (!(s->flags & LX_SLOT_USED))
				continue;
			ok = t == T_IDS ? (!s->count || s->first < h.nentries)
					: (uint64_t)s->first + s->count <= h.nrefs;
		}
	}
	if (!ok) {
		if (img)
			munmap(img, (size_t)h.total);
		return false;
	}
	lx_entry *ents = (lx_entry *)(void *)(img + h.off_entries);
	lx_ref *refs = (lx_ref *)(void *)(img + h.off_refs);
	const char *strings = img + h.off_strings;
	bool bad = false;
	for (size_t i = 0; i < h.nentries; i++) {
		ents[i].id = str_at(strings, h.len_strings, ents[i].id, &bad);
		ents[i].name = str_at(strings, h.len_strings, ents[i].name, &bad);
		ents[i].type = str_at(strings, h.len_strings, ents[i].type, &bad);
		ents[i].precision = str_at(strings, h.len_strings, ents[i].precision, &bad);
	}
	for (size_t i = 0; i < h.nrefs; i++) {
		refs[i].exact = str_at(strings, h.len_strings, refs[i].exact, &bad);
		bad = bad || refs[i].entry >= h.nentries;
	}
	if (bad) {
		munmap(img, (size_t)h.total);
		return false;
	}
	lx->image = img;
	lx->image_len = (size_t)h.total;
	lx->entries = ents;
	lx->nentries = lx->capentries = (size_t)h.nentries;
	lx->refs = refs;
	lx->nrefs = (size_t)h.nrefs;
	lx->gaz_first = (size_t)h.gaz_first;
	lx->ngaz = (size_t)h.ngaz;
	lx->names = tabs[T_NAMES];
	lx->forces = tabs[T_FORCES];
	lx->shapes = tabs[T_SHAPES];
	lx->words = tabs[T_WORDS];
	lx->ids = tabs[T_IDS];
	lx->first_any = (uint64_t *)(void *)(img + h.off_first_any);
	lx->seq_bits = (uint64_t *)(void *)(img + h.off_seq_bits);
	const img_small *sb = (const img_small *)(const void *)(img + h.off_small);
	memcpy(lx->first_lower, sb->first_lower, sizeof lx->first_lower);
	memcpy(lx->lower4, sb->lower4, sizeof lx->lower4);
	memcpy(lx->shape_first, sb->shape_first, sizeof lx->shape_first);
	memcpy(lx->word_bits, sb->word_bits, sizeof lx->word_bits);
	memcpy(lx->want_armed, sb->want_armed, sizeof lx->want_armed);
	memcpy(lx->want_force, sb->want_force, sizeof lx->want_force);
	memcpy(lx->force_first, sb->force_first, sizeof lx->force_first);
	memcpy(lx->site_first, sb->site_first, sizeof lx->site_first);
	memcpy(lx->want4, sb->want4, sizeof lx->want4);
	lx->gov_force = sb->gov_force != 0;
	return true;
}
