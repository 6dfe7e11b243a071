/* investigation.c - assembles run + audit + candidates + journal once, for
 * every subcommand that needs them (see investigation.h). */
#include "config.h"
#include "investigation.h"

#include "analysis/audit.h"
#include "analysis/playbook.h"
#include "analysis/synthesis.h"
#include "sources/runs.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>

void inv_free(struct investigation **pinv)
{
	struct investigation *inv;
	size_t i;
	if (!pinv || !*pinv)
		return;
	inv = *pinv;
	jr_close(&inv->jr);
	learning_set_free(&inv->set);
	for (i = 0; i < inv->nfindings; i++)
		finding_free(&inv->findings[i]);
	free(inv->findings);
	audit_free(&inv->audit);
	run_free(&inv->run);
	free(inv);
	*pinv = NULL;
}

enum wz_status inv_open(const char *run_spec, const char *repo, unsigned want, struct investigation **out,
			struct wz_err *err)
{
	return inv_open_ex(run_spec, repo, want, NULL, out, err);
}

enum wz_status inv_open_ex(const char *run_spec, const char *repo, unsigned want, const struct scan_hook *hook,
			   struct investigation **out, struct wz_err *err)
{
	struct investigation *inv = xcalloc(1, sizeof *inv);
	enum wz_status st;
	*out = NULL;
	st = runs_open_ex(run_spec, repo, hook, &inv->run, err);
	if (st != WZ_OK || !inv->run) {
		if (st == WZ_OK)
			st = wz_err_set(err, WZ_ENORUN, "no run found (name one, or set RUN_BASE)");
		inv_free(&inv);
		return st;
	}
	if (want & (INV_AUDIT | INV_LEARNINGS))
		inv->audit = audit_run(inv->run);
	if (want & INV_LEARNINGS) {
		struct syn_input in;
		if (inv->run->repo_root)
			pb_scan_root(inv->run, &inv->findings, &inv->nfindings);
		memset(&in, 0, sizeof in);
		in.run = inv->run;
		in.audit = inv->audit;
		in.findings = (const struct finding *const *)inv->findings;
		in.nfindings = inv->nfindings;
		inv->set = syn_build(&in);
	}
	if (want & (INV_JOURNAL_RO | INV_JOURNAL_RW)) {
		st = jr_open(inv->run->path, (want & INV_JOURNAL_RW) != 0, &inv->jr, err);
		if (st != WZ_OK) {
			inv_free(&inv);
			return st;
		}
	}
	*out = inv;
	return WZ_OK;
}
