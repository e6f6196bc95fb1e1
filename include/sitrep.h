/*
 * sitrep.h -- the one public header of libsitrep.
 *
 * sitrep turns news reports about armed forces into sourced, dated,
 * geocoded events, merges them into incidents and tracks who holds each
 * place.  This header is the manual: every function has a paragraph
 * saying what it does, who owns what it returns and how long it lives.
 *
 * Conventions
 *   - Every name starts with sr_ / SR_.
 *   - Functions that can fail return an int status from enum sr_status
 *     (SR_OK == 0); the message is kept on the handle (sr_reader_errmsg,
 *     ...) and names the file, line or record it concerns.
 *   - Out of memory aborts the program with a message (one policy,
 *     applied in the allocation wrapper); no function returns ENOMEM.
 *   - Analysis is total: odd text yields fewer results, never an error.
 *   - Byte offsets ("spans") always point into the document's original
 *     text (sr_doc.text), end exclusive.
 */
#ifndef SITREP_H
#define SITREP_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SR_VERSION "0.1.0"

/* ---------------------------------------------------------------- status */

enum sr_status {
	SR_OK = 0,
	SR_END,         /* no more records: not an error */
	SR_ERR_IO,      /* a file could not be opened or read */
	SR_ERR_FORMAT,  /* a record is malformed (JSON, missing text, NUL...) */
	SR_ERR_LIMIT,   /* a record is larger than a limit below */
	SR_ERR_USAGE,   /* a caller passed something meaningless */
	SR_ERR_DATA,    /* a lexicon or data file has a problem */
	SR_ERR_DB       /* the store reported an error */
};

/* A short English name for a status ("ok", "i/o error"...).  Static. */
const char *sr_strstatus(int status);

/* The library's version string, SR_VERSION.  Static. */
const char *sr_version(void);

/* ---------------------------------------------------------------- limits */

/* The largest record (a JSON Lines line or a text file) read whole.  A
 * larger one is skipped with SR_ERR_LIMIT and reading goes on. */
#define SR_MAX_RECORD ((size_t)64 << 20)
/* The longest token: a longer run of non-space bytes is cut into pieces. */
#define SR_MAX_TOKEN 256
/* The most tokens in one sentence: a longer sentence is cut. */
#define SR_MAX_SENTENCE_TOKENS 400

/* --------------------------------------------------------------- tokens */

enum sr_token_class {
	SR_TOK_WORD = 0,
	SR_TOK_NUMBER,
	SR_TOK_PUNCT,
	SR_TOK_URL,
	SR_TOK_HANDLE,   /* @name */
	SR_TOK_HASHTAG,  /* #name */
	SR_TOK_EMAIL
};

/* Token flags. */
#define SR_TF_UPPER1   0x01u /* first letter is upper case */
#define SR_TF_ALLCAPS  0x02u /* every letter is upper case (and >= 1 letter) */
#define SR_TF_SPACE    0x04u /* whitespace precedes the token */
#define SR_TF_NEWLINE  0x08u /* a line break precedes the token */
#define SR_TF_PARA     0x10u /* a blank line (paragraph break) precedes it */
#define SR_TF_ABBREV   0x20u /* a word ending in a period that is part of it */
#define SR_TF_DATELINE 0x40u /* part of a dateline ("ERBIL (Kurdistan24) -") */

/* A token: a non-owning slice of the document's normalized text, with its
 * span in the original text.  Lives as long as its sr_doc. */
typedef struct sr_token {
	const char *s;      /* into sr_doc.norm, not NUL-terminated */
	uint32_t len;       /* bytes at s */
	uint32_t nstart;    /* offset of s in sr_doc.norm */
	uint32_t start;     /* span in sr_doc.text */
	uint32_t end;
	uint8_t cls;        /* enum sr_token_class */
	uint8_t flags;      /* SR_TF_* */
} sr_token;

/* A sentence: a run of tokens.  Lives as long as its sr_doc. */
typedef struct sr_sentence {
	uint32_t tok;       /* index of its first token in sr_doc.toks */
	uint32_t ntok;      /* number of tokens */
	uint32_t start;     /* span in sr_doc.text */
	uint32_t end;
	uint32_t para;      /* paragraph number, from 0 */
} sr_sentence;

/* -------------------------------------------------------------- documents */

/* A document: one report, as read by sr_reader.  The fields are read-only
 * for callers; everything is owned by the document and freed by
 * sr_doc_free.  The analysis fields (norm, toks, sents) are filled by
 * sr_doc_analyze. */
typedef struct sr_doc {
	char *id;           /* JSON "id", else the file's base name */
	char *url;          /* may be NULL */
	char *outlet;       /* may be NULL */
	char *title;        /* may be NULL */
	char published[11]; /* "YYYY-MM-DD", or "" when unknown */
	char *origin;       /* the file the document came from ("-" = stdin) */
	long line;          /* its line in that file (JSON Lines), else 0 */
	char *lang;         /* language code an HTML page states, or NULL */

	char *text;         /* the original text, valid UTF-8, NUL-terminated */
	size_t len;         /* its length in bytes */
	size_t body;        /* where the report starts in text (after a
			       " date YYYY-MM-DD" header line) */
	size_t bad_utf8;    /* invalid UTF-8 sequences replaced by U+FFFD */

	/* filled by sr_doc_analyze */
	char *norm;         /* normalized body, NUL-terminated */
	size_t nlen;
	uint32_t *nmap;     /* nmap[i]: offset in text of the character that
			       produced norm[i]; nmap[nlen] == len */
	size_t mojibake;    /* mojibake sequences repaired */
	sr_token *toks;
	size_t ntok;
	sr_sentence *sents;
	size_t nsent;

	/* an HTML page still to read (SR_READ_DEFER), else NULL: see
	 * sr_doc_read_page */
	struct sr_doc_page *page;
} sr_doc;

/* Makes a document from a string.  The text is copied; invalid UTF-8 is
 * replaced by U+FFFD and counted in bad_utf8.  A leading " date
 * YYYY-MM-DD" line sets published (as in plain text files).  id may be
 * NULL ("-").  Owned by the caller; free with sr_doc_free. */
sr_doc *sr_doc_from_text(const char *id, const char *text, size_t len);

/* Normalizes, tokenizes and splits the document into sentences.  Idempotent;
 * never fails. */
void sr_doc_analyze(sr_doc *doc);

/* Frees a document and everything it owns.  Accepts NULL. */
void sr_doc_free(sr_doc *doc);

/* Bytes of memory analysis and extraction take per byte of a report, at
 * most (measured: 29 for `sitrep extract`, 31 for `sitrep ingest`, on
 * reports of 3 to 60 MB; the tokens, the normalized text's map, the
 * recognizer's per-token arrays and the events' mentions are most of it). */
#define SR_DOC_MEMORY_FACTOR 32

/* Can doc be analyzed and its events extracted within the address space
 * this process may still use (ulimit -v)?  SR_OK when there is no limit
 * or it leaves SR_DOC_MEMORY_FACTOR times the report's size; else
 * SR_ERR_LIMIT and a message naming the record, what it needs and what
 * the limit leaves, for the caller to skip that record. */
int sr_doc_memory_check(const sr_doc *doc, char *err, size_t errlen);

/* The largest report analyzed at once, in bytes of its body.  A larger
 * one is cut into parts (sr_doc_next_part); news reports are far below. */
#define SR_DOC_PART_MAX ((size_t)1 << 20)

/* The next part of a report larger than SR_DOC_PART_MAX: a new document
 * holding the body from byte *pos on, cut at the last paragraph break
 * (else line break, sentence end, space) before SR_DOC_PART_MAX bytes,
 * with the report's url, outlet, title, publication date, origin and line
 * and the id "ID/partK" (*k counts the parts, start it at 0).  Every byte
 * of the body is in exactly one part.  Start with *pos = 0; returns NULL
 * when the report needs no cutting or every part was given.  Analysis of
 * a part takes SR_DOC_MEMORY_FACTOR times its size, not the report's.
 * Owned by the caller; free with sr_doc_free. */
