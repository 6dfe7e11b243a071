/* reg_internal.h - shared by regressions.c and reg_blame.c only. */
#ifndef WZ_ANALYSIS_REG_INTERNAL_H
#define WZ_ANALYSIS_REG_INTERNAL_H

#include "analysis/regressions.h"

bool reg_is_failed(enum tr_status s);
/* The test's own file: the id part before "::" when it looks like a path,
 * else c->file; NULL when unknown. Returned pointer is owned by the caller. */
char *reg_test_file(const struct tr_case *c);
/* Paths equal, or one is a suffix of the other at a '/' boundary. */
bool reg_path_match(const char *a, const char *b);
/* §6.3 step 2: changed file f name-matches the test (test_foo.* ↔ foo.*,
 * FooTest ↔ Foo). */
bool reg_name_match(const struct tr_case *c, const char *test_file, const char *path);
/* Fills f->suspects and f->attribution for failing case c. */
void reg_attribute(const struct reg_input *in, const struct tr_case *c, struct reg_finding *f);

#endif
