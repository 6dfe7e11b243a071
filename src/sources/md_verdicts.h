/* md_verdicts.h - gate verdict (spec/run-artifacts.md §9), deployment
 * verdict and deploy instant (§10, spec/integrations.md §2) and the smoke
 * signal, read from deploy/ and gate/ markdown.
 *
 * Pure functions on a text buffer. Ownership: mdv_gate_parse() and
 * mdv_decision_parse() allocate a struct the caller releases with the
 * matching _free(&p), which NULLs the pointer; struct mdv_time holds no
 * pointers. Warnings are appended to the caller's list as "path:line: …".
 */
#ifndef WZ_SOURCES_MD_VERDICTS_H
#define WZ_SOURCES_MD_VERDICTS_H

#include <stdbool.h>
#include <stddef.h>

#include "model/run.h"
#include "util/status.h"

/* A word read from a file, with where. */
struct mdv_value {
	char *value;        /* NULL: not found / null */
	int line;
	char what[40];      /* how it was found, e.g. "## Verdict" */
};

/* A timestamp read from a file. */
struct mdv_time {
	bool found;
	double t;           /* UTC seconds */
	int flags;          /* TP_* from util/timeparse.h */
	int line;
	char what[40];      /* e.g. "Merged At", "Timeline: PR #2 merged" */
};

struct mdv_gate {
	struct mdv_value verdict;   /* `## Verdict`, else Machine Summary, else `## Decision` */
	struct mdv_value reason;    /* Machine Summary `reason:` */
};

/* gate/merge_decision.md (or Flow Studio merge_recommendation.md). */
enum wz_status mdv_gate_parse(const char *text, size_t len, const char *path,
			      struct mdv_gate **out, struct str_list *warnings, struct wz_err *err);
void mdv_gate_free(struct mdv_gate **g);

struct mdv_decision {
	bool yaml_found;            /* a yaml fence was present */
	bool yaml_ok;               /* ... and parsed as a mapping */
	struct mdv_value verdict;   /* deployment_verdict */
	struct mdv_value gate_verdict;
	struct mdv_time deployed_at;    /* explicit `deployed_at:` (step 2) */
	struct mdv_time stamp;          /* merge.timestamp, metadata.deploy_run_timestamp,
					   `**Timestamp**:` (step 4) */
};

/* deploy/deployment_decision.md: the first yaml fence (libyaml), then the
 * Machine Summary, then `deployment_verdict:` lines anywhere. */
enum wz_status mdv_decision_parse(const char *text, size_t len, const char *path,
				  struct mdv_decision **out, struct str_list *warnings,
				  struct wz_err *err);
void mdv_decision_free(struct mdv_decision **d);

/* Step 2: an explicit deployment instant: `deployed_at:` key, `Deployed At`
 * row or bullet, or a `## Timeline` row deploying/rolling out to production. */
bool mdv_deploy_instant(const char *text, size_t len, struct mdv_time *out);
/* Step 3 (deployment_log.md): `Merged At` row or bullet, else the earliest
 * merge/tag/release row of `## Timeline`, else a `## Timestamp` section. */
bool mdv_merge_time(const char *text, size_t len, struct mdv_time *out);
/* Step 6 (verification_report.md): an `## Observations` bullet
 * `* <ISO> — <merge/deploy event>`, else a `**Timestamp**:` line (sets
 * *approximate). */
bool mdv_smoke_time(const char *text, size_t len, struct mdv_time *out, bool *approximate);
/* `smoke_signal` from any Machine Summary block, else a `smoke_signal:`
 * line, else a `**Smoke signal**: X` bullet. */
bool mdv_smoke_signal(const char *text, size_t len, const char *path, struct mdv_value *out);

void mdv_value_clear(struct mdv_value *v);

#endif
