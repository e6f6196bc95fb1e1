/*
 * main.c -- runs every SR_TEST registered by the files of tests/unit, or
 * only those whose name contains argv[1].
 */
#include "harness.h"

#include <stdlib.h>

#define MAX_TESTS 4096

static struct {
	const char *name, *file;
	sr_test_fn fn;
} tests[MAX_TESTS];
static int ntests;
static int current_failed;
int sr_test_checks;

void
sr_test_register(const char *name, const char *file, sr_test_fn fn)
{
	if (ntests < MAX_TESTS) {
		tests[ntests].name = name;
		tests[ntests].file = file;
		tests[ntests].fn = fn;
		ntests++;
	}
}

void
sr_test_fail(const char *file, int line, const char *what)
{
	fprintf(stderr, "  FAIL %s:%d: %s\n", file, line, what);
	current_failed = 1;
}

static int
by_name(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return strcmp(x, y);
}

int
main(int argc, char **argv)
{
	int passed = 0, failed = 0;
	/* the name is the first member: sort for a stable order */
	qsort(tests, (size_t)ntests, sizeof tests[0], by_name);
	for (int i = 0; i < ntests; i++) {
		if (argc > 1 && !strstr(tests[i].name, argv[1]))
			continue;
		current_failed = 0;
		tests[i].fn();
		if (current_failed) {
			fprintf(stderr, "not ok %s (%s)\n", tests[i].name, tests[i].file);
			failed++;
		} else {
			passed++;
		}
	}
	printf("unit: %d checks\n", sr_test_checks);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
