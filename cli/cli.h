/*
 * cli.h -- what the sitrep command's files share.  The CLI is a client of
 * sitrep.h only; this header holds the command table and small helpers
 * for option parsing and reading inputs.
 */
#ifndef SR_CLI_H
#define SR_CLI_H

#include "sitrep.h"

#include <stdbool.h>

/* Exit statuses. */
enum { EXIT_ALL_READ = 0, EXIT_SKIPPED = 1, EXIT_USAGE = 2 };

/* One subcommand: its entry point gets argv without the program name
 * (argv[0] is the command's name). */
typedef struct cli_command {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv);
} cli_command;

/* Is a an option named name ("--format")?  If the option takes a value
 * ("--format=jsonl" or "--format jsonl"), *val receives it and *i moves
 * past it; a missing value prints an error and sets *val = NULL. */
bool cli_opt(int argc, char **argv, int *i, const char *name, const char **val);

/* Options parsed with getopt_long (cli_getopt): fn gets each option's
 * id (the val of its struct option, or 'h' for -h, 'q' for -q) and its
 * value (NULL if it takes none), or CLI_OPT_UNKNOWN and the unknown
 * option's word, to say something more useful than "unknown" (return
 * non-zero after printing).  A non-zero return from fn stops the parse
 * and is returned. */
#define CLI_OPT_UNKNOWN (-2)
struct option;
typedef int (*cli_opt_fn)(void *ctx, int id, const char *val);

/* Parses the options of cmd with getopt_long: options anywhere among the
 * operands, "--" ends them, "--opt=value" or "--opt value".  A missing
 * value: "sitrep CMD: --opt needs a value"; an unknown option: "unknown
 * option '--x'" (unless fn says more); both EXIT_USAGE.  On success
 * returns 0 and sets *first to the index of the first operand in argv
 * (which getopt_long reorders: operands last, in their order). */
int cli_getopt(const char *cmd, int argc, char **argv, const struct option *opts,
	       cli_opt_fn fn, void *ctx, int *first);

/* Flushes standard output; on a write error (a full disk, a closed pipe)
 * prints "sitrep CMD: cannot write the output: why" and returns
 * EXIT_SKIPPED, else st. */
int cli_finish_output(const char *cmd, int st);

/* Prints "sitrep CMD: message" and the hint to use --help; returns
 * EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Reads every input of paths (none = "-", stdin) and calls fn for each
 * document, analyzed when analyze is true.  Errors go to stderr as
 * "sitrep: FILE:LINE: what".  Returns EXIT_ALL_READ or EXIT_SKIPPED. */
typedef void (*cli_doc_fn)(sr_doc *doc, void *ctx);
int cli_each_doc(char **paths, int npaths, bool analyze, cli_doc_fn fn, void *ctx);
/* What the out-of-memory message adds for the command under way (ingest:
 * what is kept in the store), or NULL. */
extern const char *cli_oom_note;
/* Set by a callback of cli_each_doc to stop reading (a store error). */
extern bool cli_stop_reading;

/* Lexicon folders given with --lexicon DIR (repeatable). */
extern const char *cli_lexicon_dirs[16];
extern int cli_nlexicon_dirs;

/* Adds the value of a --lexicon option; on a missing value or too many
 * folders prints a usage error for cmd and returns EXIT_USAGE, else 0. */
int cli_add_lexicon(const char *cmd, const char *val);

/* Loads the lexicon (default folder plus --lexicon folders); on a data
 * error prints "sitrep CMD: FILE:LINE: problem" and returns NULL. */
sr_lexicon *cli_load_lexicon(const char *cmd);

int cmd_sentences(int argc, char **argv);
int cmd_extract(int argc, char **argv);
int cmd_times(int argc, char **argv);
int cmd_entities(int argc, char **argv);
int cmd_lexicon(int argc, char **argv);
int cmd_ingest(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_events(int argc, char **argv);
int cmd_incidents(int argc, char **argv);
int cmd_places(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_parse(int argc, char **argv);

#endif