sr_doc *sr_doc_next_part(const sr_doc *doc, size_t *pos, int *k);

/* Called when an allocation fails, with the bytes asked for; a program
 * prints what was under way and ends (it must not return to the library:
 * when it returns, a message is printed and the process exits with status
 * 2).  Set once, before any other call; NULL restores that default. */
typedef void (*sr_oom_fn)(size_t bytes);
void sr_set_oom_handler(sr_oom_fn fn);

/* The span in doc->text of normalized bytes [nstart, nend). */
void sr_doc_span(const sr_doc *doc, size_t nstart, size_t nend,
		 uint32_t *start, uint32_t *end);

/* ----------------------------------------------------------------- reader */

/* A reader of reports from files, folders and stdin.  Plain text files
 * (an optional first line " date YYYY-MM-DD"), JSON Lines files (*.jsonl,
 * *.ndjson, or any file whose first byte is '{'), HTML pages (their
 * article and metadata), RSS 2.0, RSS 1.0 and Atom feeds (one document
 * per item), WARC archives (one document per HTML response, streamed),
 * each gzip-compressed or not and known by content as well as by name;
 * http(s) URLs (fetched once), folders (recursive, in sorted order) and
 * "-" for stdin. */
typedef struct sr_reader sr_reader;

/* A new reader with nothing queued.  Free with sr_reader_free. */
sr_reader *sr_reader_new(void);

/* Frees the reader.  Accepts NULL. */
void sr_reader_free(sr_reader *r);

/* Queues a path (file, folder or "-").  Never fails: a path that cannot be
 * read is reported by sr_reader_next when its turn comes. */
void sr_reader_add(sr_reader *r, const char *path);

/* Reads the next document into *out (owned by the caller, free with
 * sr_doc_free).  Returns SR_OK with a document, SR_END when everything is
 * read, or an error status for one skipped record or file: the message
 * (sr_reader_errmsg) names the file, the line and what is wrong, and the
 * next call goes on with the next record.  A document whose text had
 * invalid UTF-8 is returned with SR_OK and bad_utf8 > 0; the message then
 * holds a warning (sr_reader_warning). */
int sr_reader_next(sr_reader *r, sr_doc **out);

/* The message of the last error or warning, "" if none.  Lives until the
 * next call on the reader. */
const char *sr_reader_errmsg(const sr_reader *r);

/* A warning about the document just returned (replaced invalid UTF-8), or
 * NULL.  Lives until the next call on the reader. */
const char *sr_reader_warning(const sr_reader *r);

/* How many records or files were skipped so far. */
size_t sr_reader_skipped(const sr_reader *r);

/* Reader flags (sr_reader_set_flags). */
#define SR_READ_FOLLOW 0x1u  /* feeds: read each item's linked page (fetched)
				instead of the item's summary */
#define SR_READ_DEFER 0x2u   /* an HTML page (of a file, URL or archive) is
				only cut out of its input: sr_reader_next
				returns a document with its id, origin and
				line whose page is read by sr_doc_read_page,
				on any thread, so that pages are parsed in
				parallel while the reader stays sequential */

/* Reads the page of a document sr_reader_next returned with
 * SR_READ_DEFER (does nothing for any other document): parses the HTML,
 * finds the article and metadata, and fills doc exactly as the reader
 * would have without the flag.  Returns SR_OK, and in warning (when not
 * empty) what sr_reader_warning would have said; or an error with the
 * message sr_reader_errmsg would have given (a page without article
 * text...), for the caller to skip the document and count it skipped.
 * Thread-safe for different documents. */
int sr_doc_read_page(sr_doc *doc, char *err, size_t errlen, char *warning, size_t warnlen);

/* How many records of WARC archives were passed over so far because they
 * hold no HTML page (requests, metadata, images, errors...). */
size_t sr_reader_passed(const sr_reader *r);

/* Sets SR_READ_* flags for what is read next. */
void sr_reader_set_flags(sr_reader *r, unsigned flags);

/* ---------------------------------------------------------------- output */

/* Writes s (len bytes) as a JSON string, quotes included. */
void sr_json_str(FILE *f, const char *s, size_t len);

/* Writes the sentences of an analyzed document as JSON Lines
 * {"doc", "n", "span", "text"}. */
void sr_write_sentences(FILE *f, const sr_doc *doc);

/* ---------------------------------------------------------------- lexicon */
/* @@ lexicon section @@ */

/* The lexicon: everything sitrep knows about places and actors, read from
 * data folders (see DESIGN.md "Lexicon"): curated sites (places.tsv),
 * actors (actors.tsv), country names and demonyms (countries_extra.tsv),
 * force nouns (forces.tsv), place shapes (shapes.tsv), common words
 * (words.tsv) and the world gazetteer generated at build time
 * (gen/gazetteer.tsv).  It is built once and then only read, so any
 * number of threads may share one. */
typedef struct sr_lexicon sr_lexicon;

/* The data folder sitrep uses when no other is given: $SITREP_DATA when
 * set; else the first of these that holds places.tsv: beside the program
 * (BIN/data, BIN/../share/sitrep/data as `make install` puts it, BIN/../data
 * in the build tree), then the installed location (PREFIX/share/sitrep/data
 * of the build); else "data".  sr_lexicon_load says where it looked when
 * none has the data.  Static storage. */
const char *sr_lexicon_default_dir(void);

/* Loads the default data folder and then each of the ndirs folders of
 * dirs (extra lexicons: their places*.tsv, actors*.tsv, forces.tsv,
 * shapes.tsv and words.tsv are added; a later entry with an existing id
 * replaces nothing, it adds names).  Returns NULL and writes a message
 * naming the file and line into err on a data error.  Owned by the
 * caller; free with sr_lexicon_free. */
sr_lexicon *sr_lexicon_load(const char *const *dirs, int ndirs, char *err, size_t errlen);

/* Frees a lexicon.  Accepts NULL.  Entities found with it die with it. */
void sr_lexicon_free(sr_lexicon *lx);

/* Writes lx, as built, to path (the main data folder's gen/lexicon.img is
 * what sr_lexicon_load reads instead of the text files while each of them
 * keeps the size and time it had here: about 0.1 s less start-up).  lx
 * must be loaded with no extra folders.  Returns SR_OK, or an error with
 * a message in err. */
int sr_lexicon_save_image(const sr_lexicon *lx, const char *path, char *err, size_t errlen);

/* The data folders the lexicon was read from (0 = the default folder),
 * so that other stages can read their own files there.  NULL past the
 * end.  Lives as long as the lexicon. */
const char *sr_lexicon_dir(const sr_lexicon *lx, int i);

/* Number of entries (places, actors) in the lexicon. */
size_t sr_lexicon_size(const sr_lexicon *lx);

/* Checks the lexicon files of one folder (dir NULL: the default folder)
 * and writes one line "FILE:LINE: problem" to out for each problem:
 * unreadable files, missing columns, duplicate ids, bad coordinates,
 * unknown country codes, unknown kinds, names that collide across
 * entries.  Returns the number of problems (0 = clean). */
int sr_lexicon_check(const char *dir, FILE *out);

enum sr_entity_kind { SR_ENT_PLACE = 1, SR_ENT_ACTOR = 2 };

/* One mention of a place or an actor in a document.  Strings (id, name,
 * type, precision, country) belong to the lexicon or to the recognizer
 * that found the mention (see sr_recognize); none is NULL ("" when
 * unknown, precision "" for actors). */
typedef struct sr_entity {
	uint32_t start, end;    /* span in sr_doc.text */
	uint32_t tok, ntok;     /* tokens [tok, tok + ntok) of sr_doc.toks */
	int kind;               /* enum sr_entity_kind */
	const char *type;       /* places: base, airport, crossing, prison,
				   camp, field, site, town, region, country,
				   continent; actors: state_military,
				   government, armed_group, coalition, agency,
				   media, official, monitor, person */
	const char *id;         /* "site:al-tanf", "gn:170654", "cc:SY",
				   "iso:SY-HA", "SY.MIL", "shape:sarrin-base" */
	const char *name;       /* canonical name */
	const char *country;    /* ISO 3166-1 alpha-2 */
	const char *precision;  /* places: site | town | region | country */
	int has_coord;
	double lat, lon;
	int shape;              /* 1: an unknown site recognized by its shape
				   ("Camp X", "X air base"), located at X */
} sr_entity;

