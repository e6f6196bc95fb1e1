/*
 * jsonline_int.h -- what reader.c and jsonline.c share: the fields of a
 * JSON Lines record that become a document, and the two ways of getting
 * them (the fast parser, or a record jansson has parsed).
 */
#ifndef SR_JSONLINE_INT_H
#define SR_JSONLINE_INT_H

#include "../sr_internal.h"

#include <jansson.h>

/* The fields of a record that a document keeps.  Strings are slices
 * (not NUL-terminated) valid while the parsed line or jansson object is. */
enum { F_ID, F_URL, F_OUTLET, F_PUBLISHED, F_TITLE, F_TEXT, F_N };
typedef struct {
	const char *s[F_N];     /* string values, NULL when absent or not a string */
	size_t n[F_N];
	bool id_int;            /* "id" is an integer: id_num */
	long long id_num;
	bool pub_other;         /* "published" is there but no string (nor null) */
} rec_fields;

/* Parses the record line[0..n) on the fast path: true with the fields
 * (decoded strings in arena, which must hold n bytes), false to leave the
 * line to jansson. */
bool sr_fast_record(const char *line, size_t n, char *arena, rec_fields *f);

/* The same fields from a record parsed by jansson. */
void sr_json_fields(json_t *obj, rec_fields *f);

#endif
