/*
 * text.h -- the running text the word classes are learned from, read and
 * cut by the trainer's own fixed rules (text.c says which).
 */
#ifndef SR_TRAIN_TEXT_H
#define SR_TRAIN_TEXT_H

#include "clusters.h"

#include <stddef.h>
#include <stdio.h>

/* What tx_add_path read. */
typedef struct tx_stats {
	size_t files;           /* files read */
	size_t skipped;         /* files of no known kind, not read */
	size_t reports;         /* JSON records and HTML pages read */
	size_t sentences;
	size_t words;           /* UD words appended */
	FILE *dump;             /* if set, each sentence's words written there, a line each */
} tx_stats;

/* Appends to t, sentence by sentence, the UD words of the text at path
 * (a file, or a folder read in byte order of its names, its subfolders
 * too) and adds what was read to *st.  Returns 0, or -1 with a message
 * on stderr when path or a file under it cannot be read or a JSON line
 * cannot be parsed. */
int tx_add_path(cl_text *t, const char *path, tx_stats *st);

#endif /* SR_TRAIN_TEXT_H */