/* A recognizer: finds the places and actors of documents with a lexicon
 * (shared, not owned; it must outlive the recognizer).  Holds per-document
 * scratch memory: use one per thread.  Free with sr_recognizer_free. */
typedef struct sr_recognizer sr_recognizer;

sr_recognizer *sr_recognizer_new(const sr_lexicon *lx);

/* Frees a recognizer.  Accepts NULL. */
void sr_recognizer_free(sr_recognizer *r);

/* Finds the mentions of places and actors in an analyzed document (it is
 * analyzed here if it is not yet), in text order, without overlaps:
 * longest match over normalized tokens, acronyms in their exact case,
 * Arabic articles alike, shapes of unknown sites, demonym + force noun as
 * the country's armed forces, ambiguous names resolved by the document's
 * context and population.  Nothing is matched inside URLs, @handles and
 * e-mail addresses; a #hashtag names a place or actor only when it is a
 * curated name, a country or a region.  *out points to n entities owned
 * by the recognizer, valid until its next call or its freeing.  Never
 * fails. */
void sr_recognize(sr_recognizer *r, sr_doc *doc, const sr_entity **out, size_t *n);

/* Writes one entity as a JSON object (one line, no newline):
 * {"doc", "span", "text", "kind", "type", "id", "name", "country", and for
 * places "place_kind", "lat", "lon", "precision"}. */
void sr_entity_write_json(FILE *f, const sr_doc *doc, const sr_entity *e);

/* Looks an entry up by id ("site:al-tanf", "cc:IQ", "US.MIL", "gn:170654")
 * and fills *out (span and tokens 0; strings owned by the lexicon).
 * Returns SR_OK, or SR_END when there is no such id. */
int sr_lexicon_get(const sr_lexicon *lx, const char *id, sr_entity *out);

/* Does place inner lie within place outer?  The one rule of containment,
 * the one fusion uses: true when they are the same id; else outer must be
 * coarser than inner (country > region > town > site) and in the same
 * country, and then contains it when outer is the country, when outer is
 * a region within SR_FUSE_REGION_KM of inner, and when outer is a town and
 * inner a site within SR_FUSE_TOWN_KM.  For fusion: "Hasakah province"
 * contains "Shaddadi base". */
int sr_place_contains(const sr_entity *outer, const sr_entity *inner);

/* ------------------------------------------------------------------ times */
/* @@ times section @@ */

/* Time expressions (TimeML TIMEX3).  sr_times_find scans an analyzed
 * document for dates ("Monday, February 23", "2026-02-12", "last month",
 * "in early February", "since mid-October 2023"), times ("10:30 p.m."),
 * durations ("15 days", "over the past 15 days") and sets ("daily"), and
 * normalizes each to a TIMEX3 value:
 *
 *   2026-02-23  2026-02  2026  202 (decade)  20 (century)  2026-W07
 *   2026-Q1  2026-H1  2026-SU  2026-02-23TNI  2026-02-23T22:00
 *   P15D  PT5H  PXY  PRESENT_REF  PAST_REF  FUTURE_REF  XXXX-11
 *
 * Relative expressions are anchored to the publication date (doc->
 * published), or, when the text says so ("two days later", "that
 * month", "the following week"), to the last date the text resolved.
 * Weekdays, bare months and seasons take their direction from the tense
 * of the sentence ("left on Monday": the Monday before; "will leave on
 * Monday": the one after).  A document without a publication date gets
 * unresolved values ("XXXX-WXX-1", "XXXX-11", "XXXX") for relative
 * expressions: the library never reads today's clock. */

enum sr_timex_type {
	SR_TIMEX_DATE = 0,
	SR_TIMEX_TIME,
	SR_TIMEX_DURATION,
	SR_TIMEX_SET
};

/* How a timex's value was fixed. */
enum sr_timex_anchor {
	SR_ANCHOR_NONE = 0,   /* absolute ("2014", "Feb. 23, 2026"), a
				 duration, or a *_REF value */
	SR_ANCHOR_PUBLISHED,  /* relative to the publication date */
	SR_ANCHOR_TEXT,       /* relative to another timex (anchor_timex) */
	SR_ANCHOR_UNRESOLVED  /* relative, but nothing to anchor it to: the
				 value holds X placeholders */
};

/* Granularity of a DATE or TIME value. */
enum sr_timex_precision {
	SR_PREC_NONE = 0,     /* durations, sets, *_REF */
	SR_PREC_CENTURY, SR_PREC_DECADE, SR_PREC_YEAR, SR_PREC_HALF,
	SR_PREC_QUARTER, SR_PREC_SEASON, SR_PREC_MONTH, SR_PREC_WEEK,
	SR_PREC_DAY, SR_PREC_TIME
};

/* One time expression.  Plain data: no pointers, copy freely. */
typedef struct sr_timex {
	uint32_t start, end;    /* span in sr_doc.text (end exclusive) */
	uint32_t nstart, nend;  /* span in sr_doc.norm */
	uint32_t sentence;      /* index in sr_doc.sents */
	uint8_t type;           /* enum sr_timex_type */
	uint8_t anchor;         /* enum sr_timex_anchor */
	uint8_t precision;      /* enum sr_timex_precision */
	uint8_t approx;         /* 1 for "early/mid/late", "about", "nearly",
				   "more than", "the end of"...: see mod */
	int32_t anchor_timex;   /* SR_ANCHOR_TEXT: index of the timex in the
				   same result array it was anchored to;
				   else -1 */
	char mod[16];           /* TIMEX3 mod: "", "START", "MID", "END",
				   "APPROX", "MORE_THAN", "LESS_THAN",
				   "EQUAL_OR_MORE", "EQUAL_OR_LESS" */
	char value[32];         /* TIMEX3 value; never empty */
} sr_timex;

/* Finds every time expression of an analyzed document (sr_doc_analyze
 * must have run; an unanalyzed document yields none), in text order.
 * Returns the number found and stores a new array in *out (NULL when
 * none), owned by the caller: free it with sr_times_free.  The array
 * holds no pointers into the document, so it may outlive it.  Never
 * fails; deterministic (the same document gives the same result). */
size_t sr_times_find(const sr_doc *doc, sr_timex **out);

/* The same expressions as sr_doc_analyze + sr_times_find, for a document
 * that needs nothing else: normalizes it if needed and finds its
 * sentences without tokenizing all of its text (the fast path of `sitrep
 * times`).  An analyzed document goes to sr_times_find.  Ownership as
 * for sr_times_find; the document is left normalized, and sr_doc_analyze
 * may still run on it. */
size_t sr_times_scan(sr_doc *doc, sr_timex **out);

/* Writes the n timexes t of doc (from sr_times_find or sr_times_scan) as
 * JSON Lines, one a line, as `sitrep times` prints them: {"doc", "span",
 * "text" (when with_text), "type", "value", "anchor", "sentence", "mod"
 * (when set)}. */
void sr_write_times(FILE *f, const sr_doc *doc, const sr_timex *t, size_t n,
		    int with_text);

/* Frees an array returned by sr_times_find.  Accepts NULL. */
void sr_times_free(sr_timex *t);

/* The timexes of sentence `sentence` within an array of n from
 * sr_times_find: returns how many there are and stores the index of the
 * first in *first (the array is in text order, so they are contiguous). */
size_t sr_times_in_sentence(const sr_timex *t, size_t n, uint32_t sentence,
			    size_t *first);

/* The type's name: "DATE", "TIME", "DURATION", "SET".  Static. */
const char *sr_timex_type_name(int type);

/* Converts a DATE or TIME timex to the event record's date: writes
 * "YYYY-MM-DD", "YYYY-MM" or "YYYY" into out and returns its precision
 * name ("day", "month", "year"), or returns NULL (out = "") when the
 * value is no calendar date (durations, *_REF, X placeholders).  Weeks
 * give their Monday's month, quarters/halves/seasons their year... each
 * coarser than its value, so nothing is invented. */
