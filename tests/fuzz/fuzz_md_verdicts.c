/* fuzz_md_verdicts.c - libFuzzer harness for sources/md_verdicts: the gate
 * verdict, the deployment decision (its first yaml fence goes through
 * libyaml), the deploy / merge / smoke instants and the smoke signal.
 * Checked property: a found time is finite.
 */
#include "config.h"
#include "harness.h"
#include "sources/md_verdicts.h"

#include <math.h>

static void check_time(const struct mdv_time *t)
{
	if (t->found && !isfinite(t->t))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct str_list warnings = {0};
	struct wz_err err;

	struct mdv_gate *g = NULL;
	if (mdv_gate_parse(text, size, "gate/merge_decision.md", &g, &warnings, &err) == WZ_OK)
		mdv_gate_free(&g);
	mdv_gate_free(&g);

	struct mdv_decision *d = NULL;
	if (mdv_decision_parse(text, size, "deploy/deployment_decision.md", &d, &warnings,
			       &err) == WZ_OK && d) {
		check_time(&d->deployed_at);
		check_time(&d->stamp);
	}
	mdv_decision_free(&d);

	struct mdv_time t;
	bool approx = false;
	memset(&t, 0, sizeof t);
	if (mdv_deploy_instant(text, size, &t))
		check_time(&t);
	memset(&t, 0, sizeof t);
	if (mdv_merge_time(text, size, &t))
		check_time(&t);
	memset(&t, 0, sizeof t);
	if (mdv_smoke_time(text, size, &t, &approx))
		check_time(&t);

	struct mdv_value v;
	memset(&v, 0, sizeof v);
	(void)mdv_smoke_signal(text, size, "deploy/verification_report.md", &v);
	mdv_value_clear(&v);

	str_list_free(&warnings);
	return 0;
}
