/* issues_gh.h - the `github-issues` analyzer of `wisdom analyze`: gathers
 * the run's facts (run id, failing tests and their messages, files the
 * run's change touched), lists the repository's issues updated since
 * T - ICORR_RECENT_DAYS (T = the run's deploy time, else now; state=all,
 * so open and recently closed ones) through net/github and scores them
 * with icorr_run() (analysis/issue_corr.h).
 *
 * Never fails the command: no token, --offline or no repository give a
 * skipped result with the reason; an HTTP or parse failure gives a
 * failed result with the client's message.
 *
 * Ownership: igh_run() fills a caller-owned struct igh_result (inputs
 * borrowed); igh_result_free() releases it and zeroes it.
 */
#ifndef WZ_ANALYSIS_ISSUES_GH_H
#define WZ_ANALYSIS_ISSUES_GH_H

#include <stdbool.h>
#include <stddef.h>

#include "analysis/issue_corr.h"
#include "model/run.h"
#include "net/github.h"
#include "sources/extensions.h"

struct ta_result;

enum igh_state { IGH_SKIPPED, IGH_OK, IGH_FAILED };

struct igh_result {
	enum igh_state state;
	char reason[1024];          /* skipped/failed: why (never the token) */
	char repo[256];            /* owner/repo, "" when unknown */
	const char *repo_source;   /* static text: where repo came from */
	char since[40];            /* ISO 8601 `since` sent, "" when none */
	const char *since_basis;   /* "deploy time" or "now" */
	struct gh_issues issues;   /* fetched (pull requests dropped) */
	struct icorr_result corr;  /* corr.v[i].index indexes issues.v */
};

/* get/ctx: environment lookup (ext_getenv, NULL for the process one). */
void igh_run(const struct run *run, const struct ta_result *tests, const char *repo_dir, bool offline, double now,
	     ext_lookup_fn get, void *ctx, struct igh_result *out);
void igh_result_free(struct igh_result *r);
const char *igh_state_word(enum igh_state s);   /* skipped|ok|failed */

#endif
