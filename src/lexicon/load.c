/*
 * load.c -- reading the lexicon's data folders into one read-only
 * structure, and checking them (sitrep lexicon check).
 *
 * Files are UTF-8 TSV with a header line naming the columns (so columns
 * may be reordered or added) and '#' comments.  The loader and the
 * checker share one parser: the loader stops at the first problem of a
 * curated file and reports it; the checker reports every problem with
 * its file and line.  The generated gazetteer (gen/gazetteer.tsv, ~140k
 * rows) is trusted and parsed on a fast path.  All names are folded and
 * hashed into one table (see lexicon_int.h) built once from a sorted
 * list of (name hash, entry) pairs.
 */
#include "lexicon_int.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ tables */

static void
table_init(lx_table *t, size_t n)
{
	size_t cap = 16;
	while (cap < n * 2)
		cap <<= 1;
	t->slots = sr_calloc(cap, sizeof *t->slots);
	t->mask = cap - 1;
	t->used = 0;
}

static lx_slot *
table_put(lx_table *t, uint64_t key)
{
	if ((t->used + 1) * 2 > t->mask + 1) {
		lx_table old = *t;
		table_init(t, (old.mask + 1));
		for (size_t i = 0; i <= old.mask; i++)
			if (old.slots[i].flags & LX_SLOT_USED) {
				lx_slot *s = table_put(t, old.slots[i].key);
				*s = old.slots[i];
			}
		free(old.slots);
	}
	size_t i = (size_t)lx_mix(key) & t->mask;
	while (t->slots[i].flags & LX_SLOT_USED) {
		if (t->slots[i].key == key)
			return &t->slots[i];
		i = (i + 1) & t->mask;
	}
	t->slots[i].key = key;
	t->slots[i].flags = LX_SLOT_USED;
	t->slots[i].first = 0;
	t->slots[i].count = 0;
	t->used++;
	return &t->slots[i];
}


/* Rehashes t into the fewest slots that keep it at most 3/4 full. */
static void
table_compact(lx_table *t)
{
	size_t cap = 16;
	while (cap * 3 < t->used * 4)
		cap <<= 1;
	if (cap >= t->mask + 1)
		return;
	lx_table old = *t;
	t->slots = sr_calloc(cap, sizeof *t->slots);
	t->mask = cap - 1;
	for (size_t i = 0; i <= old.mask; i++) {
		if (!(old.slots[i].flags & LX_SLOT_USED))
			continue;
		size_t j = (size_t)lx_mix(old.slots[i].key) & t->mask;
		while (t->slots[j].flags & LX_SLOT_USED)
			j = (j + 1) & t->mask;
		t->slots[j] = old.slots[i];
	}
	free(old.slots);
}

/* ------------------------------------------------------- build state */

typedef struct pending {
	uint64_t key;
	uint32_t entry;
	uint8_t flags;
	uint8_t table;          /* 0 names, 1 forces, 2 shapes */
	uint16_t lower;         /* lx_ref.lower */
	const char *exact;
} pending;

typedef struct builder {
	sr_lexicon *lx;
	pending *p;
	size_t np, capp;
	uint64_t *prefixes[3];
	size_t nprefix[3], capprefix[3];
	lx_table ids;
	/* the folded words that one of the names of the entry being added
	 * writes in lower case after its first word (add_names) */
	uint64_t lowset[32];
	int nlow;
	/* checking */
	FILE *report;
	int problems;
	char *err;
	size_t errlen;
	const char *file;
	long line;
	bool strict;            /* stop at the first problem */
	bool failed;
} builder;

static void problem(builder *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
problem(builder *b, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	b->problems++;
	if (b->report)
		fprintf(b->report, "%s:%ld: %s\n", b->file, b->line, msg);
	if (b->strict && !b->failed) {
		b->failed = true;
		if (b->err)
			snprintf(b->err, b->errlen, "%s:%ld: %s", b->file, b->line, msg);
	}
}

static const char *
pool_str(sr_lexicon *lx, const char *s, size_t n)
{
	return sr_arena_strndup(&lx->pool, s, n);
}

/* The score of entry e as a candidate before any context: curated >
 * country > continent > region > town, towns by population and rank
 * (the recognizer adds the document's context to it). */
static float
base_score(const lx_entry *e)
{
	switch (e->src) {
	case LX_SRC_CURATED: return 100;
	case LX_SRC_COUNTRY: return 60;
	case LX_SRC_REGION: return !strcmp(e->type, "continent") ? 58 : 40;
	case LX_SRC_TOWN: return 4.0f * log10f((float)e->pop + 10.0f) + 3.0f * e->feat;
	default: return 0;
	}
}

static uint32_t
add_entry(builder *b, const lx_entry *e)
{
	sr_lexicon *lx = b->lx;
	SR_GROW(lx->entries, lx->capentries, lx->nentries + 1);
	lx->entries[lx->nentries] = *e;
	lx->entries[lx->nentries].base = base_score(e);
	return (uint32_t)lx->nentries++;
}

/* Is s (n bytes) an acronym: 2..6 capitals, digits or periods? */
static bool
is_acronym(const char *s, size_t n)
{
	int caps = 0;
	if (n < 2 || n > 8)
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] >= 'A' && s[i] <= 'Z')
			caps++;
		else if (s[i] != '.' && !(s[i] >= '0' && s[i] <= '9') && s[i] != '-')
			return false;
	}
	return caps >= 2;
}

/* The first word of a force phrase or a site shape, of hash th and
 * folded key [key, key+kl): its bit in set and that of its first 4 bytes
 * in lx->want4. */
