/* fuzz_logmine.c - libFuzzer harness for the log template miner
 * (analysis/logmine*.c): every line of the input is masked (lm_mask) and
 * mined (lm_add), then lm_finish() refines the groups and every template
 * is read back, typed and untyped.
 *
 * The first byte sets small limits (group cap, tree children, message
 * size), so eviction and truncation paths run on small inputs, and
 * chooses the second pass (lm_freeze + lm_assign, as `wisdom mine-logs`
 * runs it). Every line also goes through a Loghub header format.
 * Checked properties: group ids are below lm_ngroups(), every final id
 * maps to itself, line counts over the final groups add up to the lines
 * mined (evicted groups keep theirs), each line's final group is a final
 * group, the format's Content lies inside the line, and templates are
 * non-NULL.
 */
#include "config.h"
#include "harness.h"
#include "analysis/logmine.h"
#include "util/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_LINES 4096

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
	size_t lines = 0, *ids = malloc(MAX_LINES * sizeof *ids);
	struct buf b = {0};
	struct lm_fmt *fmt = NULL;
	struct wz_err err;
	if (!ids || lm_fmt_parse("[<Time>] <Program>([<Pid>])?: <Content>", &fmt, &err) != WZ_OK)
		abort();

	while (s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));
		size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
		buf_reset(&b);
		lm_mask(s, n, &b);
		size_t off, len;
		if (lm_fmt_content(fmt, s, n, &off, &len) && (off > n || len > n - off))
			abort();
		size_t g = lm_add(m, s, n, NULL);
		if (g >= lm_ngroups(m))
			abort();
		if (lines < MAX_LINES)
			ids[lines] = g;
		lines++;
		s += n + (nl != NULL);
	}
	if (sel & 2) {
		size_t i = 0;
		lm_freeze(m);
		if (lm_add(m, "x", 1, NULL) != (size_t)-1)
			abort();
		for (s = (const char *)data; s < end && i < MAX_LINES; i++) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);
			ids[i] = lm_assign(m, ids[i], s, n);
			if (ids[i] >= lm_ngroups(m))
				abort();
			s += n + (nl != NULL);
		}
	}
	buf_free(&b);
	lm_fmt_free(fmt);
	lm_finish(m);
	for (size_t i = 0; i < lines && i < MAX_LINES; i++) {
		size_t f = lm_final(m, ids[i]);
		if (f >= lm_ngroups(m) || lm_final(m, f) != f)
			abort();
	}
	free(ids);
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
	/* evicted groups keep their lines: every line is in one final group */
	if (total != lines) {
		fprintf(stderr, "%zu lines mined, %zu counted, %zu evictions\n", lines, total, lm_evictions(m));
		abort();
	}
	lm_free(m);
	return 0;
}
