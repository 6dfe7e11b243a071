/* fuzz_md_obs.c - libFuzzer harness for sources/md_obs (the observability
 * inventory). Checked properties: per-kind counts plus sentinels equal the
 * number of entries; every entry has a name and a kind in range.
 */
#include "config.h"
#include "harness.h"
#include "sources/md_obs.h"

#include <stdio.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mdo *p = NULL;
	struct wz_err err;

	if (mdo_parse((const char *)data, size, &p, &err) != WZ_OK || !p) {
		mdo_free(&p);
		return 0;
	}
	size_t sum = (size_t)p->sentinels;
	for (int k = 0; k < MDO_NKINDS; k++) {
		if (p->counts[k] < 0)
			abort();
		sum += (size_t)p->counts[k];
	}
	if (sum != p->n) {
		fprintf(stderr, "counts sum to %zu, %zu entries\n", sum, p->n);
		abort();
	}
	for (size_t i = 0; i < p->n; i++) {
		const struct mdo_entry *e = &p->entries[i];
		if ((int)e->kind < 0 || e->kind >= MDO_NKINDS || !e->name)
			abort();
		(void)mdo_kind_name(e->kind);
	}
	if (!p->present && p->n)
		abort();
	mdo_free(&p);
	return 0;
}