const char *sr_timex_calendar(const sr_timex *t, char out[11]);

/* Tense of a sentence, as the tagger reads it (direction of "Monday"). */
enum sr_tense { SR_TENSE_NONE = 0, SR_TENSE_PAST, SR_TENSE_PRESENT,
		SR_TENSE_FUTURE };

/* Normalizes one short English phrase ("last Friday", "two days later",
 * "Feb. 23") as the tagger would inside a document published on
 * `published` ("YYYY-MM-DD", or NULL/"" for unknown) in a sentence of the
 * given tense (enum sr_tense; SR_TENSE_NONE reads the phrase's own
 * words).  Fills *out with the first (longest) expression found in the
 * phrase (spans are offsets into phrase) and returns 1, or returns 0
 * when the phrase holds none.  Useful to resolve a weekday or a relative
 * expression outside a document. */
int sr_time_normalize(const char *phrase, size_t len, const char *published,
		      int tense, sr_timex *out);

/* ----------------------------------------------------------------- syntax */
/* @@ syntax section @@ */

/* Part-of-speech tags, lemmas and labeled dependency trees (Universal
 * Dependencies v2) for the sentences of a document, from a model trained
 * on the UD English Web Treebank (tools/train-syntax; the model is
 * data/syntax.model).  The tagger is an averaged perceptron run left to
 * right; the parser a greedy arc-hybrid transition parser with an
 * averaged perceptron over hashed features.  Both are deterministic.
 *
 * sitrep's tokens are cut into UD words inside this layer: "don't" gives
 * "do" + "n't", "al-Tanf" gives "al" "-" "Tanf", as the treebank writes
 * them; a word is a sub-span of one token (sr_word.tok). */

/* Universal POS tags (sr_word.upos).  0 is "no tag". */
enum sr_upos {
	SR_UPOS_NONE = 0,
	SR_UPOS_ADJ, SR_UPOS_ADP, SR_UPOS_ADV, SR_UPOS_AUX, SR_UPOS_CCONJ,
	SR_UPOS_DET, SR_UPOS_INTJ, SR_UPOS_NOUN, SR_UPOS_NUM, SR_UPOS_PART,
	SR_UPOS_PRON, SR_UPOS_PROPN, SR_UPOS_PUNCT, SR_UPOS_SCONJ,
	SR_UPOS_SYM, SR_UPOS_VERB, SR_UPOS_X,
	SR_UPOS_COUNT
};

/* Dependency relations (sr_word.deprel): the universal relations, then
 * the subtypes the English treebank uses.  0 is "no relation".
 * sr_deprel_base() maps a subtype to its universal relation
 * (SR_DEP_NSUBJ_PASS -> SR_DEP_NSUBJ). */
enum sr_deprel {
	SR_DEP_NONE = 0,
	SR_DEP_ACL, SR_DEP_ADVCL, SR_DEP_ADVMOD, SR_DEP_AMOD, SR_DEP_APPOS,
	SR_DEP_AUX, SR_DEP_CASE, SR_DEP_CC, SR_DEP_CCOMP, SR_DEP_CLF,
	SR_DEP_COMPOUND, SR_DEP_CONJ, SR_DEP_COP, SR_DEP_CSUBJ, SR_DEP_DEP,
	SR_DEP_DET, SR_DEP_DISCOURSE, SR_DEP_DISLOCATED, SR_DEP_EXPL,
	SR_DEP_FIXED, SR_DEP_FLAT, SR_DEP_GOESWITH, SR_DEP_IOBJ, SR_DEP_LIST,
	SR_DEP_MARK, SR_DEP_NMOD, SR_DEP_NSUBJ, SR_DEP_NUMMOD, SR_DEP_OBJ,
	SR_DEP_OBL, SR_DEP_ORPHAN, SR_DEP_PARATAXIS, SR_DEP_PUNCT,
	SR_DEP_REPARANDUM, SR_DEP_ROOT, SR_DEP_VOCATIVE, SR_DEP_XCOMP,
	/* subtypes */
	SR_DEP_ACL_RELCL, SR_DEP_ADVCL_RELCL, SR_DEP_AUX_PASS,
	SR_DEP_CC_PRECONJ, SR_DEP_COMPOUND_PRT, SR_DEP_CSUBJ_OUTER,
	SR_DEP_CSUBJ_PASS, SR_DEP_DET_PREDET, SR_DEP_NMOD_DESC,
	SR_DEP_NMOD_POSS, SR_DEP_NMOD_UNMARKED, SR_DEP_NSUBJ_OUTER,
	SR_DEP_NSUBJ_PASS, SR_DEP_OBL_AGENT, SR_DEP_OBL_UNMARKED,
	SR_DEP_COUNT
};

/* The UD name of a tag ("NOUN"), "_" for SR_UPOS_NONE or out of range.
 * Static. */
const char *sr_upos_name(int upos);

/* The tag named name ("NOUN"), or SR_UPOS_NONE. */
int sr_upos_id(const char *name);

/* The UD name of a relation ("nsubj:pass"), "_" for SR_DEP_NONE or out
 * of range.  Static. */
const char *sr_deprel_name(int deprel);

/* The relation named name ("obl:agent"), or SR_DEP_NONE when unknown. */
int sr_deprel_id(const char *name);

/* The universal relation of a relation (itself when it has no subtype). */
int sr_deprel_base(int deprel);

/* A loaded syntax model: tagger, lemmatizer and parser weights.  Built
 * once, then only read: any number of threads may share one. */
typedef struct sr_syntax sr_syntax;

/* The default model's path: $SITREP_SYNTAX when set, else syntax.model
 * in the lexicon's default data folder (sr_lexicon_default_dir()).
 * Static storage. */
const char *sr_syntax_default_path(void);

/* Loads a model file (path NULL: sr_syntax_default_path()).  Returns
 * NULL and writes a message naming the file and the problem into err
 * (errlen bytes) when it cannot be read or is no model of this version.
 * Owned by the caller; free with sr_syntax_free. */
sr_syntax *sr_syntax_load(const char *path, char *err, size_t errlen);

/* Frees a model.  Accepts NULL.  Parsers made from it must be freed
 * first. */
void sr_syntax_free(sr_syntax *m);

/* The Penn Treebank tag name of an XPOS id of this model ("NNS"), "_"
 * when out of range.  Lives as long as the model. */
const char *sr_xpos_name(const sr_syntax *m, int xpos);

/* One word of a parsed sentence. */
typedef struct sr_word {
	uint32_t start, end;  /* span in sr_doc.text (for sr_parse_words:
				 byte offsets into the concatenated forms,
				 see there) */
	uint32_t tok;         /* its token in sr_doc.toks (sr_parse_words:
				 its index in the input) */
	const char *form;     /* the word as written (normalized text), not
				 NUL-terminated: flen bytes */
	uint32_t flen;
	const char *lemma;    /* NUL-terminated; owned by the model or the
				 parser, valid as long as the sr_parse */
	uint8_t upos;         /* enum sr_upos */
	uint8_t xpos;         /* sr_xpos_name(m, xpos) */
	int16_t head;         /* index of the head word in this sentence,
				 -1 for the root */
	uint8_t deprel;       /* enum sr_deprel */
} sr_word;

/* A parsed sentence: n words w[0..n-1], in text order. */
typedef struct sr_parse {
	const sr_word *w;
	size_t n;
} sr_parse;

/* A parser: per-thread scratch memory over a shared model (not owned; it
 * must outlive the parser).  Free with sr_parser_free. */
typedef struct sr_parser sr_parser;

sr_parser *sr_parser_new(const sr_syntax *m);

/* Frees a parser.  Accepts NULL. */
void sr_parser_free(sr_parser *p);

/* The longest sentence parsed, in words: the words of a longer sentence
 * past this many are given as the root's dependents (tagged, with
 * lemmas) without a tree of their own. */
#define SR_MAX_PARSE_WORDS 512

