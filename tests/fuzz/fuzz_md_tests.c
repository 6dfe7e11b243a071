/* fuzz_md_tests.c - libFuzzer harness for sources/md_tests: the canonical
 * `Test Summary` line, key=value tokens, raw runner logs (cargo, pytest,
 * jest sums), free-form test_summary.md, the runner summary line, and the
 * Machine Summary maps. Checked property: the runner name stays
 * NUL-terminated. (Values are not judged here: the unit tests do that.)
 */
#include "config.h"
#include "harness.h"
#include "sources/md_tests.h"

#include <stdio.h>

static void check(const struct mdt_counts *c, const char *what)
{
	if (c->runner[sizeof c->runner - 1] != '\0') {
		fprintf(stderr, "%s: runner not terminated\n", what);
		abort();
	}
	for (int f = 0; f < MDT_NFIELDS; f++)
		if (!mdt_field_name((enum mdt_field)f))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct mdt_counts c;

	memset(&c, 0, sizeof c);
	(void)mdt_kv_tokens(text, size, &c);

	memset(&c, 0, sizeof c);
	if (mdt_canonical_line(text, size, &c))
		check(&c, "canonical");
	memset(&c, 0, sizeof c);
	mdt_runner_log(text, size, &c);
	check(&c, "runner_log");
	memset(&c, 0, sizeof c);
	if (mdt_summary_md(text, size, &c))
		check(&c, "summary_md");
	memset(&c, 0, sizeof c);
	if (mdt_runner_summary_line(text, size, &c))
		check(&c, "runner_summary_line");

	struct mds *m = NULL;
	struct wz_err err;
	if (mds_parse(text, size, "fuzz.md", &m, &err) == WZ_OK && m) {
		memset(&c, 0, sizeof c);
		(void)mdt_from_summary(m, "test_summary", "", &c);
		memset(&c, 0, sizeof c);
		(void)mdt_from_summary(m, "coverage_summary", "tests_", &c);
	}
	mds_free(&m);
	return 0;
}