static void
want_word(sr_lexicon *lx, uint64_t *set, uint64_t th, const char *key, size_t kl)
{
	LX_BIT_SET(set, LX_WANT_SMALL_BITS, th);
	uint64_t w4 = 0;
	for (size_t q = 0; q < kl && q < 4; q++)
		w4 |= (uint64_t)(unsigned char)key[q] << (8 * q);
	LX_BIT_SET(lx->want4, LX_LOWER4_BITS, lx_lower4(w4));
}

/* The first token (hash th) of a name of entry e: into the sets of
 * sr_recognizer_may_find that e's kind may meet. */
static void
want_name(sr_lexicon *lx, const lx_entry *e, uint64_t th)
{
	if (lx_entry_wants(e) & LX_WANTS_FORCE)
		LX_BIT_SET(lx->want_force, LX_WANT_BITS, th);
	if (lx_entry_wants(e) & LX_WANTS_ARMED)
		LX_BIT_SET(lx->want_armed, LX_WANT_BITS, th);
}

/* Marks (feat 1) each force phrase that may name an armed force: its
 * kind is one, or an actor "CC.SUFFIX" of its suffix is one (try_force
 * takes that actor's kind); and sets lx->gov_force when some state's
 * government is one (capital_actor: "CC.GOV").  For
 * sr_recognizer_may_find, once every folder is read. */
static void
mark_forces(sr_lexicon *lx)
{
	size_t force[64], nforce = 0;   /* the force phrases' entries */
	for (size_t i = 0; i < lx->nentries; i++) {
		lx_entry *f = &lx->entries[i];
		if (f->src != LX_SRC_FORCE)
			continue;
		if (lx_entry_wants(f) & LX_WANTS_FORCE)
			f->feat = 1;
		else if (nforce < SR_ARRAY_LEN(force))
			force[nforce++] = i;
		else
			f->feat = 1;    /* past the list: taken as one */
	}
	for (size_t i = 0; i < lx->nentries; i++) {
		const lx_entry *a = &lx->entries[i];
		if (a->kind != SR_ENT_ACTOR || a->src != LX_SRC_CURATED || !(lx_entry_wants(a) & LX_WANTS_FORCE))
			continue;
		const char *dot = strrchr(a->id, '.');
		if (!dot)
			continue;
		if (!strcmp(dot + 1, "GOV"))
			lx->gov_force = true;
		for (size_t k = 0; k < nforce; k++)
			if (!strcmp(lx->entries[force[k]].id, dot + 1))
				lx->entries[force[k]].feat = 1;
	}
}

/* Adds one name of entry e to table t (0 names, 1 forces, 2 shapes).
 * A leading '=' marks an exact-case name; acronyms are exact-case too.
 * cap: LX_REF_CAP to require capitals in the text. */
static void
add_name(builder *b, uint32_t e, const char *s, size_t n, unsigned cap, int t)
{
	uint32_t st[LX_MAX_NAME_TOKENS], ln[LX_MAX_NAME_TOKENS];
	unsigned flags = 0;
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n && *s == '=') {
		flags |= LX_REF_CS;
		s++;
		n--;
	}
	/* a leading "the" is left to the text: "the Syrian Observatory for
	 * Human Rights" must not stop at "the Syrian Observatory" */
	if (n > 4 && !sr_strncasecmp_ascii(s, "the ", 4) && t == 0) {
		s += 4;
		n -= 4;
	}
	if (!n)
		return;
	if (is_acronym(s, n))
		flags |= LX_REF_CS;
	/* a name written with a capital must be written so in the text */
	size_t ap = lx_article_prefix(s, n);
	unsigned char c0 = (unsigned char)s[ap];
	if (lx_is_article(s, n > 3 ? 3 : n) && n > 3 && s[2] == ' ')
		c0 = (unsigned char)s[3];
	if ((c0 >= 'A' && c0 <= 'Z') || c0 >= 0xC0)
		flags |= cap;
	int k = lx_split(s, n, st, ln, LX_MAX_NAME_TOKENS);
	uint64_t h = LX_SEQ_START;
	int used = 0;
	unsigned lower = 0;
	char key[LX_MAX_KEY + 8];
	for (int i = 0; i < k; i++) {
		size_t kl = lx_fold(s + st[i], ln[i], key);
		if (!kl)
			continue;       /* a bare article */
		uint64_t th = lx_tok_hash(key, kl);
		bool low = s[st[i]] >= 'a' && s[st[i]] <= 'z';
		for (int q = 0; q < b->nlow && !low; q++)
			low = b->lowset[q] == th;
		if (low && used < 16)
			lower |= 1u << used;
		if (used) {
			SR_GROW(b->prefixes[t], b->capprefix[t], b->nprefix[t] + 1);
			b->prefixes[t][b->nprefix[t]++] = h;
		} else if (t == 2) {
			LX_BIT_SET(b->lx->shape_first, LX_SHAPE_BITS, th);
			if (lx_entry_wants(&b->lx->entries[e]) & LX_WANTS_ARMED)
				want_word(b->lx, b->lx->site_first, th, key, kl);
		} else if (t == 1) {
			want_word(b->lx, b->lx->force_first, th, key, kl);
		} else if (t == 0) {
			sr_lexicon *lx = b->lx;
			want_name(lx, &lx->entries[e], th);
			LX_BIT_SET(lx->first_any, LX_FIRST_BITS, th);
			if (!(flags & (LX_REF_CAP | LX_REF_CS))) {
				LX_BIT_SET(lx->first_lower, LX_LOWER_BITS, th);
				uint64_t w4 = 0;
				for (size_t q = 0; q < kl && q < 4; q++)
					w4 |= (uint64_t)(unsigned char)key[q] << (8 * q);
				LX_BIT_SET(lx->lower4, LX_LOWER4_BITS, lx_lower4(w4));
			}
		}
		h = lx_seq(h, th);
		used++;
		if (used >= 2 && t == 0)
			LX_BIT_SET(b->lx->seq_bits, LX_SEQ_BITS, h);
	}
	if (!used)
		return;
	SR_GROW(b->p, b->capp, b->np + 1);
	pending *p = &b->p[b->np++];
	p->key = h;
	p->entry = e;
	p->flags = (uint8_t)flags;
	p->table = (uint8_t)t;
	p->lower = (uint16_t)lower;
	p->exact = (flags & LX_REF_CS) ? pool_str(b->lx, s, n) : NULL;
}