/* Tags, lemmatizes and parses sentence `sentence` of an analyzed document
 * (sr_doc_analyze must have run).  Fills *out with words owned by the
 * parser, valid until the next call on p (or its freeing); their form
 * pointers point into doc->norm.  Returns SR_OK, or SR_ERR_USAGE (and an
 * empty parse) when the sentence index is out of range.  Computes only
 * this sentence: callers ask only for the sentences they need. */
int sr_parse_sentence(sr_parser *p, const sr_doc *doc, size_t sentence,
		      sr_parse *out);

/* Tags and lemmatizes sentence `sentence` like sr_parse_sentence, without
 * the tree (every head is -1 and every deprel SR_DEP_NONE): the cheap
 * pass for a stage that needs only tags and lemmas.  Same ownership and
 * statuses as sr_parse_sentence. */
int sr_tag_sentence(sr_parser *p, const sr_doc *doc, size_t sentence,
		    sr_parse *out);

/* Tags, lemmatizes and parses n words given as they are (a pre-tokenized
 * sentence, e.g. from CoNLL-U): forms[i] of lens[i] bytes.  Spans are
 * offsets into the forms joined by single spaces.  Result as for
 * sr_parse_sentence.  Returns SR_OK. */
int sr_parse_words(sr_parser *p, const char *const *forms,
		   const uint32_t *lens, size_t n, sr_parse *out);

/* Writes one parsed sentence of doc as CoNLL-U: comments "# sent_id =
 * DOC#N", "# text = ...", "# span = START END", then one line per word
 * (ID FORM LEMMA UPOS XPOS _ HEAD DEPREL _ MISC) with "Span=START:END"
 * (byte offsets into doc->text) and "SpaceAfter=No" in MISC, and a blank
 * line.  Words without a relation (from sr_tag_sentence) get "_" for
 * HEAD and DEPREL. */
void sr_write_conllu(FILE *f, const sr_doc *doc, size_t sentence,
		     const sr_syntax *m, const sr_parse *parse);

/* Reads CoNLL-U from in (named name in messages) and writes it to out
 * with the columns LEMMA, UPOS, XPOS, HEAD and DEPREL replaced by p's
 * analysis of the given words (gold words and sentences; multiword-token
 * lines and comments are copied, empty nodes dropped).  Returns SR_OK,
 * or SR_ERR_FORMAT with a message "NAME:LINE: problem" in err for a
 * malformed line (the sentence holding it is skipped, the rest goes on;
 * the message names the first). */
int sr_parse_conllu(sr_parser *p, FILE *in, const char *name, FILE *out,
		    char *err, size_t errlen);

/* ----------------------------------------------------------------- events */
/* @@ events section @@ */

/* A reference from an event to a lexicon entry (actor or place) and the
 * text that named it.  Strings are owned by the sr_events that holds the
 * event; any of them may be NULL.  For an unset reference, set == 0. */
typedef struct sr_ref {
	int set;
	const char *id;         /* lexicon id ("US.MIL", "site:al-tanf") */
	const char *name;       /* canonical name */
	const char *text;       /* the words of the report */
	const char *kind;       /* actor kind, or place kind ("base", "town") */
	const char *country;    /* ISO 3166-1 alpha-2, or NULL */
	const char *precision;  /* places: "site" | "town" | "region" | "country" */
	int has_coord;
	double lat, lon;
} sr_ref;

typedef struct sr_quantity {
	double value;
	const char *unit;       /* personnel, vehicles, detainees, killed,
				   injured, days, aircraft, bases, other */
	const char *text;
	int approx;
} sr_quantity;

typedef struct sr_source {
	const char *name;       /* "Reuters", "Syrian Ministry of Defence" */
	const char *kind;       /* outlet, official, military, anonymous,
				   social_media, witness */
	const char *text;       /* the attribution words */
} sr_source;

#define SR_MAX_QUANTITIES 8
#define SR_MAX_SOURCES 4

/* One event stated by one report (the record of DESIGN.md). */
typedef struct sr_event {
	const char *type;       /* withdraw, take_control, deploy, attack,
				   transfer_detainees, agreement */
	sr_ref actor, place, other;
	char date[11];          /* "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" */
	const char *date_precision; /* "day" | "month" | "year" | NULL */
	int date_approx;
	const char *date_text;
	sr_quantity quantities[SR_MAX_QUANTITIES];
	int nquantities;
	const char *modality;   /* asserted, reported_unconfirmed, expected, denied */
	sr_source sources[SR_MAX_SOURCES];
	int nsources;
	const char *cameo, *plover, *acled;
	uint32_t sentence;      /* index in sr_doc.sents */
	uint32_t start, end;    /* evidence span in sr_doc.text */
	uint32_t tstart, tend;  /* the trigger's span in sr_doc.text */
	uint32_t also[4];       /* sentences stating the same event again */
	int nalso;
} sr_event;

typedef struct sr_lexicon sr_lexicon;   /* see the lexicon section */

/* An event extractor: the lexicon (shared, read-only, not owned) plus the
 * trigger tables and per-document scratch memory.  One per thread. */
typedef struct sr_extractor sr_extractor;

/* A new extractor over lx, reading triggers and crosswalk from the
 * lexicon's data folders.  Returns NULL and fills err on a data error.
 * Free with sr_extractor_free. */
sr_extractor *sr_extractor_new(const sr_lexicon *lx, char *err, size_t errlen);

/* Like sr_extractor_new, with syntax (from sr_syntax_load; shared,
 * read-only, not owned: it must outlive the extractor) as the parser's
 * model instead of the default model loaded for each extractor, or no
 * model when NULL.  Extractors of several threads share one model this
 * way: it is most of an extractor's set-up time and memory.  With the
 * model sr_extractor_new would load, the output is the same. */
sr_extractor *sr_extractor_new_with_syntax(const sr_lexicon *lx, const sr_syntax *syntax,
					   char *err, size_t errlen);

/* Frees the extractor.  Accepts NULL. */
void sr_extractor_free(sr_extractor *x);

/* Validates the event files of a lexicon folder (dir, or the default
 * data folder when NULL): triggers.tsv (event types, frames, the need
 * column: a misspelled requirement is an error), codes.tsv and
 * classes.tsv (known class names; in a folder that has all three, every
 * class filled).  Writes one line per problem to out ("FILE:LINE: what")
 * and returns how many. */
int sr_events_check(const char *dir, FILE *out);

/* Extracts the events of one document (analyzing it if needed).  *events
 * points to n events owned by the extractor, valid until the next call on
 * it or its freeing.  Never fails: odd text gives fewer events. */
void sr_extract(sr_extractor *x, sr_doc *doc, const sr_event **events, size_t *n);

/* Writes one event as a JSON object (one line, no newline) in the record
 * format of DESIGN.md. */
void sr_event_write_json(FILE *f, const sr_doc *doc, const sr_event *ev, size_t index);

/* Writes one event as a TSV line (with newline): id, type, date, actor,
 * place, other, modality, quantities, first source, evidence. */
void sr_event_write_tsv(FILE *f, const sr_doc *doc, const sr_event *ev, size_t index);

/* ------------------------------------------------------------------ store */
/* @@ store section @@ */

/* The store: reports, their sentences and events, the incidents fused from
 * them and the status of each place, in one SQLite file (WAL mode, foreign
 * keys on, schema version in PRAGMA user_version, upgraded forward on
 * open).  A handle is used by one thread at a time.
 *
 *   documents   one row per report, keyed by a hash of its normalized text
 *   sentences   their spans, searchable: on SQLite through an index of
 *               sitrep's own written by ingest (fts_segs, fts_post,
 *               fts_lens; schema 11, 13), on PostgreSQL through tsvector/GIN
 *   entities    actors and places named by events (views actors, places)
 *   sources     who a claim is attributed to
 *   events      one row per event of one report (+ quantities,
 *               event_sources)
 *   incidents   events of several reports fused into one real-world event
 *               (+ incident_events, disagreements)
 *   place_status  per place, the intervals during which an actor held it
 *               or was present, each naming the incidents behind it
 */
typedef struct sr_store sr_store;

/* The schema version this library writes. */
#define SR_STORE_SCHEMA 15

