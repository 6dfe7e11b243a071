/* fuzz_logmine.c - libFuzzer harness for the log template miner
 * (analysis/logmine*.c): every line of the input is masked (lm_mask) and
 * mined (lm_add), then lm_finish() refines the groups and every template
 * is read back, typed and untyped.
 *
 * The first byte sets small limits (group cap, tree children, message
 * size), so eviction and truncation paths run on small inputs.
 * Checked properties: group ids are below lm_ngroups(), every final id
 * maps to itself, line counts over the final groups add up to the lines
 * mined, and templates are non-NULL.
 */
#include "config.h"
#include "harness.h"
#include "analysis/logmine.h"
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned sel = fz_take(&data, &size);
	struct lm_params p;
	lm_params_default(&p);
	p.max_groups = 2 + (sel & 15);
	p.max_children = 2 + ((sel >> 4) & 7);
	p.max_msg = sel & 128 ? 64 : 3000;
	p.refine = !(sel & 1);
	struct lm_miner *m = lm_new(&p);
	const char *s = (const char *)data, *end = s + size;
	size_t lines = 0;
	struct buf b = {0};

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		buf_reset(&b);
		lm_mask(s, n, &b);
		size_t g = lm_add(m, s, n, NULL);
		if (g >= lm_ngroups(m))
			abort();
		lines++;
		s += n + (nl != NULL);
	}
	buf_free(&b);
	lm_finish(m);
	if (lm_add(m, "x", 1, NULL) != (size_t)-1)
		abort();
	size_t total = 0, ng = lm_ngroups(m);
	for (size_t g = 0; g < ng; g++) {
		size_t f = lm_final(m, g);
		if (f >= ng || lm_final(m, f) != f)
			abort();
		if (f == g) {
			total += lm_count(m, g);
			if (!lm_template(m, g, true) || !lm_template(m, g, false))
				abort();
		}
	}
	/* evicted groups take their lines with them */
	if (total > lines || (lm_evictions(m) == 0 && total != lines)) {
		fprintf(stderr, "%zu lines mined, %zu counted, %zu evictions\n", lines, total, lm_evictions(m));
		abort();
	}
	lm_free(m);
	return 0;
}