/* Gathers into b->lowset the folded words that a name of list writes in
 * lower case after its first word: "region" of "Kurdistan region" may
 * then be in lower case in "Kurdistan Region of Iraq" too. */
static void
gather_lower(builder *b, const char *list)
{
	b->nlow = 0;
	bool any = false;
	for (const char *p = list; *p && !any; p++)
		any = (*p == ' ' || *p == '\'') && p[1] >= 'a' && p[1] <= 'z';
	if (!any)
		return;
	for (const char *s = list;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		uint32_t st[LX_MAX_NAME_TOKENS], ln[LX_MAX_NAME_TOKENS];
		int k = lx_split(s, n, st, ln, LX_MAX_NAME_TOKENS);
		char key[LX_MAX_KEY + 8];
		for (int i = 1; i < k && b->nlow < (int)SR_ARRAY_LEN(b->lowset); i++) {
			if (s[st[i]] < 'a' || s[st[i]] > 'z')
				continue;
			size_t kl = lx_fold(s + st[i], ln[i], key);
			if (kl)
				b->lowset[b->nlow++] = lx_tok_hash(key, kl);
		}
		if (!bar)
			break;
		s = bar + 1;
	}
}

/* Adds every '|'-separated name of list. */
static void
add_names(builder *b, uint32_t e, const char *list, unsigned cap, int t)
{
	const char *s = list;
	gather_lower(b, list);
	for (;;) {
		const char *bar = strchr(s, '|');
		size_t n = bar ? (size_t)(bar - s) : strlen(s);
		if (n)
			add_name(b, e, s, n, cap, t);
		if (!bar)
			break;
		s = bar + 1;
	}
	b->nlow = 0;
}

static int
cmp_pending(const void *a, const void *b)
{
	const pending *x = a, *y = b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return x->entry < y->entry ? -1 : x->entry > y->entry;
}

/* Sorts pending names by key, stably (LSD radix, 16 bits a pass): a
 * qsort of 200k names was a tenth of the start-up time. */
static void
sort_pending(builder *b)
{
	pending *tmp = sr_malloc((b->np + 1) * sizeof *tmp);
	size_t *count = sr_malloc(65537 * sizeof *count);
	pending *src = b->p, *dst = tmp;
	for (int pass = 0; pass < 4; pass++) {
		int sh = pass * 16;
		memset(count, 0, 65537 * sizeof *count);
		for (size_t i = 0; i < b->np; i++)
			count[((src[i].key >> sh) & 0xFFFF) + 1]++;
		for (size_t d = 1; d <= 65536; d++)
			count[d] += count[d - 1];
		for (size_t i = 0; i < b->np; i++)
			dst[count[(src[i].key >> sh) & 0xFFFF]++] = src[i];
		pending *x = src;
		src = dst;
		dst = x;
	}
	/* after 4 passes the sorted data is back in b->p; then by table,
	 * the most significant part of the order */
	size_t tc[4] = {0};
	for (size_t i = 0; i < b->np; i++)
		tc[b->p[i].table + 1]++;
	tc[2] += tc[1];
	tc[3] += tc[2];
	for (size_t i = 0; i < b->np; i++)
		tmp[tc[b->p[i].table]++] = b->p[i];
	memcpy(b->p, tmp, b->np * sizeof *tmp);
	free(tmp);
	free(count);
}

static void
build_tables(builder *b)
{
	sr_lexicon *lx = b->lx;
	sort_pending(b);
	/* zeroed: no padding byte of the heap reaches the image (image.c) */
	lx->refs = sr_calloc(b->np + 1, sizeof *lx->refs);
	lx_table *tabs[3] = {&lx->names, &lx->forces, &lx->shapes};
	table_init(&lx->names, b->np + b->nprefix[0]);
	table_init(&lx->forces, 64);
	table_init(&lx->shapes, 64);
	size_t nr = 0;
	for (size_t i = 0; i < b->np;) {
		size_t j = i;
		lx_slot *s = table_put(tabs[b->p[i].table], b->p[i].key);
		s->first = (uint32_t)nr;
		for (; j < b->np && b->p[j].key == b->p[i].key && b->p[j].table == b->p[i].table; j++) {
			/* one ref per entry and flags; a token is allowed in
			 * lower case if one of the names writes it so
			 * ("Kurdistan Region", "Kurdistan region") */
			if (j > i && b->p[j].entry == b->p[j - 1].entry &&
			    b->p[j].flags == b->p[j - 1].flags && !b->p[j].exact && !b->p[j - 1].exact) {
				if (nr > s->first && lx->refs[nr - 1].entry == b->p[j].entry)
					lx->refs[nr - 1].lower |= b->p[j].lower;
				continue;
			}
			if (nr - s->first >= 0xFFFF)
				continue;
			const lx_entry *e = &lx->entries[b->p[j].entry];
			lx->refs[nr].entry = b->p[j].entry;
			lx->refs[nr].flags = (uint8_t)(b->p[j].flags |
				(e->src == LX_SRC_CURATED ? LX_REF_CURATED : 0) |
				(e->src == LX_SRC_TOWN || e->src == LX_SRC_DEMONYM ? LX_REF_NOTAG : 0) |
				(e->src == LX_SRC_DEMONYM || e->src == LX_SRC_COUNTRY ? LX_REF_NATION : 0));
			lx->refs[nr].lower = b->p[j].lower;
			lx->refs[nr].exact = b->p[j].exact;
			nr++;
		}
		s->count = (uint16_t)(nr - s->first);
		i = j;
	}
	lx->nrefs = nr;
	for (int t = 0; t < 3; t++)
		for (size_t i = 0; i < b->nprefix[t]; i++)
			table_put(tabs[t], b->prefixes[t][i])->flags |= LX_SLOT_PREFIX;
	table_compact(&lx->names);
}

