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
/* Installs the out-of-memory handler cli_each_doc uses (a message naming
 * the record and cli_oom_note, exit 2); for cli_each_doc_jobs. */
void cli_oom_install(void);

/* Documents worked on threads (jobs.c).  state_new makes one state per
 * slot (what work leaves for finish: an output buffer, or an extractor
 * whose events must live until stored), worker_new (may be NULL) one per
 * worker thread (an extractor whose results are copied out); NULL from
 * either fails the run after printing why.  work runs on any of the
 * threads with the slot's and the thread's state, finish on one thread at
 * a time, in input order, with the slot's state and the document (NULL
 * when doc_done_after_work: work has taken all it needs from it, and the
 * thread that read and analyzed it frees it at once, in its own malloc
 * arena). */
typedef struct cli_jobs_ops {
	void *(*state_new)(void *ctx);
	void (*state_free)(void *state);
	void *(*worker_new)(void *ctx);
	void (*worker_free)(void *worker);
	void (*work)(sr_doc *doc, void *state, void *worker, void *ctx);
	void (*finish)(sr_doc *doc, void *state, void *ctx);
	int slots_per_job;              /* documents in flight per thread */
	bool doc_done_after_work;       /* finish needs no document */
} cli_jobs_ops;

#define CLI_MAX_JOBS 64

/* The default syntax model (sr_syntax_default_path), for the extractors
 * of every thread to share: with jobs > 1 read on a thread of its own
 * while the caller loads the lexicon (set-up on two cores), else (one
 * job, or an address-space limit) by cli_syntax_wait, after the lexicon.
 * cli_syntax_start returns a handle (exit 2 when out of memory);
 * cli_syntax_wait returns the model (owned
 * by the caller: sr_syntax_free after the extractors), or NULL when there
 * is none or it cannot be read (the extractors then work without the
 * tree, as sr_extractor_new does), and frees the handle.  Every start
 * must be waited for. */
typedef struct cli_syntax_loader cli_syntax_loader;
cli_syntax_loader *cli_syntax_start(int jobs);
sr_syntax *cli_syntax_wait(cli_syntax_loader *l);

/* Like cli_each_doc, with documents analyzed by ops->work on jobs threads
 * (1: no thread) and finished in input order: output identical for any
 * number of jobs. */
int cli_each_doc_jobs(char **paths, int npaths, int jobs, const cli_jobs_ops *ops, void *ctx);

/* The cores available (at most CLI_MAX_JOBS): the default of --jobs. */
int cli_jobs_default(void);

/* Reads the value of --jobs into *jobs; a usage error (EXIT_USAGE) for
 * anything but 1..CLI_MAX_JOBS. */
int cli_parse_jobs(const char *cmd, const char *val, int *jobs);

/* SR_READ_* flags for the readers cli_each_doc makes (`read --follow`). */
extern unsigned cli_read_flags;

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
int cmd_serve(int argc, char **argv);
int cmd_read(int argc, char **argv);
int cmd_watch(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_db(int argc, char **argv);

#endif
