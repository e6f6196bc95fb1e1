/*
 * test_lexicon_image.c -- the lexicon's image (src/lexicon/image.c): read
 * back, it is the lexicon the text files build, field for field, and it
 * finds the same entities; a stale, cut or damaged image is not used.
 *
 * Works in a folder of its own under /tmp: the shipped data files linked
 * into it, words.tsv copied (so that its time can change).
 */
#include "harness.h"

#include "../../src/lexicon/lexicon_int.h"

#include <stdlib.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const files[] = {
	"gen/gazetteer.tsv", "countries_extra.tsv", "places.tsv", "actors.tsv",
	"forces.tsv", "shapes.tsv",
};

static bool
copy_file(const char *from, const char *to)
{
	FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
	char buf[8192];
	size_t n;
	bool ok = in && out;
	while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
		ok = fwrite(buf, 1, n, out) == n;
	if (in)
		fclose(in);
	if (out && fclose(out) != 0)
		ok = false;
	return ok;
}

/* A data folder in dir that reads the shipped files. */
static bool
make_folder(char *dir)
{
	char cwd[2048], from[4200], to[4200];
	if (!mkdtemp(dir) || !getcwd(cwd, sizeof cwd))
		return false;
	const char *data = getenv("SITREP_DATA") ? getenv("SITREP_DATA") : "data";
	snprintf(to, sizeof to, "%s/gen", dir);
	if (mkdir(to, 0700) != 0)
		return false;
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		if (data[0] == '/')
			snprintf(from, sizeof from, "%s/%s", data, files[i]);
		else
			snprintf(from, sizeof from, "%s/%s/%s", cwd, data, files[i]);
		snprintf(to, sizeof to, "%s/%s", dir, files[i]);
		if (symlink(from, to) != 0)
			return false;
	}
	snprintf(from, sizeof from, "%s/words.tsv", data);
	snprintf(to, sizeof to, "%s/words.tsv", dir);
	return copy_file(from, to);
}

/* The lexicon of folder dir, from its text files or from its image. */
static sr_lexicon *
load_from(const char *dir, bool image)
{
	char err[512], *old = getenv("SITREP_DATA") ? strdup(getenv("SITREP_DATA")) : NULL;
	setenv("SITREP_DATA", dir, 1);
	setenv("SITREP_LEXICON_IMAGE", image ? "1" : "0", 1);
	sr_lexicon *lx = sr_lexicon_load(NULL, 0, err, sizeof err);
	if (!lx)
		fprintf(stderr, "lexicon image test: %s\n", err);
	unsetenv("SITREP_LEXICON_IMAGE");
	if (old)
		setenv("SITREP_DATA", old, 1);
	else
		unsetenv("SITREP_DATA");
	free(old);
	return lx;
}

static bool
same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool
same_table(const lx_table *a, const lx_table *b)
{
	if (a->mask != b->mask || a->used != b->used || !a->slots != !b->slots)
		return false;
	return !a->slots || !memcmp(a->slots, b->slots, (a->mask + 1) * sizeof *a->slots);
}

/* Every field of a and b alike (strings by content). */
static bool
same_lexicon(const sr_lexicon *a, const sr_lexicon *b)
{
	if (a->nentries != b->nentries || a->nrefs != b->nrefs || a->gaz_first != b->gaz_first ||
	    a->ngaz != b->ngaz)
		return false;
	for (size_t i = 0; i < a->nentries; i++) {
		lx_entry x = a->entries[i], y = b->entries[i];
		if (!same_str(x.id, y.id) || !same_str(x.name, y.name) || !same_str(x.type, y.type) ||
		    !same_str(x.precision, y.precision))
			return false;
		x.id = x.name = x.type = x.precision = y.id = y.name = y.type = y.precision = NULL;
		if (memcmp(&x, &y, sizeof x))
			return false;
	}
	for (size_t i = 0; i < a->nrefs; i++) {
		/* member by member: the image holds no padding of the builder */
		const lx_ref *x = &a->refs[i], *y = &b->refs[i];
		if (!same_str(x->exact, y->exact) || x->entry != y->entry || x->flags != y->flags ||
		    x->lower != y->lower)
			return false;
	}
	return same_table(&a->names, &b->names) && same_table(&a->forces, &b->forces) &&
	       same_table(&a->shapes, &b->shapes) && same_table(&a->words, &b->words) &&
	       same_table(&a->ids, &b->ids) &&
	       !memcmp(a->first_any, b->first_any, LX_FIRST_BITS / 8) &&
	       !memcmp(a->seq_bits, b->seq_bits, LX_SEQ_BITS / 8) &&
	       !memcmp(a->first_lower, b->first_lower, sizeof a->first_lower) &&
	       !memcmp(a->lower4, b->lower4, sizeof a->lower4) &&
	       !memcmp(a->shape_first, b->shape_first, sizeof a->shape_first) &&
	       !memcmp(a->word_bits, b->word_bits, sizeof a->word_bits);
}