/* ------------------------------------------------------------- files */

typedef struct tsv {
	char *buf;
	size_t len, pos;
	char *cols[32];
	int ncols;
	char *head[32];
	int nhead;
} tsv;

static bool
read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	sr_buf b = {0};
	/* a file of known size (the gazetteer: 10 MB) is read at once into
	 * a buffer of that size, not copied in 64 KB pieces into a buffer
	 * that doubles; whatever follows (a file that grew, a pipe) is
	 * added as before */
	struct stat st;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uint64_t)st.st_size < SIZE_MAX / 2) {
		b.cap = (size_t)st.st_size + 1;
		b.ptr = sr_malloc(b.cap);
		b.len = fread(b.ptr, 1, (size_t)st.st_size, f);
		b.ptr[b.len] = 0;
	}
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		sr_buf_add(&b, tmp, n);
	fclose(f);
	if (!b.ptr)
		sr_buf_add(&b, "", 0);
	*buf = b.ptr;
	*len = b.len;
	return true;
}

/* Splits the next non-comment line into t->cols; returns false at the
 * end.  *line counts lines. */
static bool
tsv_next(tsv *t, long *line)
{
	while (t->pos < t->len) {
		char *s = t->buf + t->pos;
		char *nl = memchr(s, '\n', t->len - t->pos);
		size_t n = nl ? (size_t)(nl - s) : t->len - t->pos;
		t->pos += n + (nl ? 1 : 0);
		(*line)++;
		s[n] = '\0';
		if (n && s[n - 1] == '\r')
			s[--n] = '\0';
		size_t k = 0;
		while (k < n && (s[k] == ' ' || s[k] == '\t'))
			k++;
		if (k == n || s[k] == '#')
			continue;
		t->ncols = 0;
		t->cols[t->ncols++] = s;
		for (char *tab = memchr(s, '\t', n); tab; tab = memchr(tab + 1, '\t', n - (size_t)(tab + 1 - s))) {
			*tab = '\0';
			if (t->ncols < 32)
				t->cols[t->ncols++] = tab + 1;
		}
		return true;
	}
	return false;
}

static int
col_index(const tsv *t, const char *name)
{
	for (int i = 0; i < t->nhead; i++)
		if (!strcmp(t->head[i], name))
			return i;
	return -1;
}

static const char *
col(const tsv *t, int i)
{
	return i >= 0 && i < t->ncols ? t->cols[i] : "";
}

/* Opens a TSV file and reads its header; false if it cannot be read
 * (a problem when required). */
static bool
tsv_open(builder *b, tsv *t, const char *path, bool required)
{
	memset(t, 0, sizeof *t);
	b->file = path;
	b->line = 0;
	if (!read_file(path, &t->buf, &t->len)) {
		if (required)
			problem(b, "cannot read: %s", strerror(errno));
		return false;
	}
	if (!tsv_next(t, &b->line)) {
		problem(b, "no header line");
		free(t->buf);
		t->buf = NULL;
		return false;
	}
	t->nhead = t->ncols;
	memcpy(t->head, t->cols, sizeof t->cols);
	return true;
}

static bool
need_cols(builder *b, const tsv *t, const char *const *names, int *idx, int n)
{
	bool ok = true;
	for (int i = 0; i < n; i++) {
		idx[i] = col_index(t, names[i]);
		if (idx[i] < 0 && names[i][0] != '?') {
			problem(b, "missing column '%s'", names[i]);
			ok = false;
		}
		if (names[i][0] == '?')
			idx[i] = col_index(t, names[i] + 1);
	}
	return ok;
}

/* ---------------------------------------------------- known countries */

static bool
country_ok(const char *cc)
{
	static const char codes[] =
		"AW AF AO AI AX AL AD AE AR AM AS AQ TF AG AU AT AZ BI BE BJ BQ BF BD BG BH BS BA BL BY BZ BM BO BR BB BN BT BV BW CF CA CC CH CL CN CI CM CD CG CK CO KM CV CR CU CW CX KY CY CZ DE DJ DM DK DO DZ EC EG ER EH ES EE ET FI FJ FK FR FO FM GA GB GE GG GH GI GN GP GM GW GQ GR GD GL GT GF GU GY HK HM HN HR HT HU ID IM IN IO IE IR IQ IS IL IT JM JE JO JP KZ KE KG KH KI KN KR KW LA LB LR LY LC LI LK LS LT LU LV MO MF MA MC MD MG MV MX MH MK ML MT MM ME MN MP MZ MR MS MQ MU MW MY YT NA NC NE NF NG NI NU NL NO NP NR NZ OM PK PA PN PE PH PW PG PL PR KP PT PY PS PF QA RE RO RU RW SA SD SN SG GS SH SJ SB SL SV SM SO PM RS SS ST SR SK SI SE SZ SX SC SY TC TD TG TH TJ TK TM TL TO TT TN TR TV TW TZ UG UA UM UY US UZ VA VC VE VG VI VN VU WF WS YE ZA ZM ZW XK";
	if (strlen(cc) != 2)
		return false;
	for (const char *p = codes;; p += 3) {
		if (p[0] == cc[0] && p[1] == cc[1])
			return true;
		if (!p[2])
			return false;
	}
}