/* Open flags. */
#define SR_STORE_CREATE   0x1u  /* create the file when missing */
#define SR_STORE_READONLY 0x2u  /* never write (no refresh of incidents) */
#define SR_STORE_QUERY    0x4u  /* for queries: read-only; see sr_store_open */

/* Opens (and, with SR_STORE_CREATE, creates) the store at path, upgrading
 * an older schema in place, one migration per transaction.  Returns NULL
 * and writes a message into err (naming path) when the file cannot be
 * opened, is no sitrep store, or was written by a newer sitrep.  Free with
 * sr_store_close.
 *
 * SR_STORE_QUERY opens the file read-only, as every query needs: a query
 * never writes, so it works on a read-only file or folder and on a full
 * disk.  Only when the file's schema is older than this library's, or its
 * incidents are older than its events (ingest --no-fuse, an interrupted
 * fusion), and the file may be written, is it first upgraded and fused
 * through a writable connection that is then closed; when it may not be
 * written, or another process holds the write lock for more than a second
 * (an ingest under way, which fuses when it ends), stale incidents are read
 * as they are (sr_store_stats_get says so in .fused, sr_store_errmsg why)
 * and an old schema is an error. */
sr_store *sr_store_open(const char *path, unsigned flags, char *err, size_t errlen);

/* Commits what is pending (sr_store_flush) and closes.  Accepts NULL. */
void sr_store_close(sr_store *st);

/* The message of the last error on the handle, "" if none.  Lives until
 * the next call on the handle. */
const char *sr_store_errmsg(const sr_store *st);

/* The schema version of the open file (SR_STORE_SCHEMA once upgraded). */
int sr_store_schema_version(const sr_store *st);

/* How many documents make one transaction (default 256).  A crash loses at
 * most the batch under way; every committed batch is whole. */
void sr_store_set_batch(sr_store *st, size_t docs);

/* Called while a writer waits for another process's write lock on path,
 * every two seconds, with the seconds waited so far. */
typedef void (*sr_store_wait_fn)(void *ctx, const char *path, double waited);

/* How long a write waits for another writer: limit_s seconds, or for ever
 * when 0 (the default); fn (may be NULL) is told of the wait.  A wait past
 * the limit fails the write with SR_ERR_DB ("database is locked"); no
 * document is dropped silently. */
void sr_store_set_wait(sr_store *st, double limit_s, sr_store_wait_fn fn, void *ctx);

/* The document's key: a hash of its normalized text (sr_doc_analyze must
 * have run), as 16 hex digits + NUL in out. */
void sr_store_doc_key(const sr_doc *doc, char out[17]);

/* Is a document with the same key stored (or pending in this batch)? */
int sr_store_has_doc(sr_store *st, const sr_doc *doc);

/* Adds an analyzed document, its sentences and its n events (from
 * sr_extract) to the current batch, opening one if needed and committing
 * it when it holds sr_store_set_batch documents; *added (may be NULL) is
 * set to 1.  A document whose text is already stored is not stored
 * again: when it comes from another outlet or URL than the stored one
 * and its copies, it is recorded as another copy (name, outlet, URL,
 * publication), whose outlet becomes another source of the document's
 * events, and *added is set to 2; else *added is set to 0 (events may
 * then be NULL: they are not read).
 * Returns SR_OK or SR_ERR_DB (message on the handle; the batch under way
 * is rolled back, what was committed before stays). */
int sr_store_add(sr_store *st, const sr_doc *doc, const sr_event *events,
		 size_t n, int *added);

/* Commits the batch under way, if any.  SR_OK or SR_ERR_DB. */
int sr_store_flush(sr_store *st);

/* Of the documents sr_store_add took as new (*added 1) since the handle
 * was opened, how many another process stored first, found when their
 * batch was committed (PostgreSQL: many writers at once), and the n
 * events passed with them: they were not stored again.  0 on SQLite,
 * whose writer checks under its lock. */
void sr_store_taken_elsewhere(const sr_store *st, long *documents, long *events);

/* Fuses every stored event into incidents and derives the status of each
 * place, replacing the previous ones, in one transaction.  Deterministic:
 * the result depends on the stored events, not on the order they came in.
 *
 * Fusion and status are pure functions over arrays of events (src/fuse):
 * the store only loads and writes them.  Two events are one incident when
 * they have the same type, their places match (same id, or one contains
 * the other by the rule of sr_place_contains: a country contains its
 * places, a region the finer places within SR_FUSE_REGION_KM of it, a
 * town the sites within SR_FUSE_TOWN_KM), their actors are compatible (same id, one
 * id a dotted prefix of the other, two state bodies of one country --
 * CC.MIL, CC.SEC, CC.GOV, CC.MOD, or the country cc:CC itself -- or one
 * unstated) and their dates
 * overlap given their precision (a day +-SR_FUSE_DAY_SLACK days, a month,
 * a year; an undated event spans the SR_FUSE_UNDATED_DAYS before its
 * report's publication, or after it when it is expected).  Events are
 * taken most specific first; one that fits several incidents equally well
 * (a country-wide claim beside several bases) starts its own.  Modality
 * is kept per event.  Where members give different counts, dates, places,
 * actors or other parties, the incident records a disagreement listing
 * each value with its documents and sources.  Returns SR_OK or
 * SR_ERR_DB. */
int sr_store_fuse(sr_store *st);

/* As sr_store_fuse, but every event is fused again: sr_store_fuse fuses
 * again only the region of time the events stored since the last fusion
 * reach, when it can prove that gives the same incidents (sitrep db fuse
 * uses this one). */
int sr_store_fuse_all(sr_store *st);

/* 1 when the stored incidents are those of the stored events (no event
 * stored since the last fusion), else 0: sr_store_stats_get's .fused
 * without its counts (which walk the incidents: 0.1 G instructions at
 * ten million events). */
int sr_store_fused(sr_store *st);

/* Fuses (sr_store_fuse) only when events changed since the last fusion,
 * checked again once the write lock is held (another process may have
 * fused meanwhile).  The queries below call it themselves on a writable
 * store; the result is the one ingest gives (fusion has no settings). */
int sr_store_refresh(sr_store *st);

/* Gives the store a lexicon for its queries: the names of --place and
 * --actor filters are resolved through it as the recognizer resolves
 * them (see sr_filter).  Fusion does not use it: its rules read only
 * stored values, so a store fuses alike with or without a lexicon.  lx
 * is not owned and must outlive its use by the store (NULL detaches). */
void sr_store_set_lexicon(sr_store *st, const sr_lexicon *lx);

/* Instead of a lexicon, a function that loads one (or NULL with its
 * message told to the user), called once, only when a --place or --actor
 * filter names no stored entity exactly (by lexicon id, or by name folded
 * as the recognizer folds it): a query for "Raqqa" reads the store's
 * entities, not the whole lexicon.  The caller owns what fn returns
 * (ctx may keep it) and frees it after the store is closed. */
typedef const sr_lexicon *(*sr_store_lexicon_fn)(void *ctx);
void sr_store_set_lexicon_loader(sr_store *st, sr_store_lexicon_fn fn, void *ctx);

#define SR_FUSE_DAY_SLACK 2
#define SR_FUSE_UNDATED_DAYS 45
#define SR_FUSE_TOWN_KM 30.0
#define SR_FUSE_REGION_KM 150.0

/* Counts of what the store holds. */
typedef struct sr_store_stats {
	long documents, sentences, events, incidents, places, disagreements;
	char as_of[11];     /* the latest publication date, "" if none */
	int fused;          /* 1 when incidents are up to date with events */
} sr_store_stats;

/* Fills *out.  SR_OK or SR_ERR_DB. */
int sr_store_stats_get(sr_store *st, sr_store_stats *out);

/* PostgreSQL (issue 18): every sr_store_* function also takes, as path, a
 * PostgreSQL connection string ("postgresql://user@host/dbname",
 * "postgres://...", or libpq's "host=... dbname=..."): the same model in a
 * database many processes write and read at once (see src/store/pg_int.h).
 *
 * What sr_store_copy copied. */