/* The entities of text as "text=id" lines. */
static void
entities(sr_lexicon *lx, const char *text, char *out, size_t cap)
{
	out[0] = '\0';
	sr_recognizer *r = sr_recognizer_new(lx);
	sr_doc *doc = sr_doc_from_text("t", text, strlen(text));
	const sr_entity *e;
	size_t n;
	sr_recognize(r, doc, &e, &n);
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), cap - strlen(out), "%.*s=%s;",
			 (int)(e[i].end - e[i].start), doc->text + e[i].start, e[i].id);
	sr_doc_free(doc);
	sr_recognizer_free(r);
}

static void
remove_folder(const char *dir)
{
	char p[4200];
	for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
		snprintf(p, sizeof p, "%s/%s", dir, files[i]);
		unlink(p);
	}
	snprintf(p, sizeof p, "%s/words.tsv", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/gen/lexicon.img", dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/gen", dir);
	rmdir(p);
	rmdir(dir);
}

SR_TEST(lexicon_image_is_the_built_lexicon)
{
	char dir[] = "/tmp/sitrep-lximg-XXXXXX", img[4200], err[512];
	CHECK(make_folder(dir));
	snprintf(img, sizeof img, "%s/gen/lexicon.img", dir);
	sr_lexicon *text = load_from(dir, false);
	CHECK(text != NULL);
	if (!text) {
		remove_folder(dir);
		return;
	}
	CHECK(text->image == NULL);
	CHECK(sr_lexicon_save_image(text, img, err, sizeof err) == SR_OK);
	sr_lexicon *read = load_from(dir, true);
	CHECK(read != NULL && read->image != NULL);
	if (read) {
		CHECK(same_lexicon(text, read));
		CHECK_INT(sr_lexicon_size(read), sr_lexicon_size(text));
		static const char *const texts[] = {
			"US troops left the al-Tanf base near Hasakah, Syria, on Thursday.",
			"The SDF and Iraqi security forces took over Camp Taji and Qasrak base.",
			"Russian forces shelled Kharkiv; the Kurdistan Region of Iraq said #AFP.",
		};
		for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
			char a[2048], b[2048];
			entities(text, texts[i], a, sizeof a);
			entities(read, texts[i], b, sizeof b);
			CHECK(a[0] != '\0');
			CHECK_STR(b, a);
		}
	}
	sr_lexicon_free(read);

	/* a source file with another time: the text files are read */
	char words[4200];
	snprintf(words, sizeof words, "%s/words.tsv", dir);
	struct timespec t[2] = {{0, UTIME_OMIT}, {12345, 0}};
	CHECK(utimensat(AT_FDCWD, words, t, 0) == 0);
	read = load_from(dir, true);
	CHECK(read != NULL && read->image == NULL);
	sr_lexicon_free(read);

	/* current again, then cut short or damaged: not used */
	CHECK(sr_lexicon_save_image(text, img, err, sizeof err) == SR_OK);
	struct stat st;
	CHECK(stat(img, &st) == 0);
	FILE *f = fopen(img, "r+b");
	CHECK(f != NULL);
	if (f) {
		/* the first entry (the first section, at byte 512 after the
		 * header) pointing far past the strings */
		static const unsigned char ff[64] = {
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
			0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f,
		};
		CHECK(fseek(f, 512, SEEK_SET) == 0 && fwrite(ff, 1, 16, f) == 16);
		fclose(f);
	}
	read = load_from(dir, true);
	CHECK(read != NULL && read->image == NULL);
	sr_lexicon_free(read);
	CHECK(sr_lexicon_save_image(text, img, err, sizeof err) == SR_OK);
	CHECK(truncate(img, st.st_size - 100) == 0);
	read = load_from(dir, true);
	CHECK(read != NULL && read->image == NULL);
	sr_lexicon_free(read);
	CHECK(sr_lexicon_save_image(text, img, err, sizeof err) == SR_OK);
	f = fopen(img, "r+b");
	CHECK(f != NULL);
	if (f) {
		fputc('X', f);  /* the magic */
		fclose(f);
	}
	read = load_from(dir, true);
	CHECK(read != NULL && read->image == NULL);
	sr_lexicon_free(read);
	sr_lexicon_free(text);
	remove_folder(dir);
}
