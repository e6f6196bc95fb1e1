/*
 * harness.h -- a tiny unit-test harness.  A test is
 *
 *     SR_TEST(name_of_what_it_checks) { CHECK(x == 1); CHECK_STR(a, "b"); }
 *
 * in any file of tests/unit; it registers itself (a constructor), so test
 * files never touch a shared list.  main.c runs them all and prints
 * "N passed, N failed".
 */
#ifndef SR_HARNESS_H
#define SR_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef void (*sr_test_fn)(void);
void sr_test_register(const char *name, const char *file, sr_test_fn fn);
void sr_test_fail(const char *file, int line, const char *what);
extern int sr_test_checks;

#define SR_TEST(name)                                                  \
	static void test_##name(void);                                 \
	__attribute__((constructor)) static void reg_##name(void)      \
	{                                                              \
		sr_test_register(#name, __FILE__, test_##name);        \
	}                                                              \
	static void test_##name(void)

#define CHECK(cond)                                                    \
	do {                                                           \
		sr_test_checks++;                                      \
		if (!(cond))                                           \
			sr_test_fail(__FILE__, __LINE__, #cond);       \
	} while (0)

#define CHECK_STR(got, want)                                           \
	do {                                                           \
		const char *g_ = (got), *w_ = (want);                  \
		sr_test_checks++;                                      \
		if (!g_ || !w_ || strcmp(g_, w_) != 0) {               \
			char m_[1024];                                 \
			snprintf(m_, sizeof m_, "%s: got \"%.480s\", want \"%.480s\"", \
				 #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
			sr_test_fail(__FILE__, __LINE__, m_);          \
		}                                                      \
	} while (0)

#define CHECK_INT(got, want)                                           \
	do {                                                           \
		long long g_ = (long long)(got), w_ = (long long)(want); \
		sr_test_checks++;                                      \
		if (g_ != w_) {                                        \
			char m_[512];                                  \
			snprintf(m_, sizeof m_, "%s: got %lld, want %lld", #got, g_, w_); \
			sr_test_fail(__FILE__, __LINE__, m_);          \
		}                                                      \
	} while (0)

#endif