typedef struct sr_store_copy_stats {
	long documents, events, incidents;
	long rows;              /* of every table */
} sr_store_copy_stats;

/* Copies the store at from (a file or a connection string) into the store
 * at to (created when missing; it must hold no report), every table row
 * for row with its ids, in one transaction: a store moves between SQLite
 * and PostgreSQL and answers every query as before.  SR_OK; SR_ERR_USAGE
 * when to already holds reports; SR_ERR_DB; the message in err. */
int sr_store_copy(const char *from, const char *to, sr_store_copy_stats *stats, char *err,
		  size_t errlen);

/* Output formats of the queries.  SR_FMT_JSON is one JSON array of the
 * jsonl records (for an HTTP response). */
enum sr_format { SR_FMT_TABLE = 0, SR_FMT_JSONL, SR_FMT_CSV, SR_FMT_GEOJSON, SR_FMT_JSON };

/* The format named name ("table", "jsonl", "csv", "geojson", "json"), or
 * -1. */
int sr_format_parse(const char *name);

/* The event types (DESIGN.md "Event types"); 0 = none or any. */
enum sr_event_type {
	SR_EVT_NONE = 0,
	SR_EVT_WITHDRAW,
	SR_EVT_TAKE_CONTROL,
	SR_EVT_DEPLOY,
	SR_EVT_ATTACK,
	SR_EVT_TRANSFER_DETAINEES,
	SR_EVT_AGREEMENT
};
#define SR_EVT_COUNT 7

/* How firmly a report states an event; 0 = none or any. */
enum sr_modality {
	SR_MOD_NONE = 0,
	SR_MOD_ASSERTED,
	SR_MOD_REPORTED,        /* "reported_unconfirmed" */
	SR_MOD_EXPECTED,
	SR_MOD_DENIED
};
#define SR_MOD_COUNT 5

/* The record's name of an event type ("withdraw", "take_control"...), or
 * NULL for SR_EVT_NONE and values out of range.  Static. */
const char *sr_event_type_name(int type);
/* The enum sr_event_type of a name, or -1 when it names none. */
int sr_event_type_parse(const char *name);
/* The record's name of a modality ("asserted", "reported_unconfirmed",
 * "expected", "denied"), or NULL.  Static. */
const char *sr_modality_name(int modality);
/* The enum sr_modality of a name, or -1. */
int sr_modality_parse(const char *name);

/* A query filter: every field is optional (NULL or 0 = no condition).
 * Text matches ignore case and diacritics.  actor and place match a
 * lexicon id exactly, or a name: when the store has a lexicon
 * (sr_store_set_lexicon) the name is resolved as the recognizer would
 * (aliases, acronyms such as SDF, Arabic articles, diacritics) and
 * matches the places and actors it names; in any case it matches the
 * stored names that hold it once folded ("hasakah" matches "Al
 * Ḩasakah").  source matches part of an attributed source's name or of
 * the report's outlet. */
typedef struct sr_filter {
	int type;             /* enum sr_event_type */
	const char *actor;    /* the event's actor (or an incident's) */
	const char *place;    /* place id or name */
	const char *country;  /* ISO 3166-1 alpha-2 of the place */
	const char *since;    /* YYYY[-MM[-DD]]: the event may end on or after */
	const char *until;    /* YYYY[-MM[-DD]]: it may start on or before */
	int modality;         /* enum sr_modality */
	const char *source;   /* attributed source or the report's outlet */
	long limit;           /* most rows (0 = all) */
	int color;            /* table and report: ANSI colour */
	int width;            /* table and report: columns (0 = 100) */
	/* for the server's incidents/{id} and disagreements=1 */
	const char *incident; /* the incident with this id (decimal digits), or
				 the events fused into it */
	int disagree;         /* only incidents whose reports disagree */
	/* for the server's places?timeline=0 (a map's first drawing) */
	int no_timeline;      /* places as JSON: each place's summary (holder,
				 since, status, sources) without its timeline,
				 read without the reports' URLs */
} sr_filter;

/* A sink: where the writers send their bytes, in chunks of len bytes.
 * Returns 0 to go on, non-zero to stop (the writer then returns
 * SR_ERR_IO).  ctx is the caller's. */
typedef int (*sr_sink_fn)(void *ctx, const char *data, size_t len);

/* A sink to a stdio stream: ctx is the FILE *. */
int sr_sink_file(void *ctx, const char *data, size_t len);

/* A growable memory buffer for sr_sink_mem: start it zeroed; data is
 * NUL-terminated once anything was written; free with sr_mem_free. */
typedef struct sr_mem {
	char *data;
	size_t len, cap;
} sr_mem;

/* A sink to memory: ctx is an sr_mem *. */
int sr_sink_mem(void *ctx, const char *data, size_t len);

/* Frees an sr_mem's data and zeroes it.  Accepts NULL. */
void sr_mem_free(sr_mem *m);

/* What sr_store_query lists. */
enum sr_query_what { SR_Q_EVENTS = 0, SR_Q_INCIDENTS, SR_Q_PLACES };

/* A page of a query.  The caller sets limit (0 = every row) and cursor
 * (NULL or "" = the first page, else the next of the previous page);
 * the query fills next ("" when there is no more) and rows.  A cursor is
 * opaque, short and safe to put in a URL; it means "after the rows seen
 * so far" for the same filter, format and ordering. */
#define SR_CURSOR_MAX 32
typedef struct sr_page {
	long limit;
	const char *cursor;
	char next[SR_CURSOR_MAX];
	long rows;
} sr_page;

/* Writes one page of events, incidents or places (what: enum
 * sr_query_what) that pass f, in format fmt, to the sink fn(ctx): the
 * same records as sr_store_write_events, sr_store_write_incidents and
 * sr_store_write_places (f->limit is ignored: page->limit counts).  For
 * a server: call it once per request, on a handle of the calling
 * thread.  Returns SR_OK, SR_ERR_USAGE (a bad filter value or cursor,
 * message on the handle), SR_ERR_IO (the sink stopped) or SR_ERR_DB. */
int sr_store_query(sr_store *st, int what, const sr_filter *f, int fmt, sr_page *page,
		   sr_sink_fn fn, void *ctx);

/* The situation report (sr_store_write_report) to a sink. */
int sr_store_report(sr_store *st, const sr_filter *f, sr_sink_fn fn, void *ctx);

/* Full-text search (sr_store_search) to a sink; formats table, jsonl and
 * json. */
int sr_store_search_sink(sr_store *st, const char *query, const sr_filter *f, int fmt,
			 sr_sink_fn fn, void *ctx);

/* Writes the stored events that pass f in format fmt (enum sr_format),
 * ordered by date then document.  table: aligned columns; jsonl: the
 * event record of DESIGN.md plus "event_id", "incident", "outlet",
 * "published" and "url"; json: the same records in one array; csv: RFC
 * 4180 with ACLED's columns where they mean the same (event_id_cnty as
 * ISO alpha-3 + id, event_date, year, time_precision 1/2/3,
 * disorder_type, event_type and sub_event_type split after ACLED's event
 * type, actor1, inter1, actor2, inter2, interaction from the actor kinds
 * (data/acled.tsv), iso numeric, country and admin1 by name (admin1 when
 * the store has a lexicon), location, latitude, longitude, geo_precision,
 * source: the outlet then the cited sources, notes: the evidence,
 * fatalities, timestamp: the publication as Unix time), then sitrep's
 * own; geojson: an RFC 7946 FeatureCollection of Points (events without
 * coordinates are left out) whose properties are the CSV's columns,
 * flat.  SR_OK, SR_ERR_USAGE (bad filter value) or SR_ERR_DB. */
int sr_store_write_events(sr_store *st, const sr_filter *f, int fmt, FILE *out);

/* Writes the incidents (refreshing them first when stale and the store
 * is writable) that pass f, in the order of their ids (the order of the
 * timeline: by date, an undated one at its first report's), with their
 * reports, sources, disagreements, the other copies of their reports
 * ("copies": doc, outlet, url, published) and their reports' "urls".
 * csv and geojson: ACLED's columns as for events (event_id_cnty "SYRI12").
 * Same formats and statuses. */
