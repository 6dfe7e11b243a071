/* fuzz_md_summary.c - libFuzzer harness for sources/md_summary: every
 * Machine Summary block of the input (mds_parse, then mds_parse_after from
 * each block's end), the look-ups on each item, and the line helpers.
 *
 * Checked properties: parent indexes point at an earlier item, list items
 * are non-NULL, a block found after line L starts after L (so walking the
 * blocks always ends), headings have a level 0..6.
 */
#include "config.h"
#include "harness.h"
#include "sources/md_summary.h"
#include "util/text.h"

#include <stdio.h>

static void check_block(const struct mds *m, int after)
{
	if (!m->found)
		return;
	if (m->heading_line <= after || m->end_line < m->heading_line) {
		fprintf(stderr, "block lines %d..%d after %d\n", m->heading_line, m->end_line, after);
		abort();
	}
	for (size_t i = 0; i < m->n; i++) {
		const struct mds_item *it = &m->items[i];
		if (it->parent >= (int)i || it->parent < -1)
			abort();
		if (it->key) {
			(void)mds_get(m, it->key);
			(void)mds_str(m, it->key);
			if (it->parent >= 0 && m->items[it->parent].key)
				(void)mds_get_in(m, m->items[it->parent].key, it->key);
		}
		double v;
		(void)mds_item_num(it, &v);
		for (size_t j = 0; j < it->list.n; j++)
			if (!it->list.v[j])
				abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct wz_err err;
	struct mds *m = NULL;
	int after = 0;

	/* Walk every block, as the readers of multi-block files do. */
	if (mds_parse(text, size, "fuzz.md", &m, &err) == WZ_OK && m) {
		for (int blocks = 0; blocks < 64 && m && m->found; blocks++) {
			check_block(m, after);
			after = m->end_line;
			mds_free(&m);
			if (m)
				abort(); /* mds_free must NULL the pointer */
			if (mds_parse_after(text, size, "fuzz.md", after, &m, &err) != WZ_OK)
				break;
		}
	}
	mds_free(&m);

	struct txt_lines it;
	const char *line;
	size_t len;
	txt_lines_init(&it, text, size);
	while (txt_lines_next(&it, &line, &len)) {
		int lvl = mds_heading_level(line, len);
		if (lvl < 0 || lvl > 6)
			abort();
		(void)mds_is_fence(line, len);
		char *u = mds_unquote(line, len);
		if (u) {
			(void)mds_is_template(u);
			free(u);
		}
	}
	return 0;
}