static bool
parse_coord(const char *s, double lo, double hi, double *out)
{
	char *end;
	if (!*s)
		return false;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < lo || v > hi)
		return false;
	*out = v;
	return true;
}

static const char *const place_types[] = {
	"base", "airport", "crossing", "prison", "camp", "field", "site", "port",
	"island", "town", "city", "region", "country", "continent", "river",
	"mountain", "other",
};
static const char *const actor_types[] = {
	"state_military", "government", "armed_group", "coalition", "agency",
	"media", "official", "monitor", "person", "police", "militia",
};

static const char *
known_type(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, list[i]))
			return list[i];
	return NULL;
}

static const char *
precision_of(const char *type)
{
	if (!strcmp(type, "town") || !strcmp(type, "city"))
		return "town";
	if (!strcmp(type, "region") || !strcmp(type, "continent") || !strcmp(type, "river") ||
	    !strcmp(type, "mountain"))
		return "region";
	if (!strcmp(type, "country"))
		return "country";
	return "site";
}

/* Registers an id; returns false (a problem) if it is taken. */
static bool
register_id(builder *b, const char *id, uint32_t e)
{
	lx_slot *s = table_put(&b->ids, sr_hash64(id, strlen(id)));
	if (s->count) {
		problem(b, "duplicate id '%s'", id);
		return false;
	}
	s->first = e;
	s->count = 1;
	return true;
}

/* ------------------------------------------------------ curated files */

static void
load_places(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"id", "name", "kind", "country", "lat", "lon", "?aliases", "?region"};
	int c[8];
	if (need_cols(b, &t, names, c, 8)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *id = col(&t, c[0]), *name = col(&t, c[1]);
			const char *kind = col(&t, c[2]), *cc = col(&t, c[3]);
			double lat, lon;
			bool ok = true;
			if (!*id || !*name) {
				problem(b, "empty id or name");
				continue;
			}
			const char *type = known_type(kind, place_types, SR_ARRAY_LEN(place_types));
			if (!type) {
				problem(b, "unknown place kind '%s'", kind);
				ok = false;
			}
			if (*cc && !country_ok(cc)) {
				problem(b, "unknown country code '%s'", cc);
				ok = false;
			}
			if (!parse_coord(col(&t, c[4]), -90, 90, &lat) ||
			    !parse_coord(col(&t, c[5]), -180, 180, &lon)) {
				problem(b, "bad coordinates '%s' '%s'", col(&t, c[4]), col(&t, c[5]));
				ok = false;
			}
			if (!ok)
				continue;
			lx_entry e = {0};
			e.id = pool_str(b->lx, id, strlen(id));
			e.name = pool_str(b->lx, name, strlen(name));
			e.type = type;
			e.precision = precision_of(type);
			memcpy(e.country, cc, strlen(cc) == 2 ? 3 : 1);
			e.kind = SR_ENT_PLACE;
			e.src = LX_SRC_CURATED;
			e.has_coord = 1;
			e.lat = (float)lat;
			e.lon = (float)lon;
			uint32_t ei = add_entry(b, &e);
			if (!register_id(b, e.id, ei))
				continue;
			add_name(b, ei, name, strlen(name), LX_REF_CAP, 0);
			add_names(b, ei, col(&t, c[6]), LX_REF_CAP, 0);
		}
	}
	free(t.buf);
}

static void
load_actors(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"id", "name", "kind", "country", "?aliases", "?metonym"};
	int c[6];
	if (need_cols(b, &t, names, c, 6)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *id = col(&t, c[0]), *name = col(&t, c[1]);
			const char *kind = col(&t, c[2]), *cc = col(&t, c[3]);
			if (!*id || !*name) {
				problem(b, "empty id or name");
				continue;
			}
			const char *type = known_type(kind, actor_types, SR_ARRAY_LEN(actor_types));
			if (!type) {
				problem(b, "unknown actor kind '%s'", kind);
				continue;
			}
			if (*cc && !country_ok(cc)) {
				problem(b, "unknown country code '%s'", cc);
				continue;
			}
			lx_entry e = {0};
			e.id = pool_str(b->lx, id, strlen(id));
			e.name = pool_str(b->lx, name, strlen(name));
			e.type = type;
			e.precision = "";
			memcpy(e.country, cc, strlen(cc) == 2 ? 3 : 1);
			e.kind = SR_ENT_ACTOR;
			e.src = LX_SRC_CURATED;
			e.metonym = *col(&t, c[5]) == 'y';
			uint32_t ei = add_entry(b, &e);
			if (!register_id(b, e.id, ei))
				continue;
			add_name(b, ei, name, strlen(name), LX_REF_CAP, 0);
			add_names(b, ei, col(&t, c[4]), LX_REF_CAP, 0);
		}
	}
	free(t.buf);
}

/* countries_extra.tsv: the demonyms (country names are in the gazetteer) */
static void
load_countries(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"code", "?demonyms", "?lat", "?lon", "?aliases"};
	int c[5];
	if (need_cols(b, &t, names, c, 5)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *cc = col(&t, c[0]);
			double v;
			if (!country_ok(cc)) {
				problem(b, "unknown country code '%s'", cc);
				continue;
			}
			if ((*col(&t, c[2]) && !parse_coord(col(&t, c[2]), -90, 90, &v)) ||
			    (*col(&t, c[3]) && !parse_coord(col(&t, c[3]), -180, 180, &v))) {
				problem(b, "bad coordinates");
				continue;
			}
			if (!*col(&t, c[1]))
				continue;
			lx_entry e = {0};
			char id[16];
			snprintf(id, sizeof id, "demonym:%s", cc);
			e.id = pool_str(b->lx, id, strlen(id));
			e.name = e.id;
			e.type = "demonym";
			e.precision = "";
			memcpy(e.country, cc, 3);
			e.kind = SR_ENT_ACTOR;
			e.src = LX_SRC_DEMONYM;
			uint32_t ei = add_entry(b, &e);
			if (!register_id(b, e.id, ei))
				continue;
			add_names(b, ei, col(&t, c[1]), LX_REF_CAP, 0);
		}
	}
	free(t.buf);
}

