/* demo_fixture.h - the demo repository prepared in a fresh scratch folder,
 * shared by the unit tests that need the demo's runs (test_testhist,
 * test_tests_analysis). Ownership: *repo is malloc'd (freed by
 * demo_fixture_down); the scratch folder and all it holds are removed by
 * demo_fixture_down. */
#ifndef WZ_TESTS_DEMO_FIXTURE_H
#define WZ_TESTS_DEMO_FIXTURE_H

#include <stddef.h>

/* Makes $TMPDIR/<prefix>.XXXXXX (path into scratch[cap]) and prepares the
 * demo's content ($top_srcdir/demo) under it; *repo gets the demo
 * repository. 0 on success, -1 otherwise (a cmocka setup result). */
int demo_fixture_up(const char *prefix, char *scratch, size_t cap, char **repo);
/* Frees *repo and removes the scratch folder. 0 on success, else -1. */
int demo_fixture_down(const char *scratch, char **repo);

#endif