int sr_store_write_incidents(sr_store *st, const sr_filter *f, int fmt, FILE *out);

/* Writes the places with their status: the current holder(s), since when,
 * what is under way or expected, the number of independent sources, and
 * (jsonl, json) the whole timeline, each interval with its incidents and
 * their reports' urls; csv: one row per interval; geojson: one point per
 * place with its current status and urls.  Same formats and statuses. */
int sr_store_write_places(sr_store *st, const sr_filter *f, int fmt, FILE *out);

/* Writes the situation for a reader at a terminal: places and who holds
 * them, the timeline of incidents, the disagreements between sources.
 * Honours since, country, place, limit (timeline rows), color, width. */
int sr_store_write_report(sr_store *st, const sr_filter *f, FILE *out);

/* The longest search query, in bytes, and the most words it may hold. */
#define SR_MAX_SEARCH_BYTES 1000
#define SR_MAX_SEARCH_TERMS 32

/* Full-text search of the stored sentences, as a person types it: plain
 * words match their word forms (withdraw: withdrew, withdrawn,
 * withdrawal), words with hyphens or apostrophes need no quotes (al-Tanf,
 * Syria's), words side by side must all occur; FTS5's syntax is kept
 * ("\"took control\"", "Tan*", AND, OR, NOT, parentheses, NEAR(a b, 5)).
 * Writes matches as table, jsonl or json ({doc, sentence, span,
 * published, url, text}), best first.  SR_ERR_USAGE (with a message that
 * says how to write a query) for a query that cannot be read, one longer
 * than SR_MAX_SEARCH_BYTES or with more than SR_MAX_SEARCH_TERMS words. */
int sr_store_search(sr_store *st, const char *query, const sr_filter *f,
		    int fmt, FILE *out);

/* ----------------------------------------------------------------- server */
/* @@ server section @@ */

/* `sitrep serve`: an HTTP/1.1 server (libmicrohttpd) that answers the JSON
 * API of docs/api.md under /api/ from a store opened read-only, and serves
 * the page (the files of a web folder, read once at start).  Every query
 * goes through the store's query functions above, as the CLI's do.  New
 * ingests into the store are seen by the next request. */
typedef struct sr_server sr_server;

/* Limits of one request.  A longer URL is refused with 414, a longer query
 * string or more parameters with 400; a page holds at most SR_SERVE_MAX_ROWS
 * rows (the cursor gives the next); a response larger than
 * SR_SERVE_MAX_BODY is refused with 413; a query running longer than
 * SR_SERVE_MAX_MS is stopped with 503 (these two by default: see
 * sr_server_config); a connection idle (or sending its
 * request slower than that) for SR_SERVE_IDLE_S seconds is closed. */
#define SR_SERVE_MAX_URL 2048
#define SR_SERVE_MAX_QUERY 1024
#define SR_SERVE_MAX_PARAMS 16
#define SR_SERVE_MAX_ROWS 5000
#define SR_SERVE_DEFAULT_ROWS 100
#define SR_SERVE_MAX_BODY ((size_t)16 << 20)
#define SR_SERVE_MAX_MS 2000
#define SR_SERVE_IDLE_S 10
#define SR_SERVE_MAX_CONNECTIONS 256

typedef struct sr_server_config {
	const char *db;         /* the store's path (must exist) */
	const char *listen;     /* "HOST:PORT" ("127.0.0.1:8750"; port 0 = any
				   free port); NULL = 127.0.0.1:8750 */
	const char *web;        /* the page's folder; NULL = "web" beside the
				   program (build/web), then BIN/../share/sitrep/web */
	int threads;            /* worker threads (0 = 4) */
	FILE *log;              /* one line per request; NULL = none */
	const sr_lexicon *lexicon; /* resolves place and actor names in filters
				   and names areas in exports, as the CLI's
				   queries do; NULL = none.  Not owned: it must
				   outlive the server */
	int no_cache;           /* 1: answer every API request from the store
				   (by default an answer is kept until the store
				   changes) */
	size_t max_body;        /* the largest answer, bytes (0 = SR_SERVE_MAX_BODY) */
	int max_ms;             /* the time limit of a query, ms (0 = SR_SERVE_MAX_MS) */
} sr_server_config;

/* Opens the store read-only, reads the web folder and starts answering on
 * cfg->listen in threads of its own.  Returns NULL and writes a message
 * into err when the store cannot be opened, the address is malformed or
 * taken, or the web folder is unreadable.  Free with sr_server_stop. */
sr_server *sr_server_start(const sr_server_config *cfg, char *err, size_t errlen);

/* The URL the server answers at ("http://127.0.0.1:8750/"), with the port
 * actually bound.  Lives as long as the server. */
const char *sr_server_url(const sr_server *srv);

/* Is the bound address a loopback one? */
int sr_server_is_loopback(const sr_server *srv);

/* Is "HOST:PORT" a loopback address (1), another (0), or malformed (-1)?
 * Lets a caller warn before the server binds it. */
int sr_listen_is_loopback(const char *listen);

/* Stops answering (requests under way finish), closes the store and frees
 * the server.  Accepts NULL. */
void sr_server_stop(sr_server *srv);

/* Writes the number of incidents that pass f per date and type, as one
 * JSON array [{"date", "precision", "type", "incidents"}] ordered by date
 * (undated last) to the sink: the chart under the server's map.  SR_OK,
 * SR_ERR_USAGE (a bad filter value), SR_ERR_IO or SR_ERR_DB. */
int sr_store_count_incidents(sr_store *st, const sr_filter *f, sr_sink_fn fn, void *ctx);

/* Writes into out (n bytes) a short string that changes whenever the
 * store's content does (an ingest's batch, a fusion): the server's cache
 * of answers is keyed by it.  SR_OK or SR_ERR_DB. */
int sr_store_generation(sr_store *st, char *out, size_t n);

/* Calls fn(arg) every few thousand steps of the store's queries on this
 * handle; a nonzero return stops the query under way, which then fails
 * with SR_ERR_DB.  fn NULL removes it.  (The server bounds the time of a
 * request with it.) */
void sr_store_set_progress(sr_store *st, int (*fn)(void *arg), void *arg);
/* ------------------------------------------------------------------ watch */
/* @@ watch section @@ */

/* What sr_watch_run watches and how. */
typedef struct sr_watch_opts {
	const char *db;                 /* the store (created when missing); what
					   watch has seen lives beside it, in
					   DB.watch */
	const char *const *urls;        /* feed or page URLs (http, https) */
	int nurls;
	const sr_lexicon *lx;           /* not owned */
	double every;                   /* seconds between two fetches of a URL */
	double host_delay;              /* least seconds between two requests to
					   one host */
	long timeout;                   /* seconds a request may take */
	int max_tries;                  /* tries of an item's page before its feed
					   summary is stored instead */
	int once;                       /* fetch each URL once, settle every new
					   item, and return */
	int progress;                   /* a progress line (for a terminal) between
					   the log lines */
} sr_watch_opts;

/* Keeps the store current: fetches each URL every o->every seconds with
 * a conditional GET (ETag, Last-Modified), reads new feed items' pages
 * (a page URL is itself a report), extracts and stores them and fuses.
 * Redirects are followed (at most 5), requests time out, requests to one
 * host are spaced, and a failure -- no answer, a stall, HTTP errors,
 * garbage -- costs a retry with exponential backoff (logged), never the
 * run; an item whose page stays out of reach is stored from its feed's
 * summary.  What was seen is kept in DB.watch, so a restart refetches
 * nothing it has stored and loses nothing it had found.  One line per
 * fetch goes to log (may be NULL).  Returns when *stop becomes non-zero
 * (a signal handler sets it) or, with o->once, after one round: SR_OK,
 * or SR_ERR_USAGE / SR_ERR_DB / SR_ERR_DATA with a message in err when
 * it cannot start. */
int sr_watch_run(const sr_watch_opts *o, const volatile sig_atomic_t *stop, FILE *log,
		 char *err, size_t errlen);

#ifdef __cplusplus
}
#endif
#endif /* SITREP_H */