/* forces.tsv: phrase, suffix, kind, name ("{country} armed forces") */
static void
load_forces(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"phrase", "suffix", "kind", "name"};
	int c[4];
	if (need_cols(b, &t, names, c, 4)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *kind = col(&t, c[2]);
			const char *type = known_type(kind, actor_types, SR_ARRAY_LEN(actor_types));
			if (!type) {
				problem(b, "unknown actor kind '%s'", kind);
				continue;
			}
			if (!*col(&t, c[1]) || !strstr(col(&t, c[3]), "{country}")) {
				problem(b, "a force needs a suffix and a name with {country}");
				continue;
			}
			lx_entry e = {0};
			e.id = pool_str(b->lx, col(&t, c[1]), strlen(col(&t, c[1])));
			e.name = pool_str(b->lx, col(&t, c[3]), strlen(col(&t, c[3])));
			e.type = type;
			e.precision = "";
			e.kind = SR_ENT_ACTOR;
			e.src = LX_SRC_FORCE;
			uint32_t ei = add_entry(b, &e);
			add_names(b, ei, col(&t, c[0]), 0, 1);
		}
	}
	free(t.buf);
}

/* shapes.tsv: phrase, position (before|after), kind */
static void
load_shapes(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"phrase", "position", "kind"};
	int c[3];
	if (need_cols(b, &t, names, c, 3)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *pos = col(&t, c[1]);
			const char *type = known_type(col(&t, c[2]), place_types, SR_ARRAY_LEN(place_types));
			if (!type || (strcmp(pos, "before") && strcmp(pos, "after"))) {
				problem(b, "bad shape: kind '%s', position '%s'", col(&t, c[2]), pos);
				continue;
			}
			lx_entry e = {0};
			e.id = pos[0] == 'b' ? "before" : "after";
			e.name = pool_str(b->lx, col(&t, c[0]), strlen(col(&t, c[0])));
			e.type = type;
			e.precision = precision_of(type);
			e.kind = SR_ENT_PLACE;
			e.src = LX_SRC_FORCE;
			uint32_t ei = add_entry(b, &e);
			add_names(b, ei, col(&t, c[0]), 0, 2);
		}
	}
	free(t.buf);
}

/* words.tsv: word, class (notplace, title, says, lower, actverb) */
static void
load_words(builder *b, const char *path, bool required)
{
	tsv t;
	if (!tsv_open(b, &t, path, required))
		return;
	static const char *const names[] = {"word", "class"};
	int c[2];
	if (need_cols(b, &t, names, c, 2)) {
		while (!b->failed && tsv_next(&t, &b->line)) {
			const char *w = col(&t, c[0]), *cl = col(&t, c[1]);
			unsigned f = !strcmp(cl, "notplace") ? LX_WORD_NOTPLACE :
				     !strcmp(cl, "title")    ? LX_WORD_TITLE :
				     !strcmp(cl, "says")     ? LX_WORD_SAYS :
				     !strcmp(cl, "lower")    ? LX_WORD_LOWER :
				     !strcmp(cl, "actverb")  ? LX_WORD_ACTVERB : 0;
			if (!f || !*w) {
				problem(b, "unknown word class '%s'", cl);
				continue;
			}
			char key[LX_MAX_KEY + 8];
			size_t kl = lx_fold(w, strlen(w), key);
			if (!kl)
				continue;
			uint64_t th = lx_tok_hash(key, kl);
			LX_BIT_SET(b->lx->word_bits, LX_WORD_BITS, th);
			lx_slot *s = table_put(&b->lx->words, th);
			s->count = (uint16_t)(s->count | f);
		}
	}
	free(t.buf);
}

/* gen/gazetteer.tsv: generated, trusted, large */
/* strtof(s, NULL) for the plain decimals of the gazetteer's columns
 * ("-12.3456"), without strtof's arbitrary-precision path, which was a
 * third of the start-up.  At most 15 digits make an exact integer m,
 * and m / 10^f (f <= 15, exact) is the double nearest the decimal; the
 * float nearest that double is the float nearest the decimal unless the
 * double lies exactly halfway between two floats, the one case where
 * rounding twice may differ: that case, subnormals and any other form
 * (an exponent, spaces, more digits) go to strtof.  So the result is
 * strtof's, bit for bit. */
static float
decimal_f32(const char *s)
{
	static const double p10[16] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
				       1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
	const char *p = s;
	bool neg = *p == '-';
	if (neg)
		p++;
	uint64_t m = 0;
	int digits = 0, frac = -1;
	for (;; p++) {
		if (*p >= '0' && *p <= '9') {
			m = m * 10 + (uint64_t)(*p - '0');
			digits++;
			if (frac >= 0)
				frac++;
		} else if (*p == '.' && frac < 0) {
			frac = 0;
		} else {
			break;
		}
	}
	if (*p || digits == 0 || digits > 15)
		return strtof(s, NULL);
	double d = (double)m / p10[frac > 0 ? frac : 0];
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	/* halfway between two floats: the 29 bits a float drops are 1000... */
	if ((bits & 0x1FFFFFFFULL) == 0x10000000ULL || (d != 0 && d < 1.1754943508222875e-38))
		return strtof(s, NULL);
	float f = (float)(neg ? -d : d);
	return f;
}

