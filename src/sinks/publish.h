/* publish.h - `wisdom publish` and the console's publish dialog
 * (design/ui.md §4.4, spec/run-artifacts.md §12.1, §13).
 *
 * A plan is built first and changes nothing: every wisdom file with its
 * new (redacted) text and a unified diff against what is on disk, then
 * every GitHub call (create / update / skip an issue per accepted
 * learning that proposes one, "close by hand" for one rejected after
 * publishing, the run's one comment). Existing issues are found by their
 * hidden marker `<!-- wisdom:<run-id>:<learning-id> -->` in the journal,
 * else among the repository's issues; the run comment by
 * wisdom/gh_comment_id.txt, else its `<!-- DEMOSWARM_RUN:<run-id>
 * FLOW:wisdom -->` line among the issue's comments. Same content hash ->
 * skip; different -> update; absent -> create. Reads (GET) happen while
 * planning; nothing is written or sent before pub_execute().
 *
 * Execution: files first (temp + fsync + rename; the pack's version kept
 * once as wisdom/.pack/<file>), then GitHub calls one at a time, each
 * result (`issue #N hash=H url=U`, `comment #ID hash=H url=U`) journalled
 * with fsync before the next call, then the files that depend on those
 * results (feedback_actions.md, github_report.md, gh_comment_id.txt,
 * gh_report_status.md, the receipt, the report) are rewritten. A crash or
 * an error half-way leaves whole files and a journal that lets the next
 * run finish the rest without duplicates.
 *
 * Test hook: only when WISDOM_TEST_HOOKS=1, WISDOM_TEST_KILL_AFTER=N
 * raises SIGKILL right after the Nth step (a file written, or a call made
 * and journalled).
 *
 * Ownership: pub_plan_build() returns a plan the caller frees with
 * pub_plan_free(&p); the plan borrows the investigation and the redactor
 * and owns everything else (its GitHub client included).
 */
#ifndef WZ_SINKS_PUBLISH_H
#define WZ_SINKS_PUBLISH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "investigation.h"
#include "net/github.h"
#include "sinks/wisdom_chart.h"
#include "sinks/wisdom_md.h"
#include "sources/extensions.h"
#include "util/redact.h"
#include "util/status.h"

#define PUB_COMMENT_ID "run-comment"   /* journal id of the run comment */

enum pub_file_act { PF_SAME, PF_CREATE, PF_CHANGE };

struct pub_file {
	char *name;           /* relative to wisdom/, e.g. "learnings.md" */
	char *text;           /* new content, redacted */
	size_t len;
	char *old;            /* content on disk, NULL when absent */
	size_t oldlen;
	enum pub_file_act act;
	bool pack_copy;       /* keep wisdom/.pack/<name> before replacing */
	int added, removed;
	char *diff;           /* unified diff (NULL when unchanged) */
};

enum pub_call_kind { PC_ISSUE, PC_COMMENT };
enum pub_call_act { PA_CREATE, PA_UPDATE, PA_SKIP, PA_CLOSE_BY_HAND };

struct pub_call {
	enum pub_call_kind kind;
	enum pub_call_act act;
	char *id;             /* learning id, or PUB_COMMENT_ID */
	char *title;          /* issue title (redacted) */
	char *body;           /* redacted */
	char hash[17];        /* of body */
	char *remote_hash;    /* hash of the body found on GitHub / in the journal */
	struct str_list labels;
	long number;          /* issue (update/skip/close) or the comment's issue */
	long long comment_id;
	char *why;            /* why this action */
	bool done;
};

struct pub_opts {
	bool dry_run, files_only;
	double now;
	const struct redactor *rd;     /* NULL: redact_default() */
	ext_lookup_fn get;             /* NULL: ext_getenv */
	void *get_ctx;
	FILE *progress;                /* NULL: quiet */
	const char *version;           /* NULL: PACKAGE_VERSION */
};

struct pub_plan {
	struct investigation *inv;     /* borrowed */
	const struct pub_opts *o;      /* borrowed */
	struct wmd_item *items;
	size_t nitems;
	struct wmd_input in;
	struct ext_result backends[EB_COUNT];
	char *gh_skip;                 /* why GitHub is skipped; NULL when used */
	char *gh_state;                /* for ## Inputs */
	char repo[256];
	const char *repo_source;
	struct gh_client *gh;          /* NULL when skipped */
	long target;                   /* the run comment's issue/PR; 0 none */
	bool target_is_pr;
	char *link_base;
	struct wch_trend trend;        /* xychart trends of the run (owned) */
	struct pub_file *files;
	size_t nfiles;
	struct pub_call *calls;
	size_t ncalls;
	int decided[JR_STATE_COUNT];
	int pending_delta;
	int steps;                     /* steps executed */
	int posted, failed;            /* GitHub results of pub_execute */
	bool gh_done;                  /* the GitHub phase ran */
	char *gh_error;                /* first GitHub error of pub_execute */
	long long comment_id;          /* after execute: the run comment */
	char *comment_url;
};

enum wz_status pub_plan_build(struct investigation *inv, const struct pub_opts *o, struct pub_plan **out,
			      struct wz_err *err);
void pub_plan_free(struct pub_plan **p);

/* The dialog's summary; with full, every diff and every HTTP request
 * (method, path, body) as `--dry-run` prints them. */
void pub_plan_print(const struct pub_plan *p, FILE *f, bool full);

/* Executes the plan. WZ_OK when every file was written and every call
 * made (or skipped by rule); WZ_EWRITE on a file error (nothing sent);
 * WZ_ENET when a GitHub call failed (message in err, files written, the
 * journal says what was published). */
enum wz_status pub_execute(struct pub_plan *p, struct wz_err *err);

/* Unified diff of a -> b (3 lines of context), "--- a/wisdom/<name>"
 * headers; NULL when equal. Counts added/removed lines. Caller frees. */
char *pub_unified_diff(const char *name, const char *a, const char *b, int *added, int *removed);

/* 16 hex digits of FNV-1a-64 over s, after normalising line ends (CRLF)
 * and trailing blanks, so GitHub's copy of a body hashes like ours. */
void pub_hash(const char *s, char out[17]);

/* ---- GitHub part (gh_publish.c) ------------------------------------------- */

/* `<!-- wisdom:<run-id>:<learning-id> -->` / `<!-- DEMOSWARM_RUN:<run-id> FLOW:wisdom -->`. Caller frees. */
char *ghp_issue_marker(const char *run_id, const char *learning_id);
char *ghp_comment_marker(const char *run_id);
/* Issue body: text, evidence (links or paths by level), provenance, the
 * marker as the last line. Not redacted. Caller frees. */
char *ghp_issue_body(const struct wmd_input *in, const struct wmd_item *it);
/* The run comment: marker on line 1, counts, learnings and issues. */
char *ghp_run_comment(const struct wmd_input *in);
/* Fills p->calls: lookups by marker (GET only). */
enum wz_status ghp_plan_calls(struct pub_plan *p, struct wz_err *err);
/* Makes one call and journals its result before returning. */
enum wz_status ghp_execute_call(struct pub_plan *p, struct pub_call *c, struct wz_err *err);
/* Right before the run comment is sent: rebuilds its body from the
 * current items (issue numbers just published) and re-decides the action. */
void ghp_comment_prepare(struct pub_plan *p, struct pub_call *c);
/* gh_report_status.md text (not redacted). */
char *ghp_report_status(const struct pub_plan *p);
/* Re-reads decisions and publish notes from the journal into p->items. */
void pub_items_refresh(struct pub_plan *p);

#endif