static void
load_gazetteer(builder *b, const char *path)
{
	tsv t;
	if (!tsv_open(b, &t, path, true))
		return;
	/* id name kind country admin1 lat lon population feature names */
	if (t.nhead < 10 || strcmp(t.head[0], "id") || strcmp(t.head[9], "names")) {
		problem(b, "not a gazetteer: bad header");
		free(t.buf);
		return;
	}
	while (tsv_next(&t, &b->line)) {
		if (t.ncols < 10)
			continue;
		lx_entry e = {0};
		const char *kind = t.cols[2];
		e.id = t.cols[0];
		e.name = t.cols[1];
		size_t al = strlen(t.cols[4]);
		if (al < sizeof e.admin1)
			memcpy(e.admin1, t.cols[4], al + 1);
		if (strlen(t.cols[3]) == 2)
			memcpy(e.country, t.cols[3], 3);
		e.lat = decimal_f32(t.cols[5]);
		e.lon = decimal_f32(t.cols[6]);
		const char *pc = t.cols[7];
		uint32_t pop = 0;
		size_t pn = 0;
		for (; pc[pn] >= '0' && pc[pn] <= '9' && pn < 9; pn++)
			pop = pop * 10 + (uint32_t)(pc[pn] - '0');
		/* plain digits (up to 9) are read here; anything else by strtoul */
		e.pop = pn && !pc[pn] ? pop : (uint32_t)strtoul(pc, NULL, 10);
		e.has_coord = 1;
		e.kind = SR_ENT_PLACE;
		if (!strcmp(kind, "country")) {
			e.src = LX_SRC_COUNTRY;
			e.type = "country";
		} else if (!strcmp(kind, "town")) {
			e.src = LX_SRC_TOWN;
			e.type = "town";
			const char *f = t.cols[8];
			e.feat = !strcmp(f, "PPLC") ? 3 : (!strncmp(f, "PPLA", 4) && f[4] != '4') ? 2 :
				 !strcmp(f, "PPLX") ? 0 : 1;
		} else {
			e.src = LX_SRC_REGION;
			e.type = !strcmp(kind, "continent") ? "continent" : "region";
		}
		e.precision = precision_of(e.type);
		uint32_t ei = add_entry(b, &e);
		if (!b->lx->ngaz)
			b->lx->gaz_first = ei;
		b->lx->ngaz++;
		add_names(b, ei, t.cols[9], LX_REF_CAP, 0);
	}
	/* the gazetteer's strings live in its buffer, kept for the lexicon */
	b->lx->gazbuf = t.buf;
}

/* ---------------------------------------------------- default folder */

/* Is dir a data folder (it holds places.tsv)? */
static bool
data_dir_ok(const char *dir)
{
	char probe[4200];
	snprintf(probe, sizeof probe, "%s/places.tsv", dir);
	return access(probe, R_OK) == 0;
}

/* The folders a program at exe_dir looks in, beside itself first: a
 * copied or installed binary (BIN/data, PREFIX/share/sitrep/data from
 * PREFIX/bin), the build tree (build/sitrep -> data/; build-fuzz/x/..). */
static const char *const exe_rel[] = {"/data", "/../share/sitrep/data", "/../data",
	"/../../data"};

const char *
sr_lexicon_default_dir(void)
{
	static char dir[4096];
	const char *env = getenv("SITREP_DATA");
	if (env && *env)
		return env;     /* named by the user: used as it is */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			for (size_t i = 0; i < SR_ARRAY_LEN(exe_rel); i++) {
				snprintf(dir, sizeof dir, "%s%s", exe, exe_rel[i]);
				if (data_dir_ok(dir))
					return dir;
			}
		}
	}
#ifdef SR_DATA_DIR
	if (data_dir_ok(SR_DATA_DIR))
		return SR_DATA_DIR;
#endif
	return "data";
}

/* "no data folder" with where it was looked for, into err. */
static void
no_data_dir(char *err, size_t errlen)
{
	const char *env = getenv("SITREP_DATA");
	if (env && *env) {
		snprintf(err, errlen, "SITREP_DATA=%s: no places.tsv there; point SITREP_DATA at"
			 " sitrep's data folder", env);
		return;
	}
	char exe[4096] = "?";
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
	}
	snprintf(err, errlen, "no data folder found (looked beside the program in %s/data and"
		 " %s/../share/sitrep/data%s%s, and in ./data); install sitrep with 'make install'"
		 " or set SITREP_DATA to the folder that holds places.tsv", exe, exe,
#ifdef SR_DATA_DIR
		 ", then in ", SR_DATA_DIR
#else
		 "", ""
#endif
		 );
}

static void
load_dir(builder *b, const char *dir, bool main)
{
	char path[4200];
#define P(name) (snprintf(path, sizeof path, "%s/%s", dir, name), path)
	if (main)
		load_gazetteer(b, P("gen/gazetteer.tsv"));
	if (!b->failed)
		load_countries(b, P("countries_extra.tsv"), main);
	if (!b->failed)
		load_places(b, P("places.tsv"), main);
	if (!b->failed)
		load_actors(b, P("actors.tsv"), main);
	if (!b->failed)
		load_forces(b, P("forces.tsv"), main);
	if (!b->failed)
		load_shapes(b, P("shapes.tsv"), main);
	if (!b->failed)
		load_words(b, P("words.tsv"), main);
#undef P
}

static void
builder_free(builder *b)
{
	free(b->p);
	for (int t = 0; t < 3; t++)
		free(b->prefixes[t]);
}

sr_lexicon *
sr_lexicon_load(const char *const *dirs, int ndirs, char *err, size_t errlen)
{
	sr_lexicon *lx = sr_calloc(1, sizeof *lx);
	builder b = {0};
	b.lx = lx;
	b.strict = true;
	b.err = err;
	b.errlen = errlen;
	if (err && errlen)
		err[0] = '\0';
	table_init(&lx->words, 512);
	table_init(&b.ids, 1024);
	lx->first_any = sr_calloc(LX_FIRST_BITS / 64, sizeof(uint64_t));
	lx->seq_bits = sr_calloc(LX_SEQ_BITS / 64, sizeof(uint64_t));
	const char *def = sr_lexicon_default_dir();
	if (!data_dir_ok(def)) {
		if (err && errlen)
			no_data_dir(err, errlen);
		builder_free(&b);
		free(b.ids.slots);
		sr_lexicon_free(lx);
		return NULL;
	}
	lx->dirs[lx->ndirs++] = sr_strdup(def);
	lx_slot *words0 = lx->words.slots;
	uint64_t *first0 = lx->first_any, *seq0 = lx->seq_bits;
	if (ndirs == 0 && lx_image_load(lx, def)) {
		/* the tables as the build below makes them, read back (image.c) */
		builder_free(&b);
		free(b.ids.slots);
		free(words0);
		free(first0);
		free(seq0);
		return lx;
	}
	load_dir(&b, def, true);
	for (int i = 0; i < ndirs && !b.failed && lx->ndirs < LX_MAX_DIRS; i++) {
		lx->dirs[lx->ndirs++] = sr_strdup(dirs[i]);
		load_dir(&b, dirs[i], false);
	}
	if (b.failed) {
		builder_free(&b);
		free(b.ids.slots);
		sr_lexicon_free(lx);
		return NULL;
	}
	mark_forces(lx);
	build_tables(&b);
	lx->ids = b.ids;
	builder_free(&b);
	return lx;
}

void
sr_lexicon_free(sr_lexicon *lx)
{
	if (!lx)
		return;
	if (lx->image) {
		munmap(lx->image, lx->image_len);
		for (int i = 0; i < lx->ndirs; i++)
			free(lx->dirs[i]);
		free(lx);
		return;
	}
	sr_arena_free(&lx->pool);
	free(lx->entries);
	free(lx->refs);
	free(lx->names.slots);
	free(lx->forces.slots);
	free(lx->shapes.slots);
	free(lx->words.slots);
	free(lx->ids.slots);
	free(lx->gazbuf);
	free(lx->first_any);
	free(lx->seq_bits);
	for (int i = 0; i < lx->ndirs; i++)
		free(lx->dirs[i]);
	free(lx);
}

const char *
sr_lexicon_dir(const sr_lexicon *lx, int i)
{
	return i >= 0 && i < lx->ndirs ? lx->dirs[i] : NULL;
}

size_t
sr_lexicon_size(const sr_lexicon *lx)
{
	return lx->nentries;
}

/* ------------------------------------------------------------ check */

/* Names that fold alike in two different curated entries of one kind. */
static void
check_collisions(builder *b, const char *dir)
{
	sr_lexicon *lx = b->lx;
	if (b->np < 2)
		return;         /* (qsort of a NULL array is undefined) */
	qsort(b->p, b->np, sizeof *b->p, cmp_pending);
	for (size_t i = 1; i < b->np; i++) {
		const pending *x = &b->p[i - 1], *y = &b->p[i];
		if (x->table || y->table || x->key != y->key || x->entry == y->entry)
			continue;
		const lx_entry *ex = &lx->entries[x->entry], *ey = &lx->entries[y->entry];
		if (ex->src != LX_SRC_CURATED || ey->src != LX_SRC_CURATED || ex->kind != ey->kind)
			continue;
		if ((x->flags & LX_REF_CS) != (y->flags & LX_REF_CS))
			continue;
		b->file = dir;
		b->line = 0;
		b->problems++;
		if (b->report)
			fprintf(b->report, "%s: a name of '%s' and a name of '%s' are the same once folded\n",
				dir, ex->id, ey->id);
	}
}

int
sr_lexicon_check(const char *dir, FILE *out)
{
	sr_lexicon *lx = sr_calloc(1, sizeof *lx);
	builder b = {0};
	b.lx = lx;
	b.report = out;
	table_init(&lx->words, 512);
	table_init(&b.ids, 1024);
	lx->first_any = sr_calloc(LX_FIRST_BITS / 64, sizeof(uint64_t));
	lx->seq_bits = sr_calloc(LX_SEQ_BITS / 64, sizeof(uint64_t));
	if (!dir)
		dir = sr_lexicon_default_dir();
	char path[4200];
	snprintf(path, sizeof path, "%s/places.tsv", dir);
	bool any = access(path, R_OK) == 0;
	snprintf(path, sizeof path, "%s/actors.tsv", dir);
	any = any || access(path, R_OK) == 0;
	if (!any) {
		b.file = dir;
		problem(&b, "no places.tsv or actors.tsv here");
	}
	load_dir(&b, dir, false);
	check_collisions(&b, dir);
	builder_free(&b);
	free(b.ids.slots);
	sr_lexicon_free(lx);
	return b.problems;
}

const lx_entry *
lx_entry_by_id(const sr_lexicon *lx, const char *id)
{
	const lx_slot *s = lx_table_get(&lx->ids, sr_hash64(id, strlen(id)));
	if (s && s->count && !strcmp(lx->entries[s->first].id, id))
		return &lx->entries[s->first];
	/* the gazetteer is sorted by id */
	size_t lo = lx->gaz_first, hi = lx->gaz_first + lx->ngaz;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(lx->entries[mid].id, id);
		if (!c)
			return &lx->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int
sr_lexicon_get(const sr_lexicon *lx, const char *id, sr_entity *out)
{
	const lx_entry *e = lx_entry_by_id(lx, id);
	memset(out, 0, sizeof *out);
	if (!e)
		return SR_END;
	out->kind = e->kind;
	out->type = e->type;
	out->id = e->id;
	out->name = e->name;
	out->country = e->country;
	out->precision = e->precision;
	out->has_coord = e->has_coord;
	out->lat = e->lat;
	out->lon = e->lon;
	return SR_OK;
}
